# Monitor commands of issue 12 item 4 as a script runs them over QMP's
# human-monitor-command, on the connex board: sum, i and o, the
# "x/FMT" spelling, log, logfile, singlestep, memsave and pmemsave (also
# as QMP commands), and the live registers after system_reset.  The
# expected text is QEMU 7.2's; with qemu-system-arm installed the same
# script also runs on it and both must answer alike.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess
import time

from emutest import (BUILD_DIR, TIMEOUT, Skip, binary, main, qmp_connect,
                     tempdir)

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm", "connex")


def flash_with(guest):
    """A 16 MiB connex flash holding a guest (or zeros)."""
    path = os.path.join(tempdir(), "flash.bin")
    with open(path, "wb") as f:
        if guest:
            image = os.path.join(GUESTS, guest + ".bin")
            if not os.path.exists(image):
                raise Skip(f"{image} was not built (arm-none-eabi-gcc missing?)")
            with open(image, "rb") as src:
                f.write(src.read())
        f.truncate(16 << 20)
    return path


class Machine:
    """A connex on a program (emu or QEMU) with a QMP socket."""

    def __init__(self, program, flash, extra=()):
        self.dir = tempdir()
        sock = os.path.join(self.dir, "qmp.sock")
        self.proc = subprocess.Popen(
            [program, "-M", "connex", "-display", "none", "-serial", "null",
             "-drive", f"if=pflash,format=raw,file={flash}",
             "-qmp", f"unix:{sock},server,wait=off", *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        self.qmp = qmp_connect(sock)
        self.qmp.negotiate()

    def execute(self, name, **args):
        reply, _ = self.qmp.cmd(name, args)
        return reply

    def hmp(self, line):
        reply = self.execute("human-monitor-command", **{"command-line": line})
        return reply["return"].replace("\r\n", "\n")

    def close(self):
        self.qmp.close()
        self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()


def with_machine(body, guest=None, extra=(), program=None):
    machine = Machine(program or binary("arm"), flash_with(guest), extra)
    try:
        return body(machine)
    finally:
        machine.close()


# (command, QEMU 7.2's answer) on a stopped connex whose flash holds the
# timer guest; the format that i, o and x remember carries over.
SCRIPT = [
    ("sum 0 100", None),
    ("sum 0x7fffffff 10", "00000\n"),
    ("i 0x60", "portl[0x0060] = 0xffffffff\n"),
    ("i/w 0x10060", "portl[0x0060] = 0xffffffff\n"),
    ("i/h 0x70", "portw[0x0070] = 0xffff\n"),
    ("i/l 0x60", "invalid char in format: 'l'\nTry \"help i\" for more "
                 "information\n"),
    ("i/b 0x10000", "portb[0x0000] = 0xff\n"),
    ("o/b 0x1234 0x1ff", ""),
    ("x/2x 0", None),
    ("xp/2xw 0", None),
    ("/x", "unknown command: ''\n"),
    ("help i", "i /fmt addr -- I/O port read\n"),
    ("help o", "o /fmt addr value -- I/O port write\n"),
    ("help sum", "sum addr size -- compute the checksum of a memory region\n"),
    ("singlestep", ""),
    ("info status", "VM status: paused (single step mode) (prelaunch)\n"),
    ("singlestep off", ""),
    ("info status", "VM status: paused (prelaunch)\n"),
    ("singlestep foo", "unexpected option foo\n"),
    ("help singlestep", "singlestep [on|off] -- run emulation in singlestep "
                        "mode or switch to normal mode\n"),
    ("log none", ""),
    ("log int", ""),
    ("log none", ""),
    ("help logfile", "logfile filename -- output logs to 'filename'\n"),
    ("nmi", "Error: this feature or command is not currently supported\n"),
    ("help nmi", "nmi  -- inject an NMI\n"),
    ("nmi 3", "nmi: extraneous characters at the end of line\nTry \"help "
              "nmi\" for more information\n"),
]


def run_script(program=None):
    def body(m):
        return [m.hmp(line) for line, _ in SCRIPT]
    return with_machine(body, "timer", ["-S"], program)


def test_commands_answer_as_qemu():
    answers = run_script()
    for (line, expected), got in zip(SCRIPT, answers):
        if expected is not None:
            assert got == expected, (line, got)
    # The checksum of the guest's first bytes, the flash read as QEMU's.
    assert re.fullmatch(r"\d{5}\n", answers[0]), answers[0]


def test_commands_side_by_side_with_qemu():
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise Skip("qemu-system-arm is not installed")
    assert run_script() == run_script(qemu)


def test_log_and_logfile():
    log = os.path.join(tempdir(), "log")

    def body(m):
        assert m.hmp(f"logfile {log}") == ""
        assert m.hmp("log int") == ""
        m.execute("cont")
        # The timer guest takes interrupts: "int" logs them.
        deadline = time.monotonic() + TIMEOUT
        while not os.path.getsize(log) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert m.hmp("log none") == ""
        out = m.hmp("log bogus")
        assert out.startswith("Log items (comma separated):\n"
                              "none            remove all logs\n"), out
        assert "\nint             show interrupts/exceptions in short " \
               "format\n" in out, out
        assert m.hmp("logfile /nonexistent/dir/log").endswith(
            "No such file or directory\n")
    with_machine(body, "timer", ["-S"])
    with open(log) as f:
        assert f.read(), "nothing logged"


def test_memsave_in_hmp_and_qmp():
    out = tempdir()

    def body(m):
        assert m.execute("memsave", val=0, size=64,
                         filename=f"{out}/v") == {"return": {}}
        assert m.execute("pmemsave", val=0, size=64,
                         filename=f"{out}/p") == {"return": {}}
        assert m.hmp(f"memsave 0 64 {out}/hv") == ""
        assert m.execute("memsave", val=0, size=4, filename=f"{out}/x",
                         **{"cpu-index": 1}) == {
            "error": {"class": "GenericError",
                      "desc": "Parameter 'cpu-index' expects a CPU number"}}
        assert m.execute("pmemsave", val=0, size=4,
                         filename="/nonexistent/dir/f") == {
            "error": {"class": "GenericError",
                      "desc": "Could not open '/nonexistent/dir/f': No such "
                              "file or directory"}}
        assert m.hmp("pmemsave 0 4 /nonexistent/dir/f") == (
            "Error: Could not open '/nonexistent/dir/f': No such file or "
            "directory\n")
    with_machine(body, "timer", ["-S"])
    with open(os.path.join(GUESTS, "timer.bin"), "rb") as f:
        start = f.read(64)
    for name in ("v", "p", "hv"):
        with open(os.path.join(out, name), "rb") as f:
            assert f.read() == start, name


def test_registers_are_live_after_system_reset():
    """After a reset the running guest's registers are shown, not the
    reset values: stopped later, R15 is where the guest is and $pc
    says the same."""
    def body(m):
        m.execute("system_reset")
        pcs = set()
        for _ in range(20):
            m.execute("cont")
            m.execute("query-status")
            m.execute("stop")
            regs = m.hmp("info registers")
            pc = re.search(r"R15=([0-9a-f]{8})", regs).group(1)
            assert int(m.hmp("print $pc"), 16) == int(pc, 16), regs
            pcs.add(pc)
            if pc != "00000000":
                return
        raise AssertionError(f"R15 stayed at {pcs} after system_reset")
    with_machine(body, "irqchain")


if __name__ == "__main__":
    main(globals())
