/*
 * Loads and stores: every addressing mode of LDR/STR/LDRB/STRB,
 * the halfword, signed and doubleword forms, LDM/STM in all four modes with and without writeback,
 * the user-bank and exception-return forms, SWP/SWPB and PLD.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("loadstore")

    .data
    .align 3
pattern:
    .word   0x44332211, 0x88776655, 0xccbbaa99, 0x00ffeedd
    .word   0x80818283, 0xf0f1f2f3, 0x01020304, 0x05060708
    .bss
    .align 3
buf:
    .space  64

    .text
    .arm
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    bl      words
    bl      bytes_halves
    bl      doublewords
    bl      multiple
    bl      user_bank
    bl      swap
    bl      report
    ldmfd   sp!, {r4-r11, pc}

words:
    ldr     r1, =pattern
    ldr     r0, [r1]
    CHECK(r0, 0x44332211)
    ldr     r0, [r1, #8]
    CHECK(r0, 0xccbbaa99)
    add     r2, r1, #12
    ldr     r0, [r2, #-8]
    CHECK(r0, 0x88776655)
    /* pre-indexed with writeback */
    mov     r2, r1
    ldr     r0, [r2, #4]!
    CHECK(r0, 0x88776655)
    sub     r3, r2, r1
    CHECK(r3, 4)
    /* post-indexed */
    mov     r2, r1
    ldr     r0, [r2], #12
    CHECK(r0, 0x44332211)
    sub     r3, r2, r1
    CHECK(r3, 12)
    ldr     r0, [r2], #-4
    CHECK(r0, 0x00ffeedd)
    sub     r3, r2, r1
    CHECK(r3, 8)
    /* register offsets, plain and scaled */
    mov     r3, #2
    ldr     r0, [r1, r3, lsl #2]
    CHECK(r0, 0xccbbaa99)
    add     r2, r1, #16
    ldr     r0, [r2, -r3, lsl #2]
    CHECK(r0, 0xccbbaa99)
    mov     r3, #16
    ldr     r0, [r1, r3, lsr #2]
    CHECK(r0, 0x88776655)
    mvn     r3, #7
    add     r2, r1, #16
    ldr     r0, [r2, r3, asr #1]
    CHECK(r0, 0x00ffeedd)
    mov     r3, #0x20000000
    ldr     r0, [r1, r3, ror #27]
    CHECK(r0, 0x88776655)
    msr     cpsr_f, #FLAG_C
    mov     r3, #8
    add     r2, r1, #0x80000000
    ldr     r0, [r2, r3, rrx]!
    CHECK(r0, 0x88776655)
    msr     cpsr_f, #0
    mov     r3, #8
    mov     r2, r1
    ldr     r0, [r2, r3, rrx]!
    CHECK(r0, 0x88776655)
    sub     r3, r2, r1
    CHECK(r3, 4)
    mov     r3, #8
    mov     r2, r1
    ldr     r0, [r2], -r3
    CHECK(r0, 0x44332211)
    sub     r3, r1, r2
    CHECK(r3, 8)
    /* The rotation of an unaligned LDR is in unaligned.S: QEMU 7.2
     * does not implement it. */
    /* stores */
    ldr     r4, =buf
    ldr     r0, =0xdeadbeef
    str     r0, [r4]
    ldr     r5, [r4]
    CHECK(r5, 0xdeadbeef)
    mov     r2, r4
    str     r0, [r2, #8]!
    sub     r3, r2, r4
    CHECK(r3, 8)
    ldr     r5, [r4, #8]
    CHECK(r5, 0xdeadbeef)
    mov     r3, #3
    str     r1, [r4, r3, lsl #2]
    ldr     r5, [r4, #12]
    sub     r5, r5, r1
    CHECK(r5, 0)
    mov     r2, r4
    mov     r0, #0x55
    str     r0, [r2], #4
    str     r0, [r2], #4
    sub     r3, r2, r4
    CHECK(r3, 8)
    ldr     r5, [r4, #4]
    CHECK(r5, 0x55)
    /* STR of the PC stores the address + 8 (+12 is allowed but QEMU and
     * the XScale store + 8) */
    str     pc, [r4]
1:  ldr     r5, [r4]
    adr     r3, 1b
    sub     r5, r5, r3
    CHECK(r5, 4)
    /* PLD has no visible effect */
    pld     [r1, #32]
    pld     [r1, -r3]
    bx      lr
    .ltorg

bytes_halves:
    ldr     r1, =pattern
    ldrb    r0, [r1]
    CHECK(r0, 0x11)
    ldrb    r0, [r1, #7]
    CHECK(r0, 0x88)
    mov     r2, r1
    ldrb    r0, [r2, #3]!
    CHECK(r0, 0x44)
    ldrb    r0, [r2], #1
    CHECK(r0, 0x44)
    ldrb    r0, [r2]
    CHECK(r0, 0x55)
    ldrh    r0, [r1]
    CHECK(r0, 0x2211)
    ldrh    r0, [r1, #6]
    CHECK(r0, 0x8877)
    ldrsh   r0, [r1, #6]
    CHECK(r0, 0xffff8877)
    ldrsh   r0, [r1, #2]
    CHECK(r0, 0x4433)
    ldrsb   r0, [r1, #7]
    CHECK(r0, 0xffffff88)
    ldrsb   r0, [r1, #1]
    CHECK(r0, 0x22)
    mov     r3, #10
    ldrh    r0, [r1, r3]
    CHECK(r0, 0xccbb)
    add     r2, r1, #12
    ldrsh   r0, [r2, -r3]
    CHECK(r0, 0x4433)
    mov     r2, r1
    ldrsb   r0, [r2, r3]!
    CHECK(r0, 0xffffffbb)
    sub     r3, r2, r1
    CHECK(r3, 10)
    mov     r2, r1
    ldrh    r0, [r2], #6
    ldrh    r0, [r2], #-2
    CHECK(r0, 0x8877)
    sub     r3, r2, r1
    CHECK(r3, 4)
    /* stores of bytes and halves touch only those */
    ldr     r4, =buf
    mvn     r0, #0
    str     r0, [r4]
    mov     r0, #0x12
    strb    r0, [r4, #1]
    ldr     r5, [r4]
    CHECK(r5, 0xffff12ff)
    ldr     r0, =0xabcd1234
    strh    r0, [r4, #2]
    ldr     r5, [r4]
    CHECK(r5, 0x123412ff)
    mov     r2, r4
    strh    r0, [r2], #2
    strb    r0, [r2, #1]!
    ldr     r5, [r4]
    CHECK(r5, 0x34341234)
    sub     r3, r2, r4
    CHECK(r3, 3)
    bx      lr
    .ltorg

doublewords:
    ldr     r1, =pattern
    ldrd    r2, r3, [r1]
    CHECK(r2, 0x44332211)
    CHECK(r3, 0x88776655)
    ldrd    r2, r3, [r1, #8]
    CHECK(r2, 0xccbbaa99)
    CHECK(r3, 0x00ffeedd)
    mov     r0, #16
    ldrd    r2, r3, [r1, r0]
    CHECK(r2, 0x80818283)
    CHECK(r3, 0xf0f1f2f3)
    mov     r4, r1
    ldrd    r2, r3, [r4, #8]!
    sub     r5, r4, r1
    CHECK(r5, 8)
    mov     r4, r1
    ldrd    r2, r3, [r4], #24
    CHECK(r2, 0x44332211)
    sub     r5, r4, r1
    CHECK(r5, 24)
    ldrd    r2, r3, [r4, #-8]
    CHECK(r2, 0x80818283)
    ldr     r4, =buf
    ldr     r2, =0x01234567
    ldr     r3, =0x89abcdef
    strd    r2, r3, [r4, #16]
    ldr     r5, [r4, #16]
    CHECK(r5, 0x01234567)
    ldr     r5, [r4, #20]
    CHECK(r5, 0x89abcdef)
    mov     r6, r4
    mov     r0, #8
    strd    r2, r3, [r6, r0]!
    sub     r5, r6, r4
    CHECK(r5, 8)
    ldr     r5, [r4, #12]
    CHECK(r5, 0x89abcdef)
    bx      lr
    .ltorg

multiple:
    ldr     r0, =pattern
    mov     r1, r0
    ldmia   r1, {r2-r5}
    CHECK(r2, 0x44332211)
    CHECK(r5, 0x00ffeedd)
    sub     r6, r1, r0
    CHECK(r6, 0)
    ldmia   r1!, {r2, r3}
    CHECK(r3, 0x88776655)
    sub     r6, r1, r0
    CHECK(r6, 8)
    mov     r1, r0
    ldmib   r1!, {r2, r3}
    CHECK(r2, 0x88776655)
    CHECK(r3, 0xccbbaa99)
    sub     r6, r1, r0
    CHECK(r6, 8)
    add     r1, r0, #16
    ldmda   r1, {r2, r3}
    CHECK(r2, 0x00ffeedd)
    CHECK(r3, 0x80818283)
    ldmdb   r1!, {r2, r3, r4}
    CHECK(r2, 0x88776655)
    CHECK(r4, 0x00ffeedd)
    sub     r6, r1, r0
    CHECK(r6, 4)
    /* stores in each mode */
    ldr     r0, =buf
    mov     r2, #1
    mov     r3, #2
    mov     r4, #3
    mov     r1, r0
    stmia   r1!, {r2-r4}
    sub     r6, r1, r0
    CHECK(r6, 12)
    ldr     r6, [r0, #8]
    CHECK(r6, 3)
    add     r1, r0, #32
    stmdb   r1!, {r2-r4}
    ldr     r6, [r0, #20]
    CHECK(r6, 1)
    sub     r6, r1, r0
    CHECK(r6, 20)
    add     r1, r0, #32
    stmda   r1, {r2-r4}
    ldr     r6, [r0, #32]
    CHECK(r6, 3)
    ldr     r6, [r0, #24]
    CHECK(r6, 1)
    mov     r1, r0
    stmib   r1, {r2, r3}
    ldr     r6, [r0, #4]
    CHECK(r6, 1)
    ldr     r6, [r0, #8]
    CHECK(r6, 2)
    /* a full register list through the stack */
    mov     r7, sp
    mov     r0, #0
    mov     r1, #1
    mov     r2, #2
    mov     r3, #3
    mov     r4, #4
    mov     r5, #5
    mov     r6, #6
    stmfd   sp!, {r0-r6, lr}
    mov     r0, #9
    mov     r6, #9
    ldmfd   sp!, {r0-r6, lr}
    CHECK(r0, 0)
    CHECK(r6, 6)
    sub     r7, r7, sp
    CHECK(r7, 0)
    /* LDM with the PC loads it (ARMv5: bit 0 selects Thumb) */
    mov     r8, lr
    adr     r0, 1f
    ldr     r1, =buf
    str     r0, [r1]
    mov     r2, #0
    ldmia   r1, {pc}
    mov     r2, #0x77
1:  mov     lr, r8
    CHECK(r2, 0)
    bx      lr
    .ltorg

user_bank:
    /* the user r13/r14, seen from SYS mode */
    msr     cpsr_c, #(MODE_SYS | PSR_I | PSR_F)
    mov     r0, sp
    mov     r1, lr
    ldr     sp, =0x11111111
    ldr     lr, =0x22222222
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    /* STM ^ stores the user registers */
    ldr     r2, =buf
    stmia   r2, {sp, lr}^
    nop
    ldr     r3, [r2]
    CHECK(r3, 0x11111111)
    ldr     r3, [r2, #4]
    CHECK(r3, 0x22222222)
    /* LDM ^ without the PC loads them */
    ldr     r3, =0x33333333
    str     r3, [r2]
    ldmia   r2, {sp}^
    nop
    mov     r4, sp
    msr     cpsr_c, #(MODE_SYS | PSR_I | PSR_F)
    mov     r5, sp
    mov     sp, r0
    mov     lr, r1
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    CHECK(r5, 0x33333333)
    sub     r4, r4, sp
    CHECK(r4, 0)
    /* LDM with the PC and ^ returns from an exception: CPSR = SPSR */
    mrs     r4, cpsr
    orr     r4, r4, #(FLAG_N | FLAG_V)
    msr     spsr_cxsf, r4
    adr     r3, 1f
    str     r3, [r2]
    mov     r5, lr
    msr     cpsr_f, #0
    ldmia   r2, {pc}^
    nop
1:  CHECK_FLAGS(FLAG_N | FLAG_V)
    mov     lr, r5
    bx      lr
    .ltorg

swap:
    ldr     r1, =buf
    ldr     r0, =0xaabbccdd
    str     r0, [r1]
    mov     r2, #0x42
    swp     r3, r2, [r1]
    CHECK(r3, 0xaabbccdd)
    ldr     r4, [r1]
    CHECK(r4, 0x42)
    mov     r2, #0x99
    swpb    r3, r2, [r1]
    CHECK(r3, 0x42)
    ldr     r4, [r1]
    CHECK(r4, 0x99)
    /* the same register as source and destination */
    mov     r2, #0x17
    swp     r2, r2, [r1]
    CHECK(r2, 0x99)
    ldr     r4, [r1]
    CHECK(r4, 0x17)
    bx      lr
    .ltorg
