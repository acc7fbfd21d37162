# The PC's ACPI and SMBIOS tables and power management, compared with
# QEMU's: a CD boot image built here (tests/guests/pc/acpi-dump.S) prints
# the tables SeaBIOS installed from fw_cfg, under emu and under
# qemu-system-x86_64; the fixed tables and SMBIOS must be byte for byte
# QEMU's and
# the DSDT, disassembled with iasl (Debian's acpica-tools), must describe
# the PCI links, the ISA devices, the PCI hotplug slots and \_S5 as
# QEMU's does.  The PIIX4 PM
# registers (power button, ACPI enable through the APM port, S5) are
# driven from the monitor on both and must answer alike.  Debian's
# amd64 kernel, booted with -kernel through SeaBIOS, takes the tables.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess

from armmp import INIT, busybox_initramfs
from emutest import (Skip, Stream, binary, main, need_emulator, strip_ansi,
                     tempdir)
from pclinux import amd64_kernel

GUESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                      "guests", "pc")
SEABIOS = "/usr/share/seabios/bios-256k.bin"
QEMU = "qemu-system-x86_64"
QEMU_EXTRA = ["-global", "apic-common.vapic=off"]
EXIT_DEVICE = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
DUMP_DONE = 1                       # isa-debug-exit: (0 << 1) | 1


def need_tools():
    need_emulator("x86_64")
    if not os.path.exists(SEABIOS):
        raise Skip("Debian's seabios package is not installed")
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")


def dump_iso():
    if not shutil.which("xorriso"):
        raise Skip("xorriso is not installed")
    iso = os.path.join(tempdir(), "acpi-dump.iso")
    if os.path.exists(iso):
        return iso
    root = os.path.join(tempdir(), "acpi-root")
    os.makedirs(root, exist_ok=True)
    obj = os.path.join(tempdir(), "acpi-dump.o")
    subprocess.run(["as", "--32", "-o", obj,
                    os.path.join(GUESTS, "acpi-dump.S")], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat",
                    "binary", "-o", os.path.join(root, "boot.bin"), obj],
                   check=True)
    made = subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso,
                           "-b", "boot.bin", "-no-emul-boot",
                           "-boot-load-size", "4", root],
                          capture_output=True, text=True)
    # Failed once under heavy load with nothing else said: keep its words.
    assert made.returncode == 0, (made.returncode, made.stdout, made.stderr)
    return iso


