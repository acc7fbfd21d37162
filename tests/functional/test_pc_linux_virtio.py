# Debian's amd64 kernel on the PC (-M pc) with virtio-pci devices: a
# virtio-net-pci on user networking and a virtio-blk-pci disk, driven by
# Linux's virtio_pci (modern interface, MSI-X).  Through the NIC the
# guest takes a DHCP lease, connects out to the host and serves a page
# the host fetches through hostfwd (test_virt_net's checks); on the disk
# it reads what the test put in the image and writes a pattern the test
# finds in the image after poweroff.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import socket

from emutest import main, tempdir
from pclinux import DEVICE_TEST_APPEND, PC, VIRTIO_PCI_MODULES, \
    amd64_kernel, pc_initramfs
from test_virt_net import free_tcp_port, guest_network_checks

DISK_SIZE = 16 << 20
SECTOR = 512
# What the test puts in sector 0 for the guest to read, and what the
# guest writes at 1 MiB for the test to find.
HOST_TEXT = b"written-by-the-host\n"
GUEST_OFFSET = 1 << 20
GUEST_TEXT = "written-by-the-guest"


def disk_image():
    path = os.path.join(tempdir(), "virtio-blk.img")
    with open(path, "wb") as f:
        f.write(HOST_TEXT)
        f.truncate(DISK_SIZE)
    return path


def test_linux_virtio_net_and_blk_on_pc():
    fwd_port = free_tcp_port()
    disk = disk_image()
    pc = PC(["-M", "pc", "-accel", "tcg", "-kernel", amd64_kernel(),
             "-initrd", pc_initramfs(VIRTIO_PCI_MODULES), "-append",
             DEVICE_TEST_APPEND,
             "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{fwd_port}-:80",
             "-device", "virtio-net-pci,netdev=n0",
             "-drive", f"file={disk},format=raw,if=none,id=d0",
             "-device", "virtio-blk-pci,drive=d0"])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    try:
        sectors = DISK_SIZE // SECTOR
        assert f"virtio_blk virtio1: [vda] {sectors} 512-byte logical " \
               f"blocks" in pc.boot, pc.boot
        pc.run("cat /sys/class/net/eth0/address; "
               "basename $(readlink /sys/class/net/eth0/device/driver)",
               "52:54:00:12:34:56\nvirtio_net\n")
        pc.run(f"head -c {len(HOST_TEXT)} /dev/vda", HOST_TEXT.decode())
        pc.run(f"echo {GUEST_TEXT} | dd of=/dev/vda bs=512 "
               f"seek={GUEST_OFFSET // SECTOR} conv=fsync 2>/dev/null; "
               "echo synced-$((40+2))", "synced-42\n")
        guest_network_checks(pc, listener, fwd_port)
        pc.poweroff()
    finally:
        listener.close()
        pc.close()
    with open(disk, "rb") as f:
        f.seek(GUEST_OFFSET)
        assert f.read(len(GUEST_TEXT) + 1) == GUEST_TEXT.encode() + b"\n"


if __name__ == "__main__":
    main(globals())
