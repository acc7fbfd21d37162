/*
 * Multiplies (MUL, MLA, the long forms, the v5TE DSP multiplies),
 * saturating arithmetic with the sticky Q flag, CLZ, and the XScale
 * DSP accumulator (MAR, MRA).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("multiply")

    .text
    .arm
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    bl      multiplies
    bl      dsp_multiplies
    bl      saturating
    bl      count_leading_zeros
    bl      xscale_accumulator
    bl      report
    ldmfd   sp!, {r4-r11, pc}

multiplies:
    ldr     r1, =0x12345678
    ldr     r2, =0x9abcdef0
    mul     r0, r1, r2
    CHECK(r0, 0x242d2080)
    mov     r3, #5
    mla     r0, r1, r2, r3
    CHECK(r0, 0x242d2085)
    /* MULS sets N and Z and leaves C and V */
    msr     cpsr_f, #(FLAG_C | FLAG_V)
    mov     r3, #0
    muls    r0, r1, r3
    CHECK_FLAGS(FLAG_Z | FLAG_C | FLAG_V)
    msr     cpsr_f, #0
    mvn     r3, #0
    muls    r0, r3, r3
    CHECK(r0, 1)
    CHECK_FLAGS(0)
    mov     r3, #2
    mlas    r0, r1, r3, r2
    CHECK(r0, 0xbf258be0)
    CHECK_FLAGS(FLAG_N)
    umull   r4, r5, r1, r2
    CHECK(r4, 0x242d2080)
    CHECK(r5, 0x0b00ea4e)
    mov     r4, #0xffffffff
    mov     r5, #1
    umlal   r4, r5, r1, r2
    CHECK(r4, 0x242d207f)
    CHECK(r5, 0x0b00ea50)
    smull   r4, r5, r1, r2
    CHECK(r4, 0x242d2080)
    CHECK(r5, 0xf8cc93d6)
    mov     r4, #3
    mov     r5, #2
    smlal   r4, r5, r1, r2
    CHECK(r4, 0x242d2083)
    CHECK(r5, 0xf8cc93d8)
    /* flags of the long forms: N from bit 63, Z from all 64 bits */
    msr     cpsr_f, #0
    mov     r3, #0
    umulls  r4, r5, r1, r3
    CHECK_FLAGS(FLAG_Z)
    mvn     r3, #0
    smulls  r4, r5, r3, r1
    CHECK(r4, 0xedcba988)
    CHECK(r5, 0xffffffff)
    CHECK_FLAGS(FLAG_N)
    bx      lr
    .ltorg

dsp_multiplies:
    ldr     r1, =0x8000fffe
    ldr     r2, =0x7fff0003
    smulbb  r0, r1, r2
    CHECK(r0, 0xfffffffa)
    smulbt  r0, r1, r2
    CHECK(r0, 0xffff0002)
    smultb  r0, r1, r2
    CHECK(r0, 0xfffe8000)
    smultt  r0, r1, r2
    CHECK(r0, 0xc0008000)
    smulwb  r0, r1, r2
    CHECK(r0, 0xfffe8002)
    smulwt  r0, r1, r2
    CHECK(r0, 0xc000fffe)
    mov     r3, #100
    smlawt  r0, r1, r2, r3
    CHECK(r0, 0xc0010062)
    mov     r4, #0xfffffff0
    mov     r5, #1
    smlalbb r4, r5, r1, r2
    CHECK(r4, 0xffffffea)
    CHECK(r5, 1)
    /* SMLA<x><y> sets Q on overflow of the accumulation, never clears it */
    msr     cpsr_f, #0
    mov     r3, #7
    smlabb  r0, r1, r2, r3
    CHECK(r0, 1)
    CHECK_FLAGS(0)
    ldr     r3, =0x7fffffff
    mov     r4, #1
    smlabb  r0, r4, r4, r3
    CHECK(r0, 0x80000000)
    CHECK_FLAGS(FLAG_Q)
    smlabb  r0, r4, r4, r4
    CHECK(r0, 2)
    CHECK_FLAGS(FLAG_Q)
    /* the only SMUL overflow: 0x8000 * 0x8000 in SMULxy is fine */
    msr     cpsr_f, #0
    mov     r4, #0x8000
    smulbb  r0, r4, r4
    CHECK(r0, 0x40000000)
    CHECK_FLAGS(0)
    bx      lr
    .ltorg

