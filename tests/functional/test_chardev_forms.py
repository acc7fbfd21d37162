# The chardev forms CI scripts and people at a bench use beyond files
# and sockets: a telnet server (-monitor telnet::PORT,server,nowait,
# with the telnet negotiation QEMU sends), udp, pipe:PATH with FIFOs,
# host devices (/dev/pts/N of another program, /dev/null), a socket
# client with reconnect=, and their errors as QEMU words them.  The
# monitor is the frontend: what comes back is its banner and replies.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import pty
import select
import shutil
import socket
import subprocess
import time

from emutest import (PROMPT, TIMEOUT, Stream, binary, main, run_fails,
                     tempdir)

BANNER = "emu 0.1.0 monitor - type 'help' for more information\n"
# What QEMU 7.2 sends a telnet client first: WILL ECHO, WILL SUPPRESS-
# GO-AHEAD, WILL BINARY, DO BINARY.
TELNET_OFFER = b"\xff\xfb\x01\xff\xfb\x03\xff\xfb\x00\xff\xfd\x00"
QEMU = shutil.which("qemu-system-arm")


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, program=None):
    return subprocess.Popen([program or binary("arm"), "-M", "none",
                             "-display", "none", "-nodefaults"] + args,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finish(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    return err


def connect_retrying(port, proc):
    deadline = time.monotonic() + TIMEOUT
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()
        try:
            return socket.create_connection(("127.0.0.1", port), 1)
        except OSError:
            assert time.monotonic() < deadline, "nobody listens"
            time.sleep(0.05)


def recv_until(sock, pattern):
    data = b""
    sock.settimeout(TIMEOUT)
    while pattern not in data:
        chunk = sock.recv(4096)
        assert chunk, f"connection closed; got {data!r}"
        data += chunk
    return data


def telnet_greeting(program):
    port = free_port()
    proc = start(["-monitor", f"telnet::{port},server,nowait"], program)
    try:
        sock = connect_retrying(port, proc)
        return recv_until(sock, PROMPT.encode() if program is None
                          else b"(qemu) "), sock, proc
    except BaseException:
        finish(proc)
        raise


def test_telnet_monitor():
    data, sock, proc = telnet_greeting(None)
    try:
        assert data == TELNET_OFFER + (BANNER + PROMPT).encode(), data
        # The client's negotiation in the middle of a command is dropped;
        # IAC IAC would be a 0xff byte.
        sock.sendall(b"info \xff\xfd\x01\xff\xfb\x1fcha\xff\xf1rdev\r\n")
        reply = recv_until(sock, b"\n" + PROMPT.encode()).decode()
        assert "compat_monitor0: filename=telnet:127.0.0.1:" in reply, reply
        assert ",server=on <-> 127.0.0.1:" in reply, reply
        sock.close()
    finally:
        finish(proc)
    if QEMU:
        data, sock, proc = telnet_greeting(QEMU)
        sock.close()
        finish(proc)
        assert data.startswith(TELNET_OFFER), data


def test_telnet_waits_for_its_client():
    """Without nowait, the machine starts once a client is there."""
    port = free_port()
    proc = start(["-monitor", f"telnet:127.0.0.1:{port},server"])
    try:
        out = Stream(proc.stderr.fileno())
        assert out.read_until("\n") == (
            "emu-system-arm: -monitor telnet:127.0.0.1:"
            f"{port},server: info: emu waiting for connection on: "
            f"disconnected:telnet:127.0.0.1:{port},server=on\n")
        sock = connect_retrying(port, proc)
        assert recv_until(sock, PROMPT.encode()) == \
            TELNET_OFFER + (BANNER + PROMPT).encode()
        sock.sendall(b"quit\r\n")
        assert proc.wait(TIMEOUT) == 0
    finally:
        finish(proc)


def test_udp_monitor():
    ours, theirs = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # Every echoed character is a datagram: room for the replies.
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    peer.bind(("127.0.0.1", theirs))
    peer.settimeout(TIMEOUT)
    proc = start(["-monitor", f"udp:127.0.0.1:{theirs}@127.0.0.1:{ours}"])
    try:
        data = b""
        while PROMPT.encode() not in data:
            data += peer.recv(65536)
        assert data == (BANNER + PROMPT).encode(), data
        # Several commands in one datagram.
        peer.sendto(b"info chardev\n" + b"p 7\n" * 30, ("127.0.0.1", ours))
        data = b""
        while data.count(PROMPT.encode()) < 31:
            data += peer.recv(65536)
        text = data.decode()
        assert "compat_monitor0: filename=udp\n" in text, text
        assert text.count("p 7\n0x7\n") == 30, text
    finally:
        finish(proc)
        peer.close()


def test_udp_datagram_larger_than_the_frontend_takes():
    """QMP reads 4096 bytes at a time: a 4.4 KiB datagram of commands is
    fed in pieces, none lost."""
    ours, theirs = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    peer.bind(("127.0.0.1", theirs))
    peer.settimeout(TIMEOUT)
    proc = start(["-qmp", f"udp:127.0.0.1:{theirs}@127.0.0.1:{ours}"])
    try:
        assert peer.recv(65536).startswith(b'{"QMP": {"version": ')
        burst = b'{"execute": "qmp_capabilities"}' + \
            b''.join(b'{"execute": "query-status", "id": %d}' % i
                     for i in range(120))
        assert len(burst) > 4096
        peer.sendto(burst, ("127.0.0.1", ours))
        data = b""
        while data.count(b"\r\n") < 121:
            data += peer.recv(65536)
        replies = data.decode().split("\r\n")[:-1]
        assert replies[0] == '{"return": {}}', replies[0]
        for i, reply in enumerate(replies[1:]):
            assert reply == '{"return": {"status": "running", "singlestep": ' \
                'false, "running": true}, "id": %d}' % i, reply
    finally:
        finish(proc)
        peer.close()


def test_pipe_monitor():
    d = tempdir()
    base = os.path.join(d, "mon")
    os.mkfifo(base + ".in")
    os.mkfifo(base + ".out")
    proc = start(["-monitor", f"pipe:{base}"])
    try:
        # Read-write, so neither side waits for the other to open.
        out_fd = os.open(base + ".out", os.O_RDONLY | os.O_NONBLOCK)
        out = Stream(out_fd)
        assert out.read_until(PROMPT) == BANNER + PROMPT
        with open(base + ".in", "w") as f:
            f.write("info chardev\n")
        assert "compat_monitor0: filename=pipe\n" in \
            out.read_until("\n" + PROMPT)
        # A writer that leaves does not end input: the next one is read.
        with open(base + ".in", "w") as f:
            f.write("quit\n")
        assert proc.wait(TIMEOUT) == 0
        os.close(out_fd)
    finally:
        finish(proc)
        shutil.rmtree(d, True)


def test_pipe_without_in_and_out():
    """pipe:PATH uses PATH itself both ways when PATH.in/.out are not
    there (a regular file: the banner lands in it)."""
    d = tempdir()
    path = os.path.join(d, "both")
    open(path, "w").close()
    proc = start(["-monitor", f"pipe:{path}", "-S"])
    try:
        deadline = time.monotonic() + TIMEOUT
        while BANNER not in open(path).read():
            assert time.monotonic() < deadline, open(path).read()
            time.sleep(0.05)
    finally:
        finish(proc)
        shutil.rmtree(d, True)


def test_host_device_monitor():
    """-monitor /dev/pts/N: a terminal another program holds, as a
    serial line to the host."""
    master, slave = pty.openpty()
    path = os.ttyname(slave)
    proc = start(["-monitor", path, "-serial", "/dev/null"])
    try:
        out = Stream(master)
        assert out.read_until(PROMPT) == BANNER + PROMPT
        os.write(master, b"info chardev\r")
        reply = out.read_until("\n" + PROMPT)
        assert f"compat_monitor0: filename=serial" in reply, reply
        assert "serial0: filename=serial" in reply, reply
        os.write(master, b"quit\r")
        assert proc.wait(TIMEOUT) == 0
    finally:
        finish(proc)
        os.close(master)
        os.close(slave)


def test_reconnect():
    """A client with reconnect= starts without its server, says so once,
    and connects when the server comes; again after the server drops
    it."""
    port = free_port()
    proc = start(["-chardev", f"socket,id=c0,host=127.0.0.1,port={port},"
                  "reconnect=1", "-mon", "chardev=c0"])
    server = None
    try:
        err = Stream(proc.stderr.fileno())
        assert err.read_until("\n") == (
            "emu-system-arm: Unable to connect character device c0: Failed "
            f"to connect to '127.0.0.1:{port}': Connection refused\n")
        time.sleep(1.5)                 # another try fails, silently
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(1)
        server.settimeout(TIMEOUT)
        for _ in range(2):
            conn, _ = server.accept()
            assert recv_until(conn, PROMPT.encode()) == \
                (BANNER + PROMPT).encode()
            conn.close()
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        assert not ready, proc.stderr.read1().decode()
    finally:
        err = finish(proc)
        if server:
            server.close()


def test_chardev_help():
    out = subprocess.run([binary("arm"), "-M", "none", "-chardev", "help"],
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert out.stdout == ("Available chardev backend types: \n  stdio\n"
                          "  serial\n  pipe\n  pty\n  null\n  socket\n"
                          "  udp\n  file\n  ringbuf\n"), out.stdout


def test_errors_as_qemu():
    cases = [
        ("udp,id=u", "chardev: udp: remote port not specified"),
        ("pipe,id=p,path=/nonexistent/x",
         "Could not open '/nonexistent/x': No such file or directory"),
        ("serial,id=s,path=/nonexistent",
         "Could not open '/nonexistent': No such file or directory"),
        ("socket,id=s,host=127.0.0.1,port=1,server=on,reconnect=1",
         "'reconnect' option is incompatible with socket in server listen "
         "mode"),
        ("socket,id=s,host=127.0.0.1,port=1,reconnect=x",
         "Parameter 'reconnect' expects a number"),
        ("pipe,id=p", "chardev: pipe: no device path given"),
        ("serial,id=s", "chardev: serial/tty: no device path given"),
    ]
    for opts, message in cases:
        err = run_fails(["-M", "none", "-chardev", opts])
        assert err == f"emu-system-arm: -chardev {opts}: {message}\n", err
    err = run_fails(["-M", "none", "-chardev", "tty,id=s"])
    assert err == ("emu-system-arm: -chardev tty,id=s: warning: The alias "
                   "'tty' is deprecated, use 'serial' instead\n"
                   "emu-system-arm: -chardev tty,id=s: chardev: serial/tty: "
                   "no device path given\n"), err
    for spec in ["udp:", "udp::", "udp:1@x", "telnet:nohost"]:
        err = run_fails(["-M", "none", "-serial", spec])
        assert f"'{spec}' is not a valid char driver" in err, err
    err = run_fails(["-M", "none", "-serial", "/dev/parport0"])
    assert "no parallel port backend" in err, err


if __name__ == "__main__":
    main(globals())
