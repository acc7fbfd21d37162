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
import shutil
import sys

from linuxboot import INIT, compare_boots

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "functional"))

# no_timer_check: on a loaded host the kernel's check that the PIT
# reaches the IOAPIC can miss its ticks under tcg (QEMU's then panics).
APPEND = "console=ttyS0 no_timer_check"


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
        ok &= compare_boots(f"-M {machine} -accel tcg, "
                            f"{os.path.basename(kernel)}, busybox initramfs "
                            "to its first line", commands, args.runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
