/*
 * Thumb-2 on cortex-a15: IT blocks (conditions, the flags 16-bit
 * instructions leave alone inside them, an SVC and an undefined
 * instruction inside one), CBZ/CBNZ, TBB/TBH, the modified immediates
 * with their carry, ORN, ADDW/SUBW/ADR, the load/store addressing modes
 * (imm12, imm8 pre/post/negative, register with LSL, literal, LDRT),
 * LDRD/STRD, LDM/STM, unaligned words and halfwords (loaded whole, as
 * ARMv7 does: not the ARMv5 rotation), the 32-bit branches and BL/BLX, the
 * register-shift, extend and multiply encodings, and SUBS PC, LR.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("thumb2")

/* APSR = value (Thumb has no MSR immediate); registers kept. */
#define SET_FLAGS_T(value) \
    push {r0} ; ldr r0, =(value) ; msr apsr_nzcvq, r0 ; pop {r0}

    .syntax unified
    .arch_extension idiv

    .bss
    .align 3
buf:        .space 64
seen:       .space 16               @ lr, spsr of the last exception, count

    .text
    .thumb
    .global main
    .thumb_func
main:
    push    {r4-r11, lr}
    bl      it_blocks
    bl      compare_branch
    bl      table_branch
    bl      immediates
    bl      loads_stores
    bl      unaligned
    bl      branches
    bl      register_forms
    bl      exceptions_in_it
    bl      report
    pop     {r4-r11, pc}

it_blocks:
    push    {lr}
    mov     r0, #5
    cmp     r0, #5
    ite     eq
    moveq   r1, #1
    movne   r1, #2
    CHECK(r1, 1)
    cmp     r0, #6
    itte    ne
    addne   r2, r0, #1
    addne   r2, r2, #1
    moveq   r2, #0
    CHECK(r2, 7)
    /* 16-bit ADDS inside an IT block is ADD: the flags stay */
    movs    r3, #0                  @ Z set
    it      eq
    addeq   r3, r3, #1              @ 16-bit: no flags inside IT
    CHECK(r3, 1)
    CHECK_FLAGS(FLAG_Z)
    /* the compares set flags inside IT, and later instructions see it */
    mov     r4, #3
    cmp     r4, #3
    itet    eq
    cmpeq   r4, #4                  @ runs: 3 - 4, N set, Z clear
    movne   r5, #10                 @ NE is now true: runs
    moveq   r5, #20                 @ EQ false: skipped
    CHECK(r5, 10)
    /* a four-instruction block with mixed conditions */
    mov     r6, #0
    cmp     r6, #0
    ittee   eq
    addeq   r6, #1
    addeq   r6, #2
    addne   r6, #4
    addne   r6, #8
    CHECK(r6, 3)
    /* IT over a 32-bit instruction */
    ldr     r7, =0x12345678
    cmp     r7, #0
    it      ne
    movwne  r7, #0xabcd             @ MOVW clears the top half
    CHECK(r7, 0xabcd)
    /* a branch as the last instruction of a block */
    cmp     r0, #5
    it      eq
    beq     1f
    mov     r0, #99
1:  CHECK(r0, 5)
    pop     {pc}
    .ltorg

compare_branch:
    push    {lr}
    movs    r0, #0
    mov     r1, #0
    cbz     r0, 1f
    mov     r1, #1
1:  CHECK(r1, 0)
    cbnz    r0, 2f
    mov     r1, #2
2:  CHECK(r1, 2)
    mov     r0, #7
    cbnz    r0, 3f
    mov     r1, #3
3:  CHECK(r1, 2)
    pop     {pc}

/* r0 = the case TBB/TBH branched to for index r1 */
table_branch:
    push    {lr}
    mov     r1, #2
    tbb     [pc, r1]
4:  .byte   (5f - 4b) / 2, (6f - 4b) / 2, (7f - 4b) / 2, 0
5:  mov     r0, #10
    b       8f
6:  mov     r0, #11
    b       8f
