# raw's offset= and size= (issue 10): a disk that is a window of a file,
# with -drive (sizes with suffixes, file.driver=file, file.filename=,
# driver=) and -blockdev (integers).  "info block" and the errors are
# QEMU 7.2's for the same command lines; SeaBIOS boots a disk built
# here from a window in the middle of a file and writes it there;
# Debian's armmp kernel sees exactly the window and cannot reach the
# bytes around it, however it writes.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import os
import re
import shutil
import subprocess

from armmp import linux_with_virtio, poweroff
from emutest import Skip, binary, main, monitor_script, need_emulator, \
    qmp_connect, tempdir
from test_pc import need_seabios
from test_pc_virtio import PATTERN, SECTOR, run_virtio_disk_guest, \
    virtio_disk

MiB = 1 << 20
QEMU = shutil.which("qemu-system-x86_64")


def need_qemu():
    need_emulator("x86_64")
    if not QEMU:
        raise Skip("qemu-system-x86_64 is not installed")


def patterned_file(path, size):
    """SIZE bytes no two neighbouring sectors of which are alike."""
    with open(path, "wb") as f:
        f.write(bytes(i % 251 for i in range(size)))
    return path


INFO_BLOCK_CASES = [
    "file=w.img,format=raw,offset=1M,size=4M",
    "file=w.img,format=raw,offset=1M",
    "file=w.img,format=raw,size=4M",
    "file=w.img,format=raw,offset=1k,size=2k",
    "driver=raw,file.driver=file,file.filename=w.img,offset=1M",
    "file.filename=w.img,format=raw,size=1M",
    "file=w.img,format=raw,offset=1M,snapshot=on",
    "file=w.img,format=raw,offset=8M",           # an empty disk at the end
]
ERROR_CASES = [
    "file=w.img,format=raw,offset=9M",
    "file=w.img,format=raw,offset=1M,size=8M",
    "file=w.img,format=raw,offset=1M,size=1000",
    "file=w.img,format=raw,offset=-1",
    "file=w.img,format=raw,size=abc",
    "file=q.qcow2,format=qcow2,offset=1M",
]
BLOCKDEV_ERROR_CASES = [
    "driver=raw,node-name=r,offset=1M,file.driver=file,file.filename=w.img",
    "driver=raw,node-name=r,size=-1,file.driver=file,file.filename=w.img",
    "driver=raw,node-name=r,offset=9437184,file.driver=file,"
    "file.filename=w.img",
    "driver=qcow2,node-name=q,offset=1,file.driver=file,"
    "file.filename=q.qcow2",
]


def scratch(name):
    d = os.path.join(tempdir(), name)
    os.makedirs(d)
    patterned_file(os.path.join(d, "w.img"), 8 * MiB)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                    os.path.join(d, "q.qcow2"), "1M"], check=True)
    return d


def info_block(program, d, drive):
    out, err = monitor_script(program, ["-M", "none", "-nodefaults",
                                        "-display", "none", "-drive",
                                        "if=none,id=d," + drive],
                              ["info block"], cwd=d)
    # Generated names differ from run to run.
    out = re.sub(r"#block\d+", "#blockN", out[0])
    return re.sub(r"vl\.\w{6}", "vl.XXXXXX", out), err


