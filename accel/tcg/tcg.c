/*
 * The IR context: temps, globals, constants, labels, op emission, the
 * "-d op" listing and liveness analysis.
 *
 * There is one context, shared by every vCPU thread: front ends keep
 * TCGv handles to the globals they register once, and handles are
 * pointers into the context.  Translation is serialised by the code
 * cache's lock (translate-all.c), so nothing here locks.
 *
 * Liveness (tcg_liveness_analysis) walks the ops backwards with a state
 * per temp: TS_DEAD (no later op reads the value) and TS_MEM (the value
 * must be in its memory slot: env for globals, the spill slot for temps
 * whose value crosses a basic-block end).  At a block exit every global
 * must be in env; at a basic-block end (label, branch) globals and temps
 * that live on in other basic blocks must be in memory too.  Ops with a side
 * effect (guest loads and stores, which may fault) need the globals in
 * env before them.  Per op, life bit n says argument n dies there and
 * bit 16+n that output n must be stored to memory after the op.  Ops
 * whose outputs are all dead and that have no side effects are removed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "tcg/tcg-op.h"
#include "accel/tcg/internal.h"

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define TCG_OP_DEF(n, o, i, c, f) \
    [INDEX_op_##n] = { #n, o, i, c, f },
    TCG_OPCODES(TCG_OP_DEF)
#undef TCG_OP_DEF
};

static TCGContext tcg_init_ctx;
__thread TCGContext *tcg_ctx;
__thread sigjmp_buf *tcg_overflow_jmp;

/*
 * Constants of the block being translated: an open-addressing table of
 * twice as many slots as a block can have temps, so it never fills.  A
 * slot belongs to the current block only when it carries the block's
 * generation: starting a block clears nothing.
 */
#define CONST_TABLE_BITS 10
#define CONST_TABLE_SIZE (1u << CONST_TABLE_BITS)
G_STATIC_ASSERT(CONST_TABLE_SIZE >= 2 * TCG_MAX_TEMPS);
typedef struct ConstSlot {
    unsigned gen;
    TCGTemp *ts;
} ConstSlot;
static ConstSlot const_table[CONST_TABLE_SIZE];
static unsigned const_gen = 1;

void tcg_context_init(void)
{
    TCGContext *s = &tcg_init_ctx;

    tcg_ctx = s;
    if (s->labels) {
        return;
    }
    s->labels = g_ptr_array_new();
    s->insn_end_offsets = g_new0(uint16_t, TCG_MAX_INSNS);
    s->insn_data = g_malloc0(sizeof(uint64_t[2]) * TCG_MAX_INSNS);
    s->env = &s->temps[0];
    s->env->type = TCG_TYPE_I64;
    s->env->kind = TEMP_ENV;
    s->env->name = "env";
    s->nb_globals = s->nb_temps = 1;
}

/* Labels of earlier blocks, kept with their relocation arrays for the
 * next blocks: a label costs no allocation once the pool is warm. */
static GPtrArray *label_pool;

void tcg_func_start(TCGContext *s)
{
    if (!label_pool) {
        label_pool = g_ptr_array_new();
    }
    for (guint i = 0; i < s->labels->len; i++) {
        g_ptr_array_add(label_pool, g_ptr_array_index(s->labels, i));
    }
    g_ptr_array_set_size(s->labels, 0);
    s->ops.len = 0;
    if (++const_gen == 0) {      /* wrapped: old stamps could match */
        memset(const_table, 0, sizeof(const_table));
        const_gen = 1;
    }
    memset(&s->temps[s->nb_globals], 0,
           (s->nb_temps - s->nb_globals) * sizeof(TCGTemp));
    s->nb_temps = s->nb_globals;
    memset(s->free_temps, 0, sizeof(s->free_temps));
    s->nb_insns = 0;
}

static TCGTemp *tcg_temp_alloc(TCGContext *s)
{
    if (s->nb_temps == TCG_MAX_TEMPS) {
        if (tcg_overflow_jmp) {
            siglongjmp(*tcg_overflow_jmp, 1);
        }
        g_error("tcg: more than %d temps in one translation block",
                TCG_MAX_TEMPS);
    }
    memset(&s->temps[s->nb_temps], 0, sizeof(TCGTemp));
    return &s->temps[s->nb_temps++];
}

