/*
 * The x86-64 host back end of the translator: the prologue that enters
 * generated code, a register allocator local to one translation block,
 * and the host instructions for every IR opcode, including the inline
 * softmmu TLB lookup of guest loads and stores with its out-of-line slow
 * paths.
 *
 * Layers, bottom up:
 *   - encoding: REX prefix, ModRM/SIB with disp0/disp8/disp32 forms;
 *   - instructions: mov, arithmetic, shifts, jumps, calls...;
 *   - register allocation: where each temp lives (host register, its
 *     env field or frame slot, or a constant), loading on use, syncing
 *     where liveness says and at basic-block ends;
 *   - ops: one function per group of IR opcodes.
 *
 * Conventions of the generated code:
 *   - env lives in rbp (TCG_AREG0) for the whole block;
 *   - r10 and r11 are scratch registers the allocator never hands out;
 *   - a 32-bit value in a host register is always zero-extended (every
 *     32-bit x86 instruction does that, and helper results are extended
 *     explicitly), so it can serve as a 64-bit guest address or argument;
 *   - rsp stays 16-byte aligned, so helpers can be called directly; the
 *     spill frame is at [rsp, rsp + TCG_FRAME_SLOTS * 8).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "accel/tcg/tcg-backend.h"

/* ---- host registers ---- */

enum {
    R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    NB_HOST_REGS
};

#define TCG_AREG0 R_RBP
#define TCG_TMP0 R_R10
#define TCG_TMP1 R_R11
#define RBIT(r) (1u << (r))

/* Callee-saved registers first: values there survive helper calls and
 * slow paths for free; rax, rcx, rdx last because mul and shifts need
 * them by name. */
static const int alloc_order[] = {
    R_RBX, R_R12, R_R13, R_R14, R_R15,
    R_RSI, R_RDI, R_R8, R_R9, R_RDX, R_RCX, R_RAX,
};

static const int call_arg_regs[6] = { R_RDI, R_RSI, R_RDX, R_RCX, R_R8, R_R9 };

#define CALLER_SAVED_REGS \
    (RBIT(R_RAX) | RBIT(R_RCX) | RBIT(R_RDX) | RBIT(R_RSI) | RBIT(R_RDI) | \
     RBIT(R_R8) | RBIT(R_R9) | RBIT(R_R10) | RBIT(R_R11))
#define CALLEE_SAVED_ALLOC \
    (RBIT(R_RBX) | RBIT(R_R12) | RBIT(R_R13) | RBIT(R_R14) | RBIT(R_R15))

/* One 8-byte spill slot per possible temp: the frame can never run out. */
#define TCG_FRAME_SLOTS TCG_MAX_TEMPS
/* The return address and six pushes leave rsp 8 bytes off a 16-byte
 * boundary; the extra 8 make calls from generated code aligned. */
#define TCG_FRAME_SIZE (TCG_FRAME_SLOTS * 8 + 8)

static const int prologue_saved_regs[] = {
    R_RBP, R_RBX, R_R12, R_R13, R_R14, R_R15,
};

/* ---- per-translation state ---- */

/* A guest load or store whose TLB miss path goes at the end of the TB. */
typedef struct LdstStub {
    bool is_ld;
    MemOpIdx oi;
    TCGType type;                /* of the data */
    int data_reg;
    int addr_reg;
    uint8_t *miss_jump;          /* rel32 of the jne to patch */
    uint8_t *return_point;       /* where the fast path continues */
    uint32_t saved_regs;         /* live caller-saved registers */
} LdstStub;

typedef struct Gen {
    TCGContext *s;
    TranslationBlock *tb;
    uint8_t *p;
    TCGTemp *reg_to_temp[NB_HOST_REGS];
    int nb_spilled;              /* entries of spilled_temps[] */
    uint32_t locked;             /* registers in use by the current op */
    const TCGOp *op;
    GArray *stubs;
} Gen;

/* The block's temps given a frame slot, in the order they got it
 * (translation is serialised; not in Gen, which would clear it at
 * every block). */
static TCGTemp *spilled_temps[TCG_FRAME_SLOTS];

uintptr_t (*tcg_qemu_tb_exec)(void *env, const void *code);
const void *tcg_code_gen_epilogue;
/* The epilogue proper: rax already holds the value to return. */
static const uint8_t *tb_ret_addr;
/* The host has BMI2 (rorx): set with the prologue. */
static bool have_bmi2;

/* ---- encoding ---- */

/* Opcode flags above the opcode byte. */
#define P_0F      0x100          /* two-byte opcode 0x0f xx */
#define P_W       0x200          /* REX.W: 64-bit operand */
#define P_16      0x400          /* 0x66: 16-bit operand */
#define P_BYTE_R  0x800          /* reg field is a byte register */
#define P_BYTE_RM 0x1000         /* r/m field is a byte register */

#define OPC_ARITH_EvIz  0x81
#define OPC_ARITH_EvIb  0x83
#define OPC_ARITH_GvEv  0x03     /* | (ARITH_x << 3) */
#define OPC_MOVB_EvGv   0x88
#define OPC_MOVL_EvGv   0x89
#define OPC_MOVL_GvEv   0x8b
#define OPC_TESTL       0x85
#define OPC_LEA         0x8d
#define OPC_MOVB_EvIb   0xc6
#define OPC_MOVL_EvIz   0xc7
#define OPC_MOVL_Iv     0xb8     /* + reg */
#define OPC_MOVSLQ      (0x63 | P_W)
#define OPC_IMUL_GvEvIb 0x6b
#define OPC_IMUL_GvEvIz 0x69
#define OPC_SHIFT_Ib    0xc1
#define OPC_SHIFT_cl    0xd3
#define OPC_GRP3_Ev     0xf7
#define OPC_GRP5        0xff
#define OPC_PUSH        0x50     /* + reg */
#define OPC_POP         0x58     /* + reg */
#define OPC_RET         0xc3
#define OPC_JMP_long    0xe9
#define OPC_JMP_short   0xeb
#define OPC_JCC_short   0x70     /* + cc */
#define OPC_CALL_Jz     0xe8
#define OPC_NOP         0x90
#define OPC_JCC_long    (0x80 | P_0F)
#define OPC_SETCC       (0x90 | P_0F | P_BYTE_RM)
#define OPC_CMOVCC      (0x40 | P_0F)
#define OPC_IMUL_GvEv   (0xaf | P_0F)
#define OPC_MOVZBL      (0xb6 | P_0F | P_BYTE_RM)
#define OPC_MOVZWL      (0xb7 | P_0F)
#define OPC_MOVSBL      (0xbe | P_0F | P_BYTE_RM)
#define OPC_MOVSWL      (0xbf | P_0F)
#define OPC_BSR         (0xbd | P_0F)
#define OPC_BSWAP       (0xc8 | P_0F)

enum { ARITH_ADD, ARITH_OR, ARITH_ADC, ARITH_SBB,
       ARITH_AND, ARITH_SUB, ARITH_XOR, ARITH_CMP };
enum { SHIFT_ROL = 0, SHIFT_ROR = 1, SHIFT_SHL = 4, SHIFT_SHR = 5,
       SHIFT_SAR = 7 };
enum { EXT3_NOT = 2, EXT3_NEG = 3, EXT3_MUL = 4, EXT3_IMUL = 5 };
enum { EXT5_CALL = 2, EXT5_JMP = 4 };

/* x86 condition codes */
enum {
    JCC_JB = 0x2, JCC_JAE = 0x3, JCC_JE = 0x4, JCC_JNE = 0x5,
    JCC_JBE = 0x6, JCC_JA = 0x7, JCC_JL = 0xc, JCC_JGE = 0xd,
    JCC_JLE = 0xe, JCC_JG = 0xf,
};

static const uint8_t tcg_cond_to_jcc[] = {
    [TCG_COND_EQ] = JCC_JE, [TCG_COND_NE] = JCC_JNE,
    [TCG_COND_LT] = JCC_JL, [TCG_COND_GE] = JCC_JGE,
    [TCG_COND_LE] = JCC_JLE, [TCG_COND_GT] = JCC_JG,
    [TCG_COND_LTU] = JCC_JB, [TCG_COND_GEU] = JCC_JAE,
    [TCG_COND_LEU] = JCC_JBE, [TCG_COND_GTU] = JCC_JA,
};

static void out8(Gen *g, uint8_t v)
{
    *g->p++ = v;
}

static void out16(Gen *g, uint16_t v)
{
    memcpy(g->p, &v, 2);
    g->p += 2;
}

static void out32(Gen *g, uint32_t v)
{
    memcpy(g->p, &v, 4);
    g->p += 4;
}

static void out64(Gen *g, uint64_t v)
{
    memcpy(g->p, &v, 8);
    g->p += 8;
}

static void patch32(uint8_t *at, int32_t v)
{
    memcpy(at, &v, 4);
}

static bool fits_i32(int64_t v)
{
    return v == (int32_t)v;
}

static int rexw(TCGType type)
{
    return type == TCG_TYPE_I64 ? P_W : 0;
}

/* Prefixes and opcode bytes; r, rm and x are the full register numbers
 * that go (low three bits) into ModRM.reg, ModRM.rm/SIB.base, SIB.index. */
static void out_opc(Gen *g, int opc, int r, int rm, int x)
{
    int rex = 0;

    if (opc & P_16) {
        out8(g, 0x66);
    }
    if (opc & P_W) {
        rex |= 8;
    }
    rex |= (r & 8) >> 1 | (x & 8) >> 2 | (rm & 8) >> 3;
    /* spl, bpl, sil, dil exist only with a REX prefix (else ah..bh). */
    if (((opc & P_BYTE_R) && r >= 4) || ((opc & P_BYTE_RM) && rm >= 4)) {
        rex |= 0x40;
    }
    if (rex) {
        out8(g, 0x40 | rex);
    }
    if (opc & P_0F) {
        out8(g, 0x0f);
    }
    out8(g, opc);
}

/* register-direct form: mod = 11 */
static void out_modrm(Gen *g, int opc, int r, int rm)
{
    out_opc(g, opc, r, rm, 0);
    out8(g, 0xc0 | (r & 7) << 3 | (rm & 7));
}

/* [base + index << shift + disp], index < 0 for none */
static void out_modrm_sib(Gen *g, int opc, int r, int base, int index,
                          int shift, intptr_t disp)
{
    int mod;

    g_assert(fits_i32(disp));
    out_opc(g, opc, r, base, index < 0 ? 0 : index);
    /* base rbp/r13 with mod 00 would mean rip-relative/no base */
    if (disp == 0 && (base & 7) != R_RBP) {
        mod = 0;
    } else if (disp == (int8_t)disp) {
        mod = 0x40;
    } else {
        mod = 0x80;
    }
    /* base rsp/r12 in ModRM.rm means "a SIB byte follows" */
    if (index < 0 && (base & 7) != R_RSP) {
        out8(g, mod | (r & 7) << 3 | (base & 7));
    } else {
        out8(g, mod | (r & 7) << 3 | 4);
        out8(g, shift << 6 | ((index < 0 ? R_RSP : index) & 7) << 3 |
             (base & 7));
    }
    if (mod == 0x40) {
        out8(g, disp);
    } else if (mod == 0x80) {
        out32(g, disp);
    }
}

