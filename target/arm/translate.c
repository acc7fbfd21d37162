/*
 * The ARM front end of tcg: ARM-state (ARMv5TE, XScale DSP) guest
 * instructions to IR, the block loop shared with Thumb state, and the
 * IR generators both decoders use (operands, flags, shifts, memory,
 * branches, exceptions).
 *
 * The PC is known while translating, so reading r15 yields a constant
 * and the r15 global is written only where a block ends or an exception
 * may be taken; insn_start records each instruction's address so a
 * fault inside a block restores r15 to the faulting instruction.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "disas/disas.h"
#include <capstone/capstone.h>
#include "translate.h"

TCGv_i32 cpu_R[16];
TCGv_i32 cpu_NF, cpu_ZF, cpu_CF, cpu_VF, cpu_QF, cpu_thumb;
/* Lazy C and V (see "flags" below). */
static TCGv_i32 cpu_CVop, cpu_CVa, cpu_CVb;

static const char * const regnames[16] = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "pc",
};

void arm_translate_init(void)
{
    for (int i = 0; i < 16; i++) {
        cpu_R[i] = tcg_global_mem_new_i32(offsetof(CPUARMState, regs[i]),
                                          regnames[i]);
    }
    cpu_NF = tcg_global_mem_new_i32(offsetof(CPUARMState, NF), "NF");
    cpu_ZF = tcg_global_mem_new_i32(offsetof(CPUARMState, ZF), "ZF");
    cpu_CF = tcg_global_mem_new_i32(offsetof(CPUARMState, CF), "CF");
    cpu_VF = tcg_global_mem_new_i32(offsetof(CPUARMState, VF), "VF");
    cpu_CVop = tcg_global_mem_new_i32(offsetof(CPUARMState, cv_op), "CVop");
    cpu_CVa = tcg_global_mem_new_i32(offsetof(CPUARMState, cv_a), "CVa");
    cpu_CVb = tcg_global_mem_new_i32(offsetof(CPUARMState, cv_b), "CVb");
    cpu_QF = tcg_global_mem_new_i32(offsetof(CPUARMState, QF), "QF");
    cpu_thumb = tcg_global_mem_new_i32(offsetof(CPUARMState, thumb),
                                       "thumb");
}

void arm_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb,
                              const uint64_t *data)
{
    ARMCPU *acpu = container_of(cpu, ARMCPU, parent_obj);

    acpu->env.regs[15] = data[0];
    acpu->env.condexec_bits = data[1];
}

/* ---- helper calls ---- */

/* Helpers that may raise or that write flags see and change the
 * globals; pure readers of the state only need them synced first. */
HELPER(exception, TCG_CALL_NO_RETURN, false, 2, ARG_ENV, ARG_I32);
/* Called before every instruction of a block translated while a debug
 * breakpoint is armed: it returns having changed nothing or raises, so
 * the globals stay in host registers across it. */
HELPER(check_breakpoints, TCG_CALL_NO_WRITE_GLOBALS, false, 2, ARG_ENV,
       ARG_I32);
