# The PC's timer through the IOAPIC, as Linux finds it there: the ACPI
# MADT of -M pc overrides ISA IRQ 0 to GSI 2, so the 8254's interrupt
# must arrive on IOAPIC pin 2 (QEMU's routing, and real chipsets'), on
# tcg from emu's devices and on kvm from the in-kernel PIT.  Pins 0 and
# 2 get vectors 0x40 and 0x42, the 8259s are masked, the PIT runs at
# 1 kHz; the guest prints what arrived on each pin and exits.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set COUNTS, 0x2000         # interrupts per vector 0x40-0x4f
    .set IOAPIC, 0xfec00000
    .set EOI, LAPIC + 0xb0

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    INSTALL_VECTOR_STUBS 0x40, 16
    lidt idt_ptr
    xor %eax, %eax
    mov $COUNTS, %edi
    mov $16, %ecx
    rep stosl
    IOAPIC_ONLY

    # Redirection entries 0 and 2 (registers 0x10 and 0x14): edge,
    # fixed, to APIC 0, vectors 0x40 and 0x42.
    movl $0x11, IOAPIC
    movl $0, IOAPIC + 0x10
    movl $0x10, IOAPIC
    movl $0x40, IOAPIC + 0x10
    movl $0x15, IOAPIC
    movl $0, IOAPIC + 0x10
    movl $0x14, IOAPIC
    movl $0x42, IOAPIC + 0x10

    PIT_1KHZ
    sti
    mov $2000000000, %ecx       # until 10 ticks, or give up
1:  cmpl $10, COUNTS + 2 * 4
    jae 2f
    dec %ecx
    jnz 1b
2:  cli
    mov COUNTS + 2 * 4, %ebx
    cmp $10, %ebx
    jb 3f
    mov $s_pin2, %esi
    call puts
3:  mov COUNTS, %ebx
    mov $s_pin0, %esi
    call puts
    call puthex8
    EXIT 0

# Interrupt stubs for vectors 0x40-0x4f, 16 bytes each.
    DEF_VECTOR_STUBS 0x40, 16

common:
    incl COUNTS - 0x40 * 4(,%eax,4)
    movl $0, EOI
    pop %eax
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX_LINE puthex8, putc, 8

idt_ptr:
    .word 0x50 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_pin2:     .asciz "pit on ioapic pin 2: 10 interrupts\n"
s_pin0:     .asciz "ioapic pin 0: interrupts "

    RESET_VECTOR start
