/*
 * Common includes for every emu source file.  Include it first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_OSDEP_H
#define UTIL_OSDEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <errno.h>
#include <unistd.h>
#include <glib.h>

/* A guest physical address or an offset within a memory region. */
typedef uint64_t hwaddr;
#define HWADDR_PRIx PRIx64

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#define EMU_UNUSED __attribute__((unused))
#define EMU_NORETURN __attribute__((noreturn))
#define EMU_PRINTF(a, b) __attribute__((format(printf, a, b)))

#define EMU_VERSION "0.1.0"

#endif