static TCGTemp *tcg_global_new(TCGType type, intptr_t offset,
                               const char *name)
{
    TCGContext *s = tcg_ctx;
    TCGTemp *ts;

    /* Globals come first so that every block's temps follow them. */
    g_assert(s->nb_temps == s->nb_globals);
    ts = tcg_temp_alloc(s);
    s->nb_globals++;
    ts->type = type;
    ts->kind = TEMP_GLOBAL;
    ts->name = name;
    ts->mem_offset = offset;
    ts->mem_allocated = true;
    ts->val_type = TEMP_VAL_MEM;
    ts->mem_coherent = true;
    return ts;
}

TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name)
{
    return temp_tcgv_i32(tcg_global_new(TCG_TYPE_I32, offset, name));
}

TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name)
{
    return temp_tcgv_i64(tcg_global_new(TCG_TYPE_I64, offset, name));
}

TCGTemp *tcg_temp_new_internal(TCGType type)
{
    TCGContext *s = tcg_ctx;
    uint64_t *free_bits = s->free_temps[type];
    TCGTemp *ts;

    for (int w = 0; w < TCG_MAX_TEMPS / 64; w++) {
        if (free_bits[w]) {
            int i = w * 64 + __builtin_ctzll(free_bits[w]);

            free_bits[w] &= free_bits[w] - 1;
            ts = &s->temps[i];
            ts->allocated = true;
            return ts;
        }
    }
    ts = tcg_temp_alloc(s);
    ts->type = type;
    ts->kind = TEMP_NORMAL;
    ts->allocated = true;
    ts->val_type = TEMP_VAL_DEAD;
    return ts;
}

TCGv_i32 tcg_temp_new_i32(void)
{
    return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32));
}

TCGv_i64 tcg_temp_new_i64(void)
{
    return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64));
}

static void tcg_temp_free_internal(TCGTemp *ts)
{
    /* Freeing a constant or global is harmless: they are never reused. */
    if (ts->kind == TEMP_NORMAL && ts->allocated) {
        int i = ts - tcg_ctx->temps;

        ts->allocated = false;
        tcg_ctx->free_temps[ts->type][i / 64] |= UINT64_C(1) << (i % 64);
    }
}

void tcg_temp_free_i32(TCGv_i32 t)
{
    tcg_temp_free_internal(tcgv_i32_temp(t));
}

void tcg_temp_free_i64(TCGv_i64 t)
{
    tcg_temp_free_internal(tcgv_i64_temp(t));
}

/*
 * Constants live until the end of the block.  An i32 constant's value is
 * kept sign-extended to 64 bits, so that equal 32-bit values share one
 * temp; 32-bit ops only look at the low half.
 */
TCGTemp *tcg_constant_internal(TCGType type, int64_t val)
{
    TCGTemp *ts;
    unsigned h;

    if (type == TCG_TYPE_I32) {
        val = (int32_t)val;
    }
    h = ((uint64_t)val * 0x9e3779b97f4a7c15ull + type) >>
        (64 - CONST_TABLE_BITS);
    for (;; h = (h + 1) % CONST_TABLE_SIZE) {
        ConstSlot *slot = &const_table[h];

        if (slot->gen != const_gen) {
            break;               /* free: not in the table */
        }
        if (slot->ts->val == val && slot->ts->type == type) {
            return slot->ts;
        }
    }
    ts = tcg_temp_alloc(tcg_ctx);
    ts->type = type;
    ts->kind = TEMP_CONST;
    ts->val = val;
    ts->val_type = TEMP_VAL_CONST;
    const_table[h] = (ConstSlot){ const_gen, ts };
    return ts;
}

/* A constant of its own, outside the table, whose value the caller may
 * still set until the block is optimised (-icount's instruction count,
 * known only at the block's end). */
TCGTemp *tcg_constant_unshared(TCGType type)
{
    TCGTemp *ts = tcg_temp_alloc(tcg_ctx);

    ts->type = type;
    ts->kind = TEMP_CONST;
    ts->val_type = TEMP_VAL_CONST;
    return ts;
}

TCGv_i32 tcg_constant_i32(uint32_t value)
{
    return temp_tcgv_i32(tcg_constant_internal(TCG_TYPE_I32, value));
}

