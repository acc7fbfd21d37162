# The connex CFI flash on a BlockBackend (issue 10): a qcow2 flash image
# (-drive if=pflash,format=qcow2) and -snapshot for the flash.  The guest
# is the one test_connex runs on a raw file (erase, program, buffered
# write, locking); what it prints and what the image holds afterwards
# must be what the raw file gives, and qemu-img must find the qcow2
# image clean.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import os
import shutil
import subprocess

from emutest import main
from test_connex import (TIMEOUT, flash_file, need_connex, program,
                         scratch_dir)


def qemu_img(*args):
    tool = shutil.which("qemu-img")
    assert tool, "qemu-img is not installed (Debian: qemu-utils)"
    return subprocess.run([tool] + list(args), capture_output=True,
                          text=True, timeout=TIMEOUT, check=True)


def run(drive, extra=()):
    need_connex()
    proc = subprocess.run([program(), "-M", "connex", "-nodefaults",
                           "-display", "none", "-drive", drive,
                           "-serial", "stdio", "-semihosting"] + list(extra),
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=TIMEOUT)
    return proc.returncode, proc.stdout.replace("\r", ""), proc.stderr


def contents(path):
    with open(path, "rb") as f:
        return f.read()


def raw_run():
    """The guest on a raw flash file: its exit, output and the file."""
    path = flash_file("flash")
    status, out, err = run(f"if=pflash,format=raw,file={path}")
    assert "flash done" in out, (out, err)
    return status, out, contents(path)


def test_qcow2_flash_holds_what_a_raw_one_does():
    status, out, after = raw_run()
    raw = flash_file("flash")
    image = os.path.join(scratch_dir(), "flash.qcow2")
    qemu_img("convert", "-f", "raw", "-O", "qcow2", raw, image)
    got = run(f"if=pflash,format=qcow2,file={image}")
    assert got == (status, out, ""), got
    assert "No errors were found" in qemu_img("check", image).stdout
    back = os.path.join(scratch_dir(), "back.raw")
    qemu_img("convert", "-f", "qcow2", "-O", "raw", image, back)
    assert contents(back) == after


def test_snapshot_leaves_the_flash_file_alone():
    status, out, _ = raw_run()
    path = flash_file("flash")
    before = hashlib.sha256(contents(path)).hexdigest()
    for drive, extra in ((f"if=pflash,format=raw,file={path}",
                          ["-snapshot"]),
                         (f"if=pflash,format=raw,file={path},snapshot=on",
                          [])):
        got = run(drive, extra)
        # The guest saw its writes (it reads them back) ...
        assert got == (status, out, ""), (drive, extra, got)
        # ... and the file did not get them.
        assert hashlib.sha256(contents(path)).hexdigest() == before


def test_qcow2_flash_of_the_wrong_size_refused():
    image = os.path.join(scratch_dir(), "small.qcow2")
    qemu_img("create", "-f", "qcow2", image, "1M")
    status, out, err = run(f"if=pflash,format=qcow2,file={image}")
    assert status == 1, (status, err)
    assert f"{image}: the image is 1048576 bytes, but the flash is " \
        f"16777216 bytes; make it that size with: emu-img resize {image} " \
        "16M" in err, err


if __name__ == "__main__":
    main(globals())
