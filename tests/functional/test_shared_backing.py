# Two overlays over one -blockdev base node (issue 10), as QEMU allows:
# each reads the base as its backing, nobody may write it meanwhile.
# "info block", query-block and the permission errors (a device on the
# writable base, block-commit into a base another overlay reads) are
# Debian's qemu-system-arm's for the same command lines, and Debian's
# armmp kernel writes both overlays at once while the base, which both
# read, stays as it was.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import json
import os
import re
import subprocess

from armmp import linux_with_virtio, poweroff
from emutest import TIMEOUT, binary, main, strip_ansi, tempdir
from test_blockdev import qemu_system
from test_virt_virtio import QEMU_IMG, disk_image, image_bytes

SCRATCH = tempdir()
BASE_NODE = "driver=qcow2,node-name=base,file.driver=file," \
            "file.filename=base.qcow2"


def overlay_node(name):
    return (f"driver=qcow2,node-name={name},file.driver=file,"
            f"file.filename={name}.qcow2,backing=base")


def make_images():
    """base.qcow2 ("hello-from-host" at 0) and two empty overlays."""
    base = disk_image("base", "qcow2", b"hello-from-host")
    os.replace(base, os.path.join(SCRATCH, "base.qcow2"))
    for name in ("t1", "t2"):
        path = os.path.join(SCRATCH, f"{name}.qcow2")
        if os.path.exists(path):
            os.unlink(path)
        subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", "-b",
                        "base.qcow2", "-F", "qcow2", path], cwd=SCRATCH,
                       check=True)


def run(program, args, monitor, commands):
    proc = subprocess.run([program, "-M", "virt", "-nodefaults", "-display",
                           "none", "-S", monitor, "stdio"] + args,
                          cwd=SCRATCH, input=commands, capture_output=True,
                          text=True, timeout=TIMEOUT)
    err = proc.stderr.replace(os.path.basename(program), "emu-system-arm")
    return proc.returncode, strip_ansi(proc.stdout).replace("\r", ""), err


def info_block(program, args):
    status, out, err = run(program, args, "-monitor", "info block\nquit\n")
    if status:
        return status, err
    text = out.split("info block\n", 1)[1]
    return status, re.split(r"\((?:qemu|emu)\) ", text)[0]


def qmp_answers(program, args, commands):
    """The answers and events, without time stamps or greeting."""
    lines = [json.dumps({"execute": "qmp_capabilities"})] + \
        [json.dumps(c) for c in commands] + \
        [json.dumps({"execute": "quit"})]
    _, out, _ = run(program, args, "-qmp", "\n".join(lines) + "\n")
    answers = []
    for line in out.splitlines():
        reply = json.loads(line)
        reply.pop("timestamp", None)
        if "QMP" not in reply:
            answers.append(reply)
    return answers


def without_sizes(answers):
    """query-block's actual-size is the host's business."""
    for reply in answers:
        for device in reply.get("return", []) \
                if isinstance(reply.get("return"), list) else []:
            device.get("inserted", {}).get("image", {}).pop("actual-size",
                                                            None)
            for image in [device.get("inserted", {}).get("image", {})]:
                image.get("backing-image", {}).pop("actual-size", None)
    return answers


DEV = "virtio-blk-device,drive="
CASES = [
    # Two overlays in use over one base.
    ["-blockdev", BASE_NODE, "-blockdev", overlay_node("t1"),
     "-blockdev", overlay_node("t2"), "-device", DEV + "t1",
     "-device", DEV + "t2"],
    # A device on the read-only base beside an overlay.
    ["-blockdev", BASE_NODE + ",read-only=on", "-blockdev",
     overlay_node("t1"), "-blockdev", overlay_node("t2"),
     "-device", DEV + "t1", "-device", DEV + "base"],
    # A device writing the base an overlay reads: refused either way.
    ["-blockdev", BASE_NODE, "-blockdev", overlay_node("t1"),
     "-blockdev", overlay_node("t2"), "-device", DEV + "t1",
     "-device", DEV + "base"],
    ["-blockdev", BASE_NODE, "-device", DEV + "base",
     "-blockdev", overlay_node("t1"), "-device", DEV + "t1"],
]


def test_monitor_and_errors_like_qemu():
    make_images()
    for args in CASES:
        e, q = info_block(binary("arm"), args), info_block(qemu_system(),
                                                           args)
        assert e == q, (args, e, q)
    args = CASES[0]
    commands = [{"execute": "query-block"},
                # t2 reads the base: committing t1 into it is refused.
                {"execute": "block-commit",
                 "arguments": {"device": "t1", "job-id": "j"}},
                {"execute": "query-block-jobs"}]
    e = without_sizes(qmp_answers(binary("arm"), args, commands))
    q = without_sizes(qmp_answers(qemu_system(), args, commands))
    assert e == q, (e, q)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_linux_writes_two_overlays_of_one_base():
    """Both disks show the base's data; each takes its own write while
    the guest reads both at once; the base is left as it was."""
    make_images()
    base = os.path.join(SCRATCH, "base.qcow2")
    before = sha256(base)
    linux = linux_with_virtio(
        ["-blockdev", BASE_NODE.replace("base.qcow2", base)] +
        [arg for name in ("t1", "t2") for arg in
         ("-blockdev", overlay_node(name).replace(
             f"{name}.qcow2", os.path.join(SCRATCH, f"{name}.qcow2")),
          "-device", DEV + name)])
    try:
        for dev in ("vda", "vdb"):
            linux.type(f"echo {dev}=$(head -c 15 /dev/{dev})")
            linux.out.read_until(f"{dev}=hello-from-host\n", 300)
            linux.type(f"echo written-by-{dev} | dd of=/dev/{dev} bs=512 "
                       "seek=2048 conv=sync 2>/dev/null")
        # Both disks read whole at once: the base serves two backends.
        linux.type("sync; echo 3 > /proc/sys/vm/drop_caches; "
                   "(dd if=/dev/vda bs=64k 2>/dev/null | md5sum > /a &"
                   " dd if=/dev/vdb bs=64k 2>/dev/null | md5sum > /b;"
                   " wait); echo read=$(cat /a /b | wc -l)")
        linux.out.read_until("read=2\n", 300)
        poweroff(linux)
    finally:
        linux.close()
    written = {image_bytes(os.path.join(SCRATCH, f"{name}.qcow2"), "qcow2",
                           1 << 20, 17) for name in ("t1", "t2")}
    assert written == {b"written-by-vda\n"[:17].ljust(17, b"\0"),
                       b"written-by-vdb\n"[:17].ljust(17, b"\0")}, written
    assert sha256(base) == before
    for name in ("base", "t1", "t2"):
        check = subprocess.run([QEMU_IMG, "check", f"{name}.qcow2"],
                               cwd=SCRATCH, capture_output=True, text=True)
        assert check.returncode == 0, (name, check.stdout)


if __name__ == "__main__":
    main(globals())
