# emu-img on bad images (issue 10): malformed headers, tables pointing
# past the end and backing loops are refused with a clear message naming
# the file; kill -9 during writes leaves an image qemu-img check passes.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import random
import signal
import struct
import subprocess
import time

from emutest import Skip, main
from imgtest import (EMU_IMG, SCRATCH, TIMEOUT, emu_img, path, qemu_image,
                     qemu_img)


# ---- malformed images ----

def header_image(name, **fields):
    """A fresh qcow2 with header fields overwritten (offset: (fmt, value))."""
    qemu_img("create", "-q", "-f", "qcow2", name, "1G")
    with open(path(name), "r+b") as f:
        for offset, (fmt, value) in fields.items():
            f.seek(int(offset[1:], 16))
            f.write(struct.pack(fmt, value))
    return name


MALFORMED = [
    ({"x0": (">I", 0x12345678)}, "Image is not in qcow2 format"),
    ({"x4": (">I", 4)}, "Unsupported qcow2 version 4"),
    ({"x14": (">I", 30)}, "Unsupported cluster size: 2^30"),
    ({"x64": (">I", 20)}, "qcow2 header too short"),
    ({"x28": (">Q", 0x10001)}, "Invalid L1 table offset"),
    ({"x30": (">Q", 0x10001)}, "Invalid reference count table offset"),
    ({"x60": (">I", 7)}, "Reference count entry width too large; may not "
     "exceed 64 bits"),
    ({"x48": (">Q", 1 << 55)}, "Unsupported qcow2 feature(s)"),
    ({"x24": (">I", 1)}, "L1 table is too small"),
    ({"x18": (">Q", 1 << 62)}, "L1 table is too small"),
    ({"x38": (">I", 1 << 30)}, "Reference count table too large"),
    ({"x20": (">I", 1)}, "encrypted images are not supported"),
    ({"x10": (">I", 5000), "x8": (">Q", 0x400)}, "Backing file name too "
     "long"),
]


def test_malformed_images_refused():
    for fields, message in MALFORMED:
        image = header_image("bad.qcow2", **fields)
        for cmd in (["info"], ["convert", "-O", "raw"], ["map"],
                    ["compare"]):
            args = cmd + ["-f", "qcow2", image] + \
                (["x.raw"] if cmd[0] == "convert" else []) + \
                (["bad.qcow2"] if cmd[0] == "compare" else [])
            e = emu_img(*args, check=False)
            assert e.returncode in (1, 2), (fields, cmd, e.returncode,
                                            e.stderr)
            assert message in e.stderr, (fields, message, e.stderr)
            assert "bad.qcow2" in e.stderr, e.stderr


def test_table_pointing_past_the_end():
    qemu_image("bad.qcow2", commands=["write -P 0x11 0 64k"])
    with open(path("bad.qcow2"), "r+b") as f:
        f.seek(0x28)
        l1 = struct.unpack(">Q", f.read(8))[0]
        f.seek(l1)
        f.write(struct.pack(">Q", (1 << 63) | (1 << 50) | 0x1234))
    e = emu_img("convert", "-O", "raw", "bad.qcow2", "x.raw", check=False)
    assert e.returncode == 1, e.stderr
    assert "L2 table offset 0x4000000001200 is not cluster aligned; the " \
        "image is corrupt" in e.stderr, e.stderr


def test_backing_loop_refused():
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", "loop2.qcow2", "-F",
             "qcow2", "loop1.qcow2", "1M")
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", "loop1.qcow2", "-F",
             "qcow2", "loop2.qcow2", "1M")
    e = emu_img("info", "--backing-chain", "loop1.qcow2", check=False)
    assert e.returncode == 1, e.stderr
    assert "a loop?" in e.stderr, e.stderr


# ---- kill -9 while writing ----

def test_kill_9_during_writes():
    """An image emu-img is writing when it is killed is consistent: no
    errors, at worst leaked clusters (qemu-img check exit 0 or 3)."""
    size = 24 << 20
    rng = random.Random(7)
    with open(path("noise.raw"), "wb") as f:
        for _ in range(size // 65536):
            f.write(rng.randbytes(4096) * 16)
    emu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512",
            "victim.qcow2", str(size))
    proc = subprocess.Popen([EMU_IMG, "convert", "-n", "-f", "raw",
                             "noise.raw", "victim.qcow2"],
                            cwd=SCRATCH, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + TIMEOUT
        while os.path.getsize(path("victim.qcow2")) < 2 << 20:
            if proc.poll() is not None:
                raise Skip("emu-img finished before it could be killed")
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    check = qemu_img("check", "victim.qcow2", check=False)
    assert check.returncode in (0, 3), (check.returncode, check.stdout)
    assert "ERROR" not in check.stdout, check.stdout


if __name__ == "__main__":
    main(globals())
