# Spins in 64-bit code after printing "spinning in long mode": for the
# monitor's stop, cont and info registers while a vCPU is in KVM_RUN.
# %rax counts iterations; the loop is the two instructions at spin_loop.
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
    ENTER_LONG_MODE lm64

    .code64
lm64:
    lea msg(%rip), %rsi
    call puts
    xor %eax, %eax
    .globl spin_loop
spin_loop:
    inc %rax
    jmp spin_loop

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_GDT
msg:
    .asciz "spinning in long mode\n"

    RESET_VECTOR start
