/*
 * The vCPU loop: take pending exceptions and interrupts, find or
 * translate the block for the current guest state, run it, chain it to
 * the block it left for, and leave when asked (exit_request), halted or
 * stopped at a breakpoint.  Runs without the big lock; takes it to enter
 * exceptions and interrupts (targets may touch devices there, e.g.
 * semihosting) and to translate.
 *
 * cpu_loop_exit unwinds from generated code or a helper with
 * siglongjmp to the loop; cpu_loop_exit_restore first puts the guest
 * state back to the instruction that faulted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/main-loop.h"
#include "sysemu/icount.h"
#include "accel/tcg/internal.h"
#include "accel/tcg/tcg-backend.h"

uint32_t tcg_default_cflags;

void cpu_loop_exit(CPUState *cpu)
{
    siglongjmp(tcg_vcpu(cpu)->jmp_env, 1);
}

void tcg_icount_io_begin(CPUState *cpu, uintptr_t ra)
{
    if (icount_enabled() && cpu) {
        icount_io_begin(tb_insns_after(ra));
    }
}

void tcg_icount_io_end(CPUState *cpu)
{
    if (icount_enabled() && cpu) {
        icount_io_end();
    }
}

void cpu_loop_exit_restore(CPUState *cpu, uintptr_t ra)
{
    if (ra) {
        cpu_restore_state(cpu, ra);
    }
    cpu_loop_exit(cpu);
}

void cpu_interrupt(CPUState *cpu, int mask)
{
    __atomic_or_fetch(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    cpu_exit(cpu);
    cpu_kick(cpu);
}

void cpu_reset_interrupt(CPUState *cpu, int mask)
{
    __atomic_and_fetch(&cpu->interrupt_request, ~(uint32_t)mask,
                       __ATOMIC_SEQ_CST);
}

static uint32_t curr_cflags(void)
{
    return tcg_default_cflags |
           (emu_log_enabled(LOG_NOCHAIN) ? CF_NO_CHAIN : 0);
}

static bool tb_matches(const TranslationBlock *tb, uint64_t pc,
                       uint64_t cs_base, uint32_t flags, uint32_t cflags)
{
    /* An invalidated block has CF_INVALID, which cflags never has. */
    return tb && tb->pc == pc && tb->cs_base == cs_base &&
           tb->flags == flags &&
           __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) == cflags;
}

static void log_cpu_exec(CPUState *cpu, const TranslationBlock *tb)
{
    if (emu_log_enabled(LOG_EXEC)) {
        emu_log("Trace %d: %p [%08" PRIx64 "/%08" PRIx64 "/%08x/%08x] \n",
                cpu->cpu_index, tb->tc_ptr, tb->cs_base, tb->pc, tb->flags,
                tb->cflags);
    }
    if (emu_log_enabled(LOG_CPU) && CPU_GET_CLASS(cpu)->dump_state) {
        g_autoptr(GString) out = g_string_new(NULL);

        CPU_GET_CLASS(cpu)->dump_state(cpu, out, emu_log_enabled(LOG_FPU)
                                                 ? CPU_DUMP_FPU : 0);
        emu_log("%s", out->str);
    }
}

/* The block to run next, or NULL when a breakpoint is at the PC;
 * extra_cflags limits its length (-icount's last instructions). */
static TranslationBlock *tb_find(CPUState *cpu, const TCGCPUOps *ops,
                                 uint32_t extra_cflags)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    uint64_t pc, cs_base;
    uint32_t flags, cflags = curr_cflags() | extra_cflags;
    TranslationBlock *tb;
    unsigned h;
    hwaddr phys;
    bool locked;

    if (v->cflags_next_tb) {
        cflags = (cflags & ~CF_COUNT_MASK) | v->cflags_next_tb;
        v->cflags_next_tb = 0;
    }
    ops->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
    if (v->debug_active && tcg_debug_check_pc(cpu, pc, &cflags)) {
        return NULL;
    }
    h = tb_jmp_cache_hash(pc);
    tb = __atomic_load_n(&v->jmp_cache[h], __ATOMIC_RELAXED);
    if (tb_matches(tb, pc, cs_base, flags, cflags)) {
        return tb;
    }
    phys = get_page_addr_code(cpu, pc, flags, true);
    tb = tb_lookup_hash(phys, pc, cs_base, flags, cflags);
    if (!tb) {
        /* Translation may read MMIO, and the lock keeps two vCPUs from
         * translating the same block. */
        locked = bql_lock_if_needed();
        tb = tb_lookup_hash(phys, pc, cs_base, flags, cflags);
        if (!tb) {
            tb = tb_gen_code(cpu, pc, cs_base, flags, cflags);
        }
        bql_unlock_if(locked);
    }
    __atomic_store_n(&v->jmp_cache[h], tb, __ATOMIC_RELAXED);
    return tb;
}

