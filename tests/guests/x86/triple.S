# Triple fault: counts boots in CMOS RAM byte 0x40 (kept across resets),
# prints "boot N", and on the first boot enters protected mode, loads an
# empty IDT and far-jumps to a selector beyond the GDT: #GP, then #DF,
# then shutdown.  (KVM's emulator, which runs all of CPL0 on kvm-pvm,
# ignores the IDT limit in real mode and cannot emulate a protected-mode
# int3, so this is the way that faults everywhere.)  The machine resets (or, with
# -no-reboot, the emulator exits); the second boot exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set BOOT_COUNT, 0x40
start:
    REAL_MODE_START

    mov $BOOT_COUNT, %al
    out %al, $CMOS_INDEX
    in $CMOS_DATA, %al
    inc %al
    mov %al, %bl
    mov $BOOT_COUNT, %al
    out %al, $CMOS_INDEX
    mov %bl, %al
    out %al, $CMOS_DATA

    mov $(boot - ROMBASE), %si
    call puts
    mov %bl, %al
    add $'0', %al
    call putc
    mov $'\n', %al
    call putc
    cmp $2, %bl
    jae 1f

    ENTER_PM32 pm32
    .code32
pm32:
    lidt empty_idt
    ljmp $0x40, $0
    EXIT 0x7f
    .code16

1:  mov $(again - ROMBASE), %si
    call puts
    EXIT 1

    DEF_PUTC putc
    DEF_PUTS puts, putc

    DEF_GDT
empty_idt:
    .word 0
    .long 0
boot:
    .asciz "boot "
again:
    .asciz "rebooted after the triple fault\n"

    RESET_VECTOR start
