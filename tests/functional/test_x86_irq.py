# SPDX-License-Identifier: GPL-2.0-or-later
# Interrupt controllers and timers in user space (tcg): guests built from
# tests/guests/x86 program the 8259 pair, the 8254 PIT, the local APIC
# and the IOAPIC and print what they observe; the monitor's "info pic",
# "info irq" and "info lapic" are compared with QEMU's for the same
# guest state.
import os
import re
import shutil
import subprocess
import time

from emutest import Skip, binary, main, need_emulator, run, tempdir
from test_microvm import PASSED, check_smp_output, guest, wait_for_file

# QEMU's microvm adds a second IOAPIC on tcg; emu's has one, as kvm's.
QEMU_MACHINE = "microvm,ioapic2=off"


def need_qemu():
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed")
    return qemu


def run_to_marker(program, name, commands, marker="done\n", extra=(),
                  accel="tcg"):
    """Runs guest name until it prints marker, then the monitor commands;
    returns the serial output and each command's output."""
    serial = os.path.join(tempdir(),
                          f"serial-{name}-{os.path.basename(program)}.txt")
    machine = QEMU_MACHINE if "qemu" in os.path.basename(program) else "microvm"
    args = [program, "-M", machine, "-nodefaults", "-accel", accel,
            "-display", "none", "-serial", f"file:{serial}",
            "-bios", guest(name), "-monitor", "stdio"] + list(extra)
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    script = "".join(f"{c}\n" for c in commands) + "quit\n"
    try:
        wait_for_file(serial, marker)
        # The hlt after the marker is a few instructions away.
        time.sleep(0.5)
        out, err = proc.communicate(script.encode(), timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # QEMU's monitor edits its line with escapes and ends lines "\r\n".
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out.decode()).replace("\r", "")
    with open(serial) as f:
        serial_text = f.read()
    # After each prompt: the echoed line, then what the command printed.
    chunks = re.split(r"\((?:qemu|emu)\) ", text)[1:len(commands) + 1]
    results = [chunk[chunk.index("\n") + 1:] for chunk in chunks]
    return serial_text, results


PIC_OUTPUT = """\
pit: 10 ticks taken in hlt
masked: requested, not taken
unmasked: taken at once
isr 01
isr 10
order 20 24
level-triggered irq 4 taken 05
edge-triggered irq 4 taken 01
poll 84
isr 10
auto-eoi: 3 ticks, isr 00
channel 2 counting, out 00
terminal count, port 0x61 21
channel 2 status b0
hw: bcd count with gate low 9999
done
"""
# QEMU's microvm has no port 0x61 (kvm's and the PC's have): the lines
# of the 8259 are compared with QEMU, those of the PIT with the datasheet.
PIC_LINES_AS_QEMU = 11


def pic_lines(text):
    return "".join(line + "\n" for line in text.splitlines()
                   if line.startswith("pic"))


def irq_counts(text):
    # IRQ 0 counts the PIT's edges, which depend on the host's speed.
    return re.sub(r"(?m)^ 0: \d+$", " 0: N", text)


def test_8259_and_8254_guest():
    need_emulator("x86_64")
    serial, (pic, irq) = run_to_marker(binary("x86_64"), "pic",
                                       ["info pic", "info irq"])
    assert serial == PIC_OUTPUT, serial
    assert pic_lines(pic) == (
        "pic1: irr=00 imr=bf isr=00 hprio=0 irq_base=28 rr_sel=0 elcr=0c fnm=0\n"
        "pic0: irr=00 imr=b8 isr=00 hprio=4 irq_base=20 rr_sel=1 elcr=20 fnm=1\n"
    ), pic
    assert re.fullmatch(r"IRQ statistics for isa-i8259:\n 0: \d+\n 4: \d+\n"
                        r"(.|\n)*", irq), irq


