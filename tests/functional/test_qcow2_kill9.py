# Crash consistency of qcow2 writes (issue 10): emu-img is killed with
# SIGKILL at many points of a stream of metadata-heavy work (copy on
# write of clusters a snapshot shares, L2 tables copied, refcounts
# dropped; a commit allocating in its base; snapshots taken of a large
# tree), and after every kill qemu-img check must find no corruption
# (leaked clusters are allowed) and the snapshot taken before the stream
# must still hold its data.  Kill points are spread by waiting for the
# file to grow, or a moment, between runs: a run that finishes before
# its kill is checked too.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import random
import shutil
import signal
import subprocess
import time

from emutest import main
from imgtest import EMU_IMG, SCRATCH, TIMEOUT, path, qemu_img, qemu_io

SIZE = 2 << 20
KILLS = 6


def noise(name, seed):
    rng = random.Random(seed)
    with open(path(name), "wb") as f:
        f.write(rng.randbytes(SIZE))


def killed(args, image=None, grow_to=None, delay=0.0):
    """Starts emu-img with args and kills it once image grows to grow_to
    bytes or after delay seconds; True if it was still running."""
    proc = subprocess.Popen([EMU_IMG] + args, cwd=SCRATCH,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + TIMEOUT
        if grow_to:
            while os.path.getsize(path(image)) < grow_to and \
                    proc.poll() is None:
                assert time.monotonic() < deadline, args
                time.sleep(0.005)
        else:
            time.sleep(delay)
        was_running = proc.poll() is None
        if was_running:
            proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    return was_running


def consistent(name):
    """qemu-img check finds no corruption: exit 0 (clean) or 3 (leaks)."""
    check = qemu_img("check", name, check=False)
    assert check.returncode in (0, 3), (name, check.returncode, check.stdout,
                                        check.stderr)
    assert "ERROR" not in check.stderr, check.stderr


def snapshot_data(name, snapshot):
    shutil.copy(path(name), path("applied.qcow2"))
    qemu_img("snapshot", "-a", snapshot, "applied.qcow2")
    qemu_img("convert", "-O", "raw", "applied.qcow2", "applied.raw")
    with open(path("applied.raw"), "rb") as f:
        return f.read()


def test_kill_during_copy_on_write_of_snapshot_clusters():
    """512-byte clusters all shared with a snapshot: every guest cluster
    written is copied, its L2 table too, and old counts drop."""
    noise("before.raw", 1)
    noise("after.raw", 2)
    kills = 0
    for i in range(KILLS):
        qemu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512",
                 "cow.qcow2", str(SIZE))
        qemu_img("convert", "-n", "-f", "raw", "-O", "qcow2", "before.raw",
                 "cow.qcow2")
        qemu_img("snapshot", "-c", "before", "cow.qcow2")
        start = os.path.getsize(path("cow.qcow2"))
        kills += killed(["convert", "-n", "-f", "raw", "-O", "qcow2",
                         "after.raw", "cow.qcow2"], "cow.qcow2",
                        grow_to=start + (i + 1) * SIZE // (KILLS + 1))
        consistent("cow.qcow2")
        with open(path("before.raw"), "rb") as f:
            assert snapshot_data("cow.qcow2", "before") == f.read(), i
    assert kills, "emu-img finished every time before it was killed"


def test_kill_during_commit():
    """An overlay committed into its base: clusters allocated there."""
    noise("data.raw", 3)
    kills = 0
    for i in range(KILLS):
        qemu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512",
                 "base.qcow2", str(SIZE))
        qemu_io(path("base.qcow2"), "write -P 0x11 0 64k")
        qemu_img("snapshot", "-c", "before", "base.qcow2")
        qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
                 "qcow2", "over.qcow2")
        qemu_img("convert", "-n", "-f", "raw", "-O", "qcow2", "data.raw",
                 "over.qcow2")
        start = os.path.getsize(path("base.qcow2"))
        kills += killed(["commit", "-d", "over.qcow2"], "base.qcow2",
                        grow_to=start + (i + 1) * SIZE // (KILLS + 1))
        consistent("base.qcow2")
        consistent("over.qcow2")
        assert snapshot_data("base.qcow2", "before")[:65536] == \
            b"\x11" * 65536, i
    assert kills, "emu-img finished every time before it was killed"


def test_kill_during_snapshot_create():
    """Taking a snapshot of many L2 tables and clusters: every count is
    raised, then the L1 copy and the table are written."""
    noise("data.raw", 4)
    qemu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512",
             "snap.qcow2", str(SIZE))
    qemu_img("convert", "-n", "-f", "raw", "-O", "qcow2", "data.raw",
             "snap.qcow2")
    qemu_img("snapshot", "-c", "first", "snap.qcow2")
    rng = random.Random(5)
    for i in range(KILLS):
        killed(["snapshot", "-c", f"s{i}", "snap.qcow2"],
               delay=rng.uniform(0, 0.3))
        consistent("snap.qcow2")
        with open(path("data.raw"), "rb") as f:
            assert snapshot_data("snap.qcow2", "first") == f.read(), i


if __name__ == "__main__":
    main(globals())
