/*
 * The machine base type: RAM size, vCPU count and model, the board list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "sysemu/hostmem.h"

MachineState *current_machine;

char *machine_class_short_name(ObjectClass *klass)
{
    const char *type = object_class_get_name(klass);

    return g_strndup(type, strlen(type) - strlen(TYPE_MACHINE_SUFFIX));
}

char *machine_class_display_name(ObjectClass *klass)
{
    const char *alias = MACHINE_CLASS(klass)->alias;

    return alias ? g_strdup(alias) : machine_class_short_name(klass);
}

MachineClass *machine_class_find(const char *name)
{
    g_autofree char *type = g_strconcat(name, TYPE_MACHINE_SUFFIX, NULL);
    ObjectClass *klass = object_class_by_name(type);
    GSList *list;

    if (klass && !object_class_is_abstract(klass) &&
        object_class_dynamic_cast(klass, TYPE_MACHINE)) {
        return MACHINE_CLASS(klass);
    }
    /* Not a type name: perhaps the alias of one (pc, virt). */
    klass = NULL;
    list = object_class_get_list_sorted(TYPE_MACHINE, false);
    for (GSList *l = list; l && !klass; l = l->next) {
        const char *alias = MACHINE_CLASS(l->data)->alias;

        if (alias && !strcmp(alias, name)) {
            klass = l->data;
        }
    }
    g_slist_free(list);
    return klass ? MACHINE_CLASS(klass) : NULL;
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

/*
 * QEMU's -M help order: families first, alphabetically, each newest
 * version first; then boards of no family, by type name.
 */
static gint machine_class_help_order(gconstpointer a, gconstpointer b)
{
    const MachineClass *mc1 = a, *mc2 = b;
    const char *name1 = object_class_get_name((ObjectClass *)a);
    const char *name2 = object_class_get_name((ObjectClass *)b);
    int order;

    if (!mc1->family || !mc2->family) {
        if (mc1->family || mc2->family) {
            return mc1->family ? -1 : 1;
        }
        return strcmp(name1, name2);
    }
    order = strcmp(mc1->family, mc2->family);
    return order ? order : strcmp(name2, name1);
}

void machine_print_list(GString *out)
{
    GSList *list = g_slist_sort(object_class_get_list_sorted(TYPE_MACHINE,
                                                             false),
                                machine_class_help_order);
    g_string_append(out, "Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        g_autofree char *name = machine_class_short_name(l->data);

        if (mc->alias) {
            g_string_append_printf(out, "%-20s %s (alias of %s)\n",
                                   mc->alias, mc->desc, name);
        }
        g_string_append_printf(out, "%-20s %s%s\n", name, mc->desc,
                               mc->is_default ? " (default)" : "");
    }
    g_slist_free(list);
}

void machine_advise_ram(MachineState *ms, MemoryRegion *ram)
{
    uint8_t *host = memory_region_get_ram_ptr(ram);

    if (host) {
        host_memory_advise(host, ram->size, ms->mem_merge,
                           ms->dump_guest_core);
    }
}

bool machine_resolve_memory_backend(MachineState *ms, Error **errp)
{
    HostMemoryBackend *b;

    if (!ms->memory_backend) {
        return true;
    }
    b = host_memory_backend_find(ms->memory_backend);
    if (!b) {
        error_setg(errp, "Memory backend '%s' not found", ms->memory_backend);
        return false;
    }
    if (ms->ram_size_given && ms->ram_size != b->size) {
        error_setg(errp, "Machine memory size does not match the size of "
                   "the memory backend");
        return false;
    }
    ms->ram_size = b->size;
    return true;
}

bool machine_cpu_slot_props(MachineState *ms, unsigned index,
                            CpuSlotProps *props)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    if (mc->cpu_slot_props == CPU_SLOT_PROPS_NONE) {
        return false;
    }
    /* Threads vary fastest, then cores, then sockets (one cluster). */
    *props = (CpuSlotProps) {
        .has_cluster = mc->cpu_slot_props == CPU_SLOT_PROPS_WITH_CLUSTER,
        .thread = index % ms->smp_threads,
        .core = index / ms->smp_threads % ms->smp_cores,
        .socket = index / (ms->smp_threads * ms->smp_cores),
    };
    return true;
}

bool machine_create_ram(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    const char *name = mc->default_ram_id ? mc->default_ram_id : "ram";

    if (ms->memory_backend) {
        HostMemoryBackend *b = host_memory_backend_find(ms->memory_backend);

        if (b->used) {
            error_setg(errp, "memory backend %s can't be used multiple "
                       "times.", ms->memory_backend);
            return false;
        }
        b->used = true;
        ms->ram = &b->mr;
        return true;
    }

    if (mc->ram_is_memdev) {
        HostMemoryBackend *b = host_memory_backend_new_ram(
            mc->default_ram_id, ms->ram_size, ms->mem_merge,
            ms->dump_guest_core, errp);

        if (!b) {
            error_append_hint(errp, "Ask for less guest RAM with -m.\n");
            return false;
        }
        ms->ram = &b->mr;
        return true;
    }
    /* none and connex: a region of the board's own, as in QEMU. */
    ms->ram = g_new0(MemoryRegion, 1);
    if (!memory_region_init_ram(ms->ram, OBJECT(ms), name, ms->ram_size,
                                errp)) {
        error_append_hint(errp, "Ask for less guest RAM with -m.\n");
        g_free(ms->ram);
        ms->ram = NULL;
        return false;
    }
    machine_advise_ram(ms, ms->ram);
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
    name = g_strdup_printf("device[%u]", current_machine->unattached_count++);
    object_add_child(container, name, obj, &error_fatal);
}

void machine_skip_unattached(unsigned n)
{
    if (current_machine) {
        current_machine->unattached_count += n;
    }
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

/*
 * The properties QEMU's machine base type has that scripts pass with
 * -machine; the boards' own come from their class_init.
 */
static const Property machine_props[] = {
    DEFINE_PROP_BOOL("dump-guest-core", MachineState, dump_guest_core, true,
                     "Include guest memory in a core dump"),
    DEFINE_PROP_BOOL("mem-merge", MachineState, mem_merge, true,
                     "Enable/disable memory merge support"),
    DEFINE_PROP_BOOL("usb", MachineState, usb, false,
                     "Set on/off to enable/disable usb (no board of emu "
                     "has a USB controller)"),
    DEFINE_PROP_BOOL("graphics", MachineState, graphics, true,
                     "Set on/off to enable/disable graphics emulation"),
    DEFINE_PROP_BOOL("suppress-vmdesc", MachineState, suppress_vmdesc, false,
                     "Set on to disable self-describing migration (emu has "
                     "no migration)"),
    DEFINE_PROP_STRING("memory-backend", MachineState, memory_backend,
                       "Set RAM backendValid value is ID of hostmem based "
                       "backend"),
};

static void machine_class_init(ObjectClass *klass)
{
    class_add_properties(klass, machine_props, ARRAY_SIZE(machine_props));
}

static const TypeInfo machine_types[] = {
    {
        .name = TYPE_MACHINE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(MachineState),
        .class_size = sizeof(MachineClass),
        .abstract = true,
        .class_init = machine_class_init,
        .instance_finalize = machine_instance_finalize,
    },
};

DEFINE_TYPES(machine_types)