static void out_modrm_offset(Gen *g, int opc, int r, int base, intptr_t disp)
{
    out_modrm_sib(g, opc, r, base, -1, 0, disp);
}

/* ---- instructions ---- */

static void out_mov(Gen *g, TCGType type, int dst, int src)
{
    if (dst != src) {
        out_modrm(g, OPC_MOVL_GvEv | rexw(type), dst, src);
    }
}

/* Clobbers the flags for 0 (xor): never between a compare and its use. */
static void out_movi(Gen *g, TCGType type, int reg, int64_t val)
{
    if (type == TCG_TYPE_I32) {
        val = (uint32_t)val;
    }
    if (val == 0) {
        out_modrm(g, OPC_ARITH_GvEv | ARITH_XOR << 3, reg, reg);
    } else if (val == (uint32_t)val) {
        out_opc(g, OPC_MOVL_Iv + (reg & 7), 0, reg, 0);
        out32(g, val);
    } else if (fits_i32(val)) {
        out_modrm(g, OPC_MOVL_EvIz | P_W, 0, reg);
        out32(g, val);
    } else {
        out_opc(g, (OPC_MOVL_Iv + (reg & 7)) | P_W, 0, reg, 0);
        out64(g, val);
    }
}

static void out_ld(Gen *g, TCGType type, int reg, int base, intptr_t ofs)
{
    out_modrm_offset(g, OPC_MOVL_GvEv | rexw(type), reg, base, ofs);
}

static void out_st(Gen *g, TCGType type, int reg, int base, intptr_t ofs)
{
    out_modrm_offset(g, OPC_MOVL_EvGv | rexw(type), reg, base, ofs);
}

/* reg op= imm; imm must fit a sign-extended 32 bits for 64-bit ops */
static void out_arithi(Gen *g, int c, TCGType type, int reg, int64_t imm)
{
    int32_t v = (int32_t)imm;

    if (v == (int8_t)v) {
        out_modrm(g, OPC_ARITH_EvIb | rexw(type), c, reg);
        out8(g, v);
    } else {
        out_modrm(g, OPC_ARITH_EvIz | rexw(type), c, reg);
        out32(g, v);
    }
}

static void out_arith(Gen *g, int c, TCGType type, int dst, int src)
{
    out_modrm(g, (OPC_ARITH_GvEv | c << 3) | rexw(type), dst, src);
}

static void out_shifti(Gen *g, int c, TCGType type, int reg, int count)
{
    out_modrm(g, OPC_SHIFT_Ib | rexw(type), c, reg);
    out8(g, count);
}

/* BMI2's rorx: dst = src rotated right by count, 32-bit, flags kept;
 * three operands, so no copy of src first.  Only where the host has
 * BMI2 (have_bmi2). */
static void out_rorx32(Gen *g, int dst, int src, int count)
{
    out8(g, 0xc4);                           /* three-byte VEX */
    out8(g, (dst & 8 ? 0 : 0x80) | 0x40 | (src & 8 ? 0 : 0x20) | 0x03);
    out8(g, 0x7b);                           /* W0, no vvvv, L0, F2 */
    out8(g, 0xf0);
    out8(g, 0xc0 | (dst & 7) << 3 | (src & 7));
    out8(g, count);
}

static void out_push(Gen *g, int reg)
{
    out_opc(g, OPC_PUSH + (reg & 7), 0, reg, 0);
}

static void out_pop(Gen *g, int reg)
{
    out_opc(g, OPC_POP + (reg & 7), 0, reg, 0);
}

/* rolw $8: swaps the two low bytes, keeps the rest */
static void out_rolw8(Gen *g, int reg)
{
    out_modrm(g, OPC_SHIFT_Ib | P_16, SHIFT_ROL, reg);
    out8(g, 8);
}

/* jmp or call to an absolute address, through r11 when out of reach */
static void out_branch_abs(Gen *g, bool call, const void *target)
{
    intptr_t disp = (intptr_t)target - (intptr_t)(g->p + 5);

    if (fits_i32(disp)) {
        out8(g, call ? OPC_CALL_Jz : OPC_JMP_long);
        out32(g, disp);
    } else {
        out_movi(g, TCG_TYPE_I64, TCG_TMP1, (intptr_t)target);
        out_modrm(g, OPC_GRP5, call ? EXT5_CALL : EXT5_JMP, TCG_TMP1);
    }
}

/* lea reg, [rip + (target - next insn)] */
static void out_lea_rip(Gen *g, int reg, const void *target)
{
    out_opc(g, OPC_LEA | P_W, reg, 0, 0);
    out8(g, 0x05 | (reg & 7) << 3);
    out32(g, (intptr_t)target - (intptr_t)(g->p + 4));
}

/* Extends the low bits of src into dst as memop says (slow-path
 * results and sign-extending loads into 64-bit temps). */
static void out_ext_memop(Gen *g, TCGType type, int dst, int src, MemOp mop)
{
    bool sign = mop & MO_SIGN;

    switch (mop & MO_SIZE) {
    case MO_8:
        out_modrm(g, (sign ? OPC_MOVSBL : OPC_MOVZBL) |
                  (sign ? rexw(type) : 0), dst, src);
        break;
    case MO_16:
        out_modrm(g, (sign ? OPC_MOVSWL : OPC_MOVZWL) |
                  (sign ? rexw(type) : 0), dst, src);
        break;
    case MO_32:
        if (sign && type == TCG_TYPE_I64) {
            out_modrm(g, OPC_MOVSLQ, dst, src);
        } else {
            out_modrm(g, OPC_MOVL_GvEv, dst, src);
        }
        break;
    default:
        out_mov(g, TCG_TYPE_I64, dst, src);
        break;
    }
}

/* ---- labels ---- */

static void label_add_reloc(TCGLabel *l, uint8_t *rel32)
{
    uintptr_t at = (uintptr_t)rel32;

    if (!l->relocs) {
        l->relocs = g_array_new(FALSE, FALSE, sizeof(uintptr_t));
    }
    g_array_append_val(l->relocs, at);
}

/* jcc (cc >= 0) or jmp (cc < 0) to a label, short when already bound
 * and near; forward references are rel32 patched at set_label. */
static void out_jump_label(Gen *g, int cc, TCGLabel *l)
{
    if (l->has_value) {
        intptr_t disp = (intptr_t)l->value - (intptr_t)(g->p + 2);

        if (disp == (int8_t)disp) {
            out8(g, cc < 0 ? OPC_JMP_short : OPC_JCC_short + cc);
            out8(g, disp);
            return;
        }
    }
    if (cc < 0) {
        out8(g, OPC_JMP_long);
    } else {
        out_opc(g, OPC_JCC_long + cc, 0, 0, 0);
    }
    if (l->has_value) {
        out32(g, (intptr_t)l->value - (intptr_t)(g->p + 4));
    } else {
        label_add_reloc(l, g->p);
        out32(g, 0);
    }
}

static void bind_label(Gen *g, TCGLabel *l)
{
    l->has_value = true;
    l->value = (uintptr_t)g->p;
    for (guint i = 0; l->relocs && i < l->relocs->len; i++) {
        uint8_t *at = (uint8_t *)g_array_index(l->relocs, uintptr_t, i);

        patch32(at, (intptr_t)g->p - (intptr_t)(at + 4));
    }
}

/* ---- the prologue ---- */

size_t tcg_target_emit_prologue(uint8_t *buf, size_t size)
{
    Gen gen = { .p = buf };
    Gen *g = &gen;

    g_assert(size >= 64);
    __builtin_cpu_init();
    have_bmi2 = __builtin_cpu_supports("bmi2");
    tcg_qemu_tb_exec = (uintptr_t (*)(void *, const void *))buf;
    for (size_t i = 0; i < ARRAY_SIZE(prologue_saved_regs); i++) {
        out_push(g, prologue_saved_regs[i]);
    }
    out_arithi(g, ARITH_SUB, TCG_TYPE_I64, R_RSP, TCG_FRAME_SIZE);
    out_mov(g, TCG_TYPE_I64, TCG_AREG0, call_arg_regs[0]);
    out_modrm(g, OPC_GRP5, EXT5_JMP, call_arg_regs[1]);

    /* goto_ptr lands here when there is no block to go to: return 0 */
    tcg_code_gen_epilogue = g->p;
    out_movi(g, TCG_TYPE_I32, R_RAX, 0);

    tb_ret_addr = g->p;
    out_arithi(g, ARITH_ADD, TCG_TYPE_I64, R_RSP, TCG_FRAME_SIZE);
    for (int i = ARRAY_SIZE(prologue_saved_regs) - 1; i >= 0; i--) {
        out_pop(g, prologue_saved_regs[i]);
    }
    out8(g, OPC_RET);
    return g->p - buf;
}

/* ---- register allocation ---- */

static TCGTemp *arg_temp(const TCGOp *op, int n)
{
    return (TCGTemp *)(uintptr_t)op->args[n];
}

static bool arg_dead(const TCGOp *op, int n)
{
    return op->life & (1u << n);
}

static bool arg_sync(const TCGOp *op, int n)
{
    return op->life & (1u << (16 + n));
}

static void temp_store(Gen *g, TCGTemp *ts)
{
    TCGContext *s = g->s;

    if (ts->kind == TEMP_NORMAL && !ts->mem_allocated) {
        g_assert(s->current_frame_offset + 8 <= s->frame_end);
        ts->mem_offset = s->current_frame_offset;
        s->current_frame_offset += 8;
        ts->mem_allocated = true;
        spilled_temps[g->nb_spilled++] = ts;
    }
    out_st(g, ts->type, ts->reg,
           ts->kind == TEMP_GLOBAL ? TCG_AREG0 : R_RSP, ts->mem_offset);
    ts->mem_coherent = true;
}

static void temp_load(Gen *g, TCGTemp *ts, int reg)
{
    out_ld(g, ts->type, reg,
           ts->kind == TEMP_GLOBAL ? TCG_AREG0 : R_RSP, ts->mem_offset);
}

/* Brings the memory copy of a register temp up to date. */
static void temp_sync(Gen *g, TCGTemp *ts)
{
    if (ts->val_type == TEMP_VAL_REG && !ts->mem_coherent &&
        (ts->kind == TEMP_GLOBAL || ts->kind == TEMP_NORMAL)) {
        temp_store(g, ts);
    }
}

