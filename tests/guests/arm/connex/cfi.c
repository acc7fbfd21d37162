/*
 * Dumps the flash's CFI query table (words 0x00-0x5f of query mode) and
 * the identifier codes over FFUART, then checks that the flash is back
 * in read-array mode (the vectors read as code again).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flashlib.h"
#include "../print.h"

#define QUERY_WORDS 0x60

int main(void)
{
    uint16_t table[QUERY_WORDS];
    uint16_t id[3];

    uart_init();
    flash_query(0, QUERY_WORDS, table);
    for (unsigned row = 0; row < QUERY_WORDS; row += 8) {
        tprintf("query %02x:", row);
        for (unsigned i = row; i < row + 8; i++) {
            tprintf(" %04x", table[i]);
        }
        tprintf("\n");
    }
    flash_identify(0, id);
    tprintf("id manufacturer 0x%04x device 0x%04x block0 lock 0x%04x\n",
            id[0], id[1], id[2]);
    tprintf("array 0x%08x\n", (unsigned)REG32(0));
    return 0;
}
