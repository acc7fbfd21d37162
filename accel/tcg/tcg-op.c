/*
 * The front end's IR generation API (tcg/tcg-op.h): each function
 * appends TCGOps to the block being translated.  Immediates become
 * constant temps; a few conveniences expand into several ops.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "tcg/tcg-op.h"
#include "accel/tcg/tcg-backend.h"
#include "accel/tcg/internal.h"
#include "sysemu/icount.h"

#define T32(x) temp_arg(tcgv_i32_temp(x))
#define T64(x) temp_arg(tcgv_i64_temp(x))
#define TPTR(x) temp_arg(tcgv_ptr_temp(x))

static void gen_op1(TCGOpcode opc, TCGArg a1)
{
    tcg_emit_op(opc, 1, &a1);
}

static void gen_op2(TCGOpcode opc, TCGArg a1, TCGArg a2)
{
    TCGArg a[] = { a1, a2 };

    tcg_emit_op(opc, 2, a);
}

static void gen_op3(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3)
{
    TCGArg a[] = { a1, a2, a3 };

    tcg_emit_op(opc, 3, a);
}

static void gen_op4(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3,
                    TCGArg a4)
{
    TCGArg a[] = { a1, a2, a3, a4 };

    tcg_emit_op(opc, 4, a);
}

static void gen_op6(TCGOpcode opc, TCGArg a1, TCGArg a2, TCGArg a3,
                    TCGArg a4, TCGArg a5, TCGArg a6)
{
    TCGArg a[] = { a1, a2, a3, a4, a5, a6 };

    tcg_emit_op(opc, 6, a);
}

/* ---- block structure ---- */

/* The exit path of the entry check, placed by tcg_gen_tb_end. */
static __thread TCGLabel *exit_request_label;
/* -icount: the block's instruction count, a constant set at its end,
 * and the instructions started so far. */
static __thread TCGTemp *icount_insns;
static __thread int insns_started;

/*
 * With -icount the block also charges its instructions to the slice
 * (CPUState.icount_decr) and leaves, unrun, when they do not fit: the
 * loop then runs a shorter block or ends the slice (cpu-exec.c).
 */
static void gen_icount_check(void)
{
    TCGv_i32 left = tcg_temp_new_i32();

    icount_insns = tcg_constant_unshared(TCG_TYPE_I32);
    insns_started = 0;
    tcg_gen_ld_i32(left, tcg_env(), tcg_ctx->icount_decr_offset);
    tcg_gen_sub_i32(left, left, temp_tcgv_i32(icount_insns));
    tcg_gen_brcondi_i32(TCG_COND_LT, left, 0, exit_request_label);
    tcg_gen_st_i32(left, tcg_env(), tcg_ctx->icount_decr_offset);
    tcg_temp_free_i32(left);
}

void tcg_gen_tb_start(const TranslationBlock *tb)
{
    TCGv_i32 t = tcg_temp_new_i32();

    exit_request_label = gen_new_label();
    tcg_gen_ld_i32(t, tcg_env(), tcg_ctx->exit_request_offset);
    tcg_gen_brcondi_i32(TCG_COND_NE, t, 0, exit_request_label);
    tcg_temp_free_i32(t);
    icount_insns = NULL;
    tcg_ctx->tb_body_label = NULL;
    if (icount_enabled()) {
        gen_icount_check();
    } else {
        tcg_ctx->tb_body_label = gen_new_label();
        gen_set_label(tcg_ctx->tb_body_label);
    }
}

void tcg_gen_tb_end(const TranslationBlock *tb)
{
    if (icount_insns) {
        icount_insns->val = insns_started;
    }
    gen_set_label(exit_request_label);
    tcg_gen_exit_tb(tb, TB_EXIT_REQUESTED);
}

void gen_set_label(TCGLabel *l)
{
    gen_op1(INDEX_op_set_label, (uintptr_t)l);
}

void tcg_gen_br(TCGLabel *l)
{
    gen_op1(INDEX_op_br, (uintptr_t)l);
}

void tcg_gen_brcond_i32(TCGCond cond, TCGv_i32 a, TCGv_i32 b, TCGLabel *l)
{
    if (cond == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
    } else if (cond != TCG_COND_NEVER) {
        gen_op4(INDEX_op_brcond_i32, T32(a), T32(b), cond, (uintptr_t)l);
    }
}

