# emu-img amend (issue 10) against Debian's qemu-img: the same changes
# to the same image leave the same bytes (compat up and down, lazy
# refcounts, zero clusters expanded for version 2, with and without a
# backing file), the images pass qemu-img check and read the same, and
# bad options get qemu-img's messages.
# SPDX-License-Identifier: GPL-2.0-or-later
import shutil

from emutest import main
from imgtest import check_clean, emu_img, path, qemu_img, qemu_io


def same_amend(name, *options):
    """Amends copies of name with both tools; returns emu-img's copy."""
    shutil.copy(path(name), path("e." + name))
    shutil.copy(path(name), path("q." + name))
    for option in options:
        emu_img("amend", "-o", option, "e." + name)
        qemu_img("amend", "-o", option, "q." + name)
        with open(path("e." + name), "rb") as a, \
                open(path("q." + name), "rb") as b:
            assert a.read() == b.read(), (name, option)
        check_clean("e." + name)
    qemu_img("compare", "e." + name, "q." + name)
    return "e." + name


def test_compat_and_lazy_refcounts_like_qemu_img():
    qemu_img("create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2",
             "10M")
    qemu_io(path("v2.qcow2"), "write -P 1 0 100k", "write -P 2 3M 64k")
    same_amend("v2.qcow2", "compat=1.1", "lazy_refcounts=on",
               "lazy_refcounts=off", "compat=0.10", "compat=1.1,"
               "lazy_refcounts=on", "compat=0.10")
    for cs in ("512", "64k"):
        qemu_img("create", "-q", "-f", "qcow2", "-o",
                 f"lazy_refcounts=on,cluster_size={cs}", f"v3.{cs}.qcow2",
                 "10M")
        qemu_io(path(f"v3.{cs}.qcow2"), "write -z 0 64k",
                "write -P 1 64k 64k", "write -z 1M 300k",
                "write -P 3 5M 1k")
        e = same_amend(f"v3.{cs}.qcow2", "compat=0.10")
        assert "compat: 0.10" in qemu_img("info", e).stdout


def test_downgrade_over_a_backing_file_allocates_zeros():
    """A zero cluster over a backing file must still read zeros in
    version 2: it becomes a cluster of zeros."""
    qemu_img("create", "-q", "-f", "qcow2", "base.qcow2", "2M")
    qemu_io(path("base.qcow2"), "write -P 7 0 2M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
             "qcow2", "over.qcow2")
    qemu_io(path("over.qcow2"), "write -z 0 64k", "write -z 100k 200k",
            "write -P 3 512k 4k")
    e = same_amend("over.qcow2", "compat=0.10")
    raw = path("over.raw")
    qemu_img("convert", "-O", "raw", e, raw)
    with open(raw, "rb") as f:
        data = f.read()
    assert data[:64 << 10] == bytes(64 << 10)
    assert data[100 << 10:300 << 10] == bytes(200 << 10)
    assert data[1 << 20:] == b"\x07" * (1 << 20)


def test_size():
    qemu_img("create", "-q", "-f", "qcow2", "sz.qcow2", "10M")
    qemu_io(path("sz.qcow2"), "write -P 5 0 1M")
    e = same_amend("sz.qcow2", "size=20M", "size=5M")
    assert "virtual size: 5 MiB" in qemu_img("info", e).stdout


BAD = [["-o", "lazy_refcounts=maybe"], ["-o", "compat=0.9"],
       ["-o", "cluster_size=4096"], ["-o", "bogus=1"], [],
       ["-o", "backing_file=x"], ["-o", "compat=0.10,lazy_refcounts=on"],
       ["-o", "compat=0.10,refcount_bits=8"], ["-f", "raw", "-o", "size=1M"]]


def test_errors_like_qemu_img():
    qemu_img("create", "-q", "-f", "qcow2", "bad.qcow2", "1M")
    for args in BAD:
        e = emu_img("amend", *args, "bad.qcow2", check=False)
        q = qemu_img("amend", *args, "bad.qcow2", check=False)
        assert e.returncode == q.returncode == 1, (args, e.stderr)
        assert e.stderr.replace("emu-img", "qemu-img") == q.stderr, \
            (args, e.stderr, q.stderr)
    # Changing the refcount width is qemu-img's and not emu-img's.
    qemu_img("create", "-q", "-f", "qcow2", "-o", "refcount_bits=8",
             "r8.qcow2", "1M")
    e = emu_img("amend", "-o", "refcount_bits=16", "r8.qcow2", check=False)
    assert e.returncode == 1 and "refcount width" in e.stderr, e.stderr
    e = emu_img("amend", "-o", "compat=0.10", "r8.qcow2", check=False)
    assert e.stderr == "emu-img: compat=0.10 requires refcount_bits=16\n", \
        e.stderr
    check_clean("r8.qcow2")


if __name__ == "__main__":
    main(globals())
