# virtio-pci on the PC (issue 11): virtio-blk-pci, virtio-net-pci,
# virtio-rng-pci and virtio-serial-pci as QEMU 7.2's transitional
# devices.  Debian's SeaBIOS boots a disk built here from a virtio-blk-pci
# through its own virtio driver (modern, legacy-only and modern-only
# devices, and -drive if=virtio), and serves BIOS disk writes and reads
# on it; info pci and info network are compared with QEMU's for the same
# command lines; bad options are refused.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import subprocess
import time

from emutest import PipeMonitor, Skip, binary, main, monitor_script, run, \
    run_fails, strip_ansi, tempdir
from test_pc import EXIT_DEVICE, PASSED, QEMU, build_guest, need_qemu, \
    need_seabios, qemu_info_pci
from vgascreen import Machine, screen_text

SECTOR = 512
SECTOR1_TEXT = b"sector one, put there by the test\r\n\0"
PATTERN = b"\x5a" * SECTOR


def virtio_disk():
    """A 1 MiB raw disk: the boot sector, a line of text in sector 1."""
    path = os.path.join(tempdir(), "virtio-disk.img")
    with open(build_guest("virtio-disk"), "rb") as f:
        boot = f.read()
    with open(path, "wb") as f:
        f.write(boot + SECTOR1_TEXT.ljust(SECTOR, b"\0"))
        f.truncate(1024 * 1024)
    return path


def run_virtio_disk_guest(drive_args):
    """Boots the PC from the disk virtio_disk() made, attached with
    DRIVE_ARGS: the boot sector says it found sector 1's text and read
    back the PATTERN it wrote into sector 2 through INT 13h."""
    status, out, err = run(["-display", "none", "-nodefaults", "-debugcon",
                            "stdio"] + EXIT_DEVICE + drive_args, "x86_64")
    out = out.replace("\r", "")
    assert status == PASSED, (status, out, err)
    assert out == "emu: booted from the virtio disk\n" \
                  "sector one, put there by the test\n" \
                  "INT 13h write/read of sector 2: same data\n", out


def boot_virtio_disk(drive_args):
    need_seabios()
    disk = virtio_disk()
    run_virtio_disk_guest(drive_args(disk))
    # What the guest wrote is in the image.
    with open(disk, "rb") as f:
        f.seek(2 * SECTOR)
        assert f.read(SECTOR) == PATTERN


def test_seabios_boots_virtio_blk_pci_modern():
    # SeaBIOS finds the capabilities and drives the modern interface.
    boot_virtio_disk(lambda disk: [
        "-drive", f"file={disk},format=raw,if=none,id=d",
        "-device", "virtio-blk-pci,drive=d"])


def test_seabios_boots_virtio_blk_pci_legacy():
    # Without the capabilities: the legacy I/O BAR, rings by page frame.
    boot_virtio_disk(lambda disk: [
        "-drive", f"file={disk},format=raw,if=none,id=d",
        "-device", "virtio-blk-pci,drive=d,disable-modern=on"])


def test_seabios_boots_virtio_blk_pci_modern_only():
    boot_virtio_disk(lambda disk: [
        "-drive", f"file={disk},format=raw,if=none,id=d",
        "-device", "virtio-blk-pci,drive=d,disable-legacy=on"])


def test_seabios_boots_drive_if_virtio():
    boot_virtio_disk(lambda disk: [
        "-drive", f"file={disk},format=raw,if=virtio"])


def emu_monitor(args, command):
    mon = PipeMonitor(args + ["-display", "none", "-nodefaults"], "x86_64")
    try:
        return mon.cmd(command)
    finally:
        mon.quit()


# QEMU gives virtio-net-pci iPXE's ROM (BAR6), which emu loads only
# when asked: QEMU runs without it here.
QEMU_AS_EMU = ["-global", "virtio-net-pci.romfile="]


