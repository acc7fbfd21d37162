/*
 * The monitor commands of the core: help, info, run control, quit and
 * the info views of the machine (memory tree, device tree, chardevs).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"
#include "softmmu/memory.h"
#include "sysemu/runstate.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "chardev/char.h"

static void print_gstring(Monitor *mon, GString *text)
{
    monitor_puts(mon, text->str);
    g_string_free(text, TRUE);
}

static void hmp_help(Monitor *mon, const MonitorArgs *args)
{
    const char *name = monitor_arg_str(args, "name");
    GPtrArray *sorted;
    const HMPCommand *cmd;

    if (!name) {
        sorted = monitor_commands_sorted(HMP_TABLE_TOP);
        for (guint i = 0; i < sorted->len; i++) {
            monitor_print_command_help(mon, "", g_ptr_array_index(sorted, i));
        }
        g_ptr_array_unref(sorted);
        return;
    }
    if (!strcmp(name, "info")) {
        monitor_list_info_commands(mon);
        return;
    }
    if (g_str_has_prefix(name, "info ")) {
        const char *sub = name + strlen("info ");

        while (*sub == ' ') {
            sub++;
        }
        cmd = monitor_find_command(HMP_TABLE_INFO, sub);
        if (cmd) {
            monitor_print_command_help(mon, "info ", cmd);
        } else {
            monitor_printf(mon, "unknown command: 'info %s'\n", sub);
        }
        return;
    }
    cmd = monitor_find_command(HMP_TABLE_TOP, name);
    if (cmd) {
        monitor_print_command_help(mon, "", cmd);
    } else {
        monitor_printf(mon, "unknown command: '%s'\n", name);
    }
}

/* "info" alone lists the sub-commands; monitor_execute dispatches the rest. */
static void hmp_info(Monitor *mon, const MonitorArgs *args)
{
    monitor_list_info_commands(mon);
}

static void hmp_stop(Monitor *mon, const MonitorArgs *args)
{
    vm_stop(RUN_STATE_PAUSED);
}

static void hmp_cont(Monitor *mon, const MonitorArgs *args)
{
    if (runstate_get() == RUN_STATE_INTERNAL_ERROR) {
        monitor_printf(mon, "Resetting the Virtual Machine is required\n");
        return;
    }
    vm_start();
}

static void hmp_system_reset(Monitor *mon, const MonitorArgs *args)
{
    system_reset_request(SHUTDOWN_CAUSE_HOST_RESET);
}

static void hmp_quit(Monitor *mon, const MonitorArgs *args)
{
    monitor_suspend(mon);
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void hmp_info_status(Monitor *mon, const MonitorArgs *args)
{
    RunState state = runstate_get();

    monitor_printf(mon, "VM status: %s", state == RUN_STATE_RUNNING ?
                   "running" : "paused");
    if (state != RUN_STATE_RUNNING && state != RUN_STATE_PAUSED) {
        monitor_printf(mon, " (%s)", runstate_name(state));
    }
    monitor_puts(mon, "\n");
}

static void hmp_info_mtree(Monitor *mon, const MonitorArgs *args)
{
    GString *out = g_string_new(NULL);

    memory_mtree_print(out, monitor_arg_flag(args, "flatview"),
                       monitor_arg_flag(args, "owner"),
                       monitor_arg_flag(args, "disabled"));
    print_gstring(mon, out);
}

static void hmp_info_qtree(Monitor *mon, const MonitorArgs *args)
{
    GString *out = g_string_new(NULL);

    qdev_print_tree(sysbus_get_default(), out);
    print_gstring(mon, out);
}

static void hmp_info_chardev(Monitor *mon, const MonitorArgs *args)
{
    GString *out = g_string_new(NULL);

    chardev_info(out);
    print_gstring(mon, out);
}

static void hmp_info_version(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "%s\n", EMU_VERSION);
}

static void hmp_info_history(Monitor *mon, const MonitorArgs *args)
{
    const char *entry;

    for (unsigned i = 0; (entry = monitor_history_entry(mon, i)); i++) {
        monitor_printf(mon, "%d: '%s'\n", i, entry);
    }
}

