# 32-bit protected mode: from the reset vector, loads a GDT, sets CR0.PE
# and far-jumps to flat 32-bit code, which prints, then takes one timer
# interrupt (IRQ 0 of the PIT through the remapped 8259 and the local
# APIC's LINT0 in virtual-wire mode) in hlt, prints from the handler and
# exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    mov $hello, %esi
    call puts

    # One interrupt gate, vector 0x20.
    mov $timer, %eax
    mov %ax, IDT_BASE + 0x20 * 8
    movw $0x08, IDT_BASE + 0x20 * 8 + 2
    movw $0x8e00, IDT_BASE + 0x20 * 8 + 4
    shr $16, %eax
    mov %ax, IDT_BASE + 0x20 * 8 + 6
    lidt idt_ptr

    LAPIC_VIRTUAL_WIRE
    PIC_REMAP_IRQ0_ONLY
    PIT_1KHZ
    sti
    hlt
    # Only the handler leaves the hlt: nothing else is unmasked.
    mov $unexpected, %esi
    call puts
    EXIT 0x7f

# KVM's instruction emulator (all of CPL0 on kvm-pvm) cannot do a
# protected-mode iret, so the handler drops its frame and carries on.
timer:
    add $12, %esp           # EIP, CS, EFLAGS
    mov $tick, %esi
    call puts
    PIC_EOI
    mov $0xff, %al          # mask the timer again
    out %al, $0x21
    mov $back, %esi
    call puts
    EXIT 1

    DEF_PUTC putc
    DEF_PUTS puts, putc

idt_ptr:
    .word 0x21 * 8 - 1
    .long IDT_BASE
    DEF_GDT
hello:
    .asciz "32-bit protected mode\n"
tick:
    .asciz "timer interrupt\n"
back:
    .asciz "timer masked\n"
unexpected:
    .asciz "hlt ended without the timer\n"

    RESET_VECTOR start
