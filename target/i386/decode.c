/*
 * The x86 instruction decoder: prefixes, then one table row per opcode
 * of the one-byte map and of the 0F map, saying whether a ModRM byte
 * follows, whether the operands are bytes, which immediate follows, and
 * which handler generates the IR (with an argument: the ALU operation,
 * the condition, the register...).  Handlers see the decoded fields in
 * DisasContext and X86Insn.
 *
 * 16-, 32- and 64-bit code: real mode, virtual-8086 mode, protected mode
 * and long mode (REX prefixes, 64-bit operands, rip-relative operands).
 * The x87, MMX and SSE opcodes go to translate-fpu.c.
 * Not decoded yet (they raise #UD): INT1 (F1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "target/i386/translate.h"

typedef struct X86Insn X86Insn;
typedef void X86Gen(DisasContext *s, X86Insn *d);

/* Immediate operands (X86Op.imm). */
enum {
    IMM_NONE,
    IMM_B,                       /* a byte, sign-extended */
    IMM_UB,                      /* a byte, zero-extended */
    IMM_W,                       /* 16 bits */
    IMM_Z,                       /* 16 or 32 bits: the operand size */
    IMM_FAR,                     /* offset (operand size), then selector */
    IMM_ENTER,                   /* 16 bits, then a byte */
    IMM_MOFFS,                   /* an offset of the address size */
    IMM_V,                       /* the operand size, 64 bits included */
};

/* X86Op.flags */
enum {
    OPF_MODRM = 1,
    OPF_BYTE = 2,                /* byte operands (else the operand size) */
    OPF_D64 = 4,                 /* 64-bit mode: 64-bit operands unless 66 */
    OPF_I64 = 8,                 /* not valid in 64-bit mode: #UD */
};

typedef struct X86Op {
    X86Gen *gen;
    uint8_t flags;
    uint8_t imm;
    uint8_t arg;
} X86Op;

struct X86Insn {
    const X86Op *op;
    MemOp ot;                    /* operand size of this instruction */
    uint64_t imm, imm2;          /* sign-extended where the SDM says */
};

static uint64_t fetch_imm(DisasContext *s, X86Insn *d, int kind);

/* ALU operations: the reg field of group 1, the bits 5:3 of 00-3F. */
enum { OP_ADD, OP_OR, OP_ADC, OP_SBB, OP_AND, OP_SUB, OP_XOR, OP_CMP };

static TCGv tmp(void)
{
    return tcg_temp_new_i64();
}

static void gen_unimp(DisasContext *s, const char *what)
{
    emu_log_mask(LOG_UNIMP, "x86 tcg: %s at %04" PRIx64 ":%08" PRIx64
                 " not implemented: #UD\n", what, s->cs_base >> 4,
                 cur_eip(s));
    gen_exception(s, EXCP06_ILLOP);
}

/* d = a op b, with the flags; returns d (a new temp). */
static TCGv gen_arith(DisasContext *s, int op, MemOp ot, TCGv a,
                          TCGv b)
{
    TCGv d = tmp();
    TCGv c;

    switch (op) {
    case OP_ADD:
        tcg_gen_add_i64(d, a, b);
        gen_cc(s, CC_KIND_ADD, ot, d, b);
        break;
    case OP_ADC:
    case OP_SBB:
        c = gen_compute_cf(s);
        if (op == OP_ADC) {
            tcg_gen_add_i64(d, a, b);
            tcg_gen_add_i64(d, d, c);
        } else {
            tcg_gen_sub_i64(d, a, b);
            tcg_gen_sub_i64(d, d, c);
        }
        tcg_gen_mov_i64(cpu_cc_src2, c);
        gen_cc(s, op == OP_ADC ? CC_KIND_ADC : CC_KIND_SBB, ot, d, b);
        break;
    case OP_SUB:
    case OP_CMP:
        tcg_gen_sub_i64(d, a, b);
        gen_cc(s, CC_KIND_SUB, ot, d, b);
        break;
    case OP_AND:
        tcg_gen_and_i64(d, a, b);
        gen_cc(s, CC_KIND_LOGIC, ot, d, NULL);
        break;
    case OP_OR:
        tcg_gen_or_i64(d, a, b);
        gen_cc(s, CC_KIND_LOGIC, ot, d, NULL);
        break;
    case OP_XOR:
        tcg_gen_xor_i64(d, a, b);
        gen_cc(s, CC_KIND_LOGIC, ot, d, NULL);
        break;
    }
    return d;
}

/* A LOCK prefix on an instruction with a memory destination (the
 * decoder refused it anywhere else). */
static bool locked_mem(const DisasContext *s)
{
    return (s->prefix & PREFIX_LOCK) && s->mod != 3;
}

/*
 * The memory operand becomes op(itself, src) (LOCK_CMPXCHG: src where it
 * equals expected) in one atomic operation, before the instruction
 * changes anything else; returns its old value.
 */
static TCGv gen_lock_rmw(DisasContext *s, MemOp ot, int op, TCGv src,
                         TCGv expected)
{
    gen_A0(s);
    return gen_helper(&info_lock_rmw, 4, s->A0, src,
                      expected ? expected : tcg_constant_i64(0),
                      tcg_constant_i64(LOCK_CTL(op, ot, s->mmu_idx)));
}

/* A LOCKed ALU operation (ADD..XOR) on memory with operand b: the
 * memory atomically, then the flags as the plain form sets them. */
static void gen_lock_arith(DisasContext *s, int op, MemOp ot, TCGv b)
{
    static const int lock_op[] = {
        [OP_ADD] = LOCK_ADD, [OP_OR] = LOCK_OR, [OP_ADC] = LOCK_ADD,
        [OP_SBB] = LOCK_ADD, [OP_AND] = LOCK_AND, [OP_SUB] = LOCK_ADD,
        [OP_XOR] = LOCK_XOR,
    };
    TCGv src = tmp();

    /* Subtraction adds the negation; the carry joins the operand
     * (modulo 2^64, as the sum itself). */
    if (op == OP_ADC || op == OP_SBB) {
        tcg_gen_add_i64(src, b, gen_compute_cf(s));
    } else {
        tcg_gen_mov_i64(src, b);
    }
    if (op == OP_SUB || op == OP_SBB) {
        tcg_gen_neg_i64(src, src);
    }
    gen_arith(s, op, ot, gen_lock_rmw(s, ot, lock_op[op], src, NULL), b);
}

/* 00-3F: op Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iz */
static void op_alu(DisasContext *s, X86Insn *d)
{
    int op = d->op->arg;
    TCGv a, b, r;

    switch (s->b & 7) {
    case 0:
    case 1:
        b = gen_reg_read(s, d->ot, s->reg);
        if (locked_mem(s)) {
            gen_lock_arith(s, op, d->ot, b);
            break;
        }
        a = gen_load_E(s, d->ot);
        r = gen_arith(s, op, d->ot, a, b);
        if (op != OP_CMP) {
            gen_store_E(s, d->ot, r);
        }
        break;
    case 2:
    case 3:
        b = gen_load_E(s, d->ot);
        a = gen_reg_read(s, d->ot, s->reg);
        r = gen_arith(s, op, d->ot, a, b);
        if (op != OP_CMP) {
            gen_reg_write(s, d->ot, s->reg, r);
        }
        break;
    default:
        a = gen_reg_read(s, d->ot, R_EAX);
        r = gen_arith(s, op, d->ot, a, tcg_constant_i64(d->imm));
        if (op != OP_CMP) {
            gen_reg_write(s, d->ot, R_EAX, r);
        }
        break;
    }
}

/* 80-83: group 1, op E,imm */
static void op_grp1(DisasContext *s, X86Insn *d)
{
    TCGv a, r;

    if (locked_mem(s)) {
        gen_lock_arith(s, s->reg, d->ot, tcg_constant_i64(d->imm));
        return;
    }
    a = gen_load_E(s, d->ot);
    r = gen_arith(s, s->reg, d->ot, a, tcg_constant_i64(d->imm));
    if (s->reg != OP_CMP) {
        gen_store_E(s, d->ot, r);
    }
}

/* TEST: flags of a & b */
static void gen_test(DisasContext *s, MemOp ot, TCGv a, TCGv b)
{
    TCGv r = tmp();

    tcg_gen_and_i64(r, a, b);
    gen_cc(s, CC_KIND_LOGIC, ot, r, NULL);
}

/* 84, 85: test E,G; A8, A9: test AL/eAX,imm */
static void op_test(DisasContext *s, X86Insn *d)
{
    if (d->op->flags & OPF_MODRM) {
        gen_test(s, d->ot, gen_load_E(s, d->ot),
                 gen_reg_read(s, d->ot, s->reg));
    } else {
        gen_test(s, d->ot, gen_reg_read(s, d->ot, R_EAX),
                 tcg_constant_i64(d->imm));
    }
}

static TCGv gen_incdec(DisasContext *s, MemOp ot, TCGv v, bool dec)
{
    TCGv cf = gen_compute_cf(s);
    TCGv r = tmp();

    tcg_gen_addi_i64(r, v, dec ? -1 : 1);
    tcg_gen_mov_i64(cpu_cc_src, cf);
    gen_cc(s, dec ? CC_KIND_DEC : CC_KIND_INC, ot, r, NULL);
    return r;
}

/* 40-4F: inc/dec reg */
static void op_incdec_reg(DisasContext *s, X86Insn *d)
{
    int reg = s->b & 7;

    gen_reg_write(s, d->ot, reg,
                  gen_incdec(s, d->ot, gen_reg_read(s, d->ot, reg),
                             s->b & 8));
}

/* 50-57 push reg, 58-5F pop reg */
static void op_push_reg(DisasContext *s, X86Insn *d)
{
    gen_push(s, s->dflag, gen_reg_read(s, s->dflag, (s->b & 7) | s->rex_b));
}

static void op_pop_reg(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_pop(s, s->dflag);

    /* pop esp: the popped value wins over the increment */
    gen_pop_update(s, s->dflag);
    gen_reg_write(s, s->dflag, (s->b & 7) | s->rex_b, v);
}

/* 68, 6A: push imm */
static void op_push_imm(DisasContext *s, X86Insn *d)
{
    gen_push(s, s->dflag, tcg_constant_i64(d->imm));
}

/* 8F /0: pop Ev */
static void op_pop_E(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_pop(s, s->dflag);

    /* The address uses esp after the pop. */
    gen_pop_update(s, s->dflag);
    gen_store_E(s, s->dflag, v);
}

/* 60: pusha, 61: popa */
static void op_pusha(DisasContext *s, X86Insn *d)
{
    TCGv sp = gen_reg_read(s, s->dflag, R_ESP);

    for (int r = 0; r < 8; r++) {
        gen_push(s, s->dflag, r == R_ESP ? sp : gen_reg_read(s, s->dflag, r));
    }
}

static void op_popa(DisasContext *s, X86Insn *d)
{
    for (int r = 7; r >= 0; r--) {
        TCGv v = gen_pop(s, s->dflag);

        gen_pop_update(s, s->dflag);
        if (r != R_ESP) {
            gen_reg_write(s, s->dflag, r, v);
        }
    }
}

/* 88-8B mov, C6/C7 mov E,imm, B0-BF mov reg,imm */
static void op_mov(DisasContext *s, X86Insn *d)
{
    switch (s->b) {
    case 0x88:
    case 0x89:
        gen_store_E(s, d->ot, gen_reg_read(s, d->ot, s->reg));
        break;
    case 0x8a:
    case 0x8b:
        gen_reg_write(s, d->ot, s->reg, gen_load_E(s, d->ot));
        break;
    case 0xc6:
    case 0xc7:
        gen_store_E(s, d->ot, tcg_constant_i64(d->imm));
        break;
    default:
        gen_reg_write(s, d->ot, (s->b & 7) | s->rex_b,
                      tcg_constant_i64(d->imm));
        break;
    }
}

