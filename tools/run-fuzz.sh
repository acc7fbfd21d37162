#!/bin/sh
# Runs the libFuzzer builds of the fuzz targets (./configure
# --enable-fuzzing, then make fuzz):
#
#   tools/run-fuzz.sh BUILD SECONDS [TARGET...]
#
# Each target (default: all of tests/fuzz) runs niced for SECONDS on a
# working corpus in BUILD/fuzz-corpus/NAME that starts from the committed
# seeds (tests/fuzz/corpus/NAME) and keeps what libFuzzer adds, so runs
# build on each other.  A crash, leak or timeout is saved under
# BUILD/fuzz-crashes/NAME/ and stops that target; add the file to
# tests/fuzz/corpus/NAME once fixed, so make check replays it.  Prints
# one line per target: executions, coverage (edges) and features.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 BUILD SECONDS [TARGET...]" >&2
    exit 1
fi
build=$1
seconds=$2
shift 2
srcdir=$(cd "$(dirname "$0")/.." && pwd)
targets=$*
if [ -z "$targets" ]; then
    targets=$(cd "$srcdir/tests/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//' |
              grep -v '^machine$')
fi

status=0
for name in $targets; do
    exe=$build/tests/fuzz/fuzz-$name
    if [ ! -x "$exe" ]; then
        echo "$name: $exe is missing (./configure --enable-fuzzing; make fuzz)" >&2
        status=1
        continue
    fi
    work=$build/fuzz-corpus/$name
    crashes=$build/fuzz-crashes/$name
    log=$build/fuzz-logs/$name.log
    mkdir -p "$work" "$crashes" "$(dirname "$log")"
    # Guests may make emu print (guest errors, stub replies): only
    # libFuzzer's own lines are worth keeping.
    nice "$exe" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1 -close_fd_mask=3 -handle_xfsz=0 \
        -artifact_prefix="$crashes/" "$work" "$srcdir/tests/fuzz/corpus/$name" \
        >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        echo "$name: FAILED after ${runs:-?} executions ($cov): see $log and $crashes/"
        status=1
    else
        echo "$name: ${runs:-?} executions in ${seconds}s, $cov, corpus $(ls "$work" | wc -l) inputs"
    fi
done
exit $status
