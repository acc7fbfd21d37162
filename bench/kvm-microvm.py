#!/usr/bin/env python3
# kvm microvm benchmarks, emu against QEMU's -M microvm:
#   (a) start-to-exit time of the minimal firmware (reset vector ->
#       isa-debug-exit), alternating runs, medians and ratio;
#   (b) 200,000 port-I/O exits (tests/guests/x86/pio.S), emu vs QEMU vs a
#       bare KVM_RUN loop (bench/kvm-bare.c, compiled here);
#   (c) peak RSS of every run (through GNU time when installed).
# Usage: bench/kvm-microvm.py [--runs N] [--pio-runs N] [--build DIR]
#                             [--qemu PATH]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchlib import run_measured

HERE = os.path.dirname(os.path.abspath(__file__))
MICROVM = ["-M", "microvm", "-accel", "kvm", "-nodefaults",
           "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def measure(argv, expect_status):
    """Runs argv to completion: (seconds, peak RSS in KiB)."""
    elapsed, rss, status, err = run_measured(argv)
    if status != expect_status:
        sys.exit(f"{' '.join(argv)} exited with {status}, "
                 f"not {expect_status}: {err}")
    return elapsed, rss


def alternate(commands, runs):
    """Runs each command in turn, runs times: {name: [(s, KiB), ...]}."""
    results = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            results[name].append(measure(argv, 0 if name == "bare" else 1))
    return results


def report(title, results, reference=None):
    print(title)
    medians = {}
    for name, samples in results.items():
        times = [s for s, _ in samples]
        medians[name] = statistics.median(times)
        line = (f"  {name:5s} median {medians[name] * 1000:9.2f} ms "
                f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f}, "
                f"{len(times)} runs), peak RSS {max(r for _, r in samples) / 1024:.1f} MiB")
        print(line)
    if reference in medians:
        for name, median in medians.items():
            if name != reference:
                print(f"  {name} / {reference}: {median / medians[reference]:.3f}")
    return medians


def main():
    parser = argparse.ArgumentParser(
        description="kvm microvm benchmarks: emu against QEMU and a bare KVM_RUN loop")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pio-runs", type=int, default=3)
    parser.add_argument("--build", default=os.environ.get(
        "EMU_BUILD_DIR", os.path.join(HERE, "..", "build")))
    parser.add_argument("--qemu", default=shutil.which("qemu-system-x86_64"))
    args = parser.parse_args()

    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        sys.exit("kvm-microvm: needs read/write access to /dev/kvm")
    emu = os.path.join(args.build, "emu-system-x86_64")
    guests = os.path.join(args.build, "tests", "guests", "x86")
    for path in (emu, os.path.join(guests, "exit.bin"), os.path.join(guests, "pio.bin")):
        if not os.path.exists(path):
            sys.exit(f"kvm-microvm: {path} is missing (build with make first)")

    tmp = tempfile.mkdtemp(prefix="emu-bench-")
    bare = os.path.join(tmp, "kvm-bare")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", "-Wextra", "-o", bare,
                    os.path.join(HERE, "kvm-bare.c")], check=True)

    def vm(binary, guest):
        extra = ["-display", "none"] if binary == args.qemu else []
        return [binary] + MICROVM + extra + ["-bios", os.path.join(guests, guest)]

    def commands(guest):
        cmds = {"emu": vm(emu, guest)}
        if args.qemu:
            cmds["qemu"] = vm(args.qemu, guest)
        return cmds

    def with_bare(guest):
        cmds = commands(guest)
        cmds["bare"] = [bare, os.path.join(guests, guest)]
        return cmds

    # isa-debug-exit with 0: status 1 (kvm-bare exits with 0).
    startup = alternate(with_bare("exit.bin"), args.runs)
    start_medians = report("(a) start to exit, minimal firmware", startup,
                           reference="qemu" if args.qemu else None)

    pio = alternate(with_bare("pio.bin"), args.pio_runs)
    medians = report("(b) 200,000 port-I/O exits, whole runs", pio)
    net = {name: medians[name] - start_medians[name] for name in medians}
    print("    without start-up (the (a) medians taken off):")
    for name in net:
        line = f"  {name:5s} {net[name] * 1000:9.2f} ms, {net[name] / 200000 * 1e6:.2f} us/exit"
        if name != "bare":
            line += f", {(net[name] / net['bare'] - 1) * 100:+.1f} % over the bare loop"
        print(line)

    print("(c) peak RSS: shown with each run above")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
