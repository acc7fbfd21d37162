/*
 * The interrupt controllers that "info pic" and "info irq" show (QEMU's
 * InterruptStatsProvider): a controller registers itself when realized,
 * and the monitor prints them in the order they registered.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_INTC_INFO_H
#define HW_INTC_INTC_INFO_H

#include "hw/qdev.h"

typedef struct IntcInfoOps {
    /* Its state for "info pic", in QEMU's format; NULL: nothing. */
    void (*print_info)(DeviceState *dev, GString *out);
    /* Its inputs' raise counts for "info irq" ("IRQ statistics for
     * TYPE:" and the non-zero ones); false or NULL: nothing. */
    bool (*get_statistics)(DeviceState *dev, const uint64_t **counts,
                           unsigned *count);
} IntcInfoOps;

void intc_info_register(DeviceState *dev, const IntcInfoOps *ops);
void intc_info_unregister(DeviceState *dev);

/* The "info pic" and "info irq" text. */
void intc_info_print_pic(GString *out);
void intc_info_print_irq(GString *out);

#endif
