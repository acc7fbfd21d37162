# The monitor as scripts use it: over a pipe and over a unix socket.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import stat
import subprocess

from emutest import (PROMPT, PipeMonitor, Skip, Stream, binary, main,
                     tempdir, unix_connect)

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
        # QEMU's form: every name of the command, then the one typed.
        assert mon.cmd("stop now") == ("stop|s: extraneous characters at the "
                                       "end of line\nTry \"help stop\" for "
                                       "more information\n")
        assert mon.cmd("s now") == ("stop|s: extraneous characters at the "
                                    "end of line\nTry \"help s\" for more "
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
                         "    size = 4096 (4 KiB)\n"
                         "    name = \"uart9\"\n"
                         "    base = 268435456 (0x10000000)\n"
                         "    mmio 0000000010000000/0000000000001000\n"), qtree
        tree = mon.cmd("info qom-tree")
        assert "/machine (none-machine)\n  /peripheral (container)\n    /u9 (unimplemented-device)\n" in tree, tree
        # QEMU prints the value as JSON.
        assert mon.cmd("qom-get /machine/peripheral/u9 name") == '"uart9"\n'
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


def test_xp_formats_on_loaded_memory():
    def body(mon):
        assert mon.cmd("xp /4xw 0x1000") == ("0000000000001000: 0x12345678 "
                                             "0x00000000 0x00000000 0x00000000\n")
        assert mon.cmd("xp /2xh 0x1000") == "0000000000001000: 0x5678 0x1234\n"
        assert mon.cmd("xp /4xb 0x1000") == "0000000000001000: 0x78 0x56 0x34 0x12\n"
        # the size is remembered, as in QEMU
        assert mon.cmd("xp 0x1000") == "0000000000001000: 0x78\n"
        assert mon.cmd("xp /2dg 0x2000") == ("0000000000002000:                   "
                                             "-1                    0\n")
        assert mon.cmd("xp /1uw 0x2000") == "0000000000002000: 4294967295\n"
        assert mon.cmd("xp /1ow 0x1000") == "0000000000001000: 02215053170\n"
        assert mon.cmd("xp /3cb 0x3000") == "0000000000003000: 'h' 'i' '\\n'\n"
        # QEMU 7.2 sign-extends only 8-byte items
        assert mon.cmd("xp /2dw 0x2000") == ("0000000000002000: 4294967295 "
                                             "4294967295\n")
        assert mon.cmd("xp /1db 0x2000") == "0000000000002000: 255\n"
        assert mon.cmd("xp /q 0") == ("invalid char in format: 'q'\nTry "
                                      "\"help xp\" for more information\n")
        assert mon.cmd("x 0") == "No CPU available\n"
        assert mon.cmd("info registers") == "No CPU available\n"
        path = os.path.join(tempdir(), "dump.bin")
        assert mon.cmd(f"pmemsave 0x1000 4 \"{path}\"") == ""
        with open(path, "rb") as f:
            assert f.read() == bytes([0x78, 0x56, 0x34, 0x12])
    d = tempdir()
    with open(f"{d}/hi.txt", "w") as f:
        f.write("hi\n")
    with_monitor(["-M", "none", "-m", "16M",
                  "-device", "loader,addr=0x1000,data=0x12345678,data-len=4",
                  "-device", "loader,addr=0x2000,data=0xffffffffffffffff,data-len=8",
                  "-device", f"loader,addr=0x3000,file={d}/hi.txt"], body)


def connex_with_blank_flash():
    """Arguments for a stopped connex with an all-zero 16 MiB flash."""
    path = os.path.join(tempdir(), "flash.bin")
    with open(path, "wb") as f:
        f.truncate(16 << 20)
    return ["-M", "connex", "-S", "-pflash", path]


# Expected text below is what qemu-system-arm 7.2 prints for the same
# commands on the same board.
def test_dump_counts_wrap_as_in_qemu():
    def body(mon):
        # The count is a 32-bit int and the byte count (size * count)
        # too: when that wraps to zero or below, nothing is shown.
        for count in ("4294967295", "2147483648", "99999999999999999999",
                      "2147483647"):
            assert mon.cmd(f"xp /{count}x 0xa0000000") == ""
        assert mon.cmd("xp /2147483649xb 0") == ""
        # ... and when it wraps to a small positive count, that is used.
        assert mon.cmd("xp /4294967297xw 0xa3fffff0") == \
            "00000000a3fffff0: 0x00000000\n"
        assert mon.cmd("xp /1073741825xw 0xa3fffff0") == \
            "00000000a3fffff0: 0x00000000\n"
        # Counts are decimal, as in QEMU.
        assert mon.cmd("xp /010xb 0xa0000000") == (
            "00000000a0000000: 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00\n"
            "00000000a0000008: 0x00 0x00\n")
        assert mon.cmd("xp /0x10x 0") == ("invalid char in format: '1'\nTry "
                                          "\"help xp\" for more information\n")
        # "x /Ni" shows one instruction even for a count below one.
        line = "0x00000000:  00000000  andeq    r0, r0, r0\n"
        assert mon.cmd("x /0i 0") == line
        assert mon.cmd("x /4294967295i 0") == line
    with_monitor(connex_with_blank_flash(), body)


