/*
 * What the ARM-state decoder (translate.c) and the Thumb decoder
 * (translate-thumb.c) share: the per-block decoding context, the guest
 * state globals and the IR generators both instruction sets use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_ARM_TRANSLATE_H
#define TARGET_ARM_TRANSLATE_H

#include "tcg/tcg-op.h"
#include "internals.h"

/* How the instruction just translated ends the block. */
typedef enum DisasJumpType {
    DISAS_NEXT,          /* go on with the next instruction */
    DISAS_TOO_MANY,      /* block full or page end: chain to pc_next */
    DISAS_JUMP,          /* r15 (and thumb) written: look the target up */
    DISAS_UPDATE,        /* CPU state changed: r15 = pc_next, leave */
    DISAS_EXIT,          /* r15 already written, CPU state changed: leave */
    DISAS_NORETURN,      /* an exception was raised; nothing follows */
} DisasJumpType;

typedef struct DisasContext {
    TranslationBlock *tb;
    CPUState *cpu;
    uint32_t pc;                 /* address of the current instruction */
    uint32_t pc_next;            /* address of the one after it */
    uint32_t page_start;         /* guest page the block lies in */
    uint64_t features;           /* 1 << ARM_FEATURE_* of the model */
    bool thumb;
    bool priv;                   /* not user mode */
    bool semihost;
    bool xscale_cp0;             /* MIA/MAR/MRA allowed (XScale CPAR.0) */
    int mmu_idx;
    DisasJumpType is_jmp;
    /* Where a failed condition skips to; the instruction's code may end
     * the block only on the taken path when this is set. */
    TCGLabel *condlabel;
} DisasContext;

extern TCGv_i32 cpu_R[16];
extern TCGv_i32 cpu_NF, cpu_ZF, cpu_CF, cpu_VF, cpu_QF, cpu_thumb;

static inline bool dc_feature(const DisasContext *s, int feature)
{
    return (s->features >> feature) & 1;
}

/* Shifter operand types (ARM bits 6:5). */
enum { SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, SHIFT_ROR };

/* ---- registers (translate.c) ---- */

/* A new temp holding register reg as an operand reads it (r15: the
 * address of the current instruction + 8 in ARM state, + 4 in Thumb). */
TCGv_i32 load_reg(DisasContext *s, int reg);
/* Writes var to reg and frees var; r15 is a branch without
 * interworking (the low bits are dropped) and ends the block. */
void store_reg(DisasContext *s, int reg, TCGv_i32 var);
/* Branch to the address in var, switching to Thumb if bit 0 is set
 * (BX and the ARMv5 interworking loads); frees var. */
void gen_bx(DisasContext *s, TCGv_i32 var);
/* ARMv5: loads into r15 interwork, other registers are plain. */
void store_reg_from_load(DisasContext *s, int reg, TCGv_i32 var);
/* A direct branch to dest (same instruction set, or thumb switched
 * already), chained when dest lies in the block's page. */
void gen_jmp(DisasContext *s, uint32_t dest);
/* Raises excp with r15 = pc (see arm_raise_exception for which
 * address each exception wants: SWI the next instruction). */
void gen_exception_at(DisasContext *s, int excp, uint32_t pc);
/* Raises excp with r15 = the current instruction. */
void gen_exception_insn(DisasContext *s, int excp);
void gen_undef(DisasContext *s);

/* ---- flags ---- */

/* Branches to label when condition cc (0..13) holds. */
void gen_test_cc(int cc, TCGLabel *label);
void gen_logic_CC(TCGv_i32 var);
/* d = a op b with all four flags; d may not alias a or b. */
void gen_add_CC(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_adc_CC(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sub_CC(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sbc_CC(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
/* d = a + b + C and d = a - b - !C without flags. */
void gen_adc(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sbc(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);

/* ---- shifts ---- */

/* var = var shifted by the constant amount of an ARM immediate shift
 * (0 means 32 for LSR/ASR and RRX for ROR); with set_cc, CF gets the
 * shifter carry-out. */
void gen_shift_imm(TCGv_i32 var, int shiftop, int shift, bool set_cc);
/* var = var shifted by the low byte of amt (amounts >= 32 included);
 * frees amt. */
void gen_shift_reg(TCGv_i32 var, int shiftop, TCGv_i32 amt, bool set_cc);

/* ---- memory ---- */

void gen_ld(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, MemOp op);
void gen_st(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, MemOp op);
/* ARMv5 LDR: an unaligned address loads the aligned word rotated. */
void gen_ld_word_rotated(DisasContext *s, TCGv_i32 val, TCGv_i32 addr,
                         int mmu_idx);

/* ---- helpers called from generated code (op_helper.c) ---- */

void helper_exception(CPUARMState *env, uint32_t excp) EMU_NORETURN;
uint32_t helper_add_saturate(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_sub_saturate(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_double_saturate(CPUARMState *env, uint32_t a);
uint32_t helper_add_setq(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_cpsr_read(CPUARMState *env);
void helper_cpsr_write(CPUARMState *env, uint32_t val, uint32_t mask);
uint32_t helper_spsr_read(CPUARMState *env);
void helper_spsr_write(CPUARMState *env, uint32_t val, uint32_t mask);
void helper_exception_return(CPUARMState *env, uint32_t pc);
uint32_t helper_get_user_reg(CPUARMState *env, uint32_t regno);
void helper_set_user_reg(CPUARMState *env, uint32_t regno, uint32_t val);
uint32_t helper_cp_read(CPUARMState *env, uint32_t insn);
void helper_cp_write(CPUARMState *env, uint32_t insn, uint32_t val);
uint32_t helper_shl_cc(CPUARMState *env, uint32_t x, uint32_t amt);
uint32_t helper_shr_cc(CPUARMState *env, uint32_t x, uint32_t amt);
uint32_t helper_sar_cc(CPUARMState *env, uint32_t x, uint32_t amt);
uint32_t helper_ror_cc(CPUARMState *env, uint32_t x, uint32_t amt);
void helper_xscale_mia(CPUARMState *env, uint32_t insn, uint32_t a,
                       uint32_t b);

/* ---- the Thumb decoder (translate-thumb.c) ---- */

/* Translates the 16-bit instruction at s->pc; may read the next
 * halfword for a BL/BLX pair, advancing s->pc_next past it. */
void disas_thumb_insn(DisasContext *s, uint32_t insn);

#endif
