/*
 * Touches SoC addresses that the board does not model: the USB device
 * controller (0x40600000) and a hole of the peripheral space
 * (0x41600000).  Prints the PC of each access so the test can find it
 * in the -d unimp log; data aborts are counted (start.S skips them).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "connex.h"
#include "../print.h"

/* One instruction each, so the function's address is the access's PC. */
uint32_t probe_read(uint32_t addr);
void probe_write(uint32_t addr, uint32_t value);
__asm__(".text\n"
        ".global probe_read\n"
        "probe_read: ldr r0, [r0]\n"
        "    bx lr\n"
        ".global probe_write\n"
        "probe_write: str r1, [r0]\n"
        "    bx lr\n");

int main(void)
{
    uint32_t value;

    uart_init();
    value = probe_read(0x40600000);
    tprintf("read 0x40600000 size 4 pc 0x%08x value 0x%08x\n",
            (unsigned)(uintptr_t)probe_read, (unsigned)value);
    value = probe_read(0x41600000);
    tprintf("read 0x41600000 size 4 pc 0x%08x value 0x%08x\n",
            (unsigned)(uintptr_t)probe_read, (unsigned)value);
    probe_write(0x41600010, 0x1234abcd);
    tprintf("write 0x41600010 size 4 pc 0x%08x\n",
            (unsigned)(uintptr_t)probe_write);
    tprintf("data aborts %u\n", (unsigned)data_aborts);
    return 0;
}
