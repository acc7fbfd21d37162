#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
info roms and info jit as QEMU 7.2 prints them.

info roms: the images of -kernel/-initrd and the device tree on virt,
-bios into virt's flash, the generic loader's ELF segments (a program
built here) and raw files, the PC's BIOS and linuxboot option ROM; the
same command lines on qemu-system-* must print the same lines, except
what emu deliberately lacks on the PC (QEMU's kvmvapic.bin option ROM)
and the sizes of its ACPI blobs (QEMU reports the room it reserves,
emu the tables' size).  Images written over each other are refused
with QEMU's message.

info jit: QEMU's layout (less its hash-table bucket lines) with figures
that grow while a guest runs; under kvm, QEMU's refusal.
"""
import os
import re
import shutil
import struct
import subprocess
import time

from emutest import (BUILD_DIR, PipeMonitor, Skip, binary, emu_and_qemu,
                     main, monitor_script, need_kvm, qemu_binary, tempdir)

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm")


def info_roms(program, args):
    """What info roms prints on PROGRAM started paused with ARGS."""
    answers, err = monitor_script(program, ["-display", "none", "-S"] + args,
                                  ["info roms"])
    return answers[0]


def roms_on_virt(args, expected):
    """info roms prints EXPECTED on emu's virt board with ARGS, and on
    QEMU's too if it is installed, less QEMU's /rom@etc/ lines (fw_cfg
    files emu's virt does not have)."""
    assert info_roms(binary("arm"), args) == expected
    program = qemu_binary("arm")
    if not program:
        return
    lines = info_roms(program, args).splitlines(keepends=True)
    kept = "".join(l for l in lines if not l.startswith("/rom@etc/"))
    assert kept == expected, (args, kept, expected)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def arm_elf(directory):
    """A program with text, data+bss and a note segment (note last)."""
    if not shutil.which("arm-none-eabi-gcc"):
        raise Skip("arm-none-eabi-gcc is not installed")
    src = os.path.join(directory, "prog.s")
    with open(src, "w") as f:
        f.write(".text\n.global _start\n_start: b _start\n"
                ".data\n.word 1, 2, 3, 4\n.bss\n.space 256\n"
                ".section .note.emu,\"a\",%note\n"
                ".word 4, 4, 1\n.ascii \"EMU\\0\"\n.word 7\n")
    elf = os.path.join(directory, "prog.elf")
    subprocess.run(["arm-none-eabi-gcc", "-nostdlib", "-Ttext=0x1000",
                    "-Tdata=0x2000", "-o", elf, src], check=True)
    return elf


def test_virt_kernel_initrd_dtb():
    d = tempdir()
    os.chdir(d)
    write("kernel.bin", bytes(range(256)) * 280)
    write("initrd.img", b"\x5a" * 3000)
    args = ["-M", "virt", "-kernel", "kernel.bin", "-initrd", "initrd.img"]
    expected = (
        'addr=0000000040000000 size=0x00001c mem=ram name="bootloader"\n'
        'addr=0000000040010000 size=0x011800 mem=ram name="kernel.bin"\n'
        'addr=0000000044000000 size=0x000bb8 mem=ram name="initrd.img"\n'
        'addr=0000000044001000 size=0x100000 mem=ram name="dtb"\n')
    roms_on_virt(args, expected)


def test_virt_bios_and_loader():
    d = tempdir()
    os.chdir(d)
    elf = os.path.basename(arm_elf(d))
    write("blob.bin", b"\xa5" * 5000)
    args = ["-M", "virt", "-bios", "blob.bin", "-device",
            f"loader,file={elf}", "-device",
            "loader,file=blob.bin,addr=0x48000000", "-device",
            "loader,addr=0x48100000,data=5,data-len=4"]
    expected = (
        'virt.flash0 size=0x001388 name="blob.bin"\n'
        'addr=0000000000001000 size=0x000004 mem=ram '
        'name="prog.elf ELF program header segment 0"\n'
        'addr=0000000000002000 size=0x000110 mem=ram '
        'name="prog.elf ELF program header segment 1"\n'
        'addr=0000000000008000 size=0x000014 mem=ram '
        'name="prog.elf ELF program header segment 2"\n'
        'addr=0000000040000000 size=0x100000 mem=ram name="dtb"\n'
        'addr=0000000048000000 size=0x001388 mem=ram name="blob.bin"\n')
    roms_on_virt(args, expected)


def test_overlapping_images_refused():
    d = tempdir()
    os.chdir(d)
    write("blob.bin", b"\xa5" * 5000)
    args = ["-M", "virt", "-display", "none", "-S", "-monitor", "none",
            "-device", "loader,file=blob.bin,addr=0x41000000",
            "-device", "loader,file=blob.bin,addr=0x41001000"]
    expected = (
        "{}: Some ROM regions are overlapping\n"
        "These ROM regions might have been loaded by direct user request "
        "or by default.\n"
        "They could be BIOS/firmware images, a guest kernel, initrd or some "
        "other file loaded into guest memory.\n"
        "Check whether you intended to load all this guest code, and "
        "whether it has been built to load to the correct addresses.\n\n"
        "The following two regions overlap (in the cpu-memory-0 address "
        "space):\n"
        "  blob.bin (addresses 0x0000000041000000 - 0x0000000041001388)\n"
        "  blob.bin (addresses 0x0000000041001000 - 0x0000000041002388)\n")
    for program in emu_and_qemu("arm"):
        proc = subprocess.run([program] + args, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1, (program, proc.returncode)
        assert proc.stderr == expected.format(os.path.basename(program)), \
            (program, proc.stderr)


def acpi_sizes_hidden(text):
    return re.sub(r" size=0x[0-9a-f]+ (name=\"etc/)", r" size=S \1", text)


def bzimage(path):
    """The smallest image both loaders take as a bzImage: boot protocol
    2.15, loaded high, four setup sectors, a 64 KiB kernel."""
    setup = bytearray(5 * 512)
    setup[0x1f1] = 4                                  # setup_sects
    setup[0x1fe:0x200] = b"\x55\xaa"
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, 0x20f)       # version
    setup[0x211] = 0x01                               # LOADED_HIGH
    struct.pack_into("<I", setup, 0x22c, 0x37ffffff)  # initrd_addr_max
    struct.pack_into("<I", setup, 0x238, 2048)        # cmdline_size
    return write(path, bytes(setup) + b"\x90" * 65536)


def test_pc_bios_linuxboot_acpi():
    d = tempdir()
    os.chdir(d)
    bzimage("bzImage")
    args = ["-M", "pc", "-nic", "none", "-kernel", "bzImage"]
    rom = ("fw=genroms/linuxboot_dma.bin size=0x000600 "
           'name="linuxboot_dma.bin"\n'
           'addr=00000000fffc0000 size=0x040000 mem=rom '
           'name="bios-256k.bin"\n')
    ours = info_roms(binary("x86_64"), args)
    assert ours == rom + (
        '/rom@etc/acpi/tables size=0x020000 name="etc/acpi/tables"\n'
        '/rom@etc/table-loader size=0x001000 name="etc/table-loader"\n'
        '/rom@etc/acpi/rsdp size=0x000014 name="etc/acpi/rsdp"\n'), ours
    # Each ACPI blob's line but its size is QEMU's.
    program = qemu_binary("x86_64")
    if program:
        theirs = "".join(l for l in info_roms(program, args).splitlines(True)
                         if "kvmvapic" not in l)
        assert acpi_sizes_hidden(theirs) == acpi_sizes_hidden(ours), theirs


def test_pc_bios_path_microvm_ram():
    bios = "/usr/share/seabios/bios.bin"
    if not os.path.exists(bios):
        raise Skip(f"{bios} is missing (Debian's seabios)")
    ours = info_roms(binary("x86_64"), ["-M", "microvm", "-bios", bios])
    # microvm's firmware is RAM, the PC's ROM.
    assert ours == (f'addr=00000000fffe0000 size=0x020000 mem=ram '
                    f'name="{bios}"\n'), ours
    ours = info_roms(binary("x86_64"), ["-M", "pc", "-nic", "none",
                                        "-bios", bios])
    assert ours.startswith(f'addr=00000000fffe0000 size=0x020000 mem=rom '
                           f'name="{bios}"\n'), ours


# QEMU 7.2's lines, the hash-table ones left out (emu has no buckets).
JIT_LABELS = ["Translation buffer state:", "gen code size", "TB count",
              "TB avg target size", "TB avg host size", "cross page TB count",
              "direct jump count", "", "Statistics:", "TB flush count",
              "TB invalidate count", "TLB full flushes",
              "TLB partial flushes", "TLB elided flushes",
              "[TCG profiler not compiled]"]
JIT_LINE = re.compile(
    r"Translation buffer state:\n"
    r"gen code size       (\d+)/(\d+)\n"
    r"TB count            (\d+)\n"
    r"TB avg target size  (\d+) max=(\d+) bytes\n"
    r"TB avg host size    (\d+) bytes \(expansion ratio: \d+\.\d\)\n"
    r"cross page TB count (\d+) \(\d+%\)\n"
    r"direct jump count   (\d+) \(\d+%\) \(2 jumps=(\d+) \d+%\)\n"
    r"\n"
    r"Statistics:\n"
    r"TB flush count      0\n"
    r"TB invalidate count \d+\n"
    r"TLB full flushes    \d+\n"
    r"TLB partial flushes \d+\n"
    r"TLB elided flushes  \d+\n"
    r"\[TCG profiler not compiled\]\n\Z")


def jit_labels(text):
    return [re.sub(r" +\d.*$", "", l) for l in text.splitlines()
            if not l.startswith("TB hash")]


def test_info_jit_running_guest():
    guest = os.path.join(GUESTS, "gdbloop-thumb.elf")
    if not os.path.exists(guest):
        raise Skip(f"{guest} was not built (arm-none-eabi-gcc missing?)")
    args = ["-M", "none", "-cpu", "cortex-a15", "-m", "64M", "-display",
            "none", "-device", f"loader,file={guest},cpu-num=0"]
    mon = PipeMonitor(args + ["-S"])
    try:
        paused = mon.cmd("info jit")
        m = JIT_LINE.match(paused)
        assert m and int(m.group(3)) == 0, paused
        assert jit_labels(paused) == JIT_LABELS, jit_labels(paused)
        mon.cmd("cont")
        # Poll until a block with a direct jump has been translated: the
        # first block (the entry code) may end in an indirect branch, and
        # the direct jump count only grows once the loop's blocks are in.
        deadline = time.monotonic() + 30
        while True:
            text = mon.cmd("info jit")
            m = JIT_LINE.match(text)
            assert m, text
            if int(m.group(3)) > 0 and int(m.group(8)) > 0:
                break
            assert time.monotonic() < deadline, \
                f"no block with a direct jump within 30 s:\n{text}"
            time.sleep(0.1)
        used, capacity, tbs, avg, biggest, host, cross, jmp, jmp2 = \
            map(int, m.groups())
        # The loop and bump(): a few blocks of Thumb code, each ending in
        # a direct branch, a few instructions long.
        assert 0 < tbs < 100, text
        assert 0 < used < capacity and avg > 0 and biggest >= avg, text
        assert host > avg and jmp > 0 and jmp2 <= jmp <= tbs, text
    finally:
        status, _ = mon.quit()
    assert status == 0
    program = qemu_binary("arm")
    if program:
        answers, _ = monitor_script(program, args + ["-S"], ["info jit"])
        assert jit_labels(answers[0]) == JIT_LABELS, answers[0]


def test_info_jit_refused_under_kvm():
    need_kvm()
    answers, _ = monitor_script(binary("x86_64"),
                                ["-M", "pc", "-accel", "kvm", "-display",
                                 "none", "-nic", "none", "-S"], ["info jit"])
    assert answers[0] == ("Error: JIT information is only available with "
                          "accel=tcg\n"), answers


if __name__ == "__main__":
    main(globals())