saturating:
    ldr     r1, =0x7fffffff
    ldr     r2, =0x80000000
    msr     cpsr_f, #0
    mov     r3, #5
    qadd    r0, r3, r3
    CHECK(r0, 10)
    CHECK_FLAGS(0)
    qadd    r0, r1, r3
    CHECK(r0, 0x7fffffff)
    CHECK_FLAGS(FLAG_Q)
    msr     cpsr_f, #0
    qadd    r0, r2, r2
    CHECK(r0, 0x80000000)
    CHECK_FLAGS(FLAG_Q)
    msr     cpsr_f, #0
    qsub    r0, r3, r1
    CHECK(r0, 0x80000006)
    CHECK_FLAGS(0)
    qsub    r0, r2, r3
    CHECK(r0, 0x80000000)
    CHECK_FLAGS(FLAG_Q)
    msr     cpsr_f, #0
    qsub    r0, r1, r2
    CHECK(r0, 0x7fffffff)
    CHECK_FLAGS(FLAG_Q)
    /* QDADD: saturate(Rm + saturate(2 * Rn)) */
    msr     cpsr_f, #0
    qdadd   r0, r3, r3
    CHECK(r0, 15)
    CHECK_FLAGS(0)
    ldr     r4, =0x40000000
    qdadd   r0, r3, r4
    CHECK(r0, 0x7fffffff)
    CHECK_FLAGS(FLAG_Q)
    msr     cpsr_f, #0
    ldr     r4, =0x3fffffff
    mvn     r5, #0
    qdadd   r0, r5, r4
    CHECK(r0, 0x7ffffffd)
    CHECK_FLAGS(0)
    qdsub   r0, r3, r3
    CHECK(r0, 0xfffffffb)
    CHECK_FLAGS(0)
    qdsub   r0, r3, r2
    CHECK(r0, 0x7fffffff)
    CHECK_FLAGS(FLAG_Q)
    /* Q is sticky across other flag-setting instructions */
    cmp     r3, r3
    CHECK_FLAGS(FLAG_Z | FLAG_C | FLAG_Q)
    msr     cpsr_f, #0
    CHECK_FLAGS(0)
    bx      lr
    .ltorg

count_leading_zeros:
    mov     r1, #0
    clz     r0, r1
    CHECK(r0, 32)
    mov     r1, #1
    clz     r0, r1
    CHECK(r0, 31)
    mov     r1, #0x80000000
    clz     r0, r1
    CHECK(r0, 0)
    ldr     r1, =0x0001ffff
    clz     r0, r1
    CHECK(r0, 15)
    bx      lr
    .ltorg

    .cpu    xscale
xscale_accumulator:
    /* CPAR: give access to coprocessor 0 (the accumulator) */
    mov     r0, #1
    mcr     p15, 0, r0, c15, c1, 0
    ldr     r0, =0x12345678
    mov     r1, #0x5b           @ bit 39 clear: QEMU and emu differ on MRA sign extension
    mar     acc0, r0, r1
    mra     r2, r3, acc0
    CHECK(r2, 0x12345678)
    CHECK(r3, 0x5b)
    /* MIA and MIAxy are left out: QEMU 7.2 aborts translating them
     * ("tcg fatal error"), so no result could be validated. */
    mvn     r0, #0
    mov     r1, #0x7f
    mar     acc0, r0, r1
    mra     r2, r3, acc0
    CHECK(r2, 0xffffffff)
    CHECK(r3, 0x7f)
    bx      lr
    .ltorg
