# qcow2 images whose tables point where they must not (issue 10): a
# write that would land on metadata is refused, the image is marked
# corrupt as QEMU marks it, and nothing else in the file changes.  Each
# image is damaged in the test, then written once by emu-img and once by
# qemu-io: the message, the resulting file and qemu-img check's report
# must be the same.  Tables pointing past the end of the file give a
# clear error naming the file, never a crash.
# SPDX-License-Identifier: GPL-2.0-or-later
import shutil
import struct

from emutest import main
from imgtest import emu_img, path, qemu_img, qemu_io

CLUSTER = 65536
OFFSET_MASK = 0x00fffffffffffe00
COPIED = 1 << 63
SIZE = 1 << 20


class Layout:
    """Where qemu-img put an image's metadata (read from the header)."""

    def __init__(self, name):
        with open(path(name), "rb") as f:
            self.raw = f.read()
        (self.l1_size, self.l1, self.rt, rt_clusters, self.nb_snap,
         self.snap) = struct.unpack_from(">IQQIIQ", self.raw, 36)
        self.l2 = self.u64(self.l1) & OFFSET_MASK
        self.data0 = self.u64(self.l2) & OFFSET_MASK
        self.rb = self.u64(self.rt)
        self.snap_l1 = self.u64(self.snap) if self.nb_snap else None

    def u64(self, offset):
        return struct.unpack_from(">Q", self.raw, offset)[0]


def base_image(name, snapshot):
    """1 MiB, 64 KiB clusters: guest cluster 0 written (after a snapshot
    when asked, so its L2 entry is the active tree's own: 'copied')."""
    qemu_img("create", "-q", "-f", "qcow2", name, str(SIZE))
    qemu_io(path(name), "write -P 0x11 0 64k")
    if snapshot:
        qemu_img("snapshot", "-c", "s1", name)
        qemu_io(path(name), "write -P 0x12 0 64k")
    return Layout(name)


def poke(name, offset, fmt, value):
    with open(path(name), "r+b") as f:
        f.seek(offset)
        f.write(struct.pack(fmt, value))


def read(name):
    with open(path(name), "rb") as f:
        return f.read()


def l2_entry_to(target):
    return lambda lay: (lay.l2, ">Q", COPIED | target(lay))


# (what is damaged, how, the guest offset written, the kind of metadata
# the write overlaps).  Nothing can point at the header: offset 0 in a
# table means "none".  The first five are writes in place.
IN_PLACE = [
    ("data cluster on the L1 table", False, l2_entry_to(lambda lay: lay.l1),
     "active L1 table"),
    ("data cluster on its own L2 table", False,
     l2_entry_to(lambda lay: lay.l2), "active L2 table"),
    ("data cluster on the refcount table", False,
     l2_entry_to(lambda lay: lay.rt), "refcount table"),
    ("data cluster on a refcount block", False,
     l2_entry_to(lambda lay: lay.rb), "refcount block"),
    ("data cluster on the snapshot table", True,
     l2_entry_to(lambda lay: lay.snap), "snapshot table"),
    ("data cluster on a snapshot's L1 table", True,
     l2_entry_to(lambda lay: lay.snap_l1), "inactive L1 table"),
]