TCGv_i64 tcg_constant_i64(uint64_t value)
{
    return temp_tcgv_i64(tcg_constant_internal(TCG_TYPE_I64, value));
}

TCGv_ptr tcg_env(void)
{
    return temp_tcgv_ptr(tcg_ctx->env);
}

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    TCGLabel *l;

    if (label_pool && label_pool->len) {
        l = g_ptr_array_steal_index_fast(label_pool, label_pool->len - 1);
        l->has_value = false;
        l->value = 0;
        if (l->relocs) {
            g_array_set_size(l->relocs, 0);
        }
    } else {
        l = g_new0(TCGLabel, 1);
    }
    l->id = s->labels->len;
    g_ptr_array_add(s->labels, l);
    return l;
}

int tcg_op_nb_oargs(const TCGOp *op)
{
    return op->nb_oargs;
}

int tcg_op_nb_iargs(const TCGOp *op)
{
    return op->nb_iargs;
}

int tcg_op_nb_cargs(const TCGOp *op)
{
    /* A call's only constant argument is its TCGHelperInfo. */
    return op->opc == INDEX_op_call ? 1 : tcg_op_defs[op->opc].nb_cargs;
}

/* ---- -d op ---- */

static const char *const cond_name[] = {
    [TCG_COND_NEVER] = "never", [TCG_COND_ALWAYS] = "always",
    [TCG_COND_EQ] = "eq", [TCG_COND_NE] = "ne",
    [TCG_COND_LT] = "lt", [TCG_COND_GE] = "ge",
    [TCG_COND_LE] = "le", [TCG_COND_GT] = "gt",
    [TCG_COND_LTU] = "ltu", [TCG_COND_GEU] = "geu",
    [TCG_COND_LEU] = "leu", [TCG_COND_GTU] = "gtu",
};

static void append_temp(TCGContext *s, GString *out, TCGTemp *ts)
{
    switch (ts->kind) {
    case TEMP_ENV:
    case TEMP_GLOBAL:
        g_string_append(out, ts->name);
        break;
    case TEMP_CONST:
        if (ts->type == TCG_TYPE_I32) {
            g_string_append_printf(out, "$0x%x", (uint32_t)ts->val);
        } else {
            g_string_append_printf(out, "$0x%" PRIx64, (uint64_t)ts->val);
        }
        break;
    case TEMP_NORMAL:
        g_string_append_printf(out, "tmp%d", (int)(ts - s->temps) -
                               s->nb_globals);
        break;
    }
}

static void append_memop(GString *out, MemOpIdx oi)
{
    static const char *const size_name[] = { "b", "w", "l", "q" };
    MemOp mop = get_memop(oi);

    g_string_append_printf(out, "%s%s%s%s%s,%u",
                           mop & MO_ALIGN ? "al+" : "",
                           mop & MO_ROTATE ? "rot+" : "",
                           mop & MO_BSWAP ? "be" : "le",
                           mop & MO_SIGN ? "s" : "u",
                           size_name[mop & MO_SIZE], get_mmuidx(oi));
}

