# Debian's amd64 kernel on the PC (-M pc, the default) under tcg, booted
# through SeaBIOS with -kernel/-initrd/-append (fw_cfg and the linuxboot
# ROM) to a busybox shell on the first serial port: the PIT's interrupt
# where the MADT says (IOAPIC pin 2), typed commands through the 16550,
# the PIIX3's IDE functions probed by ata_piix, and `poweroff -f` ending
# emu through ACPI S5 with exit status 0, as QEMU.  The kernel's check
# of the timer passes while the host stops emu for 300 ms at a time.
# The kernel sees and uses the HPET as on QEMU.
# SPDX-License-Identifier: GPL-2.0-or-later
import shutil
import signal
import subprocess
import threading
import time

from emutest import Skip, Stream, binary, main
from pclinux import PC, amd64_kernel, need_pc, pc_initramfs

QEMU = "qemu-system-x86_64"


def need_qemu():
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")


def test_kernel_initrd_to_a_shell_and_poweroff():
    pc = PC(["-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
             pc_initramfs(), "-append", "console=ttyS0"])
    try:
        # Bus-master IDE after the I/O BAR of the default e1000 (64
        # bytes, placed first by SeaBIOS), as on QEMU.
        for line in ("..TIMER: vector=0x30 apic1=0 pin1=2 apic2=-1 pin2=-1",
                     "ACPI: PM: (supports S0 S5)",
                     "scsi host0: ata_piix",
                     "ata1: PATA max MWDMA2 cmd 0x1f0 ctl 0x3f6 bmdma 0xc040 "
                     "irq 14",
                     "Run /init as init process"):
            assert line in pc.boot, (line, pc.boot)
        # The timer check of the kernel's IOAPIC setup passed on pin 2,
        # rather than falling back to the 8259 (ExtINT).
        assert "8254 timer not connected" not in pc.boot, pc.boot
        assert "as ExtINT IRQ" not in pc.boot, pc.boot
        pc.run("echo typed-$((6*7)); cat /proc/cmdline",
               "typed-42\nconsole=ttyS0\n")
        pc.poweroff()
    finally:
        pc.close()


# Not "tsc: using HPET reference calibration": whether the kernel's fast
# PIT calibration succeeds first depends on the host's timing, in QEMU too.
HPET_LINES = ("ACPI: HPET id: 0x8086a201 base: 0xfed00000",
              "clocksource: hpet: mask: 0xffffffff max_cycles: 0xffffffff",
              "hpet: 3 channels of 0 reserved for per-cpu timers",
              "hpet0: at MMIO 0xfed00000, IRQs 2, 8, 0",
              "hpet0: 3 comparators, 64-bit 100.000000 MHz counter",
              "nvram, hpet irqs")
CLOCKSOURCES = "/sys/devices/system/clocksource/clocksource0/"


def hpet_view(program=None):
    """What the kernel says of the HPET, and the clock sources it offers
    and uses."""
    pc = PC(["-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
             pc_initramfs(), "-append", "console=ttyS0"], program=program)
    try:
        lines = [line for line in HPET_LINES if line in pc.boot]
        sources = pc.run(f"cat {CLOCKSOURCES}available_clocksource "
                         f"{CLOCKSOURCES}current_clocksource; echo E''ND",
                         "END\n")
        pc.poweroff()
    finally:
        pc.close()
    return lines, sources.splitlines()[-3:-1]


def test_hpet_as_qemu():
    # Debian's kernel finds the HPET from the ACPI table, calibrates the
    # TSC against it, registers it as a clock source and hpet0 with
    # its three comparators (legacy replacement: IRQs 2 and 8), and
    # the RTC driver uses its interrupts, as on QEMU.
    need_qemu()
    lines, sources = hpet_view()
    assert lines == list(HPET_LINES), lines
    assert sources == ["tsc hpet acpi_pm ", "tsc"], sources
    # QEMU's kernel may mark its TSC unstable when the host is loaded and
    # move to another clock: the HPET lines and the offered sources only.
    qemu_lines, qemu_sources = hpet_view(QEMU)
    assert (qemu_lines, qemu_sources[0]) == (lines, sources[0]), qemu_sources


def boot_through_host_stalls(until, extra=()):
    """Boots with the kernel's timer check while the whole of emu is
    stopped (SIGSTOP) for 300 ms of every 400, as a loaded host
    deschedules both of its threads, until the check is over; returns
    what the kernel printed up to UNTIL.  With the HPET (the default) the
    kernel's tick during the check is its timer 0 in legacy replacement
    mode; with -no-hpet in extra, the PIT."""
    need_pc()
    proc = subprocess.Popen(
        [binary("x86_64"), "-m", "1G", "-display", "none", "-serial",
         "stdio", "-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
         pc_initramfs(), "-append", "console=ttyS0"] + list(extra),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    checked = threading.Event()

    def stall():
        while not checked.wait(0.1):
            proc.send_signal(signal.SIGSTOP)
            time.sleep(0.3)
            proc.send_signal(signal.SIGCONT)

    staller = threading.Thread(target=stall)
    staller.start()
    try:
        out = Stream(proc.stdout.fileno(), drop_cr=True)
        boot = out.read_until("..TIMER: ", 300)
        # The check waits 160 ms of TSC time: over after 2 s of stalls.
        time.sleep(2)
        checked.set()
        staller.join()
        boot += out.read_until(until, 300)
    finally:
        checked.set()
        staller.join()
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return boot


def test_timer_check_through_host_stalls():
    # The PIT holds the ticks the stalls make overdue and hands them
    # over one EOI at a time (lost_tick_policy=delay), so Linux counts
    # them (docs/x86-interrupts.md).
    boot = boot_through_host_stalls("emu-init: x86_64\n", ["-no-hpet"])
    assert "8254 timer not connected" not in boot, boot


def test_timer_check_on_the_hpet_through_host_stalls():
    # The same with the HPET's timer 0 as the tick, which holds its
    # ticks the same way (hw/timer/hpet.c; QEMU's merges them).
    boot = boot_through_host_stalls("emu-init: x86_64\n")
    assert "hpet0: at MMIO 0xfed00000" in boot, boot
    assert "8254 timer not connected" not in boot, boot
    # (With lost_tick_policy=discard the check fails only when a stall
    # hits its 160 ms: pitlost.S in test_pc shows the merging for sure.)


if __name__ == "__main__":
    main(globals())
