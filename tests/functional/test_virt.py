# The virt board (issue 9): the device tree against QEMU 7.2's for the
# same command line (with -kernel/-initrd/-append too), Debian's U-Boot
# (u-boot-qemu, qemu_arm) started from -bios, -dtb and uImage kernels,
# and the command lines the board refuses, with QEMU's messages.  Linux boots are in
# test_virt_linux.py and test_virt_virtio.py.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import struct
import subprocess

from armmp import (UIMAGE_BZIP2, UIMAGE_GZIP, UIMAGE_OS_U_BOOT,
                   UIMAGE_RAMDISK, armmp_kernel, busybox_initramfs, uimage)
from debian import package_root
from emutest import (BUILD_DIR, Skip, Stream, binary, main, monitor_script,
                     run_fails, tempdir)

TIMEOUT = 60
QEMU = shutil.which("qemu-system-arm")
# What QEMU's virt has that emu's leaves out (docs/boards/virt.md).
NOT_MODELLED = ("platform-bus@c000000",)


def need_dtc():
    if not shutil.which("dtc"):
        raise Skip("dtc is not installed (device-tree-compiler)")


def dump_dts(program, args, size=1 << 20):
    """The device tree PROGRAM gives the virt board with ARGS, as dtc
    prints it, without the nodes emu leaves out and the random seeds;
    its blob has SIZE bytes."""
    path = os.path.join(tempdir(), "virt.dtb")
    proc = subprocess.run([program, "-M", "virt,dumpdtb=" + path,
                           "-nographic"] + args, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    assert proc.stderr.endswith(f"info: dtb dumped to {path}. Exiting.\n"), \
        proc.stderr
    assert os.path.getsize(path) == size, os.path.getsize(path)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path],
                         capture_output=True, text=True, check=True).stdout
    kept, skipping = [], 0
    for line in dts.splitlines():
        name = re.match(r"\s*(\S+) \{$", line)
        if skipping:
            skipping += line.count("{") - line.count("}")
        elif name and name.group(1) in NOT_MODELLED:
            skipping = 1
        elif line and not re.match(r"\s*(rng-seed|kaslr-seed) = ", line):
            kept.append(line)
    return "\n".join(kept)


def check_dtb(args, size=1 << 20):
    need_dtc()
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    ours = dump_dts(binary("arm"), args, size)
    theirs = dump_dts(QEMU, args, size)
    assert ours == theirs, "\n".join(
        l for l in __import__("difflib").unified_diff(
            theirs.splitlines(), ours.splitlines(), "qemu", "emu",
            lineterm=""))


def test_dtb_default():
    check_dtb([])


def test_dtb_cortex_a7_512m():
    check_dtb(["-cpu", "cortex-a7", "-m", "512M"])


def test_dtb_smp():
    # PSCI's node and the CPUs' enable-method, the timer's CPU mask.
    check_dtb(["-smp", "2"])
    check_dtb(["-smp", "8", "-cpu", "cortex-a7"])


def test_dtb_pcie_placement():
    # The PCIe host's ECAM and 64-bit window: both above 4 GiB by
    # default, the ECAM low under firmware (-bios, a first flash
    # drive), both low with highmem=off.
    d = tempdir()
    bios = os.path.join(d, "bios.bin")
    flash = os.path.join(d, "flash.bin")
    with open(bios, "wb") as f:
        f.write(b"\0" * 4096)
    with open(flash, "wb") as f:
        f.truncate(64 << 20)
    check_dtb(["-bios", bios])
    check_dtb(["-drive", f"if=pflash,format=raw,unit=0,file={flash}"])
    check_dtb(["-drive", f"if=pflash,format=raw,unit=1,file={flash}"])
    check_dtb(["-M", "virt,highmem=off", "-m", "3G"])
    check_dtb(["-M", "virt,highmem=off", "-bios", bios])


def test_dtb_seeds_change():
    need_dtc()
    path = os.path.join(tempdir(), "virt.dtb")
    seeds = []
    for _ in range(2):
        subprocess.run([binary("arm"), "-M", "virt,dumpdtb=" + path],
                       capture_output=True, check=True, timeout=TIMEOUT)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path],
                             capture_output=True, text=True,
                             check=True).stdout
        seeds.append(re.findall(r"(?:rng|kaslr)-seed = <([^>]*)>", dts))
    assert len(seeds[0]) == 2 and seeds[0] != seeds[1], seeds


