#!/usr/bin/env python3
# tcg ARM benchmark, emu against Debian's qemu-system-arm on the same
# binary and the same machine:
#   workload     bench/arm/workload.c (CRC-32, sort, hash table, matrix
#                multiply, strings, 64-bit arithmetic through libgcc),
#                built here with arm-none-eabi-gcc -O2 -march=armv5te -marm
#                for -M none (RAM at 0, -device loader) and -M connex
#                (running from a 16 MiB flash image), and with
#                -march=armv7-a, -marm and -mthumb (Thumb-2), for -M virt
#                -cpu cortex-a15 (an ELF image through -kernel);
#   code-heavy   20,000 distinct straight-line functions (generated
#                assembly, bench/arm/code-heavy.c calls each twice), so the
#                time goes to translating rather than running (--code-heavy
#                N functions, 0 to skip).
# Runs alternate emu and QEMU; prints median wall and CPU times, their
# ratios, peak RSS (GNU time) and translation statistics (one extra -d in_asm,out_asm
# run each: blocks, guest instructions and host code bytes translated).
# Every run's output is checked against the workload built for the host
# (the code-heavy functions are simulated by this script);
# a wrong one is printed and makes the script exit with 1.
# Usage: bench/arm-tcg.py [--runs N] [--rounds N] [--code-heavy N]
#                         [--machine none|connex|virt|all] [--build DIR]
#                         [--qemu PATH] [--no-stats]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import WrongOutput, compare, run_measured_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
GUESTS = os.path.join(HERE, "..", "tests", "guests", "arm")
CROSS = "arm-none-eabi-"
# The instruction set each machine's build is for.
ISA_CFLAGS = {"none": ["-march=armv5te", "-marm"],
              "connex": ["-march=armv5te", "-marm"],
              "virt-arm": ["-march=armv7-a", "-marm"],
              "virt-thumb": ["-march=armv7-a", "-mthumb"]}
GUEST_CFLAGS = ["-O2", "-ffreestanding",
                "-fno-builtin", "-nostdlib", "-fno-pic", "-Wall", "-Wextra",
                "-Werror", "-I", GUESTS, "-Wl,--build-id=none"]
GUEST_RUNTIME = [os.path.join(GUESTS, f) for f in ("crt0.S", "guestlib.c", "print.c")]
FLASH_SIZE = 16 << 20


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, **kwargs)


def build_guest(tmp, stem, sources, link_script, defines, machine="none"):
    """Builds an ARM program with the test guests' runtime: the path of
    its flat image, or for virt of its ELF file."""
    elf = os.path.join(tmp, stem + ".elf")
    flags = ISA_CFLAGS[machine] + GUEST_CFLAGS
    probe = subprocess.run([CROSS + "gcc", "-Wl,--no-warn-rwx-segments", "--version"],
                           capture_output=True)
    if probe.returncode == 0:
        flags.append("-Wl,--no-warn-rwx-segments")
    run([CROSS + "gcc"] + flags + defines + ["-T", link_script, "-o", elf]
        + GUEST_RUNTIME + sources + ["-lgcc"])
    if machine.startswith("virt"):
        return elf
    image = os.path.join(tmp, stem + ".bin")
    run([CROSS + "objcopy", "-O", "binary", elf, image])
    return image


def host_output(tmp, stem, sources, defines):
    """The same sources built and run on the host: the expected output."""
    exe = os.path.join(tmp, stem + "-host")
    run([os.environ.get("CC", "cc"), "-O2", "-I", GUESTS, "-o", exe] + defines
        + sources + [os.path.join(GUESTS, "print.c"), os.path.join(GUESTS, "host.c")])
    return run([exe], capture_output=True, text=True).stdout


def flash_image(tmp, image):
    """A 16 MiB flash file with the program at 0, as dd conv=notrunc does."""
    path = image[:-len(".bin")] + "-flash.bin"
    with open(image, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data)
        f.truncate(FLASH_SIZE)
    return path


