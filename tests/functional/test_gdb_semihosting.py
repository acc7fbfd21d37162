# -semihosting-config target=gdb|auto: the semihosting guest
# (tests/guests/arm/semihost.c) on -M none, its calls on files and the
# console carried out by gdb-multiarch through File-I/O (F packets).
# What the guest prints reaches gdb's output, its files land in gdb's
# directory, and the transcript is the one QEMU 7.2's stub gives (but
# for SYS_FLEN, which QEMU 7.2 answers -1 under gdb).  The protocol side
# (a Ctrl-C in the reply, a stray F) is checked with a client of our own.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import socket
import subprocess

from emutest import Skip, binary, main, run, run_fails, tempdir
from test_arm import FILES_OUTPUT as NATIVE_FILES_OUTPUT
from test_arm import guest
from test_gdb import (QEMU, TIMEOUT, Client, free_port, need_gdb, start,
                      stop, wait_listening)

GDB_HEADER = ("The target architecture is set to \"arm\".\n"
              "0x00000000 in ?? ()\n")

CONSOLE_OUTPUT = """\
A
write0 line
tt handle ok
to the console
write left 0
iserror 1 0
system -1
[Inferior 1 (process 1) exited normally]
"""

# What the guest prints of its files is the same as without gdb.
FILES_OUTPUT = NATIVE_FILES_OUTPUT + \
    "[Inferior 1 (process 1) exited normally]\n"


def guest_args(config):
    return ["-M", "none", "-cpu", "pxa255", "-m", "64M", "-nodefaults",
            "-display", "none", "-device",
            f"loader,file={guest('semihost')},addr=0,cpu-num=0",
            "-semihosting-config", "enable=on," + config]


def gdb_run(program, config, cwd):
    """Runs the guest under program's stub to its end with gdb attached
    from the start; returns (gdb's output, the emulator's stderr)."""
    need_gdb()
    port = free_port()
    proc = start(program, guest_args(config) + ["-gdb", f"tcp::{port}",
                                                "-S"])
    try:
        wait_listening(port, proc)
        result = subprocess.run(
            ["gdb-multiarch", "-batch", "-nx", "-ex", "set pagination off",
             "-ex", "set architecture arm",
             "-ex", f"target remote 127.0.0.1:{port}", "-ex", "continue"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT, cwd=cwd)
        proc.wait(TIMEOUT)
        err = proc.stderr.read().decode(errors="replace")
    finally:
        stop(proc)
    # gdb's complaint that it has no executable file, which says nothing
    # about the stub
    out = result.stdout.replace(
        "warning: No executable has been specified and target does not "
        "support\ndetermining executable automatically.  Try using the "
        "\"file\" command.\n", "")
    return out, err


def test_console_through_gdb():
    out, err = gdb_run(binary("arm"), "target=gdb,arg=console", tempdir())
    assert out == GDB_HEADER + CONSOLE_OUTPUT, out
    assert err == "", err


def test_console_as_qemu():
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    ours, _ = gdb_run(binary("arm"), "target=gdb,arg=console", tempdir())
    theirs, _ = gdb_run(QEMU, "target=gdb,arg=console", tempdir())
    assert ours == theirs, (ours, theirs)


def files_run(program):
    directory = tempdir()
    try:
        os.mkdir(os.path.join(directory, "d"))
        # gdb opens the names relative to its own working directory
        out, _ = gdb_run(program, "target=gdb,arg=files,arg=d", directory)
        with open(os.path.join(directory, "d", "b.txt")) as f:
            b = f.read()
        names = sorted(os.listdir(os.path.join(directory, "d")))
    finally:
        shutil.rmtree(directory, True)
    return out, names, b


def test_files_through_gdb():
    out, names, b = files_run(binary("arm"))
    assert out == GDB_HEADER + FILES_OUTPUT, out
    assert names == ["b.txt"] and b == "hello semihosting\nmore\n", (names, b)


def test_files_as_qemu():
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    ours = files_run(binary("arm"))
    theirs = files_run(QEMU)
    # QEMU 7.2 answers SYS_FLEN with -1 when gdb carries it out.
    assert ours[0] == theirs[0].replace("flen -1\n", "flen 18\n"), \
        (ours, theirs)
    assert ours[1:] == theirs[1:], (ours, theirs)


def test_auto_goes_to_an_attached_gdb():
    out, err = gdb_run(binary("arm"), "target=auto,arg=console", tempdir())
    assert out == GDB_HEADER + CONSOLE_OUTPUT, out
    assert err == "", err


def test_auto_without_gdb_is_native():
    status, _, err = run(guest_args("target=auto,arg=console"),
                         timeout=TIMEOUT)
    assert status == 0, (status, err)
    assert err.startswith("A\nwrite0 line\ntt handle ok\n"), err


def test_gdb_target_without_a_stub():
    status, _, err = run(guest_args("target=gdb,arg=console"),
                         timeout=TIMEOUT)
    assert status == 0, (status, err)
    assert err == (
        "emu-system-arm: warning: semihosting target=gdb: no gdb stub is "
        "running (-s, -gdb, or the monitor's gdbserver): the calls fail\n"), \
        err


def test_bad_target():
    err = run_fails(["-M", "none", "-semihosting-config",
                     "enable=on,target=foo"])
    assert err == ("emu-system-arm: -semihosting-config enable=on,"
                   "target=foo: unsupported semihosting-config "
                   "enable=on,target=foo\n"), err


def test_protocol():
    """The F request as the stop reply, gdb's memory reads meanwhile, a
    reply with Ctrl-C leaving the machine stopped, a stray F refused."""
    port = free_port()
    proc = start(binary("arm"), guest_args("target=gdb,arg=console") +
                 ["-gdb", f"tcp::{port}", "-S"])
    try:
        wait_listening(port, proc)
        c = Client(socket.create_connection(("127.0.0.1", port)))
        assert c.cmd(b"F0") == b"E16"
        # The guest's SYS_GET_CMDLINE stays in emu; its first console
        # call (SYS_OPEN of ":tt" too) goes to gdb: WRITEC of 'A'.
        request = c.cmd(b"c")
        assert request.startswith(b"Fwrite,2,") and \
            request.endswith(b",1"), request
        addr = request.split(b",")[2]
        assert c.cmd(b"m" + addr + b",1") == b"41"
        assert c.cmd(b"F1,0,C") == b"T02"
        assert c.cmd(b"qRcmd," + b"info status".hex().encode()) == \
            b"O" + b"VM status: paused (debug)\r\n".hex().encode()
        assert c.read() == (b"OK",)
        # Going on: the next request, for the newline.
        request = c.cmd(b"c")
        assert request.startswith(b"Fwrite,2,"), request
        assert c.cmd(b"m" + request.split(b",")[2] + b",1") == b"0a"
    finally:
        stop(proc)


if __name__ == "__main__":
    main(globals())