/* The temp leaves its register; memory holds its value afterwards. */
static void temp_spill(Gen *g, TCGTemp *ts)
{
    temp_sync(g, ts);
    g->reg_to_temp[ts->reg] = NULL;
    ts->val_type = TEMP_VAL_MEM;
}

/* Liveness says the value is no longer needed.  A global keeps its env
 * field authoritative: if the core left it unsynced, store it anyway so
 * that helpers and a later exception see the last value. */
static void temp_dead(Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_CONST || ts->kind == TEMP_ENV) {
        return;
    }
    if (ts->val_type == TEMP_VAL_REG && g->reg_to_temp[ts->reg] == ts) {
        if (ts->kind == TEMP_GLOBAL) {
            temp_sync(g, ts);
        }
        g->reg_to_temp[ts->reg] = NULL;
    }
    if (ts->val_type != TEMP_VAL_DEAD) {
        /*
         * A block temp whose spill slot is up to date still lives there:
         * liveness works per basic block, so a temp that also crosses a
         * branch may be "dead" here and read again after a label.
         */
        bool in_memory = ts->kind == TEMP_GLOBAL ||
                         (ts->kind == TEMP_NORMAL && ts->mem_allocated &&
                          ts->mem_coherent);

        ts->val_type = in_memory ? TEMP_VAL_MEM : TEMP_VAL_DEAD;
    }
}

/* An input of an op other than a call dies: unlike temp_dead, leaves
 * a global's env field stale.  Liveness already syncs every global that
 * the rest of the block, a helper or a faulting memory access can
 * observe (qemu_ld/st have TCG_OPF_SIDE_EFFECTS), so a global that dies
 * here is overwritten before anyone reads it; storing it would be
 * wasted (e.g. "xor VF, ...; and VF, VF, t" stored VF twice). */
static void temp_dead_input(Gen *g, TCGTemp *ts)
{
    if (ts->kind == TEMP_GLOBAL && ts->val_type == TEMP_VAL_REG &&
        g->reg_to_temp[ts->reg] == ts) {
        g->reg_to_temp[ts->reg] = NULL;
        ts->val_type = TEMP_VAL_MEM;
        return;
    }
    temp_dead(g, ts);
}

static int find_free_reg(Gen *g, uint32_t allowed)
{
    for (size_t i = 0; i < ARRAY_SIZE(alloc_order); i++) {
        int r = alloc_order[i];

        if ((allowed & RBIT(r)) && !(g->locked & RBIT(r)) &&
            !g->reg_to_temp[r]) {
            return r;
        }
    }
    return -1;
}

/* A register for the current op (locked until its end), spilling a
 * temp when all are taken; a coherent one first, as it costs no store. */
static int alloc_reg(Gen *g, uint32_t avoid)
{
    int victim = -1;
    int r = find_free_reg(g, ~avoid);

    if (r < 0) {
        for (size_t i = 0; i < ARRAY_SIZE(alloc_order); i++) {
            int c = alloc_order[i];

            if ((g->locked | avoid) & RBIT(c)) {
                continue;
            }
            if (victim < 0 || g->reg_to_temp[c]->mem_coherent) {
                victim = c;
                if (g->reg_to_temp[c]->mem_coherent) {
                    break;
                }
            }
        }
        g_assert(victim >= 0);
        temp_spill(g, g->reg_to_temp[victim]);
        r = victim;
    }
    g->locked |= RBIT(r);
    return r;
}

/* Frees reg: its temp moves to a free register of allowed, or spills. */
static void reg_evict(Gen *g, int reg, uint32_t allowed)
{
    TCGTemp *ts = g->reg_to_temp[reg];
    int r;

    if (!ts) {
        return;
    }
    r = find_free_reg(g, allowed & ~RBIT(reg));
    if (r < 0) {
        temp_spill(g, ts);
        return;
    }
    out_mov(g, TCG_TYPE_I64, r, reg);
    g->reg_to_temp[reg] = NULL;
    g->reg_to_temp[r] = ts;
    ts->reg = r;
}

/* Puts the value of ts in reg without changing where ts lives. */
static void temp_copy_to(Gen *g, TCGTemp *ts, int reg)
{
    switch (ts->kind == TEMP_CONST ? TEMP_VAL_CONST : ts->val_type) {
    case TEMP_VAL_CONST:
        out_movi(g, ts->type, reg, ts->val);
        break;
    case TEMP_VAL_MEM:
        temp_load(g, ts, reg);
        break;
    case TEMP_VAL_REG:
        out_mov(g, TCG_TYPE_I64, reg, ts->reg);
        break;
    default:
        break;                   /* dead: any value will do */
    }
}

/* Input argument n in a register, locked for the op. */
static int in_reg(Gen *g, int n)
{
    TCGTemp *ts = arg_temp(g->op, n);
    int r;

    if (ts->kind == TEMP_ENV) {
        return TCG_AREG0;
    }
    if (ts->kind == TEMP_CONST) {
        r = alloc_reg(g, 0);
        out_movi(g, ts->type, r, ts->val);
        return r;
    }
    if (ts->val_type == TEMP_VAL_REG) {
        g->locked |= RBIT(ts->reg);
        return ts->reg;
    }
    r = alloc_reg(g, 0);
    /* A dead normal temp read by a buggy front end gets whatever the
     * register holds rather than a crash. */
    ts->mem_coherent = ts->val_type == TEMP_VAL_MEM;
    if (ts->val_type == TEMP_VAL_MEM) {
        temp_load(g, ts, r);
    }
    ts->val_type = TEMP_VAL_REG;
    ts->reg = r;
    g->reg_to_temp[r] = ts;
    return r;
}

/* Input argument n in exactly reg (shift counts, mul operands), which
 * the op may clobber: the temp living there moves out first. */
static void in_fixed(Gen *g, int n, int reg)
{
    TCGTemp *ts = arg_temp(g->op, n);

    reg_evict(g, reg, ~RBIT(reg));
    temp_copy_to(g, ts, reg);
    g->locked |= RBIT(reg);
}

/* An input operand that may be an immediate. */
typedef struct Opnd {
    bool is_const;
    int reg;
    int64_t val;
} Opnd;

static Opnd in_ri(Gen *g, int n, TCGType type)
{
    TCGTemp *ts = arg_temp(g->op, n);
    Opnd o = { 0 };

    if (ts->kind == TEMP_CONST &&
        (type == TCG_TYPE_I32 || fits_i32(ts->val))) {
        o.is_const = true;
        o.val = type == TCG_TYPE_I32 ? (int32_t)ts->val : ts->val;
    } else {
        o.reg = in_reg(g, n);
    }
    return o;
}

static bool arg_is_const(const TCGOp *op, int n)
{
    return arg_temp(op, n)->kind == TEMP_CONST;
}

/* Whether output 0 can take over the register of input argument n: it
 * dies here and memory needs nothing from it (a global's env field is
 * up to date; or liveness asks no store of it, as a dying global is
 * overwritten before anything reads it (temp_dead_input); or output 0
 * is that global: "add r0, r0, $1" replaces the value it reads). */
static bool can_reuse(Gen *g, int n)
{
    TCGTemp *ts = arg_temp(g->op, n);

    return ts->val_type == TEMP_VAL_REG && g->reg_to_temp[ts->reg] == ts &&
           arg_dead(g->op, n) &&
           (ts->kind == TEMP_NORMAL ||
            (ts->kind == TEMP_GLOBAL &&
             (ts->mem_coherent || !arg_sync(g->op, n) ||
              arg_temp(g->op, 0) == ts)));
}

/* A register for output argument n: the register of a dying input
 * reuse (if >= 0 and possible), else the one the temp already has, else
 * a new one; never one of avoid. */
static int out_reg(Gen *g, int n, int reuse, uint32_t avoid)
{
    TCGTemp *ts = arg_temp(g->op, n);

    if (reuse >= 0 && can_reuse(g, reuse) &&
        !(avoid & RBIT(arg_temp(g->op, reuse)->reg))) {
        return arg_temp(g->op, reuse)->reg;
    }
    if (ts->val_type == TEMP_VAL_REG && g->reg_to_temp[ts->reg] == ts &&
        !((g->locked | avoid) & RBIT(ts->reg))) {
        g->locked |= RBIT(ts->reg);
        return ts->reg;
    }
    return alloc_reg(g, avoid);
}

/* After the op's code: syncs and deaths of the inputs, arguments first
 * to first + nb_iargs - 1. */
static void inputs_finish(Gen *g, int first, int nb_iargs)
{
    const TCGOp *op = g->op;

    for (int i = first; i < first + nb_iargs; i++) {
        if (arg_sync(op, i)) {
            temp_sync(g, arg_temp(op, i));
        }
        if (arg_dead(op, i)) {
            temp_dead_input(g, arg_temp(op, i));
        }
    }
}

/* After the op's code: the inputs as above, then the outputs take their
 * registers (regs[i] for output i). */
static void op_finish(Gen *g, int nb_oargs, int nb_iargs, const int *regs)
{
    const TCGOp *op = g->op;

    inputs_finish(g, nb_oargs, nb_iargs);
    for (int i = 0; i < nb_oargs; i++) {
        TCGTemp *ts = arg_temp(op, i);
        int r = regs[i];

        if (ts->val_type == TEMP_VAL_REG && g->reg_to_temp[ts->reg] == ts) {
            g->reg_to_temp[ts->reg] = NULL;
        }
        /* out_reg only hands out free registers or those of inputs
         * that died above */
        g_assert(!g->reg_to_temp[r]);
        g->reg_to_temp[r] = ts;
        ts->val_type = TEMP_VAL_REG;
        ts->reg = r;
        ts->mem_coherent = false;
        if (arg_sync(op, i)) {
            temp_sync(g, ts);
        }
        if (arg_dead(op, i)) {
            temp_dead(g, ts);
        }
    }
    g->locked = 0;
}

static void sync_globals(Gen *g)
{
    for (int r = 0; r < NB_HOST_REGS; r++) {
        TCGTemp *ts = g->reg_to_temp[r];

        if (ts && ts->kind == TEMP_GLOBAL) {
            temp_sync(g, ts);
        }
    }
}

/* End of a basic block: every value in a register goes to memory,
 * where the code at the branch target expects it. */
static void save_all(Gen *g)
{
    for (int r = 0; r < NB_HOST_REGS; r++) {
        TCGTemp *ts = g->reg_to_temp[r];

        /* a block-local temp (e.g. a brcond's own input) is not read
         * after the block end: storing it would be wasted */
        if (ts && !ts->bb_local) {
            temp_sync(g, ts);
        }
    }
}

/* At a label or after an unconditional exit: control may arrive from
 * elsewhere, with every live value in memory.  Only the temps in
 * registers and those with a frame slot can have another state than
 * that (reset_all_state set it at the block's start), so a label costs
 * no walk over all the block's temps. */
