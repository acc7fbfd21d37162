# Image files under a running emu (issue 13, item 4): QEMU's image locks
# (a second emu, or qemu-system-arm, cannot open a flash emu writes, nor
# emu one QEMU writes; file.locking=off opts out), a flash file deleted,
# replaced or cut short under emu stops the machine with an I/O error
# and "cont" writes it back whole, and a disk that fills up fails the
# flash operation while the guest keeps seeing what the file holds.
# kill -9 during programming is test_connex.test_flash_survives_kill_9.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess
import time

from emutest import PipeMonitor, Skip, binary, main
from test_connex import (FLASH_SIZE, TIMEOUT, flash_file, guest,
                         guest_args, need_connex, read_flash, scratch_dir)

# "b ." at the reset vector: a guest that runs and never touches the flash.
LOOP = bytes.fromhex("feffffea")


def loop_flash():
    path = flash_file()
    with open(path, "r+b") as f:
        f.write(LOOP)
        # Something to find again after the file is restored.
        f.seek(0x123456)
        f.write(b"acknowledged")
    return path


def flash_args(path, opts=""):
    return ["-M", "connex", "-nodefaults", "-display", "none",
            "-drive", f"if=pflash,format=raw,file={path}{opts}"]


def start_monitor(path, opts=""):
    need_connex()
    return PipeMonitor(flash_args(path, opts))


def second_emu(path, opts=""):
    """Runs another emu on the same flash; returns (status, stderr)."""
    proc = subprocess.run([binary("arm")] + flash_args(path, opts) +
                          ["-S", "-monitor", "none"],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT)
    return proc.returncode, proc.stderr


def emu_runs(path, opts=""):
    mon = start_monitor(path, opts)
    try:
        assert mon.cmd("info status") == "VM status: running\n"
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()


def lock_message(program, path, shared=""):
    return (f"{os.path.basename(program)}: Failed to get {shared}\"write\" "
            f"lock\nIs another process using the image [{path}]?\n")


