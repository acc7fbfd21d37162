# emu-img against Debian's qemu-img (issue 10): images made by either
# tool are read by the other, compared byte for byte (qemu-img compare,
# cmp of raw conversions) and checked (qemu-img check); the output of
# create, info and map is qemu-img's; malformed images are refused with
# a clear message; kill -9 during writes leaves a consistent image.
# SPDX-License-Identifier: GPL-2.0-or-later
import atexit
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import time

from emutest import BUILD_DIR, Skip, main, tempdir

EMU_IMG = os.path.join(BUILD_DIR, "tools", "emu-img")
SCRATCH = tempdir()
atexit.register(shutil.rmtree, SCRATCH, True)
TIMEOUT = 120


def path(name):
    return os.path.join(SCRATCH, name)


def run(program, *args, check=True):
    proc = subprocess.run([program] + list(args), capture_output=True,
                          text=True, timeout=TIMEOUT, cwd=SCRATCH)
    if check:
        assert proc.returncode == 0, (program, args, proc.returncode,
                                      proc.stdout, proc.stderr)
    return proc


def emu_img(*args, check=True):
    return run(EMU_IMG, *args, check=check)


def qemu_img(*args, check=True):
    tool = shutil.which("qemu-img")
    if not tool:
        raise Skip("qemu-img is not installed (Debian: qemu-utils)")
    return run(tool, *args, check=check)


def qemu_io(image, *commands, fmt="qcow2"):
    tool = shutil.which("qemu-io")
    if not tool:
        raise Skip("qemu-io is not installed (Debian: qemu-utils)")
    args = ["-f", fmt]
    for c in commands:
        args += ["-c", c]
    run(tool, *args, image)


def as_qemu(text):
    """emu-img's text with the program named as qemu-img would be."""
    return text.replace("emu-img", "qemu-img")


def same_output(*args):
    e, q = emu_img(*args), qemu_img(*args)
    assert e.stdout == q.stdout, (args, e.stdout, q.stdout)
    return e.stdout


def check_clean(image):
    proc = qemu_img("check", image, check=False)
    assert proc.returncode == 0, (image, proc.stdout, proc.stderr)
    assert proc.stdout.startswith("No errors were found on the image.\n"), \
        proc.stdout


def to_raw(tool, image, raw):
    tool("convert", "-O", "raw", image, raw)
    with open(path(raw), "rb") as f:
        return f.read()


PATTERN = ["write -P 0x11 0 1M", "write -z 2M 64k", "write -P 0x22 3000k 10k",
           "write -P 0x33 60M 3M", "write -P 0x44 63M 1M"]


def qemu_image(name, options="", size="64M", commands=PATTERN):
    args = ["create", "-q", "-f", "qcow2"]
    if options:
        args += ["-o", options]
    qemu_img(*args, name, size)
    qemu_io(path(name), *commands)
    return name


# ---- create, info, map: qemu-img's bytes and words ----

CREATE_OPTIONS = ["", "compat=0.10,cluster_size=4096",
                  "refcount_bits=1,cluster_size=512",
                  "refcount_bits=64,cluster_size=2M", "lazy_refcounts=on",
                  "refcount_bits=8,cluster_size=32k"]


def test_create_same_bytes():
    for options in CREATE_OPTIONS:
        args = ["create", "-f", "qcow2"] + (["-o", options] if options
                                             else [])
        e = emu_img(*args, "e.qcow2", "10G")
        q = qemu_img(*args, "q.qcow2", "10G")
        assert e.stdout.replace("e.qcow2", "q.qcow2") == q.stdout, \
            (e.stdout, q.stdout)
        with open(path("e.qcow2"), "rb") as a, open(path("q.qcow2"),
                                                     "rb") as b:
            assert a.read() == b.read(), options
        check_clean("e.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "base.qcow2", "1G")
    e = emu_img("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2",
                "e.qcow2")
    assert "size=1073741824 backing_file=base.qcow2 backing_fmt=qcow2" in \
        e.stdout, e.stdout
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
             "qcow2", "q.qcow2")
    with open(path("e.qcow2"), "rb") as a, open(path("q.qcow2"), "rb") as b:
        assert a.read() == b.read()
    e = emu_img("create", "-f", "raw", "e.raw", "1M")
    assert e.stdout == "Formatting 'e.raw', fmt=raw size=1048576\n"
    assert os.path.getsize(path("e.raw")) == 1 << 20


