/*
 * Loops of chained blocks for the irqchain guest, one in ARM and one in
 * Thumb code:
 *
 *     unsigned chain_loop_arm(volatile unsigned *ticks, unsigned until,
 *                             unsigned counts[3]);
 *     unsigned chain_loop_thumb(...);   (same arguments)
 *
 * Each iteration runs three steps, each ending in a branch, so that
 * every step starts a block the translator chains to the one before.
 * Step n adds one to its own counter after checking that it is exactly
 * one behind step 1's: an interrupt that returns into an earlier step
 * (a repeated step) or past a later one (a skipped step) breaks that.
 * The loop ends once *ticks reaches until; it returns 0, or the number
 * of the step that saw the counters out of step.  counts[] gets the
 * three counters either way.
 *
 * Everything sits in one 128-byte-aligned piece so that no branch
 * leaves its 1 KiB page (the translator chains only within a page).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .syntax unified
    .text

    .arm
    .balign 128
    .global chain_loop_arm
    .type chain_loop_arm, %function
chain_loop_arm:
    push    {r4-r8, lr}
    mov     r4, #0
    mov     r5, #0
    mov     r6, #0
arm_step1:
    add     r4, r4, #1
    b       arm_step2
arm_step2:
    sub     r8, r4, #1
    cmp     r5, r8
    movne   r7, #2
    bne     arm_done
    add     r5, r5, #1
    b       arm_step3
arm_step3:
    cmp     r6, r8
    movne   r7, #3
    bne     arm_done
    add     r6, r6, #1
    ldr     r7, [r0]
    cmp     r7, r1
    blo     arm_step1
    mov     r7, #0
arm_done:
    stmia   r2, {r4-r6}
    mov     r0, r7
    pop     {r4-r8, pc}
    .size chain_loop_arm, . - chain_loop_arm

    .thumb
    .balign 128
    .global chain_loop_thumb
    .type chain_loop_thumb, %function
    .thumb_func
chain_loop_thumb:
    push    {r4-r7, lr}
    movs    r4, #0
    movs    r5, #0
    movs    r6, #0
thumb_step1:
    adds    r4, r4, #1
    b       thumb_step2
thumb_step2:
    subs    r3, r4, #1
    cmp     r5, r3
    bne     thumb_fail2
    adds    r5, r5, #1
    b       thumb_step3
thumb_step3:
    cmp     r6, r3
    bne     thumb_fail3
    adds    r6, r6, #1
    ldr     r7, [r0]
    cmp     r7, r1
    blo     thumb_step1
    movs    r7, #0
    b       thumb_done
thumb_fail2:
    movs    r7, #2
    b       thumb_done
thumb_fail3:
    movs    r7, #3
thumb_done:
    stmia   r2!, {r4-r6}
    movs    r0, r7
    pop     {r4-r7, pc}
    .size chain_loop_thumb, . - chain_loop_thumb
