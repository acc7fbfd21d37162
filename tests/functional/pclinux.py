# Debian's amd64 kernel (linux-image-amd64) with a busybox initramfs
# built here, and the boot media the PC tests make around them: a CD
# image with ISOLINUX (Debian's isolinux, written with xorriso) and a
# disk image with an MBR and SYSLINUX on a FAT partition (Debian's
# syslinux and mtools: no mounts, no root).  Shared by test_x86_linux.py
# (microvm), test_pc_acpi.py and test_pc_linux*.py.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import struct
import subprocess

from armmp import INIT_WITH_INIT, VIRTIO_NET_MODULES, busybox_initramfs, \
    insmod_lines
from debian import kernel_image
from emutest import Console, Skip, binary, need_emulator, tempdir

SEABIOS = "/usr/share/seabios/bios-256k.bin"
ISOLINUX_BIN = "/usr/lib/ISOLINUX/isolinux.bin"
SYSLINUX_MODULES = "/usr/lib/syslinux/modules/bios"
SYSLINUX_MBR = "/usr/lib/syslinux/mbr/mbr.bin"

# What a kernel that runs into something the CPU model lacks prints
# (an MSR it reads without a fault handler, a warning, an oops).
TROUBLE = ("unchecked MSR access error", "WARNING:", "Call Trace",
           "BUG:", "Oops", "invalid opcode", "general protection")

# The drivers of the PIIX3's IDE functions and the disks and CD-ROMs on
# them (modules in Debian's amd64 build), in load order.
IDE_MODULES = ("drivers/scsi/scsi_common.ko", "drivers/scsi/scsi_mod.ko",
               "drivers/ata/libata.ko", "drivers/ata/ata_piix.ko",
               "drivers/cdrom/cdrom.ko", "drivers/scsi/sr_mod.ko",
               "crypto/crct10dif_common.ko", "crypto/crct10dif_generic.ko",
               "lib/crc-t10dif.ko", "lib/crc64.ko", "lib/crc64-rocksoft.ko",
               "crypto/crc64_rocksoft_generic.ko", "block/t10-pi.ko",
               "drivers/scsi/sd_mod.ko")

# virtio-pci's transport and the block and network drivers on it, in
# dependency order (modinfo's "depends": virtio needs virtio_ring).
VIRTIO_PCI_MODULES = ("drivers/virtio/virtio_ring.ko",
                      "drivers/virtio/virtio.ko",
                      "drivers/virtio/virtio_pci_legacy_dev.ko",
                      "drivers/virtio/virtio_pci_modern_dev.ko",
                      "drivers/virtio/virtio_pci.ko",
                      "drivers/block/virtio_blk.ko") + VIRTIO_NET_MODULES

# The command line of the tests whose subject is a device, not the
# clock.  They keep the kernel's IO-APIC timer check, as QEMU's users
# do: its tick (the HPET's timer 0, or the PIT with -no-hpet) holds the
# ticks a starved host makes overdue (docs/x86-interrupts.md).
DEVICE_TEST_APPEND = "console=ttyS0"

# The first line the init script prints.
INIT_LINE = "emu-init: x86_64\n"
PROMPT = "/ # "

# SYSLINUX's and ISOLINUX's configuration: straight to the kernel, the
# loader's messages and the kernel's console on the first serial port.
BOOT_CONFIG = """SERIAL 0 115200
DEFAULT linux
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND console=ttyS0
"""


def amd64_kernel():
    return kernel_image("amd64")


def pc_initramfs(modules=IDE_MODULES):
    """Busybox's init (its poweroff and reboot go through the kernel)
    with MODULES (the IDE drivers by default) loaded in that order and
    devtmpfs on /dev."""
    init = INIT_WITH_INIT.replace(b"@MODULES@", insmod_lines(modules))
    return busybox_initramfs(init, modules, "busybox-static:amd64",
                             amd64_kernel())


def need_pc():
    need_emulator("x86_64")
    if not os.path.exists(SEABIOS):
        raise Skip("Debian's seabios package is not installed")


def _need(paths, tools, package):
    for path in paths:
        if not os.path.exists(path):
            raise Skip(f"{path} is missing: install Debian's {package}")
    for tool in tools:
        if not shutil.which(tool):
            raise Skip(f"{tool} is missing: install Debian's {package}")


def _boot_files(directory, initrd=None):
    """The kernel and the initramfs (INITRD, pc_initramfs() by default),
    copied into DIRECTORY."""
    os.makedirs(directory, exist_ok=True)
    shutil.copy(amd64_kernel(), os.path.join(directory, "vmlinuz"))
    shutil.copy(initrd or pc_initramfs(),
                os.path.join(directory, "initrd.gz"))