static void reset_state(Gen *g)
{
    for (int r = 0; r < NB_HOST_REGS; r++) {
        TCGTemp *ts = g->reg_to_temp[r];

        if (ts) {
            ts->val_type = ts->kind == TEMP_GLOBAL || ts->mem_allocated
                           ? TEMP_VAL_MEM : TEMP_VAL_DEAD;
            ts->mem_coherent = true;
            g->reg_to_temp[r] = NULL;
        }
    }
    for (int i = 0; i < g->nb_spilled; i++) {
        spilled_temps[i]->val_type = TEMP_VAL_MEM;
        spilled_temps[i]->mem_coherent = true;
    }
}

/* reset_state for every temp of the block, at its start. */
static void reset_all_state(Gen *g)
{
    TCGContext *s = g->s;

    memset(g->reg_to_temp, 0, sizeof(g->reg_to_temp));
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];

        switch (ts->kind) {
        case TEMP_GLOBAL:
            ts->val_type = TEMP_VAL_MEM;
            ts->mem_coherent = true;
            break;
        case TEMP_NORMAL:
            ts->val_type = ts->mem_allocated ? TEMP_VAL_MEM : TEMP_VAL_DEAD;
            ts->mem_coherent = true;
            break;
        case TEMP_CONST:
            ts->val_type = TEMP_VAL_CONST;
            break;
        case TEMP_ENV:
            ts->val_type = TEMP_VAL_REG;
            ts->reg = TCG_AREG0;
            break;
        }
    }
}

/* The operands of a comparison of inputs a and b: a in a register, b
 * possibly an immediate (a constant a swaps sides and the condition). */
typedef struct CmpOpnds {
    TCGType type;
    TCGCond cond;
    int a;
    Opnd b;
} CmpOpnds;

static CmpOpnds cmp_load(Gen *g, TCGType type, int a, int b, TCGCond cond)
{
    CmpOpnds c = { .type = type, .cond = cond };

    if (arg_is_const(g->op, a) && !arg_is_const(g->op, b)) {
        int t = a;

        a = b;
        b = t;
        c.cond = tcg_swap_cond(cond);
    }
    c.a = in_reg(g, a);
    c.b = in_ri(g, b, type);
    return c;
}

/* cmp; returns the x86 condition code that holds for the flags */
static int out_cmp(Gen *g, const CmpOpnds *c)
{
    if (c->b.is_const && c->b.val == 0) {
        /* test a, a sets the flags as cmp a, 0 does, one byte shorter */
        out_modrm(g, OPC_TESTL | rexw(c->type), c->a, c->a);
    } else if (c->b.is_const) {
        out_arithi(g, ARITH_CMP, c->type, c->a, c->b.val);
    } else {
        out_arith(g, ARITH_CMP, c->type, c->a, c->b.reg);
    }
    return tcg_cond_to_jcc[c->cond];
}

static void op_setcond(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    TCGCond cond = op->args[3];
    int d;

    if (cond == TCG_COND_ALWAYS || cond == TCG_COND_NEVER) {
        d = out_reg(g, 0, -1, 0);
        out_movi(g, TCG_TYPE_I32, d, cond == TCG_COND_ALWAYS);
    } else {
        CmpOpnds c = cmp_load(g, type, 1, 2, cond);
        int cc;

        d = out_reg(g, 0, can_reuse(g, 1) ? 1 : 2, 0);
        cc = out_cmp(g, &c);
        out_modrm(g, OPC_SETCC + cc, 0, d);
        out_modrm(g, OPC_MOVZBL, d, d);
    }
    op_finish(g, 1, 2, &d);
}

static void op_movcond(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    TCGCond cond = op->args[5];
    CmpOpnds c = cmp_load(g, type, 1, 2, cond);
    int v1 = in_reg(g, 3);
    int v2 = in_reg(g, 4);
    int d = out_reg(g, 0, 4, 0);

    /* every input is in place before d is written; d = v2 goes before
     * the compare, which leaves only cmov between cmp and the flags */
    out_mov(g, type, d, v2);
    if (cond == TCG_COND_ALWAYS) {
        out_mov(g, type, d, v1);
    } else if (cond != TCG_COND_NEVER) {
        out_modrm(g, (OPC_CMOVCC + out_cmp(g, &c)) | rexw(type), d, v1);
    }
    op_finish(g, 1, 4, &d);
}

static void op_brcond(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    TCGCond cond = op->args[2];
    TCGLabel *l = (TCGLabel *)(uintptr_t)op->args[3];

    if (cond == TCG_COND_NEVER) {
        save_all(g);
    } else if (cond == TCG_COND_ALWAYS) {
        save_all(g);
        out_jump_label(g, -1, l);
    } else {
        /* the block-end stores go first: only the jcc may follow cmp */
        CmpOpnds c;

        save_all(g);
        c = cmp_load(g, type, 0, 1, cond);
        out_jump_label(g, out_cmp(g, &c), l);
    }
    op_finish(g, 0, 2, NULL);
}

/*
 * "ld_i32 t, env, $ofs; brcond_i32 t, $c, cond, $L" with t dying at the
 * brcond (the exit-request check at a block's entry) as one compare of
 * the env field with the immediate and a jcc: no register, no load
 * first.  Returns whether it emitted the pair (the caller skips both).
 */
static bool op_ld_brcond(Gen *g, const TCGOp *ld, const TCGOp *br)
{
    TCGTemp *t = arg_temp(ld, 0);
    TCGTemp *c;
    TCGCond cond;

    if (ld->opc != INDEX_op_ld_i32 || br->opc != INDEX_op_brcond_i32 ||
        arg_temp(ld, 1)->kind != TEMP_ENV || t->kind != TEMP_NORMAL ||
        arg_temp(br, 0) != t || !arg_dead(br, 0)) {
        return false;
    }
    c = arg_temp(br, 1);
    cond = br->args[2];
    if (c->kind != TEMP_CONST || cond == TCG_COND_ALWAYS ||
        cond == TCG_COND_NEVER) {
        return false;
    }
    g->op = br;
    save_all(g);
    if ((int32_t)c->val == (int8_t)c->val) {
        out_modrm_offset(g, OPC_ARITH_EvIb, ARITH_CMP, TCG_AREG0, ld->args[2]);
        out8(g, c->val);
    } else {
        out_modrm_offset(g, OPC_ARITH_EvIz, ARITH_CMP, TCG_AREG0, ld->args[2]);
        out32(g, c->val);
    }
    out_jump_label(g, tcg_cond_to_jcc[cond], (TCGLabel *)(uintptr_t)br->args[3]);
    op_finish(g, 0, 2, NULL);
    return true;
}

/*
 * "shl_i32 t, x, $k; add_i32 d, y, t" (k 1 to 3, t dying at the add:
 * ARM's "add r3, lr, r3, lsl #2") as one lea d, [y + x << k]: no copy
 * of x, no shift.  Returns whether it emitted the pair.
 */
static bool op_shl_add(Gen *g, const TCGOp *shl, const TCGOp *add)
{
    TCGTemp *t = arg_temp(shl, 0);
    TCGTemp *k = arg_temp(shl, 2);
    int ty, xr, yr, d;

    if (shl->opc != INDEX_op_shl_i32 || add->opc != INDEX_op_add_i32 ||
        t->kind != TEMP_NORMAL || k->kind != TEMP_CONST ||
        k->val < 1 || k->val > 3 || arg_temp(shl, 1) == t) {
        return false;
    }
    if (arg_temp(add, 2) == t && arg_temp(add, 1) != t) {
        ty = 1;
    } else if (arg_temp(add, 1) == t && arg_temp(add, 2) != t) {
        ty = 2;
    } else {
        return false;
    }
    if (!arg_dead(add, 3 - ty) || arg_is_const(add, ty) ||
        arg_temp(add, 0) == t) {
        return false;
    }
    g->op = shl;
    xr = in_reg(g, 1);
    g->op = add;
    yr = in_reg(g, ty);
    /* x's sync and death as the shl would have done them, before d is
     * chosen (x's register stays locked until the lea); t is never in a
     * register */
    g->op = shl;
    inputs_finish(g, 1, 2);
    g->op = add;
    d = out_reg(g, 0, ty, 0);
    out_modrm_sib(g, OPC_LEA, d, yr, xr, k->val, 0);
    op_finish(g, 1, 2, &d);
    return true;
}

/* add, sub, and, or, xor (x86 group-1 codes), mul and andc: d = a op b */
enum { ARITH_MUL = 8, ARITH_ANDC = 9 };

static void op_arith(Gen *g, TCGType type, int c)
{
    int ia = 1, ib = 2;
    Opnd b;
    int a, d;

    /* a constant or a surviving value goes second, so that d can take
     * over the register of a dying first operand */
    if (c != ARITH_SUB && c != ARITH_ANDC &&
        (arg_is_const(g->op, 1) || (!can_reuse(g, 1) && can_reuse(g, 2)))) {
        ia = 2;
        ib = 1;
    }
    a = in_reg(g, ia);
    b = in_ri(g, ib, type);
    d = out_reg(g, 0, ia, 0);

    if (c == ARITH_ANDC) {
        if (b.is_const) {
            b.val = ~b.val;
        } else if (can_reuse(g, ib) && b.reg != d && b.reg != a) {
            /* b dies here: inverted in its own register, no copy */
            out_modrm(g, OPC_GRP3_Ev | rexw(type), EXT3_NOT, b.reg);
        } else {
            out_mov(g, type, TCG_TMP0, b.reg);
            out_modrm(g, OPC_GRP3_Ev | rexw(type), EXT3_NOT, TCG_TMP0);
            b.reg = TCG_TMP0;
        }
        c = ARITH_AND;
    }
    if (c == ARITH_MUL && b.is_const) {
        if (b.val == (int8_t)b.val) {
            out_modrm(g, OPC_IMUL_GvEvIb | rexw(type), d, a);
            out8(g, b.val);
        } else {
            out_modrm(g, OPC_IMUL_GvEvIz | rexw(type), d, a);
            out32(g, b.val);
        }
    } else if (c == ARITH_SUB && d != a && b.is_const &&
               fits_i32(-b.val)) {
        /* three-operand subtraction of a constant: "sub NF, r8, $1"
         * of a live r8 without copying it first */
        out_modrm_offset(g, OPC_LEA | rexw(type), d, a, -b.val);
    } else if (c == ARITH_ADD && d != a) {
        /* three-operand add */
        if (b.is_const) {
            out_modrm_offset(g, OPC_LEA | rexw(type), d, a, b.val);
        } else {
            out_modrm_sib(g, OPC_LEA | rexw(type), d, a, b.reg, 0, 0);
        }
    } else {
        /* d is a's register or a fresh one, never b's unless b is a */
        out_mov(g, type, d, a);
        if (c == ARITH_MUL) {
            out_modrm(g, OPC_IMUL_GvEv | rexw(type), d, b.reg);
        } else if (b.is_const) {
            out_arithi(g, c, type, d, b.val);
        } else {
            out_arith(g, c, type, d, b.reg);
        }
    }
    op_finish(g, 1, 2, &d);
}

