# device_add and device_del in HMP and QMP on -M pc: the listings of
# "device_add help" and "device_add DRIVER,help" (those of -device, in
# emu as in QEMU), QEMU 7.2's refusals of what cannot be added or
# removed (each line compared with qemu-system-x86_64's answer), and
# PCI hotplug without a guest (test_pc_hotplug.py has Linux's part).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import subprocess

from emutest import (QMPClient, TIMEOUT, main, need_emulator, qemu_binary,
                     strip_ansi, tempdir, unix_connect)
from emutest import binary as emu_binary

PC = ["-M", "pc", "-display", "none", "-S", "-nodefaults"]


def programs():
    need_emulator("x86_64")
    qemu = qemu_binary("x86_64")
    return [emu_binary("x86_64")] + ([qemu] if qemu else [])


def hmp_session(program, commands, extra=()):
    """What each HMP command printed, in order."""
    script = "".join(c + "\n" for c in commands) + "quit\n"
    proc = subprocess.run([program, *PC, *extra, "-monitor", "stdio"],
                          input=script, capture_output=True, text=True,
                          timeout=TIMEOUT)
    text = strip_ansi(proc.stdout).replace("\r", "")
    # Each answer sits between one prompt and the next.
    parts = re.split(r"\((?:qemu|emu)\) ", text)[1:]
    answers = []
    for part in parts[:len(commands)]:
        answers.append(part.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
                       if "\n" in part else "")
    return answers


def listing(program, args):
    proc = subprocess.run([program, *args], capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_help_lists_what_device_lists():
    for program in programs():
        answers = hmp_session(program, ["device_add help",
                                        "device_add virtio-net-pci,help"])
        assert answers[0] == listing(program, ["-device", "help"]), program
        assert answers[1] == listing(program, ["-device",
                                               "virtio-net-pci,help"])
        assert "virtio-net-pci options:\n" in answers[1]


REFUSALS = [
    ("device_add", "Error: Parameter 'driver' is missing\n"),
    ("device_add foo", "Error: 'foo' is not a valid device model name\n"),
    ("device_add isa-serial,bus=pci.0",
     "Error: Device 'isa-serial' can't go on PCI bus\n"),
    ("device_add e1000,bus=nope", "Error: Bus 'nope' not found\n"),
    ("device_add virtio-net-device",
     "Error: No 'virtio-bus' bus found for device 'virtio-net-device'\n"),
    ("device_add PIIX4_PM",
     "Error: Parameter 'driver' expects a pluggable device type\n"),
    ("device_del nothere", "Error: Device 'nothere' not found\n"),
]


def test_refusals_as_qemu():
    commands = [c for c, _ in REFUSALS]
    expected = [a for _, a in REFUSALS]
    for program in programs():
        answers = hmp_session(program, commands)
        assert answers == expected, (program, answers)


def test_isa_devices_refused():
    """ISA devices cannot come while the machine runs: QEMU's words,
    naming their bus (isa.0)."""
    for program in programs():
        answers = hmp_session(program, ["device_add isa-serial",
                                        "device_add isa-debug-exit"])
        assert answers == ["Error: Bus 'isa.0' does not support "
                           "hotplugging\n"] * 2, (program, answers)


def test_pci_hotplug_without_a_guest():
    """device_add on bus 0 of -M pc plugs at once; device_del waits for
    the guest's eject (there is none: the device stays) and a reset
    finishes it, as QEMU's PIIX4 does; a VGA never comes or goes."""
    commands = ["device_add virtio-net-pci,id=n1", "info pci",
                "device_del e0", "info pci", "system_reset", "info pci",
                "device_add VGA", "device_del v0"]
    for program in programs():
        answers = hmp_session(program, commands,
                              ["-device", "e1000,id=e0", "-device",
                               "VGA,id=v0"])
        functions = [answers[i].count("Bus  0, device") for i in (1, 3, 5)]
        assert functions == [7, 7, 6], (program, functions)
        assert "Ethernet controller: PCI device 1af4:1000" in answers[5]
        assert "8086:100e" not in answers[5], answers[5]
        assert [answers[i] for i in (0, 2, 4, 6, 7)] == [
            "\n", "\n", "\n",
            "Error: Parameter 'driver' expects a pluggable device type\n",
            "Error: Device 'VGA' does not support hotplugging\n"], \
            (program, answers)


def qmp_replies(program):
    path = os.path.join(tempdir(), "qmp")
    proc = subprocess.Popen([program, *PC, "-qmp",
                             f"unix:{path},server=on,wait=off"],
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        qmp = QMPClient(unix_connect(path))
        qmp.negotiate()
        replies = [qmp.cmd("device_del", {"id": "nothere"})[0],
                   qmp.cmd("device_add", {"driver": "virtio-net-device"})[0],
                   qmp.cmd("device_add", {"driver": "foo", "id": "f"})[0],
                   qmp.cmd("device_add", {})[0]]
        qmp.cmd("quit")
        qmp.close()
        proc.wait(TIMEOUT)
        return replies
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_qmp_refusals_as_qemu():
    expected = [
        {"error": {"class": "DeviceNotFound",
                   "desc": "Device 'nothere' not found"}},
        {"error": {"class": "GenericError",
                   "desc": "No 'virtio-bus' bus found for device "
                           "'virtio-net-device'"}},
        {"error": {"class": "GenericError",
                   "desc": "'foo' is not a valid device model name"}},
        {"error": {"class": "GenericError",
                   "desc": "Parameter 'driver' is missing"}},
    ]
    for program in programs():
        assert qmp_replies(program) == expected, program


if __name__ == "__main__":
    main(globals())