/* The lookup's miss: the block from the hash table (without translating:
 * a new block is the loop's business), or back to the loop. */
static __attribute__((noinline)) const void *
lookup_tb_ptr_miss(CPUState *cpu, TCGVCPU *v, uint64_t pc, uint64_t cs_base,
                   uint32_t flags, uint32_t cflags)
{
    hwaddr phys = get_page_addr_code(cpu, pc, flags, false);
    TranslationBlock *tb;

    if (phys == (hwaddr)-1) {
        return tcg_code_gen_epilogue;
    }
    tb = tb_lookup_hash(phys, pc, cs_base, flags, cflags);
    if (!tb) {
        return tcg_code_gen_epilogue;
    }
    __atomic_store_n(&v->jmp_cache[tb_jmp_cache_hash(pc)], tb,
                     __ATOMIC_RELAXED);
    if (emu_loglevel & (LOG_EXEC | LOG_CPU)) {
        log_cpu_exec(cpu, tb);
    }
    return tb->tc_ptr;
}

/*
 * Every indirect branch and return of the guest comes here, so the hit
 * path is kept to a few loads and compares: no checked casts, and the
 * logging, debugger and -d nochain cases tested with one mask and one
 * flag.  A target's own lookup helper (ARM's) reads its state directly;
 * helper_lookup_tb_ptr asks get_tb_cpu_state (an indirect call).
 */
const void *tcg_lookup_tb_ptr(void *env, uint64_t pc, uint64_t cs_base,
                              uint32_t flags)
{
    CPUState *cpu = env_to_cpu(env);
    /* cpu_exec created it before running any block. */
    TCGVCPU *v = cpu->accel;
    TranslationBlock *tb;

    if ((emu_loglevel & (LOG_NOCHAIN | LOG_EXEC | LOG_CPU)) ||
        v->debug_active) {
        /* The debugger's checks are the loop's, and so is -d nochain's
         * trace: go back to it. */
        if (emu_log_enabled(LOG_NOCHAIN) || v->debug_active) {
            return tcg_code_gen_epilogue;
        }
        return lookup_tb_ptr_miss(cpu, v, pc, cs_base, flags,
                                  tcg_default_cflags);
    }
    tb = __atomic_load_n(&v->jmp_cache[tb_jmp_cache_hash(pc)],
                         __ATOMIC_RELAXED);
    if (tb_matches(tb, pc, cs_base, flags, tcg_default_cflags)) {
        return tb->tc_ptr;
    }
    return lookup_tb_ptr_miss(cpu, v, pc, cs_base, flags,
                              tcg_default_cflags);
}

const void *helper_lookup_tb_ptr(void *env)
{
    CPUState *cpu = env_to_cpu(env);
    TCGVCPU *v = cpu->accel;
    uint32_t flags;
    uint64_t pc, cs_base;

    v->ops->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
    return tcg_lookup_tb_ptr(env, pc, cs_base, flags);
}

/* Takes the exception in exception_index; returns the loop's exit
 * code, or -1 to go on. */
static int handle_exception(CPUState *cpu, const TCGCPUOps *ops)
{
    int excp = cpu->exception_index;

    if (excp < 0) {
        return -1;
    }
    cpu->exception_index = -1;
    if (excp >= EXCP_INTERRUPT) {
        if (excp == EXCP_HLT) {
            cpu->halted = true;
        }
        return excp;
    }
    bql_lock();
    cpu->exception_index = excp;
    ops->do_interrupt(cpu);
    if (cpu->exception_index == excp) {
        cpu->exception_index = -1;
    }
    bql_unlock();
    /* do_interrupt may have left another one (EXCP_HLT, EXCP_DEBUG...) */
    return handle_exception(cpu, ops);
}

/* Takes an enabled pending interrupt; returns an exit code or -1. */
static int handle_interrupt(CPUState *cpu, const TCGCPUOps *ops,
                            TranslationBlock **last_tb)
{
    uint32_t req = __atomic_load_n(&cpu->interrupt_request,
                                   __ATOMIC_SEQ_CST);

    if (req && tcg_vcpu(cpu)->debug_active &&
        tcg_debug_irqs_held(cpu)) {
        req &= ~(uint32_t)(CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ);
    }
    if (req) {
        if (req & CPU_INTERRUPT_HALT) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_HALT);
            cpu->halted = true;
            return EXCP_HLT;
        }
        if (req & CPU_INTERRUPT_EXITTB) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_EXITTB);
            *last_tb = NULL;
        }
        if ((req & (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ |
                    CPU_INTERRUPT_TGT_0 | CPU_INTERRUPT_TGT_1 |
                    CPU_INTERRUPT_TGT_2)) &&
            ops->cpu_exec_interrupt) {
            bool taken;

            bql_lock();
            taken = ops->cpu_exec_interrupt(cpu, req);
            bql_unlock();
            if (taken) {
                cpu->exception_index = -1;
                *last_tb = NULL;
            }
        }
    }
    if (__atomic_load_n(&cpu->exit_request, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
        return EXCP_INTERRUPT;
    }
    return -1;
}

