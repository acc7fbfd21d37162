/*
 * The machine base type: RAM size, vCPU count and model, the board list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"

MachineState *current_machine;

char *machine_class_short_name(ObjectClass *klass)
{
    const char *type = object_class_get_name(klass);

    return g_strndup(type, strlen(type) - strlen(TYPE_MACHINE_SUFFIX));
}

MachineClass *machine_class_find(const char *name)
{
    g_autofree char *type = g_strconcat(name, TYPE_MACHINE_SUFFIX, NULL);
    ObjectClass *klass = object_class_by_name(type);

    if (!klass || object_class_is_abstract(klass) ||
        !object_class_dynamic_cast(klass, TYPE_MACHINE)) {
        return NULL;
    }
    return MACHINE_CLASS(klass);
}

MachineClass *machine_class_default(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_MACHINE, false);
    MachineClass *found = NULL;

    for (GSList *l = list; l && !found; l = l->next) {
        if (MACHINE_CLASS(l->data)->is_default) {
            found = l->data;
        }
    }
    g_slist_free(list);
    return found;
}

void machine_print_list(GString *out)
{
    GSList *list = object_class_get_list_sorted(TYPE_MACHINE, false);

    g_string_append(out, "Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        g_autofree char *name = machine_class_short_name(l->data);

        g_string_append_printf(out, "%-20s %s%s\n", name, mc->desc,
                               mc->is_default ? " (default)" : "");
    }
    g_slist_free(list);
}

bool machine_create_ram(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    const char *name = mc->default_ram_id ? mc->default_ram_id : "ram";

    ms->ram = g_new0(MemoryRegion, 1);
    if (!memory_region_init_ram(ms->ram, OBJECT(ms), name, ms->ram_size,
                                errp)) {
        error_append_hint(errp, "Ask for less guest RAM with -m.\n");
        g_free(ms->ram);
        ms->ram = NULL;
        return false;
    }
    return true;
}

void machine_add_unattached(Object *obj)
{
    Object *container;
    g_autofree char *name = NULL;

    if (!current_machine || obj->parent) {
        return;
    }
    container = container_get(OBJECT(current_machine), "unattached");
    name = g_strdup_printf("device[%u]",
                           g_hash_table_size(container->children));
    object_add_child(container, name, obj, &error_fatal);
}

bool machine_create_cpus(MachineState *ms, Error **errp)
{
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        if (!cpu_create(ms->cpu_type, errp)) {
            return false;
        }
    }
    return true;
}

static void machine_instance_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->cpu_model);
    g_free(ms->cpu_options);
    g_free(ms->cpu_type);
}

static const TypeInfo machine_types[] = {
    {
        .name = TYPE_MACHINE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(MachineState),
        .class_size = sizeof(MachineClass),
        .abstract = true,
        .instance_finalize = machine_instance_finalize,
    },
};

DEFINE_TYPES(machine_types)