/* shl, shr, sar, rotl, rotr: by an immediate or by cl */
static void op_shift(Gen *g, TCGType type, int c)
{
    const TCGOp *op = g->op;
    int bits = type == TCG_TYPE_I64 ? 64 : 32;
    int a, d;

    if (arg_is_const(op, 2)) {
        int count = arg_temp(op, 2)->val & (bits - 1);

        a = in_reg(g, 1);
        d = out_reg(g, 0, 1, 0);
        out_mov(g, type, d, a);
        if (count) {
            out_shifti(g, c, type, d, count);
        }
    } else {
        in_fixed(g, 2, R_RCX);
        a = in_reg(g, 1);
        d = out_reg(g, 0, 1, RBIT(R_RCX));
        out_mov(g, type, d, a);
        out_modrm(g, OPC_SHIFT_cl | rexw(type), c, d);
    }
    op_finish(g, 1, 2, &d);
}

/* neg, not, extensions, byte swaps, 64/32 conversions: d = f(a) */
static void op_unary(Gen *g)
{
    const TCGOp *op = g->op;
    int a = in_reg(g, 1);
    int d = out_reg(g, 0, 1, 0);

    switch (op->opc) {
    case INDEX_op_neg_i32:
    case INDEX_op_neg_i64:
    case INDEX_op_not_i32:
    case INDEX_op_not_i64: {
        TCGType type = op->opc == INDEX_op_neg_i64 ||
                       op->opc == INDEX_op_not_i64 ? TCG_TYPE_I64
                                                   : TCG_TYPE_I32;
        bool is_not = op->opc == INDEX_op_not_i32 ||
                      op->opc == INDEX_op_not_i64;

        out_mov(g, type, d, a);
        out_modrm(g, OPC_GRP3_Ev | rexw(type), is_not ? EXT3_NOT : EXT3_NEG,
                  d);
        break;
    }
    /* 32-bit forms zero-extend into the whole register */
    case INDEX_op_ext8s_i64:
        out_modrm(g, OPC_MOVSBL | P_W, d, a);
        break;
    case INDEX_op_ext8u_i64:
        out_modrm(g, OPC_MOVZBL, d, a);
        break;
    case INDEX_op_ext16s_i64:
        out_modrm(g, OPC_MOVSWL | P_W, d, a);
        break;
    case INDEX_op_ext16u_i64:
        out_modrm(g, OPC_MOVZWL, d, a);
        break;
    case INDEX_op_ext32s_i64:
        out_modrm(g, OPC_MOVSLQ, d, a);
        break;
    case INDEX_op_ext32u_i64:
        out_modrm(g, OPC_MOVL_GvEv, d, a);
        break;
    case INDEX_op_bswap64_i64:
        out_mov(g, TCG_TYPE_I64, d, a);
        out_opc(g, (OPC_BSWAP + (d & 7)) | P_W, 0, d, 0);
        break;
    case INDEX_op_ext8s_i32:
        out_modrm(g, OPC_MOVSBL, d, a);
        break;
    case INDEX_op_ext8u_i32:
        out_modrm(g, OPC_MOVZBL, d, a);
        break;
    case INDEX_op_ext16s_i32:
        out_modrm(g, OPC_MOVSWL, d, a);
        break;
    case INDEX_op_ext16u_i32:
        out_modrm(g, OPC_MOVZWL, d, a);
        break;
    case INDEX_op_bswap16_i32:
        out_modrm(g, OPC_MOVZWL, d, a);
        out_rolw8(g, d);
        break;
    case INDEX_op_bswap32_i32:
        out_mov(g, TCG_TYPE_I32, d, a);
        out_opc(g, OPC_BSWAP + (d & 7), 0, d, 0);
        break;
    case INDEX_op_ext_i32_i64:
        out_modrm(g, OPC_MOVSLQ, d, a);
        break;
    case INDEX_op_extu_i32_i64:
        if (d == a) {
            break;           /* a 32-bit value is kept zero-extended */
        }
        /* fall through */
    case INDEX_op_extrl_i64_i32:
        /* a 32-bit mov zero-extends, even onto itself */
        out_modrm(g, OPC_MOVL_GvEv, d, a);
        break;
    case INDEX_op_extrh_i64_i32:
        out_mov(g, TCG_TYPE_I64, d, a);
        out_shifti(g, SHIFT_SHR, TCG_TYPE_I64, d, 32);
        break;
    default:
        g_assert_not_reached();
    }
    op_finish(g, 1, 1, &d);
}

static void op_mov(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    TCGTemp *src = arg_temp(op, 1), *dst = arg_temp(op, 0);
    int d;

    if (src->kind == TEMP_CONST && dst->kind == TEMP_GLOBAL &&
        arg_sync(op, 0) && arg_dead(op, 0) &&
        (type == TCG_TYPE_I32 || fits_i32(src->val))) {
        /* A constant only stored to env (e.g. the PC before an exit):
         * one mov imm32 to memory, no register. */
        if (dst->val_type == TEMP_VAL_REG && g->reg_to_temp[dst->reg] == dst) {
            g->reg_to_temp[dst->reg] = NULL;
        }
        out_modrm_offset(g, OPC_MOVL_EvIz | rexw(type), 0, TCG_AREG0,
                         dst->mem_offset);
        out32(g, src->val);
        dst->val_type = TEMP_VAL_MEM;
        dst->mem_coherent = true;
        return;
    }
    if (src->kind != TEMP_CONST && dst->kind == TEMP_GLOBAL &&
        arg_sync(op, 0) && arg_dead(op, 0)) {
        /* A value only written back to env (a guest register or flag
         * at the block end, such as ZF = NF after an ARM S instruction):
         * stored from the source's register, without a copy into a
         * register of its own first. */
        int a = in_reg(g, 1);

        if (dst->val_type == TEMP_VAL_REG && g->reg_to_temp[dst->reg] == dst) {
            g->reg_to_temp[dst->reg] = NULL;
        }
        out_st(g, type, a, TCG_AREG0, dst->mem_offset);
        dst->val_type = TEMP_VAL_MEM;
        dst->mem_coherent = true;
        inputs_finish(g, 1, 1);
        g->locked = 0;
        return;
    }
    if (src->kind == TEMP_CONST) {
        d = out_reg(g, 0, -1, 0);
        out_movi(g, type, d, src->val);
    } else {
        int a = in_reg(g, 1);

        d = out_reg(g, 0, 1, 0);
        out_mov(g, type, d, a);
    }
    op_finish(g, 1, 1, &d);
}

/* d = a ? clz(a) : b, with bsr: bsr gives 31 - clz (63 - clz) and sets
 * ZF for 0, so b goes in as b ^ 31 (^ 63) and the final xor serves both
 * cases. */
static void op_clz(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    int top = type == TCG_TYPE_I64 ? 63 : 31;
    int a, d;

    if (arg_is_const(op, 2)) {
        out_movi(g, type, TCG_TMP1, arg_temp(op, 2)->val ^ top);
    } else {
        out_mov(g, type, TCG_TMP1, in_reg(g, 2));
        out_arithi(g, ARITH_XOR, type, TCG_TMP1, top);
    }
    a = in_reg(g, 1);
    d = out_reg(g, 0, 1, 0);
    out_modrm(g, OPC_BSR | rexw(type), d, a);
    out_modrm(g, (OPC_CMOVCC + JCC_JE) | rexw(type), d, TCG_TMP1);
    out_arithi(g, ARITH_XOR, type, d, top);
    op_finish(g, 1, 2, &d);
}

/* (dl, dh) = (al, ah) +/- (bl, bh) through add/adc or sub/sbb */
static void op_addsub2(Gen *g, bool is_sub)
{
    int al = in_reg(g, 2);
    int ah = in_reg(g, 3);
    Opnd bl = in_ri(g, 4, TCG_TYPE_I32);
    Opnd bh = in_ri(g, 5, TCG_TYPE_I32);
    /* fresh registers: al..bh are all still needed while dl, dh fill */
    int d[2] = { alloc_reg(g, 0), alloc_reg(g, 0) };

    out_mov(g, TCG_TYPE_I32, d[0], al);
    out_mov(g, TCG_TYPE_I32, d[1], ah);
    if (bl.is_const) {
        out_arithi(g, is_sub ? ARITH_SUB : ARITH_ADD, TCG_TYPE_I32, d[0],
                   bl.val);
    } else {
        out_arith(g, is_sub ? ARITH_SUB : ARITH_ADD, TCG_TYPE_I32, d[0],
                  bl.reg);
    }
    if (bh.is_const) {
        out_arithi(g, is_sub ? ARITH_SBB : ARITH_ADC, TCG_TYPE_I32, d[1],
                   bh.val);
    } else {
        out_arith(g, is_sub ? ARITH_SBB : ARITH_ADC, TCG_TYPE_I32, d[1],
                  bh.reg);
    }
    op_finish(g, 2, 4, d);
}

/* (dl, dh) = a * b in edx:eax (rdx:rax), by the one-operand mul or imul */
static void op_mul2(Gen *g, TCGType type, bool is_signed)
{
    int d[2] = { R_RAX, R_RDX };
    int b;

    reg_evict(g, R_RDX, ~RBIT(R_RDX));
    g->locked |= RBIT(R_RDX);
    in_fixed(g, 2, R_RAX);
    b = in_reg(g, 3);
    out_modrm(g, OPC_GRP3_Ev | rexw(type), is_signed ? EXT3_IMUL : EXT3_MUL,
              b);
    op_finish(g, 2, 2, d);
}

