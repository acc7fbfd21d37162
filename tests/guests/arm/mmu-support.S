/*
 * MMU helpers and exception handlers for the guests that run with the
 * MMU on (mmu.c, random.c): turning it on and off, TLB and cache
 * maintenance, and handlers that record a fault in fault_info and carry
 * on after it.
 *
 * fault_info: [0] lr of the last exception, [1] DFSR, [2] FAR,
 * [3] data aborts, [4] where a prefetch abort resumes, [5] prefetch
 * aborts, [6] undefined instructions, [7] SWIs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

    .bss
    .align 2
    .global fault_info
fault_info:
    .space  32

    .text
    .arm
    /* mmu_on(ttb, dacr) */
    .global mmu_on
mmu_on:
    mcr     p15, 0, r0, c2, c0, 0
    mcr     p15, 0, r1, c3, c0, 0
    mov     r0, #0
    mcr     p15, 0, r0, c8, c7, 0
    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #1
    mcr     p15, 0, r0, c1, c0, 0
    /* XScale: a CP15 write takes effect once CP15 has been read back */
    mrc     p15, 0, r0, c2, c0, 0
    mov     r0, r0
    sub     pc, pc, #4
    bx      lr

    .global mmu_off
mmu_off:
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #1
    mcr     p15, 0, r0, c1, c0, 0
    mrc     p15, 0, r0, c2, c0, 0
    mov     r0, r0
    sub     pc, pc, #4
    bx      lr

    .global tlb_flush_all
tlb_flush_all:
    mov     r0, #0
    mcr     p15, 0, r0, c8, c7, 0
    bx      lr

    /* tlb_flush_one(va) */
    .global tlb_flush_one
tlb_flush_one:
    mcr     p15, 0, r0, c8, c7, 1
    bx      lr

    /* After writing code: clean the data cache, drain the write buffer
     * and invalidate the instruction cache, as ARMv5 wants. */
    .global sync_code
sync_code:
    mov     r0, #0
    mcr     p15, 0, r0, c7, c10, 4
    mcr     p15, 0, r0, c7, c5, 0
    bx      lr

    .global set_dacr
set_dacr:
    mcr     p15, 0, r0, c3, c0, 0
    bx      lr

    /* probe_read(addr): the word, or 0xfa11 if the load aborted */
    .global probe_read, probe_read_insn
probe_read:
    mov     r1, r0
    ldr     r0, =0xfa11
probe_read_insn:
    ldr     r0, [r1]
    bx      lr

    /* probe_write(addr, value) */
    .global probe_write, probe_write_insn
probe_write:
probe_write_insn:
    str     r1, [r0]
    bx      lr

    /* call_expect_pabt(addr): branches to addr, which must abort on
     * the fetch; returns here through the prefetch abort handler. */
    .global call_expect_pabt
call_expect_pabt:
    stmfd   sp!, {r4-r11, lr}
    ldr     r1, =fault_info
    adr     r2, 1f
    str     r2, [r1, #16]
    blx     r0
1:  ldmfd   sp!, {r4-r11, pc}

    .global dabt_skip_handler
dabt_skip_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, =fault_info
    str     lr, [r0]
    mrc     p15, 0, r1, c5, c0, 0
    str     r1, [r0, #4]
    mrc     p15, 0, r1, c6, c0, 0
    str     r1, [r0, #8]
    ldr     r1, [r0, #12]
    add     r1, r1, #1
    str     r1, [r0, #12]
    ldmfd   sp!, {r0, r1}
    subs    pc, lr, #4          @ the instruction after the faulting one

    .global pabt_resume_handler
pabt_resume_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, =fault_info
    str     lr, [r0]
    ldr     r1, [r0, #20]
    add     r1, r1, #1
    str     r1, [r0, #20]
    ldr     lr, [r0, #16]
    ldmfd   sp!, {r0, r1}
    movs    pc, lr

    .global undef_skip_handler
undef_skip_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, =fault_info
    str     lr, [r0]
    ldr     r1, [r0, #24]
    add     r1, r1, #1
    str     r1, [r0, #24]
    ldmfd   sp!, {r0, r1}
    movs    pc, lr
    .ltorg
