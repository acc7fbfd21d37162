# -object memory-backend-ram|memory-backend-file and -machine
# memory-backend=ID: guest RAM in a file a script can read (share=on) or
# a private copy of it (share=off), "info memdev" and the command-line
# errors compared with QEMU 7.2's.  The guest (tests/guests/x86/gdbkvm.S,
# under tcg on microvm) keeps counting in the quad word at 0x6000.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import struct
import subprocess
import time

from emutest import BUILD_DIR, PipeMonitor, Skip, main, run, tempdir

QEMU = shutil.which("qemu-system-x86_64")
COUNTER = 0x6000


def guest():
    path = os.path.join(BUILD_DIR, "tests", "guests", "x86", "gdbkvm.bin")
    if not os.path.exists(path):
        raise Skip(f"{path} was not built")
    return path


def machine(backend):
    return ["-M", "microvm", "-accel", "tcg", "-nodefaults", "-display",
            "none", "-bios", guest(), "-object", backend, "-machine",
            "memory-backend=mem"]


def counter_in(path):
    with open(path, "rb") as f:
        f.seek(COUNTER)
        return struct.unpack("<Q", f.read(8))[0]


def run_guest(backend):
    """Lets the guest count for a while; info memdev and the counter as
    the guest sees it."""
    mon = PipeMonitor(machine(backend), arch="x86_64")
    try:
        deadline = time.monotonic() + 20
        while True:
            seen = mon.cmd(f"xp /1gx {COUNTER:#x}")
            if not seen.strip().endswith(": 0x0000000000000000"):
                break
            assert time.monotonic() < deadline, seen
            time.sleep(0.1)
        memdev = mon.cmd("info memdev")
    finally:
        status, err = mon.quit()
        assert status == 0, err
    return memdev, int(seen.split()[-1], 16)


def qemu_memdev(backend):
    if not QEMU:
        return None
    proc = subprocess.run([QEMU] + machine(backend) + ["-S", "-monitor",
                                                       "stdio"],
                          input="info memdev\nquit\n", capture_output=True,
                          text=True, timeout=30)
    # QEMU's monitor echoes with terminal escapes; the answer is what
    # follows the command's line.
    out = proc.stdout.split("info memdev", 1)[1].split("\n", 1)[1]
    return out.rsplit("(qemu)", 1)[0].replace("\r\n", "\n")


def test_file_backend_shared():
    """share=on: the guest's writes are in the file."""
    path = os.path.join(tempdir(), "ram.img")
    backend = f"memory-backend-file,id=mem,size=64M,mem-path={path},share=on"
    memdev, seen = run_guest(backend)
    assert os.path.getsize(path) == 64 << 20
    assert counter_in(path) >= seen > 0
    assert memdev == ("memory backend: mem\n  size:  67108864\n"
                      "  merge: true\n  dump: true\n  prealloc: false\n"
                      "  share: true\n  reserve: true\n  policy: default\n"
                      "  host nodes: \n\n"), memdev
    reference = qemu_memdev(backend)
    if reference is not None:
        assert memdev == reference, f"emu:\n{memdev}\nqemu:\n{reference}"


def test_file_backend_private():
    """share=off: the guest runs on a private copy; the file's bytes stay
    as they were."""
    path = os.path.join(tempdir(), "ram.img")
    with open(path, "wb") as f:
        f.truncate(64 << 20)
    backend = (f"memory-backend-file,id=mem,size=64M,mem-path={path},"
               "share=off,merge=off,dump=off,prealloc=on")
    memdev, seen = run_guest(backend)
    assert seen > 0 and counter_in(path) == 0
    assert "  merge: false\n  dump: false\n  prealloc: true\n" \
        "  share: false\n" in memdev, memdev
    reference = qemu_memdev(backend)
    if reference is not None:
        assert memdev == reference, f"emu:\n{memdev}\nqemu:\n{reference}"


def test_ram_backend_sets_ram_size():
    """Without -m the backend's size is the RAM size, and the board maps
    the backend's memory (info mtree names it, as QEMU's does)."""
    mon = PipeMonitor(machine("memory-backend-ram,id=mem,size=48M") + ["-S"],
                      arch="x86_64")
    try:
        mtree = mon.cmd("info mtree")
    finally:
        mon.quit()
    assert "    0000000000000000-0000000002ffffff (prio 0, ram): alias " \
        "ram-below-4g @mem 0000000000000000-0000000002ffffff\n" in mtree, \
        mtree


ERRORS = [
    ["-object", "memory-backend-ram,id=m0"],
    ["-object", "memory-backend-ram,size=32M"],
    ["-object", "memory-backend-file,id=m0,size=32M"],
    ["-object", "foo,id=x"],
    ["-object", "id=x"],
    ["-object", "memory-backend-ram,id=m0,size=32M,bogus=1"],
    ["-object", "memory-backend-ram,id=m0,size=32M,share=maybe"],
    ["-object", "memory-backend-ram,id=1x,size=1M"],
    ["-object", "memory-backend-ram,id=m,size=1X"],
    ["-object", "memory-backend-file,id=m0,size=32M,"
     "mem-path=/nonexistent/ram.img"],
    ["-object", "memory-backend-ram,id=m0,size=32M",
     "-object", "memory-backend-ram,id=m0,size=32M"],
    ["-machine", "memory-backend=nope"],
    ["-object", "memory-backend-ram,id=m0,size=32M",
     "-machine", "memory-backend=m0", "-m", "64M"],
]


def test_errors_as_qemu():
    base = ["-M", "microvm", "-nodefaults", "-display", "none", "-S"]
    for args in ERRORS:
        status, out, err = run(base + args, arch="x86_64")
        assert status == 1 and err.startswith("emu-system-x86_64: "), \
            (args, status, err)
        if QEMU:
            want = subprocess.run([QEMU] + base + args, capture_output=True,
                                  text=True, timeout=30)
            assert (status, err) == (want.returncode, want.stderr.replace(
                "qemu-system-x86_64", "emu-system-x86_64")), \
                (args, err, want.stderr)


if __name__ == "__main__":
    main(globals())
