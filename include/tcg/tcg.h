/*
 * The translator's intermediate representation (IR).
 *
 * A front end (target/<arch>/translate.c) turns guest instructions into a
 * list of TCGOps on temps through the tcg_gen_* API of tcg/tcg-op.h.  The
 * optimiser (accel/tcg/optimize.c) folds constants, propagates copies and
 * removes dead code; liveness analysis (accel/tcg/tcg.c) marks where
 * temps die and where globals must be synced; the x86-64 back end
 * (accel/tcg/tcg-target.c) allocates host registers within the block and
 * emits host code.
 *
 * Temps:
 *   TEMP_GLOBAL  a field of the CPU state (env), such as an ARM register;
 *                loaded lazily, written back where liveness says.
 *   TEMP_NORMAL  a value that lives within one translation block.
 *   TEMP_CONST   a constant (created by tcg_constant_i32/i64).
 *   TEMP_ENV     the env pointer, fixed in a host register (TCG_AREG0).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCG_TCG_H
#define TCG_TCG_H

#include "util/osdep.h"

typedef uint64_t TCGArg;

typedef enum TCGType {
    TCG_TYPE_I32,
    TCG_TYPE_I64,
} TCGType;

typedef enum TCGTempKind {
    TEMP_NORMAL,
    TEMP_GLOBAL,
    TEMP_CONST,
    TEMP_ENV,
} TCGTempKind;

/* Where the register allocator keeps a temp's value right now. */
typedef enum TCGTempVal {
    TEMP_VAL_DEAD,
    TEMP_VAL_REG,
    TEMP_VAL_MEM,
    TEMP_VAL_CONST,
} TCGTempVal;

typedef struct TCGTemp {
    TCGType type;
    TCGTempKind kind;
    const char *name;            /* globals: "r0", "NF"... for -d op */
    int64_t val;                 /* TEMP_CONST: the value */
    intptr_t mem_offset;         /* TEMP_GLOBAL: offset in env;
                                  * TEMP_NORMAL: spill slot when spilled */
    bool allocated;              /* TEMP_NORMAL in use by the front end */
    bool mem_allocated;          /* a spill slot was given */
    /* register allocator state (back end) */
    TCGTempVal val_type;
    int8_t reg;
    bool mem_coherent;           /* the env/spill copy is up to date */
    /* set by tcg_liveness_analysis: a TEMP_NORMAL whose value never
     * crosses a basic-block end, so block ends need not store it */
    bool bb_local;
    /* optimiser and liveness scratch */
    void *state_ptr;
    uintptr_t state;
} TCGTemp;

/* Typed handles the front end uses; they point at TCGTemps. */
typedef struct TCGv_i32_d *TCGv_i32;
typedef struct TCGv_i64_d *TCGv_i64;
typedef struct TCGv_ptr_d *TCGv_ptr;

static inline TCGTemp *tcgv_i32_temp(TCGv_i32 v) { return (TCGTemp *)v; }
static inline TCGTemp *tcgv_i64_temp(TCGv_i64 v) { return (TCGTemp *)v; }
static inline TCGTemp *tcgv_ptr_temp(TCGv_ptr v) { return (TCGTemp *)v; }
static inline TCGv_i32 temp_tcgv_i32(TCGTemp *t) { return (TCGv_i32)t; }
static inline TCGv_i64 temp_tcgv_i64(TCGTemp *t) { return (TCGv_i64)t; }
static inline TCGv_ptr temp_tcgv_ptr(TCGTemp *t) { return (TCGv_ptr)t; }

typedef enum TCGCond {
    TCG_COND_NEVER, TCG_COND_ALWAYS,
    TCG_COND_EQ, TCG_COND_NE,
    TCG_COND_LT, TCG_COND_GE, TCG_COND_LE, TCG_COND_GT,       /* signed */
    TCG_COND_LTU, TCG_COND_GEU, TCG_COND_LEU, TCG_COND_GTU,   /* unsigned */
} TCGCond;

/* The condition that holds for (b, a) when c holds for (a, b). */
static inline TCGCond tcg_swap_cond(TCGCond c)
{
    switch (c) {
    case TCG_COND_LT: return TCG_COND_GT;
    case TCG_COND_GT: return TCG_COND_LT;
    case TCG_COND_LE: return TCG_COND_GE;
    case TCG_COND_GE: return TCG_COND_LE;
    case TCG_COND_LTU: return TCG_COND_GTU;
    case TCG_COND_GTU: return TCG_COND_LTU;
    case TCG_COND_LEU: return TCG_COND_GEU;
    case TCG_COND_GEU: return TCG_COND_LEU;
    default: return c;
    }
}

