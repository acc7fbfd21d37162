# The monitor's block_resize and commit (issue 10).  HMP and QMP
# block_resize and HMP commit on raw and qcow2 drives print what QEMU
# 7.2 prints for the same commands (errors included), and leave images
# that qemu-img compares equal to QEMU's and checks clean.  Debian's
# armmp kernel sees a virtio-blk disk grow while it runs (the config
# change interrupt) and writes at its new end; a guest's writes under
# -snapshot land in the image on "commit", and only those.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import re
import shutil
import subprocess

from armmp import linux_with_virtio, poweroff
from emutest import BUILD_DIR, TIMEOUT, Skip, binary, main, \
    monitor_script, need_emulator, qmp_connect, tempdir
from test_virt_virtio import disk_image, image_bytes

MiB = 1 << 20
QEMU = shutil.which("qemu-system-x86_64")


def need_qemu():
    need_emulator("x86_64")
    if not QEMU or not shutil.which("qemu-img"):
        raise Skip("qemu-system-x86_64 and qemu-img are not installed")


def qemu_img(*args):
    return subprocess.run(["qemu-img"] + list(args), capture_output=True,
                          text=True, check=True).stdout


def qemu_io(image, fmt, *commands):
    args = ["qemu-io", "-f", fmt]
    for c in commands:
        args += ["-c", c]
    subprocess.run(args + [image], capture_output=True, check=True)


def make_images(d):
    """In directory D: a.qcow2 and r.img (64 MiB, empty); base.qcow2
    with data and ov.qcow2 over it holding more (some of it past the
    base's end: the overlay is larger); rbase.img (raw) under
    rov.qcow2."""
    qemu_img("create", "-q", "-f", "qcow2", f"{d}/a.qcow2", "64M")
    qemu_img("create", "-q", "-f", "raw", f"{d}/r.img", "64M")
    qemu_img("create", "-q", "-f", "qcow2", f"{d}/base.qcow2", "64M")
    qemu_io(f"{d}/base.qcow2", "qcow2", "write -P 0x11 0 1M",
            "write -P 0x12 10M 64k")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
             "qcow2", f"{d}/ov.qcow2")
    qemu_io(f"{d}/ov.qcow2", "qcow2", "write -P 0x22 512k 1M",
            "write -z 10M 4k", "write -P 0x23 63M 1M")
    qemu_img("create", "-q", "-f", "raw", f"{d}/rbase.img", "4M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "rbase.img", "-F", "raw",
             f"{d}/rov.qcow2")
    qemu_io(f"{d}/rov.qcow2", "qcow2", "write -P 0x44 3M 1M")
    qemu_img("resize", "-q", f"{d}/rov.qcow2", "8M")
    qemu_io(f"{d}/rov.qcow2", "qcow2", "write -P 0x45 7M 1M")


DRIVES = ["-drive", "if=none,id=d0,node-name=n0,file=a.qcow2,format=qcow2",
          "-drive", "if=none,id=d1,node-name=n1,file=r.img,format=raw",
          "-drive", "if=none,id=d2,node-name=n2,file=ov.qcow2",
          "-drive", "if=none,id=d3,node-name=n3,file=rov.qcow2",
          "-drive", "if=none,id=ro,node-name=nro,file=a2.qcow2,readonly=on"]

HMP_COMMANDS = [
    "block_resize d0 128",           # MiB without a suffix, as QEMU
    "block_resize d0 1G",
    "block_resize d0 100k",          # qcow2 shrinks
    "block_resize d1 100001k",
    "block_resize d1 1.5",
    "block_resize d0 -5",
    "block_resize d0 x",
    "block_resize nope 1",
    "block_resize n0 1",             # a node name is not a device
    "block_resize",
    "block_resize d0",
    "block_resize ro 32",
    "commit d1",                     # no backing file
    "commit nope",
    "commit",
    "commit d2",
    "commit all",                    # d3, whose raw base grows
    "help block_resize",
    "help commit",
    "info block",
]