def startup_error(program, d, option, value):
    proc = subprocess.run([program, "-M", "none", "-nodefaults", "-display",
                           "none", option, value], cwd=d,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, (program, value, proc.stderr)
    return proc.stderr.split(": ", 1)[1]    # without the program's name


def test_info_block_and_errors_as_qemu():
    need_qemu()
    d = scratch("window-info")
    for drive in INFO_BLOCK_CASES:
        ours = info_block(binary("x86_64"), d, drive)
        assert ours == info_block(QEMU, d, drive), (drive, ours)
        assert "json:{" in ours[0], ours
    for drive in ERROR_CASES:
        ours = startup_error(binary("x86_64"), d, "-drive", drive)
        assert ours == startup_error(QEMU, d, "-drive", drive), (drive, ours)
    for node in BLOCKDEV_ERROR_CASES:
        ours = startup_error(binary("x86_64"), d, "-blockdev", node)
        assert ours == startup_error(QEMU, d, "-blockdev", node), (node, ours)
    assert startup_error(binary("x86_64"), d, "-drive", ERROR_CASES[1]) == \
        f"-drive {ERROR_CASES[1]}: The sum of offset (1048576) and size " \
        "(8388608) has to be smaller or equal to the  actual size of the " \
        "containing file (8388608)\n"


def test_a_new_medium_leaves_the_window_behind():
    """change opens the new image without the drive's offset= and size=:
    info block names it by its file, as QEMU does."""
    need_qemu()
    d = scratch("window-change")
    shutil.copy(os.path.join(d, "w.img"), os.path.join(d, "w2.img"))

    def changed(program):
        out, err = monitor_script(program, ["-M", "none", "-nodefaults",
                                            "-display", "none", "-drive",
                                            "if=none,id=d,file=w.img,"
                                            "format=raw,offset=1M"],
                                  ["change d w2.img raw", "info block"],
                                  cwd=d)
        return out[0] + re.sub(r"#block\d+", "#blockN", out[1]), err

    ours = changed(binary("x86_64"))
    assert ours == changed(QEMU), ours
    assert "json:" not in ours[0], ours


def test_seabios_boots_from_a_window():
    # The boot disk (1 MiB: boot sector, text, a sector the guest writes)
    # sits at 3 MiB in a file whose other bytes must stay as they are.
    need_seabios()
    disk = virtio_disk()
    path = os.path.join(tempdir(), "container.img")
    patterned_file(path, 8 * MiB)
    with open(disk, "rb") as f:
        window = f.read()
    with open(path, "r+b") as f:
        f.seek(3 * MiB)
        f.write(window)
    with open(path, "rb") as f:
        before = f.read()
    run_virtio_disk_guest(["-drive", f"file={path},format=raw,if=none,id=d,"
                           "offset=3M,size=1M", "-device",
                           "virtio-blk-pci,drive=d"])
    with open(path, "rb") as f:
        after = f.read()
    start = 3 * MiB + 2 * SECTOR
    assert after[start:start + SECTOR] == PATTERN
    assert after[:start] == before[:start]
    assert after[start + SECTOR:] == before[start + SECTOR:]


def md5(data):
    return hashlib.md5(data).hexdigest()


def test_linux_stays_inside_the_window():
    # A 4 MiB window at 2 MiB of an 8 MiB file through -blockdev: the
    # kernel reads exactly the window, fills it with zeros until the
    # disk is full, and finds nothing past its end; the bytes around it
    # are untouched.  block_resize of a disk of fixed size is refused.
    path = patterned_file(os.path.join(tempdir(), "window.img"), 8 * MiB)
    with open(path, "rb") as f:
        before = f.read()
    sock = os.path.join(tempdir(), "window-qmp.sock")
    linux = linux_with_virtio(
        ["-blockdev", "driver=raw,node-name=w,offset=2097152,size=4194304,"
         f"file.driver=file,file.filename={path}",
         "-device", "virtio-blk-device,drive=w",
         "-qmp", f"unix:{sock},server=on,wait=off"])
    qmp = qmp_connect(sock)
    try:
        qmp.negotiate()
        linux.type("echo size=$(cat /sys/block/vda/size) "
                   "sum=$(md5sum < /dev/vda)")
        linux.out.read_until(f"size=8192 sum={md5(before[2 * MiB:6 * MiB])}"
                             " -\n", 60)
        reply, _ = qmp.cmd("block_resize", {"node-name": "w",
                                            "size": 8 * MiB})
        assert reply == {"error": {
            "class": "GenericError",
            "desc": "Cannot resize fixed-size raw disks"}}, reply
        linux.type("dd if=/dev/zero of=/dev/vda bs=1M count=5 2>&1 | "
                   "head -n 1; echo 3 > /proc/sys/vm/drop_caches; "
                   "echo past=$(dd if=/dev/vda bs=512 skip=8192 count=1 "
                   "2>/dev/null | wc -c) "
                   "zero=$(tr -d '\\0' < /dev/vda | wc -c)")
        text = linux.out.read_until(" zero=0\n", 60)
        assert "No space left on device" in text, text
        assert "past=0 zero=0" in text, text
        poweroff(linux)
    finally:
        qmp.close()
        linux.close()
    with open(path, "rb") as f:
        after = f.read()
    assert len(after) == 8 * MiB
    assert after[:2 * MiB] == before[:2 * MiB]
    assert after[6 * MiB:] == before[6 * MiB:]
    assert after[2 * MiB:6 * MiB] == bytes(4 * MiB)


if __name__ == "__main__":
    main(globals())