/*
 * Guest memory operation: size, sign, byte order.  Combined with the MMU
 * index into a MemOpIdx argument of qemu_ld/st ops.
 */
typedef enum MemOp {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 4,
    MO_BSWAP = 8,                /* opposite of host order (big endian) */
    MO_ALIGN = 16,               /* fault on unaligned addresses */
    /* ARMv5 LDR and SWP: a misaligned word load reads the aligned word
     * rotated right by 8 x (address & 3).  Aligned loads stay on the
     * fast path; the rotation is done in the slow path only. */
    MO_ROTATE = 32,
    MO_UB = MO_8, MO_UW = MO_16, MO_UL = MO_32, MO_UQ = MO_64,
    MO_SB = MO_8 | MO_SIGN, MO_SW = MO_16 | MO_SIGN, MO_SL = MO_32 | MO_SIGN,
} MemOp;

typedef uint32_t MemOpIdx;       /* (memop << 4) | mmu_idx */
static inline MemOpIdx make_memop_idx(MemOp op, unsigned mmu_idx)
{
    return (op << 4) | mmu_idx;
}
static inline MemOp get_memop(MemOpIdx oi) { return oi >> 4; }
static inline unsigned get_mmuidx(MemOpIdx oi) { return oi & 15; }

/*
 * The opcodes.  Arguments are stored outputs first, then inputs, then
 * constant arguments (conditions, offsets, labels, MemOpIdx).
 * DEF(name, outputs, inputs, constants, flags)
 */
