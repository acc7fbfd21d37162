/*
 * The optimiser: one forward pass over a block's ops doing constant
 * folding, algebraic identities, copy propagation and the removal of
 * code made unreachable by a branch that is now always taken.  (Ops
 * whose results are never read go in liveness analysis, tcg.c.)
 *
 * What is known about a temp (a constant value, or "same value as temp
 * r", and which of its bits are known to be zero) holds within an
 * extended basic block: it is forgotten at every label.  The zero bits
 * make zero-extensions of values that are already narrow into copies
 * (a byte load then extended to 8, then to 32 bits, the x86 front end's
 * ext32u after an operation on two 32-bit values).  A copy is valid
 * only while its source has not been written since; each temp's write
 * count (gen) tells.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "tcg/tcg-op.h"
#include "accel/tcg/internal.h"

typedef struct OptInfo {
    bool is_const;
    uint64_t val;
    TCGTemp *copy_of;            /* NULL: none */
    unsigned copy_gen;           /* gen of copy_of when copied */
    unsigned gen;                /* bumped on every write */
    uint64_t zero_bits;          /* bits known to be 0 (not for consts) */
    bool listed;                 /* in OptContext.known */
} OptInfo;

typedef struct OptContext {
    TCGContext *s;
    OptInfo info[TCG_MAX_TEMPS];
    int nb_info;                 /* info[0..nb_info) is set for this block */
    /* The temps (not constants) something is known about since the
     * last label: a label forgets these, not every temp of the block. */
    TCGTemp *known[TCG_MAX_TEMPS];
    int nb_known;
    TCGOpList out;               /* the ops kept, in order */
} OptContext;

/* Translation is serialised, so one context serves; the op arrays are
 * swapped rather than reallocated (and nothing leaks when a constant
 * overflows the temps and translation restarts). */
static OptContext opt_ctx;

static OptInfo *ti(OptContext *c, TCGTemp *ts)
{
    return &c->info[ts - c->s->temps];
}

/* Clears the info of the temps made since the last call: only the
 * block's temps are cleared, not all of info[] (most blocks use a few
 * dozen of its thousands). */
static void info_cover_temps(OptContext *c)
{
    if (c->nb_info < c->s->nb_temps) {
        memset(&c->info[c->nb_info], 0,
               (c->s->nb_temps - c->nb_info) * sizeof(OptInfo));
        c->nb_info = c->s->nb_temps;
    }
}

/* A constant temp for val, with its info. */
static TCGTemp *opt_constant(OptContext *c, TCGType type, int64_t val)
{
    TCGTemp *ts = tcg_constant_internal(type, val);

    info_cover_temps(c);
    return ts;
}

/* Constant temps made while optimising have no info yet: ask the temp. */
static bool temp_is_const(OptContext *c, TCGTemp *ts)
{
    return ts->kind == TEMP_CONST || ti(c, ts)->is_const;
}

static uint64_t temp_val(OptContext *c, TCGTemp *ts)
{
    return ts->kind == TEMP_CONST ? (uint64_t)ts->val : ti(c, ts)->val;
}

/* The oldest temp known to hold the same value as ts. */
static TCGTemp *temp_rep(OptContext *c, TCGTemp *ts)
{
    OptInfo *i = ti(c, ts);

    if (i->copy_of && ti(c, i->copy_of)->gen == i->copy_gen) {
        return i->copy_of;
    }
    return ts;
}

static void temp_forget(OptContext *c, TCGTemp *ts)
{
    OptInfo *i = ti(c, ts);

    if (ts->kind == TEMP_CONST) {
        return;
    }
    i->is_const = false;
    i->copy_of = NULL;
    i->zero_bits = 0;
    i->gen++;
}

static uint64_t type_mask(const TCGTemp *ts)
{
    return ts->type == TCG_TYPE_I32 ? UINT32_MAX : UINT64_MAX;
}

/* The bits of ts that may be 1, within its type. */
static uint64_t may_be_set(OptContext *c, TCGTemp *ts)
{
    uint64_t bits = temp_is_const(c, ts) ? temp_val(c, ts)
                                         : ~ti(c, ts)->zero_bits;

    return bits & type_mask(ts);
}

