# emu-img against Debian's qemu-img (issue 10): backing chains, images
# written through an overlay, and the commands that change a chain:
# rebase (safe and -u) and commit; images checked with qemu-img check
# and compared with what qemu-img makes of the same chain.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import random
import shutil

from emutest import main
from imgtest import check_clean, emu_img, path, qemu_img, qemu_io, to_raw


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
    # The raw file is a disk of whole sectors (as QEMU sees it): the
    # last one's tail reads as zeros.
    assert raw[(1 << 20) + 1234:(1 << 20) + 1536] == bytes(302)
    assert raw[(1 << 20) + 1536:2 << 20] == b"\x02" * ((1 << 20) - 1536)
    assert raw[3 << 20:(3 << 20) + (512 << 10)] == bytes(512 << 10)
    assert raw[4 << 20:] == b"\x01" * (4 << 20)
    assert to_raw(emu_img, "top.qcow2", "e.raw") == \
        to_raw(qemu_img, "top.qcow2", "q.raw")
    check_clean("top.qcow2")


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


# ---- commit ----

def commit_chain(directory, top_options=""):
    """directory/{b0,b1,o}.qcow2: b0 <- b1 <- o, each with data of its own
    (o also a zero write over b1's data)."""
    os.makedirs(path(directory), exist_ok=True)
    b0, b1, o = (f"{directory}/{n}.qcow2" for n in ("b0", "b1", "o"))
    qemu_img("create", "-q", "-f", "qcow2", b0, "4M")
    qemu_io(path(b0), "write -P 1 0 4M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "b0.qcow2", "-F", "qcow2",
             b1)
    qemu_io(path(b1), "write -P 2 1M 2M")
    args = ["create", "-q", "-f", "qcow2", "-b", "b1.qcow2", "-F", "qcow2"]
    qemu_img(*args, *(["-o", top_options] if top_options else []), o)
    qemu_io(path(o), "write -P 3 0 64k", "write -z 1M 64k",
            "write -P 4 2000k 100k")
    return b0, b1, o


def test_commit_like_qemu_img():
    for top_options in ("", "compat=0.10"):
        _, e_b1, e_o = commit_chain("e", top_options)
        _, q_b1, q_o = commit_chain("q", top_options)
        before = to_raw(qemu_img, e_o, "before.raw")
        e = emu_img("commit", e_o)
        q = qemu_img("commit", q_o)
        assert e.stdout == q.stdout == "Image committed.\n", e.stdout
        for image in (e_b1, e_o):
            check_clean(image)
        assert to_raw(qemu_img, e_o, "after.raw") == before
        assert qemu_img("compare", e_b1, q_b1).returncode == 0
        # The overlay holds nothing now: all of it reads from b1.
        assert all(entry["depth"] >= 1 for entry in
                   json.loads(qemu_img("map", "--output=json",
                                       e_o).stdout)), top_options
        if not top_options:
            # A v3 image goes back to the layout create makes, as QEMU's.
            with open(path(e_o), "rb") as a, open(path(q_o), "rb") as b:
                assert a.read() == b.read()


def test_commit_keep_and_base():
    b0, b1, o = commit_chain("k")
    before = to_raw(qemu_img, o, "before.raw")
    with open(path(o), "rb") as f:
        top = f.read()
    # -b: into b0, through b1; the images above keep what they hold.
    assert emu_img("commit", "-b", path(b0), o).stdout == \
        "Image committed.\n"
    with open(path(o), "rb") as f:
        assert f.read() == top
    check_clean(b0)
    assert to_raw(qemu_img, b0, "b0.raw") == before
    assert emu_img("commit", "-d", "-q", o).stdout == ""
    with open(path(o), "rb") as f:
        assert f.read() == top
    assert to_raw(qemu_img, b1, "b1.raw") == before


def test_commit_with_snapshot_keeps_it():
    _, b1, o = commit_chain("s")
    before = to_raw(qemu_img, o, "before.raw")
    qemu_img("snapshot", "-c", "s1", o)
    emu_img("commit", o)
    check_clean(o)
    check_clean(b1)
    assert to_raw(qemu_img, o, "after.raw") == before
    qemu_img("snapshot", "-a", "s1", o)
    check_clean(o)
    assert to_raw(qemu_img, o, "after.raw") == before


def test_commit_errors_like_qemu_img():
    qemu_img("create", "-q", "-f", "qcow2", "alone.qcow2", "1M")
    _, _, o = commit_chain("x")
    for args in (["alone.qcow2"], ["-b", "nope.qcow2", o],
                 ["-f", "raw", "alone.qcow2"], []):
        e = emu_img("commit", *args, check=False)
        q = qemu_img("commit", *args, check=False)
        assert e.returncode == q.returncode == 1, (args, e.stderr)
        assert e.stderr.replace("emu-img", "qemu-img") == q.stderr, \
            (args, e.stderr, q.stderr)


if __name__ == "__main__":
    main(globals())
