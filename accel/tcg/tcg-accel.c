/*
 * The tcg accelerator object ("-accel tcg,tb-size=N,one-insn-per-tb=on")
 * and its vCPU threads: one host thread per vCPU runs cpu_exec without
 * the big lock, and parks, with the lock, while the vCPU is stopped or
 * halted.  Kicks set exit_request, which generated code checks at every
 * block entry.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/accel.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/icount.h"
#include "accel/tcg/internal.h"

typedef struct TCGAccelState {
    AccelState parent_obj;
    uint32_t tb_size;            /* MiB; 0: the default */
    bool one_insn_per_tb;
    char *thread;                /* "single", "multi", or NULL: multi */
} TCGAccelState;

static bool tcg_available(Error **errp)
{
    return true;
}

static bool tcg_init_machine(AccelState *accel, MachineState *ms,
                             Error **errp)
{
    TCGAccelState *s = (TCGAccelState *)accel;

    /*
     * emu runs every vCPU on a thread of its own (QEMU's thread=multi).
     * With one vCPU thread=single is the same thing; with more, one
     * thread taking turns would be a different scheduler emu lacks.
     */
    if (icount_enabled() && s->thread && !strcmp(s->thread, "multi")) {
        error_setg(errp, "No MTTCG when icount is enabled");
        return false;
    }
    if (icount_enabled() && ms->smp_cpus > 1) {
        /* QEMU runs them in turns on one thread, which emu cannot. */
        error_setg(errp, "-icount with %u vCPUs is not supported: emu "
                   "counts the instructions of one vCPU", ms->smp_cpus);
        return false;
    }
    if (s->thread && strcmp(s->thread, "multi")) {
        if (strcmp(s->thread, "single")) {
            error_setg(errp, "Invalid 'thread' setting %s", s->thread);
            return false;
        }
        if (ms->smp_cpus > 1) {
            error_setg(errp, "thread=single with %u vCPUs is not supported: "
                       "emu runs each vCPU on its own host thread",
                       ms->smp_cpus);
            error_append_hint(errp, "Use thread=multi (the default).\n");
            return false;
        }
    }
    if (!tcg_code_cache_init((size_t)s->tb_size << 20, errp)) {
        return false;
    }
    tcg_context_init();
    tcg_default_cflags = s->one_insn_per_tb ? 1 : 0;
    tcg_memory_listener_init();
    return true;
}

static gpointer tcg_vcpu_thread_fn(gpointer opaque)
{
    CPUState *cpu = opaque;
    TCGVCPU *v = tcg_vcpu(cpu);
    const TCGCPUOps *ops = CPU_GET_CLASS(cpu)->tcg_ops;

    current_cpu = cpu;
    tcg_context_init();
    bql_lock();
    cpu_thread_created(cpu);
    /* vCPU threads run until emu exits. */
    for (;;) {
        int ret;

        if (cpu->stop || cpu->stopped) {
            cpu_wait_while_stopped(cpu);
            continue;
        }
        if (cpu->halted && !(ops->has_work && ops->has_work(cpu))) {
            if (icount_enabled()) {
                icount_wait_halted(cpu);
            } else {
                bql_cond_wait(&cpu->halt_cond);
            }
            continue;
        }
        if (icount_enabled()) {
            icount_slice_begin(cpu);
        }
        /* Under the lock: others flush this TLB directly while false. */
        __atomic_store_n(&v->in_exec, true, __ATOMIC_SEQ_CST);
        bql_unlock();
        ret = cpu_exec(cpu);
        bql_lock();
        __atomic_store_n(&v->in_exec, false, __ATOMIC_SEQ_CST);
        if (icount_enabled()) {
            icount_slice_end(cpu);
        }
        tlb_process_pending(cpu);
        if (ret == EXCP_DEBUG) {
            vm_stop_request(RUN_STATE_DEBUG);
        }
    }
    g_assert_not_reached();
}

static bool tcg_create_vcpu_thread(CPUState *cpu, Error **errp)
{
    const TCGCPUOps *ops = CPU_GET_CLASS(cpu)->tcg_ops;
    g_autofree char *name = NULL;

    if (!ops) {
        error_setg(errp, "tcg cannot run a '%s': this build has no "
                   "translator for it", object_get_typename(OBJECT(cpu)));
        return false;
    }
    tcg_exec_init_target(ops);
    tcg_vcpu(cpu);
    cpu->exception_index = -1;
    name = g_strdup_printf("CPU %d/TCG", cpu->cpu_index);
    cpu->thread = g_thread_new(name, tcg_vcpu_thread_fn, cpu);
    return true;
}

static void tcg_kick_vcpu(CPUState *cpu)
{
    cpu_exit(cpu);
}

/* emu wrote the registers (a reset): the translations the TLB holds
 * may be stale (paging, segment bases, the mode). */
static void tcg_synchronize_post_write(CPUState *cpu)
{
    tlb_flush(cpu);
}

/* Blocks are looked up with the cflags they were made with, so the
 * ones made before keep running only where the new cflags match. */
static void tcg_set_one_insn_per_tb(AccelState *accel, bool enable)
{
    TCGAccelState *s = (TCGAccelState *)accel;

    s->one_insn_per_tb = enable;
    __atomic_store_n(&tcg_default_cflags, enable ? 1 : 0, __ATOMIC_SEQ_CST);
    for (guint i = 0; cpus && i < cpus->len; i++) {
        cpu_exit(g_ptr_array_index(cpus, i));
    }
}

static const AccelOps tcg_accel_ops = {
    .available = tcg_available,
    .init_machine = tcg_init_machine,
    .create_vcpu_thread = tcg_create_vcpu_thread,
    .kick_vcpu = tcg_kick_vcpu,
    .insert_breakpoint = tcg_insert_breakpoint,
    .remove_breakpoint = tcg_remove_breakpoint,
    .remove_all_breakpoints = tcg_remove_all_breakpoints,
    .set_single_step = tcg_set_single_step,
    .synchronize_post_write = tcg_synchronize_post_write,
    .set_one_insn_per_tb = tcg_set_one_insn_per_tb,
};

static const Property tcg_accel_props[] = {
    DEFINE_PROP_UINT("tb-size", TCGAccelState, tb_size, 0,
                     "TCG translation block cache size (MiB; 0: 512 or "
                     "what the host can map)"),
    DEFINE_PROP_BOOL("one-insn-per-tb", TCGAccelState, one_insn_per_tb,
                     false,
                     "Only put one guest insn in each translation block"),
    DEFINE_PROP_STRING("thread", TCGAccelState, thread,
                       "single or multi: vCPUs on one host thread or one "
                       "each (emu: multi; single only with one vCPU)"),
};

static void tcg_accel_class_init(ObjectClass *klass)
{
    AccelClass *ac = ACCEL_CLASS(klass);

    ac->name = "tcg";
    ac->ops = &tcg_accel_ops;
    class_add_properties(klass, tcg_accel_props, ARRAY_SIZE(tcg_accel_props));
}

static const TypeInfo tcg_accel_types[] = {
    {
        .name = "tcg" TYPE_ACCEL_SUFFIX,
        .parent = TYPE_ACCEL,
        .instance_size = sizeof(TCGAccelState),
        .class_init = tcg_accel_class_init,
    },
};

DEFINE_TYPES(tcg_accel_types)