void tcg_gen_brcondi_i32(TCGCond cond, TCGv_i32 a, uint32_t b, TCGLabel *l)
{
    tcg_gen_brcond_i32(cond, a, tcg_constant_i32(b), l);
}

void tcg_gen_brcond_i64(TCGCond cond, TCGv_i64 a, TCGv_i64 b, TCGLabel *l)
{
    if (cond == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
    } else if (cond != TCG_COND_NEVER) {
        gen_op4(INDEX_op_brcond_i64, T64(a), T64(b), cond, (uintptr_t)l);
    }
}

void tcg_gen_insn_start(uint64_t pc, uint64_t data)
{
    insns_started++;
    gen_op2(INDEX_op_insn_start, pc, data);
}

void tcg_gen_goto_tb(unsigned n)
{
    g_assert(n < 2);
    gen_op1(INDEX_op_goto_tb, n);
}

void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned n)
{
    g_assert(n <= TB_EXIT_MASK && ((uintptr_t)tb & TB_EXIT_MASK) == 0);
    gen_op1(INDEX_op_exit_tb, tb ? (uintptr_t)tb | n : 0);
}

static const TCGHelperInfo lookup_tb_ptr_info = {
    .func = (void *)helper_lookup_tb_ptr,
    .name = "lookup_tb_ptr",
    /* reads the pc and flags from env; writes no global */
    .flags = TCG_CALL_NO_WRITE_GLOBALS | TCG_CALL_NO_SIDE_EFFECTS,
    .ret_type = TCG_TYPE_I64,
    .has_ret = true,
    .nb_args = 1,
    .arg_types = { TCG_TYPE_I64 },
};

void tcg_gen_lookup_and_goto_ptr(void)
{
    tcg_gen_lookup_and_goto_ptr_via(&lookup_tb_ptr_info);
}

void tcg_gen_lookup_and_goto_ptr_via(const TCGHelperInfo *lookup)
{
    TCGTemp *ptr = tcg_temp_new_internal(TCG_TYPE_I64);
    TCGTemp *env = tcg_ctx->env;

    tcg_gen_callN(lookup, ptr, &env);
    gen_op1(INDEX_op_goto_ptr, temp_arg(ptr));
    tcg_temp_free_i64(temp_tcgv_i64(ptr));
}

void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args)
{
    TCGArg a[TCG_MAX_OP_ARGS];
    int n = 0;
    TCGOp *op;

    g_assert(info->nb_args <= 6);
    if (info->has_ret) {
        a[n++] = temp_arg(ret);
    }
    for (int i = 0; i < info->nb_args; i++) {
        a[n++] = temp_arg(args[i]);
    }
    a[n++] = (uintptr_t)info;
    op = tcg_emit_op(INDEX_op_call, n, a);
    op->nb_oargs = info->has_ret;
    op->nb_iargs = info->nb_args;
}

/* ---- 32-bit ---- */

void tcg_gen_discard_i32(TCGv_i32 t)
{
    gen_op1(INDEX_op_discard, T32(t));
}

void tcg_gen_mov_i32(TCGv_i32 d, TCGv_i32 s)
{
    if (d != s) {
        gen_op2(INDEX_op_mov_i32, T32(d), T32(s));
    }
}

void tcg_gen_movi_i32(TCGv_i32 d, uint32_t v)
{
    tcg_gen_mov_i32(d, tcg_constant_i32(v));
}

#define GEN_BINARY_I32(name, opc) \
    void tcg_gen_##name##_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b) \
    { \
        gen_op3(INDEX_op_##opc##_i32, T32(d), T32(a), T32(b)); \
    }

GEN_BINARY_I32(add, add)
GEN_BINARY_I32(sub, sub)
GEN_BINARY_I32(mul, mul)
GEN_BINARY_I32(and, and)
GEN_BINARY_I32(or, or)
GEN_BINARY_I32(xor, xor)
GEN_BINARY_I32(andc, andc)
GEN_BINARY_I32(shl, shl)
GEN_BINARY_I32(shr, shr)
GEN_BINARY_I32(sar, sar)
GEN_BINARY_I32(rotl, rotl)
GEN_BINARY_I32(rotr, rotr)
GEN_BINARY_I32(clz, clz)

#define GEN_UNARY_I32(name) \
    void tcg_gen_##name##_i32(TCGv_i32 d, TCGv_i32 a) \
    { \
        gen_op2(INDEX_op_##name##_i32, T32(d), T32(a)); \
    }

GEN_UNARY_I32(neg)
GEN_UNARY_I32(not)
GEN_UNARY_I32(ext8s)
GEN_UNARY_I32(ext8u)
GEN_UNARY_I32(ext16s)
GEN_UNARY_I32(ext16u)
GEN_UNARY_I32(bswap16)
GEN_UNARY_I32(bswap32)

/* Immediate forms: the identities that need no op are caught here so
 * that front ends can use them freely. */
void tcg_gen_addi_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    if (b == 0) {
        tcg_gen_mov_i32(d, a);
    } else {
        tcg_gen_add_i32(d, a, tcg_constant_i32(b));
    }
}

void tcg_gen_subi_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    tcg_gen_addi_i32(d, a, -b);
}