def test_dump_stops_where_memory_ends():
    def body(mon):
        # RAM is 0xa0000000-0xa3ffffff: a line that cannot be read
        # whole ends the dump.
        assert mon.cmd("xp /8x 0xa3fffff0") == (
            "00000000a3fffff0: 0x00000000 0x00000000 0x00000000 0x00000000\n"
            "00000000a4000000: Cannot access memory\n")
        assert mon.cmd("xp /3x 0xa3fffff8") == \
            "00000000a3fffff8: Cannot access memory\n"
        assert mon.cmd("xp /5xg 0xa3ffffe8") == (
            "00000000a3ffffe8: 0x0000000000000000 0x0000000000000000\n"
            "00000000a3fffff8: Cannot access memory\n")
        assert mon.cmd("x /2x 0xfffffc") == "00fffffc: Cannot access memory\n"
        assert mon.cmd("x /4x 0xfffffff8") == \
            "fffffff8: Cannot access memory\n"
        # The flash is 0-0xffffff; code is read ahead as QEMU does.
        assert mon.cmd("x /4i 0xfffff8") == (
            "0x00fffff8:  00000000  andeq    r0, r0, r0\n"
            "0x00fffffc: unable to read memory\n")
        assert mon.cmd("x /3i 0xfffffe") == \
            "0x00fffffe: unable to read memory\n"
        assert mon.cmd("xp /2i 0x10000000") == \
            "0x10000000: unable to read memory\n"
        # The monitor is still there.
        assert mon.cmd("info status") == "VM status: paused (prelaunch)\n"
    with_monitor(connex_with_blank_flash(), body)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def check_dump_streams(command, expected_line, total=32 << 20):
    """Sends a dump that would print gigabytes, reads the first total
    bytes as they come, checks them line by line and that emu's memory
    did not grow with the output, then stops reading: emu ends the dump
    and quits when told."""
    env = dict(os.environ)
    # Under AddressSanitizer freed blocks are kept back for a while;
    # keep that small so it does not look like growth.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=4"
    proc = subprocess.Popen([binary()] + connex_with_blank_flash() +
                            ["-monitor", "stdio"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        out = Stream(proc.stdout.fileno())
        out.read_until(PROMPT)
        proc.stdin.write((command + "\n").encode())
        proc.stdin.flush()
        out.read_until(command + "\n")
        # Output comes while the dump runs, not after all of it was made.
        data = out.read_until("\n", timeout=60).encode()
        assert data == expected_line(0).encode(), data
        base = None
        got = bytearray(out.buffer.encode())
        while len(got) < total:
            got += os.read(proc.stdout.fileno(), 1 << 20)
            if base is None and len(got) >= 1 << 20:
                base = rss_kib(proc.pid)
        growth = rss_kib(proc.pid) - base
        lines = got.decode().split("\n")[:-1]
        for n, line in enumerate(lines, 1):
            assert line + "\n" == expected_line(n), (n, line)
        assert growth < 16 << 10, f"emu grew by {growth} KiB while dumping"
        proc.stdout.close()
        proc.stdin.write(b"quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()


def test_huge_memory_dump_streams():
    check_dump_streams(
        "xp /100000000x 0xa0000000",
        lambda n: f"{0xa0000000 + 16 * n:016x}: " + " ".join(["0x00000000"] * 4) + "\n")


def test_huge_disassembly_streams():
    check_dump_streams(
        "x /100000000i 0",
        lambda n: f"0x{4 * n:08x}:  00000000  andeq    r0, r0, r0\n",
        total=16 << 20)


def test_memsave_writes_into_the_path():
    d = tempdir()
    target, link, hard, private = (os.path.join(d, n) for n in
                                   ("target", "link", "hard", "private"))
    for path in (target, private):
        with open(path, "w") as f:
            f.write("old contents, longer than what replaces them\n")
    os.symlink("target", link)
    os.link(target, hard)
    os.chmod(private, 0o600)
    data = bytes([0x78, 0x56, 0x34, 0x12])

    def body(mon):
        assert mon.cmd(f"pmemsave 0x1000 4 \"{link}\"") == ""
        assert os.path.islink(link) and os.readlink(link) == "target"
        with open(target, "rb") as f:
            assert f.read() == data
        assert mon.cmd(f"pmemsave 0x1000 4 \"{hard}\"") == ""
        assert os.stat(hard).st_ino == os.stat(target).st_ino
        assert os.stat(target).st_nlink == 2
        assert mon.cmd(f"pmemsave 0x1000 4 \"{private}\"") == ""
        assert os.stat(private).st_mode & 0o777 == 0o600
        with open(private, "rb") as f:
            assert f.read() == data
        # QEMU's messages
        assert mon.cmd(f"pmemsave 0 4 \"{d}/no/such\"") == (
            f"Error: Could not open '{d}/no/such': No such file or "
            "directory\n")
        assert mon.cmd(f"pmemsave 0 4 \"{d}\"") == (
            f"Error: Could not open '{d}': Is a directory\n")
        assert mon.cmd(f"pmemsave 0 0x100000000 \"{target}\"") == (
            "'pmemsave' has failed: integer is for 32-bit values\n"
            "Try \"help pmemsave\" for more information\n")
        with open(target, "rb") as f:
            assert f.read() == data
    with_monitor(["-M", "none", "-m", "16M", "-device",
                  "loader,addr=0x1000,data=0x12345678,data-len=4"], body)


def test_memsave_errors():
    d = tempdir()

    def body(mon):
        # The file is opened (and truncated) before memory is read.
        assert mon.cmd(f"memsave 0x60000000 16 \"{d}/out\"") == (
            "Error: Invalid addr 0x0000000060000000/size 16 specified\n")
        assert os.path.getsize(f"{d}/out") == 0
        assert mon.cmd(f"memsave 0xfffff8 16 \"{d}/out\"") == (
            "Error: Invalid addr 0x0000000000fffff8/size 16 specified\n")
        # pmemsave saves holes as zeros, as QEMU's does.
        assert mon.cmd(f"pmemsave 0x10000000 16 \"{d}/out\"") == ""
        with open(f"{d}/out", "rb") as f:
            assert f.read() == bytes(16)
    with_monitor(connex_with_blank_flash(), body)


def test_memsave_to_a_named_pipe():
    d = tempdir()
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)

    def body(mon):
        # Nobody reads: an error, not an emulator waiting for a reader.
        assert mon.cmd(f"pmemsave 0x1000 4 \"{fifo}\"") == (
            f"Error: Could not open '{fifo}': No such device or address\n")
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            assert mon.cmd(f"pmemsave 0x1000 4 \"{fifo}\"") == ""
            assert os.read(reader, 16) == bytes([0x78, 0x56, 0x34, 0x12])
        finally:
            os.close(reader)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with_monitor(["-M", "none", "-m", "16M", "-device",
                  "loader,addr=0x1000,data=0x12345678,data-len=4"], body)


def test_memsave_to_a_full_device():
    if os.geteuid() != 0:
        raise Skip("making a device node (mknod) needs root")
    d = tempdir()
    full = os.path.join(d, "full")
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))

    def body(mon):
        # QEMU misses a failed flush of a short file; emu reports it.
        for size in ("16", "100000"):
            assert mon.cmd(f"pmemsave 0 {size} \"{full}\"") == (
                "Error: An IO error has occurred\n")
            st = os.lstat(full)
            assert stat.S_ISCHR(st.st_mode), oct(st.st_mode)
            assert st.st_rdev == os.makedev(1, 7)
    with_monitor(["-M", "none", "-m", "16M"], body)


def test_print_expressions():
    def body(mon):
        assert mon.cmd("p 1+2*3") == "0x7\n"
        assert mon.cmd("print /d (0x10 - 0x20) / 2") == "-8\n"
        assert mon.cmd("p /u 0xf0 >> 4") == "15\n"
        assert mon.cmd("p /d -16 >> 2") == "-4\n"
        assert mon.cmd("p (1") == ("')' expected\nTry \"help p\" for more "
                                   "information\n")
        assert mon.cmd("p $pc") == ("no CPU to read registers from\nTry \"help "
                                    "p\" for more information\n")
        assert mon.cmd("print 1 / 0") == ("division by zero\nTry \"help print\" "
                                          "for more information\n")
        assert mon.cmd("p 1 2") == ("print|p: extraneous characters at the end "
                                    "of line\nTry \"help p\" for more "
                                    "information\n")
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
