/*
 * Data processing: every shifter operand form (immediate with rotation,
 * register, shifts by immediate and by register including the 0, 32
 * and >32 cases, RRX), the arithmetic and logical operations with their
 * flags, and condition codes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("dataproc")

    .text
    .arm
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    bl      immediates
    bl      shifts_by_immediate
    bl      shifts_by_register
    bl      arithmetic
    bl      logical
    bl      conditions
    bl      report
    ldmfd   sp!, {r4-r11, pc}

immediates:
    mov     r0, #0xff000000
    CHECK(r0, 0xff000000)
    mvn     r0, #0
    CHECK(r0, 0xffffffff)
    /* A rotated immediate sets C from its bit 31 for logical ops. */
    msr     cpsr_f, #0
    movs    r0, #0x80000000
    CHECK_FLAGS(FLAG_N | FLAG_C)
    msr     cpsr_f, #FLAG_C
    movs    r0, #0x40000000
    CHECK_FLAGS(0)
    /* An unrotated immediate keeps C. */
    msr     cpsr_f, #FLAG_C
    movs    r0, #0
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    mov     r1, #0x3fc
    CHECK(r1, 0x3fc)
    /* The PC reads as the instruction's address + 8. */
    add     r0, pc, #0
1:  adr     r1, 1b
    add     r1, r1, #4
    sub     r0, r0, r1
    CHECK(r0, 0)
    bx      lr
    .ltorg

shifts_by_immediate:
    ldr     r1, =0x80000001
    msr     cpsr_f, #0
    movs    r0, r1, lsl #1
    CHECK(r0, 2)
    CHECK_FLAGS(FLAG_C)
    /* lsl #0: the operand itself, C unchanged */
    msr     cpsr_f, #FLAG_C
    movs    r0, r1
    CHECK(r0, 0x80000001)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    msr     cpsr_f, #0
    movs    r0, r1, lsr #1
    CHECK(r0, 0x40000000)
    CHECK_FLAGS(FLAG_C)
    /* lsr #32 (encoded as 0): 0, C = bit 31 */
    msr     cpsr_f, #0
    movs    r0, r1, lsr #32
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    msr     cpsr_f, #0
    movs    r0, r1, asr #4
    CHECK(r0, 0xf8000000)
    CHECK_FLAGS(FLAG_N)
    /* asr #32: all sign bits, C = bit 31 */
    msr     cpsr_f, #0
    movs    r0, r1, asr #32
    CHECK(r0, 0xffffffff)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    ldr     r2, =0x40000000
    movs    r0, r2, asr #32
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z)
    msr     cpsr_f, #0
    movs    r0, r1, ror #4
    CHECK(r0, 0x18000000)
    CHECK_FLAGS(0)
    movs    r0, r1, ror #1
    CHECK(r0, 0xc0000000)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    /* rrx: C in at the top, bit 0 out to C */
    msr     cpsr_f, #FLAG_C
    movs    r0, r1, rrx
    CHECK(r0, 0xc0000000)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    msr     cpsr_f, #0
    movs    r0, r1, rrx
    CHECK(r0, 0x40000000)
    CHECK_FLAGS(FLAG_C)
    mov     r2, #4
    msr     cpsr_f, #0
    movs    r0, r2, rrx
    CHECK(r0, 2)
    CHECK_FLAGS(0)
    /* shifted operands of arithmetic: the shifter carry is not used */
    msr     cpsr_f, #0
    mov     r2, #3
    add     r0, r2, r1, lsl #4
    CHECK(r0, 0x13)
    rsb     r0, r2, r2, lsl #3
    CHECK(r0, 21)
    sub     r0, r2, r1, asr #31
    CHECK(r0, 4)
    bx      lr
    .ltorg

