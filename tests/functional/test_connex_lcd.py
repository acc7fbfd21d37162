# The connex board's PXA255 LCD controller drawing through the display
# layer: the guest tests/guests/arm/connex/lcd.c enables a 160x120
# panel at 16 bpp, then at 8 bpp through a palette its descriptor chain
# loads; each screendump is compared pixel for pixel with the picture
# the test computes the same way, and the 16 bpp PPM byte for byte with
# QEMU's (QEMU 7.2 draws the palette mode otherwise than the manual:
# its 8 bpp picture is not compared).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import subprocess

from emutest import Skip, Stream, binary, main, qmp_connect, tempdir
from test_connex import flash_file, guest_args, need_connex
from vgascreen import read_ppm, read_png

QEMU = "qemu-system-arm"
WIDTH, HEIGHT = 160, 120


def rgb565(r, g, b):
    return (r >> 3) << 11 | (g >> 2) << 5 | (b >> 3)


def widen(p):
    """An RGB 5:6:5 pixel as 8-bit components (shifted, as emu and QEMU
    show them)."""
    return ((p >> 11) << 3, ((p >> 5) & 0x3f) << 2, (p & 0x1f) << 3)


def picture16():
    rows = []
    for y in range(HEIGHT):
        row = []
        for x in range(WIDTH):
            bar = x // (WIDTH // 8)
            if y < HEIGHT // 2:
                p = rgb565(255 if bar & 4 else 0, 255 if bar & 2 else 0,
                           255 if bar & 1 else 0)
            else:
                p = rgb565(y * 2, x * 255 // (WIDTH - 1), x)
            row.append(widen(p))
        rows.append(row)
    return rows


def picture8():
    palette = [widen(rgb565(i, 255 - i, (i * 4) & 0xff)) for i in range(256)]
    return [[palette[(x ^ y) & 0xff] for x in range(WIDTH)]
            for y in range(HEIGHT)]


def screendumps(program):
    """Runs the lcd guest on PROGRAM; returns the screendump paths
    (16 bpp PPM and PNG, 8 bpp PPM)."""
    directory = tempdir()
    sock = os.path.join(directory, "qmp.sock")
    proc = subprocess.Popen([program] + guest_args(flash_file("lcd")) +
                            ["-qmp", f"unix:{sock},server=on,wait=off"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        out = Stream(proc.stdout.fileno(), drop_cr=True)
        qmp = qmp_connect(sock)
        qmp.negotiate()
        dumps = []
        for mode, files in (("16bpp", ("16.ppm", "16.png")),
                            ("8bpp", ("8.ppm",))):
            out.read_until(f"lcd: {mode} {WIDTH}x{HEIGHT}\n")
            for name in files:
                path = os.path.join(directory, name)
                reply, _ = qmp.cmd("screendump", {
                    "filename": path, "format": name.split(".")[1]})
                assert reply == {"return": {}}, reply
                dumps.append(path)
            proc.stdin.write(b"n")
            proc.stdin.flush()
        assert proc.wait(30) == 0
        return dumps
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_lcd_pictures_through_screendump():
    need_connex()
    ppm16, png16, ppm8 = screendumps(binary("arm"))
    assert read_ppm(ppm16) == picture16()
    assert read_png(png16) == picture16()
    assert read_ppm(ppm8) == picture8()
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")
    qemu16 = screendumps(QEMU)[0]
    with open(ppm16, "rb") as a, open(qemu16, "rb") as b:
        assert a.read() == b.read(), "16 bpp PPM differs from QEMU's"


if __name__ == "__main__":
    main(globals())
