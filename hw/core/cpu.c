/*
 * The CPU base type and the list of vCPUs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/core/cpu.h"
#include "hw/boards.h"
#include "sysemu/target.h"

GPtrArray *cpus;
__thread CPUState *current_cpu;

ObjectClass *cpu_class_by_name(const char *model)
{
    g_autofree char *type = g_strconcat(model, target_info.cpu_type_suffix,
                                        NULL);
    ObjectClass *klass = object_class_by_name(type);

    if (!klass || object_class_is_abstract(klass) ||
        !object_class_dynamic_cast(klass, TYPE_CPU)) {
        return NULL;
    }
    return klass;
}

void cpu_list(GString *out)
{
    GSList *list = object_class_get_list_sorted(TYPE_CPU, false);
    size_t suffix_len = strlen(target_info.cpu_type_suffix);

    for (GSList *l = list; l; l = l->next) {
        CPUClass *cc = CPU_CLASS(l->data);

        if (cc->list_models &&
            g_str_has_suffix(object_class_get_name(l->data),
                             target_info.cpu_type_suffix)) {
            cc->list_models(out);
            g_slist_free(list);
            return;
        }
    }
    g_string_append(out, "Available CPUs:\n");
    for (GSList *l = list; l; l = l->next) {
        const char *type = object_class_get_name(l->data);

        if (g_str_has_suffix(type, target_info.cpu_type_suffix)) {
            g_string_append_printf(out, "  %.*s\n",
                                   (int)(strlen(type) - suffix_len), type);
        }
    }
    g_slist_free(list);
}

/* A model without options refuses the first as QEMU refuses an unknown
 * property. */
static bool cpu_parse_options(CPUState *cpu, const char *options,
                              Error **errp)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);
    const char *type = object_get_typename(OBJECT(cpu));
    g_autofree char *first = NULL;
    const char *value;

    if (cc->parse_options) {
        return cc->parse_options(cpu, options, errp);
    }
    options += strspn(options, ",");        /* empty items are nothing */
    if (!*options) {
        return true;
    }
    first = g_strndup(options, strcspn(options, ","));
    value = strchr(first, '=');
    if (!value) {
        error_setg(errp, "Expected key=value format, found %s.", first);
        return false;
    }
    error_setg(errp, "can't apply global %s.%s: Property '%s.%.*s' not found",
               type, first, type, (int)(value - first), first);
    return false;
}

bool cpu_inject_nmi_all(Error **errp)
{
    CPUClass *cc = cpus && cpus->len ?
                   CPU_GET_CLASS(g_ptr_array_index(cpus, 0)) : NULL;

    if (!cc || !cc->inject_nmi) {
        error_setg(errp, "this feature or command is not currently "
                   "supported");
        return false;
    }
    for (guint i = 0; i < cpus->len; i++) {
        cc->inject_nmi(g_ptr_array_index(cpus, i));
    }
    return true;
}

CPUState *cpu_create(const char *typename, Error **errp)
{
    CPUState *cpu = CPU(object_new(typename));

    if (!cpus) {
        cpus = g_ptr_array_new();
    }
    cpu->cpu_index = cpus->len;
    if (current_machine) {
        cpu->ignore_memory_transaction_failures =
            MACHINE_GET_CLASS(current_machine)->
                ignore_memory_transaction_failures;
        cpu->nr_sockets = current_machine->smp_sockets;
        cpu->nr_cores = current_machine->smp_cores;
        cpu->nr_threads = current_machine->smp_threads;
    }
    if (current_machine && current_machine->cpu_options &&
        !cpu_parse_options(cpu, current_machine->cpu_options, errp)) {
        object_unref(OBJECT(cpu));
        return NULL;
    }
    if (!qdev_realize(DEVICE(cpu), NULL, errp)) {
        object_unref(OBJECT(cpu));
        return NULL;
    }
    g_ptr_array_add(cpus, cpu);
    return cpu;
}

void cpu_reset(CPUState *cpu)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);

    /* -d cpu_reset: the state the reset is about to replace, as QEMU. */
    if (emu_log_enabled(LOG_CPU_RESET) && cc->dump_state) {
        g_autoptr(GString) out = g_string_new(NULL);

        cc->dump_state(cpu, out, 0);
        emu_log("CPU Reset (CPU %d)\n%s", cpu->cpu_index, out->str);
    }
    cpu->halted = false;
    cpu->exit_request = 0;
    if (cc->cpu_reset) {
        cc->cpu_reset(cpu);
    }
}

static void cpu_instance_init(Object *obj)
{
    CPUState *cpu = CPU(obj);

    g_cond_init(&cpu->halt_cond);
    cpu->nr_sockets = cpu->nr_cores = cpu->nr_threads = 1;
}

static void cpu_instance_finalize(Object *obj)
{
    CPUState *cpu = CPU(obj);

    if (cpu->accel && cpu->accel_free) {
        cpu->accel_free(cpu->accel);
    }
    g_cond_clear(&cpu->halt_cond);
}

static void cpu_class_init(ObjectClass *klass)
{
    DEVICE_CLASS(klass)->category = DEVICE_CATEGORY_CPU;
}

static const TypeInfo cpu_types[] = {
    {
        .name = TYPE_CPU,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(CPUState),
        .class_size = sizeof(CPUClass),
        .abstract = true,
        .class_init = cpu_class_init,
        .instance_init = cpu_instance_init,
        .instance_finalize = cpu_instance_finalize,
    },
};

DEFINE_TYPES(cpu_types)
