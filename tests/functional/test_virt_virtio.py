# The virt board's virtio devices (issue 9) under Debian's armmp kernel:
# virtio-blk on raw and qcow2 images made by qemu-img (legacy and
# version 2 transports); virtio-rng and virtio-serial are in
# test_virt_virtio_char.py.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import os
import shutil
import subprocess

from armmp import linux_with_virtio, poweroff
from emutest import Skip, main, tempdir

QEMU_IMG = shutil.which("qemu-img")


def disk_image(name, fmt, data):
    """A 16 MiB image made by qemu-img in format FMT whose first bytes
    are DATA."""
    if not QEMU_IMG:
        raise Skip("qemu-img is not installed")
    raw = os.path.join(tempdir(), name + ".raw")
    with open(raw, "wb") as f:
        f.write(data)
        f.truncate(16 << 20)
    if fmt == "raw":
        return raw
    path = os.path.join(tempdir(), name + "." + fmt)
    subprocess.run([QEMU_IMG, "convert", "-f", "raw", "-O", fmt, raw, path],
                   check=True, capture_output=True)
    return path


def image_bytes(path, fmt, offset, length):
    """What qemu-img reads at OFFSET of the image."""
    raw = path + ".check.raw"
    subprocess.run([QEMU_IMG, "convert", "-f", fmt, "-O", "raw", path, raw],
                   check=True, capture_output=True)
    with open(raw, "rb") as f:
        f.seek(offset)
        return f.read(length)


# The guest's side of the disk test: reads what the host wrote, writes
# a sector at 1 MiB and 64 KiB of a pattern at 2 MiB (a request of many
# descriptors), reads them back through the device (the page cache
# dropped), and flushes.
DISK_COMMANDS = (
    "head -c 15 /dev/{dev}; echo",
    "echo written-by-guest | dd of=/dev/{dev} bs=512 seek=2048 conv=sync "
    "2>/dev/null",
    "yes emu | head -c 65536 | dd of=/dev/{dev} bs=65536 seek=32 "
    "2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches",
    "echo sum=$(dd if=/dev/{dev} bs=65536 skip=32 count=1 2>/dev/null | "
    "md5sum)",
)
PATTERN_SUM = hashlib.md5(b"emu\n" * 16384).hexdigest()


def guest_disk_session(linux, dev):
    linux.type(DISK_COMMANDS[0].format(dev=dev))
    linux.out.read_until("hello-from-host\n", 60)
    for cmd in DISK_COMMANDS[1:]:
        linux.type(cmd.format(dev=dev))
    linux.out.read_until(f"sum={PATTERN_SUM} -\n", 60)


def check_disk_written(path, fmt):
    assert image_bytes(path, fmt, 1 << 20, 17) == b"written-by-guest\n"
    assert image_bytes(path, fmt, 2 << 20, 65536) == b"emu\n" * 16384
    if fmt == "qcow2":
        proc = subprocess.run([QEMU_IMG, "check", path], capture_output=True,
                              text=True)
        assert proc.returncode == 0 and \
            "No errors were found on the image." in proc.stdout, proc.stdout


def test_linux_virtio_blk_legacy():
    # QEMU 7.2's default transport (version 1): a raw image, and a
    # read-only disk.  The first -device takes the transport at the
    # highest address; the next one gets the one below, which Linux
    # probes first (the device tree lists them upwards): vda.
    # (-drive if=virtio is a virtio-blk-pci: test_virt_pci.py.)
    disk = disk_image("legacy", "raw", b"hello-from-host")
    ro = disk_image("ro", "raw", b"read-only-disk")
    linux = linux_with_virtio(
        ["-drive", f"file={disk},format=raw,if=none,id=d",
         "-device", "virtio-blk-device,drive=d",
         "-drive", f"file={ro},format=raw,if=none,id=ro,readonly=on",
         "-device", "virtio-blk-device,drive=ro"])
    try:
        for line in ("virtio_blk virtio0: [vda] 32768 512-byte logical "
                     "blocks (16.8 MB/16.0 MiB)",
                     "virtio_blk virtio1: [vdb] 32768 512-byte logical "
                     "blocks (16.8 MB/16.0 MiB)"):
            assert line in linux.boot, (line, linux.boot)
        guest_disk_session(linux, "vdb")
        linux.type("echo ro=$(cat /sys/block/vda/ro) "
                   "$(head -c 14 /dev/vda)")
        linux.out.read_until("ro=1 read-only-disk\n", 60)
        poweroff(linux)
    finally:
        linux.close()
    check_disk_written(disk, "raw")
    assert image_bytes(ro, "raw", 0, 14) == b"read-only-disk"


def test_linux_virtio_blk_modern_qcow2():
    # Version 2 of the transport (force-legacy=false), a qcow2 image
    # through -device; discard and write-zeroes from the guest.
    disk = disk_image("modern", "qcow2", b"hello-from-host")
    linux = linux_with_virtio(
        ["-global", "virtio-mmio.force-legacy=false",
         "-drive", f"file={disk},if=none,id=d0",
         "-device", "virtio-blk-device,drive=d0,serial=emu-disk-0"])
    try:
        guest_disk_session(linux, "vda")
        linux.type("echo serial=$(cat /sys/block/vda/serial) "
                   "discard=$(cat /sys/block/vda/queue/discard_max_bytes)")
        linux.out.read_until("serial=emu-disk-0 discard=33554432\n", 60)
        # Discard the first MiB: it reads as zeros afterwards.
        linux.type("blkdiscard -o 0 -l 1048576 /dev/vda && echo 3 > "
                   "/proc/sys/vm/drop_caches && echo first=$(head -c 15 "
                   "/dev/vda | od -An -tx1 | tr -d ' ')")
        linux.out.read_until("first=" + "00" * 15 + "\n", 60)
        poweroff(linux)
    finally:
        linux.close()
    check_disk_written(disk, "qcow2")
    assert image_bytes(disk, "qcow2", 0, 15) == b"\0" * 15

if __name__ == "__main__":
    main(globals())
