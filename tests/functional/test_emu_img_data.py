# emu-img against Debian's qemu-img (issue 10): images made by either
# tool are read by the other, compared byte for byte (qemu-img compare,
# raw conversions) and checked (qemu-img check): cluster sizes, refcount
# widths, v2 and v3, compression, backing chains, internal snapshots.
# SPDX-License-Identifier: GPL-2.0-or-later
import random
import shutil

from emutest import main
from imgtest import (check_clean, emu_img, path, qemu_image, qemu_img, qemu_io,
                     same_output, to_raw)


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


# ---- rebase ----

def rebase_images():
    """o.qcow2 over b1 (0x01 in 0-3M), with its own data at 0 and 1000k;
    b2 has 0x01 in 0-1M and 0x02 in 2-3M; q.qcow2 is o's copy."""
    for name in ("b1.qcow2", "b2.qcow2"):
        qemu_img("create", "-q", "-f", "qcow2", name, "4M")
    qemu_io(path("b1.qcow2"), "write -P 1 0 3M")
    qemu_io(path("b2.qcow2"), "write -P 1 0 1M", "write -P 2 2M 1M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "b1.qcow2", "-F", "qcow2",
             "o.qcow2")
    qemu_io(path("o.qcow2"), "write -P 3 0 64k", "write -P 4 1000k 100k")
    shutil.copy(path("o.qcow2"), path("q.qcow2"))


def test_rebase_like_qemu_img():
    rebase_images()
    before = to_raw(qemu_img, "o.qcow2", "before.raw")
    for args in (["-b", "b2.qcow2", "-F", "qcow2"],      # safe: copies
                 ["-u", "-b", "b1.qcow2", "-F", "qcow2"],  # names only
                 ["-b", ""]):                            # copies it all
        e = emu_img("rebase", *args, "o.qcow2")
        q = qemu_img("rebase", *args, "q.qcow2")
        assert e.stdout == q.stdout == "", (args, e.stdout)
        with open(path("o.qcow2"), "rb") as a, \
                open(path("q.qcow2"), "rb") as b:
            assert a.read() == b.read(), args
        check_clean("o.qcow2")
        if "-u" not in args:
            assert to_raw(qemu_img, "o.qcow2", "after.raw") == before, args
    assert "backing file" not in qemu_img("info", "o.qcow2").stdout


def test_rebase_errors_like_qemu_img():
    rebase_images()
    for args in (["-b", "b2.qcow2", "o.qcow2"],
                 ["-b", "nope.qcow2", "-F", "qcow2", "o.qcow2"],
                 ["-b", "b2.qcow2", "-F", "qcow2", "nope.qcow2"],
                 ["o.qcow2"], ["-u", "-b", "b2.qcow2", "-F", "qcow2"]):
        e = emu_img("rebase", *args, check=False)
        q = qemu_img("rebase", *args, check=False)
        assert e.returncode == q.returncode == 1, (args, e.stderr)
        # qemu-img says "Could not open 'F'" twice where emu-img says it
        # once.
        assert e.stderr.replace("emu-img", "qemu-img") == q.stderr.replace(
            "Could not open 'nope.qcow2': Could not open", "Could not open"), \
            (args, e.stderr, q.stderr)
    # Nothing was changed by the failures.
    assert emu_img("compare", "o.qcow2", "q.qcow2").returncode == 0


if __name__ == "__main__":
    main(globals())
