# x86 guests on tcg (the x86 front end of the translator): the firmware
# guests of tests/guests/x86 give the output and exit status they give
# under kvm, device-access logs name the exact instruction, and "info
# registers" prints what QEMU prints for the same guest state.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess
import time

import x86_fp_suite
import x86_insn_suite
from emutest import Skip, binary, main, need_emulator, need_kvm, run, tempdir
from test_microvm import PASSED, guest, symbol, wait_for_file

DEVICES = ["-M", "microvm", "-nodefaults",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]

# smc: the vector of an "int", immediates and an opcode rewritten by the
# store right before them (a stale translation prints the old values).
SMC_OUTPUT = ("real mode: int 40 imm 1234 incs 04\n"
              "real mode: int 41 imm 5678 incs 04\n"
              "protected mode: 11111111 11111112 11111113 11111114\n"
              "protected mode: 22222222 22222223 22222224 22222225\n")

# singlestep: the #DB traps of each check, "EIP offset:DR6 bits".
SINGLESTEP_OUTPUT = (
    "popf sets TF, nop pushf pop push and popf clears it: 01:4000 02:4000 "
    "03:4000 04:4000 0b:4000 0c:4000\n"
    "TF in the image pushf pushed: 1\n"
    # no trap after mov ss (00) and pop ss (04): after the next instead
    "mov ss nop push ss pop ss nop, then TF cleared: 03:4000 04:4000 "
    "06:4000 07:4000 0e:4000 0f:4000\n"
    "int1: 01:0000\n"
    "jmp to a TSS with T set: 00:8000\n"
    "task register: 0028\n")

# Firmware guests: (guest, extra arguments, exit status, serial output),
# as test_microvm.py expects them under kvm.
GUESTS = [
    ("pm32", [], 3, "32-bit protected mode\ntimer interrupt\ntimer masked\n"),
    ("exit", [], 1, ""),
    ("fw16", [], (0x2a << 1) | 1,
     "emu x86 real-mode firmware\nscratch a5 lcr 03\n"),
    ("mmio", [], PASSED, "read 0x00000000 from unassigned memory\n"
     "guest continues\n"),
    ("triple", [], PASSED, "boot 1\nboot 2\nrebooted after the triple fault\n"),
    ("triple", ["-no-reboot"], 0, "boot 1\n"),
    ("pio", [], 1, ""),
    # x87/SSE checks: CR0.TS/EM/MP, CR4.OSFXSR/OSXMMEXCPT/OSXSAVE,
    # alignment, MXCSR, #MF, #XM (QEMU 7.2 misses the last four:
    # docs/x86-tcg.md)
    ("fpu", [], 3,
     'fld1 with TS #07\n'
     'fwait with TS and MP #07\n'
     'addps with TS #07\n'
     'paddb with TS #07\n'
     'fxsave with TS #07\n'
     'fnstsw with TS #07\n'
     'fwait with TS, no MP ok\n'
     'fld1 after clts ok\n'
     'fadd with EM #07\n'
     'addps with EM #06\n'
     'paddb with EM #06\n'
     'fxsave with EM #07\n'
     'addps without OSFXSR #06\n'
     'paddb without OSFXSR ok\n'
     'fxsave without OSFXSR ok\n'
     'movaps misaligned #0d\n'
     'movups misaligned ok\n'
     'fxsave misaligned #0d\n'
     'lddqu misaligned ok\n'
     'ldmxcsr reserved bit #0d\n'
     'divps by zero, ZE unmasked #13\n'
     'mxcsr 1d85\n'
     'divps by zero without OSXMMEXCPT #06\n'
     'divps by zero, masked ok\n'
     'fdivs by zero, ZE unmasked ok\n'
     'fsw b884\n'
     'fwait after it #10\n'
     'fld1 after it #10\n'
     'fnstsw after it ok\n'
     'fwait after fnclex ok\n'
     'xgetbv without OSXSAVE #06\n'
     'OSXSAVE without XSAVE #0d\n'
     'fxrstor ok\n'
     'pi 2168c235\n'
     'fcw 0b7f\n'
     'xmm0 12345678\n'
     'done\n'),
    # stores into the instructions right after them, in the same block
    ("smc", [], 3, SMC_OUTPUT),
    # single-step and the other debug traps, as the SDM has them
    ("singlestep", [], 3, SINGLESTEP_OUTPUT),
]


def run_guest(name, extra=(), accel="tcg"):
    need_emulator("x86_64")
    return run(DEVICES + ["-accel", accel, "-serial", "stdio",
                          "-bios", guest(name)] + list(extra), arch="x86_64")


def run_guest_on_qemu(name, extra=()):
    """(status, serial output) of guest name on qemu-system-x86_64
    -accel tcg, or None where QEMU is not installed."""
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        return None
    want = subprocess.run(
        [qemu, "-M", "microvm,acpi=off", "-accel", "tcg", "-nodefaults",
         "-display", "none", "-device",
         "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial", "stdio",
         "-bios", guest(name)] + list(extra),
        capture_output=True, text=True, timeout=60)
    return want.returncode, want.stdout


def test_firmware_guests_on_tcg():
    for name, extra, status, output in GUESTS:
        got, out, err = run_guest(name, extra)
        assert (got, out) == (status, output), \
            f"{name} {extra}: status {got}, output {out!r}, stderr {err!r}"


