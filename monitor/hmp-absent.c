/*
 * The info views of QEMU features emu does not have (NUMA nodes, USB,
 * a balloon, iothreads, TPM, VNC, SPICE, record/replay; x86's SEV is
 * target/i386/sev.c).  Each
 * answers as QEMU 7.2 answers on a machine without the feature, so a
 * script that asks reads QEMU's text rather than "unknown command".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"

static void hmp_info_numa(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "0 nodes\n");
}

static void hmp_info_usb(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "Error: USB support not enabled\n");
}

static void hmp_info_balloon(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "Error: No balloon device has been activated\n");
}

/* No iothread and no TPM: QEMU prints nothing. */
static void hmp_info_nothing(Monitor *mon, const MonitorArgs *args)
{
}

static void hmp_info_vnc(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "None\n");
}

static void hmp_info_spice(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "Server: disabled\n");
}

static void hmp_info_replay(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "Record/replay is not active\n");
}

static const HMPCommand hmp_absent_info_commands[] = {
    { "numa", "", "", "show NUMA information", hmp_info_numa },
    { "usb", "", "", "show guest USB devices", hmp_info_usb },
    { "balloon", "", "", "show balloon information", hmp_info_balloon },
    { "iothreads", "", "", "show iothreads", hmp_info_nothing },
    { "tpm", "", "", "show the TPM device", hmp_info_nothing },
    { "vnc", "", "", "show the vnc server status", hmp_info_vnc },
    { "spice", "", "", "show the spice server status", hmp_info_spice },
    { "replay", "", "", "show record/replay information", hmp_info_replay },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_absent_info_commands)
