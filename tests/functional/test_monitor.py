# The monitor as scripts use it: over a pipe and over a unix socket.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import subprocess

from emutest import (PROMPT, PipeMonitor, Stream, binary, main, tempdir,
                     unix_connect)

MTREE_16M = ("address-space: memory\n"
             "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
             "    0000000000000000-0000000000ffffff (prio 0, ram): ram\n"
             "\n"
             "address-space: I/O\n"
             "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
             "\n")


def with_monitor(args, body):
    mon = PipeMonitor(args)
    try:
        body(mon)
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()


def test_banner_and_quit():
    def body(mon):
        assert mon.banner == ("emu 0.1.0 monitor - type 'help' for more "
                              "information\n" + PROMPT), mon.banner
    with_monitor(["-M", "none", "-nodefaults"], body)


def test_info_mtree_shows_ram():
    def body(mon):
        assert mon.cmd("info mtree") == MTREE_16M
        flat = mon.cmd("info mtree -f")
        assert ("FlatView #0\n AS \"memory\", root: system\n Root memory region: "
                "ram\n  0000000000000000-0000000000ffffff (prio 0, ram): ram\n") in flat, flat
    with_monitor(["-M", "none", "-m", "16M"], body)


def test_no_ram_without_m():
    def body(mon):
        out = mon.cmd("info mtree")
        assert "ram" not in out, out
    with_monitor(["-M", "none"], body)


def test_status_stop_cont():
    def body(mon):
        assert mon.cmd("info status") == "VM status: paused (prelaunch)\n"
        assert mon.cmd("cont") == ""
        assert mon.cmd("info status") == "VM status: running\n"
        assert mon.cmd("stop") == ""
        assert mon.cmd("info status") == "VM status: paused\n"
        assert mon.cmd("c") == ""
        assert mon.cmd("info status") == "VM status: running\n"
        assert mon.cmd("system_reset") == ""
        assert mon.cmd("info status") == "VM status: running\n"
    with_monitor(["-M", "none", "-S"], body)


def test_errors_keep_the_monitor_usable():
    def body(mon):
        assert mon.cmd("foo") == "unknown command: 'foo'\n"
        assert mon.cmd("info foo") == "unknown command: 'info foo'\n"
        assert mon.cmd("stop now") == ("stop: extraneous characters at the end "
                                       "of line\nTry \"help stop\" for more "
                                       "information\n")
        assert mon.cmd("info status") == "VM status: running\n"
    with_monitor(["-M", "none"], body)


def test_device_in_mtree_and_qtree():
    def body(mon):
        mtree = mon.cmd("info mtree")
        assert ("    0000000010000000-0000000010000fff (prio -1000, i/o): "
                "uart9\n") in mtree, mtree
        qtree = mon.cmd("info qtree")
        assert qtree == ("bus: main-system-bus\n"
                         "  type System\n"
                         "  dev: unimplemented-device, id \"u9\"\n"
                         "    base = 268435456 (0x10000000)\n"
                         "    name = \"uart9\"\n"
                         "    size = 4096 (4 KiB)\n"
                         "    mmio 0000000010000000/0000000000001000\n"), qtree
        tree = mon.cmd("info qom-tree")
        assert "/machine (none-machine)\n  /peripheral (container)\n    /u9 (unimplemented-device)\n" in tree, tree
        assert mon.cmd("qom-get /machine/peripheral/u9 name") == "uart9\n"
    with_monitor(["-M", "none", "-device",
                  "unimplemented-device,name=uart9,base=0x10000000,size=4k,id=u9"],
                 body)


def test_help_lists_commands():
    def body(mon):
        out = mon.cmd("help")
        for line in ("cont|c  -- resume emulation\n", "quit|q  -- quit the emulator\n",
                     "stop|s  -- stop emulation\n"):
            assert line in out, out
        assert mon.cmd("help info status") == ("info status  -- show the current "
                                               "VM status (running|paused)\n")
    with_monitor(["-M", "none"], body)


def test_unix_socket_monitor():
    path = os.path.join(tempdir(), "mon.sock")
    proc = subprocess.Popen([binary(), "-M", "none", "-m", "16M", "-S",
                             "-monitor", f"unix:{path},server,nowait"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        sock = unix_connect(path)
        out = Stream(sock.fileno())
        out.read_until(PROMPT)

        def cmd(line):
            sock.sendall((line + "\n").encode())
            text = out.read_until("\n" + PROMPT)
            return text[len(line) + 1:-len(PROMPT)]

        assert cmd("info status") == "VM status: paused (prelaunch)\n"
        assert cmd("info mtree") == MTREE_16M
        assert cmd("cont") == ""
        assert cmd("info status") == "VM status: running\n"
        assert cmd("stop") == ""
        assert cmd("info status") == "VM status: paused\n"
        # A second client may come once the first has gone.
        sock.close()
        sock = unix_connect(path)
        out = Stream(sock.fileno())
        out.read_until(PROMPT)
        assert cmd("info status") == "VM status: paused\n"
        sock.sendall(b"quit\n")
        assert proc.wait(timeout=20) == 0
        sock.close()
        assert not os.path.exists(path), "socket file left behind"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


if __name__ == "__main__":
    main(globals())