def uboot():
    root = package_root("u-boot-qemu")
    return os.path.join(root, "usr", "lib", "u-boot", "qemu_arm",
                        "u-boot.bin")


class UBoot:
    """Debian's U-Boot on PROGRAM's virt board, at its prompt."""

    def __init__(self, program, args=()):
        # Without the default network card, whose network boot the boot
        # command would try first.
        nic = ["-nic", "none"]
        self.proc = subprocess.Popen(
            [program, "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-bios", uboot()] + nic +
            list(args),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.out = Stream(self.proc.stdout.fileno(), drop_cr=True)
        # The boot command finds nothing to boot and gives up.
        self.boot = self.out.read_until("\n=> ", TIMEOUT)

    def cmd(self, line):
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()
        text = self.out.read_until("\n=> ", TIMEOUT)
        echo, _, rest = text.partition("\n")
        assert echo == line, (echo, line)
        return rest[:-len("=> ")]

    def close(self):
        self.proc.kill()
        self.proc.wait()


# Where the boards differ: QEMU's has a platform bus (more devices, more
# early malloc).
UBOOT_DIFFERENCES = re.compile(r"^(Early malloc usage).*\n", re.M)
SEEDS = re.compile(r"(rng|kaslr)-seed = <[^>]*>")


def uboot_session(program):
    uboot_run = UBoot(program)
    try:
        lines = []
        # flinfo: the flash banks as U-Boot's CFI driver finds them.
        for cmd in ("version", "bdinfo", "flinfo",
                    "fdt addr $fdtcontroladdr; fdt print /chosen",
                    "fdt print /memory@40000000"):
            lines.append(uboot_run.cmd(cmd))
    finally:
        uboot_run.close()
    return SEEDS.sub("seed", UBOOT_DIFFERENCES.sub("", "".join(lines)))


def test_uboot_prompt():
    # Its boot to the prompt (the boot command finds nothing to boot),
    # then commands that show what it found: the device tree at the
    # start of RAM, the RAM, the console; the same answers as on QEMU.
    uboot_run = UBoot(binary("arm"))
    uboot_run.close()
    for line in ("\nU-Boot 2023.01", "\nDRAM:  256 MiB\n",
                 "\nIn:    pl011@9000000\n", "\nHit any key to stop autoboot"):
        assert line in uboot_run.boot, (line, uboot_run.boot)
    ours = uboot_session(binary("arm"))
    assert 'stdout-path = "/pl011@9000000";' in ours, ours
    assert "-> size     = 0x10000000\n" in ours, ours
    if QEMU:
        theirs = uboot_session(QEMU)
        assert ours == theirs, "\n".join(__import__("difflib").unified_diff(
            theirs.splitlines(), ours.splitlines(), "qemu", "emu",
            lineterm=""))


def mbr_disk():
    """An 8 MiB raw disk with an MBR: a Linux partition at sector 2048
    (1 MiB) and a FAT32 one at 4096 (2 MiB), disk signature 0x12345678."""
    path = os.path.join(tempdir(), "mbr.raw")
    mbr = bytearray(512)
    mbr[440:444] = (0x12345678).to_bytes(4, "little")
    for i, (kind, start, size) in enumerate(((0x83, 2048, 2048),
                                             (0x0c, 4096, 4096))):
        entry = 446 + 16 * i
        mbr[entry + 4] = kind
        mbr[entry + 8:entry + 12] = start.to_bytes(4, "little")
        mbr[entry + 12:entry + 16] = size.to_bytes(4, "little")
    mbr[510:512] = b"\x55\xaa"
    with open(path, "wb") as f:
        f.write(mbr)
        f.truncate(8 << 20)
    return path


def test_uboot_virtio_disk():
    # A virtio-blk disk on a virtio-mmio transport and one on the PCIe
    # bus (if=virtio): U-Boot's virtio scan finds it and part list shows
    # its MBR partitions, as on QEMU.
    disk = mbr_disk()
    for args in (["-drive", f"if=none,id=d,format=raw,file={disk}",
                  "-device", "virtio-blk-device,drive=d"],
                 ["-drive", f"if=virtio,format=raw,file={disk}"]):
        outputs = []
        for program in (binary("arm"),) + ((QEMU,) if QEMU else ()):
            uboot_run = UBoot(program, args)
            try:
                outputs.append(uboot_run.cmd("virtio scan") +
                               uboot_run.cmd("part list virtio 0"))
            finally:
                uboot_run.close()
        assert "  1\t2048      \t2048      \t12345678-01\t83\n" in \
            outputs[0], (args, outputs[0])
        assert "  2\t4096      \t4096      \t12345678-02\t0c\n" in \
            outputs[0], (args, outputs[0])
        assert outputs[0] == outputs[-1], (args, outputs)


def test_info_pic_as_qemu():
    # QEMU's GICv2 keeps no interrupt statistics: info pic prints
    # nothing on virt, on both.
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    args = ["-M", "virt", "-S", "-display", "none", "-serial", "none"]
    ours, theirs = (monitor_script(program, args, ["info pic"])[0]
                    for program in (binary("arm"), QEMU))
    assert ours == theirs == [""], (ours, theirs)


def test_uboot_reads_fw_cfg():
    # U-Boot finds fw_cfg through the device tree node and reads the CPU
    # count with its DMA interface, as on QEMU.
    for program in (binary("arm"),) + ((QEMU,) if QEMU else ()):
        uboot_run = UBoot(program, ["-smp", "2"])
        try:
            assert uboot_run.cmd("qfw cpus") == "2 cpu(s) online\n", program
        finally:
            uboot_run.close()


# ---- Linux ----

def test_dtb_kernel_boot():
    # /chosen with -append and -initrd, the tree QEMU hands the kernel.
    check_dtb(["-m", "256M", "-kernel", armmp_kernel(), "-initrd",
               busybox_initramfs(), "-append", "console=ttyAMA0 quiet"])


# ---- -dtb ----

def compile_dts(name, source):
    need_dtc()
    path = os.path.join(tempdir(), name + ".dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"],
                   input=source, text=True, check=True)
    return path


