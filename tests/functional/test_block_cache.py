# Cache modes of images (issue 10): cache=none and cache=directsync open
# the file with O_DIRECT, and requests that do not fall on its alignment
# go through bounce buffers, leaving the bytes qemu-img leaves;
# writethrough and directsync sync after every write, writeback when the
# guest (or emu-img) flushes, unsafe never; a file system that refuses
# O_DIRECT gets QEMU's message.  And qcow2's own caching: whole-cluster
# runs go to the file as one request, and the L2 cache maps the whole
# image as QEMU's does by default.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess

from emutest import Skip, binary, main, strip_ansi
from imgtest import (EMU_IMG, SCRATCH, TIMEOUT, check_clean, emu_img, path,
                     qemu_img)

BASE = ["-M", "none", "-nodefaults", "-display", "none", "-S"]


def strace():
    tool = shutil.which("strace")
    if not tool:
        raise Skip("strace is not installed (Debian: strace)")
    return tool


def strace_log(calls, *args):
    """What strace saw emu-img call (of calls) while running args."""
    log = path("strace.log")
    # LeakSanitizer cannot run under ptrace (the sanitizer build).
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
               ":detect_leaks=0")
    proc = subprocess.run([strace(), "-f", "-o", log, "-e",
                           "trace=" + calls, EMU_IMG] + list(args),
                          capture_output=True, text=True, timeout=TIMEOUT,
                          env=env)
    assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    with open(log) as f:
        return f.read()


def traced(*args):
    """emu-img's system calls on image files: (opens, data syncs)."""
    text = strace_log("openat,fdatasync,fsync", *args)
    opens = [line for line in text.splitlines()
             if "openat(" in line and SCRATCH in line]
    syncs = len(re.findall(r"\b(?:fdatasync|fsync)\(", text))
    return opens, syncs


def transfers(text, call, image):
    """The byte counts of each pread64/pwrite64 on image's file in an
    strace log (openat included)."""
    fds = re.findall(r"openat\(.*" + re.escape(image) + r"\b.*= (\d+)$",
                     text, re.M)
    assert len(fds) == 1, fds
    return [int(n) for n in re.findall(
        call + r"\(" + fds[0] + r", .*, (\d+), \d+\) = \d+$", text, re.M)]


def test_cluster_runs_are_one_request():
    """1 MiB written into a fresh image of 64 KiB clusters is one write
    of 1 MiB to the file (its 16 clusters allocated together), and read
    back with one read; the same in place once allocated."""
    qemu_img("create", "-q", "-f", "qcow2", path("run.qcow2"), "16M")
    for _ in ("allocating", "in place"):
        text = strace_log("openat,pwrite64", "bench", "-w", "-c", "1", "-s", "1M",
                          "-o", "2M", "--pattern=0x42", path("run.qcow2"))
        data = [n for n in transfers(text, "pwrite64", "run.qcow2") if n > 65536]
        assert data == [1 << 20], transfers(text, "pwrite64", "run.qcow2")
    text = strace_log("openat,pread64", "bench", "-c", "1", "-s", "1M", "-o", "2M",
                      path("run.qcow2"))
    assert [n for n in transfers(text, "pread64", "run.qcow2") if n > 65536] == \
        [1 << 20], transfers(text, "pread64", "run.qcow2")
    check_clean(path("run.qcow2"))


def test_l2_cache_maps_the_whole_image():
    """512-byte clusters: 16 MiB take 512 L2 tables; reading the image
    twice reads each table once (QEMU's default cache holds them all)."""
    qemu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512",
             path("tables.qcow2"), "16M")
    emu_img("bench", "-w", "-c", "4096", "-s", "4k", "-S", "4k",
            path("tables.qcow2"))
    text = strace_log("openat,pread64", "bench", "-c", "8192", "-s", "4k", "-S",
                      "4k", path("tables.qcow2"))
    tables = transfers(text, "pread64", "tables.qcow2").count(512)
    assert 512 <= tables <= 520, tables