shifts_by_register:
    ldr     r1, =0x80000001
    /* lsl by 0: operand, C unchanged */
    mov     r3, #0
    msr     cpsr_f, #FLAG_C
    movs    r0, r1, lsl r3
    CHECK(r0, 0x80000001)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    msr     cpsr_f, #0
    movs    r0, r1, lsl r3
    CHECK_FLAGS(FLAG_N)
    /* lsl by 32: 0, C = bit 0 */
    mov     r3, #32
    movs    r0, r1, lsl r3
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    /* lsl by 33: 0, C = 0 */
    mov     r3, #33
    msr     cpsr_f, #FLAG_C
    movs    r0, r1, lsl r3
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z)
    /* only the bottom byte counts: 0x101 is 1 */
    ldr     r3, =0x101
    movs    r0, r1, lsl r3
    CHECK(r0, 2)
    CHECK_FLAGS(FLAG_C)
    /* lsl by 31 */
    mov     r3, #31
    movs    r0, r1, lsl r3
    CHECK(r0, 0x80000000)
    CHECK_FLAGS(FLAG_N)
    /* lsr by 32: 0, C = bit 31; by 33: C = 0 */
    mov     r3, #32
    msr     cpsr_f, #0
    movs    r0, r1, lsr r3
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    mov     r3, #33
    movs    r0, r1, lsr r3
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z)
    mov     r3, #255
    msr     cpsr_f, #FLAG_C
    movs    r0, r1, lsr r3
    CHECK_FLAGS(FLAG_Z)
    mov     r3, #1
    movs    r0, r1, lsr r3
    CHECK(r0, 0x40000000)
    CHECK_FLAGS(FLAG_C)
    /* asr by >= 32: sign bits, C = bit 31 */
    mov     r3, #40
    msr     cpsr_f, #0
    movs    r0, r1, asr r3
    CHECK(r0, 0xffffffff)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    mov     r3, #200
    mov     r2, #0x70000000
    movs    r0, r2, asr r3
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z)
    mov     r3, #28
    movs    r0, r1, asr r3
    CHECK(r0, 0xfffffff8)
    CHECK_FLAGS(FLAG_N)
    /* ror by 0: unchanged, C unchanged; by 32: unchanged, C = bit 31;
     * by 36: as by 4 */
    mov     r3, #0
    msr     cpsr_f, #0
    movs    r0, r1, ror r3
    CHECK(r0, 0x80000001)
    CHECK_FLAGS(FLAG_N)
    mov     r3, #32
    movs    r0, r1, ror r3
    CHECK(r0, 0x80000001)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    mov     r3, #36
    msr     cpsr_f, #0
    movs    r0, r1, ror r3
    CHECK(r0, 0x18000000)
    CHECK_FLAGS(0)
    mov     r3, #64
    msr     cpsr_f, #0
    movs    r0, r1, ror r3
    CHECK(r0, 0x80000001)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    /* register shifts in arithmetic and comparisons */
    mov     r3, #8
    mov     r2, #0x12
    add     r0, r2, r2, lsl r3
    CHECK(r0, 0x1212)
    cmp     r2, r2, lsr r3
    CHECK_FLAGS(FLAG_C)
    bx      lr
    .ltorg

arithmetic:
    /* add: carry and overflow */
    ldr     r1, =0x7fffffff
    msr     cpsr_f, #0
    adds    r0, r1, #1
    CHECK(r0, 0x80000000)
    CHECK_FLAGS(FLAG_N | FLAG_V)
    mvn     r1, #0
    adds    r0, r1, #1
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    ldr     r1, =0x80000000
    adds    r0, r1, r1
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C | FLAG_V)
    /* adc uses C */
    msr     cpsr_f, #FLAG_C
    mov     r1, #5
    adcs    r0, r1, #2
    CHECK(r0, 8)
    CHECK_FLAGS(0)
    msr     cpsr_f, #FLAG_C
    mvn     r1, #0
    adcs    r0, r1, #0
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    ldr     r1, =0x7fffffff
    msr     cpsr_f, #FLAG_C
    adcs    r0, r1, #0
    CHECK(r0, 0x80000000)
    CHECK_FLAGS(FLAG_N | FLAG_V)
    /* sub: C is NOT borrow */
    mov     r1, #5
    msr     cpsr_f, #0
    subs    r0, r1, #5
    CHECK(r0, 0)
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    subs    r0, r1, #6
    CHECK(r0, 0xffffffff)
    CHECK_FLAGS(FLAG_N)
    ldr     r1, =0x80000000
    subs    r0, r1, #1
    CHECK(r0, 0x7fffffff)
    CHECK_FLAGS(FLAG_C | FLAG_V)
    /* sbc: subtracts NOT C */
    mov     r1, #10
    msr     cpsr_f, #0
    sbcs    r0, r1, #3
    CHECK(r0, 6)
    CHECK_FLAGS(FLAG_C)
    msr     cpsr_f, #FLAG_C
    sbcs    r0, r1, #3
    CHECK(r0, 7)
    CHECK_FLAGS(FLAG_C)
    mov     r1, #0
    msr     cpsr_f, #0
    sbcs    r0, r1, #0
    CHECK(r0, 0xffffffff)
    CHECK_FLAGS(FLAG_N)
    /* rsb, rsc */
    mov     r1, #3
    rsbs    r0, r1, #10
    CHECK(r0, 7)
    CHECK_FLAGS(FLAG_C)
    rsbs    r0, r1, #0
    CHECK(r0, 0xfffffffd)
    CHECK_FLAGS(FLAG_N)
    msr     cpsr_f, #0
    rscs    r0, r1, #10
    CHECK(r0, 6)
    CHECK_FLAGS(FLAG_C)
    msr     cpsr_f, #FLAG_C
    rsc     r0, r1, #10
    CHECK(r0, 7)
    /* cmp, cmn */
    mov     r1, #1
    msr     cpsr_f, #0
    cmp     r1, #2
    CHECK_FLAGS(FLAG_N)
    cmp     r1, #1
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    cmn     r1, #1
    CHECK_FLAGS(0)
    mvn     r2, #0
    cmn     r1, r2
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    ldr     r2, =0x80000000
    cmp     r2, #1
    CHECK_FLAGS(FLAG_C | FLAG_V)
    cmn     r2, r2
    CHECK_FLAGS(FLAG_Z | FLAG_C | FLAG_V)
    /* 64-bit add and subtract with the carry chain */
    ldr     r2, =0xffffffff
    mov     r3, #1
    mov     r4, #1
    mov     r5, #2
    adds    r6, r2, r4
    adc     r7, r3, r5
    CHECK(r6, 0)
    CHECK(r7, 4)
    subs    r6, r6, r4
    sbc     r7, r7, #0
    CHECK(r6, 0xffffffff)
    CHECK(r7, 3)
    bx      lr
    .ltorg