def test_8259_as_qemu():
    need_emulator("x86_64")
    qemu = need_qemu()
    want_serial, (want_pic, want_irq) = run_to_marker(
        qemu, "pic", ["info pic", "info irq"])
    got_serial, (got_pic, got_irq) = run_to_marker(
        binary("x86_64"), "pic", ["info pic", "info irq"])
    first = PIC_LINES_AS_QEMU
    assert got_serial.splitlines()[:first] == want_serial.splitlines()[:first]
    # QEMU's PIT timer may run late on a busy host and latch one more
    # IRQ 0 after the guest's ICW1: its IRR is not compared.
    assert (re.sub("irr=..", "irr=", pic_lines(got_pic)) ==
            re.sub("irr=..", "irr=", pic_lines(want_pic))), (got_pic, want_pic)
    i8259 = r"IRQ statistics for isa-i8259:\n(?: ?\d+: \d+\n)*"
    got = re.match(i8259, got_irq).group(0)
    want = re.match(i8259, want_irq).group(0)
    assert irq_counts(got) == irq_counts(want), (got_irq, want_irq)


APIC_OUTPUT = """\
one-shot: 1 interrupt, current count 00000000
one-shot of 1 tick: 1000 times, 1 interrupt each
periodic: 5 interrupts
hw: tsc-deadline: interrupts 00000001
hw: tsc-deadline: deadline after it 00000000
ioapic pin 4 edge: interrupts 00000001
ioapic pin 4 level: interrupts 00000003
redirection entry 4 00008044
ipi 0x50 to cpu 1, answered with 0x51
done
"""
APIC_COMMANDS = ["info lapic", "info lapic 1", "info pic"]


def test_local_apic_and_ioapic_guest():
    need_emulator("x86_64")
    serial, (lapic, lapic1, pic) = run_to_marker(
        binary("x86_64"), "apic", APIC_COMMANDS, extra=["-smp", "2"])
    assert serial == APIC_OUTPUT, serial
    assert "LVTT\t 0x00030040 active-hi edge  masked         periodic     " \
        "Fixed  (vec 64)\n" in lapic, lapic
    assert "\nAPR 0x00 TPR 0x20 DFR 0x0f LDR 0x00 PPR 0x20\n" in lapic, lapic
    assert lapic1.startswith("dumping local APIC state for CPU 1 \n"), lapic1
    assert "  pin 4  0x0000000000018044 dest=0 vec=68  active-hi level " \
        "masked fixed  physical\n" in pic, pic


def without_irr(text):
    # QEMU's PIT runs from power-on (emu's waits to be programmed) and
    # its IOAPIC takes ISA IRQ 0 on pin 2: the requests latched differ.
    return re.sub(r"(?m)^  IRR .*\n", "", re.sub("irr=..", "irr=", text))


def test_local_apic_and_ioapic_as_qemu():
    need_emulator("x86_64")
    qemu = need_qemu()
    want_serial, want = run_to_marker(qemu, "apic", APIC_COMMANDS,
                                      extra=["-smp", "2"])
    got_serial, got = run_to_marker(binary("x86_64"), "apic", APIC_COMMANDS,
                                    extra=["-smp", "2"])
    def same_hardware(text):
        return [line for line in text.splitlines() if not line.startswith("hw:")]
    assert same_hardware(got_serial) == same_hardware(want_serial), \
        (got_serial, want_serial)
    for command, g, w in zip(APIC_COMMANDS, got, want):
        if command == "info pic":
            g, w = without_irr(g), without_irr(w)
        assert g == w, f"{command}:\nemu:\n{g}\nqemu:\n{w}"


def test_smp_wakes_the_ap_with_init_and_sipi():
    # Both vCPU threads run at once: the spinlocks and locked counters of
    # smp.bin hold only if LOCKed instructions are atomic between them.
    need_emulator("x86_64")
    check_smp_output(*run(["-M", "microvm", "-smp", "2", "-nodefaults",
                           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                           "-serial", "stdio", "-bios", guest("smp")],
                          arch="x86_64", timeout=60))

if __name__ == "__main__":
    main(globals())
