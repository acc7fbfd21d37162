/*
 * The ARMv5 unaligned LDR (SCTLR.A clear): the aligned word containing
 * the address, rotated right by 8 times the low address bits.  QEMU 7.2
 * gives the ARMv6 unaligned result instead, so this guest runs on emu
 * only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("unaligned")

    .data
    .align 3
pattern:
    .word   0x44332211, 0x88776655

    .text
    .arm
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    ldr     r1, =pattern
    ldr     r0, [r1, #1]
    CHECK(r0, 0x11443322)
    ldr     r0, [r1, #2]
    CHECK(r0, 0x22114433)
    ldr     r0, [r1, #3]
    CHECK(r0, 0x33221144)
    add     r2, r1, #5
    ldr     r0, [r2]
    CHECK(r0, 0x55887766)
    mov     r3, #6
    ldr     r0, [r1, r3]
    CHECK(r0, 0x66558877)
    bl      report
    ldmfd   sp!, {r4-r11, pc}
    .ltorg
