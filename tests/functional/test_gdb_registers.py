# The gdb stub's register sets beyond the ARM core: VFP/NEON on
# cortex-a15 (d0-d31, q0-q15, fpscr, fpsid, fpexc) and the x86-64
# description (general, segment, control, x87 and SSE registers), read
# and written with gdb-multiarch in batch mode, the same sessions against
# QEMU 7.2's stub compared line for line, and the target descriptions and
# 'g' packets from a protocol client.
#
# Where QEMU 7.2 reads a register wrongly, emu gives the architectural
# value and the comparison leaves that register out (docs/user-manual.md,
# "Debugging with gdb"): QEMU swaps the halves of q0-q15, reads x87
# registers by physical number instead of as st0 = ST(0), and reads the
# x87 tag word as 0.
#
# The guests: tests/guests/arm/gdbvfp.c (VFP values, then a loop calling
# bump(), which adds 1.0 to d2) and tests/guests/x86/gdbregs.S (long
# mode, known values everywhere, a loop calling bump()).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import socket

from emutest import BUILD_DIR, Skip, binary, main
from test_gdb import Client, free_port, gdb_session, need_gdb, start, \
    stop, wait_listening

ARM_GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm")
X86_GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "x86")
QEMU_ARM = shutil.which("qemu-system-arm")
QEMU_X86 = shutil.which("qemu-system-x86_64")

# What both stubs read alike.
VFP_SESSION = """\
break bump
continue
info registers pc cpsr
p $d0
p $d1
p $d2
p $d16
p/x $d31
p $s0
p $s1
p/x $fpscr
p/x $fpexc
p/x $fpsid
continue
p $d2.f64
set $d5 = 2.5
p $d5
p $s10
set $s11 = -1
p $d5.f64
set $fpscr = 0
p/x $fpscr
info registers d2 fpscr
"""

# The Q registers: QEMU 7.2 swaps their halves, so emu alone.
VFP_Q_SESSION = """\
break bump
continue
p $q0.f64
p/x $q0.u64
set $q3.u32[1] = 7
p $q3.u32
p $d6.u32
p $d7.u32
"""

X86_SESSION = """\
info registers rip
break bump
continue
info registers
p $xmm15.v4_float
p $fs_base
p/x $gs_base
p $cr0
p $cr4
p $efer
x/2i $pc
stepi
info registers rip
set $xmm0.v2_int64[0] = 5
p $xmm0.v2_int64
set $r9 = 0x42
p/x $r9
set $rax = $rax + 1
p/x $rax
set $mxcsr = 0x1f80
p $mxcsr
p/x $fctrl
p/x $fstat
stepi
p $pc
"""

# The x87 stack: QEMU 7.2 reads st0-st7 by physical number and ftag as
# 0, so emu alone.
X86_X87_SESSION = """\
break bump
continue
p $st0
p $st1
p $st2
p/x $ftag
set $st1 = 2.5
p $st1
info float
"""


