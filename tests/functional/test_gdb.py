# The gdb stub end to end: gdb-multiarch in batch mode against the
# connex board and against Thumb code on -M none (registers, x/4i,
# break, continue, stepi, watch, register and memory writes, monitor
# commands, threads), the same sessions against qemu-system-arm's stub
# with the transcripts compared, Ctrl-C of a running guest, the -s,
# -gdb and "gdbserver" ways to start the stub, and the protocol itself
# from a small client: malformed packets get clean replies and the stub
# goes on.
#
# The guest (tests/guests/arm/gdbloop.c) loops forever calling bump(),
# which adds to counter.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import time

from emutest import (BUILD_DIR, PROMPT, PipeMonitor, Skip, Stream, binary,
                     main, tempdir, unix_connect)

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm")
TIMEOUT = 60
QEMU = shutil.which("qemu-system-arm")

CONNEX_SESSION = """\
info registers r0 r1 r2 r3 sp lr pc cpsr
x/4i $pc
break bump
continue
info registers pc lr
p (unsigned)counter
stepi
stepi
x/2i $pc
p $pc
watch *(unsigned *)&counter
continue
continue
info registers pc
delete
set var *(unsigned *)&counter = 100
p (unsigned)counter
set $r0 = 0x1234
p/x $r0
x/4xw &counter
monitor info status
info threads
stepi
monitor info status
"""

THUMB_SESSION = """\
break bump
continue
info registers pc cpsr
x/4i $pc
stepi
stepi
info registers pc sp
rwatch *(unsigned *)&counter
continue
info registers pc
delete
set $r1 = 0xcafe
p/x $r1
set var *(unsigned short *)&checksum = 0xbeef
x/1xh &checksum
p $pc = bump
stepi
info registers pc
monitor info status
"""


def need_gdb():
    if not shutil.which("gdb-multiarch"):
        raise Skip("gdb-multiarch is not installed")


def guest(name):
    path = os.path.join(GUESTS, name)
    if not os.path.exists(path):
        raise Skip(f"{path} was not built (arm-none-eabi-gcc missing?)")
    return path


