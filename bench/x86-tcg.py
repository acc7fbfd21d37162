#!/usr/bin/env python3
# tcg x86-64 benchmark, emu against Debian's qemu-system-x86_64 on the
# same firmware image and the same machine (-M microvm -accel tcg):
#   fp        bench/x86/fp.c: scalar and packed SSE double/single, 128-bit
#             integer SIMD, x87 long double (what gcc -O2 emits for them)
#   integer   bench/arm/workload.c, the ARM benchmark's integer mix,
#             built for x86-64
# each built with the host's gcc as a freestanding 64-bit program behind
# bench/x86/start.S (reset vector to long mode) and run as -bios.
# Runs alternate emu and QEMU; prints median wall and CPU times, their
# ratios and peak RSS (GNU time).  Every run's serial output is checked
# against the same C built and run on the host (bit-exact: the host is
# x86-64); a wrong one is printed and makes the script exit with 1.
# Usage: bench/x86-tcg.py [--runs N] [--fp-rounds N] [--int-rounds N]
#                         [--build DIR] [--qemu PATH]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from benchlib import WrongOutput, compare, run_measured_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
X86 = os.path.join(HERE, "x86")
PRINT = os.path.join(HERE, "..", "tests", "guests", "arm")   # print.c, host.c
# The same code generation for the host and the guest builds, so the
# floating-point results are the same bit for bit.
CFLAGS = ["-O2", "-ffp-contract=off", "-fno-math-errno", "-fno-builtin",
          "-Wall", "-Wextra", "-Werror", "-I", PRINT]
GUEST_CFLAGS = CFLAGS + ["-m64", "-ffreestanding", "-mno-red-zone", "-fno-pic",
                         "-fno-pie", "-fno-stack-protector",
                         "-fno-asynchronous-unwind-tables", "-nostdlib",
                         "-static", "-Wl,--build-id=none"]
# isa-debug-exit: the firmware writes 1, the emulator exits with 3
EXIT_STATUS = 3


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, **kwargs)


def build_firmware(tmp, stem, source, defines):
    """A 256 KiB -bios image of source behind start.S: its path."""
    cc = os.environ.get("CC", "cc")
    elf = os.path.join(tmp, stem + ".elf")
    flags = list(GUEST_CFLAGS)
    if subprocess.run([cc, "-Wl,--no-warn-rwx-segments", "--version"],
                      capture_output=True).returncode == 0:
        flags.append("-Wl,--no-warn-rwx-segments")
    run([cc] + flags + defines + ["-T", os.path.join(X86, "firmware.ld"),
                                  "-o", elf, os.path.join(X86, "start.S"),
                                  os.path.join(X86, "runtime.c"), source,
                                  os.path.join(PRINT, "print.c")])
    image = os.path.join(tmp, stem + ".bin")
    run(["objcopy", "-O", "binary", elf, image])
    return image


def host_output(tmp, stem, source, defines):
    """The same source built and run on the host: the expected output."""
    exe = os.path.join(tmp, stem + "-host")
    run([os.environ.get("CC", "cc")] + CFLAGS + defines
        + ["-o", exe, source, os.path.join(PRINT, "print.c"),
           os.path.join(PRINT, "host.c")])
    return run([exe], capture_output=True, text=True).stdout


def measure(argv, serial, expected):
    """Runs argv to completion: (seconds, CPU seconds, peak RSS in KiB)."""
    elapsed, cpu, rss, status, err = run_measured_cpu(argv)
    with open(serial, errors="replace") as f:
        out = f.read()
    os.unlink(serial)
    if status != EXIT_STATUS or out != expected:
        raise WrongOutput(f"{' '.join(argv)} exited with {status} ({err.strip()}); "
                          f"expected output:\n{expected}got:\n{out}")
    return elapsed, cpu, rss


def main():
    parser = argparse.ArgumentParser(
        description="tcg x86-64 benchmark: emu against qemu-system-x86_64 "
                    "on one firmware image")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fp-rounds", type=int, default=100,
                        help="repetitions of the x87/SSE mix "
                             "(100: about 1.7 s of CPU on QEMU here)")
    parser.add_argument("--int-rounds", type=int, default=150,
                        help="repetitions of the integer mix "
                             "(150: about 1.2 s of CPU on QEMU here)")
    parser.add_argument("--build", default=os.environ.get(
        "EMU_BUILD_DIR", os.path.join(HERE, "..", "build")))
    parser.add_argument("--qemu", default=shutil.which("qemu-system-x86_64"))
    args = parser.parse_args()

    emu = os.path.join(args.build, "emu-system-x86_64")
    if not os.access(emu, os.X_OK):
        sys.exit(f"x86-tcg: {emu} is missing (build with make first)")
    if not args.qemu:
        print("x86-tcg: qemu-system-x86_64 not found: emu alone", file=sys.stderr)

    tmp = tempfile.mkdtemp(prefix="emu-bench-x86-")
    serial = os.path.join(tmp, "serial.txt")
    machine = ["-M", "microvm", "-accel", "tcg", "-nodefaults",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-serial", f"file:{serial}"]
    ok = True
    for title, stem, source, rounds in (
            ("x87/SSE", "fp", os.path.join(X86, "fp.c"), args.fp_rounds),
            ("integer", "int", os.path.join(HERE, "arm", "workload.c"),
             args.int_rounds)):
        defines = [f"-DROUNDS={rounds}"]
        expected = host_output(tmp, stem, source, defines)
        image = build_firmware(tmp, stem, source, defines)
        commands = {"emu": [emu] + machine + ["-bios", image]}
        if args.qemu:
            commands["qemu"] = ([args.qemu] + machine
                                + ["-display", "none", "-bios", image])
        ok &= compare(f"{title}, {rounds} rounds, -M microvm -accel tcg -bios",
                      commands, args.runs,
                      lambda argv: measure(argv, serial, expected)) is not None
    shutil.rmtree(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
