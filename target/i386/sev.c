/*
 * SEV, AMD's encrypted guests, which emu does not have: `info sev`
 * answers as QEMU 7.2 does on a machine without it (an x86 command
 * only, as in QEMU; monitor/hmp-absent.c has the others of its kind).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"

static void hmp_info_sev(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "SEV is not enabled\n");
}

static const HMPCommand sev_info_commands[] = {
    { "sev", "", "", "show SEV information", hmp_info_sev },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, sev_info_commands)