#define TCG_OPCODES(DEF) \
    DEF(discard, 1, 0, 0, 0) \
    DEF(set_label, 0, 0, 1, TCG_OPF_BB_END) \
    DEF(br, 0, 0, 1, TCG_OPF_BB_END) \
    DEF(call, 0, 0, 0, TCG_OPF_CALL) /* variable: see TCGOp */ \
    DEF(insn_start, 0, 0, 2, 0)      /* guest pc, target data */ \
    DEF(exit_tb, 0, 0, 1, TCG_OPF_BB_EXIT) /* tb | index, or 0 */ \
    DEF(goto_tb, 0, 0, 1, TCG_OPF_BB_EXIT) /* jump slot 0 or 1 */ \
    DEF(goto_ptr, 0, 1, 0, TCG_OPF_BB_EXIT) /* host code address */ \
    DEF(mb, 0, 0, 1, 0) \
    /* 32-bit */ \
    DEF(mov_i32, 1, 1, 0, 0) \
    DEF(setcond_i32, 1, 2, 1, 0) \
    DEF(movcond_i32, 1, 4, 1, 0)    /* d = cond(c1, c2) ? v1 : v2 */ \
    DEF(brcond_i32, 0, 2, 2, TCG_OPF_BB_END) /* cond, label */ \
    DEF(ld8u_i32, 1, 1, 1, 0)       /* d = *(u8 *)(ptr + offset) */ \
    DEF(ld8s_i32, 1, 1, 1, 0) \
    DEF(ld16u_i32, 1, 1, 1, 0) \
    DEF(ld16s_i32, 1, 1, 1, 0) \
    DEF(ld_i32, 1, 1, 1, 0) \
    DEF(st8_i32, 0, 2, 1, 0)        /* *(u8 *)(ptr + offset) = v */ \
    DEF(st16_i32, 0, 2, 1, 0) \
    DEF(st_i32, 0, 2, 1, 0) \
    DEF(add_i32, 1, 2, 0, 0) \
    DEF(sub_i32, 1, 2, 0, 0) \
    DEF(mul_i32, 1, 2, 0, 0) \
    DEF(and_i32, 1, 2, 0, 0) \
    DEF(or_i32, 1, 2, 0, 0) \
    DEF(xor_i32, 1, 2, 0, 0) \
    DEF(andc_i32, 1, 2, 0, 0) \
    DEF(shl_i32, 1, 2, 0, 0)        /* shift counts are taken mod 32 */ \
    DEF(shr_i32, 1, 2, 0, 0) \
    DEF(sar_i32, 1, 2, 0, 0) \
    DEF(rotl_i32, 1, 2, 0, 0) \
    DEF(rotr_i32, 1, 2, 0, 0) \
    DEF(neg_i32, 1, 1, 0, 0) \
    DEF(not_i32, 1, 1, 0, 0) \
    DEF(ext8s_i32, 1, 1, 0, 0) \
    DEF(ext8u_i32, 1, 1, 0, 0) \
    DEF(ext16s_i32, 1, 1, 0, 0) \
    DEF(ext16u_i32, 1, 1, 0, 0) \
    DEF(bswap16_i32, 1, 1, 0, 0) \
    DEF(bswap32_i32, 1, 1, 0, 0) \
    DEF(clz_i32, 1, 2, 0, 0)        /* d = a ? clz(a) : b */ \
    DEF(add2_i32, 2, 4, 0, 0)       /* (dl, dh) = (al, ah) + (bl, bh) */ \
    DEF(sub2_i32, 2, 4, 0, 0) \
    DEF(mulu2_i32, 2, 2, 0, 0)      /* (dl, dh) = a * b, unsigned */ \
    DEF(muls2_i32, 2, 2, 0, 0) \
    /* 64-bit */ \
    DEF(mov_i64, 1, 1, 0, 0) \
    DEF(setcond_i64, 1, 2, 1, 0) \
    DEF(brcond_i64, 0, 2, 2, TCG_OPF_BB_END) \
    DEF(ld_i64, 1, 1, 1, 0) \
    DEF(st_i64, 0, 2, 1, 0) \
    DEF(add_i64, 1, 2, 0, 0) \
    DEF(sub_i64, 1, 2, 0, 0) \
    DEF(mul_i64, 1, 2, 0, 0) \
    DEF(and_i64, 1, 2, 0, 0) \
    DEF(or_i64, 1, 2, 0, 0) \
    DEF(xor_i64, 1, 2, 0, 0) \
    DEF(shl_i64, 1, 2, 0, 0) \
    DEF(shr_i64, 1, 2, 0, 0) \
    DEF(sar_i64, 1, 2, 0, 0) \
    DEF(neg_i64, 1, 1, 0, 0) \
    DEF(ext_i32_i64, 1, 1, 0, 0)    /* sign-extend */ \
    DEF(extu_i32_i64, 1, 1, 0, 0)   /* zero-extend */ \
    DEF(extrl_i64_i32, 1, 1, 0, 0)  /* low half */ \
    DEF(extrh_i64_i32, 1, 1, 0, 0)  /* high half */ \
    DEF(movcond_i64, 1, 4, 1, 0) \
    DEF(andc_i64, 1, 2, 0, 0) \
    DEF(rotl_i64, 1, 2, 0, 0) \
    DEF(rotr_i64, 1, 2, 0, 0) \
    DEF(not_i64, 1, 1, 0, 0) \
    DEF(ext8s_i64, 1, 1, 0, 0) \
    DEF(ext8u_i64, 1, 1, 0, 0) \
    DEF(ext16s_i64, 1, 1, 0, 0) \
    DEF(ext16u_i64, 1, 1, 0, 0) \
    DEF(ext32s_i64, 1, 1, 0, 0) \
    DEF(ext32u_i64, 1, 1, 0, 0) \
    DEF(bswap64_i64, 1, 1, 0, 0) \
    DEF(clz_i64, 1, 2, 0, 0) \
    DEF(mulu2_i64, 2, 2, 0, 0) \
    DEF(muls2_i64, 2, 2, 0, 0) \
    /* guest memory, through the softmmu TLB; the address is an i32 \
     * temp (a 32-bit guest address) or an i64 one (64-bit) */ \
    DEF(qemu_ld_i32, 1, 1, 1, TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS) \
    DEF(qemu_st_i32, 0, 2, 1, TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS) \
    DEF(qemu_ld_i64, 1, 1, 1, TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS) \
    DEF(qemu_st_i64, 0, 2, 1, TCG_OPF_CALL_CLOBBER | TCG_OPF_SIDE_EFFECTS) \
    /* host address of [addr, addr + size) if one TLB entry maps it as \
     * plain RAM, else 0: size, then mmu_idx | TLB_RANGE_STORE */ \
    DEF(tlb_range_ptr, 1, 1, 2, 0)

/* tlb_range_ptr's second constant: the MMU index, and whether the
 * range is to be written (else read). */
#define TLB_RANGE_MMU_IDX 15
#define TLB_RANGE_STORE 16

