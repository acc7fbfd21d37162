# Linux on the Gumstix connex (issue 15): a 6.1 kernel built from
# Debian's linux-source-6.1 with a busybox initramfs (both made once per
# machine by tools/connex-linux/build.sh, which caches them outside the
# build directories) boots from a flash image tools/connex-linux/mkflash.py
# lays out, to a shell on FFUART.  The test types commands into that shell
# and reads their answers, checks the boot log (the delay loop calibrated
# on the OS timer, the StrataFlash found through CFI, no oops when the
# driver probes for a second chip past the end of the flash), and boots
# the same image on qemu-system-arm to compare what the guest sees.
# SPDX-License-Identifier: GPL-2.0-or-later
import atexit
import os
import re
import shutil
import subprocess
import tempfile

from emutest import Skip, Stream, binary, main, tempdir

TOOLS = os.path.join(os.path.dirname(__file__), "..", "..", "tools",
                     "connex-linux")
# Booting takes seconds, but the machine running the suite is shared and
# a sanitizer build runs emu several times slower.
SLOW = 4 if "ASAN_OPTIONS" in os.environ else 1
BOOT_TIMEOUT = 120 * SLOW
COMMAND_TIMEOUT = 30 * SLOW
PROMPT = "connex# "
SCRATCH = tempdir()
atexit.register(shutil.rmtree, SCRATCH, True)
# What the test asks the shell: each answer between two markers, written
# so that the shell's echo of the command line does not contain them.
COMMANDS = {
    "uname": "uname -s -r -m",
    "cpuinfo": "cat /proc/cpuinfo",
    "mtd": "cat /proc/mtd",
    "echo": "echo hello from connex",
}
_flash = None
_boots = {}


def flash_image():
    """The flash image, built (kernel and initramfs from the cache) once
    per run; skips when the machine lacks what building it needs."""
    global _flash
    if _flash:
        return _flash
    proc = subprocess.run([os.path.join(TOOLS, "build.sh")],
                          capture_output=True, text=True)
    if proc.returncode == 2:
        raise Skip(proc.stderr.strip().splitlines()[-1])
    assert proc.returncode == 0, f"build.sh failed:\n{proc.stderr[-4000:]}"
    built = proc.stdout.strip()
    path = os.path.join(SCRATCH, "flash.bin")
    subprocess.run([os.path.join(TOOLS, "mkflash.py"),
                    os.path.join(built, "zImage"),
                    os.path.join(built, "initramfs.cpio.gz"), path],
                   check=True)
    _flash = path
    return path


def boot(program):
    """Boots the kernel on PROGRAM to its shell and runs COMMANDS there;
    returns (boot log, {name: answer}), once per program."""
    if program in _boots:
        return _boots[program]
    flash = flash_image()
    proc = subprocess.Popen(
        [program, "-M", "connex", "-nodefaults", "-display", "none",
         "-drive", f"if=pflash,format=raw,file={flash}",
         "-serial", "stdio"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out = Stream(proc.stdout.fileno(), drop_cr=True)
        log = out.read_until(PROMPT, BOOT_TIMEOUT)
        answers = {}
        for name, command in COMMANDS.items():
            proc.stdin.write(f"echo '<'{name}; {command}; echo {name}'>'\n"
                             .encode())
            proc.stdin.flush()
            out.read_until(f"<{name}\n", COMMAND_TIMEOUT)
            answers[name] = out.read_until(f"{name}>\n",
                                           COMMAND_TIMEOUT)[:-len(name) - 2]
            out.read_until(PROMPT, COMMAND_TIMEOUT)
    finally:
        proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            pipe.close()
    _boots[program] = (log, answers)
    return log, answers


def qemu():
    program = shutil.which("qemu-system-arm")
    if not program:
        raise Skip("qemu-system-arm is not installed")
    return program


def test_boots_to_shell():
    log, answers = boot(binary("arm"))
    assert "Linux version 6.1." in log, log
    assert "\nMachine: Gumstix\n" in log, log
    assert "connex-linux: init is running" in log, log
    assert answers["echo"] == "hello from connex\n", answers
    assert re.fullmatch(r"Linux 6\.1\.\d+ armv5tel\n", answers["uname"]), \
        answers
    assert "model name\t: XScale-PXA255 rev 0 (v5l)\n" in answers["cpuinfo"], \
        answers


def test_no_oops():
    log, _ = boot(binary("arm"))
    for bad in ("Oops", "Internal error", "external abort", "Kernel panic",
                "Unable to handle"):
        assert bad not in log, log


def test_timer_calibrates_delay_loop():
    # calibrate_delay counts loops between OS-timer ticks: with ticks
    # lost or interrupts returning to the wrong block it never finishes.
    log, _ = boot(binary("arm"))
    assert re.search(r"^Calibrating delay loop\.\.\. \d+\.\d+ BogoMIPS "
                     r"\(lpj=\d+\)$", log, re.M), log


def test_flash_found_through_cfi():
    log, answers = boot(binary("arm"))
    # The IDs are the datasheet's (QEMU's connex flash reports 0).
    assert "Found 1 x16 devices at 0x0 in 16-bit bank. Manufacturer ID " \
        "0x000089 Chip ID 0x000018\nIntel/Sharp Extended Query Table " \
        "at 0x0031\n" in log, log
    # One chip only: the probe of a second one at 0x01000000 (past the
    # flash, where connex ignores the failed access) finds nothing.
    assert answers["mtd"] == ('dev:    size   erasesize  name\n'
                              'mtd0: 00040000 00020000 "Bootloader"\n'
                              'mtd1: 00fc0000 00020000 "rootfs"\n'), answers


def comparable(text):
    """What two boots must agree on: not the BogoMIPS figures (they
    measure the host), not where the initramfs unpacking, which runs
    alongside, shows in the log, and not the flash IDs, which QEMU
    reports as 0 and emu as the datasheet says."""
    text = re.sub(r"\d+\.\d+ BogoMIPS \(lpj=\d+\)", "BogoMIPS", text)
    text = re.sub(r"^(BogoMIPS\s*: )\d+\.\d+$", r"\1N", text, flags=re.M)
    text = text.replace("Unpacking initramfs...\n", "")
    return re.sub(r"Manufacturer ID 0x\w+ Chip ID 0x\w+", "IDs", text)


def test_same_as_qemu():
    emu_log, emu_answers = boot(binary("arm"))
    qemu_log, qemu_answers = boot(qemu())
    assert comparable(emu_log) == comparable(qemu_log), (emu_log, qemu_log)
    for name in COMMANDS:
        assert comparable(emu_answers[name]) == \
            comparable(qemu_answers[name]), \
            (name, emu_answers[name], qemu_answers[name])


if __name__ == "__main__":
    main(globals())
