# Crash consistency of qcow2 writes (issue 10): emu-img is killed with
# SIGKILL at many points of a stream of metadata-heavy work (allocating
# writes into a fresh image, whose L2 tables and refcount blocks wait in
# emu's write-back caches; copy on write of clusters a snapshot shares,
# L2 tables copied, refcounts dropped; a commit allocating in its base;
# snapshots taken of a large tree), and after every kill qemu-img check
# must find no corruption (leaked clusters are allowed), every cluster a
# table points at must hold what was written there (never another
# cluster's data or garbage), and the snapshot taken before the stream
# must still hold its data.  Kill points are spread by waiting for the
# file to grow, or a moment, between runs: a run that finishes before
# its kill is checked too.  Writes the guest saw flushed must survive:
# emu runs a guest programming a qcow2 flash (each word written and
# flushed before the guest is told), is killed, and every word the
# guest reported must be in the image.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import random
import re
import shutil
import signal
import subprocess
import time

from emutest import BUILD_DIR, Skip, Stream, binary, main
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


def clusters(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


def raw_of(name):
    qemu_img("convert", "-O", "raw", name, "killed.raw")
    with open(path("killed.raw"), "rb") as f:
        return f.read()


def test_kill_during_allocating_writes():
    """emu-img bench writing 4 KiB of 0xa5 into every other 64 KiB of a
    fresh image (each write allocates; tables and counts are cached):
    killed at random moments, the image is consistent and every
    cluster reads as zeros or holds the 4 KiB just where it was
    written."""
    rng = random.Random(6)
    kills = 0
    for cluster_size in (512, 65536):
        for i in range(KILLS):
            qemu_img("create", "-q", "-f", "qcow2", "-o",
                     f"cluster_size={cluster_size}", "alloc.qcow2", "16M")
            kills += killed(["bench", "-w", "-f", "qcow2", "-c", "2000",
                             "-S", "8k", "--pattern=165", "alloc.qcow2"],
                            delay=rng.uniform(0.02, 0.6))
            consistent("alloc.qcow2")
            for n, piece in enumerate(clusters(raw_of("alloc.qcow2"),
                                               8192)):
                assert piece in (bytes(8192), b"\xa5" * 4096 + bytes(4096)), \
                    (cluster_size, i, n)
    assert kills, "emu-img finished every time before it was killed"


def test_kill_during_convert_into_fresh_image():
    """A raw image copied into a fresh qcow2 image of 512-byte clusters
    (many L2 tables, each written with its run of clusters in one
    request): every cluster is the source's or still zeros."""
    noise("data.raw", 7)
    with open(path("data.raw"), "rb") as f:
        source = clusters(f.read(), 512)
    kills = 0
    for i in range(KILLS):
        qemu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512",
                 "fresh.qcow2", str(SIZE))
        start = os.path.getsize(path("fresh.qcow2"))
        kills += killed(["convert", "-n", "-f", "raw", "-O", "qcow2",
                         "data.raw", "fresh.qcow2"], "fresh.qcow2",
                        grow_to=start + (i + 1) * SIZE // (KILLS + 1))
        consistent("fresh.qcow2")
        for n, piece in enumerate(clusters(raw_of("fresh.qcow2"), 512)):
            assert piece in (source[n], bytes(512)), (i, n)
    assert kills, "emu-img finished every time before it was killed"


FLASH_SIZE = 16 << 20
FLASH_BLOCK = 128 << 10


def flashstream_word(n):
    """What tests/guests/arm/connex/flashstream.c programs as word n."""
    return (n * 0x9e37 + 0x1234) % 0xffff


def test_flushed_writes_survive_kill():
    """The flashstream guest erases flash blocks (allocating writes in a
    qcow2 flash) and programs words, each written and flushed before the
    guest prints "ack N"; emu is killed after a chosen ack.  Every acked
    word is in the image, qemu-img check finds it consistent."""
    guest = os.path.join(BUILD_DIR, "tests", "guests", "arm", "connex",
                         "flashstream.bin")
    if not os.path.exists(guest):
        raise Skip(f"{guest} was not built (arm-none-eabi-gcc missing?)")
    with open(guest, "rb") as f:
        image = f.read()
    with open(path("flash.raw"), "wb") as f:
        f.write(image)
        f.truncate(FLASH_SIZE)
    for cluster_size, line in ((512, "erased 121\n"), (512, "ack 150\n"),
                               (65536, "ack 400\n")):
        qemu_img("convert", "-q", "-f", "raw", "-O", "qcow2", "-o",
                 f"cluster_size={cluster_size}", "flash.raw", "flash.qcow2")
        proc = subprocess.Popen(
            [binary("arm"), "-M", "connex", "-nodefaults", "-display",
             "none", "-drive",
             f"if=pflash,format=qcow2,file={path('flash.qcow2')}",
             "-serial", "stdio"], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            out = Stream(proc.stdout.fileno(), drop_cr=True)
            text = out.read_until(line, timeout=TIMEOUT)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(TIMEOUT)
            # Lines the guest printed before it died were acked too.
            text += out.read_rest()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        assert "SR" not in text, text[-300:]
        acks = [int(n) for n in re.findall(r"^ack (\d+)$", text, re.M)]
        assert acks == list(range(len(acks))), text[-300:]
        consistent("flash.qcow2")
        flash = raw_of("flash.qcow2")
        assert flash[:len(image)] == image, (cluster_size, line)
        block = flash[121 * FLASH_BLOCK:122 * FLASH_BLOCK]
        got = [int.from_bytes(block[2 * i:2 * i + 2], "little")
               for i in range(FLASH_BLOCK // 2)]
        # Acked words are there; the others erased or already written.
        for n in acks:
            assert got[n] == flashstream_word(n), (cluster_size, line, n)
        for n in range(len(acks), FLASH_BLOCK // 2):
            assert got[n] in (0xffff, flashstream_word(n)), \
                (cluster_size, line, n, hex(got[n]))

if __name__ == "__main__":
    main(globals())
