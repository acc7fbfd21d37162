/*
 * What the files of the translator core (accel/tcg/) share and nobody
 * else needs: context set-up, the optimiser and liveness passes, the
 * code cache, the per-vCPU state and the TLB maintenance the vCPU loop
 * does on behalf of other threads.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include <setjmp.h>
#include "tcg/tcg.h"
#include "tcg/tcg-cpu.h"

/* ---- the IR context (tcg.c) ---- */

/* Sets up the one shared context (idempotent) and points this thread's
 * tcg_ctx at it. */
void tcg_context_init(void);
/* Forgets the ops, labels, temps and constants of the last block. */
void tcg_func_start(TCGContext *s);
/* Number of ops and the op at index i. */
static inline TCGOp *tcg_op_at(TCGContext *s, guint i)
{
    return &s->ops.op[i];
}
static inline TCGTemp *arg_temp(TCGArg a)
{
    return (TCGTemp *)(uintptr_t)a;
}
static inline TCGArg temp_arg(TCGTemp *t)
{
    return (TCGArg)(uintptr_t)t;
}
static inline TCGLabel *arg_label(TCGArg a)
{
    return (TCGLabel *)(uintptr_t)a;
}
/* Appends an op with nargs arguments; returns it (valid until the next
 * emission).  Inline, so that the copy of a constant number of
 * arguments is a few moves rather than calls to memcpy and memset
 * (which cost as much as the rest of the op's emission). */
static inline TCGOp *tcg_emit_op(TCGOpcode opc, int nargs,
                                 const TCGArg *args)
{
    TCGOp *op = tcg_op_list_push(&tcg_ctx->ops);

    g_assert(nargs <= TCG_MAX_OP_ARGS);
    op->opc = opc;
    op->nb_oargs = tcg_op_defs[opc].nb_oargs;
    op->nb_iargs = tcg_op_defs[opc].nb_iargs;
    op->life = 0;
    memcpy(op->args, args, nargs * sizeof(TCGArg));
    memset(&op->args[nargs], 0, (TCG_MAX_OP_ARGS - nargs) * sizeof(TCGArg));
    return op;
}
TCGTemp *tcg_constant_internal(TCGType type, int64_t val);
TCGTemp *tcg_constant_unshared(TCGType type);
TCGTemp *tcg_temp_new_internal(TCGType type);
/* Outputs + inputs of op (call: from the op, others: from the table). */
int tcg_op_nb_oargs(const TCGOp *op);
int tcg_op_nb_iargs(const TCGOp *op);
/* Constant arguments of op that follow outputs and inputs. */
int tcg_op_nb_cargs(const TCGOp *op);
/* The "-d op" listing of s's ops, with liveness once computed. */
void tcg_dump_ops(TCGContext *s, GString *out, bool have_life);
/* Backward pass: removes ops whose results nobody reads and sets
 * op->life (see the comment in tcg.c). */
void tcg_liveness_analysis(TCGContext *s);

/* Raised (longjmp) by the context when a block needs more temps than
 * TCG_MAX_TEMPS: the caller retranslates with fewer instructions. */
extern __thread sigjmp_buf *tcg_overflow_jmp;

/* ---- optimiser (optimize.c) ---- */

void tcg_optimize(TCGContext *s);

/* ---- code cache (translate-all.c) ---- */

/* Allocates the code buffer (bytes; 0 = default) and emits the
 * prologue.  Errors name the size that failed. */
bool tcg_code_cache_init(size_t size, Error **errp);
/* Once per run, on a thread with tcg_ctx: the target's globals and the
 * env-relative offsets generated code uses. */
void tcg_exec_init_target(const TCGCPUOps *ops);
/* Valid block for (pc, cs_base, flags, cflags) at phys_pc, or NULL.
 * Takes the translation lock itself. */
TranslationBlock *tb_lookup_hash(hwaddr phys_pc, uint64_t pc,
                                 uint64_t cs_base, uint32_t flags,
                                 uint32_t cflags);
/* Translates a new block (the caller checked it does not exist). */
TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint64_t cs_base,
                              uint32_t flags, uint32_t cflags);
/* Patches jump slot n of tb to go straight to next (if both valid). */
void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *next);
/* Resets every chained jump into another guest page: the TLB that
 * checked those pages' mappings and fetch permission was flushed. */
void tb_unchain_cross_page(void);
bool tb_is_invalid(const TranslationBlock *tb);
/* Invalidates every block with code in [start, end) of guest physical
 * memory; true if some were. */
