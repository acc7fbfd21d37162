# What a PC's screen shows, worked out by the tests themselves: the VGA
# text buffer and cursor read through a monitor, rendered with the 8x16
# font taken from the VGA BIOS ROM file, and the PPM and PNG files that
# screendump writes, decoded.  Shared by the display tests.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import struct
import subprocess
import time
import zlib

from emutest import qmp_connect, tempdir

VGABIOS = "/usr/share/seabios/vgabios-stdvga.bin"
QEMU = "qemu-system-x86_64"
# Glyph 1 of the PC font (the smiley) after the empty glyph 0: where the
# 256 glyphs of 16 rows start in the ROM.
SMILEY = bytes([0, 0, 0x7e, 0x81, 0xa5, 0x81, 0x81, 0xbd, 0x99, 0x81, 0x81,
                0x7e, 0, 0, 0, 0])
# The BIOS's 16 text colours as 6-bit DAC values (IBM's default palette).
DAC16 = [(0, 0, 0), (0, 0, 42), (0, 42, 0), (0, 42, 42), (42, 0, 0),
         (42, 0, 42), (42, 21, 0), (42, 42, 42), (21, 21, 21), (21, 21, 63),
         (21, 63, 21), (21, 63, 63), (63, 21, 21), (63, 21, 63), (63, 63, 21),
         (63, 63, 63)]


def dac8(v):
    """A 6-bit DAC level on 8 bits as QEMU's stdvga shows it."""
    return (v << 2) | ((v & 1) << 1) | (v & 1)


def rom_font(path=VGABIOS):
    with open(path, "rb") as f:
        rom = f.read()
    start = rom.find(bytes(16) + SMILEY)
    assert start >= 0, f"no 8x16 font in {path}"
    return rom[start:start + 256 * 16]


def xp_bytes(qmp, addr, count):
    """COUNT bytes of guest memory at ADDR, read with xp."""
    text = qmp.hmp(f"xp /{count}bx {addr:#x}")
    values = [int(v, 16) for line in text.splitlines()
              for v in re.findall(r"\b0x([0-9a-f]{2})\b",
                                  line.split(":", 1)[1])]
    assert len(values) == count, text
    return bytes(values)


class Machine:
    """An emulator (emu or QEMU) with a QMP socket; HMP commands go
    through human-monitor-command so both programs are driven alike.
    ENV: the environment it runs in (the tests' by default)."""

    def __init__(self, program, args, env=None):
        path = os.path.join(tempdir(), "qmp.sock")
        self.proc = subprocess.Popen([program] + args +
                                     ["-qmp", f"unix:{path},server=on,wait=off"],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=env)
        try:
            self.qmp = qmp_connect(path)
            self.qmp.negotiate()
        except Exception:
            self.close()
            raise

    def hmp(self, line):
        return self.qmp.hmp(line)

    def xp_bytes(self, addr, count):
        return xp_bytes(self.qmp, addr, count)

    def crtc(self, index):
        """CRT controller register index (colour ports), through the
        monitor's i command, the guest's index register put back."""
        def value(text):
            return int(text.split("=")[1], 16)
        saved = value(self.hmp("i /b 0x3d4"))
        self.hmp(f"o /b 0x3d4 {index:#x}")
        reg = value(self.hmp("i /b 0x3d5"))
        self.hmp(f"o /b 0x3d4 {saved:#x}")
        return reg

    def text_buffer(self):
        """80x25 (character, attribute) pairs from 0xb8000."""
        return self.xp_bytes(0xb8000, 80 * 25 * 2)

    def text_screen(self):
        """(cells, cursor): 80x25 (char, attribute) pairs from 0xb8000
        and the cursor (column, row, first line, last line) as the CRT
        controller has it."""
        buf = self.text_buffer()
        offset = ((self.crtc(0x0e) << 8 | self.crtc(0x0f)) -
                  (self.crtc(0x0c) << 8 | self.crtc(0x0d)))
        cursor = (offset % 80, offset // 80, self.crtc(0x0a) & 0x1f,
                  self.crtc(0x0b) & 0x1f)
        return buf, cursor

    def wait_text(self, needle, timeout=120):
        """The text buffer once it shows needle."""
        deadline = time.monotonic() + timeout
        while True:
            buf = self.text_buffer()
            if needle in screen_text(buf):
                return buf
            assert time.monotonic() < deadline, screen_text(buf)
            time.sleep(0.5)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()


def screen_text(buf):
    """The characters of an 80x25 text buffer, a line per row."""
    return "\n".join(bytes(buf[2 * (80 * r + c)] for c in range(80))
                     .decode("latin-1") for r in range(25))


def render_text(buf, font, cursor=None):
    """The 720x400 picture of an 80x25 buffer in 9-dot characters (the
    ninth column blank: the buffer has no line-drawing characters), as
    rows of (r, g, b); cursor (column, row, first, last) drawn when
    given."""
    palette = [tuple(dac8(c) for c in rgb) for rgb in DAC16]
    rows = []
    for r in range(25):
        for y in range(16):
            line = []
            for c in range(80):
                ch, attr = buf[2 * (80 * r + c)], buf[2 * (80 * r + c) + 1]
                bits = font[ch * 16 + y] << 1
                if cursor and (c, r) == cursor[:2] and \
                        cursor[2] <= y <= cursor[3]:
                    bits = 0x1ff
                fg, bg = palette[attr & 15], palette[attr >> 4]
                line += [fg if bits >> (8 - x) & 1 else bg for x in range(9)]
            rows.append(line)
    return rows


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, size, maxval, pixels = data.split(b"\n", 3)
    assert magic == b"P6" and maxval == b"255", data[:20]
    width, height = map(int, size.split())
    assert len(pixels) == width * height * 3
    return [[tuple(pixels[3 * (y * width + x):3 * (y * width + x) + 3])
             for x in range(width)] for y in range(height)]


def read_png(path):
    """Decodes an 8-bit RGB PNG (any filter), checking every CRC."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color = header[:4]
    assert (depth, color) == (8, 2), header
    raw = zlib.decompress(idat)
    stride = width * 3
    rows, prev = [], bytes(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pred = min((abs(p - a), 0, a), (abs(p - b), 1, b),
                           (abs(p - c), 2, c))[2]
                line[i] = (line[i] + pred) & 255
        prev = bytes(line)
        rows.append([tuple(line[3 * x:3 * x + 3]) for x in range(width)])
    return rows


def read_xwd(data):
    """Pixels of an X window dump (xwd: ZPixmap, 24 or 32 bits a pixel)
    as rows of (r, g, b)."""
    fields = struct.unpack(">25I", data[:100])
    header_size, _, pixmap_format, _, width, height = fields[:6]
    byte_order, bpp, bytes_per_line = fields[7], fields[11], fields[12]
    masks = fields[14:17]
    ncolors = fields[19]
    assert pixmap_format == 2 and bpp == 32, fields
    pixels = data[header_size + 12 * ncolors:]
    order = "<" if byte_order == 0 else ">"

    def channel(value, mask):
        shift = (mask & -mask).bit_length() - 1
        return (value & mask) >> shift

    rows = []
    for y in range(height):
        line = pixels[y * bytes_per_line:y * bytes_per_line + 4 * width]
        values = struct.unpack(f"{order}{width}I", line)
        rows.append([tuple(channel(v, m) for m in masks) for v in values])
    return rows
