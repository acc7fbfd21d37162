# SPDX-License-Identifier: GPL-2.0-or-later
# -machine kernel-irqchip=on|off|split (QEMU's sugar for -accel
# kvm,kernel-irqchip=): on tcg any value is accepted and nothing changes,
# as on QEMU; under kvm a wrong value is refused in QEMU's words, and
# kernel-irqchip=off runs the guests of tests/guests/x86 on emu's own
# 8259s, IOAPIC, local APICs and PIT (docs/x86-interrupts.md) with the
# same results as tcg.  The kvm half skips where /dev/kvm is missing.
import platform
import subprocess

from emutest import Skip, binary, kvm_compiled, main, need_emulator, need_kvm, run
from test_microvm import check_smp_output, guest
from test_pc import EXIT_DEVICE, PASSED, PIT_PIN2, need_seabios
from test_x86_irq import (APIC_OUTPUT, PIC_OUTPUT, need_qemu, pic_lines,
                          run_to_marker)

USER_IRQCHIP = "kvm,kernel-irqchip=off"


def outcome(program, args):
    """Exit status and stderr of a run that stops at once (-S, quit),
    the program's name taken out of its messages."""
    proc = subprocess.run([program] + args + ["-nodefaults", "-display",
                                              "none", "-S", "-monitor",
                                              "stdio"],
                          input="quit\n", capture_output=True, text=True,
                          timeout=30)
    err = proc.stderr.replace("qemu-system-x86_64:", "PROG:")
    return proc.returncode, err.replace("emu-system-x86_64:", "PROG:")


def test_options_as_qemu():
    need_emulator("x86_64")
    qemu = need_qemu()
    for args in (
            # tcg: the kvm accelerator's property is never applied.
            ["-accel", "tcg", "-M", "pc,kernel-irqchip=off"],
            ["-accel", "tcg", "-M", "pc,kernel-irqchip=split"],
            ["-accel", "tcg", "-M", "pc,kernel-irqchip=bogus"],
            ["-accel", "tcg", "-M", "microvm,kernel-irqchip=on",
             "-bios", guest("exit")],
            # kvm: a wrong value, before /dev/kvm is opened.
            ["-accel", "kvm", "-M", "pc,kernel-irqchip=bogus"],
            ["-accel", "kvm,kernel-irqchip=bogus"],
            ["-M", "pc,accel=kvm,kernel-irqchip=bogus"],
            ["-M", "pc,accel=kvm:tcg,kernel-irqchip=maybe"],
            ["-M", "pc,smm=bogus"]):
        got, want = outcome(binary("x86_64"), args), outcome(qemu, args)
        if args[-1] == "pc,smm=bogus":
            # emu names the option (QEMU does not for -M's properties).
            got = (got[0], got[1].replace("PROG: -M pc,smm=bogus:", "PROG:"))
        assert got == want, (args, got, want)


def check_pit_on_pin_2(machine, accel):
    """The PC's 8254 reaches IOAPIC pin 2 (tests/guests/x86/pitpin2.S)."""
    need_seabios()
    args = ["-M", machine, "-accel", accel, "-nodefaults", "-display",
            "none", "-serial", "stdio", "-bios", PIT_PIN2] + EXIT_DEVICE
    status, out, err = run(args, "x86_64")
    assert (status, out) == (PASSED, "pit on ioapic pin 2: 10 interrupts\n"
                                     "ioapic pin 0: interrupts 00000000\n"), \
        (status, out, err)


def test_tcg_ignores_it():
    # Still emu's controllers.
    check_pit_on_pin_2("pc,kernel-irqchip=on", "tcg")


def test_split_is_refused_under_kvm():
    # Refused before /dev/kvm is opened.
    need_emulator("x86_64")
    if platform.machine() != "x86_64" or not kvm_compiled():
        raise Skip("no kvm for x86-64 guests in this build")
    status, err = outcome(binary("x86_64"),
                          ["-accel", "kvm", "-M", "pc,kernel-irqchip=split"])
    assert (status, err) == (1, "PROG: -accel kvm: kvm: kernel-irqchip=split "
                                "is not supported by emu yet\nUse "
                                "kernel-irqchip=on (kvm's interrupt "
                                "controllers) or off (emu's).\n"), err


def test_8259_and_8254_on_emu_under_kvm():
    need_kvm()
    serial, (pic,) = run_to_marker(binary("x86_64"), "pic", ["info pic"],
                                   accel=USER_IRQCHIP)
    assert serial == PIC_OUTPUT, serial
    # emu's controllers answer the monitor (kvm's in-kernel ones do not).
    assert pic_lines(pic).startswith("pic1: "), pic


def test_local_apic_and_ioapic_on_emu_under_kvm():
    # The TSC-deadline timer is kvm's MSR, which without kvm's APIC
    # does nothing (QEMU hides the feature): its hw: lines are left out.
    need_kvm()
    serial, (lapic,) = run_to_marker(binary("x86_64"), "apic",
                                     ["info lapic"], extra=["-smp", "2"],
                                     accel=USER_IRQCHIP)

    def same_hardware(text):
        return [line for line in text.splitlines()
                if not line.startswith("hw: tsc-deadline")]
    assert same_hardware(serial) == same_hardware(APIC_OUTPUT), serial
    assert lapic.startswith("dumping local APIC state for CPU 0"), lapic


def test_smp_init_and_sipi_on_emu_under_kvm():
    need_kvm()
    check_smp_output(*run(["-M", "microvm", "-accel", USER_IRQCHIP,
                           "-smp", "2", "-nodefaults"] + EXIT_DEVICE +
                          ["-serial", "stdio", "-bios", guest("smp")],
                          arch="x86_64", timeout=60))


def test_pc_pit_on_pin_2_on_emu_under_kvm():
    need_kvm()
    check_pit_on_pin_2("pc,kernel-irqchip=off", "kvm")


if __name__ == "__main__":
    main(globals())
