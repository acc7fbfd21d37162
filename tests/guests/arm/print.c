/*
 * The formatting behind tprintf(), buffered a line at a time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdint.h>
#include "print.h"

static char line[256];
static unsigned line_len;

void print_flush(void)
{
    if (line_len) {
        print_write(line, line_len);
        line_len = 0;
    }
}

static void put(char c)
{
    if (line_len == sizeof(line)) {
        print_flush();
    }
    line[line_len++] = c;
    if (c == '\n') {
        print_flush();
    }
}

static void put_number(uint64_t value, unsigned base, int negative,
                       unsigned width, char pad, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    unsigned n = 0;

    do {
        buf[n++] = digits[value % base];
        value /= base;
    } while (value);
    if (negative && pad == '0') {
        put('-');
    }
    for (unsigned i = n + (negative != 0); i < width; i++) {
        put(pad);
    }
    if (negative && pad != '0') {
        put('-');
    }
    while (n) {
        put(buf[--n]);
    }
}

void tprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        char pad = ' ';
        unsigned width = 0;
        int longs = 0;

        if (*fmt != '%') {
            put(*fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (unsigned)(*fmt++ - '0');
        }
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = longs >= 2 ? va_arg(ap, long long)
                      : longs ? va_arg(ap, long) : va_arg(ap, int);
            uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

            put_number(mag, 10, v < 0, width, pad, 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = longs >= 2 ? va_arg(ap, unsigned long long)
                       : longs ? va_arg(ap, unsigned long)
                       : va_arg(ap, unsigned int);

            put_number(v, *fmt == 'u' ? 10 : 16, 0, width, pad, *fmt == 'X');
            break;
        }
        case 'c':
            put((char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            unsigned len = 0;

            while (s[len]) {
                len++;
            }
            for (; len < width; len++) {
                put(' ');
            }
            while (*s) {
                put(*s++);
            }
            break;
        }
        case '%':
            put('%');
            break;
        default:
            put('?');
            break;
        }
    }
    va_end(ap);
}
