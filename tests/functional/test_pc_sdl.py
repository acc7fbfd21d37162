# -display sdl under Xvfb: the PC's VGA in an SDL window.  The window
# opens with the board's name in its title ("[Paused]" while stopped),
# follows the screen's size, and shows the picture screendump writes:
# the window's pixels (xwd) equal the picture rendered from the text
# buffer.  Keys typed on the X server (xdotool, through X's test
# extension) reach the guest: SeaBIOS's boot menu opens on ESC and boots
# the disk chosen with its digit; Ctrl-Alt-G grabs and releases, the
# title saying so as QEMU's does.
# The mouse: X's test extension (libXtst, through ctypes) clicks into
# the window, which grabs the pointer, then moves it and presses a
# button; the PS/2 mouse's packets are read from the i8042 with the
# monitor's i and o commands.
# SPDX-License-Identifier: GPL-2.0-or-later
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import time

from emutest import (BUILD_DIR, Skip, binary, main, need_emulator,
                     run_fails, tempdir)
from vgascreen import (VGABIOS, Machine, read_ppm, read_xwd, render_text,
                       rom_font, screen_text)

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

    def origin(self, window):
        """Where WINDOW's top left corner is on the screen."""
        info = subprocess.run(["xwininfo", "-id", window], env=self.env(),
                              capture_output=True, text=True,
                              check=True).stdout
        return tuple(int(re.search(rf"Absolute upper-left {a}:\s+(-?\d+)",
                                   info).group(1)) for a in "XY")

    def dump(self, window):
        return read_xwd(subprocess.run(["xwd", "-silent", "-id", window],
                                       env=self.env(), capture_output=True,
                                       check=True).stdout)

    def close(self):
        self.proc.kill()
        self.proc.wait()


class XTest:
    """Fake pointer events on the X server at DISPLAY (libXtst)."""

    def __init__(self, display):
        x11, xtst = ctypes.util.find_library("X11"), \
            ctypes.util.find_library("Xtst")
        if not x11 or not xtst:
            raise Skip("libX11 or libXtst is not installed (libxtst6)")
        self.x11 = ctypes.CDLL(x11)
        self.xtst = ctypes.CDLL(xtst)
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        for fn in (self.x11.XFlush, self.x11.XCloseDisplay):
            fn.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeMotionEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_ulong]
        self.xtst.XTestFakeRelativeMotionEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
        self.xtst.XTestFakeButtonEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(display.encode())
        assert self.dpy, f"cannot open {display}"

    def move_to(self, x, y):
        self.xtst.XTestFakeMotionEvent(self.dpy, -1, x, y, 0)
        self.x11.XFlush(self.dpy)

    def move_by(self, dx, dy):
        self.xtst.XTestFakeRelativeMotionEvent(self.dpy, dx, dy, 0)
        self.x11.XFlush(self.dpy)

    def button(self, number, down):
        self.xtst.XTestFakeButtonEvent(self.dpy, number, down, 0)
        self.x11.XFlush(self.dpy)

    def close(self):
        self.x11.XCloseDisplay(self.dpy)


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
    m = Machine(binary("x86_64"), ["-nodefaults", "-vga", "std",
                                   "-display", "sdl"], env=x.env())
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
    path = os.path.join(tempdir(), "screen.ppm")
    assert machine.hmp(f"screendump {path}") == ""
    return path


def test_window_title_names_the_guest():
    need_sdl()
    x = Xvfb()
    m = Machine(binary("x86_64"), ["-nodefaults", "-vga", "std",
                                   "-display", "sdl", "-name", "guest1",
                                   "-S"], env=x.env())
    try:
        assert x.window(r"guest1")[1] == "emu (guest1) [Paused]"
    finally:
        m.close()
        x.close()


def aux_bytes(m, done=bool, timeout=10):
    """The bytes the i8042 has from the mouse (status bit 5), read with
    the monitor until done(bytes) or for TIMEOUT seconds."""
    def port(n):
        return int(m.hmp(f"i /b {n:#x}").split("=")[1], 16)
    got = []
    deadline = time.monotonic() + timeout
    while not done(got) and time.monotonic() < deadline:
        status = port(0x64)
        if status & 0x01:
            assert status & 0x20, f"keyboard byte {port(0x60):#x}"
            got.append(port(0x60))
        else:
            time.sleep(0.1)
    return got


