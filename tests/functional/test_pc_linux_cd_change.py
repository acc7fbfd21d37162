# The PC's CD-ROM changes discs under a running Linux, from the monitor,
# as with QEMU 7.2: two ISO 9660 images built here with xorriso, Debian's
# kernel with ata_piix, sr_mod and isofs; the guest mounts the first
# disc (which locks the tray), the monitor's eject and change are
# refused with QEMU's message until the guest unmounts or -f forces
# them, and the guest then mounts the second disc (the drive reports
# the change: "no medium", UNIT ATTENTION, a media event) and reads its
# file and its new size.  The guest's own eject opens the tray (QMP's
# DEVICE_TRAY_MOVED) and QMP's blockdev-change-medium closes it on a
# new disc.  The same session runs under qemu-system-x86_64 and every
# "info block" and monitor answer is compared byte for byte (node names
# and device paths, which both make up, normalised).
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import re
import shutil
import subprocess

from emutest import SocketMonitor, Skip, binary, main, monitor_script, \
    qmp_connect, tempdir
from pclinux import DEVICE_TEST_APPEND, IDE_MODULES, PC, amd64_kernel, \
    need_pc, pc_initramfs

MODULES = IDE_MODULES + ("fs/isofs/isofs.ko",)


def data_iso(directory, name, text, padding):
    """An ISO 9660 image holding NAME.txt with TEXT and PADDING bytes of
    filler, so that the two discs differ in size."""
    root = os.path.join(directory, name)
    os.makedirs(root)
    with open(os.path.join(root, name + ".txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(root, "filler"), "wb") as f:
        f.write(bytes(padding))
    iso = os.path.join(directory, name + ".iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", name,
                    "-o", iso, root], check=True, capture_output=True,
                   timeout=120)
    return iso


def normalise(text):
    text = re.sub(r"#block\d+", "#blockN", text)
    return re.sub(r"/machine/unattached/device\[\d+\]",
                  "/machine/unattached/device[N]", text)


def session(name, program, first, second, directory):
    """Boots PROGRAM (None: emu) with FIRST in the CD-ROM drive and runs
    the changes; returns every monitor answer (HMP and QMP) in order,
    normalised."""
    hmp_path = os.path.join(directory, name + ".hmp")
    qmp_path = os.path.join(directory, name + ".qmp")
    pc = PC(["-nodefaults", "-kernel", amd64_kernel(),
             "-initrd", pc_initramfs(MODULES), "-append", DEVICE_TEST_APPEND,
             "-cdrom", first,
             "-monitor", f"unix:{hmp_path},server=on,wait=off",
             "-qmp", f"unix:{qmp_path},server=on,wait=off"],
            program=program)
    answers = []
    hmp = qmp = None
    try:
        hmp = SocketMonitor(hmp_path)
        qmp = qmp_connect(qmp_path)
        qmp.negotiate()

        def monitor(line):
            answers.append((line, normalise(hmp.cmd(line))))
            return answers[-1][1]

        def guest(line, expect):
            return pc.run(line + "; echo done-$((6*7))", expect + "done-42\n",
                          90)

        def mount_and_cat(name):
            # The first opening after a change meets the drive's "no
            # medium, then UNIT ATTENTION" and the kernel's revalidation
            # (under QEMU too): mount is tried again, as a person would.
            return ("for try in 1 2 3; do mount -t iso9660 -o ro /dev/sr0 "
                    f"/mnt 2>/dev/null && break; done; cat /mnt/{name}.txt")

        assert "sr 1:0:0:0: [sr0] scsi3-mmc drive" in pc.boot, pc.boot
        monitor("info block")
        # The kernel's I/O errors for the disc taken away are expected.
        guest("dmesg -n 1; mkdir /mnt; " + mount_and_cat("first"),
              "first disc\n")
        # Mounted: sr_mod locked the tray (PREVENT MEDIUM REMOVAL).
        assert "locked, tray closed" in monitor("info block")
        locked = ("Error: Device 'ide1-cd0' is locked and force was not "
                  "specified, wait for tray to open and try again\n")
        assert monitor("eject ide1-cd0") == locked
        assert monitor(f"change ide1-cd0 {second}") == locked
        assert "first.iso (raw, read-only)" in monitor("info block")
        guest("umount /mnt", "")
        assert "not locked, tray closed" in monitor("info block")
        assert monitor(f"change ide1-cd0 {second} raw") == ""
        assert "second.iso (raw, read-only)" in monitor("info block")
        guest(mount_and_cat("second") + "; cat /sys/block/sr0/size",
              f"second disc\n{os.path.getsize(second) // 512}\n")
        # Forced, while the guest holds the disc mounted.
        assert monitor("eject -f ide1-cd0") == ""
        assert "[not inserted]" in monitor("info block")
        guest("umount /mnt", "")
        # QMP: the tray, still open, closes on the first disc again.
        reply, events = qmp.cmd("blockdev-change-medium", {
            "device": "ide1-cd0", "filename": first, "format": "raw"})
        assert reply == {"return": {}}, reply
        guest(mount_and_cat("first"), "first disc\n")
        reply, _ = qmp.cmd("eject", {"device": "ide1-cd0"})
        answers.append(("eject", reply))
        reply, more = qmp.cmd("query-block")
        cd = [d for d in reply["return"] if d["device"] == "ide1-cd0"][0]
        assert cd["locked"] and not cd["tray_open"], cd
        reply, more = qmp.cmd("eject", {"device": "ide1-cd0", "force": True})
        assert reply == {"return": {}}, reply
        events += more
        moved = [(e["data"]["device"], e["data"]["tray-open"])
                 for e in events if e["event"] == "DEVICE_TRAY_MOVED"]
        # Each change opened and closed the tray, each eject opened it
        # (HMP's commands are heard on QMP too); QMP's change closed it
        # on the first disc, its forced eject opened it.
        assert moved == [("ide1-cd0", True), ("ide1-cd0", False),
                         ("ide1-cd0", True), ("ide1-cd0", False),
                         ("ide1-cd0", True)], moved
        answers.append(("query-block", normalise(repr(cd))))
        monitor("info block")
        guest("umount /mnt", "")
        pc.poweroff()
    finally:
        for client in (hmp, qmp):
            if client:
                client.close()
        pc.close()
    return answers


# Without a guest: every form of the commands and their refusals, the
# drive-less backend (if=none, no tray) and the disk that is not
# removable, the same as QEMU's answers.
HMP_SCRIPT = [
    "change ide1-cd0", "change", "eject", "eject -f",
    "change ide1-cd0 first.iso raw read-only extra", "eject ide1-cd0 extra",
    "change -f ide1-cd0 first.iso", "info block",
    "eject ide1-cd0", "info block", "eject ide1-cd0",
    "change ide1-cd0 second.iso", "info block",
    "change ide1-cd0 missing.iso", "change ide1-cd0 first.iso raw bogus",
    "change ide1-cd0 -f first.iso raw read-write", "info block",
    "change ide1-cd0 second.iso raw read-only", "info block",
    "change none0 spare.img raw", "info block", "eject none0", "info block",
    "eject ide0-hd0", "change ide0-hd0 third.iso raw", "eject nope",
    "change nope first.iso", "eject -f ide1-cd0", "info block",
    "help eject", "help change",
]

QMP_SCRIPT = [
    ("eject", {"device": "ide1-cd0"}),
    ("query-block", None),
    ("eject", {"device": "ide1-cd0"}),
    ("blockdev-change-medium", {"device": "ide1-cd0",
                                "filename": "first.iso", "format": "raw"}),
    ("blockdev-change-medium", {"device": "ide1-cd0", "filename": "x",
                                "read-only-mode": "bad"}),
    ("blockdev-change-medium", {"id": "x", "filename": "first.iso"}),
    ("blockdev-change-medium", {"filename": "first.iso"}),
    ("blockdev-change-medium", {"device": "ide1-cd0"}),
    ("blockdev-change-medium", {"device": "nope", "filename": "first.iso"}),
    ("blockdev-change-medium", {"device": "ide1-cd0",
                                "filename": "missing.iso"}),
    ("eject", {"device": "ide1-cd0", "id": "x"}),
    ("eject", {}),
    ("eject", {"device": "ide1-cd0", "force": True}),
    ("query-block", None),
]


def media_images(directory):
    for name in ("first", "second", "third"):
        data_iso(directory, name, name, 4096)
    for name in ("disk.img", "spare.img", "none.img"):
        with open(os.path.join(directory, name), "wb") as f:
            f.truncate(1 << 20)


def stopped_args():
    return ["-display", "none", "-S", "-nodefaults", "-cdrom", "first.iso",
            "-drive", "file=disk.img,format=raw,if=ide,index=0",
            "-drive", "file=none.img,format=raw,if=none"]


def qmp_session(program, directory):
    path = os.path.join(directory, "qmp.sock")
    proc = subprocess.Popen([program] + stopped_args() +
                            ["-qmp", f"unix:{path},server=on,wait=off"],
                            cwd=directory, stdin=subprocess.DEVNULL)
    replies = []
    try:
        qmp = qmp_connect(path)
        qmp.negotiate()
        for name, args in QMP_SCRIPT:
            reply, events = qmp.cmd(name, args)
            for event in events + [reply]:
                event.pop("timestamp", None)
                replies.append(normalise(json.dumps(event)))
        qmp.close()
    finally:
        proc.kill()
        proc.wait()
    return replies


def test_monitor_media_commands_like_qemu():
    qemu = need_qemu()
    directory = tempdir()
    media_images(directory)
    ours, ours_err = monitor_script(binary("x86_64"), stopped_args(),
                                    HMP_SCRIPT, cwd=directory)
    theirs, theirs_err = monitor_script(qemu, stopped_args(), HMP_SCRIPT,
                                        cwd=directory)
    for line, mine, reference in zip(HMP_SCRIPT, ours, theirs):
        assert normalise(mine) == normalise(reference), \
            (line, mine, reference)
    assert "Removable device: not locked, tray open" in ours[9], ours[9]
    assert ours_err == theirs_err == "", (ours_err, theirs_err)
    ours = qmp_session(binary("x86_64"), directory)
    theirs = qmp_session(qemu, directory)
    assert ours == theirs, (ours, theirs)
    assert any('"DEVICE_TRAY_MOVED"' in reply for reply in ours), ours


def need_qemu():
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed (Debian: "
                   "qemu-system-x86)")
    if not shutil.which("xorriso"):
        raise Skip("xorriso is missing: install Debian's xorriso")
    return qemu


def test_cd_change_under_linux_like_qemu():
    need_pc()
    qemu = need_qemu()
    directory = tempdir()
    first = data_iso(directory, "first", "first disc", 64 << 10)
    second = data_iso(directory, "second", "second disc", 1 << 20)
    ours = session("emu", None, first, second, directory)
    theirs = session("qemu", qemu, first, second, directory)
    for mine, reference in zip(ours, theirs):
        assert mine == reference, (mine, reference)
    assert len(ours) == len(theirs), (ours, theirs)


if __name__ == "__main__":
    main(globals())
