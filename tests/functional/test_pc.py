# The PC (-M pc, the default of emu-system-x86_64): Debian's SeaBIOS
# boots on tcg to "No bootable device" as on QEMU, reading fw_cfg, CMOS,
# the PCI configuration space and the PAM shadow; info pci and the CMOS
# bytes firmware reads are compared with qemu-system-x86_64's.  SeaBIOS
# boots a disk (a boot sector built here that then moves a sector by
# DMA with 48-bit addressing) and an El Torito CD made with xorriso.
# -kernel goes through fw_cfg and QEMU's linuxboot_dma.bin option ROM.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess

from emutest import (BUILD_DIR, PipeMonitor, Skip, Stream, binary, main, need_emulator,
                     run, run_fails, strip_ansi, tempdir)

GUESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                      "guests", "pc")
TEST_KERNEL = os.path.join(BUILD_DIR, "tests", "guests", "x86", "kernel.bin")
PIT_PIN2 = os.path.join(BUILD_DIR, "tests", "guests", "x86", "pitpin2.bin")
HPET_LOST = os.path.join(BUILD_DIR, "tests", "guests", "x86", "hpetlost.bin")
PIT_LOST = os.path.join(BUILD_DIR, "tests", "guests", "x86", "pitlost.bin")
HPET_GUEST = os.path.join(BUILD_DIR, "tests", "guests", "x86", "hpet.bin")
LINUXBOOT_ROM = "/usr/share/qemu/linuxboot_dma.bin"
EXIT_DEVICE = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
PASSED = 1                              # isa-debug-exit: (0 << 1) | 1
KERNEL_PASSED = 3                       # tests/guests/x86/kernel.S: 1

SEABIOS = "/usr/share/seabios/bios-256k.bin"
QEMU = "qemu-system-x86_64"
# QEMU's kvmvapic option ROM adds a boot entry emu has no reason to
# have; without it QEMU's SeaBIOS prints the same boot attempts.
QEMU_EXTRA = ["-global", "apic-common.vapic=off"]
NO_DISK = ("SeaBIOS (version 1.16.2-debian-1.16.2-1)\n"
           "Booting from Floppy...\n"
           "Boot failed: could not read the boot disk\n\n"
           "Booting from Hard Disk...\n"
           "Boot failed: could not read the boot disk\n\n"
           "No bootable device")


def need_seabios():
    need_emulator("x86_64")
    if not os.path.exists(SEABIOS):
        raise Skip("Debian's seabios package is not installed")


def need_qemu():
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")