def test_info_pci_as_qemu():
    need_seabios()
    need_qemu()
    disk = virtio_disk()
    for args in (
            ["-drive", f"file={disk},format=raw,if=virtio,readonly=on",
             "-nic", "user,model=virtio-net-pci",
             "-device", "virtio-rng-pci",
             "-device", "virtio-serial-pci,id=ser"],
            ["-netdev", "user,id=n", "-device",
             "virtio-net-pci,netdev=n,disable-legacy=on,addr=6",
             "-device", "virtio-rng-pci,disable-modern=on"],
            # MSI-X's BAR1 grows past 4 KiB with more than 128 vectors;
            # none is INTx only.
            ["-device", "virtio-rng-pci,vectors=200",
             "-device", "virtio-rng-pci,vectors=0",
             "-device", "virtio-serial-pci,vectors=1"]):
        ours = emu_monitor(["-S"] + args, "info pci")
        assert "PCI device 1af4:" in ours, ours
        assert ours == qemu_info_pci(["-S"] + args + QEMU_AS_EMU), \
            (args, ours)


def qtree_pci_shape(program, args):
    """info qtree's PCI bus without the property lines ("name = value",
    gpio lines) and from the first function not virtio's on: each virtio
    function's class and BARs, its virtio bus, that bus's type and the
    device inside (QEMU has many properties emu does not)."""
    (qtree,), _ = monitor_script(program, ["-S", "-display", "none",
                                           "-nodefaults"] + args,
                                 ["info qtree"])
    lines = qtree.split("\n")
    start = lines.index("    bus: pci.0")
    shape = []
    for line in lines[start:]:
        if re.match(r" +dev: (?!virtio)", line):
            break
        if not re.match(r" +([\w.-]+ = |gpio-)", line):
            shape.append(line)
    return "\n".join(shape)


def test_info_qtree_virtio_as_qemu():
    # The virtio device on a bus named "virtio-bus" of type
    # "virtio-pci-bus" in each function, whatever its id.
    need_qemu()
    disk = virtio_disk()
    args = ["-drive", f"file={disk},format=raw,if=none,id=d",
            "-device", "virtio-blk-pci,drive=d,id=blk",
            "-netdev", "user,id=n", "-device",
            "virtio-net-pci,netdev=n,romfile=,vectors=0",
            "-device", "virtio-rng-pci,disable-legacy=on",
            "-device", "virtio-serial-pci"]
    ours = qtree_pci_shape(binary("x86_64"), args)
    assert "        bus: virtio-bus\n          type virtio-pci-bus\n" \
           "          dev: virtio-blk-device, id \"\"" in ours, ours
    assert ours == qtree_pci_shape(QEMU, args), ours


