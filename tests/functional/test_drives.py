# Drives on the command line (issue 10): -drive, -hda, -cdrom, -snapshot
# side by side with Debian's qemu-system-arm: the names and numbering
# "info block" and query-block show, the raw probing warning, the
# errors for bad options, image locks held while emu runs, and the
# temporary overlay of snapshot=on that leaves the image untouched.
# SPDX-License-Identifier: GPL-2.0-or-later
import atexit
import json
import os
import re
import shutil
import subprocess

from emutest import TIMEOUT, Skip, binary, main, monitor_script, tempdir

SCRATCH = tempdir()
atexit.register(shutil.rmtree, SCRATCH, True)
# No board devices: every drive stays a backend of its own, in both.
BASE = ["-M", "none", "-nodefaults", "-display", "none", "-S"]


def qemu_system():
    tool = shutil.which("qemu-system-arm")
    if not tool:
        raise Skip("qemu-system-arm is not installed (Debian: "
                   "qemu-system-arm)")
    return tool


def tool(name):
    found = shutil.which(name)
    if not found:
        raise Skip(f"{name} is not installed (Debian: qemu-utils)")
    return found


def make_images():
    for name in ("d.img", "cd.iso"):
        subprocess.run([tool("qemu-img"), "create", "-q", "-f", "raw", name,
                        "1M"], cwd=SCRATCH, check=True)
    for args in (["base.qcow2", "2M"],
                 ["-b", "base.qcow2", "-F", "qcow2", "ov.qcow2"]):
        subprocess.run([tool("qemu-img"), "create", "-q", "-f", "qcow2"] +
                       args, cwd=SCRATCH, check=True)


