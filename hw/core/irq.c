/*
 * Interrupt lines.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/irq.h"

struct IRQLine {
    IRQHandler handler;
    void *opaque;
    int n;
};

IRQLine *irq_line_new(IRQHandler handler, void *opaque, int n)
{
    IRQLine *line = g_new0(IRQLine, 1);

    line->handler = handler;
    line->opaque = opaque;
    line->n = n;
    return line;
}

void irq_line_free(IRQLine *line)
{
    g_free(line);
}

void irq_set_level(IRQLine *line, int level)
{
    if (line) {
        line->handler(line->opaque, line->n, level);
    }
}
