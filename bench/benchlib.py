# Shared by the benchmark scripts: run a command once, timed, with its
# peak memory.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import subprocess
import tempfile
import time

GNU_TIME = "/usr/bin/time"


def run_measured(argv):
    """Runs argv to completion: (seconds, peak RSS in KiB, exit status,
    stderr text)."""
    elapsed, _, rss, status, err = run_measured_cpu(argv)
    return elapsed, rss, status, err


def run_measured_cpu(argv):
    """As run_measured, with the CPU time (user + system, every thread)
    second: (seconds, CPU seconds, peak RSS in KiB, exit status, stderr
    text).  On a shared machine CPU time moves less with the load than
    the wall time does.

    A child forked from a Python script starts with the script's own peak
    RSS (Linux keeps the high-water mark across exec), so the RSS comes
    from GNU time, which forks the program from a small process."""
    rss_file = None
    if os.access(GNU_TIME, os.X_OK):
        rss_file = tempfile.NamedTemporaryFile(prefix="emu-bench-rss-")
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file.name] + argv
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read before waiting: a chatty program must not block on a full pipe.
    err = proc.stderr.read().decode(errors="replace")
    _, wait_status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    proc.stderr.close()
    # GNU time's usage includes the program it waited for.
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss
    if rss_file:
        rss = int(rss_file.read().split()[-1])
        rss_file.close()
    return elapsed, cpu, rss, os.waitstatus_to_exitcode(wait_status), err
