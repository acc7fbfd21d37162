#!/usr/bin/env python3
# Prints "N passed, N failed[, N skipped]" from meson's test logs, so that
# every run of the suite ends with the same line.  A test that speaks TAP
# counts once per case ("ok 3 /qom/tree"); others count once.  Several
# logs (the normal and the sanitizer build in .ci/run) add up; a log that
# is missing (its build failed, so nothing ran) counts as one failure.
# Each failure gets a line before the summary with the failing case and
# the last line of its message, since CI keeps only the end of the output.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b[^#]*(#\s*(SKIP|TODO)\b)?", re.IGNORECASE)

passed = failed = skipped = 0
failures = []


def why(entry):
    """The failing cases of a test and the last words of each ("# ..."
    lines after a "not ok" in TAP, else the end of stderr)."""
    lines = (entry.get("stdout") or "").splitlines()
    reasons = []
    for i, line in enumerate(lines):
        if line.startswith("not ok"):
            tail = []
            for l in lines[i + 1:]:
                if not l.startswith("#"):
                    break
                if l[1:].strip():
                    tail.append(l[1:].strip())
            reasons.append(line + (": " + tail[-1] if tail else ""))
    if not reasons:
        err = [l for l in (entry.get("stderr") or "").splitlines() if l.strip()]
        reasons.append(err[-1] if err else f"result {entry.get('result')}")
    return [r[:300] for r in reasons]


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
            failures.extend(f"FAILED {entry.get('name')}: {r}" for r in why(entry))
            failed += max(1, sum(1 for m in cases if m.group(1) != "ok"))
            passed += sum(1 for m in cases if m.group(1) == "ok" and not m.group(3))


for path in sys.argv[1:]:
    try:
        with open(path) as log:
            count(log)
    except FileNotFoundError:
        print(f"summary: no test log {path}: its build or run failed")
        failed += 1
for line in failures:
    print(line)
summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