def test_bounced_requests_leave_qemu_img_bytes():
    """Requests at odd offsets and of odd lengths, through O_DIRECT:
    what emu-img bench writes is what qemu-img bench writes."""
    for fmt, size in (("qcow2", "16M"), ("raw", "3000001")):
        for cache in ("none", "directsync"):
            for tool in ("emu", "qemu"):
                name = path(f"{tool}.{cache}.{fmt}")
                qemu_img("create", "-q", "-f", fmt, name, size)
            for args in (["-c", "300", "-d", "8", "-s", "1000", "-S", "4097",
                          "-o", "511", "--pattern=0x5a"],
                         ["-c", "20", "-d", "4", "-s", "64k", "-S", "100k",
                          "-o", "3k", "--pattern=7"],
                         ["-c", "30", "-s", "4k", "-S", "12k"]):
                emu_img("bench", "-f", fmt, "-w", "-t", cache, *args,
                        path(f"emu.{cache}.{fmt}"))
                qemu_img("bench", "-f", fmt, "-w", "-t", cache, *args,
                         path(f"qemu.{cache}.{fmt}"))
            qemu_img("compare", "-f", fmt, "-F", fmt,
                     path(f"emu.{cache}.{fmt}"), path(f"qemu.{cache}.{fmt}"))
            # And read back through O_DIRECT the same as through the
            # page cache.
            e = emu_img("convert", "-T", cache, "-f", fmt, "-O", "raw",
                        path(f"emu.{cache}.{fmt}"), path("direct.raw"))
            qemu_img("convert", "-f", fmt, "-O", "raw",
                     path(f"emu.{cache}.{fmt}"), path("cached.raw"))
            with open(path("direct.raw"), "rb") as a, \
                    open(path("cached.raw"), "rb") as b:
                assert a.read() == b.read(), (fmt, cache, e.stderr)
            if fmt == "qcow2":
                check_clean(path(f"emu.{cache}.{fmt}"))


def test_write_at_the_end_of_an_odd_sized_raw_file():
    """The last sector's tail is past the end of the file: O_DIRECT
    writes whole blocks, and emu cuts the file back to its length."""
    data = bytes(range(256)) * 11719 + b"\x01"   # 3000065 bytes
    with open(path("odd.raw"), "wb") as f:
        f.write(data)
    emu_img("bench", "-f", "raw", "-w", "-t", "none", "-c", "1", "-o",
            "2999000", "-s", "1065", "--pattern=0xee", path("odd.raw"))
    with open(path("odd.raw"), "rb") as f:
        after = f.read()
    assert len(after) == len(data), len(after)
    assert after == data[:2999000] + b"\xee" * 1065


def test_convert_through_o_direct_like_qemu_img():
    with open(path("src.raw"), "wb") as f:
        f.write(os.urandom(1 << 20) + b"\0" * (1 << 20) +
                os.urandom(777777))
    for cache in ("none", "directsync"):
        for out in ("qcow2", "raw"):
            target = path(f"conv.{cache}.{out}")
            emu_img("convert", "-t", cache, "-T", cache, "-f", "raw", "-O",
                    out, path("src.raw"), target)
            qemu_img("compare", "-f", "raw", "-F", out, path("src.raw"),
                     target)
            if out == "qcow2":
                check_clean(target)
                # check reads it through O_DIRECT too.
                e = emu_img("check", "-T", cache, target)
                assert e.stdout.startswith("No errors were found"), e.stdout


