# ISOLINUX's screen on the PC's standard VGA: the CD image of the Linux
# tests (pclinux.py) with a configuration that stops at ISOLINUX's
# "boot:" prompt.  emu's screendump (PPM and PNG) is compared pixel for
# pixel with the picture the test renders from the VGA text buffer and
# the VGA BIOS's font, and the text buffer with QEMU's for the same CD.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil

from emutest import Skip, binary, main, tempdir
from pclinux import BOOT_CONFIG, isolinux_iso, need_pc
from vgascreen import (QEMU, Machine, read_png, read_ppm, render_text,
                       rom_font, screen_text)

# ISOLINUX says a line, then waits at its prompt for ever (TIMEOUT 0).
PROMPT_CONFIG = "PROMPT 1\nTIMEOUT 0\nSAY emu: ISOLINUX waits here\n" + \
    BOOT_CONFIG
ARGS = ["-nodefaults", "-vga", "std", "-display", "none", "-m", "1G"]
# QEMU's kvmvapic option ROM adds a boot entry emu has no reason to have.
QEMU_EXTRA = ["-global", "apic-common.vapic=off"]


def screen(program, iso, extra=(), dumps=False):
    """The text buffer once ISOLINUX is at its prompt, with the cursor;
    with DUMPS, emu's screendumps as PPM and PNG too."""
    m = Machine(program, ARGS + ["-cdrom", iso, "-boot", "d"] + list(extra))
    try:
        m.wait_text("boot:", 180)
        buf, cursor = m.text_screen()
        pictures = []
        if dumps:
            for fmt in ("ppm", "png"):
                path = os.path.join(tempdir(), "isolinux." + fmt)
                assert m.hmp(f"screendump {path} -f {fmt}") == ""
                pictures.append(path)
        return buf, cursor, pictures
    finally:
        m.close()


def test_isolinux_screen_as_rendered_and_as_qemu():
    need_pc()
    iso = isolinux_iso(PROMPT_CONFIG, "prompt.iso")
    buf, cursor, (ppm, png) = screen(binary("x86_64"), iso, dumps=True)
    text = screen_text(buf)
    for line in ("Booting from DVD/CD...", "ISOLINUX 6.04",
                 "emu: ISOLINUX waits here", "boot:"):
        assert line in text, text
    font = rom_font()
    expected = (render_text(buf, font, cursor), render_text(buf, font))
    assert read_ppm(ppm) in expected, "PPM differs from the text buffer"
    assert read_png(png) in expected, "PNG differs from the text buffer"
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")
    qemu_buf, qemu_cursor, _ = screen(QEMU, iso, QEMU_EXTRA)
    assert screen_text(qemu_buf) == text, (screen_text(qemu_buf), text)
    assert qemu_buf == buf and qemu_cursor == cursor


if __name__ == "__main__":
    main(globals())