/* The loop proper: cpu_loop_exit lands in cpu_exec, which calls this
 * again, so that nothing here lives across a longjmp. */
static int cpu_exec_loop(CPUState *cpu, const TCGCPUOps *ops)
{
    void *env = cpu_env(cpu);
    TCGVCPU *v = tcg_vcpu(cpu);
    TranslationBlock *last_tb = NULL;
    uint32_t icount_cflags = 0;
    unsigned flush_count;
    int last_idx = 0;
    int ret;

    for (;;) {
        TranslationBlock *tb;
        uintptr_t r;

        tlb_process_pending(cpu);
        ret = handle_exception(cpu, ops);
        if (ret >= 0) {
            return ret;
        }
        /* A stepped instruction (and the exception it took) is done. */
        if (v->debug_active && tcg_debug_insn_done(cpu)) {
            return EXCP_DEBUG;
        }
        /* A store that went back to redo itself as a block of its own
         * (tb_invalidate_by_store) runs before any interrupt. */
        ret = v->cflags_next_tb ? -1 : handle_interrupt(cpu, ops, &last_tb);
        if (ret >= 0) {
            return ret;
        }
        flush_count = __atomic_load_n(&tb_flush_count, __ATOMIC_SEQ_CST);
        tb = tb_find(cpu, ops, icount_cflags);
        icount_cflags = 0;
        if (!tb) {
            return EXCP_DEBUG;   /* a breakpoint */
        }
        if (flush_count != __atomic_load_n(&tb_flush_count,
                                           __ATOMIC_SEQ_CST)) {
            last_tb = NULL;      /* freed by the flush */
        }
        if (last_tb && !(last_tb->cflags & CF_NO_CHAIN) &&
            !(tb->cflags & CF_NO_CHAIN)) {
            tb_add_jump(last_tb, last_idx, tb);
        }
        if (emu_loglevel & (LOG_EXEC | LOG_CPU)) {
            log_cpu_exec(cpu, tb);
        }
        if (v->debug_active) {
            tcg_debug_before_exec(cpu);
        }
        r = tcg_qemu_tb_exec(env, tb->tc_ptr);
        last_tb = (TranslationBlock *)(r & ~(uintptr_t)TB_EXIT_MASK);
        last_idx = r & TB_EXIT_MASK;
        if (last_idx == TB_EXIT_REQUESTED) {
            /* Nothing of last_tb ran; a chained entry left the pc at
             * the block that jumped to it. */
            ops->synchronize_from_tb(cpu, last_tb);
            tcg_debug_insn_not_run(cpu);
            if (icount_enabled() && cpu->icount_decr < last_tb->icount) {
                /* The slice is over, or only a shorter block fits in
                 * it (unchained, so that no jump keeps going there). */
                if (cpu->icount_decr == 0) {
                    return EXCP_INTERRUPT;
                }
                icount_cflags = cpu->icount_decr | CF_NO_CHAIN;
            }
            last_tb = NULL;
        }
        if (v->cpu_watch_hits) {
            /* The instruction that hit them is complete: its trap. */
            unsigned hits = v->cpu_watch_hits;

            v->cpu_watch_hits = 0;
            ops->watchpoint_trap(cpu, hits);
        }
    }
}

int cpu_exec(CPUState *cpu)
{
    const TCGCPUOps *ops = CPU_GET_CLASS(cpu)->tcg_ops;
    TCGVCPU *v = tcg_vcpu(cpu);
    int ret;

    if (cpu->halted) {
        if (!ops->has_work || !ops->has_work(cpu)) {
            return EXCP_HALTED;
        }
        cpu->halted = false;
    }
    if (sigsetjmp(v->jmp_env, 0)) {
        /* Back from cpu_loop_exit: drop what the unwound code held.
         * An instruction left that way did not complete: its watchpoint
         * hits do not trap. */
        tb_unlock_after_fault(cpu);
        v->cpu_watch_hits = 0;
        if (bql_locked()) {
            bql_unlock();
        }
    }
    ret = cpu_exec_loop(cpu, ops);
    if (ops->cpu_exec_exit) {
        ops->cpu_exec_exit(cpu);
    }
    return ret;
}
