/*
 * The user-mode side of random.c: enter user mode at a page of random
 * words with random registers, and come back when the page's last word
 * (an SVC with the comment END_SWI) runs, or on a prefetch abort.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

#define END_SWI 0xfedcba

    .bss
    .align 2
saved_svc_sp:
    .space  4

    .text
    .arm
    /* run_user(entry, regs): r0-r12 from regs[0..12] */
    .global run_user
run_user:
    stmfd   sp!, {r4-r11, lr}
    ldr     r2, =saved_svc_sp
    str     sp, [r2]
    mov     lr, r0
    mov     r0, #MODE_USR
    msr     spsr_cxsf, r0
    ldmia   r1, {r0-r12}
    movs    pc, lr

    /* Back in SVC mode, on the stack run_user saved. */
user_done:
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    ldr     sp, =saved_svc_sp
    ldr     sp, [sp]
    ldmfd   sp!, {r4-r11, pc}

    .global random_swi_handler
random_swi_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, [lr, #-4]
    bic     r0, r0, #0xff000000
    ldr     r1, =END_SWI
    cmp     r0, r1
    beq     user_done
    ldr     r0, =fault_info
    ldr     r1, [r0, #28]
    add     r1, r1, #1
    str     r1, [r0, #28]
    ldmfd   sp!, {r0, r1}
    movs    pc, lr

    .global random_pabt_handler
random_pabt_handler:
    ldr     r0, =fault_info
    ldr     r1, [r0, #20]
    add     r1, r1, #1
    str     r1, [r0, #20]
    b       user_done
    .ltorg