/* loads and stores of host memory: ld*(ptr + offset), st*(ptr + offset) */
static void op_ldst(Gen *g)
{
    const TCGOp *op = g->op;
    TCGOpcode opc = op->opc;
    intptr_t ofs = op->args[2];
    bool is_st = opc == INDEX_op_st8_i32 || opc == INDEX_op_st16_i32 ||
                 opc == INDEX_op_st_i32 || opc == INDEX_op_st_i64;
    int base = in_reg(g, 1);

    if (!fits_i32(ofs)) {
        out_movi(g, TCG_TYPE_I64, TCG_TMP0, ofs);
        out_arith(g, ARITH_ADD, TCG_TYPE_I64, TCG_TMP0, base);
        base = TCG_TMP0;
        ofs = 0;
    }
    if (is_st) {
        static const int st_opc[] = {
            [MO_8] = OPC_MOVB_EvGv | P_BYTE_R, [MO_16] = OPC_MOVL_EvGv | P_16,
            [MO_32] = OPC_MOVL_EvGv, [MO_64] = OPC_MOVL_EvGv | P_W,
        };
        static const int sti_opc[] = {
            [MO_8] = OPC_MOVB_EvIb, [MO_16] = OPC_MOVL_EvIz | P_16,
            [MO_32] = OPC_MOVL_EvIz, [MO_64] = OPC_MOVL_EvIz | P_W,
        };
        MemOp size = opc == INDEX_op_st8_i32 ? MO_8 :
                     opc == INDEX_op_st16_i32 ? MO_16 :
                     opc == INDEX_op_st_i32 ? MO_32 : MO_64;
        Opnd v = in_ri(g, 0, size == MO_64 ? TCG_TYPE_I64 : TCG_TYPE_I32);

        if (v.is_const) {
            out_modrm_offset(g, sti_opc[size], 0, base, ofs);
            if (size == MO_8) {
                out8(g, v.val);
            } else if (size == MO_16) {
                out16(g, v.val);
            } else {
                out32(g, v.val);
            }
        } else {
            out_modrm_offset(g, st_opc[size], v.reg, base, ofs);
        }
        op_finish(g, 0, 2, NULL);
    } else {
        int d = out_reg(g, 0, 1, 0);
        int lopc;

        switch (opc) {
        case INDEX_op_ld8u_i32: lopc = OPC_MOVZBL & ~P_BYTE_RM; break;
        case INDEX_op_ld8s_i32: lopc = OPC_MOVSBL & ~P_BYTE_RM; break;
        case INDEX_op_ld16u_i32: lopc = OPC_MOVZWL; break;
        case INDEX_op_ld16s_i32: lopc = OPC_MOVSWL; break;
        case INDEX_op_ld_i32: lopc = OPC_MOVL_GvEv; break;
        default: lopc = OPC_MOVL_GvEv | P_W; break;
        }
        out_modrm_offset(g, lopc, d, base, ofs);
        op_finish(g, 1, 1, &d);
    }
}

/*
 * Helper calls.  args: outputs, inputs, then the TCGHelperInfo pointer.
 * Values that must survive in caller-saved registers move to free
 * callee-saved ones or to memory; the arguments go to rdi, rsi, rdx,
 * rcx, r8, r9 (those already in argument registers through the stack,
 * which resolves any permutation); globals are synced before a helper
 * that may read or write them and reloaded after one that may write.
 */
static void op_call(Gen *g)
{
    const TCGOp *op = g->op;
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    const TCGHelperInfo *info =
        (const TCGHelperInfo *)(uintptr_t)op->args[nb_o + nb_i];
    uint32_t arg_regs = 0;
    int src[6];
    int d = R_RAX;

    g_assert(nb_i <= 6);
    for (int i = 0; i < nb_i; i++) {
        arg_regs |= RBIT(call_arg_regs[i]);
        if (arg_sync(op, nb_o + i)) {
            temp_sync(g, arg_temp(op, nb_o + i));
        }
    }
    /* survivors leave the caller-saved registers */
    for (int r = 0; r < NB_HOST_REGS; r++) {
        TCGTemp *ts = g->reg_to_temp[r];
        bool dies = false;

        if (!ts || !(CALLER_SAVED_REGS & RBIT(r))) {
            continue;
        }
        for (int i = nb_o; i < nb_o + nb_i; i++) {
            if (arg_temp(op, i) == ts && arg_dead(op, i)) {
                dies = true;
            }
        }
        if (ts->kind == TEMP_GLOBAL) {
            temp_sync(g, ts);
        }
        if (!dies) {
            reg_evict(g, r, CALLEE_SAVED_ALLOC);
        }
    }
    if ((info->flags & TCG_CALL_NO_RWG) != TCG_CALL_NO_RWG) {
        sync_globals(g);
    }

    /* arguments */
    for (int i = 0; i < nb_i; i++) {
        TCGTemp *ts = arg_temp(op, nb_o + i);

        src[i] = ts->kind == TEMP_ENV ? TCG_AREG0 :
                 ts->kind != TEMP_CONST && ts->val_type == TEMP_VAL_REG ?
                 ts->reg : -1;
    }
    for (int i = 0; i < nb_i; i++) {
        if (src[i] >= 0 && (arg_regs & RBIT(src[i])) &&
            src[i] != call_arg_regs[i]) {
            out_push(g, src[i]);
        }
    }
    for (int i = nb_i - 1; i >= 0; i--) {
        if (src[i] >= 0 && (arg_regs & RBIT(src[i])) &&
            src[i] != call_arg_regs[i]) {
            out_pop(g, call_arg_regs[i]);
        }
    }
    for (int i = 0; i < nb_i; i++) {
        TCGTemp *ts = arg_temp(op, nb_o + i);

        if (src[i] < 0) {
            temp_copy_to(g, ts, call_arg_regs[i]);
        } else if (!(arg_regs & RBIT(src[i]))) {
            out_mov(g, TCG_TYPE_I64, call_arg_regs[i], src[i]);
        }
    }

    /* what is left in caller-saved registers dies here */
    for (int i = nb_o; i < nb_o + nb_i; i++) {
        if (arg_dead(op, i)) {
            temp_dead(g, arg_temp(op, i));
        }
    }
    for (int r = 0; r < NB_HOST_REGS; r++) {
        g_assert(!g->reg_to_temp[r] || !(CALLER_SAVED_REGS & RBIT(r)));
    }

    out_branch_abs(g, true, info->func);

    if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        for (int r = 0; r < NB_HOST_REGS; r++) {
            TCGTemp *ts = g->reg_to_temp[r];

            if (ts && ts->kind == TEMP_GLOBAL) {
                g->reg_to_temp[r] = NULL;
                ts->val_type = TEMP_VAL_MEM;
            }
        }
    }
    if (nb_o) {
        if (info->ret_type == TCG_TYPE_I32) {
            /* keep 32-bit values zero-extended in registers */
            out_modrm(g, OPC_MOVL_GvEv, R_RAX, R_RAX);
        }
        /* the inputs are dealt with above: only the output is left */
        op_finish(g, 1, 0, &d);
    }
    g->locked = 0;
}

/* ---- guest memory through the softmmu TLB ---- */

#define TLB_ENTRY_BITS 5
G_STATIC_ASSERT(sizeof(CPUTLBEntry) == 1 << TLB_ENTRY_BITS);

/*
 * The fast path: index the TLB with the page number, compare the tag
 * with the page of the address (of its last byte when the access may
 * cross a page, with the low bits when it must be aligned or may need
 * rotating (MO_ALIGN, MO_ROTATE): any flag in
 * the tag or a misaligned address mismatches), jne to the slow path,
 * then host address = addend + address.  Leaves the addend in TMP0.
 */
static uint8_t *out_tlb_lookup_span(Gen *g, int addr, TCGType atype,
                                    unsigned mmu_idx, bool is_ld,
                                    unsigned s_mask, unsigned a_mask)
{
    intptr_t entry = g->s->tlb_offset + offsetof(CPUTLB, table) +
                     mmu_idx * sizeof(CPUTLBEntry) * TLB_SIZE;
    uint8_t *miss;

    if (have_bmi2) {
        /* the index bits rotated into place in one instruction: the bits
         * rotated in at the top fall outside the mask below */
        out_rorx32(g, TCG_TMP0, addr, TARGET_PAGE_BITS - TLB_ENTRY_BITS);
    } else {
        out_modrm(g, OPC_MOVL_GvEv, TCG_TMP0, addr);
        out_shifti(g, SHIFT_SHR, TCG_TYPE_I32, TCG_TMP0,
                   TARGET_PAGE_BITS - TLB_ENTRY_BITS);
    }
    out_arithi(g, ARITH_AND, TCG_TYPE_I32, TCG_TMP0,
               (TLB_SIZE - 1) << TLB_ENTRY_BITS);
    if (s_mask > a_mask) {
        /* an lea of the address's width: wraps like the guest address */
        out_modrm_offset(g, OPC_LEA | rexw(atype), TCG_TMP1, addr,
                         s_mask - a_mask);
    } else {
        out_mov(g, atype, TCG_TMP1, addr);
    }
    if (atype == TCG_TYPE_I64) {
        /* the mask as a sign-extended imm32 keeps the high 32 bits */
        out_arithi(g, ARITH_AND, TCG_TYPE_I64, TCG_TMP1,
                   (int64_t)(TARGET_PAGE_MASK | a_mask));
    } else {
        out_arithi(g, ARITH_AND, TCG_TYPE_I32, TCG_TMP1,
                   (uint32_t)TARGET_PAGE_MASK | a_mask);
    }
    out_modrm_sib(g, (OPC_ARITH_GvEv | ARITH_CMP << 3) | P_W, TCG_TMP1,
                  TCG_AREG0, TCG_TMP0, 0,
                  entry + (is_ld ? offsetof(CPUTLBEntry, addr_read)
                                 : offsetof(CPUTLBEntry, addr_write)));
    out_opc(g, OPC_JCC_long + JCC_JNE, 0, 0, 0);
    miss = g->p;
    out32(g, 0);
    out_modrm_sib(g, OPC_MOVL_GvEv | P_W, TCG_TMP0, TCG_AREG0, TCG_TMP0, 0,
                  entry + offsetof(CPUTLBEntry, addend));
    return miss;
}

/* The lookup of one access of the size and alignment oi gives. */
static uint8_t *out_tlb_lookup(Gen *g, int addr, TCGType atype, MemOpIdx oi,
                               bool is_ld)
{
    MemOp mop = get_memop(oi);
    unsigned s_mask = (1u << (mop & MO_SIZE)) - 1;
    /* A misaligned MO_ROTATE load takes the slow path too, which
     * rotates. */
    unsigned a_mask = (mop & (MO_ALIGN | MO_ROTATE)) ? s_mask : 0;

    return out_tlb_lookup_span(g, addr, atype, get_mmuidx(oi), is_ld,
                               s_mask, a_mask);
}

/*
 * tlb_range_ptr: the host address of the bytes [addr, addr + size) when
 * they lie in one page that the TLB maps as plain RAM for this access
 * (any flag in the tag, a miss or a page crossing mismatches), else 0.
 * No slow path: the front end branches to its per-access code on 0,
 * whose misses fill the TLB.  (ARM's LDM and STM: one lookup for up to
 * 16 words.)
 */
static void op_tlb_range_ptr(Gen *g)
{
    const TCGOp *op = g->op;
    unsigned size = op->args[2];
    unsigned flags = op->args[3];
    int addr = in_reg(g, 1);
    int d = out_reg(g, 0, -1, 0);
    uint8_t *miss = out_tlb_lookup_span(g, addr, arg_temp(op, 1)->type,
                                        flags & TLB_RANGE_MMU_IDX,
                                        !(flags & TLB_RANGE_STORE),
                                        size - 1, 0);
    uint8_t *done;

    /* hit: d = addend + address (a 32-bit address is zero-extended) */
    out_modrm_sib(g, OPC_LEA | P_W, d, TCG_TMP0, addr, 0, 0);
    out8(g, OPC_JMP_short);
    done = g->p;
    out8(g, 0);
    patch32(miss, (intptr_t)g->p - (intptr_t)(miss + 4));
    out_movi(g, TCG_TYPE_I64, d, 0);
    *done = g->p - (done + 1);
    op_finish(g, 1, 1, &d);
}

