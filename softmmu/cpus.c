/*
 * Pausing, resuming and kicking vCPU threads, whatever the accelerator.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "sysemu/accel.h"
#include "sysemu/main-loop.h"

static GCond pause_cond;

static bool all_vcpus_paused(void)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        if (cpu->created && !cpu->stopped) {
            return false;
        }
    }
    return true;
}

bool cpu_current_pc(uint64_t *pc)
{
    CPUState *cpu = current_cpu;
    CPUClass *cc;

    if (!cpu) {
        return false;
    }
    cc = CPU_GET_CLASS(cpu);
    if (!cc->get_pc) {
        return false;
    }
    if (accel_ops() && accel_ops()->synchronize_state) {
        accel_ops()->synchronize_state(cpu);
    }
    *pc = cc->get_pc(cpu);
    return true;
}

void cpu_exit(CPUState *cpu)
{
    __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
}

void cpu_kick(CPUState *cpu)
{
    g_cond_broadcast(&cpu->halt_cond);
    if (accel_ops() && accel_ops()->kick_vcpu) {
        accel_ops()->kick_vcpu(cpu);
    }
}

void pause_all_vcpus(void)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        cpu->stop = true;
        cpu_kick(cpu);
    }
    /* A vCPU thread that is itself pausing the machine must not wait for
     * its own acknowledgement. */
    if (current_cpu) {
        current_cpu->stopped = true;
    }
    while (!all_vcpus_paused()) {
        bql_cond_wait(&pause_cond);
    }
}

void resume_all_vcpus(void)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        cpu->stop = false;
        cpu->stopped = false;
        cpu_kick(cpu);
    }
}

void cpu_wait_while_stopped(CPUState *cpu)
{
    while (cpu->stop || cpu->stopped) {
        if (cpu->stop) {
            cpu->stopped = true;
            g_cond_broadcast(&pause_cond);
        }
        bql_cond_wait(&cpu->halt_cond);
    }
}
