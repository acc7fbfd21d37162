# -display sdl under Xvfb: the PC's VGA in an SDL window.  The window
# opens with the board's name in its title ("[Paused]" while stopped),
# follows the screen's size, and shows the picture screendump writes:
# the window's pixels (xwd) equal the picture rendered from the text
# buffer.  Keys typed into the window reach the guest's keyboard:
# covered by sendkey in test_pc_vga.py, the same path after the window.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess
import time

from emutest import BUILD_DIR, Skip, binary, main, need_emulator, run_fails
from vgascreen import (VGABIOS, Machine, read_ppm, read_xwd, render_text,
                       rom_font)

SEABIOS = "/usr/share/seabios/bios-256k.bin"
NO_BOOT = "No bootable device."


def sdl_compiled():
    with open(os.path.join(BUILD_DIR, "config-host.h")) as f:
        return "#define CONFIG_SDL\n" in f.read()


class Xvfb:
    """A virtual X server on a free display number."""

    def __init__(self):
        for tool in ("Xvfb", "xwininfo", "xwd"):
            if not shutil.which(tool):
                raise Skip(f"{tool} is not installed (xvfb, x11-utils, "
                           "x11-apps)")
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24",
             "-nolisten", "tcp"], pass_fds=(write,),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        assert number, "Xvfb did not start"
        self.display = f":{number}"

    def env(self):
        return dict(os.environ, DISPLAY=self.display)

    def window(self, pattern, timeout=30):
        """(id, title, width, height) of the window whose title matches."""
        deadline = time.monotonic() + timeout
        while True:
            tree = subprocess.run(["xwininfo", "-root", "-tree"],
                                  env=self.env(), capture_output=True,
                                  text=True).stdout
            for m in re.finditer(r'(0x[0-9a-f]+) "([^"]*)".*?(\d+)x(\d+)\+',
                                 tree):
                if re.search(pattern, m.group(2)):
                    return (m.group(1), m.group(2), int(m.group(3)),
                            int(m.group(4)))
            assert time.monotonic() < deadline, tree
            time.sleep(0.2)

    def dump(self, window):
        return read_xwd(subprocess.run(["xwd", "-silent", "-id", window],
                                       env=self.env(), capture_output=True,
                                       check=True).stdout)

    def close(self):
        self.proc.kill()
        self.proc.wait()


def need_sdl():
    need_emulator("x86_64")
    if not sdl_compiled():
        raise Skip("emu was built without SDL (--disable-sdl)")
    for path in (SEABIOS, VGABIOS):
        if not os.path.exists(path):
            raise Skip("Debian's seabios package is not installed")


def test_window_shows_the_screen():
    need_sdl()
    x = Xvfb()
    font = rom_font()
    os.environ["DISPLAY"] = x.display
    try:
        m = Machine(binary("x86_64"), ["-nodefaults", "-vga", "std",
                                       "-display", "sdl"])
    finally:
        del os.environ["DISPLAY"]
    try:
        m.wait_text(NO_BOOT)
        buf, cursor = m.text_screen()
        # The window took the text mode's size.
        deadline = time.monotonic() + 10
        while True:
            win, title, width, height = x.window(r"^emu \(")
            if (width, height) == (720, 400) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert (title, width, height) == ("emu (pc)", 720, 400)
        pictures = (render_text(buf, font, cursor), render_text(buf, font))
        assert read_ppm(dump_ppm(m)) in pictures
        assert x.dump(win) in pictures, "the window shows another picture"
        assert m.hmp("stop") == ""
        assert x.window(r"\[Paused\]")[1] == "emu (pc) [Paused]"
        assert m.hmp("cont") == ""
        assert x.window(r"^emu \(pc\)$")[1] == "emu (pc)"
    finally:
        m.close()
        x.close()


def dump_ppm(machine):
    from emutest import tempdir
    path = os.path.join(tempdir(), "screen.ppm")
    assert machine.hmp(f"screendump {path}") == ""
    return path


def test_window_title_names_the_guest():
    need_sdl()
    x = Xvfb()
    os.environ["DISPLAY"] = x.display
    try:
        m = Machine(binary("x86_64"), ["-nodefaults", "-vga", "std",
                                       "-display", "sdl", "-name", "guest1",
                                       "-S"])
    finally:
        del os.environ["DISPLAY"]
    try:
        assert x.window(r"guest1")[1] == "emu (guest1) [Paused]"
    finally:
        m.close()
        x.close()


def test_sdl_without_a_display_is_refused():
    need_sdl()
    env_display = os.environ.pop("DISPLAY", None)
    try:
        err = run_fails(["-nodefaults", "-display", "sdl"], "x86_64")
    finally:
        if env_display is not None:
            os.environ["DISPLAY"] = env_display
    assert "could not initialize SDL" in err, err


main(globals())
