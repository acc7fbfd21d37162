/*
 * Debug logging selected with -d ITEM[,ITEM...] and redirected with -D FILE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include "util/osdep.h"
#include "util/error.h"

/* One bit per -d item; the accelerators add theirs here as they arrive. */
enum {
    LOG_UNIMP        = 1 << 0,  /* unimplemented device or register */
    LOG_GUEST_ERROR  = 1 << 1,  /* the guest did something invalid */
    LOG_IN_ASM       = 1 << 2,
    LOG_OP           = 1 << 3,
    LOG_OP_OPT       = 1 << 4,
    LOG_OUT_ASM      = 1 << 5,
    LOG_EXEC         = 1 << 6,
    LOG_CPU          = 1 << 7,
    LOG_INT          = 1 << 8,
    LOG_NOCHAIN      = 1 << 9,
    LOG_MMU          = 1 << 10,
    LOG_OP_IND       = 1 << 11, /* accepted: emu has no such IR stage */
    LOG_FPU          = 1 << 12,
    LOG_PCALL        = 1 << 13,
    LOG_CPU_RESET    = 1 << 14,
    LOG_PAGE         = 1 << 15, /* user-mode emulation only, as QEMU */
    LOG_PLUGIN       = 1 << 16,
    LOG_STRACE       = 1 << 17, /* user-mode emulation only, as QEMU */
    LOG_TID          = 1 << 18, /* a log file per thread (-D with %d) */
};

extern int emu_loglevel;

static inline bool emu_log_enabled(int mask)
{
    return (emu_loglevel & mask) != 0;
}

/* Writes to the log (stderr, or the -D file). Thread-safe. */
void emu_log(const char *fmt, ...) EMU_PRINTF(1, 2);

#define emu_log_mask(mask, ...)                 \
    do {                                        \
        if (emu_log_enabled(mask)) {            \
            emu_log(__VA_ARGS__);               \
        }                                       \
    } while (0)

/*
 * Parses "-d" items.  "help" prints the list to stdout and returns false
 * with no error set.  An unknown item is an error naming it.
 */
bool emu_log_parse_items(const char *items, int *mask, Error **errp);
void emu_log_print_help(FILE *out);
/* One "name            help" line per item, as -d help lists them. */
void emu_log_items_help(GString *out);
void emu_log_set_mask(int mask);
/*
 * -D: "%d" in path (once, no other '%') becomes the PID, or with -d tid
 * the thread's id, each thread then writing a file of its own.  Give
 * the -d mask first.
 */
bool emu_log_set_file(const char *path, Error **errp);
void emu_log_close(void);

#endif
