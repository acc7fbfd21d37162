# MSI-X on the PC: Debian's amd64 kernel drives a virtio-blk-pci and a
# virtio-net-pci through MSI-X (its virtio_pci driver enables it, gives
# each queue and configuration changes a vector, and every completion
# comes as a message through the 0xfee00000 window to the local APIC),
# while a virtio-rng-pci without a driver keeps MSI-X disabled.  The same
# guest runs on QEMU 7.2 with the same command line: /proc/interrupts'
# PCI-MSI lines (without their counts) and the configuration space of
# every virtio function as Linux reads it (capability list, MSI-X
# control, the BARs SeaBIOS placed) are the same byte for byte.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re

from emutest import main, tempdir
from pclinux import DEVICE_TEST_APPEND, PC, VIRTIO_PCI_MODULES, \
    amd64_kernel, pc_initramfs
from test_pc import QEMU, need_qemu

DISK_SIZE = 4 << 20
# slot 2 is the VGA: the virtio functions follow in command-line order.
FUNCTIONS = ("0000:00:03.0", "0000:00:04.0", "0000:00:05.0")
# "   24:        517   PCI-MSI 49152-edge      virtio0-config"
MSI_LINE = re.compile(r"^ *(\d+): +(\d+) +(PCI-MSI \d+-edge) +(\S+)$")
DONE = "probe-done-42\n"


def disk_image():
    path = os.path.join(tempdir(), "msix.img")
    with open(path, "wb") as f:
        f.truncate(DISK_SIZE)
    return path


def probe(program):
    """Boots the guest on PROGRAM, reads the whole disk (a few hundred
    requests, each completed by an interrupt) and returns (the PCI-MSI
    lines of /proc/interrupts as (irq, count, kind, name), the
    configuration space dumps of FUNCTIONS)."""
    pc = PC(["-M", "pc", "-accel", "tcg", "-kernel", amd64_kernel(),
             "-initrd", pc_initramfs(VIRTIO_PCI_MODULES), "-append",
             DEVICE_TEST_APPEND,
             "-drive", f"file={disk_image()},format=raw,if=none,id=d0",
             "-device", "virtio-blk-pci,drive=d0",
             "-netdev", "user,id=n0",
             "-device", "virtio-net-pci,netdev=n0,romfile=",
             "-device", "virtio-rng-pci"], program=program)
    try:
        pc.run("dd if=/dev/vda of=/dev/null bs=4k iflag=direct "
               "2>/dev/null; echo read-$((6*7))", "read-42\n")
        out = pc.run("grep PCI-MSI /proc/interrupts; " +
                     "; ".join(f"od -An -tx1 -v /sys/bus/pci/devices/{f}/"
                               f"config" for f in FUNCTIONS) +
                     "; echo probe-done-$((6*7))", DONE)
        pc.poweroff()
    finally:
        pc.close()
    lines = out.replace("\r", "").split("\n")
    msi = [MSI_LINE.match(line).groups() for line in lines
           if MSI_LINE.match(line)]
    config = [line for line in lines if re.fullmatch(r"( [0-9a-f]{2}){16}",
                                                     line)]
    return msi, config


def test_linux_virtio_msix_as_qemu():
    need_qemu()
    msi, config = probe(None)
    names = [name for _, _, _, name in msi]
    assert names == ["virtio0-config", "virtio0-req.0", "virtio1-config",
                     "virtio1-input.0", "virtio1-output.0"], msi
    # Every read of the disk completed through its queue's vector.
    counts = {name: int(count) for _, count, _, name in msi}
    assert counts["virtio0-req.0"] >= (DISK_SIZE >> 12), msi
    # Three functions of 256 bytes, 16 a line; MSI-X on (0x80 in the
    # control's high byte, the capability at 0x98) only where a driver
    # enabled it.
    assert len(config) == 3 * 16, config
    assert config[9].startswith(" 00 00 00 00 00 00 00 00 11 84 01 80"), \
        config
    assert config[41].startswith(" 00 00 00 00 00 00 00 00 11 84 01 00"), \
        config
    qemu_msi, qemu_config = probe(QEMU)
    assert [(irq, kind, name) for irq, _, kind, name in msi] == \
        [(irq, kind, name) for irq, _, kind, name in qemu_msi], \
        (msi, qemu_msi)
    assert config == qemu_config, (config, qemu_config)


if __name__ == "__main__":
    main(globals())
