/*
 * check_asm: check_eq() for the CHECK macros of guest.h, keeping the
 * flags (NZCVQ) of the code under test.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .text
    .arm
    .global check_asm
    .type   check_asm, %function
check_asm:
    mrs     r3, cpsr
    stmfd   sp!, {r3, lr}
    bl      check_eq
    ldmfd   sp!, {r3, lr}
    msr     cpsr_f, r3
    bx      lr