/* A0-A3: mov AL/eAX <-> moffs */
static void op_mov_moffs(DisasContext *s, X86Insn *d)
{
    TCGv a = tmp();

    tcg_gen_movi_i64(a, d->imm);
    gen_seg_addr(s, a, R_DS, s->aflag);
    if (s->b & 2) {
        gen_st(s, d->ot, gen_reg_read(s, d->ot, R_EAX), a);
    } else {
        gen_reg_write(s, d->ot, R_EAX, gen_ld(s, d->ot, a));
    }
}

/* 8D: lea */
static void op_lea(DisasContext *s, X86Insn *d)
{
    if (s->mod == 3) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_reg_write(s, s->dflag, s->reg, gen_ea(s));
}

/* 86, 87: xchg E,G; 91-97: xchg eAX,reg */
static void op_xchg(DisasContext *s, X86Insn *d)
{
    if (d->op->flags & OPF_MODRM) {
        TCGv g = gen_reg_read(s, d->ot, s->reg);
        TCGv e;

        if (s->mod != 3) {
            /* locked, with or without the prefix */
            e = gen_lock_rmw(s, d->ot, LOCK_XCHG, g, NULL);
        } else {
            e = gen_load_E(s, d->ot);
            gen_store_E(s, d->ot, g);
        }
        gen_reg_write(s, d->ot, s->reg, e);
    } else {
        int reg = (s->b & 7) | s->rex_b;
        TCGv a = gen_reg_read(s, d->ot, R_EAX);
        TCGv r = gen_reg_read(s, d->ot, reg);

        gen_reg_write(s, d->ot, R_EAX, r);
        gen_reg_write(s, d->ot, reg, a);
    }
}

static void op_nop(DisasContext *s, X86Insn *d)
{
}

/* 90: nop (pause with F3), or xchg r8, rAX with REX.B */
static void op_90(DisasContext *s, X86Insn *d)
{
    if (s->rex_b) {
        op_xchg(s, d);
    }
}

/* 63 in 64-bit mode: movsxd G,Ed */
static void op_movsxd(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_load_E(s, MO_32);

    tcg_gen_ext32s_i64(v, v);
    gen_reg_write(s, s->dflag, s->reg, v);
}

static const X86Op op_movsxd_row = { op_movsxd, OPF_MODRM, IMM_NONE, 0 };

/* 98: cbw/cwde, 99: cwd/cdq */
static void op_cbw(DisasContext *s, X86Insn *d)
{
    TCGv t = tmp();

    gen_ext(s->dflag - 1, t, cpu_regs[R_EAX], true);
    gen_reg_write(s, s->dflag, R_EAX, t);
}

static void op_cwd(DisasContext *s, X86Insn *d)
{
    TCGv t = tmp();

    gen_ext(s->dflag, t, cpu_regs[R_EAX], true);
    tcg_gen_sari_i64(t, t, 63);
    gen_reg_write(s, s->dflag, R_EDX, t);
}

/* ---- segment registers ---- */

static TCGv gen_seg_selector(int seg)
{
    return gen_ld_env32(offsetof(CPUX86State, segs[seg].selector));
}

/* Loads a data or stack segment register; ends the block, whose code
 * depends on SS.B and the segment bases. */
static void gen_movl_seg(DisasContext *s, int seg, TCGv sel)
{
    if (s->pe && !s->vm86) {
        gen_helper(&info_load_seg, 2, tcg_constant_i64(seg), sel);
    } else {
        TCGv t = tmp();

        tcg_gen_ext16u_i64(t, sel);
        gen_st_env32(t, offsetof(CPUX86State, segs[seg].selector));
        tcg_gen_shli_i64(cpu_seg_base[seg], t, 4);
    }
    if (seg == R_SS) {
        /* No interrupt between mov ss and the next instruction, and no
         * single-step trap either: the next block (one instruction, in
         * the shadow) takes the trap after it. */
        tcg_gen_st8_i32(tcg_constant_i32(1), tcg_env(),
                        offsetof(CPUX86State, interrupt_shadow));
        s->tf = false;
    }
    s->is_jmp = DISAS_EOB_NEXT;
}

/* 06 0E 16 1E push es/cs/ss/ds, 0F A0/A8 push fs/gs */
static void op_push_seg(DisasContext *s, X86Insn *d)
{
    gen_push(s, s->dflag, gen_seg_selector(d->op->arg));
}

/* 07 17 1F pop es/ss/ds, 0F A1/A9 pop fs/gs */
static void op_pop_seg(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_pop(s, s->dflag);

    gen_movl_seg(s, d->op->arg, v);
    gen_pop_update(s, s->dflag);
}

/* 8C: mov Ev,Sw */
static void op_mov_from_seg(DisasContext *s, X86Insn *d)
{
    if (s->reg > R_GS) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_store_E(s, s->mod == 3 ? s->dflag : MO_16,
                gen_seg_selector(s->reg));
}

/* 8E: mov Sw,Ew */
static void op_mov_to_seg(DisasContext *s, X86Insn *d)
{
    if (s->reg > R_GS || s->reg == R_CS) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_movl_seg(s, s->reg, gen_load_E(s, MO_16));
}

/* C4 les, C5 lds, 0F B2 lss, 0F B4 lfs, 0F B5 lgs */
static void op_lxs(DisasContext *s, X86Insn *d)
{
    TCGv off, sel, a;

    if (s->mod == 3) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_A0(s);
    off = gen_ld(s, s->dflag, s->A0);
    a = tmp();
    gen_linear_addi(s, a, s->A0, 1 << s->dflag);
    sel = gen_ld(s, MO_16, a);
    gen_movl_seg(s, d->op->arg, sel);
    gen_reg_write(s, s->dflag, s->reg, off);
}

/* ---- flags instructions ---- */

static TCGv gen_rflags_ld(void)
{
    TCGv t = tmp();

    tcg_gen_ld_i64(t, tcg_env(), offsetof(CPUX86State, rflags));
    return t;
}

static void gen_rflags_st(TCGv t)
{
    tcg_gen_st_i64(t, tcg_env(), offsetof(CPUX86State, rflags));
}

/* 9C: pushf */
static void op_pushf(DisasContext *s, X86Insn *d)
{
    TCGv f;

    if (s->vm86 && s->iopl < 3) {
        gen_exception_err(s, EXCP0D_GPF, 0);
        return;
    }
    f = gen_helper(&info_read_eflags, 0);
    tcg_gen_andi_i64(f, f, ~(EFLAGS_VM | EFLAGS_RF));
    gen_push(s, s->dflag, f);
}

/* 9D: popf */
static void op_popf(DisasContext *s, X86Insn *d)
{
    uint32_t mask = EFLAGS_CC_MASK | EFLAGS_TF | EFLAGS_DF | EFLAGS_NT |
                    EFLAGS_AC | EFLAGS_ID;
    TCGv v;

    if (s->vm86 && s->iopl < 3) {
        gen_exception_err(s, EXCP0D_GPF, 0);
        return;
    }
    if (s->cpl == 0) {
        mask |= EFLAGS_IF | EFLAGS_IOPL;
    } else if (s->cpl <= s->iopl) {
        mask |= EFLAGS_IF;
    }
    if (s->dflag == MO_16) {
        mask &= 0xffff;
    }
    v = gen_pop(s, s->dflag);
    gen_helper(&info_write_eflags, 2, v, tcg_constant_i64(mask));
    s->cc_op = CC_OP_EFLAGS;
    gen_pop_update(s, s->dflag);
    s->is_jmp = DISAS_EOB_NEXT;
}

#define SAHF_MASK (EFLAGS_SF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF | EFLAGS_CF)

/* 9E: sahf */
static void op_sahf(DisasContext *s, X86Insn *d)
{
    TCGv f = gen_compute_eflags(s);
    TCGv ah = gen_reg_read(s, MO_8, 4);

    tcg_gen_andi_i64(f, f, ~SAHF_MASK);
    tcg_gen_andi_i64(ah, ah, SAHF_MASK);
    tcg_gen_or_i64(f, f, ah);
    gen_set_eflags_cc(s, f);
}

/* 9F: lahf */
static void op_lahf(DisasContext *s, X86Insn *d)
{
    TCGv f = gen_compute_eflags(s);

    tcg_gen_andi_i64(f, f, SAHF_MASK);
    tcg_gen_ori_i64(f, f, EFLAGS_FIXED);
    gen_reg_write(s, MO_8, 4, f);
}

/* F5 cmc, F8 clc, F9 stc */
static void op_carry(DisasContext *s, X86Insn *d)
{
    TCGv f = gen_compute_eflags(s);

    switch (s->b) {
    case 0xf5:
        tcg_gen_xori_i64(f, f, EFLAGS_CF);
        break;
    case 0xf8:
        tcg_gen_andi_i64(f, f, ~EFLAGS_CF);
        break;
    default:
        tcg_gen_ori_i64(f, f, EFLAGS_CF);
        break;
    }
    gen_set_eflags_cc(s, f);
}

/* FC cld, FD std */
static void op_direction(DisasContext *s, X86Insn *d)
{
    TCGv f = gen_rflags_ld();

    if (s->b == 0xfd) {
        tcg_gen_ori_i64(f, f, EFLAGS_DF);
    } else {
        tcg_gen_andi_i64(f, f, ~EFLAGS_DF);
    }
    gen_rflags_st(f);
}

/* Whether cli/sti and friends are allowed (IOPL sensitive). */
static bool gen_check_iopl(DisasContext *s)
{
    if (s->pe && (s->vm86 ? s->iopl < 3 : s->cpl > s->iopl)) {
        gen_exception_err(s, EXCP0D_GPF, 0);
        return false;
    }
    return true;
}

/* FA cli, FB sti */
static void op_cli_sti(DisasContext *s, X86Insn *d)
{
    if (!gen_check_iopl(s)) {
        return;
    }
    if (s->b == 0xfa) {
        TCGv f = gen_rflags_ld();

        tcg_gen_andi_i64(f, f, ~EFLAGS_IF);
        gen_rflags_st(f);
    } else {
        gen_helper(&info_sti, 0);
        /* to the loop: a pending interrupt is taken after the next insn */
        s->is_jmp = DISAS_EOB_NEXT;
    }
}

/* D6: salc (AL = CF ? 0xff : 0) */
static void op_salc(DisasContext *s, X86Insn *d)
{
    TCGv c = gen_compute_cf(s);

    tcg_gen_neg_i64(c, c);
    gen_reg_write(s, MO_8, R_EAX, c);
}

/* 27 daa, 2F das, 37 aaa, 3F aas, D4 aam, D5 aad */
static void op_bcd(DisasContext *s, X86Insn *d)
{
    if (d->op->arg == BCD_AAM && d->imm == 0) {
        gen_exception(s, EXCP00_DIVZ);
        return;
    }
    gen_helper(&info_bcd, 2, tcg_constant_i64(d->op->arg),
               tcg_constant_i64(d->imm));
    s->cc_op = CC_OP_EFLAGS;
}

/* ---- shifts and rotates ---- */

static void gen_shift_helper(DisasContext *s, MemOp ot, int op,
                             TCGv other, TCGv count)
{
    TCGv v = gen_load_E(s, ot);
    TCGv r = gen_helper(&info_shift, 4, v,
                            other ? other : tcg_constant_i64(0), count,
                            tcg_constant_i64(op | (ot << 4)));

    gen_store_E(s, ot, r);
    s->cc_op = CC_OP_DYNAMIC;
}

/* SHL, SHR, SAR by a constant count: inline, with lazy flags. */
static void gen_shift_const(DisasContext *s, MemOp ot, int op, int count)
{
    TCGv v, r, last;

    count &= ot == MO_64 ? 63 : 31;
    if (count == 0) {
        if (ot == MO_32 && s->mod == 3) {
            /* the register is written all the same: upper half cleared */
            gen_store_E(s, ot, gen_load_E(s, ot));
        }
        return;
    }
    v = gen_load_E(s, ot);
    r = tmp();
    last = tmp();
    if (op == SHIFT_SHL || op == SHIFT_SAL) {
        tcg_gen_shli_i64(last, v, count - 1);
        tcg_gen_shli_i64(r, v, count);
        gen_store_E(s, ot, r);
        gen_cc(s, CC_KIND_SHL, ot, r, last);
        return;
    }
    gen_ext(ot, v, v, op == SHIFT_SAR);
    if (op == SHIFT_SAR) {
        tcg_gen_sari_i64(last, v, count - 1);
        tcg_gen_sari_i64(r, v, count);
    } else {
        tcg_gen_shri_i64(last, v, count - 1);
        tcg_gen_shri_i64(r, v, count);
    }
    gen_store_E(s, ot, r);
    gen_cc(s, CC_KIND_SAR, ot, r, last);
}

