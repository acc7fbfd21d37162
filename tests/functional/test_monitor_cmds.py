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


# -name and -uuid as info name/uuid and query-name/uuid show them.
IDENTITY_UUID = "12345678-9ABC-def0-1234-56789abcdef0"
IDENTITY = [
    ((), "", {}, "00000000-0000-0000-0000-000000000000"),
    (("-name", "guest=board7,debug-threads=on", "-uuid", IDENTITY_UUID),
     "board7\n", {"name": "board7"}, IDENTITY_UUID.lower()),
]


def identity(program):
    answers = []
    for extra, _, _, _ in IDENTITY:
        def body(m):
            return (m.hmp("info name"), m.execute("query-name")["return"],
                    m.hmp("info uuid"), m.execute("query-uuid")["return"])
        answers.append(with_machine(body, None, ["-S", *extra], program))
    return answers


def test_name_and_uuid():
    for (_, name, qmp_name, uuid), got in zip(IDENTITY, identity(binary())):
        assert got == (name, qmp_name, uuid + "\n", {"UUID": uuid}), got
    qemu = shutil.which("qemu-system-arm")
    if qemu:
        assert identity(qemu) == identity(binary())


def test_bad_uuid_is_refused():
    for program in [binary()] + ([shutil.which("qemu-system-arm")]
                                 if shutil.which("qemu-system-arm") else []):
        proc = subprocess.run([program, "-M", "none", "-uuid",
                               "12345678-9abc-def0-1234-56789abcdefg"],
                              capture_output=True, text=True,
                              timeout=TIMEOUT)
        assert proc.returncode == 1
        assert proc.stderr.endswith(
            ": -uuid 12345678-9abc-def0-1234-56789abcdefg: failed to parse "
            "UUID string: wrong format\n"), proc.stderr


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
        # The size is an expression, as in QEMU: an absolute file name
        # after it must be quoted, or its "/" divides.
        assert m.hmp(f'memsave 0 64 "{out}/hv"') == ""
        assert m.hmp(f"memsave 0 64 {out}/hv") == (
            f"invalid char '{out[1]}' in expression\n"
            "Try \"help memsave\" for more information\n")
        assert m.execute("memsave", val=0, size=4, filename=f"{out}/x",
                         **{"cpu-index": 1}) == {
            "error": {"class": "GenericError",
                      "desc": "Parameter 'cpu-index' expects a CPU number"}}
        assert m.execute("pmemsave", val=0, size=4,
                         filename="/nonexistent/dir/f") == {
            "error": {"class": "GenericError",
                      "desc": "Could not open '/nonexistent/dir/f': No such "
                              "file or directory"}}
        assert m.hmp('pmemsave 0 4 "/nonexistent/dir/f"') == (
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
        for attempt in range(20):
            m.execute("cont")
            m.execute("query-status")
            # On a loaded host the vCPU thread may not have been scheduled
            # between cont and stop: give it longer on each try.
            time.sleep(0.01 * attempt)
            m.execute("stop")
            regs = m.hmp("info registers")
            pc = re.search(r"R15=([0-9a-f]{8})", regs).group(1)
            assert int(m.hmp("print $pc"), 16) == int(pc, 16), regs
            pcs.add(pc)
            if pc != "00000000":
                return
        raise AssertionError(f"R15 stayed at {pcs} after system_reset")
    with_machine(body, "irqchain")


# ---- dump-guest-memory ----

EHSIZE = slice(0x28, 0x2a)       # e_ehsize of a 32-bit ELF header
EHSIZE64 = slice(0x34, 0x36)


def dump_with(program, args, arch, path):
    """Runs dump-guest-memory on a stopped machine; returns its answer."""
    sock = os.path.join(tempdir(), "qmp.sock")
    proc = subprocess.Popen([program, *args, "-display", "none", "-S",
                             "-qmp", f"unix:{sock},server,wait=off"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        qmp = qmp_connect(sock)
        qmp.negotiate()
        reply, _ = qmp.cmd("human-monitor-command",
                           {"command-line": f"dump-guest-memory {path}"})
        qmp.close()
        return reply["return"]
    finally:
        proc.kill()
        proc.wait()


def connex_args():
    return ["-M", "connex", "-serial", "null",
            "-drive", f"if=pflash,format=raw,file={flash_with('irqchain')}"]


def test_dump_guest_memory_connex_is_qemus_core():
    out = tempdir()
    assert dump_with(binary("arm"), connex_args(), "arm",
                     f"{out}/emu.core") == ""
    with open(f"{out}/emu.core", "rb") as f:
        core = f.read()
    # ELF32 little-endian ARM core: the null and .shstrtab sections, a
    # PT_NOTE, the SRAM and the SDRAM, and the names at the end.
    assert core[:20] == bytes.fromhex("7f454c46010101000000000000000000"
                                      "04002800")
    assert core[EHSIZE] == b"\x34\x00"
    assert len(core) == 0x18c + 0x40000 + 0x4000000 + 11
    assert core[-11:] == b"\0.shstrtab\0"
    assert core[0xf0:0xf8] == b"CORE\0\0\0\0"
    assert os.stat(f"{out}/emu.core").st_mode & 0o777 == 0o400
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise Skip("qemu-system-arm is not installed")
    assert dump_with(qemu, connex_args(), "arm", f"{out}/qemu.core") == ""
    with open(f"{out}/qemu.core", "rb") as f:
        theirs = f.read()
    # QEMU 7.2 writes 8 for e_ehsize; the ELF specification wants the
    # header's size.  Everything else is the same, byte for byte.
    assert core[:EHSIZE.start] == theirs[:EHSIZE.start]
    assert core[EHSIZE.stop:] == theirs[EHSIZE.stop:]


def test_gdb_reads_the_core():
    if not shutil.which("gdb-multiarch"):
        raise Skip("gdb-multiarch is not installed")
    out = tempdir()

    def body(m):
        m.execute("stop")
        regs = m.hmp("info registers")
        assert m.hmp(f"dump-guest-memory {out}/core") == ""
        words = m.hmp("xp /2xw 0xa0000000")
        return regs, words
    regs, words = with_machine(body, "irqchain")
    gdb = subprocess.run(
        ["gdb-multiarch", "-nx", "-batch", "-ex", "set architecture arm",
         "-ex", f"core-file {out}/core", "-ex", "info registers pc cpsr",
         "-ex", "x/2xw 0xa0000000"],
        capture_output=True, text=True, timeout=TIMEOUT)
    pc = re.search(r"R15=([0-9a-f]{8})", regs).group(1)
    psr = re.search(r"PSR=([0-9a-f]{8})", regs).group(1)
    assert re.search(rf"^pc\s+0x{int(pc, 16):x}\s", gdb.stdout, re.M), gdb.stdout
    assert re.search(rf"^cpsr\s+0x{int(psr, 16):x}\s", gdb.stdout, re.M), gdb.stdout
    values = words.split(":")[1].split()
    assert re.search(rf"0xa0000000:\s+{values[0]}\s+{values[1]}", gdb.stdout), \
        (words, gdb.stdout)


def test_dump_guest_memory_microvm_headers_and_notes_are_qemus():
    x86_guest = os.path.join(BUILD_DIR, "tests", "guests", "x86", "fw16.bin")
    if not os.path.exists(binary("x86_64")):
        raise Skip("emu-system-x86_64 is not built")
    if not os.path.exists(x86_guest):
        raise Skip(f"{x86_guest} was not built")
    args = ["-M", "microvm", "-m", "16M", "-nodefaults", "-bios", x86_guest]
    out = tempdir()
    assert dump_with(binary("x86_64"), args, "x86_64", f"{out}/emu.core") == ""
    with open(f"{out}/emu.core", "rb") as f:
        core = f.read(0x448)
    # ELF64, EM_386 outside long mode; NT_PRSTATUS then the QEMU note.
    assert core[:20] == bytes.fromhex("7f454c46020101000000000000000000"
                                      "04000300")
    assert core[0x1e4:0x1ec] == b"CORE\0\0\0\0"
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")
    assert dump_with(qemu, args, "x86_64", f"{out}/qemu.core") == ""
    with open(f"{out}/qemu.core", "rb") as f:
        theirs = f.read(0x448)
    # Headers, the memory layout and the vCPU notes (up to the memory,
    # where the boards' tables differ) as QEMU writes them.
    assert core[:EHSIZE64.start] == theirs[:EHSIZE64.start]
    assert core[EHSIZE64.stop:] == theirs[EHSIZE64.stop:]


def test_dump_guest_memory_errors():
    out = tempdir()

    def body(m):
        assert m.hmp("dump-guest-memory /nonexistent/dir/core") == (
            "Error: Could not open '/nonexistent/dir/core': No such file "
            "or directory\n")
        assert m.hmp(f"dump-guest-memory {out}/c 0xa0000000") == (
            "Error: Parameter 'length' is missing\n")
        assert m.hmp(f"dump-guest-memory -p {out}/c").startswith("Error: ")
        reply = m.execute("dump-guest-memory", paging=False,
                          protocol=f"file:{out}/q", begin=0xa0000000,
                          length=4096)
        assert reply == {"return": {}}, reply
        reply = m.execute("dump-guest-memory", paging=False,
                          protocol="tcp:x")
        assert "error" in reply, reply
    with_machine(body, "timer", ["-S"])
    # Only the range asked for: one page of SDRAM.
    assert os.path.getsize(f"{out}/q") == 52 + 2 * 40 + 2 * 32 + 0xa8 + \
        4096 + 11


if __name__ == "__main__":
    main(globals())
