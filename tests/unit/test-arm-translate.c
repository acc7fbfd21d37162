/*
 * Checks the ARM front end (target/arm/translate*.c, op_helper.c) on
 * its own: the tcg-op API is replaced by a recorder whose ops are then
 * interpreted, so what the decoder generates runs without the core and
 * the back end.  A small CPU model (modes, banking, exception entry,
 * semihosting output and exit, flat RAM) stands in for helper.c.
 *
 * Without arguments it runs built-in programs (TAP); with a flat ARM
 * image (loaded at 0) it runs that and exits with the guest's status:
 *   test-arm-translate [-v] prog.bin
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <setjmp.h>
#include "target/arm/translate.h"

/* ---- the recorder: what tcg-op.h promises, as a list of ops ---- */

typedef enum {
    F_MOV, F_MOVI, F_ADD, F_SUB, F_MUL, F_AND, F_OR, F_XOR, F_ANDC,
    F_SHL, F_SHR, F_SAR, F_ROTR, F_ROTL, F_NEG, F_NOT, F_EXT8S, F_EXT8U,
    F_EXT16S, F_EXT16U, F_BSWAP16, F_BSWAP32, F_CLZ, F_SETCOND, F_MOVCOND,
    F_ADD2, F_SUB2, F_MULU2, F_MULS2,
    F_MOV64, F_MOVI64, F_ADD64, F_SUB64, F_MUL64, F_AND64, F_OR64, F_XOR64,
    F_SHL64, F_SHR64, F_SAR64, F_NEG64, F_EXT64, F_EXTU64, F_EXTRL, F_EXTRH,
    F_CONCAT, F_SETCOND64,
    F_LD, F_ST, F_LD64, F_ST64, F_QLD, F_QST, F_QLD64, F_QST64, F_TLBRANGE,
    F_LABEL, F_BR, F_BRCOND, F_BRCOND64, F_CALL, F_EXIT, F_NOP,
} FakeOpc;

typedef struct FakeOp {
    FakeOpc opc;
    TCGTemp *a[6];
    uint64_t imm;                /* constant, offset, memop, label id */
    TCGCond cond;
    int mmu_idx;
    const TCGHelperInfo *info;
} FakeOp;

#define MAX_TEMPS 8192
static TCGTemp temps[MAX_TEMPS];
static uint64_t vals[MAX_TEMPS];
static int nb_temps, nb_globals, live_temps, max_live_temps;
static TCGTemp *env_temp;
static GArray *ops;
static int nb_labels;
static int label_pos[4096];
static CPUARMState *cur_env;

__thread TCGContext *tcg_ctx;

static TCGTemp *new_temp(TCGType type, TCGTempKind kind)
{
    TCGTemp *t;

    g_assert(nb_temps < MAX_TEMPS);
    t = &temps[nb_temps++];
    memset(t, 0, sizeof(*t));
    t->type = type;
    t->kind = kind;
    if (kind == TEMP_NORMAL) {
        t->allocated = true;
        if (++live_temps > max_live_temps) {
            max_live_temps = live_temps;
        }
    }
    return t;
}

static int tidx(TCGTemp *t) { return t - temps; }

/* Every op goes through here: a freed temp must not be used again. */
static void append_op(FakeOp *op)
{
    for (int i = 0; i < 6; i++) {
        g_assert(!op->a[i] || op->a[i]->kind != TEMP_NORMAL ||
                 op->a[i]->allocated);
    }
    g_array_append_val(ops, *op);
}

static void emit(FakeOpc opc, TCGTemp *a0, TCGTemp *a1, TCGTemp *a2,
                 uint64_t imm)
{
    FakeOp op = { .opc = opc, .a = { a0, a1, a2 }, .imm = imm };

    append_op(&op);
}

#define T32(x) tcgv_i32_temp(x)
#define T64(x) tcgv_i64_temp(x)

TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name)
{
    TCGTemp *t = new_temp(TCG_TYPE_I32, TEMP_GLOBAL);

    t->mem_offset = offset;
    t->name = name;
    nb_globals = nb_temps;
    return temp_tcgv_i32(t);
}

TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name)
{
    TCGTemp *t = new_temp(TCG_TYPE_I64, TEMP_GLOBAL);

    t->mem_offset = offset;
    t->name = name;
    nb_globals = nb_temps;
    return temp_tcgv_i64(t);
}

TCGv_i32 tcg_temp_new_i32(void)
{
    return temp_tcgv_i32(new_temp(TCG_TYPE_I32, TEMP_NORMAL));
}

TCGv_i64 tcg_temp_new_i64(void)
{
    return temp_tcgv_i64(new_temp(TCG_TYPE_I64, TEMP_NORMAL));
}

static void free_temp(TCGTemp *t)
{
    /* Freeing a global, a constant or twice is a front end bug. */
    g_assert(t->kind == TEMP_NORMAL && t->allocated);
    t->allocated = false;
    live_temps--;
}

void tcg_temp_free_i32(TCGv_i32 t) { free_temp(T32(t)); }
void tcg_temp_free_i64(TCGv_i64 t) { free_temp(T64(t)); }

TCGv_i32 tcg_constant_i32(uint32_t value)
{
    TCGTemp *t = new_temp(TCG_TYPE_I32, TEMP_CONST);

    t->val = value;
    vals[tidx(t)] = value;
    return temp_tcgv_i32(t);
}

TCGv_i64 tcg_constant_i64(uint64_t value)
{
    TCGTemp *t = new_temp(TCG_TYPE_I64, TEMP_CONST);

    t->val = value;
    vals[tidx(t)] = value;
    return temp_tcgv_i64(t);
}

TCGv_ptr tcg_env(void)
{
    return temp_tcgv_ptr(env_temp);
}

void tcg_gen_tb_start(const TranslationBlock *tb) { }
void tcg_gen_tb_end(const TranslationBlock *tb) { }