def symbol_address(elf, name):
    """The address of symbol name in elf, as arm-none-eabi-nm lists it."""
    listing = subprocess.run(["arm-none-eabi-nm", elf], check=True,
                             capture_output=True, text=True).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    raise AssertionError(f"{name} not in {elf}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flash_file(directory):
    """A 16 MiB connex flash with the gdbloop guest at 0."""
    path = os.path.join(directory, "flash.bin")
    with open(path, "wb") as f:
        f.truncate(16 << 20)
        with open(guest("connex/gdbloop.bin"), "rb") as image:
            f.write(image.read())
    return path


def connex_args(directory):
    return ["-M", "connex", "-nodefaults", "-display", "none",
            "-drive", f"if=pflash,format=raw,file={flash_file(directory)}",
            "-semihosting"]


def none_args():
    return ["-M", "none", "-cpu", "pxa255", "-m", "64M", "-nodefaults",
            "-display", "none", "-device",
            f"loader,file={guest('gdbloop-thumb.bin')},addr=0,cpu-num=0",
            "-semihosting"]


def start(program, args):
    return subprocess.Popen([program] + args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def stop(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    proc.stderr.close()


def gdb_command(elf, target, extra=()):
    return ["gdb-multiarch", "-batch", "-nx", "-ex", "set pagination off",
            "-ex", f"file {elf}", "-ex", f"target remote {target}"] + \
        list(extra)


def gdb_session(program, args, elf, script):
    """Runs script in gdb against program's stub (-S); the transcript."""
    port = free_port()
    directory = tempdir()
    script_path = os.path.join(directory, "session.gdb")
    with open(script_path, "w") as f:
        f.write(script)
    proc = start(program, args + ["-gdb", f"tcp::{port}", "-S"])
    try:
        wait_listening(port, proc)
        result = subprocess.run(
            gdb_command(elf, f"127.0.0.1:{port}", ["-x", script_path]),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
    finally:
        stop(proc)
        shutil.rmtree(directory, True)
    return result.stdout


def wait_listening(port, proc):
    deadline = time.monotonic() + TIMEOUT
    while True:
        assert proc.poll() is None, "the emulator exited: " + \
            proc.stderr.read().decode()
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def compare_with_qemu(transcript, args_fn, elf, script):
    if not QEMU:
        raise Skip("qemu-system-arm is not installed (the emu half passed)")
    reference = gdb_session(QEMU, args_fn(), elf, script)
    assert transcript == reference, \
        f"emu:\n{transcript}\nqemu-system-arm:\n{reference}"


def test_connex_session():
    need_gdb()
    directory = tempdir()
    elf = guest("connex/gdbloop.elf")
    try:
        out = gdb_session(binary("arm"), connex_args(directory), elf,
                          CONNEX_SESSION)
    finally:
        shutil.rmtree(directory, True)
    for expected in [
            r"0x00000000 in _start \(\)",
            r"cpsr           0x400001d3          1073742291",
            r"=> 0x0 <_start>:\tldr\tpc, \[pc, #24\]",
            r"Breakpoint 1, (0x[0-9a-f]{8}) in bump \(\)\n"
            r"pc             0x[0-9a-f]+ +0x[0-9a-f]+ <bump>\n",
            r"Hardware watchpoint 2: \*\(unsigned \*\)&counter",
            r"Old value = 0\nNew value = 1\n0x[0-9a-f]{8} in bump \(\)",
            r"\$3 = 100\n", r"\$4 = 0x1234\n",
            r"<counter>:\t0x00000064\t0x00000001",
            r"VM status: paused \(debug\)\n",
            r"\* 1    Thread 1\.1 \(CPU#0 \[running\]\) 0x[0-9a-f]{8} in bump"]:
        assert re.search(expected, out), f"{expected!r} not in:\n{out}"


def test_connex_session_as_qemu():
    need_gdb()
    directory = tempdir()
    elf = guest("connex/gdbloop.elf")
    try:
        out = gdb_session(binary("arm"), connex_args(directory), elf,
                          CONNEX_SESSION)
        compare_with_qemu(out, lambda: connex_args(directory), elf,
                          CONNEX_SESSION)
    finally:
        shutil.rmtree(directory, True)


def test_thumb_session():
    need_gdb()
    elf = guest("gdbloop-thumb.elf")
    out = gdb_session(binary("arm"), none_args(), elf, THUMB_SESSION)
    # Thumb state (T, 0x20) in the CPSR, Thumb disassembly, a read
    # watchpoint, a half-word memory write, a PC write.
    for expected in [
            "Breakpoint 1, ", " in bump ()",
            "cpsr           0x1f3", "Hardware read watchpoint 2",
            "Value = 1\n", "$1 = 0xcafe", "<checksum>:\t0xbeef",
            "VM status: paused (debug)"]:
        assert expected in out, f"{expected!r} not in:\n{out}"
    assert re.search(r"=> 0x[0-9a-f]+ <bump\+4>:\tadds\tr2, r2, r0", out), out
    compare_with_qemu(out, none_args, elf, THUMB_SESSION)


def test_ctrl_c():
    """Ctrl-C in gdb stops a guest that runs (counter moved) and leaves
    the machine paused; the HMP on its own socket sees it all."""
    need_gdb()
    directory = tempdir()
    port = free_port()
    mon_path = os.path.join(directory, "mon.sock")
    proc = start(binary("arm"), connex_args(directory) + [
        "-gdb", f"tcp::{port}", "-S",
        "-monitor", f"unix:{mon_path},server=on,wait=off"])
    master, slave = pty.openpty()
    gdb = None
    try:
        wait_listening(port, proc)
        mon = unix_connect(mon_path)
        mon_out = Stream(mon.fileno())
        mon_out.read_until(PROMPT)

        def hmp(line):
            mon.sendall((line + "\n").encode())
            return mon_out.read_until(PROMPT)

        # gdb on a terminal, as a person runs it, so Ctrl-C is SIGINT.
        gdb = subprocess.Popen(
            gdb_command(guest("connex/gdbloop.elf"), f"127.0.0.1:{port}",
                        ["-ex", "continue", "-ex", "p (unsigned)counter > 0",
                         "-ex", "monitor info status",
                         "-ex", "info registers cpsr"]),
            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
        os.close(slave)
        slave = None
        # Interrupt only once the guest has counted: on a loaded host the
        # vCPU may not have run a single round when the VM says running.
        counter = symbol_address(guest("connex/gdbloop.elf"), "counter")
        deadline = time.monotonic() + TIMEOUT
        while int(hmp(f"xp /1wx {counter:#x}").split()[-2], 16) == 0:
            assert time.monotonic() < deadline, "the guest never counted"
            time.sleep(0.05)
        gdb.send_signal(signal.SIGINT)
        out = Stream(master, drop_cr=True)
        text = out.read_until("detached]", TIMEOUT)
        for expected in ["Program received signal SIGINT, Interrupt.",
                         "$1 = 1", "VM status: paused\n",
                         "cpsr           0x6"]:
            assert expected in text, f"{expected!r} not in:\n{text}"
        assert "VM status: running" in hmp("info status")   # gdb detached
        mon.close()
    finally:
        if gdb:
            gdb.kill()
            gdb.wait()
        if slave is not None:
            os.close(slave)
        os.close(master)
        stop(proc)
        shutil.rmtree(directory, True)


# ---- the protocol from a client of our own ----

def frame(body):
    return b"$" + body + b"#%02x" % (sum(body) & 0xff)


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(TIMEOUT)
        self.buf = b""

    def read(self):
        """The next byte or packet: b"+", b"-" or (body,)."""
        while True:
            if self.buf[:1] in (b"+", b"-"):
                byte, self.buf = self.buf[:1], self.buf[1:]
                return byte
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start)
            if start == 0 and end > 0 and len(self.buf) >= end + 3:
                body = self.buf[1:end]
                assert self.buf[end + 1:end + 3] == \
                    b"%02x" % (sum(body) & 0xff), self.buf
                self.buf = self.buf[end + 3:]
                return (body,)
            assert start <= 0, f"stray bytes {self.buf!r}"
            data = self.sock.recv(65536)
            assert data, "the stub closed the connection"
            self.buf += data

    def send(self, raw):
        self.sock.sendall(raw)

    def cmd(self, body, ack=True):
        self.send(frame(body))
        if ack:
            assert self.read() == b"+"
        reply = self.read()
        assert isinstance(reply, tuple), reply
        return reply[0]


def protocol_client(extra=()):
    port = free_port()
    proc = start(binary("arm"), none_args() + ["-gdb", f"tcp::{port}",
                                               "-S"] + list(extra))
    wait_listening(port, proc)
    return proc, Client(socket.create_connection(("127.0.0.1", port)))


def test_protocol_malformed():
    proc, c = protocol_client()
    try:
        assert c.cmd(b"?") == b"T05thread:01;"
        # A bad checksum: NAK, and the next packet works.
        c.send(b"$g#00")
        assert c.read() == b"-"
        # An oversized packet is read to its end and refused.
        c.send(frame(b"M0,1:" + b"00" * 5000))
        assert c.read() == b"-"
        # Garbage and lone bytes between packets are dropped; a '-' asks
        # for the last packet again.
        c.send(b"garbage\x00\xff}#$$$")
        c.send(b"#zz")
        assert c.read() == b"-"
        assert len(c.cmd(b"g")) == 17 * 8
        c.send(b"-")
        assert len(c.read()[0]) == 17 * 8
        for packet, reply in [
                (b"m", b"E16"), (b"m0", b"E16"), (b"m0,", b"E16"),
                (b"mzz,4", b"E16"), (b"m0,100000", b"E16"),
                (b"m0,4,", b"E16"), (b"mffffffffffffffffff,4", b"E16"),
                (b"mfffffffc,4", b"E14"),   # nothing there
                (b"M0,2:00", b"E16"), (b"M0,1:zz", b"E16"),
                (b"X0,4:ab", b"E16"),
                (b"p", b"E16"), (b"p99", b"E14"), (b"pzz", b"E16"),
                (b"P0=12", b"E16"), (b"P99=00000000", b"E14"),
                (b"P0", b"E16"), (b"G123", b"E16"),
                (b"Z9,0,4", b""), (b"Z0", b"E16"), (b"Z0,zz,4", b"E16"),
                (b"z0,100,4", b"E16"),
                (b"Hg99", b"E16"), (b"Hx1", b"E16"), (b"T5", b"E16"),
                (b"vCont;x", b"E16"), (b"vCont;c:99", b"E16"),
                (b"vCont;t", b"E16"), (b"vCont", b""),
                (b"qXfer:features:read:other.xml:0,100", b"E00"),
                (b"qXfer:features:read:target.xml:zz", b"E16"),
                (b"qXfer:features:read:target.xml:ffff,10", b"E16"),
                (b"qRcmd,6", b"E16"), (b"qRcmd,zz", b"E16"),
                (b"qNoSuchThing", b""), (b"vMustReplyEmpty", b""),
                (b"", b""), (b"\x01\x02", b"")]:
            assert c.cmd(packet) == reply, (packet, reply)
        assert c.cmd(b"qRcmd,") == b"OK"
        # Still alive and well.
        assert c.cmd(b"m0,4") == b"18f09fe5"     # ldr pc, [pc, #24]
        assert c.cmd(b"qC") == b"QC01"
        assert c.cmd(b"qfThreadInfo") == b"m01"
        assert c.cmd(b"qsThreadInfo") == b"l"
        assert c.cmd(b"qAttached") == b"1"
        assert c.cmd(b"T1") == b"OK"
        assert proc.poll() is None
    finally:
        stop(proc)


def test_protocol_session():
    """No-ack mode, the target description, registers and memory by
    packet, vCont steps, monitor commands, and k ending emu."""
    proc, c = protocol_client()
    try:
        supported = c.cmd(b"qSupported:multiprocess+;swbreak+;hwbreak+")
        assert supported == (b"PacketSize=1000;qXfer:features:read+;"
                             b"QStartNoAckMode+;vContSupported+;swbreak+;"
                             b"hwbreak+;multiprocess+"), supported
        assert c.cmd(b"QStartNoAckMode") == b"OK"
        xml = b""
        while True:
            part = c.cmd(b"qXfer:features:read:target.xml:%x,80" % len(xml),
                         ack=False)
            xml += part[1:]
            if part[:1] == b"l":
                break
            assert part[:1] == b"m"
        assert b"<architecture>arm</architecture>" in xml
        assert b'<feature name="org.gnu.gdb.arm.core">' in xml
        assert b'<reg name="cpsr" bitsize="32" regnum="25"/>' in xml
        assert c.cmd(b"qC", ack=False) == b"QCp01.01"
        assert c.cmd(b"vCont?", ack=False) == b"vCont;c;C;s;S;t"
        assert c.cmd(b"P1=78563412", ack=False) == b"OK"
        assert c.cmd(b"p1", ack=False) == b"78563412"
        assert c.cmd(b"M100000,4:efbeadde", ack=False) == b"OK"
        assert c.cmd(b"X100004,2:\x7d\x03\x7d\x5d", ack=False) == b"OK"
        assert c.cmd(b"m100000,6", ack=False) == b"efbeadde237d"
        # The first step loads the reset vector's address into the PC.
        reset = c.cmd(b"m20,4", ack=False)
        assert c.cmd(b"vCont;s:p1.1", ack=False) == b"T05thread:p01.01;"
        assert c.cmd(b"pf", ack=False) == reset
        assert c.cmd(b"s", ack=False) == b"T05thread:p01.01;"
        after = int.from_bytes(bytes.fromhex(reset.decode()), "little") + 4
        assert c.cmd(b"pf", ack=False) == after.to_bytes(4, "little").hex().encode()
        assert c.cmd(b"Z0,%x,4" % (after + 8), ack=False) == b"OK"
        assert c.cmd(b"c", ack=False) == b"T05thread:p01.01;swbreak:;"
        assert c.cmd(b"pf", ack=False) == \
            (after + 8).to_bytes(4, "little").hex().encode()
        assert c.cmd(b"z0,%x,4" % (after + 8), ack=False) == b"OK"
        out = c.cmd(b"qRcmd," + b"info status".hex().encode(), ack=False)
        assert bytes.fromhex(out[1:].decode()) == \
            b"VM status: paused (debug)\r\n"
        assert c.cmd(b"qRcmd,", ack=False) == b"OK"
        c.send(frame(b"k"))
        assert proc.wait(timeout=TIMEOUT) == 0
        assert b"Terminated via GDBstub" in proc.stderr.read()
    finally:
        stop(proc)


# ---- starting the stub ----

def test_gdb_unix_and_chardev():
    """-gdb unix:PATH,server waits for the debugger, as QEMU's does;
    -gdb chardev:ID takes a -chardev."""
    directory = tempdir()
    path = os.path.join(directory, "gdb.sock")
    proc = start(binary("arm"), none_args() + ["-gdb", f"unix:{path},server"])
    try:
        Stream(proc.stderr.fileno()).read_until("waiting for connection")
        c = Client(unix_connect(path))
        assert c.cmd(b"?") == b"T05thread:01;"
    finally:
        stop(proc)
    proc = start(binary("arm"), none_args() + [
        "-chardev", f"socket,id=dbg,path={path}2,server=on,wait=off",
        "-gdb", "chardev:dbg", "-S"])
    try:
        c = Client(unix_connect(path + "2"))
        assert c.cmd(b"?") == b"T05thread:01;"
    finally:
        stop(proc)
        shutil.rmtree(directory, True)


def test_dash_s():
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", 1234))
        except OSError:
            raise Skip("port 1234 is in use here")
    proc = start(binary("arm"), none_args() + ["-s", "-S"])
    try:
        wait_listening(1234, proc)
        c = Client(socket.create_connection(("127.0.0.1", 1234)))
        assert c.cmd(b"?") == b"T05thread:01;"
    finally:
        stop(proc)


def test_hmp_gdbserver():
    mon = PipeMonitor(none_args() + ["-S"])
    try:
        port = free_port()
        assert mon.cmd(f"gdbserver tcp::{port}") == \
            f"Waiting for gdb connection on device 'tcp::{port}'\n"
        c = Client(socket.create_connection(("127.0.0.1", port)))
        assert c.cmd(b"?") == b"T05thread:01;"
        out = c.cmd(b"qRcmd," + b"info status".hex().encode())
        assert bytes.fromhex(out[1:].decode()) == \
            b"VM status: paused (prelaunch)\r\n"
        assert mon.cmd("gdbserver none") == "Disabled gdbserver\n"
        assert "Could not open gdbserver on device 'nonsense'\n" in \
            mon.cmd("gdbserver nonsense")
        assert mon.cmd("info status") == "VM status: paused (prelaunch)\n"
    finally:
        mon.kill()


def test_bad_gdb_option():
    proc = subprocess.run([binary("arm")] + none_args() + ["-gdb", "nonsense"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1
    assert "-gdb nonsense: 'nonsense' is not a valid char driver" in \
        proc.stderr, proc.stderr


if __name__ == "__main__":
    main(globals())
