# The gdb stub under kvm (KVM_SET_GUEST_DEBUG): hardware breakpoints in
# the debug registers, single-step, software breakpoints as int3 written
# into guest memory, and the points x86's debug registers cannot hold
# refused with an error.  The gdb-multiarch session is compared line for
# line with the same session against QEMU 7.2 under kvm.
#
# The guest, tests/guests/x86/gdbkvm.S, reaches long mode on microvm and
# loops calling bump().  What a stop at an int3 or a data watchpoint does
# depends on the host's KVM: kvm-pvm (a software hypervisor) fails to
# emulate int3 and never reports data watchpoints, for QEMU as for emu,
# so the sessions use hardware breakpoints and steps, and the software
# breakpoint is checked in guest memory.  Skipped without /dev/kvm.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import socket
import subprocess

from emutest import BUILD_DIR, Skip, binary, main, need_kvm
from test_gdb import Client, free_port, gdb_session, need_gdb, start, \
    stop, wait_listening

X86_GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "x86")
QEMU_X86 = shutil.which("qemu-system-x86_64")

SESSION = """\
hbreak bump
continue
info registers rip
p/x $rbx
stepi
info registers rip
stepi
info registers rip
x/2i $pc
delete
hbreak loop
hbreak *(bump + 8)
continue
continue
p $pc
info breakpoints
delete
stepi
p $pc
"""


def elf():
    path = os.path.join(X86_GUESTS, "gdbkvm.elf")
    if not os.path.exists(path):
        raise Skip(f"{path} was not built")
    return path


def symbol(name):
    listing = subprocess.run(["nm", elf()], check=True, capture_output=True,
                             text=True).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    raise AssertionError(f"{name} not in {elf()}")


def args():
    return ["-M", "microvm", "-accel", "kvm", "-nodefaults", "-display",
            "none", "-bios", elf()[:-len("elf")] + "bin"]


def test_session():
    need_kvm()
    need_gdb()
    out = gdb_session(binary("x86_64"), args(), elf(), SESSION)
    for expected in [
            r"Hardware assisted breakpoint 1 at 0x[0-9a-f]+\n",
            r"Breakpoint 1, 0x[0-9a-f]+ in bump \(\)\n"
            r"rip +0x[0-9a-f]+ +0x[0-9a-f]+ <bump>\n\$1 = 0x1234\n",
            r"rip +0x[0-9a-f]+ +0x[0-9a-f]+ <bump\+8>\n",
            r"rip +0x[0-9a-f]+ +0x[0-9a-f]+ <loop\+5>\n"
            r"=> 0x[0-9a-f]+ <loop\+5>:\tjmp ",
            r"Breakpoint 2, 0x[0-9a-f]+ in loop \(\)\n",
            r"Breakpoint 3, 0x[0-9a-f]+ in bump \(\)\n"
            r"\$2 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <bump\+8>\n",
            r"breakpoint already hit 1 time",
            r"\$3 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <loop\+5>\n"]:
        assert re.search(expected, out), f"{expected!r} not in:\n{out}"
    if QEMU_X86:
        reference = gdb_session(QEMU_X86, args(), elf(), SESSION)
        assert out == reference, f"emu:\n{out}\nqemu-system-x86_64:\n" \
            f"{reference}"


def exchange(program, packets):
    port = free_port()
    proc = start(program, args() + ["-gdb", f"tcp::{port}", "-S"])
    try:
        wait_listening(port, proc)
        client = Client(socket.create_connection(("127.0.0.1", port)))
        replies = [client.cmd(p) for p in packets]
        client.sock.close()
    finally:
        stop(proc)
    return replies


def test_software_breakpoint_in_memory():
    """Z0 writes int3 over the guest's byte, z0 puts it back (as QEMU's
    stub does); vCont? offers steps."""
    need_kvm()
    bump = symbol("bump")
    packets = [b"vCont?", b"m%x,2" % bump, b"Z0,%x,1" % bump,
               b"m%x,2" % bump, b"z0,%x,1" % bump, b"m%x,2" % bump,
               b"z0,%x,1" % bump]
    replies = exchange(binary("x86_64"), packets)
    assert replies[:6] == [b"vCont;c;C;s;S;t", b"48ff", b"OK", b"ccff",
                           b"OK", b"48ff"], replies
    if QEMU_X86:
        assert replies[1:6] == exchange(QEMU_X86, packets)[1:6]


def test_debug_register_limits():
    """Four debug registers; no read-only or unaligned watchpoints."""
    need_kvm()
    replies = exchange(binary("x86_64"), [
        b"Z3,6000,8", b"Z2,6001,4", b"Z2,6000,3", b"Z1,1000,1",
        b"Z1,1001,1", b"Z2,6000,8", b"Z4,6008,4", b"Z1,1002,1",
        b"z1,1000,1", b"Z1,1002,1", b"z2,6000,4", b"z2,6000,8"])
    assert replies == [b"E16", b"E16", b"E16", b"OK", b"OK", b"OK", b"OK",
                       b"E16", b"OK", b"OK", b"E16", b"OK"], replies


if __name__ == "__main__":
    main(globals())