def test_self_modifying_code_as_qemu():
    # The stores that rewrite the instructions after them in the block
    # that runs: QEMU's tcg runs what they wrote too.
    want = run_guest_on_qemu("smc")
    if want is None:
        raise Skip("qemu-system-x86_64 is not installed")
    assert want == (3, SMC_OUTPUT), want


A20_OUTPUT = ("port 0x92 at reset reads 00\n"
              "at reset: 1 MiB apart\n"
              "port 0x92 bit 1 clear: wraps\n"
              "port 0x92 reads 00\n"
              "port 0x92 bit 1 set: 1 MiB apart\n"
              "i8042 output port bit 1 clear: wraps\n"
              "i8042 output port bits 1-0 read 01\n"
              "port 0x92 bit 1 set again: 1 MiB apart\n"
              "i8042 output port bit 1 clear again: wraps\n"
              "protected mode: wraps\n")


def test_a20_gate_on_pc_as_qemu():
    # a20 on -M pc: port 0x92 and the i8042's output port switch the A20
    # gate; with it off, addresses wrap at 1 MiB in real and protected
    # mode.  QEMU's tcg prints the same.
    need_emulator("x86_64")
    pc = ["-M", "pc", "-nodefaults", "-display", "none", "-device",
          "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial", "stdio",
          "-bios", guest("a20")]
    status, out, err = run(pc, arch="x86_64")
    assert (status, out) == (3, A20_OUTPUT), (status, out, err)
    qemu = shutil.which("qemu-system-x86_64")
    if qemu:
        want = subprocess.run([qemu, "-accel", "tcg"] + pc,
                              capture_output=True, text=True, timeout=60)
        assert (want.returncode, want.stdout) == (3, A20_OUTPUT), want


# -smp topologies whose APIC IDs leave gaps (threads, or cores x threads
# between sockets, not a power of two) and two without.
TOPOLOGIES = ["3", "6,sockets=2,cores=3", "6,sockets=3,cores=1,threads=2",
              "12,sockets=2,cores=3,threads=2", "6,cores=2,threads=3",
              "4,sockets=2,cores=2"]