def test_create_errors():
    cases = [
        (["create", "-f", "qcow2", "x.qcow2"],
         "x.qcow2: Image creation needs a size parameter"),
        (["create", "-f", "foo", "x.qcow2", "1M"],
         "x.qcow2: Unknown file format 'foo'"),
        (["create", "-f", "qcow2", "-o", "cluster_size=1000", "x.qcow2",
          "1M"], "x.qcow2: Cluster size must be a power of two between 512 "
         "and 2048k"),
        (["create", "-f", "qcow2", "-o", "refcount_bits=3", "x.qcow2", "1M"],
         "x.qcow2: Refcount width must be a power of two and may not exceed "
         "64 bits"),
        (["create", "-f", "qcow2", "-o", "bogus=1", "x.qcow2", "1M"],
         "x.qcow2: Invalid parameter 'bogus'"),
        (["create", "-f", "qcow2", "-b", "base.qcow2", "x.qcow2"],
         "x.qcow2: Backing file specified without backing format"),
    ]
    for args, message in cases:
        e = emu_img(*args, check=False)
        assert e.returncode == 1, (args, e.returncode)
        assert e.stderr.startswith(f"emu-img: {message}\n"), (args, e.stderr)
        q = qemu_img(*args, check=False)
        assert q.returncode == 1 and f"qemu-img: {message}" in q.stderr, \
            (args, q.stderr)


def test_info_and_map_like_qemu_img():
    qemu_img("create", "-q", "-f", "qcow2", "base.qcow2", "64M")
    qemu_io(path("base.qcow2"), "write -P 0x55 1M 2M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
             "qcow2", "overlay.qcow2")
    qemu_io(path("overlay.qcow2"), "write -P 0x66 0 64k", "write -z 1M 64k")
    qemu_img("create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2",
             "1G")
    qemu_img("create", "-q", "-f", "raw", "plain.raw", "3M")
    qemu_image("data.qcow2")
    for image in ["base.qcow2", "overlay.qcow2", "v2.qcow2", "plain.raw",
                  "data.qcow2"]:
        same_output("info", image)
        same_output("info", "--output=json", image)
        same_output("map", image)
        same_output("map", "--output=json", image)
    same_output("info", "--backing-chain", "overlay.qcow2")
    chain = same_output("info", "--backing-chain", "--output=json",
                        "overlay.qcow2")
    assert [i["filename"] for i in json.loads(chain)] == \
        ["overlay.qcow2", "base.qcow2"]


# ---- data both ways ----

def test_qemu_images_read_by_emu():
    cases = ["cluster_size=512", "cluster_size=4096,refcount_bits=1",
             "cluster_size=65536", "cluster_size=2M,refcount_bits=64",
             "compat=0.10", "refcount_bits=8"]
    for options in cases:
        qemu_image("q.qcow2", options)
        assert to_raw(emu_img, "q.qcow2", "e.raw") == \
            to_raw(qemu_img, "q.qcow2", "q.raw"), options
        assert emu_img("compare", "q.qcow2", "q.raw").stdout == \
            "Images are identical.\n"
    # Compressed clusters written by qemu-img.
    qemu_image("q.qcow2")
    qemu_img("convert", "-c", "-O", "qcow2", "q.qcow2", "qc.qcow2")
    assert to_raw(emu_img, "qc.qcow2", "e.raw") == \
        to_raw(qemu_img, "q.qcow2", "q.raw")


