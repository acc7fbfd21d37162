# The PC's PS/2 mouse as Debian's amd64 kernel sees it: psmouse probes
# the i8042's aux port (reset, the IntelliMouse knocks) and finds an
# ImExPS/2 mouse on IRQ 12, as on QEMU; motion and buttons sent with
# the monitor's mouse_move and mouse_button come out of /dev/input/mice
# as the packets QEMU's give; `info mice` reads as QEMU's.
# EMU_TEST_QEMU=1 runs the Linux checks on qemu-system-x86_64 (which
# validated them; a second Linux boot in every run would not fit the
# time limit on a loaded machine).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import time

from emutest import Skip, binary, main, qmp_connect, tempdir
from pclinux import PC, amd64_kernel, need_pc, pc_initramfs
from vgascreen import Machine

MOUSE_MODULES = ("drivers/input/mouse/psmouse.ko",)
QEMU = "qemu-system-x86_64"
MOUSE_NAME = 'N: Name="ImExPS/2 Generic Explorer Mouse"'


def mouse_session(program=None):
    """Boots PROGRAM (emu by default) with the mouse driver; returns the
    guest's view of its input devices, the bytes /dev/input/mice gave
    for a move and a click, and `info mice`."""
    sock = os.path.join(tempdir(), "qmp.sock")
    pc = PC(["-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
             pc_initramfs(MOUSE_MODULES), "-append", "console=ttyS0",
             "-qmp", f"unix:{sock},server=on,wait=off"], program=program)
    try:
        qmp = qmp_connect(sock)
        qmp.negotiate()
        # psmouse probes in the background: up to 20 s for the mouse.
        devices = pc.run("for i in $(seq 100); do grep -q serio1 "
                         "/proc/bus/input/devices && break; sleep 0.2; "
                         "done; cat /proc/bus/input/devices; "
                         "echo dev''ices-end", "devices-end\n")
        mice = qmp.hmp("info mice")
        # The reader opens /dev/input/mice before the events come.
        pc.run("dd if=/dev/input/mice bs=3 count=3 2>/dev/null | "
               "hexdump -v -e '3/1 \"%02x \" \"\\n\"' > /packets & "
               "sleep 1; echo rea''dy", "ready\n")
        for line in ("mouse_move 10 20", "mouse_button 1", "mouse_button 0"):
            assert qmp.hmp(line) == "", line
            time.sleep(0.2)
        packets = pc.run("wait; cat /packets; echo pack''ets-end",
                         "packets-end\n")
        return devices, packets, mice
    finally:
        pc.close()


def test_psmouse_finds_the_mouse_and_reads_its_packets():
    on_qemu = os.environ.get("EMU_TEST_QEMU") == "1"
    devices, packets, mice = mouse_session(QEMU if on_qemu else None)
    assert MOUSE_NAME in devices, devices
    assert "P: Phys=isa0060/serio1/input0" in devices, devices
    # Motion right and down (PS/2's y grows upwards), left button down,
    # up: mousedev's three-byte packets.
    assert "\n28 0a ec\n09 00 00\n08 00 00\npackets-end" in packets, packets
    assert mice == "* Mouse #2: QEMU PS/2 Mouse\n", mice


MONITOR_SCRIPT = ("info mice", "mouse_set 7", "mouse_set 2",
                  "mouse_move 5 -3 1", "mouse_button 7", "mouse_button 0",
                  "help mouse_move", "help mouse_set", "help info mice")


def monitor_replies(program):
    m = Machine(program, ["-S", "-display", "none", "-nodefaults"])
    try:
        return [m.hmp(line) for line in MONITOR_SCRIPT]
    finally:
        m.close()


def test_monitor_mouse_commands_as_qemu():
    need_pc()
    replies = monitor_replies(binary("x86_64"))
    assert replies[:2] == ["* Mouse #2: QEMU PS/2 Mouse\n",
                           "Mouse at index '7' not found\n"], replies
    if not shutil.which(QEMU):
        raise Skip(f"{QEMU} is not installed")
    assert monitor_replies(QEMU) == replies


if __name__ == "__main__":
    main(globals())
