# Networking on the virt board (issue 9): virtio-net on virtio-mmio with
# user networking (libslirp); the PCI NICs are in test_virt_pci.py.  Debian's armmp kernel takes an address
# from slirp's DHCP with busybox's udhcpc, connects out to a host
# listener through the gateway 10.0.2.2, and serves a page with busybox
# httpd that the host fetches through hostfwd; the options and info
# network against QEMU's.
# SPDX-License-Identifier: GPL-2.0-or-later
import shutil
import socket
import subprocess
import threading
import time

from armmp import VIRTIO_NET_MODULES, linux_with_virtio, poweroff
from emutest import PipeMonitor, Skip, binary, main

QEMU = shutil.which("qemu-system-arm")

# udhcpc's hook: configures the interface with the lease it got.
UDHCPC_SCRIPT = r"""#!/bin/sh
if [ "$1" = bound ]; then
    ifconfig $interface $ip netmask $subnet up
    route add default gw $router dev $interface
    echo "lease $ip/$subnet via $router dns $dns"
fi
"""


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get_through_forward(port, timeout=60):
    """GET / from the guest's httpd through the forwarded host port.  A
    connection slirp takes before the guest's server listens is reset
    by the guest: tried again until the page comes.  Returns (response,
    attempts)."""
    deadline = time.monotonic() + timeout
    attempts = 0
    while True:
        attempts += 1
        try:
            with socket.create_connection(("127.0.0.1", port),
                                          timeout=30) as conn:
                conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
                data = b""
                while True:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            if data:
                return data, attempts
        except (ConnectionResetError, ConnectionRefusedError):
            pass
        assert time.monotonic() < deadline, attempts
        time.sleep(0.5)


