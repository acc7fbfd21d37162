/*
 * Output for the freestanding guests of -M virt: text on the PL011 at
 * 0x09000000 (the guest need not set the UART up, on QEMU or on emu).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIRT_UART_H
#define VIRT_UART_H

#include <stdint.h>

#define UART_DR ((volatile uint32_t *)0x09000000)

static void put(char c)
{
    *UART_DR = (uint8_t)c;
}

static void print(const char *s)
{
    while (*s) {
        put(*s++);
    }
}

static void print_hex(uint32_t v)
{
    for (int shift = 28; shift >= 0; shift -= 4) {
        put("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

#endif
