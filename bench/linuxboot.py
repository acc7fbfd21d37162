# Shared by the Linux boot benchmarks (x86-linux-boot.py,
# arm-linux-boot.py): boot a kernel to its init's first line, timed from
# the start, with the CPU time and peak RSS up to that line, and print
# emu's and QEMU's medians side by side.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import select
import statistics
import subprocess
import time

RUN_INIT = b"Run /init as init process"
INIT_LINE = b"bench-init: up"
TIMEOUT = 600
# The init each benchmark's initramfs runs: one line, then nothing.
INIT = b"""#!/bin/busybox sh
/bin/busybox echo "bench-init: up"
exec /bin/busybox sleep 3600
"""


def usage(pid):
    """(CPU seconds of every thread, peak RSS in KiB) of a live process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/status") as f:
        hwm = [line for line in f if line.startswith("VmHWM:")]
    return cpu, int(hwm[0].split()[1])


def boot_once(argv):
    """Boots argv to the init script's line, then kills it: a dict of
    seconds to RUN_INIT and to INIT_LINE, CPU seconds and peak RSS in
    KiB up to that line; raises RuntimeError with the console's tail
    when the boot went wrong.  (Some machines cannot power off, QEMU's
    microvm without ACPI among them, so the line, not the exit, ends a
    run.)"""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, marks = b"", {}
    try:
        while "init" not in marks:
            left = start + TIMEOUT - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"no {INIT_LINE.decode()} within "
                                   f"{TIMEOUT} s")
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            now = time.monotonic() - start
            if not chunk:
                raise RuntimeError(f"exit status {proc.wait()}")
            out += chunk
            if b"Kernel panic" in out:
                raise RuntimeError("kernel panic")
            for name, mark in (("run_init", RUN_INIT), ("init", INIT_LINE)):
                if name not in marks and mark in out:
                    marks[name] = now
        marks["cpu"], marks["rss"] = usage(proc.pid)
    except RuntimeError as e:
        raise RuntimeError(f"{' '.join(argv)}: {e}, console:\n"
                           f"{out[-2000:].decode(errors='replace')}")
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return marks


def report(title, samples):
    print(title)
    medians = {}
    for name, results in samples.items():
        m = {key: statistics.median(r[key] for r in results)
             for key in ("run_init", "init", "cpu")}
        medians[name] = m
        times = [r["init"] for r in results]
        print(f"  {name:4s} to Run /init {m['run_init']:6.2f} s, to the init "
              f"line {m['init']:6.2f} s (min {min(times):.2f}, max "
              f"{max(times):.2f}, {len(times)} runs), CPU {m['cpu']:6.2f} s, "
              f"peak RSS {max(r['rss'] for r in results) / 1024:.1f} MiB",
              flush=True)
    if "qemu" in medians and "emu" in medians:
        e, q = medians["emu"], medians["qemu"]
        print(f"  QEMU / emu: to Run /init {q['run_init'] / e['run_init']:.2f},"
              f" to the init line {q['init'] / e['init']:.2f}, CPU "
              f"{q['cpu'] / e['cpu']:.2f} (above 1: emu faster)", flush=True)


def compare_boots(title, commands, runs):
    """Boots each of commands (name -> argv) runs times, alternating
    them, and reports: False (after printing why) when a boot went
    wrong."""
    samples = {name: [] for name in commands}
    try:
        for _ in range(runs):
            for name, argv in commands.items():
                samples[name].append(boot_once(argv))
    except RuntimeError as e:
        print(f"{title}: WRONG: {e}")
        return False
    report(title, samples)
    return True
