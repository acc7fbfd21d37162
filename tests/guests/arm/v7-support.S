/*
 * ARMv7 probes for v7-system.c, in the style of mmu-support.S:
 * probe_ldrex(addr) returns the word LDREX reads, or 0xfa11 when it
 * aborted (dabt_skip_handler resumes after it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

    .text
    .arm
    .global probe_ldrex
probe_ldrex:
    mov     r1, r0
    ldr     r0, =0xfa11
    ldrex   r0, [r1]
    clrex
    bx      lr
    .ltorg
