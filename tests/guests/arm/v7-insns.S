/*
 * The ARMv6 and ARMv7 additions to ARM state, on cortex-a15: MOVW/MOVT,
 * the bit-field instructions, reversals, extensions, packing, the
 * saturations with Q, the parallel add/subtract family with GE and SEL,
 * USAD8, the dual and most-significant-word multiplies, SDIV/UDIV,
 * UMAAL, MLS, the exclusives with CLREX, barriers and hints, CPS,
 * SRS/RFE, MSR/MRS of GE, unaligned word loads and LDRHT/STRHT.
 * Built twice: in ARM state and in Thumb-2 (v7-insns-thumb), where
 * each of these is a 32-bit Thumb instruction.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("v7-insns")

    .arch_extension idiv
    .arch_extension sec

#define GE_BITS(x) ((x) << 16)
/* The T bit a return into this code needs. */
#ifdef __thumb__
#define ISA_T PSR_T
#else
#define ISA_T 0
#endif
/* APSR = value (Thumb has no MSR immediate); registers kept. */
#define SET_APSR(value) \
    push {r0} ; ldr r0, =(value) ; msr apsr_nzcvq, r0 ; pop {r0}
/* the GE flags into r0 (bits 3:0) */
#define READ_GE mrs r0, apsr ; ubfx r0, r0, #16, #4

    .bss
    .align 3
xword:      .space 16
stack_area: .space 64

    .text
    .syntax unified
#ifdef __thumb__
    .thumb
    .thumb_func
#else
    .arm
#endif
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    bl      moves_and_bits
    bl      extend_and_pack
    bl      saturate
    bl      parallel
    bl      multiplies
    bl      exclusives
    bl      system
    bl      report
    ldmfd   sp!, {r4-r11, pc}

