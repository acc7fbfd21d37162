/*
 * The query functions both monitors present (see query.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "query.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "sysemu/accel.h"
#include "sysemu/kvm.h"
#include "sysemu/target.h"

VersionInfo query_version(void)
{
    VersionInfo info = { .package = "" };

    sscanf(EMU_VERSION, "%d.%d.%d", &info.major, &info.minor, &info.micro);
    return info;
}

StatusInfo query_status(void)
{
    StatusInfo info = {
        .status = runstate_get(),
        .running = runstate_is_running(),
    };

    if (current_accel &&
        object_class_find_property(OBJECT(current_accel)->klass,
                                   "one-insn-per-tb")) {
        info.singlestep = object_property_get_bool(OBJECT(current_accel),
                                                   "one-insn-per-tb", NULL);
    }
    return info;
}

static void cpu_info_clear(gpointer data)
{
    g_free(((CpuInfoFast *)data)->qom_path);
}

GArray *query_cpus_fast(void)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(CpuInfoFast));

    g_array_set_clear_func(list, cpu_info_clear);
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        CpuInfoFast info = {
            .cpu_index = cpu->cpu_index,
            .thread_id = cpu->thread_id,
            .qom_path = object_get_canonical_path(OBJECT(cpu)),
            .target = target_info.arch,
        };

        info.has_props = machine_cpu_slot_props(current_machine,
                                                cpu->cpu_index, &info.props);
        g_array_append_val(list, info);
    }
    return list;
}

static void hotpluggable_cpu_clear(gpointer data)
{
    g_free(((HotpluggableCpu *)data)->qom_path);
}

GArray *query_hotpluggable_cpus(Error **errp)
{
    MachineState *ms = current_machine;
    GArray *list;

    if (!ms || !MACHINE_GET_CLASS(ms)->lists_cpu_slots || !cpus ||
        !cpus->len) {
        error_setg(errp, "The feature 'query-hotpluggable-cpus' is not "
                   "enabled");
        return NULL;
    }
    list = g_array_new(FALSE, TRUE, sizeof(HotpluggableCpu));
    g_array_set_clear_func(list, hotpluggable_cpu_clear);
    for (unsigned i = ms->smp_max_cpus; i-- > 0;) {
        HotpluggableCpu slot = {
            .type = object_get_typename(g_ptr_array_index(cpus, 0)),
        };

        machine_cpu_slot_props(ms, i, &slot.props);
        if (i < cpus->len) {
            slot.qom_path = object_get_canonical_path(
                g_ptr_array_index(cpus, i));
        }
        g_array_append_val(list, slot);
    }
    return list;
}

KvmInfo query_kvm(void)
{
    return (KvmInfo) { .enabled = kvm_enabled(), .present = kvm_present() };
}

static void machine_info_clear(gpointer data)
{
    g_free(((MachineInfo *)data)->name);
}

GArray *query_machines(void)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(MachineInfo));
    GSList *classes = object_class_get_list_sorted(TYPE_MACHINE, false);

    g_array_set_clear_func(list, machine_info_clear);
    for (GSList *l = classes; l; l = l->next) {
        MachineClass *mc = l->data;
        ObjectClass *cpu_class = mc->default_cpu_model ?
            cpu_class_by_name(mc->default_cpu_model) : NULL;
        MachineInfo info = {
            .name = machine_class_short_name(l->data),
            .is_default = mc->is_default,
            .cpu_max = MAX(mc->max_cpus, 1),
            .default_cpu_type = cpu_class ? object_class_get_name(cpu_class)
                                          : NULL,
            .default_ram_id = mc->default_ram_id,
            .alias = mc->alias,
        };

        g_array_append_val(list, info);
    }
    g_slist_free(classes);
    return list;
}
