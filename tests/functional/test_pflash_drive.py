# The connex CFI flash on a BlockBackend (issue 10): a qcow2 flash image
# (-drive if=pflash,format=qcow2, or -pflash probing it) and -snapshot for
# the flash.  The guest is the one test_connex runs on a raw file (erase,
# program, buffered write, locking); what it prints and what the image
# holds afterwards must be what the raw file gives, and qemu-img must find
# the qcow2 image clean.  "info block", query-block and the probing
# warning are qemu-system-arm's for the same command line.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib
import json
import os
import re
import shutil
import subprocess

from emutest import Skip, binary, main, strip_ansi
from test_connex import (TIMEOUT, flash_file, need_connex, program,
                         scratch_dir)


def qemu_img(*args):
    tool = shutil.which("qemu-img")
    assert tool, "qemu-img is not installed (Debian: qemu-utils)"
    return subprocess.run([tool] + list(args), capture_output=True,
                          text=True, timeout=TIMEOUT, check=True)


def run(drive, extra=()):
    need_connex()
    proc = subprocess.run([program(), "-M", "connex", "-nodefaults",
                           "-display", "none", "-drive", drive,
                           "-serial", "stdio", "-semihosting"] + list(extra),
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=TIMEOUT)
    return proc.returncode, proc.stdout.replace("\r", ""), proc.stderr


def contents(path):
    with open(path, "rb") as f:
        return f.read()


def raw_run():
    """The guest on a raw flash file: its exit, output and the file."""
    path = flash_file("flash")
    status, out, err = run(f"if=pflash,format=raw,file={path}")
    assert "flash done" in out, (out, err)
    return status, out, contents(path)


def test_qcow2_flash_holds_what_a_raw_one_does():
    status, out, after = raw_run()
    raw = flash_file("flash")
    image = os.path.join(scratch_dir(), "flash.qcow2")
    qemu_img("convert", "-f", "raw", "-O", "qcow2", raw, image)
    got = run(f"if=pflash,format=qcow2,file={image}")
    assert got == (status, out, ""), got
    assert "No errors were found" in qemu_img("check", image).stdout
    back = os.path.join(scratch_dir(), "back.raw")
    qemu_img("convert", "-f", "qcow2", "-O", "raw", image, back)
    assert contents(back) == after


def test_snapshot_leaves_the_flash_file_alone():
    status, out, _ = raw_run()
    path = flash_file("flash")
    before = hashlib.sha256(contents(path)).hexdigest()
    for drive, extra in ((f"if=pflash,format=raw,file={path}",
                          ["-snapshot"]),
                         (f"if=pflash,format=raw,file={path},snapshot=on",
                          [])):
        got = run(drive, extra)
        # The guest saw its writes (it reads them back) ...
        assert got == (status, out, ""), (drive, extra, got)
        # ... and the file did not get them.
        assert hashlib.sha256(contents(path)).hexdigest() == before


def test_qcow2_flash_of_the_wrong_size_refused():
    image = os.path.join(scratch_dir(), "small.qcow2")
    qemu_img("create", "-f", "qcow2", image, "1M")
    status, out, err = run(f"if=pflash,format=qcow2,file={image}")
    assert status == 1, (status, err)
    assert f"{image}: the image is 1048576 bytes, but the flash is " \
        f"16777216 bytes; make it that size with: emu-img resize {image} " \
        "16M" in err, err


def test_pflash_option_probes_a_qcow2_image():
    status, out, after = raw_run()
    image = os.path.join(scratch_dir(), "probed.qcow2")
    qemu_img("convert", "-f", "raw", "-O", "qcow2", flash_file("flash"),
             image)
    need_connex()
    proc = subprocess.run([program(), "-M", "connex", "-nodefaults",
                           "-display", "none", "-pflash", image,
                           "-serial", "stdio", "-semihosting"],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=TIMEOUT)
    assert (proc.returncode, proc.stdout.replace("\r", ""), proc.stderr) == \
        (status, out, ""), proc
    assert "No errors were found" in qemu_img("check", image).stdout


# ---- what the monitor and the user see, as on QEMU ----

def qemu_system():
    tool = shutil.which("qemu-system-arm")
    if not tool:
        raise Skip("qemu-system-arm is not installed")
    return tool


def monitor_session(tool, args, monitor, commands):
    """A stopped connex whose monitor (or QMP) on stdio gets commands;
    returns what it printed and stderr, the tool's name made emu's."""
    proc = subprocess.run([tool, "-M", "connex", "-S", "-nographic",
                           "-serial", "null", monitor, "stdio"] + args,
                          cwd=scratch_dir(), input=commands,
                          capture_output=True, text=True, timeout=TIMEOUT)
    err = proc.stderr.replace(os.path.basename(tool), "emu-system-arm")
    # QEMU warns about the connex devices it has no backend for.
    err = re.sub(r"emu-system-arm: warning: (missing SecureDigital device|"
                 r"nic smc91c111.0 has no peer)\n", "", err)
    return strip_ansi(proc.stdout).replace("\r", ""), err


def pflash_info_block(tool, args):
    """The flash's entry of "info block" (QEMU lists its default drives
    after it) and stderr."""
    out, err = monitor_session(tool, args, "-monitor", "info block\nquit\n")
    assert "info block\n" in out, (tool, out, err)
    text = out.split("info block\n", 1)[1]
    text = re.sub(r"#block\d+", "#blockN", text)
    return re.split(r"\n\n|\((?:qemu|emu)\) ", text)[0].rstrip("\n"), err


def pflash_query_block(tool, args):
    out, _ = monitor_session(tool, args, "-qmp",
                             '{"execute": "qmp_capabilities"}\n'
                             '{"execute": "query-block"}\n'
                             '{"execute": "quit"}\n')
    for line in out.splitlines():
        devices = json.loads(line).get("return")
        if isinstance(devices, list):
            (flash,) = [d for d in devices if d["device"] == "pflash0"]
            # Generated node names and the file's blocks on the host
            # differ from run to run.
            flash["inserted"]["node-name"] = "#block"
            flash["inserted"]["image"].pop("actual-size", None)
            return flash
    raise AssertionError(f"{tool}: no query-block answer in {out}")


def test_info_and_query_block_like_qemu():
    need_connex()
    qemu = qemu_system()
    raw = flash_file("flash")
    image = os.path.join(scratch_dir(), "look.qcow2")
    qemu_img("convert", "-f", "raw", "-O", "qcow2", raw, image)
    for args in (["-pflash", raw],
                 ["-drive", f"if=pflash,format=raw,file={raw}"],
                 ["-drive", f"if=pflash,format=raw,file={raw},readonly=on"],
                 ["-drive", f"if=pflash,file={raw},cache=writethrough"],
                 ["-pflash", image]):
        e, q = pflash_info_block(binary("arm"), args), \
            pflash_info_block(qemu, args)
        assert e == q, (args, e, q)
        assert pflash_query_block(binary("arm"), args) == \
            pflash_query_block(qemu, args), args


if __name__ == "__main__":
    main(globals())