/* Something is now known about ts (not a constant): a label must
 * forget it. */
static void note_known(OptContext *c, TCGTemp *ts)
{
    OptInfo *i = ti(c, ts);

    if (!i->listed) {
        i->listed = true;
        c->known[c->nb_known++] = ts;
    }
}

/* At a label.  Only listed temps have anything to forget; a copy of
 * an unlisted temp is itself listed, so no stale copy survives. */
static void forget_all(OptContext *c)
{
    for (int k = 0; k < c->nb_known; k++) {
        temp_forget(c, c->known[k]);
        ti(c, c->known[k])->listed = false;
    }
    c->nb_known = 0;
}

static void forget_globals(OptContext *c)
{
    for (int k = 0; k < c->s->nb_globals; k++) {
        temp_forget(c, &c->s->temps[k]);
    }
}

static void emit(OptContext *c, const TCGOp *op)
{
    *tcg_op_list_push(&c->out) = *op;
}

/* d = src, recording what is known about d. */
static void emit_mov(OptContext *c, TCGTemp *d, TCGTemp *src)
{
    TCGTemp *rep = temp_rep(c, src);
    OptInfo *di;
    TCGOp *op;
    uint64_t mask = d->type == TCG_TYPE_I32 ? UINT32_MAX : UINT64_MAX;

    /* d may already hold that value */
    if (d == rep || (temp_rep(c, d) == rep && !temp_is_const(c, rep))) {
        return;
    }
    if (temp_is_const(c, d) && temp_is_const(c, rep) &&
        ((temp_val(c, d) ^ temp_val(c, rep)) & mask) == 0) {
        return;
    }
    temp_forget(c, d);
    note_known(c, d);
    di = ti(c, d);
    if (temp_is_const(c, rep)) {
        di->is_const = true;
        di->val = temp_val(c, rep);
    } else {
        di->copy_of = rep;
        di->copy_gen = ti(c, rep)->gen;
        di->zero_bits = ti(c, rep)->zero_bits;
    }
    /* built in place: a whole TCGOp on the stack, copied into the list,
     * cost more than the rest of this function (the arguments past the
     * second are never read for a mov) */
    op = tcg_op_list_push(&c->out);
    op->opc = d->type == TCG_TYPE_I32 ? INDEX_op_mov_i32 : INDEX_op_mov_i64;
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->life = 0;
    op->args[0] = temp_arg(d);
    op->args[1] = temp_arg(rep);
}

static void emit_movi(OptContext *c, TCGTemp *d, uint64_t val)
{
    emit_mov(c, d, opt_constant(c, d->type, val));
}

static uint64_t fold_binary(TCGOpcode opc, uint64_t x, uint64_t y)
{
    uint32_t x32 = x, y32 = y;

    switch (opc) {
    case INDEX_op_add_i32: return x32 + y32;
    case INDEX_op_sub_i32: return x32 - y32;
    case INDEX_op_mul_i32: return x32 * y32;
    case INDEX_op_and_i32: return x32 & y32;
    case INDEX_op_or_i32: return x32 | y32;
    case INDEX_op_xor_i32: return x32 ^ y32;
    case INDEX_op_andc_i32: return x32 & ~y32;
    case INDEX_op_shl_i32: return x32 << (y32 & 31);
    case INDEX_op_shr_i32: return x32 >> (y32 & 31);
    case INDEX_op_sar_i32: return (uint32_t)((int32_t)x32 >> (y32 & 31));
    case INDEX_op_rotl_i32:
        return (x32 << (y32 & 31)) | (x32 >> ((32 - (y32 & 31)) & 31));
    case INDEX_op_rotr_i32:
        return (x32 >> (y32 & 31)) | (x32 << ((32 - (y32 & 31)) & 31));
    case INDEX_op_clz_i32: return x32 ? (uint32_t)__builtin_clz(x32) : y32;
    case INDEX_op_add_i64: return x + y;
    case INDEX_op_sub_i64: return x - y;
    case INDEX_op_mul_i64: return x * y;
    case INDEX_op_and_i64: return x & y;
    case INDEX_op_or_i64: return x | y;
    case INDEX_op_xor_i64: return x ^ y;
    case INDEX_op_shl_i64: return x << (y & 63);
    case INDEX_op_shr_i64: return x >> (y & 63);
    case INDEX_op_sar_i64: return (uint64_t)((int64_t)x >> (y & 63));
    case INDEX_op_andc_i64: return x & ~y;
    case INDEX_op_rotl_i64:
        return (x << (y & 63)) | (x >> ((64 - (y & 63)) & 63));
    case INDEX_op_rotr_i64:
        return (x >> (y & 63)) | (x << ((64 - (y & 63)) & 63));
    case INDEX_op_clz_i64: return x ? (uint64_t)__builtin_clzll(x) : y;
    default:
        g_assert_not_reached();
    }
}

