# The x86-64 microvm machine under kvm, driven by the guests assembled in
# tests/guests/x86 (built into build/tests/guests/x86).  Skipped where
# /dev/kvm is missing.
# SPDX-License-Identifier: GPL-2.0-or-later
import datetime
import os
import re
import subprocess
import time

from emutest import BUILD_DIR, PipeMonitor, main, need_kvm, run, tempdir

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "x86")
MICROVM = ["-M", "microvm", "-accel", "kvm", "-nodefaults",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
# isa-debug-exit: the guest writes v, the emulator exits with (v << 1) | 1.
PASSED = (1 << 1) | 1


def guest(name, ext="bin"):
    path = os.path.join(GUESTS, f"{name}.{ext}")
    assert os.path.exists(path), f"{path} was not built"
    return path


def symbol(name, sym):
    """The address of a global symbol in a guest's ELF file."""
    out = subprocess.run(["nm", guest(name, "elf")], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == sym:
            return int(fields[0], 16)
    raise AssertionError(f"no symbol {sym} in {name}.elf")


def run_bios(name, extra=(), timeout=20):
    need_kvm()
    return run(MICROVM + ["-serial", "stdio", "-bios", guest(name)] + list(extra),
               arch="x86_64", timeout=timeout)


def check_run(result, status, output):
    got_status, out, err = result
    assert (got_status, out) == (status, output), \
        f"status {got_status}, output {out!r}, stderr {err!r}"


def wait_for_file(path, text, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                if text in f.read():
                    return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def registers(text, *names):
    values = []
    for name in names:
        match = re.search(rf"\b{name}=([0-9a-f]+)", text)
        assert match, f"no {name} in {text!r}"
        values.append(int(match.group(1), 16))
    return values


def test_minimal_firmware_exits():
    check_run(run_bios("exit"), 1, "")


def test_real_mode_port_io():
    check_run(run_bios("fw16"), (0x2a << 1) | 1,
              "emu x86 real-mode firmware\nscratch a5 lcr 03\n")


def test_protected_mode_timer_interrupt():
    check_run(run_bios("pm32"), PASSED,
              "32-bit protected mode\ntimer interrupt\ntimer masked\n")


def test_long_mode_timer_interrupt():
    check_run(run_bios("long64"), PASSED,
              "32-bit protected mode\n64-bit long mode, paging on\n"
              "timer interrupt in long mode\n")


def test_hlt_with_interrupts_off_idles():
    need_kvm()
    serial = os.path.join(tempdir(), "serial.txt")
    mon = PipeMonitor(MICROVM + ["-serial", f"file:{serial}", "-bios", guest("halt")],
                      arch="x86_64")
    try:
        wait_for_file(serial, "halting with interrupts disabled\n")
        before = cpu_seconds(mon.proc.pid)
        time.sleep(1)
        used = cpu_seconds(mon.proc.pid) - before
        assert used < 0.3, f"{used:.2f} s of CPU in 1 s of a halted guest"
        assert mon.cmd("info status") == "VM status: running\n"
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()
    with open(serial) as f:
        assert f.read() == "halting with interrupts disabled\n"


def test_unassigned_mmio_is_logged():
    log = os.path.join(tempdir(), "emu.log")
    check_run(run_bios("mmio", ["-d", "unimp,guest_errors", "-D", log]), PASSED,
              "read 0x00000000 from unassigned memory\nguest continues\n")
    with open(log) as f:
        text = f.read()
    # The pc is the instruction's on hardware virtualisation; KVM's
    # instruction emulator (kvm-pvm here) may report the next one.
    accesses = [
        ("unassigned write of size 4 at 0xd0000000, value 0x12345678",
         "write32", "write8"),
        ("unassigned write of size 1 at 0xd0000010, value 0xab",
         "write8", "read32"),
        ("unassigned read of size 4 at 0xd0000000", "read32", "after_read"),
    ]
    for access, first, last in accesses:
        match = re.search(re.escape(access) + r" \(pc 0x([0-9a-f]{8})\)\n", text)
        assert match, f"{access!r} not in the log: {text!r}"
        pc = int(match.group(1), 16)
        assert symbol("mmio", first) <= pc <= symbol("mmio", last), \
            f"pc 0x{pc:08x} outside {first}..{last}: {text!r}"


def test_cmos_clock_is_host_utc():
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    status, out, err = run_bios("rtc")
    after = datetime.datetime.now(datetime.timezone.utc)
    assert status == PASSED, f"status {status}, output {out!r}, stderr {err!r}"
    match = re.fullmatch(r"rtc (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) "
                         r"\((bcd|binary), (24h|12h)\)\n", out)
    assert match, out
    clock = datetime.datetime(*map(int, match.groups()[:6]),
                              tzinfo=datetime.timezone.utc)
    slack = datetime.timedelta(seconds=2)
    assert before - slack <= clock <= after + slack, \
        f"guest clock {clock}, host {before} .. {after}"


def test_triple_fault_resets():
    check_run(run_bios("triple"), PASSED,
              "boot 1\nboot 2\nrebooted after the triple fault\n")


def test_triple_fault_with_no_reboot_exits():
    check_run(run_bios("triple", ["-no-reboot"]), 0, "boot 1\n")


# What smp.bin's processors leave in the shared counters when every locked
# update was atomic: 2 x 20000 each (the 64-bit one in two words, the
# 16-bit one alone in its word, the decremented one at -40000).
SMP_COUNTERS = ("counters " + "00009c40 " * 6 + "00000000 00009c40 ffff63c0 "
                + "00009c40 " * 2)


def check_smp_output(status, out, err, counters=True):
    """Each CPU printed its line whole (the spinlock held), the counters
    are exact (unless not counters), and the BSP finished."""
    assert status == PASSED, f"status {status}, output {out!r}, stderr {err!r}"
    lines = out.splitlines()
    assert sorted(lines[:2]) == ["apic id 00", "apic id 01"], out
    assert len(lines) == 4 and lines[3] == "2 cpus up", out
    if counters:
        assert lines[2] == SMP_COUNTERS, out
    else:
        assert re.fullmatch(r"counters ([0-9a-f]{8} ){11}", lines[2]), out


def test_smp_each_cpu_prints_its_apic_id():
    # Under kvm the host's processors run the locked instructions, not
    # emu: the counters are the hypervisor's work.  (kvm-pvm, a software
    # hypervisor that emulates real mode, loses some "lock adc" updates.)
    check_smp_output(*run_bios("smp", ["-smp", "2"], timeout=60),
                     counters=False)


def boot_kernel(ram, cmdline, initrd_bytes):
    need_kvm()
    rd = os.path.join(tempdir(), "rd.img")
    with open(rd, "wb") as f:
        f.write(initrd_bytes)
    return run(MICROVM + ["-serial", "stdio", "-m", ram, "-kernel", guest("kernel"),
                          "-initrd", rd, "-append", cmdline],
               arch="x86_64")


def check_kernel_report(out, ram_bytes, cmdline, initrd_bytes):
    lines = out.splitlines()
    match = re.fullmatch(r"startup_64 at 0x([0-9a-f]{16})", lines[0])
    assert match, out
    load = int(match.group(1), 16)
    # Where the header asks (0x100000 or pref_address), or relocated to a
    # multiple of kernel_alignment.
    assert load == 0x100000 or load % 0x200000 == 0, hex(load)
    entries = []
    for line in lines[1:]:
        match = re.fullmatch(r"e820 addr 0x([0-9a-f]{16}) size 0x([0-9a-f]{16}) "
                             r"type ([0-9a-f]{8})", line)
        if not match:
            break
        entries.append(tuple(int(group, 16) for group in match.groups()))
    assert entries, out
    usable = sum(size for addr, size, kind in entries if kind == 1)
    # All of -m is RAM but the legacy area below 1 MiB (640 KiB to 1 MiB
    # at most) may be reserved.
    assert ram_bytes - 0x100000 <= usable <= ram_bytes, \
        f"{usable:#x} usable bytes for {ram_bytes:#x} of RAM: {out}"
    rest = lines[1 + len(entries):]
    assert rest == [f"e820 usable 0x{usable:016x}",
                    "e820 ok",
                    f'cmdline "{cmdline}"',
                    f"initrd size 0x{len(initrd_bytes):08x} "
                    f"sum 0x{sum(initrd_bytes) & 0xffffffff:08x}",
                    "initrd ok",
                    "boot protocol checks passed"], out
    return entries


def test_kernel_boot_protocol():
    cmdline = "console=ttyS0 emu.test=boot-protocol root=/dev/null quiet"
    initrd = os.urandom(3000)
    status, out, err = boot_kernel("128M", cmdline, initrd)
    assert status == PASSED, f"status {status}, output {out!r}, stderr {err!r}"
    check_kernel_report(out, 128 << 20, cmdline, initrd)


def test_kernel_ram_above_4g():
    cmdline = "emu.test=high-ram"
    initrd = bytes(range(256)) * 17
    status, out, err = boot_kernel("5G", cmdline, initrd)
    assert status == PASSED, f"status {status}, output {out!r}, stderr {err!r}"
    entries = check_kernel_report(out, 5 << 30, cmdline, initrd)
    # The hole below 4 GiB pushes part of the RAM above it.
    assert any(addr >= 1 << 32 and kind == 1 for addr, size, kind in entries), out
    assert not any(addr < 1 << 32 < addr + size for addr, size, kind in entries), out


def test_monitor_stop_cont_info_registers():
    need_kvm()
    serial = os.path.join(tempdir(), "serial.txt")
    mon = PipeMonitor(MICROVM + ["-serial", f"file:{serial}", "-bios", guest("spin")],
                      arch="x86_64")
    loop = symbol("spin", "spin_loop")
    try:
        wait_for_file(serial, "spinning in long mode\n")
        rip, rax = registers(mon.cmd("info registers"), "RIP", "RAX")
        assert rip in (loop, loop + 3), f"RIP {rip:#x}, loop at {loop:#x}"
        time.sleep(0.2)
        assert registers(mon.cmd("info registers"), "RAX")[0] > rax, "not running"

        start = time.monotonic()
        assert mon.cmd("stop") == ""
        assert time.monotonic() - start < 1, "stop took over a second"
        assert mon.cmd("info status") == "VM status: paused\n"
        regs = mon.cmd("info registers")
        rip, rax = registers(regs, "RIP", "RAX")
        assert rip in (loop, loop + 3), regs
        time.sleep(0.2)
        assert registers(mon.cmd("info registers"), "RAX")[0] == rax, "still running"
        # The loop through the vCPU's page tables, as QEMU prints it.
        assert mon.cmd("p $rip") == f"{rip:#x}\n"
        assert mon.cmd(f"x /2i {loop:#x}") == (
            f"0x{loop:08x}:  48 ff c0                 incq     %rax\n"
            f"0x{loop + 3:08x}:  eb fb                    jmp      {loop:#x}\n")
        assert mon.cmd("xp /2xb $pc") == f"{rip:016x}: 0x{'48' if rip == loop else 'eb'} " \
            f"0x{'ff' if rip == loop else 'fb'}\n"

        start = time.monotonic()
        assert mon.cmd("cont") == ""
        assert time.monotonic() - start < 1, "cont took over a second"
        assert mon.cmd("info status") == "VM status: running\n"
        time.sleep(0.2)
        assert registers(mon.cmd("info registers"), "RAX")[0] > rax, "not resumed"

        start = time.monotonic()
        status, err = mon.quit()
        assert status == 0, err
        assert time.monotonic() - start < 2, "quit took over two seconds"
    finally:
        mon.kill()


if __name__ == "__main__":
    main(globals())
