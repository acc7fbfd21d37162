#!/usr/bin/env python3
# Prints "N passed, N failed[, N skipped]" from meson's test logs, so that
# every run of the suite ends with the same line.  A test that speaks TAP
# counts once per case ("ok 3 /qom/tree"); others count once.  Several
# logs (the normal and the sanitizer build in .ci/run) add up; a log that
# is missing (its build failed, so nothing ran) counts as one failure.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b[^#]*(#\s*(SKIP|TODO)\b)?", re.IGNORECASE)

passed = failed = skipped = 0


def count(log):
    global passed, failed, skipped
    for line in log:
        if not line.strip():
            continue
        entry = json.loads(line)
        result = entry.get("result")
        cases = [TAP_LINE.match(l) for l in (entry.get("stdout") or "").splitlines()]
        cases = [m for m in cases if m]
        if result in ("OK", "EXPECTEDFAIL", "SKIP") and cases:
            for m in cases:
                if m.group(3):
                    skipped += 1
                elif m.group(1) == "ok":
                    passed += 1
                else:
                    failed += 1
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            # A crashed or failed test: its failing cases, or at least one.
            failed += max(1, sum(1 for m in cases if m.group(1) != "ok"))
            passed += sum(1 for m in cases if m.group(1) == "ok" and not m.group(3))


for path in sys.argv[1:]:
    try:
        with open(path) as log:
            count(log)
    except FileNotFoundError:
        print(f"summary: no test log {path}: its build or run failed")
        failed += 1
summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