static uint64_t fold_unary(TCGOpcode opc, uint64_t x)
{
    uint32_t x32 = x;

    switch (opc) {
    case INDEX_op_neg_i32: return -x32;
    case INDEX_op_not_i32: return ~x32;
    case INDEX_op_ext8s_i32: return (uint32_t)(int8_t)x32;
    case INDEX_op_ext8u_i32: return (uint8_t)x32;
    case INDEX_op_ext16s_i32: return (uint32_t)(int16_t)x32;
    case INDEX_op_ext16u_i32: return (uint16_t)x32;
    case INDEX_op_bswap16_i32: return ((x32 & 0xff) << 8) | ((x32 >> 8) & 0xff);
    case INDEX_op_bswap32_i32: return __builtin_bswap32(x32);
    case INDEX_op_neg_i64: return -x;
    case INDEX_op_ext_i32_i64: return (uint64_t)(int64_t)(int32_t)x32;
    case INDEX_op_extu_i32_i64: return x32;
    case INDEX_op_extrl_i64_i32: return x32;
    case INDEX_op_extrh_i64_i32: return x >> 32;
    case INDEX_op_not_i64: return ~x;
    case INDEX_op_ext8s_i64: return (uint64_t)(int8_t)x;
    case INDEX_op_ext8u_i64: return (uint8_t)x;
    case INDEX_op_ext16s_i64: return (uint64_t)(int16_t)x;
    case INDEX_op_ext16u_i64: return (uint16_t)x;
    case INDEX_op_ext32s_i64: return (uint64_t)(int32_t)x;
    case INDEX_op_ext32u_i64: return (uint32_t)x;
    case INDEX_op_bswap64_i64: return __builtin_bswap64(x);
    default:
        g_assert_not_reached();
    }
}

static bool eval_cond(TCGCond cond, uint64_t x, uint64_t y, bool is64)
{
    int64_t sx = is64 ? (int64_t)x : (int32_t)x;
    int64_t sy = is64 ? (int64_t)y : (int32_t)y;

    if (!is64) {
        x = (uint32_t)x;
        y = (uint32_t)y;
    }
    switch (cond) {
    case TCG_COND_NEVER: return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ: return x == y;
    case TCG_COND_NE: return x != y;
    case TCG_COND_LT: return sx < sy;
    case TCG_COND_GE: return sx >= sy;
    case TCG_COND_LE: return sx <= sy;
    case TCG_COND_GT: return sx > sy;
    case TCG_COND_LTU: return x < y;
    case TCG_COND_GEU: return x >= y;
    case TCG_COND_LEU: return x <= y;
    case TCG_COND_GTU: return x > y;
    }
    g_assert_not_reached();
}

/* Some condition on a value and itself. */
static bool cond_self(TCGCond c)
{
    switch (c) {
    case TCG_COND_ALWAYS:
    case TCG_COND_EQ:
    case TCG_COND_GE:
    case TCG_COND_LE:
    case TCG_COND_GEU:
    case TCG_COND_LEU:
        return true;
    default:
        return false;
    }
}

static bool is_commutative(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_add_i32: case INDEX_op_mul_i32: case INDEX_op_and_i32:
    case INDEX_op_or_i32: case INDEX_op_xor_i32:
    case INDEX_op_add_i64: case INDEX_op_mul_i64: case INDEX_op_and_i64:
    case INDEX_op_or_i64: case INDEX_op_xor_i64:
        return true;
    default:
        return false;
    }
}