def test_emu_images_read_by_qemu():
    qemu_image("src.qcow2")
    for options in ["cluster_size=512", "cluster_size=4096,refcount_bits=1",
                    "cluster_size=65536,refcount_bits=2",
                    "cluster_size=2M,refcount_bits=64", "compat=0.10",
                    "refcount_bits=32,cluster_size=16k"]:
        for compress in ([], ["-c"]):
            emu_img("convert", *compress, "-O", "qcow2", "-o", options,
                    "src.qcow2", "e.qcow2")
            check_clean("e.qcow2")
            assert qemu_img("compare", "src.qcow2", "e.qcow2").stdout == \
                "Images are identical.\n", (options, compress)
    emu_img("convert", "-O", "raw", "src.qcow2", "e.raw")
    assert qemu_img("compare", "-f", "raw", "-F", "qcow2", "e.raw",
                    "src.qcow2").returncode == 0


def test_backing_chain():
    qemu_img("create", "-q", "-f", "qcow2", "base.qcow2", "8M")
    qemu_io(path("base.qcow2"), "write -P 0x01 0 8M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
             "qcow2", "mid.qcow2")
    qemu_io(path("mid.qcow2"), "write -P 0x02 1M 1M", "write -z 3M 512k")
    emu_img("create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2",
            "top.qcow2")
    # A write into the overlay that ends inside a cluster: the rest of
    # that cluster is copied from the backing chain.
    with open(path("patch.raw"), "wb") as f:
        f.write(random.Random(2).randbytes((1 << 20) + 1234))
    emu_img("convert", "-n", "-f", "raw", "patch.raw", "top.qcow2")
    raw = to_raw(qemu_img, "top.qcow2", "q.raw")
    with open(path("patch.raw"), "rb") as f:
        assert raw[:(1 << 20) + 1234] == f.read()
    assert raw[(1 << 20) + 1234:2 << 20] == b"\x02" * ((1 << 20) - 1234)
    assert raw[3 << 20:(3 << 20) + (512 << 10)] == bytes(512 << 10)
    assert raw[4 << 20:] == b"\x01" * (4 << 20)
    assert to_raw(emu_img, "top.qcow2", "e.raw") == \
        to_raw(qemu_img, "top.qcow2", "q.raw")
    check_clean("top.qcow2")


def test_write_into_snapshotted_image():
    """Shared clusters (refcount 2 after qemu-img snapshot -c) are copied
    on write; the snapshot keeps the old data."""
    qemu_image("snap.qcow2")
    before = to_raw(qemu_img, "snap.qcow2", "before.raw")
    qemu_img("snapshot", "-c", "s1", "snap.qcow2")
    new = random.Random(1).randbytes(3 << 20)
    with open(path("new.raw"), "wb") as f:
        f.write(new)
        f.truncate(64 << 20)
    emu_img("convert", "-n", "-f", "raw", "new.raw", "snap.qcow2")
    check_clean("snap.qcow2")
    assert qemu_img("compare", "-f", "raw", "-F", "qcow2", "new.raw",
                    "snap.qcow2").returncode == 0
    qemu_img("snapshot", "-a", "s1", "snap.qcow2")
    check_clean("snap.qcow2")
    assert to_raw(qemu_img, "snap.qcow2", "after.raw") == before


def test_compare_like_qemu_img():
    qemu_image("a.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "b.qcow2", "64M")
    qemu_io(path("b.qcow2"), *PATTERN[:-1], "write -P 0x44 63M 512",
            "write -P 0x45 64512k 1k")
    for args in [("a.qcow2", "b.qcow2"), ("a.qcow2", "a.qcow2")]:
        e = emu_img("compare", *args, check=False)
        q = qemu_img("compare", *args, check=False)
        assert (e.returncode, e.stdout) == (q.returncode, q.stdout), \
            (e.stdout, q.stdout)
    qemu_img("create", "-q", "-f", "qcow2", "c.qcow2", "65M")
    qemu_io(path("c.qcow2"), *PATTERN)
    for extra in ([], ["-s"]):
        e = emu_img("compare", *extra, "a.qcow2", "c.qcow2", check=False)
        q = qemu_img("compare", *extra, "a.qcow2", "c.qcow2", check=False)
        assert (e.returncode, e.stdout) == (q.returncode, q.stdout), \
            (extra, e.stdout, q.stdout)


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
    size = 48 << 20
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
        while os.path.getsize(path("victim.qcow2")) < 4 << 20:
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
