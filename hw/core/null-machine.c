/*
 * The "none" machine: no devices; RAM at address 0 only when -m is
 * given; a CPU only with -cpu.  For tests of the shared machinery and for -device experiments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "semihosting/semihost.h"

static bool none_machine_init(MachineState *ms, Error **errp)
{
    /* QEMU's answer, word for word: code for this machine comes in
     * through -device loader (ELF files too). */
    if (ms->kernel_filename) {
        error_setg(errp, "The -kernel parameter is not supported (use the "
                   "generic 'loader' device instead).");
        return false;
    }
    if (ms->ram_size_given) {
        if (!machine_create_ram(ms, errp)) {
            return false;
        }
        memory_region_add_subregion(get_system_memory(), 0, ms->ram);
        semihosting_set_ram(0, ms->ram_size);
    }
    /* A CPU only when -cpu names one: for running code loaded with
     * -device loader (and semihosting) without a board. */
    return !ms->cpu_type || machine_create_cpus(ms, errp);
}

static void none_machine_class_init(ObjectClass *klass)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->desc = "empty machine";
    mc->init = none_machine_init;
    mc->max_cpus = 1;
    mc->loads_kernel = true;     /* to refuse it as QEMU does */
}

static const TypeInfo none_machine_types[] = {
    {
        .name = "none" TYPE_MACHINE_SUFFIX,
        .parent = TYPE_MACHINE,
        .class_init = none_machine_class_init,
    },
};

DEFINE_TYPES(none_machine_types)