static void dump_op(TCGContext *s, GString *out, const TCGOp *op,
                    bool have_life)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    size_t start = out->len;
    int k;

    if (op->opc == INDEX_op_insn_start) {
        g_string_append_printf(out, "\n ---- %016" PRIx64 " %016" PRIx64
                               "\n", (uint64_t)op->args[0],
                               (uint64_t)op->args[1]);
        return;
    }
    if (op->opc == INDEX_op_call) {
        const TCGHelperInfo *info =
            (const TCGHelperInfo *)(uintptr_t)op->args[nb_o + nb_i];

        g_string_append_printf(out, " call %s,$0x%x,$%d", info->name,
                               info->flags, nb_o);
    } else {
        g_string_append_printf(out, " %s ", def->name);
    }
    for (k = 0; k < nb_o + nb_i; k++) {
        if (k || op->opc == INDEX_op_call) {
            g_string_append_c(out, ',');
        }
        append_temp(s, out, arg_temp(op->args[k]));
    }
    if (op->opc != INDEX_op_call) {
        for (int c = 0; c < def->nb_cargs; c++, k++) {
            TCGArg a = op->args[k];

            if (k) {
                g_string_append_c(out, ',');
            }
            switch (op->opc) {
            case INDEX_op_set_label:
            case INDEX_op_br:
                g_string_append_printf(out, "$L%d", arg_label(a)->id);
                break;
            case INDEX_op_brcond_i32:
            case INDEX_op_brcond_i64:
                if (c == 0) {
                    g_string_append(out, cond_name[a]);
                } else {
                    g_string_append_printf(out, "$L%d", arg_label(a)->id);
                }
                break;
            case INDEX_op_setcond_i32:
            case INDEX_op_setcond_i64:
            case INDEX_op_movcond_i32:
            case INDEX_op_movcond_i64:
                g_string_append(out, cond_name[a]);
                break;
            case INDEX_op_qemu_ld_i32:
            case INDEX_op_qemu_st_i32:
            case INDEX_op_qemu_ld_i64:
            case INDEX_op_qemu_st_i64:
                append_memop(out, a);
                break;
            default:
                g_string_append_printf(out, "$0x%" PRIx64, (uint64_t)a);
                break;
            }
        }
    }
    if (have_life && op->life) {
        int n = out->len - start;

        for (; n < 40; n++) {
            g_string_append_c(out, ' ');
        }
        if (op->life >> 16) {
            g_string_append(out, "  sync:");
            for (int i = 0; i < 16; i++) {
                if (op->life & (1u << (16 + i))) {
                    g_string_append_printf(out, " %d", i);
                }
            }
        }
        if (op->life & 0xffff) {
            g_string_append(out, "  dead:");
            for (int i = 0; i < 16; i++) {
                if (op->life & (1u << i)) {
                    g_string_append_printf(out, " %d", i);
                }
            }
        }
    }
    g_string_append_c(out, '\n');
}

void tcg_dump_ops(TCGContext *s, GString *out, bool have_life)
{
    for (guint i = 0; i < s->ops.len; i++) {
        dump_op(s, out, tcg_op_at(s, i), have_life);
    }
}

/* ---- liveness ---- */

enum {
    TS_DEAD = 1,
    TS_MEM = 2,
};

/* The temps whose state a basic-block end sets: the globals and the
 * cross-block temps.  Every other TEMP_NORMAL is written before it is
 * read in each block, so the backward walk always leaves it TS_DEAD at
 * block boundaries, and the back end ignores constants' dead bits; skipping
 * them keeps block ends from costing a walk over every temp.
 * (Translation is serialised.) */
static TCGTemp *bb_end_temps[TCG_MAX_TEMPS];
static int nb_bb_end_temps;

/* Marks the TEMP_NORMAL temps whose value crosses a basic-block
 * boundary (state_ptr != NULL): only they must be kept in memory at
 * basic-block ends.  A temp is such one when some basic block reads it
 * before writing it; merely reusing a freed temp's index in several
 * blocks does not count (the front end does that all the time). */
static void find_cross_bb_temps(TCGContext *s)
{
    uintptr_t bb = 1;

    for (int i = s->nb_globals; i < s->nb_temps; i++) {
        s->temps[i].state = 0;   /* the block that last wrote it */
        s->temps[i].state_ptr = NULL;
    }
    for (guint i = 0; i < s->ops.len; i++) {
        TCGOp *op = tcg_op_at(s, i);
        int nb_o = op->nb_oargs, n = nb_o + op->nb_iargs;

        if (op->opc == INDEX_op_set_label) {
            bb++;
        }
        /* inputs first: an op may read and write the same temp */
        for (int k = nb_o; k < n; k++) {
            TCGTemp *ts = arg_temp(op->args[k]);

            if (ts->kind == TEMP_NORMAL && ts->state != bb) {
                ts->state_ptr = ts;
            }
        }
        for (int k = 0; k < nb_o; k++) {
            TCGTemp *ts = arg_temp(op->args[k]);

            if (ts->kind == TEMP_NORMAL) {
                ts->state = bb;
            }
        }
        if (tcg_op_defs[op->opc].flags & (TCG_OPF_BB_END | TCG_OPF_BB_EXIT)) {
            bb++;
        }
    }
    nb_bb_end_temps = 0;
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];

        ts->bb_local = ts->kind == TEMP_NORMAL && !ts->state_ptr;
        if (ts->kind == TEMP_GLOBAL ||
            (ts->kind == TEMP_NORMAL && ts->state_ptr)) {
            bb_end_temps[nb_bb_end_temps++] = ts;
        }
    }
}