moves_and_bits:
    movw    r0, #0xbeef
    CHECK(r0, 0xbeef)
    movt    r0, #0xdead
    CHECK(r0, 0xdeadbeef)
    ldr     r1, =0x12345678
    ubfx    r2, r1, #4, #8
    CHECK(r2, 0x67)
    sbfx    r2, r1, #4, #8
    CHECK(r2, 0x67)
    ldr     r1, =0x000ff000
    sbfx    r2, r1, #12, #4
    CHECK(r2, 0xffffffff)
    ubfx    r2, r1, #0, #32
    CHECK(r2, 0x000ff000)
    ldr     r2, =0xffffffff
    bfc     r2, #8, #12
    CHECK(r2, 0xfff000ff)
    mov     r3, #0x5
    bfi     r2, r3, #28, #4
    CHECK(r2, 0x5ff000ff)
    ldr     r1, =0x12345678
    rev     r2, r1
    CHECK(r2, 0x78563412)
    rev16   r2, r1
    CHECK(r2, 0x34127856)
    ldr     r1, =0x000080ff
    revsh   r2, r1
    CHECK(r2, 0xffffff80)
    ldr     r1, =0x80000001
    rbit    r2, r1
    CHECK(r2, 0x80000001)
    ldr     r1, =0x0000000f
    rbit    r2, r1
    CHECK(r2, 0xf0000000)
    /* ARMv7 loads an unaligned word whole */
    ldr     r4, =xword
    ldr     r1, =0x44332211
    str     r1, [r4]
    ldr     r1, =0x88776655
    str     r1, [r4, #4]
    ldr     r2, [r4, #1]
    CHECK(r2, 0x55443322)
    /* LDRHT, STRHT in a privileged mode with the MMU off */
    ldr     r4, =xword
    mov     r1, #0x1234
#ifdef __thumb__
    strht   r1, [r4, #2]
    ldrh    r0, [r4, #2]
    CHECK(r0, 0x1234)
    ldrsht  r2, [r4, #2]
#else
    strht   r1, [r4], #2
    ldr     r5, =xword
    sub     r0, r4, r5
    CHECK(r0, 2)
    ldr     r4, =xword
    ldrsht  r2, [r4], #2
#endif
    CHECK(r2, 0x1234)
    bx      lr
    .ltorg

extend_and_pack:
    ldr     r1, =0x80f17f02
    sxtb    r2, r1
    CHECK(r2, 0x2)
    sxtb    r2, r1, ror #8
    CHECK(r2, 0x7f)
    sxtb    r2, r1, ror #16
    CHECK(r2, 0xfffffff1)
    uxtb    r2, r1, ror #24
    CHECK(r2, 0x80)
    sxth    r2, r1, ror #16
    CHECK(r2, 0xffff80f1)
    uxth    r2, r1
    CHECK(r2, 0x7f02)
    mov     r3, #0x100
    sxtab   r2, r3, r1, ror #16
    CHECK(r2, 0xf1)
    uxtah   r2, r3, r1, ror #16
    CHECK(r2, 0x81f1)
    sxtb16  r2, r1
    CHECK(r2, 0xfff10002)
    uxtb16  r2, r1, ror #8
    CHECK(r2, 0x0080007f)
    ldr     r3, =0x00010001
    sxtab16 r2, r3, r1
    CHECK(r2, 0xfff20003)
    ldr     r3, =0x1111ffff
    ldr     r1, =0xaaaa2222
    pkhbt   r2, r3, r1, lsl #16
    CHECK(r2, 0x2222ffff)
    pkhtb   r2, r3, r1, asr #16
    CHECK(r2, 0x1111aaaa)
    pkhtb   r2, r3, r1, asr #32
    CHECK(r2, 0x1111ffff)
    bx      lr
    .ltorg

saturate:
    SET_APSR(0)
    mov     r1, #300
    usat    r2, #8, r1
    CHECK(r2, 255)
    CHECK_FLAGS(FLAG_Q)
    SET_APSR(0)
    mov     r1, #100
    usat    r2, #8, r1
    CHECK(r2, 100)
    CHECK_FLAGS(0)
    mvn     r1, #0
    usat    r2, #8, r1
    CHECK(r2, 0)
    CHECK_FLAGS(FLAG_Q)
    SET_APSR(0)
    mov     r1, #200
    ssat    r2, #8, r1
    CHECK(r2, 127)
    ldr     r1, =-200
    ssat    r2, #8, r1
    CHECK(r2, 0xffffff80)
    SET_APSR(0)
    mov     r1, #0x100
    ssat    r2, #16, r1, lsl #4
    CHECK(r2, 0x1000)
    CHECK_FLAGS(0)
    ldr     r1, =0x80000000
    ssat    r2, #32, r1, asr #1
    CHECK(r2, 0xc0000000)
    ldr     r1, =0x0100ff00
    ssat16  r2, #8, r1
    CHECK(r2, 0x007fff80)
    usat16  r2, #4, r1
    CHECK(r2, 0x000f0000)
    CHECK_FLAGS(FLAG_Q)
    SET_APSR(0)
    bx      lr
    .ltorg

parallel:
    ldr     r1, =0x7fff8000
    ldr     r2, =0x00010001
    sadd16  r3, r1, r2
    CHECK(r3, 0x80008001)
    READ_GE
    CHECK(r0, 0xc)
    qadd16  r3, r1, r2
    CHECK(r3, 0x7fff8001)
    shadd16 r3, r1, r2
    CHECK(r3, 0x4000c000)
    ssub16  r3, r2, r1
    CHECK(r3, 0x80028001)
    READ_GE
    CHECK(r0, 0x3)
    ldr     r1, =0xff01807f
    ldr     r2, =0x01ff0101
    uadd8   r3, r1, r2
    CHECK(r3, 0x00008180)
    READ_GE
    CHECK(r0, 0xc)
    uqadd8  r3, r1, r2
    CHECK(r3, 0xffff8180)
    uqsub8  r3, r1, r2
    CHECK(r3, 0xfe007f7e)
    usub8   r3, r1, r2
    CHECK(r3, 0xfe027f7e)
    READ_GE
    CHECK(r0, 0xb)
    uhadd8  r3, r1, r2
    CHECK(r3, 0x80804040)
    qsub8   r3, r1, r2
    CHECK(r3, 0xfe02807e)
    ldr     r1, =0x00050003
    ldr     r2, =0x00010002
    sasx    r3, r1, r2
    CHECK(r3, 0x00070002)
    ssax    r3, r1, r2
    CHECK(r3, 0x00030004)
    uasx    r3, r1, r2
    CHECK(r3, 0x00070002)
    READ_GE
    CHECK(r0, 0x3)
    usax    r3, r1, r2
    CHECK(r3, 0x00030004)
    uhsax   r3, r1, r2
    CHECK(r3, 0x00010002)
    /* SEL by the GE of the last USUB8 */
    ldr     r1, =0x01020304
    ldr     r2, =0x01030204
    usub8   r3, r1, r2
    READ_GE
    CHECK(r0, 0xb)
    ldr     r1, =0xaabbccdd
    ldr     r2, =0x11223344
    sel     r3, r1, r2
    CHECK(r3, 0xaa22ccdd)
    /* GE written and read with MSR/MRS */
    ldr     r1, =GE_BITS(0x5)
    msr     apsr_g, r1
    READ_GE
    CHECK(r0, 0x5)
    ldr     r1, =0x01020304
    ldr     r2, =0x04030201
    usad8   r3, r1, r2
    CHECK(r3, 8)
    mov     r4, #100
    usada8  r3, r1, r2, r4
    CHECK(r3, 108)
    bx      lr
    .ltorg

multiplies:
    SET_APSR(0)
    ldr     r1, =0x00030002
    ldr     r2, =0x00050004
    smuad   r3, r1, r2
    CHECK(r3, 23)
    smuadx  r3, r1, r2
    CHECK(r3, 22)
    smusd   r3, r1, r2
    CHECK(r3, 0xfffffff9)
    mov     r4, #1000
    smlad   r3, r1, r2, r4
    CHECK(r3, 1023)
    smlsdx  r3, r1, r2, r4
    CHECK(r3, 998)
    CHECK_FLAGS(0)
    ldr     r1, =0x80008000
    smuad   r3, r1, r1
    CHECK(r3, 0x80000000)
    CHECK_FLAGS(FLAG_Q)
    SET_APSR(0)
    ldr     r1, =0x00030002
    mov     r5, #0
    mvn     r6, #0
    smlald  r6, r5, r1, r2
    CHECK(r6, 22)
    CHECK(r5, 1)
    mov     r5, #0
    mov     r6, #0
    smlsld  r6, r5, r1, r2
    CHECK(r6, 0xfffffff9)
    CHECK(r5, 0xffffffff)
    ldr     r1, =0x40000000
    mov     r2, #6
    smmul   r3, r1, r2
    CHECK(r3, 1)
    smmulr  r3, r1, r2
    CHECK(r3, 2)
    mov     r4, #10
    smmla   r3, r1, r2, r4
    CHECK(r3, 11)
    smmls   r3, r1, r2, r4
    CHECK(r3, 8)
    smmlsr  r3, r1, r2, r4
    CHECK(r3, 9)
    ldr     r1, =-7
    mov     r2, #2
    sdiv    r3, r1, r2
    CHECK(r3, 0xfffffffd)
    udiv    r3, r1, r2
    CHECK(r3, 0x7ffffffc)
    mov     r2, #0
    sdiv    r3, r1, r2
    CHECK(r3, 0)
    udiv    r3, r1, r2
    CHECK(r3, 0)
    ldr     r1, =0x80000000
    mvn     r2, #0
    sdiv    r3, r1, r2
    CHECK(r3, 0x80000000)
    mvn     r1, #0
    mvn     r2, #0
    mvn     r5, #0
    mvn     r6, #0
    umaal   r5, r6, r1, r2
    CHECK(r5, 0xffffffff)
    CHECK(r6, 0xffffffff)
    mov     r1, #7
    mov     r2, #6
    mov     r4, #100
    mls     r3, r1, r2, r4
    CHECK(r3, 58)
    bx      lr
    .ltorg

exclusives:
    ldr     r4, =xword
    mov     r1, #5
    str     r1, [r4]
    ldrex   r2, [r4]
    CHECK(r2, 5)
    add     r2, r2, #1
    strex   r3, r2, [r4]
    CHECK(r3, 0)
    ldr     r0, [r4]
    CHECK(r0, 6)
    /* a second STREX without LDREX fails and stores nothing */
    mov     r2, #9
    strex   r3, r2, [r4]
    CHECK(r3, 1)
    ldr     r0, [r4]
    CHECK(r0, 6)
    /* CLREX opens the monitor */
    ldrex   r2, [r4]
    clrex
    strex   r3, r2, [r4]
    CHECK(r3, 1)
    /* a STREX to another address than the LDREX fails */
    ldrex   r2, [r4]
    add     r5, r4, #4
    strex   r3, r2, [r5]
    CHECK(r3, 1)
    /* byte, halfword, doubleword */
    ldr     r1, =0x80f1
    strh    r1, [r4]
    ldrexb  r2, [r4]
    CHECK(r2, 0xf1)
    mov     r2, #0x42
    strexb  r3, r2, [r4]
    CHECK(r3, 0)
    ldrexh  r2, [r4]
    CHECK(r2, 0x8042)
    ldr     r2, =0x1234
    strexh  r3, r2, [r4]
    CHECK(r3, 0)
    ldr     r0, [r4]
    uxth    r0, r0
    CHECK(r0, 0x1234)
    ldr     r2, =0x11111111
    ldr     r3, =0x22222222
    strd    r2, r3, [r4]
    ldrexd  r6, r7, [r4]
    CHECK(r6, 0x11111111)
    CHECK(r7, 0x22222222)
    ldr     r8, =0x33333333
    ldr     r9, =0x44444444
    strexd  r3, r8, r9, [r4]
    CHECK(r3, 0)
    ldrd    r6, r7, [r4]
    CHECK(r6, 0x33333333)
    CHECK(r7, 0x44444444)
    dmb     ish
    dsb     sy
    isb
    nop
    yield
    sev
    wfe
    bx      lr
    .ltorg

system:
    stmfd   sp!, {r4-r7, lr}
    /* CPS: mask and unmask A (I and F stay masked), switch modes */
    cpsie   a
    mrs     r0, cpsr
    ubfx    r0, r0, #0, #9
    CHECK(r0, MODE_SVC | PSR_I | PSR_F)
    cpsid   a
    mrs     r0, cpsr
    ubfx    r0, r0, #0, #9
    CHECK(r0, 0x100 | MODE_SVC | PSR_I | PSR_F)
    mov     r4, sp
    cps     #MODE_SYS
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    CHECK(r0, MODE_SYS)
    cps     #MODE_SVC
    sub     r0, sp, r4
    CHECK(r0, 0)
    /* SRS onto the stack of SYS, then RFE back here in SVC */
    cps     #MODE_SYS
    mov     r5, sp
    ldr     sp, =stack_area + 32
    cps     #MODE_SVC
    adr     lr, 1f
    ldr     r0, =(FLAG_Z | FLAG_C | MODE_SVC | PSR_I | PSR_F | ISA_T)
    msr     spsr_cxsf, r0
    srsdb   sp!, #MODE_SYS
    cps     #MODE_SYS
    mov     r6, sp
    mov     sp, r5
    cps     #MODE_SVC
    ldr     r0, =stack_area + 24
    sub     r0, r6, r0
    CHECK(r0, 0)
    ldr     r0, [r6, #4]
    CHECK(r0, FLAG_Z | FLAG_C | MODE_SVC | PSR_I | PSR_F | ISA_T)
    SET_APSR(0)
    rfeia   r6!
    b       2f
1:  CHECK_FLAGS(FLAG_Z | FLAG_C)
    ldr     r0, =stack_area + 32
    sub     r0, r6, r0
    CHECK(r0, 0)
    SET_APSR(0)
2:  ldmfd   sp!, {r4-r7, pc}
    .ltorg
