/*
 * What the x86 translator's files share: the decoding context of a
 * block and the current instruction, the guest-state globals, and the
 * IR generators the instruction handlers (decode.c) build on
 * (translate.c).
 *
 * The translator handles 16-, 32- and 64-bit code (real mode,
 * virtual-8086 mode, protected mode, long mode); values are i64 temps
 * (TCGv) and the register globals are the whole of env->regs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_TRANSLATE_H
#define TARGET_I386_TRANSLATE_H

#include "tcg/tcg-op.h"
#include "target/i386/helper.h"

/* Guest values: registers and addresses are 64 bits wide in every mode,
 * operations of a narrower size extend or truncate where it matters. */
typedef TCGv_i64 TCGv;

/* How the instruction just translated ends the block. */
typedef enum DisasJumpType {
    DISAS_NEXT,          /* go on with the next instruction */
    DISAS_TOO_MANY,      /* block full or page end: chain to the next insn */
    DISAS_JUMP,          /* eip (and maybe CS) written: look the block up */
    DISAS_EOB_NEXT,      /* CPU state changed: eip = next insn, to the loop */
    DISAS_EXIT,          /* eip written, CPU state changed: to the loop */
    DISAS_NORETURN,      /* an exception was raised; nothing follows */
} DisasJumpType;

/* Prefixes of the current instruction (DisasContext.prefix). */
enum {
    PREFIX_REPZ = 1,
    PREFIX_REPNZ = 2,
    PREFIX_LOCK = 4,
    PREFIX_DATA = 8,
    PREFIX_ADR = 16,
};

/* s->cc_op when the translator does not know it (the global does). */
#define CC_OP_DYNAMIC (-1)

typedef struct DisasContext {
    TranslationBlock *tb;
    CPUState *cpu;
    uint64_t cs_base;
    uint64_t pc;                 /* linear address of the current insn */
    uint64_t pc_next;            /* linear address of the next byte */
    uint64_t page_start;         /* guest page of the block's first byte */
    /* from the block's flags */
    bool pe, vm86, code32, ss32, addseg;
    bool lma, code64;            /* long mode; a 64-bit code segment */
    bool tf;                     /* single-step: #DB after the insn */
    bool dr_io;                  /* I/O breakpoints after in/out */
    int cpl, iopl, mmu_idx;
    /* the current instruction */
    int prefix;                  /* PREFIX_* */
    int override;                /* segment override, -1 for none */
    /* REX (64-bit mode): present at all (spl..dil instead of ah..bh),
     * W, and R X B as the 8 they add to register numbers */
    bool rex;
    bool rex_w;
    int rex_r, rex_x, rex_b;
    MemOp dflag, aflag;          /* operand and address size: MO_16/32 */
    int b;                       /* opcode; 0x100 + byte for 0F xx */
    int modrm, mod, reg, rm;
    int ea_base, ea_index;       /* -1: none; base EA_RIP: rip-relative */
    int ea_scale;
    int64_t ea_disp;
    int ea_seg;                  /* the segment the addressing implies */
    TCGv A0;                 /* linear address of the memory operand */
    /* the MMU index its accesses use: mmu_idx, or in 64-bit mode its
     * stack index for an operand in SS (based on rsp or rbp) */
    int mem_idx;
    /* the lazy flags state the generated code left, if known */
    int cc_op;
    DisasJumpType is_jmp;
    /* instructions in the block so far (the current one included), and
     * at most */
    int num_insns, max_insns;
    /* the x87 instructions after this one that the current run covers
     * (translate-fpu.c, "Runs") */
    int x87_run_left;
} DisasContext;

/* ea_base of a rip-relative operand (64-bit mode) */
#define EA_RIP (-2)

extern TCGv cpu_regs[16];
extern TCGv cpu_eip, cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
extern TCGv_i32 cpu_cc_op;
extern TCGv cpu_seg_base[6];

/* ---- instruction bytes ---- */

uint64_t x86_fetch(DisasContext *s, MemOp ot);
/* Parses ModRM (and SIB and displacement) into s. */
void gen_modrm(DisasContext *s);

/* ---- registers and operands ---- */

TCGv gen_reg_read(DisasContext *s, MemOp ot, int reg);
void gen_reg_write(DisasContext *s, MemOp ot, int reg, TCGv v);
/* d = v zero- or sign-extended from size ot. */
void gen_ext(MemOp ot, TCGv d, TCGv v, bool sign);
/* The effective address of the ModRM memory operand (offset). */
TCGv gen_ea(DisasContext *s);
/* ea (an offset) becomes a linear address in segment seg (or the
 * override); truncated to 16 bits first under a 16-bit address size. */