bool tb_invalidate_phys_range(hwaddr start, hwaddr end);
/* Guest state back to the instruction of the helper call returning to
 * ra, and out to the loop, which runs that instruction again as a block
 * of its own that returns to the loop after it (cflags_next_tb). */
void cpu_redo_insn_alone(CPUState *cpu, uintptr_t ra) EMU_NORETURN;
/* Whether the block running at return address ra is such a block (or
 * ra is not in generated code). */
bool tb_running_alone(uintptr_t ra);
/* A store the block running at host return address ra (0: none) makes
 * to [start, end), a range holding translated code: invalidates the
 * blocks there, and when the running block is one of them and the store
 * is not its only instruction, redoes the store alone
 * (cpu_redo_insn_alone), so that what follows it is translated afresh. */
void tb_invalidate_by_store(CPUState *cpu, hwaddr start, hwaddr end,
                            uintptr_t ra);
/* Whether a guest physical page holds translated code. */
bool tb_page_has_code(hwaddr page);
/* After cpu_loop_exit from the middle of a translation (a prefetch
 * abort on a later page): drops what the translation held. */
void tb_unlock_after_fault(CPUState *cpu);
/* Throws every translation away (buffer full). */
void tb_flush_all(void);
/* Bumped by every tb_flush_all: TB pointers kept across it are stale. */
extern unsigned tb_flush_count;
/* Guest state back to the instruction at host_pc (a helper's return
 * address in generated code); false if host_pc is not generated code. */
bool cpu_restore_state(CPUState *cpu, uintptr_t host_pc);
/* The instructions of the block after the one at host_pc (a helper's
 * return address in generated code); 0 if host_pc is not generated
 * code. */
unsigned tb_insns_after(uintptr_t host_pc);
/* Records that the block being translated fetched len bytes at guest
 * physical paddr (translator_ldl): the pages it covers. */
void tb_record_fetch(hwaddr paddr, int len);
/* A translation starts (active) or ends: forgets the page the last
 * instruction fetch came from (cputlb.c). */
void translator_fetch_reset(bool active);

/* What info jit shows of the code cache (QEMU's figures). */
typedef struct TCGCodeCacheStats {
    size_t code_size, code_capacity;   /* bytes of the code buffer */
    size_t tb_count;
    size_t target_size, max_target_size;  /* guest bytes */
    size_t host_size;                  /* host code bytes */
    size_t cross_page;                 /* blocks on two guest pages */
    size_t direct_jmp, direct_jmp2;    /* blocks with goto_tb 0, 1 */
    unsigned flush_count, invalidate_count;
} TCGCodeCacheStats;
void tcg_code_cache_stats(TCGCodeCacheStats *st);

/* ---- per-vCPU state (cpu->accel) ---- */

#define TB_JMP_CACHE_BITS 12
#define TB_JMP_CACHE_SIZE (1 << TB_JMP_CACHE_BITS)

typedef struct TCGVCPU {
    /* The CPU's tcg hooks, without the class cast (the lookup at every
     * indirect branch calls get_tb_cpu_state through it). */
    const TCGCPUOps *ops;
    TranslationBlock *jmp_cache[TB_JMP_CACHE_SIZE];
    sigjmp_buf jmp_env;          /* cpu_loop_exit lands here */
    bool in_exec;                /* in cpu_exec (without the big lock) */
    /* The block tb_gen_code is translating (it holds the translation
     * lock meanwhile): a guest fault during translation longjmps out,
     * and tb_unlock_after_fault frees the block and drops the lock. */
    TranslationBlock *translating;
    int tlb_flush_pending;       /* asked by another thread */
    /* Bit i: MMU index i has had an entry filled since its last flush
     * (a flush clears only those: x86's user and stack indexes are
     * often empty when the kernel switches CR3). */
    unsigned tlb_dirty_mmu_idx;
    /* The large page (ARM section) each MMU index holds, if any:
     * flushing a page inside it flushes everything. */
    uint64_t large_page_addr[NB_MMU_MODES];
    uint64_t large_page_mask[NB_MMU_MODES];
    /* The debugger's stops (debug.c).  debug_active: any of them is set,
     * the one flag the loop's fast path tests. */
    bool debug_active;
    bool single_step;
    GArray *breakpoints;         /* uint64_t guest virtual addresses */
    GArray *watchpoints;         /* TCGWatchpoint */
    bool insn_running;           /* a single-step block is running */
    /* cflags of the next block instead of the default, once (0: none):
     * cpu_redo_insn_alone's block.  Interrupts wait until it ran. */
    uint32_t cflags_next_tb;
    /* The guest's own watchpoints (ids, bit n for id n) that the
     * instruction running alone hit: its target trap follows it. */
    unsigned cpu_watch_hits;
    /* Whole-TLB flushes, as QEMU counts them for info jit: full when
     * every MMU index had entries; else partial per index flushed and
     * elided per index that was already empty. */
    size_t tlb_full_flushes, tlb_part_flushes, tlb_elided_flushes;
} TCGVCPU;

