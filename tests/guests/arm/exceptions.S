/*
 * Modes and exceptions: MRS/MSR, the banked r13/r14/SPSR of every mode
 * and FIQ's r8-r12, user mode unable to change mode, SWI from ARM and
 * Thumb, the undefined instruction and BKPT exceptions with their
 * return addresses and SPSRs, and exceptions nested inside handlers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

TEST_NAME("exceptions")

    .bss
    .align 2
seen_lr:    .space 4
seen_spsr:  .space 4
seen_cpsr:  .space 4
seen_imm:   .space 4
undef_count: .space 4
swi_count:  .space 4
saved_sp:   .space 4

    .text
    .arm
    .global main
main:
    stmfd   sp!, {r4-r11, lr}
    bl      psr_access
    bl      banked
    bl      swi
    bl      undefined
    bl      breakpoint
    bl      nested
    bl      user_mode
    bl      report
    ldmfd   sp!, {r4-r11, pc}

psr_access:
    mrs     r0, cpsr
    and     r0, r0, #0xff
    CHECK(r0, MODE_SVC | PSR_I | PSR_F)
    msr     cpsr_f, #(FLAG_Z | FLAG_C)
    mrs     r0, cpsr
    and     r0, r0, #0xf0000000
    CHECK(r0, FLAG_Z | FLAG_C)
    /* MSR with a register and only the flags field */
    ldr     r1, =(FLAG_N | MODE_UND)
    msr     cpsr_f, r1
    mrs     r0, cpsr
    bic     r0, r0, #0x0f000000
    bic     r0, r0, #0xf00
    CHECK(r0, FLAG_N | MODE_SVC | PSR_I | PSR_F)
    /* SPSR writes and reads back, field by field */
    ldr     r1, =0xf00000d3
    msr     spsr_cxsf, r1
    mrs     r0, spsr
    CHECK(r0, 0xf00000d3)
    mov     r1, #0x10
    msr     spsr_c, r1
    mrs     r0, spsr
    CHECK(r0, 0xf0000010)
    msr     cpsr_f, #0
    bx      lr
    .ltorg

/* Gives r13, r14 and the SPSR of a mode distinct values, from SVC. */
#define VISIT(mode) msr cpsr_c, #((mode) | PSR_I | PSR_F)
#define SVC_AGAIN msr cpsr_c, #(MODE_SVC | PSR_I | PSR_F)