void gen_seg_addr(DisasContext *s, TCGv ea, int seg, MemOp aflag);
/* Outside 64-bit mode linear addresses wrap at 4 GiB: a = a mod 2^32.  */
void gen_linear_wrap(DisasContext *s, TCGv a);
/* d = a + k, a linear address. */
void gen_linear_addi(DisasContext *s, TCGv d, TCGv a, int64_t k);
/* Loads and stores of 32-bit env fields (selectors, limits). */
TCGv gen_ld_env32(intptr_t offset);
void gen_st_env32(TCGv v, intptr_t offset);
/* s->A0 = the linear address of the ModRM memory operand. */
void gen_A0(DisasContext *s);
/* The ModRM r/m operand: a register, or memory at s->A0. */
TCGv gen_load_E(DisasContext *s, MemOp ot);
void gen_store_E(DisasContext *s, MemOp ot, TCGv v);
TCGv gen_ld(DisasContext *s, MemOp ot, TCGv addr);
void gen_st(DisasContext *s, MemOp ot, TCGv v, TCGv addr);
void gen_push(DisasContext *s, MemOp ot, TCGv v);
/* The value on top of the stack; gen_pop_update drops it. */
TCGv gen_pop(DisasContext *s, MemOp ot);
void gen_pop_update(DisasContext *s, MemOp ot);
/* The stack's width: 64 bits in 64-bit mode, else SS.B's. */
MemOp stack_size(const DisasContext *s);
/* The stack pointer (e)sp += delta at the stack's width. */
void gen_sp_add(DisasContext *s, int32_t delta);
/* reg (at the address size) += v */
void gen_addr_reg_add(DisasContext *s, MemOp aflag, int reg, TCGv v);

/* ---- flags ---- */

void gen_set_cc_op(DisasContext *s, int op);
/* Records a flag-setting result: kind of CC_KIND_*, operand size ot. */
void gen_cc(DisasContext *s, int kind, MemOp ot, TCGv dst,
            TCGv src);
TCGv gen_compute_eflags(DisasContext *s);
TCGv gen_compute_cf(DisasContext *s);
/* Makes the flags CC_OP_EFLAGS with these values (a new temp). */
void gen_set_eflags_cc(DisasContext *s, TCGv flags);
typedef struct CCPrepare {
    TCGCond cond;
    TCGv a, b;
} CCPrepare;
/* Condition jcc (0..15: O NO B AE Z NZ BE A S NS P NP L GE LE G). */
CCPrepare gen_prepare_cc(DisasContext *s, int jcc);
TCGv gen_setcc(DisasContext *s, int jcc);

/* ---- control ---- */

uint64_t cur_eip(const DisasContext *s);
/* Whether the block, with n instructions translated and the next at
 * pc_next, takes another one (it ends before one that might reach into
 * the next page, so that a fault fetching it is taken at its own
 * address). */
bool x86_block_goes_on(const DisasContext *s, int n, uint64_t pc_next);
uint64_t next_eip(const DisasContext *s);
/* The target of a near branch: a 16-bit operand size wraps it within
 * 64 KiB (the prefix makes "jmp", "call", "jcc" and "loop" do that; it
 * does not for the next instruction of a "rep" string instruction). */
uint64_t near_target(const DisasContext *s, uint64_t eip);
/* Leaves the block for eip in the same code segment (through jump slot
 * n: a block with two exits gives each its own). */
void gen_jmp_tb(DisasContext *s, uint64_t eip, unsigned n);
void gen_jmp(DisasContext *s, uint64_t eip);
/* jcc to eip, else on to the next instruction. */
void gen_jcc(DisasContext *s, int jcc, uint64_t eip);
void gen_exception(DisasContext *s, int excp);
void gen_exception_err(DisasContext *s, int excp, uint32_t error_code);
/* #GP(0) unless CPL 0. */
bool gen_check_cpl0(DisasContext *s);

/* ---- helper calls ---- */

/* Calls helper info with env (if it takes it first) and i32 args;
 * returns its result as a new temp, or NULL. */
TCGv gen_helper(const TCGHelperInfo *info, int nargs, ...);

#define HELPER_INFO(fn) (&info_##fn)
/* Defines info_fn, the call description of helper_fn. */
/*
 * Helper arguments are guest values: i64 temps.  A helper declared with
 * a uint32_t parameter takes the low half (the x86-64 calling convention
 * leaves the upper half of an argument register to the callee to
 * ignore); a uint32_t result arrives zero-extended in an i64 temp (the
 * back end extends results of ret_type I32).
 */
