/*
 * run_state(state, entry) for v7-random.c: r0-r12 from state[0..12]
 * and the APSR's NZCVQ and GE from state[13], a call to entry (bit 0
 * set: Thumb), then r0-r12 and the APSR back into state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .syntax unified
    .arm
    .text
    .global run_state
run_state:
    push    {r4-r11, lr}
    push    {r0, r1}                @ [sp] state, [sp, #4] entry
    ldr     r2, [r0, #52]
    msr     APSR_nzcvqg, r2
    ldm     r0, {r0-r12}
    adr     lr, 1f
    ldr     pc, [sp, #4]            @ interworking: bit 0 picks the state
1:  str     r12, [sp, #4]           @ entry's slot now keeps r12
    ldr     r12, [sp]
    stm     r12, {r0-r11}
    mrs     r0, APSR
    str     r0, [r12, #52]
    ldr     r0, [sp, #4]
    str     r0, [r12, #48]
    add     sp, sp, #8
    pop     {r4-r11, pc}

/*
 * The undefined instruction handler: counts it in fault_info[6] and
 * returns past it.  In Thumb state LR is the instruction's address + 2
 * whatever its size, so a 32-bit one (first halfword 0xe800 or above)
 * needs 2 more, and the SPSR's ITSTATE is the skipped instruction's:
 * it advances as if the instruction had run (ITAdvance), so that the
 * rest of an IT block keeps its conditions.
 */
    .global undef_skip_any_handler
undef_skip_any_handler:
    push    {r0-r2}
    mrs     r0, spsr
    tst     r0, #0x20
    beq     2f
    ldrh    r1, [lr, #-2]
    and     r1, r1, #0xf800
    cmp     r1, #0xe800
    addhs   lr, lr, #2
    ubfx    r1, r0, #25, #2         @ IT[1:0]
    ubfx    r2, r0, #10, #6         @ IT[7:2]
    orr     r1, r1, r2, lsl #2
    tst     r1, #7
    moveq   r1, #0                  @ the block's last: ITSTATE ends
    beq     1f
    and     r2, r1, #0x1f           @ IT[4:0] shifts left
    lsl     r2, r2, #1
    and     r2, r2, #0x1f
    bic     r1, r1, #0x1f
    orr     r1, r1, r2
1:  bfi     r0, r1, #25, #2
    lsr     r1, r1, #2
    bfi     r0, r1, #10, #6
    msr     spsr_fsxc, r0
2:  ldr     r0, =fault_info
    ldr     r1, [r0, #24]
    add     r1, r1, #1
    str     r1, [r0, #24]
    pop     {r0-r2}
    movs    pc, lr
    .ltorg
