#!/usr/bin/env python3
# tcg x86-64 Linux boot benchmark (issues 8 and 14): Debian's amd64
# kernel (linux-image-amd64) and a busybox initramfs, booted with
# -kernel/-initrd on emu and on Debian's qemu-system-x86_64 -accel tcg,
# side by side (runs alternate), on -M microvm (QEMU's with acpi=off,
# the machine emu's microvm models) and -M pc.  The init script prints
# one line, where the run ends.  Per emulator and machine it reports the
# median time from start to the kernel's "Run /init as init process"
# line and to the init's line, the CPU time (user + system, all threads)
# and peak RSS (VmHWM) up to that line, and the ratios QEMU / emu.
#
# The kernel and busybox are fetched and cached as the functional tests
# do (tests/functional/debian.py, under the build directory).
# Usage: bench/x86-linux-boot.py [--runs N] [--machine microvm|pc|all]
#                                [--build DIR] [--qemu PATH] [--no-qemu]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import select
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "functional"))

INIT = b"""#!/bin/busybox sh
/bin/busybox echo "bench-init: up"
exec /bin/busybox sleep 3600
"""
RUN_INIT = b"Run /init as init process"
INIT_LINE = b"bench-init: up"
TIMEOUT = 600
# no_timer_check: on a loaded host the kernel's check that the PIT
# reaches the IOAPIC can miss its ticks under tcg (QEMU's then panics).
APPEND = "console=ttyS0 no_timer_check"


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
    when the boot went wrong.  (QEMU's microvm without ACPI cannot
    reboot, so the line, not the exit, ends a run.)"""
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


def main():
    parser = argparse.ArgumentParser(
        description="Debian amd64 kernel boot on emu and QEMU, tcg")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--machine", choices=("microvm", "pc", "all"),
                        default="all")
    parser.add_argument("--build", default=os.environ.get(
        "EMU_BUILD_DIR", os.path.join(HERE, "..", "build")))
    parser.add_argument("--qemu", default=shutil.which("qemu-system-x86_64"))
    parser.add_argument("--no-qemu", action="store_true",
                        help="emu alone (to measure one change quickly)")
    args = parser.parse_args()

    os.environ["EMU_BUILD_DIR"] = os.path.abspath(args.build)
    emu = os.path.join(args.build, "emu-system-x86_64")
    if not os.access(emu, os.X_OK):
        sys.exit(f"x86-linux-boot: {emu} is missing (build with make first)")
    # Imported here: the helpers read EMU_BUILD_DIR when first imported.
    from armmp import busybox_initramfs
    from pclinux import amd64_kernel
    kernel = amd64_kernel()
    initrd = busybox_initramfs(INIT, busybox="busybox-static:amd64")

    common = ["-accel", "tcg", "-m", "512M", "-nodefaults", "-display",
              "none", "-serial", "stdio", "-kernel", kernel, "-initrd",
              initrd, "-append", APPEND]
    machines = ("microvm", "pc") if args.machine == "all" else (args.machine,)
    ok = True
    for machine in machines:
        commands = {"emu": [emu, "-M", machine] + common}
        if args.qemu and not args.no_qemu:
            # QEMU's microvm with ACPI has no PIT for the kernel to
            # calibrate the TSC with, and hangs there.
            commands["qemu"] = [args.qemu, "-M", machine +
                                (",acpi=off" if machine == "microvm" else "")
                                ] + common
        samples = {name: [] for name in commands}
        try:
            for _ in range(args.runs):
                for name, argv in commands.items():
                    samples[name].append(boot_once(argv))
        except RuntimeError as e:
            print(f"-M {machine}: WRONG: {e}")
            ok = False
            continue
        report(f"-M {machine} -accel tcg, {os.path.basename(kernel)}, "
               "busybox initramfs to its first line", samples)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
