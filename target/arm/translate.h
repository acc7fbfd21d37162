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
    /* ARM_TBFLAG_VFP_ACCESS, _EN and _VEC (see internals.h) */
    bool vfp_access, vfp_en, vfp_vec;
    /* Thumb-2 ITSTATE of this instruction (0: outside an IT block) and
     * of the next one (the IT instruction sets it). */
    uint32_t condexec, next_condexec;
    int mmu_idx;
    bool align_mem;              /* SCTLR.A (ARM_TBFLAG_ALIGN) */
    DisasJumpType is_jmp;
    /* What generated code has made of C and V at this point: an
     * ARM_CV_* that cpu_CVop holds, or CV_UNKNOWN (block start, after a
     * conditional instruction that changed it, after a helper that
     * writes the CPSR). */
    int cv;
    /* N and Z are those of the pending ADD or SUB (no flag setter
     * since wrote them alone): a condition can compare its operands. */
    bool cv_nz;
    /* Where a failed condition skips to; the instruction's code may end
     * the block only on the taken path when this is set. */
    TCGLabel *condlabel;
} DisasContext;

#define CV_UNKNOWN (-1)

extern TCGv_i32 cpu_R[16];
extern TCGv_i32 cpu_NF, cpu_ZF, cpu_CF, cpu_VF, cpu_QF, cpu_thumb;

static inline bool dc_feature(const DisasContext *s, int feature)
{
    return (s->features >> feature) & 1;
}

/* Shifter operand types (ARM bits 6:5). */
enum { SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, SHIFT_ROR };

/* ---- helper calls ---- */

#define ARG_ENV TCG_TYPE_I64
#define ARG_I32 TCG_TYPE_I32

/* Describes helper_fn (env first, then i32s) as info_fn for gen_call. */
#define HELPER(fn, flg, ret, n, ...)                                    \
    static const TCGHelperInfo info_##fn = {                            \
        .func = (void *)helper_##fn, .name = #fn, .flags = (flg),       \
        .ret_type = TCG_TYPE_I32, .has_ret = (ret), .nb_args = (n),     \
        .arg_types = { __VA_ARGS__ },                                   \
    }

/*
 * Calls a helper with env and up to three i32 arguments (NULL for the
 * ones it does not take); returns a new temp with its result, if any.
 */
TCGv_i32 gen_call(const TCGHelperInfo *info, TCGv_i32 a, TCGv_i32 b,
                  TCGv_i32 c);

/* ---- registers (translate.c) ---- */

/* A new temp holding register reg as an operand reads it (r15: the
 * address of the current instruction + 8 in ARM state, + 4 in Thumb). */
TCGv_i32 load_reg(DisasContext *s, int reg);
/* Register reg as an operand the caller only reads, with no copy: the
 * global itself, or r15 as a constant.  It must not be written (its
 * freeing is harmless).  Most instructions read their operands once;
 * a copy is an op the optimiser only throws away again. */
TCGv_i32 read_reg(DisasContext *s, int reg);
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
/* HVC or SMC (EXCP_HVC, EXCP_SMC): PSCI calls or undefined. */
void gen_hvc_smc(DisasContext *s, int excp);

/* CPSR bits of mask = val (mode changes switch banks); frees val.  The
 * caller ends the block when the mode or the masks may change. */
void gen_set_cpsr(DisasContext *s, TCGv_i32 val, uint32_t mask);
/* A new temp holding the SPSR of the current mode. */
TCGv_i32 gen_spsr_read(void);

/* ---- flags ---- */

/* Branches to label when condition cc (0..13) holds. */
void gen_test_cc(DisasContext *s, int cc, TCGLabel *label);
/* N and Z from var (logical operations, MOVS...). */
void gen_logic_CC(DisasContext *s, TCGv_i32 var);
/* Makes CF and VF hold C and V (computes a pending ADD or SUB's): before
 * code that reads cpu_CF or cpu_VF, or writes one of them alone. */
void gen_cv_eager(DisasContext *s);
/* N, Z, C and V from bits 31:28 of var (MRC and VMRS to r15). */
void gen_set_nzcv(DisasContext *s, TCGv_i32 var);
/* d = a op b with all four flags; d may not alias a or b.  ADD and SUB
 * leave C and V pending (cpu.h, ARM_CV_*). */