HELPER(add_saturate, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(sub_saturate, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(double_saturate, 0, true, 2, ARG_ENV, ARG_I32);
HELPER(add_setq, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(cpsr_read, TCG_CALL_NO_WRITE_GLOBALS, true, 1, ARG_ENV);
HELPER(cpsr_write, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(spsr_read, TCG_CALL_NO_RWG, true, 1, ARG_ENV);
HELPER(spsr_write, TCG_CALL_NO_RWG, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(exception_return, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(get_user_reg, TCG_CALL_NO_WRITE_GLOBALS, true, 2, ARG_ENV, ARG_I32);
HELPER(set_user_reg, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(check_align8, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(cp_read, 0, true, 2, ARG_ENV, ARG_I32);
HELPER(cp_write, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(cp_read64, 0, true, 2, ARG_ENV, ARG_I32);
HELPER(cp_write64, 0, false, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);
HELPER(shl_cc, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(shr_cc, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(sar_cc, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(ror_cc, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(xscale_mia, TCG_CALL_NO_RWG, false, 4,
       ARG_ENV, ARG_I32, ARG_I32, ARG_I32);

TCGv_i32 gen_call(const TCGHelperInfo *info, TCGv_i32 a,
                         TCGv_i32 b, TCGv_i32 c)
{
    TCGTemp *args[4] = { tcgv_ptr_temp(tcg_env()) };
    TCGv_i32 in[3] = { a, b, c };
    TCGv_i32 ret = NULL;

    for (int i = 1; i < info->nb_args; i++) {
        args[i] = tcgv_i32_temp(in[i - 1]);
    }
    if (info->has_ret) {
        ret = tcg_temp_new_i32();
    }
    tcg_gen_callN(info, ret ? tcgv_i32_temp(ret) : NULL, args);
    return ret;
}

/* ---- registers and branches ---- */

TCGv_i32 read_reg(DisasContext *s, int reg)
{
    if (reg == 15) {
        return tcg_constant_i32(s->pc + (s->thumb ? 4 : 8));
    }
    return cpu_R[reg];
}

/* Frees an operand that came from load_reg or read_reg: only a copy is
 * a temp of its own. */
static void free_operand(TCGv_i32 t)
{
    if (tcgv_i32_temp(t)->kind == TEMP_NORMAL) {
        tcg_temp_free_i32(t);
    }
}

TCGv_i32 load_reg(DisasContext *s, int reg)
{
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_mov_i32(t, read_reg(s, reg));
    return t;
}

/* Register-specified shifts read r15 one word further on (pc + 12);
 * for reading only, as read_reg. */
static TCGv_i32 read_reg_dp(DisasContext *s, int reg, bool reg_shift)
{
    if (reg == 15 && reg_shift) {
        return tcg_constant_i32(s->pc + 12);
    }
    return read_reg(s, reg);
}

void store_reg(DisasContext *s, int reg, TCGv_i32 var)
{
    if (reg == 15) {
        tcg_gen_andi_i32(var, var, s->thumb ? ~1u : ~3u);
        s->is_jmp = DISAS_JUMP;
    }
    tcg_gen_mov_i32(cpu_R[reg], var);
    tcg_temp_free_i32(var);
}

void gen_bx(DisasContext *s, TCGv_i32 var)
{
    tcg_gen_andi_i32(cpu_thumb, var, 1);
    tcg_gen_andi_i32(cpu_R[15], var, ~1u);
    tcg_temp_free_i32(var);
    s->is_jmp = DISAS_JUMP;
}

void store_reg_from_load(DisasContext *s, int reg, TCGv_i32 var)
{
    if (reg == 15 && dc_feature(s, ARM_FEATURE_V5)) {
        gen_bx(s, var);
    } else {
        store_reg(s, reg, var);
    }
}

/* Direct jumps chain to any page: the core unchains jumps into another
 * page whenever the TLB is flushed (tb_unchain_cross_page). */
static bool use_goto_tb(DisasContext *s)
{
    return !(s->tb->cflags & (CF_NO_CHAIN | CF_SINGLE_STEP));
}

/* The block lookup of an indirect branch: the state read directly, no
 * indirect call to arm_cpu_get_tb_cpu_state. */
static const TCGHelperInfo info_arm_lookup_tb_ptr = {
    .func = (void *)helper_arm_lookup_tb_ptr,
    .name = "arm_lookup_tb_ptr",
    .flags = TCG_CALL_NO_WRITE_GLOBALS | TCG_CALL_NO_SIDE_EFFECTS,
    .ret_type = TCG_TYPE_I64,
    .has_ret = true,
    .nb_args = 1,
    .arg_types = { ARG_ENV },
};

/* Leaves the block for the code of r15 (already written). */
static void gen_goto_ptr(DisasContext *s)
{
    if (s->tb->cflags & CF_SINGLE_STEP) {
        tcg_gen_exit_tb(NULL, 0);
    } else {
        tcg_gen_lookup_and_goto_ptr_via(&info_arm_lookup_tb_ptr);
    }
}

/* Leaves the block for dest through jump slot n when it can chain. */
static void gen_goto(DisasContext *s, unsigned n, uint32_t dest)
{
    if (use_goto_tb(s)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i32(cpu_R[15], dest);
        tcg_gen_exit_tb(s->tb, n);
    } else {
        tcg_gen_movi_i32(cpu_R[15], dest);
        gen_goto_ptr(s);
    }
}

void gen_jmp(DisasContext *s, uint32_t dest)
{
    gen_goto(s, 0, dest);
    s->is_jmp = DISAS_NORETURN;
}

void gen_set_condexec(uint32_t it)
{
    tcg_gen_st_i32(tcg_constant_i32(it), tcg_env(),
                   offsetof(CPUARMState, condexec_bits));
}

void gen_exception_at(DisasContext *s, int excp, uint32_t pc)
{
    TCGv_i32 t = tcg_temp_new_i32();

    /* In an IT block env holds the next instruction's ITSTATE already;
     * an exception that returns to this instruction wants its own. */
    if (s->condexec && pc == s->pc) {
        gen_set_condexec(s->condexec);
    }

    tcg_gen_movi_i32(cpu_R[15], pc);
    tcg_gen_movi_i32(t, excp);
    gen_call(&info_exception, t, NULL, NULL);
    tcg_temp_free_i32(t);
    s->is_jmp = DISAS_NORETURN;
}

void gen_exception_insn(DisasContext *s, int excp)
{
    gen_exception_at(s, excp, s->pc);
}

void gen_undef(DisasContext *s)
{
    gen_exception_insn(s, EXCP_UDEF);
}

/* HVC and SMC: undefined in user mode; otherwise an exception with the
 * PC past the instruction, where a PSCI call returns (the exception
 * code turns any other call into an undefined instruction). */
void gen_hvc_smc(DisasContext *s, int excp)
{
    if (!s->priv) {
        gen_undef(s);
    } else {
        gen_exception_at(s, excp, s->pc_next);
    }
}

/* ---- flags ---- */

/*
 * Lazy C and V.  ADDS, SUBS, CMP and CMN (and their Thumb forms) write N
 * and Z as the result, as every flag setter does, but only record their
 * operands and the operation for C and V (cpu_CVa, cpu_CVb, cpu_CVop):
 * most of the time the next flag setter overwrites C and V before
 * anything reads them, here or in a following block.  What reads them
 * takes them from the operands: a condition right after a compare
 * becomes one host compare of the operands; ADC, RRX or a shifter
 * carry-out first makes them eager again (gen_cv_eager).  Outside
 * generated code cpsr_read and cpsr_write do the same, so exceptions,
 * MRS, the monitor and gdb see exact flags.
 */
/* C (0 or 1) into c and V (bit 31) into v of the pending operation
 * s->cv (ARM_CV_ADD or ARM_CV_SUB). */
static void gen_cv_pending(DisasContext *s, TCGv_i32 c, TCGv_i32 v)
{
    TCGv_i32 res = tcg_temp_new_i32();
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_xor_i32(t, cpu_CVa, cpu_CVb);
    if (s->cv == ARM_CV_ADD) {
        tcg_gen_add_i32(res, cpu_CVa, cpu_CVb);
        tcg_gen_setcond_i32(TCG_COND_LTU, c, res, cpu_CVa);  /* carry */
        tcg_gen_xor_i32(v, res, cpu_CVa);
        tcg_gen_andc_i32(v, v, t);
    } else {
        tcg_gen_sub_i32(res, cpu_CVa, cpu_CVb);
        tcg_gen_setcond_i32(TCG_COND_GEU, c, cpu_CVa, cpu_CVb); /* no borrow */
        tcg_gen_xor_i32(v, res, cpu_CVa);
        tcg_gen_and_i32(v, v, t);
    }
    tcg_temp_free_i32(res);
    tcg_temp_free_i32(t);
}

/* res, C (0 or 1) and V (bit 31) of the 33-bit sum a + b + cin, cin
 * being 0 or 1: V is set when the operands agree in sign and the
 * result does not.  c may be cin; no output may be a or b.  (ADC and
 * SBC, and a pending C and V of unknown kind.) */
static void gen_add_with_carry(TCGv_i32 res, TCGv_i32 c, TCGv_i32 v,
                               TCGv_i32 a, TCGv_i32 b, TCGv_i32 cin)
{
    TCGv_i64 x = tcg_temp_new_i64();
    TCGv_i64 y = tcg_temp_new_i64();
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_extu_i32_i64(x, a);
    tcg_gen_extu_i32_i64(y, b);
    tcg_gen_add_i64(x, x, y);
    tcg_gen_extu_i32_i64(y, cin);
    tcg_gen_add_i64(x, x, y);
    tcg_gen_extrl_i64_i32(res, x);
    tcg_gen_extrh_i64_i32(c, x);
    tcg_gen_xor_i32(v, res, a);
    tcg_gen_xor_i32(t, a, b);
    tcg_gen_andc_i32(v, v, t);
    tcg_temp_free_i64(x);
    tcg_temp_free_i64(y);
    tcg_temp_free_i32(t);
}

/* Where the state is not known here, cpu_CVop says it: both cases are
 * computed as the sum a + b' + cin (a SUB is a + ~b + 1) and picked
 * without a branch, which would end the register allocator's block. */
static void gen_cv_materialize(void)
{
    TCGv_i32 sub = tcg_temp_new_i32();
    TCGv_i32 b = tcg_temp_new_i32();
    TCGv_i32 res = tcg_temp_new_i32();
    TCGv_i32 c = tcg_temp_new_i32();
    TCGv_i32 v = tcg_temp_new_i32();

    tcg_gen_shri_i32(sub, cpu_CVop, 1);          /* 1 for ARM_CV_SUB only */
    tcg_gen_neg_i32(b, sub);
    tcg_gen_xor_i32(b, b, cpu_CVb);
    gen_add_with_carry(res, c, v, cpu_CVa, b, sub);
    tcg_gen_movcond_i32(TCG_COND_NE, cpu_CF, cpu_CVop,
                        tcg_constant_i32(ARM_CV_EAGER), c, cpu_CF);
    tcg_gen_movcond_i32(TCG_COND_NE, cpu_VF, cpu_CVop,
                        tcg_constant_i32(ARM_CV_EAGER), v, cpu_VF);
    tcg_temp_free_i32(sub);
    tcg_temp_free_i32(b);
    tcg_temp_free_i32(res);
    tcg_temp_free_i32(c);
    tcg_temp_free_i32(v);
}

void gen_cv_eager(DisasContext *s)
{
    switch (s->cv) {
    case ARM_CV_EAGER:
        return;
    case ARM_CV_ADD:
    case ARM_CV_SUB:
        gen_cv_pending(s, cpu_CF, cpu_VF);
        /* the operands need not reach env: cpu_CVop says eager */
        tcg_gen_discard_i32(cpu_CVa);
        tcg_gen_discard_i32(cpu_CVb);
        break;
    default:
        gen_cv_materialize();
        break;
    }
    tcg_gen_movi_i32(cpu_CVop, ARM_CV_EAGER);
    s->cv = ARM_CV_EAGER;
}

/* The conditions on C and V alone or with Z, after a SUB whose N and Z
 * are still the flags, as one compare of its operands. */
static const TCGCond sub_cond[14] = {
    [0x2] = TCG_COND_GEU,                /* CS: no borrow */
    [0x3] = TCG_COND_LTU,                /* CC */
    [0x8] = TCG_COND_GTU,                /* HI */
    [0x9] = TCG_COND_LEU,                /* LS */
    [0xa] = TCG_COND_GE,                 /* GE: N == V */
    [0xb] = TCG_COND_LT,                 /* LT */
    [0xc] = TCG_COND_GT,                 /* GT: Z clear and N == V */
    [0xd] = TCG_COND_LE,                 /* LE */
};

void gen_test_cc(DisasContext *s, int cc, TCGLabel *label)
{
    TCGv_i32 t, c = cpu_CF, v = cpu_VF;

    switch (cc) {
    case 0x0: /* EQ */
        tcg_gen_brcondi_i32(TCG_COND_EQ, cpu_ZF, 0, label);
        return;
    case 0x1: /* NE */
        tcg_gen_brcondi_i32(TCG_COND_NE, cpu_ZF, 0, label);
        return;
    case 0x4: /* MI */
        tcg_gen_brcondi_i32(TCG_COND_LT, cpu_NF, 0, label);
        return;
    case 0x5: /* PL */
        tcg_gen_brcondi_i32(TCG_COND_GE, cpu_NF, 0, label);
        return;
    case 0xe: /* AL */
    case 0xf:
        tcg_gen_br(label);
        return;
    }
    if (s->cv == ARM_CV_SUB && s->cv_nz && sub_cond[cc] != TCG_COND_NEVER) {
        tcg_gen_brcond_i32(sub_cond[cc], cpu_CVa, cpu_CVb, label);
        return;
    }
    if (s->cv == ARM_CV_ADD || s->cv == ARM_CV_SUB) {
        c = tcg_temp_new_i32();
        v = tcg_temp_new_i32();
        gen_cv_pending(s, c, v);
    } else {
        gen_cv_eager(s);
    }

    switch (cc) {
    case 0x2: /* CS */
        tcg_gen_brcondi_i32(TCG_COND_NE, c, 0, label);
        break;
    case 0x3: /* CC */
        tcg_gen_brcondi_i32(TCG_COND_EQ, c, 0, label);
        break;
    case 0x6: /* VS */
        tcg_gen_brcondi_i32(TCG_COND_LT, v, 0, label);
        break;
    case 0x7: /* VC */
        tcg_gen_brcondi_i32(TCG_COND_GE, v, 0, label);
        break;
    case 0x8: /* HI: C set and Z clear */
    case 0x9: /* LS */
        t = tcg_temp_new_i32();
        tcg_gen_neg_i32(t, c);
        tcg_gen_and_i32(t, t, cpu_ZF);
        tcg_gen_brcondi_i32(cc == 8 ? TCG_COND_NE : TCG_COND_EQ, t, 0,
                            label);
        tcg_temp_free_i32(t);
        break;
    case 0xa: /* GE: N == V */
    case 0xb: /* LT */
        t = tcg_temp_new_i32();
        tcg_gen_xor_i32(t, cpu_NF, v);
        tcg_gen_brcondi_i32(cc == 0xa ? TCG_COND_GE : TCG_COND_LT, t, 0,
                            label);
        tcg_temp_free_i32(t);
        break;
    default: /* GT: Z clear and N == V; LE */
        t = tcg_temp_new_i32();
        tcg_gen_xor_i32(t, cpu_NF, v);
        tcg_gen_sari_i32(t, t, 31);        /* 0 if N == V, else -1 */
        tcg_gen_andc_i32(t, cpu_ZF, t);    /* non-zero iff GT */
        tcg_gen_brcondi_i32(cc == 0xc ? TCG_COND_NE : TCG_COND_EQ, t, 0,
                            label);
        tcg_temp_free_i32(t);
        break;
    }
    if (c != cpu_CF) {
        tcg_temp_free_i32(c);
        tcg_temp_free_i32(v);
    }
}

void gen_logic_CC(DisasContext *s, TCGv_i32 var)
{
    tcg_gen_mov_i32(cpu_NF, var);
    tcg_gen_mov_i32(cpu_ZF, var);
    s->cv_nz = false;
}

/* N and Z of d = a op b; C and V pending. */
static void gen_cv_lazy(DisasContext *s, int op, TCGv_i32 d, TCGv_i32 a,
                        TCGv_i32 b)
{
    if (op == ARM_CV_ADD) {
        tcg_gen_add_i32(cpu_NF, a, b);
    } else {
        tcg_gen_sub_i32(cpu_NF, a, b);
    }
    tcg_gen_mov_i32(cpu_ZF, cpu_NF);
    tcg_gen_mov_i32(cpu_CVa, a);
    tcg_gen_mov_i32(cpu_CVb, b);
    tcg_gen_movi_i32(cpu_CVop, op);
    /* CF and VF are read only while cpu_CVop says eager: a C and V an
     * ADC or a shifter computed earlier in the block need not reach env. */
    tcg_gen_discard_i32(cpu_CF);
    tcg_gen_discard_i32(cpu_VF);
    tcg_gen_mov_i32(d, cpu_NF);
    s->cv = op;
    s->cv_nz = true;
}

void gen_add_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    gen_cv_lazy(s, ARM_CV_ADD, d, a, b);
}

void gen_sub_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    gen_cv_lazy(s, ARM_CV_SUB, d, a, b);
}

/* ADC and SBC, which read C, compute their flags eagerly. */
void gen_adc_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    gen_cv_eager(s);
    gen_add_with_carry(cpu_NF, cpu_CF, cpu_VF, a, b, cpu_CF);
    tcg_gen_mov_i32(cpu_ZF, cpu_NF);
    tcg_gen_mov_i32(d, cpu_NF);
    s->cv_nz = false;
}

/* a - b - !C is a + ~b + C, with the flags of that sum. */
void gen_sbc_CC(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    TCGv_i32 nb = tcg_temp_new_i32();

    tcg_gen_not_i32(nb, b);
    gen_adc_CC(s, d, a, nb);
    tcg_temp_free_i32(nb);
}

void gen_adc(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    gen_cv_eager(s);
    tcg_gen_add_i32(d, a, b);
    tcg_gen_add_i32(d, d, cpu_CF);
}

void gen_sbc(DisasContext *s, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    gen_cv_eager(s);
    tcg_gen_sub_i32(d, a, b);
    tcg_gen_add_i32(d, d, cpu_CF);
    tcg_gen_subi_i32(d, d, 1);
}

/* ---- shifts ---- */

/* CF = bit n of var (a shifter carry-out: V stays as it was). */
static void gen_set_CF_bit(DisasContext *s, TCGv_i32 var, int n)
{
    gen_cv_eager(s);
    if (n == 31) {
        tcg_gen_shri_i32(cpu_CF, var, 31);
        return;
    }
    if (n == 0) {
        tcg_gen_andi_i32(cpu_CF, var, 1);
        return;
    }
    tcg_gen_shri_i32(cpu_CF, var, n);
    tcg_gen_andi_i32(cpu_CF, cpu_CF, 1);
}

void gen_set_nzcv(DisasContext *s, TCGv_i32 var)
{
    tcg_gen_mov_i32(cpu_NF, var);
    tcg_gen_andi_i32(cpu_ZF, var, 1u << 30);
    tcg_gen_xori_i32(cpu_ZF, cpu_ZF, 1u << 30);
    tcg_gen_shri_i32(cpu_CF, var, 29);
    tcg_gen_andi_i32(cpu_CF, cpu_CF, 1);
    tcg_gen_shli_i32(cpu_VF, var, 3);
    tcg_gen_movi_i32(cpu_CVop, ARM_CV_EAGER);
    s->cv = ARM_CV_EAGER;
    s->cv_nz = false;
}

void gen_shift_imm(DisasContext *s, TCGv_i32 var, int shiftop, int shift,
                   bool set_cc)
{
    TCGv_i32 t;

    switch (shiftop) {
    case SHIFT_LSL:
        if (shift != 0) {
            if (set_cc) {
                gen_set_CF_bit(s, var, 32 - shift);
            }
            tcg_gen_shli_i32(var, var, shift);
        }
        break;
    case SHIFT_LSR:
        if (shift == 0) {               /* LSR #32 */
            if (set_cc) {
                gen_set_CF_bit(s, var, 31);
            }
            tcg_gen_movi_i32(var, 0);
        } else {
            if (set_cc) {
                gen_set_CF_bit(s, var, shift - 1);
            }
            tcg_gen_shri_i32(var, var, shift);
        }
        break;
    case SHIFT_ASR:
        if (shift == 0) {               /* ASR #32 */
            shift = 32;
        }
        if (set_cc) {
            gen_set_CF_bit(s, var, shift - 1);
        }
        tcg_gen_sari_i32(var, var, shift == 32 ? 31 : shift);
        break;
    default:
        if (shift == 0) {               /* RRX */
            t = tcg_temp_new_i32();
            gen_cv_eager(s);
            tcg_gen_shli_i32(t, cpu_CF, 31);
            if (set_cc) {
                gen_set_CF_bit(s, var, 0);
            }
            tcg_gen_shri_i32(var, var, 1);
            tcg_gen_or_i32(var, var, t);
            tcg_temp_free_i32(t);
        } else {
            if (set_cc) {
                gen_set_CF_bit(s, var, shift - 1);
            }
            tcg_gen_rotri_i32(var, var, shift);
        }
        break;
    }
}

void gen_shift_reg(DisasContext *s, TCGv_i32 var, int shiftop, TCGv_i32 amt,
                   bool set_cc)
{
    static const TCGHelperInfo *const cc_helpers[4] = {
        &info_shl_cc, &info_shr_cc, &info_sar_cc, &info_ror_cc,
    };
    TCGv_i32 t, c;

    tcg_gen_andi_i32(amt, amt, 0xff);
    if (set_cc) {
        gen_cv_eager(s);                /* the helper writes CF alone */
        t = gen_call(cc_helpers[shiftop], var, amt, NULL);
        tcg_gen_mov_i32(var, t);
        tcg_temp_free_i32(t);
        tcg_temp_free_i32(amt);
        return;
    }
    /* The IR's shifts and rotations take their count mod 32, as x86's
     * do: no mask of the amount first. */
    t = tcg_temp_new_i32();
    switch (shiftop) {
    case SHIFT_LSL:
    case SHIFT_LSR:
        /* Amounts of 32 and more shift everything out. */
        c = tcg_temp_new_i32();
        if (shiftop == SHIFT_LSL) {
            tcg_gen_shl_i32(t, var, amt);
        } else {
            tcg_gen_shr_i32(t, var, amt);
        }
        tcg_gen_movi_i32(c, 0);
        tcg_gen_movcond_i32(TCG_COND_GTU, var, amt, tcg_constant_i32(31),
                            c, t);
        tcg_temp_free_i32(c);
        break;
    case SHIFT_ASR:
        /* Amounts of 32 and more fill with the sign, as 31 does. */
        tcg_gen_movi_i32(t, 31);
        tcg_gen_movcond_i32(TCG_COND_GTU, t, amt, t, t, amt);
        tcg_gen_sar_i32(var, var, t);
        break;
    default:
        tcg_gen_rotr_i32(var, var, amt);
        break;
    }
    tcg_temp_free_i32(t);
    tcg_temp_free_i32(amt);
}

/* ---- memory ---- */

MemOp finalize_memop(const DisasContext *s, MemOp op)
{
    return s->align_mem ? op | MO_ALIGN : op;
}

void gen_ld(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, MemOp op)
{
    tcg_gen_qemu_ld_i32(val, addr, s->mmu_idx, finalize_memop(s, op));
}

void gen_st(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, MemOp op)
{
    tcg_gen_qemu_st_i32(val, addr, s->mmu_idx, finalize_memop(s, op));
}

void gen_ld_word_rotated(DisasContext *s, TCGv_i32 val, TCGv_i32 addr,
                         int mmu_idx)
{
    /* With alignment checking there is nothing to rotate: it faults.
     * Otherwise the core rotates a misaligned word on its slow path. */
    tcg_gen_qemu_ld_i32(val, addr, mmu_idx,
                        MO_UL | (s->align_mem ? MO_ALIGN : MO_ROTATE));
}

void gen_ld_word(DisasContext *s, TCGv_i32 val, TCGv_i32 addr, int mmu_idx)
{
    if (dc_feature(s, ARM_FEATURE_V7)) {
        tcg_gen_qemu_ld_i32(val, addr, mmu_idx, finalize_memop(s, MO_UL));
    } else {
        gen_ld_word_rotated(s, val, addr, mmu_idx);
    }
}

/* ---- ARM state: data processing ---- */

static uint32_t ror32(uint32_t x, unsigned n)
{
    n &= 31;
    return n ? (x >> n) | (x << (32 - n)) : x;
}

bool dp_is_logic(int op)
{
    /* AND EOR TST TEQ ORR MOV BIC MVN take C from the shifter. */
    static const bool logic_op[16] = {
        [0x0] = true, [0x1] = true, [0x8] = true, [0x9] = true,
        [0xc] = true, [0xd] = true, [0xe] = true, [0xf] = true,
    };

    return logic_op[op];
}

void gen_dp(DisasContext *s, int op, bool set_cc, TCGv_i32 src,
            TCGv_i32 op2, int rd)
{
    /* The result goes straight into its register, except for r15
     * (a branch) and the compares (no register): every generator
     * below reads its inputs before it writes d, so rd may be one of
     * them, and nothing can fault half-way. */
    bool to_reg = rd != 15 && !(op >= 0x8 && op <= 0xb);
    TCGv_i32 res = to_reg ? cpu_R[rd] : tcg_temp_new_i32();

    switch (op) {
    case 0x0: case 0x8:                 /* AND, TST */
        tcg_gen_and_i32(res, src, op2);
        break;
    case 0x1: case 0x9:                 /* EOR, TEQ */
        tcg_gen_xor_i32(res, src, op2);
        break;
    case 0x2: case 0xa:                 /* SUB, CMP */
        if (set_cc) {
            gen_sub_CC(s, res, src, op2);
        } else {
            tcg_gen_sub_i32(res, src, op2);
        }
        break;
    case 0x3:                           /* RSB */
        if (set_cc) {
            gen_sub_CC(s, res, op2, src);
        } else {
            tcg_gen_sub_i32(res, op2, src);
        }
        break;
    case 0x4: case 0xb:                 /* ADD, CMN */
        if (set_cc) {
            gen_add_CC(s, res, src, op2);
        } else {
            tcg_gen_add_i32(res, src, op2);
        }
        break;
    case 0x5:                           /* ADC */
        if (set_cc) {
            gen_adc_CC(s, res, src, op2);
        } else {
            gen_adc(s, res, src, op2);
        }
        break;
    case 0x6:                           /* SBC */
        if (set_cc) {
            gen_sbc_CC(s, res, src, op2);
        } else {
            gen_sbc(s, res, src, op2);
        }
        break;
    case 0x7:                           /* RSC */
        if (set_cc) {
            gen_sbc_CC(s, res, op2, src);
        } else {
            gen_sbc(s, res, op2, src);
        }
        break;
    case 0xc:                           /* ORR */
        tcg_gen_or_i32(res, src, op2);
        break;
    case 0xd:                           /* MOV */
        tcg_gen_mov_i32(res, op2);
        break;
    case 0xe:                           /* BIC */
        tcg_gen_andc_i32(res, src, op2);
        break;
    default:                            /* MVN */
        tcg_gen_not_i32(res, op2);
        break;
    }
    if (set_cc && dp_is_logic(op)) {
        gen_logic_CC(s, res);
    }
    free_operand(op2);
    if (src) {
        free_operand(src);
    }

    if (to_reg) {
        return;
    }
    if (op >= 0x8 && op <= 0xb) {       /* compares write no register */
        tcg_temp_free_i32(res);
    } else if (set_cc) {
        /* Exception return: CPSR = SPSR, then the branch. */
        gen_call(&info_exception_return, res, NULL, NULL);
        s->cv = CV_UNKNOWN;
        tcg_temp_free_i32(res);
        s->is_jmp = DISAS_EXIT;
    } else {
        store_reg(s, rd, res);
    }
}

static void disas_arm_dp(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 21) & 0xf;
    bool set_cc = insn & (1 << 20);
    int rn = (insn >> 16) & 0xf;
    int rd = (insn >> 12) & 0xf;
    bool shifter_cc = set_cc && dp_is_logic(op);
    bool reg_shift = false;
    TCGv_i32 op2, src = NULL;

    /* MOV and MVN have no Rn, the compares no Rd: those fields should be
     * zero, and the encodings that break that are UNPREDICTABLE.  They
     * are undefined here, as in QEMU, so that both agree on random code
     * (0x93fdcab8, MVNLS with Rn = r13, traps). */
    if (((op == 0xd || op == 0xf) && rn != 0) ||
        (op >= 0x8 && op <= 0xb && rd != 0)) {
        gen_undef(s);
        return;
    }
    if (insn & (1 << 25)) {
        int rot = (insn >> 7) & 0x1e;
        uint32_t imm = ror32(insn & 0xff, rot);

        op2 = tcg_constant_i32(imm);
        if (shifter_cc && rot) {
            gen_cv_eager(s);
            tcg_gen_movi_i32(cpu_CF, imm >> 31);
        }
    } else {
        int rm = insn & 0xf;
        int shiftop = (insn >> 5) & 3;

        if (insn & (1 << 4)) {
            reg_shift = true;
            op2 = tcg_temp_new_i32();
            tcg_gen_mov_i32(op2, read_reg_dp(s, rm, true));
            gen_shift_reg(s, op2, shiftop, load_reg(s, (insn >> 8) & 0xf),
                          shifter_cc);
        } else if (shiftop == SHIFT_LSL && !(insn & (0x1f << 7))) {
            op2 = read_reg(s, rm);          /* LSL #0: no shift, C kept */
        } else {
            op2 = load_reg(s, rm);
            gen_shift_imm(s, op2, shiftop, (insn >> 7) & 0x1f, shifter_cc);
        }
    }
    if (op != 0xd && op != 0xf) {
        src = read_reg_dp(s, rn, reg_shift);
    }

    gen_dp(s, op, set_cc, src, op2, rd);
}

/* ---- ARM state: status registers ---- */

void gen_set_cpsr(DisasContext *s, TCGv_i32 val, uint32_t mask)
{
    gen_call(&info_cpsr_write, val, tcg_constant_i32(mask), NULL);
    s->cv = CV_UNKNOWN;
    tcg_temp_free_i32(val);
}

TCGv_i32 gen_spsr_read(void)
{
    return gen_call(&info_spsr_read, NULL, NULL, NULL);
}

static void gen_msr(DisasContext *s, uint32_t insn, TCGv_i32 val)
{
    uint32_t mask = 0;

    for (int i = 0; i < 4; i++) {
        if (insn & (1 << (16 + i))) {
            mask |= 0xffu << (8 * i);
        }
    }
    if (insn & (1 << 22)) {             /* SPSR: user mode has none */
        if (!s->priv) {
            tcg_temp_free_i32(val);
            gen_undef(s);
            return;
        }
        gen_call(&info_spsr_write, val, tcg_constant_i32(mask), NULL);
        tcg_temp_free_i32(val);
    } else {
        /* T is never written by MSR; user mode writes only the flags. */
        uint32_t valid = CPSR_NZCV;

        if (dc_feature(s, ARM_FEATURE_V5TE)) {
            valid |= CPSR_Q;
        }
        if (dc_feature(s, ARM_FEATURE_V6)) {
            valid |= CPSR_GE;
        }
        if (s->priv) {
            valid |= CPSR_M | CPSR_F | CPSR_I;
            if (dc_feature(s, ARM_FEATURE_V6)) {
                valid |= CPSR_A | CPSR_E;
            }
        }
        mask &= valid;
        gen_set_cpsr(s, val, mask);
        if (mask & 0xffff) {
            /* Mode or interrupt masks changed: the block's flags and a
             * pending interrupt must be looked at again. */
            s->is_jmp = DISAS_UPDATE;
        }
    }
}

static void disas_arm_mrs(DisasContext *s, uint32_t insn)
{
    int rd = (insn >> 12) & 0xf;
    TCGv_i32 t;

    if (insn & (1 << 22)) {
        if (!s->priv) {
            gen_undef(s);
            return;
        }
        t = gen_call(&info_spsr_read, NULL, NULL, NULL);
    } else {
        t = gen_call(&info_cpsr_read, NULL, NULL, NULL);
    }
    store_reg(s, rd, t);
}

/* ---- ARM state: miscellaneous (BX, CLZ, QADD, BKPT, DSP multiplies) ---- */

/* The signed halfword of var selected by top. */
static void gen_half(TCGv_i32 var, bool top)
{
    if (top) {
        tcg_gen_sari_i32(var, var, 16);
    } else {
        tcg_gen_ext16s_i32(var, var);
    }
}

static void disas_arm_dsp_mul(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 21) & 3;
    int rd = (insn >> 16) & 0xf;
    int rn = (insn >> 12) & 0xf;
    bool x = insn & (1 << 5);
    bool y = insn & (1 << 6);
    TCGv_i32 a = load_reg(s, insn & 0xf);
    TCGv_i32 b = load_reg(s, (insn >> 8) & 0xf);
    TCGv_i32 res, acc;
    TCGv_i64 p, q;

    gen_half(b, y);
    if (op == 1) {
        /* SMLAWy / SMULWy: the top 32 bits of the 48-bit product. */
        p = tcg_temp_new_i64();
        q = tcg_temp_new_i64();
        tcg_gen_ext_i32_i64(p, a);
        tcg_gen_ext_i32_i64(q, b);
        tcg_gen_mul_i64(p, p, q);
        tcg_gen_sar_i64(p, p, tcg_constant_i64(16));
        res = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(res, p);
        tcg_temp_free_i64(p);
        tcg_temp_free_i64(q);
        if (!x) {
            acc = load_reg(s, rn);
            tcg_gen_mov_i32(a, res);
            tcg_temp_free_i32(res);
            res = gen_call(&info_add_setq, a, acc, NULL);
            tcg_temp_free_i32(acc);
        }
        store_reg(s, rd, res);
    } else {
        gen_half(a, x);
        res = tcg_temp_new_i32();
        tcg_gen_mul_i32(res, a, b);
        if (op == 0) {                  /* SMLAxy */
            acc = load_reg(s, rn);
            tcg_gen_mov_i32(a, res);
            tcg_temp_free_i32(res);
            res = gen_call(&info_add_setq, a, acc, NULL);
            tcg_temp_free_i32(acc);
            store_reg(s, rd, res);
        } else if (op == 3) {           /* SMULxy */
            store_reg(s, rd, res);
        } else {                        /* SMLALxy: RdHi = rd, RdLo = rn */
            p = tcg_temp_new_i64();
            q = tcg_temp_new_i64();
            tcg_gen_ext_i32_i64(p, res);
            tcg_gen_concat_i32_i64(q, cpu_R[rn], cpu_R[rd]);
            tcg_gen_add_i64(p, p, q);
            tcg_gen_extrl_i64_i32(res, p);
            acc = tcg_temp_new_i32();
            tcg_gen_extrh_i64_i32(acc, p);
            tcg_temp_free_i64(p);
            tcg_temp_free_i64(q);
            store_reg(s, rn, res);
            store_reg(s, rd, acc);
        }
    }
    tcg_temp_free_i32(a);
    tcg_temp_free_i32(b);
}

static void disas_arm_misc(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 21) & 3;
    int rd = (insn >> 12) & 0xf;
    int rm = insn & 0xf;
    TCGv_i32 a, b, t;

    /* The should-be-one/zero fields are checked: encodings that break
     * them are UNPREDICTABLE, and undefined is the safe choice (a word
     * that happens to look like BX must not branch). */
    switch ((insn >> 4) & 0xf) {
    case 0x0:
        if ((insn & 0x0fb0fff0) == 0x0120f000) {
            gen_msr(s, insn, load_reg(s, rm));
            return;
        }
        if ((insn & 0x0fbf0fff) == 0x010f0000) {
            disas_arm_mrs(s, insn);
            return;
        }
        break;
    case 0x1:
        if ((insn & 0x0ffffff0) == 0x012fff10) {    /* BX */
            gen_bx(s, load_reg(s, rm));
            return;
        }
        if ((insn & 0x0fff0ff0) == 0x016f0f10 &&
            dc_feature(s, ARM_FEATURE_V5)) {        /* CLZ */
            a = load_reg(s, rm);
            t = tcg_temp_new_i32();
            tcg_gen_clz_i32(t, a, tcg_constant_i32(32));
            tcg_temp_free_i32(a);
            store_reg(s, rd, t);
            return;
        }
        break;
    case 0x2:
        /* BXJ: no Jazelle, so a BX (ARMv6 and later) */
        if ((insn & 0x0ffffff0) == 0x012fff20 &&
            dc_feature(s, ARM_FEATURE_V6)) {
            gen_bx(s, load_reg(s, rm));
            return;
        }
        break;
    case 0x3:
        if ((insn & 0x0ffffff0) == 0x012fff30 &&
            dc_feature(s, ARM_FEATURE_V5)) {        /* BLX reg */
            a = load_reg(s, rm);
            tcg_gen_movi_i32(cpu_R[14], s->pc + 4);
            gen_bx(s, a);
            return;
        }
        break;
    case 0x5:                           /* QADD QSUB QDADD QDSUB */
        if (!dc_feature(s, ARM_FEATURE_V5TE) || (insn & 0xf00)) {
            break;
        }
        a = load_reg(s, rm);
        b = load_reg(s, (insn >> 16) & 0xf);
        if (op & 2) {
            t = gen_call(&info_double_saturate, b, NULL, NULL);
            tcg_temp_free_i32(b);
            b = t;
        }
        t = gen_call(op & 1 ? &info_sub_saturate : &info_add_saturate,
                     a, b, NULL);
        tcg_temp_free_i32(a);
        tcg_temp_free_i32(b);
        store_reg(s, rd, t);
        return;
    case 0x7:
        if (op == 1 && dc_feature(s, ARM_FEATURE_V5)) {     /* BKPT */
            gen_exception_insn(s, EXCP_BKPT);
            return;
        }
        if (op == 0 && s->semihost && (insn & 0xfff0f) == 0xf0000) {
            /* HLT 0xf000, the A32 semihosting trap, on any core as
             * QEMU takes it */
            gen_exception_insn(s, EXCP_SEMIHOST);
            return;
        }
        if (op >= 2 && dc_feature(s, ARM_FEATURE_V7) &&
            (op == 2 || !(insn & 0xfff00))) {               /* HVC, SMC */
            gen_hvc_smc(s, op == 2 ? EXCP_HVC : EXCP_SMC);
            return;
        }
        break;
    case 0x8: case 0xa: case 0xc: case 0xe:
        if (dc_feature(s, ARM_FEATURE_V5TE)) {
            disas_arm_dsp_mul(s, insn);
            return;
        }
        break;
    default:
        break;
    }
    gen_undef(s);
}

/* ---- ARM state: multiplies, SWP, halfword and doubleword transfers ---- */

static void disas_arm_mul(DisasContext *s, uint32_t insn)
{
    bool set_cc = insn & (1 << 20);
    bool acc = insn & (1 << 21);
    int rd = (insn >> 16) & 0xf;        /* RdHi for the long forms */
    int rn = (insn >> 12) & 0xf;        /* RdLo for the long forms */
    TCGv_i32 a = read_reg(s, insn & 0xf);
    TCGv_i32 b = read_reg(s, (insn >> 8) & 0xf);
    TCGv_i32 lo, hi;

    if (!(insn & (1 << 23))) {          /* MUL, MLA */
        lo = tcg_temp_new_i32();
        tcg_gen_mul_i32(lo, a, b);
        if (acc) {
            tcg_gen_add_i32(lo, lo, cpu_R[rn]);
        }
        if (set_cc) {
            gen_logic_CC(s, lo);
        }
        store_reg(s, rd, lo);
    } else {                            /* UMULL UMLAL SMULL SMLAL */
        TCGv_i64 p = tcg_temp_new_i64();
        TCGv_i64 q = tcg_temp_new_i64();

        if (insn & (1 << 22)) {
            tcg_gen_ext_i32_i64(p, a);
            tcg_gen_ext_i32_i64(q, b);
        } else {
            tcg_gen_extu_i32_i64(p, a);
            tcg_gen_extu_i32_i64(q, b);
        }
        tcg_gen_mul_i64(p, p, q);
        if (acc) {
            tcg_gen_concat_i32_i64(q, cpu_R[rn], cpu_R[rd]);
            tcg_gen_add_i64(p, p, q);
        }
        lo = tcg_temp_new_i32();
        hi = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(lo, p);
        tcg_gen_extrh_i64_i32(hi, p);
        tcg_temp_free_i64(p);
        tcg_temp_free_i64(q);
        if (set_cc) {
            tcg_gen_mov_i32(cpu_NF, hi);
            tcg_gen_or_i32(cpu_ZF, lo, hi);
            s->cv_nz = false;
        }
        store_reg(s, rn, lo);
        store_reg(s, rd, hi);
    }
}

static void disas_arm_swp(DisasContext *s, uint32_t insn)
{
    bool byte = insn & (1 << 22);
    TCGv_i32 addr = load_reg(s, (insn >> 16) & 0xf);
    TCGv_i32 val = load_reg(s, insn & 0xf);
    TCGv_i32 old = tcg_temp_new_i32();

    if (byte) {
        gen_ld(s, old, addr, MO_UB);
        gen_st(s, val, addr, MO_UB);
    } else {
        gen_ld_word_rotated(s, old, addr, s->mmu_idx);
        tcg_gen_andi_i32(addr, addr, ~3u);
        gen_st(s, val, addr, MO_UL);
    }
    tcg_temp_free_i32(addr);
    tcg_temp_free_i32(val);
    store_reg(s, (insn >> 12) & 0xf, old);
}

/* addr += or -= the offset of a halfword/doubleword transfer. */
static void gen_add_extra_offset(DisasContext *s, uint32_t insn,
                                 TCGv_i32 addr)
{
    bool up = insn & (1 << 23);
    TCGv_i32 off;

    if (insn & (1 << 22)) {
        uint32_t imm = ((insn >> 4) & 0xf0) | (insn & 0xf);

        tcg_gen_addi_i32(addr, addr, up ? imm : -imm);
        return;
    }
    off = load_reg(s, insn & 0xf);
    if (up) {
        tcg_gen_add_i32(addr, addr, off);
    } else {
        tcg_gen_sub_i32(addr, addr, off);
    }
    tcg_temp_free_i32(off);
}

static void disas_arm_ldst_extra(DisasContext *s, uint32_t insn)
{
    bool pre = insn & (1 << 24);
    bool wback = !pre || (insn & (1 << 21));
    bool load = insn & (1 << 20);
    int sh = (insn >> 5) & 3;
    int rn = (insn >> 16) & 0xf;
    int rd = (insn >> 12) & 0xf;
    bool dual = !load && sh >= 2;
    TCGv_i32 addr, v1 = NULL, v2 = NULL;

    if (dual && (!dc_feature(s, ARM_FEATURE_V5TE) || (rd & 1) || rd == 14)) {
        gen_undef(s);
        return;
    }
    addr = load_reg(s, rn);
    if (pre) {
        gen_add_extra_offset(s, insn, addr);
    }
    if (dual) {
        TCGv_i32 a2 = tcg_temp_new_i32();

        tcg_gen_addi_i32(a2, addr, 4);
        if (s->align_mem && !dc_feature(s, ARM_FEATURE_V6)) {
            /* Before ARMv6 (SCTLR.U = 0) a doubleword must be aligned
             * to 8 for SCTLR.A; v6 and later check each word. */
            tcg_gen_movi_i32(cpu_R[15], s->pc);
            gen_call(&info_check_align8, addr,
                     tcg_constant_i32(sh == 3), NULL);
        }
        if (sh == 2) {                  /* LDRD */
            v1 = tcg_temp_new_i32();
            v2 = tcg_temp_new_i32();
            gen_ld(s, v1, addr, MO_UL);
            gen_ld(s, v2, a2, MO_UL);
        } else {                        /* STRD */
            TCGv_i32 t = load_reg(s, rd);

            gen_st(s, t, addr, MO_UL);
            tcg_temp_free_i32(t);
            t = load_reg(s, rd + 1);
            gen_st(s, t, a2, MO_UL);
            tcg_temp_free_i32(t);
        }
        tcg_temp_free_i32(a2);
    } else if (load) {
        static const MemOp ops[4] = { MO_UL, MO_UW, MO_SB, MO_SW };

        v1 = tcg_temp_new_i32();
        gen_ld(s, v1, addr, ops[sh]);
    } else {                            /* STRH */
        TCGv_i32 t = load_reg(s, rd);

        gen_st(s, t, addr, MO_UW);
        tcg_temp_free_i32(t);
    }
    if (!pre) {
        gen_add_extra_offset(s, insn, addr);
    }
    /* Write the base back before the loaded registers: a load into the
     * base register wins. */
    if (wback) {
        store_reg(s, rn, addr);
    } else {
        tcg_temp_free_i32(addr);
    }
    if (v1) {
        store_reg_from_load(s, rd, v1);
    }
    if (v2) {
        store_reg(s, rd + 1, v2);
    }
}

static void disas_arm_mul_ldst_extra(DisasContext *s, uint32_t insn)
{
    if ((insn >> 5) & 3) {
        disas_arm_ldst_extra(s, insn);
    } else if ((insn & 0x0fc000f0) == 0x00000090 ||
               (insn & 0x0f8000f0) == 0x00800090) {
        disas_arm_mul(s, insn);
    } else if ((insn & 0x0fb00ff0) == 0x01000090) {
        disas_arm_swp(s, insn);
    } else if ((insn & 0x0f8000f0) == 0x01800090 &&
               dc_feature(s, ARM_FEATURE_V6)) {
        disas_arm_exclusive(s, insn);
    } else if (!disas_arm_mul_v6(s, insn)) {
        gen_undef(s);
    }
}

static void disas_arm_dp_misc(DisasContext *s, uint32_t insn)
{
    bool imm = insn & (1 << 25);

    if (!imm && (insn & 0x90) == 0x90) {
        disas_arm_mul_ldst_extra(s, insn);
    } else if ((insn & 0x01900000) == 0x01000000) {
        /* TST/TEQ/CMP/CMN without S: the miscellaneous space */
        if (!imm) {
            disas_arm_misc(s, insn);
        } else if (disas_arm_movw_hint(s, insn)) {
            /* MOVW, MOVT, hints */
        } else if ((insn & 0x0fb0f000) == 0x0320f000) { /* MSR imm */
            TCGv_i32 t = tcg_temp_new_i32();

            tcg_gen_movi_i32(t, ror32(insn & 0xff, (insn >> 7) & 0x1e));
            gen_msr(s, insn, t);
        } else {
            gen_undef(s);
        }
    } else {
        disas_arm_dp(s, insn);
    }
}

/* ---- ARM state: word and byte transfers ---- */

static void disas_arm_ldst(DisasContext *s, uint32_t insn)
{
    bool pre = insn & (1 << 24);
    bool up = insn & (1 << 23);
    bool byte = insn & (1 << 22);
    bool load = insn & (1 << 20);
    bool wback = !pre || (insn & (1 << 21));
    int rn = (insn >> 16) & 0xf;
    int rd = (insn >> 12) & 0xf;
    /* Post-indexed with W set: LDRT/STRT access as user mode. */
    int mmu_idx = (!pre && (insn & (1 << 21))) ? ARM_MMU_IDX_USER
                                                : s->mmu_idx;
    TCGv_i32 addr = tcg_temp_new_i32();
    TCGv_i32 off, val = NULL;

    if (insn & (1 << 25)) {
        off = load_reg(s, insn & 0xf);
        gen_shift_imm(s, off, (insn >> 5) & 3, (insn >> 7) & 0x1f, false);
    } else {
        off = tcg_constant_i32(insn & 0xfff);
    }
    if (!pre) {
        tcg_gen_mov_i32(addr, read_reg(s, rn));
    } else if (up) {
        tcg_gen_add_i32(addr, read_reg(s, rn), off);
    } else {
        tcg_gen_sub_i32(addr, read_reg(s, rn), off);
    }
    if (load) {
        val = tcg_temp_new_i32();
        if (byte) {
            tcg_gen_qemu_ld_i32(val, addr, mmu_idx, MO_UB);
        } else {
            gen_ld_word(s, val, addr, mmu_idx);
        }
    } else {
        tcg_gen_qemu_st_i32(read_reg(s, rd), addr, mmu_idx,
                            finalize_memop(s, byte ? MO_UB : MO_UL));
    }
    if (!pre) {
        if (up) {
            tcg_gen_add_i32(addr, addr, off);
        } else {
            tcg_gen_sub_i32(addr, addr, off);
        }
    }
    free_operand(off);
    if (wback) {
        store_reg(s, rn, addr);
    } else {
        tcg_temp_free_i32(addr);
    }
    if (val) {
        store_reg_from_load(s, rd, val);
    }
}

/* ---- ARM state: LDM/STM ---- */

/*
 * LDM and STM of several words that lie in one page of RAM: one TLB
 * lookup for all of them, then plain host loads or stores (nothing can
 * fault there).  Branches to the per-word accesses that follow when the
 * TLB does not map the range so (a miss, which those accesses fill; a
 * page crossing; MMIO, code or a watchpoint in the page), and returns
 * the label after them, where the fast path goes on.  The words go to
 * (or come from) the same places as in the per-word code: a loaded base
 * or PC into their temps, the other registers straight into cpu_R[].
 */
static TCGLabel *gen_ldm_stm_one_page(DisasContext *s, TCGv_i32 addr,
                                      unsigned list, bool load,
                                      TCGv_i32 loaded_base,
                                      TCGv_i32 loaded_pc, int rn)
{
    TCGLabel *slow = gen_new_label();
    TCGLabel *done = gen_new_label();
    TCGv_i64 host64 = tcg_temp_new_i64();
    TCGv_ptr host = temp_tcgv_ptr(tcgv_i64_temp(host64));
    int ofs = 0;

    tcg_gen_tlb_range_ptr(host, addr, s->mmu_idx, !load,
                          4 * __builtin_popcount(list));
    tcg_gen_brcondi_i64(TCG_COND_EQ, host64, 0, slow);
    for (int i = 0; i < 16; i++, ofs += 4) {
        if (!(list & (1 << i))) {
            ofs -= 4;
            continue;
        }
        if (load) {
            tcg_gen_ld_i32(i == 15 ? loaded_pc : i == rn ? loaded_base
                                                          : cpu_R[i],
                           host, ofs);
        } else {
            TCGv_i32 t = load_reg(s, i);

            tcg_gen_st_i32(t, host, ofs);
            tcg_temp_free_i32(t);
        }
    }
    tcg_temp_free_i64(host64);
    tcg_gen_br(done);
    gen_set_label(slow);
    return done;
}

static void disas_arm_ldm_stm(DisasContext *s, uint32_t insn)
{
    bool pre = insn & (1 << 24);
    bool up = insn & (1 << 23);
    bool s_bit = insn & (1 << 22);
    bool wback = insn & (1 << 21);
    bool load = insn & (1 << 20);
    int rn = (insn >> 16) & 0xf;
    unsigned list = insn & 0xffff;
    int n = __builtin_popcount(list);
    bool exc_return = s_bit && load && (list & 0x8000);
    bool user_bank = s_bit && !exc_return;
    TCGv_i32 addr, loaded_base = NULL, loaded_pc = NULL, t;
    TCGLabel *done = NULL;
    int32_t start;

    /* The user-bank and exception-return forms are UNPREDICTABLE in
     * user mode: undefined, as QEMU does. */
    if (n == 0 || rn == 15 || (s_bit && !s->priv)) {
        gen_undef(s);
        return;
    }
    if (up) {
        start = pre ? 4 : 0;
    } else {
        start = pre ? -4 * n : -4 * n + 4;
    }
    /* The words are aligned: the low address bits are ignored, unless
     * SCTLR.A makes them an alignment fault (at the first word). */
    addr = load_reg(s, rn);
    tcg_gen_addi_i32(addr, addr, start);
    if (!s->align_mem) {
        tcg_gen_andi_i32(addr, addr, ~3u);
    }
    if (load && !user_bank) {
        /* Both written last: an abort leaves the base intact, and the
         * PC is a branch. */
        loaded_pc = list & 0x8000 ? tcg_temp_new_i32() : NULL;
        loaded_base = list & (1 << rn) ? tcg_temp_new_i32() : NULL;
    }
    if (n > 1 && !user_bank && !s->align_mem) {
        done = gen_ldm_stm_one_page(s, addr, list, load, loaded_base,
                                    loaded_pc, rn);
    }

    for (int i = 0; i < 16; i++) {
        if (!(list & (1 << i))) {
            continue;
        }
        if (load) {
            t = tcg_temp_new_i32();
            gen_ld(s, t, addr, MO_UL);
            if (user_bank) {
                gen_call(&info_set_user_reg, tcg_constant_i32(i), t, NULL);
            } else if (i == 15) {
                tcg_gen_mov_i32(loaded_pc, t);
            } else if (i == rn) {
                tcg_gen_mov_i32(loaded_base, t);
            } else {
                tcg_gen_mov_i32(cpu_R[i], t);
            }
            tcg_temp_free_i32(t);
        } else {
            if (user_bank && i != 15) {
                t = gen_call(&info_get_user_reg, tcg_constant_i32(i),
                             NULL, NULL);
            } else {
                t = load_reg(s, i);
            }
            gen_st(s, t, addr, MO_UL);
            tcg_temp_free_i32(t);
        }
        tcg_gen_addi_i32(addr, addr, 4);
    }
    tcg_temp_free_i32(addr);
    if (done) {
        gen_set_label(done);
    }

    if (loaded_base) {
        tcg_gen_mov_i32(cpu_R[rn], loaded_base);
        tcg_temp_free_i32(loaded_base);
    } else if (wback) {
        tcg_gen_addi_i32(cpu_R[rn], cpu_R[rn], up ? 4 * n : -4 * n);
    }
    if (loaded_pc) {
        if (exc_return) {
            gen_call(&info_exception_return, loaded_pc, NULL, NULL);
            s->cv = CV_UNKNOWN;
            tcg_temp_free_i32(loaded_pc);
            s->is_jmp = DISAS_EXIT;
        } else {
            store_reg_from_load(s, 15, loaded_pc);
        }
    }
}

/* ---- ARM state: coprocessors and the XScale DSP ---- */

static void disas_arm_xscale_acc(DisasContext *s, uint32_t insn)
{
    int rdhi = (insn >> 16) & 0xf;
    int rdlo = (insn >> 12) & 0xf;
    TCGv_i64 acc = tcg_temp_new_i64();
    TCGv_i32 lo, hi;

    if (insn & (1 << 20)) {             /* MRA: RdHi = acc0[39:32] signed */
        tcg_gen_ld_i64(acc, tcg_env(), offsetof(CPUARMState, xscale_acc0));
        lo = tcg_temp_new_i32();
        hi = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(lo, acc);
        tcg_gen_extrh_i64_i32(hi, acc);
        tcg_gen_ext8s_i32(hi, hi);
        store_reg(s, rdlo, lo);
        store_reg(s, rdhi, hi);
    } else {                            /* MAR */
        lo = load_reg(s, rdlo);
        hi = load_reg(s, rdhi);
        tcg_gen_andi_i32(hi, hi, 0xff);
        tcg_gen_concat_i32_i64(acc, lo, hi);
        tcg_gen_st_i64(acc, tcg_env(), offsetof(CPUARMState, xscale_acc0));
        tcg_temp_free_i32(lo);
        tcg_temp_free_i32(hi);
    }
    tcg_temp_free_i64(acc);
}

static void disas_arm_coproc(DisasContext *s, uint32_t insn)
{
    int cp = (insn >> 8) & 0xf;
    int rd = (insn >> 12) & 0xf;
    TCGv_i32 t, in;

    if (cp == 0 && s->xscale_cp0 &&
        (insn & 0x0ff00f10) == 0x0e200010) {
        /* MIA, MIAPH, MIAxy acc0, Rm, Rs (only acc0 exists) */
        int op = (insn >> 16) & 0xf;

        if (((insn >> 5) & 7) || (op != 0 && op != 8 && op < 0xc)) {
            gen_undef(s);
            return;
        }
        t = load_reg(s, insn & 0xf);
        in = load_reg(s, (insn >> 12) & 0xf);
        gen_call(&info_xscale_mia, tcg_constant_i32(insn), t, in);
        tcg_temp_free_i32(t);
        tcg_temp_free_i32(in);
        return;
    }
    /* Before v7 user mode reaches no coprocessor register; on v7 the
     * register tables say which ones it may use (the thread IDs, the
     * counters, ThumbEE's handler base). */
    if ((cp != 14 && cp != 15) ||
        (!s->priv && !dc_feature(s, ARM_FEATURE_V7))) {
        gen_undef(s);
        return;
    }
    /* The helpers raise the undefined instruction for registers that do
     * not exist, so r15 must point at this instruction. */
    tcg_gen_movi_i32(cpu_R[15], s->pc);
    if (insn & (1 << 20)) {             /* MRC */
        t = gen_call(&info_cp_read, tcg_constant_i32(insn), NULL, NULL);
        if (rd == 15) {                 /* the top nibble goes to NZCV */
            gen_set_nzcv(s, t);
            tcg_temp_free_i32(t);
        } else {
            store_reg(s, rd, t);
        }
    } else {                            /* MCR */
        in = load_reg(s, rd);
        gen_call(&info_cp_write, tcg_constant_i32(insn), in, NULL);
        tcg_temp_free_i32(in);
        /* The write may have changed the MMU, flushed the TLB or asked
         * for a halt: carry on from the next block. */
        s->is_jmp = DISAS_UPDATE;
    }
}

/* MCRR/MRRC p14/p15: Rt is the low word, Rt2 the high one. */
static void disas_arm_coproc64(DisasContext *s, uint32_t insn)
{
    int rt = (insn >> 12) & 0xf, rt2 = (insn >> 16) & 0xf;
    TCGv_i32 lo, hi;

    if (rt == 15 || rt2 == 15 || ((insn & (1 << 20)) && rt == rt2)) {
        gen_undef(s);
        return;
    }
    /* unknown registers raise the undefined instruction from the helper */
    tcg_gen_movi_i32(cpu_R[15], s->pc);
    if (insn & (1 << 20)) {             /* MRRC */
        lo = gen_call(&info_cp_read64, tcg_constant_i32(insn), NULL, NULL);
        hi = tcg_temp_new_i32();
        tcg_gen_ld_i32(hi, tcg_env(), offsetof(CPUARMState, cp64_high));
        store_reg(s, rt, lo);
        store_reg(s, rt2, hi);
    } else {                            /* MCRR */
        lo = load_reg(s, rt);
        hi = load_reg(s, rt2);
        gen_call(&info_cp_write64, tcg_constant_i32(insn), lo, hi);
        tcg_temp_free_i32(lo);
        tcg_temp_free_i32(hi);
        s->is_jmp = DISAS_UPDATE;
    }
}

/* ---- ARM state: the decoder ---- */

static void disas_arm_uncond(DisasContext *s, uint32_t insn)
{
    if ((insn & 0x0e000000) == 0x0a000000 &&
        dc_feature(s, ARM_FEATURE_V5)) {
        /* BLX immediate: to Thumb, H gives the halfword */
        int32_t off = ((int32_t)(insn << 8) >> 6) | ((insn >> 23) & 2);

        tcg_gen_movi_i32(cpu_R[14], s->pc + 4);
        tcg_gen_movi_i32(cpu_thumb, 1);
        gen_jmp(s, s->pc + 8 + off);
    } else if ((insn & 0xfe000000) == 0xf2000000 &&
               dc_feature(s, ARM_FEATURE_V7)) {
        disas_neon_dp(s, insn);
    } else if ((insn & 0xff100000) == 0xf4000000 &&
               dc_feature(s, ARM_FEATURE_V7)) {
        disas_neon_ldst(s, insn);
    } else if ((insn & 0x0d70f000) == 0x0550f000 &&
               dc_feature(s, ARM_FEATURE_V5TE)) {
        /* PLD: a hint, and there is no cache */
    } else if (!disas_arm_uncond_v6(s, insn)) {
        gen_undef(s);
    }
}

void disas_arm_insn(DisasContext *s, uint32_t insn)
{
    int cond = insn >> 28;

    if (cond == 0xf) {
        disas_arm_uncond(s, insn);
        return;
    }
    if (cond != 0xe) {
        s->condlabel = gen_new_label();
        gen_test_cc(s, cond ^ 1, s->condlabel);
    }
    switch ((insn >> 25) & 7) {
    case 0: case 1:
        disas_arm_dp_misc(s, insn);
        break;
    case 2:
        disas_arm_ldst(s, insn);
        break;
    case 3:
        if (insn & (1 << 4)) {          /* media (UDF included) */
            disas_arm_media(s, insn);
        } else {
            disas_arm_ldst(s, insn);
        }
        break;
    case 4:
        disas_arm_ldm_stm(s, insn);
        break;
    case 5: {                           /* B, BL */
        int32_t off = (int32_t)(insn << 8) >> 6;

        if (insn & (1 << 24)) {
            tcg_gen_movi_i32(cpu_R[14], s->pc + 4);
        }
        gen_jmp(s, s->pc + 8 + off);
        break;
    }
    case 6:                             /* LDC STC MCRR MRRC */
        if (((insn >> 9) & 7) == 5) {   /* cp10, cp11: VFP */
            disas_vfp_insn(s, insn);
        } else if (s->xscale_cp0 && (insn & 0x0fe00ff8) == 0x0c400000) {
            disas_arm_xscale_acc(s, insn);
        } else if ((insn & 0x0fe00e00) == 0x0c400e00 &&
                   dc_feature(s, ARM_FEATURE_V7)) {
            disas_arm_coproc64(s, insn);
        } else {
            gen_undef(s);
        }
        break;
    default:
        if (insn & (1 << 24)) {         /* SWI */
            if (s->semihost && (insn & 0xffffff) == 0x123456) {
                gen_exception_insn(s, EXCP_SEMIHOST);
            } else {
                gen_exception_at(s, EXCP_SWI, s->pc_next);
            }
        } else if (((insn >> 9) & 7) == 5) {
            disas_vfp_insn(s, insn);
        } else if (insn & (1 << 4)) {
            disas_arm_coproc(s, insn);
        } else {                        /* CDP: no such coprocessor */
            gen_undef(s);
        }
        break;
    }
}

/* ---- the block loop ---- */

/* Emits the exit of the path that reached the end of an instruction. */
static void gen_block_end(DisasContext *s)
{
    switch (s->is_jmp) {
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        gen_goto(s, 1, s->pc_next);
        break;
    case DISAS_JUMP:
        gen_goto_ptr(s);
        break;
    case DISAS_UPDATE:
        tcg_gen_movi_i32(cpu_R[15], s->pc_next);
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_EXIT:
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_NORETURN:
        break;
    }
}

static void log_in_asm(CPUState *cpu, DisasContext *s)
{
    const TranslationBlock *tb = s->tb;
    uint8_t *buf = g_malloc(tb->size);
    GString *out = g_string_new("----------------\nIN: \n");

    /* The block's page was fetched already: reading it again is safe. */
    for (unsigned i = 0; i < tb->size; i += 2) {
        uint32_t h = translator_lduw(cpu, tb->pc + i, s->mmu_idx);

        buf[i] = h;
        buf[i + 1] = h >> 8;
    }
    disas_append(out, CS_ARCH_ARM, s->thumb ? CS_MODE_THUMB : CS_MODE_ARM,
                 tb->pc, buf, tb->size, tb->icount);
    g_string_append_c(out, '\n');
    emu_log("%s", out->str);
    g_string_free(out, true);
    g_free(buf);
}

/*
 * One Thumb instruction, 16 or 32 bits.  Inside an IT block env gets the
 * next instruction's ITSTATE first (it is what an SVC, an interrupt
 * after the block or the next block sees; faults restore this one's from
 * insn_start), then the instruction runs under the block's condition.
 */
static void disas_thumb_one(DisasContext *s)
{
    uint32_t hw = translator_lduw(s->cpu, s->pc, s->mmu_idx);
    int cond = s->condexec >> 4;

    s->next_condexec = it_advance(s->condexec);
    if (s->condexec) {
        gen_set_condexec(s->next_condexec);
        if (cond != 0xe) {
            s->condlabel = gen_new_label();
            gen_test_cc(s, cond ^ 1, s->condlabel);
        }
    }
    if (thumb_insn_is_32bit(s, hw)) {
        uint32_t hw2 = translator_lduw(s->cpu, s->pc + 2, s->mmu_idx);

        s->pc_next = s->pc + 4;
        disas_thumb2_insn(s, hw << 16 | hw2);
    } else {
        s->pc_next = s->pc + 2;
        disas_thumb_insn(s, hw);
    }
    s->condexec = s->next_condexec;
}

void arm_translate_code(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    ARMCPU *acpu = container_of(cpu, ARMCPU, parent_obj);
    DisasContext dc = {
        .tb = tb,
        .cpu = cpu,
        .pc_next = tb->pc,
        .page_start = tb->pc & TARGET_PAGE_MASK,
        .features = acpu->env.features,
        .thumb = tb->flags & ARM_TBFLAG_THUMB,
        .priv = tb->flags & ARM_TBFLAG_PRIV,
        .semihost = tb->flags & ARM_TBFLAG_SEMIHOST,
        .xscale_cp0 = tb->flags & ARM_TBFLAG_XSCALE_CP0,
        .vfp_access = tb->flags & ARM_TBFLAG_VFP_ACCESS,
        .vfp_en = tb->flags & ARM_TBFLAG_VFP_EN,
        .vfp_vec = tb->flags & ARM_TBFLAG_VFP_VEC,
        .condexec = (tb->flags >> ARM_TBFLAG_CONDEXEC_SHIFT) & 0xff,
        .mmu_idx = arm_tb_mmu_idx(tb->flags),
        .align_mem = tb->flags & ARM_TBFLAG_ALIGN,
        .is_jmp = DISAS_NEXT,
        .cv = CV_UNKNOWN,
    };
    DisasContext *s = &dc;
    int n = 0;

    if (max_insns <= 0 || max_insns > TCG_MAX_INSNS) {
        max_insns = TCG_MAX_INSNS;
    }
    tcg_gen_tb_start(tb);
    do {
        int cv = s->cv;
        bool cv_nz = s->cv_nz;

        s->pc = s->pc_next;
        s->condlabel = NULL;
        tcg_gen_insn_start(s->pc, s->condexec);
        n++;
        if (tb->flags & ARM_TBFLAG_BREAKPOINTS) {
            gen_call(&info_check_breakpoints, tcg_constant_i32(s->pc),
                     NULL, NULL);
        }
        if (s->thumb) {
            disas_thumb_one(s);
        } else {
            s->pc_next = s->pc + 4;
            disas_arm_insn(s, translator_ldl(cpu, s->pc, s->mmu_idx));
        }
        if (s->condlabel) {
            /* The condition held: leave as the instruction says; it
             * failed: go on with the next instruction. */
            if (s->is_jmp != DISAS_NEXT) {
                gen_block_end(s);
                s->is_jmp = DISAS_TOO_MANY;
            }
            gen_set_label(s->condlabel);
            /* Both ways join here: what the instruction changed of the
             * flags' state is known on one of them only. */
            if (s->cv != cv) {
                s->cv = CV_UNKNOWN;
            }
            if (s->cv_nz != cv_nz) {
                s->cv_nz = false;
            }
        }
        if (s->is_jmp == DISAS_NEXT &&
            (n >= max_insns ||
             (s->pc_next & TARGET_PAGE_MASK) != s->page_start)) {
            s->is_jmp = DISAS_TOO_MANY;
        }
    } while (s->is_jmp == DISAS_NEXT);

    gen_block_end(s);
    tcg_gen_tb_end(tb);
    tb->size = s->pc_next - tb->pc;
    tb->icount = n;

    if (emu_log_enabled(LOG_IN_ASM)) {
        log_in_asm(cpu, s);
    }
}