static void hmp_info_cpus(Monitor *mon, const MonitorArgs *args)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        monitor_printf(mon, "%c CPU #%d: thread_id=%d%s\n",
                       i == 0 ? '*' : ' ', cpu->cpu_index, cpu->thread_id,
                       cpu->halted ? " (halted)" : "");
    }
}

static void print_object_tree(Object *obj, GString *out, int indent)
{
    GSList *children = object_get_children_sorted(obj);

    g_string_append_printf(out, "%*s/%s (%s)\n", indent, "",
                           obj->name ? obj->name : "",
                           object_get_typename(obj));
    for (GSList *l = children; l; l = l->next) {
        print_object_tree(l->data, out, indent + 2);
    }
    g_slist_free(children);
}

static void hmp_info_qom_tree(Monitor *mon, const MonitorArgs *args)
{
    const char *path = monitor_arg_str(args, "path");
    Object *obj = object_resolve_path(path ? path : "/machine");
    GString *out;

    if (!obj) {
        monitor_printf(mon, "Path '%s' could not be resolved.\n", path);
        return;
    }
    out = g_string_new(NULL);
    print_object_tree(obj, out, 0);
    print_gstring(mon, out);
}

static void hmp_qom_list(Monitor *mon, const MonitorArgs *args)
{
    const char *path = monitor_arg_str(args, "path");
    Object *obj = object_resolve_path(path ? path : "/");
    GPtrArray *props;
    GSList *children;

    if (!obj) {
        monitor_printf(mon, "Path '%s' could not be resolved.\n", path);
        return;
    }
    children = object_get_children_sorted(obj);
    for (GSList *l = children; l; l = l->next) {
        Object *child = l->data;

        monitor_printf(mon, "%s (child<%s>)\n", child->name,
                       object_get_typename(child));
    }
    g_slist_free(children);
    props = object_class_get_properties(obj->klass);
    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);
        g_autofree char *type = property_type_name(prop);

        /* "<uint32>" -> "uint32", as qom-list prints types */
        monitor_printf(mon, "%s (%.*s)\n", prop->name,
                       (int)strlen(type) - 2, type + 1);
    }
    g_ptr_array_unref(props);
}

static void hmp_qom_get(Monitor *mon, const MonitorArgs *args)
{
    const char *path = monitor_arg_str(args, "path");
    const char *name = monitor_arg_str(args, "property");
    Object *obj = object_resolve_path(path);
    Error *err = NULL;
    g_autofree char *value = NULL;

    if (!obj) {
        monitor_printf(mon, "Path '%s' could not be resolved.\n", path);
        return;
    }
    value = object_property_print(obj, name, &err);
    if (!value) {
        error_report_err(err);
        return;
    }
    monitor_printf(mon, "%s\n", value);
}

static const HMPCommand hmp_top_commands[] = {
    { "help|?", "name:S?", "[cmd]", "show the help", hmp_help },
    { "info", "item:s?", "[subcommand]",
      "show various information about the system state", hmp_info },
    { "stop|s", "", "", "stop emulation", hmp_stop },
    { "cont|c", "", "", "resume emulation", hmp_cont },
    { "system_reset", "", "", "reset the system", hmp_system_reset },
    { "quit|q", "", "", "quit the emulator", hmp_quit },
    { "qom-list", "path:s?", "path", "list QOM properties", hmp_qom_list },
    { "qom-get", "path:s,property:s", "path property", "print QOM property",
      hmp_qom_get },
};

static const HMPCommand hmp_info_commands[] = {
    { "status", "", "", "show the current VM status (running|paused)",
      hmp_info_status },
    { "mtree", "flatview:-f,owner:-o,disabled:-D", "[-f][-o][-D]",
      "show memory tree (-f: dump flat view for address spaces;"
      "-o: dump region owners/parents;-D: dump disabled regions)",
      hmp_info_mtree },
    { "qtree", "", "", "show device tree", hmp_info_qtree },
    { "qom-tree", "path:s?", "[path]", "show QOM composition tree",
      hmp_info_qom_tree },
    { "chardev", "", "", "show the character devices", hmp_info_chardev },
    { "version", "", "", "show the version of emu", hmp_info_version },
    { "history", "", "", "show the command line history", hmp_info_history },
    { "cpus", "", "", "show infos for each CPU", hmp_info_cpus },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_top_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_info_commands)
