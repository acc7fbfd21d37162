/*
 * Unit tests for the x86-64 back end of the translator: IR built by
 * hand (with a small liveness pass of its own), compiled by
 * tcg_target_gen_code, run through the prologue on a fake CPU whose
 * TLB sits right before env, and checked against C.  Every block is
 * also disassembled with Capstone, which must decode all of it.
 *
 * The test links the back end alone: it provides the opcode table and
 * fake softmmu slow paths (helper_ld_mmu/helper_st_mmu) that record
 * their arguments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/mman.h>
#include "accel/tcg/tcg-backend.h"
#include "disas/disas.h"

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define TEST_OP_DEF(name, o, i, c, f) { #name, o, i, c, f },
    TCG_OPCODES(TEST_OP_DEF)
#undef TEST_OP_DEF
};

/* ---- the fake CPU ---- */

typedef struct TestEnv {
    uint32_t r[16];              /* i32 globals R0..R15 */
    uint64_t q[4];               /* i64 globals Q0..Q3 */
    uint64_t mem[8];             /* for host loads and stores */
} TestEnv;

typedef struct TestCPU {
    CPUTLB tlb;
    TestEnv env;
} TestCPU;

static TestCPU cpu;
#define ENV (&cpu.env)

/* ---- fake slow paths ---- */

static struct {
    int calls;
    uint64_t addr, val;
    uint32_t r5;                 /* R5 when called: globals synced? */
    MemOpIdx oi;
    uintptr_t retaddr;
} ld_log, st_log;

/* Garbage above the access size: the back end must extend. */
#define MMIO_PATTERN 0xa1b2c3d4e5f60718ULL

uint64_t helper_ld_mmu(void *env, uint64_t addr, MemOpIdx oi,
                       uintptr_t retaddr)
{
    g_assert(env == ENV);
    ld_log.calls++;
    ld_log.addr = addr;
    ld_log.oi = oi;
    ld_log.retaddr = retaddr;
    ld_log.r5 = ((TestEnv *)env)->r[5];
    return MMIO_PATTERN ^ addr;
}

void helper_st_mmu(void *env, uint64_t addr, uint64_t val, MemOpIdx oi,
                   uintptr_t retaddr)
{
    g_assert(env == ENV);
    st_log.calls++;
    st_log.addr = addr;
    st_log.val = val;
    st_log.oi = oi;
    st_log.retaddr = retaddr;
}

/* ---- building IR by hand ---- */

#define A(t) ((TCGArg)(uintptr_t)(t))
#define CODE_SIZE (16 * 1024 * 1024)

static uint8_t *code_gen_buffer;
static uint8_t *code_cur;
static TCGTemp *R[16], *Q[4];
/* Sets sync bits on every global output (else the back end syncs on
 * its own at block ends, calls and guest memory accesses). */
static bool sync_on_write;

static TCGTemp *temp_new(TCGContext *s, TCGType type, TCGTempKind kind)
{
    TCGTemp *ts = &s->temps[s->nb_temps++];

    g_assert(s->nb_temps <= TCG_MAX_TEMPS);
    memset(ts, 0, sizeof(*ts));
    ts->type = type;
    ts->kind = kind;
    return ts;
}

static TCGTemp *tmp(TCGContext *s, TCGType type)
{
    return temp_new(s, type, TEMP_NORMAL);
}

static TCGTemp *cst(TCGContext *s, TCGType type, int64_t v)
{
    TCGTemp *ts = temp_new(s, type, TEMP_CONST);

    ts->val = type == TCG_TYPE_I32 ? (int64_t)(uint32_t)v : v;
    return ts;
}

static TCGContext *ctx_new(void)
{
    TCGContext *s = g_new0(TCGContext, 1);

    s->env = temp_new(s, TCG_TYPE_I64, TEMP_ENV);
    for (int i = 0; i < 16; i++) {
        R[i] = temp_new(s, TCG_TYPE_I32, TEMP_GLOBAL);
        R[i]->mem_offset = offsetof(TestEnv, r[i]);
    }
    for (int i = 0; i < 4; i++) {
        Q[i] = temp_new(s, TCG_TYPE_I64, TEMP_GLOBAL);
        Q[i]->mem_offset = offsetof(TestEnv, q[i]);
    }
    s->nb_globals = s->nb_temps;
    s->labels = g_ptr_array_new();
    s->tlb_offset = offsetof(TestCPU, tlb) - offsetof(TestCPU, env);
    s->insn_end_offsets = g_new0(uint16_t, TCG_MAX_INSNS);
    s->insn_data = g_malloc0(sizeof(*s->insn_data) * TCG_MAX_INSNS);
    return s;
}

static void ctx_free(TCGContext *s)
{
    for (guint i = 0; i < s->labels->len; i++) {
        TCGLabel *l = g_ptr_array_index(s->labels, i);

        if (l->relocs) {
            g_array_free(l->relocs, TRUE);
        }
        g_free(l);
    }
    g_ptr_array_free(s->labels, TRUE);
    g_free(s->ops.op);
    g_free(s->insn_end_offsets);
    g_free(s->insn_data);
    g_free(s);
}

static TCGOp *emit_args(TCGContext *s, TCGOpcode opc, int n,
                        const TCGArg *args)
{
    TCGOp op = { .opc = opc };

    g_assert(n <= TCG_MAX_OP_ARGS);
    memcpy(op.args, args, n * sizeof(TCGArg));
    return memcpy(tcg_op_list_push(&s->ops), &op, sizeof(op));
}

#define EMIT(s, opc, ...) \
    emit_args(s, INDEX_op_##opc, \
              sizeof((TCGArg[]){ __VA_ARGS__ }) / sizeof(TCGArg), \
              (TCGArg[]){ __VA_ARGS__ })

static TCGLabel *label_new(TCGContext *s)
{
    TCGLabel *l = g_new0(TCGLabel, 1);

    l->id = s->labels->len;
    g_ptr_array_add(s->labels, l);
    return l;
}

static void emit_call(TCGContext *s, const TCGHelperInfo *info,
                      TCGTemp *ret, TCGTemp **args)
{
    TCGOp op = { .opc = INDEX_op_call };
    int n = 0;

    if (ret) {
        op.args[n++] = A(ret);
    }
    for (int i = 0; i < info->nb_args; i++) {
        op.args[n++] = A(args[i]);
    }
    op.args[n] = A(info);
    op.nb_oargs = ret != NULL;
    op.nb_iargs = info->nb_args;
    *tcg_op_list_push(&s->ops) = op;
}

/*
 * Liveness as the core computes it, kept simple: globals never die
 * (they are synced at block ends by the back end, or on every write
 * with sync_on_write); a normal temp dies after its last use, and is
 * taken as live across every branch and label.
 */
static void liveness(TCGContext *s)
{
    bool *live = g_new0(bool, s->nb_temps);

    for (int k = s->ops.len - 1; k >= 0; k--) {
        TCGOp *op = &s->ops.op[k];
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int nb_o = op->opc == INDEX_op_call ? op->nb_oargs : def->nb_oargs;
        int nb_i = op->opc == INDEX_op_call ? op->nb_iargs : def->nb_iargs;

        if (def->flags & (TCG_OPF_BB_END | TCG_OPF_BB_EXIT)) {
            bool after = !(def->flags & TCG_OPF_BB_EXIT);

            for (int i = s->nb_globals; i < s->nb_temps; i++) {
                live[i] = after;
            }
        }
        op->life = 0;
        for (int i = 0; i < nb_o; i++) {
            TCGTemp *ts = (TCGTemp *)(uintptr_t)op->args[i];
            int idx = ts - s->temps;

            if (ts->kind == TEMP_NORMAL && !live[idx]) {
                op->life |= 1u << i;
            }
            if (ts->kind == TEMP_GLOBAL && sync_on_write) {
                op->life |= 1u << (16 + i);
            }
            live[idx] = false;
        }
        for (int i = nb_o; i < nb_o + nb_i; i++) {
            TCGTemp *ts = (TCGTemp *)(uintptr_t)op->args[i];
            int idx = ts - s->temps;

            if (ts->kind == TEMP_NORMAL && !live[idx]) {
                op->life |= 1u << i;
            }
        }
        for (int i = nb_o; i < nb_o + nb_i; i++) {
            live[((TCGTemp *)(uintptr_t)op->args[i]) - s->temps] = true;
        }
    }
    g_free(live);
}

/* Compiles s into the code buffer; checks that all of it decodes. */
static void *compile(TCGContext *s, TranslationBlock *tb)
{
    GString *dis = g_string_new(NULL);
    int size;

    if (code_cur + 256 * 1024 > code_gen_buffer + CODE_SIZE) {
        code_cur = code_gen_buffer + 4096;
    }
    liveness(s);
    s->code_buf = s->code_ptr = code_cur;
    s->code_end = code_gen_buffer + CODE_SIZE;
    s->tb = tb;
    tb->tc_ptr = code_cur;
    size = tcg_target_gen_code(s, tb);
    g_assert_cmpint(size, >, 0);
    g_assert(s->code_ptr == code_cur + size);
    tb->tc_size = size;
    disas_append_host(dis, code_cur, size);
    if (g_test_verbose()) {
        g_test_message("%s", dis->str);
    }
    g_assert_null(strstr(dis->str, ".byte"));
    g_string_free(dis, TRUE);
    code_cur = (uint8_t *)(((uintptr_t)s->code_ptr + 15) & ~(uintptr_t)15);
    return tb->tc_ptr;
}

