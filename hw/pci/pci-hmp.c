/*
 * "info pci": every function on every PCI bus, as QEMU 7.2 prints them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/pci/pci.h"
#include "monitor/monitor.h"

static void hmp_info_pci(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    pci_info_print(out);
    monitor_puts(mon, out->str);
}

static const HMPCommand pci_hmp_info_commands[] = {
    { "pci", "", "", "show PCI info", hmp_info_pci },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, pci_hmp_info_commands)
