# -blockdev (issue 10): image nodes in QEMU's key=value and JSON forms,
# a format node over a file node given by name, taken by a device with
# -device virtio-blk-device,drive=NODE.  "info block" and query-block
# print what Debian's qemu-system-arm prints for the same command line,
# errors are QEMU's, and Debian's armmp kernel reads and writes a qcow2
# disk given this way.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import json
import os
import re
import shutil
import subprocess

from armmp import linux_with_virtio, poweroff
from emutest import TIMEOUT, Skip, binary, main, strip_ansi, tempdir
from test_virt_virtio import disk_image, guest_disk_session, image_bytes

SCRATCH = tempdir()
BASE = ["-M", "virt", "-nodefaults", "-display", "none", "-S"]


def qemu_system():
    tool = shutil.which("qemu-system-arm")
    if not tool:
        raise Skip("qemu-system-arm is not installed")
    return tool


def make_image():
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "d.qcow2",
                    "4M"], cwd=SCRATCH, check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "raw", "r.img", "1M"],
                   cwd=SCRATCH, check=True)


def monitor_output(program, args, monitor, commands):
    proc = subprocess.run([program] + BASE + [monitor, "stdio"] + args,
                          cwd=SCRATCH, input=commands, capture_output=True,
                          text=True, timeout=TIMEOUT)
    return strip_ansi(proc.stdout), proc.stderr


def info_block(program, args):
    out, err = monitor_output(program, args, "-monitor",
                              "info block\nquit\n")
    assert "info block\n" in out, (program, out, err)
    text = out.replace("\r", "").split("info block\n", 1)[1]
    # Generated node names differ from run to run.
    text = re.sub(r"#block\d+", "#blockN", text)
    return re.split(r"\((?:qemu|emu)\) ", text)[0]


def query_block(program, args):
    out, err = monitor_output(program, args, "-qmp",
                              '{"execute": "qmp_capabilities"}\n'
                              '{"execute": "query-block"}\n'
                              '{"execute": "quit"}\n')
    replies = [json.loads(line) for line in out.splitlines()]
    result = [r["return"] for r in replies if "return" in r and
              isinstance(r["return"], list)]
    assert result, (out, err)
    return result[0]


FORMS = [
    ["-blockdev", "driver=qcow2,node-name=disk,file.driver=file,"
     "file.filename=d.qcow2", "-device", "virtio-blk-device,drive=disk"],
    ["-blockdev", '{"driver": "qcow2", "node-name": "disk", "file": '
     '{"driver": "file", "filename": "d.qcow2"}}',
     "-device", "virtio-blk-device,drive=disk,id=vd0"],
    ["-blockdev", "driver=file,node-name=f,filename=d.qcow2",
     "-blockdev", "driver=qcow2,node-name=disk,file=f",
     "-device", "virtio-blk-device,drive=disk"],
    ["-blockdev", "driver=file,node-name=f,filename=r.img,read-only=on",
     "-device", "virtio-blk-device,drive=f"],
    ["-blockdev", '{"driver": "raw", "node-name": "r", "cache": '
     '{"direct": true}, "file": {"driver": "file", "filename": "r.img"}}',
     "-device", "virtio-blk-device,drive=r"],
    # A node no device takes is not listed; a -drive beside it is.
    ["-blockdev", "driver=qcow2,node-name=spare,file.driver=file,"
     "file.filename=d.qcow2", "-drive", "file=r.img,format=raw,if=none,"
     "id=d1"],
]


def test_info_and_query_block_like_qemu():
    make_image()
    for args in FORMS:
        e, q = info_block(binary(), args), info_block(qemu_system(), args)
        assert e == q, (args, e, q)
        e, q = query_block(binary(), args), query_block(qemu_system(), args)
        for device in e + q:
            device.get("inserted", {}).get("image", {}).pop("actual-size",
                                                            None)
        for device in e + q:
            # Generated node names differ from run to run.
            if device.get("inserted", {}).get("node-name", "").startswith(
                    "#block"):
                device["inserted"]["node-name"] = "#block"
        assert e == q, (args, e, q)