/* x op y where y (and maybe x) is known; true if it was simplified. */
static bool fold_identity(OptContext *c, TCGOp *op)
{
    TCGTemp *d = arg_temp(op->args[0]);
    TCGTemp *x = arg_temp(op->args[1]), *y = arg_temp(op->args[2]);
    uint64_t mask = d->type == TCG_TYPE_I32 ? UINT32_MAX : UINT64_MAX;
    bool yc = temp_is_const(c, y);
    uint64_t yv = yc ? temp_val(c, y) & mask : 0;

    switch (op->opc) {
    case INDEX_op_add_i32: case INDEX_op_sub_i32: case INDEX_op_or_i32:
    case INDEX_op_xor_i32: case INDEX_op_shl_i32: case INDEX_op_shr_i32:
    case INDEX_op_sar_i32: case INDEX_op_rotl_i32: case INDEX_op_rotr_i32:
    case INDEX_op_andc_i32:
    case INDEX_op_add_i64: case INDEX_op_sub_i64: case INDEX_op_or_i64:
    case INDEX_op_xor_i64: case INDEX_op_shl_i64: case INDEX_op_shr_i64:
    case INDEX_op_sar_i64: case INDEX_op_rotl_i64: case INDEX_op_rotr_i64:
    case INDEX_op_andc_i64:
        if (yc && yv == 0) {
            emit_mov(c, d, x);
            return true;
        }
        break;
    case INDEX_op_and_i32: case INDEX_op_and_i64:
        if (yc && (may_be_set(c, x) & ~yv) == 0) {
            emit_mov(c, d, x);
            return true;
        }
        /* fall through */
    case INDEX_op_mul_i32: case INDEX_op_mul_i64:
        if (yc && yv == 0) {
            emit_movi(c, d, 0);
            return true;
        }
        if (op->opc != INDEX_op_and_i32 && op->opc != INDEX_op_and_i64 &&
            yc && yv == 1) {
            emit_mov(c, d, x);
            return true;
        }
        break;
    default:
        break;
    }
    if (x != y) {
        return false;
    }
    switch (op->opc) {
    case INDEX_op_sub_i32: case INDEX_op_xor_i32: case INDEX_op_andc_i32:
    case INDEX_op_sub_i64: case INDEX_op_xor_i64: case INDEX_op_andc_i64:
        emit_movi(c, d, 0);
        return true;
    case INDEX_op_and_i32: case INDEX_op_or_i32:
    case INDEX_op_and_i64: case INDEX_op_or_i64:
        emit_mov(c, d, x);
        return true;
    default:
        return false;
    }
}

/* The bits a zero-extension op keeps. */
static uint64_t zero_extension_mask(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_ext8u_i32: case INDEX_op_ext8u_i64:
        return UINT8_MAX;
    case INDEX_op_ext16u_i32: case INDEX_op_ext16u_i64:
        return UINT16_MAX;
    default:
        return UINT32_MAX;
    }
}

/* The bits of the value op (emitted, one output) wrote that may be 1. */
static uint64_t result_may_be_set(OptContext *c, const TCGOp *op)
{
    TCGTemp *d = arg_temp(op->args[0]);
    TCGTemp *x = op->nb_iargs > 0 ? arg_temp(op->args[1]) : NULL;
    TCGTemp *y = op->nb_iargs > 1 ? arg_temp(op->args[2]) : NULL;
    MemOp mop;

    switch (op->opc) {
    case INDEX_op_ext8u_i32: case INDEX_op_ext16u_i32:
    case INDEX_op_ext8u_i64: case INDEX_op_ext16u_i64:
    case INDEX_op_ext32u_i64: case INDEX_op_extu_i32_i64:
        return may_be_set(c, x) & zero_extension_mask(op->opc);
    case INDEX_op_extrl_i64_i32:
        return may_be_set(c, x);
    case INDEX_op_extrh_i64_i32:
        return may_be_set(c, x) >> 32;
    case INDEX_op_and_i32: case INDEX_op_and_i64:
        return may_be_set(c, x) & may_be_set(c, y);
    case INDEX_op_or_i32: case INDEX_op_or_i64:
    case INDEX_op_xor_i32: case INDEX_op_xor_i64:
        return may_be_set(c, x) | may_be_set(c, y);
    case INDEX_op_shr_i32: case INDEX_op_shr_i64:
        if (temp_is_const(c, y)) {
            return may_be_set(c, x) >>
                   (temp_val(c, y) & (d->type == TCG_TYPE_I32 ? 31 : 63));
        }
        break;
    case INDEX_op_setcond_i32: case INDEX_op_setcond_i64:
        return 1;
    case INDEX_op_ld8u_i32:
        return UINT8_MAX;
    case INDEX_op_ld16u_i32:
        return UINT16_MAX;
    case INDEX_op_qemu_ld_i32: case INDEX_op_qemu_ld_i64:
        mop = get_memop(op->args[2]);
        if (!(mop & MO_SIGN) && (mop & MO_SIZE) != MO_64) {
            return (UINT64_C(1) << (8 << (mop & MO_SIZE))) - 1;
        }
        break;
    default:
        break;
    }
    return UINT64_MAX;
}