static uintptr_t exec(const void *code)
{
    return tcg_qemu_tb_exec(ENV, code);
}

/* Compiles and runs s once. */
static uintptr_t run(TCGContext *s)
{
    TranslationBlock tb = { 0 };

    return exec(compile(s, &tb));
}

/* ---- arithmetic against C ---- */

static const uint32_t vals32[] = {
    0, 1, 2, 5, 16, 31, 32, 33, 0x7f, 0x80, 0xff, 0x8000, 0xffff,
    0x12345678, 0x7fffffff, 0x80000000, 0x80000001, 0xdeadbeef,
    0xfffffffe, 0xffffffff,
};

static const uint64_t vals64[] = {
    0, 1, 3, 31, 32, 63, 64, 0xffffffff, 0x100000000ULL,
    0x123456789abcdef0ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
    0xfedcba9876543210ULL, 0xffffffffffffffffULL, 0xfffffffffffffff0ULL,
};

static uint32_t rol32(uint32_t x, unsigned n)
{
    n &= 31;
    return n ? x << n | x >> (32 - n) : x;
}

static uint64_t rol64(uint64_t x, unsigned n)
{
    n &= 63;
    return n ? x << n | x >> (64 - n) : x;
}

static uint64_t ref_binop(TCGOpcode opc, uint64_t a, uint64_t b)
{
    uint32_t a32 = a, b32 = b;

    switch (opc) {
    case INDEX_op_add_i32: return (uint32_t)(a32 + b32);
    case INDEX_op_sub_i32: return (uint32_t)(a32 - b32);
    case INDEX_op_mul_i32: return (uint32_t)(a32 * b32);
    case INDEX_op_and_i32: return a32 & b32;
    case INDEX_op_or_i32: return a32 | b32;
    case INDEX_op_xor_i32: return a32 ^ b32;
    case INDEX_op_andc_i32: return a32 & ~b32;
    case INDEX_op_shl_i32: return (uint32_t)(a32 << (b32 & 31));
    case INDEX_op_shr_i32: return a32 >> (b32 & 31);
    case INDEX_op_sar_i32: return (uint32_t)((int32_t)a32 >> (b32 & 31));
    case INDEX_op_rotl_i32: return rol32(a32, b32);
    case INDEX_op_rotr_i32: return rol32(a32, 32 - (b32 & 31));
    case INDEX_op_clz_i32: return a32 ? (uint32_t)__builtin_clz(a32) : b32;
    case INDEX_op_add_i64: return a + b;
    case INDEX_op_sub_i64: return a - b;
    case INDEX_op_mul_i64: return a * b;
    case INDEX_op_and_i64: return a & b;
    case INDEX_op_or_i64: return a | b;
    case INDEX_op_xor_i64: return a ^ b;
    case INDEX_op_shl_i64: return a << (b & 63);
    case INDEX_op_shr_i64: return a >> (b & 63);
    case INDEX_op_sar_i64: return (uint64_t)((int64_t)a >> (b & 63));
    case INDEX_op_andc_i64: return a & ~b;
    case INDEX_op_rotl_i64: return rol64(a, b);
    case INDEX_op_rotr_i64: return rol64(a, 64 - (b & 63));
    case INDEX_op_clz_i64: return a ? (uint64_t)__builtin_clzll(a) : b;
    default: g_assert_not_reached();
    }
}

enum { MODE_RR, MODE_RC, MODE_CR, MODE_SAME, MODE_TEMPS, NB_MODES };

/* d = a op b, with a and b globals, constants, the same global, or
 * normal temps loaded from the globals; d stored to a global. */
static void build_binop(TCGContext *s, TCGOpcode opc, TCGType type, int mode,
                        uint64_t a, uint64_t b)
{
    TCGTemp *ina = type == TCG_TYPE_I32 ? R[0] : Q[0];
    TCGTemp *inb = type == TCG_TYPE_I32 ? R[1] : Q[1];
    TCGTemp *out = type == TCG_TYPE_I32 ? R[2] : Q[2];
    TCGTemp *ta = ina, *tb = inb;
    TCGOpcode mov = type == TCG_TYPE_I32 ? INDEX_op_mov_i32
                                         : INDEX_op_mov_i64;

    switch (mode) {
    case MODE_RC:
        tb = cst(s, type, b);
        break;
    case MODE_CR:
        ta = cst(s, type, a);
        break;
    case MODE_SAME:
        tb = ina;
        break;
    case MODE_TEMPS:
        ta = tmp(s, type);
        tb = tmp(s, type);
        emit_args(s, mov, 2, (TCGArg[]){ A(ta), A(ina) });
        emit_args(s, mov, 2, (TCGArg[]){ A(tb), A(inb) });
        break;
    }
    emit_args(s, opc, 3, (TCGArg[]){ A(out), A(ta), A(tb) });
    EMIT(s, exit_tb, 0);
}

static void check_binop(TCGOpcode opc, TCGType type)
{
    const uint64_t *vals = type == TCG_TYPE_I32 ? NULL : vals64;
    size_t n = type == TCG_TYPE_I32 ? ARRAY_SIZE(vals32) : ARRAY_SIZE(vals64);

    for (int mode = 0; mode < NB_MODES; mode++) {
        TCGContext *s = NULL;
        TranslationBlock tb = { 0 };
        void *code = NULL;

        if (mode == MODE_RR || mode == MODE_SAME || mode == MODE_TEMPS) {
            s = ctx_new();
            build_binop(s, opc, type, mode, 0, 0);
            code = compile(s, &tb);
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < n; j++) {
                uint64_t a = vals ? vals[i] : vals32[i];
                uint64_t b = vals ? vals[j] : vals32[j];
                uint64_t got, want;

                if (mode == MODE_SAME) {
                    b = a;
                }
                if (mode == MODE_RC || mode == MODE_CR) {
                    s = ctx_new();
                    build_binop(s, opc, type, mode, a, b);
                    code = compile(s, &tb);
                }
                memset(ENV, 0x5a, sizeof(*ENV));
                ENV->r[0] = a;
                ENV->r[1] = b;
                ENV->q[0] = a;
                ENV->q[1] = b;
                g_assert_cmpuint(exec(code), ==, 0);
                got = type == TCG_TYPE_I32 ? ENV->r[2] : ENV->q[2];
                want = ref_binop(opc, a, b);
                if (got != want) {
                    g_error("%s mode %d: %#" PRIx64 ", %#" PRIx64 " gave %#"
                            PRIx64 ", want %#" PRIx64,
                            tcg_op_defs[opc].name, mode, a, b, got, want);
                }
                g_assert_cmpuint(ENV->r[0], ==, (uint32_t)a);
                if (mode == MODE_RC || mode == MODE_CR) {
                    ctx_free(s);
                }
            }
        }
        if (mode == MODE_RR || mode == MODE_SAME || mode == MODE_TEMPS) {
            ctx_free(s);
        }
    }
}

static void test_binops32(void)
{
    static const TCGOpcode ops[] = {
        INDEX_op_add_i32, INDEX_op_sub_i32, INDEX_op_mul_i32,
        INDEX_op_and_i32, INDEX_op_or_i32, INDEX_op_xor_i32,
        INDEX_op_andc_i32, INDEX_op_shl_i32, INDEX_op_shr_i32,
        INDEX_op_sar_i32, INDEX_op_rotl_i32, INDEX_op_rotr_i32,
        INDEX_op_clz_i32,
    };

    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        check_binop(ops[i], TCG_TYPE_I32);
    }
}

static void test_binops64(void)
{
    static const TCGOpcode ops[] = {
        INDEX_op_add_i64, INDEX_op_sub_i64, INDEX_op_mul_i64,
        INDEX_op_and_i64, INDEX_op_or_i64, INDEX_op_xor_i64,
        INDEX_op_shl_i64, INDEX_op_shr_i64, INDEX_op_sar_i64,
        INDEX_op_andc_i64, INDEX_op_rotl_i64, INDEX_op_rotr_i64,
        INDEX_op_clz_i64,
    };

    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        check_binop(ops[i], TCG_TYPE_I64);
    }
}

static void test_binops_synced(void)
{
    sync_on_write = true;
    check_binop(INDEX_op_sub_i32, TCG_TYPE_I32);
    check_binop(INDEX_op_shl_i64, TCG_TYPE_I64);
    sync_on_write = false;
}

static uint64_t ref_unop(TCGOpcode opc, uint64_t a)
{
    uint32_t a32 = a;

    switch (opc) {
    case INDEX_op_neg_i32: return (uint32_t)-a32;
    case INDEX_op_not_i32: return ~a32;
    case INDEX_op_ext8s_i32: return (uint32_t)(int8_t)a32;
    case INDEX_op_ext8u_i32: return (uint8_t)a32;
    case INDEX_op_ext16s_i32: return (uint32_t)(int16_t)a32;
    case INDEX_op_ext16u_i32: return (uint16_t)a32;
    case INDEX_op_bswap16_i32: return __builtin_bswap16(a32);
    case INDEX_op_bswap32_i32: return __builtin_bswap32(a32);
    case INDEX_op_mov_i32: return a32;
    case INDEX_op_neg_i64: return -a;
    case INDEX_op_mov_i64: return a;
    case INDEX_op_ext_i32_i64: return (uint64_t)(int64_t)(int32_t)a32;
    case INDEX_op_extu_i32_i64: return a32;
    case INDEX_op_extrl_i64_i32: return (uint32_t)a;
    case INDEX_op_extrh_i64_i32: return a >> 32;
    case INDEX_op_not_i64: return ~a;
    case INDEX_op_ext8s_i64: return (uint64_t)(int8_t)a;
    case INDEX_op_ext8u_i64: return (uint8_t)a;
    case INDEX_op_ext16s_i64: return (uint64_t)(int16_t)a;
    case INDEX_op_ext16u_i64: return (uint16_t)a;
    case INDEX_op_ext32s_i64: return (uint64_t)(int32_t)a;
    case INDEX_op_ext32u_i64: return (uint32_t)a;
    case INDEX_op_bswap64_i64: return __builtin_bswap64(a);
    default: g_assert_not_reached();
    }
}

