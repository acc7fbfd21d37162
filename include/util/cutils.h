/*
 * Parsing numbers, sizes and booleans as the command line and the
 * monitor write them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_CUTILS_H
#define UTIL_CUTILS_H

#include "util/osdep.h"

/* "on"/"off", "yes"/"no", "true"/"false", "y"/"n". */
bool parse_bool(const char *text, bool *value);
/* Decimal, 0x hex or 0 octal; the whole string, no sign. */
bool parse_uint64(const char *text, uint64_t *value);
/* The same with an optional sign. */
bool parse_int64(const char *text, int64_t *value);
/* Number with optional k/K, M, G, T, P, E suffix (binary multiples);
 * default_suffix applies to a bare number (e.g. 'M' for -m), 0 = bytes. */
bool parse_size(const char *text, char default_suffix, uint64_t *value);
/* "4 KiB", "1.5 GiB": three significant digits, binary units, as QEMU. */
char *format_size(uint64_t bytes);
/* An id users may give (-device id=, -chardev id=): a letter, then
 * letters, digits, '-', '.' or '_'. */
bool id_wellformed(const char *id);
/* Are all len bytes at p zero? */
bool buffer_is_zero(const void *p, size_t len);

#endif