static void note_zero_bits(OptContext *c, const TCGOp *op)
{
    TCGTemp *d = arg_temp(op->args[0]);
    uint64_t bits = result_may_be_set(c, op);

    /* temp_forget has just cleared the zero bits of the output */
    if (bits != UINT64_MAX) {
        ti(c, d)->zero_bits = ~bits & type_mask(d);
        note_known(c, d);
    }
}

/* Folds op if it can; returns true if it emitted its replacement. */
static bool fold_op(OptContext *c, TCGOp *op, bool *unreachable)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    TCGTemp *a0 = NULL, *a1 = NULL, *a2 = NULL;
    bool is64;

    if (op->opc == INDEX_op_call || def->nb_oargs + def->nb_iargs == 0) {
        return false;
    }
    a0 = arg_temp(op->args[0]);
    if (def->nb_oargs + def->nb_iargs > 1) {
        a1 = arg_temp(op->args[1]);
    }
    if (def->nb_oargs + def->nb_iargs > 2) {
        a2 = arg_temp(op->args[2]);
    }
    switch (op->opc) {
    case INDEX_op_mov_i32:
    case INDEX_op_mov_i64:
        emit_mov(c, a0, a1);
        return true;

    case INDEX_op_add_i32: case INDEX_op_sub_i32: case INDEX_op_mul_i32:
    case INDEX_op_and_i32: case INDEX_op_or_i32: case INDEX_op_xor_i32:
    case INDEX_op_andc_i32: case INDEX_op_shl_i32: case INDEX_op_shr_i32:
    case INDEX_op_sar_i32: case INDEX_op_rotl_i32: case INDEX_op_rotr_i32:
    case INDEX_op_add_i64: case INDEX_op_sub_i64: case INDEX_op_mul_i64:
    case INDEX_op_and_i64: case INDEX_op_or_i64: case INDEX_op_xor_i64:
    case INDEX_op_shl_i64: case INDEX_op_shr_i64: case INDEX_op_sar_i64:
    case INDEX_op_andc_i64: case INDEX_op_rotl_i64: case INDEX_op_rotr_i64:
        if (temp_is_const(c, a1) && temp_is_const(c, a2)) {
            emit_movi(c, a0, fold_binary(op->opc, temp_val(c, a1),
                                         temp_val(c, a2)));
            return true;
        }
        if (is_commutative(op->opc) && temp_is_const(c, a1)) {
            op->args[1] = temp_arg(a2);
            op->args[2] = temp_arg(a1);
        }
        return fold_identity(c, op);

    case INDEX_op_clz_i32:
    case INDEX_op_clz_i64:
        if (temp_is_const(c, a1)) {
            if (temp_val(c, a1) & (op->opc == INDEX_op_clz_i32 ? UINT32_MAX
                                                              : UINT64_MAX)) {
                emit_movi(c, a0, fold_binary(op->opc, temp_val(c, a1), 0));
            } else {
                emit_mov(c, a0, a2);
            }
            return true;
        }
        return false;

    case INDEX_op_ext8u_i32: case INDEX_op_ext16u_i32:
    case INDEX_op_ext8u_i64: case INDEX_op_ext16u_i64:
    case INDEX_op_ext32u_i64:
        if (!temp_is_const(c, a1) &&
            (may_be_set(c, a1) & ~zero_extension_mask(op->opc)) == 0) {
            emit_mov(c, a0, a1);
            return true;
        }
        /* fall through */
    case INDEX_op_neg_i32: case INDEX_op_not_i32: case INDEX_op_ext8s_i32:
    case INDEX_op_ext16s_i32:
    case INDEX_op_bswap16_i32:
    case INDEX_op_bswap32_i32: case INDEX_op_neg_i64:
    case INDEX_op_ext_i32_i64: case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32: case INDEX_op_extrh_i64_i32:
    case INDEX_op_not_i64: case INDEX_op_ext8s_i64:
    case INDEX_op_ext16s_i64:
    case INDEX_op_ext32s_i64:
    case INDEX_op_bswap64_i64:
        if (temp_is_const(c, a1)) {
            emit_movi(c, a0, fold_unary(op->opc, temp_val(c, a1)));
            return true;
        }
        return false;

    case INDEX_op_setcond_i32:
    case INDEX_op_setcond_i64:
        is64 = op->opc == INDEX_op_setcond_i64;
        if (temp_is_const(c, a1) && temp_is_const(c, a2)) {
            emit_movi(c, a0, eval_cond(op->args[3], temp_val(c, a1),
                                       temp_val(c, a2), is64));
            return true;
        }
        if (a1 == a2) {
            emit_movi(c, a0, cond_self(op->args[3]));
            return true;
        }
        if (temp_is_const(c, a1)) {
            op->args[1] = temp_arg(a2);
            op->args[2] = temp_arg(a1);
            op->args[3] = tcg_swap_cond(op->args[3]);
        }
        return false;

    case INDEX_op_movcond_i32:
    case INDEX_op_movcond_i64: {
        TCGTemp *v1 = arg_temp(op->args[3]), *v2 = arg_temp(op->args[4]);

        if (v1 == v2) {
            emit_mov(c, a0, v1);
            return true;
        }
        if (temp_is_const(c, a1) && temp_is_const(c, a2)) {
            emit_mov(c, a0, eval_cond(op->args[5], temp_val(c, a1),
                                      temp_val(c, a2),
                                      op->opc == INDEX_op_movcond_i64)
                            ? v1 : v2);
            return true;
        }
        if (a1 == a2) {
            emit_mov(c, a0, cond_self(op->args[5]) ? v1 : v2);
            return true;
        }
        return false;
    }

    case INDEX_op_brcond_i32:
    case INDEX_op_brcond_i64: {
        TCGOp br = { .opc = INDEX_op_br, .args = { op->args[3] } };
        bool taken;

        is64 = op->opc == INDEX_op_brcond_i64;
        if (temp_is_const(c, a0) && temp_is_const(c, a1)) {
            taken = eval_cond(op->args[2], temp_val(c, a0),
                              temp_val(c, a1), is64);
        } else if (a0 == a1) {
            taken = cond_self(op->args[2]);
        } else {
            if (temp_is_const(c, a0)) {
                op->args[0] = temp_arg(a1);
                op->args[1] = temp_arg(a0);
                op->args[2] = tcg_swap_cond(op->args[2]);
            }
            return false;
        }
        if (taken) {
            emit(c, &br);
            *unreachable = true;
        }
        return true;
    }

    case INDEX_op_add2_i32:
    case INDEX_op_sub2_i32: {
        TCGTemp *ah = arg_temp(op->args[3]), *bl = arg_temp(op->args[4]);
        TCGTemp *bh = arg_temp(op->args[5]);
        uint64_t a, b, r;

        if (!temp_is_const(c, a2) || !temp_is_const(c, ah) ||
            !temp_is_const(c, bl) || !temp_is_const(c, bh)) {
            return false;
        }
        a = (uint32_t)temp_val(c, a2) | (temp_val(c, ah) << 32);
        b = (uint32_t)temp_val(c, bl) | (temp_val(c, bh) << 32);
        r = op->opc == INDEX_op_add2_i32 ? a + b : a - b;
        emit_movi(c, a0, (uint32_t)r);
        emit_movi(c, a1, r >> 32);
        return true;
    }

    case INDEX_op_mulu2_i32:
    case INDEX_op_muls2_i32: {
        TCGTemp *b = arg_temp(op->args[3]);
        uint64_t r;

        if (!temp_is_const(c, a2) || !temp_is_const(c, b)) {
            return false;
        }
        if (op->opc == INDEX_op_mulu2_i32) {
            r = (uint64_t)(uint32_t)temp_val(c, a2) *
                (uint32_t)temp_val(c, b);
        } else {
            r = (uint64_t)((int64_t)(int32_t)temp_val(c, a2) *
                           (int32_t)temp_val(c, b));
        }
        emit_movi(c, a0, (uint32_t)r);
        emit_movi(c, a1, r >> 32);
        return true;
    }

    case INDEX_op_mulu2_i64:
    case INDEX_op_muls2_i64: {
        TCGTemp *b = arg_temp(op->args[3]);
        unsigned __int128 r;

        if (!temp_is_const(c, a2) || !temp_is_const(c, b)) {
            return false;
        }
        if (op->opc == INDEX_op_mulu2_i64) {
            r = (unsigned __int128)temp_val(c, a2) * temp_val(c, b);
        } else {
            r = (unsigned __int128)((__int128)(int64_t)temp_val(c, a2) *
                                    (int64_t)temp_val(c, b));
        }
        emit_movi(c, a0, (uint64_t)r);
        emit_movi(c, a1, (uint64_t)(r >> 64));
        return true;
    }

    default:
        return false;
    }
}

