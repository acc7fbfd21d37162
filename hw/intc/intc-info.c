/*
 * "info pic" and "info irq": the registered interrupt controllers, in
 * registration order (see include/hw/intc/intc-info.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/intc/intc-info.h"
#include "monitor/monitor.h"

typedef struct IntcInfo {
    DeviceState *dev;
    const IntcInfoOps *ops;
} IntcInfo;

static GArray *intcs;

void intc_info_register(DeviceState *dev, const IntcInfoOps *ops)
{
    IntcInfo info = { dev, ops };

    if (!intcs) {
        intcs = g_array_new(false, false, sizeof(IntcInfo));
    }
    g_array_append_val(intcs, info);
}

void intc_info_unregister(DeviceState *dev)
{
    for (guint i = 0; intcs && i < intcs->len; i++) {
        if (g_array_index(intcs, IntcInfo, i).dev == dev) {
            g_array_remove_index(intcs, i);
            break;
        }
    }
}

void intc_info_print_pic(GString *out)
{
    for (guint i = 0; intcs && i < intcs->len; i++) {
        IntcInfo *info = &g_array_index(intcs, IntcInfo, i);

        if (info->ops->print_info) {
            info->ops->print_info(info->dev, out);
        }
    }
}

void intc_info_print_irq(GString *out)
{
    for (guint i = 0; intcs && i < intcs->len; i++) {
        IntcInfo *info = &g_array_index(intcs, IntcInfo, i);
        const uint64_t *counts;
        unsigned count;

        if (!info->ops->get_statistics ||
            !info->ops->get_statistics(info->dev, &counts, &count)) {
            continue;
        }
        g_string_append_printf(out, "IRQ statistics for %s:\n",
                               object_get_typename(OBJECT(info->dev)));
        for (unsigned n = 0; n < count; n++) {
            if (counts[n]) {
                g_string_append_printf(out, "%2u: %" PRIu64 "\n", n,
                                       counts[n]);
            }
        }
    }
}

static void hmp_info_pic(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    intc_info_print_pic(out);
    monitor_puts(mon, out->str);
}

static void hmp_info_irq(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    intc_info_print_irq(out);
    monitor_puts(mon, out->str);
}

static const HMPCommand intc_info_commands[] = {
    { "pic", "", "", "show PIC state", hmp_info_pic },
    { "irq", "", "", "show the interrupts statistics (if available)",
      hmp_info_irq },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, intc_info_commands)