/* Caller-saved registers holding values, which a slow path preserves. */
static uint32_t live_caller_saved(Gen *g, int except)
{
    uint32_t m = 0;

    for (int r = 0; r < NB_HOST_REGS; r++) {
        if (g->reg_to_temp[r] && r != except &&
            (CALLER_SAVED_REGS & RBIT(r))) {
            m |= RBIT(r);
        }
    }
    return m;
}

static void op_qemu_ld(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    MemOpIdx oi = op->args[2];
    MemOp mop = get_memop(oi);
    LdstStub stub = { .is_ld = true, .oi = oi, .type = type };
    int addr, d;

    sync_globals(g);             /* the slow path may raise */
    addr = in_reg(g, 1);
    d = out_reg(g, 0, 1, 0);
    stub.miss_jump = out_tlb_lookup(g, addr, arg_temp(op, 1)->type, oi, true);

    switch (mop & MO_SIZE) {
    case MO_8:
        out_modrm_sib(g, ((mop & MO_SIGN) ? OPC_MOVSBL | rexw(type)
                                          : OPC_MOVZBL) & ~P_BYTE_RM,
                      d, TCG_TMP0, addr, 0, 0);
        break;
    case MO_16:
        if (mop & MO_BSWAP) {
            out_modrm_sib(g, OPC_MOVZWL, d, TCG_TMP0, addr, 0, 0);
            out_rolw8(g, d);
            if (mop & MO_SIGN) {
                out_modrm(g, OPC_MOVSWL | rexw(type), d, d);
            }
        } else {
            out_modrm_sib(g, (mop & MO_SIGN) ? OPC_MOVSWL | rexw(type)
                                             : OPC_MOVZWL,
                          d, TCG_TMP0, addr, 0, 0);
        }
        break;
    case MO_32:
        if ((mop & MO_SIGN) && type == TCG_TYPE_I64 && !(mop & MO_BSWAP)) {
            out_modrm_sib(g, OPC_MOVSLQ, d, TCG_TMP0, addr, 0, 0);
            break;
        }
        out_modrm_sib(g, OPC_MOVL_GvEv, d, TCG_TMP0, addr, 0, 0);
        if (mop & MO_BSWAP) {
            out_opc(g, OPC_BSWAP + (d & 7), 0, d, 0);
            if ((mop & MO_SIGN) && type == TCG_TYPE_I64) {
                out_modrm(g, OPC_MOVSLQ, d, d);
            }
        }
        break;
    default:
        out_modrm_sib(g, OPC_MOVL_GvEv | P_W, d, TCG_TMP0, addr, 0, 0);
        if (mop & MO_BSWAP) {
            out_opc(g, (OPC_BSWAP + (d & 7)) | P_W, 0, d, 0);
        }
        break;
    }
    stub.return_point = g->p;
    stub.data_reg = d;
    stub.addr_reg = addr;
    stub.saved_regs = live_caller_saved(g, d);
    g_array_append_val(g->stubs, stub);
    op_finish(g, 1, 1, &d);
}

static void op_qemu_st(Gen *g, TCGType type)
{
    const TCGOp *op = g->op;
    MemOpIdx oi = op->args[2];
    MemOp mop = get_memop(oi);
    LdstStub stub = { .is_ld = false, .oi = oi, .type = type };
    int val, addr, src;

    sync_globals(g);
    val = in_reg(g, 0);
    addr = in_reg(g, 1);
    stub.miss_jump = out_tlb_lookup(g, addr, arg_temp(op, 1)->type, oi,
                                    false);

    src = val;
    if ((mop & MO_BSWAP) && (mop & MO_SIZE) != MO_8) {
        src = TCG_TMP1;
        out_mov(g, TCG_TYPE_I64, src, val);
        if ((mop & MO_SIZE) == MO_16) {
            out_rolw8(g, src);
        } else {
            out_opc(g, (OPC_BSWAP + (src & 7)) |
                    ((mop & MO_SIZE) == MO_64 ? P_W : 0), 0, src, 0);
        }
    }
    switch (mop & MO_SIZE) {
    case MO_8:
        out_modrm_sib(g, OPC_MOVB_EvGv | P_BYTE_R, src, TCG_TMP0, addr, 0, 0);
        break;
    case MO_16:
        out_modrm_sib(g, OPC_MOVL_EvGv | P_16, src, TCG_TMP0, addr, 0, 0);
        break;
    case MO_32:
        out_modrm_sib(g, OPC_MOVL_EvGv, src, TCG_TMP0, addr, 0, 0);
        break;
    default:
        out_modrm_sib(g, OPC_MOVL_EvGv | P_W, src, TCG_TMP0, addr, 0, 0);
        break;
    }
    stub.return_point = g->p;
    stub.data_reg = val;
    stub.addr_reg = addr;
    stub.saved_regs = live_caller_saved(g, -1);
    g_array_append_val(g->stubs, stub);
    op_finish(g, 0, 2, NULL);
}

/*
 * A miss: helper_ld_mmu(env, addr, oi, retaddr) or
 * helper_st_mmu(env, addr, val, oi, retaddr), with the live caller-saved
 * registers pushed around the call.  retaddr is the fast path's return
 * point, inside the host code of the current guest instruction, so a
 * fault restores the state of that instruction.
 */
static void out_ldst_stub(Gen *g, const LdstStub *st)
{
    int nb_saved = __builtin_popcount(st->saved_regs);

    patch32(st->miss_jump, (intptr_t)g->p - (intptr_t)(st->miss_jump + 4));
    for (int r = 0; r < NB_HOST_REGS; r++) {
        if (st->saved_regs & RBIT(r)) {
            out_push(g, r);
        }
    }
    if (nb_saved & 1) {
        out_arithi(g, ARITH_SUB, TCG_TYPE_I64, R_RSP, 8);
    }
    /* through the scratch registers: the sources may be argument regs */
    out_mov(g, TCG_TYPE_I64, TCG_TMP0, st->addr_reg);
    if (!st->is_ld) {
        out_mov(g, TCG_TYPE_I64, TCG_TMP1, st->data_reg);
    }
    out_mov(g, TCG_TYPE_I64, R_RDI, TCG_AREG0);
    out_mov(g, TCG_TYPE_I64, R_RSI, TCG_TMP0);
    if (st->is_ld) {
        out_movi(g, TCG_TYPE_I32, R_RDX, st->oi);
        out_lea_rip(g, R_RCX, st->return_point);
        out_branch_abs(g, true, (const void *)helper_ld_mmu);
        out_mov(g, TCG_TYPE_I64, TCG_TMP0, R_RAX);
    } else {
        out_mov(g, TCG_TYPE_I64, R_RDX, TCG_TMP1);
        out_movi(g, TCG_TYPE_I32, R_RCX, st->oi);
        out_lea_rip(g, R_R8, st->return_point);
        out_branch_abs(g, true, (const void *)helper_st_mmu);
    }
    if (nb_saved & 1) {
        out_arithi(g, ARITH_ADD, TCG_TYPE_I64, R_RSP, 8);
    }
    for (int r = NB_HOST_REGS - 1; r >= 0; r--) {
        if (st->saved_regs & RBIT(r)) {
            out_pop(g, r);
        }
    }
    if (st->is_ld) {
        out_ext_memop(g, st->type, st->data_reg, TCG_TMP0, get_memop(st->oi));
    }
    out8(g, OPC_JMP_long);
    out32(g, (intptr_t)st->return_point - (intptr_t)(g->p + 4));
}

/* ---- block exits ---- */

/*
 * n bytes (0 to 3) of padding as one instruction, as the manuals recommend
 * (every executed padding byte as its own nop costs a decode slot each):
 * nop, xchg %ax,%ax, nopl (%rax).
 */
static void out_nops(Gen *g, int n)
{
    switch (n) {
    case 3:
        out8(g, 0x0f);
        out8(g, 0x1f);
        out8(g, 0x00);
        break;
    case 2:
        out8(g, 0x66);
        /* fall through */
    case 1:
        out8(g, OPC_NOP);
        break;
    }
}

/*
 * goto_tb n: a jmp rel32 whose displacement lies within one aligned
 * 8-byte word, so that tcg_target_set_jmp_target can patch it with one
 * atomic store of that word while another thread may run it (x86 keeps
 * such a store whole: AMD for accesses within a naturally aligned
 * quadword, Intel within a cache line).  That needs padding before the
 * jmp for 3 of the 8 positions, where 4-byte alignment needed it for 3
 * of 4; and a goto_tb right after a label has it put before the label
 * (gen_op), where nothing runs it.  The jmp starts out jumping to the
 * next instruction, the unchained path (normally exit_tb(tb | n)).
 * tb->jmp_insn_offset[n] is the offset of the rel32 field (not of the
 * jmp opcode); tb->jmp_reset_offset[n] that of the unchained path.
 */
static int goto_tb_padding(const uint8_t *p)
{
    unsigned field = ((uintptr_t)p + 1) & 7;

    return field <= 4 ? 0 : 8 - field;
}

static void op_goto_tb(Gen *g, int n)
{
    uint8_t *start = g->s->code_buf;

    sync_globals(g);
    out_nops(g, goto_tb_padding(g->p));
    out8(g, OPC_JMP_long);
    g->tb->jmp_insn_offset[n] = g->p - start;
    out32(g, 0);
    g->tb->jmp_reset_offset[n] = g->p - start;
    g->locked = 0;
}

void tcg_target_set_jmp_target(TranslationBlock *tb, int n, uintptr_t addr)
{
    uint8_t *field = (uint8_t *)tb->tc_ptr + tb->jmp_insn_offset[n];
    intptr_t disp = addr - (uintptr_t)(field + 4);
    uint64_t *word = (uint64_t *)((uintptr_t)field & ~(uintptr_t)7);
    unsigned shift = ((uintptr_t)field & 7) * 8;
    uint64_t old, new;

    g_assert(fits_i32(disp));
    g_assert(shift <= 32);
    /* The word's other bytes are code that does not change (no other
     * rel32 field fits in the same word). */
    old = __atomic_load_n(word, __ATOMIC_RELAXED);
    new = (old & ~((uint64_t)UINT32_MAX << shift)) |
          (uint64_t)(uint32_t)disp << shift;
    __atomic_store_n(word, new, __ATOMIC_RELAXED);
}

static void op_exit_tb(Gen *g, uint64_t val)
{
    sync_globals(g);
    out_movi(g, TCG_TYPE_I64, R_RAX, val);
    out_branch_abs(g, false, tb_ret_addr);
}

