# Debian's amd64 kernel on the PC (-M pc, the default) under tcg, booted
# through SeaBIOS with -kernel/-initrd/-append (fw_cfg and the linuxboot
# ROM) to a busybox shell on the first serial port: the PIT's interrupt
# where the MADT says (IOAPIC pin 2), typed commands through the 16550,
# the PIIX3's IDE functions probed by ata_piix, and `poweroff -f` ending
# emu through ACPI S5 with exit status 0, as QEMU.
# SPDX-License-Identifier: GPL-2.0-or-later
from emutest import main
from pclinux import PC, amd64_kernel, pc_initramfs


def test_kernel_initrd_to_a_shell_and_poweroff():
    pc = PC(["-accel", "tcg", "-kernel", amd64_kernel(), "-initrd",
             pc_initramfs(), "-append", "console=ttyS0"])
    try:
        # Bus-master IDE after the I/O BAR of the default e1000 (64
        # bytes, placed first by SeaBIOS), as on QEMU.
        for line in ("..TIMER: vector=0x30 apic1=0 pin1=2 apic2=-1 pin2=-1",
                     "ACPI: PM: (supports S0 S5)",
                     "scsi host0: ata_piix",
                     "ata1: PATA max MWDMA2 cmd 0x1f0 ctl 0x3f6 bmdma 0xc040 "
                     "irq 14",
                     "Run /init as init process"):
            assert line in pc.boot, (line, pc.boot)
        # The timer check of the kernel's IOAPIC setup passed on pin 2,
        # rather than falling back to the 8259 (ExtINT).
        assert "8254 timer not connected" not in pc.boot, pc.boot
        assert "as ExtINT IRQ" not in pc.boot, pc.boot
        pc.run("echo typed-$((6*7)); cat /proc/cmdline",
               "typed-42\nconsole=ttyS0\n")
        pc.poweroff()
    finally:
        pc.close()


if __name__ == "__main__":
    main(globals())
