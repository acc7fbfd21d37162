/*
 * The x87, MMX and SSE side of target/i386: host execution of their
 * instructions (host_exec.c), the helpers for the control and state
 * instructions (fpu_helper.c) and the decoder's entry points
 * (translate-fpu.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_FPU_H
#define TARGET_I386_FPU_H

#include "target/i386/helper.h"

/* The longest normalized host instruction: prefix, REX, 0F 3A, opcode,
 * ModRM, imm8. */
#define X86_HOST_INSN_MAX 8
/* The longest stub: a run of x87 instructions (two bytes each) that one
 * helper_x87_run executes (translate-fpu.c, "Runs"). */
#define X86_HOST_STUB_MAX 48

/* The stub (index) running insn[0..len) on the host: one normalized
 * instruction, or a run of x87 ones. */
uint32_t x86_host_stub(const uint8_t *insn, unsigned len);

/* helper_host_exec's ctl: which guest registers the stub's %eax (bits
 * 3:0) and %ecx (bits 11:8) stand for, in and out; which exception rules
 * apply. */
enum {
    HX_A_IN = 1 << 4,            /* load %rax from guest reg ctl[3:0] */
    HX_A_OUT = 1 << 5,           /* ... and write it back */
    HX_C_IN = 1 << 12,           /* load %rcx from guest reg ctl[11:8] */
    HX_C_OUT = 1 << 13,
    HX_X87 = 1 << 16,            /* an x87 instruction: FSW, FIP, FOP */
    HX_SSE = 1 << 17,            /* MXCSR, #XM */
    HX_PENDING = 1 << 18,        /* stores to memory: helper_host_commit */
    HX_FLAGS_IN = 1 << 20,       /* reads the arithmetic flags (fcmov) */
    HX_MMX = 1 << 19,            /* uses the x87/MMX registers: the whole
                                  * state is loaded (else an HX_SSE
                                  * instruction gets XMM0-15 and MXCSR) */
};

/* helper_host_exec's result when an unmasked x87 exception kept the
 * result from being written (nothing to store, nothing to commit). */
#define HX_DISCARDED (1u << 31)

/* Runs stub; fip: the instruction's offset, fop_flags: FOP (10:0) and
 * the guest's arithmetic flags << 16.  Returns the host's arithmetic
 * flags after the stub. */
uint32_t helper_host_exec(CPUX86State *env, uint32_t stub, uint32_t ctl,
                          uint32_t fip, uint32_t fop_flags);
void helper_host_commit(CPUX86State *env);
/* A run of x87 instructions that neither store to memory nor read or
 * write a general register or EFLAGS, as one stub; fip and fop: the last
 * one's.  Only when the guest's FCW masks every exception (and so no
 * instruction of the run can leave an #MF pending for the next one):
 * then sets env->hx_x87_run and returns 1.  Otherwise runs nothing,
 * clears env->hx_x87_run and returns 0, and the generated code runs
 * each instruction on its own. */
uint32_t helper_x87_run(CPUX86State *env, uint32_t stub, uint32_t fip,
                        uint32_t fop);

/* The call (env only; returns the host's arithmetic flags) of an SSE
 * instruction whose operands are XMM registers and at most a memory
 * operand (in env->hx_mem), run directly on env's XMM registers while
 * the guest's MXCSR is live in the host's, else through helper_host_exec.
 * reg, rm: ModRM's XMM registers (rm -1: a memory operand); xmm0: the
 * instruction may use XMM0 implicitly; flags_out: it sets EFLAGS. */
const TCGHelperInfo *x86_sse_direct_stub(const uint8_t *insn, unsigned len,
                                         unsigned reg, int rm, bool xmm0,
                                         bool flags_out);

/* FSW.ES and FSW.B from the flags and FCW's masks. */
void x86_fpu_update_summary(CPUX86State *env);

/* helper_fpu_check's kind: which of #UD, #NM, #MF the instruction
 * takes. */
enum {
    FPCHK_X87,                   /* waiting x87: #NM (EM, TS), #MF */
    FPCHK_X87_NOWAIT,            /* fn* control: #NM only */
    FPCHK_WAIT,                  /* fwait: #NM (MP and TS), #MF */
    FPCHK_MMX,                   /* #UD (EM), #NM (TS), #MF */
    FPCHK_SSE,                   /* #UD (EM, !OSFXSR), #NM (TS) */
    FPCHK_FXSR,                  /* fxsave/fxrstor: #NM (EM, TS) */
};
void helper_fpu_check(CPUX86State *env, uint32_t kind);
/* maskmovq/maskmovdqu: env->hx_mem's bytes whose mask byte (of MMX or
 * XMM register ctl & 15) has bit 7 set, to addr. */
void helper_maskmov_store(CPUX86State *env, uint64_t addr, uint32_t ctl);
#define MASKMOV_XMM 16

void helper_fninit(CPUX86State *env);
void helper_fnclex(CPUX86State *env);
void helper_fldcw(CPUX86State *env, uint32_t fcw);
/* fnstenv/fnsave (and fldenv/frstor) at addr; ot: 0 16-bit, 1 32-bit
 * operand size; fnsave and frstor also the registers, fnsave then
 * fninit. */
void helper_fstenv(CPUX86State *env, uint64_t addr, uint32_t ot);
void helper_fldenv(CPUX86State *env, uint64_t addr, uint32_t ot);
void helper_fsave(CPUX86State *env, uint64_t addr, uint32_t ot);
void helper_frstor(CPUX86State *env, uint64_t addr, uint32_t ot);
/* fmt64: REX.W (64-bit FIP and FDP) */
void helper_fxsave(CPUX86State *env, uint64_t addr, uint32_t fmt64);
void helper_fxrstor(CPUX86State *env, uint64_t addr, uint32_t fmt64);
void helper_ldmxcsr(CPUX86State *env, uint32_t value);
uint32_t helper_stmxcsr(CPUX86State *env);
void helper_xgetbv(CPUX86State *env);
void helper_xsetbv(CPUX86State *env);
/* xsave and xsaveopt */
void helper_xsave(CPUX86State *env, uint64_t addr);
void helper_xrstor(CPUX86State *env, uint64_t addr);
/* #GP(0) unless addr is 16-byte aligned (SSE memory operands). */
void helper_check_align16(CPUX86State *env, uint64_t addr);

extern const TCGHelperInfo info_host_exec, info_host_commit, info_x87_run,
    info_fpu_check, info_fninit, info_fnclex, info_fldcw, info_fstenv,
    info_fldenv, info_fsave, info_frstor, info_fxsave, info_fxrstor,
    info_ldmxcsr, info_stmxcsr, info_check_align16, info_xgetbv, info_xsetbv,
    info_xsave, info_xrstor;

#endif