static void test_unops(void)
{
    static const struct {
        TCGOpcode opc;
        TCGType in, out;
    } ops[] = {
        { INDEX_op_neg_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_not_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_ext8s_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_ext8u_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_ext16s_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_ext16u_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_bswap16_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_bswap32_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_mov_i32, TCG_TYPE_I32, TCG_TYPE_I32 },
        { INDEX_op_neg_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_mov_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext_i32_i64, TCG_TYPE_I32, TCG_TYPE_I64 },
        { INDEX_op_extu_i32_i64, TCG_TYPE_I32, TCG_TYPE_I64 },
        { INDEX_op_extrl_i64_i32, TCG_TYPE_I64, TCG_TYPE_I32 },
        { INDEX_op_extrh_i64_i32, TCG_TYPE_I64, TCG_TYPE_I32 },
        { INDEX_op_not_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext8s_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext8u_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext16s_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext16u_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext32s_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_ext32u_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
        { INDEX_op_bswap64_i64, TCG_TYPE_I64, TCG_TYPE_I64 },
    };

    for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
        for (int use_const = 0; use_const < 2; use_const++) {
            for (size_t i = 0; i < ARRAY_SIZE(vals64); i++) {
                uint64_t a = vals64[i];
                TCGContext *s = ctx_new();
                TCGTemp *in = ops[k].in == TCG_TYPE_I32 ? R[0] : Q[0];
                TCGTemp *out = ops[k].out == TCG_TYPE_I32 ? R[2] : Q[2];
                uint64_t got, want;

                /* through a normal temp, so the result moves around */
                TCGTemp *t = tmp(s, ops[k].out);

                if (use_const) {
                    in = cst(s, ops[k].in, a);
                }
                emit_args(s, ops[k].opc, 2, (TCGArg[]){ A(t), A(in) });
                emit_args(s, ops[k].out == TCG_TYPE_I32 ? INDEX_op_mov_i32
                                                        : INDEX_op_mov_i64,
                          2, (TCGArg[]){ A(out), A(t) });
                EMIT(s, exit_tb, 0);
                memset(ENV, 0x5a, sizeof(*ENV));
                ENV->r[0] = a;
                ENV->q[0] = a;
                run(s);
                got = ops[k].out == TCG_TYPE_I32 ? ENV->r[2] : ENV->q[2];
                want = ref_unop(ops[k].opc, ops[k].in == TCG_TYPE_I32 ?
                                (uint32_t)a : a);
                if (got != want) {
                    g_error("%s(%#" PRIx64 ") gave %#" PRIx64 ", want %#"
                            PRIx64, tcg_op_defs[ops[k].opc].name, a, got,
                            want);
                }
                ctx_free(s);
            }
        }
    }
}

/* 32-bit results stay zero-extended in registers: extu of a sub. */
static void test_zero_extension(void)
{
    TCGContext *s = ctx_new();
    TCGTemp *t = tmp(s, TCG_TYPE_I32);

    EMIT(s, sub_i32, A(t), A(R[0]), A(R[1]));
    EMIT(s, extu_i32_i64, A(Q[0]), A(t));
    EMIT(s, exit_tb, 0);
    ENV->r[0] = 1;
    ENV->r[1] = 2;
    run(s);
    g_assert_cmphex(ENV->q[0], ==, 0xffffffffULL);
    ctx_free(s);
}

static void test_clz(void)
{
    TCGContext *s = ctx_new();

    /* clz with a constant fallback, on zero and non-zero */
    EMIT(s, clz_i32, A(R[2]), A(R[0]), A(cst(s, TCG_TYPE_I32, 32)));
    EMIT(s, exit_tb, 0);
    TranslationBlock tb = { 0 };
    void *code = compile(s, &tb);

    for (size_t i = 0; i < ARRAY_SIZE(vals32); i++) {
        ENV->r[0] = vals32[i];
        exec(code);
        g_assert_cmpuint(ENV->r[2], ==,
                         vals32[i] ? (uint32_t)__builtin_clz(vals32[i]) : 32);
    }
    ctx_free(s);
}

static void test_add2_sub2(void)
{
    for (int is_sub = 0; is_sub < 2; is_sub++) {
        for (int use_const = 0; use_const < 2; use_const++) {
            for (size_t i = 0; i < ARRAY_SIZE(vals64); i++) {
                for (size_t j = 0; j < ARRAY_SIZE(vals64); j++) {
                    uint64_t x = vals64[i], y = vals64[j];
                    uint64_t want = is_sub ? x - y : x + y;
                    TCGContext *s = ctx_new();
                    TCGTemp *bl = R[2], *bh = R[3];

                    if (use_const) {
                        bl = cst(s, TCG_TYPE_I32, y);
                        bh = cst(s, TCG_TYPE_I32, y >> 32);
                    }
                    emit_args(s, is_sub ? INDEX_op_sub2_i32
                                        : INDEX_op_add2_i32, 6,
                              (TCGArg[]){ A(R[4]), A(R[5]), A(R[0]),
                                          A(R[1]), A(bl), A(bh) });
                    EMIT(s, exit_tb, 0);
                    ENV->r[0] = x;
                    ENV->r[1] = x >> 32;
                    ENV->r[2] = y;
                    ENV->r[3] = y >> 32;
                    run(s);
                    g_assert_cmphex(ENV->r[4] | (uint64_t)ENV->r[5] << 32,
                                    ==, want);
                    ctx_free(s);
                }
            }
        }
    }
}

static void test_mul2(void)
{
    for (int is_signed = 0; is_signed < 2; is_signed++) {
        TCGContext *s = ctx_new();
        TranslationBlock tb = { 0 };
        void *code;

        /* the operands also live in eax/edx-hungry positions: a temp
         * kept across the op checks that mul's fixed registers do not
         * clobber it */
        TCGTemp *keep = tmp(s, TCG_TYPE_I32);

        EMIT(s, add_i32, A(keep), A(R[0]), A(R[1]));
        emit_args(s, is_signed ? INDEX_op_muls2_i32 : INDEX_op_mulu2_i32, 4,
                  (TCGArg[]){ A(R[2]), A(R[3]), A(R[0]), A(R[1]) });
        EMIT(s, mov_i32, A(R[4]), A(keep));
        EMIT(s, exit_tb, 0);
        code = compile(s, &tb);
        for (size_t i = 0; i < ARRAY_SIZE(vals32); i++) {
            for (size_t j = 0; j < ARRAY_SIZE(vals32); j++) {
                uint32_t a = vals32[i], b = vals32[j];
                uint64_t want = is_signed ?
                    (uint64_t)((int64_t)(int32_t)a * (int32_t)b) :
                    (uint64_t)a * b;

                ENV->r[0] = a;
                ENV->r[1] = b;
                exec(code);
                g_assert_cmphex(ENV->r[2] | (uint64_t)ENV->r[3] << 32, ==,
                                want);
                g_assert_cmphex(ENV->r[4], ==, a + b);
            }
        }
        ctx_free(s);
    }
}

/* ---- conditions ---- */

