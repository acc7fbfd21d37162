# -icount: virtual time from the instruction count.  The connex timer
# guest (tests/guests/arm/connex/timer.c) prints the OS timer count its
# interrupt handler reads at each of five ticks; with -icount those
# readings no longer depend on the host, so two runs print the same
# text, and with shift=0 it is the text qemu-system-arm prints.  On the
# PC, the x86 icount guest (tests/guests/x86/icount.S) reads the TSC
# around straight-line code, a loop and port I/O: each read sees the
# clock at its own instruction, the values QEMU's guest reads.  So do
# the ARM generic timer's counters on virt (tests/guests/arm/
# virt-timer.c), and its interrupt comes at QEMU's instruction.  The
# options' errors are QEMU's words.
# SPDX-License-Identifier: GPL-2.0-or-later
import re
import shutil
import subprocess

from emutest import (Skip, Stream, binary, main, need_emulator, need_kvm,
                     run, run_fails)
from test_connex import OSCR_HZ, flash_file, guest_args, need_connex
from test_microvm import guest
from test_virt import elf_guest

TIMEOUT = 120


def run_timer(program, icount):
    path = flash_file("timer")
    proc = subprocess.run([program] + guest_args(path) + ["-icount", icount],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=TIMEOUT)
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout.replace("\r", "")


