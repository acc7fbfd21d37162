# The standard VGA of the PC (-vga std, the default) with -display none:
# Debian's SeaBIOS runs the card's option ROM (SeaVGABIOS, found by the
# Bochs VBE interface) and reaches "No bootable device" in VGA text
# mode.  The screendump is compared pixel for pixel with a picture the
# test renders itself from the text buffer at 0xb8000 and the 8x16 font
# of the VGA BIOS ROM file, and byte for byte with QEMU's screendump of
# the same machine; the PNG form decodes to the same pixels.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import os
import shutil
import subprocess
import time

from emutest import Skip, binary, main, need_emulator, run_fails, tempdir
from vgascreen import (QEMU, VGABIOS, Machine, dac8, read_png, read_ppm,
                       render_text, rom_font, screen_text)

GUESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                      "guests", "pc")
SEABIOS = "/usr/share/seabios/bios-256k.bin"
ARGS = ["-nodefaults", "-vga", "std", "-display", "none"]
# QEMU's kvmvapic option ROM adds a boot entry emu has no reason to have.
QEMU_EXTRA = ["-global", "apic-common.vapic=off"]
NO_BOOT = "No bootable device."


def need_firmware():
    need_emulator("x86_64")
    for path in (SEABIOS, VGABIOS):
        if not os.path.exists(path):
            raise Skip("Debian's seabios package is not installed")


def need_qemu():
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")


def emu(args=ARGS):
    return Machine(binary("x86_64"), args)


def dump(machine, fmt=None):
    path = os.path.join(tempdir(), "screen." + (fmt or "ppm"))
    out = machine.hmp(f"screendump {path}" + (f" -f {fmt}" if fmt else ""))
    assert out == "", out
    return path


def digests(machine, count=4):
    """The distinct screendumps over a second or so: the text cursor
    blinks, so a still screen has two pictures."""
    seen = set()
    for _ in range(count):
        with open(dump(machine), "rb") as f:
            seen.add(hashlib.sha256(f.read()).hexdigest())
        time.sleep(0.3)
    return seen


def test_text_screen_as_rendered_from_the_text_buffer():
    need_firmware()
    font = rom_font()
    m = emu()
    try:
        m.wait_text(NO_BOOT)
        buf, cursor = m.text_screen()
        picture = read_ppm(dump(m))
        png = read_png(dump(m, "png"))
    finally:
        m.close()
    assert len(picture) == 400 and len(picture[0]) == 720
    with_cursor = render_text(buf, font, cursor)
    without = render_text(buf, font)
    assert picture in (with_cursor, without), "screen differs from the text"
    # The text is there: the "N" of "No bootable device." has lit pixels.
    assert any(p != (0, 0, 0) for row in without for p in row)
    assert png in (with_cursor, without), "PNG differs from the text"


def test_screendump_as_qemu():
    need_firmware()
    need_qemu()
    e = emu()
    q = Machine(QEMU, ARGS + QEMU_EXTRA)
    try:
        e_buf = e.wait_text(NO_BOOT)
        q_buf = q.wait_text(NO_BOOT)
        assert e_buf == q_buf
        e_dumps = digests(e)
        q_dumps = set()
        for _ in range(5):
            q_dumps |= digests(q)
            if len(q_dumps) >= 2 and e_dumps <= q_dumps:
                break
        assert e_dumps <= q_dumps, (e_dumps, q_dumps)
        # The card as the firmware left it: BARs and the ROM BAR.
        assert e.hmp("info pci") == q.hmp("info pci")
    finally:
        e.close()
        q.close()


def test_vga_bios_runs_from_the_option_rom():
    need_firmware()
    log = os.path.join(tempdir(), "debugcon.txt")
    m = emu(ARGS + ["-chardev", f"file,id=dbg,path={log}",
                    "-device", "isa-debugcon,iobase=0x402,chardev=dbg"])
    try:
        m.wait_text(NO_BOOT)
    finally:
        m.close()
    with open(log) as f:
        text = f.read()
    for line in ["PCI: Using 00:02.0 for primary VGA",
                 "Running option rom at c000:0003",
                 "Start SeaVGABIOS (version 1.16.2-debian-1.16.2-1)",
                 "VBE DISPI: bdf 00:02.0, bar 0",
                 "VBE DISPI: lfb_addr=fd000000, size 16 MB",
                 "set VGA mode 3"]:
        assert line in text, f"{line!r} not in {text!r}"