def run_both(setup, args, commands):
    """The monitor's answers to COMMANDS from emu and from QEMU, each on
    its own copy of the images SETUP makes; returns both directories."""
    answers, dirs = [], []
    for name, program in (("emu", binary("x86_64")), ("qemu", QEMU)):
        d = os.path.join(tempdir(), "resize-commit-" + name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        setup(d)
        out, err = monitor_script(program, ["-M", "none", "-nodefaults",
                                            "-display", "none"] + args,
                                  commands, cwd=d)
        assert err == "", (program, err)
        answers.append(out)
        dirs.append(d)
    return answers, dirs


def test_hmp_block_resize_and_commit_as_qemu():
    need_qemu()

    def setup(d):
        make_images(d)
        shutil.copy(f"{d}/a.qcow2", f"{d}/a2.qcow2")
    (ours, theirs), (emu_dir, qemu_dir) = run_both(setup, DRIVES,
                                                   HMP_COMMANDS)
    for cmd, a, b in zip(HMP_COMMANDS, ours, theirs):
        assert a == b, (cmd, a, b)
    assert ours[HMP_COMMANDS.index("block_resize nope 1")] == \
        "Error: Cannot find device='nope' nor node-name=''\n"
    assert ours[HMP_COMMANDS.index("commit d1")] == \
        "'commit' error for 'd1': Operation not supported\n"
    # The images QEMU left and emu's hold the same data.
    for image in ("a.qcow2", "base.qcow2", "ov.qcow2", "rov.qcow2",
                  "rbase.img", "r.img"):
        out = qemu_img("compare", f"{qemu_dir}/{image}",
                       f"{emu_dir}/{image}")
        assert out == "Images are identical.\n", (image, out)
        info = [json.loads(qemu_img("info", "--output=json",
                                    f"{d}/{image}"))["virtual-size"]
                for d in (qemu_dir, emu_dir)]
        assert info[0] == info[1], (image, info)
    for image in ("a.qcow2", "base.qcow2", "ov.qcow2", "rov.qcow2"):
        out = qemu_img("check", f"{emu_dir}/{image}")
        assert "No errors were found on the image." in out, (image, out)
    # The overlay gave its data away: it maps nothing of its own now.
    assert qemu_img("map", "--output=json", f"{emu_dir}/ov.qcow2") == \
        qemu_img("map", "--output=json", f"{qemu_dir}/ov.qcow2").replace(
            qemu_dir, emu_dir)
    assert os.path.getsize(f"{emu_dir}/r.img") == 1536 * 1024


def test_commit_refused_while_another_process_reads_the_base():
    # QEMU holds the base image read-only (sharing no writes): emu cannot
    # reopen it for writing, says why, and leaves both images as they
    # were; once QEMU is gone the commit goes through.
    need_qemu()
    d = os.path.join(tempdir(), "commit-locked")
    os.makedirs(d)
    make_images(d)
    shutil.copy(f"{d}/ov.qcow2", f"{d}/ov.orig")
    reader = subprocess.Popen([QEMU, "-M", "none", "-nodefaults", "-display",
                               "none", "-S", "-monitor", "stdio", "-drive",
                               "if=none,file=base.qcow2,readonly=on"],
                              cwd=d, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        reader.stdout.readline()     # its banner: the image is open
        out, err = monitor_script(binary("x86_64"),
                                  ["-M", "none", "-nodefaults", "-display",
                                   "none", "-drive",
                                   "if=none,id=d2,file=ov.qcow2"],
                                  ["commit d2"], cwd=d)
    finally:
        reader.communicate("quit\n", timeout=TIMEOUT)
    assert out == ["'commit' error for 'd2': Permission denied\n"
                   "(d2: Failed to get \"write\" lock)\n"], out
    assert qemu_img("compare", f"{d}/ov.orig", f"{d}/ov.qcow2") == \
        "Images are identical.\n"
    out, err = monitor_script(binary("x86_64"),
                              ["-M", "none", "-nodefaults", "-display",
                               "none", "-drive",
                               "if=none,id=d2,file=ov.qcow2"],
                              ["commit d2"], cwd=d)
    assert out == [""], out
    assert qemu_img("compare", f"{d}/ov.orig", f"{d}/base.qcow2") == \
        "Images are identical.\n"


QMP_REQUESTS = [
    {"execute": "qmp_capabilities"},
    {"execute": "block_resize", "arguments": {"device": "d0",
                                              "size": 128 * MiB}},
    {"execute": "block_resize", "arguments": {"node-name": "n1",
                                              "size": 32 * MiB}},
    {"execute": "block_resize", "arguments": {"device": "d1",
                                              "node-name": "n0",
                                              "size": 48 * MiB}},
    {"execute": "block_resize", "arguments": {"device": "d0",
                                              "size": -1}},
    {"execute": "block_resize", "arguments": {"device": "d0",
                                              "size": 100001}},
    {"execute": "block_resize", "arguments": {"size": 4096}},
    {"execute": "block_resize", "arguments": {"device": "nope",
                                              "size": 4096}},
    {"execute": "block_resize", "arguments": {"device": "d0"}},
    {"execute": "block_resize", "arguments": {"device": "d0",
                                              "size": "1G"}},
    {"execute": "block_resize", "arguments": {"device": "ro",
                                              "size": 4096}},
    {"execute": "quit"},
]


def qmp_script(program, d):
    proc = subprocess.run([program, "-M", "none", "-nodefaults", "-display",
                           "none", "-qmp", "stdio"] + DRIVES, cwd=d,
                          input="".join(json.dumps(r) + "\n"
                                        for r in QMP_REQUESTS),
                          capture_output=True, text=True, timeout=TIMEOUT)
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    return [r for r in replies if "event" not in r and "QMP" not in r]


def test_qmp_block_resize_as_qemu():
    need_qemu()
    replies = []
    for name, program in (("emu", binary("x86_64")), ("qemu", QEMU)):
        d = os.path.join(tempdir(), "qmp-resize-" + name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        make_images(d)
        shutil.copy(f"{d}/a.qcow2", f"{d}/a2.qcow2")
        replies.append(qmp_script(program, d))
        sizes = [json.loads(qemu_img("info", "--output=json",
                                     f"{d}/{f}"))["virtual-size"]
                 for f in ("a.qcow2", "r.img")]
        assert sizes == [128 * MiB, 48 * MiB], (name, sizes)
    assert replies[0] == replies[1], replies
    assert replies[0][4] == {"error": {
        "class": "GenericError",
        "desc": "Parameter 'size' expects a >0 size"}}, replies[0]


def test_linux_sees_block_resize():
    # Two virtio-blk disks grow under the running kernel: a raw one
    # through QMP, a qcow2 one through HMP (human-monitor-command).  The
    # kernel hears the config change interrupt, rereads the capacity and
    # writes a sector at each disk's new end.
    raw = disk_image("grow-raw", "raw", b"raw-disk")
    qcow2 = disk_image("grow-qcow2", "qcow2", b"qcow2-disk")
    sock = os.path.join(tempdir(), "resize-qmp.sock")
    linux = linux_with_virtio(
        ["-drive", f"file={raw},format=raw,if=none,id=r",
         "-device", "virtio-blk-device,drive=r,serial=raw",
         "-drive", f"file={qcow2},format=qcow2,if=none,id=q",
         "-device", "virtio-blk-device,drive=q,serial=qcow2",
         "-qmp", f"unix:{sock},server=on,wait=off"])
    qmp = qmp_connect(sock)
    try:
        qmp.negotiate()
        sizes = "echo sizes $(for d in /sys/block/vd*; do echo " \
                "$(cat $d/serial)=$(cat $d/size); done | sort) end"
        linux.type(sizes)
        linux.out.read_until("sizes qcow2=32768 raw=32768 end\n", 60)
        reply, _ = qmp.cmd("block_resize", {"device": "r",
                                            "size": 32 * MiB})
        assert reply == {"return": {}}, reply
        linux.out.read_until("new size: 65536 512-byte logical blocks", 60)
        reply, _ = qmp.cmd("human-monitor-command",
                           {"command-line": "block_resize q 24"})
        assert reply == {"return": ""}, reply
        linux.out.read_until("new size: 49152 512-byte logical blocks", 60)
        linux.type(sizes)
        linux.out.read_until("sizes qcow2=49152 raw=65536 end\n", 60)
        linux.type("for d in /sys/block/vd*; do echo tail-$(cat $d/serial) "
                   "| dd of=/dev/${d##*/} bs=512 seek=$(($(cat $d/size) - "
                   "1)) conv=sync,fsync 2>/dev/null; done; "
                   "echo tails-$((1 + 1))")
        linux.out.read_until("tails-2\n", 60)
        poweroff(linux)
    finally:
        qmp.close()
        linux.close()
    assert os.path.getsize(raw) == 32 * MiB
    assert image_bytes(raw, "raw", 32 * MiB - 512, 9) == b"tail-raw\n"
    assert image_bytes(qcow2, "qcow2", 24 * MiB - 512, 11) == \
        b"tail-qcow2\n"
    info = json.loads(qemu_img("info", "--output=json", qcow2))
    assert info["virtual-size"] == 24 * MiB, info
    assert "No errors were found" in qemu_img("check", qcow2)


STRIDE = 61                      # 4 KiB blocks between two guest writes


def guest_blocks(first, end):
    """What a guest's type_block_writes writes: 'block-N' at block
    N * STRIDE."""
    return [(i * STRIDE * 4096, f"block-{i}") for i in range(first, end)]


def type_block_writes(linux, first, end, done):
    """The guest writes block-N (zero-padded to 4 KiB, synced) for N from
    FIRST to END to /dev/vda, then says DONE."""
    linux.type(f"i={first}; while [ $i -lt {end} ]; do echo block-$i | "
               f"dd of=/dev/vda bs=4096 seek=$((i * {STRIDE})) "
               f"conv=sync,fsync 2>/dev/null; i=$((i + 1)); done; "
               f"echo {done}-$((1 + 1))")
    linux.out.read_until(f"{done}-2\n", 120)


def wait_event(qmp, events, name, timeout):
    """Until EVENT is among EVENTS (those that came with answers so far),
    reading more."""
    while not any(e["event"] == name for e in events):
        message = qmp.read_message(timeout)
        assert "event" in message, message
        events.append(message)


def test_linux_writes_during_an_active_commit():
    # A running kernel writes while block-commit copies its disk's top
    # image into the base (slowed by speed= so the writes land in the
    # middle of the copy), and again after block-job-complete switched
    # the drive to the base: the base then holds the chain's data and
    # every write, and checks clean.
    d = tempdir()
    base, top = os.path.join(d, "wbase.qcow2"), os.path.join(d, "wtop.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", base, "16M")
    qemu_io(base, "qcow2", "write -P 0x11 0 8M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "wbase.qcow2", "-F",
             "qcow2", top)
    qemu_io(top, "qcow2", "write -P 0x22 4M 2M")
    expected = bytearray(16 * MiB)
    expected[:8 * MiB] = b"\x11" * (8 * MiB)
    expected[4 * MiB:6 * MiB] = b"\x22" * (2 * MiB)
    for offset, text in guest_blocks(0, 64):
        assert offset < len(expected)
        expected[offset:offset + 4096] = \
            (text + "\n").encode().ljust(4096, b"\0")
    sock = os.path.join(d, "wcommit-qmp.sock")
    linux = linux_with_virtio(
        ["-drive", f"file={top},format=qcow2,if=none,id=d0",
         "-device", "virtio-blk-device,drive=d0",
         "-qmp", f"unix:{sock},server=on,wait=off"])
    qmp = qmp_connect(sock)
    events = []

    def cmd(name, args):
        reply, came = qmp.cmd(name, args)
        events.extend(came)
        return reply

    try:
        qmp.negotiate()
        assert cmd("block-commit", {"device": "d0", "job-id": "j",
                                    "speed": 16 * 1024}) == {"return": {}}
        type_block_writes(linux, 0, 48, "during")
        jobs = cmd("query-block-jobs", None)
        assert jobs["return"][0]["status"] == "running", jobs
        assert cmd("block-job-set-speed", {"device": "j", "speed": 0}) == \
            {"return": {}}
        wait_event(qmp, events, "BLOCK_JOB_READY", 120)
        assert cmd("block-job-complete", {"device": "j"}) == {"return": {}}
        wait_event(qmp, events, "BLOCK_JOB_COMPLETED", 60)
        done = [e for e in events if e["event"] == "BLOCK_JOB_COMPLETED"]
        assert "error" not in done[0]["data"], done
        type_block_writes(linux, 48, 64, "after")
        poweroff(linux)
    finally:
        qmp.close()
        linux.close()
    raw = os.path.join(d, "wexpected.raw")
    with open(raw, "wb") as f:
        f.write(expected)
    assert "No errors were found" in qemu_img("check", base)
    assert qemu_img("compare", "-f", "raw", "-F", "qcow2", raw, base) == \
        "Images are identical.\n"


IDE_GUEST = os.path.join(BUILD_DIR, "tests", "guests", "x86",
                         "ideresize.bin")


def ide_looks(program, d, fmt):
    """tests/guests/x86/ideresize.S on the PC's IDE disk (1 MiB), its
    look at the disk before and after block_resize to 2 MiB and to
    512 KiB; returns the looks and the QMP answers."""
    image = os.path.join(d, f"ide.{fmt}")
    qemu_img("create", "-q", "-f", fmt, image, "1M")
    sock = os.path.join(d, "ide-qmp.sock")
    proc = subprocess.Popen(
        [program, "-M", "pc", "-accel", "tcg", "-nodefaults", "-display",
         "none", "-serial", "stdio", "-bios", IDE_GUEST, "-device",
         "isa-debug-exit,iobase=0xf4,iosize=0x04", "-drive",
         f"file={image},format={fmt},if=ide,index=0",
         "-qmp", f"unix:{sock},server=on,wait=off"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    qmp = qmp_connect(sock)
    looks, answers = [], []
    try:
        qmp.negotiate()
        for size in (None, 2 * MiB, 512 * 1024):
            if size:
                reply, _ = qmp.cmd("block_resize", {"device": "ide0-hd0",
                                                    "size": size})
                answers.append(reply)
            proc.stdin.write("l")
            proc.stdin.flush()
            looks.append(proc.stdout.readline())
        proc.stdin.write("q")
        proc.stdin.flush()
        assert proc.wait(TIMEOUT) == 1, proc.returncode
    finally:
        qmp.close()
        proc.kill()
    return looks, answers


def test_ide_disk_resized_as_qemu():
    # An IDE disk is not told of a resize (QEMU's ide_resize_cb): the
    # next IDENTIFY gives the new sector counts with the old geometry,
    # and READ SECTORS reaches the new end.
    need_qemu()
    if not os.path.exists(IDE_GUEST):
        raise Skip("the x86 test guests were not built (no binutils)")
    d = tempdir()
    for fmt in ("raw", "qcow2"):
        ours = ide_looks(binary("x86_64"), d, fmt)
        theirs = ide_looks(QEMU, d, fmt)
        assert ours == theirs, (fmt, ours, theirs)
        looks = ours[0]
        assert "w3c=0800 " in looks[0] and "read-end=41" in looks[0], looks
        assert "w01=0002 " in looks[1] and "w3c=1000 " in looks[1] and \
            "w64=1000 " in looks[1] and "read-end=50" in looks[1], looks
        assert "w3c=0400 " in looks[2] and "read-end=41" in looks[2], looks


def test_linux_writes_committed_from_snapshot():
    # Under -snapshot a guest's writes go to the temporary overlay; HMP
    # "commit" writes them into the image, and what the guest writes
    # afterwards stays in the overlay and is gone when emu ends.
    disk = disk_image("commit", "qcow2", b"before-commit")
    untouched = disk + ".orig"
    shutil.copy(disk, untouched)
    sock = os.path.join(tempdir(), "commit-qmp.sock")
    linux = linux_with_virtio(
        ["-snapshot", "-drive", f"file={disk},format=qcow2,if=none,id=q",
         "-device", "virtio-blk-device,drive=q",
         "-qmp", f"unix:{sock},server=on,wait=off"])
    qmp = qmp_connect(sock)
    try:
        qmp.negotiate()
        linux.type("echo committed-by-guest | dd of=/dev/vda bs=512 "
                   "seek=2048 conv=sync,fsync 2>/dev/null; "
                   "echo written-$((1 + 1))")
        # (the number, not the echo of the command line)
        linux.out.read_until("written-2\n", 60)
        assert qemu_img("compare", untouched, disk) == \
            "Images are identical.\n"
        reply, _ = qmp.cmd("human-monitor-command",
                           {"command-line": "commit q"})
        assert reply == {"return": ""}, reply
        linux.type("echo after-commit | dd of=/dev/vda bs=512 seek=4096 "
                   "conv=sync,fsync 2>/dev/null; echo written-$((1 + 2))")
        linux.out.read_until("written-3\n", 60)
        poweroff(linux)
    finally:
        qmp.close()
        linux.close()
    expected = os.path.join(tempdir(), "committed.raw")
    with open(expected, "wb") as f:
        f.write(b"before-commit")
        f.seek(MiB)
        f.write(b"committed-by-guest\n".ljust(512, b"\0"))
        f.truncate(16 * MiB)
    assert qemu_img("compare", "-f", "raw", "-F", "qcow2", expected,
                    disk) == "Images are identical.\n"
    assert "No errors were found" in qemu_img("check", disk)


if __name__ == "__main__":
    main(globals())
