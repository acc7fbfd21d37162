/*
 * An interrupt line for device tests: remembers its level and counts
 * rising edges.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_TEST_LINE_H
#define TESTS_UNIT_TEST_LINE_H

#include "hw/qdev.h"

typedef struct TestLine {
    IRQLine *line;
    int level;
    int raised;
} TestLine;

static inline void test_line_handler(void *opaque, int n, int level)
{
    TestLine *t = opaque;

    if (level && !t->level) {
        t->raised++;
    }
    t->level = level;
}

/* A line connected to output pin of dev (freed with the test). */
static inline TestLine *test_line_connect(DeviceState *dev, int pin)
{
    TestLine *t = g_new0(TestLine, 1);

    t->line = irq_line_new(test_line_handler, t, 0);
    qdev_connect_gpio_out(dev, pin, t->line);
    return t;
}

#endif