def wait_status(mon, want):
    """Polls "info status" until it says want (the machine is loaded)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        status = mon.cmd("info status")
        if status == want or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


# ---- locks ----

def test_second_emu_refused():
    path = loop_flash()
    mon = start_monitor(path)
    try:
        status, err = second_emu(path)
        assert status == 1, (status, err)
        assert err == lock_message(binary("arm"), path), err
        # A reader is refused too: the image changes under it.
        status, err = second_emu(path, ",readonly=on")
        assert status == 1, (status, err)
        assert err == lock_message(binary("arm"), path, "shared "), err
        # file.locking=off opts out, as in QEMU.
        emu_runs(path, ",file.locking=off")
        assert mon.cmd("info status") == "VM status: running\n"
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()
    # Once the first emu is gone the image is free.
    emu_runs(path)


def test_bad_locking_value():
    need_connex()
    path = loop_flash()
    status, err = second_emu(path, ",file.locking=maybe")
    assert status == 1, (status, err)
    # QEMU's words, and a hint it does not give.
    assert err == (f"{os.path.basename(binary('arm'))}: -drive "
                   f"if=pflash,format=raw,file={path},file.locking=maybe: "
                   "invalid parameter value: maybe\n"
                   "file.locking is on, off or auto\n"), err


def need_qemu():
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise Skip("qemu-system-arm is not installed")
    return qemu


def test_qemu_refused_by_emu():
    qemu = need_qemu()
    path = loop_flash()
    mon = start_monitor(path)
    try:
        proc = subprocess.run([qemu] + flash_args(path) +
                              ["-S", "-monitor", "none"],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=TIMEOUT)
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        # (after QEMU's warning about the SD card -nodefaults leaves out)
        assert proc.stderr.endswith(lock_message(qemu, path)), proc.stderr
    finally:
        mon.kill()


def locked_bytes(path):
    inode = os.stat(path).st_ino
    with open("/proc/locks") as f:
        return [line for line in f if re.search(rf":{inode} ", line)]


def test_emu_refused_by_qemu():
    qemu = need_qemu()
    path = loop_flash()
    proc = subprocess.Popen([qemu] + flash_args(path) +
                            ["-S", "-monitor", "none"],
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + TIMEOUT
        # QEMU locks in steps; the last is its pflash's write permission.
        while not any(line.endswith(" 100 101\n")
                      for line in locked_bytes(path)):
            assert time.monotonic() < deadline, "QEMU took no lock"
            assert proc.poll() is None, "QEMU exited"
            time.sleep(0.05)
        # QEMU's pflash shares writes; emu does not, so emu is the one
        # that gives up.
        status, err = second_emu(path)
        assert status == 1, (status, err)
        assert err == lock_message(binary("arm"), path, "shared "), err
    finally:
        proc.kill()
        proc.wait()


# ---- the file changes under emu ----

def check_restored(path):
    assert os.path.getsize(path) == FLASH_SIZE
    assert read_flash(path, 0, 4) == LOOP
    assert read_flash(path, 0x123456, 12) == b"acknowledged"


def file_changed_under_emu(change, what):
    path = loop_flash()
    mon = start_monitor(path)
    try:
        assert mon.cmd("info status") == "VM status: running\n"
        change(path)
        assert wait_status(mon, "VM status: paused (io-error)\n") == \
            "VM status: paused (io-error)\n"
        assert mon.cmd("cont") == ""
        assert mon.cmd("info status") == "VM status: running\n"
        check_restored(path)
        status, err = mon.quit()
    finally:
        mon.kill()
    assert status == 0, err
    assert f"{path}: the file was {what} while in use" in err, err
    assert f"the machine is stopped: 'cont' writes the whole flash to " \
        f"{path} again" in err, err
    check_restored(path)


def test_file_truncated_under_emu():
    file_changed_under_emu(lambda path: os.truncate(path, 4096),
                           "cut to 4096 bytes")


def test_file_deleted_under_emu():
    file_changed_under_emu(os.unlink, "deleted")


def test_file_replaced_under_emu():
    def replace(path):
        other = path + ".new"
        with open(other, "wb") as f:
            f.truncate(FLASH_SIZE)
        os.rename(other, path)
    file_changed_under_emu(replace, "deleted")


# ---- disk full ----

def full_tmpfs():
    """A 1 MiB tmpfs with 64 KiB left; returns its directory."""
    if os.geteuid() != 0:
        raise Skip("mounting a small tmpfs to fill needs root")
    directory = scratch_dir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                           directory], capture_output=True, text=True)
    if proc.returncode != 0:
        raise Skip(f"cannot mount a tmpfs: {proc.stderr.strip()}")
    return directory


def fill(directory, leave):
    filler = os.path.join(directory, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(fd, bytes(4096)) == 4096:
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, os.path.getsize(filler) - leave)


def test_disk_full():
    need_connex()
    directory = full_tmpfs()
    try:
        path = os.path.join(directory, "flash.bin")
        with open(path, "wb") as f:
            f.truncate(FLASH_SIZE)
            with open(guest("flash"), "rb") as image:
                f.write(image.read())
        # Room for half of the first erase, none for the second.
        fill(directory, 64 << 10)
        proc = subprocess.run([binary("arm")] + guest_args(path),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=TIMEOUT)
        out = proc.stdout.replace("\r", "")
        # The erase failed and says so (SR5, erase error)...
        erase = re.search(r"^erase SR (0x..)\nerased words not 0xffffffff: "
                          r"(\d+)$", out, re.M)
        assert erase and int(erase.group(1), 16) & 0x20, out
        # ...and what the guest read of the block is what the file holds:
        # the half that fitted is erased, the rest is as it was (zeros).
        block = read_flash(path, 0xf00000, 0x20000)
        not_erased = sum(block[i:i + 4] != b"\xff" * 4
                         for i in range(0x10000, 0x20000, 4))
        assert int(erase.group(2)) == not_erased == 0x4000, (out, not_erased)
        # Programs inside the erased half worked; the guest read back the
        # file's bytes.
        twice = re.search(r"^program twice word 0x(....)$", out, re.M)
        assert twice and read_flash(path, 0xf00020, 2) == \
            int(twice.group(1), 16).to_bytes(2, "little"), out
        # Block 122 could not be erased (no room at all) nor programmed.
        word = re.search(r"^unlocked program SR (0x..) word 0x(....)$", out,
                         re.M)
        assert word and int(word.group(1), 16) & 0x10, out
        assert read_flash(path, 0xf40002, 2) == \
            int(word.group(2), 16).to_bytes(2, "little"), out
        assert proc.returncode == 1, (proc.returncode, out, proc.stderr)
        assert re.search(rf"{re.escape(path)}: write of \d+ bytes at offset "
                         rf"\d+ failed: No space left on device",
                         proc.stderr), proc.stderr
    finally:
        subprocess.run(["umount", directory])


if __name__ == "__main__":
    main(globals())
