/*
 * The monitor's debugging aids: log and logfile (what -d and -D set at
 * start, changed while the guest runs) and singlestep (QEMU 7.2's name
 * for one guest instruction per translation block).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"
#include "sysemu/accel.h"

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

static const HMPCommand hmp_debug_commands[] = {
    { "log", "items:s", "item1[,...]",
      "activate logging of the specified items", hmp_log },
    { "logfile", "filename:s", "filename", "output logs to 'filename'",
      hmp_logfile },
    { "singlestep", "option:s?", "[on|off]",
      "run emulation in singlestep mode or switch to normal mode",
      hmp_singlestep },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_debug_commands)