static bool ref_cond(TCGCond c, uint64_t a, uint64_t b, bool is64)
{
    int64_t sa = is64 ? (int64_t)a : (int32_t)a;
    int64_t sb = is64 ? (int64_t)b : (int32_t)b;

    if (!is64) {
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    switch (c) {
    case TCG_COND_NEVER: return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ: return a == b;
    case TCG_COND_NE: return a != b;
    case TCG_COND_LT: return sa < sb;
    case TCG_COND_GE: return sa >= sb;
    case TCG_COND_LE: return sa <= sb;
    case TCG_COND_GT: return sa > sb;
    case TCG_COND_LTU: return a < b;
    case TCG_COND_GEU: return a >= b;
    case TCG_COND_LEU: return a <= b;
    case TCG_COND_GTU: return a > b;
    }
    g_assert_not_reached();
}

static const uint64_t cond_vals[] = {
    0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff,
    0x100000000ULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
};

/* setcond, movcond and brcond for one condition; with_const picks the
 * second operand as a constant (1) or the first (2). */
static void check_cond(TCGCond c, bool is64, int with_const, uint64_t a,
                       uint64_t b)
{
    TCGType type = is64 ? TCG_TYPE_I64 : TCG_TYPE_I32;
    TCGContext *s = ctx_new();       /* first: it sets R and Q */
    TCGTemp *ga = is64 ? Q[0] : R[0];
    TCGTemp *gb = is64 ? Q[1] : R[1];
    TCGTemp *ta = with_const == 2 ? cst(s, type, a) : ga;
    TCGTemp *tb = with_const == 1 ? cst(s, type, b) : gb;
    TCGLabel *taken = label_new(s), *done = label_new(s);
    bool want = ref_cond(c, a, b, is64);

    emit_args(s, is64 ? INDEX_op_setcond_i64 : INDEX_op_setcond_i32, 4,
              (TCGArg[]){ A(R[2]), A(ta), A(tb), c });
    if (!is64) {
        EMIT(s, movcond_i32, A(R[3]), A(ta), A(tb), A(R[4]), A(R[5]), c);
    }
    emit_args(s, is64 ? INDEX_op_brcond_i64 : INDEX_op_brcond_i32, 4,
              (TCGArg[]){ A(ta), A(tb), c, A(taken) });
    EMIT(s, mov_i32, A(R[6]), A(cst(s, TCG_TYPE_I32, 100)));
    EMIT(s, br, A(done));
    EMIT(s, set_label, A(taken));
    EMIT(s, mov_i32, A(R[6]), A(cst(s, TCG_TYPE_I32, 200)));
    EMIT(s, set_label, A(done));
    EMIT(s, exit_tb, 0);

    ENV->r[0] = a;
    ENV->r[1] = b;
    ENV->q[0] = a;
    ENV->q[1] = b;
    ENV->r[4] = 0x1111;
    ENV->r[5] = 0x2222;
    run(s);
    if (ENV->r[2] != want || ENV->r[6] != (want ? 200u : 100u) ||
        (!is64 && ENV->r[3] != (want ? 0x1111u : 0x2222u))) {
        g_error("cond %d is64 %d const %d (%#" PRIx64 ", %#" PRIx64 "): "
                "setcond %u movcond %#x brcond %u", c, is64, with_const,
                a, b, ENV->r[2], ENV->r[3], ENV->r[6]);
    }
    ctx_free(s);
}

/* The 128-bit products, with a temp living across rax/rdx's use. */
static void test_mul2_64(void)
{
    for (int is_signed = 0; is_signed < 2; is_signed++) {
        TCGContext *s = ctx_new();
        TranslationBlock tb = { 0 };
        TCGTemp *keep = tmp(s, TCG_TYPE_I64);
        void *code;

        EMIT(s, add_i64, A(keep), A(Q[0]), A(Q[1]));
        emit_args(s, is_signed ? INDEX_op_muls2_i64 : INDEX_op_mulu2_i64, 4,
                  (TCGArg[]){ A(Q[2]), A(Q[3]), A(Q[0]), A(Q[1]) });
        EMIT(s, mov_i64, A(Q[1]), A(keep));
        EMIT(s, exit_tb, 0);
        code = compile(s, &tb);
        for (size_t i = 0; i < ARRAY_SIZE(vals64); i++) {
            for (size_t j = 0; j < ARRAY_SIZE(vals64); j++) {
                uint64_t a = vals64[i], b = vals64[j];
                unsigned __int128 want = is_signed ?
                    (unsigned __int128)((__int128)(int64_t)a * (int64_t)b) :
                    (unsigned __int128)a * b;

                ENV->q[0] = a;
                ENV->q[1] = b;
                exec(code);
                g_assert_cmphex(ENV->q[2], ==, (uint64_t)want);
                g_assert_cmphex(ENV->q[3], ==, (uint64_t)(want >> 64));
                g_assert_cmphex(ENV->q[1], ==, a + b);
            }
        }
        ctx_free(s);
    }
}

/* movcond_i64 compares and moves all 64 bits. */
static void test_movcond_64(void)
{
    static const TCGCond conds[] = {
        TCG_COND_EQ, TCG_COND_NE, TCG_COND_LT, TCG_COND_GE, TCG_COND_LE,
        TCG_COND_GT, TCG_COND_LTU, TCG_COND_GEU, TCG_COND_LEU, TCG_COND_GTU,
    };

    for (size_t k = 0; k < ARRAY_SIZE(conds); k++) {
        TCGContext *s = ctx_new();
        TranslationBlock tb = { 0 };
        void *code;

        emit_args(s, INDEX_op_movcond_i64, 6,
                  (TCGArg[]){ A(Q[2]), A(Q[0]), A(Q[1]), A(Q[3]),
                              A(cst(s, TCG_TYPE_I64, 0x123456789abcdefULL)),
                              conds[k] });
        EMIT(s, exit_tb, 0);
        code = compile(s, &tb);
        for (size_t i = 0; i < ARRAY_SIZE(vals64); i++) {
            for (size_t j = 0; j < ARRAY_SIZE(vals64); j++) {
                uint64_t a = vals64[i], b = vals64[j];
                bool want;

                switch (conds[k]) {
                case TCG_COND_EQ: want = a == b; break;
                case TCG_COND_NE: want = a != b; break;
                case TCG_COND_LT: want = (int64_t)a < (int64_t)b; break;
                case TCG_COND_GE: want = (int64_t)a >= (int64_t)b; break;
                case TCG_COND_LE: want = (int64_t)a <= (int64_t)b; break;
                case TCG_COND_GT: want = (int64_t)a > (int64_t)b; break;
                case TCG_COND_LTU: want = a < b; break;
                case TCG_COND_GEU: want = a >= b; break;
                case TCG_COND_LEU: want = a <= b; break;
                default: want = a > b; break;
                }
                ENV->q[0] = a;
                ENV->q[1] = b;
                ENV->q[3] = 0xfedcba9876543210ULL;
                exec(code);
                g_assert_cmphex(ENV->q[2], ==, want ? 0xfedcba9876543210ULL
                                                    : 0x123456789abcdefULL);
            }
        }
        ctx_free(s);
    }
}

static void test_conditions(void)
{
    for (TCGCond c = TCG_COND_NEVER; c <= TCG_COND_GTU; c++) {
        for (int is64 = 0; is64 < 2; is64++) {
            for (int with_const = 0; with_const < 3; with_const++) {
                for (size_t i = 0; i < ARRAY_SIZE(cond_vals); i++) {
                    for (size_t j = 0; j < ARRAY_SIZE(cond_vals); j++) {
                        check_cond(c, is64, with_const, cond_vals[i],
                                   cond_vals[j]);
                    }
                }
            }
        }
    }
}

/*
 * shl by 1 to 3 then add of the shifted temp (one lea in the back end):
 * the shifted value on either side, its source living on, dying at the
 * shift, or the add's other operand; 4 is an ordinary shift and add.
 */
static void test_shl_add(void)
{
    static const uint32_t xs[] = { 0, 1, 0x12345678, 0x80000001, 0xffffffff };

    for (int k = 1; k <= 4; k++) {
        for (int shape = 0; shape < 4; shape++) {
            for (size_t i = 0; i < ARRAY_SIZE(xs); i++) {
                TCGContext *s = ctx_new();
                TCGTemp *t = tmp(s, TCG_TYPE_I32), *x = R[0];
                uint32_t a = xs[i], b = 0x01020304 * (uint32_t)k, want;

                if (shape == 2) {          /* the source dies at the shl */
                    x = tmp(s, TCG_TYPE_I32);
                    EMIT(s, mov_i32, A(x), A(R[0]));
                }
                EMIT(s, shl_i32, A(t), A(x), A(cst(s, TCG_TYPE_I32, k)));
                if (shape == 1) {
                    EMIT(s, add_i32, A(R[2]), A(t), A(R[1]));
                } else if (shape == 3) {   /* x + (x << k), into x */
                    EMIT(s, add_i32, A(R[0]), A(R[0]), A(t));
                } else {
                    EMIT(s, add_i32, A(R[2]), A(R[1]), A(t));
                }
                EMIT(s, exit_tb, 0);
                ENV->r[0] = a;
                ENV->r[1] = b;
                ENV->r[2] = 0;
                run(s);
                want = shape == 3 ? a + (a << k) : b + (a << k);
                g_assert_cmphex(shape == 3 ? ENV->r[0] : ENV->r[2], ==, want);
                g_assert_cmphex(ENV->r[1], ==, b);
                if (shape != 3) {
                    g_assert_cmphex(ENV->r[0], ==, a);
                }
                ctx_free(s);
            }
        }
    }
}

/* A loop: backward branch, a temp living across the label. */
static void test_loop(void)
{
    TCGContext *s = ctx_new();
    TCGLabel *top = label_new(s);
    TCGTemp *i = tmp(s, TCG_TYPE_I32), *sum = tmp(s, TCG_TYPE_I32);

    EMIT(s, mov_i32, A(i), A(cst(s, TCG_TYPE_I32, 0)));
    EMIT(s, mov_i32, A(sum), A(cst(s, TCG_TYPE_I32, 0)));
    EMIT(s, set_label, A(top));
    EMIT(s, add_i32, A(sum), A(sum), A(i));
    EMIT(s, add_i32, A(i), A(i), A(cst(s, TCG_TYPE_I32, 1)));
    EMIT(s, brcond_i32, A(i), A(R[0]), TCG_COND_LTU, A(top));
    EMIT(s, mov_i32, A(R[1]), A(sum));
    EMIT(s, exit_tb, 0);
    ENV->r[0] = 1000;
    run(s);
    g_assert_cmpuint(ENV->r[1], ==, 999 * 1000 / 2);
    ctx_free(s);
}

/* A global changed in a register before a label is in env after it. */
static void test_label_saves(void)
{
    TCGContext *s = ctx_new();
    TCGLabel *l = label_new(s);

    EMIT(s, add_i32, A(R[1]), A(R[0]), A(cst(s, TCG_TYPE_I32, 1)));
    EMIT(s, set_label, A(l));
    EMIT(s, mul_i32, A(R[2]), A(R[1]), A(cst(s, TCG_TYPE_I32, 2)));
    EMIT(s, exit_tb, 0);
    ENV->r[0] = 20;
    ENV->r[1] = 0;
    run(s);
    g_assert_cmpuint(ENV->r[1], ==, 21);
    g_assert_cmpuint(ENV->r[2], ==, 42);
    ctx_free(s);
}

/* ---- the register allocator under pressure ---- */

static void test_spills(void)
{
    enum { N = 40 };
    TCGContext *s = ctx_new();
    TCGTemp *t[N], *acc = tmp(s, TCG_TYPE_I32);
    uint32_t want = 0;

    /* N live values at once: more than the host has registers */
    for (int i = 0; i < N; i++) {
        t[i] = tmp(s, TCG_TYPE_I32);
        EMIT(s, mul_i32, A(t[i]), A(R[0]), A(cst(s, TCG_TYPE_I32, i + 1)));
        EMIT(s, xor_i32, A(t[i]), A(t[i]), A(R[i % 4 + 1]));
    }
    EMIT(s, mov_i32, A(acc), A(cst(s, TCG_TYPE_I32, 0)));
    for (int i = N - 1; i >= 0; i--) {
        EMIT(s, rotl_i32, A(acc), A(acc), A(cst(s, TCG_TYPE_I32, 3)));
        EMIT(s, add_i32, A(acc), A(acc), A(t[i]));
    }
    EMIT(s, mov_i32, A(R[8]), A(acc));
    EMIT(s, exit_tb, 0);

    ENV->r[0] = 0x01234567;
    for (int i = 1; i <= 4; i++) {
        ENV->r[i] = i * 0x11111111u;
    }
    for (int i = N - 1; i >= 0; i--) {
        want = rol32(want, 3) +
               ((0x01234567u * (i + 1)) ^ ((i % 4 + 1) * 0x11111111u));
    }
    run(s);
    g_assert_cmphex(ENV->r[8], ==, want);
    ctx_free(s);
}

/* Byte operations on values in every register, sil and dil included
 * (they need a REX prefix, without which the encoding means dh/bh). */
static void test_byte_regs(void)
{
    enum { N = 12 };
    TCGContext *s = ctx_new();
    TCGTemp *t[N];

    for (int i = 0; i < N; i++) {
        t[i] = tmp(s, TCG_TYPE_I32);
        EMIT(s, add_i32, A(t[i]), A(R[0]),
             A(cst(s, TCG_TYPE_I32, i * 0x01010101u)));
    }
    for (int i = 0; i < N; i++) {
        EMIT(s, ext8s_i32, A(t[i]), A(t[i]));
    }
    for (int i = 0; i < N; i++) {
        EMIT(s, st8_i32, A(t[i]), A(s->env), offsetof(TestEnv, mem) + i);
        EMIT(s, mov_i32, A(R[i + 1]), A(t[i]));
    }
    EMIT(s, exit_tb, 0);
    memset(ENV, 0, sizeof(*ENV));
    ENV->r[0] = 0x1234567f;
    run(s);
    for (int i = 0; i < N; i++) {
        uint32_t want = (uint32_t)(int8_t)(0x7f + i);

        g_assert_cmphex(ENV->r[i + 1], ==, want);
        g_assert_cmphex(((uint8_t *)ENV->mem)[i], ==, (uint8_t)want);
    }
    ctx_free(s);
}

/* ---- host memory ---- */

static void test_host_ldst(void)
{
    TCGContext *s = ctx_new();
    TCGTemp *ptr = tmp(s, TCG_TYPE_I64);
    TCGTemp *v = tmp(s, TCG_TYPE_I32);
    intptr_t mem = offsetof(TestEnv, mem);

    /* loads through env and through a pointer temp */
    EMIT(s, ld8u_i32, A(R[0]), A(s->env), mem + 7);
    EMIT(s, ld8s_i32, A(R[1]), A(s->env), mem + 7);
    EMIT(s, ld16u_i32, A(R[2]), A(s->env), mem + 6);
    EMIT(s, ld16s_i32, A(R[3]), A(s->env), mem + 6);
    EMIT(s, ld_i32, A(R[4]), A(s->env), mem + 4);
    EMIT(s, add_i64, A(ptr), A(s->env), A(cst(s, TCG_TYPE_I64, mem)));
    EMIT(s, ld_i64, A(Q[0]), A(ptr), 0);
    /* stores of registers and immediates */
    EMIT(s, mov_i32, A(v), A(cst(s, TCG_TYPE_I32, 0xa1b2c3d4)));
    EMIT(s, st8_i32, A(v), A(ptr), 8);
    EMIT(s, st16_i32, A(v), A(ptr), 10);
    EMIT(s, st_i32, A(v), A(ptr), 12);
    EMIT(s, st8_i32, A(cst(s, TCG_TYPE_I32, 0x99)), A(ptr), 9);
    EMIT(s, st_i64, A(cst(s, TCG_TYPE_I64, -2)), A(ptr), 16);
    EMIT(s, st16_i32, A(cst(s, TCG_TYPE_I32, 0x7788)), A(ptr), 24);
    EMIT(s, st_i32, A(cst(s, TCG_TYPE_I32, 0xfedcba98)), A(ptr), 28);
    EMIT(s, st_i64, A(Q[0]), A(s->env), mem + 32);
    EMIT(s, mb, 0);
    EMIT(s, exit_tb, 0);

    memset(ENV, 0, sizeof(*ENV));
    ENV->mem[0] = 0x8182838485868788ULL;
    run(s);
    g_assert_cmphex(ENV->r[0], ==, 0x81);
    g_assert_cmphex(ENV->r[1], ==, 0xffffff81);
    g_assert_cmphex(ENV->r[2], ==, 0x8182);
    g_assert_cmphex(ENV->r[3], ==, 0xffff8182);
    g_assert_cmphex(ENV->r[4], ==, 0x81828384);
    g_assert_cmphex(ENV->q[0], ==, 0x8182838485868788ULL);
    g_assert_cmphex(ENV->mem[1], ==, 0xa1b2c3d4c3d499d4ULL);
    g_assert_cmphex(ENV->mem[2], ==, 0xfffffffffffffffeULL);
    g_assert_cmphex(ENV->mem[3], ==, 0xfedcba9800007788ULL);
    g_assert_cmphex(ENV->mem[4], ==, 0x8182838485868788ULL);
    ctx_free(s);
}

/* ---- helper calls ---- */

static uint64_t helper6(uint32_t a, uint64_t b, uint32_t c, void *d,
                        uint32_t e, uint64_t f)
{
    return a * 3 + b * 5 + c * 7 + (uintptr_t)d * 11 + e * 13 + f * 17;
}

static uint32_t helper_rw_globals(void *env)
{
    TestEnv *e = env;

    e->r[2] = e->r[1] * 2;
    return e->r[1] + 7;
}

static void test_calls(void)
{
    static const TCGHelperInfo info6 = {
        .func = helper6, .name = "helper6",
        .flags = TCG_CALL_NO_RWG, .has_ret = true, .ret_type = TCG_TYPE_I64,
        .nb_args = 6,
        .arg_types = { TCG_TYPE_I32, TCG_TYPE_I64, TCG_TYPE_I32,
                       TCG_TYPE_I64, TCG_TYPE_I32, TCG_TYPE_I64 },
    };

    /* the arguments come from temps that were computed into various
     * registers (several of them argument registers, permuted), a
     * constant, env, a global */
    for (int variant = 0; variant < 3; variant++) {
        TCGContext *s = ctx_new();
        TCGTemp *t[8];
        TCGTemp *ret = tmp(s, TCG_TYPE_I64);
        TCGTemp *keep = tmp(s, TCG_TYPE_I32);

        for (int i = 0; i < 8; i++) {
            t[i] = tmp(s, i & 1 ? TCG_TYPE_I64 : TCG_TYPE_I32);
            if (i & 1) {
                EMIT(s, ext_i32_i64, A(t[i]), A(R[i]));
            } else {
                EMIT(s, add_i32, A(t[i]), A(R[i]),
                     A(cst(s, TCG_TYPE_I32, 0x10000)));
            }
        }
        /* a value that must survive the call */
        EMIT(s, xor_i32, A(keep), A(R[0]), A(R[1]));
        if (variant == 0) {
            emit_call(s, &info6, ret, (TCGTemp *[]){
                t[0], t[1], t[2], s->env, t[4], t[3] });
        } else if (variant == 1) {
            emit_call(s, &info6, ret, (TCGTemp *[]){
                t[6], t[5], t[4], t[7], t[0], t[1] });
        } else {
            emit_call(s, &info6, ret, (TCGTemp *[]){
                cst(s, TCG_TYPE_I32, 0xffffffff), Q[0], R[2],
                cst(s, TCG_TYPE_I64, 0x123456789), t[2], t[5] });
        }
        EMIT(s, mov_i64, A(Q[1]), A(ret));
        /* the 64-bit temps survive the call too */
        for (int i = 1; i < 8; i += 2) {
            EMIT(s, st_i64, A(t[i]), A(s->env),
                 offsetof(TestEnv, mem) + i / 2 * 8);
        }
        EMIT(s, mov_i32, A(R[15]), A(keep));
        EMIT(s, exit_tb, 0);

        for (int i = 0; i < 8; i++) {
            ENV->r[i] = 0x1000 * (i + 1) + (i & 2 ? 0x80000000u : 0);
        }
        ENV->q[0] = 0x55;
        run(s);
        {
            uint64_t v[8], want;

            for (int i = 0; i < 8; i++) {
                v[i] = i & 1 ? (uint64_t)(int64_t)(int32_t)(0x1000 * (i + 1) +
                        (i & 2 ? 0x80000000u : 0))
                      : (uint32_t)(0x1000 * (i + 1) +
                                   (i & 2 ? 0x80000000u : 0) + 0x10000);
            }
            if (variant == 0) {
                want = helper6(v[0], v[1], v[2], ENV, v[4], v[3]);
            } else if (variant == 1) {
                want = helper6(v[6], v[5], v[4], (void *)(uintptr_t)v[7],
                               v[0], v[1]);
            } else {
                want = helper6(0xffffffff, 0x55, ENV->r[2],
                               (void *)0x123456789, v[2], v[5]);
            }
            g_assert_cmphex(ENV->q[1], ==, want);
            g_assert_cmphex(ENV->r[15], ==, 0x1000 ^ 0x2000);
            for (int i = 1; i < 8; i += 2) {
                g_assert_cmphex(ENV->mem[i / 2], ==, v[i]);
            }
        }
        ctx_free(s);
    }

    /* globals: synced before a helper that reads them, reloaded after
     * one that writes them */
    {
        static const TCGHelperInfo info_rw = {
            .func = helper_rw_globals, .name = "rw_globals",
            .has_ret = true, .ret_type = TCG_TYPE_I32, .nb_args = 1,
            .arg_types = { TCG_TYPE_I64 },
        };
        TCGContext *s = ctx_new();
        TCGTemp *ret = tmp(s, TCG_TYPE_I32);

        EMIT(s, add_i32, A(R[1]), A(R[0]), A(cst(s, TCG_TYPE_I32, 5)));
        EMIT(s, mov_i32, A(R[2]), A(cst(s, TCG_TYPE_I32, 0)));
        emit_call(s, &info_rw, ret, (TCGTemp *[]){ s->env });
        EMIT(s, add_i32, A(R[3]), A(R[2]), A(cst(s, TCG_TYPE_I32, 1)));
        EMIT(s, mov_i32, A(R[4]), A(ret));
        EMIT(s, exit_tb, 0);
        ENV->r[0] = 10;
        run(s);
        g_assert_cmpuint(ENV->r[1], ==, 15);
        g_assert_cmpuint(ENV->r[2], ==, 30);
        g_assert_cmpuint(ENV->r[3], ==, 31);
        g_assert_cmpuint(ENV->r[4], ==, 22);
        ctx_free(s);
    }
}

/* ---- guest memory through the TLB ---- */

#define GUEST_PAGE 0x40000400u   /* a guest page we map by hand */
static uint8_t guest_ram[2 << TARGET_PAGE_BITS_MAX];

static CPUTLBEntry *tlb_entry(int mmu_idx, uint64_t addr)
{
    return &cpu.tlb.table[mmu_idx][(addr >> TARGET_PAGE_BITS) &
                                   (TLB_SIZE - 1)];
}

static void tlb_setup(int mmu_idx)
{
    memset(&cpu.tlb, 0xff, sizeof(cpu.tlb.table));
    /* two consecutive pages: RAM, then a page that is MMIO for writes */
    for (int i = 0; i < 2; i++) {
        CPUTLBEntry *e = tlb_entry(mmu_idx,
                                   GUEST_PAGE + i * TARGET_PAGE_SIZE);

        e->addr_read = GUEST_PAGE + i * TARGET_PAGE_SIZE;
        e->addr_write = GUEST_PAGE + i * TARGET_PAGE_SIZE;
        e->addend = (uintptr_t)guest_ram + i * TARGET_PAGE_SIZE -
                    (GUEST_PAGE + i * TARGET_PAGE_SIZE);
    }
    tlb_entry(mmu_idx, GUEST_PAGE + TARGET_PAGE_SIZE)->addr_write |= TLB_MMIO;
    memset(&ld_log, 0, sizeof(ld_log));
    memset(&st_log, 0, sizeof(st_log));
}

static uint64_t ref_load(MemOp mop, const uint8_t *p, bool is64)
{
    uint64_t v = 0;
    int size = 1 << (mop & MO_SIZE);

    for (int i = 0; i < size; i++) {
        int b = (mop & MO_BSWAP) ? i : size - 1 - i;

        v = v << 8 | p[b];
    }
    if ((mop & MO_SIGN) && size < 8) {
        int sh = 64 - size * 8;

        v = (uint64_t)((int64_t)(v << sh) >> sh);
    }
    return is64 ? v : (uint32_t)v;
}

/* Host address the core's search would map retaddr to: which insn. */
static int insn_of(TCGContext *s, uintptr_t retaddr)
{
    uintptr_t off = retaddr - 1 - (uintptr_t)s->code_buf;

    for (int i = 0; i < s->nb_insns; i++) {
        if (off < s->insn_end_offsets[i]) {
            return i;
        }
    }
    return -1;
}

static void test_qemu_ld(void)
{
    static const MemOp mops[] = {
        MO_UB, MO_SB, MO_UW, MO_SW, MO_UL, MO_SL, MO_UQ,
        MO_UW | MO_BSWAP, MO_SW | MO_BSWAP, MO_UL | MO_BSWAP,
        MO_SL | MO_BSWAP, MO_UQ | MO_BSWAP, MO_UL | MO_ALIGN,
    };

    for (int i = 0; i < (int)sizeof(guest_ram); i++) {
        guest_ram[i] = i * 7 + 0x91;
    }
    for (size_t k = 0; k < ARRAY_SIZE(mops); k++) {
        for (int is64 = 0; is64 < 2; is64++) {
            MemOp mop = mops[k];
            int size = 1 << (mop & MO_SIZE);
            int mmu_idx = 2;
            TCGContext *s;
            TranslationBlock tb = { 0 };
            void *code;
            TCGTemp *keep[14], *sum;
            uint32_t keep_sum = 0;
            static const uint32_t offsets[] = { 0, 1, 0x3f0 };

            if (size == 8 && !is64) {
                continue;
            }
            s = ctx_new();
            sum = tmp(s, TCG_TYPE_I32);
            /* values living across the access in every register class */
            for (int i = 0; i < 14; i++) {
                keep[i] = tmp(s, TCG_TYPE_I32);
                EMIT(s, add_i32, A(keep[i]), A(R[1]),
                     A(cst(s, TCG_TYPE_I32, i)));
            }
            EMIT(s, insn_start, 0x100, 0);
            EMIT(s, mov_i32, A(R[5]), A(cst(s, TCG_TYPE_I32, 1)));
            EMIT(s, insn_start, 0x104, 1);
            emit_args(s, is64 ? INDEX_op_qemu_ld_i64 : INDEX_op_qemu_ld_i32,
                      3, (TCGArg[]){ A(is64 ? Q[2] : R[2]), A(R[0]),
                                     make_memop_idx(mop, mmu_idx) });
            EMIT(s, insn_start, 0x108, 2);
            EMIT(s, mov_i32, A(sum), A(cst(s, TCG_TYPE_I32, 0)));
            for (int i = 0; i < 14; i++) {
                EMIT(s, add_i32, A(sum), A(sum), A(keep[i]));
            }
            EMIT(s, mov_i32, A(R[3]), A(sum));
            EMIT(s, exit_tb, 0);
            code = compile(s, &tb);
            g_assert_cmpint(s->nb_insns, ==, 3);
            g_assert_cmpuint(s->insn_data[1][0], ==, 0x104);
            g_assert_cmpuint(s->insn_data[2][1], ==, 2);
            for (int i = 0; i < 14; i++) {
                keep_sum += 1000 + i;
            }

            /* hits, at several offsets in the page */
            for (size_t o = 0; o < ARRAY_SIZE(offsets); o++) {
                uint32_t addr = GUEST_PAGE + offsets[o];
                bool misaligned = (mop & MO_ALIGN) && (addr & (size - 1));
                uint64_t got;

                tlb_setup(mmu_idx);
                ENV->r[0] = addr;
                ENV->r[1] = 1000;
                ENV->q[2] = ENV->r[2] = 0x5a5a5a5a;
                exec(code);
                got = is64 ? ENV->q[2] : ENV->r[2];
                g_assert_cmpuint(ENV->r[3], ==, keep_sum);
                if (misaligned) {
                    /* MO_ALIGN: misaligned goes to the slow path */
                    g_assert_cmpint(ld_log.calls, ==, 1);
                    continue;
                }
                g_assert_cmpint(ld_log.calls, ==, 0);
                g_assert_cmphex(got, ==, ref_load(mop, guest_ram +
                                                  offsets[o], is64));
            }

            /* a miss: wrong tag in another mmu index */
            tlb_setup(mmu_idx ^ 1);
            ENV->r[0] = GUEST_PAGE + 0x10;
            ENV->r[1] = 1000;
            ENV->r[5] = 0;
            exec(code);
            g_assert_cmpint(ld_log.calls, ==, 1);
            g_assert_cmphex(ld_log.addr, ==, GUEST_PAGE + 0x10);
            g_assert_cmphex(ld_log.oi, ==, make_memop_idx(mop, mmu_idx));
            g_assert_cmpint(insn_of(s, ld_log.retaddr), ==, 1);
            g_assert_cmphex(is64 ? ENV->q[2] : ENV->r[2], ==,
                            ref_load(mop & ~MO_BSWAP,
                                     (const uint8_t *)&(uint64_t){
                                         MMIO_PATTERN ^ (GUEST_PAGE + 0x10) },
                                     is64));
            g_assert_cmpuint(ENV->r[3], ==, keep_sum);
            /* the global written before the load was synced for it */
            g_assert_cmpuint(ld_log.r5, ==, 1);

            /* an access crossing into the next page is slow */
            if (size > 1) {
                tlb_setup(mmu_idx);
                ENV->r[0] = GUEST_PAGE + TARGET_PAGE_SIZE - 1;
                exec(code);
                g_assert_cmpint(ld_log.calls, ==, 1);
            }
            ctx_free(s);
        }
    }
}

/* Returns GUEST_PAGE + 8 with garbage in the upper half of rax, which
 * the ABI allows for a uint32_t result. */
uint32_t helper_dirty_ret(void);
__asm__(".text\n"
        ".globl helper_dirty_ret\n"
        "helper_dirty_ret:\n"
        "    movabsq $0xdeadbeef40000408, %rax\n"
        "    ret\n");

/* A 32-bit helper result used as a guest address (a 64-bit index in
 * the fast path) must have been zero-extended. */
static void test_call_ret_extension(void)
{
    static const TCGHelperInfo info = {
        .func = helper_dirty_ret, .name = "dirty_ret",
        .flags = TCG_CALL_NO_RWG, .has_ret = true, .ret_type = TCG_TYPE_I32,
    };
    TCGContext *s = ctx_new();
    TCGTemp *ret = tmp(s, TCG_TYPE_I32);

    g_assert_cmphex(GUEST_PAGE + 8, ==, 0x40000408);
    emit_call(s, &info, ret, NULL);
    EMIT(s, qemu_ld_i32, A(R[0]), A(ret), make_memop_idx(MO_UL, 0));
    EMIT(s, exit_tb, 0);
    tlb_setup(0);
    memcpy(guest_ram + 8, &(uint32_t){ 0xcafef00d }, 4);
    run(s);
    g_assert_cmpint(ld_log.calls, ==, 0);
    g_assert_cmphex(ENV->r[0], ==, 0xcafef00d);
    ctx_free(s);
}

/* Globals are in env when a guest load may fault. */
static void test_qemu_ld_syncs(void)
{
    TCGContext *s = ctx_new();

    EMIT(s, insn_start, 0x300, 0);
    EMIT(s, add_i32, A(R[5]), A(R[1]), A(cst(s, TCG_TYPE_I32, 1)));
    EMIT(s, qemu_ld_i32, A(R[2]), A(R[0]), make_memop_idx(MO_UL, 0));
    EMIT(s, exit_tb, 0);
    tlb_setup(1);
    ENV->r[0] = GUEST_PAGE;
    ENV->r[1] = 41;
    ENV->r[5] = 0;
    run(s);
    g_assert_cmpint(ld_log.calls, ==, 1);
    g_assert_cmpuint(ld_log.r5, ==, 42);
    ctx_free(s);
}

static void test_qemu_st(void)
{
    static const MemOp mops[] = {
        MO_UB, MO_UW, MO_UL, MO_UQ, MO_UW | MO_BSWAP, MO_UL | MO_BSWAP,
        MO_UQ | MO_BSWAP, MO_UL | MO_ALIGN,
    };

    for (size_t k = 0; k < ARRAY_SIZE(mops); k++) {
        for (int use_const = 0; use_const < 2; use_const++) {
            MemOp mop = mops[k];
            int size = 1 << (mop & MO_SIZE);
            bool is64 = size == 8;
            uint64_t val = 0x8877665544332211ULL;
            TCGContext *s = ctx_new();
            TranslationBlock tb = { 0 };
            TCGTemp *v = is64 ? Q[0] : R[1];
            TCGTemp *keep = tmp(s, TCG_TYPE_I32);
            void *code;
            uint8_t want[8];

            if (use_const) {
                v = cst(s, is64 ? TCG_TYPE_I64 : TCG_TYPE_I32, val);
            }
            EMIT(s, add_i32, A(keep), A(R[0]), A(cst(s, TCG_TYPE_I32, 3)));
            EMIT(s, insn_start, 0x200, 0);
            emit_args(s, is64 ? INDEX_op_qemu_st_i64 : INDEX_op_qemu_st_i32,
                      3, (TCGArg[]){ A(v), A(R[0]),
                                     make_memop_idx(mop, 1) });
            EMIT(s, mov_i32, A(R[3]), A(keep));
            EMIT(s, exit_tb, 0);
            code = compile(s, &tb);

            for (int i = 0; i < size; i++) {
                int b = (mop & MO_BSWAP) ? size - 1 - i : i;

                want[i] = val >> (8 * b);
            }
            /* hit */
            tlb_setup(1);
            memset(guest_ram, 0, sizeof(guest_ram));
            ENV->r[0] = GUEST_PAGE + 0x20;
            ENV->r[1] = val;
            ENV->q[0] = val;
            exec(code);
            g_assert_cmpint(st_log.calls, ==, 0);
            g_assert_cmpmem(guest_ram + 0x20, size, want, size);
            g_assert_cmpuint(guest_ram[0x20 + size], ==, 0);
            g_assert_cmpuint(ENV->r[3], ==, GUEST_PAGE + 0x23);

            /* MMIO flag in the write tag: slow path */
            ENV->r[0] = GUEST_PAGE + TARGET_PAGE_SIZE + 8;
            exec(code);
            g_assert_cmpint(st_log.calls, ==, 1);
            g_assert_cmphex(st_log.addr, ==, GUEST_PAGE + TARGET_PAGE_SIZE + 8);
            g_assert_cmphex(st_log.val, ==, is64 ? val : (uint32_t)val);
            g_assert_cmphex(st_log.oi, ==, make_memop_idx(mop, 1));
            g_assert_cmpint(insn_of(s, st_log.retaddr), ==, 0);
            g_assert_cmpuint(ENV->r[3], ==, GUEST_PAGE + TARGET_PAGE_SIZE + 11);

            /* misaligned with MO_ALIGN: slow path */
            if (mop & MO_ALIGN) {
                ENV->r[0] = GUEST_PAGE + 0x21;
                exec(code);
                g_assert_cmpint(st_log.calls, ==, 2);
            }
            ctx_free(s);
        }
    }
}

/* 64-bit guest addresses (an i64 address temp): the whole address is
 * the tag, so a page that only matches in its low 32 bits misses. */
static void test_qemu_ldst_a64(void)
{
    const uint64_t page = 0xffff800000000000ULL | GUEST_PAGE;
    TCGContext *s = ctx_new();
    TranslationBlock tb = { 0 };
    CPUTLBEntry *e;
    uint64_t want;
    void *code;

    EMIT(s, insn_start, 0x300, 0);
    EMIT(s, qemu_ld_i64, A(Q[1]), A(Q[0]), make_memop_idx(MO_UL, 0));
    EMIT(s, insn_start, 0x304, 0);
    EMIT(s, qemu_st_i64, A(Q[2]), A(Q[0]), make_memop_idx(MO_UW, 0));
    EMIT(s, exit_tb, 0);
    code = compile(s, &tb);

    for (int i = 0; i < (int)sizeof(guest_ram); i++) {
        guest_ram[i] = i * 7 + 0x91;
    }
    memset(&cpu.tlb, 0xff, sizeof(cpu.tlb.table));
    e = tlb_entry(0, page);
    e->addr_read = e->addr_write = page;
    e->addend = (uintptr_t)guest_ram - page;
    memset(&ld_log, 0, sizeof(ld_log));
    memset(&st_log, 0, sizeof(st_log));

    /* hit: both accesses go to guest_ram through the fast path */
    want = ref_load(MO_UL, guest_ram + 0x10, true);
    ENV->q[0] = page + 0x10;
    ENV->q[2] = 0xbeef;
    exec(code);
    g_assert_cmpint(ld_log.calls, ==, 0);
    g_assert_cmpint(st_log.calls, ==, 0);
    g_assert_cmphex(ENV->q[1], ==, want);
    g_assert_cmphex(guest_ram[0x10] | guest_ram[0x11] << 8, ==, 0xbeef);

    /* the same low 32 bits in another 64-bit page: both miss */
    ENV->q[0] = (page & 0xffffffffULL) + 0x10;
    exec(code);
    g_assert_cmpint(ld_log.calls, ==, 1);
    g_assert_cmphex(ld_log.addr, ==, (page & 0xffffffffULL) + 0x10);
    g_assert_cmpint(st_log.calls, ==, 1);
    g_assert_cmphex(st_log.addr, ==, (page & 0xffffffffULL) + 0x10);

    /* an access crossing the top of the page goes slow, with the whole
     * address */
    ENV->q[0] = page + TARGET_PAGE_SIZE - 2;
    exec(code);
    g_assert_cmpint(ld_log.calls, ==, 2);
    g_assert_cmphex(ld_log.addr, ==, page + TARGET_PAGE_SIZE - 2);
    ctx_free(s);
}

/* tlb_range_ptr: the host address of a range one TLB entry maps as
 * plain RAM for the access, else 0 (a miss, a page crossing, a flag). */
static void test_tlb_range_ptr(void)
{
    const struct {
        uint32_t offset, size;
        bool store;
        bool hit;
    } cases[] = {
        { 0x10, 32, false, true },
        { 0x10, 32, true, true },
        { TARGET_PAGE_SIZE - 32, 32, true, true },     /* ends at the end */
        { TARGET_PAGE_SIZE - 16, 32, false, false },   /* crosses */
        { TARGET_PAGE_SIZE + 0x10, 8, false, true },
        { TARGET_PAGE_SIZE + 0x10, 8, true, false },   /* MMIO for writes */
        { 3 * TARGET_PAGE_SIZE, 4, false, false },     /* not in the TLB */
    };
    int mmu_idx = 1;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        TCGContext *s = ctx_new();
        TranslationBlock tb = { 0 };
        uint32_t addr = GUEST_PAGE + cases[i].offset;
        void *code;

        EMIT(s, insn_start, 0x400, 0);
        EMIT(s, tlb_range_ptr, A(Q[1]), A(R[0]), cases[i].size,
             mmu_idx | (cases[i].store ? TLB_RANGE_STORE : 0));
        EMIT(s, exit_tb, 0);
        code = compile(s, &tb);
        tlb_setup(mmu_idx);
        ENV->r[0] = addr;
        ENV->q[1] = 0x5a5a;
        exec(code);
        g_assert_cmphex(ENV->q[1], ==,
                        cases[i].hit ? (uintptr_t)guest_ram + cases[i].offset
                                     : 0);
        g_assert_cmpint(ld_log.calls + st_log.calls, ==, 0);
        ctx_free(s);
    }
}

