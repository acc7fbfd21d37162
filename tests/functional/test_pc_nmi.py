# The monitor's nmi and QMP's inject-nmi on the PC, as Debian's amd64
# kernel sees them: SeaBIOS programs each local APIC's LINT1 for NMI, the
# NMI arrives there, and the kernel, finding no source in port 0x61,
# reports an unknown NMI and counts it in /proc/interrupts, as on QEMU.
# On ARM both are refused in QEMU's words.
# EMU_TEST_QEMU=1 runs the Linux check on qemu-system-x86_64 (which
# validated it).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re

from emutest import binary, main, qemu_binary, qmp_connect, tempdir
from pclinux import PC, amd64_kernel, pc_initramfs
from test_monitor_views import answers

UNSUPPORTED = "this feature or command is not currently supported"


def nmi_count(pc):
    """The NMIs the guest's CPU 0 took, from /proc/interrupts."""
    text = pc.run("grep NMI: /proc/interrupts", "Non-maskable interrupts\n")
    return int(re.search(r"NMI:\s+(\d+)\s+Non-maskable", text).group(1))


def test_linux_takes_the_monitors_nmis():
    program = "qemu-system-x86_64" \
        if os.environ.get("EMU_TEST_QEMU") == "1" else None
    sock = os.path.join(tempdir(), "qmp.sock")
    pc = PC(["-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
             pc_initramfs(), "-append", "console=ttyS0",
             "-qmp", f"unix:{sock},server=on,wait=off"], program=program)
    try:
        qmp = qmp_connect(sock)
        qmp.negotiate()
        assert nmi_count(pc) == 0
        unknown = re.compile(r"Uhhuh\. NMI received for unknown reason "
                             r"[0-9a-f]{2} on CPU 0\.\n.*Dazed and "
                             r"confused, but trying to continue\n")
        assert qmp.hmp("nmi") == ""
        text = pc.run("sleep 1; echo n''mi-1", "nmi-1\n")
        assert unknown.search(text.replace("\r", "")), text
        assert qmp.cmd("inject-nmi")[0] == {"return": {}}
        text = pc.run("sleep 1; echo n''mi-2", "nmi-2\n")
        assert unknown.search(text.replace("\r", "")), text
        assert nmi_count(pc) == 2
    finally:
        pc.close()


def test_arm_refuses_nmi_as_qemu():
    def script(m):
        return m.qmp.hmp("nmi"), m.qmp.cmd("inject-nmi")[0]
    ours = answers(binary("arm"), ["-M", "virt"], script)
    assert ours == (f"Error: {UNSUPPORTED}\n", {
        "error": {"class": "GenericError", "desc": UNSUPPORTED}}), ours
    qemu = qemu_binary("arm")
    if qemu:
        assert answers(qemu, ["-M", "virt"], script) == ours


if __name__ == "__main__":
    main(globals())
