# Debian's amd64 kernel on the PC with the e1000 (82540EM), the NIC
# `-nic user` gives the PC as on QEMU: Linux's e1000 driver reads the
# EEPROM and the PHY, brings the link up, and the guest takes a DHCP
# lease, connects out to the host and serves a page the host fetches
# through hostfwd (test_virt_net's checks).  Then a megabyte each way
# over TCP: out of the guest through TCP segmentation and checksum
# offload, into it through the receive ring, compared by MD5.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import os
import re
import socket
import threading

from emutest import main
from pclinux import DEVICE_TEST_APPEND, PC, amd64_kernel, pc_initramfs
from test_virt_net import free_tcp_port, guest_network_checks

E1000_MODULES = ("drivers/net/ethernet/intel/e1000/e1000.ko",)
BULK = 1 << 20


def send_to_guest(pc, data):
    """The guest reads DATA from a host listener with nc; returns the MD5
    the guest computed of what it got."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.sendall(data)

    server = threading.Thread(target=serve)
    server.start()
    try:
        out = pc.run(f"nc 10.0.2.2 {listener.getsockname()[1]} | md5sum; "
                     "echo got-$((40+2))", "got-42\n", 120)
    finally:
        server.join(60)
        listener.close()
    return re.findall(r"^([0-9a-f]{32})  -$", out, re.M)


def test_linux_e1000_dhcp_hostfwd_and_bulk_transfers():
    fwd_port = free_tcp_port()
    pc = PC(["-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
             pc_initramfs(E1000_MODULES), "-append", DEVICE_TEST_APPEND,
             "-nic", f"user,hostfwd=tcp:127.0.0.1:{fwd_port}-:80"])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    try:
        for line in ("e1000 0000:00:03.0 eth0: (PCI:33MHz:32-bit) "
                     "52:54:00:12:34:56",
                     "e1000 0000:00:03.0 eth0: Intel(R) PRO/1000 Network "
                     "Connection"):
            assert line in pc.boot, (line, pc.boot)
        guest_network_checks(pc, listener, fwd_port)
        pc.run("dmesg | grep 'Link is Up'",
               "e1000: eth0 NIC Link is Up 1000 Mbps Full Duplex")

        # Into the guest: a megabyte through the receive ring.
        data = os.urandom(BULK)
        assert send_to_guest(pc, data) == [hashlib.md5(data).hexdigest()]

        # Out of the guest: the kernel hands the e1000 64 KiB segments to
        # cut (TSO) and checksum.
        out = pc.run(f"dd if=/dev/urandom of=/www/bulk bs=64k "
                     f"count={BULK >> 16} 2>/dev/null; md5sum </www/bulk",
                     "  -\n", 60)
        digest = re.findall(r"^([0-9a-f]{32})  -$", out, re.M)
        conn = socket.create_connection(("127.0.0.1", fwd_port), timeout=60)
        with conn:
            conn.sendall(b"GET /bulk HTTP/1.0\r\n\r\n")
            response = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                response += chunk
        body = response.partition(b"\r\n\r\n")[2]
        assert len(body) == BULK, len(body)
        assert [hashlib.md5(body).hexdigest()] == digest, digest
        pc.run("grep eth0 /proc/net/dev", "eth0:")
        pc.poweroff()
    finally:
        listener.close()
        pc.close()


if __name__ == "__main__":
    main(globals())
