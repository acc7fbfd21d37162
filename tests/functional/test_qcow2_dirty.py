# qcow2 images left dirty (issue 10): QEMU killed while writing with
# lazy_refcounts=on leaves counts behind the tables and the dirty bit
# set.  emu repairs such an image when it opens it for writing, as QEMU
# does, and "emu-img check -r all" repairs it and clears the bit; either
# way qemu-img check finds it clean afterwards and the data is there.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import struct

from emutest import main
from imgtest import check_clean, emu_img, path, qemu_img, qemu_io, to_raw

WRITES = ["write -P 0x5a 0 64k", "write -P 0x5b 512k 128k"]


def crashed_image(name):
    """QEMU's writes with lazy refcounts, then abort(): a dirty image."""
    qemu_img("create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on",
             name, "1M")
    try:
        qemu_io(path(name), *WRITES, "abort")
    except AssertionError:
        pass                                 # qemu-io died, as asked
    info = json.loads(qemu_img("info", "--output=json", name).stdout)
    assert info["dirty-flag"] is True, info
    assert qemu_img("check", name, check=False).returncode == 2
    return name


def expected_data():
    data = bytearray(1 << 20)
    data[0:65536] = b"\x5a" * 65536
    data[512 << 10:640 << 10] = b"\x5b" * (128 << 10)
    return bytes(data)


def dirty(name):
    with open(path(name), "rb") as f:
        f.seek(72)
        return struct.unpack(">Q", f.read(8))[0] & 1


def test_check_repairs_a_dirty_image():
    crashed_image("crashed.qcow2")
    e = emu_img("check", "-r", "all", "crashed.qcow2")
    assert "The following inconsistencies were found and repaired:" in \
        e.stdout, e.stdout
    assert "No errors were found on the image." in e.stdout, e.stdout
    assert not dirty("crashed.qcow2")
    check_clean("crashed.qcow2")
    assert to_raw(qemu_img, "crashed.qcow2", "out.raw") == expected_data()


def test_opening_for_writing_repairs_a_dirty_image():
    crashed_image("crashed.qcow2")
    # A snapshot opens the image for writing: the repair comes first.
    e = emu_img("snapshot", "-c", "after-crash", "crashed.qcow2")
    assert "Repairing cluster 5 refcount=0 reference=1" in e.stderr, e.stderr
    assert not dirty("crashed.qcow2")
    check_clean("crashed.qcow2")
    assert to_raw(qemu_img, "crashed.qcow2", "out.raw") == expected_data()
    assert "after-crash" in qemu_img("snapshot", "-l", "crashed.qcow2").stdout


def test_reading_a_dirty_image_leaves_it_dirty():
    crashed_image("crashed.qcow2")
    assert to_raw(emu_img, "crashed.qcow2", "out.raw") == expected_data()
    assert dirty("crashed.qcow2")


if __name__ == "__main__":
    main(globals())
