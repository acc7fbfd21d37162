/*
 * See fuzz-machine.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/accel.h"
#include "accel/tcg/internal.h"
#include "fuzz-machine.h"

/* Small: running out of code buffer is a case to cover too. */
#define CODE_CACHE_SIZE (8 * 1024 * 1024)

static MemoryRegion ram;

/* The watchdog: cpu_exit on the running vCPU once the run's deadline
 * passes.  Runs are numbered, so one run's stop never lands in the
 * next. */
static struct {
    GMutex lock;
    GCond cond;
    CPUState *cpu;               /* NULL: no run */
    unsigned run;
    gint64 deadline;
} watchdog;

static gpointer watchdog_thread(gpointer opaque)
{
    unsigned fired = 0;

    g_mutex_lock(&watchdog.lock);
    for (;;) {
        if (!watchdog.cpu || watchdog.run == fired) {
            g_cond_wait(&watchdog.cond, &watchdog.lock);
        } else if (!g_cond_wait_until(&watchdog.cond, &watchdog.lock,
                                      watchdog.deadline) &&
                   watchdog.cpu && g_get_monotonic_time() >=
                   watchdog.deadline) {
            cpu_exit(watchdog.cpu);
            fired = watchdog.run;
        }
    }
    return NULL;
}

MemoryRegion *fuzz_machine_init(uint64_t ram_size)
{
    memory_system_init(true);
    memory_region_init_ram(&ram, NULL, "ram", ram_size, &error_fatal);
    memory_region_add_subregion(get_system_memory(), 0, &ram);
    current_accel = ACCEL(object_new("tcg" TYPE_ACCEL_SUFFIX));
    tcg_code_cache_init(CODE_CACHE_SIZE, &error_fatal);
    tcg_context_init();
    tcg_memory_listener_init();
    /* Guest errors are what the inputs are made of: not worth a line. */
    emu_log_set_mask(0);
    g_thread_unref(g_thread_new("fuzz watchdog", watchdog_thread, NULL));
    return &ram;
}

CPUState *fuzz_cpu_new(const char *model)
{
    CPUState *cpu = cpu_create(object_class_get_name(cpu_class_by_name(model)),
                               &error_fatal);

    tcg_exec_init_target(CPU_GET_CLASS(cpu)->tcg_ops);
    tcg_vcpu(cpu);
    cpu->exception_index = -1;
    cpu_reset(cpu);
    return cpu;
}

static void watchdog_arm(CPUState *cpu, gint64 us)
{
    g_mutex_lock(&watchdog.lock);
    cpu->exit_request = 0;
    watchdog.cpu = cpu;
    watchdog.run++;
    watchdog.deadline = g_get_monotonic_time() + us;
    g_cond_signal(&watchdog.cond);
    g_mutex_unlock(&watchdog.lock);
}

static void watchdog_disarm(void)
{
    g_mutex_lock(&watchdog.lock);
    watchdog.cpu = NULL;
    g_cond_signal(&watchdog.cond);
    g_mutex_unlock(&watchdog.lock);
}

void fuzz_run_free(CPUState *cpu, gint64 us)
{
    watchdog_arm(cpu, us);
    cpu_exec(cpu);
    watchdog_disarm();
}

void fuzz_single_step(CPUState *cpu, unsigned steps, gint64 us)
{
    tcg_set_single_step(cpu, true);
    watchdog_arm(cpu, us);
    for (unsigned i = 0; i < steps; i++) {
        if (cpu_exec(cpu) != EXCP_DEBUG) {
            break;               /* halted, or the watchdog */
        }
    }
    watchdog_disarm();
    tcg_set_single_step(cpu, false);
}
