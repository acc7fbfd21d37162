/*
 * The monitor commands of the core: help, info, run control, quit and
 * the info views of the machine (memory tree, device tree, chardevs).
 * The views print what the query functions of query.h return, which
 * QMP encodes (qmp-cmds.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"
#include "softmmu/memory.h"
#include "sysemu/runstate.h"
#include "sysemu/process.h"
#include "sysemu/hostmem.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "chardev/char.h"
#include "query.h"

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
    Error *err = NULL;

    if (!vm_cont(&err)) {
        monitor_printf(mon, "%s\n", error_get_pretty(err));
        error_free(err);
    }
}

static void hmp_system_reset(Monitor *mon, const MonitorArgs *args)
{
    system_reset_request(SHUTDOWN_CAUSE_HOST_RESET);
}

static void hmp_system_powerdown(Monitor *mon, const MonitorArgs *args)
{
    system_powerdown_request();
}

/* An NMI to every vCPU, as QEMU's monitor sends it. */
static void hmp_nmi(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;

    cpu_inject_nmi_all(&err);
    hmp_handle_error(mon, err);
}

static void hmp_quit(Monitor *mon, const MonitorArgs *args)
{
    monitor_suspend(mon);
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void hmp_info_status(Monitor *mon, const MonitorArgs *args)
{
    StatusInfo info = query_status();

    monitor_printf(mon, "VM status: %s", info.running ? "running"
                                                      : "paused");
    if (info.singlestep) {
        monitor_puts(mon, " (single step mode)");
    }
    if (!info.running && info.status != RUN_STATE_PAUSED) {
        monitor_printf(mon, " (%s)", runstate_name(info.status));
    }
    monitor_puts(mon, "\n");
}

static void hmp_info_kvm(Monitor *mon, const MonitorArgs *args)
{
    KvmInfo info = query_kvm();

    monitor_printf(mon, "kvm support: %s\n", !info.present ? "not compiled"
                   : info.enabled ? "enabled" : "disabled");
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

static void hmp_info_memdev(Monitor *mon, const MonitorArgs *args)
{
    GString *out = g_string_new(NULL);

    host_memory_backends_print(out);
    print_gstring(mon, out);
}

static void hmp_info_chardev(Monitor *mon, const MonitorArgs *args)
{
    GArray *list = chardev_query();

    for (guint i = 0; i < list->len; i++) {
        ChardevInfo *info = &g_array_index(list, ChardevInfo, i);

        monitor_printf(mon, "%s: filename=%s\n", info->label, info->filename);
    }
    g_array_unref(list);
}

static void hmp_info_version(Monitor *mon, const MonitorArgs *args)
{
    VersionInfo info = query_version();

    monitor_printf(mon, "%d.%d.%d%s\n", info.major, info.minor, info.micro,
                   info.package);
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
    GArray *list = query_cpus_fast();
    CPUState *current = monitor_get_cpu(mon);

    for (guint i = 0; i < list->len; i++) {
        CpuInfoFast *info = &g_array_index(list, CpuInfoFast, i);

        monitor_printf(mon, "%c CPU #%d: thread_id=%d\n",
                       current && current->cpu_index == info->cpu_index ?
                       '*' : ' ', info->cpu_index, info->thread_id);
    }
    g_array_unref(list);
}

static void hmp_info_hotpluggable_cpus(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;
    g_autoptr(GArray) slots = query_hotpluggable_cpus(&err);

    if (!slots) {
        hmp_handle_error(mon, err);
        return;
    }
    monitor_printf(mon, "Hotpluggable CPUs:\n");
    for (guint i = 0; i < slots->len; i++) {
        HotpluggableCpu *slot = &g_array_index(slots, HotpluggableCpu, i);

        monitor_printf(mon, "  type: \"%s\"\n  vcpus_count: \"1\"\n",
                       slot->type);
        if (slot->qom_path) {
            monitor_printf(mon, "  qom_path: \"%s\"\n", slot->qom_path);
        }
        monitor_printf(mon, "  CPUInstance Properties:\n"
                       "    socket-id: \"%u\"\n", slot->props.socket);
        if (slot->props.has_cluster) {
            monitor_printf(mon, "    cluster-id: \"%u\"\n",
                           slot->props.cluster);
        }
        monitor_printf(mon, "    core-id: \"%u\"\n    thread-id: \"%u\"\n",
                       slot->props.core, slot->props.thread);
    }
}

static void hmp_info_name(Monitor *mon, const MonitorArgs *args)
{
    /* Nothing without -name, as QEMU. */
    if (vm_name()) {
        monitor_printf(mon, "%s\n", vm_name());
    }
}

static void hmp_info_uuid(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "%s\n", vm_uuid());
}

static const HMPCommand hmp_top_commands[] = {
    { "help|?", "name:S?", "[cmd]", "show the help", hmp_help },
    { "info", "item:s?", "[subcommand]",
      "show various information about the system state", hmp_info },
    { "stop|s", "", "", "stop emulation", hmp_stop },
    { "cont|c", "", "", "resume emulation", hmp_cont },
    { "system_reset", "", "", "reset the system", hmp_system_reset },
    { "system_powerdown", "", "", "send system power down event",
      hmp_system_powerdown },
    { "nmi", "", "", "inject an NMI", hmp_nmi },
    { "quit|q", "", "", "quit the emulator", hmp_quit },
};

static const HMPCommand hmp_info_commands[] = {
    { "status", "", "", "show the current VM status (running|paused)",
      hmp_info_status },
    { "mtree", "flatview:-f,owner:-o,disabled:-D", "[-f][-o][-D]",
      "show memory tree (-f: dump flat view for address spaces;"
      "-o: dump region owners/parents;-D: dump disabled regions)",
      hmp_info_mtree },
    { "qtree", "", "", "show device tree", hmp_info_qtree },
    { "memdev", "", "", "show memory backends", hmp_info_memdev },
    { "chardev", "", "", "show the character devices", hmp_info_chardev },
    { "version", "", "", "show the version of emu", hmp_info_version },
    { "history", "", "", "show the command line history", hmp_info_history },
    { "cpus", "", "", "show infos for each CPU", hmp_info_cpus },
    { "kvm", "", "", "show KVM information", hmp_info_kvm },
    { "hotpluggable-cpus", "", "",
      "Show information about hotpluggable CPUs", hmp_info_hotpluggable_cpus },
    { "name", "", "", "show the current VM name", hmp_info_name },
    { "uuid", "", "", "show the current VM UUID", hmp_info_uuid },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_top_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_info_commands)