/*
 * SHL, SHR, SAR by CL: inline, as gen_shift_const (the same lazy flags,
 * so the same results), with the count known only at run time.  A
 * masked count of 0 leaves the flags as they were, so the lazy flag
 * state (cc_dst, cc_src, cc_op) is selected with movcond: the old one
 * stays when the count is 0.  (The helper computed every flag at every
 * shift: Linux's decompressor shifts by CL in its inner loops.)
 */
static void gen_shift_var(DisasContext *s, MemOp ot, int op, TCGv count)
{
    TCGv c = tmp(), c1 = tmp(), v, r = tmp(), last = tmp();
    TCGv zero = tcg_constant_i64(0);
    TCGv_i32 c32 = tcg_temp_new_i32();
    int mask = ot == MO_64 ? 63 : 31;

    tcg_gen_andi_i64(c, count, mask);
    /* count - 1, kept in range when the count is 0 (then unused) */
    tcg_gen_subi_i64(c1, c, 1);
    tcg_gen_andi_i64(c1, c1, mask);
    v = gen_load_E(s, ot);
    if (op == SHIFT_SHL || op == SHIFT_SAL) {
        tcg_gen_shl_i64(last, v, c1);
        tcg_gen_shl_i64(r, v, c);
    } else {
        gen_ext(ot, v, v, op == SHIFT_SAR);
        if (op == SHIFT_SAR) {
            tcg_gen_sar_i64(last, v, c1);
            tcg_gen_sar_i64(r, v, c);
        } else {
            tcg_gen_shr_i64(last, v, c1);
            tcg_gen_shr_i64(r, v, c);
        }
    }
    /* A count of 0 writes the value back unchanged (a 32-bit register
     * has its upper half cleared all the same). */
    gen_store_E(s, ot, r);
    tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_dst, c, zero, r, cpu_cc_dst);
    tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_src, c, zero, last, cpu_cc_src);
    /* cpu_cc_op holds s->cc_op whenever that is known (gen_set_cc_op) */
    tcg_gen_extrl_i64_i32(c32, c);
    tcg_gen_movcond_i32(TCG_COND_NE, cpu_cc_op, c32, tcg_constant_i32(0),
                        tcg_constant_i32(CC_OP(op == SHIFT_SHL ||
                                               op == SHIFT_SAL ?
                                               CC_KIND_SHL : CC_KIND_SAR,
                                               ot)),
                        cpu_cc_op);
    s->cc_op = CC_OP_DYNAMIC;
}

/* C0/C1 (imm8), D0/D1 (1), D2/D3 (CL): group 2 */
static void op_grp2(DisasContext *s, X86Insn *d)
{
    int op = s->reg;
    bool constant = s->b < 0xd2;
    int count = s->b >= 0xd0 ? 1 : d->imm;

    if (constant && op >= SHIFT_SHL) {
        gen_shift_const(s, d->ot, op, count);
    } else if (constant) {
        gen_shift_helper(s, d->ot, op, NULL, tcg_constant_i64(count));
    } else if (op >= SHIFT_SHL) {
        gen_shift_var(s, d->ot, op, gen_reg_read(s, MO_8, R_ECX));
    } else {
        gen_shift_helper(s, d->ot, op, NULL,
                         gen_reg_read(s, MO_8, R_ECX));
    }
}

/* 0F A4/A5 shld, 0F AC/AD shrd (imm8 or CL) */
static void op_shiftd(DisasContext *s, X86Insn *d)
{
    TCGv count = (s->b & 1) ? gen_reg_read(s, MO_8, R_ECX)
                                : tcg_constant_i64(d->imm);

    gen_shift_helper(s, d->ot, d->op->arg, gen_reg_read(s, d->ot, s->reg),
                     count);
}

/* ---- multiply, divide, group 3 ---- */

/* Signed multiply at size ot: the low half, with the MUL flags
 * (CF = OF = the result does not fit). */
static TCGv gen_imul(DisasContext *s, MemOp ot, TCGv a, TCGv b)
{
    TCGv lo = tmp(), ov = tmp(), ea = tmp(), eb = tmp(), fit = tmp();

    /* Sign-extended to 64 bits the product is exact; it fits when
     * extending its low part gives it back. */
    if (ot == MO_64) {
        /* the 128-bit product fits when its high half is the sign */
        tcg_gen_muls2_i64(lo, ea, a, b);
        tcg_gen_sari_i64(fit, lo, 63);
        tcg_gen_setcond_i64(TCG_COND_NE, ov, ea, fit);
        gen_cc(s, CC_KIND_MUL, ot, lo, ov);
        return lo;
    }
    gen_ext(ot, ea, a, true);
    gen_ext(ot, eb, b, true);
    tcg_gen_mul_i64(lo, ea, eb);
    gen_ext(ot, fit, lo, true);
    tcg_gen_setcond_i64(TCG_COND_NE, ov, lo, fit);
    gen_cc(s, CC_KIND_MUL, ot, lo, ov);
    return lo;
}

/* 0F AF imul G,E; 69 imul G,E,Iz; 6B imul G,E,Ib */
static void op_imul(DisasContext *s, X86Insn *d)
{
    TCGv e = gen_load_E(s, d->ot);
    TCGv b = s->b == 0x1af ? gen_reg_read(s, d->ot, s->reg)
                               : tcg_constant_i64(d->imm);

    gen_reg_write(s, d->ot, s->reg, gen_imul(s, d->ot, e, b));
}

static void gen_mul_acc(DisasContext *s, MemOp ot, TCGv v, bool sign)
{
    TCGv a = gen_reg_read(s, ot, R_EAX);
    TCGv lo = tmp(), hi = tmp(), ov = tmp();

    if (ot == MO_64) {
        (sign ? tcg_gen_muls2_i64 : tcg_gen_mulu2_i64)(lo, hi, a, v);
        gen_reg_write(s, ot, R_EAX, lo);
        gen_reg_write(s, ot, R_EDX, hi);
        if (sign) {
            tcg_gen_sari_i64(ov, lo, 63);
            tcg_gen_setcond_i64(TCG_COND_NE, ov, hi, ov);
        } else {
            tcg_gen_mov_i64(ov, hi);
        }
        gen_cc(s, CC_KIND_MUL, ot, lo, ov);
        return;
    }
    /* The operands extended to 64 bits: the product is exact in lo. */
    gen_ext(ot, a, a, sign);
    gen_ext(ot, v, v, sign);
    tcg_gen_mul_i64(lo, a, v);
    if (ot == MO_8) {
        gen_reg_write(s, MO_16, R_EAX, lo);
    } else {
        tcg_gen_shri_i64(hi, lo, 8 << ot);
        gen_reg_write(s, ot, R_EAX, lo);
        gen_reg_write(s, ot, R_EDX, hi);
    }
    if (sign) {
        gen_ext(ot, ov, lo, true);
        tcg_gen_setcond_i64(TCG_COND_NE, ov, lo, ov);
    } else {
        tcg_gen_shri_i64(ov, lo, 8 << ot);
    }
    gen_cc(s, CC_KIND_MUL, ot, lo, ov);
}

/* F6, F7: test, not, neg, mul, imul, div, idiv */
static void op_grp3(DisasContext *s, X86Insn *d)
{
    static const TCGHelperInfo *const div[2][4] = {
        { &info_divb, &info_divw, &info_divl, &info_divq },
        { &info_idivb, &info_idivw, &info_idivl, &info_idivq },
    };
    MemOp ot = d->ot;
    TCGv v, r;

    switch (s->reg) {
    case 0:
    case 1:
        d->imm = fetch_imm(s, d, IMM_Z);
        gen_test(s, ot, gen_load_E(s, ot), tcg_constant_i64(d->imm));
        break;
    case 2:
        if (locked_mem(s)) {
            gen_lock_rmw(s, ot, LOCK_XOR, tcg_constant_i64(-1), NULL);
            break;
        }
        v = gen_load_E(s, ot);
        tcg_gen_not_i64(v, v);
        gen_store_E(s, ot, v);
        break;
    case 3:
        r = tmp();
        if (locked_mem(s)) {
            v = gen_lock_rmw(s, ot, LOCK_NEG, tcg_constant_i64(0), NULL);
            tcg_gen_neg_i64(r, v);
        } else {
            v = gen_load_E(s, ot);
            tcg_gen_neg_i64(r, v);
            gen_store_E(s, ot, r);
        }
        gen_cc(s, CC_KIND_SUB, ot, r, v);
        break;
    case 4:
    case 5:
        gen_mul_acc(s, ot, gen_load_E(s, ot), s->reg == 5);
        break;
    default:
        v = gen_load_E(s, ot);
        gen_helper(div[s->reg == 7][ot], 1, v);
        break;
    }
}

/* FE: inc/dec Eb; FF /0, /1 */
static void gen_incdec_E(DisasContext *s, MemOp ot)
{
    bool dec = s->reg == 1;

    if (locked_mem(s)) {
        gen_incdec(s, ot, gen_lock_rmw(s, ot, LOCK_ADD,
                                       tcg_constant_i64(dec ? -1 : 1), NULL),
                   dec);
        return;
    }
    gen_store_E(s, ot, gen_incdec(s, ot, gen_load_E(s, ot), dec));
}

static void op_grp4(DisasContext *s, X86Insn *d)
{
    if (s->reg > 1) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_incdec_E(s, MO_8);
}

/* ---- bit instructions ---- */

/* 0F A3 bt, AB bts, B3 btr, BB btc (E,G); 0F BA /4-/7 (E,Ib) */
static void gen_bt(DisasContext *s, MemOp ot, int op, TCGv off,
                   bool from_reg)
{
    TCGv v, bit = tmp(), cf = tmp(), f;

    tcg_gen_andi_i64(bit, off, (8 << ot) - 1);
    if (s->mod != 3 && from_reg) {
        /* The bit offset reaches beyond the operand: a signed number
         * of operand-sized units away. */
        TCGv disp = tmp();

        gen_A0(s);
        gen_ext(ot, disp, off, true);
        tcg_gen_sari_i64(disp, disp, 3 + ot);
        tcg_gen_shli_i64(disp, disp, ot);
        tcg_gen_add_i64(s->A0, s->A0, disp);
        gen_linear_wrap(s, s->A0);
    }
    if (op && locked_mem(s)) {
        static const int lock_op[] = { 0, LOCK_OR, LOCK_AND, LOCK_XOR };
        TCGv mask = tmp();

        tcg_gen_shl_i64(mask, tcg_constant_i64(1), bit);
        if (op == 2) {
            tcg_gen_not_i64(mask, mask);
        }
        v = gen_lock_rmw(s, ot, lock_op[op], mask, NULL);
        op = 0;              /* memory is written: only CF is left */
    } else {
        v = gen_load_E(s, ot);
    }
    tcg_gen_shr_i64(cf, v, bit);
    tcg_gen_andi_i64(cf, cf, 1);
    if (op) {
        TCGv mask = tmp();

        tcg_gen_shl_i64(mask, tcg_constant_i64(1), bit);
        switch (op) {
        case 1:
            tcg_gen_or_i64(v, v, mask);
            break;
        case 2:
            tcg_gen_andc_i64(v, v, mask);
            break;
        default:
            tcg_gen_xor_i64(v, v, mask);
            break;
        }
        gen_store_E(s, ot, v);
    }
    f = gen_compute_eflags(s);
    tcg_gen_andi_i64(f, f, ~EFLAGS_CF);
    tcg_gen_or_i64(f, f, cf);
    gen_set_eflags_cc(s, f);
}

