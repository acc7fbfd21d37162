# A hostile guest on the PC: tests/guests/x86/devfuzz.S makes a seeded
# stream of random port I/O, PCI configuration writes and MMIO accesses
# to every device of -M pc (the chipset, IDE with a qcow2 disk and a
# CD-ROM, VGA, the ISA devices, fw_cfg, ACPI, the APICs), to
# virtio-net/blk/rng-pci and to the e1000.  Whatever the guest does, emu
# must not crash, hang, or corrupt the disk image: each seed must run to
# its end, and `qemu-img check` must find the image clean afterwards.
# Under the sanitizer build any ASan/UBSan report fails the test.
#
# EMU_DEVFUZZ_SEEDS="N M ..." runs other seeds (to replay one, or to
# search further); EMU_DEVFUZZ_ACCESSES the number of accesses per seed.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import struct
import subprocess

from emutest import (BUILD_DIR, Skip, binary, main, need_emulator, tempdir)

GUEST = os.path.join(BUILD_DIR, "tests", "guests", "x86", "devfuzz.bin")
SEED_AT, COUNT_AT = 0xffe0, 0xffe4       # in the image (devfuzz.S)
SEEDS = [1, 2, 3, 5, 8, 13, 21, 34]
ACCESSES = 0x20000
PASSED = 1                               # isa-debug-exit: (0 << 1) | 1
TIMEOUT = 240


def fuzz_image(directory, seed, accesses):
    with open(GUEST, "rb") as f:
        image = bytearray(f.read())
    # The guest's generator must not start at 0.
    image[SEED_AT:SEED_AT + 8] = struct.pack("<II", seed or 1, accesses)
    path = os.path.join(directory, f"devfuzz-{seed}.bin")
    with open(path, "wb") as f:
        f.write(image)
    return path


def test_random_device_accesses_neither_crash_nor_hang():
    need_emulator("x86_64")
    if not shutil.which("qemu-img"):
        raise Skip("qemu-img is not installed")
    seeds = [int(s, 0) for s in
             os.environ.get("EMU_DEVFUZZ_SEEDS", "").split()] or SEEDS
    accesses = int(os.environ.get("EMU_DEVFUZZ_ACCESSES", "0"), 0) or ACCESSES
    work = tempdir()
    disk = os.path.join(work, "disk.qcow2")
    blk = os.path.join(work, "blk.raw")
    cd = os.path.join(work, "cd.raw")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"],
                   check=True)
    for path in (blk, cd):
        with open(path, "wb") as f:
            f.truncate(4 << 20)
    devices = ["-M", "pc", "-m", "128M", "-nographic", "-no-reboot",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-drive", f"file={disk},format=qcow2,if=ide,index=0",
               "-drive", f"file={cd},format=raw,media=cdrom,index=2",
               "-netdev", "user,id=n0",
               "-device", "virtio-net-pci,netdev=n0",
               "-netdev", "user,id=n1",
               "-device", "e1000,netdev=n1",
               "-drive", f"file={blk},format=raw,if=none,id=b0",
               "-device", "virtio-blk-pci,drive=b0",
               "-device", "virtio-rng-pci"]
    for seed in seeds:
        proc = subprocess.run(
            [binary("x86_64"), "-bios", fuzz_image(work, seed, accesses)] +
            devices, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, errors="replace", timeout=TIMEOUT)
        where = f"seed {seed}: status {proc.returncode}, " \
                f"stderr {proc.stderr[-2000:]!r}, console " \
                f"{proc.stdout[-300:]!r}"
        assert proc.returncode == PASSED, where
        assert proc.stdout.startswith(f"devfuzz seed {seed:08x}\n"), where
        assert proc.stdout.endswith("devfuzz done\n"), where
        check = subprocess.run(["qemu-img", "check", disk],
                               capture_output=True, text=True)
        assert check.returncode == 0, (seed, check.stdout, check.stderr)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(globals())
