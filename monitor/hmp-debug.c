/*
 * The monitor's debugging aids: log and logfile (what -d and -D set at
 * start, changed while the guest runs), singlestep (QEMU 7.2's name
 * for one guest instruction per translation block), and the trace
 * events (trace-event, info trace-events; util/trace.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"
#include "sysemu/accel.h"
#include "hw/core/cpu.h"
#include "util/trace.h"

/* What QEMU's monitor lists for "log" with an item it does not know. */
static void print_log_items(Monitor *mon)
{
    g_autoptr(GString) out = g_string_new("Log items (comma separated):\n");

    g_string_append_printf(out, "%-15s %s\n", "none", "remove all logs");
    emu_log_items_help(out);
    monitor_puts(mon, out->str);
}

static void hmp_log(Monitor *mon, const MonitorArgs *args)
{
    const char *items = monitor_arg_str(args, "items");
    int mask = 0;

    if (strcmp(items, "none")) {
        Error *err = NULL;

        /* "help" lists the items on emu's stdout for -d; here the
         * monitor shows them, as for any item it does not know. */
        if (!strcmp(items, "help") || !strcmp(items, "?") ||
            !emu_log_parse_items(items, &mask, &err)) {
            error_free(err);
            print_log_items(mon);
            return;
        }
    }
    emu_log_set_mask(mask);
}

static void hmp_logfile(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;

    if (!emu_log_set_file(monitor_arg_str(args, "filename"), &err)) {
        monitor_printf(mon, "%s\n", error_get_pretty(err));
        error_free(err);
    }
}

static void hmp_singlestep(Monitor *mon, const MonitorArgs *args)
{
    const char *option = monitor_arg_str(args, "option");
    const AccelOps *ops = accel_ops();
    bool enable;

    if (!option || !strcmp(option, "on")) {
        enable = true;
    } else if (!strcmp(option, "off")) {
        enable = false;
    } else {
        monitor_printf(mon, "unexpected option %s\n", option);
        return;
    }
    /* kvm runs the guest's instructions itself: nothing to change. */
    if (ops && ops->set_one_insn_per_tb) {
        ops->set_one_insn_per_tb(current_accel, enable);
    }
}

/*
 * The events a trace command acts on: those name matches, into ids.
 * Its [vcpu]: QEMU refuses an index no vCPU has; emu's events are none
 * of QEMU's per-vCPU ones, so with one a pattern matches nothing and a
 * name is refused.  False when there is nothing to act on (the reason
 * printed, if QEMU prints one).
 */
static bool hmp_trace_events(Monitor *mon, const MonitorArgs *args,
                             const char *name, GArray *ids)
{
    bool per_vcpu = monitor_arg_has(args, "vcpu");
    Error *err = NULL;

    if (per_vcpu) {
        int64_t vcpu = monitor_arg_int(args, "vcpu");

        if (vcpu < 0 || !cpus || vcpu >= cpus->len) {
            monitor_printf(mon, "invalid vCPU index %" PRId64 "\n", vcpu);
            return false;
        }
    }
    if (!trace_events_matching(name, ids, &err)) {
        monitor_printf(mon, "%s\n", error_get_pretty(err));
        error_free(err);
        return false;
    }
    if (per_vcpu) {
        if (!strchr(name, '*')) {
            monitor_printf(mon, "event \"%s\" is not vCPU-specific\n", name);
        }
        return false;
    }
    return true;
}

static void hmp_trace_event(Monitor *mon, const MonitorArgs *args)
{
    bool on = !strcmp(monitor_arg_str(args, "option"), "on");
    g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(int));

    if (!hmp_trace_events(mon, args, monitor_arg_str(args, "name"), ids)) {
        return;
    }
    for (guint i = 0; i < ids->len; i++) {
        trace_event_set_enabled(g_array_index(ids, int, i), on);
    }
}

static void hmp_info_trace_events(Monitor *mon, const MonitorArgs *args)
{
    const char *name = monitor_arg_has(args, "name")
                       ? monitor_arg_str(args, "name") : "*";
    g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(int));

    if (!hmp_trace_events(mon, args, name, ids)) {
        return;
    }
    for (guint i = 0; i < ids->len; i++) {
        TraceEventID id = g_array_index(ids, int, i);

        monitor_printf(mon, "%s : state %u\n", trace_event_name(id),
                       trace_event_enabled(id));
    }
}

static const HMPCommand hmp_debug_info_commands[] = {
    { "trace-events", "name:s?,vcpu:i?", "[name] [vcpu]",
      "show available trace-events & their state (name: event name "
      "pattern; vcpu: vCPU to query, default is any)",
      hmp_info_trace_events },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_debug_info_commands)

static const HMPCommand hmp_debug_commands[] = {
    { "log", "items:s", "item1[,...]",
      "activate logging of the specified items", hmp_log },
    { "logfile", "filename:s", "filename", "output logs to 'filename'",
      hmp_logfile },
    { "singlestep", "option:s?", "[on|off]",
      "run emulation in singlestep mode or switch to normal mode",
      hmp_singlestep },
    { "trace-event", "name:s,option:b,vcpu:i?", "name on|off [vcpu]",
      "changes status of a specific trace event (vcpu: vCPU to set, "
      "default is all)", hmp_trace_event },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_debug_commands)
