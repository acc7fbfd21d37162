/*
 * Checks and the summary line of the instruction tests: check_eq() (the
 * CHECK macros of guest.h come here through check.S) and report().
 * Each test defines test_name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "print.h"

extern const char test_name[];
static unsigned checks, failures;

void check_eq(uint32_t got, uint32_t want, uint32_t line)
{
    checks++;
    if (got != want) {
        failures++;
        tprintf("FAIL %s line %u: got %08x want %08x\n", test_name,
                (unsigned)line, (unsigned)got, (unsigned)want);
    }
}

/* The summary line; main's return value. */
int report(void)
{
    if (failures) {
        tprintf("%s: %u of %u checks failed\n", test_name, failures, checks);
        return 1;
    }
    tprintf("%s: %u checks passed\n", test_name, checks);
    return 0;
}