def isolinux_iso(config=BOOT_CONFIG, name="linux.iso", initrd=None):
    """An El Torito CD image (no emulation) that ISOLINUX boots with
    CONFIG, holding /vmlinuz and /initrd.gz (INITRD, pc_initramfs() by
    default)."""
    _need([ISOLINUX_BIN], ["xorriso"], "isolinux, syslinux-common, xorriso")
    directory = tempdir()
    root = os.path.join(directory, "root")
    _boot_files(root, initrd)
    os.makedirs(os.path.join(root, "isolinux"), exist_ok=True)
    shutil.copy(ISOLINUX_BIN, os.path.join(root, "isolinux"))
    shutil.copy(os.path.join(SYSLINUX_MODULES, "ldlinux.c32"),
                os.path.join(root, "isolinux"))
    with open(os.path.join(root, "isolinux", "isolinux.cfg"), "w") as f:
        f.write(config)
    iso = os.path.join(directory, name)
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso,
                    "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
                    "-no-emul-boot", "-boot-load-size", "4",
                    "-boot-info-table", root], check=True, capture_output=True,
                   timeout=120)
    return iso


# The disk: 64 MiB, one FAT16 partition from 1 MiB to the end.
DISK_SIZE = 64 << 20
PARTITION_START = 1 << 20


def mbr(size, start):
    """SYSLINUX's MBR code with a partition table of one active FAT16
    (type 6) partition from START to SIZE, addressed by LBA (the CHS
    fields say so: 0xfeffff)."""
    with open(SYSLINUX_MBR, "rb") as f:
        code = f.read()
    assert len(code) <= 440, len(code)
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x06,
                        b"\xfe\xff\xff", start // 512, (size - start) // 512)
    return code.ljust(446, b"\0") + entry + bytes(48) + b"\x55\xaa"


def syslinux_disk(config=BOOT_CONFIG, name="linux.img"):
    """A raw disk image that SeaBIOS boots through SYSLINUX's MBR and
    SYSLINUX with CONFIG, /vmlinuz and /initrd.gz on its FAT partition,
    all written with mtools."""
    _need([SYSLINUX_MBR], ["syslinux", "mformat", "mcopy"],
          "syslinux, syslinux-common, mtools")
    directory = tempdir()
    files = os.path.join(directory, "files")
    _boot_files(files)
    with open(os.path.join(files, "syslinux.cfg"), "w") as f:
        f.write(config)
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(mbr(DISK_SIZE, PARTITION_START))
        f.truncate(DISK_SIZE)
    fat = f"{path}@@{PARTITION_START}"
    sectors = (DISK_SIZE - PARTITION_START) // 512
    commands = [["mformat", "-i", fat, "-T", str(sectors), "-h", "16",
                 "-s", "63", "-H", str(PARTITION_START // 512), "-v", "EMU",
                 "::"],
                ["mcopy", "-i", fat] +
                [os.path.join(files, n) for n in ("vmlinuz", "initrd.gz",
                                                  "syslinux.cfg")] + ["::"],
                ["syslinux", "--offset", str(PARTITION_START), "--install",
                 path]]
    for command in commands:
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    return path


class PC(Console):
    """emu-system-x86_64 (or PROGRAM, QEMU's for a comparison) with ARGS
    (-m 1G, no display, the first serial port on stdio, busybox's shell
    there once booted): boot is what the firmware, the loader and the
    kernel printed up to the init's first line."""

    def __init__(self, args, timeout=240, program=None):
        need_pc()
        super().__init__([program or binary("x86_64"), "-m", "1G",
                          "-display", "none", "-serial", "stdio"] +
                         list(args), lambda: self.wait_boot(timeout))

    def wait_boot(self, timeout=240):
        """The output up to the init's first line, checked for TROUBLE,
        then the shell's prompt."""
        boot = self.out.read_until(INIT_LINE, timeout)
        for line in TROUBLE:
            assert line not in boot, (line, boot)
        self.out.read_until(PROMPT, 60)
        return boot

    def run(self, line, expect, timeout=60):
        """Types LINE and returns the output up to EXPECT."""
        self.type(line)
        return self.out.read_until(expect, timeout)

    def poweroff(self):
        """busybox's poweroff -f: the kernel's ACPI S5 ends emu, which
        must exit with status 0."""
        self.run("poweroff -f", "reboot: Power down\n")
        assert self.proc.wait(60) == 0