/* ---- block exits and chaining ---- */

static void test_exit_tb(void)
{
    TCGContext *s = ctx_new();

    EMIT(s, exit_tb, 0x123456789abcdef0ULL);
    g_assert_cmphex(run(s), ==, 0x123456789abcdef0ULL);
    ctx_free(s);

    s = ctx_new();
    EMIT(s, mov_i32, A(R[0]), A(cst(s, TCG_TYPE_I32, 77)));
    EMIT(s, exit_tb, 0);
    g_assert_cmphex(run(s), ==, 0);
    g_assert_cmpuint(ENV->r[0], ==, 77);
    ctx_free(s);
}

static void test_goto_tb(void)
{
    TranslationBlock tb1 = { 0 }, tb2 = { 0 };
    TCGContext *s1 = ctx_new(), *s2;
    void *code1, *code2;

    /* block 1: R0 += 1, then goto_tb 0 / exit_tb(tb1 | 0) */
    EMIT(s1, add_i32, A(R[0]), A(R[0]), A(cst(s1, TCG_TYPE_I32, 1)));
    EMIT(s1, goto_tb, 0);
    EMIT(s1, exit_tb, (uintptr_t)&tb1 | 0);
    code1 = compile(s1, &tb1);
    g_assert_cmpuint(((uintptr_t)code1 + tb1.jmp_insn_offset[0]) % 4, ==, 0);
    g_assert_cmpuint(tb1.jmp_reset_offset[0], ==,
                     tb1.jmp_insn_offset[0] + 4);
    g_assert_cmphex(((uint8_t *)code1)[tb1.jmp_insn_offset[0] - 1], ==,
                    0xe9);

    /* block 2: R1 = R0 * 10, exit_tb(7) */
    s2 = ctx_new();
    EMIT(s2, mul_i32, A(R[1]), A(R[0]), A(cst(s2, TCG_TYPE_I32, 10)));
    EMIT(s2, exit_tb, 7);
    code2 = compile(s2, &tb2);

    ENV->r[0] = 4;
    ENV->r[1] = 0;
    g_assert_cmphex(exec(code1), ==, (uintptr_t)&tb1);
    g_assert_cmpuint(ENV->r[0], ==, 5);
    g_assert_cmpuint(ENV->r[1], ==, 0);

    tcg_target_set_jmp_target(&tb1, 0, (uintptr_t)code2);
    g_assert_cmphex(exec(code1), ==, 7);
    g_assert_cmpuint(ENV->r[0], ==, 6);
    g_assert_cmpuint(ENV->r[1], ==, 60);

    /* unchained again */
    tcg_target_set_jmp_target(&tb1, 0,
                              (uintptr_t)code1 + tb1.jmp_reset_offset[0]);
    g_assert_cmphex(exec(code1), ==, (uintptr_t)&tb1);
    g_assert_cmpuint(ENV->r[0], ==, 7);
    ctx_free(s1);
    ctx_free(s2);

    /*
     * Whatever code precedes it (slot 1), the displacement lies within
     * one aligned 8-byte word, which the patch stores atomically; behind
     * a label (the taken side of a branch), the padding is before the
     * label, so the code there starts with the jmp itself.
     */
    for (int behind_label = 0; behind_label < 2; behind_label++) {
        for (int k = 0; k < 8; k++) {
            TranslationBlock tb = { 0 };
            TCGContext *s = ctx_new();
            TCGLabel *l = label_new(s);
            uint8_t *code;

            for (int i = 0; i < k; i++) {
                EMIT(s, add_i32, A(R[i]), A(R[i]),
                     A(cst(s, TCG_TYPE_I32, i << (4 * i))));
            }
            if (behind_label) {
                EMIT(s, br, A(l));
                EMIT(s, set_label, A(l));
            }
            EMIT(s, goto_tb, 1);
            EMIT(s, exit_tb, 1);
            code = compile(s, &tb);
            g_assert_cmpuint(((uintptr_t)code + tb.jmp_insn_offset[1]) % 8,
                             <=, 4);
            if (behind_label) {
                g_assert_cmphex(*(uint8_t *)l->value, ==, 0xe9);
            }
            tcg_target_set_jmp_target(&tb, 1, (uintptr_t)code2);
            g_assert_cmphex(exec(code), ==, 7);
            tcg_target_set_jmp_target(&tb, 1,
                                      (uintptr_t)code + tb.jmp_reset_offset[1]);
            g_assert_cmphex(exec(code), ==, 1);
            ctx_free(s);
        }
    }
}

