/*
 * The guests' side of the test library: output through semihosting, the
 * string functions gcc may call, and the report of an unexpected
 * exception for crt0.S.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include "guest.h"
#include "print.h"

void print_write(const char *buf, unsigned len)
{
    /* SYS_WRITE0 wants a NUL-terminated string: copy in pieces. */
    char piece[129];

    while (len) {
        unsigned n = len < 128 ? len : 128;

        for (unsigned i = 0; i < n; i++) {
            piece[i] = buf[i];
        }
        piece[n] = 0;
        semi_call(SYS_WRITE0, piece);
        buf += n;
        len -= n;
    }
}

void *memcpy(void *dest, const void *src, size_t n)
{
    uint8_t *d = dest;
    const uint8_t *s = src;

    while (n--) {
        *d++ = *s++;
    }
    return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
    uint8_t *d = dest;
    const uint8_t *s = src;

    if (d < s) {
        return memcpy(dest, src, n);
    }
    while (n--) {
        d[n] = s[n];
    }
    return dest;
}

void *memset(void *dest, int c, size_t n)
{
    uint8_t *d = dest;

    while (n--) {
        *d++ = (uint8_t)c;
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

void report_unexpected(uint32_t vector, uint32_t lr, uint32_t spsr)
{
    static const char *const names[] = {
        "reset", "undefined instruction", "swi", "prefetch abort",
        "data abort", "reserved", "irq", "fiq",
    };

    tprintf("unexpected %s: lr=%08x spsr=%08x\n", names[vector & 7],
            (unsigned)lr, (unsigned)spsr);
    print_flush();
}