def motion(packets):
    """The sum of the x and y of three-byte PACKETS."""
    dx = dy = 0
    for i in range(0, len(packets) - 2, 3):
        flags, mx, my = packets[i:i + 3]
        assert flags & 0x0f == 0x08, packets
        dx += mx - (256 if flags & 0x10 else 0)
        dy += my - (256 if flags & 0x20 else 0)
    return dx, dy


def test_window_sends_mouse_motion_and_buttons():
    need_sdl()
    x = Xvfb()
    xtest = XTest(x.display)
    # Stopped: the guest does not touch the i8042, the test does.
    m = Machine(binary("x86_64"), ["-nodefaults", "-vga", "std",
                                   "-display", "sdl", "-S"], env=x.env())
    try:
        win = x.window(r"^emu \(")
        left, top = x.origin(win[0])
        # The mouse's reporting on (0xd4 0xf4), as a driver does.
        m.hmp("o /b 0x64 0xd4")
        m.hmp("o /b 0x60 0xf4")
        assert aux_bytes(m) == [0xfa]
        # Not grabbed: motion over the window is not the guest's.
        xtest.move_to(left + 100, top + 100)
        xtest.move_to(left + 120, top + 110)
        # A click that SDL sees grabs; one that reaches the window
        # before SDL takes input (a freshly mapped window on a fast
        # host) is lost, so click again until the title says so.
        for attempt in range(5):
            xtest.button(1, True)
            xtest.button(1, False)
            try:
                title = x.window(r"exit grab", timeout=6)[1]
                break
            except AssertionError:
                if attempt == 4:
                    raise
        assert "Press Ctrl-Alt-G to exit grab" in title, win
        assert aux_bytes(m, timeout=1) == []
        # Grabbed: right 10 and down 20 (PS/2's y grows upwards), then
        # the right button down and up.
        xtest.move_by(10, 20)
        moved = aux_bytes(m, lambda b: motion(b) == (10, -20))
        assert motion(moved) == (10, -20) and len(moved) % 3 == 0, moved
        xtest.button(3, True)
        xtest.button(3, False)
        buttons = aux_bytes(m, lambda b: len(b) >= 6)
        assert buttons == [0x0a, 0, 0, 0x08, 0, 0], buttons
    finally:
        m.close()
        xtest.close()
        x.close()


def xdotool(x, *args):
    """Runs xdotool on the X server of x."""
    if not shutil.which("xdotool"):
        raise Skip("xdotool is not installed (xdotool)")
    subprocess.run(["xdotool", *args], env=x.env(), check=True,
                   capture_output=True)


def test_window_sends_keys_and_grabs_with_ctrl_alt_g():
    need_sdl()
    if not shutil.which("xdotool"):
        raise Skip("xdotool is not installed (xdotool)")
    x = Xvfb()
    disk = os.path.join(tempdir(), "blank.img")
    with open(disk, "wb") as f:
        f.truncate(10 << 20)
    m = Machine(binary("x86_64"), [
        "-nodefaults", "-vga", "std", "-display", "sdl",
        "-drive", f"file={disk},format=raw,if=ide",
        "-boot", "menu=on,splash-time=60000"], env=x.env())
    try:
        win = x.window(r"^emu \(")[0]
        # No window manager under Xvfb: the test gives the window the
        # keyboard focus, then types as a user would.
        xdotool(x, "windowfocus", "--sync", win)
        m.wait_text("Press ESC for boot menu")
        xdotool(x, "key", "Escape")
        screen = screen_text(m.wait_text("Select boot device"))
        assert "1. ata0-0: QEMU HARDDISK" in screen, screen
        # Ctrl-Alt-G grabs keyboard and pointer; the guest does not see
        # it, and keys still reach it.
        xdotool(x, "key", "ctrl+alt+g")
        assert x.window(r"exit grab")[1] == \
            "emu (pc) - Press Ctrl-Alt-G to exit grab"
        xdotool(x, "key", "1")
        m.wait_text("Booting from Hard Disk")
        xdotool(x, "key", "ctrl+alt+g")
        assert x.window(r"^emu \(pc\)$")[1] == "emu (pc)"
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