void tcg_gen_andi_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    if (b == 0) {
        tcg_gen_movi_i32(d, 0);
    } else if (b == UINT32_MAX) {
        tcg_gen_mov_i32(d, a);
    } else {
        tcg_gen_and_i32(d, a, tcg_constant_i32(b));
    }
}

void tcg_gen_ori_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    if (b == 0) {
        tcg_gen_mov_i32(d, a);
    } else {
        tcg_gen_or_i32(d, a, tcg_constant_i32(b));
    }
}

void tcg_gen_xori_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    if (b == 0) {
        tcg_gen_mov_i32(d, a);
    } else if (b == UINT32_MAX) {
        tcg_gen_not_i32(d, a);
    } else {
        tcg_gen_xor_i32(d, a, tcg_constant_i32(b));
    }
}

#define GEN_SHIFTI_I32(name) \
    void tcg_gen_##name##i_i32(TCGv_i32 d, TCGv_i32 a, unsigned b) \
    { \
        g_assert(b < 32); \
        if (b == 0) { \
            tcg_gen_mov_i32(d, a); \
        } else { \
            tcg_gen_##name##_i32(d, a, tcg_constant_i32(b)); \
        } \
    }

GEN_SHIFTI_I32(shl)
GEN_SHIFTI_I32(shr)
GEN_SHIFTI_I32(sar)
GEN_SHIFTI_I32(rotr)

void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        tcg_gen_movi_i32(d, c == TCG_COND_ALWAYS);
    } else {
        gen_op4(INDEX_op_setcond_i32, T32(d), T32(a), T32(b), c);
    }
}

void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    tcg_gen_setcond_i32(c, d, a, tcg_constant_i32(b));
}

void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 d, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2)
{
    if (c == TCG_COND_ALWAYS) {
        tcg_gen_mov_i32(d, v1);
    } else if (c == TCG_COND_NEVER) {
        tcg_gen_mov_i32(d, v2);
    } else {
        gen_op6(INDEX_op_movcond_i32, T32(d), T32(c1), T32(c2), T32(v1),
                T32(v2), c);
    }
}

void tcg_gen_add2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh)
{
    gen_op6(INDEX_op_add2_i32, T32(dl), T32(dh), T32(al), T32(ah), T32(bl),
            T32(bh));
}

void tcg_gen_sub2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh)
{
    gen_op6(INDEX_op_sub2_i32, T32(dl), T32(dh), T32(al), T32(ah), T32(bl),
            T32(bh));
}

void tcg_gen_mulu2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 a, TCGv_i32 b)
{
    gen_op4(INDEX_op_mulu2_i32, T32(dl), T32(dh), T32(a), T32(b));
}

void tcg_gen_muls2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 a, TCGv_i32 b)
{
    gen_op4(INDEX_op_muls2_i32, T32(dl), T32(dh), T32(a), T32(b));
}

void tcg_gen_ld_i32(TCGv_i32 d, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_ld_i32, T32(d), TPTR(ptr), offset);
}

void tcg_gen_ld8u_i32(TCGv_i32 d, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_ld8u_i32, T32(d), TPTR(ptr), offset);
}

void tcg_gen_ld16u_i32(TCGv_i32 d, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_ld16u_i32, T32(d), TPTR(ptr), offset);
}

void tcg_gen_st_i32(TCGv_i32 v, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_st_i32, T32(v), TPTR(ptr), offset);
}

void tcg_gen_st8_i32(TCGv_i32 v, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_st8_i32, T32(v), TPTR(ptr), offset);
}

void tcg_gen_st16_i32(TCGv_i32 v, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_st16_i32, T32(v), TPTR(ptr), offset);
}

/* ---- 64-bit ---- */

