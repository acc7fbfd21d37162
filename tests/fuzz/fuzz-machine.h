/*
 * The machine the fuzz targets of the monitor, the gdb stub and guest
 * code share, as -M none -accel tcg makes it in a real emu, but without
 * vCPU threads: RAM at 0 and tcg as the accelerator (its code cache,
 * memory listener and AccelOps, so breakpoints, single-step and the
 * TLB work), and CPUs created on demand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_FUZZ_FUZZ_MACHINE_H
#define TESTS_FUZZ_FUZZ_MACHINE_H

#include "softmmu/memory.h"
#include "hw/core/cpu.h"

/* ram_size bytes of RAM at guest physical 0 (returned), tcg current. */
MemoryRegion *fuzz_machine_init(uint64_t ram_size);
/* A reset CPU of a model of the target ("arm926", "qemu64"), ready for
 * cpu_exec. */
CPUState *fuzz_cpu_new(const char *model);

/* Stores the low size (1, 2, 4 or 8) bytes of value at addr,
 * little endian: the tables an input's guest finds in RAM. */
static inline void fuzz_store(hwaddr addr, unsigned size, uint64_t value)
{
    address_space_st(&address_space_memory, addr, size, value);
}

/*
 * Running the guest code of an input, bounded in host time by a
 * watchdog thread that calls cpu_exit once the deadline passes:
 * fuzz_run_free translates and chains whole blocks and runs until the
 * guest halts or us microseconds have passed; fuzz_single_step runs at
 * most steps instructions, one per block, and stops early when the
 * guest halts or after us microseconds (code that cannot be fetched
 * faults forever without completing an instruction).
 */
void fuzz_run_free(CPUState *cpu, gint64 us);
void fuzz_single_step(CPUState *cpu, unsigned steps, gint64 us);

#endif