def info_pci_after_seabios(program, args):
    """info pci once SeaBIOS has given up booting: the BARs it placed."""
    serial = os.path.join(tempdir(), "seabios-serial.txt")
    if os.path.exists(serial):
        os.unlink(serial)
    # -nographic: SeaBIOS writes to the serial port too.
    proc = subprocess.Popen([program, "-nographic", "-nodefaults",
                             "-serial", f"file:{serial}", "-monitor",
                             "stdio"] + args, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 120
        while "No bootable device" not in open_text(serial):
            assert time.monotonic() < deadline, open_text(serial)
            time.sleep(0.2)
        out, _ = proc.communicate("info pci\nquit\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = strip_ansi(out).replace("\r", "")
    start = text.index("  Bus ")
    return text[start:text.index("(", start)]


def open_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


def test_info_pci_after_seabios_as_qemu():
    # SeaBIOS sized and placed the BARs (I/O, 64-bit memory) and routed
    # the interrupt pins the same way on both.
    need_seabios()
    need_qemu()
    blank = os.path.join(tempdir(), "blank.img")
    with open(blank, "wb") as f:
        f.truncate(1024 * 1024)
    args = ["-device", "virtio-rng-pci", "-drive",
            f"file={blank},format=raw,if=virtio", "-device",
            "virtio-serial-pci,disable-legacy=on"]
    ours = info_pci_after_seabios(binary("x86_64"), args)
    assert "BAR4: 64 bit prefetchable memory at 0xfe" in ours, ours
    assert ours == info_pci_after_seabios(QEMU, args + QEMU_AS_EMU), ours


def test_option_rom_as_qemu():
    # romfile=efi-virtio.rom: iPXE's ROM in BAR6, as QEMU's default; its
    # PCI data structure names 1af4:1041, patched to the function's ID
    # (1af4:1000) so that firmware runs it, as QEMU patches it.
    need_qemu()
    rom = "/usr/lib/ipxe/qemu/efi-virtio.rom"
    if not os.path.exists(rom):
        raise Skip("Debian's ipxe-qemu package is not installed")
    args = ["-S", "-netdev", "user,id=n", "-device",
            "virtio-net-pci,netdev=n,romfile=efi-virtio.rom"]
    ours = emu_monitor(args, "info pci")
    assert "BAR6: 32 bit memory at 0xffffffffffffffff [0x0003fffe]." \
        in ours, ours
    assert ours == qemu_info_pci(args), ours
    mon = PipeMonitor(args + ["-display", "none", "-nodefaults"], "x86_64")
    try:
        # The ROM BAR at 0xfe000000 with memory decoding on.
        for line in ("o /w 0xcf8 0x80001030", "o /w 0xcfc 0xfe000001",
                     "o /w 0xcf8 0x80001004", "o /h 0xcfc 0x0002"):
            assert mon.cmd(line) == "", line
        header = mon.cmd("xp /2xh 0xfe000000")
        pcir = mon.cmd("xp /4xh 0xfe00001c")
    finally:
        mon.quit()
    assert header.split(": ")[1].split()[0] == "0xaa55", header
    assert pcir.split(": ")[1].split()[:4] == \
        ["0x4350", "0x5249", "0x1af4", "0x1000"], pcir
    err = run_fails(["-display", "none", "-device",
                     "virtio-net-pci,romfile=nosuch.rom"], "x86_64")
    assert 'failed to find romfile "nosuch.rom"' in err, err


def test_ipxe_option_rom_runs():
    # iPXE (Debian's ipxe-qemu) from the ROM BAR: SeaBIOS runs its
    # initialisation, then boots from it; iPXE takes the timer interrupt
    # in protected mode and reissues it in real mode through an "int"
    # whose vector the store before it patches (self-modifying code in
    # the running block), configures net0 by DHCP from the user network
    # and finds nothing to boot.
    need_seabios()
    if not os.path.exists("/usr/lib/ipxe/qemu/efi-virtio.rom"):
        raise Skip("Debian's ipxe-qemu package is not installed")
    m = Machine(binary("x86_64"),
                ["-display", "none", "-nodefaults", "-vga", "std",
                 "-netdev", "user,id=n", "-device",
                 "virtio-net-pci,netdev=n,romfile=efi-virtio.rom"])
    try:
        text = screen_text(m.wait_text("No more network devices"))
    finally:
        m.close()
    for line in ["iPXE (PCI 00:03.0) starting execution...ok",
                 "iPXE initialising devices...ok",
                 "net0: 52:54:00:12:34:56 using virtio-net on 0000:00:03.0",
                 "net0: 10.0.2.15/255.255.255.0 gw 10.0.2.2",
                 "Nothing to boot: No such file or directory"]:
        assert line in text, (line, text)


def test_info_network_as_qemu():
    need_qemu()
    args = ["-netdev", "user,id=n", "-device",
            "virtio-net-pci,netdev=n,id=nic0,mac=52:54:00:00:00:42"]
    ours = emu_monitor(["-S"] + args, "info network")
    proc = subprocess.run([QEMU, "-S", "-display", "none", "-nodefaults",
                           "-monitor", "stdio"] + args + QEMU_AS_EMU,
                          input="info network\nquit\n",
                          capture_output=True, text=True, timeout=60)
    text = strip_ansi(proc.stdout).replace("\r", "")
    start = text.index("nic0:")
    assert ours == text[start:text.index("(qemu)", start)], (ours, text)


def test_bad_options():
    err = run_fails(["-display", "none", "-device",
                     "virtio-rng-pci,disable-legacy=on,disable-modern=on"],
                    "x86_64")
    assert "device cannot work as neither modern nor legacy mode is " \
           "enabled" in err, err
    # QEMU warns and leaves MSI-X out; emu refuses.
    err = run_fails(["-display", "none", "-device",
                     "virtio-net-pci,vectors=2049"], "x86_64")
    assert "virtio-net-pci: 2049 MSI-X vectors: a function has 1 to 2048" \
        in err, err
    err = run_fails(["-display", "none", "-device",
                     "virtio-net-pci,netdev=nope"], "x86_64")
    assert "Property 'virtio-net-pci.netdev' can't find value 'nope'" \
        in err, err
    err = run_fails(["-display", "none", "-device",
                     "virtio-blk-pci,drive=nope"], "x86_64")
    assert "Property 'virtio-blk-pci.drive' can't find value 'nope'" \
        in err, err


if __name__ == "__main__":
    main(globals())
