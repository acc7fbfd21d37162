/*
 * A small printf for the test programs, shared by the guests and by the
 * host build of the differential test: the same formatting code on both
 * sides, only print_write() differs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PRINT_H
#define PRINT_H

/* %d %u %x %X %c %s %% with an optional 0, width and ll (64 bits). */
void tprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_flush(void);
/* The platform's output: len bytes of text. */
void print_write(const char *buf, unsigned len);

#endif
