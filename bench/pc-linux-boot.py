#!/usr/bin/env python3
# The PC booting Linux from a CD on tcg, emu against Debian's
# qemu-system-x86_64, side by side in one run: the command line people
# type,
#     emu-system-x86_64 -m 1G -hda disk.qcow2 -cdrom linux.iso -boot d
# (with -display none and the serial port in a file), timed from the
# start through SeaBIOS, ISOLINUX and Debian's amd64 kernel to the first
# line of the init.  The CD is the one the functional tests build
# (tests/functional/pclinux.py: ISOLINUX from Debian's isolinux,
# xorriso), its busybox init printing that line and powering off at
# once (busybox poweroff -f: ACPI S5), so the emulator's exit ends the
# measurement.  Runs alternate emu and QEMU; prints median wall and CPU
# times, their ratios and peak RSS (GNU time).  A run whose serial
# output lacks the init's line, or whose exit status is not 0, is
# printed and makes the script exit with 1.
# Usage: bench/pc-linux-boot.py [--runs N] [--build DIR] [--qemu PATH]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import subprocess
import sys
import tempfile

from benchlib import WrongOutput, compare, run_measured_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "functional"))

INIT_LINE = b"emu-init: x86_64"
POWEROFF_INIT = b"""#!/bin/busybox sh
/bin/busybox echo "emu-init: $(/bin/busybox uname -m)"
/bin/busybox poweroff -f
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    parser.add_argument("--qemu", default="qemu-system-x86_64")
    args = parser.parse_args()
    # The test helpers cache Debian's packages under the build directory.
    os.environ["EMU_BUILD_DIR"] = os.path.abspath(args.build)
    from armmp import busybox_initramfs
    from pclinux import isolinux_iso

    iso = isolinux_iso(name="bench.iso", initrd=busybox_initramfs(
        POWEROFF_INIT, busybox="busybox-static:amd64"))
    work = tempfile.mkdtemp(prefix="emu-bench-pc-")
    disk = os.path.join(work, "disk.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "1G"],
                   check=True)
    serial = os.path.join(work, "serial.txt")

    def command(program):
        return [program, "-accel", "tcg", "-m", "1G", "-hda", disk,
                "-cdrom", iso, "-boot", "d", "-display", "none", "-serial",
                f"file:{serial}"]

    def measure(argv):
        elapsed, cpu, rss, status, err = run_measured_cpu(argv)
        with open(serial, "rb") as f:
            out = f.read()
        if status != 0 or INIT_LINE not in out:
            raise WrongOutput(f"{argv[0]}: exit status {status}, "
                              f"{err.strip()!r}, serial ends "
                              f"{out[-300:]!r}")
        return elapsed, cpu, rss

    emu = os.path.join(args.build, "emu-system-x86_64")
    medians = compare("pc: -cdrom ISOLINUX -> Linux -> the init's first "
                      "line (-m 1G, tcg)",
                      {"emu": command(emu), "qemu": command(args.qemu)},
                      args.runs, measure)
    return 0 if medians else 1


if __name__ == "__main__":
    sys.exit(main())