static void test_goto_ptr(void)
{
    TranslationBlock tb2 = { 0 };
    TCGContext *s2 = ctx_new(), *s;
    void *code2;

    EMIT(s2, mov_i32, A(R[1]), A(cst(s2, TCG_TYPE_I32, 99)));
    EMIT(s2, exit_tb, 5);
    code2 = compile(s2, &tb2);

    /* to another block, then to the epilogue ("return 0") */
    for (int to_epilogue = 0; to_epilogue < 2; to_epilogue++) {
        const void *target = to_epilogue ? tcg_code_gen_epilogue : code2;

        s = ctx_new();
        EMIT(s, mov_i32, A(R[0]), A(cst(s, TCG_TYPE_I32, 1)));
        EMIT(s, goto_ptr, A(cst(s, TCG_TYPE_I64, (uintptr_t)target)));
        ENV->r[0] = ENV->r[1] = 0;
        g_assert_cmphex(run(s), ==, to_epilogue ? 0 : 5);
        g_assert_cmpuint(ENV->r[0], ==, 1);
        g_assert_cmpuint(ENV->r[1], ==, to_epilogue ? 0 : 99);
        ctx_free(s);
    }
    ctx_free(s2);
}

/* Too little room: -1, nothing else. */
static void test_buffer_full(void)
{
    TCGContext *s = ctx_new();
    TranslationBlock tb = { 0 };

    EMIT(s, exit_tb, 0);
    liveness(s);
    s->code_buf = s->code_ptr = code_cur;
    s->code_end = code_cur + 16;
    g_assert_cmpint(tcg_target_gen_code(s, &tb), ==, -1);
    ctx_free(s);
}

