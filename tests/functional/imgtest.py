# Shared helpers of the emu-img tests (test_emu_img*.py): running
# emu-img, qemu-img and qemu-io in a scratch directory of the test's
# own, and comparing their output and images.
# SPDX-License-Identifier: GPL-2.0-or-later
import atexit
import os
import shutil
import subprocess

from emutest import BUILD_DIR, Skip, tempdir

EMU_IMG = os.path.join(BUILD_DIR, "tools", "emu-img")
SCRATCH = tempdir()
atexit.register(shutil.rmtree, SCRATCH, True)
TIMEOUT = 120


def path(name):
    return os.path.join(SCRATCH, name)


def run(program, *args, check=True):
    proc = subprocess.run([program] + list(args), capture_output=True,
                          text=True, timeout=TIMEOUT, cwd=SCRATCH)
    if check:
        assert proc.returncode == 0, (program, args, proc.returncode,
                                      proc.stdout, proc.stderr)
    return proc


def emu_img(*args, check=True):
    return run(EMU_IMG, *args, check=check)


def qemu_img(*args, check=True):
    tool = shutil.which("qemu-img")
    if not tool:
        raise Skip("qemu-img is not installed (Debian: qemu-utils)")
    return run(tool, *args, check=check)


def qemu_io(image, *commands, fmt="qcow2"):
    tool = shutil.which("qemu-io")
    if not tool:
        raise Skip("qemu-io is not installed (Debian: qemu-utils)")
    args = ["-f", fmt]
    for c in commands:
        args += ["-c", c]
    return run(tool, *args, image).stdout


def as_qemu(text):
    """emu-img's text with the program named as qemu-img would be."""
    return text.replace("emu-img", "qemu-img")


def same_output(*args):
    e, q = emu_img(*args), qemu_img(*args)
    assert e.stdout == q.stdout, (args, e.stdout, q.stdout)
    return e.stdout


def check_clean(image):
    proc = qemu_img("check", image, check=False)
    assert proc.returncode == 0, (image, proc.stdout, proc.stderr)
    assert proc.stdout.startswith("No errors were found on the image.\n"), \
        proc.stdout


def to_raw(tool, image, raw):
    tool("convert", "-O", "raw", image, raw)
    with open(path(raw), "rb") as f:
        return f.read()


PATTERN = ["write -P 0x11 0 1M", "write -z 2M 64k", "write -P 0x22 3000k 10k",
           "write -P 0x33 12M 3M", "write -P 0x44 15M 1M"]


def qemu_image(name, options="", size="16M", commands=PATTERN):
    args = ["create", "-q", "-f", "qcow2"]
    if options:
        args += ["-o", options]
    qemu_img(*args, name, size)
    qemu_io(path(name), *commands)
    return name