def test_screendump_errors_as_qemu():
    need_firmware()
    need_qemu()
    missing = os.path.join(tempdir(), "no", "such", "dir", "x.ppm")
    commands = [f"screendump {missing}",
                f"screendump {missing} -f gif",
                "screendump",
                f"screendump {missing} -f",
                f"screendump {missing} nosuchdevice"]
    for args in (ARGS, ["-nodefaults", "-vga", "none", "-display", "none"]):
        outs = []
        for program in (binary("x86_64"), QEMU):
            m = Machine(program, args + ["-S"])
            try:
                out = [m.hmp(c) for c in commands]
                reply, _ = m.qmp.cmd("screendump", {"filename": missing,
                                                    "format": "gif"})
                out.append(reply["error"]["desc"])
                reply, _ = m.qmp.cmd("screendump", {"filename": missing,
                                                    "head": 1})
                out.append(reply["error"]["desc"])
                outs.append(out)
            finally:
                m.close()
        assert outs[0] == outs[1], outs


def test_sendkey_opens_the_boot_menu_as_on_qemu():
    # SeaBIOS polls the PS/2 keyboard (set 2, translated by the i8042)
    # while it offers its boot menu; ESC through sendkey opens it.
    need_firmware()
    args = ARGS + ["-boot", "menu=on,splash-time=30000"]
    screens = []
    for program, extra in ((binary("x86_64"), []), (QEMU, QEMU_EXTRA)):
        if program == QEMU and not shutil.which(QEMU):
            break
        m = Machine(program, args + extra)
        try:
            m.wait_text("Press ESC for boot menu.")
            assert m.hmp("sendkey esc") == ""
            screens.append(screen_text(m.wait_text("Select boot device:")))
        finally:
            m.close()
    assert len(set(screens)) == 1, screens


def test_ctrl_alt_delete_resets():
    # SeaBIOS's keyboard handler resets the machine on Ctrl-Alt-Del;
    # with -no-reboot that ends emu with the guest-reset event.
    need_firmware()
    m = emu(ARGS + ["-no-reboot"])
    try:
        m.wait_text(NO_BOOT)
        assert m.hmp("sendkey ctrl-alt-delete") == ""
        assert m.proc.wait(timeout=30) == 0
        events = []
        while True:
            try:
                events.append(m.qmp.read_message(timeout=5))
            except Exception:
                break
        assert any(e.get("event") == "SHUTDOWN" and
                   e["data"]["reason"] == "guest-reset" for e in events), \
            events
    finally:
        m.close()


def test_sendkey_errors():
    need_firmware()
    m = emu(ARGS + ["-S"])
    try:
        assert m.hmp("sendkey ctrl-nosuch") == "invalid parameter: nosuch\n"
        assert m.hmp("sendkey ctrl--a") == "invalid parameter: \n"
        assert m.hmp("sendkey") == ("sendkey: missing argument 'keys'\n"
                                    'Try "help sendkey" for more '
                                    "information\n")
        assert m.hmp("sendkey 0x1e") == ""
    finally:
        m.close()


def build_boot_disk(name):
    """tests/guests/pc/NAME.S assembled at 0x7c00 into a 1 MiB raw disk."""
    src = os.path.join(GUESTS, name + ".S")
    obj = os.path.join(tempdir(), name + ".o")
    disk = os.path.join(tempdir(), name + ".img")
    subprocess.run(["as", "--32", "-o", obj, src], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat",
                    "binary", "-o", disk, obj], check=True)
    os.truncate(disk, 1 << 20)
    return disk


