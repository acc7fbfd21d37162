# Character devices seen from the command line: files, sockets, ptys,
# ring buffers, -chardev with -mon, info chardev, and misuse.
# SPDX-License-Identifier: GPL-2.0-or-later
import base64
import os
import re
import shutil
import subprocess
import time

from emutest import (BUILD_DIR, PROMPT, TIMEOUT, PipeMonitor, Skip, binary,
                     main, qmp_connect, run_fails, tempdir)

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm", "connex")


def test_monitor_on_a_file_chardev():
    path = os.path.join(tempdir(), "mon.txt")
    mon = PipeMonitor(["-M", "none", "-chardev", f"file,id=f,path={path}",
                       "-mon", "chardev=f"])
    try:
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()
    with open(path) as f:
        text = f.read()
    assert text == ("emu 0.1.0 monitor - type 'help' for more information\n"
                    + PROMPT), repr(text)


def test_info_chardev():
    d = tempdir()
    mon = PipeMonitor(["-M", "none", "-serial", "null",
                       "-serial", f"file:{d}/s1.txt",
                       "-chardev", f"socket,id=sock,path={d}/s.sock,server=on,wait=off"])
    try:
        info = mon.cmd("info chardev")
        assert "serial0: filename=null\n" in info, info
        assert "serial1: filename=file\n" in info, info
        assert f"sock: filename=disconnected:unix:{d}/s.sock,server=on\n" in info, info
        assert "compat_monitor0: filename=stdio\n" in info, info
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()
    assert not os.path.exists(f"{d}/s.sock")


def test_pty_names_its_device():
    mon = PipeMonitor(["-M", "none", "-serial", "pty"])
    try:
        info = mon.cmd("info chardev")
        match = re.search(r"serial0: filename=pty:(/dev/pts/\d+)\n", info)
        assert match, info
        status, err = mon.quit()
        assert status == 0
        # On stdout, before the monitor's banner, as QEMU prints it.
        assert mon.banner.startswith(
            f"char device redirected to {match.group(1)} (label serial0)\n"), \
            mon.banner
        assert "redirected" not in err, err
    finally:
        mon.kill()


def test_stdio_used_twice():
    # QEMU 7.2 creates monitors first: the serial port is refused.
    err = run_fails(["-M", "none", "-serial", "stdio", "-monitor", "stdio"])
    assert err == ("emu-system-arm: -serial stdio: cannot use stdio by "
                   "multiple character devices\nemu-system-arm: -serial "
                   "stdio: could not connect serial device to character "
                   "backend 'stdio'\n"), err


# HMP on a ringbuf, sent through a pipe; QEMU 7.2 answers the same.
RINGBUF_SCRIPT = ("info chardev\n"
                  "ringbuf_write r1 hello\\x01\n"
                  "ringbuf_read r1 3\n"
                  "ringbuf_read r1 100\n"
                  "ringbuf_write r1 a\\b\n"
                  "ringbuf_read r1 10\n"
                  "ringbuf_read nope 2\n"
                  "ringbuf_read r1 0\n"
                  "ringbuf_write compat_monitor0 x\n"
                  "help ringbuf_read\n"
                  "help ringbuf_write\n"
                  "quit\n")
RINGBUF_ANSWERS = ("r1: filename=ringbuf\n"
                   "compat_monitor0: filename=stdio\n"
                   "ell\n"
                   "o\\\\x01\n"
                   "a\\\\b\n"
                   "Error: Device 'nope' not found\n"
                   "Error: size must be greater than zero\n"
                   "Error: compat_monitor0 is not a ringbuf device\n"
                   "ringbuf_read device size -- Read from a ring buffer "
                   "character device\n"
                   "ringbuf_write device data -- Write to a ring buffer "
                   "character device\n")


def ringbuf_hmp(program):
    proc = subprocess.run([program, "-M", "none", "-display", "none",
                           "-serial", "none", "-monitor", "stdio",
                           "-chardev", "ringbuf,id=r1,size=8"],
                          input=RINGBUF_SCRIPT, capture_output=True,
                          text=True, timeout=TIMEOUT)
    # Drop the banner and the prompt lines (with the echoed command).
    return "".join(line + "\n" for line in proc.stdout.splitlines()[1:]
                   if not line.startswith("("))


def test_ringbuf_hmp():
    assert ringbuf_hmp(binary()) == RINGBUF_ANSWERS
    qemu = shutil.which("qemu-system-arm")
    if qemu:
        assert ringbuf_hmp(qemu) == RINGBUF_ANSWERS