def machine_args(machine, image):
    if machine == "none":
        return ["-M", "none", "-cpu", "pxa255", "-m", "64M", "-device",
                f"loader,file={image},addr=0,cpu-num=0"]
    if machine.startswith("virt"):
        return ["-M", "virt", "-cpu", "cortex-a15", "-m", "256M",
                "-kernel", image]
    return ["-M", "connex", "-drive", f"if=pflash,format=raw,file={image}"]


def measure(argv, expected):
    """Runs argv to completion: (seconds, CPU seconds, peak RSS in KiB)."""
    elapsed, cpu, rss, status, err = run_measured_cpu(argv)
    # Semihosting console output goes to stderr, as with QEMU.
    if status != 0 or expected not in err:
        raise WrongOutput(f"{' '.join(argv)} exited with {status}; "
                          f"expected output:\n{expected}got:\n{err}")
    return elapsed, cpu, rss


def translation_stats(argv, tmp, name):
    """One run with -d in_asm,out_asm: (blocks, guest insns, host bytes)."""
    log = os.path.join(tmp, name + ".log")
    run(argv + ["-d", "in_asm,out_asm", "-D", log], stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    blocks = insns = host = 0
    in_block = False
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                blocks += 1
                in_block = True
            elif line.startswith("OUT:"):
                in_block = False
                m = re.match(r"OUT: \[size=(\d+)\]", line)
                host += int(m.group(1)) if m else 0
            elif in_block and re.match(r"0x[0-9a-f]+:\s", line):
                insns += 1
    os.unlink(log)
    return blocks, insns, host


def bench(title, commands, expected, runs, stats, tmp):
    """compare() of the commands, then their translation statistics:
    False when a run went wrong."""
    if compare(title, commands, runs, lambda argv: measure(argv, expected)) is None:
        return False
    if stats:
        for name, argv in commands.items():
            blocks, insns, host = translation_stats(argv, tmp, name)
            print(f"  {name:4s} translated {blocks} blocks, {insns} guest insns, "
                  f"{host} host code bytes ({host / max(insns, 1):.1f} per guest insn)")
    return True


M32 = 0xffffffff


def ror32(x, s):
    return ((x >> s) | (x << (32 - s))) & M32


def code_heavy_source(tmp, functions):
    """Assembly for `functions` distinct straight-line functions of r0
    and the table bench/arm/code-heavy.c calls them through, plus the
    output the driver must print (the functions simulated here)."""
    rand = random.Random(1)
    lines = ["    .text", "    .arm"]
    ops = []
    for i in range(functions):
        lines += [f"f{i}:"]
        for _ in range(16):
            kind = rand.randrange(6)
            imm, shift = rand.randrange(256), rand.randrange(1, 32)
            if kind == 0:
                lines.append(f"    add r0, r0, #{imm}")
            elif kind == 1:
                lines.append(f"    eor r0, r0, r0, lsr #{shift}")
            elif kind == 2:
                lines.append(f"    add r0, r0, r0, lsl #{shift}")
            elif kind == 3:
                lines.append(f"    mov r0, r0, ror #{shift}")
            elif kind == 4:
                lines += [f"    tst r0, #{1 << (shift & 7)}", f"    eorne r0, r0, #{imm}",
                          f"    subeq r0, r0, #{imm}"]
            else:
                const = rand.randrange(1 << 32) | 1
                lines += [f"    ldr r1, ={const}", "    mul r2, r0, r1", "    mov r0, r2"]
            ops.append((kind, imm, shift, const if kind == 5 else 0))
        lines += ["    bx lr", "    .ltorg"]
    lines += ["    .section .rodata", "    .align 2", "    .global code_heavy_table",
              "code_heavy_table:"]
    lines += [f"    .word f{i}" for i in range(functions)]
    lines += ["    .global code_heavy_count", "code_heavy_count:", f"    .word {functions}"]
    path = os.path.join(tmp, "code-heavy-functions.S")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")

    x = 1
    for _ in range(2):
        for kind, imm, shift, const in ops:
            if kind == 0:
                x = (x + imm) & M32
            elif kind == 1:
                x ^= x >> shift
            elif kind == 2:
                x = (x + (x << shift)) & M32
            elif kind == 3:
                x = ror32(x, shift)
            elif kind == 4:
                x = x ^ imm if x & (1 << (shift & 7)) else (x - imm) & M32
            else:
                x = (x * const) & M32
    return path, f"code-heavy {x:08x}\n"


def main():
    parser = argparse.ArgumentParser(
        description="tcg ARM benchmark: emu against qemu-system-arm on one binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=150,
                        help="repetitions of the workload mix (150: about 3 s on QEMU here)")
    parser.add_argument("--code-heavy", type=int, default=20000, metavar="N",
                        help="functions in the translation benchmark (0: skip it)")
    parser.add_argument("--machine", choices=("none", "connex", "virt", "all"),
                        default="all",
                        help="all: -M none, virt (ARM and Thumb-2), and "
                        "connex when emu has it")
    parser.add_argument("--build", default=os.environ.get(
        "EMU_BUILD_DIR", os.path.join(HERE, "..", "build")))
    parser.add_argument("--qemu", default=shutil.which("qemu-system-arm"))
    parser.add_argument("--no-stats", dest="stats", action="store_false",
                        help="skip the -d in_asm,out_asm translation statistics")
    args = parser.parse_args()

    emu = os.path.join(args.build, "emu-system-arm")
    if not os.access(emu, os.X_OK):
        sys.exit(f"arm-tcg: {emu} is missing (build with make first)")
    if not shutil.which(CROSS + "gcc"):
        sys.exit("arm-tcg: arm-none-eabi-gcc is missing "
                 "(apt-get install gcc-arm-none-eabi)")
    if not args.qemu:
        print("arm-tcg: qemu-system-arm not found: emu alone", file=sys.stderr)

    machines = ["none"] if args.machine in ("none", "all") else []
    if args.machine in ("virt", "all"):
        machines += ["virt-arm", "virt-thumb"]
    if args.machine in ("connex", "all"):
        boards = run([emu, "-M", "help"], capture_output=True, text=True).stdout
        if re.search(r"^connex\s", boards, re.M):
            machines.append("connex")
        else:
            print("connex: emu has no connex board yet; -M none only")

    tmp = tempfile.mkdtemp(prefix="emu-bench-arm-")
    workload = [os.path.join(HERE, "arm", "workload.c")]
    defines = [f"-DROUNDS={args.rounds}"]
    expected = host_output(tmp, "workload", workload, defines)
    link = {"none": os.path.join(GUESTS, "link.ld"),
            "connex": os.path.join(HERE, "arm", "connex.ld"),
            "virt-arm": os.path.join(HERE, "arm", "virt.ld"),
            "virt-thumb": os.path.join(HERE, "arm", "virt.ld")}
    where = {"none": "-M none, RAM at 0", "connex": "-M connex, from flash",
             "virt-arm": "-M virt -cpu cortex-a15, ARMv7 ARM state",
             "virt-thumb": "-M virt -cpu cortex-a15, ARMv7 Thumb-2"}

    def commands(machine, image):
        cmds = {"emu": [emu] + machine_args(machine, image) + ["-semihosting", "-nodefaults"]}
        if args.qemu:
            cmds["qemu"] = ([args.qemu] + machine_args(machine, image)
                            + ["-semihosting", "-nodefaults", "-display", "none"])
        return cmds

    ok = True
    for machine in machines:
        image = build_guest(tmp, f"workload-{machine}", workload, link[machine],
                            defines, machine)
        if machine == "connex":
            image = flash_image(tmp, image)
        ok &= bench(f"workload, {args.rounds} rounds, {where[machine]}",
                    commands(machine, image), expected, args.runs, args.stats, tmp)

    if args.code_heavy > 0:
        functions, expected = code_heavy_source(tmp, args.code_heavy)
        image = build_guest(tmp, "code-heavy", [os.path.join(HERE, "arm", "code-heavy.c"),
                                                functions], link["none"], [])
        ok &= bench(f"code-heavy, {args.code_heavy} functions run twice, -M none",
                    commands("none", image), expected, args.runs, args.stats, tmp)
    shutil.rmtree(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
