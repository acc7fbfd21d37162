#!/usr/bin/env python3
# tcg ARM Linux boot benchmark (issue 9): Debian's armhf kernel
# (linux-image-armmp, and its armmp-lpae flavour with the long-descriptor
# page tables) and a busybox-static initramfs, booted with
# -kernel/-initrd on -M virt -cpu cortex-a15 on emu and on Debian's
# qemu-system-arm, side by side (runs alternate).  The init script
# prints one line, where the run ends.  Per emulator and kernel it
# reports the median time from start to the kernel's "Run /init as init
# process" line and to the init's line, the CPU time (user + system,
# all threads) and peak RSS (VmHWM) up to that line, and the ratios
# QEMU / emu.  The kernel and busybox are fetched and cached as the
# functional tests do (tests/functional/debian.py, under the build
# directory).
# Usage: bench/arm-linux-boot.py [--runs N] [--kernel armmp|armmp-lpae|all]
#                                [--build DIR] [--qemu PATH] [--no-qemu]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import shutil
import sys

from linuxboot import INIT, compare_boots

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "functional"))


def main():
    parser = argparse.ArgumentParser(
        description="Debian armhf kernel boot on emu and QEMU, -M virt")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kernel", choices=("armmp", "armmp-lpae", "all"),
                        default="all")
    parser.add_argument("--build", default=os.environ.get(
        "EMU_BUILD_DIR", os.path.join(HERE, "..", "build")))
    parser.add_argument("--qemu", default=shutil.which("qemu-system-arm"))
    parser.add_argument("--no-qemu", action="store_true",
                        help="emu alone (to measure one change quickly)")
    args = parser.parse_args()

    os.environ["EMU_BUILD_DIR"] = os.path.abspath(args.build)
    emu = os.path.join(args.build, "emu-system-arm")
    if not os.access(emu, os.X_OK):
        sys.exit(f"arm-linux-boot: {emu} is missing (build with make first)")
    # Imported here: the helpers read EMU_BUILD_DIR when first imported.
    from armmp import armmp_kernel, armmp_lpae_kernel, busybox_initramfs
    initrd = busybox_initramfs(INIT)
    kernels = {"armmp": armmp_kernel, "armmp-lpae": armmp_lpae_kernel}
    flavours = kernels if args.kernel == "all" else (args.kernel,)
    ok = True
    for flavour in flavours:
        kernel = kernels[flavour]()
        common = ["-M", "virt", "-cpu", "cortex-a15", "-m", "512M",
                  "-nodefaults", "-display", "none", "-serial", "stdio",
                  "-kernel", kernel, "-initrd", initrd,
                  "-append", "console=ttyAMA0"]
        commands = {"emu": [emu] + common}
        if args.qemu and not args.no_qemu:
            commands["qemu"] = [args.qemu] + common
        ok &= compare_boots(f"-M virt -cpu cortex-a15, "
                            f"{os.path.basename(kernel)}, busybox "
                            "initramfs to its first line", commands,
                            args.runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
