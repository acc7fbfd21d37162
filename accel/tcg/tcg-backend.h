/*
 * The seam between the translator core (the files of accel/tcg) and the host
 * back end (accel/tcg/tcg-target.c, x86-64).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ACCEL_TCG_BACKEND_H
#define ACCEL_TCG_BACKEND_H

#include "tcg/tcg.h"
#include "tcg/tcg-cpu.h"

/* Values generated code returns to the loop: a TB pointer (4-byte
 * aligned) ORed with the jump slot it left by (0, 1), or with
 * TB_EXIT_REQUESTED when the entry check saw exit_request; 0 means
 * "no chaining" (lookup_and_goto_ptr miss, exit_tb(NULL)). */
enum {
    TB_EXIT_IDX0 = 0,
    TB_EXIT_IDX1 = 1,
    TB_EXIT_REQUESTED = 3,
    TB_EXIT_MASK = 3,
};

/* Emits the prologue/epilogue at buf; returns the bytes used.  After it,
 * tcg_qemu_tb_exec(env, code) runs generated code with env in the
 * reserved host register until an exit_tb, returning its value. */
size_t tcg_target_emit_prologue(uint8_t *buf, size_t size);
extern uintptr_t (*tcg_qemu_tb_exec)(void *env, const void *code);
/* The epilogue's address: goto_ptr jumps there for "return 0". */
extern const void *tcg_code_gen_epilogue;

/*
 * Register allocation and host code for the ops of s (after the
 * optimiser and liveness), written at s->code_ptr up to s->code_end.
 * Fills s->insn_end_offsets for each insn_start, and tb->jmp_*_offset.
 * Returns the host bytes written, or -1 when the buffer is too small.
 */
int tcg_target_gen_code(TCGContext *s, TranslationBlock *tb);

/* Patches jump slot n of tb (host code at tb->tc_ptr) to go to addr,
 * atomically for a CPU that may be executing it. */
void tcg_target_set_jmp_target(TranslationBlock *tb, int n, uintptr_t addr);

/* The slow paths generated code calls on a TLB miss or MMIO page
 * (accel/tcg/cputlb.c); retaddr is the host address after the call, for
 * restoring the guest state on a fault. */
uint64_t helper_ld_mmu(void *env, uint64_t addr, MemOpIdx oi,
                       uintptr_t retaddr);
void helper_st_mmu(void *env, uint64_t addr, uint64_t val, MemOpIdx oi,
                   uintptr_t retaddr);
/* lookup_and_goto_ptr: the host code of the block for the current guest
 * state, or tcg_code_gen_epilogue (accel/tcg/cpu-exec.c). */
const void *helper_lookup_tb_ptr(void *env);

#endif
