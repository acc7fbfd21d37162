/*
 * The x86 benchmark firmware's library: output on the first 16550 UART
 * (COM1 at 0x3f8, which microvm has) and the string functions gcc may
 * call in freestanding code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include "print.h"

#define COM1 0x3f8
#define LSR_THRE 0x20            /* line status: transmitter empty */

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void print_write(const char *buf, unsigned len)
{
    while (len--) {
        while (!(inb(COM1 + 5) & LSR_THRE)) {
        }
        outb(COM1, *buf++);
    }
}

void *memcpy(void *dest, const void *src, size_t n)
{
    void *d = dest;

    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : :
                     "memory");
    return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
    uint8_t *d = dest;
    const uint8_t *s = src;

    if (d < s) {
        while (n--) {
            *d++ = *s++;
        }
    } else {
        while (n--) {
            d[n] = s[n];
        }
    }
    return dest;
}

void *memset(void *dest, int c, size_t n)
{
    uint8_t *d = dest;

    while (n--) {
        *d++ = c;
    }
    return dest;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y) {
            return *x - *y;
        }
    }
    return 0;
}
