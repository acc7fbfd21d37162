/*
 * The driver of bench/arm-tcg.py's translation benchmark: calls every
 * function of the generated table twice (the script writes the table in
 * assembly, thousands of distinct straight-line functions), so the run's
 * time goes to translating code rather than to running it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "print.h"

extern uint32_t (*const code_heavy_table[])(uint32_t);
extern const uint32_t code_heavy_count;

int main(void)
{
    uint32_t x = 1;

    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < code_heavy_count; i++) {
            x = code_heavy_table[i](x);
        }
    }
    tprintf("code-heavy %08x\n", (unsigned)x);
    print_flush();
    return 0;
}