void tcg_optimize(TCGContext *s)
{
    OptContext *c = &opt_ctx;
    bool unreachable = false;
    TCGOpList in;

    c->s = s;
    c->nb_info = 0;
    c->nb_known = 0;
    info_cover_temps(c);
    c->out.len = 0;
    for (int k = 0; k < s->nb_temps; k++) {
        TCGTemp *ts = &s->temps[k];

        if (ts->kind == TEMP_CONST) {
            ti(c, ts)->is_const = true;
            ti(c, ts)->val = ts->val;
        }
    }
    for (guint i = 0; i < s->ops.len; i++) {
        /* edited in place: the input list is thrown away afterwards */
        TCGOp *op = tcg_op_at(s, i);
        int nb_o = op->nb_oargs, nb_i = op->nb_iargs;

        if (op->opc == INDEX_op_set_label) {
            unreachable = false;
            forget_all(c);
        }
        if (unreachable && op->opc != INDEX_op_insn_start) {
            continue;
        }
        /* copy propagation: read each input from its oldest copy */
        for (int k = nb_o; k < nb_o + nb_i; k++) {
            TCGTemp *ts = arg_temp(op->args[k]);

            if (ts->kind == TEMP_ENV || ts->kind == TEMP_CONST) {
                continue;        /* already as canonical as it gets */
            }
            if (temp_is_const(c, ts)) {
                ts = opt_constant(c, ts->type, temp_val(c, ts));
            } else {
                ts = temp_rep(c, ts);
            }
            op->args[k] = temp_arg(ts);
        }
        if (fold_op(c, op, &unreachable)) {
            continue;
        }
        for (int k = 0; k < nb_o; k++) {
            temp_forget(c, arg_temp(op->args[k]));
        }
        if (nb_o == 1) {
            note_zero_bits(c, op);
        }
        if (op->opc == INDEX_op_call) {
            const TCGHelperInfo *info =
                (const TCGHelperInfo *)(uintptr_t)op->args[nb_o + nb_i];

            if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
                forget_globals(c);
            }
            if (info->flags & TCG_CALL_NO_RETURN) {
                unreachable = true;
            }
        }
        if (op->opc == INDEX_op_br || op->opc == INDEX_op_exit_tb ||
            op->opc == INDEX_op_goto_ptr) {
            unreachable = true;
        }
        emit(c, op);
    }
    in = s->ops;
    s->ops = c->out;
    c->out = in;
}
