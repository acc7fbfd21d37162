# "info tlb" and "info mem" on emu-system-arm (docs/armv7.md): the page
# tables tests/guests/arm/mmu-info.c builds on -M none -cpu cortex-a15,
# in the short-descriptor format (mmu-info) and the long one
# (mmu-info-lpae), each line as the guest's tables say it must be.
# QEMU 7.2 has neither command for ARM ("unknown command"); its
# gva2gpa, run on the same guest, must translate the first and the last
# byte of every page emu lists to the same physical address, and call
# the addresses between them unmapped.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import subprocess
import time

from emutest import (BUILD_DIR, TIMEOUT, Skip, binary, main, qmp_connect,
                     tempdir)

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm")
QEMU = shutil.which("qemu-system-arm")


def guest(name):
    path = os.path.join(GUESTS, name + ".bin")
    if not os.path.exists(path):
        raise Skip(f"{path} was not built (arm-none-eabi-gcc missing?)")
    return path


class Guest:
    """A guest on -M none with an HMP line runner over QMP."""

    def __init__(self, program, name, extra=()):
        self.dir = tempdir()
        sock = os.path.join(self.dir, "qmp.sock")
        self.proc = subprocess.Popen(
            [program, "-M", "none", "-cpu", "cortex-a15", "-m", "64M",
             "-nodefaults", "-display", "none",
             "-device", f"loader,file={guest(name)},addr=0,cpu-num=0",
             "-qmp", f"unix:{sock},server=on,wait=off"] + list(extra),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self.qmp = qmp_connect(sock)
        self.qmp.negotiate()

    def hmp(self, line):
        reply, _ = self.qmp.cmd("human-monitor-command",
                                {"command-line": line})
        return reply["return"].replace("\r\n", "\n")

    def wait_mmu_on(self):
        """Until the guest has turned its MMU on (its tables are
        complete by then)."""
        deadline = time.monotonic() + TIMEOUT
        while "MMU disabled" in self.hmp("info mem"):
            assert time.monotonic() < deadline, "the MMU stayed off"
            time.sleep(0.05)

    def close(self):
        self.qmp.close()
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, True)


def tables(name, extra=()):
    g = Guest(binary("arm"), name, extra)
    try:
        if "-S" not in extra:
            g.wait_mmu_on()
        return g.hmp("info tlb"), g.hmp("info mem")
    finally:
        g.close()


SIZES = {"1K": 1 << 10, "4K": 1 << 12, "64K": 1 << 16, "1M": 1 << 20,
         "2M": 2 << 20, "16M": 16 << 20, "1G": 1 << 30}


def check_with_qemu(name, tlb):
    """QEMU's gva2gpa agrees with every accessible page of info tlb and
    finds nothing in the holes between them."""
    if QEMU is None:
        return
    g = Guest(QEMU, name)
    try:
        # QEMU has no ARM info tlb: poll a page the tables map
        deadline = time.monotonic() + TIMEOUT
        while "gpa:" not in g.hmp("gva2gpa 0xc0000000"):
            assert time.monotonic() < deadline, "QEMU's guest: no MMU"
            time.sleep(0.05)
        assert g.hmp("info tlb") == "unknown command: 'info tlb'\n"
        end = 0
        for line in tlb.splitlines():
            va, pa, size, prot = line.split()[:4]
            va, pa, size = int(va[:-1], 16), int(pa, 16), SIZES[size]
            if end < va:
                assert g.hmp(f"gva2gpa {end:#x}") == "Unmapped\n", line
            end = va + size
            # What no access can reach, QEMU's debug walk faults on too
            # (a denying domain, a clear access flag).
            if prot == "---/---" or (" af" not in line and
                                     "lpae" in name):
                continue
            for offset in (0, size - 1):
                # C's %#x: "0" for zero
                gpa = f"{pa + offset:#x}" if pa + offset else "0"
                assert g.hmp(f"gva2gpa {va + offset:#x}") == \
                    f"gpa: {gpa}\n", (line, offset)
    finally:
        g.close()


def test_short_descriptor_tables():
    tlb, mem = tables("mmu-info")
    ram = "".join(f"{i << 20:08x}: {i << 20:010x}  1M rwx/rwx dom=0 "
                  "tex=001 cb=11 s\n" for i in range(64))
    ttbr1 = "".join(f"{0xc0000000 + (i << 20):08x}: {i << 20:010x}  1M "
                    "rw-/--- dom=0 tex=000 cb=00\n" for i in range(4))
    assert tlb == ram + (
        "10000000: 0100000000 16M r--/--- dom=0 tex=000 cb=00 ng\n"
        "20000000: 0000300000  4K rwx/r-x dom=0 tex=000 cb=00 s ng\n"
        "20001000: 0000301000  4K rw-/rw- dom=0 tex=001 cb=11\n"
        "20010000: 0000400000 64K rwx/--- dom=0 tex=001 cb=00\n"
        "20100000: 0000500000  4K ---/--- dom=1 tex=000 cb=00\n"
        "20200000: 0000600000  1M rwx/rwx dom=2 tex=000 cb=00\n") + ttbr1, tlb
    assert mem == (
        "00000000-04000000 04000000 rwx/rwx\n"
        "10000000-11000000 01000000 r--/---\n"
        "20000000-20001000 00001000 rwx/r-x\n"
        "20001000-20002000 00001000 rw-/rw-\n"
        "20010000-20020000 00010000 rwx/---\n"
        "20100000-20101000 00001000 ---/---\n"
        "20200000-20300000 00100000 rwx/rwx\n"
        "c0000000-c0400000 00400000 rw-/---\n"), mem
    check_with_qemu("mmu-info", tlb)


def test_long_descriptor_tables():
    tlb, mem = tables("mmu-info-lpae")
    ram = "".join(f"{i << 21:08x}: {i << 21:010x}  2M rwx/rwx attr=1 sh=3 "
                  "af\n" for i in range(32))
    assert tlb == ram + (
        "40000000: 0100000000  1G rw-/--- attr=0 sh=0 af\n"
        "80000000: 0000300000  4K rwx/rwx attr=0 sh=0 ng af\n"
        "80001000: 0000301000  4K r--/r-- attr=0 sh=0 af\n"
        "80002000: 0000302000  4K rwx/rwx attr=0 sh=0\n"
        "80003000: 0000303000  4K rw-/--- attr=0 sh=0 af\n"
        "80200000: 0000304000  4K r-x/r-x attr=0 sh=0 af\n"
        "c0000000: 0000000000  2M r-x/--- attr=2 sh=0 af\n"), tlb
    assert mem == (
        "00000000-04000000 04000000 rwx/rwx\n"
        "40000000-80000000 40000000 rw-/---\n"
        "80000000-80001000 00001000 rwx/rwx\n"
        "80001000-80002000 00001000 r--/r--\n"
        "80002000-80003000 00001000 rwx/rwx\n"
        "80003000-80004000 00001000 rw-/---\n"
        "80200000-80201000 00001000 r-x/r-x\n"
        "c0000000-c0200000 00200000 r-x/---\n"), mem
    check_with_qemu("mmu-info-lpae", tlb)


def test_mmu_off():
    assert tables("mmu-info", ["-S"]) == ("MMU disabled\n", "MMU disabled\n")


if __name__ == "__main__":
    main(globals())