class TimerGuest:
    """A connex running the timer guest, its first UART on the chardev
    ringbuf,id=r1 + extra options, and a QMP socket."""

    def __init__(self, program, extra=""):
        image = os.path.join(GUESTS, "timer.bin")
        if not os.path.exists(image):
            raise Skip(f"{image} was not built (arm-none-eabi-gcc missing?)")
        d = tempdir()
        flash = os.path.join(d, "flash.bin")
        shutil.copy(image, flash)
        os.truncate(flash, 16 << 20)
        sock = os.path.join(d, "qmp.sock")
        self.proc = subprocess.Popen(
            [program, "-M", "connex", "-display", "none",
             "-drive", f"if=pflash,format=raw,file={flash}",
             "-chardev", "ringbuf,id=r1,size=1024" + extra,
             "-serial", "chardev:r1", "-chardev", "null,id=n0",
             "-qmp", f"unix:{sock},server=on,wait=off"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        self.qmp = qmp_connect(sock)
        self.qmp.negotiate()

    def first_line(self):
        """The guest's first line, however long the host takes to run
        it; the guest is stopped after it."""
        text = ""
        deadline = time.monotonic() + TIMEOUT
        while "period" not in text and time.monotonic() < deadline:
            reply, _ = self.qmp.cmd("ringbuf-read", {"device": "r1",
                                                     "size": 9})
            text += reply["return"]
        self.qmp.cmd("stop")
        return text[:text.index(" Hz") + 3]

    def close(self):
        self.qmp.close()
        self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()


def ringbuf_guest_session(program):
    """A UART writing into a ringbuf, read over QMP."""
    guest = TimerGuest(program)
    replies = []
    try:
        qmp = guest.qmp
        replies.append(guest.first_line())
        for name, args in [
                ("ringbuf-read", {"device": "r1", "size": 0}),
                ("ringbuf-read", {"device": "r1", "size": 4,
                                  "format": "hex"}),
                ("ringbuf-read", {"device": "n0", "size": 4}),
                ("ringbuf-write", {"device": "nope", "data": "x"}),
                ("ringbuf-write", {"device": "r1", "data": "aGk=",
                                   "format": "base64"}),
                ("ringbuf-write", {"device": "r1", "data": "!!",
                                   "format": "base64"})]:
            reply, _ = qmp.cmd(name, args)
            replies.append(reply)
        # Whatever the guest wrote before it stopped, then "hi".
        reply, _ = qmp.cmd("ringbuf-read", {"device": "r1", "size": 1024,
                                            "format": "base64"})
        data = base64.b64decode(reply["return"])
        replies.append(data.endswith(b"hi") or data)
    finally:
        guest.close()
    return replies


def test_ringbuf_qmp_with_a_guest_writing():
    replies = ringbuf_guest_session(binary())
    assert replies == [
        "timer: OSCR rate 3686400 Hz",
        {"error": {"class": "GenericError",
                   "desc": "size must be greater than zero"}},
        {"error": {"class": "GenericError",
                   "desc": "Parameter 'format' does not accept value 'hex'"}},
        {"error": {"class": "GenericError",
                   "desc": "n0 is not a ringbuf device"}},
        {"error": {"class": "GenericError",
                   "desc": "Device 'nope' not found"}},
        {"return": {}},
        {"error": {"class": "GenericError",
                   "desc": "Base64 data contains invalid characters"}},
        True], replies
    qemu = shutil.which("qemu-system-arm")
    if qemu:
        assert ringbuf_guest_session(qemu) == replies


def logfile_session(program, append):
    """The guest's output copied by logfile= (after "old" with
    logappend=on)."""
    log = os.path.join(tempdir(), "uart.log")
    with open(log, "w") as f:
        f.write("old\n")
    guest = TimerGuest(program, f",logfile={log},logappend={append}")
    try:
        line = guest.first_line()
    finally:
        guest.close()
    with open(log) as f:
        return line, f.read()


def test_logfile_on_any_chardev():
    for append, before in (("off", ""), ("on", "old\n")):
        line, log = logfile_session(binary(), append)
        assert log.startswith(before + line + ", period"), (append, log)
    qemu = shutil.which("qemu-system-arm")
    if qemu:
        line, log = logfile_session(qemu, "on")
        assert log.startswith("old\n" + line + ", period"), log
    err = run_fails(["-M", "none", "-chardev",
                     "null,id=c,logfile=/nonexistent/x"])
    assert err.endswith(": Could not create '/nonexistent/x': No such file "
                        "or directory\n"), err


def test_ringbuf_size_must_be_a_power_of_two():
    err = run_fails(["-M", "none", "-chardev", "ringbuf,id=r,size=100"])
    assert err == ("emu-system-arm: -chardev ringbuf,id=r,size=100: size of "
                   "ringbuf chardev must be power of two\n"), err


def test_chardev_errors():
    err = run_fails(["-M", "none", "-chardev", "null"])
    assert "-chardev null:" in err and "id" in err, err
    err = run_fails(["-M", "none", "-chardev", "null,id=a",
                     "-chardev", "null,id=a"])
    assert "'a'" in err, err
    err = run_fails(["-M", "none", "-chardev", "file,id=f,path=/nonexistent/dir/x"])
    assert "/nonexistent/dir/x" in err, err
    err = run_fails(["-M", "none", "-chardev", "socket,id=s,path=/tmp/x.sock,colour=red"])
    assert "colour" in err, err


if __name__ == "__main__":
    main(globals())
