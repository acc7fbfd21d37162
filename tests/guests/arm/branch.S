/*
 * Branches: B and BL forwards and backwards, BX, BLX with an immediate
 * and with a register, interworking into and out of Thumb state (also
 * through LDR and LDM of the PC), and Thumb's own branches.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("branch")

    .text
    .arm
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    /* B forwards and backwards */
    mov     r0, #0
    b       2f
1:  add     r0, r0, #1
    b       3f
2:  add     r0, r0, #10
    b       1b
3:  CHECK(r0, 11)
    /* BL: lr = the next instruction */
    bl      get_lr
1:  adr     r1, 1b
    sub     r0, r0, r1
    CHECK(r0, 0)
    /* conditional BL not taken leaves lr */
    mov     lr, #5
    msr     cpsr_f, #0
    bleq    get_lr
    CHECK(lr, 5)
    /* BX to ARM code */
    adr     r1, 1f
    mov     r0, #0
    bx      r1
    mov     r0, #1
1:  CHECK(r0, 0)
    /* BLX immediate into Thumb: lr = next ARM insn, T set */
    mov     r0, #3
    blx     thumb_double
    CHECK(r0, 6)
    /* BLX register into Thumb, with bit 0 set */
    ldr     r3, =thumb_double + 1
    mov     r0, #21
    blx     r3
    CHECK(r0, 42)
    /* BX into Thumb, returning with BX lr */
    ldr     r3, =thumb_double + 1
    mov     r0, #4
    adr     lr, 1f
    bx      r3
1:  CHECK(r0, 8)
    /* LDR pc loads bit 0 into T on ARMv5 */
    ldr     r3, =thumb_double + 1
    str     r3, [sp, #-4]!
    mov     r0, #50
    adr     lr, 1f
    ldr     pc, [sp], #4
1:  CHECK(r0, 100)
    /* Thumb code calling back to ARM with BLX */
    mov     r0, #7
    blx     thumb_calls_arm
    CHECK(r0, 24)
    /* Thumb branches */
    mov     r0, #0
    blx     thumb_branches
    CHECK(r0, 0x1f)
    /* BLX register to ARM code (bit 0 clear) */
    adr     r3, arm_add_ten
    mov     r0, #1
    blx     r3
    CHECK(r0, 11)
    /* MOV pc, lr style return and a computed jump through a table */
    mov     r0, #2
    adr     r1, table
    ldr     pc, [r1, r0, lsl #2]
table:
    .word   bad, bad, 1f, bad
bad:
    ldr     r0, =0xbad
1:  CHECK(r0, 2)
    bl      report
    ldmfd   sp!, {r4-r11, pc}

get_lr:
    mov     r0, lr
    mov     pc, lr

arm_add_ten:
    add     r0, r0, #10
    bx      lr
    .ltorg

    .thumb
    .thumb_func
thumb_double:
    add     r0, r0, r0
    bx      lr

    .thumb_func
thumb_calls_arm:
    push    {lr}
    blx     arm_add_ten
    /* back in Thumb state here: a Thumb add */
    add     r0, r0, #7
    pop     {r1}
    bx      r1

    .thumb_func
thumb_branches:
    mov     r1, #0
    cmp     r1, #0
    beq     1f
    b       9f
1:  add     r0, r0, #1
    cmp     r1, #1
    bne     2f
    b       9f
2:  add     r0, r0, #2
    b       3f
    .align 2
    .space  256
3:  add     r0, r0, #4
    mov     r2, #5
4:  sub     r2, r2, #1
    bgt     4b
    add     r0, r0, #8
    push    {lr}
    bl      thumb_bl_target
    pop     {r1}
    bx      r1
9:  mov     r0, #0
    bx      lr

    .thumb_func
thumb_bl_target:
    add     r0, r0, #16
    bx      lr