def first_ticks(program, icount, n):
    """The timer guest's first n tick readings (shift=0 runs 100 M
    instructions a tick: the rest is not waited for)."""
    path = flash_file("timer")
    proc = subprocess.Popen([program] + guest_args(path) +
                            ["-icount", icount], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        out = Stream(proc.stdout.fileno(), drop_cr=True)
        text = out.read_until("\n", TIMEOUT)
        for _ in range(n):
            text += out.read_until("\n", TIMEOUT)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return text


def tick_counts(text):
    return [int(n) for n in re.findall(r"^tick \d oscr (\d+)$", text, re.M)]


def test_two_runs_read_the_same_time():
    need_connex()
    first = run_timer(binary("arm"), "shift=3,sleep=off")
    second = run_timer(binary("arm"), "shift=3,sleep=off")
    assert first == second, (first, second)
    # Each tick is read a few instructions after its match, and at 8 ns
    # an instruction that is at most a count of the 3.6864 MHz timer.
    period = OSCR_HZ // 10
    counts = tick_counts(first)
    assert len(counts) == 5, first
    for n, count in enumerate(counts, 1):
        assert n * period <= count <= n * period + 1, counts


def test_shift_scales_time_per_instruction():
    need_connex()
    # shift=0: 1 ns an instruction; the handler's few instructions are
    # less than a count, so each tick reads exactly its match.
    text = first_ticks(binary("arm"), "0,sleep=off", 2)
    period = OSCR_HZ // 10
    assert tick_counts(text) == [period, 2 * period], text


def test_same_readings_as_qemu():
    need_connex()
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise Skip("qemu-system-arm is not installed")
    ours = first_ticks(binary("arm"), "shift=0,sleep=off", 2)
    theirs = first_ticks(qemu, "shift=0,sleep=off", 2)
    assert ours == theirs, (ours, theirs)


def test_sleep_on_runs_to_the_end():
    need_connex()
    text = run_timer(binary("arm"), "shift=3")
    assert text.endswith("after OIER=0: 5 ticks, ICIP bit 0, "
                         "OSSR 0x0\n"), text


def tsc_readings(program, icount):
    args = ["-M", "pc", "-nodefaults", "-device",
            "isa-debug-exit,iobase=0xf4,iosize=0x04", "-accel", "tcg",
            "-display", "none", "-serial", "stdio", "-bios", guest("icount"),
            "-icount", icount]
    if program:
        proc = subprocess.run([program] + args, capture_output=True,
                              text=True, timeout=TIMEOUT)
        status, out = proc.returncode, proc.stdout
    else:
        status, out, _ = run(args, arch="x86_64")
    assert status == 3, (status, out)
    return out.replace("\r", "")


def test_x86_reads_at_their_instruction_as_qemu():
    need_emulator("x86_64")
    # shift=0: a ns an instruction.  The mov, the 100 nops and the second
    # rdtsc: 102; the loop's 2000 instructions and its two around: 2002;
    # ten outs, the mov and rdtsc: 12.
    text = tsc_readings(None, "shift=0,sleep=off")
    deltas = [int(line.split()[-1], 16) for line in text.splitlines()]
    assert deltas == [102, 2002, 12], text
    assert text == tsc_readings(None, "shift=0,sleep=off")
    shifted = tsc_readings(None, "shift=2,sleep=off")
    assert [int(line.split()[-1], 16) for line in shifted.splitlines()] == \
        [4 * d for d in deltas], shifted
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")
    for icount in ("shift=0,sleep=off", "shift=2,sleep=off"):
        assert tsc_readings(qemu, icount) == tsc_readings(None, icount), \
            icount


def generic_timer(program, icount):
    """tests/guests/arm/virt-timer.c's lines: the counters read, the
    virtual timer polled and its interrupt taken."""
    proc = subprocess.run([program or binary("arm"), "-M", "virt",
                           "-nographic", "-nodefaults", "-serial", "stdio",
                           "-kernel", elf_guest("virt-timer"),
                           "-icount", icount],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout.replace("\r", "")


def test_arm_generic_timer_at_its_instruction_as_qemu():
    need_emulator("arm")
    # shift=4: 16 ns an instruction, a tick of the 62.5 MHz counter.
    # The eight nops, the isb and the mrrc between two reads: 10 ticks;
    # CNTPCT read two instructions after CNTVCT; the timer's interrupt
    # (PPI 27) taken in the counting loop.
    text = generic_timer(None, "shift=4,sleep=off")
    values = dict(line.rsplit(" ", 1) for line in text.splitlines())
    assert int(values["after 8 nops"], 16) == 10, text
    assert int(values["cntpct - cntvct"], 16) == 2, text
    assert int(values["irq"], 16) == 27, text
    assert text == generic_timer(None, "shift=4,sleep=off")
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise Skip("qemu-system-arm is not installed")
    for icount in ("shift=0,sleep=off", "shift=4,sleep=off",
                   "shift=7,sleep=off"):
        assert generic_timer(qemu, icount) == generic_timer(None, icount), \
            icount


def test_errors():
    cases = {
        "shift=abc": "icount: Invalid shift value",
        "shift=11": "icount: Invalid shift value",
        "sleep=maybe": "Parameter 'sleep' expects 'on' or 'off'",
        "3,foo=1": "Invalid parameter 'foo'",
        "align=on": "Please specify shift option when using align",
        "shift=3,align=on,sleep=off":
            "align=on and sleep=off are incompatible",
    }
    for arg, words in cases.items():
        err = run_fails(["-M", "none", "-S", "-icount", arg])
        assert err == f"emu-system-arm: -icount {arg}: {words}\n", err
    err = run_fails(["-M", "none", "-S", "-icount", "3",
                     "-accel", "tcg,thread=multi"])
    assert err == ("emu-system-arm: -accel tcg,thread=multi: No MTTCG when "
                   "icount is enabled\n"), err
    # emu's own refusals: what it does not do, said so.
    err = run_fails(["-M", "none", "-S", "-icount", "3,rr=record"])
    assert "record/replay is not supported" in err, err
    err = run_fails(["-M", "virt", "-cpu", "cortex-a15", "-smp", "2", "-S",
                     "-icount", "3"])
    assert "-icount with 2 vCPUs is not supported" in err, err


def test_not_with_kvm():
    need_kvm()
    err = run_fails(["-M", "pc", "-accel", "kvm", "-S", "-display", "none",
                     "-icount", "3"], arch="x86_64")
    assert err == ("emu-system-x86_64: -icount is not allowed with "
                   "hardware virtualization\n"), err


if __name__ == "__main__":
    main(globals())