BAD = [
    "driver=file,filename=d.qcow2",
    "driver=qcow2,node-name=x",
    "driver=qcow2,node-name=x,file=nope",
    "driver=bogus,node-name=x",
    "node-name=x",
    "driver=file,node-name=x",
    "driver=file,node-name=x,filename=d.qcow2,bogus=1",
    "driver=qcow2,node-name=x,file.driver=file,file.filename=nope.qcow2",
    "driver=file,node-name=x,filename=d.qcow2,read-only=maybe",
]


def test_errors_like_qemu():
    make_image()
    for bad in BAD:
        args = BASE + ["-blockdev", bad]
        e = subprocess.run([binary()] + args, cwd=SCRATCH, text=True,
                           capture_output=True, timeout=TIMEOUT)
        q = subprocess.run([qemu_system()] + args, cwd=SCRATCH, text=True,
                           capture_output=True, timeout=TIMEOUT)
        assert e.returncode == q.returncode == 1, (bad, e.stderr)
        assert e.stderr.replace("emu-system-arm", "qemu-system-arm") \
            .splitlines()[0] == q.stderr.splitlines()[0], \
            (bad, e.stderr, q.stderr)
    # The same node name twice, and a file node two format nodes want.
    for args in (["-blockdev", "driver=file,node-name=f,filename=d.qcow2",
                  "-blockdev", "driver=file,node-name=f,filename=r.img"],
                 ["-blockdev", "driver=file,node-name=f,filename=d.qcow2",
                  "-blockdev", "driver=qcow2,node-name=a,file=f",
                  "-blockdev", "driver=qcow2,node-name=b,file=f"]):
        e = subprocess.run([binary()] + BASE + args, cwd=SCRATCH, text=True,
                           capture_output=True, timeout=TIMEOUT)
        assert e.returncode == 1 and args[-1] in e.stderr, e.stderr


ZEROS_SUM = hashlib.md5(bytes(65536)).hexdigest()


def allocated(disk):
    """qemu-img map's allocated ranges of a qcow2 image: [(start, end)]."""
    out = subprocess.run(["qemu-img", "map", "--output=json", disk],
                         capture_output=True, text=True, check=True).stdout
    return [(m["start"], m["start"] + m["length"]) for m in json.loads(out)
            if m["data"]]


def test_linux_reads_and_writes_a_blockdev_disk():
    """The guest's disk session, then a discard with discard=unmap of the
    64 KiB cluster it wrote at 2 MiB: the cluster is given back
    (qemu-img map and check) and reads as zeros."""
    disk = disk_image("blockdev", "qcow2", b"hello-from-host")
    node = json.dumps({"driver": "qcow2", "node-name": "sys",
                       "discard": "unmap",
                       "file": {"driver": "file", "filename": disk}})
    linux = linux_with_virtio(["-blockdev", node,
                               "-device", "virtio-blk-device,drive=sys"])
    try:
        guest_disk_session(linux, "vda")
        linux.type("blkdiscard -o 2097152 -l 65536 /dev/vda && echo 3 > "
                   "/proc/sys/vm/drop_caches && echo gone=$(dd if=/dev/vda "
                   "bs=65536 skip=32 count=1 2>/dev/null | md5sum)")
        linux.out.read_until(f"gone={ZEROS_SUM} -\n", 120)
        poweroff(linux)
    finally:
        linux.close()
    assert image_bytes(disk, "qcow2", 1 << 20, 17) == b"written-by-guest\n"
    assert image_bytes(disk, "qcow2", 2 << 20, 65536) == bytes(65536)
    for start, end in allocated(disk):
        assert end <= 2 << 20 or start >= (2 << 20) + 65536, allocated(disk)
    check = subprocess.run(["qemu-img", "check", disk], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout


if __name__ == "__main__":
    main(globals())