def start(program, args, monitor):
    return subprocess.Popen([program] + BASE + [monitor, "stdio"] + args,
                            cwd=SCRATCH, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def normalise(text):
    """Node names and temporary files are random in QEMU as in emu."""
    text = re.sub(r"#block\d+", "#blockN", text)
    return re.sub(r"/vl\.[A-Za-z0-9]{6}", "/vl.XXXXXX", text)


def info_block(program, args):
    (out,), err = monitor_script(program, BASE + args, ["info block"],
                                 cwd=SCRATCH)
    return normalise(out), err


def same_info_block(*args):
    e, e_err = info_block(binary(), list(args))
    q, q_err = info_block(qemu_system(), list(args))
    assert e == q, (args, e, q)
    assert e_err == q_err, (args, e_err, q_err)
    return e


def test_info_block_like_qemu():
    make_images()
    out = same_info_block("-hda", "d.img", "-cdrom", "cd.iso",
                          "-drive", "if=none,id=empty")
    assert "none0 (#blockN): d.img (raw)\n" in out, out
    assert "none2 (#blockN): cd.iso (raw, read-only)\n" in out, out
    same_info_block("-drive", "file=ov.qcow2,if=none,id=x,readonly=on",
                    "-drive", "file=base.qcow2,format=qcow2,if=none,"
                    "cache=unsafe,file.locking=off")
    same_info_block("-drive", "file=d.img,format=raw,if=none,snapshot=on,"
                    "cache=writethrough")
    out = same_info_block("-snapshot", "-drive", "file=ov.qcow2,if=none,"
                          "index=3")
    assert "Backing file:     ov.qcow2 (chain depth: 2)" in out, out


def query_block(program, args):
    proc = start(program, args, "-qmp")
    out, _ = proc.communicate('{"execute": "qmp_capabilities"}\n'
                              '{"execute": "query-block"}\n'
                              '{"execute": "quit"}\n', timeout=TIMEOUT)
    replies = [json.loads(line) for line in out.splitlines()]
    result = [r["return"] for r in replies if r.get("return")][0]
    return json.loads(normalise(json.dumps(result)))


def test_query_block_like_qemu():
    make_images()
    args = ["-drive", "file=ov.qcow2,if=none,id=x", "-drive",
            "file=d.img,format=raw,if=none,cache=unsafe,readonly=on",
            "-drive", "if=none,id=empty"]
    e, q = query_block(binary(), args), query_block(qemu_system(), args)
    for device in e + q:
        # What the host allocated depends on the file system.
        device.get("inserted", {}).get("image", {}).pop("actual-size", None)
    assert e == q, (e, q)


BAD_DRIVES = [
    "file=d.img,if=foo", "file=d.img,media=foo",
    "file=d.img,format=raw,index=1,bus=0,unit=0",
    "file=d.img,format=raw,if=ide,unit=5",
    "file=d.img,format=raw,if=none,cache=bogus",
    "file=d.img,format=raw,if=none,bogus=1",
    "file=nope.img,if=none", "file=d.img,format=nope,if=none",
    "file=d.img,format=raw,if=none,readonly=maybe",
    "file=d.img,format=raw,if=none,aio=native",
    "file=d.img,format=raw,if=none,aio=bogus",
    "file=d.img,format=raw,if=none,id=a b",
    "file=d.img,format=raw,if=none,index=x",
    "file=d.img,format=raw,if=none,node-name=a/b",
    "file=d.img,format=raw,if=none,file.locking=maybe",
    "file=d.img,format=raw,if=ide", "file=d.img,format=raw,if=scsi",
]


def test_bad_drives_refused_like_qemu():
    make_images()
    for drive in BAD_DRIVES:
        args = BASE + ["-drive", drive]
        e = subprocess.run([binary()] + args, cwd=SCRATCH, text=True,
                           capture_output=True, timeout=TIMEOUT)
        q = subprocess.run([qemu_system()] + args, cwd=SCRATCH, text=True,
                           capture_output=True, timeout=TIMEOUT)
        assert e.returncode == q.returncode == 1, (drive, e.stderr)
        # QEMU's lines, and at most a hint of emu's after them.
        e_lines = e.stderr.replace("emu-system-arm",
                                   "qemu-system-arm").splitlines()
        q_lines = q.stderr.splitlines()
        assert e_lines[:len(q_lines)] == q_lines, (drive, e.stderr, q.stderr)
    args = BASE + ["-drive", "file=d.img,format=raw,if=none,id=x", "-drive",
                   "file=base.qcow2,if=none,id=x"]
    e = subprocess.run([binary()] + args, cwd=SCRATCH, text=True,
                       capture_output=True, timeout=TIMEOUT)
    assert e.stderr == "emu-system-arm: -drive file=base.qcow2,if=none,id=x:" \
        " Duplicate ID 'x' for drive\n", e.stderr


def test_drive_images_locked_while_running():
    """A writable drive is locked against readers and writers, a read-only
    or snapshot=on one only against writers (emu locks when it opens a
    drive; QEMU when a device takes it: docs/block.md)."""
    make_images()
    for drive, readers_ok in (("file=base.qcow2,if=none", False),
                              ("file=base.qcow2,if=none,readonly=on", True),
                              ("file=base.qcow2,if=none,snapshot=on", True)):
        proc = start(binary(), ["-drive", drive], "-monitor")
        try:
            # Once the monitor answers, the drives are open.
            proc.stdin.write("info block\n")
            proc.stdin.flush()
            while "Cache mode" not in proc.stdout.readline():
                pass
            info = subprocess.run([tool("qemu-img"), "info", "base.qcow2"],
                                  cwd=SCRATCH, capture_output=True,
                                  text=True, timeout=TIMEOUT)
            write = subprocess.run([tool("qemu-io"), "-c", "write 0 512",
                                    "base.qcow2"], cwd=SCRATCH,
                                   capture_output=True, text=True,
                                   timeout=TIMEOUT)
        finally:
            proc.communicate("quit\n", timeout=TIMEOUT)
        assert (info.returncode == 0) == readers_ok, (drive, info.stderr)
        assert 'Failed to get "write" lock' in write.stderr or \
            'Failed to get shared "write" lock' in write.stderr, \
            (drive, write.stderr)
    # After emu is gone, nothing is left locked, and snapshot=on wrote
    # nothing into the image.
    check = subprocess.run([tool("qemu-img"), "check", "base.qcow2"],
                           cwd=SCRATCH, capture_output=True, text=True,
                           timeout=TIMEOUT)
    assert check.returncode == 0, check.stdout



def test_probing_warning_like_qemu():
    # A writable image probed as raw gets QEMU's three lines; one given
    # read-only, one with format=raw and a probed qcow2 get none.
    make_images()
    cases = (["-drive", "file=d.img,if=none"],
             ["-drive", "file=d.img,if=none,readonly=on"],
             ["-drive", "file=d.img,if=none,format=raw"],
             ["-drive", "file=ov.qcow2,if=none"])
    for args in cases:
        said = []
        for program in (binary(), qemu_system()):
            proc = start(program, args, "-monitor")
            _, err = proc.communicate("quit\n", timeout=TIMEOUT)
            said.append((proc.returncode, err))
        assert said[0] == said[1], (args, said)
    proc = start(binary(), cases[0], "-monitor")
    _, err = proc.communicate("quit\n", timeout=TIMEOUT)
    assert err == ("WARNING: Image format was not specified for 'd.img' "
                   "and probing guessed raw.\n"
                   "         Automatically detecting the format is "
                   "dangerous for raw images, write operations on block 0 "
                   "will be restricted.\n"
                   "         Specify the 'raw' format explicitly to remove "
                   "the restrictions.\n"), err


if __name__ == "__main__":
    main(globals())
