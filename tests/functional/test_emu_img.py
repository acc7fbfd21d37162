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
           "write -P 0x33 12M 3M", "write -P 0x44 15M 1M"]


def qemu_image(name, options="", size="16M", commands=PATTERN):
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
        f.truncate(16 << 20)
    emu_img("convert", "-n", "-f", "raw", "new.raw", "snap.qcow2")
    check_clean("snap.qcow2")
    assert qemu_img("compare", "-f", "raw", "-F", "qcow2", "new.raw",
                    "snap.qcow2").returncode == 0
    qemu_img("snapshot", "-a", "s1", "snap.qcow2")
    check_clean("snap.qcow2")
    assert to_raw(qemu_img, "snap.qcow2", "after.raw") == before


def test_compare_like_qemu_img():
    qemu_image("a.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "b.qcow2", "16M")
    qemu_io(path("b.qcow2"), *PATTERN[:-1], "write -P 0x44 15M 512",
            "write -P 0x45 15872k 1k")
    for args in [("a.qcow2", "b.qcow2"), ("a.qcow2", "a.qcow2")]:
        e = emu_img("compare", *args, check=False)
        q = qemu_img("compare", *args, check=False)
        assert (e.returncode, e.stdout) == (q.returncode, q.stdout), \
            (e.stdout, q.stdout)
    qemu_img("create", "-q", "-f", "qcow2", "c.qcow2", "17M")
    qemu_io(path("c.qcow2"), *PATTERN)
    for extra in ([], ["-s"]):
        e = emu_img("compare", *extra, "a.qcow2", "c.qcow2", check=False)
        q = qemu_img("compare", *extra, "a.qcow2", "c.qcow2", check=False)
        assert (e.returncode, e.stdout) == (q.returncode, q.stdout), \
            (extra, e.stdout, q.stdout)


# ---- check ----

def damage_refcounts(name):
    """A 1M image with cluster 3's count 2 (a leak) and cluster 6's 0 (a
    corruption: a data cluster in use counted free)."""
    qemu_img("create", "-q", "-f", "qcow2", name, "1M")
    qemu_io(path(name), "write -P 1 0 128k")
    with open(path(name), "r+b") as f:
        f.seek(0x20000 + 3 * 2)
        f.write(struct.pack(">H", 2))
        if name.startswith("both"):
            f.seek(0x20000 + 6 * 2)
            f.write(struct.pack(">H", 0))
    return name


def same_check(*args, image):
    e = emu_img("check", *args, image, check=False)
    q = qemu_img("check", *args, image, check=False)
    assert (e.returncode, e.stdout) == (q.returncode, q.stdout), \
        (args, image, e.returncode, e.stdout, q.returncode, q.stdout)
    assert e.stderr == q.stderr.replace("qemu-img", "emu-img"), \
        (e.stderr, q.stderr)
    return e


def test_check_like_qemu_img():
    images = [qemu_image("plain.qcow2"), damage_refcounts("leak.qcow2"),
              damage_refcounts("both.qcow2")]
    qemu_img("convert", "-c", "-O", "qcow2", "plain.qcow2", "packed.qcow2")
    emu_img("convert", "-O", "qcow2", "-o", "cluster_size=512",
            "plain.qcow2", "small.qcow2")
    for image in images + ["packed.qcow2", "small.qcow2"]:
        same_check(image=image)
        same_check("--output=json", image=image)
    assert same_check(image="leak.qcow2").returncode == 3
    assert same_check(image="both.qcow2").returncode == 2
    # -r leaks gives the leaked cluster back; with a corruption it refuses
    # (the refcount structure must be rebuilt), as qemu-img does.
    shutil.copy(path("leak.qcow2"), path("leak2.qcow2"))
    shutil.copy(path("leak.qcow2"), path("leak3.qcow2"))
    e = emu_img("check", "-r", "leaks", "leak.qcow2")
    q = qemu_img("check", "-r", "leaks", "leak3.qcow2")
    assert (e.stdout, e.stderr) == (q.stdout, q.stderr), (e.stdout, q.stdout)
    assert "Repairing cluster 3 refcount=2 reference=1" in e.stderr, e.stderr
    check_clean("leak.qcow2")
    shutil.copy(path("both.qcow2"), path("both2.qcow2"))
    e = emu_img("check", "-r", "leaks", "both.qcow2", check=False)
    assert e.returncode == 1, e.stdout
    assert e.stderr.endswith("ERROR need to rebuild refcount structures\n"
                             "emu-img: Check failed: Input/output error\n"), \
        e.stderr
    # -r all repairs both (qemu-img rebuilds the refcount structure
    # instead, so its image end offset differs; the data are the same).
    e = emu_img("check", "-r", "all", "both2.qcow2", check=False)
    assert e.returncode == 0, (e.stdout, e.stderr)
    assert "The following inconsistencies were found and repaired:\n\n" \
        "    1 leaked clusters\n    1 corruptions\n" in e.stdout, e.stdout
    check_clean("both2.qcow2")
    assert to_raw(qemu_img, "both2.qcow2", "x.raw") == \
        to_raw(qemu_img, "leak2.qcow2", "y.raw")


# ---- internal snapshots ----

def test_snapshots_both_ways():
    qemu_image("snap.qcow2")
    first = to_raw(qemu_img, "snap.qcow2", "first.raw")
    emu_img("snapshot", "-c", "first", "snap.qcow2")
    check_clean("snap.qcow2")
    qemu_io(path("snap.qcow2"), "write -P 0x77 512k 2M", "write -z 14M 1M")
    second = to_raw(qemu_img, "snap.qcow2", "second.raw")
    qemu_img("snapshot", "-c", "second", "snap.qcow2")
    emu_img("snapshot", "-c", "first", "snap.qcow2")     # names may repeat
    check_clean("snap.qcow2")
    for args in (["snapshot", "-l"], ["info"], ["info", "--output=json"]):
        same_output(*args, "snap.qcow2")
    assert emu_img("snapshot", "snap.qcow2").stdout == \
        qemu_img("snapshot", "-l", "snap.qcow2").stdout
    # Apply by name (the first of that name) and by ID, each tool.
    emu_img("snapshot", "-a", "first", "snap.qcow2")
    check_clean("snap.qcow2")
    assert to_raw(qemu_img, "snap.qcow2", "x.raw") == first
    emu_img("snapshot", "-a", "2", "snap.qcow2")
    assert to_raw(emu_img, "snap.qcow2", "x.raw") == second
    qemu_img("snapshot", "-a", "first", "snap.qcow2")
    assert to_raw(emu_img, "snap.qcow2", "x.raw") == first
    # Writes after applying copy the shared clusters; snapshots keep theirs.
    emu_img("convert", "-n", "-f", "raw", "second.raw", "snap.qcow2")
    check_clean("snap.qcow2")
    emu_img("snapshot", "-d", "second", "snap.qcow2")
    check_clean("snap.qcow2")
    emu_img("snapshot", "-a", "first", "snap.qcow2")
    assert to_raw(qemu_img, "snap.qcow2", "x.raw") == first
    qemu_img("snapshot", "-d", "first", "snap.qcow2")
    emu_img("snapshot", "-d", "first", "snap.qcow2")
    check_clean("snap.qcow2")
    assert qemu_img("snapshot", "-l", "snap.qcow2").stdout == ""
    assert to_raw(emu_img, "snap.qcow2", "x.raw") == first
    for action, message in (("-a", "Could not apply snapshot 'nope': Failed "
                             "to load snapshot: No such file or directory"),
                            ("-d", "Could not delete snapshot 'nope': "
                             "snapshot not found")):
        e = emu_img("snapshot", action, "nope", "snap.qcow2", check=False)
        assert (e.returncode, e.stderr) == (1, f"emu-img: {message}\n"), \
            e.stderr


# ---- resize ----

def test_resize():
    for tool, name in ((emu_img, "e.qcow2"), (qemu_img, "q.qcow2")):
        qemu_img("create", "-q", "-f", "qcow2", name, "1M")
        assert tool("resize", name, "+1G").stdout == "Image resized.\n"
    with open(path("e.qcow2"), "rb") as a, open(path("q.qcow2"), "rb") as b:
        assert a.read() == b.read()     # the same longer L1 in the same place
    qemu_io(path("e.qcow2"), "write -P 3 0 1M", "write -P 4 700M 10M")
    for args in (["e.qcow2", "600M"], ["e.qcow2", "--", "-100M"]):
        e = emu_img("resize", *args, check=False)
        q = qemu_img("resize", *args, check=False)
        assert (e.returncode, e.stderr) == \
            (q.returncode, q.stderr.replace("qemu-img", "emu-img")), e.stderr
    emu_img("resize", "--shrink", "e.qcow2", "600M")
    check_clean("e.qcow2")
    assert qemu_img("info", "--output=json", "e.qcow2").stdout.count(
        '"virtual-size": 629145600') == 1
    # What was past the end is gone: growing again reads zeros there.
    emu_img("resize", "e.qcow2", "1G")
    check_clean("e.qcow2")
    data = to_raw(qemu_img, "e.qcow2", "e.raw")
    assert data[:1 << 20] == b"\x03" * (1 << 20)
    assert data[1 << 20:].count(0) == len(data) - (1 << 20)
    emu_img("create", "-q", "-f", "raw", "r.raw", "1M")
    emu_img("resize", "-f", "raw", "r.raw", "3M")
    assert os.path.getsize(path("r.raw")) == 3 << 20
    emu_img("resize", "-f", "raw", "--shrink", "r.raw", "1M")
    assert os.path.getsize(path("r.raw")) == 1 << 20


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