banked:
    mov     r4, sp
    mov     r5, lr
    mov     r6, #0
    .irp mode, MODE_UND, MODE_ABT, MODE_IRQ, MODE_FIQ
    VISIT(\mode)
    mov     r7, sp
    add     r6, r6, #1
    mov     sp, r6
    add     lr, r6, #0x100
    mov     r0, r6, lsl #28
    msr     spsr_f, r0
    str     r7, [r4, #-4]!          @ the mode's real stack, restored below
    .endr
    SVC_AGAIN
    mov     sp, r4
    mov     r6, #0
    .irp mode, MODE_UND, MODE_ABT, MODE_IRQ, MODE_FIQ
    VISIT(\mode)
    add     r6, r6, #1
    mov     r0, sp
    mov     r1, lr
    mrs     r2, spsr
    SVC_AGAIN
    sub     r0, r0, r6
    CHECK(r0, 0)
    sub     r1, r1, r6
    CHECK(r1, 0x100)
    and     r2, r2, #0xf0000000
    sub     r2, r2, r6, lsl #28
    CHECK(r2, 0)
    .endr
    /* the stacks back, in reverse order */
    .irp mode, MODE_FIQ, MODE_IRQ, MODE_ABT, MODE_UND
    VISIT(\mode)
    ldr     sp, [r4], #4
    .endr
    SVC_AGAIN
    mov     sp, r4
    mov     lr, r5
    /* SYS shares the user registers; SVC's are its own */
    VISIT(MODE_SYS)
    mov     r7, sp
    ldr     sp, =0x5555
    SVC_AGAIN
    sub     r0, r4, sp
    CHECK(r0, 0)
    VISIT(MODE_SYS)
    mov     r0, sp
    mov     sp, r7
    SVC_AGAIN
    CHECK(r0, 0x5555)
    /* FIQ banks r8-r12 */
    mov     r8, #8
    mov     r12, #12
    VISIT(MODE_FIQ)
    mov     r8, #0x88
    mov     r12, #0xcc
    mov     r0, #1
    VISIT(MODE_IRQ)
    mov     r1, r8
    mov     r2, r12
    SVC_AGAIN
    CHECK(r0, 1)
    CHECK(r1, 8)
    CHECK(r2, 12)
    VISIT(MODE_FIQ)
    mov     r1, r8
    mov     r2, r12
    SVC_AGAIN
    CHECK(r1, 0x88)
    CHECK(r2, 0xcc)
    CHECK(r8, 8)
    bx      lr
    .ltorg

/* SWI: records lr, SPSR, CPSR and the comment field, returns. */
swi_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, =seen_lr
    str     lr, [r0]
    mrs     r1, spsr
    str     r1, [r0, #4]
    mrs     r1, cpsr
    str     r1, [r0, #8]
    tst     r1, #0      @ clobber the flags: the return restores them
    mrs     r1, spsr
    tst     r1, #PSR_T
    ldrneh  r1, [lr, #-2]
    bicne   r1, r1, #0xff00
    ldreq   r1, [lr, #-4]
    biceq   r1, r1, #0xff000000
    str     r1, [r0, #12]
    ldr     r0, =swi_count
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    ldmfd   sp!, {r0, r1}
    movs    pc, lr

swi:
    stmfd   sp!, {r4, lr}
    ldr     r0, =vector_table
    adr     r1, swi_handler
    str     r1, [r0, #8]
    msr     cpsr_f, #(FLAG_N | FLAG_V)
    svc     #0x42
1:  CHECK_FLAGS(FLAG_N | FLAG_V)
    ldr     r4, =seen_lr
    ldr     r0, [r4]
    adr     r1, 1b
    sub     r0, r0, r1
    CHECK(r0, 0)
    ldr     r0, [r4, #4]
    bic     r0, r0, #0x0f000000
    bic     r0, r0, #0xf00
    CHECK(r0, FLAG_N | FLAG_V | MODE_SVC | PSR_I | PSR_F)
    ldr     r0, [r4, #8]
    and     r0, r0, #0xff
    CHECK(r0, MODE_SVC | PSR_I | PSR_F)
    ldr     r0, [r4, #12]
    CHECK(r0, 0x42)
    /* from Thumb: SPSR has T, lr is the next Thumb instruction */
    msr     cpsr_f, #0
    blx     thumb_swi
    CHECK(r0, 5)
    ldr     r0, [r4, #12]
    CHECK(r0, 0x12)
    ldr     r0, [r4, #4]
    and     r0, r0, #0xff
    CHECK(r0, MODE_SVC | PSR_T | PSR_I | PSR_F)
    ldr     r0, [r4]
    ldr     r1, =thumb_swi_after
    sub     r0, r0, r1
    CHECK(r0, 0)
    ldmfd   sp!, {r4, pc}
    .ltorg

    .thumb
    .thumb_func
thumb_swi:
    push    {lr}                @ the SWI, taken in SVC mode, sets lr
    mov     r0, #4
    svc     #0x12
thumb_swi_after:
    add     r0, r0, #1
    pop     {pc}
    .arm

/* Undefined instruction: records lr and SPSR, skips the instruction. */
undef_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, =seen_lr
    str     lr, [r0]
    mrs     r1, spsr
    str     r1, [r0, #4]
    mrs     r1, cpsr
    str     r1, [r0, #8]
    ldr     r0, =undef_count
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    ldmfd   sp!, {r0, r1}
    movs    pc, lr

undefined:
    stmfd   sp!, {r4, lr}
    ldr     r0, =vector_table
    adr     r1, undef_handler
    str     r1, [r0, #4]
    msr     cpsr_f, #FLAG_C
    mov     r0, #1
undef_insn:
    .word   0xe7f000f0          @ permanently undefined
    add     r0, r0, #1
    CHECK(r0, 2)
    CHECK_FLAGS(FLAG_C)
    ldr     r4, =seen_lr
    ldr     r0, [r4]
    ldr     r1, =undef_insn + 4
    sub     r0, r0, r1
    CHECK(r0, 0)
    ldr     r0, [r4, #8]
    and     r0, r0, #0x1f
    CHECK(r0, MODE_UND)
    ldr     r0, [r4, #4]
    bic     r0, r0, #0x0f000000
    bic     r0, r0, #0xf00
    CHECK(r0, FLAG_C | MODE_SVC | PSR_I | PSR_F)
    /* a coprocessor nobody answers is undefined too */
    msr     cpsr_f, #0
    mrc     p6, 0, r0, c0, c0, 0
    ldr     r0, =undef_count
    ldr     r0, [r0]
    CHECK(r0, 2)
    /* a conditional undefined instruction that fails is not taken */
    msr     cpsr_f, #0
    .word   0x07f000f0          @ udf with cond eq: not executed
    ldr     r0, =undef_count
    ldr     r0, [r0]
    CHECK(r0, 2)
    ldmfd   sp!, {r4, pc}
    .ltorg

/* BKPT: a prefetch abort, lr = the BKPT + 4. */
pabt_handler:
    stmfd   sp!, {r0, r1}
    ldr     r0, =seen_lr
    str     lr, [r0]
    mrs     r1, spsr
    str     r1, [r0, #4]
    mrs     r1, cpsr
    str     r1, [r0, #8]
    ldmfd   sp!, {r0, r1}
    movs    pc, lr

breakpoint:
    stmfd   sp!, {r4, lr}
    ldr     r0, =vector_table
    adr     r1, pabt_handler
    str     r1, [r0, #12]
bkpt_insn:
    bkpt    #0x17
    ldr     r4, =seen_lr
    ldr     r0, [r4]
    ldr     r1, =bkpt_insn + 4
    sub     r0, r0, r1
    CHECK(r0, 0)
    ldr     r0, [r4, #8]
    and     r0, r0, #0x1f
    CHECK(r0, MODE_ABT)
    ldmfd   sp!, {r4, pc}
    .ltorg

/* A SWI whose handler takes an undefined instruction and a SWI of its
 * own: lr_svc and SPSR_svc are saved around the inner SWI. */
nested_swi_handler:
    stmfd   sp!, {r0-r3, lr}
    mrs     r0, spsr
    stmfd   sp!, {r0}
    ldr     r0, =swi_count
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    cmp     r1, #1
    bne     1f
    .word   0xe7f000f0          @ undefined, inside the SWI handler
    msr     cpsr_f, #FLAG_Z
    svc     #2                  @ the inner SWI
    CHECK_FLAGS(FLAG_Z)
1:  ldmfd   sp!, {r0}
    msr     spsr_cxsf, r0
    ldmfd   sp!, {r0-r3, pc}^

nested:
    stmfd   sp!, {r4, lr}
    ldr     r0, =vector_table
    adr     r1, nested_swi_handler
    str     r1, [r0, #8]
    ldr     r0, =swi_count
    mov     r1, #0
    str     r1, [r0]
    ldr     r0, =undef_count
    str     r1, [r0]
    msr     cpsr_f, #FLAG_V
    mov     r4, #0x44
    svc     #1
    CHECK_FLAGS(FLAG_V)
    CHECK(r4, 0x44)
    ldr     r0, =swi_count
    ldr     r0, [r0]
    CHECK(r0, 2)
    ldr     r0, =undef_count
    ldr     r0, [r0]
    CHECK(r0, 1)
    ldmfd   sp!, {r4, pc}
    .ltorg

/* Back from user mode: the SWI handler continues in SVC mode at the
 * address in r0 with the SVC stack saved before. */
to_svc_handler:
    ldr     sp, =saved_sp
    ldr     sp, [sp]
    mrs     r1, spsr
    bx      r0

user_mode:
    stmfd   sp!, {r4-r6, lr}
    ldr     r0, =saved_sp
    str     sp, [r0]
    ldr     r0, =vector_table
    adr     r1, to_svc_handler
    str     r1, [r0, #8]
    mov     r4, #0x99
    msr     cpsr_c, #MODE_USR
    /* user mode cannot change mode or the interrupt masks */
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    mrs     r5, cpsr
    adr     r0, 1f
    svc     #0
1:  and     r5, r5, #0xff
    CHECK(r5, MODE_USR)
    and     r1, r1, #0xff
    CHECK(r1, MODE_USR)
    CHECK(r4, 0x99)
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    CHECK(r0, MODE_SVC)
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    ldmfd   sp!, {r4-r6, pc}
    .ltorg
