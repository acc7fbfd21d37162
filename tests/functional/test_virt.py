# The virt board (issue 9): the device tree against QEMU 7.2's for the
# same command line, Debian's U-Boot (u-boot-qemu, qemu_arm) started from
# -bios, Debian's armmp kernel (linux-image-*-armmp, armhf) booted with
# -kernel/-initrd/-append to a busybox shell (busybox-static, armhf) in
# an initramfs built here, and the command lines the board refuses, with
# QEMU's messages.
# SPDX-License-Identifier: GPL-2.0-or-later
import glob
import gzip
import os
import re
import shutil
import subprocess

from debian import depends, package_root
from emutest import Skip, Stream, binary, main, run_fails, tempdir

TIMEOUT = 60
QEMU = shutil.which("qemu-system-arm")
# What QEMU's virt has that emu's leaves out (docs/boards/virt.md).
NOT_MODELLED = ("platform-bus@c000000", "fw-cfg@9020000",
                "gpio-keys", "pl061@9030000", "pcie@10000000",
                "v2m@8020000")


def need_dtc():
    if not shutil.which("dtc"):
        raise Skip("dtc is not installed (device-tree-compiler)")


def dump_dts(program, args):
    """The device tree PROGRAM gives the virt board with ARGS, as dtc
    prints it, without the nodes emu leaves out and the random seeds."""
    path = os.path.join(tempdir(), "virt.dtb")
    proc = subprocess.run([program, "-M", "virt,dumpdtb=" + path,
                           "-nographic"] + args, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    assert proc.stderr.endswith(f"info: dtb dumped to {path}. Exiting.\n"), \
        proc.stderr
    assert os.path.getsize(path) == 1 << 20
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


def check_dtb(args):
    need_dtc()
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    ours = dump_dts(binary("arm"), args)
    theirs = dump_dts(QEMU, args)
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

    def __init__(self, program):
        # QEMU's board has a PCI network card unless told otherwise;
        # emu's has no PCI, so no card either.
        nic = ["-nic", "none"] if program == QEMU else []
        self.proc = subprocess.Popen(
            [program, "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-bios", uboot()] + nic,
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


# Where the boards differ: QEMU's has PCI (more devices, more early
# malloc) and builds each flash bank from two 16-bit parts, which U-Boot
# sizes differently.
UBOOT_DIFFERENCES = re.compile(r"^(flashsize|Early malloc usage).*\n", re.M)
SEEDS = re.compile(r"(rng|kaslr)-seed = <[^>]*>")


def uboot_session(program):
    uboot_run = UBoot(program)
    try:
        lines = []
        for cmd in ("version", "bdinfo",
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


# ---- Linux ----

def armmp_kernel():
    root = package_root(depends("linux-image-armmp:armhf",
                                r"linux-image-[0-9.-]+-armmp"))
    kernels = glob.glob(os.path.join(root, "boot", "vmlinuz-*-armmp"))
    assert len(kernels) == 1, kernels
    return kernels[0]


def cpio_newc(entries):
    """A cpio archive in the "newc" format the kernel unpacks: entries
    are (name, mode, data)."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0,
                                                         b"")], 1):
        encoded = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0,
                  len(encoded), 0]
        out += b"070701" + b"".join(b"%08X" % f for f in fields) + encoded
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


INIT = b"""#!/bin/busybox sh
/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin /proc
/bin/busybox --install -s
mount -t proc proc /proc
echo "emu-init: $(uname -m)"
exec sh
"""


# With busybox's init as PID 1, whose `poweroff` powers the machine off
# (a shell as PID 1 ignores the request).
INIT_WITH_INIT = b"""#!/bin/busybox sh
/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin /proc /sys /etc /dev
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
echo "::respawn:-/bin/sh" > /etc/inittab
@MODULES@echo "emu-init: $(uname -m)"
exec init
"""


# The kernel's drivers for emu's virtio devices (modules in Debian's
# armmp build), which the init script loads from /modules in this order.
VIRTIO_MODULES = ("drivers/virtio/virtio_mmio.ko",
                  "drivers/block/virtio_blk.ko",
                  "drivers/char/hw_random/virtio-rng.ko",
                  "drivers/char/virtio_console.ko")
INSMOD_VIRTIO = b"for m in " + b" ".join(
    os.path.basename(m).encode() for m in VIRTIO_MODULES) + \
    b"; do insmod /modules/$m; done\n"


def busybox_initramfs(init=INIT, modules=()):
    """An initramfs whose /init is the busybox shell script INIT, with
    the armmp kernel's MODULES (paths under kernel/) in /modules."""
    root = package_root("busybox-static:armhf")
    with open(os.path.join(root, "bin", "busybox"), "rb") as f:
        busybox = f.read()
    entries = [("bin", 0o40755, b""), ("bin/busybox", 0o100755, busybox),
               ("init", 0o100755, init)]
    if modules:
        kernel_dir = os.path.dirname(os.path.dirname(armmp_kernel()))
        found = glob.glob(os.path.join(kernel_dir, "lib", "modules", "*",
                                       "kernel"))
        assert len(found) == 1, found
        entries.append(("modules", 0o40755, b""))
        for module in modules:
            with open(os.path.join(found[0], module), "rb") as f:
                entries.append(("modules/" + os.path.basename(module),
                                0o100644, f.read()))
    path = os.path.join(tempdir(), "initrd.gz")
    with gzip.open(path, "wb") as f:
        f.write(cpio_newc(entries))
    return path


class Linux:
    """Debian's armmp kernel on emu's virt board with the busybox
    initramfs built from INIT and ARGS, its console on stdio: boot is
    what it printed up to the init script's first line."""

    def __init__(self, args=(), init=INIT, modules=()):
        self.proc = subprocess.Popen(
            [binary("arm"), "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-kernel",
             armmp_kernel(), "-initrd", busybox_initramfs(init, modules),
             "-append", "console=ttyAMA0"] + list(args),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.out = Stream(self.proc.stdout.fileno(), drop_cr=True)
        self.boot = self.out.read_until("emu-init: armv7l\n", 240)

    def type(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def close(self):
        self.proc.kill()
        self.proc.wait()


def test_dtb_kernel_boot():
    # /chosen with -append and -initrd, the tree QEMU hands the kernel.
    check_dtb(["-m", "256M", "-kernel", armmp_kernel(), "-initrd",
               busybox_initramfs(), "-append", "console=ttyAMA0 quiet"])


def test_linux_busybox():
    linux = Linux()
    try:
        # The device tree reached the kernel, the generic timer ticks
        # through the GIC, the PL011 is the console.
        for line in ("OF: fdt: Machine model: linux,dummy-virt",
                     "arch_timer: cp15 timer(s) running at 62.50MHz (virt).",
                     "9000000.pl011: ttyAMA0 at MMIO 0x9000000 (irq = ",
                     "Run /init as init process"):
            assert line in linux.boot, (line, linux.boot)
        linux.out.read_until("# ", 60)
        # Typed input through the UART's receive interrupt.
        linux.type("echo typed-$((6*7)); cat /proc/cmdline")
        linux.out.read_until("typed-42\nconsole=ttyAMA0\n", 60)
    finally:
        linux.close()


def test_linux_smp_psci():
    # The kernel finds PSCI in the device tree (the same lines as on
    # QEMU), starts the second core with CPU_ON, takes it down and up
    # again (CPU_OFF, AFFINITY_INFO, CPU_ON), and busybox's poweroff ends
    # emu through SYSTEM_OFF with status 0.
    linux = Linux(["-smp", "2"], INIT_WITH_INIT.replace(b"@MODULES@", b""))
    try:
        for line in ("psci: PSCIv1.1 detected in firmware.",
                     "psci: Using standard PSCI v0.2 function IDs",
                     "psci: Trusted OS migration not required",
                     "CPU1: thread -1, cpu 1, socket 0, mpidr 80000001",
                     "smp: Brought up 1 node, 2 CPUs"):
            assert line in linux.boot, (line, linux.boot)
        linux.out.read_until("# ", 60)
        linux.type("echo cpus=$(grep -c ^processor /proc/cpuinfo)")
        linux.out.read_until("cpus=2\n", 60)
        linux.type("echo 0 > /sys/devices/system/cpu/cpu1/online; "
                   "echo off=$(cat /sys/devices/system/cpu/online)")
        linux.out.read_until("off=0\n", 60)
        linux.type("echo 1 > /sys/devices/system/cpu/cpu1/online; "
                   "echo on=$(cat /sys/devices/system/cpu/online)")
        linux.out.read_until("on=0-1\n", 60)
        linux.type("poweroff")
        rest = linux.out.read_until("reboot: Power down\n", 60)
        assert "Requesting system poweroff" in rest, rest
        assert linux.proc.wait(60) == 0
    finally:
        linux.close()


# ---- virtio ----

QEMU_IMG = shutil.which("qemu-img")


def linux_with_virtio(args):
    """Debian's kernel with its virtio drivers loaded and busybox's init,
    at the shell prompt."""
    linux = Linux(args, INIT_WITH_INIT.replace(b"@MODULES@", INSMOD_VIRTIO),
                  VIRTIO_MODULES)
    linux.out.read_until("# ", 60)
    return linux


def poweroff(linux):
    linux.type("poweroff")
    linux.out.read_until("reboot: Power down\n", 60)
    assert linux.proc.wait(60) == 0


def disk_image(name, fmt, data):
    """A 16 MiB image made by qemu-img in format FMT whose first bytes
    are DATA."""
    if not QEMU_IMG:
        raise Skip("qemu-img is not installed")
    raw = os.path.join(tempdir(), name + ".raw")
    with open(raw, "wb") as f:
        f.write(data)
        f.truncate(16 << 20)
    if fmt == "raw":
        return raw
    path = os.path.join(tempdir(), name + "." + fmt)
    subprocess.run([QEMU_IMG, "convert", "-f", "raw", "-O", fmt, raw, path],
                   check=True, capture_output=True)
    return path


def image_bytes(path, fmt, offset, length):
    """What qemu-img reads at OFFSET of the image."""
    raw = path + ".check.raw"
    subprocess.run([QEMU_IMG, "convert", "-f", fmt, "-O", "raw", path, raw],
                   check=True, capture_output=True)
    with open(raw, "rb") as f:
        f.seek(offset)
        return f.read(length)


# The guest's side of the disk test: reads what the host wrote, writes
# a sector at 1 MiB and 64 KiB of a pattern at 2 MiB (a request of many
# descriptors), reads them back through the device (the page cache
# dropped), and flushes.
DISK_COMMANDS = (
    "head -c 15 /dev/{dev}; echo",
    "echo written-by-guest | dd of=/dev/{dev} bs=512 seek=2048 conv=sync "
    "2>/dev/null",
    "yes emu | head -c 65536 | dd of=/dev/{dev} bs=65536 seek=32 "
    "2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches",
    "echo sum=$(dd if=/dev/{dev} bs=65536 skip=32 count=1 2>/dev/null | "
    "md5sum)",
)
PATTERN_SUM = __import__("hashlib").md5(b"emu\n" * 16384).hexdigest()


def guest_disk_session(linux, dev):
    linux.type(DISK_COMMANDS[0].format(dev=dev))
    linux.out.read_until("hello-from-host\n", 60)
    for cmd in DISK_COMMANDS[1:]:
        linux.type(cmd.format(dev=dev))
    linux.out.read_until(f"sum={PATTERN_SUM} -\n", 60)


def check_disk_written(path, fmt):
    assert image_bytes(path, fmt, 1 << 20, 17) == b"written-by-guest\n"
    assert image_bytes(path, fmt, 2 << 20, 65536) == b"emu\n" * 16384
    if fmt == "qcow2":
        proc = subprocess.run([QEMU_IMG, "check", path], capture_output=True,
                              text=True)
        assert proc.returncode == 0 and \
            "No errors were found on the image." in proc.stdout, proc.stdout


def test_linux_virtio_blk_legacy():
    # QEMU 7.2's default transport (version 1): -drive if=virtio with a
    # raw image, and a read-only disk through -device.  The board plugs
    # the if=virtio disk first, into the transport at the highest
    # address; the -device one gets the next one down, which Linux
    # probes first (the device tree lists them upwards): vda.
    disk = disk_image("legacy", "raw", b"hello-from-host")
    ro = disk_image("ro", "raw", b"read-only-disk")
    linux = linux_with_virtio(
        ["-drive", f"file={disk},format=raw,if=virtio",
         "-drive", f"file={ro},format=raw,if=none,id=ro,readonly=on",
         "-device", "virtio-blk-device,drive=ro"])
    try:
        for line in ("virtio_blk virtio0: [vda] 32768 512-byte logical "
                     "blocks (16.8 MB/16.0 MiB)",
                     "virtio_blk virtio1: [vdb] 32768 512-byte logical "
                     "blocks (16.8 MB/16.0 MiB)"):
            assert line in linux.boot, (line, linux.boot)
        guest_disk_session(linux, "vdb")
        linux.type("echo ro=$(cat /sys/block/vda/ro) "
                   "$(head -c 14 /dev/vda)")
        linux.out.read_until("ro=1 read-only-disk\n", 60)
        poweroff(linux)
    finally:
        linux.close()
    check_disk_written(disk, "raw")
    assert image_bytes(ro, "raw", 0, 14) == b"read-only-disk"


def test_linux_virtio_blk_modern_qcow2():
    # Version 2 of the transport (force-legacy=false), a qcow2 image
    # through -device; discard and write-zeroes from the guest.
    disk = disk_image("modern", "qcow2", b"hello-from-host")
    linux = linux_with_virtio(
        ["-global", "virtio-mmio.force-legacy=false",
         "-drive", f"file={disk},if=none,id=d0",
         "-device", "virtio-blk-device,drive=d0,serial=emu-disk-0"])
    try:
        guest_disk_session(linux, "vda")
        linux.type("echo serial=$(cat /sys/block/vda/serial) "
                   "discard=$(cat /sys/block/vda/queue/discard_max_bytes)")
        linux.out.read_until("serial=emu-disk-0 discard=33554432\n", 60)
        # Discard the first MiB: it reads as zeros afterwards.
        linux.type("blkdiscard -o 0 -l 1048576 /dev/vda && echo 3 > "
                   "/proc/sys/vm/drop_caches && echo first=$(head -c 15 "
                   "/dev/vda | od -An -tx1 | tr -d ' ')")
        linux.out.read_until("first=" + "00" * 15 + "\n", 60)
        poweroff(linux)
    finally:
        linux.close()
    check_disk_written(disk, "qcow2")
    assert image_bytes(disk, "qcow2", 0, 15) == b"\0" * 15


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


if __name__ == "__main__":
    main(globals())