/* The end of the ops: every temp dead, globals in memory. */
static void la_init(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];

        ts->state = ts->kind == TEMP_GLOBAL ? TS_DEAD | TS_MEM : TS_DEAD;
    }
}

/* After a block exit: as la_init, for the temps that can differ. */
static void la_func_end(void)
{
    for (int i = 0; i < nb_bb_end_temps; i++) {
        TCGTemp *ts = bb_end_temps[i];

        ts->state = ts->kind == TEMP_GLOBAL ? TS_DEAD | TS_MEM : TS_DEAD;
    }
}

/* After a block end: globals and cross-block temps live in memory. */
static void la_bb_end(void)
{
    for (int i = 0; i < nb_bb_end_temps; i++) {
        bb_end_temps[i]->state = TS_DEAD | TS_MEM;
    }
}

static void la_global_kill(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++) {
        if (s->temps[i].kind == TEMP_GLOBAL) {
            s->temps[i].state = TS_DEAD | TS_MEM;
        }
    }
}

static void la_global_sync(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++) {
        if (s->temps[i].kind == TEMP_GLOBAL) {
            s->temps[i].state |= TS_MEM;
        }
    }
}

void tcg_liveness_analysis(TCGContext *s)
{
    guint nb_ops = s->ops.len;
    g_autofree bool *removed = g_new0(bool, nb_ops);
    guint w;

    find_cross_bb_temps(s);
    la_init(s);
    for (guint i = nb_ops; i-- > 0;) {
        TCGOp *op = tcg_op_at(s, i);
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
        unsigned call_flags = 0;
        bool removable;
        uint32_t life = 0;

        if (op->opc == INDEX_op_call) {
            call_flags = ((const TCGHelperInfo *)(uintptr_t)
                          op->args[nb_o + nb_i])->flags;
            removable = call_flags & TCG_CALL_NO_SIDE_EFFECTS;
        } else if (op->opc == INDEX_op_discard) {
            arg_temp(op->args[0])->state = TS_DEAD;
            removed[i] = true;
            continue;
        } else {
            removable = nb_o > 0 && !(def->flags & (TCG_OPF_SIDE_EFFECTS |
                                                    TCG_OPF_BB_END |
                                                    TCG_OPF_BB_EXIT));
        }
        for (int k = 0; removable && k < nb_o; k++) {
            if (arg_temp(op->args[k])->state != TS_DEAD) {
                removable = false;
            }
        }
        if (removable) {
            removed[i] = true;
            continue;
        }
        for (int k = 0; k < nb_o; k++) {
            TCGTemp *ts = arg_temp(op->args[k]);

            if (ts->state & TS_DEAD) {
                life |= 1u << k;
            }
            if (ts->state & TS_MEM) {
                life |= 1u << (16 + k);
            }
            ts->state = TS_DEAD;
        }
        if (op->opc == INDEX_op_call) {
            if (!(call_flags & TCG_CALL_NO_WRITE_GLOBALS)) {
                la_global_kill(s);
            } else if (!(call_flags & TCG_CALL_NO_READ_GLOBALS)) {
                la_global_sync(s);
            }
        } else if (def->flags & TCG_OPF_BB_EXIT) {
            la_func_end();
        } else if (def->flags & TCG_OPF_BB_END) {
            la_bb_end();
        } else if (def->flags & TCG_OPF_SIDE_EFFECTS) {
            la_global_sync(s);
        }
        for (int k = nb_o; k < nb_o + nb_i; k++) {
            TCGTemp *ts = arg_temp(op->args[k]);

            if (ts->kind != TEMP_ENV && (ts->state & TS_DEAD)) {
                life |= 1u << k;
            }
        }
        for (int k = nb_o; k < nb_o + nb_i; k++) {
            arg_temp(op->args[k])->state &= ~TS_DEAD;
        }
        op->life = life;
    }
    for (guint i = w = 0; i < nb_ops; i++) {
        if (!removed[i]) {
            if (w != i) {
                *tcg_op_at(s, w) = *tcg_op_at(s, i);
            }
            w++;
        }
    }
    s->ops.len = w;
}