static void op_bt(DisasContext *s, X86Insn *d)
{
    gen_bt(s, d->ot, d->op->arg, gen_reg_read(s, d->ot, s->reg), true);
}

static void op_grp8(DisasContext *s, X86Insn *d)
{
    if (s->reg < 4) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_bt(s, d->ot, s->reg - 4, tcg_constant_i64(d->imm), false);
}

/* 0F BC bsf, 0F BD bsr: the destination is kept for a zero source */
static void op_bsx(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_load_E(s, d->ot);
    TCGv r = tmp(), old = gen_reg_read(s, d->ot, s->reg);

    if (s->b == 0x1bc) {
        tcg_gen_neg_i64(r, v);
        tcg_gen_and_i64(r, r, v);             /* the lowest set bit */
    } else {
        tcg_gen_mov_i64(r, v);
    }
    /* v is zero-extended: the bit number is 63 - clz */
    tcg_gen_clz_i64(r, r, tcg_constant_i64(64));
    tcg_gen_xori_i64(r, r, 63);
    tcg_gen_movcond_i64(TCG_COND_EQ, r, v, tcg_constant_i64(0), old, r);
    gen_reg_write(s, d->ot, s->reg, r);
    gen_cc(s, CC_KIND_LOGIC, d->ot, v, NULL);
}

/* 0F C8-CF: bswap */
static void op_bswap(DisasContext *s, X86Insn *d)
{
    TCGv t = tmp();
    int reg = (s->b & 7) | s->rex_b;

    tcg_gen_bswap64_i64(t, cpu_regs[reg]);
    if (s->dflag != MO_64) {
        tcg_gen_shri_i64(t, t, 32);
    }
    gen_reg_write(s, s->dflag == MO_64 ? MO_64 : MO_32, reg, t);
}

/* 0F B6/B7 movzx, 0F BE/BF movsx */
static void op_movx(DisasContext *s, X86Insn *d)
{
    MemOp src = (s->b & 1) ? MO_16 : MO_8;
    TCGv v = gen_load_E(s, src);

    gen_ext(src, v, v, s->b >= 0x1be);
    gen_reg_write(s, s->dflag, s->reg, v);
}

/* 0F 40-4F: cmovcc */
static void op_cmov(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_load_E(s, s->dflag);
    TCGv old = gen_reg_read(s, s->dflag, s->reg);
    CCPrepare p = gen_prepare_cc(s, s->b & 15);

    tcg_gen_movcond_i64(p.cond, v, p.a, p.b, v, old);
    gen_reg_write(s, s->dflag, s->reg, v);
}

/* 0F 90-9F: setcc */
static void op_setcc(DisasContext *s, X86Insn *d)
{
    gen_store_E(s, MO_8, gen_setcc(s, s->b & 15));
}

/* 0F C0/C1: xadd */
static void op_xadd(DisasContext *s, X86Insn *d)
{
    TCGv g = gen_reg_read(s, d->ot, s->reg);
    TCGv sum = tmp();
    TCGv e;

    if (locked_mem(s)) {
        e = gen_lock_rmw(s, d->ot, LOCK_ADD, g, NULL);
        tcg_gen_add_i64(sum, e, g);
        gen_reg_write(s, d->ot, s->reg, e);
    } else {
        e = gen_load_E(s, d->ot);
        tcg_gen_add_i64(sum, e, g);
        gen_reg_write(s, d->ot, s->reg, e);
        gen_store_E(s, d->ot, sum);
    }
    gen_cc(s, CC_KIND_ADD, d->ot, sum, g);
}

/* 0F B0/B1: cmpxchg */
static void op_cmpxchg(DisasContext *s, X86Insn *d)
{
    MemOp ot = d->ot;
    TCGv acc = gen_reg_read(s, ot, R_EAX);
    TCGv src = gen_reg_read(s, ot, s->reg);
    TCGv val = tmp(), diff = tmp();
    TCGv e;

    if (locked_mem(s)) {
        e = gen_lock_rmw(s, ot, LOCK_CMPXCHG, src, acc);
    } else if (ot == MO_32 && s->mod == 3) {
        /* A register destination is written only when equal: a 32-bit
         * write would clear its upper half. */
        e = gen_load_E(s, ot);
        tcg_gen_movcond_i64(TCG_COND_EQ, cpu_regs[s->rm], e, acc, src,
                            cpu_regs[s->rm]);
    } else {
        /* Memory is written either way, as on hardware. */
        e = gen_load_E(s, ot);
        tcg_gen_movcond_i64(TCG_COND_EQ, val, e, acc, src, e);
        gen_store_E(s, ot, val);
    }
    if (ot == MO_32) {
        /* EAX is written only when not equal, for the same reason. */
        tcg_gen_movcond_i64(TCG_COND_EQ, cpu_regs[R_EAX], e, acc,
                            cpu_regs[R_EAX], e);
    } else {
        tcg_gen_movcond_i64(TCG_COND_EQ, val, e, acc, acc, e);
        gen_reg_write(s, ot, R_EAX, val);
    }
    tcg_gen_sub_i64(diff, acc, e);
    gen_cc(s, CC_KIND_SUB, ot, diff, e);
}

/* 0F C7 /1: cmpxchg8b, with REX.W cmpxchg16b (16-byte aligned); atomic
 * with or without LOCK (helpers in lock_helper.c) */
static void op_grp9(DisasContext *s, X86Insn *d)
{
    TCGv zf, f;

    if (s->reg != 1 || s->mod == 3) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_A0(s);
    if (s->rex_w) {
        TCGLabel *aligned = gen_new_label();
        TCGv t = tmp();

        tcg_gen_andi_i64(t, s->A0, 15);
        tcg_gen_brcondi_i64(TCG_COND_EQ, t, 0, aligned);
        gen_exception_err(s, EXCP0D_GPF, 0);
        gen_set_label(aligned);
        s->is_jmp = DISAS_NEXT;
    }
    zf = gen_helper(s->rex_w ? &info_cmpxchg16b : &info_cmpxchg8b, 2, s->A0,
                    tcg_constant_i64(s->mmu_idx));
    f = gen_compute_eflags(s);
    tcg_gen_andi_i64(f, f, ~EFLAGS_ZF);
    tcg_gen_shli_i64(zf, zf, 6);
    tcg_gen_or_i64(f, f, zf);
    gen_set_eflags_cc(s, f);
}

/* ---- control transfer ---- */

/* 70-7F jcc Jb, 0F 80-8F jcc Jz */
static void op_jcc(DisasContext *s, X86Insn *d)
{
    gen_jcc(s, s->b & 15, next_eip(s) + d->imm);
}

/* E9 jmp Jz, EB jmp Jb */
static void op_jmp(DisasContext *s, X86Insn *d)
{
    gen_jmp(s, next_eip(s) + d->imm);
}

/* E8 call Jz */
static void op_call(DisasContext *s, X86Insn *d)
{
    gen_push(s, s->dflag, tcg_constant_i64(next_eip(s)));
    gen_jmp(s, next_eip(s) + d->imm);
}

/* eip = v (at the operand size), then leave for it */
static void gen_jmp_reg(DisasContext *s, TCGv v)
{
    gen_ext(s->dflag, cpu_eip, v, false);
    s->is_jmp = DISAS_JUMP;
}

/* C2 ret Iw, C3 ret */
static void op_ret(DisasContext *s, X86Insn *d)
{
    TCGv v = gen_pop(s, s->dflag);

    gen_sp_add(s, (1 << s->dflag) + (s->b == 0xc2 ? d->imm : 0));
    gen_jmp_reg(s, v);
}

/* E0 loopne, E1 loope, E2 loop, E3 jcxz */
static void op_loop(DisasContext *s, X86Insn *d)
{
    TCGLabel *taken = gen_new_label(), *not_taken = gen_new_label();
    TCGv c = tmp();
    uint32_t dest = near_target(s, next_eip(s) + d->imm);

    if (s->b != 0xe3) {
        gen_addr_reg_add(s, s->aflag, R_ECX, tcg_constant_i64(-1));
    }
    gen_ext(s->aflag, c, cpu_regs[R_ECX], false);
    if (s->b == 0xe3) {
        tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, taken);
    } else {
        tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, not_taken);
        if (s->b != 0xe2) {
            /* loopne: on while ZF = 0; loope: while ZF = 1 */
            CCPrepare p = gen_prepare_cc(s, s->b == 0xe0 ? 5 : 4);

            tcg_gen_brcond_i64(p.cond, p.a, p.b, taken);
            tcg_gen_br(not_taken);
        } else {
            tcg_gen_br(taken);
        }
    }
    gen_set_label(not_taken);
    gen_jmp_tb(s, next_eip(s), 1);
    gen_set_label(taken);
    gen_jmp_tb(s, dest, 0);
}

/* Far jump in real and virtual-8086 mode: CS = sel, base sel * 16. */
static void gen_ljmp_real(DisasContext *s, TCGv sel, TCGv eip)
{
    TCGv t = tmp();

    tcg_gen_ext16u_i64(t, sel);
    gen_st_env32(t, offsetof(CPUX86State, segs[R_CS].selector));
    tcg_gen_shli_i64(cpu_seg_base[R_CS], t, 4);
    gen_jmp_reg(s, eip);
}

static void gen_ljmp(DisasContext *s, TCGv sel, TCGv eip)
{
    if (s->pe && !s->vm86) {
        gen_helper(&info_ljmp_protected, 3, sel, eip,
                   tcg_constant_i64(next_eip(s)));
        s->is_jmp = DISAS_EXIT;
    } else {
        gen_ljmp_real(s, sel, eip);
    }
}

static void gen_lcall(DisasContext *s, TCGv sel, TCGv eip)
{
    if (s->pe && !s->vm86) {
        gen_helper(&info_lcall_protected, 4, sel, eip,
                   tcg_constant_i64(s->dflag),
                   tcg_constant_i64(next_eip(s)));
        s->is_jmp = DISAS_EXIT;
    } else {
        gen_push(s, s->dflag, gen_seg_selector(R_CS));
        gen_push(s, s->dflag, tcg_constant_i64(next_eip(s)));
        gen_ljmp_real(s, sel, eip);
    }
}

/* EA ljmp ptr, 9A lcall ptr */
static void op_far_imm(DisasContext *s, X86Insn *d)
{
    TCGv sel = tcg_constant_i64(d->imm2), eip = tcg_constant_i64(d->imm);

    if (s->b == 0xea) {
        gen_ljmp(s, sel, eip);
    } else {
        gen_lcall(s, sel, eip);
    }
}

/* CA lret Iw, CB lret */
static void op_lret(DisasContext *s, X86Insn *d)
{
    uint32_t addend = s->b == 0xca ? d->imm : 0;

    if (s->pe && !s->vm86) {
        gen_helper(&info_lret_protected, 2, tcg_constant_i64(s->dflag),
                   tcg_constant_i64(addend));
        s->is_jmp = DISAS_EXIT;
    } else {
        TCGv eip = gen_pop(s, s->dflag), sel;

        gen_pop_update(s, s->dflag);
        sel = gen_pop(s, s->dflag);
        gen_sp_add(s, (1 << s->dflag) + addend);
        gen_ljmp_real(s, sel, eip);
    }
}

/* CF: iret */
static void op_iret(DisasContext *s, X86Insn *d)
{
    if (!s->pe) {
        gen_helper(&info_iret_real, 1, tcg_constant_i64(s->dflag));
    } else if (s->vm86) {
        if (s->iopl < 3) {
            gen_exception_err(s, EXCP0D_GPF, 0);
            return;
        }
        gen_helper(&info_iret_real, 1, tcg_constant_i64(s->dflag));
    } else {
        gen_helper(&info_iret_protected, 2, tcg_constant_i64(s->dflag),
                   tcg_constant_i64(next_eip(s)));
    }
    s->cc_op = CC_OP_DYNAMIC;
    s->is_jmp = DISAS_EXIT;
}

