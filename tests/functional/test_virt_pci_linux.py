# Debian's armmp kernels on the virt board's PCIe host (gpex-pcihost):
# pci-host-ecam-generic finds the bus from the device tree, virtio-pci
# drives a virtio-blk-pci disk (-drive if=virtio, MSI-X through the
# GICv2m frame), a virtio-net-pci (-nic, INTx on the swizzled SPIs) that
# takes its address from user networking's DHCP and a virtio-rng-pci;
# with highmem=off (ECAM low, for the kernel without LPAE) and with the
# LPAE kernel and the ECAM above 4 GiB, QEMU's default.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import socket

from armmp import (VIRTIO_NET_MODULES, VIRTIO_PCI_MODULES,
                   armmp_lpae_kernel, linux_with_virtio, poweroff)
from emutest import main, tempdir
from test_virt_net import free_tcp_port, guest_network_checks


def disk_image(data):
    path = os.path.join(tempdir(), "pci-disk.raw")
    with open(path, "wb") as f:
        f.write(data)
        f.truncate(16 << 20)
    return path


def interrupts(linux, name):
    """The /proc/interrupts line of NAME: (count, controller)."""
    linux.type(f"grep -w {name} /proc/interrupts | tr -s ' ' | "
               "sed 's/^/irq=/'")
    line = linux.out.read_until("\n/ # ", 60)
    found = re.search(r"irq= ?\d+: (\d+) (\S+)", line)
    assert found, line
    return int(found.group(1)), found.group(2)


def test_linux_pci_devices_highmem_off():
    # The NIC (slot 1) first, then -device, then -drive if=virtio, as
    # QEMU places them.
    fwd_port = free_tcp_port()
    disk = disk_image(b"hello-from-a-pci-disk\n")
    linux = linux_with_virtio(
        ["-M", "virt,highmem=off",
         "-nic", f"user,hostfwd=tcp:127.0.0.1:{fwd_port}-:80",
         "-drive", f"file={disk},format=raw,if=virtio",
         "-device", "virtio-rng-pci"],
        VIRTIO_PCI_MODULES + VIRTIO_NET_MODULES)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    try:
        for line in ("pci-host-generic 3f000000.pcie: ECAM at [mem "
                     "0x3f000000-0x3fffffff] for [bus 00-0f]",
                     "pci 0000:00:00.0: [1b36:0008] type 00 class 0x060000",
                     "pci 0000:00:01.0: [1af4:1000] type 00 class 0x020000",
                     "pci 0000:00:02.0: [1af4:1005] type 00 class 0x00ff00",
                     "pci 0000:00:03.0: [1af4:1001] type 00 class 0x010000",
                     "virtio_blk virtio2: [vda] 32768 512-byte logical "
                     "blocks (16.8 MB/16.0 MiB)"):
            assert line in linux.boot, (line, linux.boot)
        linux.type("echo $(head -c 22 /dev/vda)")
        linux.out.read_until("hello-from-a-pci-disk\n", 60)
        # The disk's requests come as MSI-X messages through the GICv2m
        # frame; -nic's virtio-net-pci has no MSI-X (vectors=0): INTA of
        # slot 1, swizzled to the second line, SPI 4 (GIC ID 36).
        count, chip = interrupts(linux, "virtio2-req.0")
        assert count > 0 and chip == "MSI", (count, chip)
        linux.type("head -c 64 /dev/hwrng | wc -c")
        linux.out.read_until("64\n", 60)
        guest_network_checks(linux, listener, fwd_port)
        count, chip = interrupts(linux, "virtio0")
        assert count > 0 and chip == "GIC-0", (count, chip)
        linux.type("grep -w virtio0 /proc/interrupts | grep -c ' 36 Level'")
        linux.out.read_until("\n1\n", 60)
        poweroff(linux)
    finally:
        listener.close()
        linux.close()


def test_linux_lpae_high_ecam():
    # QEMU's default layout for a CPU with LPAE: the ECAM at 0x4010000000
    # and a 64-bit window at 512 GiB, which the LPAE kernel uses.
    disk = disk_image(b"read-through-the-high-ecam\n")
    kernel = armmp_lpae_kernel()
    linux = linux_with_virtio(
        ["-nic", "none", "-drive", f"file={disk},format=raw,if=virtio"],
        VIRTIO_PCI_MODULES, kernel=kernel)
    try:
        for line in ("pci-host-generic 4010000000.pcie: ECAM at [mem "
                     "0x4010000000-0x401fffffff] for [bus 00-ff]",
                     "MEM 0x8000000000..0xffffffffff -> 0x8000000000",
                     "virtio_blk virtio0: [vda]"):
            assert line in linux.boot, (line, linux.boot)
        linux.type("echo $(head -c 27 /dev/vda)")
        linux.out.read_until("read-through-the-high-ecam\n", 60)
        poweroff(linux)
    finally:
        linux.close()


if __name__ == "__main__":
    main(globals())