7:  mov     r0, #12
8:  CHECK(r0, 12)
    mov     r1, #1
    tbh     [pc, r1, lsl #1]
9:  .hword  (10f - 9b) / 2, (11f - 9b) / 2
10: mov     r0, #20
    b       12f
11: mov     r0, #21
12: CHECK(r0, 21)
    pop     {pc}

immediates:
    push    {lr}
    mov     r0, #0x00ab00ab
    CHECK(r0, 0x00ab00ab)
    mov     r0, #0xab00ab00
    CHECK(r0, 0xab00ab00)
    mov     r0, #0xabababab
    CHECK(r0, 0xabababab)
    mov     r0, #0x3fc00
    CHECK(r0, 0x3fc00)
    /* a rotated constant gives C its bit 31; the others keep C */
    SET_FLAGS_T(0)
    movs    r0, #0x80000000
    CHECK_FLAGS(FLAG_N | FLAG_C)
    SET_FLAGS_T(FLAG_C)
    movs    r0, #0x00ff00ff
    CHECK_FLAGS(FLAG_C)
    SET_FLAGS_T(FLAG_C)
    ands    r0, r0, #0x40000000
    CHECK_FLAGS(FLAG_Z)
    ldr     r1, =0xf0f0f0f0
    orn     r2, r1, #0xff
    CHECK(r2, 0xffffff00 | 0xf0)
    orn     r2, r1, r1, lsr #4
    CHECK(r2, 0xf0f0f0f0 | 0xf0f0f0f0)
    mvn     r2, #0xff00
    CHECK(r2, 0xffff00ff)
    addw    r3, r1, #0xfff
    CHECK(r3, 0xf0f100ef)
    subw    r3, r1, #0x123
    CHECK(r3, 0xf0f0efcd)
    adr.w   r4, 13f
    ldr     r5, =13f
    bic     r5, r5, #1
    sub     r0, r4, r5
    CHECK(r0, 0)
    rsb     r0, r1, #0
    CHECK(r0, 0x0f0f0f10)
    cmn     r1, #0x10
    CHECK_FLAGS(FLAG_N)
    teq     r1, #0xf0
    CHECK_FLAGS(FLAG_N)
    pop     {pc}
    .align  2
13: .word   0
    .ltorg

/* ARMv7 (SCTLR.U reads as 1) loads and stores unaligned words and
 * halfwords whole.  Busybox's ps copies "stat" from an odd address
 * with the 16-bit LDR (immediate): "ldr r2, [r3, #0]". */
unaligned:
    push    {r4, lr}
    ldr     r4, =buf
    ldr     r0, =0x03020100
    str     r0, [r4]
    ldr     r0, =0x07060504
    str     r0, [r4, #4]
    ldr     r0, =0x0b0a0908
    str     r0, [r4, #8]
    adds    r4, #1
    ldr     r1, [r4, #0]            @ 16-bit LDR (immediate)
    CHECK(r1, 0x04030201)
    adds    r4, #1
    ldr     r1, [r4, #4]
    CHECK(r1, 0x09080706)
    adds    r4, #1
    movs    r3, #4
    ldr     r1, [r4, r3]            @ 16-bit LDR (register)
    CHECK(r1, 0x0a090807)
    ldrh    r1, [r4, #0]            @ 16-bit LDRH, odd address
    CHECK(r1, 0x0403)
    ldr.w   r1, [r4, #1]            @ 32-bit LDR (imm12)
    CHECK(r1, 0x07060504)
    ldr     r0, =0xddccbbaa
    str     r0, [r4, #0]            @ 16-bit STR at buf + 3
    ldr     r1, [r4, #-3]
    CHECK(r1, 0xaa020100)
    ldr     r1, [r4, #1]
    CHECK(r1, 0x07ddccbb)
    pop     {r4, pc}

loads_stores:
    push    {r4-r7, lr}
    ldr     r4, =buf
    ldr     r0, =0x11223344
    str     r0, [r4, #4]
    ldr     r1, [r4, #4]
    CHECK(r1, 0x11223344)
    ldrb    r1, [r4, #5]
    CHECK(r1, 0x33)
    ldrsh   r1, [r4, #6]
    CHECK(r1, 0x1122)
    add     r5, r4, #8
    ldr     r1, [r5, #-4]
    CHECK(r1, 0x11223344)
    /* pre-indexed with write-back, post-indexed */
    ldr     r1, [r5, #-4]!
    sub     r0, r5, r4
    CHECK(r0, 4)
    str     r1, [r5], #8
    sub     r0, r5, r4
    CHECK(r0, 12)
    ldr     r1, [r4, #12]
    CHECK(r1, 0)
    ldr     r1, [r4, #4]
    CHECK(r1, 0x11223344)
    /* register offset with LSL */
    mov     r6, #1
    ldr     r1, [r4, r6, lsl #2]
    CHECK(r1, 0x11223344)
    mov     r3, #4
    strh    r6, [r4, r3, lsl #2]
    ldrh    r1, [r4, #16]
    CHECK(r1, 1)
    /* literal */
    ldr.w   r1, 14f
    CHECK(r1, 0xcafef00d)
    /* unprivileged, in a privileged mode without the MMU */
    ldrt    r1, [r4, #4]
    CHECK(r1, 0x11223344)
    /* LDRD/STRD with an immediate, and write-back */
    ldr     r2, =0xaaaa5555
    ldr     r3, =0x5555aaaa
    strd    r2, r3, [r4, #24]!
    sub     r0, r4, #24
    ldr     r1, =buf
    sub     r0, r0, r1
    CHECK(r0, 0)
    ldrd    r6, r7, [r4], #-24
    CHECK(r6, 0xaaaa5555)
    CHECK(r7, 0x5555aaaa)
    ldr     r1, =buf
    sub     r0, r4, r1
    CHECK(r0, 0)
    /* LDM/STM with 32-bit encodings, PC-relative load of the list */
    mov     r0, #1
    mov     r1, #2
    mov     r2, #3
    add     r5, r4, #32
    stmdb   r5!, {r0-r2, r8}
    sub     r0, r5, r4
    CHECK(r0, 16)
    ldmia.w r5, {r1-r3, r8}
    CHECK(r1, 1)
    CHECK(r3, 3)
    pop     {r4-r7, pc}
    .align  2
14: .word   0xcafef00d
    .ltorg

    .thumb_func
far_thumb:
    add     r0, r0, #1
    bx      lr

    .arm
    .align  2
arm_code:
    add     r0, r0, #0x100
    bx      lr
    .thumb

branches:
    push    {lr}
    mov     r0, #0
    bl      far_thumb
    CHECK(r0, 1)
    blx     arm_code
    CHECK(r0, 0x101)
    /* a conditional 32-bit branch */
    cmp     r0, #0x100
    bhi.w   15f
    mov     r0, #0
15: CHECK(r0, 0x101)
    pop     {pc}

register_forms:
    push    {lr}
    mov     r0, #1
    mov     r1, #33
    lsl.w   r2, r0, r1
    CHECK(r2, 0)
    mov     r1, #4
    lsls.w  r2, r0, r1
    CHECK(r2, 16)
    ldr     r0, =0x80000001
    mov     r1, #1
    rors.w  r2, r0, r1
    CHECK(r2, 0xc0000000)
    CHECK_FLAGS(FLAG_N | FLAG_C)
    ldr     r0, =0x0000ff80
    sxtb.w  r2, r0
    CHECK(r2, 0xffffff80)
    uxtah   r2, r1, r0
    CHECK(r2, 0xff81)
    mov     r1, #7
    mov     r3, #6
    mul.w   r2, r1, r3
    CHECK(r2, 42)
    mls     r2, r1, r3, r2
    CHECK(r2, 0)
    umull   r2, r3, r0, r0
    CHECK(r2, 0xff004000)
    CHECK(r3, 0)
    ldr     r0, =-100
    mov     r1, #7
    sdiv    r2, r0, r1
    CHECK(r2, 0xfffffff2)
    clz     r2, r1
    CHECK(r2, 29)
    rbit    r2, r1
    CHECK(r2, 0xe0000000)
    ldr     r0, =0x00020003
    ldr     r1, =0x00040005
    smuad   r2, r0, r1
    CHECK(r2, 23)
    smlabt  r2, r0, r1, r2
    CHECK(r2, 35)
    uadd16  r2, r0, r1
    CHECK(r2, 0x00060008)
    qadd    r2, r0, r1
    CHECK(r2, 0x00060008)
    sel     r2, r0, r1              @ GE clear after UADD16: all from r1
    CHECK(r2, 0x00040005)
    bfi     r0, r1, #8, #8
    CHECK(r0, 0x00020503)
    ubfx    r2, r0, #8, #4
    CHECK(r2, 5)
    ssat    r2, #4, r1
    CHECK(r2, 7)
    movt    r2, #0x1234
    CHECK(r2, 0x12340007)
    pop     {pc}
    .ltorg

/* An SVC inside an IT block returns after it with the block going on;
 * SUBS PC, LR returns from it. */
    .thumb_func
svc_handler:
    push    {r0, r1}
    ldr     r0, =seen
    str     lr, [r0]
    mrs     r1, spsr
    str     r1, [r0, #4]
    ldr     r1, [r0, #8]
    add     r1, r1, #1
    str     r1, [r0, #8]
    pop     {r0, r1}
    subs    pc, lr, #0

    .thumb_func
undef_handler:
    push    {r0, r1}
    ldr     r0, =seen
    str     lr, [r0]
    mrs     r1, spsr
    str     r1, [r0, #4]
    ldr     r1, [r0, #8]
    add     r1, r1, #1
    str     r1, [r0, #8]
    pop     {r0, r1}
    subs    pc, lr, #0              @ lr: the undefined one + 2 (16-bit)

exceptions_in_it:
    push    {r4-r6, lr}
    ldr     r4, =vector_table
    ldr     r5, [r4, #4]
    ldr     r6, [r4, #8]
    ldr     r0, =undef_handler      @ Thumb: bit 0 set, LDR PC interworks
    str     r0, [r4, #4]
    ldr     r0, =svc_handler
    str     r0, [r4, #8]
    /* an SVC inside an IT block: the rest of the block still runs
     * under it after the return */
    mov     r1, #0
    cmp     r1, #0
    itte    eq
    svceq   #1
    addeq   r1, #1
    addne   r1, #2
    CHECK(r1, 1)
    ldr     r2, =seen
    ldr     r0, [r2, #8]
    CHECK(r0, 1)
    /* the SPSR kept T and the ITSTATE of the two left (0x0c) */
    ldr     r0, [r2, #4]
    ldr     r3, =(PSR_T | 0x0600fc00)
    and     r0, r0, r3
    CHECK(r0, PSR_T | (0x0c >> 2) << 10)
    /* an undefined instruction: LR is the one after it (16-bit) */
    udf     #0
16: ldr     r0, [r2]
    adr     r3, 16b
    sub     r0, r0, r3
    CHECK(r0, 0)                    @ LR: the next instruction
    ldr     r0, [r2, #8]
    CHECK(r0, 2)
    str     r5, [r4, #4]
    str     r6, [r4, #8]
    pop     {r4-r6, pc}
    .ltorg
