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
