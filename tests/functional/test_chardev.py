# Character devices seen from the command line: files, sockets, ptys,
# -chardev with -mon, info chardev, and misuse.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re

from emutest import PROMPT, PipeMonitor, main, run_fails, tempdir


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
        assert f"char device redirected to {match.group(1)} (label serial0)" in err, err
    finally:
        mon.kill()


def test_stdio_used_twice():
    # QEMU 7.2 creates monitors first: the serial port is refused.
    err = run_fails(["-M", "none", "-serial", "stdio", "-monitor", "stdio"])
    assert err == ("emu-system-arm: -serial stdio: cannot use stdio by "
                   "multiple character devices\nemu-system-arm: -serial "
                   "stdio: could not connect serial device to character "
                   "backend 'stdio'\n"), err


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
