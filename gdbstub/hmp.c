/*
 * The monitor's "gdbserver [device]": start the stub (on tcp::1234 by
 * default), move it, or stop it with "none"; QEMU's messages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "gdbstub/gdbstub.h"
#include "monitor/monitor.h"

static void hmp_gdbserver(Monitor *mon, const MonitorArgs *args)
{
    const char *device = monitor_arg_str(args, "device");
    Error *err = NULL;

    if (!device) {
        device = "tcp::" GDBSTUB_DEFAULT_PORT;
    }
    if (!gdbserver_start(device, &err)) {
        error_report_err(err);
        monitor_printf(mon, "Could not open gdbserver on device '%s'\n",
                       device);
    } else if (!strcmp(device, "none")) {
        monitor_printf(mon, "Disabled gdbserver\n");
    } else {
        monitor_printf(mon, "Waiting for gdb connection on device '%s'\n",
                       device);
    }
}

static const HMPCommand gdbstub_hmp_commands[] = {
    { "gdbserver", "device:s?", "[device]",
      "start gdbserver on given device (default 'tcp::1234'), stop with "
      "'none'", hmp_gdbserver },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, gdbstub_hmp_commands)
