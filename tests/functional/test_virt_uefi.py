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

from armmp import armmp_kernel, busybox_initramfs
from emutest import Console, Skip, binary, main, tempdir

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


# What the kernel tells of the firmware it was started by and of the
# SMBIOS tables EDK2 installed from fw_cfg's, then power off.
DMI_INIT = b"""#!/bin/busybox sh
/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin /proc /sys
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "emu-init: $(uname -m)"
cd /sys/class/dmi/id
for f in sys_vendor product_name product_version chassis_vendor; do
    echo "dmi $f: $(cat $f)"
done
echo "cmdline: $(cat /proc/cmdline)"
echo "efi: $(cat /sys/firmware/efi/fw_platform_size 2>&1)"
poweroff -f
"""


class UefiLinux(Console):
    """Debian's armmp kernel and a busybox initramfs with INIT, given to
    EDK2 on PROGRAM (-bios, -kernel, -initrd, -append), up to the init
    script's first line."""

    def __init__(self, program, init):
        kernel = armmp_kernel()
        super().__init__(
            [program, "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-nic", "none",
             "-bios", firmware(), "-kernel", kernel,
             "-initrd", busybox_initramfs(init, kernel=kernel),
             "-append", "console=ttyAMA0 emu-test"],
            lambda: self.out.read_until("emu-init: armv7l\n", BOOT_TIMEOUT))


def linux_through_uefi(program):
    """The lines of Debian's armmp kernel that EDK2 on PROGRAM loaded
    from fw_cfg that tell of the firmware."""
    linux = UefiLinux(program, DMI_INIT)
    try:
        rest = linux.out.read_until("reboot: Power down\n", COMMAND_TIMEOUT)
        assert linux.proc.wait(COMMAND_TIMEOUT) == 0
    finally:
        linux.close()
    text = ESCAPES.sub("", linux.boot + rest)
    return [line for line in text.splitlines()
            if line.startswith(("EFI stub: ", "dmi ", "cmdline: ", "efi: "))
            or "SMBIOS" in line or "DMI:" in line]


def test_linux_from_fw_cfg():
    # With firmware, -kernel, -initrd and -append are the firmware's to
    # load, through fw_cfg: EDK2 starts the kernel with its EFI stub, and
    # the kernel finds the SMBIOS tables QEMU's virt describes.
    ours = linux_through_uefi(binary("arm"))
    for line in ("EFI stub: Booting Linux Kernel...",
                 "dmi product_name: QEMU Virtual Machine",
                 "dmi product_version: virt-7.2",
                 "cmdline: console=ttyAMA0 emu-test initrd=initrd",
                 "EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID "
                 "device path"):
        assert line in ours, (line, ours)
    if QEMU:
        theirs = linux_through_uefi(QEMU)
        strip = re.compile(r"^\[ *[0-9.]+\] ")
        assert [strip.sub("", l) for l in ours] == \
            [strip.sub("", l) for l in theirs], (ours, theirs)


if __name__ == "__main__":
    main(globals())
