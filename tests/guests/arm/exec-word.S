/*
 * exec_word(word, nzcv): runs one ARM word in a scratch slot with the
 * flags nzcv (and r0-r3, r12 as scratch) and returns how many undefined
 * instruction exceptions it took (0 or 1).  The undefined-instruction
 * vector must be undef_skip_handler (mmu-support.S), which counts in
 * fault_info[6] and resumes after the word.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

    .data
    .align 3
exec_slot:
    .word   0
    bx      lr

    .text
    .arm
    .global exec_word
exec_word:
    stmfd   sp!, {r4, r5, r6, lr}
    ldr     r2, =exec_slot
    str     r0, [r2]
    mov     r4, r1
    bl      sync_code
    ldr     r6, =fault_info
    ldr     r5, [r6, #24]
    msr     cpsr_f, r4
    mov     r0, #0
    mov     r1, #1
    mov     r2, #2
    mov     r3, #3
    mov     r12, #12
    bl      exec_slot
    ldr     r0, [r6, #24]
    sub     r0, r0, r5
    ldmfd   sp!, {r4, r5, r6, pc}
    .ltorg
