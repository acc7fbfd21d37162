#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
-object rng-random and rng-builtin as virtio-rng's entropy (rng=ID).

Debian's armmp kernel reads /dev/hwrng through virtio-rng-device on
virt: with rng-random over a file the test wrote, what the guest reads
are the file's bytes, in order; with rng-builtin, the host's entropy.
The command-line mistakes are refused with QEMU 7.2's words (compared
with qemu-system-x86_64 when it is installed).
"""
import hashlib
import os
import re
import shutil
import subprocess

from armmp import linux_with_virtio, poweroff
from emutest import binary, main, tempdir


def hwrng_hex(linux, count):
    # (he""x: the echoed command line does not match)
    linux.type(f"echo he\"\"x=$(head -c {count} /dev/hwrng | od -An -tx1 "
               "| tr -d ' \\n')")
    linux.out.read_until("hex=", 120)
    return linux.out.read_until("\n", 120).strip()


def test_linux_reads_the_file_of_rng_random():
    # A stream no stretch of which repeats: SHA-256 of a counter.
    stream = b"".join(hashlib.sha256(str(i).encode()).digest()
                      for i in range(4096))
    source = os.path.join(tempdir(), "entropy.bin")
    with open(source, "wb") as f:
        f.write(stream)
    linux = linux_with_virtio(
        ["-object", f"rng-random,id=rng0,filename={source}",
         "-device", "virtio-rng-device,rng=rng0"])
    try:
        linux.type("echo rng=$(cat /sys/class/misc/hw_random/rng_current)")
        linux.out.read_until("rng=virtio_rng.0\n", 120)
        first = hwrng_hex(linux, 64)
        second = hwrng_hex(linux, 64)
        # The kernel may have taken some for itself first; the rest come
        # from the file, in the file's order.
        assert re.fullmatch(r"[0-9a-f]{128}", first), first
        at = stream.hex().find(first)
        assert at >= 0 and at % 2 == 0, first
        assert stream.hex().find(second) > at, (first, second)
        poweroff(linux)
    finally:
        linux.close()


def test_linux_reads_rng_builtin():
    linux = linux_with_virtio(["-object", "rng-builtin,id=r",
                               "-device", "virtio-rng-device,rng=r"])
    try:
        samples = [hwrng_hex(linux, 64) for _ in range(2)]
        assert all(re.fullmatch(r"[0-9a-f]{128}", s) for s in samples), \
            samples
        assert samples[0] != samples[1], samples
        poweroff(linux)
    finally:
        linux.close()


# (arguments, QEMU 7.2's message with PROG for the program's name)
REFUSED = [
    (["-object", "rng-random,id=r,filename=/nonexistent/rng"],
     "PROG: Could not open '/nonexistent/rng': No such file or directory\n"),
    (["-object", "rng-builtin,id=r,foo=1"],
     "PROG: -object rng-builtin,id=r,foo=1: Invalid parameter 'foo'\n"),
    (["-object", "rng-backend,id=r"],
     "PROG: -object rng-backend,id=r: Parameter 'qom-type' does not "
     "accept value 'rng-backend'\n"),
    (["-object", "no-such-type,id=r"],
     "PROG: -object no-such-type,id=r: Parameter 'qom-type' does not "
     "accept value 'no-such-type'\n"),
    (["-device", "virtio-rng-pci,rng=nosuch"],
     "PROG: -device virtio-rng-pci,rng=nosuch: Device 'nosuch' not "
     "found\n"),
    (["-object", "memory-backend-ram,id=m,size=1M",
      "-device", "virtio-rng-pci,rng=m"],
     "PROG: -device virtio-rng-pci,rng=m: Invalid parameter type for "
     "'rng', expected: rng-backend\n"),
]


def test_mistakes_refused_as_qemu():
    programs = [binary("x86_64")]
    if shutil.which("qemu-system-x86_64"):
        programs.append(shutil.which("qemu-system-x86_64"))
    for program in programs:
        for args, message in REFUSED:
            proc = subprocess.run([program, "-M", "pc", "-nodefaults",
                                   "-display", "none", "-S"] + args,
                                  stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=60)
            err = proc.stderr.replace(os.path.basename(program) + ":",
                                      "PROG:")
            assert proc.returncode == 1 and err == message, \
                (program, args, proc.returncode, proc.stderr)


def test_object_help_lists_them():
    proc = subprocess.run([binary("x86_64"), "-object", "help"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc
    listed = proc.stdout.splitlines()
    assert listed[0] == "List of user creatable objects:", listed
    for name in ("memory-backend-file", "memory-backend-ram",
                 "rng-builtin", "rng-random"):
        assert f"  {name}" in listed, listed
    assert "  rng-backend" not in listed, listed


if __name__ == "__main__":
    main(globals())
