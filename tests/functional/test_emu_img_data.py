# emu-img against Debian's qemu-img (issue 10): images made by either
# tool are read by the other, compared byte for byte (qemu-img compare,
# raw conversions) and checked (qemu-img check): cluster sizes, refcount
# widths, v2 and v3, compression, backing chains, internal snapshots.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
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


if __name__ == "__main__":
    main(globals())