static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{
    /* ARM code is 4-byte aligned and Thumb code 2-byte: index by the
     * word, and let the half-word bit pick the other half of the table,
     * so ARM code uses every entry too. */
    return ((pc >> 2) ^ ((pc & 2) << (TB_JMP_CACHE_BITS - 2))) &
           (TB_JMP_CACHE_SIZE - 1);
}

/* The tcg state of a vCPU, created on first use. */
TCGVCPU *tcg_vcpu(CPUState *cpu);
/* env <-> CPUState, with the offset every tcg target CPU gives. */
static inline void *cpu_env(CPUState *cpu)
{
    return (char *)cpu + CPU_GET_CLASS(cpu)->tcg_ops->env_offset;
}
extern size_t tcg_env_offset;
static inline CPUState *env_to_cpu(void *env)
{
    return (CPUState *)((char *)env - tcg_env_offset);
}
static inline CPUTLB *cpu_tlb(CPUState *cpu)
{
    return (CPUTLB *)((char *)cpu_env(cpu) - sizeof(CPUTLB));
}

/* Drops the jump-cache entries of blocks starting in [start, end). */
void tb_jmp_cache_clear_range(CPUState *cpu, uint64_t start, uint64_t end);
void tb_jmp_cache_clear(CPUState *cpu);
/* Removes tb from every vCPU's jump cache. */
void tb_jmp_cache_remove(TranslationBlock *tb);

/* ---- TLB (cputlb.c) ---- */

/* Guest physical address of the code at pc, for a block with TB flags
 * tb_flags: from the TLB entry of the block's fetch MMU index, filled
 * on a miss with execute permission checked as for a fetch.  A refused
 * fetch raises the guest's prefetch abort (does not return), or without
 * may_walk gives -1. */
hwaddr get_page_addr_code(CPUState *cpu, uint64_t pc, uint32_t tb_flags,
                          bool may_walk);
/* Marks the TLB entries that map page (guest physical) so stores to it
 * take the slow path (it now holds code), or lets them go fast again. */
void tlb_protect_code(hwaddr page);
void tlb_unprotect_code(hwaddr page);
/* Does the flushes other threads asked of this vCPU. */
void tlb_process_pending(CPUState *cpu);
/* Listens to address_space_memory (once). */
void tcg_memory_listener_init(void);

/* ---- the debugger's stops (debug.c) ---- */

bool tcg_insert_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len, Error **errp);
bool tcg_remove_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len);
void tcg_remove_all_breakpoints(CPUState *cpu);
void tcg_set_single_step(CPUState *cpu, bool enable);
/* Before a block lookup at pc (only while debug_active): true if a
 * breakpoint is there (cpu->debug_stop set); may narrow *cflags to
 * one unchained instruction. */
bool tcg_debug_check_pc(CPUState *cpu, uint64_t pc, uint32_t *cflags);
/* Around running a block: before it; after it returned without running
 * its instruction (an exit request at entry); at the top of the loop,
 * true when a single-step stop is due (cpu->debug_stop set). */
void tcg_debug_before_exec(CPUState *cpu);
void tcg_debug_insn_not_run(CPUState *cpu);
bool tcg_debug_insn_done(CPUState *cpu);
/* Single-step holds IRQ and FIQ off. */
bool tcg_debug_irqs_held(CPUState *cpu);
/* TLB_WATCHPOINT for the read and write entries of a watched page. */
void tcg_watch_tlb_flags(CPUState *cpu, uint64_t page, uint64_t *read_flags,
                         uint64_t *write_flags);
/* The slow path's check of an access to a watched page: on a hit of
 * the debugger's, stops the vCPU at the instruction (does not return);
 * of the guest's own, the access goes on once its instruction runs
 * alone (cpu_watch_hits). */
void tcg_watchpoint_check(CPUState *cpu, uint64_t addr, int size,
                          MMUAccessType access, uintptr_t ra);

/* ---- the vCPU loop (cpu-exec.c) ---- */

/* Runs cpu until an exit: EXCP_INTERRUPT (exit request), EXCP_HLT,
 * EXCP_HALTED, EXCP_DEBUG. */
int cpu_exec(CPUState *cpu);
/* cflags every new block gets (-d nochain, one-insn-per-tb). */
extern uint32_t tcg_default_cflags;

#endif
