/*
 * Register allocation across conditional instructions: a value computed
 * before a conditional block and read inside it after other conditional
 * code (the back end once forgot where such a temp lived, and the eorne
 * read garbage).  main returns 0 when r2 has the value the host computes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .syntax unified
    .arm
    .text
    .global main
main:
    push    {r4, lr}
    ldr     r0, =0x60e5f3b4
    ldr     r3, =0xc8bf82db
    mov     r0, r0, ror #27
    add     r0, r0, r0, lsl #29
    add     r3, r0, r3
    tst     r3, #2048
    ldrne   r2, =0x661eaa85
    ldreq   r2, =0x736a947a
    mov     r3, r3, ror #10
    eorne   r2, r2, r3
    addeq   r2, r3, r2
    ldr     r1, =0x3fc7f5fb     @ what the host computes for r2
    cmp     r2, r1
    moveq   r0, #0
    movne   r0, #1
    pop     {r4, pc}
    .ltorg