#define ARG_ENV TCG_TYPE_I64
#define ARG_I32 TCG_TYPE_I64

#define HELPER_RET(fn, flg, rtype, ret, n, ...)                         \
    const TCGHelperInfo info_##fn = {                                   \
        .func = (void *)helper_##fn, .name = #fn, .flags = (flg),       \
        .ret_type = (rtype), .has_ret = (ret), .nb_args = (n),          \
        .arg_types = { __VA_ARGS__ },                                   \
    }
#define HELPER(fn, flg, ret, n, ...) \
    HELPER_RET(fn, flg, TCG_TYPE_I32, ret, n, __VA_ARGS__)

extern const TCGHelperInfo info_raise_exception, info_raise_exception_err,
    info_raise_interrupt, info_cc_compute_all, info_read_eflags,
    info_write_eflags, info_sti, info_hlt, info_in, info_out, info_check_io,
    info_cpuid, info_rdmsr, info_wrmsr, info_rdtsc, info_write_cr,
    info_invlpg, info_load_seg, info_lldt, info_ltr, info_ljmp_protected,
    info_lcall_protected, info_lret_protected,
    info_iret_real, info_iret_protected, info_divb, info_idivb, info_divw,
    info_idivw, info_divl, info_idivl, info_divq, info_idivq, info_bcd,
    info_shift, info_syscall, info_sysret, info_lock_rmw, info_cmpxchg8b,
    info_cmpxchg16b, info_read_cr8, info_write_cr8, info_rdtscp,
    info_fsgsbase, info_sysenter, info_sysexit, info_check_selector,
    info_monitor, info_mwait, info_single_step, info_insn_breakpoints,
    info_read_dr, info_write_dr, info_io_breakpoints;

uint64_t helper_shift(CPUX86State *env, uint64_t value, uint64_t other,
                      uint32_t count, uint32_t op);
/* helper_shift's op: the ModRM reg field of group 2 (ROL..SAR), or
 * SHIFT_SHLD / SHIFT_SHRD, plus the operand size << 4. */
enum { SHIFT_ROL, SHIFT_ROR, SHIFT_RCL, SHIFT_RCR, SHIFT_SHL, SHIFT_SHR,
       SHIFT_SAL, SHIFT_SAR, SHIFT_SHLD, SHIFT_SHRD };

/* Atomic read-modify-write of memory (lock_helper.c): helper_lock_rmw's
 * operation, and its ctl argument: LOCK_CTL(op, operand size, MMU index). */
enum { LOCK_ADD, LOCK_AND, LOCK_OR, LOCK_XOR, LOCK_XCHG, LOCK_NEG,
       LOCK_CMPXCHG };
#define LOCK_CTL(op, ot, mmu_idx) ((op) | (ot) << 4 | (mmu_idx) << 8)
#define LOCK_CTL_OP(ctl) ((ctl) & 15)
#define LOCK_CTL_OT(ctl) (((ctl) >> 4) & 3)
#define LOCK_CTL_MMU_IDX(ctl) ((ctl) >> 8)
/* Returns the old value; LOCK_CMPXCHG stores src where it equals
 * expected. */
uint64_t helper_lock_rmw(CPUX86State *env, uint64_t addr, uint64_t src,
                         uint64_t expected, uint32_t ctl);
/* Return ZF. */
uint32_t helper_cmpxchg8b(CPUX86State *env, uint64_t addr, uint32_t mmu_idx);
uint32_t helper_cmpxchg16b(CPUX86State *env, uint64_t addr,
                           uint32_t mmu_idx);

/* ---- the decoder (decode.c) ---- */

/* Translates one instruction at s->pc. */
void x86_disas_insn(DisasContext *s);

/* ---- x87, MMX, SSE (translate-fpu.c) ---- */

/* D8-DF, ModRM parsed. */
void x86_gen_x87(DisasContext *s);
/* 9B: fwait. */
void x86_gen_fwait(DisasContext *s);
/* An 0F opcode (s->b) the general decoder has no row for: MMX, SSE, the
 * 0F 38 and 0F 3A maps, 0F AE; false if it is none of those (#UD). */
bool x86_gen_sse(DisasContext *s);
/* 0F 01 D0 xgetbv, 0F 01 D1 xsetbv. */
void x86_gen_xcr(DisasContext *s);
/* F3 0F AE /0-3 with a register operand (decode.c). */
void x86_gen_fsgsbase(DisasContext *s);

#endif