def host_listener():
    """A TCP socket of the host's on a free local port, for the guest of
    guest_network_checks() to connect to."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    return listener


def guest_network_checks(linux, listener, fwd_port):
    """From the shell of a Linux guest whose eth0 is on user networking
    with tcp::FWD_PORT-:80 forwarded: DHCP, a connection out to the
    host's LISTENER through the gateway, and the host's connection in to
    busybox httpd in the guest."""
    linux.type("cat > /udhcpc.sh <<'EOF'\n" + UDHCPC_SCRIPT + "EOF")
    # Ten tries five seconds apart: a sanitizer build on a loaded CI
    # machine once let five three-second tries pass without a lease.
    linux.type("chmod +x /udhcpc.sh; ifconfig eth0 up; udhcpc -i eth0 "
               "-s /udhcpc.sh -q -n -t 10 -T 5")
    linux.out.read_until("lease 10.0.2.15/255.255.255.0 via 10.0.2.2 "
                         "dns 10.0.2.3\n", 180)

    # The guest connects out to a listener of the host's through the
    # gateway; the host answers.  (This also tells slirp the guest's
    # MAC address, which its DHCP server does not note: a forwarded
    # connection before any guest traffic waits for slirp's ARP.)
    host_port = listener.getsockname()[1]
    got = {}

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(180)
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(100)
                if not chunk:
                    break
                data += chunk
            got["line"] = data
            conn.sendall(b"pong-from-the-host\n")

    server = threading.Thread(target=serve)
    server.start()
    linux.type(f"echo ping-from-the-guest | nc 10.0.2.2 {host_port}")
    linux.out.read_until("pong-from-the-host\n", 180)
    server.join(180)
    assert got["line"] == b"ping-from-the-guest\n"

    # The host reaches busybox httpd in the guest through hostfwd.
    linux.type("mkdir -p /www; echo page-from-the-guest > /www/index.html; "
               "httpd -p 80 -h /www && echo httpd-$((40+2))")
    linux.out.read_until("httpd-42\n", 180)
    response, attempts = http_get_through_forward(fwd_port)
    assert response.startswith(b"HTTP/1.") and b" 200 " in response, \
        response
    assert response.endswith(b"\r\n\r\npage-from-the-guest\n"), response
    # httpd was listening when the shell printed: the first try gets it.
    assert attempts == 1, attempts


def test_linux_dhcp_outgoing_and_hostfwd():
    fwd_port = free_tcp_port()
    linux = linux_with_virtio(
        ["-netdev", f"user,id=n,hostfwd=tcp:127.0.0.1:{fwd_port}-:80",
         "-device", "virtio-net-device,netdev=n"], VIRTIO_NET_MODULES)
    listener = host_listener()
    try:
        linux.type("cat /sys/class/net/eth0/address")
        linux.out.read_until("52:54:00:12:34:56\n", 60)
        guest_network_checks(linux, listener, fwd_port)
        poweroff(linux)
    finally:
        listener.close()
        linux.close()


def info_network(program, args):
    proc = subprocess.run(
        [program, "-M", "virt", "-display", "none", "-S", "-serial", "none",
         "-monitor", "stdio"] + args, input="info network\nquit\n",
        capture_output=True, text=True, timeout=60)
    # What follows the command's line up to the next prompt (QEMU's
    # readline redraws the line it echoes).
    lines = proc.stdout.replace("\r", "").split("\n")
    start = next(i for i, l in enumerate(lines) if "network" in l) + 1
    end = next(i for i in range(start, len(lines))
               if lines[i].startswith("("))
    return "".join(l + "\n" for l in lines[start:end]), proc.stderr


def test_info_network_as_qemu():
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    for args in (["-netdev", "user,id=n1,hostfwd=tcp:127.0.0.1:0-:80",
                  "-device", "virtio-net-device,netdev=n1"],
                 ["-netdev", "user,id=u,net=192.168.76.0/24,restrict=on"],
                 ["-netdev", "user,id=a", "-netdev", "user,id=b",
                  "-device", "virtio-net-device,netdev=b,id=nic1",
                  "-device", "virtio-net-device,netdev=a,"
                  "mac=02:00:00:00:00:01"],
                 ["-nic", "none"]):
        ours = info_network(binary("arm"), args)
        theirs = info_network(QEMU, args)
        assert ours == (theirs[0], theirs[1].replace("qemu-system-arm",
                                                    "emu-system-arm")), \
            (args, ours, theirs)


def test_info_network_nic_and_hub():
    # -nic and -net nic put a virtio-net-pci on the board's PCIe bus,
    # as QEMU's virt; the legacy form joins them on hub 0.
    mon = PipeMonitor(["-M", "virt", "-display", "none", "-S", "-serial",
                       "none", "-nic", "user,id=up"])
    try:
        assert mon.cmd("info network") == (
            "virtio-net-pci.0: index=0,type=nic,model=virtio-net-pci,"
            "macaddr=52:54:00:12:34:56\n"
            " \\ up: index=0,type=user,net=10.0.2.0,restrict=off\n")
    finally:
        assert mon.quit()[0] == 0
    mon = PipeMonitor(["-M", "virt", "-display", "none", "-S", "-serial",
                       "none", "-net", "nic,macaddr=52:54:00:aa:bb:cc",
                       "-net", "user,name=slirp0"])
    try:
        assert mon.cmd("info network") == (
            "hub 0\n"
            " \\ hub0port1: slirp0: index=0,type=user,net=10.0.2.0,"
            "restrict=off\n"
            " \\ hub0port0: virtio-net-pci.0: index=0,type=nic,"
            "model=virtio-net-pci,macaddr=52:54:00:aa:bb:cc\n")
    finally:
        assert mon.quit()[0] == 0


BAD_OPTIONS = [
    "-netdev user,id=n,hostfwd=bogus",
    "-netdev user,id=n,hostfwd=tcp:x",
    "-netdev user,id=n,hostfwd=xyz::1-:2",
    "-netdev user,id=n,hostfwd=tcp::1x-:2",
    "-netdev user,id=n,hostfwd=tcp::1-2",
    "-netdev user,id=n,hostfwd=tcp::1-:99999",
    "-netdev user,id=n,hostfwd=tcp::1-1.2.3.400:2",
    "-netdev user",
    "-netdev foo,id=x",
    "-netdev user,id=n,net=300.0.0.0",
    "-netdev user,id=n,net=10.0.2.0/33",
    "-netdev user,id=n,host=1.2.3.4",
    "-netdev user,id=n,dhcpstart=10.0.2.2",
    "-netdev user,id=n,bogus=1",
    "-netdev user,id=n,restrict=maybe",
    "-netdev user,id=1n",
    "-netdev user,id=n -netdev user,id=n",
    "-device virtio-net-device,netdev=zz",
    "-netdev user,id=n -device virtio-net-device,netdev=n "
    "-device virtio-net-device,netdev=n",
    "-device virtio-net-device,mac=zz",
    "-nic foo",
    # Only PCI cards: the board makes -nic's NICs on its PCIe bus.
    "-nic user,model=virtio-net-device",
    "-net nic,model=virtio-net-device -net user",
    "-net foo",
    "-nic user,mac=01:00:00:00:00:01",
    "-nic user,mac=52:54:00:12:34",
]


def test_bad_options_as_qemu():
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    for line in BAD_OPTIONS:
        args = ["-M", "virt", "-display", "none", "-S", "-monitor", "none",
                "-serial", "none"] + line.split()
        ours = subprocess.run([binary("arm")] + args, capture_output=True,
                              text=True, timeout=60)
        theirs = subprocess.run([QEMU] + args, capture_output=True,
                                text=True, timeout=60)
        assert ours.returncode == 1 and theirs.returncode == 1, \
            (line, ours.returncode, ours.stderr, theirs.returncode)
        assert ours.stderr == theirs.stderr.replace("qemu-system-arm",
                                                    "emu-system-arm"), \
            (line, ours.stderr, theirs.stderr)


def test_hostfwd_port_in_use():
    # A forward whose host port is taken is refused, as QEMU refuses it.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        rule = f"tcp:127.0.0.1:{port}-:22"
        proc = subprocess.run(
            [binary("arm"), "-M", "virt", "-display", "none", "-S",
             "-monitor", "none", "-serial", "none", "-netdev",
             f"user,id=n,hostfwd={rule}"], capture_output=True, text=True,
            timeout=60)
        assert proc.returncode == 1
        assert proc.stderr == (f"emu-system-arm: -netdev user,id=n,hostfwd="
                               f"{rule}: Could not set up host forwarding "
                               f"rule '{rule}'\n"), proc.stderr


if __name__ == "__main__":
    main(globals())