def qemu_apic_ids(smp):
    """QEMU's APIC IDs for -smp smp (sockets, cores, threads given or 1;
    a bare count is that many cores, as QEMU 7.2 gives it): each field as
    wide as the bits its count needs."""
    fields = dict(item.split("=") for item in smp.split(",")[1:])
    cpus = int(smp.split(",")[0])
    threads = int(fields.get("threads", 1))
    cores = int(fields.get("cores", cpus // threads
                           // int(fields.get("sockets", 1))))
    width = lambda count: (count - 1).bit_length()
    return [(i // (cores * threads)) << (width(threads) + width(cores)) |
            (i // threads % cores) << width(threads) | i % threads
            for i in range(cpus)]


def test_apic_ids_and_topology_as_qemu():
    # topology on -M pc wakes every processor; each records its local
    # APIC's ID register and CPUID leaves 1, 4, 0xb and 0x80000008: the
    # IDs are QEMU's (with its gaps), and every line, with QEMU's warning
    # for threads on the AMD qemu64, is QEMU's.
    need_emulator("x86_64")
    qemu = shutil.which("qemu-system-x86_64")
    for model in ("kvm64", "qemu64"):
        for smp in TOPOLOGIES:
            args = ["-M", "pc", "-nodefaults", "-display", "none", "-device",
                    "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial",
                    "stdio", "-accel", "tcg", "-cpu", model, "-smp", smp,
                    "-bios", guest("topology")]
            status, out, err = run(args, arch="x86_64", timeout=120)
            ids = qemu_apic_ids(smp)
            assert status == 3 and out.endswith(f"{len(ids):02x} cpus up\n"), \
                (smp, status, out, err)
            assert [int(line[:2], 16) for line in out.splitlines()[:-1]] == \
                ids, (smp, out)
            for line in out.splitlines()[:-1]:
                words = line.split()
                # the ID register, leaf 1's initial ID, 0xb's x2APIC ID
                assert words[0][:2] == words[1][:2] == words[2][:2], line
                assert int(words[0][:2], 16) == int(words[10], 16) == \
                    int(words[14], 16) == int(words[18], 16), line
            if qemu:
                want = subprocess.run([qemu] + args, capture_output=True,
                                      text=True, timeout=120)
                assert (status, out, err) == (
                    want.returncode, want.stdout, want.stderr.replace(
                        "qemu-system-x86_64",
                        binary("x86_64").rsplit("/", 1)[-1])), \
                    (model, smp, out, err, want)


# fpuerr on -M pc: an unmasked x87 exception as #MF with CR0.NE set (the
# faulting instruction's FIP, FDP and FOP in the environment), as FERR#
# on IRQ 13 with CR0.NE clear, answered by an OUT to port 0xf0 (IGNNE#).
FPUERR_OUTPUT = ("ne=1: #MF at the fwait, fsw b884\n"
                 "fip: the fdivs\n"
                 "fdp: its operand\n"
                 "hw: fop 035\n"
                 "1 irq 13 with ne=0, fsw b884\n"
                 "hw: irq 13 returns to the fwait\n"
                 "ignne: fwait went on, fsw b884\n"
                 "1 irq 13 after a masked zero divide\n"
                 "hw: after fnclex, irq 13 2 times, returning to the fld1\n"
                 "done\n")
# On microvm FERR# goes nowhere (as on QEMU's): the error is ignored.
FPUERR_MICROVM_OUTPUT = ("ne=1: #MF at the fwait, fsw b884\n"
                         "fip: the fdivs\n"
                         "fdp: its operand\n"
                         "hw: fop 035\n"
                         "0 irq 13 with ne=0, fsw 0000\n"
                         "hw: irq 13 returns after the fwait\n"
                         "ignne: fwait went on, fsw b884\n"
                         "0 irq 13 after a masked zero divide\n"
                         "hw: after fnclex, irq 13 0 times, returning "
                         "elsewhere\n"
                         "done\n")
# QEMU 7.2 aborts at the first FERR# (an assertion on its global lock,
# fixed after 7.2), so on pc only the CR0.NE lines before it compare.
FPUERR_LINES_BEFORE_FERR = 3
FPUERR_DEVICES = ["-nodefaults", "-display", "none", "-device",
                  "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial", "stdio"]


def sdm_lines(text):
    """The lines of a guest's output where QEMU does as the SDM says."""
    return [line for line in text.splitlines() if not line.startswith("hw:")]


def test_x87_error_pins_on_pc():
    need_emulator("x86_64")
    pc = ["-M", "pc"] + FPUERR_DEVICES + ["-bios", guest("fpuerr")]
    status, out, err = run(pc, arch="x86_64")
    assert (status, out) == (1, FPUERR_OUTPUT), (status, out, err)
    qemu = shutil.which("qemu-system-x86_64")
    if qemu:
        want = subprocess.run([qemu, "-accel", "tcg"] + pc,
                              capture_output=True, text=True, timeout=60)
        first = FPUERR_LINES_BEFORE_FERR
        assert sdm_lines(want.stdout)[:first] == sdm_lines(out)[:first], want


def test_x87_error_pins_unconnected_on_microvm_as_qemu():
    need_emulator("x86_64")
    microvm = FPUERR_DEVICES + ["-bios", guest("fpuerr")]
    status, out, err = run(["-M", "microvm"] + microvm, arch="x86_64")
    assert (status, out) == (1, FPUERR_MICROVM_OUTPUT), (status, out, err)
    qemu = shutil.which("qemu-system-x86_64")
    if qemu:
        want = subprocess.run([qemu, "-accel", "tcg", "-M", "microvm,acpi=off"]
                              + microvm, capture_output=True, text=True,
                              timeout=60)
        assert want.returncode == 1, want
        assert sdm_lines(want.stdout) == sdm_lines(out), want


DEBUGREG_OUTPUT = """\
dr6 after reset ffff0ff0
dr7 after reset 00000400
dr6 after writing 0 ffff0ff0
hw: dr6 after writing ffffffff ffffefff
hw: dr7 after writing 0000dc00 00000400
dr7 with two i/o breakpoints 00e20405
outb 0x80: db 1 at +02 dr6 ffff0ff1
inb 0x80: db 1 at +02 dr6 ffff0ff1
outw 0x7f: db 1 at +03 dr6 ffff0ff1
outb 0x81: db 0
outl 0x7c: db 0
outb dx 0x87: db 1 at +01 dr6 ffff0ff2
inl dx 0x88: db 0
insb 0x80: db 1 at +01 dr6 ffff0ff1
outsw 0x86: db 1 at +02 dr6 ffff0ff2
hw: rep outsb, 3 elements: db 3 at +02 dr6 ffff0ff1
hw: ecx after it 0
hw: outb 0x80 without cr4.de: db 0
hw: mov from dr0 with gd: db 1 at +00 dr6 ffff2ff0
hw: dr7 in the handler 00000400
hw: mov to dr7 with gd: db 1 at +00 dr6 ffff2ff0
dr5 without cr4.de: dr7 00000401
mov from dr4 with cr4.de: vector 06
done
"""


def test_debug_registers():
    # debugreg: DR6/DR7 fixed bits, I/O breakpoints (CR4.DE), general
    # detect, DR4/DR5.  QEMU 7.2 prints the same but for the "hw:" lines
    # (it keeps reserved bits, traps once after a whole rep outs, breaks
    # on R/W 10 without CR4.DE and has no general detect).
    status, out, err = run_guest("debugreg")
    assert (status, out) == (1, DEBUGREG_OUTPUT), (status, out, err)
    want = run_guest_on_qemu("debugreg")
    if want is not None:
        assert want[0] == 1, want
        assert sdm_lines(want[1]) == sdm_lines(out), want


def test_single_step_traps_as_qemu():
    # singlestep: TF set and cleared by popf, pushf of TF, the mov ss and
    # pop ss shadow holding the trap off, int1, the TSS's T bit: as QEMU's
    # tcg but for int1 (QEMU 7.2: #UD) and the T bit (QEMU 7.2 ignores
    # it), where emu does what the SDM says.
    status, out, err = run_guest("singlestep")
    assert (status, out) == (3, SINGLESTEP_OUTPUT), (status, out, err)
    want = run_guest_on_qemu("singlestep")
    assert want in (None, (3, out.replace("int1: 01:0000", " #06\nint1:")
                           .replace("T set: 00:8000", "T set:"))), want


def test_tcg_is_the_default():
    need_emulator("x86_64")
    status, out, err = run(DEVICES + ["-serial", "stdio", "-bios", guest("fw16")],
                           arch="x86_64")
    assert status == (0x2a << 1) | 1, err


def test_accelerator_choice_as_qemu():
    # -accel kvm, fallbacks to tcg, -enable-kvm and info kvm: QEMU's
    # messages and exit status (without /dev/kvm: kvm fails, then either
    # the run ends or it falls back to tcg).
    need_emulator("x86_64")
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")

    def choose(program, args):
        proc = subprocess.run(
            [program, "-M", "pc", "-S", "-nodefaults", "-display", "none",
             "-monitor", "stdio"] + args, input="info kvm\nq\n",
            capture_output=True, text=True, timeout=30)
        kvm = [line for line in proc.stdout.splitlines()
               if line.startswith("kvm support:")]
        return (proc.returncode, kvm,
                proc.stderr.replace(os.path.basename(program), "PROGRAM"))

    fallbacks = (["-accel", "kvm", "-accel", "tcg"],
                 ["-machine", "accel=kvm:tcg"])
    for args in fallbacks + (["-accel", "kvm"], ["-enable-kvm"],
                             ["-machine", "accel=kvm"],
                             ["-accel", "tcg", "-accel", "kvm"],
                             ["-accel", "tcg"], []):
        got = choose(binary("x86_64"), args)
        assert got == choose(qemu, args), (args, got)
        if not os.path.exists("/dev/kvm"):
            assert got[2].endswith("PROGRAM: falling back to tcg\n") == \
                (args in fallbacks), (args, got)


def test_cmos_clock_and_repe_cmpsb():
    # rtc compares two passes over the clock with repe cmpsb.
    status, out, err = run_guest("rtc")
    assert status == PASSED, f"status {status}, output {out!r}, stderr {err!r}"
    assert re.fullmatch(r"rtc \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((bcd|binary), "
                        r"(24h|12h)\)\n", out), out


def test_mmio_log_names_the_instruction():
    log = os.path.join(tempdir(), "emu.log")
    status, out, err = run_guest("mmio", ["-d", "unimp,guest_errors", "-D", log])
    assert status == PASSED, err
    with open(log) as f:
        text = f.read()
    for access, sym in [
            ("unassigned write of size 4 at 0xd0000000, value 0x12345678",
             "write32"),
            ("unassigned write of size 1 at 0xd0000010, value 0xab", "write8"),
            ("unassigned read of size 4 at 0xd0000000", "read32")]:
        expected = f"{access} (pc 0x{symbol('mmio', sym):08x})\n"
        assert expected in text, f"{expected!r} not in {text!r}"


MODES64_OUTPUT = (
    "32-bit protected mode\n"
    "64-bit long mode\n"
    "#PF on IST1 cr2=0000008000000000 err=0002\n"
    "compatibility mode\n"
    "user mode\n"
    "syscall to cpl 0\n"
    "sysret to cpl 3\n"
    "#PF on IST1 cr2=0000000040000000 err=0005\n"
    "int 0x80 from cpl 3 on rsp0\n")


def test_long_mode_transitions_faults_and_system_calls():
    # modes64: real -> protected -> long mode, a not-present #PF on an IST
    # stack, compatibility mode, iretq to CPL 3, syscall/sysretq, a user
    # #PF on a supervisor page, int 0x80 on RSP0.  QEMU's tcg prints the
    # same (checked where it is installed).
    status, out, err = run_guest("modes64")
    assert (status, out) == (PASSED, MODES64_OUTPUT), \
        f"status {status}, output {out!r}, stderr {err!r}"
    want = run_guest_on_qemu("modes64")
    assert want in (None, (PASSED, out)), want


# sys64 with -cpu qemu64,+rdtscp,+fsgsbase: canonical checks, CR8, rdtscp,
# the FS/GS base instructions, far transfers with 64-bit operands and
# 64-bit call gates, sysenter (#UD on AMD's models in long mode).
SYS64_OUTPUT = (
    "64-bit long mode\n"
    "non-canonical load: #GP 0000\n"
    "non-canonical push: #SS 0000\n"
    "non-canonical rbp operand: #SS 0000\n"
    "non-canonical rsi operand: #GP 0000\n"
    "non-canonical jump: #GP 0000\n"
    "unmapped high half: #PF 0000 cr2=ffff800000000000\n"
    "wrmsr non-canonical FS base: #GP 0000\n"
    "mov to dr7 with bit 32 set: #GP 0000\n"
    "cr8 = 5, tpr 50\n"
    "tpr = 0x30, cr8 03\n"
    "cr8 = 0x10: #GP 0000\n"
    "rdtscp: 00012345\n"
    "rdfsbase without CR4.FSGSBASE: #UD\n"
    "CR4.FSGSBASE: set\n"
    "wrfsbase, rdfsbase 123456789abc\n"
    "FS_BASE MSR 123456789abc\n"
    "rdfsbase 32-bit 0000000056789abc\n"
    "wrgsbase non-canonical: #GP 0000\n"
    "rex.w ljmp m16:64 to 00000001\n"
    "rex.w lcall m16:64: called lretq back\n"
    "lcall m16:32 to compatibility mode: in compatibility mode; lret back\n"
    "ljmp through a 64-bit call gate: at cpl 0\n"
    "cpl 3; lcall through a call gate: cpl 0, ss:rsp cs:rip pushed; "
    "lretq to cpl 3\n"
    "sysenter: #UD\n"
    "done\n")

# Where emu does as the SDM says and QEMU 7.2's tcg does not
# (docs/x86-tcg.md): QEMU's line for each of emu's.
SYS64_QEMU_LINES = {
    "non-canonical push: #SS 0000": "non-canonical push: #GP 0000",
    "non-canonical rbp operand: #SS 0000":
        "non-canonical rbp operand: #GP 0000",
    "wrmsr non-canonical FS base: #GP 0000": "wrmsr non-canonical FS base: ok",
    "cr8 = 0x10: #GP 0000": "cr8 = 0x10: ok, tpr 00",
    "wrgsbase non-canonical: #GP 0000": "wrgsbase non-canonical: ok",
}


def test_long_mode_system_instructions():
    need_emulator("x86_64")
    intel = SYS64_OUTPUT.replace(
        "sysenter: #UD\n", "sysenter: cpl 0; sysexitq to cpl 3\n")
    without = (SYS64_OUTPUT.replace("rdtscp: 00012345", "rdtscp: #UD")
               .replace("CR4.FSGSBASE: set\n", "CR4.FSGSBASE: #GP 0000\n"))
    without = re.sub(r"wrfsbase.*\nwrgsbase[^\n]*\n", "", without,
                     flags=re.S)
    for cpu, expected in [("qemu64", without),
                          ("qemu64,+rdtscp,+fsgsbase", SYS64_OUTPUT),
                          ("kvm64,+rdtscp,+fsgsbase", intel)]:
        status, out, err = run_guest("sys64", ["-cpu", cpu])
        assert (status, out) == (3, expected), \
            f"-cpu {cpu}: status {status}, output {out!r}, stderr {err!r}"
        # QEMU 7.2 hangs setting CR4.FSGSBASE without the CPUID bit
        if "fsgsbase" in cpu:
            ours = "".join(SYS64_QEMU_LINES.get(line, line) + "\n"
                           for line in out.splitlines())
            want = run_guest_on_qemu("sys64", ["-cpu", cpu])
            assert want in (None, (3, ours)), want


SYS32_OUTPUT = (
    "32-bit protected mode\n"
    "lar 10: 00c09300\n zf 1\n"
    "lsl 10: ffffffff\n zf 1\n"
    "lsl 28 (tss): 00000067\n zf 1\n"
    "lar 30 (call gate): 00008c00\n zf 1\n"
    "lsl 30 (call gate): 12345678\n zf 0\n"
    "lar 0: zf 0\n"
    "lar beyond the gdt: zf 0\n"
    "lar 1b, 16-bit: fffffa00\n zf 1\n"
    "verr 08: zf 1\n"
    "verw 08: zf 0\n"
    "verw 10: zf 1\n"
    "arpl 10, 13: 0013\n zf 1\n"
    "arpl again: zf 0\n"
    "bound 15 in 10..20: ok\n"
    "bound 25 in 10..20: #05 0000\n"
    "bound -1 in 10..20 (16-bit): #05 0000\n"
    "single-step: 3\n"
    "trap eips: 01\n           06\n           08\n"
    "dr6: ffff4ff0\n"
    "breakpoint: 1\n"
    "at bp_target + 00\n"
    "dr6: ffff0ff1\n"
    "data breakpoints: 4\n"
    "at dw1, dw2, dw3 + 00\n                   00\n                   00\n"
    "rep stosl at dw4 + 00\n"
    "ecx, watched word: 2\n                   00000001\n"
    "dr6: ffff0ff8\n"
    "maskmovq, maskmovdqu:\n"
    " 11031101\n 08110605\n 24112211\n 11271125\n 2c2b2a29\n 30111111\n"
    "ljmp to tss 48: in task b, tr 0048\n"
    "tss 28 type 89\n"
    " back by ljmp; tr 0028\n"
    "tss 48 type 89\n"
    "cr0.ts 1\n"
    "lcall through task gate 50: in task b, link 0028\n"
    "nt 1\n"
    "tss 28 type 8b\n"
    " back by iret; tss 48 type 89\n"
    "nt after iret 0\n"
    "int 0x40 through a task gate: in task c; back by iret; eax 4444\n"
    "task c link 0028\n"
    "ljmp to a busy tss: #0d 0028\n"
    "monitor: #06 0000\n"
    "lcall through a call gate: called lret back\n"
    "cpl 3; lcall through a gate with 2 parameters: cpl 0, parameters "
    "copied; lret 8 to cpl 3\n"
    "ljmp through a gate to cpl 0: #0d 0008\n"
    "verr 10 at cpl 3: zf 0\n"
    "done\n")

# with -cpu qemu64,+monitor: mwait waits for the local APIC's timer
SYS32_MONITOR = ("monitor: ok\n"
                 "mwait with ecx 1: #0d 0000\n"
                 "mwait until the timer: 1\n")


def test_protected_mode_system_instructions():
    # sys32: lar lsl verr verw arpl bound, the trap flag, an instruction
    # breakpoint, data breakpoints, maskmovq/maskmovdqu, task switches
    # (jmp, call through a task gate, int through one, iret with NT),
    # monitor/mwait, call gates (same level; from CPL 3 to CPL 0 with
    # parameters copied to the TSS's stack; a far jump through one to an
    # inner level faults), as QEMU's tcg does them.
    for cpu, expected in [
            ("qemu64", SYS32_OUTPUT),
            ("qemu64,+monitor",
             SYS32_OUTPUT.replace("monitor: #06 0000\n", SYS32_MONITOR))]:
        status, out, err = run_guest("sys32", ["-cpu", cpu])
        assert (status, out) == (3, expected), \
            f"-cpu {cpu}: status {status}, output {out!r}, stderr {err!r}"
        want = run_guest_on_qemu("sys32", ["-cpu", cpu])
        assert want in (None, (3, out)), want


PAGING_OUTPUT = """paging on (PAE, NXE)
read, not present: #0e 0000 cr2 00100000
write, not present: #0e 0002 cr2 00100000
write, read-only, WP clear: written
write, read-only, WP set: #0e 0003 cr2 00100004
fetch, no-execute: #0e 0011 cr2 00100000
fetch, executable: ran
read, reserved bit 51: #0e 0009 cr2 00100000
PTE after a read: 023
PTE after a write: 063
after a CR3 write, global page: c3c3c3c3
after a CR3 write, ordinary page: 22222222
after invlpg, global page: 22222222
after clearing CR4.PGE, global page: c3c3c3c3
PDPTE bit 1 (R/W): #0d 0000
cr3 00020000
PDPTE bit 5 (A): #0d 0000
cr3 00020000
PDPTE bit 63 (NX): #0d 0000
cr3 00020000
PDPTE bit 40: #0d 0000
cr3 00020000
PDPTE not present, bits 1-2 and 5-8: loaded
cr3 00023000
PDPTE with PWT, PCD, bits 9-11: loaded
cr3 00023000
CR4.PGE set, the PDPTE bad: #0d 0000
cr4 00000020
CR0.PG set, the PDPTE bad: #0d 0000
cr0 60010011
CR0.PG set, the PDPTE not present: paging on
"""


def test_page_faults_nx_wp_and_global_pages():
    # paging: #PF error codes and CR2 (not present, WP, NX, a reserved
    # bit), the A and D bits written back, global pages across a CR3
    # write, as QEMU's tcg but for the global page, whose entry QEMU drops
    # at every CR3 write (the SDM lets a global translation outlive it;
    # emu keeps it), and for the reserved bit's error code, where QEMU
    # leaves out P (hardware sets it). Then PAE PDPTEs with reserved bits,
    # #GP(0) at the CR3, CR4 or CR0 write that loads them as the SDM
    # says, where QEMU 7.2 loads them all.
    status, out, err = run_guest("paging")
    assert (status, out) == (3, PAGING_OUTPUT), (status, out, err)
    want = run_guest_on_qemu("paging")
    kept = "after a CR3 write, global page: c3c3c3c3\n"
    walk, pdptes = out.split("PDPTE bit 1")
    assert want is None or (want[0], want[1].split("PDPTE bit 1")[0]) == (
        3, walk.replace(kept, kept.replace("c3c3c3c3", "22222222")).replace(
            "#0e 0009", "#0e 0008")), want


def run_guest_on_kvm(name, extra):
    """run_guest under kvm; Skip when the host's KVM cannot emulate the
    guest (a software hypervisor such as kvm-pvm emulates the guest
    kernel's instructions and lacks some, x87 among them: emu then
    reports the internal error and pauses the VM, as QEMU does)."""
    need_kvm()
    need_emulator("x86_64")
    proc = subprocess.Popen([binary("x86_64")] + DEVICES + [
        "-accel", "kvm", "-serial", "stdio", "-bios", guest(name)] +
        list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    err = ""
    try:
        for line in proc.stderr:
            err += line
            if line.startswith("KVM internal error"):
                raise Skip(f"{name}: the host's KVM cannot run it ({line.strip()})")
        out = proc.stdout.read()
        return proc.wait(timeout=20), out, err
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def same_as_kvm_test(name, extra):
    def test():
        # Where both accelerators run, the guest gives the same on both.
        assert run_guest_on_kvm(name, extra)[:2] == run_guest(name, extra)[:2]
    return test


for _name, _extra, _, _ in GUESTS:
    globals()[f"test_same_as_kvm_{_name}"] = same_as_kvm_test(_name, _extra)


def registers_after_halt(program, name):
    """Runs guest name to its "hlt with interrupts off" and returns the
    "info registers" text (from "CPU#0" to the last XMM line)."""
    serial = os.path.join(tempdir(), f"serial-{os.path.basename(program)}.txt")
    args = [program] + DEVICES + ["-accel", "tcg", "-display", "none",
                                  "-serial", f"file:{serial}",
                                  "-bios", guest(name), "-monitor", "stdio"]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        wait_for_file(serial, "\n")
        # hlt comes a few instructions after the line: let it get there.
        time.sleep(0.5)
        out, err = proc.communicate(b"info registers\nquit\n", timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # (QEMU's monitor edits its line with escapes and ends lines "\r\n")
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out.decode()).replace("\r", "")
    match = re.search(r"CPU#0\n.*XMM0[67]=[^\n]*\n", text, re.S)
    assert match, f"no register dump from {program}: {text!r} {err!r}"
    return match.group(0)


def test_info_registers_as_qemu_prints_them():
    need_emulator("x86_64")
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")
    for name in ["halt", "regs32"]:
        want = registers_after_halt(qemu, name)
        # Hardware (and kvm) mark the TSS busy in TR's cache after ltr,
        # QEMU 7.2 does not (docs/x86-tcg.md): emu does as hardware.
        want = want.replace("00008900 DPL=0 TSS32-avl", "00008b00 DPL=0 TSS32-busy")
        got = registers_after_halt(binary("x86_64"), name)
        assert got == want, f"{name}:\nemu:\n{got}\nqemu:\n{want}"


# -cpu strings whose CPUID (the cpuid guest's leaves: features, caches,
# TLBs, topology), warnings and errors must be QEMU's: models, +x/-x,
# x=on|off, bare x, '_' spellings, features tcg lacks, ambiguous mixes,
# unknown names and values; then -smp topologies (the counts of leaves 1,
# 4, 0xb and 0x80000008, AMD's CmpLegacy, QEMU's warning about threads
# on AMD models).
CPU_OPTIONS = [
    "qemu64", "kvm64",
    "qemu64,+popcnt,-sse2,+x2apic,+vmx,lahf_lm=off,pdpe1gb",
    "kvm64,-lm,sse4_2,nx=off,+nx,sse4-1=on",
    "qemu64,popcnt=on,-popcnt,+ds,fpu=off,3dnow,,+sse4.2",
    "qemu64,-popcnt,popcnt=on,+sse4_2,sse4_2=off,+sse4-1,sse4_1=on",
    "qemu64,+foo", "qemu64,foo=on", "qemu64,popcnt=maybe",
    "qemu64,+popcnt=on",
    "Conroe", "Penryn-v1", "Nehalem", "Westmere", "SandyBridge",
    "IvyBridge-v1", "Haswell-noTSX", "Haswell-v2", "Opteron_G1",
    "Opteron_G2", "Opteron_G3", "Nehalem,+avx,+erms,-sse4.2,aes=on",
    "qemu64,+xsave", "Opteron_G3,+3dnow,-popcnt",
] + [f"{model} -smp {smp}" for model in ("qemu64", "kvm64")
     for smp in ("2", "3", "4,sockets=2,cores=2", "4,cores=2,threads=2",
                 "12,cores=3,threads=4", "8,sockets=2,cores=2,threads=2")]


# The features QEMU 7.2's tcg offers whose instructions emu's translator
# does not run yet: emu drops them with QEMU's warning, so its CPUID is
# QEMU's with them turned off.
TRANSLATOR_LACKS = ["pclmulqdq", "fma", "movbe", "aes", "avx", "f16c",
                    "rdrand", "bmi1", "avx2", "smep", "bmi2", "mpx", "adx",
                    "smap", "pcommit", "clflushopt", "clwb", "3dnowext",
                    "3dnow", "cr8legacy", "abm", "sse4a", "xgetbv1"]


def test_cpuid_and_cpu_flags_as_qemu():
    # On -M pc, where QEMU's unversioned names are their -v1.
    need_emulator("x86_64")
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")
    lacks = re.compile(r"TCG doesn't support requested feature: CPUID\.\S+\.("
                       + "|".join(re.escape(name) for name in TRANSLATOR_LACKS)
                       + r") \[bit \d+\]\n")
    for options in CPU_OPTIONS:
        cpu, *smp = options.split()
        args = ["-M", "pc", "-nodefaults", "-device",
                "isa-debug-exit,iobase=0xf4,iosize=0x04", "-accel", "tcg",
                "-display", "none", "-serial", "stdio"] + smp + [
                    "-bios", guest("cpuid")]
        status, out, err = run(args + ["-cpu", cpu], arch="x86_64")
        want = subprocess.run(
            [qemu] + args + ["-cpu", cpu + "".join(
                ",-" + name for name in TRANSLATOR_LACKS)],
            capture_output=True, text=True, timeout=60)
        # emu's warnings for the features it lacks, in QEMU's words
        dropped = [line for line in err.splitlines(True) if lacks.search(line)]
        want = (want.returncode, want.stdout, want.stderr.replace(
            "qemu-system-x86_64", binary("x86_64").rsplit("/", 1)[-1]))
        got = (status, out, "".join(line for line in err.splitlines(True)
                                    if line not in dropped))
        assert got == want, f"-cpu {options}:\nemu: {got}\nqemu: {want}"
        if cpu in ("SandyBridge", "Westmere"):
            assert any(".aes [bit 25]" in line for line in dropped), err


def test_cpu_help_as_qemu():
    # Every model line emu prints is QEMU's, in QEMU's order; the flags
    # follow under QEMU's heading.
    need_emulator("x86_64")
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")
    status, out, err = run(["-cpu", "help"], arch="x86_64")
    assert status == 0, err
    models, _, flags = out.partition("\nRecognized CPUID flags:\n")
    want = subprocess.run([qemu, "-cpu", "help"], capture_output=True,
                          text=True, timeout=60).stdout
    want_models = want.partition("\nRecognized CPUID flags:\n")[0]
    lines = models.splitlines()
    assert lines[0] == "Available CPUs:" and len(lines) > 20, out
    qemu_lines = want_models.splitlines()
    assert all(line in qemu_lines for line in lines), \
        [line for line in lines if line not in qemu_lines]
    assert sorted(lines, key=qemu_lines.index) == lines, lines
    for line in ("x86 Nehalem               (alias configured by machine type)",
                 "x86 Haswell-noTSX         (alias of Haswell-v2)",
                 "x86 Opteron_G3-v1         AMD Opteron 23xx (Gen 3 Class "
                 "Opteron)"):
        assert line in lines, out
    assert "  3dnow 3dnowext" in flags and " xsaveopt" in flags, flags


def test_machine_check_msrs_as_qemu():
    # msr: MCG_CAP (10 banks, MCG_CTL_P, MCG_SER_P), MCG_STATUS, MCG_CTL,
    # the banks, AMD's SYSCFG, INT_PENDING_MSG, HWCR, DE_CFG and EVNTSEL0,
    # the microcode revision and TSC_AUX read and written as on QEMU's qemu64;
    # past its "-" line, where QEMU 7.2's tcg reads 0 for any MSR and
    # ignores writes to read-only ones, emu raises #GP as hardware does.
    status, out, err = run_guest("msr")
    assert status == 3, (status, out, err)
    common, dash, faults = out.partition("-\n")
    assert common.startswith("00000179: 00000000 0100010a\n"), out
    assert faults == "00000428: #GP\n00000179: #GP\n", out
    want = run_guest_on_qemu("msr")
    assert want is None or want[1].partition("-\n")[0] == common, (want, out)


def build_insn_suite(directory, mode, bits=32, suite=x86_insn_suite):
    """Assembles and links the bits-wide program of suite (x86_insn_suite
    or x86_fp_suite) for mode: a -bios image (guest) or a static Linux
    program (host)."""
    source = os.path.join(directory, f"{mode}{bits}.S")
    obj = os.path.join(directory, f"{mode}{bits}.o")
    elf = os.path.join(directory, f"{mode}{bits}.elf")
    with open(source, "w") as f:
        f.write(suite.generate(mode, bits))
    subprocess.run(["as", "--64", "-o", obj, source], check=True)
    if mode == "host":
        subprocess.run(["ld", "-static", "-e", "_start", "-o", elf, obj],
                       check=True)
        return elf
    image = os.path.join(directory, f"guest{bits}.bin")
    subprocess.run(["ld", "-m", "elf_x86_64", "--build-id=none", "-e",
                    "lm64" if bits == 64 else "pm32",
                    f"-Ttext={x86_insn_suite.link_address(bits):#x}",
                    "-o", elf, obj], check=True)
    subprocess.run(["objcopy", "-O", "binary", "-j", ".text", elf, image],
                   check=True)
    return image


def check_insn_suite(bits):
    need_emulator("x86_64")
    if not all(shutil.which(tool) for tool in ("as", "ld", "objcopy")):
        raise Skip("binutils (as, ld, objcopy) are not installed")
    directory = tempdir()
    host = subprocess.run([build_insn_suite(directory, "host", bits)],
                          capture_output=True, text=True, check=True).stdout
    status, out, err = run(DEVICES + ["-serial", "stdio", "-bios",
                                      build_insn_suite(directory, "guest",
                                                       bits)],
                           arch="x86_64", timeout=600)
    assert status == PASSED, f"status {status}, stderr {err!r}"
    differences = x86_insn_suite.differences(
        x86_insn_suite.parse(host, bits), x86_insn_suite.parse(out, bits),
        bits)
    assert not differences, "\n".join(differences[:40])


def test_instructions_match_the_host():
    # The same pseudo-random instruction cases natively and on tcg, at
    # CPL 3: results, flags, conditions and memory wherever the SDM
    # defines them, and the exceptions (#DE, #GP, #UD, #OF, #BR, #BP,
    # int1's #DB) with the state they leave.
    check_insn_suite(32)


def test_64bit_instructions_match_the_host():
    # The same in a long-mode guest: 64-bit operands, r8-r15, spl..dil,
    # rip-relative memory, 64-bit string instructions.
    check_insn_suite(64)


def test_x87_and_sse_match_the_host():
    # x87, MMX, SSE to SSE4.2 on pseudo-random whole states (NaNs,
    # infinities, denormals, every rounding and precision control,
    # DAZ/FTZ): registers, flags, memory and the fxsave image bit for bit.
    need_emulator("x86_64")
    if not all(shutil.which(tool) for tool in ("as", "ld", "objcopy")):
        raise Skip("binutils (as, ld, objcopy) are not installed")
    directory = tempdir()
    host = subprocess.run([build_insn_suite(directory, "host",
                                            suite=x86_fp_suite)],
                          capture_output=True, text=True, check=True).stdout
    # -cpu max: SSSE3, SSE4.1, SSE4.2 and POPCNT (qemu64 has up to SSE3)
    status, out, err = run(DEVICES + ["-cpu", "max", "-serial", "stdio",
                                      "-bios", build_insn_suite(
                                          directory, "guest",
                                          suite=x86_fp_suite)],
                           arch="x86_64", timeout=600)
    assert status == PASSED, f"status {status}, stderr {err!r}"
    differences = x86_fp_suite.differences(x86_fp_suite.parse(host),
                                           x86_fp_suite.parse(out))
    assert not differences, "\n".join(differences[:40])


if __name__ == "__main__":
    main(globals())