void gen_add_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_adc_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sub_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sbc_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
/* d = a + b + C and d = a - b - !C without flags. */
void gen_adc(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void gen_sbc(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);

/* Whether data-processing operation op (ARM numbering, bits 24:21) is
 * a logical one, whose C comes from the shifter. */
bool dp_is_logic(int op);
/* The data-processing operation op on src (rn's value; NULL for MOV and
 * MVN) and op2, with the flags when set_cc (a logical operation's C is
 * the caller's, from the shifter), the result to rd (none for the
 * compares; rd 15 with set_cc is the exception return).  Frees src and
 * op2. */
void gen_dp(DisasContext *s, int op, bool set_cc, TCGv_i32 src,
            TCGv_i32 op2, int rd);

/* ---- shifts ---- */

/* var = var shifted by the constant amount of an ARM immediate shift
 * (0 means 32 for LSR/ASR and RRX for ROR); with set_cc, CF gets the
 * shifter carry-out. */
void gen_shift_imm(DisasContext *s, TCGv_i32 var, int shiftop, int shift,
                   bool set_cc);
/* var = var shifted by the low byte of amt (amounts >= 32 included);
 * frees amt. */
void gen_shift_reg(DisasContext *s, TCGv_i32 var, int shiftop, TCGv_i32 amt,
                   bool set_cc);

/* ---- memory ---- */

/* op with MO_ALIGN when SCTLR.A asks for alignment checks. */
MemOp finalize_memop(const DisasContext *s, MemOp op);
void gen_ld(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, MemOp op);
void gen_st(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, MemOp op);
/* ARMv5 LDR: an unaligned address loads the aligned word rotated. */
void gen_ld_word_rotated(DisasContext *s, TCGv_i32 val, TCGv_i32 addr,
                         int mmu_idx);
/* LDR of a word (ARM and Thumb): ARMv7 loads an unaligned word whole
 * (SCTLR.U reads as 1), earlier cores rotate the aligned word. */
void gen_ld_word(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, int mmu_idx);

/* ---- helpers called from generated code (op_helper.c) ---- */

void helper_exception(CPUARMState *env, uint32_t excp) EMU_NORETURN;
/* The prefetch abort of a debug breakpoint at pc, if one matches
 * (debug.c). */
void helper_check_breakpoints(CPUARMState *env, uint32_t pc);
uint32_t helper_add_saturate(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_sub_saturate(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_double_saturate(CPUARMState *env, uint32_t a);
uint32_t helper_add_setq(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_cpsr_read(CPUARMState *env);
const void *helper_arm_lookup_tb_ptr(CPUARMState *env);
void helper_cpsr_write(CPUARMState *env, uint32_t val, uint32_t mask);
uint32_t helper_spsr_read(CPUARMState *env);
void helper_spsr_write(CPUARMState *env, uint32_t val, uint32_t mask);
void helper_exception_return(CPUARMState *env, uint32_t pc);
uint32_t helper_get_user_reg(CPUARMState *env, uint32_t regno);
void helper_set_user_reg(CPUARMState *env, uint32_t regno, uint32_t val);
/* ARMv5 LDRD/STRD under SCTLR.A: the alignment fault unless addr is
 * 8-aligned (r15 holds the instruction's address). */
void helper_check_align8(CPUARMState *env, uint32_t addr, uint32_t store);
uint32_t helper_cp_read(CPUARMState *env, uint32_t insn);
void helper_cp_write(CPUARMState *env, uint32_t insn, uint32_t val);
uint32_t helper_get_r13_banked(CPUARMState *env, uint32_t mode);
void helper_set_r13_banked(CPUARMState *env, uint32_t mode, uint32_t val);
void helper_rfe(CPUARMState *env, uint32_t pc, uint32_t cpsr);
void helper_wfi(CPUARMState *env);
uint32_t helper_cp_read64(CPUARMState *env, uint32_t insn);
void helper_cp_write64(CPUARMState *env, uint32_t insn, uint32_t lo,
                       uint32_t hi);
uint32_t helper_shl_cc(CPUARMState *env, uint32_t x, uint32_t amt);
uint32_t helper_shr_cc(CPUARMState *env, uint32_t x, uint32_t amt);
uint32_t helper_sar_cc(CPUARMState *env, uint32_t x, uint32_t amt);
uint32_t helper_ror_cc(CPUARMState *env, uint32_t x, uint32_t amt);
void helper_xscale_mia(CPUARMState *env, uint32_t insn, uint32_t a,
                       uint32_t b);

/* ---- ARMv6/ARMv7 integer additions (media-helper.c) ---- */

/* The operation code of helper_parallel: unsigned << 5 | kind << 3 | op,
 * kind and op numbered as the ARM encoding's bits 21:20 and 7:5. */
enum {
    PAR_PLAIN = 1,               /* S/U: wrapping, sets GE */
    PAR_SATURATE = 2,            /* Q/UQ */
    PAR_HALVE = 3,               /* SH/UH */
};
enum {
    PAR_ADD16 = 0, PAR_ASX = 1, PAR_SAX = 2, PAR_SUB16 = 3,
    PAR_ADD8 = 4, PAR_SUB8 = 7,
};
#define PAR_UNSIGNED (1u << 5)
#define PAR_KIND(code) (((code) >> 3) & 3)
#define PAR_OP(code) ((code) & 7)

uint32_t helper_parallel(CPUARMState *env, uint32_t a, uint32_t b,
                         uint32_t code);
uint32_t helper_sel(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_usad8(CPUARMState *env, uint32_t a, uint32_t b);
uint32_t helper_ssat(CPUARMState *env, uint32_t x, uint32_t bits);
uint32_t helper_usat(CPUARMState *env, uint32_t x, uint32_t bits);
uint32_t helper_ssat16(CPUARMState *env, uint32_t x, uint32_t bits);
uint32_t helper_usat16(CPUARMState *env, uint32_t x, uint32_t bits);
uint32_t helper_rbit(CPUARMState *env, uint32_t x);
uint32_t helper_sdiv(CPUARMState *env, uint32_t n, uint32_t d);
uint32_t helper_udiv(CPUARMState *env, uint32_t n, uint32_t d);
uint32_t helper_strex(CPUARMState *env, uint32_t addr, uint32_t val,
                      uint32_t size);
uint32_t helper_strexd(CPUARMState *env, uint32_t addr, uint32_t lo,
                       uint32_t hi);

/* ---- the ARMv6/ARMv7 ARM-state decoders (translate-v6.c) ---- */

/* The media space (bits 27:25 = 011 with bit 4 set). */
void disas_arm_media(DisasContext *s, uint32_t insn);
/* LDREX/STREX and their B/H/D forms (the synchronization space with
 * bit 23 set). */
void disas_arm_exclusive(DisasContext *s, uint32_t insn);
/* LDREX* (rd < 0) or STREX* with the status to rd, of size bytes at
 * addr (freed); the doubleword forms use rt and rt2. */
void gen_exclusive(DisasContext *s, int size, int rd, int rt, int rt2,
                   TCGv_i32 addr);
/* The hint op of MSR-space encodings (NOP, YIELD, WFE, WFI, SEV...). */
void gen_hint(DisasContext *s, int op);
/* UMAAL and MLS; false for other words. */
bool disas_arm_mul_v6(DisasContext *s, uint32_t insn);
/* MOVW, MOVT and the hints (NOP, YIELD, WFE, WFI, SEV, DBG) in the
 * immediate MSR space; false for other words. */
bool disas_arm_movw_hint(DisasContext *s, uint32_t insn);
/* The unconditional space: CPS, SETEND, CLREX, barriers, PLI, PLDW,
 * SRS, RFE; false for other words. */
bool disas_arm_uncond_v6(DisasContext *s, uint32_t insn);

/* The ARM-state decoder (translate.c) on an unconditional or AL word:
 * the Thumb decoders hand it the ARM encoding of the instructions the
 * two sets share. */
void disas_arm_insn(DisasContext *s, uint32_t insn);

/* ---- VFP (translate-vfp.c, vfp-helper.c) ---- */

/* The coprocessor 10 and 11 space of an ARM word (cond not 0xf). */
void disas_vfp_insn(DisasContext *s, uint32_t insn);

/* helper_vfp_dp's operations; op packs the code, the precision (double
 * when VFP_OP_DP) and an operation-specific extra, regs the register
 * numbers d | n << 8 | m << 16 (S or D numbers as the operation reads
 * them). */
enum {
    VFP_MLA, VFP_MLS, VFP_NMLA, VFP_NMLS, VFP_MUL, VFP_NMUL, VFP_ADD,
    VFP_SUB, VFP_DIV, VFP_FMA, VFP_FMS, VFP_FNMA, VFP_FNMS, VFP_MOV,
    VFP_ABS, VFP_NEG, VFP_SQRT,
    VFP_CMP,                     /* extra: 1 VCMPE, 2 with zero */
    VFP_CVT_PRECISION,           /* from double (DP) or from single */
    VFP_CVT_FROM_HALF,           /* extra: 1 the top half (VCVTT) */
    VFP_CVT_TO_HALF,
    VFP_FROM_INT,                /* extra: signed; m is an S register */
    VFP_TO_INT,                  /* extra: 1 signed, 2 toward zero */
    VFP_FROM_FIXED,              /* extra: VFP_FIX_*, d in place */
    VFP_TO_FIXED,
};
#define VFP_FIX_FBITS 0x1f
#define VFP_FIX_32 (1 << 5)
#define VFP_FIX_UNSIGNED (1 << 6)
#define VFP_OP_DP (1u << 8)
#define VFP_OP(code, dp, extra) \
    ((code) | ((dp) ? VFP_OP_DP : 0) | (uint32_t)(extra) << 16)
#define VFP_OP_CODE(op) ((op) & 0xff)
#define VFP_OP_EXTRA(op) ((op) >> 16)

/* The VFP system registers (VMRS/VMSR reg field). */
enum {
    VFP_REG_FPSID = 0,
    VFP_REG_FPSCR = 1,
    VFP_REG_MVFR1 = 6,
    VFP_REG_MVFR0 = 7,
    VFP_REG_FPEXC = 8,
};

uint32_t helper_vfp_dp(CPUARMState *env, uint32_t op, uint32_t regs);
void helper_vfp_write_sysreg(CPUARMState *env, uint32_t reg, uint32_t val);

/* ---- Advanced SIMD (translate-neon.c, neon-helper.c) ---- */

/* The ARM encodings: data processing (1111 001U) and the element and
 * structure loads and stores (1111 0100 xxx0). */
void disas_neon_dp(DisasContext *s, uint32_t insn);
void disas_neon_ldst(DisasContext *s, uint32_t insn);
/* The bytes a VLDn/VSTn word transfers (its write-back step), -1 when
 * it is undefined. */
int neon_ldst_bytes(uint32_t insn);
void helper_neon_dp(CPUARMState *env, uint32_t insn);

/* The single-precision element operations of Advanced SIMD
 * (vfp-helper.c), in the "standard FPSCR value": flush-to-zero, default
 * NaN, round to nearest, whatever the FPSCR's mode bits say (AHP
 * excepted); the exception flags they raise accumulate in the FPSCR. */
typedef enum NeonFpOp {
    NEON_FADD, NEON_FSUB, NEON_FMUL, NEON_FABD,
    NEON_FMLA, NEON_FMLS,        /* acc +- a * b, rounded twice */
    NEON_FFMA, NEON_FFMS,        /* acc +- a * b, rounded once */
    NEON_FMAX, NEON_FMIN,
    NEON_FRECPS, NEON_FRSQRTS,   /* 2 - a * b, (3 - a * b) / 2 */
    NEON_FCEQ, NEON_FCGE, NEON_FCGT, NEON_FACGE, NEON_FACGT, /* masks */
    NEON_FCLE, NEON_FCLT,        /* masks, a with b */
    NEON_FRECPE, NEON_FRSQRTE,   /* estimates of a */
    NEON_URECPE, NEON_URSQRTE,   /* estimates of the unsigned fixed a */
    NEON_FTOSI, NEON_FTOUI,      /* to (fixed point with b fraction bits) */
    NEON_SITOF, NEON_UITOF,      /* from fixed point (b fraction bits) */
    NEON_F32_TO_F16, NEON_F16_TO_F32,
} NeonFpOp;
uint32_t neon_fp_op(CPUARMState *env, NeonFpOp op, uint32_t a, uint32_t b,
                    uint32_t acc);
void helper_neon_ldst(CPUARMState *env, uint32_t insn, uint32_t addr,
                      uint32_t mmu_idx);

/* ---- the Thumb decoders (translate-thumb.c, translate-thumb2.c) ---- */

/* Translates the 16-bit instruction at s->pc; may read the next
 * halfword for a BL/BLX pair, advancing s->pc_next past it (ARMv5). */
void disas_thumb_insn(DisasContext *s, uint32_t insn);
/* Whether the 16-bit halfword hw starts a 32-bit Thumb-2 instruction. */
static inline bool thumb_insn_is_32bit(const DisasContext *s, uint32_t hw)
{
    return dc_feature(s, ARM_FEATURE_V7) && hw >= 0xe800;
}
/* Translates the 32-bit Thumb-2 instruction insn (first halfword in the
 * top half). */
void disas_thumb2_insn(DisasContext *s, uint32_t insn);
/* The ITSTATE after one more instruction of the block (0 at its end). */
static inline uint32_t it_advance(uint32_t it)
{
    return (it & 7) ? (it & 0xe0) | ((it << 1) & 0x1f) : 0;
}
/* Sets env's ITSTATE to it (what an exception or the next block sees). */
void gen_set_condexec(uint32_t it);

#endif