void tcg_gen_mov_i64(TCGv_i64 d, TCGv_i64 s)
{
    if (d != s) {
        gen_op2(INDEX_op_mov_i64, T64(d), T64(s));
    }
}

void tcg_gen_movi_i64(TCGv_i64 d, uint64_t v)
{
    tcg_gen_mov_i64(d, tcg_constant_i64(v));
}

#define GEN_BINARY_I64(name) \
    void tcg_gen_##name##_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b) \
    { \
        gen_op3(INDEX_op_##name##_i64, T64(d), T64(a), T64(b)); \
    }

GEN_BINARY_I64(add)
GEN_BINARY_I64(sub)
GEN_BINARY_I64(mul)
GEN_BINARY_I64(and)
GEN_BINARY_I64(or)
GEN_BINARY_I64(xor)
GEN_BINARY_I64(shl)
GEN_BINARY_I64(shr)
GEN_BINARY_I64(sar)
GEN_BINARY_I64(andc)
GEN_BINARY_I64(rotl)
GEN_BINARY_I64(rotr)
GEN_BINARY_I64(clz)

#define GEN_SHIFTI_I64(name) \
    void tcg_gen_##name##i_i64(TCGv_i64 d, TCGv_i64 a, unsigned b) \
    { \
        g_assert(b < 64); \
        if (b == 0) { \
            tcg_gen_mov_i64(d, a); \
        } else { \
            tcg_gen_##name##_i64(d, a, tcg_constant_i64(b)); \
        } \
    }

GEN_SHIFTI_I64(shl)
GEN_SHIFTI_I64(shr)
GEN_SHIFTI_I64(sar)
GEN_SHIFTI_I64(rotr)

void tcg_gen_rotli_i64(TCGv_i64 d, TCGv_i64 a, unsigned b)
{
    tcg_gen_rotri_i64(d, a, (64 - b) & 63);
}

void tcg_gen_addi_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b)
{
    if (b == 0) {
        tcg_gen_mov_i64(d, a);
    } else {
        tcg_gen_add_i64(d, a, tcg_constant_i64(b));
    }
}

void tcg_gen_subi_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b)
{
    tcg_gen_addi_i64(d, a, -b);
}

void tcg_gen_andi_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b)
{
    if (b == 0) {
        tcg_gen_movi_i64(d, 0);
    } else if (b == UINT64_MAX) {
        tcg_gen_mov_i64(d, a);
    } else if (b == UINT32_MAX) {
        tcg_gen_ext32u_i64(d, a);
    } else {
        tcg_gen_and_i64(d, a, tcg_constant_i64(b));
    }
}

void tcg_gen_ori_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b)
{
    if (b == 0) {
        tcg_gen_mov_i64(d, a);
    } else {
        tcg_gen_or_i64(d, a, tcg_constant_i64(b));
    }
}

void tcg_gen_xori_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b)
{
    if (b == 0) {
        tcg_gen_mov_i64(d, a);
    } else if (b == UINT64_MAX) {
        tcg_gen_not_i64(d, a);
    } else {
        tcg_gen_xor_i64(d, a, tcg_constant_i64(b));
    }
}

#define GEN_UNARY_I64(name) \
    void tcg_gen_##name##_i64(TCGv_i64 d, TCGv_i64 a) \
    { \
        gen_op2(INDEX_op_##name##_i64, T64(d), T64(a)); \
    }

GEN_UNARY_I64(neg)
GEN_UNARY_I64(not)
GEN_UNARY_I64(ext8s)
GEN_UNARY_I64(ext8u)
GEN_UNARY_I64(ext16s)
GEN_UNARY_I64(ext16u)
GEN_UNARY_I64(ext32s)
GEN_UNARY_I64(ext32u)
GEN_UNARY_I64(bswap64)

void tcg_gen_mulu2_i64(TCGv_i64 dl, TCGv_i64 dh, TCGv_i64 a, TCGv_i64 b)
{
    gen_op4(INDEX_op_mulu2_i64, T64(dl), T64(dh), T64(a), T64(b));
}

void tcg_gen_muls2_i64(TCGv_i64 dl, TCGv_i64 dh, TCGv_i64 a, TCGv_i64 b)
{
    gen_op4(INDEX_op_muls2_i64, T64(dl), T64(dh), T64(a), T64(b));
}

void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a)
{
    gen_op2(INDEX_op_ext_i32_i64, T64(d), T32(a));
}