TCGLabel *gen_new_label(void)
{
    TCGLabel *l = g_new0(TCGLabel, 1);

    g_assert(nb_labels < 4096);
    l->id = nb_labels++;
    label_pos[l->id] = -1;
    return l;
}

void gen_set_label(TCGLabel *l)
{
    label_pos[l->id] = ops->len;
    emit(F_LABEL, NULL, NULL, NULL, l->id);
    g_free(l);      /* the recorder only needs the id from here on */
}

void tcg_gen_br(TCGLabel *l) { emit(F_BR, NULL, NULL, NULL, l->id); }

void tcg_gen_brcond_i32(TCGCond cond, TCGv_i32 a, TCGv_i32 b, TCGLabel *l)
{
    emit(F_BRCOND, T32(a), T32(b), NULL, l->id);
    g_array_index(ops, FakeOp, ops->len - 1).cond = cond;
}

void tcg_gen_brcondi_i32(TCGCond cond, TCGv_i32 a, uint32_t b, TCGLabel *l)
{
    tcg_gen_brcond_i32(cond, a, tcg_constant_i32(b), l);
}

void tcg_gen_brcond_i64(TCGCond cond, TCGv_i64 a, TCGv_i64 b, TCGLabel *l)
{
    emit(F_BRCOND64, T64(a), T64(b), NULL, l->id);
    g_array_index(ops, FakeOp, ops->len - 1).cond = cond;
}

void tcg_gen_brcondi_i64(TCGCond cond, TCGv_i64 a, uint64_t b, TCGLabel *l)
{
    tcg_gen_brcond_i64(cond, a, tcg_constant_i64(b), l);
}

void tcg_gen_insn_start(uint64_t pc, uint64_t data)
{
    emit(F_NOP, NULL, NULL, NULL, pc);
}

void tcg_gen_goto_tb(unsigned n) { }
void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned n)
{
    emit(F_EXIT, NULL, NULL, NULL, 0);
}
void tcg_gen_lookup_and_goto_ptr(void)
{
    emit(F_EXIT, NULL, NULL, NULL, 0);
}
void tcg_gen_lookup_and_goto_ptr_via(const TCGHelperInfo *lookup)
{
    emit(F_EXIT, NULL, NULL, NULL, 0);
}
/* Named by the front end's lookup; F_EXIT above stands for the call. */
const void *helper_arm_lookup_tb_ptr(CPUARMState *env)
{
    g_assert_not_reached();
}

void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args)
{
    FakeOp op = { .opc = F_CALL, .info = info };

    g_assert(info->nb_args <= 4);
    for (int i = 0; i < info->nb_args; i++) {
        op.a[i] = args[i];
    }
    op.a[5] = ret;
    append_op(&op);
}

#define GEN2(name, opc) \
    void tcg_gen_##name(TCGv_i32 d, TCGv_i32 a) \
    { emit(opc, T32(d), T32(a), NULL, 0); }
#define GEN3(name, opc) \
    void tcg_gen_##name(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b) \
    { emit(opc, T32(d), T32(a), T32(b), 0); }
#define GEN3I(name, opc, type) \
    void tcg_gen_##name(TCGv_i32 d, TCGv_i32 a, type b) \
    { emit(opc, T32(d), T32(a), T32(tcg_constant_i32(b)), 0); }
#define GEN2_64(name, opc) \
    void tcg_gen_##name(TCGv_i64 d, TCGv_i64 a) \
    { emit(opc, T64(d), T64(a), NULL, 0); }
#define GEN3_64(name, opc) \
    void tcg_gen_##name(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b) \
    { emit(opc, T64(d), T64(a), T64(b), 0); }

GEN2(mov_i32, F_MOV)
GEN3(add_i32, F_ADD) GEN3I(addi_i32, F_ADD, uint32_t)
GEN3(sub_i32, F_SUB) GEN3I(subi_i32, F_SUB, uint32_t)
GEN3(mul_i32, F_MUL)
GEN3(and_i32, F_AND) GEN3I(andi_i32, F_AND, uint32_t)
GEN3(or_i32, F_OR) GEN3I(ori_i32, F_OR, uint32_t)
GEN3(xor_i32, F_XOR) GEN3I(xori_i32, F_XOR, uint32_t)
GEN3(andc_i32, F_ANDC)
GEN3(shl_i32, F_SHL) GEN3I(shli_i32, F_SHL, unsigned)
GEN3(shr_i32, F_SHR) GEN3I(shri_i32, F_SHR, unsigned)
GEN3(sar_i32, F_SAR) GEN3I(sari_i32, F_SAR, unsigned)
GEN3(rotr_i32, F_ROTR) GEN3I(rotri_i32, F_ROTR, unsigned)
GEN3(rotl_i32, F_ROTL)
GEN2(neg_i32, F_NEG) GEN2(not_i32, F_NOT)
GEN2(ext8s_i32, F_EXT8S) GEN2(ext8u_i32, F_EXT8U)
GEN2(ext16s_i32, F_EXT16S) GEN2(ext16u_i32, F_EXT16U)
GEN2(bswap16_i32, F_BSWAP16) GEN2(bswap32_i32, F_BSWAP32)
GEN3(clz_i32, F_CLZ)
GEN2_64(mov_i64, F_MOV64)
GEN3_64(add_i64, F_ADD64) GEN3_64(sub_i64, F_SUB64)
GEN3_64(mul_i64, F_MUL64) GEN3_64(and_i64, F_AND64)
GEN3_64(or_i64, F_OR64) GEN3_64(xor_i64, F_XOR64)
GEN3_64(shl_i64, F_SHL64) GEN3_64(shr_i64, F_SHR64)
GEN3_64(sar_i64, F_SAR64) GEN2_64(neg_i64, F_NEG64)

/* The interpreter keeps the value: nothing reads it again. */
void tcg_gen_discard_i32(TCGv_i32 t) { }

