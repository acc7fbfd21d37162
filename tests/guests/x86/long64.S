# 64-bit long mode: from the reset vector through 32-bit protected mode,
# builds its own page tables (ENTER_LONG_MODE: 2 MiB pages identity-mapping
# the first GiB, and the same GiB again at 1 GiB), sets CR4.PAE, EFER.LME
# and CR0.PG and jumps to 64-bit code.  That code checks the alias,
# prints, takes one timer interrupt through a 64-bit IDT in hlt and exits
# with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set SCRATCH, 0x5000
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    mov $hello32, %esi
    call puts32
    LAPIC_VIRTUAL_WIRE

    ENTER_LONG_MODE lm64

    .code64
lm64:
    mov $0xc0000080, %ecx
    rdmsr
    test $0x400, %eax               # LMA
    jz fail
    # A store through the alias at 1 GiB shows up at its identity address.
    movl $0x600dcafe, 0x40000000 + SCRATCH
    cmpl $0x600dcafe, SCRATCH
    jne fail
    lea hello64(%rip), %rsi
    call puts64

    # One 64-bit interrupt gate, vector 0x20.
    lea timer(%rip), %rax
    mov %ax, IDT_BASE + 0x20 * 16
    movw $0x18, IDT_BASE + 0x20 * 16 + 2
    movw $0x8e00, IDT_BASE + 0x20 * 16 + 4
    shr $16, %rax
    mov %ax, IDT_BASE + 0x20 * 16 + 6
    shr $16, %rax
    mov %eax, IDT_BASE + 0x20 * 16 + 8
    movl $0, IDT_BASE + 0x20 * 16 + 12
    lidt idt_ptr(%rip)

    PIC_REMAP_IRQ0_ONLY
    PIT_1KHZ
    sti
    hlt
fail:
    lea failed(%rip), %rsi
    call puts64
    EXIT 0x7f

# As in pm32.S: no iretq under KVM's emulator, so the handler carries on.
timer:
    mov $0x90000, %rsp
    lea tick(%rip), %rsi
    call puts64
    PIC_EOI
    mov $0xff, %al
    out %al, $0x21
    EXIT 1

    .code32
    DEF_PUTC putc32
    DEF_PUTS puts32, putc32
    .code64
    DEF_PUTC putc64
    DEF_PUTS puts64, putc64

idt_ptr:
    .word 0x21 * 16 - 1
    .quad IDT_BASE
    DEF_GDT
hello32:
    .asciz "32-bit protected mode\n"
hello64:
    .asciz "64-bit long mode, paging on\n"
tick:
    .asciz "timer interrupt in long mode\n"
failed:
    .asciz "long mode check failed\n"

    RESET_VECTOR start