def test_o_direct_and_syncs_per_cache_mode():
    """What each mode asks of the host: O_DIRECT on the image's open, and
    how often written data is synced (40 writes, a flush every 4)."""
    qemu_img("create", "-q", "-f", "qcow2", path("sync.qcow2"), "16M")
    for cache, direct, at_least, at_most in (
            ("writeback", False, 10, 25), ("unsafe", False, 0, 2),
            ("writethrough", False, 40, None), ("none", True, 10, 25),
            ("directsync", True, 40, None)):
        opens, syncs = traced("bench", "-w", "-t", cache, "-c", "40", "-d",
                              "1", "--flush-interval=4", "-s", "4k",
                              path("sync.qcow2"))
        image_opens = [o for o in opens if "sync.qcow2" in o]
        assert image_opens, opens
        assert all(("O_DIRECT" in o) == direct for o in image_opens), \
            (cache, image_opens)
        assert syncs >= at_least, (cache, syncs)
        assert at_most is None or syncs <= at_most, (cache, syncs)
    check_clean(path("sync.qcow2"))


def fd_flags(pid, name):
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.endswith("/" + name):
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                return int(re.search(r"flags:\s+(\d+)", f.read()).group(1), 8)
    raise AssertionError(f"{name} is not open in {pid}")


def test_drive_cache_none_opens_with_o_direct():
    """-drive cache=none and directsync: the image is open with O_DIRECT
    while emu runs, and info block says so as QEMU does."""
    qemu_img("create", "-q", "-f", "qcow2", path("drv.qcow2"), "4M")
    qemu_img("create", "-q", "-f", "raw", path("drv.raw"), "1M")
    for cache, direct in (("none", True), ("directsync", True),
                          ("writeback", False)):
        outputs = []
        for program in (binary(), shutil.which("qemu-system-arm")):
            if not program:
                raise Skip("qemu-system-arm is not installed")
            proc = subprocess.Popen(
                [program] + BASE + ["-monitor", "stdio", "-drive",
                                    f"file=drv.qcow2,if=none,id=a,"
                                    f"cache={cache}", "-drive",
                                    f"file=drv.raw,format=raw,if=none,id=b,"
                                    f"cache={cache}"],
                cwd=SCRATCH, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
            try:
                proc.stdin.write("info block\n")
                proc.stdin.flush()
                lines = []
                while len([x for x in lines if "Cache mode" in x]) < 2:
                    lines.append(proc.stdout.readline())
                if program == binary():
                    for image in ("drv.qcow2", "drv.raw"):
                        flags = fd_flags(proc.pid, image)
                        assert bool(flags & os.O_DIRECT) == direct, \
                            (cache, image, oct(flags))
            finally:
                proc.communicate("quit\n", timeout=TIMEOUT)
            text = re.sub(r"#block\d+", "#blockN",
                          strip_ansi("".join(lines)))
            outputs.append(text.split("info block\n", 1)[-1])
        assert outputs[0] == outputs[1], (cache, outputs)


def test_file_system_without_o_direct_refused_like_qemu():
    """ramfs has no O_DIRECT: emu says so as QEMU does (needs a mount
    namespace of the test's own, so root)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        raise Skip("mounting a ramfs needs root and unshare")
    mnt = path("ramfs")
    os.makedirs(mnt, exist_ok=True)
    messages = []
    for program in (binary(), shutil.which("qemu-system-arm")):
        if not program:
            raise Skip("qemu-system-arm is not installed")
        script = (f"mount -t ramfs ramfs {mnt} && cd {mnt} && "
                  f"truncate -s 1M d.img && "
                  f"{program} {' '.join(BASE)} -drive "
                  f"file=d.img,format=raw,if=none,cache=none")
        proc = subprocess.run(["unshare", "-m", "sh", "-c", script],
                              capture_output=True, text=True,
                              timeout=TIMEOUT)
        if "mount" in proc.stderr and "ramfs" in proc.stderr:
            raise Skip(f"cannot mount a ramfs here: {proc.stderr}")
        assert proc.returncode == 1, proc
        messages.append(re.sub(r"^emu-system-arm", "qemu-system-arm",
                               proc.stderr).splitlines())
    # QEMU's line, then emu's hint.
    assert messages[0][0] == messages[1][0] == \
        "qemu-system-arm: -drive file=d.img,format=raw,if=none,cache=none: " \
        "Could not open 'd.img': filesystem does not support O_DIRECT", \
        messages


if __name__ == "__main__":
    main(globals())