void tcg_gen_movi_i32(TCGv_i32 d, uint32_t v)
{
    emit(F_MOVI, T32(d), NULL, NULL, v);
}

void tcg_gen_movi_i64(TCGv_i64 d, uint64_t v)
{
    emit(F_MOVI64, T64(d), NULL, NULL, v);
}

void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    emit(F_SETCOND, T32(d), T32(a), T32(b), 0);
    g_array_index(ops, FakeOp, ops->len - 1).cond = c;
}

void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 d, TCGv_i32 a, uint32_t b)
{
    tcg_gen_setcond_i32(c, d, a, tcg_constant_i32(b));
}

void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 d, TCGv_i64 a, TCGv_i64 b)
{
    emit(F_SETCOND64, T64(d), T64(a), T64(b), 0);
    g_array_index(ops, FakeOp, ops->len - 1).cond = c;
}

void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 d, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2)
{
    FakeOp op = { .opc = F_MOVCOND, .cond = c,
                  .a = { T32(d), T32(c1), T32(c2), T32(v1), T32(v2) } };

    append_op(&op);
}

static void emit6(FakeOpc opc, TCGTemp *a0, TCGTemp *a1, TCGTemp *a2,
                  TCGTemp *a3, TCGTemp *a4, TCGTemp *a5)
{
    FakeOp op = { .opc = opc, .a = { a0, a1, a2, a3, a4, a5 } };

    append_op(&op);
}

void tcg_gen_add2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh)
{
    emit6(F_ADD2, T32(dl), T32(dh), T32(al), T32(ah), T32(bl), T32(bh));
}

void tcg_gen_sub2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh)
{
    emit6(F_SUB2, T32(dl), T32(dh), T32(al), T32(ah), T32(bl), T32(bh));
}

void tcg_gen_mulu2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 a, TCGv_i32 b)
{
    emit6(F_MULU2, T32(dl), T32(dh), T32(a), T32(b), NULL, NULL);
}

void tcg_gen_muls2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 a, TCGv_i32 b)
{
    emit6(F_MULS2, T32(dl), T32(dh), T32(a), T32(b), NULL, NULL);
}

static void emit_env(FakeOpc opc, TCGTemp *v, TCGv_ptr p, intptr_t off,
                     int size)
{
    FakeOp op = { .opc = opc, .a = { v, tcgv_ptr_temp(p) }, .imm = off,
                  .mmu_idx = size };

    append_op(&op);
}

void tcg_gen_ld_i32(TCGv_i32 d, TCGv_ptr p, intptr_t o)
{ emit_env(F_LD, T32(d), p, o, 4); }
void tcg_gen_ld8u_i32(TCGv_i32 d, TCGv_ptr p, intptr_t o)
{ emit_env(F_LD, T32(d), p, o, 1); }
void tcg_gen_ld16u_i32(TCGv_i32 d, TCGv_ptr p, intptr_t o)
{ emit_env(F_LD, T32(d), p, o, 2); }
void tcg_gen_st_i32(TCGv_i32 v, TCGv_ptr p, intptr_t o)
{ emit_env(F_ST, T32(v), p, o, 4); }
void tcg_gen_st8_i32(TCGv_i32 v, TCGv_ptr p, intptr_t o)
{ emit_env(F_ST, T32(v), p, o, 1); }
void tcg_gen_st16_i32(TCGv_i32 v, TCGv_ptr p, intptr_t o)
{ emit_env(F_ST, T32(v), p, o, 2); }
void tcg_gen_ld_i64(TCGv_i64 d, TCGv_ptr p, intptr_t o)
{ emit_env(F_LD64, T64(d), p, o, 8); }
void tcg_gen_st_i64(TCGv_i64 v, TCGv_ptr p, intptr_t o)
{ emit_env(F_ST64, T64(v), p, o, 8); }

void tcg_gen_shli_i64(TCGv_i64 d, TCGv_i64 a, unsigned b)
{ tcg_gen_shl_i64(d, a, tcg_constant_i64(b)); }
void tcg_gen_shri_i64(TCGv_i64 d, TCGv_i64 a, unsigned b)
{ tcg_gen_shr_i64(d, a, tcg_constant_i64(b)); }
void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a)
{ emit(F_EXT64, T64(d), T32(a), NULL, 0); }
void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a)
{ emit(F_EXTU64, T64(d), T32(a), NULL, 0); }
void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a)
{ emit(F_EXTRL, T32(d), T64(a), NULL, 0); }
void tcg_gen_extrh_i64_i32(TCGv_i32 d, TCGv_i64 a)
{ emit(F_EXTRH, T32(d), T64(a), NULL, 0); }
void tcg_gen_concat_i32_i64(TCGv_i64 d, TCGv_i32 lo, TCGv_i32 hi)
{ emit(F_CONCAT, T64(d), T32(lo), T32(hi), 0); }

static void emit_mem(FakeOpc opc, TCGTemp *v, TCGv_i32 addr, unsigned idx,
                     MemOp mop)
{
    FakeOp op = { .opc = opc, .a = { v, T32(addr) }, .imm = mop,
                  .mmu_idx = idx };

    append_op(&op);
}

void tcg_gen_qemu_ld_i32(TCGv_i32 v, TCGv_i32 a, unsigned i, MemOp op)
{ emit_mem(F_QLD, T32(v), a, i, op); }
void tcg_gen_qemu_st_i32(TCGv_i32 v, TCGv_i32 a, unsigned i, MemOp op)
{ emit_mem(F_QST, T32(v), a, i, op); }
void tcg_gen_qemu_ld_i64(TCGv_i64 v, TCGv_i32 a, unsigned i, MemOp op)
{ emit_mem(F_QLD64, T64(v), a, i, op); }
/* Like the core's: ranges within one 1 KiB page of RAM (the fast path),
 * others 0 (the per-word accesses). */