logical:
    ldr     r1, =0xf0f0f0f0
    ldr     r2, =0xff00ff00
    and     r0, r1, r2
    CHECK(r0, 0xf000f000)
    orr     r0, r1, r2
    CHECK(r0, 0xfff0fff0)
    eor     r0, r1, r2
    CHECK(r0, 0x0ff00ff0)
    bic     r0, r1, r2
    CHECK(r0, 0x00f000f0)
    mvn     r0, r1
    CHECK(r0, 0x0f0f0f0f)
    /* logical ops keep V, take C from the shifter */
    msr     cpsr_f, #FLAG_V
    ands    r0, r1, r2, lsl #1
    CHECK(r0, 0xf000f000)
    CHECK_FLAGS(FLAG_N | FLAG_C | FLAG_V)
    msr     cpsr_f, #FLAG_C
    eors    r0, r1, r1
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    tst     r1, #0x0f
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    tst     r1, #0x10
    CHECK_FLAGS(FLAG_C)
    teq     r1, r1
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    teq     r1, #0
    CHECK_FLAGS(FLAG_N | FLAG_C)
    msr     cpsr_f, #0
    bics    r0, r1, #0xf0000000
    CHECK(r0, 0x00f0f0f0)
    CHECK_FLAGS(FLAG_C)
    orrs    r0, r1, r1, lsr #31
    CHECK(r0, 0xf0f0f0f1)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    mvns    r0, #0
    CHECK_FLAGS(FLAG_N | FLAG_C)
    mvns    r0, r1, asr #32
    CHECK_FLAGS(FLAG_Z | FLAG_C)
    bx      lr
    .ltorg

/* Each condition with flags that pass and flags that fail. */
#define COND(flags, cond, expect) \
    mov r0, #0 ; msr cpsr_f, #(flags) ; mov##cond r0, #1 ; CHECK(r0, expect)

conditions:
    COND(FLAG_Z, eq, 1)
    COND(0, eq, 0)
    COND(0, ne, 1)
    COND(FLAG_Z, ne, 0)
    COND(FLAG_C, cs, 1)
    COND(0, cs, 0)
    COND(0, cc, 1)
    COND(FLAG_C, cc, 0)
    COND(FLAG_N, mi, 1)
    COND(0, mi, 0)
    COND(0, pl, 1)
    COND(FLAG_N, pl, 0)
    COND(FLAG_V, vs, 1)
    COND(0, vs, 0)
    COND(0, vc, 1)
    COND(FLAG_V, vc, 0)
    COND(FLAG_C, hi, 1)
    COND(FLAG_C | FLAG_Z, hi, 0)
    COND(0, hi, 0)
    COND(0, ls, 1)
    COND(FLAG_C | FLAG_Z, ls, 1)
    COND(FLAG_C, ls, 0)
    COND(FLAG_N | FLAG_V, ge, 1)
    COND(0, ge, 1)
    COND(FLAG_N, ge, 0)
    COND(FLAG_V, lt, 1)
    COND(FLAG_N | FLAG_V, lt, 0)
    COND(0, gt, 1)
    COND(FLAG_Z, gt, 0)
    COND(FLAG_N, gt, 0)
    COND(FLAG_Z, le, 1)
    COND(FLAG_N, le, 1)
    COND(FLAG_N | FLAG_V, le, 0)
    COND(FLAG_N | FLAG_Z | FLAG_C | FLAG_V, al, 1)
    /* a failed condition does not change the flags or the register */
    msr     cpsr_f, #0
    mov     r0, #7
    addeqs  r0, r0, #1
    CHECK(r0, 7)
    CHECK_FLAGS(0)
    bx      lr
    .ltorg