static void gen_interrupt(DisasContext *s, int intno)
{
    tcg_gen_movi_i64(cpu_eip, cur_eip(s));
    gen_helper(&info_raise_interrupt, 2, tcg_constant_i64(intno),
               tcg_constant_i64(next_eip(s) - cur_eip(s)));
    s->is_jmp = DISAS_NORETURN;
}

/* CC int3, CD int Ib, CE into, F1 int1 (icebp) */
static void op_int(DisasContext *s, X86Insn *d)
{
    switch (s->b) {
    case 0xcc:
        gen_interrupt(s, EXCP03_INT3);
        break;
    case 0xf1:
        /* #DB as a trap (RIP after it), delivered as an exception: no
         * DPL check, no #GP in virtual-8086 mode, DR6 untouched.  QEMU
         * 7.2 leaves it out (#UD) */
        tcg_gen_movi_i64(cpu_eip, next_eip(s));
        gen_helper(&info_raise_exception, 1, tcg_constant_i64(EXCP01_DB));
        s->is_jmp = DISAS_NORETURN;
        break;
    case 0xcd:
        if (s->vm86 && s->iopl < 3) {
            gen_exception_err(s, EXCP0D_GPF, 0);
        } else {
            gen_interrupt(s, d->imm & 0xff);
        }
        break;
    default: {
        TCGLabel *no = gen_new_label();
        CCPrepare p = gen_prepare_cc(s, 1);  /* NO */

        tcg_gen_brcond_i64(p.cond, p.a, p.b, no);
        gen_interrupt(s, EXCP04_INTO);
        gen_set_label(no);
        s->is_jmp = DISAS_NEXT;
        break;
    }
    }
}

/* FF: inc, dec, call, lcall, jmp, ljmp, push */
static void op_grp5(DisasContext *s, X86Insn *d)
{
    MemOp ot = d->ot;
    TCGv v, sel, a;

    if (s->code64 && (s->reg == 2 || s->reg == 4 || s->reg == 6) &&
        !(s->prefix & PREFIX_DATA)) {
        ot = s->dflag = MO_64;   /* near call, jmp, push: 64-bit */
    }
    switch (s->reg) {
    case 0:
    case 1:
        gen_incdec_E(s, ot);
        break;
    case 2:
        v = gen_load_E(s, ot);
        gen_push(s, ot, tcg_constant_i64(next_eip(s)));
        gen_jmp_reg(s, v);
        break;
    case 4:
        gen_jmp_reg(s, gen_load_E(s, ot));
        break;
    case 3:
    case 5:
        if (s->mod == 3) {
            gen_exception(s, EXCP06_ILLOP);
            break;
        }
        gen_A0(s);
        v = gen_ld(s, ot, s->A0);
        a = tmp();
        gen_linear_addi(s, a, s->A0, 1 << ot);
        sel = gen_ld(s, MO_16, a);
        if (s->reg == 3) {
            gen_lcall(s, sel, v);
        } else {
            gen_ljmp(s, sel, v);
        }
        break;
    case 6:
        gen_push(s, ot, gen_load_E(s, ot));
        break;
    default:
        gen_exception(s, EXCP06_ILLOP);
        break;
    }
}

/* C8: enter Iw, Ib */
static void op_enter(DisasContext *s, X86Insn *d)
{
    MemOp ot = s->dflag, sw = stack_size(s);
    int level = d->imm2 & 31;
    TCGv frame;

    gen_push(s, ot, gen_reg_read(s, ot, R_EBP));
    frame = gen_reg_read(s, sw, R_ESP);
    if (level) {
        for (int i = 1; i < level; i++) {
            TCGv a = tmp();

            gen_addr_reg_add(s, sw, R_EBP, tcg_constant_i64(-(1 << ot)));
            tcg_gen_mov_i64(a, cpu_regs[R_EBP]);
            gen_seg_addr(s, a, R_SS, sw);
            gen_push(s, ot, gen_ld(s, ot, a));
        }
        gen_push(s, ot, frame);
    }
    gen_reg_write(s, sw, R_EBP, frame);
    gen_sp_add(s, -(int32_t)d->imm);
}

/* C9: leave */
static void op_leave(DisasContext *s, X86Insn *d)
{
    MemOp sw = stack_size(s);
    TCGv v;

    gen_reg_write(s, sw, R_ESP, gen_reg_read(s, sw, R_EBP));
    v = gen_pop(s, s->dflag);
    gen_pop_update(s, s->dflag);
    gen_reg_write(s, s->dflag, R_EBP, v);
}

/* D7: xlat */
static void op_xlat(DisasContext *s, X86Insn *d)
{
    TCGv a = tmp(), al = gen_reg_read(s, MO_8, R_EAX);

    tcg_gen_add_i64(a, cpu_regs[R_EBX], al);
    gen_seg_addr(s, a, R_DS, s->aflag);
    gen_reg_write(s, MO_8, R_EAX, gen_ld(s, MO_8, a));
}

/* ---- strings ---- */

enum { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS,
       STR_OUTS };

/* The linear address of a string operand: DS:(e)si (overridable) or
 * ES:(e)di. */
static TCGv gen_string_addr(DisasContext *s, int reg)
{
    TCGv a = tmp();
    int saved = s->override;

    tcg_gen_mov_i64(a, cpu_regs[reg]);
    if (reg == R_EDI) {
        s->override = -1;
        gen_seg_addr(s, a, R_ES, s->aflag);
    } else {
        gen_seg_addr(s, a, R_DS, s->aflag);
    }
    s->override = saved;
    return a;
}

/* +size, or -size with EFLAGS.DF */
static TCGv gen_string_step(MemOp ot)
{
    TCGv f = gen_rflags_ld(), step = tmp();

    tcg_gen_andi_i64(f, f, EFLAGS_DF);
    tcg_gen_movcond_i64(TCG_COND_NE, step, f, tcg_constant_i64(0),
                        tcg_constant_i64(-(1 << ot)),
                        tcg_constant_i64(1 << ot));
    return step;
}

/* The I/O breakpoints after an access of 1 << ot bytes at port, in
 * blocks translated while DR7 enables one; the trap returns to
 * resume_eip. */
static void gen_io_breakpoints(DisasContext *s, TCGv port, MemOp ot,
                               TCGv resume_eip)
{
    if (s->dr_io) {
        gen_helper(&info_io_breakpoints, 3, port,
                   tcg_constant_i64(1 << ot), resume_eip);
    }
}

static void op_string(DisasContext *s, X86Insn *d)
{
    int kind = d->op->arg;
    MemOp ot = d->ot;
    bool rep = s->prefix & (PREFIX_REPZ | PREFIX_REPNZ);
    TCGLabel *done = NULL;
    TCGv step, port = NULL, a, b, v;

    if (kind == STR_INS || kind == STR_OUTS) {
        port = gen_reg_read(s, MO_16, R_EDX);
        if (s->pe && (s->cpl > s->iopl || s->vm86)) {
            gen_helper(&info_check_io, 2, port, tcg_constant_i64(1 << ot));
        }
    }
    if (rep) {
        TCGv c = tmp();

        done = gen_new_label();
        gen_ext(s->aflag, c, cpu_regs[R_ECX], false);
        tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, done);
    }
    step = gen_string_step(ot);
    switch (kind) {
    case STR_MOVS:
        v = gen_ld(s, ot, gen_string_addr(s, R_ESI));
        gen_st(s, ot, v, gen_string_addr(s, R_EDI));
        gen_addr_reg_add(s, s->aflag, R_ESI, step);
        gen_addr_reg_add(s, s->aflag, R_EDI, step);
        break;
    case STR_STOS:
        gen_st(s, ot, gen_reg_read(s, ot, R_EAX),
               gen_string_addr(s, R_EDI));
        gen_addr_reg_add(s, s->aflag, R_EDI, step);
        break;
    case STR_LODS:
        gen_reg_write(s, ot, R_EAX, gen_ld(s, ot, gen_string_addr(s,
                                                                  R_ESI)));
        gen_addr_reg_add(s, s->aflag, R_ESI, step);
        break;
    case STR_CMPS:
        a = gen_ld(s, ot, gen_string_addr(s, R_ESI));
        b = gen_ld(s, ot, gen_string_addr(s, R_EDI));
        gen_arith(s, OP_CMP, ot, a, b);
        gen_addr_reg_add(s, s->aflag, R_ESI, step);
        gen_addr_reg_add(s, s->aflag, R_EDI, step);
        break;
    case STR_SCAS:
        b = gen_ld(s, ot, gen_string_addr(s, R_EDI));
        gen_arith(s, OP_CMP, ot, gen_reg_read(s, ot, R_EAX), b);
        gen_addr_reg_add(s, s->aflag, R_EDI, step);
        break;
    case STR_INS:
        /* Probe the destination before the port is read. */
        a = gen_string_addr(s, R_EDI);
        gen_st(s, ot, tcg_constant_i64(0), a);
        v = gen_helper(&info_in, 2, port, tcg_constant_i64(1 << ot));
        gen_st(s, ot, v, a);
        gen_addr_reg_add(s, s->aflag, R_EDI, step);
        break;
    case STR_OUTS:
        v = gen_ld(s, ot, gen_string_addr(s, R_ESI));
        gen_helper(&info_out, 3, port, v, tcg_constant_i64(1 << ot));
        gen_addr_reg_add(s, s->aflag, R_ESI, step);
        break;
    }
    if (!rep) {
        if (port) {
            gen_io_breakpoints(s, port, ot, tcg_constant_i64(next_eip(s)));
        }
        return;
    }
    gen_addr_reg_add(s, s->aflag, R_ECX, tcg_constant_i64(-1));
    if (port && s->dr_io) {
        /* after this element: back to the instruction while the count
         * lasts */
        TCGv c = tmp(), resume = tmp();

        gen_ext(s->aflag, c, cpu_regs[R_ECX], false);
        tcg_gen_movcond_i64(TCG_COND_NE, resume, c, tcg_constant_i64(0),
                            tcg_constant_i64(cur_eip(s)),
                            tcg_constant_i64(next_eip(s)));
        gen_io_breakpoints(s, port, ot, resume);
    }
    if (kind == STR_CMPS || kind == STR_SCAS) {
        /* repz: on while ZF = 1; repnz: while ZF = 0 */
        CCPrepare p = gen_prepare_cc(s, (s->prefix & PREFIX_REPZ) ? 5 : 4);

        tcg_gen_brcond_i64(p.cond, p.a, p.b, done);
    }
    /* One element per pass: the block runs itself again, so interrupts
     * and the monitor get in between elements. */
    gen_jmp_tb(s, cur_eip(s), 0);
    gen_set_label(done);
    gen_jmp_tb(s, next_eip(s), 1);
}

/* ---- I/O ---- */

/* E4-E7 in/out imm8, EC-EF in/out dx */
static void op_inout(DisasContext *s, X86Insn *d)
{
    TCGv port = (s->b & 8) ? gen_reg_read(s, MO_16, R_EDX)
                               : tcg_constant_i64(d->imm & 0xff);
    TCGv size = tcg_constant_i64(1 << d->ot);

    if (s->pe && (s->cpl > s->iopl || s->vm86)) {
        gen_helper(&info_check_io, 2, port, size);
    }
    if (s->b & 2) {
        gen_helper(&info_out, 3, port, gen_reg_read(s, d->ot, R_EAX), size);
    } else {
        gen_reg_write(s, d->ot, R_EAX, gen_helper(&info_in, 2, port, size));
    }
    gen_io_breakpoints(s, port, d->ot, tcg_constant_i64(next_eip(s)));
}

/* F4: hlt */
static void op_hlt(DisasContext *s, X86Insn *d)
{
    if (!gen_check_cpl0(s)) {
        return;
    }
    tcg_gen_movi_i64(cpu_eip, next_eip(s));
    gen_helper(&info_hlt, 1, tcg_constant_i64(0));
    s->is_jmp = DISAS_NORETURN;
}