void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a)
{
    gen_op2(INDEX_op_extu_i32_i64, T64(d), T32(a));
}

void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a)
{
    gen_op2(INDEX_op_extrl_i64_i32, T32(d), T64(a));
}

void tcg_gen_extrh_i64_i32(TCGv_i32 d, TCGv_i64 a)
{
    gen_op2(INDEX_op_extrh_i64_i32, T32(d), T64(a));
}

void tcg_gen_concat_i32_i64(TCGv_i64 d, TCGv_i32 lo, TCGv_i32 hi)
{
    TCGv_i64 t = tcg_temp_new_i64();

    /* hi first: d may be the temp lo or hi came from, not these two */
    tcg_gen_extu_i32_i64(t, hi);
    tcg_gen_shli_i64(t, t, 32);
    tcg_gen_extu_i32_i64(d, lo);
    tcg_gen_or_i64(d, d, t);
    tcg_temp_free_i64(t);
}

void tcg_gen_ld_i64(TCGv_i64 d, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_ld_i64, T64(d), TPTR(ptr), offset);
}

void tcg_gen_st_i64(TCGv_i64 v, TCGv_ptr ptr, intptr_t offset)
{
    gen_op3(INDEX_op_st_i64, T64(v), TPTR(ptr), offset);
}

void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 d, TCGv_i64 a, TCGv_i64 b)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        tcg_gen_movi_i64(d, c == TCG_COND_ALWAYS);
    } else {
        gen_op4(INDEX_op_setcond_i64, T64(d), T64(a), T64(b), c);
    }
}

void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 d, TCGv_i64 a, uint64_t b)
{
    tcg_gen_setcond_i64(c, d, a, tcg_constant_i64(b));
}

void tcg_gen_brcondi_i64(TCGCond cond, TCGv_i64 a, uint64_t b, TCGLabel *l)
{
    tcg_gen_brcond_i64(cond, a, tcg_constant_i64(b), l);
}

void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 d, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2)
{
    if (c == TCG_COND_ALWAYS) {
        tcg_gen_mov_i64(d, v1);
    } else if (c == TCG_COND_NEVER) {
        tcg_gen_mov_i64(d, v2);
    } else {
        gen_op6(INDEX_op_movcond_i64, T64(d), T64(c1), T64(c2), T64(v1),
                T64(v2), c);
    }
}

/* ---- guest memory ---- */

static MemOpIdx memop_idx(MemOp op, unsigned mmu_idx, unsigned max_size)
{
    g_assert(mmu_idx < NB_MMU_MODES && (op & MO_SIZE) <= max_size);
    return make_memop_idx(op, mmu_idx);
}

void tcg_gen_qemu_ld_i32(TCGv_i32 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op)
{
    gen_op3(INDEX_op_qemu_ld_i32, T32(val), T32(addr),
            memop_idx(op, mmu_idx, MO_32));
}

void tcg_gen_qemu_st_i32(TCGv_i32 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op)
{
    gen_op3(INDEX_op_qemu_st_i32, T32(val), T32(addr),
            memop_idx(op & ~MO_SIGN, mmu_idx, MO_32));
}

void tcg_gen_tlb_range_ptr(TCGv_ptr host, TCGv_i32 addr, unsigned mmu_idx,
                           bool is_store, unsigned size)
{
    gen_op4(INDEX_op_tlb_range_ptr, TPTR(host), T32(addr), size,
            mmu_idx | (is_store ? TLB_RANGE_STORE : 0));
}

void tcg_gen_qemu_ld_i64(TCGv_i64 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op)
{
    gen_op3(INDEX_op_qemu_ld_i64, T64(val), T32(addr),
            memop_idx(op, mmu_idx, MO_64));
}

void tcg_gen_qemu_st_i64(TCGv_i64 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op)
{
    gen_op3(INDEX_op_qemu_st_i64, T64(val), T32(addr),
            memop_idx(op & ~MO_SIGN, mmu_idx, MO_64));
}

void tcg_gen_qemu_ld_a64_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx,
                             MemOp op)
{
    gen_op3(INDEX_op_qemu_ld_i64, T64(val), T64(addr),
            memop_idx(op, mmu_idx, MO_64));
}

void tcg_gen_qemu_st_a64_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx,
                             MemOp op)
{
    gen_op3(INDEX_op_qemu_st_i64, T64(val), T64(addr),
            memop_idx(op & ~MO_SIGN, mmu_idx, MO_64));
}