def guest_tables(program, args):
    """The tables as the guest found them: {signature: bytes}."""
    proc = subprocess.run([program, "-nographic", "-nodefaults", "-serial",
                           "stdio", "-cdrom", dump_iso(), "-boot", "d"] +
                          EXIT_DEVICE + args, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    text = strip_ansi(proc.stdout).replace("\r", "")
    assert proc.returncode == DUMP_DONE, (proc.returncode, text,
                                          proc.stderr)
    assert "\nEND\n" in text, text
    tables, current = {}, None
    for line in text.splitlines():
        match = re.search(r"TABLE (\S{4}) [0-9a-f]{8}$", line)
        if match:
            current = match.group(1)
            tables[current] = b""
        elif current and re.fullmatch(r"[0-9a-f]+", line):
            tables[current] += bytes.fromhex(line)
    return tables


def masked(table, offsets):
    data = bytearray(table)
    for offset in offsets:
        data[offset] = 0
    return bytes(data)


# FADT: its checksum and the addresses of the FACS and the DSDT, which
# depend on where the tables landed.
FADT_ADDRESSES = [9] + list(range(36, 44))
ARGS = ["-m", "512", "-smp", "1,maxcpus=3", "-serial", "null"]


def test_tables_as_qemu():
    need_tools()
    emu = guest_tables(binary("x86_64"), ARGS)
    qemu = guest_tables(QEMU, ARGS + QEMU_EXTRA)
    for name, table in emu.items():
        assert sum(table) % 256 == 0 or name in ("FACS", "SMBS"), name
    assert sorted(emu) == ["APIC", "DSDT", "FACP", "FACS", "HPET", "PCMP",
                           "RSDP", "RSDT", "SMBS", "WAET", "_MP_", "_SM_"], \
        sorted(emu)
    # The RSDT lists the FADT, the MADT, the HPET and the WAET, as QEMU's.
    rsdt = emu["RSDT"]
    assert rsdt[:4] == b"RSDT" and len(rsdt) == 36 + 4 * 4, rsdt
    assert emu["RSDP"][:8] == b"RSD PTR " and emu["RSDP"][15] == 0
    for name in ("FACS", "APIC", "HPET", "WAET"):
        assert emu[name] == qemu[name], (name, emu[name].hex(),
                                         qemu[name].hex())
    # The PM blocks at 0x600 where SeaBIOS put them, SCI 9, SMI_CMD 0xb2.
    assert masked(emu["FACP"], FADT_ADDRESSES) == \
        masked(qemu["FACP"], FADT_ADDRESSES), (emu["FACP"].hex(),
                                               qemu["FACP"].hex())
    # Three local APICs, the third and second absent: maxcpus=3.
    assert emu["APIC"].count(bytes([0, 8])) >= 3


def test_no_hpet_as_qemu():
    # -no-hpet and -machine hpet=off: no HPET table, the RSDT three
    # entries long, as QEMU's.
    need_tools()
    qemu = guest_tables(QEMU, ARGS + QEMU_EXTRA + ["-no-hpet"])
    for option in (["-no-hpet"], ["-machine", "pc,hpet=off"]):
        emu = guest_tables(binary("x86_64"), ARGS + option)
        assert "HPET" not in emu and len(emu["RSDT"]) == 36 + 3 * 4, \
            (option, sorted(emu))
        assert sorted(emu) == sorted(qemu), (option, sorted(emu))
        for name in ("FACS", "APIC", "WAET"):
            assert emu[name] == qemu[name], (option, name)


def test_apic_ids_in_madt_and_mp_table_as_qemu():
    # Topologies whose APIC IDs leave gaps, with CPUs to hot-plug: the
    # MADT (an entry per possible CPU, its APIC ID) and the MP table that
    # SeaBIOS builds from the processors it woke (the first of each
    # package, among APIC IDs below FW_CFG_MAX_CPUS, QEMU's apic_id_limit)
    # must be QEMU's byte for byte.
    need_tools()
    for smp in ("4,sockets=2,cores=3,maxcpus=6",
                "6,sockets=3,cores=1,threads=2",
                "5,cores=2,threads=3,maxcpus=6"):
        args = ["-m", "256", "-smp", smp, "-serial", "null"]
        emu = guest_tables(binary("x86_64"), args)
        qemu = guest_tables(QEMU, args + QEMU_EXTRA)
        for name in ("APIC", "_MP_", "PCMP"):
            assert emu[name] == qemu[name], (smp, name, emu[name].hex(),
                                             qemu[name].hex())
    # -smp 4,sockets=2,cores=3,maxcpus=6: IDs 0 1 2 4 enabled, 5 6 not.
    madt = guest_tables(binary("x86_64"), ["-smp", "4,sockets=2,cores=3,"
                                           "maxcpus=6", "-serial", "null"])
    entries = re.findall(rb"\x00\x08(.)(.)(.)\x00\x00\x00",
                         madt["APIC"][44:], re.S)
    assert [(uid[0], apic[0], flags[0]) for uid, apic, flags in entries] == [
        (0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 4, 1), (4, 5, 0), (5, 6, 0)], \
        entries


def test_smbios_as_qemu():
    # QEMU's system, chassis, processor (one per socket), memory array,
    # DIMMs of 16 GiB at most, a range per RAM region (below and above
    # 4 GiB) and boot status, with SeaBIOS's BIOS information added: the
    # entry point and the structure table as QEMU's for each -m and -smp.
    need_tools()
    for args in (["-m", "100"], ["-m", "3584", "-smp", "4,cores=2,threads=2"],
                 ["-m", "20G", "-smp", "4,sockets=2,cores=2"]):
        args += ["-serial", "null"]
        emu = guest_tables(binary("x86_64"), args)
        qemu = guest_tables(QEMU, args + QEMU_EXTRA)
        for name in ("_SM_", "SMBS"):
            assert emu[name] == qemu[name], (args, name, emu[name].hex(),
                                             qemu[name].hex())
        assert b"QEMU\0Standard PC (i440FX + PIIX, 1996)\0pc-i440fx-7.2" \
            in emu["SMBS"], emu["SMBS"]


def test_smbios_options_as_qemu():
    # -uuid and -smbios type=1 (a cloud-init NoCloud serial among them),
    # type=3 and type=11 (OEM strings, adding up over options) as QEMU
    # puts them into the tables; bad options refused with QEMU's words.
    need_tools()
    for args in (
            ["-uuid", "12345678-9abc-def0-1122-334455667788"],
            ["-smbios", "type=1,manufacturer=Acme,product=Box,version=2,"
             "serial=S123,sku=K,family=F,"
             "uuid=aabbccdd-eeff-0011-2233-445566778899"],
            ["-smbios", "type=3,manufacturer=M,version=V,serial=S,asset=A,"
             "sku=K"],
            ["-smbios", "type=11,value=hello,value=world", "-smbios",
             "type=11,value=third"],
            ["-smbios", "type=1,serial=ds=nocloud;s=http://10.0.2.2:8000/",
             "-smbios", "type=1,product=P"]):
        args += ["-m", "128", "-serial", "null"]
        emu = guest_tables(binary("x86_64"), args)
        qemu = guest_tables(QEMU, args + QEMU_EXTRA)
        for name in ("_SM_", "SMBS"):
            assert emu[name] == qemu[name], (args, name, emu[name].hex(),
                                             qemu[name].hex())
    for option, message in (
            ("type=5", "Don't know how to build fields for SMBIOS type 5"),
            ("foo=1", "Must specify type= or file="),
            ("type=1,foo=bar", "Invalid parameter 'foo'"),
            ("type=1,uuid=zz", "Invalid UUID"),
            ("type=x", "Parameter 'type' expects a number")):
        proc = subprocess.run([binary("x86_64"), "-smbios", option],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 1 and proc.stderr == \
            f"emu-system-x86_64: -smbios {option}: {message}\n", \
            (option, proc.returncode, proc.stderr)


def disassemble(dsdt):
    directory = tempfile_dir()
    path = os.path.join(directory, "dsdt.dat")
    with open(path, "wb") as f:
        f.write(dsdt)
    proc = subprocess.run(["iasl", "-d", path], capture_output=True,
                          text=True, cwd=directory, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Error" not in proc.stdout + proc.stderr, proc.stdout
    with open(os.path.join(directory, "dsdt.dsl")) as f:
        return f.read()


def tempfile_dir():
    path = os.path.join(tempdir(), f"iasl-{len(os.listdir(tempdir()))}")
    os.makedirs(path)
    return path


def block(dsl, header):
    """The lines of the ASL block that starts with header, braces
    balanced."""
    lines = dsl.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(header):
            depth, out = 0, []
            for body in lines[i:]:
                out.append(body.strip())
                depth += body.count("{") - body.count("}")
                if depth == 0 and "{" in "".join(out):
                    return "\n".join(out)
    raise AssertionError(f"{header} not in the DSDT")


def test_dsdt_as_qemu():
    need_tools()
    if not shutil.which("iasl"):
        raise Skip("iasl (Debian's acpica-tools) is not installed")
    emu = disassemble(guest_tables(binary("x86_64"), ARGS)["DSDT"])
    qemu = disassemble(guest_tables(QEMU, ARGS + QEMU_EXTRA)["DSDT"])
    for header in ["Device (LNKA)", "Device (LNKB)", "Device (LNKC)",
                   "Device (LNKD)", "Device (LNKS)", "Method (IQST",
                   "Method (IQCR", "Device (KBD)", "Device (MOU)",
                   "Device (COM1)", "Device (COM2)", "Device (RTC)",
                   "Device (GPE0)", "Device (FWCF)", "Name (_S5",
                   "Field (PCI0.S08.P40C", "Device (HPET)",
                   # ACPI PCI hotplug: the registers, the methods, the
                   # slots (S00 the host bridge's, S10 the first free),
                   # the GPE handler.
                   "Field (PCST", "Field (SEJ", "Field (BNMR",
                   "Method (PCEJ", "Method (AIDX", "Method (PDSM",
                   "Device (S00)", "Device (S10)", "Device (SF8)",
                   "Method (DVNT", "Method (PCNT", "Device (PHPR)",
                   "Method (_E01"]:
        assert block(emu, header) == block(qemu, header), header
    assert "Name (BSEL, Zero)" in emu, emu
    # The root bridge's windows are QEMU's (which names them in a Scope
    # of its own, followed by its hotplug devices).
    def stripped(text):
        return "\n".join(line.strip() for line in text.splitlines())
    crs_emu = stripped(emu[emu.index("WordBusNumber"):
                           emu.index("Name (_PRT")]).rsplit("})", 1)[0]
    crs_qemu = stripped(qemu[qemu.index("WordBusNumber"):])
    assert crs_qemu.startswith(crs_emu), (crs_emu, crs_qemu)
    # Each slot's INTA-D go to the links as the PIIX3 routes them:
    # slot 0 INTA to LNKD, slot 1 INTA to LNKS (the SCI), slot 2 INTA to
    # LNKB.
    prt = block(emu, "Name (_PRT")
    entries = re.findall(r"Package \(0x04\)\s*\{\s*(\S+),\s*(\S+),\s*"
                         r"\\_SB\.(LNK.),", prt.replace("\n", " "))
    assert len(entries) == 128, len(entries)
    for i, (address, pin, link) in enumerate(entries):
        slot = i // 4
        assert address == (f"0x{slot:04X}FFFF" if slot else "0xFFFF"), i
        assert pin == ["Zero", "One", "0x02", "0x03"][i % 4], i
        assert link == ("LNKS" if i == 4 else "LNK" + "DABC"[(slot + i) % 4]), i
    assert "Processor (C000, 0x00, 0x00000000, 0x00)" in emu, emu
    # Without the HPET neither has the device.
    emu = disassemble(guest_tables(binary("x86_64"),
                                   ARGS + ["-no-hpet"])["DSDT"])
    qemu = disassemble(guest_tables(QEMU, ARGS + QEMU_EXTRA +
                                    ["-no-hpet"])["DSDT"])
    assert "HPET" not in emu and "HPET" not in qemu, (emu, qemu)
    # A VGA's slot (its sleep states, no eject) and that of an e1000
    # present from the start (which may go), as QEMU's.
    args = ARGS + ["-vga", "std", "-device", "e1000"]
    emu = disassemble(guest_tables(binary("x86_64"), args)["DSDT"])
    qemu = disassemble(guest_tables(QEMU, args + QEMU_EXTRA)["DSDT"])
    for header in ("Device (S10)", "Device (S18)", "Method (DVNT"):
        assert block(emu, header) == block(qemu, header), header
    assert "_S1D" in block(emu, "Device (S10)"), emu


def monitor_session(program, script):
    proc = subprocess.run([program, "-S", "-display", "none", "-nodefaults",
                           "-monitor", "stdio"], input=script,
                          capture_output=True, text=True, timeout=30)
    lines = [line for line in strip_ansi(proc.stdout).splitlines()
             if line.startswith("port")]
    return proc.returncode, lines


# PMBA (00:01.3, 0x40) = 0x600 and PMIOSE, as SeaBIOS programs them;
# then the power button, the SCI enable through the APM port and a
# soft-off (SLP_TYP 0, SLP_EN).
PM_SCRIPT = """o /w 0xcf8 0x80000b40
o /w 0xcfc 0x601
o /w 0xcf8 0x80000b80
o /b 0xcfc 0x1
i /h 0x600
system_powerdown
i /h 0x600
o /h 0x600 0x100
i /h 0x600
i /h 0x604
o /b 0xb2 0xf1
i /h 0x604
o /b 0xb2 0xf0
i /h 0x604
o /b 0xafe2 0x3
i /w 0xafe0
o /h 0x604 0x2000
"""


def test_pm_registers_as_qemu():
    need_tools()
    emu_status, emu = monitor_session(binary("x86_64"), PM_SCRIPT)
    assert emu[:3] == ["portw[0x0600] = 0x0000",
                       "portw[0x0600] = 0x0100",         # PWRBTN_STS
                       "portw[0x0600] = 0x0000"], emu    # written 1: clear
    assert emu[3:6] == ["portw[0x0604] = 0x0000", "portw[0x0604] = 0x0001",
                        "portw[0x0604] = 0x0000"], emu   # SCI_EN by APM
    assert emu[6] == "portl[0xafe0] = 0x00030000", emu   # GPE0_EN
    # QEMU's PM1_STS differs: it models the timer overflow status, and
    # its power button press waits for its main loop; the rest is alike.
    qemu_status, qemu = monitor_session(QEMU, PM_SCRIPT)
    assert emu[3:] == qemu[3:], (emu, qemu)
    # The soft-off ended both.
    assert emu_status == 0 and qemu_status == 0, (emu_status, qemu_status)


def test_linux_takes_the_tables():
    # Debian's kernel through SeaBIOS and the linuxboot ROM on tcg: its
    # ACPI interpreter loads the DSDT, enables ACPI mode, configures the
    # PCI links from _PRS/_CRS/_SRS and finds the ISA devices.  (mce=off:
    # the machine-check MSRs of emu's x86 CPU are not there yet.)
    need_tools()
    proc = subprocess.Popen(
        [binary("x86_64"), "-m", "512", "-nographic", "-nodefaults",
         "-serial", "stdio", "-kernel", amd64_kernel(), "-initrd",
         busybox_initramfs(INIT, busybox="busybox-static:amd64"), "-append",
         "console=ttyS0 mce=off"], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        text = Stream(proc.stdout.fileno(), drop_cr=True).read_until(
            "Run /init as init process", 240)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    # The RSDP where SeaBIOS puts it on QEMU too, after the SMBIOS entry
    # point; the kernel's DMI line from QEMU's SMBIOS tables.
    for line in ["ACPI: RSDP 0x00000000000F59D0 000014 (v00 BOCHS )",
                 "SMBIOS 2.8 present.",
                 "DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS ",
                 "ACPI: PM-Timer IO Port: 0x608",
                 "ACPI: 1 ACPI AML tables successfully acquired and loaded",
                 "ACPI: Interpreter enabled",
                 "ACPI: PM: (supports S0 S5)",
                 "ACPI: PCI Root Bridge [PCI0] (domain 0000 [bus 00-ff])",
                 "ACPI: PCI: Interrupt link LNKA configured for IRQ 10",
                 "ACPI: PCI: Interrupt link LNKS configured for IRQ 9",
                 "pnp: PnP ACPI: found 4 devices",
                 "ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200)"]:
        assert line in text, (line, text)
    assert "ACPI Error" not in text and "ACPI BIOS Error" not in text, text


if __name__ == "__main__":
    main(globals())
