/*
 * The flag readers of the flags test (flags.c): each function runs one
 * flag-setting instruction on r0 and r1 (a and b), then reads the flags
 * one way, with r2 and r3 as further operands, and returns what it saw
 * in r0.  The "_next" forms read them in the next translation block
 * (after a branch), where the translator no longer knows what set them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

    .text
    .arm

    .macro fn name
    .global \name
    .type \name, %function
\name:
    .endm

    /* r0 = the conditions that hold, bit cc for condition cc */
    .macro condmask
    mov     r0, #0
    orreq   r0, r0, #1 << 0
    orrne   r0, r0, #1 << 1
    orrcs   r0, r0, #1 << 2
    orrcc   r0, r0, #1 << 3
    orrmi   r0, r0, #1 << 4
    orrpl   r0, r0, #1 << 5
    orrvs   r0, r0, #1 << 6
    orrvc   r0, r0, #1 << 7
    orrhi   r0, r0, #1 << 8
    orrls   r0, r0, #1 << 9
    orrge   r0, r0, #1 << 10
    orrlt   r0, r0, #1 << 11
    orrgt   r0, r0, #1 << 12
    orrle   r0, r0, #1 << 13
    .endm

    /* The readers, for the flag setter given as op (an instruction on
     * r0 and r1 that writes at most r12). */
    .macro readers name, op:vararg
fn flags_\name\()_mrs               /* MRS in the same block */
    \op
    mrs     r0, cpsr
    bx      lr
fn flags_\name\()_mrs_next          /* MRS in the next block */
    \op
    b       1f
1:  mrs     r0, cpsr
    bx      lr
fn flags_\name\()_swi               /* the SPSR of an exception */
    push    {lr}
    \op
    svc     0
    pop     {pc}
fn flags_\name\()_dabt              /* a load that aborts (r3: where) */
    push    {lr}
    \op
    ldr     r0, [r3]
    pop     {pc}
fn flags_\name\()_cond              /* conditions in the same block */
    \op
    condmask
    bx      lr
fn flags_\name\()_cond_next         /* conditions in the next block */
    \op
    b       1f
1:  condmask
    bx      lr
fn flags_\name\()_branch            /* a conditional branch on C and Z */
    \op
    mov     r0, #1
    bhi     1f
    mov     r0, #0
1:  bx      lr
fn flags_\name\()_movs              /* N and Z rewritten, C and V kept */
    \op
    movs    r12, r2
    condmask
    bx      lr
fn flags_\name\()_carry             /* a shifter carry-out, V kept */
    \op
    movs    r12, r2, lsl #1
    condmask
    bx      lr
fn flags_\name\()_carry_next
    \op
    b       1f
1:  movs    r12, r2, lsl #1
    condmask
    bx      lr
fn flags_\name\()_tst               /* C from a rotated immediate */
    \op
    tst     r2, #0x80000000
    condmask
    bx      lr
fn flags_\name\()_shreg             /* a shift by r3: amount 0 keeps C */
    \op
    movs    r12, r2, lsl r3
    condmask
    bx      lr
fn flags_\name\()_adc               /* r2 + r3 + C */
    \op
    adc     r0, r2, r3
    bx      lr
fn flags_\name\()_adc_next
    \op
    b       1f
1:  adc     r0, r2, r3
    bx      lr
fn flags_\name\()_sbcs              /* the flags of r2 - r3 - !C */
    \op
    sbcs    r12, r2, r3
    condmask
    bx      lr
fn flags_\name\()_rrx               /* C into bit 31 */
    \op
    mov     r0, r2, rrx
    bx      lr
fn flags_\name\()_join              /* a conditional CMN: either flags */
    \op
    cmnne   r2, r3
    condmask
    bx      lr
fn flags_\name\()_msr               /* the flags written by MSR */
    \op
    msr     cpsr_f, r2
    condmask
    bx      lr
    .endm

    readers adds, adds r12, r0, r1
    readers subs, subs r12, r0, r1
    readers rsbs, rsbs r12, r0, r1
    readers cmp, cmp r0, r1
    readers cmn, cmn r0, r1

    /* SVC 0: r0 = the caller's CPSR, back after the SVC */
fn flags_swi_handler
    mrs     r0, spsr
    movs    pc, lr

    /* Data abort: r0 = the aborted code's CPSR, back after the load */
fn flags_dabt_handler
    mrs     r0, spsr
    subs    pc, lr, #4
