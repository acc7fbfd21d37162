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
/* A reset CPU of an ARM model ("arm926"), ready for cpu_exec. */
CPUState *fuzz_cpu_new(const char *model);

#endif
