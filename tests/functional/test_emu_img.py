# emu-img against Debian's qemu-img (issue 10): create, info, map,
# compare, check and resize print what qemu-img prints and make the
# images it makes.  (test_emu_img_data.py: images both ways;
# test_emu_img_malformed.py: bad images and kill -9.)
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import shutil
import struct

from emutest import main
from imgtest import (PATTERN, check_clean, emu_img, path, qemu_image, qemu_img,
                     qemu_io, same_output, to_raw)


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


def test_create_preallocation_like_qemu_img():
    """preallocation=off|metadata|falloc|full: qemu-img's messages, the
    same guest data, map and host allocation (qcow2 metadata: the same
    bytes)."""
    for fmt in ("raw", "qcow2"):
        for mode in ("off", "metadata", "falloc", "full", "bogus"):
            results = []
            for tool in (emu_img, qemu_img):
                name = f"{tool.__name__}.{mode}.{fmt}"
                p = tool("create", "-f", fmt, "-o", f"preallocation={mode}",
                         "x", "3M", check=False)
                if os.path.exists(path("x")):
                    os.replace(path("x"), path(name))
                results.append(p)
            e, q = results
            assert e.returncode == q.returncode, (fmt, mode, e.stderr,
                                                  q.stderr)
            assert e.stdout == q.stdout, (e.stdout, q.stdout)
            assert e.stderr.replace("emu-img", "qemu-img") == q.stderr, \
                (e.stderr, q.stderr)
            if e.returncode:
                continue
            ename, qname = f"emu_img.{mode}.{fmt}", f"qemu_img.{mode}.{fmt}"
            qemu_img("compare", "-f", fmt, "-F", fmt, ename, qname)
            est, qst = os.stat(path(ename)), os.stat(path(qname))
            assert est.st_size == qst.st_size, (fmt, mode)
            if mode in ("falloc", "full"):
                assert est.st_blocks * 512 >= 3 << 20, (fmt, mode)
            elif mode == "off":
                assert est.st_blocks * 512 < 1 << 20, (fmt, mode)
            if fmt == "qcow2":
                check_clean(ename)
                assert qemu_img("map", "--output=json", ename).stdout == \
                    qemu_img("map", "--output=json", qname).stdout, mode
    for cs in ("512", "64k"):
        for tool in (emu_img, qemu_img):
            tool("create", "-q", "-f", "qcow2", "-o",
                 f"preallocation=metadata,cluster_size={cs}",
                 f"{tool.__name__}.meta.qcow2", "40M")
        with open(path("emu_img.meta.qcow2"), "rb") as a, \
                open(path("qemu_img.meta.qcow2"), "rb") as b:
            ea, qb = a.read(), b.read()
        if cs == "64k":
            assert ea == qb
        check_clean("emu_img.meta.qcow2")
        qemu_img("compare", "emu_img.meta.qcow2", "qemu_img.meta.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "base.qcow2", "1M")
    args = ["create", "-f", "qcow2", "-o", "preallocation=metadata", "-b",
            "base.qcow2", "-F", "qcow2", "y.qcow2"]
    e, q = emu_img(*args, check=False), qemu_img(*args, check=False)
    assert e.returncode == q.returncode == 1
    assert e.stderr.replace("emu-img", "qemu-img") == q.stderr, e.stderr


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
    # What was past the end is gone: growing again reads zeros there
    # (compared with an image that only ever had the first 1M written).
    emu_img("resize", "e.qcow2", "1G")
    check_clean("e.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "ref.qcow2", "1G")
    qemu_io(path("ref.qcow2"), "write -P 3 0 1M")
    assert qemu_img("compare", "e.qcow2", "ref.qcow2").stdout == \
        "Images are identical.\n"
    emu_img("create", "-q", "-f", "raw", "r.raw", "1M")
    emu_img("resize", "-f", "raw", "r.raw", "3M")
    assert os.path.getsize(path("r.raw")) == 3 << 20
    emu_img("resize", "-f", "raw", "--shrink", "r.raw", "1M")
    assert os.path.getsize(path("r.raw")) == 1 << 20



def test_resize_with_snapshots_as_qemu_img():
    # Version 3 snapshots keep their own size: shrinking and growing the
    # active image leaves them whole, as qemu-img does; version 2 is
    # refused.  Both cluster sizes: 512 B has tables shared in part.
    for cs in ("512", "65536"):
        for tool, name in ((emu_img, "e.qcow2"), (qemu_img, "q.qcow2")):
            qemu_img("create", "-q", "-f", "qcow2", "-o",
                     f"cluster_size={cs}", name, "4M")
            qemu_io(path(name), "write -P 0x5a 0 4M")
            qemu_img("snapshot", "-c", "s1", name)
            qemu_io(path(name), "write -P 0x6b 1M 2M")
            qemu_img("snapshot", "-c", "s2", name)
            assert tool("resize", "--shrink", name, "1536K").stdout == \
                "Image resized.\n"
            check_clean(name)
            assert tool("resize", name, "3M").stdout == "Image resized.\n"
            check_clean(name)
        assert qemu_img("compare", "e.qcow2", "q.qcow2").stdout == \
            "Images are identical.\n", cs
        out = qemu_io(path("e.qcow2"), "read -P 0x5a 0 1M",
                      "read -P 0x6b 1M 512k", "read -P 0 1536k 1536k")
        assert "Pattern verification failed" not in out, out
        for snapshot, reads in (("s1", ["read -P 0x5a 0 4M"]),
                                ("s2", ["read -P 0x5a 0 1M",
                                        "read -P 0x6b 1M 2M",
                                        "read -P 0x5a 3M 1M"])):
            emu_img("snapshot", "-a", snapshot, "e.qcow2")
            check_clean("e.qcow2")
            out = qemu_io(path("e.qcow2"), *reads)
            assert "Pattern verification failed" not in out, (cs, out)
        for snapshot in ("s1", "s2"):
            emu_img("snapshot", "-d", snapshot, "e.qcow2")
        check_clean("e.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2",
             "4M")
    qemu_img("snapshot", "-c", "s1", "v2.qcow2")
    for args in (["v2.qcow2", "8M"], ["--shrink", "v2.qcow2", "2M"]):
        e = emu_img("resize", *args, check=False)
        q = qemu_img("resize", *args, check=False)
        assert (e.returncode, e.stderr) == \
            (q.returncode, q.stderr.replace("qemu-img", "emu-img")), e.stderr


# ---- dd ----

def test_dd_like_qemu_img():
    qemu_image("src.qcow2")
    for operands in (["bs=4k", "count=10", "skip=2"], ["bs=64k"],
                     ["skip=100"], ["bs=3", "count=500"], ["skip=99999"]):
        for fmt in ("raw", "qcow2"):
            e = emu_img("dd", "-O", fmt, "if=src.qcow2", "of=e.img",
                        *operands)
            q = qemu_img("dd", "-O", fmt, "if=src.qcow2", "of=q.img",
                         *operands)
            assert (e.stdout, e.stderr) == \
                (q.stdout, q.stderr.replace("qemu-img", "emu-img")), \
                (operands, e.stderr, q.stderr)
            assert qemu_img("compare", "-f", fmt, "-F", fmt, "e.img",
                            "q.img").returncode == 0, operands
            assert os.path.getsize(path("e.img")) == \
                os.path.getsize(path("q.img")) or fmt == "qcow2", operands
    for operands in (["if=src.qcow2"], ["if=src.qcow2", "of=x", "bs=0"],
                     ["if=src.qcow2", "of=x", "count=x"],
                     ["if=src.qcow2", "of=x", "foo=1"],
                     ["-O", "foo", "if=src.qcow2", "of=x"]):
        e = emu_img("dd", *operands, check=False)
        q = qemu_img("dd", *operands, check=False)
        assert e.returncode == q.returncode == 1, operands
        assert e.stderr == q.stderr.replace("qemu-img", "emu-img"), \
            (operands, e.stderr, q.stderr)


if __name__ == "__main__":
    main(globals())
