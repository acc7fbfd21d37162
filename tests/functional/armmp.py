# Debian's armmp kernel (linux-image-armmp, armhf) on emu's virt board
# with a busybox-static initramfs built here: the helpers of the virt
# tests that boot Linux (test_virt*.py).
# SPDX-License-Identifier: GPL-2.0-or-later
import glob
import gzip
import os
import struct
import zlib

from debian import kernel_image, package_root
from emutest import Console, binary, tempdir

def armmp_kernel():
    return kernel_image("armmp", ":armhf")


def armmp_lpae_kernel():
    """Debian's armmp-lpae flavour: the same kernel built for the
    long-descriptor (LPAE) page tables, for cortex-a15/a7."""
    return kernel_image("armmp-lpae", ":armhf")


# U-Boot legacy image fields (mkimage's -O, -T, -C).
UIMAGE_OS_LINUX, UIMAGE_OS_U_BOOT = 5, 17
UIMAGE_KERNEL, UIMAGE_KERNEL_NOLOAD, UIMAGE_RAMDISK = 2, 14, 3
UIMAGE_NONE, UIMAGE_GZIP, UIMAGE_BZIP2 = 0, 1, 2


def uimage(payload, load, entry, os_type=UIMAGE_OS_LINUX,
           image_type=UIMAGE_KERNEL, comp=UIMAGE_NONE, name=b"emu test"):
    """PAYLOAD (compressed here with gzip if COMP says so) behind the
    64-byte header `mkimage -A arm` writes, CRCs included."""
    data = gzip.compress(payload, mtime=0) if comp == UIMAGE_GZIP \
        else payload
    def header(hcrc):
        return struct.pack(">7I4B32s", 0x27051956, hcrc, 0, len(data),
                           load, entry, zlib.crc32(data), os_type, 2,
                           image_type, comp, name)
    return header(zlib.crc32(header(0))) + data


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
# virtio-pci (the PCIe host's driver is built in).
VIRTIO_PCI_MODULES = ("drivers/virtio/virtio_pci_legacy_dev.ko",
                      "drivers/virtio/virtio_pci_modern_dev.ko",
                      "drivers/virtio/virtio_pci.ko")
# virtio-net and what it needs, in load order.
VIRTIO_NET_MODULES = ("net/core/failover.ko", "drivers/net/net_failover.ko",
                      "drivers/net/virtio_net.ko")


def insmod_lines(modules):
    return b"for m in " + b" ".join(
        os.path.basename(m).encode() for m in modules) + \
        b"; do insmod /modules/$m; done\n"



def busybox_initramfs(init=INIT, modules=(), busybox="busybox-static:armhf",
                      kernel=None):
    """An initramfs whose /init is the busybox shell script INIT, with
    MODULES (paths under kernel/) of KERNEL (a vmlinuz unpacked from
    Debian's package, the armmp kernel by default) in /modules; BUSYBOX
    names the Debian package (and architecture) of the binary."""
    root = package_root(busybox)
    with open(os.path.join(root, "bin", "busybox"), "rb") as f:
        busybox = f.read()
    entries = [("bin", 0o40755, b""), ("bin/busybox", 0o100755, busybox),
               ("init", 0o100755, init)]
    if modules:
        kernel_dir = os.path.dirname(os.path.dirname(kernel or
                                                     armmp_kernel()))
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


class Linux(Console):
    """Debian's armmp kernel on emu's virt board with the busybox
    initramfs built from INIT and ARGS, its console on stdio: boot is
    what it printed up to the init script's first line.  KERNEL is
    another vmlinuz of Debian's (armmp_lpae_kernel()) instead."""

    def __init__(self, args=(), init=INIT, modules=(), kernel=None):
        kernel = kernel or armmp_kernel()
        super().__init__(
            [binary("arm"), "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-kernel", kernel,
             "-initrd", busybox_initramfs(init, modules, kernel=kernel),
             "-append", "console=ttyAMA0"] + list(args),
            lambda: self.out.read_until("emu-init: armv7l\n", 240))


def linux_with_virtio(args, extra_modules=(), kernel=None):
    """Debian's kernel (armmp, or KERNEL) with its virtio drivers (and
    EXTRA_MODULES) loaded and busybox's init, at the shell prompt."""
    modules = VIRTIO_MODULES + tuple(extra_modules)
    linux = Linux(args, INIT_WITH_INIT.replace(b"@MODULES@",
                                               insmod_lines(modules)),
                  modules, kernel)
    linux.out.read_until("# ", 60)
    return linux


def poweroff(linux):
    linux.type("poweroff")
    linux.out.read_until("reboot: Power down\n", 60)
    assert linux.proc.wait(60) == 0
