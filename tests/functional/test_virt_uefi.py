# UEFI on the virt board: Debian's AAVMF32 (qemu-efi-arm, EDK2's
# ArmVirtQemu for 32-bit ARM) from -bios and from two pflash drives,
# to its shell, answering as on qemu-system-arm for the same command
# line (docs/boards/virt.md, "UEFI").
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import select
import shutil
import subprocess
import time

from emutest import Skip, binary, main, tempdir

AAVMF = "/usr/share/AAVMF"
QEMU = shutil.which("qemu-system-arm")
# EDK2 takes about 15 s to its shell here; the sanitizer build on a
# loaded machine several times that.
BOOT_TIMEOUT = 600
COMMAND_TIMEOUT = 120
# The shell's cursor moves and colours.
ESCAPES = re.compile(r"\x1b\[[0-9;=]*[A-Za-z]")
PROMPT = "Shell> "


def firmware(name="AAVMF32_CODE.fd"):
    path = os.path.join(AAVMF, name)
    if not os.path.exists(path):
        raise Skip(f"{path} is missing (Debian's qemu-efi-arm)")
    return path


class UefiShell:
    """PROGRAM's virt board running EDK2 (ARGS say from where) to the
    UEFI shell's prompt, its console on stdio."""

    def __init__(self, program, args):
        # -nic none: without the default NIC EDK2 tries no network boot
        # before its shell.
        self.proc = subprocess.Popen(
            [program, "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-nic", "none"] + args,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.text = ""
        try:
            self.boot = self.read_until(PROMPT, BOOT_TIMEOUT)
        except BaseException:
            self.close()
            raise

    def read_some(self, deadline):
        """Appends what the emulator printed by DEADLINE; False at its end."""
        left = deadline - time.monotonic()
        if left > 0 and select.select([self.proc.stdout], [], [], left)[0]:
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                return False
            self.text += data.decode("utf-8", "replace")
        return True

    def read_until(self, pattern, timeout):
        """What came up to PATTERN and with it, without the escapes and
        carriage returns; what came after it stays for the next read."""
        deadline = time.monotonic() + timeout
        while pattern not in ESCAPES.sub("", self.text):
            if time.monotonic() > deadline or not self.read_some(deadline):
                raise AssertionError(f"no {pattern!r} in {self.text!r}")
        text, found, self.text = ESCAPES.sub("", self.text).partition(pattern)
        return (text + found).replace("\r", "")

    def cmd(self, line):
        """Types LINE a key at a time, each once the shell echoed the one
        before (the UART's FIFO holds 16), and returns what the command
        printed up to the next prompt."""
        for key in line:
            before = len(self.text)
            self.proc.stdin.write(key.encode())
            self.proc.stdin.flush()
            deadline = time.monotonic() + COMMAND_TIMEOUT
            while len(self.text) == before:
                if time.monotonic() > deadline or not self.read_some(deadline):
                    raise AssertionError(f"no echo of {key!r} in {line!r}")
        self.proc.stdin.write(b"\r")
        self.proc.stdin.flush()
        text = self.read_until(PROMPT, COMMAND_TIMEOUT)
        echo, _, rest = text.partition("\n")
        assert echo.endswith(line), (echo, line)
        return rest[:-len(PROMPT)]

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stdin.close()


def shell_session(program, args, commands):
    """What each of COMMANDS printed in EDK2's shell on PROGRAM."""
    shell = UefiShell(program, args)
    try:
        assert "UEFI Interactive Shell v2.2" in shell.boot, shell.boot
        return [shell.cmd(command) for command in commands]
    finally:
        shell.close()


def compare_with_qemu(args, commands):
    ours = shell_session(binary("arm"), args, commands)
    if QEMU:
        theirs = shell_session(QEMU, args, commands)
        assert ours == theirs, (ours, theirs)
    return ours


def test_shell_from_bios():
    # -bios puts the image into the first flash bank; EDK2 finds no
    # boot option but its shell (no disk, no network) and starts it.
    ours = compare_with_qemu(["-bios", firmware()], ["ver"])
    assert "UEFI v2.70 (EDK II, 0x00010000)\n" in ours[0], ours


def test_variables_in_flash():
    # As distributions start it: the code read-only in bank 0, a copy of
    # the variable store in bank 1.  A non-volatile variable the shell
    # sets is in the store's file after the run (EDK2 programs the
    # flash through the CFI commands) and the next boot reads it back.
    vendor = "12345678-1234-1234-1234-123456789abc"
    outputs = []
    for program in (binary("arm"),) + ((QEMU,) if QEMU else ()):
        store = os.path.join(tempdir(), "vars.fd")
        shutil.copyfile(firmware("AAVMF32_VARS.fd"), store)
        args = ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" +
                firmware(),
                "-drive", "if=pflash,format=raw,unit=1,file=" + store]
        shell_session(program, args, [f"setvar NeonTest -guid {vendor} "
                                      "-nv -bs -rt =0x55AA"])
        with open(store, "rb") as f:
            assert "NeonTest".encode("utf-16-le") in f.read(), program
        outputs.append(shell_session(program, args, [
            f"dmpstore NeonTest -guid {vendor}"]))
    assert outputs[0] == [
        f"Variable NV+RT+BS '{vendor.upper()}:NeonTest' DataSize = 0x02\n"
        "  00000000: AA 55                                            *.U*\n"
    ], outputs[0]
    assert outputs[0] == outputs[-1], outputs


if __name__ == "__main__":
    main(globals())