def serial_until(program, args, pattern):
    """Runs a PC with -nographic on pipes until the serial console shows
    pattern; returns the console text (ANSI sequences removed)."""
    proc = subprocess.Popen([program] + args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        text = Stream(proc.stdout.fileno()).read_until(pattern)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    return strip_ansi(text).replace("\r", "")


def test_seabios_reaches_no_bootable_device_as_on_qemu():
    need_seabios()
    args = ["-nographic", "-nodefaults", "-serial", "stdio", "-no-reboot"]
    emu = serial_until(binary("x86_64"), args, "No bootable device")
    assert emu.endswith(NO_DISK), emu
    need_qemu()
    qemu = serial_until(QEMU, args + QEMU_EXTRA, "No bootable device")
    assert emu == qemu, (emu, qemu)


def test_seabios_log_on_debugcon():
    # What SeaBIOS found: fw_cfg with DMA and the e820 file, the shadow
    # RAM (it relocates into it), the i440FX and PIIX functions through
    # 0xcf8/0xcfc, the table loader (so it moves the PM base to 0x600,
    # as with QEMU), the PM timer at that base, the ACPI tables.
    need_seabios()
    log = os.path.join(tempdir(), "debugcon.txt")
    args = ["-nographic", "-nodefaults", "-serial", "stdio", "-m", "256",
            "-chardev", f"file,id=dbg,path={log}",
            "-device", "isa-debugcon,iobase=0x402,chardev=dbg"]
    serial_until(binary("x86_64"), args, "No bootable device")
    with open(log) as f:
        text = f.read()
    for line in [
            "Running on QEMU (i440fx)",
            "Found QEMU fw_cfg",
            "QEMU fw_cfg DMA interface supported",
            "qemu/e820: addr 0x0000000000000000 len 0x0000000010000000 [RAM]",
            "Relocating init from",
            "Moving pm_base to 0x600",
            "Found 4 PCI devices (max PCI bus is 00)",
            "PCI: map device bdf=00:01.1  bar 4, addr 0000c000, size "
            "00000010 [io]",
            "PCI: init bdf=00:00.0 id=8086:1237",
            "PCI: init bdf=00:01.0 id=8086:7000",
            "PCI: init bdf=00:01.1 id=8086:7010",
            "PCI: init bdf=00:01.3 id=8086:7113",
            "Using pmtimer, ioport 0x608",
            "table(50434146)=0x0ffe1",
            "ACPI: parse DSDT at 0x0ffe0040",
            "Found 1 cpu(s) max supported 1 cpu(s)",
            "sercon: using ioport 0x3f8",
            "ATA controller 1 at 1f0/3f4/0 (irq 14 dev 9)",
            "No bootable device."]:
        assert line in text, f"{line!r} not in {text!r}"


def emu_monitor(command, args):
    """What COMMAND prints on emu's monitor, run with ARGS and no
    display."""
    mon = PipeMonitor(args + ["-display", "none"], "x86_64")
    try:
        return mon.cmd(command)
    finally:
        mon.quit()


def qemu_info_pci(args):
    proc = subprocess.run([QEMU] + args + ["-display", "none", "-nodefaults",
                                           "-monitor", "stdio"],
                          input="info pci\nquit\n", capture_output=True,
                          text=True, timeout=60)
    text = strip_ansi(proc.stdout).replace("\r", "")
    start = text.index("  Bus ")
    return text[start:text.index("(qemu)", start)]


def info_block(args):
    return emu_monitor("info block", args + ["-S"])


EMPTY_CD = re.compile(r"ide1-cd0: \[not inserted\]\n"
                      r"    Attached to:      /machine/unattached/device"
                      r"\[\d+\]\n"
                      r"    Removable device: not locked, tray closed\n")


def test_default_empty_cd_rom_drive():
    # As on QEMU: without -nodefaults the secondary master is an empty
    # CD-ROM drive, unless something else is there; SeaBIOS tries it.
    need_seabios()
    assert EMPTY_CD.fullmatch(info_block([])), info_block([])
    assert info_block(["-nodefaults"]) == ""
    disk = os.path.join(tempdir(), "hdc.raw")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    hdc = info_block(["-drive", f"file={disk},format=raw,if=ide,index=2"])
    assert hdc.startswith("ide1-hd0 ("), hdc
    assert "cd0" not in hdc, hdc
    text = serial_until(binary("x86_64"),
                        ["-nographic", "-no-reboot", "-net", "none", "-vga",
                         "none", "-serial", "stdio", "-monitor", "none"],
                        "No bootable device")
    assert "Booting from DVD/CD...\nBoot failed: Could not read from " \
        "CDROM (code 0003)\n" in text, text


def test_info_pci_before_firmware_as_qemu():
    need_seabios()
    need_qemu()
    emu = emu_monitor("info pci", ["-S", "-nodefaults"])
    assert emu.startswith("  Bus  0, device   0, function 0:\n"
                          "    Host bridge: PCI device 8086:1237\n"), emu
    assert emu == qemu_info_pci(["-S"]), emu


def test_cmos_as_qemu():
    # The bytes SeaBIOS and other PC firmware read: equipment, memory
    # sizes, boot order, processors.
    need_seabios()
    need_qemu()
    regs = [0x10, 0x12, 0x14, 0x15, 0x16, 0x17, 0x18, 0x30, 0x31, 0x34, 0x35,
            0x38, 0x3d, 0x5b, 0x5c, 0x5d, 0x5f]
    script = "".join(f"o /b 0x70 {r:#x}\ni /b 0x71\n" for r in regs)
    for args in (["-m", "256", "-boot", "order=dc"],
                 ["-m", "5G", "-boot", "cn"], []):
        results = []
        for program in (binary("x86_64"), QEMU):
            proc = subprocess.run(
                [program, "-S", "-display", "none", "-nodefaults",
                 "-monitor", "stdio"] + args,
                input=script + "quit\n", capture_output=True, text=True,
                timeout=60)
            results.append([line for line in proc.stdout.splitlines()
                            if line.startswith("portb")])
        assert len(results[0]) == len(regs), results
        assert results[0] == results[1], (args, results)


def test_boot_errors_as_qemu():
    need_seabios()
    err = run_fails(["-boot", "order=acdn", "-display", "none"], "x86_64")
    assert "Too many boot devices for PC" in err, err
    err = run_fails(["-boot", "order=e", "-display", "none"], "x86_64")
    assert "Invalid boot device for PC: 'e'" in err, err
    err = run_fails(["-boot", "reboot-timeout=70000", "-display", "none"],
                    "x86_64")
    assert "reboot timeout is invalid" in err, err


def test_pit_on_ioapic_pin_2_as_on_qemu():
    # The MADT's override of ISA IRQ 0 to GSI 2 holds: the 8254 reaches
    # IOAPIC pin 2, not pin 0 (tests/guests/x86/pitpin2.S as -bios).
    # With -accel kvm the in-kernel routing says the same (GSI 0 to pin
    # 2, kvm_irqchip_route_irq0_to_pin2); this host's kvm (kvm-pvm)
    # stops this guest, on QEMU too, with "KVM internal error".
    need_seabios()
    args = ["-M", "pc", "-accel", "tcg", "-nodefaults", "-display", "none",
            "-serial", "stdio", "-bios", PIT_PIN2] + EXIT_DEVICE
    status, out, err = run(args, "x86_64")
    assert (status, out) == (PASSED, "pit on ioapic pin 2: 10 interrupts\n"
                                     "ioapic pin 0: interrupts 00000000\n"), \
        (status, out, err)
    need_qemu()
    qemu = subprocess.run([QEMU] + args, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert (qemu.returncode, qemu.stdout) == (status, out), qemu


def run_pitlost(*extra, guest=PIT_LOST, program=None):
    args = ["-M", "pc", "-accel", "tcg", "-nodefaults", "-display", "none",
            "-serial", "stdio", "-bios", guest] + EXIT_DEVICE + list(extra)
    if program:
        proc = subprocess.run([program] + args, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr
    return run(args, "x86_64")


def test_pit_delivers_missed_ticks_one_by_one():
    # lost_tick_policy=delay (the default, as kvm's PIT): 50 ms with
    # interrupts off, then every missed tick arrives, each after the EOI
    # of the last, through the 8259 and through IOAPIC pin 2
    # (tests/guests/x86/pitlost.S).
    need_emulator("x86_64")
    status, out, err = run_pitlost()
    every = "missed ticks taken one by one\nevery tick taken\n"
    assert (status, out) == (PASSED, "8259:\n" + every + "ioapic pin 2:\n" +
                             every + "done\n"), (status, out, err)
    # The policy can be QEMU's user-space PIT's: missed ticks may merge
    # into one and be lost for good.  Whether they do depends on when the
    # host runs the PIT's timer (a CI run once saw the 8259's arrive one
    # by one), so only the form of the report is checked here.
    status, out, err = run_pitlost("-global",
                                   "isa-pit.lost_tick_policy=discard")
    assert status == PASSED, (status, out, err)
    path = (r"(missed ticks taken one by one|"
            r"missed ticks merged: taken [0-9a-f]{8})\n"
            r"(every tick taken|ticks lost: taken [0-9a-f]{8})\n")
    assert re.fullmatch("8259:\n" + path + "ioapic pin 2:\n" + path +
                        "done\n", out), out
    err = run_fails(["-global", "isa-pit.lost_tick_policy=slew",
                     "-display", "none"], "x86_64")
    assert "lost_tick_policy" in err, err


def test_hpet_delivers_missed_ticks_one_by_one():
    # The same with the HPET's timer 0 in legacy replacement mode as the
    # tick (tests/guests/x86/hpetlost.S), as Linux uses it on -M pc.
    need_emulator("x86_64")
    status, out, err = run_pitlost(guest=HPET_LOST)
    every = "missed ticks taken one by one\nevery tick taken\n"
    assert (status, out) == (PASSED, "8259:\n" + every + "ioapic pin 2:\n" +
                             every + "done\n"), (status, out, err)
    # QEMU's HPET merges them (its timer callback raises IRQ 0 once for
    # every period it finds behind it): here the difference is shown,
    # not assumed.
    need_qemu()
    status, out, err = run_pitlost(guest=HPET_LOST, program=QEMU)
    assert status == PASSED and "missed ticks merged" in out, (out, err)


HPET_OUTPUT = """\
capabilities 8086a201 00989680
timer 0 00000004 00000030
timer 2 00000004 00000030
counter stopped 00000000
counter written 00000001 12345678
counter runs at 100 MHz
counter stops
timer 0 periodic: 5 interrupts
hw: legacy: timer 1 one-shot level on irq 8: interrupts 01, status 00000002
legacy: 32-bit one-shot across the wrap: interrupts 02
pit through the hpet
legacy: pit interrupts 00
legacy: timer 0 on irq 0, timer 1 on irq 8
hw: timer 2 route 3 refused: 00000030
done
"""


def without_hw_lines(text):
    return "".join(line + "\n" for line in text.splitlines()
                   if not line.startswith("hw:"))


def test_hpet_as_qemu():
    # The HPET of -M pc (hpet=on, QEMU's default): capabilities, the
    # counter, periodic, one-shot, level and 32-bit timers, legacy
    # replacement of the PIT's and the RTC's lines
    # (tests/guests/x86/hpet.S); the same on QEMU but for the "hw:" lines.
    need_emulator("x86_64")
    args = ["-M", "pc", "-accel", "tcg", "-nodefaults", "-display", "none",
            "-serial", "stdio", "-bios", HPET_GUEST] + EXIT_DEVICE
    status, out, err = run(args, "x86_64")
    assert (status, out) == (PASSED, HPET_OUTPUT), (status, out, err)
    need_qemu()
    qemu = subprocess.run([QEMU] + args, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert qemu.returncode == PASSED, qemu
    assert without_hw_lines(qemu.stdout) == without_hw_lines(out), qemu


def monitor_lines(program, args, command, pattern):
    """The lines of command's output matching pattern, on a stopped
    machine with args."""
    proc = subprocess.run([program, "-S", "-nodefaults", "-display", "none",
                           "-monitor", "stdio"] + args,
                          input=f"{command}\nquit\n", capture_output=True,
                          text=True, timeout=30)
    return [line for line in strip_ansi(proc.stdout).replace("\r", "")
            .splitlines() if re.search(pattern, line)]


def test_hpet_in_the_monitor_as_qemu():
    # info mtree: the HPET's 1 KiB at 0xfed00000; info qtree: the device
    # on the system bus with QEMU's properties and region; both gone
    # with -no-hpet or hpet=off.
    need_emulator("x86_64")
    need_qemu()
    emu = binary("x86_64")
    for program in (emu, QEMU):
        # (QEMU prints the memory map again for each CPU's address space.)
        assert set(monitor_lines(program, [], "info mtree", "hpet")) == \
            {"    00000000fed00000-00000000fed003ff (prio 0, i/o): hpet"}, \
            program
        qtree = monitor_lines(program, [], "info qtree",
                              r"dev: hpet|hpet-intcap|timers =|msi =|"
                              r"mmio 00000000fed00000")
        assert sorted(qtree) == sorted([
            "  dev: hpet, id \"\"", "    timers = 3 (0x3)",
            "    msi = false", "    hpet-intcap = 4 (0x4)",
            "    mmio 00000000fed00000/0000000000000400"]), (program, qtree)
        for option in (["-no-hpet"], ["-machine", "pc,hpet=off"]):
            assert monitor_lines(program, option, "info mtree", "hpet") == \
                [], (program, option)
    err = run_fails(["-machine", "pc,hpet=maybe", "-display", "none"],
                    "x86_64")
    assert "hpet" in err, err
    err = run_fails(["-global", "hpet.timers=2", "-display", "none"],
                    "x86_64")
    assert "timers must be between 3 and 32" in err, err


# Devices of QEMU's PC that emu does not have (docs/boards/pc.md): the
# PS/2 keyboard and mouse as devices of their own (emu's are the
# i8042's), the VMware mouse and port, the floppy controller and its
# drive, the parallel port, the PC speaker, the DMA controllers, the
# SMBus with its SPD EEPROMs and the TPR patching ROM; each is left out
# of QEMU's tree with what is below it.
QEMU_ONLY_QTREE = re.compile(r" *dev: (ps2-mouse|ps2-kbd|vmmouse|vmport|"
                             r"isa-fdc|isa-parallel|isa-pcspk|i8257|"
                             r"smbus-eeprom|kvmvapic),|"
                             r" *bus: i2c$")


def qtree_shape(program, args):
    """info qtree's buses and devices, with their PCI (class, BARs) and
    system bus (mmio) lines, but not their properties and pins; the
    devices only QEMU has are left out."""
    proc = subprocess.run([program, "-S", "-display", "none", "-monitor",
                           "stdio", "-global", "e1000.romfile="] + args,
                          input="info qtree\nquit\n", capture_output=True,
                          text=True, timeout=30)
    lines = [line for line in strip_ansi(proc.stdout).replace("\r", "")
             .splitlines() if re.match(r" *(bus:|type |dev: |class |bar \d|"
                                       r"mmio [0-9a-f]{16}/)", line)]
    shape, skip_below = [], None
    for line in lines:
        depth = len(line) - len(line.lstrip())
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        if QEMU_ONLY_QTREE.match(line):
            skip_below = depth
            continue
        shape.append(line)
    return shape


# Command lines people type: disks, a CD, -device on the ISA bus, a NIC.
QTREE_COMMAND_LINES = (
    ["-serial", "null"],
    ["-nodefaults", "-serial", "null", "-serial", "null"],
    ["-hda", "{disk}", "-cdrom", "{iso}", "-device", "isa-debug-exit",
     "-netdev", "user,id=n0", "-device", "e1000,netdev=n0", "-serial",
     "null"],
    ["-hda", "{disk}", "-hdb", "{disk2}", "-nic", "user", "-vga", "std",
     "-device", "isa-debugcon,chardev=c", "-chardev", "null,id=c",
     "-drive", "if=none,id=d3,file={disk3},format=qcow2",
     "-device", "ide-hd,drive=d3,bus=ide.1,unit=1", "-serial", "null"],
)


def test_qtree_as_qemu():
    # The whole tree, from the system bus (fw_cfg, the PCI host, the
    # IOAPIC, the HPET) through pci.0 (VGA, NICs, IDE with its ide-hd and
    # ide-cd drives, PIIX4 PM) and the PIIX3's isa.0 (the board's ISA
    # devices in QEMU's order, -device isa-*), as QEMU 7.2 shows it for
    # the same command line; devices emu does not have (QEMU_ONLY_QTREE)
    # are left out of QEMU's.
    need_emulator("x86_64")
    need_qemu()
    tmp = tempdir()
    files = {}
    for name in ("disk", "disk2", "disk3"):
        files[name] = os.path.join(tmp, name + ".qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                        files[name], "10M"], check=True)
    files["iso"] = os.path.join(tmp, "cd.iso")
    with open(files["iso"], "wb") as f:
        f.truncate(1 << 20)
    for args in QTREE_COMMAND_LINES:
        args = [a.format(**files) for a in args]
        got = qtree_shape(binary("x86_64"), args)
        want = qtree_shape(QEMU, args)
        assert got == want, (args, got, want)
    assert "  dev: ioapic, id \"\"" in got, got
    assert "          dev: ide-hd, id \"\"" in got, got


def ide_drive_properties(program, args):
    """The drive, serial, unit and ver lines of info qtree."""
    return monitor_lines(program, args, "info qtree",
                         r"dev: ide-|^ +(drive|serial|unit|ver|model) =")


def test_ide_drives_in_qtree_as_qemu():
    # QEMU's serial numbers (QM00001 for ide0's master... counting the
    # units, not the drives), unit numbers and drive names; -device
    # ide-hd/ide-cd with serial=, ver= and model=; QEMU's refusals.
    need_emulator("x86_64")
    need_qemu()
    tmp = tempdir()
    disk = os.path.join(tmp, "d.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk,
                    "10M"], check=True)
    args = ["-hdb", disk, "-drive",
            f"if=none,id=x,file={disk},format=qcow2,file.locking=off",
            "-device", "ide-hd,drive=x,bus=ide.1,unit=1,serial=S1,"
                       "ver=9.9,model=DISK"]
    ours = ide_drive_properties(binary("x86_64"), args)
    # (QEMU's model line for a default stays "": emu's too.)
    assert ours == [line for line in ide_drive_properties(QEMU, args)
                    if re.search(r"dev: |drive|serial|unit|ver|model",
                                 line)], ours
    assert '            serial = "QM00002"' in ours, ours
    for bad, message in (
            (["-device", "ide-hd,bus=ide.0"], "No drive specified"),
            (["-device", "ide-hd,drive=x,bus=ide.0,unit=2"],
             "Can't create IDE unit 2, bus supports only 2 units"),
            (["-hda", disk, "-device", "ide-hd,drive=x,bus=ide.0,"
                                       "unit=0"],
             "IDE unit 0 is in use")):
        err = run_fails(["-display", "none", "-drive",
                         f"if=none,id=x,file={disk},format=qcow2,"
                         "file.locking=off"] + bad, "x86_64")
        assert message in err, (bad, err)


def test_rtc_regions_in_mtree_as_qemu():
    # The RTC's two ports and, within them, its index port ("rtc-index",
    # QEMU's coalesced region).
    need_emulator("x86_64")
    need_qemu()
    lines = [monitor_lines(program, [], "info mtree", r"\): rtc")
             for program in (binary("x86_64"), QEMU)]
    assert lines[0] == [
        "    0000000000000070-0000000000000071 (prio 0, i/o): rtc",
        "      0000000000000070-0000000000000070 (prio 0, i/o): rtc-index",
    ] and set(lines[0]) == set(lines[1]), lines


def test_missing_bios_is_named():
    need_emulator("x86_64")
    err = run_fails(["-bios", "no-such-bios.bin", "-display", "none"],
                    "x86_64")
    assert "no-such-bios.bin" in err, err


def build_guest(name):
    """Assembles tests/guests/pc/NAME.S into a flat binary at 0x7c00."""
    obj = os.path.join(tempdir(), name + ".o")
    out = os.path.join(tempdir(), name + ".bin")
    subprocess.run(["as", "--32", "-o", obj,
                    os.path.join(GUESTS, name + ".S")], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00",
                    "--oformat", "binary", "-o", out, obj], check=True)
    return out


def test_disk_boot_and_lba48_dma():
    # SeaBIOS reads the boot sector by PIO; the boot sector then writes
    # and reads back LBA 0x12345678 of a 200 GiB qcow2 image by DMA.
    need_seabios()
    if not shutil.which("qemu-img") or not shutil.which("qemu-io"):
        raise Skip("qemu-img and qemu-io (qemu-utils) are not installed")
    disk = os.path.join(tempdir(), "disk.qcow2")
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2",
                    build_guest("ide-dma"), disk], check=True)
    subprocess.run(["qemu-img", "resize", "-q", disk, "200G"], check=True)
    status, out, err = run(["-nographic", "-nodefaults", "-serial", "stdio"] +
                           EXIT_DEVICE +
                           ["-drive", f"file={disk},format=qcow2,if=ide"],
                           "x86_64")
    out = strip_ansi(out).replace("\r", "")
    assert status == PASSED, (status, out, err)
    assert "emu: booted from the IDE disk\n" \
           "WRITE/READ DMA EXT at LBA 0x12345678: same data\n" in out, out
    check = subprocess.run(["qemu-img", "check", disk], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    verify = subprocess.run(["qemu-io", "-f", "qcow2", "-c",
                             f"read -P 0xa5 {0x12345678 * 512} 512", disk],
                            capture_output=True, text=True)
    assert "Pattern verification failed" not in verify.stdout, verify.stdout
    assert "read 512/512 bytes" in verify.stdout, verify.stdout


def test_cdrom_boot():
    need_seabios()
    if not shutil.which("xorriso"):
        raise Skip("xorriso is not installed")
    root = os.path.join(tempdir(), "cdroot")
    os.makedirs(root, exist_ok=True)
    shutil.copy(build_guest("cd-boot"), os.path.join(root, "boot.bin"))
    iso = os.path.join(tempdir(), "cd.iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso,
                    "-b", "boot.bin", "-no-emul-boot", "-boot-load-size", "4",
                    root], check=True, capture_output=True)
    status, out, err = run(["-nographic", "-nodefaults", "-serial", "stdio"] +
                           EXIT_DEVICE + ["-cdrom", iso, "-boot", "d"],
                           "x86_64")
    out = strip_ansi(out).replace("\r", "")
    assert status == PASSED, (status, out, err)
    assert "Booting from DVD/CD.." in out, out
    assert "emu: booted from the CD-ROM\n" in out, out


def need_linuxboot():
    need_seabios()
    if not os.path.exists(LINUXBOOT_ROM):
        raise Skip("QEMU's linuxboot_dma.bin (Debian's qemu-system-data) "
                   "is not installed")
    if not os.path.exists(TEST_KERNEL):
        raise Skip("the x86 test guests were not built (no binutils)")


def kernel_boot_report(program, args, cmdline, initrd_bytes):
    """Boots tests/guests/x86/kernel.S with -kernel/-initrd/-append;
    returns the exit status and its report from startup_64 on."""
    rd = os.path.join(tempdir(), "initrd.img")
    with open(rd, "wb") as f:
        f.write(initrd_bytes)
    proc = subprocess.run([program, "-nographic", "-nodefaults", "-serial",
                           "stdio", "-kernel", TEST_KERNEL, "-initrd", rd,
                           "-append", cmdline] + EXIT_DEVICE + args,
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120)
    out = strip_ansi(proc.stdout).replace("\r", "")
    return proc.returncode, out[out.find("Booting from"):]


# SeaBIOS's serial console keeps the last character it was given (the
# third "." of "Booting from ROM...") and the line feed after it back,
# and sends them when the next character comes or from its timer tick
# (IRQ 0, sercon_check_event).  It enters the boot ROM with interrupts
# on (call_boot_entry sets IF), and linuxboot's first instruction
# turns them off: a tick lands in between only when the host stops the
# vCPU there for a while (a loaded machine), and then ".\n" comes out
# before the kernel's first line.  Both are SeaBIOS's output, on QEMU
# as on emu; kernel_output() takes the held-back form.
HELD_BACK = re.compile(r"^Booting from ROM\.\.(\.\n)?")


def kernel_output(out):
    return HELD_BACK.sub("Booting from ROM..", out, count=1)


def test_kernel_through_fw_cfg_and_linuxboot_rom():
    # SeaBIOS boots the linuxboot option ROM first ("Booting from ROM"),
    # which loads the pieces by fw_cfg DMA and enters the setup code in
    # real mode; the test kernel checks the e820 map it gets from int
    # 0x15, the command line and the initrd (its bytes summed).
    need_linuxboot()
    cmdline = "console=ttyS0 emu.test=pc-linuxboot"
    initrd = os.urandom(5000)
    status, out = kernel_boot_report(binary("x86_64"), ["-m", "256"],
                                     cmdline, initrd)
    assert status == KERNEL_PASSED, (status, out)
    out = kernel_output(out)
    assert out.startswith("Booting from ROM..startup_64 at "
                          "0x0000000000100000\n"), out
    tail = (f'cmdline "{cmdline}"\n'
            f"initrd size 0x{len(initrd):08x} "
            f"sum 0x{sum(initrd) & 0xffffffff:08x}\n"
            "initrd ok\nboot protocol checks passed\n")
    assert tail in out, out
    assert "e820 addr 0x0000000000100000 size 0x000000000fe" in out, out
    # QEMU loads it to the same place and hands over the same pieces
    # (its e820 map differs: its ACPI tables and HyperTransport hole).
    need_qemu()
    status, qemu = kernel_boot_report(QEMU, ["-m", "256"] + QEMU_EXTRA,
                                      cmdline, initrd)
    assert status == KERNEL_PASSED, (status, qemu)
    qemu = kernel_output(qemu)
    assert qemu.splitlines()[0] == out.splitlines()[0], (out, qemu)
    assert tail in qemu, qemu


def test_kernel_errors():
    need_linuxboot()
    bad = os.path.join(tempdir(), "not-a-kernel")
    with open(bad, "wb") as f:
        f.write(bytes(4096))
    err = run_fails(["-display", "none", "-kernel", bad], "x86_64")
    assert f"kernel '{bad}' is not a Linux kernel image" in err, err
    err = run_fails(["-display", "none", "-kernel", TEST_KERNEL,
                     "-append", "x" * 3000], "x86_64")
    assert "the kernel command line (-append) has 3000 characters; " \
           f"kernel '{TEST_KERNEL}' takes at most 2047" in err, err
    big = os.path.join(tempdir(), "big-initrd")
    with open(big, "wb") as f:
        f.truncate(200 << 20)
    err = run_fails(["-display", "none", "-m", "128", "-kernel", TEST_KERNEL,
                     "-initrd", big], "x86_64")
    assert f"initrd '{big}' (200 MiB) does not fit" in err, err


if __name__ == "__main__":
    main(globals())