def wait_serial(path, text, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        with open(path) as f:
            if text in f.read():
                return
        assert time.monotonic() < deadline, f"no {text!r} on the serial port"
        time.sleep(0.2)


def picture_13h():
    """320x200 in 256 colours, shown 640x400 (pixels and lines doubled)."""
    dac = [(dac8(i & 63), dac8((i >> 2) & 63), dac8(63 - (i & 63)))
           for i in range(256)]
    return [[dac[(x // 2 + 2 * (y // 2)) & 255] for x in range(640)]
            for y in range(400)]


def picture_12h():
    dac = [(dac8(4 * i), dac8(4 * (15 - i)), dac8(i * i & 63))
           for i in range(16)]
    rows = []
    for y in range(480):
        row = []
        for x in range(640):
            o = y * 80 + x // 8
            c = 0
            for p in range(4):
                byte = (o & 255) ^ (o >> 8) ^ (0x55 * p & 255)
                c |= (byte >> (7 - x % 8) & 1) << p
            row.append(dac[c])
        rows.append(row)
    return rows


def picture_vbe():
    rows = []
    for y in range(480):
        row = []
        for x in range(640):
            v = (y * 640 + x) * 0x030507
            row.append((v >> 16 & 255, v >> 8 & 255, v & 255))
        rows.append(row)
    return rows


def test_graphics_modes():
    # A boot sector draws in mode 13h (chain-4), mode 12h (planar, map
    # mask) and a VBE mode (banked 32-bit); each screendump equals the
    # picture computed here, and QEMU's screendump of the same guest.
    need_firmware()
    if not shutil.which("as") or not shutil.which("ld"):
        raise Skip("the host's binutils (as, ld) are not installed")
    disk = build_boot_disk("vga-modes")
    phases = [("mode 13h\n", picture_13h), ("mode 12h\n", picture_12h),
              ("vbe 640x480x32\n", picture_vbe)]
    programs = [(binary("x86_64"), [])]
    if shutil.which(QEMU):
        programs.append((QEMU, QEMU_EXTRA))
    dumps = []
    for program, extra in programs:
        serial = os.path.join(tempdir(), "serial.txt")
        m = Machine(program, ARGS + extra + [
            "-serial", f"file:{serial}",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-drive", f"file={disk},format=raw,if=ide"])
        try:
            files = []
            for marker, picture in phases:
                wait_serial(serial, marker)
                path = dump(m)
                if program != QEMU:
                    assert read_ppm(path) == picture(), marker
                with open(path, "rb") as f:
                    files.append(f.read())
                if len(files) < len(phases):
                    assert m.hmp("sendkey spc") == ""
            # After the last key the guest exits at once, which may be
            # before the monitor's answer is written: no answer awaited.
            m.qmp.send('{"execute": "human-monitor-command", '
                       '"arguments": {"command-line": "sendkey spc"}}')
            assert m.proc.wait(timeout=30) == 1     # isa-debug-exit 0
        finally:
            m.close()
        dumps.append(files)
    if len(dumps) == 2:
        for (marker, _), ours, qemus in zip(phases, *dumps):
            assert ours == qemus, f"{marker!r}: not QEMU's screendump"


def test_display_and_vga_options():
    need_emulator("x86_64")
    err = run_fails(["-vga", "cirrus", "-display", "none"], "x86_64")
    assert err == "emu-system-x86_64: unknown vga type: cirrus\n", err
    err = run_fails(["-display", "nosuch"], "x86_64")
    assert "Parameter 'type' does not accept value 'nosuch'" in err, err
    err = run_fails(["-display", "none", "-device", "VGA,vgamem_mb=3"],
                    "x86_64")
    assert "vgamem_mb must be a power of two" in err, err
    err = run_fails(["-display", "none", "-device", "VGA,romfile=nosuch.bin"],
                    "x86_64")
    assert 'failed to find romfile "nosuch.bin"' in err, err
    # Two cards cannot both answer at the VGA ports.
    err = run_fails(["-display", "none", "-device", "VGA", "-device", "VGA"],
                    "x86_64")
    assert "0x3b0" in err or "port" in err, err


main(globals())
