# "info tlb" and "info mem" on emu-system-x86_64: the page tables of a
# long-mode guest (tests/guests/x86/gdbregs.S: 2 MiB pages mapping the
# first GiB twice) and "PG disabled" before paging, each byte for byte
# as QEMU 7.2 prints them (both read through QMP's
# human-monitor-command, which gives the text without a terminal's
# echo).  ARM's, which QEMU lacks, are test_arm_mmu_info.py's.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import subprocess
import time

from emutest import (BUILD_DIR, TIMEOUT, Skip, binary, main, qmp_connect,
                     tempdir)

GUEST = os.path.join(BUILD_DIR, "tests", "guests", "x86", "gdbregs.bin")
QEMU = shutil.which("qemu-system-x86_64")


def guest():
    if not os.path.exists(GUEST):
        raise Skip(f"{GUEST} was not built")
    return GUEST


def page_tables(program, extra=()):
    """(info mem, info tlb) once the guest runs in long mode (or at
    once with -S)."""
    d = tempdir()
    sock = os.path.join(d, "qmp.sock")
    proc = subprocess.Popen(
        [program, "-M", "pc", "-nodefaults", "-display", "none",
         "-bios", guest(), "-qmp", f"unix:{sock},server=on,wait=off"] +
        list(extra), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        qmp = qmp_connect(sock)
        qmp.negotiate()

        def hmp(line):
            reply, _ = qmp.cmd("human-monitor-command",
                               {"command-line": line})
            return reply["return"]

        deadline = time.monotonic() + TIMEOUT
        while "-S" not in extra and \
                "EFER=0000000000000500" not in hmp("info registers"):
            assert time.monotonic() < deadline, "no long mode"
            time.sleep(0.05)
        result = hmp("info mem"), hmp("info tlb")
        qmp.close()
        return result
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(d, True)


def test_long_mode_tables():
    mem, tlb = page_tables(binary("x86_64"))
    # Both GiBs writable, kernel only, as one range.
    assert mem == "0000000000000000-0000000080000000 " \
                  "0000000080000000 -rw\r\n", mem
    lines = tlb.split("\r\n")
    assert len(lines) == 1025 and lines[-1] == "", len(lines)
    # The page the guest runs in was accessed; the alias maps the same
    # frames a GiB up.
    assert lines[0] == "0000000000000000: 0000000000000000 --PDA---W", \
        lines[0]
    assert lines[513] == "0000000040200000: 0000000000200000 --P-----W", \
        lines[513]
    if QEMU:
        assert (mem, tlb) == page_tables(QEMU)


def test_before_paging():
    mem, tlb = page_tables(binary("x86_64"), ["-S"])
    assert (mem, tlb) == ("PG disabled\r\n", "PG disabled\r\n")
    if QEMU:
        assert (mem, tlb) == page_tables(QEMU, ["-S"])


def test_not_on_arm():
    out = subprocess.run(
        [binary("arm"), "-M", "none", "-display", "none", "-nodefaults",
         "-monitor", "stdio"], input="info tlb\ninfo mem\nquit\n",
        capture_output=True, text=True, timeout=TIMEOUT).stdout
    assert "unknown command: 'info tlb'" in out, out
    assert "unknown command: 'info mem'" in out, out


if __name__ == "__main__":
    main(globals())
