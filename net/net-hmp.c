/*
 * "info network": the NICs and backends and who is joined to whom, as
 * QEMU 7.2 prints them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "net/net.h"
#include "monitor/monitor.h"

static void hmp_info_network(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    net_info_print(out);
    monitor_puts(mon, out->str);
}

static const HMPCommand net_hmp_info_commands[] = {
    { "network", "", "", "show the network state", hmp_info_network },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, net_hmp_info_commands)