/* ---- system instructions ---- */

/* 0F 01 F8: swapgs (64-bit mode, CPL 0): GS.base <-> KERNEL_GS_BASE */
static void gen_swapgs(DisasContext *s)
{
    TCGv t = tmp();

    if (!s->code64) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (!gen_check_cpl0(s)) {
        return;
    }
    tcg_gen_ld_i64(t, tcg_env(), offsetof(CPUX86State, kernel_gs_base));
    tcg_gen_st_i64(cpu_seg_base[R_GS], tcg_env(),
                   offsetof(CPUX86State, kernel_gs_base));
    tcg_gen_mov_i64(cpu_seg_base[R_GS], t);
}

/* 0F 01 C8 monitor, C9 mwait (CPL 0, where CPUID has them): the helper
 * checks, mwait then waits as hlt does for an interrupt (no store to
 * the monitored line is watched: a wake-up without one is allowed) */
static void gen_monitor_mwait(DisasContext *s)
{
    if (s->modrm == 0xc8) {
        TCGv a = gen_reg_read(s, s->aflag, R_EAX);

        gen_seg_addr(s, a, R_DS, s->aflag);
        gen_helper(&info_monitor, 1, a);
        return;
    }
    tcg_gen_movi_i64(cpu_eip, cur_eip(s));
    gen_helper(&info_mwait, 1, tcg_constant_i64(next_eip(s) - cur_eip(s)));
    s->is_jmp = DISAS_EXIT;
}

/* 0F 00: sldt, str, lldt, ltr, verr, verw */
static void op_grp6(DisasContext *s, X86Insn *d)
{
    TCGv t;

    if (!s->pe || s->vm86) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    switch (s->reg) {
    case 0:
    case 1:
        t = gen_ld_env32(s->reg == 0 ? offsetof(CPUX86State, ldt.selector)
                                     : offsetof(CPUX86State, tr.selector));
        gen_store_E(s, s->mod == 3 ? s->dflag : MO_16, t);
        break;
    case 2:
    case 3:
        if (gen_check_cpl0(s)) {
            t = gen_load_E(s, MO_16);
            gen_helper(s->reg == 2 ? &info_lldt : &info_ltr, 1, t);
        }
        break;
    case 4:
    case 5:
        /* verr, verw: ZF says whether the segment may be read/written */
        gen_helper(&info_check_selector, 3, gen_load_E(s, MO_16),
                   tcg_constant_i64(s->reg == 4 ? SEL_VERR : SEL_VERW),
                   tcg_constant_i64(0));
        s->cc_op = CC_OP_EFLAGS;
        break;
    default:
        gen_exception(s, EXCP06_ILLOP);
        break;
    }
}

/* 0F 02 lar, 0F 03 lsl: the access rights or the limit of a selector's
 * segment into the register, where ZF says it may be seen */
static void op_lar_lsl(DisasContext *s, X86Insn *d)
{
    if (!s->pe || s->vm86) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_helper(&info_check_selector, 3, gen_load_E(s, MO_16),
               tcg_constant_i64(s->b == 0x102 ? SEL_LAR : SEL_LSL),
               tcg_constant_i64(s->reg | s->dflag << 4));
    s->cc_op = CC_OP_EFLAGS;
}

/* 63: arpl Ew, Gw (outside 64-bit mode): raises the RPL of the
 * selector in Ew to that of Gw, ZF set when it does */
static void op_arpl(DisasContext *s, X86Insn *d)
{
    TCGv dst, src, rpl, flags;

    if (!s->pe || s->vm86) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    dst = gen_load_E(s, MO_16);
    src = gen_reg_read(s, MO_16, s->reg);
    rpl = tmp();
    tcg_gen_andi_i64(rpl, src, 3);
    tcg_gen_andi_i64(src, dst, 3);
    flags = gen_compute_eflags(s);
    tcg_gen_andi_i64(flags, flags, ~(uint64_t)EFLAGS_ZF);
    /* the RPL rises when the source's is higher */
    {
        TCGv raised = tmp(), zf = tmp();

        tcg_gen_andi_i64(raised, dst, ~3ull);
        tcg_gen_or_i64(raised, raised, rpl);
        tcg_gen_setcond_i64(TCG_COND_LTU, zf, src, rpl);
        tcg_gen_movcond_i64(TCG_COND_NE, dst, zf, tcg_constant_i64(0),
                            raised, dst);
        tcg_gen_shli_i64(zf, zf, 6);
        tcg_gen_or_i64(flags, flags, zf);
    }
    gen_store_E(s, MO_16, dst);
    gen_set_eflags_cc(s, flags);
}

/* 62: bound Gv, Ma (outside 64-bit mode): #BR unless the signed index
 * lies within the two bounds in memory */
static void op_bound(DisasContext *s, X86Insn *d)
{
    MemOp ot = s->dflag;
    TCGv index, lower, upper, a;
    TCGLabel *fail = gen_new_label(), *ok = gen_new_label();

    if (s->mod == 3) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    gen_A0(s);
    lower = gen_ld(s, ot | MO_SIGN, s->A0);
    a = tmp();
    gen_linear_addi(s, a, s->A0, 1 << ot);
    upper = gen_ld(s, ot | MO_SIGN, a);
    index = tmp();
    gen_ext(ot, index, cpu_regs[s->reg], true);
    tcg_gen_brcond_i64(TCG_COND_LT, index, lower, fail);
    tcg_gen_brcond_i64(TCG_COND_LE, index, upper, ok);
    gen_set_label(fail);
    gen_exception(s, EXCP05_BOUND);
    gen_set_label(ok);
    s->is_jmp = DISAS_NEXT;
}

/* 0F 01: sgdt, sidt, lgdt, lidt, smsw, lmsw, invlpg */
static void op_grp7(DisasContext *s, X86Insn *d)
{
    intptr_t table = s->reg & 1 ? offsetof(CPUX86State, idt)
                                : offsetof(CPUX86State, gdt);
    TCGv t, a;

    if (s->modrm == 0xd0 || s->modrm == 0xd1) {
        x86_gen_xcr(s);          /* xgetbv, xsetbv (translate-fpu.c) */
        return;
    }
    if (s->mod == 3 && s->reg == 7 && (s->modrm & 7) == 0) {
        gen_swapgs(s);
        return;
    }
    if (s->modrm == 0xf9) {
        gen_helper(&info_rdtscp, 0);     /* #UD unless CPUID has it */
        return;
    }
    if (s->modrm == 0xc8 || s->modrm == 0xc9) {
        gen_monitor_mwait(s);
        return;
    }
    if (s->mod == 3 && s->reg != 4 && s->reg != 6) {
        gen_unimp(s, "0f 01 register form");
        return;
    }
    switch (s->reg) {
    case 0:
    case 1:
        gen_A0(s);
        t = gen_ld_env32(table + offsetof(SegmentCache, limit));
        gen_st(s, MO_16, t, s->A0);
        tcg_gen_ld_i64(t, tcg_env(), table + offsetof(SegmentCache, base));
        if (s->dflag == MO_16 && !s->code64) {
            tcg_gen_andi_i64(t, t, 0xffffff);
        }
        a = tmp();
        gen_linear_addi(s, a, s->A0, 2);
        /* the base takes 8 bytes in 64-bit mode */
        gen_st(s, s->code64 ? MO_64 : MO_32, t, a);
        break;
    case 2:
    case 3:
        if (!gen_check_cpl0(s)) {
            return;
        }
        gen_A0(s);
        t = gen_ld(s, MO_16, s->A0);
        a = tmp();
        gen_linear_addi(s, a, s->A0, 2);
        a = gen_ld(s, s->code64 ? MO_64 : MO_32, a);
        if (s->dflag == MO_16 && !s->code64) {
            tcg_gen_andi_i64(a, a, 0xffffff);
        }
        gen_st_env32(t, table + offsetof(SegmentCache, limit));
        tcg_gen_st_i64(a, tcg_env(), table + offsetof(SegmentCache, base));
        break;
    case 4:
        t = tmp();
        tcg_gen_ld_i64(t, tcg_env(), offsetof(CPUX86State, cr[0]));
        gen_store_E(s, s->mod == 3 ? s->dflag : MO_16, t);
        break;
    case 6:
        if (!gen_check_cpl0(s)) {
            return;
        }
        /* lmsw: the low four bits; PE can be set, not cleared */
        t = gen_load_E(s, MO_16);
        a = tmp();
        tcg_gen_ld_i64(a, tcg_env(), offsetof(CPUX86State, cr[0]));
        tcg_gen_andi_i64(a, a, ~0xeu);
        tcg_gen_andi_i64(t, t, 0xf);
        tcg_gen_or_i64(t, t, a);
        gen_helper(&info_write_cr, 2, tcg_constant_i64(0), t);
        s->is_jmp = DISAS_EOB_NEXT;
        break;
    case 7:
        if (gen_check_cpl0(s)) {
            gen_A0(s);
            gen_helper(&info_invlpg, 1, s->A0);
            s->is_jmp = DISAS_EOB_NEXT;
        }
        break;
    default:
        gen_exception(s, EXCP06_ILLOP);
        break;
    }
}