int main(int argc, char **argv)
{
    size_t n;

    g_test_init(&argc, &argv, NULL);
    code_gen_buffer = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert(code_gen_buffer != MAP_FAILED);
    n = tcg_target_emit_prologue(code_gen_buffer, 4096);
    g_assert_cmpuint(n, >, 0);
    g_assert_cmpuint(n, <, 4096);
    code_cur = code_gen_buffer + 4096;

    g_test_add_func("/tcg-backend/binops32", test_binops32);
    g_test_add_func("/tcg-backend/binops64", test_binops64);
    g_test_add_func("/tcg-backend/binops-synced", test_binops_synced);
    g_test_add_func("/tcg-backend/unops", test_unops);
    g_test_add_func("/tcg-backend/zero-extension", test_zero_extension);
    g_test_add_func("/tcg-backend/clz", test_clz);
    g_test_add_func("/tcg-backend/add2-sub2", test_add2_sub2);
    g_test_add_func("/tcg-backend/mul2", test_mul2);
    g_test_add_func("/tcg-backend/mul2-64", test_mul2_64);
    g_test_add_func("/tcg-backend/movcond-64", test_movcond_64);
    g_test_add_func("/tcg-backend/conditions", test_conditions);
    g_test_add_func("/tcg-backend/shl-add", test_shl_add);
    g_test_add_func("/tcg-backend/loop", test_loop);
    g_test_add_func("/tcg-backend/label-saves", test_label_saves);
    g_test_add_func("/tcg-backend/spills", test_spills);
    g_test_add_func("/tcg-backend/byte-regs", test_byte_regs);
    g_test_add_func("/tcg-backend/host-ldst", test_host_ldst);
    g_test_add_func("/tcg-backend/calls", test_calls);
    g_test_add_func("/tcg-backend/qemu-ld", test_qemu_ld);
    g_test_add_func("/tcg-backend/qemu-ld-syncs", test_qemu_ld_syncs);
    g_test_add_func("/tcg-backend/call-ret-extension",
                    test_call_ret_extension);
    g_test_add_func("/tcg-backend/qemu-st", test_qemu_st);
    g_test_add_func("/tcg-backend/qemu-ldst-a64", test_qemu_ldst_a64);
    g_test_add_func("/tcg-backend/tlb-range-ptr", test_tlb_range_ptr);
    g_test_add_func("/tcg-backend/exit-tb", test_exit_tb);
    g_test_add_func("/tcg-backend/goto-tb", test_goto_tb);
    g_test_add_func("/tcg-backend/goto-ptr", test_goto_ptr);
    g_test_add_func("/tcg-backend/buffer-full", test_buffer_full);
    return g_test_run();
}