# A board's tree with RAM nodes that are not the machine's and a psci
# node with other function numbers: the boot replaces both.
USER_DTS = """/dts-v1/;
/ {
    #address-cells = <1>;
    #size-cells = <1>;
    model = "emu user tree";
    compatible = "linux,dummy-virt";
    memory { device_type = "memory"; reg = <0x0 0x1000>; };
    memory@80000000 { device_type = "memory"; reg = <0x80000000 0x1000>; };
    psci { compatible = "arm,psci"; method = "smc"; cpu_on = <0x95c1ba60>; };
    pl011@9000000 { compatible = "arm,pl011", "arm,primecell";
                    reg = <0x9000000 0x1000>; };
};
"""


def test_dtb_user_tree():
    # The user's tree goes to the kernel, not the board's: grown as QEMU
    # grows it, its memory nodes and psci node replaced, /chosen added
    # with -append and the initrd; the same tree as QEMU's.  Without
    # -kernel, firmware finds it at the start of RAM the same way.
    path = compile_dts("user", USER_DTS)
    size = (os.path.getsize(path) + 10000) * 2
    kernel = os.path.join(tempdir(), "zImage")
    with open(kernel, "wb") as f:
        f.write(b"\0" * 4096)
    check_dtb(["-m", "256M", "-dtb", path, "-kernel", kernel, "-initrd",
               kernel, "-append", "console=ttyAMA0 root=/dev/vda"], size)
    check_dtb(["-m", "512M", "-machine", "dtb=" + path], size)
    dts = dump_dts(binary("arm"), ["-dtb", path], size)
    assert 'model = "emu user tree";' in dts, dts
    assert "memory@40000000 {\n\t\treg = <0x40000000 0x8000000>;" in dts, dts
    assert "memory@80000000" not in dts and "0x95c1ba60" not in dts, dts


