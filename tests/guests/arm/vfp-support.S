/*
 * For vfp.c: user_call(fn) runs fn in user mode and comes back to SVC
 * mode through an SVC whose handler returns to user_call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

    .text
    .arm
    .global user_call
user_call:
    push    {r4-r11, lr}
    ldr     r1, =vector_table
    ldr     r2, [r1, #8]
    push    {r1, r2}
    ldr     r3, =svc_back
    str     r3, [r1, #8]
    mov     r4, r0
    cps     #MODE_USR
    blx     r4
    svc     #1
    @ the handler returns here, in SVC mode on the SVC stack
    pop     {r1, r2}
    str     r2, [r1, #8]
    pop     {r4-r11, pc}

svc_back:
    bx      lr
    .ltorg
