# Shared by the benchmark scripts: run a command once, timed, with its
# peak memory; run emu and QEMU side by side and print the ratios.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import statistics
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


class WrongOutput(Exception):
    """A run that did not print what it should, or exited wrongly."""


def compare(title, commands, runs, measure):
    """Runs each of commands (name -> argv) runs times, alternating them,
    through measure(argv) -> (seconds, CPU seconds, peak RSS in KiB),
    which raises WrongOutput for a wrong run.  Prints each one's median
    times and peak RSS and, with both an "emu" and a "qemu", QEMU's
    times over emu's (above 1: emu is faster).  Returns the medians as
    {name: (seconds, CPU seconds)}, or None after printing why a run
    went wrong."""
    samples = {name: [] for name in commands}
    print(title)
    try:
        for _ in range(runs):
            for name, argv in commands.items():
                samples[name].append(measure(argv))
    except WrongOutput as e:
        print(f"  WRONG: {e}")
        return None
    medians = {}
    for name, results in samples.items():
        times = [t for t, _, _ in results]
        medians[name] = (statistics.median(times),
                         statistics.median(c for _, c, _ in results))
        print(f"  {name:4s} median {medians[name][0]:7.3f} s (min {min(times):.3f}, "
              f"max {max(times):.3f}, {len(times)} runs), "
              f"CPU {medians[name][1]:.3f} s, "
              f"peak RSS {max(r for _, _, r in results) / 1024:.1f} MiB")
    if "qemu" in medians and "emu" in medians:
        wall = medians["qemu"][0] / medians["emu"][0]
        cpu = medians["qemu"][1] / medians["emu"][1]
        # CPU time moves less with the machine's load than wall time.
        print(f"  QEMU time / emu time: wall {wall:.2f}, CPU {cpu:.2f} "
              f"({'emu faster' if cpu > 1 else 'emu slower'})")
    return medians