static void op_goto_ptr(Gen *g)
{
    int r = in_reg(g, 0);

    sync_globals(g);
    out_modrm(g, OPC_GRP5, EXT5_JMP, r);
    op_finish(g, 0, 1, NULL);
}

/* ---- the driver ---- */

/* Room every op (and every slow path) is sure to fit in. */
#define OP_MAX_BYTES 1024

static void gen_op(Gen *g, TCGOp *op)
{
    TCGContext *s = g->s;
    TCGType t32 = TCG_TYPE_I32, t64 = TCG_TYPE_I64;

    g->op = op;
    switch (op->opc) {
    case INDEX_op_discard: {
        TCGTemp *ts = arg_temp(op, 0);

        if (ts->val_type == TEMP_VAL_REG && g->reg_to_temp[ts->reg] == ts) {
            g->reg_to_temp[ts->reg] = NULL;
        }
        if (ts->kind == TEMP_NORMAL || ts->kind == TEMP_GLOBAL) {
            ts->val_type = ts->kind == TEMP_GLOBAL ? TEMP_VAL_MEM
                                                   : TEMP_VAL_DEAD;
        }
        break;
    }
    case INDEX_op_set_label:
        save_all(g);
        if (op + 1 < s->ops.op + s->ops.len &&
            op[1].opc == INDEX_op_goto_tb) {
            /* the goto_tb's padding where no path runs it (a label
             * follows an exit or a jump) */
            out_nops(g, goto_tb_padding(g->p));
        }
        bind_label(g, (TCGLabel *)(uintptr_t)op->args[0]);
        reset_state(g);
        break;
    case INDEX_op_br:
        save_all(g);
        out_jump_label(g, -1, (TCGLabel *)(uintptr_t)op->args[0]);
        reset_state(g);
        break;
    case INDEX_op_call:
        op_call(g);
        break;
    case INDEX_op_insn_start:
        g_assert(s->nb_insns < TCG_MAX_INSNS);
        if (s->nb_insns > 0) {
            s->insn_end_offsets[s->nb_insns - 1] = g->p - s->code_buf;
        }
        s->insn_data[s->nb_insns][0] = op->args[0];
        s->insn_data[s->nb_insns][1] = op->args[1];
        s->nb_insns++;
        break;
    case INDEX_op_exit_tb:
        op_exit_tb(g, op->args[0]);
        break;
    case INDEX_op_goto_tb:
        op_goto_tb(g, op->args[0]);
        break;
    case INDEX_op_goto_ptr:
        op_goto_ptr(g);
        break;
    case INDEX_op_mb:
        /* x86 is TSO: only a store followed by a load can be reordered;
         * the IR's barrier kinds are not distinguished, so every mb is
         * a full mfence (they are rare on ARMv5). */
        out8(g, 0x0f);
        out8(g, 0xae);
        out8(g, 0xf0);
        break;

    case INDEX_op_mov_i32: op_mov(g, t32); break;
    case INDEX_op_mov_i64: op_mov(g, t64); break;
    case INDEX_op_setcond_i32: op_setcond(g, t32); break;
    case INDEX_op_setcond_i64: op_setcond(g, t64); break;
    case INDEX_op_movcond_i32: op_movcond(g, t32); break;
    case INDEX_op_movcond_i64: op_movcond(g, t64); break;
    case INDEX_op_brcond_i32: op_brcond(g, t32); break;
    case INDEX_op_brcond_i64: op_brcond(g, t64); break;

    case INDEX_op_ld8u_i32: case INDEX_op_ld8s_i32:
    case INDEX_op_ld16u_i32: case INDEX_op_ld16s_i32:
    case INDEX_op_ld_i32: case INDEX_op_ld_i64:
    case INDEX_op_st8_i32: case INDEX_op_st16_i32:
    case INDEX_op_st_i32: case INDEX_op_st_i64:
        op_ldst(g);
        break;

    case INDEX_op_add_i32: op_arith(g, t32, ARITH_ADD); break;
    case INDEX_op_sub_i32: op_arith(g, t32, ARITH_SUB); break;
    case INDEX_op_mul_i32: op_arith(g, t32, ARITH_MUL); break;
    case INDEX_op_and_i32: op_arith(g, t32, ARITH_AND); break;
    case INDEX_op_or_i32: op_arith(g, t32, ARITH_OR); break;
    case INDEX_op_xor_i32: op_arith(g, t32, ARITH_XOR); break;
    case INDEX_op_andc_i32: op_arith(g, t32, ARITH_ANDC); break;
    case INDEX_op_add_i64: op_arith(g, t64, ARITH_ADD); break;
    case INDEX_op_sub_i64: op_arith(g, t64, ARITH_SUB); break;
    case INDEX_op_mul_i64: op_arith(g, t64, ARITH_MUL); break;
    case INDEX_op_and_i64: op_arith(g, t64, ARITH_AND); break;
    case INDEX_op_or_i64: op_arith(g, t64, ARITH_OR); break;
    case INDEX_op_xor_i64: op_arith(g, t64, ARITH_XOR); break;
    case INDEX_op_andc_i64: op_arith(g, t64, ARITH_ANDC); break;

    case INDEX_op_shl_i32: op_shift(g, t32, SHIFT_SHL); break;
    case INDEX_op_shr_i32: op_shift(g, t32, SHIFT_SHR); break;
    case INDEX_op_sar_i32: op_shift(g, t32, SHIFT_SAR); break;
    case INDEX_op_rotl_i32: op_shift(g, t32, SHIFT_ROL); break;
    case INDEX_op_rotr_i32: op_shift(g, t32, SHIFT_ROR); break;
    case INDEX_op_shl_i64: op_shift(g, t64, SHIFT_SHL); break;
    case INDEX_op_shr_i64: op_shift(g, t64, SHIFT_SHR); break;
    case INDEX_op_sar_i64: op_shift(g, t64, SHIFT_SAR); break;
    case INDEX_op_rotl_i64: op_shift(g, t64, SHIFT_ROL); break;
    case INDEX_op_rotr_i64: op_shift(g, t64, SHIFT_ROR); break;

    case INDEX_op_neg_i32: case INDEX_op_not_i32:
    case INDEX_op_ext8s_i32: case INDEX_op_ext8u_i32:
    case INDEX_op_ext16s_i32: case INDEX_op_ext16u_i32:
    case INDEX_op_bswap16_i32: case INDEX_op_bswap32_i32:
    case INDEX_op_neg_i64: case INDEX_op_ext_i32_i64:
    case INDEX_op_extu_i32_i64: case INDEX_op_extrl_i64_i32:
    case INDEX_op_extrh_i64_i32: case INDEX_op_not_i64:
    case INDEX_op_ext8s_i64: case INDEX_op_ext8u_i64:
    case INDEX_op_ext16s_i64: case INDEX_op_ext16u_i64:
    case INDEX_op_ext32s_i64: case INDEX_op_ext32u_i64:
    case INDEX_op_bswap64_i64:
        op_unary(g);
        break;

    case INDEX_op_clz_i32: op_clz(g, t32); break;
    case INDEX_op_clz_i64: op_clz(g, t64); break;
    case INDEX_op_add2_i32: op_addsub2(g, false); break;
    case INDEX_op_sub2_i32: op_addsub2(g, true); break;
    case INDEX_op_mulu2_i32: op_mul2(g, t32, false); break;
    case INDEX_op_muls2_i32: op_mul2(g, t32, true); break;
    case INDEX_op_mulu2_i64: op_mul2(g, t64, false); break;
    case INDEX_op_muls2_i64: op_mul2(g, t64, true); break;

    case INDEX_op_qemu_ld_i32: op_qemu_ld(g, t32); break;
    case INDEX_op_qemu_ld_i64: op_qemu_ld(g, t64); break;
    case INDEX_op_qemu_st_i32: op_qemu_st(g, t32); break;
    case INDEX_op_qemu_st_i64: op_qemu_st(g, t64); break;
    case INDEX_op_tlb_range_ptr: op_tlb_range_ptr(g); break;

    case NB_OPS:
        g_assert_not_reached();
    }
    if (tcg_op_defs[op->opc].flags & TCG_OPF_BB_EXIT &&
        op->opc != INDEX_op_goto_tb) {
        /* what follows is reached only through a label */
        reset_state(g);
    }
}

/*
 * Code goes at s->code_ptr, which must be the start of the block
 * (s->code_buf, tb->tc_ptr): insn_end_offsets and the jump offsets are
 * relative to s->code_buf.  On success s->code_ptr ends up after the
 * block's code and slow paths.
 */
int tcg_target_gen_code(TCGContext *s, TranslationBlock *tb)
{
    Gen gen = { .s = s, .tb = tb, .p = s->code_ptr };
    Gen *g = &gen;
    int ret = -1;

    s->frame_start = 0;
    s->frame_end = TCG_FRAME_SLOTS * 8;
    s->current_frame_offset = s->frame_start;
    s->nb_insns = 0;
    for (int i = 0; i < s->nb_temps; i++) {
        s->temps[i].mem_allocated = s->temps[i].kind == TEMP_GLOBAL;
    }
    reset_all_state(g);
    for (guint i = 0; s->labels && i < s->labels->len; i++) {
        TCGLabel *l = g_ptr_array_index(s->labels, i);

        l->has_value = false;
        if (l->relocs) {
            g_array_set_size(l->relocs, 0);
        }
    }
    g->stubs = g_array_new(FALSE, FALSE, sizeof(LdstStub));

    for (guint i = 0; i < s->ops.len; i++) {
        if (s->code_end - g->p < OP_MAX_BYTES) {
            goto out;
        }
        TCGOpcode opc = s->ops.op[i].opc;

        /* pairs of ops emitted as one host instruction */
        if ((opc == INDEX_op_ld_i32 || opc == INDEX_op_shl_i32) &&
            i + 1 < s->ops.len &&
            (op_ld_brcond(g, &s->ops.op[i], &s->ops.op[i + 1]) ||
             op_shl_add(g, &s->ops.op[i], &s->ops.op[i + 1]))) {
            i++;
            continue;
        }
        gen_op(g, &s->ops.op[i]);
    }
    for (guint i = 0; i < g->stubs->len; i++) {
        if (s->code_end - g->p < OP_MAX_BYTES) {
            goto out;
        }
        out_ldst_stub(g, &g_array_index(g->stubs, LdstStub, i));
    }
    if (g->p - s->code_buf > UINT16_MAX) {
        goto out;                /* offsets into a TB are 16-bit */
    }
    if (s->nb_insns > 0) {
        s->insn_end_offsets[s->nb_insns - 1] = g->p - s->code_buf;
    }
    ret = g->p - s->code_ptr;
    s->code_ptr = g->p;
out:
    g_array_free(g->stubs, TRUE);
    return ret;
}
