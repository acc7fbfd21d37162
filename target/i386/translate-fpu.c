/*
 * The x87 (D8-DF), MMX and SSE to SSE4.2 instructions (0F, 0F 38, 0F 3A
 * with the 66/F2/F3 prefixes), fwait, and the 0F AE group (fxsave,
 * fxrstor, ldmxcsr, stmxcsr, fences).
 *
 * What computes runs on the host (host_exec.c): the decoder checks that
 * the encoding is one the architecture defines and that the guest's CPUID
 * offers, raises #UD/#NM/#MF/#GP(0) as the guest must see them, moves a
 * memory operand to env->hx_mem (and back for a store), and builds the
 * normalized host instruction.  Register numbers are the guest's: XMM8-15
 * come with REX.R/REX.B (the shared decode context's ModRM fields), and a
 * general register operand goes through %eax (ModRM reg) or %ecx (ModRM
 * r/m), with REX.W for a 64-bit operand size.
 *
 * The SSE moves and bitwise logic compute nothing a host instruction
 * must: they are IR loads, stores and 64-bit operations on the XMM
 * registers in env->fx, with no helper call (gen_sse_inline).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/translate.h"
#include "target/i386/fpu.h"

HELPER(host_exec, 0, true, 5, ARG_ENV, ARG_I32, ARG_I32, ARG_I32, ARG_I32);
HELPER(host_commit, 0, false, 1, ARG_ENV);
/* reads and writes the x87 state only, raises nothing */
HELPER(x87_run, TCG_CALL_NO_RWG, true, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);
HELPER(fpu_check, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(fninit, 0, false, 1, ARG_ENV);
HELPER(fnclex, 0, false, 1, ARG_ENV);
HELPER(fldcw, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(fstenv, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(fldenv, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(fsave, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(frstor, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(fxsave, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(fxrstor, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(ldmxcsr, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(stmxcsr, 0, true, 1, ARG_ENV);
HELPER(check_align16, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(xgetbv, 0, false, 1, ARG_ENV);
HELPER(xsetbv, 0, false, 1, ARG_ENV);
HELPER(xsave, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(xrstor, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(maskmov_store, 0, false, 3, ARG_ENV, TCG_TYPE_I64, ARG_I32);

/* The #UD/#NM/#MF checks of kind (helper_fpu_check): an inline test of
 * what can raise anything, the helper called only when something may
 * (fwait's CR0.MP rule always calls it). */
static void gen_fpu_check(DisasContext *s, int kind)
{
    TCGLabel *fine = gen_new_label();
    TCGv any = tcg_temp_new_i64(), t;

    if (kind == FPCHK_WAIT) {
        gen_helper(&info_fpu_check, 1, tcg_constant_i64(kind));
        return;
    }
    tcg_gen_ld_i64(any, tcg_env(), offsetof(CPUX86State, cr[0]));
    tcg_gen_andi_i64(any, any, CR0_EM_MASK | CR0_TS_MASK);
    if (kind == FPCHK_X87 || kind == FPCHK_MMX) {
        /* FSW.ES, a pending #MF: FSW is the upper half of the word
         * at FCW */
        t = gen_ld_env32(offsetof(CPUX86State, fx.fcw));
        tcg_gen_andi_i64(t, t, 0x80 << 16);
        tcg_gen_or_i64(any, any, t);
    } else if (kind == FPCHK_SSE) {
        t = tcg_temp_new_i64();          /* CR4.OSFXSR clear: #UD */
        tcg_gen_ld_i64(t, tcg_env(), offsetof(CPUX86State, cr[4]));
        tcg_gen_andi_i64(t, t, CR4_OSFXSR_MASK);
        tcg_gen_xori_i64(t, t, CR4_OSFXSR_MASK);
        tcg_gen_or_i64(any, any, t);
    }
    tcg_gen_brcondi_i64(TCG_COND_EQ, any, 0, fine);
    gen_helper(&info_fpu_check, 1, tcg_constant_i64(kind));
    gen_set_label(fine);
}

/* ---- the memory operand and env->hx_mem ---- */

static void gen_mem_to_scratch(DisasContext *s, int size)
{
    TCGv addr = tcg_temp_new_i64();
    TCGv_i32 t = tcg_temp_new_i32();
    int off = 0;

    gen_A0(s);
    while (off < size) {
        int piece = size - off >= 4 ? 4 : size - off >= 2 ? 2 : 1;
        static const MemOp ops[] = { [1] = MO_8, [2] = MO_16, [4] = MO_32 };

        tcg_gen_addi_i64(addr, s->A0, off);
        tcg_gen_extrl_i64_i32(t, gen_ld(s, ops[piece], addr));
        if (piece == 4) {
            tcg_gen_st_i32(t, tcg_env(), offsetof(CPUX86State, hx_mem) + off);
        } else if (piece == 2) {
            tcg_gen_st16_i32(t, tcg_env(),
                             offsetof(CPUX86State, hx_mem) + off);
        } else {
            tcg_gen_st8_i32(t, tcg_env(), offsetof(CPUX86State, hx_mem) + off);
        }
        off += piece;
    }
}

static void gen_scratch_to_mem(DisasContext *s, int size)
{
    TCGv addr = tcg_temp_new_i64(), v = tcg_temp_new_i64();
    TCGv_i32 t = tcg_temp_new_i32();
    int off = 0;

    gen_A0(s);
    while (off < size) {
        int piece = size - off >= 4 ? 4 : size - off >= 2 ? 2 : 1;
        intptr_t field = offsetof(CPUX86State, hx_mem) + off;

        if (piece == 4) {
            tcg_gen_ld_i32(t, tcg_env(), field);
        } else if (piece == 2) {
            tcg_gen_ld16u_i32(t, tcg_env(), field);
        } else {
            tcg_gen_ld8u_i32(t, tcg_env(), field);
        }
        tcg_gen_addi_i64(addr, s->A0, off);
        tcg_gen_extu_i32_i64(v, t);
        gen_st(s, piece == 4 ? MO_32 : piece == 2 ? MO_16 : MO_8, v, addr);
        off += piece;
    }
}

/* FDP: the offset of the x87 instruction's memory operand. */
static void gen_record_fdp(DisasContext *s)
{
    TCGv ea = gen_ea(s);

    if (s->aflag == MO_16) {
        tcg_gen_ext16u_i64(ea, ea);
    } else if (s->aflag == MO_32) {
        tcg_gen_ext32u_i64(ea, ea);
    }
    tcg_gen_st_i64(ea, tcg_env(), offsetof(CPUX86State, fx.fdp));
}

static TCGv gen_host_exec(DisasContext *s, const uint8_t *insn,
                          unsigned len, uint32_t ctl, uint32_t fop,
                          bool flags_in)
{
    TCGv fop_flags = tcg_constant_i64(fop);

    if (flags_in) {
        fop_flags = tcg_temp_new_i64();
        tcg_gen_shli_i64(fop_flags, gen_compute_eflags(s), 16);
        tcg_gen_ori_i64(fop_flags, fop_flags, fop);
        ctl |= HX_FLAGS_IN;
    }
    return gen_helper(&info_host_exec, 4,
                      tcg_constant_i64(x86_host_stub(insn, len)),
                      tcg_constant_i64(ctl), tcg_constant_i64(cur_eip(s)),
                      fop_flags);
}

/* ---- x87 ---- */

enum {
    X87_UD,                      /* no such instruction */
    X87_LOAD,                    /* computes with a memory operand */
    X87_STORE,                   /* writes its memory operand */
    X87_LDENV, X87_STENV, X87_LDCW, X87_STCW, X87_RSTOR, X87_SAVE,
    X87_STSW,
};

typedef struct X87Mem {
    uint8_t kind, size;
} X87Mem;

/* The memory forms by opcode (D8-DF) and ModRM reg field. */
static const X87Mem x87_mem[8][8] = {
    /* D8: arithmetic with m32fp */
    [0] = { { X87_LOAD, 4 }, { X87_LOAD, 4 }, { X87_LOAD, 4 },
            { X87_LOAD, 4 }, { X87_LOAD, 4 }, { X87_LOAD, 4 },
            { X87_LOAD, 4 }, { X87_LOAD, 4 } },
    /* D9: fld, fst, fstp m32fp; fldenv, fldcw, fnstenv, fnstcw */
    [1] = { { X87_LOAD, 4 }, { X87_UD }, { X87_STORE, 4 },
            { X87_STORE, 4 }, { X87_LDENV }, { X87_LDCW, 2 },
            { X87_STENV }, { X87_STCW, 2 } },
    /* DA: arithmetic with m32int */
    [2] = { { X87_LOAD, 4 }, { X87_LOAD, 4 }, { X87_LOAD, 4 },
            { X87_LOAD, 4 }, { X87_LOAD, 4 }, { X87_LOAD, 4 },
            { X87_LOAD, 4 }, { X87_LOAD, 4 } },
    /* DB: fild, fisttp, fist, fistp m32int; fld, fstp m80fp */
    [3] = { { X87_LOAD, 4 }, { X87_STORE, 4 }, { X87_STORE, 4 },
            { X87_STORE, 4 }, { X87_UD }, { X87_LOAD, 10 }, { X87_UD },
            { X87_STORE, 10 } },
    /* DC: arithmetic with m64fp */
    [4] = { { X87_LOAD, 8 }, { X87_LOAD, 8 }, { X87_LOAD, 8 },
            { X87_LOAD, 8 }, { X87_LOAD, 8 }, { X87_LOAD, 8 },
            { X87_LOAD, 8 }, { X87_LOAD, 8 } },
    /* DD: fld, fisttp, fst, fstp m64; frstor, fnsave, fnstsw */
    [5] = { { X87_LOAD, 8 }, { X87_STORE, 8 }, { X87_STORE, 8 },
            { X87_STORE, 8 }, { X87_RSTOR }, { X87_UD }, { X87_SAVE },
            { X87_STSW, 2 } },
    /* DE: arithmetic with m16int */
    [6] = { { X87_LOAD, 2 }, { X87_LOAD, 2 }, { X87_LOAD, 2 },
            { X87_LOAD, 2 }, { X87_LOAD, 2 }, { X87_LOAD, 2 },
            { X87_LOAD, 2 }, { X87_LOAD, 2 } },
    /* DF: fild, fisttp, fist, fistp m16int; fbld, fild m64int, fbstp,
     * fistp m64int */
    [7] = { { X87_LOAD, 2 }, { X87_STORE, 2 }, { X87_STORE, 2 },
            { X87_STORE, 2 }, { X87_LOAD, 10 }, { X87_LOAD, 8 },
            { X87_STORE, 10 }, { X87_STORE, 8 } },
};

/* Whether the register form op (0-7 for D8-DF), ModRM modrm is an
 * instruction (the undocumented aliases of the 8087's days are not). */
static bool x87_reg_valid(int op, int modrm)
{
    int row = modrm >> 3;        /* 0x18 .. 0x1f */

    switch (op) {
    case 0:
        return true;
    case 1:
        return row <= 0x19 || modrm == 0xd0 || modrm == 0xe0 ||
               modrm == 0xe1 || modrm == 0xe4 || modrm == 0xe5 ||
               (modrm >= 0xe8 && modrm <= 0xee) || modrm >= 0xf0;
    case 2:
        return row <= 0x1b || modrm == 0xe9;
    case 3:
        return row <= 0x1b || (modrm >= 0xe0 && modrm <= 0xe4) ||
               (modrm >= 0xe8 && modrm <= 0xf7);
    case 4:
        return row == 0x18 || row == 0x19 || row >= 0x1c;
    case 5:
        return row == 0x18 || (row >= 0x1a && row <= 0x1d);
    case 6:
        return row == 0x18 || row == 0x19 || modrm == 0xd9 || row >= 0x1c;
    default:
        return modrm == 0xe0 || (modrm >= 0xe8 && modrm <= 0xf7);
    }
}

/*
 * Runs.  Each x87 instruction run on the host costs an FXRSTOR/FXSAVE
 * pair (about 400 ns here, most of an x87 instruction's time), and
 * compiled x87 code is mostly register-to-register arithmetic between
 * loads and stores.  So an x87 instruction that may start a run (any
 * but a store, fcmov, fcomi and the no-wait controls) looks at the
 * instructions that follow it in the block: those that compute on the
 * x87 registers alone (x87_reg_in_run) go to the host with it as one
 * stub, through helper_x87_run.  Each of them is still translated on its
 * own (its insn_start, its own checks and helper call), behind a test of
 * env->hx_x87_run that skips it when the run was done.  The helper does
 * the run only when the guest's FCW masks every x87 exception, with
 * which the instructions compute one after the other what they compute
 * each on its own (host_exec.c); otherwise each takes its own path, so
 * that an unmasked exception leaves its #MF to the right instruction.
 */
#define X87_RUN_MAX (X86_HOST_STUB_MAX / 2)

/* Whether the register form op (0-7 for D8-DF), ModRM modrm may follow
 * in a run: not fcmov (reads EFLAGS), fcomi and fucomi (write it),
 * fnstsw ax, and the no-wait DB E0-E4 (fnclex, fninit and the 8087's
 * leftovers, which must not record FIP and FOP). */
static bool x87_reg_in_run(int op, int modrm)
{
    if (!x87_reg_valid(op, modrm)) {
        return false;
    }
    if (op == 3 || op == 7) {
        return false;            /* fcmovn fcomi fucomi; fnstsw, fcomip */
    }
    return !(op == 2 && modrm < 0xe0);                  /* fcmov */
}

/* The register-only x87 instructions after the current one (at
 * s->pc_next) that a run can take: as many as the block will translate
 * (at most X87_RUN_MAX - 1), their bytes to run[], their number. */
static int x87_run_followers(DisasContext *s, uint8_t *run)
{
    uint64_t pc = s->pc_next;
    int n = 0;

    while (n < X87_RUN_MAX - 1 && x86_block_goes_on(s, s->num_insns + n, pc)) {
        int b = translator_ldub(s->cpu, pc, s->mmu_idx), modrm;

        if (b < 0xd8 || b > 0xdf) {
            break;
        }
        modrm = translator_ldub(s->cpu, pc + 1, s->mmu_idx);
        if (modrm < 0xc0 || !x87_reg_in_run(b & 7, modrm)) {
            break;
        }
        run[2 * n] = b;
        run[2 * n + 1] = modrm;
        n++;
        pc += 2;
    }
    return n;
}

/* The instruction insn starts a run if others can follow: the call of
 * helper_x87_run, or the instruction alone when it declines. */
static bool gen_x87_run(DisasContext *s, const uint8_t *insn, uint32_t fop)
{
    uint8_t run[X86_HOST_STUB_MAX] = { insn[0], insn[1] };
    int n = x87_run_followers(s, run + 2);
    uint64_t last = s->pc_next + 2 * (n - 1);      /* linear address */
    TCGLabel *done;
    TCGv r;

    if (!n) {
        return false;
    }
    r = gen_helper(&info_x87_run, 3,
                   tcg_constant_i64(x86_host_stub(run, 2 * (n + 1))),
                   tcg_constant_i64(last - s->cs_base),
                   tcg_constant_i64(((run[2 * n] & 7) << 8) |
                                    run[2 * n + 1]));
    done = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_NE, r, 0, done);
    gen_host_exec(s, insn, 2, HX_X87, fop, false);
    gen_set_label(done);
    s->x87_run_left = n;
    return true;
}

static void gen_x87_exec(DisasContext *s, int op, bool mem, int size,
                         bool store)
{
    uint8_t insn[2] = { 0xd8 + op, mem ? ((s->reg & 7) << 3) | 7 : s->modrm };
    uint32_t fop = (op << 8) | s->modrm;
    /* fcmovcc reads the flags; fcomi, fucomi (and their pops) write them */
    bool fcmov = !mem && (op == 2 || op == 3) && s->modrm < 0xe0;
    bool fcomi = !mem && (op == 3 || op == 7) && s->modrm >= 0xe8;
    bool in_run = s->x87_run_left > 0;
    TCGLabel *skip = NULL;
    TCGv r;

    if (in_run) {
        /* a follower of a run: nothing to do if the run was done */
        TCGv_i32 t = tcg_temp_new_i32();

        s->x87_run_left--;
        skip = gen_new_label();
        tcg_gen_ld8u_i32(t, tcg_env(), offsetof(CPUX86State, hx_x87_run));
        tcg_gen_brcondi_i32(TCG_COND_NE, t, 0, skip);
    }
    gen_fpu_check(s, FPCHK_X87);
    if (mem) {
        gen_record_fdp(s);
        if (!store) {
            gen_mem_to_scratch(s, size);
        }
    }
    if (!in_run && !store && (mem || x87_reg_in_run(op, s->modrm)) &&
        gen_x87_run(s, insn, fop)) {
        return;
    }
    r = gen_host_exec(s, insn, 2, HX_X87 | (store ? HX_PENDING : 0), fop,
                      fcmov);
    if (skip) {
        gen_set_label(skip);
    }
    if (fcomi) {
        TCGv f = tcg_temp_new_i64();
        TCGLabel *skip = gen_new_label();

        /* an unmasked #IA leaves the flags alone */
        tcg_gen_mov_i64(f, gen_compute_eflags(s));
        tcg_gen_brcondi_i64(TCG_COND_GEU, r, HX_DISCARDED, skip);
        tcg_gen_andi_i64(f, r, EFLAGS_CC_MASK);
        gen_set_label(skip);
        gen_set_eflags_cc(s, f);
    }
    if (store) {
        TCGLabel *skip = gen_new_label();

        tcg_gen_brcondi_i64(TCG_COND_GEU, r, HX_DISCARDED, skip);
        gen_scratch_to_mem(s, size);
        gen_helper(&info_host_commit, 0);
        gen_set_label(skip);
    }
}

/* D8-DF with ModRM parsed. */
void x86_gen_x87(DisasContext *s)
{
    int op = s->b & 7, reg = s->reg & 7;
    bool op32 = s->dflag != MO_16;
    TCGv t;

    if (s->mod == 3) {
        if (!x87_reg_valid(op, s->modrm)) {
            gen_exception(s, EXCP06_ILLOP);
            return;
        }
        if (op == 3 && (s->modrm == 0xe2 || s->modrm == 0xe3)) {
            gen_fpu_check(s, FPCHK_X87_NOWAIT);
            gen_helper(s->modrm == 0xe2 ? &info_fnclex : &info_fninit, 0);
            return;
        }
        if (op == 7 && s->modrm == 0xe0) {           /* fnstsw ax */
            gen_fpu_check(s, FPCHK_X87_NOWAIT);
            gen_reg_write(s, MO_16, R_EAX,
                          gen_ld_env32(offsetof(CPUX86State, fx.fsw)));
            return;
        }
        gen_x87_exec(s, op, false, 0, false);
        return;
    }
    switch (x87_mem[op][reg].kind) {
    case X87_UD:
        gen_exception(s, EXCP06_ILLOP);
        break;
    case X87_LOAD:
    case X87_STORE:
        gen_x87_exec(s, op, true, x87_mem[op][reg].size,
                     x87_mem[op][reg].kind == X87_STORE);
        break;
    case X87_LDCW:
        gen_fpu_check(s, FPCHK_X87);
        gen_A0(s);
        gen_helper(&info_fldcw, 1, gen_ld(s, MO_16, s->A0));
        break;
    case X87_STCW:
    case X87_STSW:
        gen_fpu_check(s, FPCHK_X87_NOWAIT);
        gen_A0(s);
        t = gen_ld_env32(x87_mem[op][reg].kind == X87_STCW
                         ? offsetof(CPUX86State, fx.fcw)
                         : offsetof(CPUX86State, fx.fsw));
        gen_st(s, MO_16, t, s->A0);
        break;
    case X87_LDENV:
    case X87_RSTOR:
        gen_fpu_check(s, FPCHK_X87);
        gen_A0(s);
        gen_helper(x87_mem[op][reg].kind == X87_LDENV ? &info_fldenv
                                                         : &info_frstor,
                   2, s->A0, tcg_constant_i64(op32));
        break;
    case X87_STENV:
    case X87_SAVE:
        gen_fpu_check(s, FPCHK_X87_NOWAIT);
        gen_A0(s);
        gen_helper(x87_mem[op][reg].kind == X87_STENV ? &info_fstenv
                                                         : &info_fsave,
                   2, s->A0, tcg_constant_i64(op32));
        break;
    }
}

void x86_gen_fwait(DisasContext *s)
{
    gen_fpu_check(s, FPCHK_WAIT);
}

/* ---- MMX and SSE ---- */

void helper_check_align16(CPUX86State *env, uint64_t addr)
{
    if (addr & 15) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
}

enum { MAP_0F, MAP_0F38, MAP_0F3A };
enum { PFX_NP, PFX_66, PFX_F3, PFX_F2 };

/* SSEOp.flags */
enum {
    SF_IMM = 1 << 0,             /* an imm8 follows */
    SF_STORE = 1 << 1,           /* the memory operand is written, not read */
    SF_REGONLY = 1 << 2,         /* a memory operand is #UD */
    SF_MEMONLY = 1 << 3,         /* a register operand is #UD */
    SF_NOALIGN = 1 << 4,         /* a 16-byte memory operand may be
                                  * misaligned (else #GP(0)) */
    SF_MMX = 1 << 5,             /* MMX registers only: MMX's checks */
    SF_GREG = 1 << 6,            /* ModRM reg is a general register */
    SF_GREG_OUT = 1 << 7,        /* ... written */
    SF_GRM = 1 << 8,             /* ModRM r/m (register) is general */
    SF_GRM_OUT = 1 << 9,
    SF_EFLAGS = 1 << 10,         /* writes the arithmetic flags */
    SF_ECX_OUT = 1 << 11,        /* writes ecx (pcmpestri, pcmpistri) */
    SF_GROUP = 1 << 12,          /* ModRM reg extends the opcode */
    SF_OPSIZE = 1 << 13,         /* the memory operand has the operand
                                  * size (16 with 66 for popcnt, crc32;
                                  * 64 with REX.W) */
    SF_BYTEREG = 1 << 14,        /* r/m is a byte register (ah..bh) */
};

/* SSEOp.feature: the CPUID bit the guest must have. */
enum {
    FEAT_MMX, FEAT_SSE, FEAT_SSE2, FEAT_SSE3, FEAT_SSSE3, FEAT_SSE41,
    FEAT_SSE42, FEAT_POPCNT, FEAT_XSAVE,
};

static const struct {
    FeatureWord word;
    uint32_t bit;
} sse_features[] = {
    [FEAT_MMX] = { FEAT_1_EDX, 1u << 23 },
    [FEAT_SSE] = { FEAT_1_EDX, 1u << 25 },
    [FEAT_SSE2] = { FEAT_1_EDX, 1u << 26 },
    [FEAT_SSE3] = { FEAT_1_ECX, 1u << 0 },
    [FEAT_SSSE3] = { FEAT_1_ECX, 1u << 9 },
    [FEAT_SSE41] = { FEAT_1_ECX, 1u << 19 },
    [FEAT_SSE42] = { FEAT_1_ECX, 1u << 20 },
    [FEAT_POPCNT] = { FEAT_1_ECX, 1u << 23 },
    [FEAT_XSAVE] = { FEAT_1_ECX, CPUID_1_ECX_XSAVE },
};

typedef struct SSEOp {
    uint8_t map, pfx, op, last;  /* opcodes op..last */
    uint8_t mem;                 /* memory operand bytes */
    uint8_t feature;
    uint16_t flags;
} SSEOp;

#define MMXOPS(op, last, mem, flags) \
    { MAP_0F, PFX_NP, op, last, mem, FEAT_MMX, SF_MMX | (flags) }
#define OPS(map, pfx, op, last, mem, feat, flags) \
    { MAP_##map, PFX_##pfx, op, last, mem, FEAT_##feat, flags }

static const SSEOp sse_ops[] = {
    /* SSE: packed and scalar single precision */
    OPS(0F, NP, 0x10, 0x10, 16, SSE, SF_NOALIGN),            /* movups */
    OPS(0F, NP, 0x11, 0x11, 16, SSE, SF_NOALIGN | SF_STORE),
    OPS(0F, NP, 0x12, 0x12, 8, SSE, 0),                      /* movlps */
    OPS(0F, NP, 0x13, 0x13, 8, SSE, SF_STORE | SF_MEMONLY),
    OPS(0F, NP, 0x14, 0x15, 16, SSE, 0),                     /* unpck */
    OPS(0F, NP, 0x16, 0x16, 8, SSE, 0),                      /* movhps */
    OPS(0F, NP, 0x17, 0x17, 8, SSE, SF_STORE | SF_MEMONLY),
    OPS(0F, NP, 0x28, 0x28, 16, SSE, 0),                     /* movaps */
    OPS(0F, NP, 0x29, 0x29, 16, SSE, SF_STORE),
    OPS(0F, NP, 0x2a, 0x2a, 8, SSE, 0),                      /* cvtpi2ps */
    OPS(0F, NP, 0x2b, 0x2b, 16, SSE, SF_STORE | SF_MEMONLY), /* movntps */
    OPS(0F, NP, 0x2c, 0x2d, 8, SSE, 0),                      /* cvtps2pi */
    OPS(0F, NP, 0x2e, 0x2f, 4, SSE, SF_EFLAGS),              /* comiss */
    OPS(0F, NP, 0x50, 0x50, 0, SSE, SF_REGONLY | SF_GREG | SF_GREG_OUT),
    OPS(0F, NP, 0x51, 0x59, 16, SSE, 0),
    OPS(0F, NP, 0x5a, 0x5a, 8, SSE2, 0),                     /* cvtps2pd */
    OPS(0F, NP, 0x5b, 0x5b, 16, SSE2, 0),                    /* cvtdq2ps */
    OPS(0F, NP, 0x5c, 0x5f, 16, SSE, 0),
    OPS(0F, NP, 0xc2, 0xc2, 16, SSE, SF_IMM),                /* cmpps */
    OPS(0F, NP, 0xc6, 0xc6, 16, SSE, SF_IMM),                /* shufps */
    OPS(0F, F3, 0x10, 0x10, 4, SSE, 0),                      /* movss */
    OPS(0F, F3, 0x11, 0x11, 4, SSE, SF_STORE),
    OPS(0F, F3, 0x2a, 0x2a, 4, SSE, SF_GRM | SF_OPSIZE),     /* cvtsi2ss */
    OPS(0F, F3, 0x2c, 0x2d, 4, SSE, SF_GREG | SF_GREG_OUT),
    OPS(0F, F3, 0x51, 0x53, 4, SSE, 0),
    OPS(0F, F3, 0x58, 0x59, 4, SSE, 0),
    OPS(0F, F3, 0x5a, 0x5a, 4, SSE2, 0),                     /* cvtss2sd */
    OPS(0F, F3, 0x5b, 0x5b, 16, SSE2, 0),                    /* cvttps2dq */
    OPS(0F, F3, 0x5c, 0x5f, 4, SSE, 0),
    OPS(0F, F3, 0xc2, 0xc2, 4, SSE, SF_IMM),
    /* SSE2: double precision, 128-bit integers */
    OPS(0F, 66, 0x10, 0x10, 16, SSE2, SF_NOALIGN),           /* movupd */
    OPS(0F, 66, 0x11, 0x11, 16, SSE2, SF_NOALIGN | SF_STORE),
    OPS(0F, 66, 0x12, 0x12, 8, SSE2, SF_MEMONLY),            /* movlpd */
    OPS(0F, 66, 0x13, 0x13, 8, SSE2, SF_STORE | SF_MEMONLY),
    OPS(0F, 66, 0x14, 0x15, 16, SSE2, 0),
    OPS(0F, 66, 0x16, 0x16, 8, SSE2, SF_MEMONLY),            /* movhpd */
    OPS(0F, 66, 0x17, 0x17, 8, SSE2, SF_STORE | SF_MEMONLY),
    OPS(0F, 66, 0x28, 0x28, 16, SSE2, 0),                    /* movapd */
    OPS(0F, 66, 0x29, 0x29, 16, SSE2, SF_STORE),
    OPS(0F, 66, 0x2a, 0x2a, 8, SSE2, 0),                     /* cvtpi2pd */
    OPS(0F, 66, 0x2b, 0x2b, 16, SSE2, SF_STORE | SF_MEMONLY),
    OPS(0F, 66, 0x2c, 0x2d, 16, SSE2, 0),                    /* cvtpd2pi */
    OPS(0F, 66, 0x2e, 0x2f, 8, SSE2, SF_EFLAGS),             /* comisd */
    OPS(0F, 66, 0x50, 0x50, 0, SSE2, SF_REGONLY | SF_GREG | SF_GREG_OUT),
    OPS(0F, 66, 0x51, 0x51, 16, SSE2, 0),
    OPS(0F, 66, 0x54, 0x6d, 16, SSE2, 0),
    OPS(0F, 66, 0x6e, 0x6e, 4, SSE2, SF_GRM | SF_OPSIZE),    /* movd */
    OPS(0F, 66, 0x6f, 0x6f, 16, SSE2, 0),                    /* movdqa */
    OPS(0F, 66, 0x70, 0x70, 16, SSE2, SF_IMM),               /* pshufd */
    OPS(0F, 66, 0x71, 0x73, 0, SSE2, SF_IMM | SF_GROUP | SF_REGONLY),
    OPS(0F, 66, 0x74, 0x76, 16, SSE2, 0),
    OPS(0F, 66, 0x7c, 0x7d, 16, SSE3, 0),                    /* haddpd */
    OPS(0F, 66, 0x7e, 0x7e, 4, SSE2,
        SF_STORE | SF_GRM | SF_GRM_OUT | SF_OPSIZE),         /* movd */
    OPS(0F, 66, 0x7f, 0x7f, 16, SSE2, SF_STORE),
    OPS(0F, 66, 0xc2, 0xc2, 16, SSE2, SF_IMM),
    OPS(0F, 66, 0xc4, 0xc4, 2, SSE2, SF_IMM | SF_GRM),       /* pinsrw */
    OPS(0F, 66, 0xc5, 0xc5, 0, SSE2,
        SF_IMM | SF_REGONLY | SF_GREG | SF_GREG_OUT),        /* pextrw */
    OPS(0F, 66, 0xc6, 0xc6, 16, SSE2, SF_IMM),
    OPS(0F, 66, 0xd0, 0xd0, 16, SSE3, 0),                    /* addsubpd */
    OPS(0F, 66, 0xd1, 0xd5, 16, SSE2, 0),
    OPS(0F, 66, 0xd6, 0xd6, 8, SSE2, SF_STORE),              /* movq */
    OPS(0F, 66, 0xd7, 0xd7, 0, SSE2,
        SF_REGONLY | SF_GREG | SF_GREG_OUT),                 /* pmovmskb */
    OPS(0F, 66, 0xd8, 0xe6, 16, SSE2, 0),
    OPS(0F, 66, 0xe7, 0xe7, 16, SSE2, SF_STORE | SF_MEMONLY), /* movntdq */
    OPS(0F, 66, 0xe8, 0xef, 16, SSE2, 0),
    OPS(0F, 66, 0xf1, 0xf6, 16, SSE2, 0),
    OPS(0F, 66, 0xf8, 0xfe, 16, SSE2, 0),
    OPS(0F, F3, 0x12, 0x12, 16, SSE3, 0),                    /* movsldup */
    OPS(0F, F3, 0x16, 0x16, 16, SSE3, 0),                    /* movshdup */
    OPS(0F, F3, 0x6f, 0x6f, 16, SSE2, SF_NOALIGN),           /* movdqu */
    OPS(0F, F3, 0x70, 0x70, 16, SSE2, SF_IMM),               /* pshufhw */
    OPS(0F, F3, 0x7e, 0x7e, 8, SSE2, 0),                     /* movq */
    OPS(0F, F3, 0x7f, 0x7f, 16, SSE2, SF_NOALIGN | SF_STORE),
    OPS(0F, F3, 0xb8, 0xb8, 4, POPCNT,
        SF_GREG | SF_GREG_OUT | SF_GRM | SF_OPSIZE | SF_EFLAGS),
    OPS(0F, F3, 0xd6, 0xd6, 0, SSE2, SF_REGONLY),            /* movq2dq */
    OPS(0F, F3, 0xe6, 0xe6, 8, SSE2, 0),                     /* cvtdq2pd */
    OPS(0F, F2, 0x10, 0x10, 8, SSE2, 0),                     /* movsd */
    OPS(0F, F2, 0x11, 0x11, 8, SSE2, SF_STORE),
    OPS(0F, F2, 0x12, 0x12, 8, SSE3, 0),                     /* movddup */
    OPS(0F, F2, 0x2a, 0x2a, 4, SSE2, SF_GRM | SF_OPSIZE),    /* cvtsi2sd */
    OPS(0F, F2, 0x2c, 0x2d, 8, SSE2, SF_GREG | SF_GREG_OUT),
    OPS(0F, F2, 0x51, 0x51, 8, SSE2, 0),
    OPS(0F, F2, 0x58, 0x5a, 8, SSE2, 0),
    OPS(0F, F2, 0x5c, 0x5f, 8, SSE2, 0),
    OPS(0F, F2, 0x70, 0x70, 16, SSE2, SF_IMM),               /* pshuflw */
    OPS(0F, F2, 0x7c, 0x7d, 16, SSE3, 0),                    /* haddps */
    OPS(0F, F2, 0xc2, 0xc2, 8, SSE2, SF_IMM),
    OPS(0F, F2, 0xd0, 0xd0, 16, SSE3, 0),                    /* addsubps */
    OPS(0F, F2, 0xd6, 0xd6, 0, SSE2, SF_REGONLY),            /* movdq2q */
    OPS(0F, F2, 0xe6, 0xe6, 16, SSE2, 0),                    /* cvtpd2dq */
    OPS(0F, F2, 0xf0, 0xf0, 16, SSE3,
        SF_MEMONLY | SF_NOALIGN),                            /* lddqu */
    /* MMX (and the MMX forms of SSE, SSE2 and SSSE3) */
    MMXOPS(0x60, 0x62, 4, 0),                                /* punpckl */
    MMXOPS(0x63, 0x6b, 8, 0),
    MMXOPS(0x6e, 0x6e, 4, SF_GRM | SF_OPSIZE),               /* movd */
    MMXOPS(0x6f, 0x6f, 8, 0),                                /* movq */
    MMXOPS(0x70, 0x70, 8, SF_IMM),                           /* pshufw */
    MMXOPS(0x71, 0x73, 0, SF_IMM | SF_GROUP | SF_REGONLY),
    MMXOPS(0x74, 0x76, 8, 0),
    MMXOPS(0x7e, 0x7e, 4, SF_STORE | SF_GRM | SF_GRM_OUT | SF_OPSIZE),
    MMXOPS(0x7f, 0x7f, 8, SF_STORE),
    MMXOPS(0xc4, 0xc4, 2, SF_IMM | SF_GRM),                  /* pinsrw */
    MMXOPS(0xc5, 0xc5, 0, SF_IMM | SF_REGONLY | SF_GREG | SF_GREG_OUT),
    MMXOPS(0xd1, 0xd5, 8, 0),
    MMXOPS(0xd7, 0xd7, 0, SF_REGONLY | SF_GREG | SF_GREG_OUT),
    MMXOPS(0xd8, 0xe5, 8, 0),
    MMXOPS(0xe7, 0xe7, 8, SF_STORE | SF_MEMONLY),            /* movntq */
    MMXOPS(0xe8, 0xef, 8, 0),
    MMXOPS(0xf1, 0xf6, 8, 0),
    MMXOPS(0xf8, 0xfe, 8, 0),
    OPS(0F38, NP, 0x00, 0x0b, 8, SSSE3, SF_MMX),
    OPS(0F38, NP, 0x1c, 0x1e, 8, SSSE3, SF_MMX),
    OPS(0F3A, NP, 0x0f, 0x0f, 8, SSSE3, SF_MMX | SF_IMM),    /* palignr */
    /* SSSE3, SSE4.1, SSE4.2 */
    OPS(0F38, 66, 0x00, 0x0b, 16, SSSE3, 0),
    OPS(0F38, 66, 0x10, 0x10, 16, SSE41, 0),                 /* pblendvb */
    OPS(0F38, 66, 0x14, 0x15, 16, SSE41, 0),                 /* blendvps */
    OPS(0F38, 66, 0x17, 0x17, 16, SSE41, SF_EFLAGS),         /* ptest */
    OPS(0F38, 66, 0x1c, 0x1e, 16, SSSE3, 0),                 /* pabs */
    OPS(0F38, 66, 0x20, 0x20, 8, SSE41, 0),                  /* pmovsx */
    OPS(0F38, 66, 0x21, 0x21, 4, SSE41, 0),
    OPS(0F38, 66, 0x22, 0x22, 2, SSE41, 0),
    OPS(0F38, 66, 0x23, 0x23, 8, SSE41, 0),
    OPS(0F38, 66, 0x24, 0x24, 4, SSE41, 0),
    OPS(0F38, 66, 0x25, 0x25, 8, SSE41, 0),
    OPS(0F38, 66, 0x28, 0x29, 16, SSE41, 0),
    OPS(0F38, 66, 0x2a, 0x2a, 16, SSE41, SF_MEMONLY),        /* movntdqa */
    OPS(0F38, 66, 0x2b, 0x2b, 16, SSE41, 0),
    OPS(0F38, 66, 0x30, 0x30, 8, SSE41, 0),                  /* pmovzx */
    OPS(0F38, 66, 0x31, 0x31, 4, SSE41, 0),
    OPS(0F38, 66, 0x32, 0x32, 2, SSE41, 0),
    OPS(0F38, 66, 0x33, 0x33, 8, SSE41, 0),
    OPS(0F38, 66, 0x34, 0x34, 4, SSE41, 0),
    OPS(0F38, 66, 0x35, 0x35, 8, SSE41, 0),
    OPS(0F38, 66, 0x37, 0x37, 16, SSE42, 0),                 /* pcmpgtq */
    OPS(0F38, 66, 0x38, 0x41, 16, SSE41, 0),
    OPS(0F38, F2, 0xf0, 0xf0, 1, SSE42,
        SF_GREG | SF_GREG_OUT | SF_GRM | SF_BYTEREG),        /* crc32 */
    OPS(0F38, F2, 0xf1, 0xf1, 4, SSE42,
        SF_GREG | SF_GREG_OUT | SF_GRM | SF_OPSIZE),
    OPS(0F3A, 66, 0x08, 0x09, 16, SSE41, SF_IMM),            /* roundps */
    OPS(0F3A, 66, 0x0a, 0x0a, 4, SSE41, SF_IMM),             /* roundss */
    OPS(0F3A, 66, 0x0b, 0x0b, 8, SSE41, SF_IMM),             /* roundsd */
    OPS(0F3A, 66, 0x0c, 0x0e, 16, SSE41, SF_IMM),            /* blends */
    OPS(0F3A, 66, 0x0f, 0x0f, 16, SSSE3, SF_IMM),            /* palignr */
    OPS(0F3A, 66, 0x14, 0x14, 1, SSE41,
        SF_IMM | SF_STORE | SF_GRM | SF_GRM_OUT),            /* pextrb */
    OPS(0F3A, 66, 0x15, 0x15, 2, SSE41,
        SF_IMM | SF_STORE | SF_GRM | SF_GRM_OUT),            /* pextrw */
    OPS(0F3A, 66, 0x16, 0x16, 4, SSE41,
        SF_IMM | SF_STORE | SF_GRM | SF_GRM_OUT | SF_OPSIZE), /* pextrd */
    OPS(0F3A, 66, 0x17, 0x17, 4, SSE41,
        SF_IMM | SF_STORE | SF_GRM | SF_GRM_OUT),            /* extractps */
    OPS(0F3A, 66, 0x20, 0x20, 1, SSE41, SF_IMM | SF_GRM),    /* pinsrb */
    OPS(0F3A, 66, 0x21, 0x21, 4, SSE41, SF_IMM),             /* insertps */
    OPS(0F3A, 66, 0x22, 0x22, 4, SSE41,
        SF_IMM | SF_GRM | SF_OPSIZE),                        /* pinsrd */
    OPS(0F3A, 66, 0x40, 0x42, 16, SSE41, SF_IMM),            /* dpps */
    OPS(0F3A, 66, 0x60, 0x60, 16, SSE42,
        SF_IMM | SF_NOALIGN | SF_EFLAGS),                    /* pcmpestrm */
    OPS(0F3A, 66, 0x61, 0x61, 16, SSE42,
        SF_IMM | SF_NOALIGN | SF_EFLAGS | SF_ECX_OUT),       /* pcmpestri */
    OPS(0F3A, 66, 0x62, 0x62, 16, SSE42,
        SF_IMM | SF_NOALIGN | SF_EFLAGS),                    /* pcmpistrm */
    OPS(0F3A, 66, 0x63, 0x63, 16, SSE42,
        SF_IMM | SF_NOALIGN | SF_EFLAGS | SF_ECX_OUT),       /* pcmpistri */
};

static const SSEOp *sse_lookup(int map, int pfx, int op)
{
    for (size_t i = 0; i < ARRAY_SIZE(sse_ops); i++) {
        const SSEOp *o = &sse_ops[i];

        if (o->map == map && o->pfx == pfx && op >= o->op && op <= o->last) {
            return o;
        }
    }
    return NULL;
}

/* The shift groups 71-73: which ModRM reg values exist. */
static bool sse_group_valid(int op, int pfx, int ext)
{
    if (op == 0x73) {
        return ext == 2 || ext == 6 || (pfx == PFX_66 && (ext == 3 ||
                                                          ext == 7));
    }
    return ext == 2 || ext == 4 || ext == 6;
}

/* #GP(0) unless s->A0 is 16-byte aligned: the helper is called only
 * when it is not. */
static void gen_check_align16(DisasContext *s)
{
    TCGLabel *aligned = gen_new_label();
    TCGv low = tcg_temp_new_i64();

    tcg_gen_andi_i64(low, s->A0, 15);
    tcg_gen_brcondi_i64(TCG_COND_EQ, low, 0, aligned);
    gen_helper(&info_check_align16, 1, s->A0);
    gen_set_label(aligned);
}

/* Whether a non-MMX-table instruction still reads or writes an MMX
 * register (and so the x87 state): the conversions between MMX and XMM
 * registers. */
static bool sse_uses_mmx(int map, int pfx, int op)
{
    return map == MAP_0F &&
           (((pfx == PFX_NP || pfx == PFX_66) &&
             (op == 0x2a || op == 0x2c || op == 0x2d)) ||
            ((pfx == PFX_F3 || pfx == PFX_F2) && op == 0xd6));
}

/* ---- SSE inline: moves and bitwise logic on env->fx.xmm ---- */

static intptr_t xmm_offset(int reg, int half)
{
    return offsetof(CPUX86State, fx.xmm) + reg * 16 + half * 8;
}

static TCGv gen_ld_xmm(int reg, int half)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_ld_i64(t, tcg_env(), xmm_offset(reg, half));
    return t;
}

static void gen_st_xmm(TCGv v, int reg, int half)
{
    tcg_gen_st_i64(v, tcg_env(), xmm_offset(reg, half));
}

/* The ModRM r/m source of size bytes (4, 8 or 16) as two quadwords: an
 * XMM register, or memory at s->A0 (zero-extended; hi 0 below 16
 * bytes).  Both halves are read before anything is written, so a fault
 * on the second leaves the state as it was. */
static void gen_sse_src(DisasContext *s, int size, TCGv *lo, TCGv *hi)
{
    if (s->mod == 3) {
        *lo = gen_ld_xmm(s->rm, 0);
        *hi = gen_ld_xmm(s->rm, 1);
        return;
    }
    *lo = gen_ld(s, size == 4 ? MO_32 : MO_64, s->A0);
    if (size == 16) {
        TCGv addr = tcg_temp_new_i64();

        gen_linear_addi(s, addr, s->A0, 8);
        *hi = gen_ld(s, MO_64, addr);
    } else {
        *hi = tcg_constant_i64(0);
    }
}

/* The low doubleword of low over the high one of high (movss between
 * registers). */
static TCGv gen_merge_low32(TCGv high, TCGv low)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_ext32u_i64(t, low);
    tcg_gen_andi_i64(high, high, ~(uint64_t)UINT32_MAX);
    tcg_gen_or_i64(high, high, t);
    return high;
}

/* Stores quadword half of XMM reg to memory at s->A0 + offset. */
static void gen_sse_st64(DisasContext *s, int reg, int half, int offset)
{
    TCGv addr = s->A0;

    if (offset) {
        addr = tcg_temp_new_i64();
        gen_linear_addi(s, addr, s->A0, offset);
    }
    gen_st(s, MO_64, gen_ld_xmm(reg, half), addr);
}

/* What an inline instruction does (the decoder's checks done, s->A0 set
 * for a memory operand). */
typedef enum SSEInline {
    SI_NONE,
    SI_LOAD128,                  /* movaps, movups, movdqa, movdqu, lddqu */
    SI_STORE128,                 /* their stores, movntps, movntdq */
    SI_AND, SI_ANDN, SI_OR, SI_XOR,   /* andps, pand, ... pxor */
    SI_ADDQ, SI_SUBQ,            /* paddq, psubq */
    SI_LOAD_LOW,                 /* movq, movsd (load): low, high 0 */
    SI_STORE_LOW,                /* movq (66 D6), movsd (store) */
    SI_MOVSS, SI_MOVSS_STORE,
    SI_MOVLPS, SI_MOVLPS_STORE,  /* and movlpd; NP register form movhlps */
    SI_MOVHPS, SI_MOVHPS_STORE,  /* and movhpd; NP register form movlhps */
    SI_UNPCKLQ, SI_UNPCKHQ,      /* punpcklqdq, unpcklpd, and high */
    SI_MOVD_TO, SI_MOVD_FROM,    /* movd/movq between XMM and r/m */
    /* lane-wise on 8-, 16- or 32-bit lanes within each quadword (SWAR) */
    SI_PADDB, SI_PADDW, SI_PADDD, SI_PSUBB, SI_PSUBW, SI_PSUBD,
    SI_PCMPEQB, SI_PCMPEQW, SI_PCMPEQD,
    SI_PMOVMSKB,                 /* byte sign bits to a general register */
    SI_PSHUFD,
    SI_SHIFT_IMM,                /* 66 0F 71-73 but the arithmetic ones */
    /* what gcc makes of a vectorised 32-bit multiply on SSE2 */
    SI_PMULUDQ,                  /* dwords 0 and 2, 64-bit products */
    SI_PUNPCKLDQ, SI_PUNPCKHDQ,  /* interleave the low (high) dwords */
} SSEInline;

static SSEInline sse_inline_kind(int map, int pfx, int op)
{
    bool ps_pd = pfx == PFX_NP || pfx == PFX_66;

    if (map != MAP_0F) {
        return SI_NONE;
    }
    switch (op) {
    case 0x10:
        return ps_pd ? SI_LOAD128 : pfx == PFX_F2 ? SI_LOAD_LOW : SI_MOVSS;
    case 0x11:
        return ps_pd ? SI_STORE128
                     : pfx == PFX_F2 ? SI_STORE_LOW : SI_MOVSS_STORE;
    case 0x12:
        return ps_pd ? SI_MOVLPS : SI_NONE;
    case 0x13:
        return ps_pd ? SI_MOVLPS_STORE : SI_NONE;
    case 0x14:
        return pfx == PFX_66 ? SI_UNPCKLQ : SI_NONE;
    case 0x15:
        return pfx == PFX_66 ? SI_UNPCKHQ : SI_NONE;
    case 0x16:
        return ps_pd ? SI_MOVHPS : SI_NONE;
    case 0x17:
        return ps_pd ? SI_MOVHPS_STORE : SI_NONE;
    case 0x28:
        return ps_pd ? SI_LOAD128 : SI_NONE;
    case 0x29:
    case 0x2b:
        return ps_pd ? SI_STORE128 : SI_NONE;
    case 0x54:
        return ps_pd ? SI_AND : SI_NONE;
    case 0x55:
        return ps_pd ? SI_ANDN : SI_NONE;
    case 0x56:
        return ps_pd ? SI_OR : SI_NONE;
    case 0x57:
        return ps_pd ? SI_XOR : SI_NONE;
    case 0x6c:
        return pfx == PFX_66 ? SI_UNPCKLQ : SI_NONE;
    case 0x6d:
        return pfx == PFX_66 ? SI_UNPCKHQ : SI_NONE;
    case 0x6e:
        return pfx == PFX_66 ? SI_MOVD_TO : SI_NONE;
    case 0x6f:
        return pfx == PFX_66 || pfx == PFX_F3 ? SI_LOAD128 : SI_NONE;
    case 0x7e:
        return pfx == PFX_66 ? SI_MOVD_FROM
               : pfx == PFX_F3 ? SI_LOAD_LOW : SI_NONE;
    case 0x7f:
        return pfx == PFX_66 || pfx == PFX_F3 ? SI_STORE128 : SI_NONE;
    case 0xd4:
        return pfx == PFX_66 ? SI_ADDQ : SI_NONE;
    case 0xd6:
        return pfx == PFX_66 ? SI_STORE_LOW : SI_NONE;
    case 0xdb:
        return pfx == PFX_66 ? SI_AND : SI_NONE;
    case 0xdf:
        return pfx == PFX_66 ? SI_ANDN : SI_NONE;
    case 0xe7:
        return pfx == PFX_66 ? SI_STORE128 : SI_NONE;
    case 0xeb:
        return pfx == PFX_66 ? SI_OR : SI_NONE;
    case 0xef:
        return pfx == PFX_66 ? SI_XOR : SI_NONE;
    case 0xf0:
        return pfx == PFX_F2 ? SI_LOAD128 : SI_NONE;
    case 0xfb:
        return pfx == PFX_66 ? SI_SUBQ : SI_NONE;
    case 0x70:
        return pfx == PFX_66 ? SI_PSHUFD : SI_NONE;
    case 0x71:
    case 0x72:
    case 0x73:
        return pfx == PFX_66 ? SI_SHIFT_IMM : SI_NONE;
    case 0x74:
    case 0x75:
    case 0x76:
        return pfx == PFX_66 ? SI_PCMPEQB + (op - 0x74) : SI_NONE;
    case 0xd7:
        return pfx == PFX_66 ? SI_PMOVMSKB : SI_NONE;
    case 0xf4:
        return pfx == PFX_66 ? SI_PMULUDQ : SI_NONE;
    case 0x62:
        return pfx == PFX_66 ? SI_PUNPCKLDQ : SI_NONE;
    case 0x6a:
        return pfx == PFX_66 ? SI_PUNPCKHDQ : SI_NONE;
    case 0xf8:
    case 0xf9:
    case 0xfa:
        return pfx == PFX_66 ? SI_PSUBB + (op - 0xf8) : SI_NONE;
    case 0xfc:
    case 0xfd:
    case 0xfe:
        return pfx == PFX_66 ? SI_PADDB + (op - 0xfc) : SI_NONE;
    default:
        return SI_NONE;
    }
}

/* The top bit of every lane of a quadword: 8-, 16- or 32-bit lanes
 * (lane_log2 3, 4, 5). */
static uint64_t lane_tops(int lane_log2)
{
    static const uint64_t tops[] = {
        [3] = 0x8080808080808080ull, [4] = 0x8000800080008000ull,
        [5] = 0x8000000080000000ull,
    };

    return tops[lane_log2];
}

/* d = a + b (or a - b) lane by lane: the lanes' top bits are added
 * without carry, so nothing crosses into the next lane. */
static void gen_swar_add(TCGv d, TCGv a, TCGv b, int lane_log2, bool sub)
{
    uint64_t h = lane_tops(lane_log2);
    TCGv x = tcg_temp_new_i64(), y = tcg_temp_new_i64();

    if (sub) {
        tcg_gen_ori_i64(x, a, h);
        tcg_gen_andi_i64(y, b, ~h);
        tcg_gen_sub_i64(x, x, y);
        tcg_gen_xor_i64(y, a, b);
        tcg_gen_not_i64(y, y);           /* a ^ ~b */
    } else {
        tcg_gen_andi_i64(x, a, ~h);
        tcg_gen_andi_i64(y, b, ~h);
        tcg_gen_add_i64(x, x, y);
        tcg_gen_xor_i64(y, a, b);
    }
    tcg_gen_andi_i64(y, y, h);
    tcg_gen_xor_i64(d, x, y);
}

/* d = all ones in each lane where a and b are equal, else zeros. */
static void gen_swar_cmpeq(TCGv d, TCGv a, TCGv b, int lane_log2)
{
    uint64_t h = lane_tops(lane_log2);
    TCGv z = tcg_temp_new_i64(), t = tcg_temp_new_i64();

    /* a lane of z = a ^ b is nonzero iff its top bit or (the rest +
     * all-but-top ones) carries into the top bit */
    tcg_gen_xor_i64(z, a, b);
    tcg_gen_andi_i64(t, z, ~h);
    tcg_gen_addi_i64(t, t, ~h);
    tcg_gen_or_i64(t, t, z);
    tcg_gen_andc_i64(t, tcg_constant_i64(h), t);     /* equal lanes */
    tcg_gen_shri_i64(t, t, (1 << lane_log2) - 1);
    tcg_gen_mul_i64(d, t, tcg_constant_i64((1ull << (1 << lane_log2)) - 1));
}

/* The dword i (0-3) of the 128-bit value lo:hi. */
static TCGv gen_dword(TCGv lo, TCGv hi, int i)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_shri_i64(t, i < 2 ? lo : hi, (i & 1) * 32);
    tcg_gen_ext32u_i64(t, t);
    return t;
}

/* 66 0F 71-73 with an immediate count: logical shifts of each word,
 * dword or quadword, and the byte shifts of the whole register (the
 * arithmetic shifts, psraw and psrad, go to the host). */
static void gen_sse_shift_imm(DisasContext *s, int op, int count)
{
    int ext = s->reg & 7, reg = s->rm;
    bool left = ext == 6 || ext == 7;
    int lane_bits = op == 0x71 ? 16 : op == 0x72 ? 32 : 64;
    TCGv lo = gen_ld_xmm(reg, 0), hi = gen_ld_xmm(reg, 1);
    TCGv t = tcg_temp_new_i64();

    if (ext == 3 || ext == 7) {          /* psrldq, pslldq: bytes */
        int bits = (count > 16 ? 16 : count) * 8;
        TCGv from = left ? lo : hi, to = left ? hi : lo;

        if (bits >= 128) {
            tcg_gen_movi_i64(lo, 0);
            tcg_gen_movi_i64(hi, 0);
        } else if (bits >= 64) {
            if (left) {
                tcg_gen_shli_i64(to, from, bits - 64);
            } else {
                tcg_gen_shri_i64(to, from, bits - 64);
            }
            tcg_gen_movi_i64(from, 0);
        } else if (bits) {
            /* to takes from's bits shifted across the middle */
            if (left) {
                tcg_gen_shri_i64(t, from, 64 - bits);
                tcg_gen_shli_i64(to, to, bits);
                tcg_gen_shli_i64(from, from, bits);
            } else {
                tcg_gen_shli_i64(t, from, 64 - bits);
                tcg_gen_shri_i64(to, to, bits);
                tcg_gen_shri_i64(from, from, bits);
            }
            tcg_gen_or_i64(to, to, t);
        }
    } else if (count >= lane_bits) {
        tcg_gen_movi_i64(lo, 0);
        tcg_gen_movi_i64(hi, 0);
    } else if (count) {
        /* the bits shifted out of one lane into the next masked off */
        uint64_t lane = lane_bits == 64 ? ~0ull : (1ull << lane_bits) - 1;
        uint64_t keep = left ? (lane << count) & lane : lane >> count;

        for (int l = lane_bits; l < 64; l += lane_bits) {
            keep |= keep << l;
        }
        for (int half = 0; half < 2; half++) {
            TCGv v = half ? hi : lo;

            if (left) {
                tcg_gen_shli_i64(v, v, count);
            } else {
                tcg_gen_shri_i64(v, v, count);
            }
            if (lane_bits != 64) {
                tcg_gen_andi_i64(v, v, keep);
            }
        }
    }
    gen_st_xmm(lo, reg, 0);
    gen_st_xmm(hi, reg, 1);
}

/* Two quadword operations of a bitwise or 64-bit lane instruction:
 * XMM reg = XMM reg op source. */
static void gen_sse_lanes(DisasContext *s, SSEInline kind, int size)
{
    TCGv src[2], d;

    gen_sse_src(s, size, &src[0], &src[1]);
    for (int half = 0; half < 2; half++) {
        d = gen_ld_xmm(s->reg, half);
        switch (kind) {
        case SI_AND:
            tcg_gen_and_i64(d, d, src[half]);
            break;
        case SI_ANDN:
            tcg_gen_andc_i64(d, src[half], d);
            break;
        case SI_OR:
            tcg_gen_or_i64(d, d, src[half]);
            break;
        case SI_XOR:
            tcg_gen_xor_i64(d, d, src[half]);
            break;
        case SI_ADDQ:
            tcg_gen_add_i64(d, d, src[half]);
            break;
        default:
            tcg_gen_sub_i64(d, d, src[half]);
            break;
        }
        gen_st_xmm(d, s->reg, half);
    }
}

/* An SSE instruction done inline (kind not SI_NONE). */
static void gen_sse_inline(DisasContext *s, SSEInline kind, int size)
{
    bool mem = s->mod != 3;
    MemOp ot = s->rex_w ? MO_64 : MO_32;
    TCGv lo, hi;

    switch (kind) {
    case SI_NONE:
        g_assert_not_reached();
    case SI_LOAD128:
        gen_sse_src(s, 16, &lo, &hi);
        gen_st_xmm(lo, s->reg, 0);
        gen_st_xmm(hi, s->reg, 1);
        break;
    case SI_STORE128:
        if (mem) {
            gen_sse_st64(s, s->reg, 0, 0);
            gen_sse_st64(s, s->reg, 1, 8);
        } else {
            lo = gen_ld_xmm(s->reg, 0);
            hi = gen_ld_xmm(s->reg, 1);
            gen_st_xmm(lo, s->rm, 0);
            gen_st_xmm(hi, s->rm, 1);
        }
        break;
    case SI_AND:
    case SI_ANDN:
    case SI_OR:
    case SI_XOR:
    case SI_ADDQ:
    case SI_SUBQ:
        gen_sse_lanes(s, kind, size);
        break;
    case SI_LOAD_LOW:
        /* movq zeroes the high quadword from a register too; movsd
         * merges into the low one from a register */
        gen_sse_src(s, 8, &lo, &hi);
        gen_st_xmm(lo, s->reg, 0);
        if (mem || s->b == 0x17e) {
            gen_st_xmm(tcg_constant_i64(0), s->reg, 1);
        }
        break;
    case SI_STORE_LOW:
        if (mem) {
            gen_sse_st64(s, s->reg, 0, 0);
        } else {
            gen_st_xmm(gen_ld_xmm(s->reg, 0), s->rm, 0);
            if (s->b == 0x1d6) {             /* movq: high quadword 0 */
                gen_st_xmm(tcg_constant_i64(0), s->rm, 1);
            }
        }
        break;
    case SI_MOVSS:
        if (mem) {
            gen_sse_src(s, 4, &lo, &hi);
            gen_st_xmm(lo, s->reg, 0);
            gen_st_xmm(hi, s->reg, 1);
        } else {
            gen_st_xmm(gen_merge_low32(gen_ld_xmm(s->reg, 0),
                                       gen_ld_xmm(s->rm, 0)), s->reg, 0);
        }
        break;
    case SI_MOVSS_STORE:
        if (mem) {
            gen_st(s, MO_32, gen_ld_xmm(s->reg, 0), s->A0);
        } else {
            gen_st_xmm(gen_merge_low32(gen_ld_xmm(s->rm, 0),
                                       gen_ld_xmm(s->reg, 0)), s->rm, 0);
        }
        break;
    case SI_MOVLPS:                          /* register form: movhlps */
        lo = mem ? gen_ld(s, MO_64, s->A0) : gen_ld_xmm(s->rm, 1);
        gen_st_xmm(lo, s->reg, 0);
        break;
    case SI_MOVLPS_STORE:
        gen_sse_st64(s, s->reg, 0, 0);
        break;
    case SI_MOVHPS:                          /* register form: movlhps */
        hi = mem ? gen_ld(s, MO_64, s->A0) : gen_ld_xmm(s->rm, 0);
        gen_st_xmm(hi, s->reg, 1);
        break;
    case SI_MOVHPS_STORE:
        gen_sse_st64(s, s->reg, 1, 0);
        break;
    case SI_UNPCKLQ:
        gen_sse_src(s, 16, &lo, &hi);
        gen_st_xmm(lo, s->reg, 1);
        break;
    case SI_UNPCKHQ:
        gen_sse_src(s, 16, &lo, &hi);
        gen_st_xmm(gen_ld_xmm(s->reg, 1), s->reg, 0);
        gen_st_xmm(hi, s->reg, 1);
        break;
    case SI_MOVD_TO:
        gen_st_xmm(gen_load_E(s, ot), s->reg, 0);
        gen_st_xmm(tcg_constant_i64(0), s->reg, 1);
        break;
    case SI_MOVD_FROM:
        gen_store_E(s, ot, gen_ld_xmm(s->reg, 0));
        break;
    case SI_PADDB:
    case SI_PADDW:
    case SI_PADDD:
    case SI_PSUBB:
    case SI_PSUBW:
    case SI_PSUBD:
    case SI_PCMPEQB:
    case SI_PCMPEQW:
    case SI_PCMPEQD:
        gen_sse_src(s, 16, &lo, &hi);
        for (int half = 0; half < 2; half++) {
            TCGv d = gen_ld_xmm(s->reg, half), src = half ? hi : lo;

            if (kind >= SI_PCMPEQB) {
                gen_swar_cmpeq(d, d, src, 3 + (kind - SI_PCMPEQB));
            } else if (kind >= SI_PSUBB) {
                gen_swar_add(d, d, src, 3 + (kind - SI_PSUBB), true);
            } else {
                gen_swar_add(d, d, src, 3 + (kind - SI_PADDB), false);
            }
            gen_st_xmm(d, s->reg, half);
        }
        break;
    case SI_PMOVMSKB: {
        /* the byte tops gathered: byte i's bit 7 lands at bit 56 + i */
        TCGv mask = tcg_temp_new_i64();

        for (int half = 0; half < 2; half++) {
            TCGv t = gen_ld_xmm(s->rm, half);

            tcg_gen_andi_i64(t, t, lane_tops(3));
            tcg_gen_mul_i64(t, t, tcg_constant_i64(0x0002040810204081ull));
            tcg_gen_shri_i64(t, t, 56 - 8 * half);
            if (half) {
                tcg_gen_andi_i64(t, t, 0xff00);
                tcg_gen_or_i64(mask, mask, t);
            } else {
                tcg_gen_mov_i64(mask, t);
            }
        }
        gen_reg_write(s, MO_32, s->reg, mask);
        break;
    }
    case SI_PSHUFD: {
        int imm = x86_fetch(s, MO_8);
        TCGv d[4], r = tcg_temp_new_i64(), r2 = tcg_temp_new_i64();

        gen_sse_src(s, 16, &lo, &hi);
        for (int i = 0; i < 4; i++) {
            d[i] = gen_dword(lo, hi, (imm >> (2 * i)) & 3);
        }
        tcg_gen_shli_i64(r, d[1], 32);
        tcg_gen_or_i64(r, r, d[0]);
        tcg_gen_shli_i64(r2, d[3], 32);
        tcg_gen_or_i64(r2, r2, d[2]);
        gen_st_xmm(r, s->reg, 0);
        gen_st_xmm(r2, s->reg, 1);
        break;
    }
    case SI_PMULUDQ:
        gen_sse_src(s, 16, &lo, &hi);
        for (int half = 0; half < 2; half++) {
            TCGv d = gen_ld_xmm(s->reg, half), src = half ? hi : lo;
            TCGv t = tcg_temp_new_i64();

            tcg_gen_ext32u_i64(d, d);
            tcg_gen_ext32u_i64(t, src);
            tcg_gen_mul_i64(d, d, t);
            gen_st_xmm(d, s->reg, half);
        }
        break;
    case SI_PUNPCKLDQ:
    case SI_PUNPCKHDQ: {
        /* the destination's and the source's quadword of that half,
         * dword by dword: d.lo s.lo, then d.hi s.hi */
        int half = kind == SI_PUNPCKHDQ;
        TCGv d, src, r = tcg_temp_new_i64(), r2 = tcg_temp_new_i64();

        gen_sse_src(s, 16, &lo, &hi);
        src = half ? hi : lo;
        d = gen_ld_xmm(s->reg, half);
        tcg_gen_ext32u_i64(r, d);
        tcg_gen_shli_i64(r2, src, 32);
        tcg_gen_or_i64(r, r, r2);
        tcg_gen_shri_i64(r2, d, 32);
        tcg_gen_andi_i64(d, src, ~(uint64_t)UINT32_MAX);
        tcg_gen_or_i64(r2, r2, d);
        gen_st_xmm(r, s->reg, 0);
        gen_st_xmm(r2, s->reg, 1);
        break;
    }
    case SI_SHIFT_IMM:
        g_assert_not_reached();          /* gen_sse_shift_imm */
    }
}

static bool guest_has(DisasContext *s, int feature)
{
    const X86CPU *cpu = X86_CPU(s->cpu);

    return cpu->features[sse_features[feature].word] &
           sse_features[feature].bit;
}

static void gen_sse_op(DisasContext *s, const SSEOp *o, int map, int pfx,
                       int op)
{
    static const uint8_t prefix_bytes[] = { 0, 0x66, 0xf3, 0xf2 };
    uint8_t insn[X86_HOST_INSN_MAX];
    unsigned len = 0, size = o->mem;
    bool mem = s->mod != 3, rex_w = s->dflag == MO_64;
    int regf = (o->flags & SF_GREG) ? 0 : s->reg & 7;
    int rmf = (o->flags & SF_GRM) ? 1 : s->rm & 7;
    int rm_reg = s->rm;
    uint32_t ctl = HX_SSE | ((o->flags & SF_MMX) || sse_uses_mmx(map, pfx, op)
                             ? HX_MMX : 0);
    uint8_t rex = 0x40 | (rex_w && (o->flags & SF_OPSIZE) ? 8 : 0);
    TCGv r;

    if ((mem && (o->flags & SF_REGONLY)) ||
        (!mem && (o->flags & SF_MEMONLY)) ||
        ((o->flags & SF_GROUP) && !sse_group_valid(op, pfx, s->reg & 7)) ||
        (s->prefix & PREFIX_LOCK) || !guest_has(s, o->feature)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_fpu_check(s, (o->flags & SF_MMX) ? FPCHK_MMX : FPCHK_SSE);
    if (!(o->flags & SF_MMX)) {
        SSEInline kind = sse_inline_kind(map, pfx, op);

        if (kind == SI_SHIFT_IMM && (s->reg & 7) == 4) {
            kind = SI_NONE;              /* psraw, psrad: on the host */
        }
        if (kind == SI_SHIFT_IMM) {
            gen_sse_shift_imm(s, op, x86_fetch(s, MO_8));
            return;
        }
        if (kind != SI_NONE) {
            if (mem) {
                gen_A0(s);
                if (o->mem == 16 && !(o->flags & SF_NOALIGN)) {
                    gen_check_align16(s);
                }
            }
            gen_sse_inline(s, kind, o->mem);
            return;
        }
    }
    if (!mem && (o->flags & SF_BYTEREG) && !s->rex && s->rm >= 4) {
        /* ah ch dh bh: the host's %ch holds the guest's byte */
        rmf = 5;
        rm_reg = s->rm - 4;
    }
    if (o->flags & SF_OPSIZE) {
        size = rex_w ? 8 : (s->prefix & PREFIX_DATA) && pfx >= PFX_F3 ? 2
                                                                     : size;
    }
    /* popcnt and crc32 take 66 as the operand size besides F3/F2 */
    if (pfx >= PFX_F3 && (o->flags & SF_GREG) && (s->prefix & PREFIX_DATA)) {
        insn[len++] = 0x66;
    }
    if (pfx != PFX_NP) {
        insn[len++] = prefix_bytes[pfx];
    }
    if (!(o->flags & (SF_GREG | SF_GROUP)) && (s->reg & 8)) {
        rex |= 4;
    }
    if (!mem && !(o->flags & SF_GRM) && (s->rm & 8)) {
        rex |= 1;
    }
    if (rex != 0x40) {
        insn[len++] = rex;
    }
    insn[len++] = 0x0f;
    if (map != MAP_0F) {
        insn[len++] = map == MAP_0F38 ? 0x38 : 0x3a;
    }
    insn[len++] = op;
    insn[len++] = mem ? (regf << 3) | 7 : 0xc0 | (regf << 3) | rmf;
    if (o->flags & SF_IMM) {
        insn[len++] = x86_fetch(s, MO_8);
    }
    if (mem) {
        gen_A0(s);
        if (size == 16 && !(o->flags & SF_NOALIGN)) {
            gen_check_align16(s);
        }
        if (!(o->flags & SF_STORE)) {
            gen_mem_to_scratch(s, size);
        }
    }
    if (o->flags & SF_GREG) {
        ctl |= s->reg | HX_A_IN | ((o->flags & SF_GREG_OUT) ? HX_A_OUT : 0);
    }
    if ((o->flags & SF_GRM) && !mem) {
        ctl |= (rm_reg << 8) | HX_C_IN |
               ((o->flags & SF_GRM_OUT) ? HX_C_OUT : 0);
    }
    if (o->flags & SF_ECX_OUT) {
        ctl |= (R_ECX << 8) | HX_C_OUT;
    }
    if (ctl == HX_SSE) {
        /* XMM registers and memory only; the 0F 38 and 0F 3A maps have
         * the instructions that use XMM0 implicitly (blendv, pcmpestrm) */
        r = gen_helper(x86_sse_direct_stub(insn, len, s->reg,
                                           mem ? -1 : s->rm,
                                           map != MAP_0F,
                                           o->flags & SF_EFLAGS), 0);
    } else {
        r = gen_host_exec(s, insn, len, ctl, 0, false);
    }
    if (o->flags & SF_EFLAGS) {
        gen_set_eflags_cc(s, r);
    }
    if (mem && (o->flags & SF_STORE)) {
        gen_scratch_to_mem(s, size);
    }
}

/* 0F AE: fxsave, fxrstor, ldmxcsr, stmxcsr, clflush; the fences;
 * F3 0F AE: the FS/GS base instructions. */
static bool gen_grp15(DisasContext *s)
{
    TCGv t;
    int ext;

    gen_modrm(s);
    ext = s->reg & 7;
    if (s->mod == 3 && ext < 4 &&
        (s->prefix & (PREFIX_DATA | PREFIX_REPZ | PREFIX_REPNZ)) ==
        PREFIX_REPZ) {
        x86_gen_fsgsbase(s);     /* decode.c */
        return true;
    }
    if (s->prefix & (PREFIX_DATA | PREFIX_REPZ | PREFIX_REPNZ)) {
        return false;
    }
    if (s->mod == 3) {
        return ext >= 5;      /* lfence, mfence, sfence: x86 on x86 */
    }
    switch (ext) {
    case 0:
    case 1:
        gen_fpu_check(s, FPCHK_FXSR);
        gen_A0(s);
        gen_helper(ext ? &info_fxrstor : &info_fxsave, 2, s->A0,
                   tcg_constant_i64(s->rex_w));
        return true;
    case 2:
        gen_fpu_check(s, FPCHK_SSE);
        gen_A0(s);
        gen_helper(&info_ldmxcsr, 1, gen_ld(s, MO_32, s->A0));
        return true;
    case 3:
        gen_fpu_check(s, FPCHK_SSE);
        gen_A0(s);
        t = gen_helper(&info_stmxcsr, 0);
        gen_st(s, MO_32, t, s->A0);
        return true;
    case 4:                      /* xsave */
    case 5:                      /* xrstor */
    case 6:                      /* xsaveopt */
        if (!guest_has(s, FEAT_XSAVE)) {
            return false;
        }
        gen_A0(s);
        gen_helper(ext == 5 ? &info_xrstor : &info_xsave, 1, s->A0);
        if (ext == 5) {
            s->is_jmp = DISAS_EOB_NEXT;
        }
        return true;
    default:                     /* clflush: emu has no caches */
        return true;
    }
}

void x86_gen_xcr(DisasContext *s)
{
    if (!guest_has(s, FEAT_XSAVE) || (s->prefix & (PREFIX_DATA |
                                                   PREFIX_REPZ |
                                                   PREFIX_REPNZ))) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_helper(s->modrm == 0xd0 ? &info_xgetbv : &info_xsetbv, 0);
    if (s->modrm == 0xd1) {
        s->is_jmp = DISAS_EOB_NEXT;
    }
}

/* 0F F7 maskmovq mm1, mm2 and 66 0F F7 maskmovdqu xmm1, xmm2: the bytes
 * of the first whose byte in the second (the mask) has its top bit set
 * go to DS:rDI.  The host instruction writes them into the scratch
 * buffer (its %rdi; for maskmovq it also makes the x87 registers MMX
 * ones), then a helper stores exactly those bytes to guest memory. */
static void gen_maskmov(DisasContext *s, bool xmm)
{
    uint8_t insn[X86_HOST_INSN_MAX];
    unsigned len = 0;
    uint8_t rex = 0x40;
    TCGv a;

    gen_modrm(s);
    if (s->mod != 3 || (s->prefix & PREFIX_LOCK) ||
        !guest_has(s, xmm ? FEAT_SSE2 : FEAT_SSE)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_fpu_check(s, xmm ? FPCHK_SSE : FPCHK_MMX);
    if (xmm) {
        insn[len++] = 0x66;
        rex |= ((s->reg & 8) ? 4 : 0) | ((s->rm & 8) ? 1 : 0);
    }
    if (rex != 0x40) {
        insn[len++] = rex;
    }
    insn[len++] = 0x0f;
    insn[len++] = 0xf7;
    insn[len++] = 0xc0 | ((s->reg & 7) << 3) | (s->rm & 7);
    gen_host_exec(s, insn, len, HX_SSE | (xmm ? 0 : HX_MMX), 0, false);
    a = gen_reg_read(s, s->aflag, R_EDI);
    gen_seg_addr(s, a, R_DS, s->aflag);
    gen_helper(&info_maskmov_store, 2, a,
               tcg_constant_i64((xmm ? s->rm : s->rm & 7) |
                                (xmm ? MASKMOV_XMM : 0)));
}

bool x86_gen_sse(DisasContext *s)
{
    int op = s->b & 0xff, map = MAP_0F;
    int pfx = (s->prefix & PREFIX_REPNZ) ? PFX_F2
              : (s->prefix & PREFIX_REPZ) ? PFX_F3
              : (s->prefix & PREFIX_DATA) ? PFX_66 : PFX_NP;
    const SSEOp *o;

    if (op == 0xae) {
        return gen_grp15(s);
    }
    if (op == 0xf7 && (pfx == PFX_NP || pfx == PFX_66)) {
        gen_maskmov(s, pfx == PFX_66);
        return true;
    }
    if (op == 0x77 && pfx == PFX_NP) {               /* emms */
        static const uint8_t emms[] = { 0x0f, 0x77 };

        if (!guest_has(s, FEAT_MMX)) {
            return false;
        }
        gen_fpu_check(s, FPCHK_MMX);
        gen_host_exec(s, emms, sizeof(emms), 0, 0, false);
        return true;
    }
    if (op == 0x38 || op == 0x3a) {
        map = op == 0x38 ? MAP_0F38 : MAP_0F3A;
        op = x86_fetch(s, MO_8);
    }
    o = sse_lookup(map, pfx, op);
    if (!o) {
        return false;
    }
    gen_modrm(s);
    gen_sse_op(s, o, map, pfx, op);
    return true;
}