# Writes that allocate a cluster where the refcounts lie.  Like QEMU,
# emu keeps the raised count in its refcount cache and writes the data
# first, so the data write is the one refused, and the file is QEMU's.
ALLOCATING = [
    ("refcount block on the L1 table",
     lambda lay: (lay.rt, ">Q", lay.l1), "refcount table"),
    ("free refcount on the L1 table",
     lambda lay: (lay.rb + 2 * (lay.l1 // CLUSTER), ">H", 0),
     "active L1 table"),
    ("free refcount on the L2 table",
     lambda lay: (lay.rb + 2 * (lay.l2 // CLUSTER), ">H", 0),
     "active L2 table"),
    ("free refcount on the refcount table",
     lambda lay: (lay.rb + 2 * (lay.rt // CLUSTER), ">H", 0),
     "refcount table"),
]


def commit_one_cluster(tool, base, at):
    """An overlay of base holding 64 KiB of 0x5a at guest offset at,
    committed into base by tool (emu-img or qemu-img): one write."""
    overlay = base + ".overlay"
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", base, "-F", "qcow2",
             overlay, str(SIZE))
    qemu_io(path(overlay), f"write -P 0x5a {at} 64k")
    return tool("commit", "-q", overlay, check=False)


def corruption_line(kind):
    return ("qcow2: Marking image as corrupt: Preventing invalid write on "
            f"metadata (overlaps with {kind}); further corruption events "
            "will be suppressed")


def refused(what, name, at, kind):
    """emu-img's write at guest offset at is refused as overlapping kind;
    the image is marked corrupt, and no longer opened for writing."""
    e = commit_one_cluster(emu_img, name, at)
    assert e.returncode == 1, (what, e.returncode, e.stderr)
    assert corruption_line(kind) in e.stderr.splitlines(), (what, e.stderr)
    assert name in e.stderr, (what, e.stderr)
    after = read(name)
    assert struct.unpack_from(">Q", after, 72)[0] & 2, what
    info = qemu_img("info", name).stdout
    assert "corrupt: true" in info, (what, info)
    assert "corrupt: true" in emu_img("info", name).stdout, what
    e = emu_img("resize", name, "2M", check=False)
    assert e.returncode == 1, (what, e.stderr)
    assert "qcow2: Image is corrupt; cannot be opened read/write" in \
        e.stderr, (what, e.stderr)
    return after


def test_writes_in_place_on_metadata_refused_as_qemu_refuses_them():
    for what, snapshot, damage, kind in IN_PLACE:
        lay = base_image("by-emu.qcow2", snapshot)
        poke("by-emu.qcow2", *damage(lay))
        before = read("by-emu.qcow2")
        shutil.copy(path("by-emu.qcow2"), path("by-qemu.qcow2"))

        after = refused(what, "by-emu.qcow2", 0, kind)
        # Nothing but the header's corrupt bit changed ...
        assert after[:72] + after[80:] == before[:72] + before[80:], what
        # ... exactly as with QEMU.
        q = commit_one_cluster(qemu_img, "by-qemu.qcow2", 0)
        assert corruption_line(kind) in q.stderr.splitlines(), (what,
                                                                q.stderr)
        assert after == read("by-qemu.qcow2"), what
        ce = qemu_img("check", "by-emu.qcow2", check=False)
        cq = qemu_img("check", "by-qemu.qcow2", check=False)
        assert (ce.returncode, ce.stdout) == (cq.returncode, cq.stdout), what


def test_allocations_on_metadata_refused():
    for what, damage, kind in ALLOCATING:
        lay = base_image("by-emu.qcow2", False)
        poke("by-emu.qcow2", *damage(lay))
        before = read("by-emu.qcow2")
        shutil.copy(path("by-emu.qcow2"), path("by-qemu.qcow2"))

        after = refused(what, "by-emu.qcow2", 0x80000, kind)
        q = commit_one_cluster(qemu_img, "by-qemu.qcow2", 0x80000)
        assert corruption_line(kind) in q.stderr.splitlines(), (what,
                                                                q.stderr)
        # The header's corrupt bit is all that changed, as with QEMU.
        assert after[:72] + after[80:] == before[:72] + before[80:], what
        assert after == read("by-qemu.qcow2"), what


# Tables and entries pointing past the end of the file, or at data that
# does not decompress.  Past the end reads as zeros (as in QEMU: a file
# grows by writes past its end); check reports what qemu-img check does.
PAST_THE_END = 1 << 40
BEYOND = [
    ("L2 table past the end", lambda lay: (lay.l1, ">Q",
                                           COPIED | PAST_THE_END)),
    ("data cluster past the end", lambda lay: (lay.l2, ">Q",
                                               COPIED | PAST_THE_END)),
    ("refcount block past the end", lambda lay: (lay.rt, ">Q",
                                                 PAST_THE_END)),
    ("L1 table past the end", lambda lay: (40, ">Q", PAST_THE_END)),
    ("refcount table past the end", lambda lay: (48, ">Q", PAST_THE_END)),
    ("snapshot table past the end", lambda lay: (64, ">Q", PAST_THE_END)),
    ("snapshot's L1 table past the end", lambda lay: (lay.snap, ">Q",
                                                      PAST_THE_END)),
    ("compressed cluster that does not inflate",
     lambda lay: (lay.l2, ">Q", (1 << 62) | (0x3f << 54) | 0x123456)),
]


def test_tables_past_the_end_checked_as_qemu_checks_them():
    for what, damage in BEYOND:
        lay = base_image("beyond.qcow2", True)
        poke("beyond.qcow2", *damage(lay))
        e = emu_img("check", "beyond.qcow2", check=False)
        q = qemu_img("check", "beyond.qcow2", check=False)
        # The report (stdout) and the exit code; the list of problems
        # on stderr is qemu-img's but for a few of its wordings.
        assert (e.returncode, e.stdout) == (q.returncode, q.stdout), \
            (what, e.stdout, q.stdout)
        e = emu_img("convert", "-O", "raw", "beyond.qcow2", "e.raw",
                    check=False)
        q = qemu_img("convert", "-O", "raw", "beyond.qcow2", "q.raw",
                     check=False)
        assert e.returncode == q.returncode, (what, e.stderr, q.stderr)
        if e.returncode:
            assert "beyond.qcow2: compressed cluster at offset 0x123456 " \
                "does not decompress; the image is corrupt" in e.stderr, \
                (what, e.stderr)
        else:
            assert read("e.raw") == read("q.raw"), what


if __name__ == "__main__":
    main(globals())
