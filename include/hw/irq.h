/*
 * Interrupt lines: a device raises or lowers a line; whoever created the
 * line (an interrupt controller, a CPU input) gets called with the level.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include "util/osdep.h"

typedef struct IRQLine IRQLine;
typedef void (*IRQHandler)(void *opaque, int n, int level);

/* A line that calls handler(opaque, n, level) on every change. */
IRQLine *irq_line_new(IRQHandler handler, void *opaque, int n);
void irq_line_free(IRQLine *line);
/* Setting an unconnected (NULL) line does nothing, as a floating pin. */
void irq_set_level(IRQLine *line, int level);

static inline void irq_raise(IRQLine *line)
{
    irq_set_level(line, 1);
}

static inline void irq_lower(IRQLine *line)
{
    irq_set_level(line, 0);
}

static inline void irq_pulse(IRQLine *line)
{
    irq_set_level(line, 1);
    irq_set_level(line, 0);
}

#endif