void tcg_gen_tlb_range_ptr(TCGv_ptr host, TCGv_i32 a, unsigned i,
                           bool is_store, unsigned size)
{ emit_mem(F_TLBRANGE, tcgv_ptr_temp(host), a, i, size); }
void tcg_gen_qemu_st_i64(TCGv_i64 v, TCGv_i32 a, unsigned i, MemOp op)
{ emit_mem(F_QST64, T64(v), a, i, op); }

/* ---- the interpreter ---- */

#define RAM_SIZE (64u << 20)
static uint8_t *ram;
static jmp_buf exc_jmp;
static uint64_t guest_insns;

static uint64_t rd(TCGTemp *t)
{
    if (t->kind == TEMP_GLOBAL) {
        void *p = (uint8_t *)cur_env + t->mem_offset;

        return t->type == TCG_TYPE_I32 ? *(uint32_t *)p : *(uint64_t *)p;
    }
    if (t->kind == TEMP_ENV) {
        return (uintptr_t)cur_env;
    }
    return t->type == TCG_TYPE_I32 ? (uint32_t)vals[tidx(t)] : vals[tidx(t)];
}

static void wr(TCGTemp *t, uint64_t v)
{
    g_assert(t->kind == TEMP_GLOBAL || t->kind == TEMP_NORMAL);
    if (t->type == TCG_TYPE_I32) {
        v = (uint32_t)v;
    }
    if (t->kind == TEMP_GLOBAL) {
        void *p = (uint8_t *)cur_env + t->mem_offset;

        if (t->type == TCG_TYPE_I32) {
            *(uint32_t *)p = v;
        } else {
            *(uint64_t *)p = v;
        }
        return;
    }
    vals[tidx(t)] = v;
}

static bool cond_holds(TCGCond c, uint64_t a, uint64_t b, bool is64)
{
    int64_t sa = is64 ? (int64_t)a : (int32_t)a;
    int64_t sb = is64 ? (int64_t)b : (int32_t)b;

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
    default: return a > b;
    }
}

static void guest_abort(CPUARMState *env, uint32_t pc)
{
    env->regs[15] = pc;
    env_cpu(env)->exception_index = EXCP_DATA_ABORT;
    longjmp(exc_jmp, 1);
}

static uint8_t *guest_ptr(uint32_t addr, unsigned size, uint32_t pc)
{
    if (addr >= RAM_SIZE || RAM_SIZE - addr < size) {
        guest_abort(cur_env, pc);
    }
    return ram + addr;
}

static uint32_t rot32(uint32_t x, unsigned n);