def test_dtb_refused():
    path = os.path.join(tempdir(), "not.dtb")
    with open(path, "wb") as f:
        f.write(b"not a device tree\n" * 10)
    err = run_fails(["-M", "virt", "-dtb", path])
    assert err == f"emu-system-arm: dtb file '{path}' is not a valid " \
                  "device tree: FDT_ERR_BADMAGIC\n", err
    err = run_fails(["-M", "virt", "-dtb", "/nonexistent/x.dtb"])
    assert err == "emu-system-arm: could not load dtb '/nonexistent/x.dtb'" \
                  ": No such file or directory\n", err
    # A truncated blob: its header says more than the file has.
    whole = compile_dts("whole", USER_DTS)
    with open(whole, "rb") as f:
        blob = f.read()
    with open(path, "wb") as f:
        f.write(blob[:len(blob) // 2])
    err = run_fails(["-M", "virt", "-dtb", path])
    assert "is not a valid device tree: FDT_ERR_TRUNCATED" in err, err
    # 1-cell sizes cannot say 4 GiB of RAM.
    err = run_fails(["-M", "virt", "-m", "4G", "-dtb", whole])
    assert err == f"emu-system-arm: dtb file '{whole}' not compatible " \
                  "with RAM size > 4GB\n", err
    err = run_fails(["-M", "connex", "-dtb", whole])
    assert err == f"emu-system-arm: -dtb {whole}: machine 'connex' does " \
                  "not take a device tree\n", err


# ---- uImage ----

# Bare-metal code that prints "uImage entered\n" on the PL011, after a
# word that must not run (the entry point is past it).
def uart_program(text):
    words = [0xe7f000f0,                  # udf: not the entry
             0xe3000000, 0xe3400900]      # movw/movt r0, 0x09000000
    for ch in text.encode():
        words += [0xe3a01000 | ch,        # mov r1, #ch
                  0xe5801000]             # str r1, [r0]
    words.append(0xeafffffe)              # b .
    return struct.pack("<%dI" % len(words), *words)


def run_uimage(image):
    path = os.path.join(tempdir(), "uImage")
    with open(path, "wb") as f:
        f.write(image)
    return path


def test_uimage_entry():
    # A gzip-compressed uImage of another OS than Linux: its payload at
    # its load address, entered at its entry point with no Linux stub.
    text = "uImage entered\n"
    path = run_uimage(uimage(uart_program(text), 0x40200000, 0x40200004,
                             os_type=UIMAGE_OS_U_BOOT, comp=UIMAGE_GZIP))
    proc = subprocess.Popen([binary("arm"), "-M", "virt", "-display", "none",
                             "-monitor", "none", "-serial", "stdio",
                             "-kernel", path], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        out = Stream(proc.stdout.fileno()).read_until(text, TIMEOUT)
        assert out == text, out
    finally:
        proc.kill()
        proc.wait()


def test_uimage_refused():
    code = uart_program("x")
    for image, message in (
            (uimage(code, 0x40200000, 0x40200000)[:80],
             "is truncated: its header says 24 bytes of data, the file "
             "has 16"),
            (uimage(code, 0x40200000, 0x40200000, comp=UIMAGE_BZIP2),
             "has compression type 2: only none (0) and gzip (1) are "
             "supported"),
            (uimage(code, 0x40200000, 0x40200000, image_type=UIMAGE_RAMDISK),
             "has type 3, not a kernel (2) or a kernel_noload (14)"),
            (uimage(code, 0x10000, 0x10000),
             "loads 24 bytes at 0x10000, outside RAM [0x40000000, "
             "0x48000000)")):
        path = run_uimage(image)
        err = run_fails(["-M", "virt", "-kernel", path])
        assert message in err and path in err, (message, err)
    # A gzip stream cut short.
    image = uimage(code * 64, 0x40200000, 0x40200000, comp=UIMAGE_GZIP)
    header = bytearray(image[:64])
    header[12:16] = struct.pack(">I", len(image) - 64 - 20)
    path = run_uimage(bytes(header) + image[64:-20])
    err = run_fails(["-M", "virt", "-kernel", path])
    assert "the gzip data is corrupt" in err, err


def elf_guest(name):
    path = os.path.join(BUILD_DIR, "tests", "guests", "arm", name + ".elf")
    if not os.path.exists(path):
        raise Skip(f"{path} was not built (arm-none-eabi-gcc missing?)")
    return path


def test_elf_kernel():
    # tests/guests/arm/virt-elf.c, ARM and Thumb (entry point with bit 0
    # set): entered at the ELF's entry, its .data and .bss in place, the
    # device tree at the start of RAM below it; it resets the machine
    # through PSCI once (the segments are put back, .bss zeroed again)
    # and powers it off.  The same bytes as QEMU's, which exits 0 too.
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    for name, entry in (("virt-elf", "40100000"),
                        ("virt-elf-thumb", "40100001")):
        line = (f"virt-elf: entry {entry} data 12345678 bss 00000000 "
                "dtb d00dfeed boot ")
        # ID_PFR1: no Security or Virtualization Extensions, as QEMU's
        # virt without secure=on and virtualization=on
        expected = (line + "00000001 id_pfr1 00010001\n" + line +
                    "00000002 id_pfr1 00010001\n").encode()
        for program in (binary("arm"), QEMU):
            proc = subprocess.run([program, "-M", "virt", "-nographic",
                                   "-kernel", elf_guest(name)],
                                  stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=TIMEOUT)
            assert (proc.returncode, proc.stdout) == (0, expected), \
                (program, name, proc.returncode, proc.stdout, proc.stderr)
    # info roms names the segments (and the tree below them) as QEMU,
    # whose fw_cfg files (ACPI tables) emu does not have.
    args = ["-M", "virt", "-S", "-display", "none", "-serial", "null",
            "-kernel", elf_guest("virt-elf")]
    ours, theirs = (
        [line for line in monitor_script(program, args, ["info roms"])[0][0]
         .splitlines() if line.startswith("addr=")]
        for program in (binary("arm"), QEMU))
    assert ours == theirs and len(ours) == 3, (ours, theirs)


# QEMU's fw_cfg files that emu's virt leaves out: the ACPI tables, which
# nothing on a 32-bit ARM guest reads (docs/boards/virt.md).
FW_CFG_NOT_MODELLED = ("etc/acpi/rsdp", "etc/acpi/tables", "etc/table-loader",
                       "etc/tpm/log")
FW_CFG_FILE = re.compile(r"^(\S+) size ([0-9a-f]{8}) select [0-9a-f]{8}$")


def fw_cfg_contents(program, args):
    """What tests/guests/arm/virt-fw-cfg.c reads from PROGRAM's fw_cfg,
    run as firmware (-bios, so that -kernel in ARGS goes to fw_cfg):
    the items' lines, and each file's name, size and bytes apart (the
    selectors depend on which files there are)."""
    proc = subprocess.run(
        [program, "-M", "virt", "-nographic", "-bios",
         os.path.join(os.path.dirname(elf_guest("virt-fw-cfg")),
                      "virt-fw-cfg-rom.bin"),
         "-device", "loader,file=%s,cpu-num=0" % elf_guest("virt-fw-cfg")] +
        args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT)
    assert proc.returncode == 0, (program, proc.returncode, proc.stderr)
    items, files, name = [], {}, None
    for line in proc.stdout.splitlines():
        header = FW_CFG_FILE.match(line)
        if header:
            name = header.group(1)
            files[name] = [header.group(2)]
        elif name:
            files[name].append(line)
        elif not line.startswith("files: "):
            items.append(line)
    return items, files


def test_fw_cfg_as_qemu():
    # A guest reads every item firmware reads and every file, with
    # -smbios, -kernel, -initrd and -append given to the firmware, SMP,
    # more RAM, a UUID and boot options: the same bytes as QEMU's, but
    # for the ACPI files, which emu leaves out.
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    initrd = os.path.join(tempdir(), "initrd")
    with open(initrd, "wb") as f:
        f.write(bytes(range(256)) * 3)
    for args in (["-smbios", "type=1,product=Product,serial=S1",
                  "-smbios", "type=11,value=hello"],
                 ["-kernel", elf_guest("virt-elf"), "-initrd", initrd,
                  "-append", "console=ttyAMA0 quiet"],
                 ["-smp", "4,sockets=2,cores=2", "-m", "1G",
                  "-uuid", "12345678-9abc-def0-1234-56789abcdef0",
                  "-boot", "reboot-timeout=1000,splash-time=300,menu=on",
                  "-kernel", elf_guest("virt-elf")]):
        ours = fw_cfg_contents(binary("arm"), args)
        items, files = fw_cfg_contents(QEMU, args)
        for name in FW_CFG_NOT_MODELLED:
            del files[name]
        assert ours == (items, files), (args, ours, (items, files))
    # The kernel (virt-elf.elf) and the initrd as they are, the command
    # line with its NUL; SMBIOS 3.0 ("_SM3_").
    items, files = ours
    assert "kernel_size: " in items[6] and "cmdline_size: 01000000" in \
        items, items
    assert sorted(files) == ["bios-geometry", "bootorder",
                             "etc/boot-fail-wait", "etc/boot-menu-wait",
                             "etc/smbios/smbios-anchor",
                             "etc/smbios/smbios-tables"], files
    assert files["etc/smbios/smbios-anchor"][1].startswith("5f534d335f"), \
        files
    assert files["etc/boot-fail-wait"][1:] == ["e8030000"], files


def test_exclusives_raced_by_two_cpus():
    # tests/guests/arm/virt-smp-exclusive.c: CPU 0 starts CPU 1 through
    # PSCI, both add 1 to a shared word with LDREX/STREX a million
    # times, then to a doubleword with LDREXD/STREXD; no increment is
    # lost, though the vCPUs run on two host threads at once.
    expected = (b"virt-smp-exclusive: cpu_on 00000000\n"
                b"word 001e8480 dword 00000000001e8480\n")
    for program in (binary("arm"),) + ((QEMU,) if QEMU else ()):
        proc = subprocess.run([program, "-M", "virt", "-smp", "2",
                               "-nographic", "-kernel",
                               elf_guest("virt-smp-exclusive")],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TIMEOUT)
        assert (proc.returncode, proc.stdout) == (0, expected), \
            (program, proc.returncode, proc.stdout, proc.stderr)


def test_flash_device_width():
    # tests/guests/arm/virt-flash.c on the second flash bank: two x16
    # parts side by side answer the query, identifier and status reads
    # in both halves of the word, program and erase as QEMU's do; the
    # file holds the same bytes afterwards.
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    outputs = []
    for program in (binary("arm"), QEMU):
        path = os.path.join(tempdir(), "flash1.bin")
        with open(path, "wb") as f:
            f.write(b"\xff" * (64 << 20))
        proc = subprocess.run([program, "-M", "virt", "-nographic",
                               "-kernel", elf_guest("virt-flash"),
                               "-drive", f"if=pflash,unit=1,format=raw,"
                               f"file={path}"],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=TIMEOUT)
        assert proc.returncode == 0, (program, proc.stderr)
        with open(path, "rb") as f:
            f.seek(0)
            block = f.read(0x110)
        outputs.append((proc.stdout.splitlines(), block))
    (ours, our_file), (theirs, their_file) = outputs
    for line in ("query 0040=00510051", "query 009c=00190019",
                 "query 00a8=000b000b", "query16 0042=0051",
                 "ident 0004=00180018", "status 0000=00800080",
                 "array 010c=a0b0c0d3"):
        assert line in ours, (line, ours)
    assert ours[:-2] == theirs[:-2], (ours, theirs)
    assert our_file == their_file == b"\xff" * 0x110
    # After an erase setup and a wrong confirm the parts say "improper
    # command sequence" (SR4 and SR5) until a clear status, and SR7
    # (ready) stays set, as Intel's parts do; QEMU goes back to read array
    # and clears SR7 (docs/boards/virt.md).
    assert ours[-2:] == ["bad-sequence 0000=00b000b0",
                         "cleared 0000=00800080"], ours


def test_elf_kernel_refused():
    elf = elf_guest("virt-elf")
    low = elf_guest("newlib-exit")   # linked at 0x8000, in flash on virt
    truncated = os.path.join(tempdir(), "truncated.elf")
    with open(elf, "rb") as src, open(truncated, "wb") as dst:
        dst.write(src.read(100))
    for args, message in (
            (["-kernel", low], f"could not load kernel '{low}': its segment "
             "at 0x8000 (N bytes) is outside RAM [0x40000000, "
             "0x48000000)"),
            (["-kernel", "/bin/true"], "could not load kernel '/bin/true': "
             "it is a 64-bit ELF file for machine 62, not for 32-bit ARM "
             "(40)"),
            (["-kernel", elf, "-initrd", elf], "-initrd needs a Linux "
             f"kernel: '{elf}' is an ELF image"),
            (["-kernel", truncated], f"'{truncated}': program headers "
             "outside the file")):
        err = run_fails(["-M", "virt"] + args)
        # (the segment's size is newlib's business)
        err = re.sub(r"\(\d+ bytes\)", "(N bytes)", err)
        assert err == f"emu-system-arm: {message}\n", err


def test_pl061_and_power_key():
    # The PL061's ID and control registers as QEMU's, and the power key
    # on its line 3: system_powerdown drives it high (read through the
    # data register's address mask: line 3 alone, then all eight lines)
    # and, with no edge or level configured, raises no interrupt.  The
    # machine is stopped: the key stays down (100 ms of virtual time).
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    commands = ["xp /12wx 0x9030fd0", "xp /8wx 0x9030400",
                "xp /1wx 0x9030020", "system_powerdown",
                "xp /1wx 0x9030020", "xp /1wx 0x90303fc",
                "xp /1wx 0x9030414"]
    args = ["-M", "virt", "-S", "-display", "none", "-serial", "null"]
    ours, _ = monitor_script(binary("arm"), args, commands)
    theirs, _ = monitor_script(QEMU, args, commands)
    assert ours == theirs, (ours, theirs)
    assert ours[4] == "0000000009030020: 0x00000008\n", ours


# ---- refused command lines ----

def test_cpu_not_supported():
    err = run_fails(["-M", "virt", "-cpu", "cortex-a9"])
    assert err == "emu-system-arm: mach-virt: CPU type cortex-a9-arm-cpu " \
                  "not supported\n", err


def test_bios_and_pflash():
    path = os.path.join(tempdir(), "flash0.img")
    with open(path, "wb") as f:
        f.truncate(64 << 20)
    err = run_fails(["-M", "virt", "-bios", path, "-drive",
                     f"if=pflash,format=raw,file={path}"])
    assert "you cannot use both options at once" in err, err


def test_bios_missing():
    err = run_fails(["-M", "virt", "-bios", "/nonexistent/u-boot.bin"])
    assert "/nonexistent/u-boot.bin" in err, err


def test_initrd_without_room():
    path = os.path.join(tempdir(), "big-initrd")
    with open(path, "wb") as f:
        f.truncate(200 << 20)
    kernel = os.path.join(tempdir(), "zImage")
    with open(kernel, "wb") as f:
        f.write(b"\0" * 4096)
    err = run_fails(["-M", "virt", "-m", "256M", "-kernel", kernel,
                     "-initrd", path])
    assert f"could not load initrd '{path}'" in err, err


def test_too_many_cpus():
    # The GICv2's eight CPU interfaces, QEMU's message.
    for smp in ("9", "2,maxcpus=9"):
        err = run_fails(["-M", "virt", "-smp", smp])
        assert err == "emu-system-arm: Number of SMP CPUs requested (9) " \
                      "exceeds max CPUs supported by machine 'mach-virt' " \
                      "(8)\n", err


def test_too_much_ram():
    err = run_fails(["-M", "virt", "-m", "256G"])
    assert "mach-virt: cannot model more than 255GB RAM" in err, err


def test_highmem_off_ram_limit():
    # RAM must end below 4 GiB: QEMU's message, its empty line included.
    args = ["-M", "virt,highmem=off", "-m", "4G", "-display", "none"]
    err = run_fails(args)
    assert err == ("emu-system-arm: Addressing limited to 32 bits, but "
                   "memory exceeds it by 1073741824 bytes\n\n"), err
    if QEMU:
        proc = subprocess.run([QEMU] + args, capture_output=True, text=True,
                              timeout=TIMEOUT)
        assert proc.stderr.replace("qemu-", "emu-") == err, proc.stderr


if __name__ == "__main__":
    main(globals())
