/*
 * Accesses where nothing is mapped on the connex board: right after the
 * 16 MiB flash (where Linux's flash driver probes for a second chip) and
 * in a hole of the static memory space.  The board ignores failed
 * transactions, as QEMU's connex does: reads give 0, writes vanish, and
 * no data abort is taken (start.S counts them).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "connex.h"
#include "../print.h"

static const uint32_t addresses[] = { 0x01000000, 0x0c000000 };

int main(void)
{
    uart_init();
    for (unsigned i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
        uint32_t addr = addresses[i];

        REG32(addr) = 0x12345678;
        REG16(addr + 2) = 0xabcd;
        tprintf("0x%08x: word 0x%08x halfword 0x%04x byte 0x%02x\n",
                (unsigned)addr, (unsigned)REG32(addr),
                (unsigned)REG16(addr + 2),
                (unsigned)*(volatile uint8_t *)(addr + 1));
    }
    tprintf("data aborts %u\n", (unsigned)data_aborts);
    return 0;
}
