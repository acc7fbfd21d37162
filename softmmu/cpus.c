/*
 * Pausing, resuming and kicking vCPU threads, whatever the accelerator.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "sysemu/accel.h"
#include "sysemu/main-loop.h"
#include "softmmu/memory.h"

static GCond pause_cond;
static GCond created_cond;

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
    cpu_synchronize_state(cpu);
    *pc = cc->get_pc(cpu);
    return true;
}

int cpu_current_index(void)
{
    return current_cpu ? current_cpu->cpu_index : -1;
}

void cpu_synchronize_state(CPUState *cpu)
{
    if (accel_ops() && accel_ops()->synchronize_state) {
        accel_ops()->synchronize_state(cpu);
    }
}

void cpu_synchronize_post_write(CPUState *cpu)
{
    if (accel_ops() && accel_ops()->synchronize_post_write) {
        accel_ops()->synchronize_post_write(cpu);
    }
}

/* The smallest page of any target (ARMv5 tiny pages): a chunk this size
 * and this aligned never crosses a mapping. */
#define DEBUG_CHUNK 1024

bool cpu_memory_rw_debug(CPUState *cpu, uint64_t addr, uint8_t *buf,
                         size_t len, bool is_write)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);

    while (len) {
        size_t chunk = MIN(len, DEBUG_CHUNK - (addr & (DEBUG_CHUNK - 1)));
        hwaddr paddr = addr;
        MemTxResult res;

        if (cc->get_phys_addr_debug &&
            !cc->get_phys_addr_debug(cpu, addr, &paddr)) {
            return false;
        }
        res = is_write ? address_space_write_rom(&address_space_memory,
                                                 paddr, buf, chunk)
                       : address_space_read(&address_space_memory, paddr,
                                            buf, chunk);
        if (res != MEMTX_OK) {
            return false;
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
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

void cpu_thread_created(CPUState *cpu)
{
    cpu->thread_id = gettid();
    cpu->created = true;
    g_cond_broadcast(&created_cond);
}

/* So that "info cpus" and query-cpus-fast never show a thread id of 0. */
void cpu_wait_created(CPUState *cpu)
{
    while (!cpu->created) {
        bql_cond_wait(&created_cond);
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