static uint64_t guest_ld(uint32_t addr, MemOp mop, uint32_t pc)
{
    unsigned size = 1u << (mop & MO_SIZE);
    uint8_t *p;
    uint64_t v = 0;

    if ((mop & MO_ROTATE) && (addr & (size - 1))) {
        /* the core's slow path: the aligned word, rotated */
        return rot32(guest_ld(addr & ~(size - 1), mop, pc), 8 * (addr & 3));
    }
    p = guest_ptr(addr, size, pc);

    for (int i = size - 1; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    if (mop & MO_SIGN) {
        v = size == 1 ? (uint64_t)(int8_t)v :
            size == 2 ? (uint64_t)(int16_t)v : (uint64_t)(int32_t)v;
    }
    return v;
}

static void guest_st(uint32_t addr, uint64_t v, MemOp mop, uint32_t pc)
{
    unsigned size = 1u << (mop & MO_SIZE);
    uint8_t *p = guest_ptr(addr, size, pc);

    for (unsigned i = 0; i < size; i++) {
        p[i] = v >> (8 * i);
    }
}

static uint32_t rot32(uint32_t x, unsigned n)
{
    n &= 31;
    return n ? (x >> n) | (x << (32 - n)) : x;
}

typedef uint64_t (*call4)(uint64_t, uint64_t, uint64_t, uint64_t);

static void run_ops(void)
{
    FakeOp *o = (FakeOp *)ops->data;
    uint32_t pc = 0;
    uint64_t x, y;

    for (unsigned i = 0; i < ops->len; i++) {
        FakeOp *op = &o[i];
        TCGTemp **a = op->a;

        switch (op->opc) {
        case F_NOP: pc = op->imm; guest_insns++; break;
        case F_LABEL: break;
        case F_MOV: case F_MOV64: wr(a[0], rd(a[1])); break;
        case F_MOVI: case F_MOVI64: wr(a[0], op->imm); break;
        case F_ADD: case F_ADD64: wr(a[0], rd(a[1]) + rd(a[2])); break;
        case F_SUB: case F_SUB64: wr(a[0], rd(a[1]) - rd(a[2])); break;
        case F_MUL: case F_MUL64: wr(a[0], rd(a[1]) * rd(a[2])); break;
        case F_AND: case F_AND64: wr(a[0], rd(a[1]) & rd(a[2])); break;
        case F_OR: case F_OR64: wr(a[0], rd(a[1]) | rd(a[2])); break;
        case F_XOR: case F_XOR64: wr(a[0], rd(a[1]) ^ rd(a[2])); break;
        case F_ANDC: wr(a[0], rd(a[1]) & ~rd(a[2])); break;
        case F_SHL: wr(a[0], (uint32_t)rd(a[1]) << (rd(a[2]) & 31)); break;
        case F_SHR: wr(a[0], (uint32_t)rd(a[1]) >> (rd(a[2]) & 31)); break;
        case F_SAR:
            wr(a[0], (uint32_t)((int32_t)rd(a[1]) >> (rd(a[2]) & 31)));
            break;
        case F_ROTR: wr(a[0], rot32(rd(a[1]), rd(a[2]))); break;
        case F_ROTL: wr(a[0], rot32(rd(a[1]), 32 - (rd(a[2]) & 31))); break;
        case F_SHL64: wr(a[0], rd(a[1]) << (rd(a[2]) & 63)); break;
        case F_SHR64: wr(a[0], rd(a[1]) >> (rd(a[2]) & 63)); break;
        case F_SAR64: wr(a[0], (int64_t)rd(a[1]) >> (rd(a[2]) & 63)); break;
        case F_NEG: case F_NEG64: wr(a[0], -rd(a[1])); break;
        case F_NOT: wr(a[0], ~rd(a[1])); break;
        case F_EXT8S: wr(a[0], (int8_t)rd(a[1])); break;
        case F_EXT8U: wr(a[0], (uint8_t)rd(a[1])); break;
        case F_EXT16S: wr(a[0], (int16_t)rd(a[1])); break;
        case F_EXT16U: wr(a[0], (uint16_t)rd(a[1])); break;
        case F_BSWAP16:
            x = rd(a[1]);
            wr(a[0], ((x & 0xff) << 8) | ((x >> 8) & 0xff));
            break;
        case F_BSWAP32: wr(a[0], __builtin_bswap32(rd(a[1]))); break;
        case F_CLZ:
            x = rd(a[1]);
            wr(a[0], x ? (uint64_t)__builtin_clz(x) : rd(a[2]));
            break;
        case F_SETCOND:
        case F_SETCOND64:
            wr(a[0], cond_holds(op->cond, rd(a[1]), rd(a[2]),
                                op->opc == F_SETCOND64));
            break;
        case F_MOVCOND:
            wr(a[0], cond_holds(op->cond, rd(a[1]), rd(a[2]), false)
                     ? rd(a[3]) : rd(a[4]));
            break;
        case F_ADD2:
        case F_SUB2:
            x = rd(a[2]) | rd(a[3]) << 32;
            y = rd(a[4]) | rd(a[5]) << 32;
            x = op->opc == F_ADD2 ? x + y : x - y;
            wr(a[0], x);
            wr(a[1], x >> 32);
            break;
        case F_MULU2:
            x = rd(a[2]) * rd(a[3]);
            wr(a[0], x);
            wr(a[1], x >> 32);
            break;
        case F_MULS2:
            x = (int64_t)(int32_t)rd(a[2]) * (int32_t)rd(a[3]);
            wr(a[0], x);
            wr(a[1], x >> 32);
            break;
        case F_EXT64: wr(a[0], (int64_t)(int32_t)rd(a[1])); break;
        case F_EXTU64: wr(a[0], (uint32_t)rd(a[1])); break;
        case F_EXTRL: wr(a[0], (uint32_t)rd(a[1])); break;
        case F_EXTRH: wr(a[0], rd(a[1]) >> 32); break;
        case F_CONCAT: wr(a[0], rd(a[1]) | rd(a[2]) << 32); break;
        case F_LD: case F_LD64: {
            uint8_t *p = (uint8_t *)(uintptr_t)rd(a[1]) + op->imm;

            x = 0;
            memcpy(&x, p, op->mmu_idx);
            wr(a[0], x);
            break;
        }
        case F_ST: case F_ST64: {
            uint8_t *p = (uint8_t *)(uintptr_t)rd(a[1]) + op->imm;

            x = rd(a[0]);
            memcpy(p, &x, op->mmu_idx);
            break;
        }
        case F_QLD: case F_QLD64:
            wr(a[0], guest_ld(rd(a[1]), op->imm, pc));
            break;
        case F_QST: case F_QST64:
            guest_st(rd(a[1]), rd(a[0]), op->imm, pc);
            break;
        case F_TLBRANGE:
            x = rd(a[1]);
            wr(a[0], x + op->imm <= RAM_SIZE &&
                     x >> 10 == (x + op->imm - 1) >> 10 ?
                     (uintptr_t)(ram + x) : 0);
            break;
        case F_BR:
            i = label_pos[op->imm];
            break;
        case F_BRCOND:
        case F_BRCOND64:
            if (cond_holds(op->cond, rd(a[0]), rd(a[1]),
                           op->opc == F_BRCOND64)) {
                g_assert(label_pos[op->imm] > (int)i);  /* forward only */
                i = label_pos[op->imm];
            }
            break;
        case F_CALL: {
            uint64_t args[4] = { 0 };

            for (int j = 0; j < op->info->nb_args; j++) {
                args[j] = rd(a[j]);
            }
            x = ((call4)op->info->func)(args[0], args[1], args[2], args[3]);
            if (a[5]) {
                wr(a[5], (uint32_t)x);
            }
            break;
        }
        case F_EXIT:
            return;
        }
    }
    g_assert_not_reached();     /* every path must leave the block */
}

/* ---- the stand-in CPU ---- */

static ARMCPU test_cpu;
static bool verbose;
static bool semihost_exited;
static int semihost_status;
static GString *semihost_out;

uint32_t translator_ldl(CPUState *cpu, uint64_t pc, int mmu_idx)
{
    return guest_ld(pc, MO_UL, pc);
}

uint32_t translator_lduw(CPUState *cpu, uint64_t pc, int mmu_idx)
{
    return guest_ld(pc, MO_UW, pc);
}

static int bank_of(int mode)
{
    switch (mode) {
    case ARM_CPU_MODE_SVC: return 1;
    case ARM_CPU_MODE_ABT: return 2;
    case ARM_CPU_MODE_UND: return 3;
    case ARM_CPU_MODE_IRQ: return 4;
    case ARM_CPU_MODE_FIQ: return 5;
    default: return 0;
    }
}

int arm_bank_number(int mode)
{
    return bank_of(mode);
}

bool arm_mode_valid(int mode)
{
    return mode == ARM_CPU_MODE_USR || mode == ARM_CPU_MODE_SYS ||
           bank_of(mode) != 0;
}

uint32_t cpsr_read(CPUARMState *env)
{
    uint32_t c, v;

    arm_cv_values(env, &c, &v);
    return (env->NF & 0x80000000) | (env->ZF == 0 ? 1u << 30 : 0) |
           (c << 29) | ((v >> 3) & (1u << 28)) |
           (env->QF ? CPSR_Q : 0) | (env->thumb ? CPSR_T : 0) |
           env->uncached_cpsr;
}

static void switch_mode(CPUARMState *env, int new_mode)
{
    int old = bank_of(arm_current_mode(env)), new = bank_of(new_mode);

    if (old == new) {
        return;
    }
    if (old == 5 || new == 5) {
        uint32_t t[5];

        memcpy(t, &env->regs[8], sizeof(t));
        memcpy(&env->regs[8], old == 5 ? env->usr_regs : env->fiq_regs,
               sizeof(t));
        memcpy(old == 5 ? env->fiq_regs : env->usr_regs, t, sizeof(t));
    }
    env->banked_r13[old] = env->regs[13];
    env->banked_r14[old] = env->regs[14];
    env->banked_spsr[old] = env->spsr;
    env->regs[13] = env->banked_r13[new];
    env->regs[14] = env->banked_r14[new];
    env->spsr = env->banked_spsr[new];
}

void cpsr_write(CPUARMState *env, uint32_t val, uint32_t mask)
{
    if (mask & CPSR_NZCV) {
        env->NF = val;
        env->ZF = (~val >> 30) & 1;
        env->CF = (val >> 29) & 1;
        env->VF = (val << 3) & 0x80000000;
        env->cv_op = ARM_CV_EAGER;
    }
    if (mask & CPSR_Q) {
        env->QF = !!(val & CPSR_Q);
    }
    if (mask & CPSR_T) {
        env->thumb = !!(val & CPSR_T);
    }
    if ((mask & CPSR_M) && (int)(val & CPSR_M) != arm_current_mode(env)) {
        switch_mode(env, val & CPSR_M);
    }
    mask &= ~(CPSR_NZCV | CPSR_Q | CPSR_T);
    env->uncached_cpsr = (env->uncached_cpsr & ~mask) | (val & mask);
}

uint32_t arm_cp_read(CPUARMState *env, int cp, int opc1, int crn, int crm,
                     int opc2, bool *ok)
{
    if (cp == 15 && crn == 0 && opc2 == 0) {
        return env->cp15.midr;
    }
    if (cp == 15 && crn == 1 && opc2 == 0) {
        return env->cp15.sctlr;
    }
    *ok = false;
    return 0;
}

void arm_cp_write(CPUARMState *env, int cp, int opc1, int crn, int crm,
                  int opc2, uint32_t value, bool *ok)
{
    if (cp == 15 && crn == 1 && opc2 == 0) {
        env->cp15.sctlr = value;
        return;
    }
    if (cp == 15 && crn == 7) {
        return;
    }
    if (cp == 15 && crn == 15 && opc2 == 0) {
        env->cp15.cpar = value;
        return;
    }
    *ok = false;
}

/* The exclusive stores' compare-and-swap on the flat RAM. */
uint64_t cpu_cmpxchg_mmuidx_ra(CPUState *cpu, uint64_t addr, int size,
                               uint64_t expected, uint64_t val,
                               int mmu_idx, uintptr_t ra)
{
    MemOp mop = size == 8 ? MO_UQ : size == 4 ? MO_UL :
                size == 2 ? MO_UW : MO_UB;
    uint32_t pc = cur_env->regs[15];
    uint64_t old = guest_ld(addr, mop, pc);

    if (old == expected) {
        guest_st(addr, val, mop, pc);
    }
    return old;
}

/* No 64-bit coprocessor registers in this model. */
bool arm_cp_access64(CPUARMState *env, int cp, int opc1, int crm,
                     bool write, uint64_t *value)
{
    return false;
}

/* NEON's loads and stores (neon-helper.c): no test here runs them. */
uint32_t cpu_ldub_mmuidx_ra(CPUState *cpu, uint64_t addr, int mmu_idx,
                            uintptr_t ra)
{
    g_assert_not_reached();
}

void cpu_stb_mmuidx_ra(CPUState *cpu, uint64_t addr, uint32_t val,
                       int mmu_idx, uintptr_t ra)
{
    g_assert_not_reached();
}

/* VMSR's TB flags: the harness translates every block afresh. */
void arm_rebuild_hflags(CPUARMState *env)
{
}

/* The harness's blocks never have ARM_TBFLAG_BREAKPOINTS. */
void helper_check_breakpoints(CPUARMState *env, uint32_t pc)
{
    g_assert_not_reached();
}

/* WFI: nothing interrupts these programs; carry on. */
void cpu_interrupt(CPUState *cpu, int mask)
{
}

/* The harness runs without -icount: coprocessor accesses have no
 * clock to adjust. */
void tcg_icount_io_begin(CPUState *cpu, uintptr_t ra)
{
}

void tcg_icount_io_end(CPUState *cpu)
{
}

void arm_raise_exception(CPUARMState *env, int excp, uintptr_t ra)
{
    env_cpu(env)->exception_index = excp;
    longjmp(exc_jmp, 1);
}

/* The programs run with SCTLR.A clear: nothing is checked. */
void arm_cpu_do_unaligned_access(CPUState *cs, uint64_t addr,
                                 MMUAccessType access_type, int mmu_idx,
                                 uintptr_t ra)
{
    g_assert_not_reached();
}

static void semihosting(CPUARMState *env)
{
    uint32_t op = env->regs[0], arg = env->regs[1];
    uint32_t pc = env->regs[15];

    switch (op) {
    case 0x03:
        g_string_append_c(semihost_out, guest_ld(arg, MO_UB, pc));
        break;
    case 0x04:
        for (uint8_t c; (c = guest_ld(arg, MO_UB, pc)); arg++) {
            g_string_append_c(semihost_out, c);
        }
        break;
    case 0x05: {
        uint32_t buf = guest_ld(arg + 4, MO_UL, pc);
        uint32_t len = guest_ld(arg + 8, MO_UL, pc);

        for (uint32_t i = 0; i < len; i++) {
            g_string_append_c(semihost_out, guest_ld(buf + i, MO_UB, pc));
        }
        env->regs[0] = 0;
        break;
    }
    case 0x18:
        semihost_exited = true;
        semihost_status = arg == 0x20026 ? 0 : 1;
        break;
    case 0x20:
        semihost_exited = true;
        semihost_status = guest_ld(arg + 4, MO_UL, pc);
        break;
    default:
        env->regs[0] = -1;
        break;
    }
}

/* Exception entry as the ARM ARM gives it; r15 as internals.h says. */
static void do_interrupt(CPUARMState *env, int excp)
{
    static const struct { int mode; uint32_t vector; int lr_off; } e[] = {
        [EXCP_UDEF] = { ARM_CPU_MODE_UND, 0x04, 4 },
        [EXCP_SWI] = { ARM_CPU_MODE_SVC, 0x08, 0 },
        [EXCP_PREFETCH_ABORT] = { ARM_CPU_MODE_ABT, 0x0c, 4 },
        [EXCP_DATA_ABORT] = { ARM_CPU_MODE_ABT, 0x10, 8 },
        [EXCP_BKPT] = { ARM_CPU_MODE_ABT, 0x0c, 4 },
    };
    uint32_t cpsr = cpsr_read(env);
    uint32_t lr;

    if (excp == EXCP_SEMIHOST) {
        semihosting(env);
        env->regs[15] += env->thumb ? 2 : 4;
        return;
    }
    lr = env->regs[15] + e[excp].lr_off;
    if (excp == EXCP_UDEF && env->thumb) {
        lr = env->regs[15] + 2;
    }
    if (verbose) {
        fprintf(stderr, "exception %d at 0x%08x\n", excp, env->regs[15]);
    }
    switch_mode(env, e[excp].mode);
    env->uncached_cpsr = (env->uncached_cpsr & ~CPSR_M) | e[excp].mode |
                         CPSR_I;
    env->spsr = cpsr;
    env->regs[14] = lr;
    env->thumb = 0;
    env->regs[15] = e[excp].vector;
}

static void reset_cpu(void)
{
    CPUARMState *env = &test_cpu.env;

    memset(env, 0, sizeof(*env));
    env->features = (1ull << ARM_FEATURE_V4T) | (1ull << ARM_FEATURE_V5) |
                    (1ull << ARM_FEATURE_V5TE) | (1ull << ARM_FEATURE_XSCALE);
    env->uncached_cpsr = ARM_CPU_MODE_SVC | CPSR_I | CPSR_F;
    env->ZF = 1;
    env->cp15.midr = 0x69052100;
    cur_env = env;
    semihost_exited = false;
    semihost_status = 0;
    g_string_truncate(semihost_out, 0);
}

/* Translates and runs one block at r15; false when the guest is done. */
static void run_block(int max_insns)
{
    CPUARMState *env = &test_cpu.env;
    TranslationBlock tb = { .pc = env->regs[15] };

    tb.flags = (env->thumb ? ARM_TBFLAG_THUMB : 0) |
               (arm_current_mode(env) != ARM_CPU_MODE_USR ?
                ARM_TBFLAG_PRIV : 0) | ARM_TBFLAG_SEMIHOST |
               ((env->cp15.cpar & 1) ? ARM_TBFLAG_XSCALE_CP0 : 0);
    nb_temps = nb_globals;
    live_temps = 0;
    nb_labels = 0;
    g_array_set_size(ops, 0);
    arm_translate_code(&test_cpu.parent_obj, &tb, max_insns);
    /* Temps leaked by one block stay small (the real pool is finite). */
    g_assert_cmpint(live_temps, <=, 8);
    g_assert_cmpint(max_live_temps, <, 64);
    run_ops();
}

/* Runs from r15 until semihosting exit or limit instructions. */
static bool run_guest(uint64_t limit)
{
    CPUARMState *env = &test_cpu.env;
    uint64_t start = guest_insns;

    while (!semihost_exited && guest_insns - start < limit) {
        if (setjmp(exc_jmp)) {
            do_interrupt(env, env_cpu(env)->exception_index);
            continue;
        }
        run_block(64);
    }
    return semihost_exited;
}

static void setup(void)
{
    ram = g_malloc0(RAM_SIZE);
    ops = g_array_new(false, false, sizeof(FakeOp));
    semihost_out = g_string_new("");
    env_temp = new_temp(TCG_TYPE_I64, TEMP_ENV);
    arm_translate_init();
}

/* ---- built-in programs (assembled with arm-none-eabi-as) ---- */

static void load_words(const uint32_t *w, size_t n)
{
    memset(ram, 0, 0x10000);
    for (size_t i = 0; i < n; i++) {
        guest_st(i * 4, w[i], MO_UL, 0);
    }
}

/*
 *  mvn r2, #0 ; adds r3, r2, #1 ; mrs r4, cpsr ; mov r5, #0x80000000
 *  adds r6, r5, r5 ; mrs r7, cpsr ; movs r8, r2, lsr #31 ; mov r9, #3
 *  movs r10, r9, rrx ; mov r11, #33 ; movs r12, r9, lsl r11
 *  mrs r13, cpsr ; subs r14, r9, r9 ; sbcs r14, r9, r2 ; mrs r1, cpsr
 *  mov r12, r1 ; mov r0, #0x18 ; ldr r1, =0x20026 ; svc 0x123456
 */
static void test_dataproc(void)
{
    static const uint32_t prog[] = {
        0xe3e02000, 0xe2923001, 0xe10f4000, 0xe3a05102, 0xe0956005, 0xe10f7000,
        0xe1b08fa2, 0xe3a09003, 0xe1b0a069, 0xe3a0b021, 0xe1b0cb19, 0xe10fd000,
        0xe059e009, 0xe0d9e002, 0xe10f1000, 0xe1a0c001, 0xe3a00018, 0xe51f1000,
        0xef123456, 0x00020026,
    };
    CPUARMState *env = &test_cpu.env;

    reset_cpu();
    load_words(prog, ARRAY_SIZE(prog));
    g_assert_true(run_guest(1000));
    g_assert_cmphex(env->regs[3], ==, 0);
    g_assert_cmphex(env->regs[4] >> 28, ==, 0x6);       /* Z C */
    g_assert_cmphex(env->regs[6], ==, 0);
    g_assert_cmphex(env->regs[7] >> 28, ==, 0x7);       /* Z C V */
    g_assert_cmphex(env->regs[8], ==, 1);
    g_assert_cmphex(env->regs[10], ==, 0x80000001);     /* RRX took C */
    g_assert_cmphex(env->regs[13] >> 28, ==, 0x5);      /* LSL #33: Z, C 0, V kept */
    g_assert_cmphex(env->regs[14], ==, 4);              /* 3 - -1 - 0 */
    g_assert_cmphex(env->regs[12] >> 28, ==, 0x0);
}

/*
 *      mov sp, #0x1000 ; ldr r0, lit ; mov r1, #0x200 ; str r0, [r1]
 *      ldr r2, [r1, #1] ; ldrsh r3, [r1, #2] ; push {r0-r3} ; pop {r4-r7}
 *      bl sub1 ; b cont
 * sub1: add r9, pc, #1 ; bx r9
 *      .thumb ; mov r8, r0 ; bx lr
 * cont: mov r10, #0 ; mov r11, #0x300 ; stmia r11!, {r0, r2}
 *      ldmdb r11, {r10, r12} ; b 1f
 * lit: .word 0x11223344
 * 1:   mov r0, #0x18 ; ldr r1, =0x20026 ; svc 0x123456
 */
static void test_ldst_branch(void)
{
    static const uint32_t prog[] = {
        0xe3a0da01, 0xe59f003c, 0xe3a01c02, 0xe5810000, 0xe5912001, 0xe1d130f2,
        0xe92d000f, 0xe8bd00f0, 0xeb000000, 0xea000002, 0xe28f9001, 0xe12fff19,
        0x47704680, 0xe3a0a000, 0xe3a0bc03, 0xe8ab0005, 0xe91b1400, 0xea000000,
        0x11223344, 0xe3a00018, 0xe51f1000, 0xef123456, 0x00020026,
    };
    CPUARMState *env = &test_cpu.env;

    reset_cpu();
    load_words(prog, ARRAY_SIZE(prog));
    g_assert_true(run_guest(1000));
    g_assert_cmphex(env->regs[2], ==, 0x44112233);      /* rotated LDR */
    g_assert_cmphex(env->regs[3], ==, 0x1122);
    g_assert_cmphex(env->regs[4], ==, 0x11223344);
    g_assert_cmphex(env->regs[7], ==, 0x1122);
    g_assert_cmphex(env->regs[13], ==, 0x1000);
    g_assert_cmphex(env->regs[8], ==, 0x11223344);      /* Thumb ran */
    g_assert_cmphex(env->regs[10], ==, 0x11223344);
    g_assert_cmphex(env->regs[11], ==, 0x308);
    g_assert_cmphex(env->regs[12], ==, 0x44112233);
    g_assert_cmphex(env->thumb, ==, 0);
}

/*
 * Random words in every state and mode: translating and running one
 * must take an exception or end the block, never crash the translator
 * (its own asserts, the recorder's use-after-free and leak checks).
 */
static void test_random_words(void)
{
    CPUARMState *env = &test_cpu.env;
    GRand *rand = g_rand_new_with_seed(0x5eed);

    for (int i = 0; i < 200000; i++) {
        uint32_t word = g_rand_int(rand);

        reset_cpu();
        for (int r = 0; r < 15; r++) {
            env->regs[r] = 0x10000 + (g_rand_int(rand) & 0xfffc);
        }
        env->NF = g_rand_int(rand);
        env->ZF = g_rand_int(rand) & 1;
        env->CF = g_rand_int(rand) & 1;
        env->VF = g_rand_int(rand);
        /* C and V pending from an ADD or SUB, or not */
        env->cv_op = g_rand_int_range(rand, ARM_CV_EAGER, ARM_CV_SUB + 1);
        env->cv_a = g_rand_int(rand);
        env->cv_b = g_rand_int(rand);
        env->thumb = i & 1;
        if (i & 2) {
            cpsr_write(env, ARM_CPU_MODE_USR, CPSR_M);
        }
        env->regs[15] = 0x8000;
        guest_st(0x8000, word, MO_UL, 0);
        if (!setjmp(exc_jmp)) {
            run_block(1);
        }
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    int first = 1;

    setup();
    if (argc > 1 && !strcmp(argv[1], "-v")) {
        verbose = true;
        first = 2;
    }
    if (argc > first && argv[first][0] != '-') {
        gchar *data;
        gsize len;

        if (!g_file_get_contents(argv[first], &data, &len, NULL) ||
            len > RAM_SIZE) {
            fprintf(stderr, "cannot load %s\n", argv[first]);
            return 2;
        }
        reset_cpu();
        memcpy(ram, data, len);
        g_free(data);
        run_guest(200000000);
        fputs(semihost_out->str, stdout);
        if (!semihost_exited) {
            fprintf(stderr, "guest did not exit (pc 0x%08x)\n",
                    test_cpu.env.regs[15]);
            return 3;
        }
        return semihost_status;
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-translate/dataproc", test_dataproc);
    g_test_add_func("/arm-translate/ldst-branch", test_ldst_branch);
    g_test_add_func("/arm-translate/random-words", test_random_words);
    return g_test_run();
}