/* 0F 20 mov r,crN; 0F 22 mov crN,r */
static void op_mov_cr(DisasContext *s, X86Insn *d)
{
    TCGv t;

    if (s->reg == 1 || (s->reg > 4 && s->reg != 8)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (!gen_check_cpl0(s)) {
        return;
    }
    if (s->reg == 8) {
        /* CR8 (REX.R, 64-bit mode only): the local APIC's TPR[7:4] */
        if (s->b == 0x120) {
            gen_reg_write(s, MO_64, s->rm, gen_helper(&info_read_cr8, 0));
        } else {
            gen_helper(&info_write_cr8, 1, gen_reg_read(s, MO_64, s->rm));
            /* a lower priority may let an interrupt in */
            s->is_jmp = DISAS_EOB_NEXT;
        }
        return;
    }
    if (s->b == 0x120) {
        t = tmp();
        tcg_gen_ld_i64(t, tcg_env(), offsetof(CPUX86State, cr[s->reg]));
        gen_reg_write(s, s->lma ? MO_64 : MO_32, s->rm, t);
    } else {
        gen_helper(&info_write_cr, 2, tcg_constant_i64(s->reg),
                   gen_reg_read(s, s->lma ? MO_64 : MO_32, s->rm));
        s->is_jmp = DISAS_EOB_NEXT;
    }
}

/* 0F 21 mov r,drN; 0F 23 mov drN,r */
static void op_mov_dr(DisasContext *s, X86Insn *d)
{
    int n = s->reg;

    if (!gen_check_cpl0(s)) {
        return;
    }
    if (n > 7) {                 /* REX.R: there is no DR8-15 */
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    /* the helpers: DR4/DR5 with CR4.DE, DR7.GD */
    if (s->b == 0x121) {
        gen_reg_write(s, s->lma ? MO_64 : MO_32, s->rm,
                      gen_helper(&info_read_dr, 1, tcg_constant_i64(n)));
    } else {
        gen_helper(&info_write_dr, 2, tcg_constant_i64(n),
                   gen_reg_read(s, s->lma ? MO_64 : MO_32, s->rm));
        /* DR7 and DR0-3 decide whether blocks check breakpoints */
        s->is_jmp = DISAS_EOB_NEXT;
    }
}

/* 0F 06: clts */
static void op_clts(DisasContext *s, X86Insn *d)
{
    TCGv t;

    if (!gen_check_cpl0(s)) {
        return;
    }
    t = tmp();
    tcg_gen_ld_i64(t, tcg_env(), offsetof(CPUX86State, cr[0]));
    tcg_gen_andi_i64(t, t, ~CR0_TS_MASK);
    tcg_gen_st_i64(t, tcg_env(), offsetof(CPUX86State, cr[0]));
}

/* 0F 08 invd, 0F 09 wbinvd: emu has no caches */
static void op_invd(DisasContext *s, X86Insn *d)
{
    gen_check_cpl0(s);
}

/* 0F 30 wrmsr, 31 rdtsc, 32 rdmsr, A2 cpuid */
static void op_sys_helper(DisasContext *s, X86Insn *d)
{
    static const TCGHelperInfo *const helpers[] = {
        &info_wrmsr, &info_rdtsc, &info_rdmsr,
    };

    if (s->b == 0x1a2) {
        gen_helper(&info_cpuid, 0);
        return;
    }
    if (s->b != 0x131 && !gen_check_cpl0(s)) {
        return;
    }
    gen_helper(helpers[s->b - 0x130], 0);
    if (s->b == 0x130) {
        s->is_jmp = DISAS_EOB_NEXT;      /* EFER and friends */
    }
}

/* 0F 34 sysenter, 0F 35 sysexit (REX.W: to 64-bit code) */
static void op_sysenter(DisasContext *s, X86Insn *d)
{
    if (s->b == 0x134) {
        gen_helper(&info_sysenter, 0);
    } else {
        gen_helper(&info_sysexit, 1, tcg_constant_i64(s->dflag));
    }
    s->cc_op = CC_OP_DYNAMIC;
    s->is_jmp = DISAS_EXIT;
}

/* F3 0F AE /0-3, register forms: rdfsbase rdgsbase wrfsbase wrgsbase
 * (64-bit mode; CR4.FSGSBASE, else #UD, checked by the helper) */
void x86_gen_fsgsbase(DisasContext *s)
{
    int op = s->reg & 7;
    MemOp ot = s->rex_w ? MO_64 : MO_32;
    TCGv v;

    if (!s->code64) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    v = gen_helper(&info_fsgsbase, 2, tcg_constant_i64(op),
                   op >= 2 ? gen_reg_read(s, ot, s->rm)
                           : tcg_constant_i64(0));
    if (op < 2) {
        gen_reg_write(s, ot, s->rm, v);
    }
}

/* 0F 05 syscall, 0F 07 sysret */
static void op_syscall(DisasContext *s, X86Insn *d)
{
    tcg_gen_movi_i64(cpu_eip, cur_eip(s));
    if (s->b == 0x105) {
        gen_helper(&info_syscall, 1,
                   tcg_constant_i64(next_eip(s) - cur_eip(s)));
    } else {
        gen_helper(&info_sysret, 1, tcg_constant_i64(s->dflag));
    }
    s->cc_op = CC_OP_DYNAMIC;
    s->is_jmp = DISAS_EXIT;
}

/* 0F 0B ud2, and every opcode nobody decodes */
static void op_ud(DisasContext *s, X86Insn *d)
{
    gen_exception(s, EXCP06_ILLOP);
}

/* D8-DF: the x87 (translate-fpu.c) */
static void op_fpu(DisasContext *s, X86Insn *d)
{
    x86_gen_x87(s);
}

/* 9B: fwait */
static void op_fwait(DisasContext *s, X86Insn *d)
{
    x86_gen_fwait(s);
}

/* ---- the tables ---- */

#define M OPF_MODRM
#define B OPF_BYTE
#define D64 OPF_D64
#define I64 OPF_I64
#define ALU(base, op)                                                    \
    [base + 0] = { op_alu, M | B, IMM_NONE, op },                        \
    [base + 1] = { op_alu, M, IMM_NONE, op },                            \
    [base + 2] = { op_alu, M | B, IMM_NONE, op },                        \
    [base + 3] = { op_alu, M, IMM_NONE, op },                            \
    [base + 4] = { op_alu, B, IMM_B, op },                               \
    [base + 5] = { op_alu, 0, IMM_Z, op }

static const X86Op op_table1[256] = {
    ALU(0x00, OP_ADD), ALU(0x08, OP_OR), ALU(0x10, OP_ADC),
    ALU(0x18, OP_SBB), ALU(0x20, OP_AND), ALU(0x28, OP_SUB),
    ALU(0x30, OP_XOR), ALU(0x38, OP_CMP),
    [0x06] = { op_push_seg, I64, IMM_NONE, R_ES },
    [0x07] = { op_pop_seg, I64, IMM_NONE, R_ES },
    [0x0e] = { op_push_seg, I64, IMM_NONE, R_CS },
    [0x16] = { op_push_seg, I64, IMM_NONE, R_SS },
    [0x17] = { op_pop_seg, I64, IMM_NONE, R_SS },
    [0x1e] = { op_push_seg, I64, IMM_NONE, R_DS },
    [0x1f] = { op_pop_seg, I64, IMM_NONE, R_DS },
    [0x27] = { op_bcd, I64, IMM_NONE, BCD_DAA },
    [0x2f] = { op_bcd, I64, IMM_NONE, BCD_DAS },
    [0x37] = { op_bcd, I64, IMM_NONE, BCD_AAA },
    [0x3f] = { op_bcd, I64, IMM_NONE, BCD_AAS },
    [0x40 ... 0x4f] = { op_incdec_reg, 0, IMM_NONE, 0 },
    [0x50 ... 0x57] = { op_push_reg, D64, IMM_NONE, 0 },
    [0x58 ... 0x5f] = { op_pop_reg, D64, IMM_NONE, 0 },
    [0x60] = { op_pusha, I64, IMM_NONE, 0 },
    [0x61] = { op_popa, I64, IMM_NONE, 0 },
    [0x62] = { op_bound, M | I64, IMM_NONE, 0 },
    [0x63] = { op_arpl, M | I64, IMM_NONE, 0 },
    [0x68] = { op_push_imm, D64, IMM_Z, 0 },
    [0x69] = { op_imul, M, IMM_Z, 0 },
    [0x6a] = { op_push_imm, D64, IMM_B, 0 },
    [0x6b] = { op_imul, M, IMM_B, 0 },
    [0x6c] = { op_string, B, IMM_NONE, STR_INS },
    [0x6d] = { op_string, 0, IMM_NONE, STR_INS },
    [0x6e] = { op_string, B, IMM_NONE, STR_OUTS },
    [0x6f] = { op_string, 0, IMM_NONE, STR_OUTS },
    [0x70 ... 0x7f] = { op_jcc, D64, IMM_B, 0 },
    [0x80] = { op_grp1, M | B, IMM_B, 0 },
    [0x81] = { op_grp1, M, IMM_Z, 0 },
    [0x82] = { op_grp1, M | B | I64, IMM_B, 0 },
    [0x83] = { op_grp1, M, IMM_B, 0 },
    [0x84] = { op_test, M | B, IMM_NONE, 0 },
    [0x85] = { op_test, M, IMM_NONE, 0 },
    [0x86] = { op_xchg, M | B, IMM_NONE, 0 },
    [0x87] = { op_xchg, M, IMM_NONE, 0 },
    [0x88] = { op_mov, M | B, IMM_NONE, 0 },
    [0x89] = { op_mov, M, IMM_NONE, 0 },
    [0x8a] = { op_mov, M | B, IMM_NONE, 0 },
    [0x8b] = { op_mov, M, IMM_NONE, 0 },
    [0x8c] = { op_mov_from_seg, M, IMM_NONE, 0 },
    [0x8d] = { op_lea, M, IMM_NONE, 0 },
    [0x8e] = { op_mov_to_seg, M, IMM_NONE, 0 },
    [0x8f] = { op_pop_E, M | D64, IMM_NONE, 0 },
    [0x90] = { op_90, 0, IMM_NONE, 0 },
    [0x91 ... 0x97] = { op_xchg, 0, IMM_NONE, 0 },
    [0x98] = { op_cbw, 0, IMM_NONE, 0 },
    [0x99] = { op_cwd, 0, IMM_NONE, 0 },
    [0x9a] = { op_far_imm, I64, IMM_FAR, 0 },
    [0x9b] = { op_fwait, 0, IMM_NONE, 0 },
    [0x9c] = { op_pushf, D64, IMM_NONE, 0 },
    [0x9d] = { op_popf, D64, IMM_NONE, 0 },
    [0x9e] = { op_sahf, 0, IMM_NONE, 0 },
    [0x9f] = { op_lahf, 0, IMM_NONE, 0 },
    [0xa0] = { op_mov_moffs, B, IMM_MOFFS, 0 },
    [0xa1] = { op_mov_moffs, 0, IMM_MOFFS, 0 },
    [0xa2] = { op_mov_moffs, B, IMM_MOFFS, 0 },
    [0xa3] = { op_mov_moffs, 0, IMM_MOFFS, 0 },
    [0xa4] = { op_string, B, IMM_NONE, STR_MOVS },
    [0xa5] = { op_string, 0, IMM_NONE, STR_MOVS },
    [0xa6] = { op_string, B, IMM_NONE, STR_CMPS },
    [0xa7] = { op_string, 0, IMM_NONE, STR_CMPS },
    [0xa8] = { op_test, B, IMM_B, 0 },
    [0xa9] = { op_test, 0, IMM_Z, 0 },
    [0xaa] = { op_string, B, IMM_NONE, STR_STOS },
    [0xab] = { op_string, 0, IMM_NONE, STR_STOS },
    [0xac] = { op_string, B, IMM_NONE, STR_LODS },
    [0xad] = { op_string, 0, IMM_NONE, STR_LODS },
    [0xae] = { op_string, B, IMM_NONE, STR_SCAS },
    [0xaf] = { op_string, 0, IMM_NONE, STR_SCAS },
    [0xb0 ... 0xb7] = { op_mov, B, IMM_B, 0 },
    [0xb8 ... 0xbf] = { op_mov, 0, IMM_V, 0 },
    [0xc0] = { op_grp2, M | B, IMM_UB, 0 },
    [0xc1] = { op_grp2, M, IMM_UB, 0 },
    [0xc2] = { op_ret, D64, IMM_W, 0 },
    [0xc3] = { op_ret, D64, IMM_NONE, 0 },
    [0xc4] = { op_lxs, M | I64, IMM_NONE, R_ES },
    [0xc5] = { op_lxs, M | I64, IMM_NONE, R_DS },
    [0xc6] = { op_mov, M | B, IMM_B, 0 },
    [0xc7] = { op_mov, M, IMM_Z, 0 },
    [0xc8] = { op_enter, D64, IMM_ENTER, 0 },
    [0xc9] = { op_leave, D64, IMM_NONE, 0 },
    [0xca] = { op_lret, 0, IMM_W, 0 },
    [0xcb] = { op_lret, 0, IMM_NONE, 0 },
    [0xcc] = { op_int, 0, IMM_NONE, 0 },
    [0xcd] = { op_int, 0, IMM_UB, 0 },
    [0xce] = { op_int, I64, IMM_NONE, 0 },
    [0xcf] = { op_iret, 0, IMM_NONE, 0 },
    [0xd0] = { op_grp2, M | B, IMM_NONE, 0 },
    [0xd1] = { op_grp2, M, IMM_NONE, 0 },
    [0xd2] = { op_grp2, M | B, IMM_NONE, 0 },
    [0xd3] = { op_grp2, M, IMM_NONE, 0 },
    [0xd4] = { op_bcd, I64, IMM_UB, BCD_AAM },
    [0xd5] = { op_bcd, I64, IMM_UB, BCD_AAD },
    [0xd6] = { op_salc, I64, IMM_NONE, 0 },
    [0xd7] = { op_xlat, 0, IMM_NONE, 0 },
    [0xd8 ... 0xdf] = { op_fpu, M, IMM_NONE, 0 },
    [0xe0 ... 0xe3] = { op_loop, D64, IMM_B, 0 },
    [0xe4] = { op_inout, B, IMM_UB, 0 },
    [0xe5] = { op_inout, 0, IMM_UB, 0 },
    [0xe6] = { op_inout, B, IMM_UB, 0 },
    [0xe7] = { op_inout, 0, IMM_UB, 0 },
    [0xe8] = { op_call, D64, IMM_Z, 0 },
    [0xe9] = { op_jmp, D64, IMM_Z, 0 },
    [0xea] = { op_far_imm, I64, IMM_FAR, 0 },
    [0xeb] = { op_jmp, D64, IMM_B, 0 },
    [0xec] = { op_inout, B, IMM_NONE, 0 },
    [0xed] = { op_inout, 0, IMM_NONE, 0 },
    [0xee] = { op_inout, B, IMM_NONE, 0 },
    [0xef] = { op_inout, 0, IMM_NONE, 0 },
    [0xf1] = { op_int, 0, IMM_NONE, 0 },
    [0xf4] = { op_hlt, 0, IMM_NONE, 0 },
    [0xf5] = { op_carry, 0, IMM_NONE, 0 },
    [0xf6] = { op_grp3, M | B, IMM_NONE, 0 },
    [0xf7] = { op_grp3, M, IMM_NONE, 0 },
    [0xf8] = { op_carry, 0, IMM_NONE, 0 },
    [0xf9] = { op_carry, 0, IMM_NONE, 0 },
    [0xfa] = { op_cli_sti, 0, IMM_NONE, 0 },
    [0xfb] = { op_cli_sti, 0, IMM_NONE, 0 },
    [0xfc] = { op_direction, 0, IMM_NONE, 0 },
    [0xfd] = { op_direction, 0, IMM_NONE, 0 },
    [0xfe] = { op_grp4, M, IMM_NONE, 0 },
    [0xff] = { op_grp5, M, IMM_NONE, 0 },
};

/* The 0F map, indexed by the second byte. */
static const X86Op op_table2[256] = {
    [0x00] = { op_grp6, M, IMM_NONE, 0 },
    [0x01] = { op_grp7, M, IMM_NONE, 0 },
    [0x02 ... 0x03] = { op_lar_lsl, M, IMM_NONE, 0 },
    [0x05] = { op_syscall, 0, IMM_NONE, 0 },
    [0x06] = { op_clts, 0, IMM_NONE, 0 },
    [0x07] = { op_syscall, 0, IMM_NONE, 0 },
    [0x08] = { op_invd, 0, IMM_NONE, 0 },
    [0x09] = { op_invd, 0, IMM_NONE, 0 },
    [0x0b] = { op_ud, 0, IMM_NONE, 0 },
    [0x0d] = { op_nop, M, IMM_NONE, 0 },           /* prefetch */
    [0x18 ... 0x1f] = { op_nop, M, IMM_NONE, 0 },  /* hints, nop Ev */
    [0x20] = { op_mov_cr, M, IMM_NONE, 0 },
    [0x21] = { op_mov_dr, M, IMM_NONE, 0 },
    [0x22] = { op_mov_cr, M, IMM_NONE, 0 },
    [0x23] = { op_mov_dr, M, IMM_NONE, 0 },
    [0x30 ... 0x32] = { op_sys_helper, 0, IMM_NONE, 0 },
    [0x34 ... 0x35] = { op_sysenter, 0, IMM_NONE, 0 },
    [0x40 ... 0x4f] = { op_cmov, M, IMM_NONE, 0 },
    [0x80 ... 0x8f] = { op_jcc, D64, IMM_Z, 0 },
    [0x90 ... 0x9f] = { op_setcc, M, IMM_NONE, 0 },
    [0xa0] = { op_push_seg, D64, IMM_NONE, R_FS },
    [0xa1] = { op_pop_seg, D64, IMM_NONE, R_FS },
    [0xa2] = { op_sys_helper, 0, IMM_NONE, 0 },
    [0xa3] = { op_bt, M, IMM_NONE, 0 },
    [0xa4] = { op_shiftd, M, IMM_UB, SHIFT_SHLD },
    [0xa5] = { op_shiftd, M, IMM_NONE, SHIFT_SHLD },
    [0xa8] = { op_push_seg, D64, IMM_NONE, R_GS },
    [0xa9] = { op_pop_seg, D64, IMM_NONE, R_GS },
    [0xab] = { op_bt, M, IMM_NONE, 1 },
    [0xac] = { op_shiftd, M, IMM_UB, SHIFT_SHRD },
    [0xad] = { op_shiftd, M, IMM_NONE, SHIFT_SHRD },
    [0xaf] = { op_imul, M, IMM_NONE, 0 },
    [0xb0] = { op_cmpxchg, M | B, IMM_NONE, 0 },
    [0xb1] = { op_cmpxchg, M, IMM_NONE, 0 },
    [0xb2] = { op_lxs, M, IMM_NONE, R_SS },
    [0xb3] = { op_bt, M, IMM_NONE, 2 },
    [0xb4] = { op_lxs, M, IMM_NONE, R_FS },
    [0xb5] = { op_lxs, M, IMM_NONE, R_GS },
    [0xb6 ... 0xb7] = { op_movx, M, IMM_NONE, 0 },
    [0xba] = { op_grp8, M, IMM_UB, 0 },
    [0xbb] = { op_bt, M, IMM_NONE, 3 },
    [0xbc ... 0xbd] = { op_bsx, M, IMM_NONE, 0 },
    [0xbe ... 0xbf] = { op_movx, M, IMM_NONE, 0 },
    [0xc0] = { op_xadd, M | B, IMM_NONE, 0 },
    [0xc1] = { op_xadd, M, IMM_NONE, 0 },
    [0xc7] = { op_grp9, M, IMM_NONE, 0 },
    [0xc8 ... 0xcf] = { op_bswap, 0, IMM_NONE, 0 },
};

#undef M
#undef B
#undef D64
#undef I64

static uint64_t fetch_imm(DisasContext *s, X86Insn *d, int kind)
{
    switch (kind) {
    case IMM_B:
        return (int8_t)x86_fetch(s, MO_8);
    case IMM_UB:
        return x86_fetch(s, MO_8);
    case IMM_W:
        return x86_fetch(s, MO_16);
    case IMM_V:
        if (d->ot == MO_64) {
            return x86_fetch(s, MO_64);
        }
        /* fall through */
    case IMM_Z:
        if (d->ot == MO_8) {
            return (int8_t)x86_fetch(s, MO_8);
        }
        /* 64-bit operands take a sign-extended 32-bit immediate */
        return s->dflag == MO_16 ? (uint32_t)(int16_t)x86_fetch(s, MO_16)
               : s->dflag == MO_64 ? (uint64_t)(int32_t)x86_fetch(s, MO_32)
                                   : x86_fetch(s, MO_32);
    case IMM_MOFFS:
        return x86_fetch(s, s->aflag);
    case IMM_FAR:
        d->imm = x86_fetch(s, s->dflag);
        d->imm2 = x86_fetch(s, MO_16);
        return d->imm;
    case IMM_ENTER:
        d->imm = x86_fetch(s, MO_16);
        d->imm2 = x86_fetch(s, MO_8);
        return d->imm;
    default:
        return 0;
    }
}

/* LOCK may prefix only the read-modify-write instructions, and only
 * with a memory destination; anything else is #UD. */
static bool lock_allowed(const DisasContext *s, const X86Op *op)
{
    if (!(op->flags & OPF_MODRM) || s->mod == 3) {
        return false;
    }
    switch (s->b) {
    case 0x00: case 0x01: case 0x08: case 0x09: case 0x10: case 0x11:
    case 0x18: case 0x19: case 0x20: case 0x21: case 0x28: case 0x29:
    case 0x30: case 0x31:                          /* ALU E,G but CMP */
    case 0x86: case 0x87:                          /* xchg */
    case 0x1ab: case 0x1b3: case 0x1bb:            /* bts, btr, btc */
    case 0x1b0: case 0x1b1:                        /* cmpxchg */
    case 0x1c0: case 0x1c1:                        /* xadd */
        return true;
    case 0x80: case 0x81: case 0x82: case 0x83:    /* group 1 but CMP */
        return s->reg != OP_CMP;
    case 0xf6: case 0xf7:                          /* not, neg */
        return s->reg == 2 || s->reg == 3;
    case 0xfe: case 0xff:                          /* inc, dec */
        return s->reg <= 1;
    case 0x1ba:                                    /* bts, btr, btc Ib */
        return s->reg >= 5;
    case 0x1c7:                                    /* cmpxchg8b/16b */
        return s->reg == 1;
    }
    return false;
}

void x86_disas_insn(DisasContext *s)
{
    X86Insn d = { 0 };
    int b;

    s->prefix = 0;
    s->override = -1;
    s->A0 = NULL;
    s->mem_idx = s->mmu_idx;
    s->mod = 3;
    s->rex = s->rex_w = false;
    s->rex_r = s->rex_x = s->rex_b = 0;
    for (;;) {
        b = x86_fetch(s, MO_8);
        if (s->code64 && (b & 0xf0) == 0x40) {
            /* REX: counts only right before the opcode */
            s->rex = true;
            s->rex_w = b & 8;
            s->rex_r = (b & 4) << 1;
            s->rex_x = (b & 2) << 2;
            s->rex_b = (b & 1) << 3;
            continue;
        }
        if (s->rex) {
            /* a legacy prefix after REX: the REX is ignored */
            switch (b) {
            case 0xf3: case 0xf2: case 0xf0: case 0x26: case 0x2e:
            case 0x36: case 0x3e: case 0x64: case 0x65: case 0x66:
            case 0x67:
                s->rex = s->rex_w = false;
                s->rex_r = s->rex_x = s->rex_b = 0;
                break;
            }
        }
        switch (b) {
        case 0xf3:
            s->prefix |= PREFIX_REPZ;
            s->prefix &= ~PREFIX_REPNZ;
            continue;
        case 0xf2:
            s->prefix |= PREFIX_REPNZ;
            s->prefix &= ~PREFIX_REPZ;
            continue;
        case 0xf0:
            s->prefix |= PREFIX_LOCK;
            continue;
        case 0x26:
            s->override = R_ES;
            continue;
        case 0x2e:
            s->override = R_CS;
            continue;
        case 0x36:
            s->override = R_SS;
            continue;
        case 0x3e:
            s->override = R_DS;
            continue;
        case 0x64:
            s->override = R_FS;
            continue;
        case 0x65:
            s->override = R_GS;
            continue;
        case 0x66:
            s->prefix |= PREFIX_DATA;
            continue;
        case 0x67:
            s->prefix |= PREFIX_ADR;
            continue;
        }
        break;
    }
    if (s->code64) {
        /* CS, DS, ES and SS overrides are ignored in 64-bit mode */
        if (s->override >= 0 && s->override < R_FS) {
            s->override = -1;
        }
        s->dflag = s->rex_w ? MO_64 : (s->prefix & PREFIX_DATA) ? MO_16
                                                                : MO_32;
        s->aflag = (s->prefix & PREFIX_ADR) ? MO_32 : MO_64;
    } else {
        s->dflag = s->code32 != !!(s->prefix & PREFIX_DATA) ? MO_32 : MO_16;
        s->aflag = s->code32 != !!(s->prefix & PREFIX_ADR) ? MO_32 : MO_16;
    }
    if (b == 0x0f) {
        b = 0x100 | x86_fetch(s, MO_8);
        d.op = &op_table2[b & 0xff];
    } else if (b == 0x63 && s->code64) {
        d.op = &op_movsxd_row;
    } else {
        d.op = &op_table1[b];
    }
    s->b = b;
    if (s->code64 && (d.op->flags & OPF_I64)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    if (s->code64 && (d.op->flags & OPF_D64) && !(s->prefix & PREFIX_DATA)) {
        s->dflag = MO_64;
    }
    if (!d.op->gen) {
        if (b >= 0x100 && x86_gen_sse(s)) {
            return;              /* MMX, SSE and friends */
        }
        if (b >= 0x100) {
            gen_unimp(s, "0f opcode");
        } else {
            gen_exception(s, EXCP06_ILLOP);
        }
        return;
    }
    if (d.op->flags & OPF_MODRM) {
        gen_modrm(s);
    }
    if ((s->prefix & PREFIX_LOCK) && !lock_allowed(s, d.op)) {
        gen_exception(s, EXCP06_ILLOP);
        return;
    }
    d.ot = (d.op->flags & OPF_BYTE) ? MO_8 : s->dflag;
    d.imm = fetch_imm(s, &d, d.op->imm);
    d.op->gen(s, &d);
}
