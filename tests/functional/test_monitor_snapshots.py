# HMP "info snapshots" on the PC's IDE drives: the internal snapshots of
# qcow2 images (made with emu-img snapshot -c) that every writable drive
# has, then each drive's partial ones, and QEMU 7.2's words when there
# is nothing to show.  With qemu-system-x86_64 installed, the same drives
# are shown by it too and both must print the same text.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil

from emutest import Skip, binary, main, monitor_script, need_emulator, \
    tempdir
from imgtest import emu_img

TIMEOUT = 60


def images(directory):
    """a.qcow2 with snapshots first and a long-named one, b.qcow2 with
    those and only-b, c.qcow2 with none, r.raw."""
    paths = {n: os.path.join(directory, n) for n in
             ("a.qcow2", "b.qcow2", "c.qcow2", "r.raw")}
    for name in ("a.qcow2", "c.qcow2"):
        emu_img("create", "-q", "-f", "qcow2", paths[name], "16M")
    emu_img("create", "-q", "-f", "raw", paths["r.raw"], "1M")
    for tag in ("first", "second-with-a-long-tag-name"):
        emu_img("snapshot", "-c", tag, paths["a.qcow2"])
    shutil.copy(paths["a.qcow2"], paths["b.qcow2"])
    emu_img("snapshot", "-c", "only-b", paths["b.qcow2"])
    return paths


def drives(paths, *names, readonly=()):
    args = []
    for i, name in enumerate(names):
        fmt = "raw" if name.endswith(".raw") else "qcow2"
        args += ["-drive", f"file={paths[name]},format={fmt},if=ide,index={i}"
                 + (",media=cdrom" if name in readonly else "")]
    return args


CASES = [
    ("a.qcow2",),
    ("a.qcow2", "b.qcow2"),
    ("b.qcow2", "c.qcow2"),
    ("c.qcow2",),
    ("a.qcow2", "r.raw"),
    (),
]


def rows(paths, name, id_text=None):
    """The snapshot table's rows of an image, as emu-img lists them."""
    out = emu_img("snapshot", "-l", paths[name]).stdout.splitlines()[2:]
    return [(id_text.ljust(9) + line[9:]) if id_text else line
            for line in out]


def info_snapshots(program, paths, names):
    (answer,), _ = monitor_script(
        program, ["-M", "pc", "-nodefaults", "-display", "none", "-S"] +
        drives(paths, *names), ["info snapshots"], timeout=TIMEOUT)
    return answer


def test_info_snapshots():
    need_emulator("x86_64")
    directory = tempdir()
    paths = images(directory)
    header = "ID        TAG               VM SIZE                DATE     " \
        "VM CLOCK     ICOUNT\n"
    a, b = rows(paths, "a.qcow2", "--"), rows(paths, "b.qcow2")
    expected = {
        ("a.qcow2",): "List of snapshots present on all disks:\n" + header +
        "".join(r + "\n" for r in a),
        ("a.qcow2", "b.qcow2"): "List of snapshots present on all disks:\n"
        + header + "".join(r + "\n" for r in a) +
        "\nList of partial (non-loadable) snapshots on 'ide0-hd1':\n" +
        header + b[2] + "\n",
        ("b.qcow2", "c.qcow2"): "List of snapshots present on all disks:\n"
        "None\n\nList of partial (non-loadable) snapshots on 'ide0-hd0':\n" +
        header + "".join(r + "\n" for r in b),
        ("c.qcow2",): "There is no snapshot available.\n",
        # a raw image keeps no snapshot, so none is on all disks
        ("a.qcow2", "r.raw"): "List of snapshots present on all disks:\n"
        "None\n\nList of partial (non-loadable) snapshots on 'ide0-hd0':\n" +
        header + "".join(r + "\n" for r in rows(paths, "a.qcow2")),
        (): "no block device can store vmstate for snapshot\n",
    }
    qemu = shutil.which("qemu-system-x86_64")
    for names in CASES:
        got = info_snapshots(binary("x86_64"), paths, names)
        assert got == expected[names], (names, got, expected[names])
        if qemu:
            theirs = info_snapshots(qemu, paths, names)
            assert got == theirs, (names, got, theirs)
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed (emu's half passed)")


if __name__ == "__main__":
    main(globals())