typedef enum TCGOpcode {
#define TCG_OP_ENUM(name, o, i, c, f) INDEX_op_##name,
    TCG_OPCODES(TCG_OP_ENUM)
#undef TCG_OP_ENUM
    NB_OPS
} TCGOpcode;

enum {
    TCG_OPF_BB_END = 1,          /* ends a basic block */
    TCG_OPF_BB_EXIT = 2,         /* leaves the translation block */
    TCG_OPF_CALL = 4,
    TCG_OPF_CALL_CLOBBER = 8,    /* may call out: caller-saved regs die */
    TCG_OPF_SIDE_EFFECTS = 16,   /* never removed as dead */
};

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint8_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

#define TCG_MAX_OP_ARGS 10       /* call: ret + 6 args + info + flags... */

/* Helper calls: which globals the helper may touch decides syncing. */
enum {
    TCG_CALL_NO_READ_GLOBALS = 1,   /* globals need not be stored first */
    TCG_CALL_NO_WRITE_GLOBALS = 2,  /* globals need not be reloaded after */
    TCG_CALL_NO_SIDE_EFFECTS = 4,   /* removable when its result is dead */
    TCG_CALL_NO_RETURN = 8,         /* always longjmps (raises) */
};
#define TCG_CALL_NO_RWG (TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS)

typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    unsigned flags;
    TCGType ret_type;            /* ignored when has_ret is false */
    bool has_ret;
    uint8_t nb_args;             /* at most 6, all i32, i64 or pointer */
    TCGType arg_types[6];        /* a pointer is TCG_TYPE_I64 */
} TCGHelperInfo;

typedef struct TCGLabel {
    int id;
    bool has_value;
    uintptr_t value;             /* host address once emitted */
    GArray *relocs;              /* back end: places to patch */
} TCGLabel;

typedef struct TCGOp {
    TCGOpcode opc;
    uint8_t nb_oargs, nb_iargs;  /* for call; otherwise from tcg_op_defs */
    /* liveness: bit n set = argument n dies here; bits 16+n = sync */
    uint32_t life;
    TCGArg args[TCG_MAX_OP_ARGS];  /* temps are TCGTemp *, cast */
} TCGOp;

#define TCG_MAX_TEMPS 512
#define TCG_MAX_INSNS 512

typedef struct TranslationBlock TranslationBlock;

/* A block's ops: a plain array, grown by doubling and reused from one
 * block to the next, so emitting an op allocates nothing. */
typedef struct TCGOpList {
    TCGOp *op;
    unsigned len, cap;
} TCGOpList;

/* A new op at the end of l, uninitialised. */
static inline TCGOp *tcg_op_list_push(TCGOpList *l)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->op = g_renew(TCGOp, l->op, l->cap);
    }
    return &l->op[l->len++];
}

typedef struct TCGContext {
    TCGTemp temps[TCG_MAX_TEMPS];  /* never moves: handles point here */
    int nb_globals;
    int nb_temps;
    /* TEMP_NORMAL temps freed by the front end, one bit per index, per
     * TCGType: the lowest is handed out again first */
    uint64_t free_temps[2][TCG_MAX_TEMPS / 64];
    TCGTemp *env;                /* TEMP_ENV */
    TCGOpList ops;               /* in order */
    GPtrArray *labels;           /* TCGLabel * */
    TranslationBlock *tb;        /* being translated */
    /* env-relative offsets the generated code uses (negative: the TLB
     * and CPUState sit before env in the CPU object) */
    intptr_t tlb_offset;         /* of CPUTLB */
    intptr_t exit_request_offset;  /* of CPUState.exit_request */
    intptr_t icount_decr_offset;   /* of CPUState.icount_decr */
    /* where the block's code goes on after its entry check (set by
     * tcg_gen_tb_start; NULL with -icount, whose check also counts) */
    TCGLabel *tb_body_label;
    /* back end */
    uint8_t *code_buf;           /* start of this TB's host code */
    uint8_t *code_ptr;           /* where the next byte goes */
    uint8_t *code_end;           /* end of the usable buffer */
    intptr_t frame_start;        /* spill area, offset from the host sp */
    intptr_t frame_end;
    intptr_t current_frame_offset;
    uint16_t *insn_end_offsets;  /* host code offset after each guest insn */
    uint64_t (*insn_data)[2];    /* insn_start arguments of each insn */
    int nb_insns;
} TCGContext;

/* One per vCPU thread: translation runs with the global lock released
 * only for the vCPU that owns this context. */
extern __thread TCGContext *tcg_ctx;

#endif