def guest(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        raise Skip(f"{path} was not built (cross tools missing?)")
    return path


def vfp_args():
    return ["-M", "none", "-cpu", "cortex-a15", "-m", "64M", "-nodefaults",
            "-display", "none", "-device",
            f"loader,file={guest(ARM_GUESTS, 'gdbvfp.bin')},addr=0,"
            "cpu-num=0"]


def x86_args():
    return ["-M", "pc", "-nodefaults", "-display", "none",
            "-bios", guest(X86_GUESTS, "gdbregs.bin")]


def compare(program_name, reference_program, args, elf, script, ours):
    if not reference_program:
        raise Skip(f"{program_name} is not installed (the emu half passed)")
    reference = gdb_session(reference_program, args, elf, script)
    assert ours == reference, \
        f"emu:\n{ours}\n{program_name}:\n{reference}"


def expect_all(out, patterns):
    for expected in patterns:
        assert re.search(expected, out), f"{expected!r} not in:\n{out}"


def test_vfp_session():
    need_gdb()
    elf = guest(ARM_GUESTS, "gdbvfp.elf")
    out = gdb_session(binary("arm"), vfp_args(), elf, VFP_SESSION)
    expect_all(out, [
        r"u64 = 4609434218613702656, f32 = \{0, 1.9375\}, f64 = 1.5\}",
        r"u32 = \{2309737967, 19088743\}",               # d1
        r"u32 = \{18, 18\}",                             # d16
        r"u64 = 0x89abcdef01234567",                     # d31
        r"\$6 = 0\n\$7 = 1.9375\n",                      # s0, s1
        r"\$8 = 0x3c00000\n\$9 = 0x40000000\n\$10 = 0x410430f0\n",
        r"\$11 = 3\n",                                   # d2 after a round
        r"f64 = 2.5\}\n\$13 = 0\n\$14 = -0.0078125\n",  # d5, s10, s11
        r"\$15 = 0x0\n",
        r"fpscr          0x0                 0\n"])
    compare("qemu-system-arm", QEMU_ARM, vfp_args(), elf, VFP_SESSION, out)


def test_vfp_q_registers():
    """q0 is d1:d0 (d0 the low half); a write to q3 lands in d6/d7."""
    need_gdb()
    elf = guest(ARM_GUESTS, "gdbvfp.elf")
    out = gdb_session(binary("arm"), vfp_args(), elf, VFP_Q_SESSION)
    expect_all(out, [
        r"\$1 = \{1.5, 3.5127005640885037e-303\}\n",
        r"\$2 = \{0x3ff8000000000000, 0x123456789abcdef\}\n",
        r"\$3 = \{0, 7, 0, 0\}\n\$4 = \{0, 7\}\n\$5 = \{0, 0\}\n"])


def test_x86_session():
    need_gdb()
    elf = guest(X86_GUESTS, "gdbregs.elf")
    out = gdb_session(binary("x86_64"), x86_args(), elf, X86_SESSION)
    expect_all(out, [
        r"0x000000000000fff0 in \?\? \(\)\nrip            0xfff0",
        r"Breakpoint 1, 0x[0-9a-f]+ in bump \(\)",
        r"rax            0x1111111111111111",
        r"r8             0x88888888888888",
        r"r10            0xfffffffffffffff6  -10",
        r"r15            0xf0f0f0f0f0f0f0f0",
        r"rip            0x[0-9a-f]+ +0x[0-9a-f]+ <bump>",
        r"cs             0x18                24",
        r"gs_base        0x100002000",
        r"cr0            0xe0000011          \[ PG CD NW ET PE \]",
        r"efer           0x500               \[ LMA LME \]",
        r"xmm0           \{v4_float = .*uint128 = "
        r"0xfedcba98765432100123456789abcdef\}",
        r"mxcsr          0x1fa0              \[ PE IM DM ZM OM UM PM \]",
        r"\$1 = \{1, 2, 3, 4\}\n\$2 = 4096\n\$3 = 0x100002000\n",
        r"=> 0x[0-9a-f]+ <bump>:\tincq   0x6000",
        r"rip            0x[0-9a-f]+ +0x[0-9a-f]+ <bump\+8>",
        r"\$7 = \{5, -81985529216486896\}\n\$8 = 0x42\n"
        r"\$9 = 0x1111111111111112\n\$10 = \[ IM DM ZM OM UM PM \]\n"
        r"\$11 = 0x37f\n\$12 = 0x3000\n",
        r"\$13 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <loop\+5>"])
    compare("qemu-system-x86_64", QEMU_X86, x86_args(), elf, X86_SESSION,
            out)


def test_x86_x87_stack():
    """st0 is ST(0), the top of the stack; ftag marks the six empty
    registers; a write to st1 reaches the guest's register."""
    need_gdb()
    elf = guest(X86_GUESTS, "gdbregs.elf")
    out = gdb_session(binary("x86_64"), x86_args(), elf, X86_X87_SESSION)
    expect_all(out, [
        r"\$1 = 3.14159265358979323851\n\$2 = 1\n\$3 = 0\n\$4 = 0xfff\n",
        r"\$5 = 2.5\n",
        r"  R7: Valid   0x4000a000000000000000 \+2.5 *\n"
        r"=>R6: Valid   0x4000c90fdaa22168c235 \+3.141592653589793239 *\n"
        r"  R5: Empty   0x00000000000000000000\n",
        r"Status Word:         0x3000\s.*\n.*TOP: 6",
        r"Tag Word:            0x0fff\n",
        r"Opcode:              0xd9eb\n"])                # fldpi


# ---- the descriptions and 'g' packets, from a client ----

def stub_exchange(program, args, packets):
    """Starts program's stub (-S) and sends packets; their replies."""
    port = free_port()
    proc = start(program, args + ["-gdb", f"tcp::{port}", "-S"])
    try:
        wait_listening(port, proc)
        client = Client(socket.create_connection(("127.0.0.1", port)))
        replies = [client.cmd(p) for p in packets]
        client.sock.close()
    finally:
        stop(proc)
    return replies


def read_target_xml(program, args):
    """target.xml in PacketSize pieces, as gdb reads it."""
    port = free_port()
    proc = start(program, args + ["-gdb", f"tcp::{port}", "-S"])
    xml = b""
    try:
        wait_listening(port, proc)
        client = Client(socket.create_connection(("127.0.0.1", port)))
        while True:
            reply = client.cmd(b"qXfer:features:read:target.xml:%x,fff"
                               % len(xml))
            assert reply[:1] in (b"m", b"l"), reply
            xml += reply[1:]
            if reply[:1] == b"l":
                break
        client.sock.close()
    finally:
        stop(proc)
    return xml.decode()


def test_target_descriptions():
    xml = read_target_xml(binary("arm"), vfp_args())
    for expected in [
            '<feature name="org.gnu.gdb.arm.vfp">',
            '<reg name="d0" bitsize="64" regnum="26" type="neon_d"/>',
            '<reg name="d31" bitsize="64" regnum="57" type="neon_d"/>',
            '<reg name="q15" bitsize="128" regnum="73" type="neon_q"/>',
            '<reg name="fpscr" bitsize="32" regnum="74" type="int" '
            'group="float"/>',
            '<feature name="org.qemu.gdb.arm.vfp-sysregs">',
            '<reg name="fpexc" bitsize="32" regnum="76"']:
        assert expected in xml, f"{expected!r} not in {xml}"
    xml = read_target_xml(binary("x86_64"), x86_args())
    for expected in [
            "<architecture>i386:x86-64</architecture>",
            '<feature name="org.gnu.gdb.i386.core">',
            '<reg name="rip" bitsize="64" regnum="16" type="code_ptr"',
            '<reg name="k_gs_base" bitsize="64" regnum="26"',
            '<reg name="efer" bitsize="64" regnum="32" type="x64_efer"',
            '<reg name="st0" bitsize="80" regnum="33" type="i387_ext"',
            '<reg name="mxcsr" bitsize="32" regnum="65"']:
        assert expected in xml, f"{expected!r} not in {xml}"
    assert len(xml.split("<reg ")) - 1 == 66
    g, ftag = stub_exchange(binary("x86_64"), x86_args(), [b"g", b"p2b"])
    # At reset: 608 bytes, as QEMU's; every register empty in the tag
    # word (0xffff, where QEMU reads 0).
    assert len(g) == 2 * 608, g
    assert ftag == b"ffff0000", ftag
    if QEMU_X86:
        reference, = stub_exchange(QEMU_X86, x86_args(), [b"g"])
        at = 2 * (8 * 16 + 8 + 4 + 6 * 4 + 3 * 8 + 6 * 8 + 8 * 10 + 2 * 4)
        assert g[:at] == reference[:at] and \
            g[at + 8:] == reference[at + 8:], f"{g}\n{reference}"


def test_bad_register_numbers():
    """Registers outside the description are refused, the stub goes on."""
    replies = stub_exchange(binary("x86_64"), x86_args(),
                            [b"p30", b"p42", b"P1b=0100000000000000",
                             b"P12=10000000", b"P12=00f00000", b"p12"])
    # fop is 0; 66 is no register; cr0 and cs take back only the
    # value they hold (a G round trip), not a new one.
    assert replies == [b"00000000", b"E14", b"E14", b"E14", b"OK",
                       b"00f00000"], replies


if __name__ == "__main__":
    main(globals())
