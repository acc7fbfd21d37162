/*
 * Error reporting: an Error carries a human-readable message from the
 * place that detects a problem to the place that can report it.
 *
 * Functions that can fail take a trailing "Error **errp".  Pass NULL to
 * ignore the error, &error_fatal to print it and exit(1), or the address
 * of a local "Error *err = NULL" to inspect it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_ERROR_H
#define UTIL_ERROR_H

#include "util/osdep.h"

typedef struct Error Error;

/* Sentinel: an error stored here is reported and the program exits 1. */
extern Error *error_fatal;

/* Sets *errp to a new error (unless errp is NULL).  *errp must be NULL. */
void error_setg(Error **errp, const char *fmt, ...) EMU_PRINTF(2, 3);
/* Like error_setg, appending ": strerror(os_errno)". */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    EMU_PRINTF(3, 4);
/* Adds a hint line printed after the message (e.g. "Try -M help"). */
void error_append_hint(Error **errp, const char *fmt, ...) EMU_PRINTF(2, 3);
/* Prefixes the message of *errp (if any) with the formatted text. */
void error_prepend(Error **errp, const char *fmt, ...) EMU_PRINTF(2, 3);
/* Moves local_err into *dst_errp (or frees it when dst_errp is NULL). */
void error_propagate(Error **dst_errp, Error *local_err);

const char *error_get_pretty(const Error *err);
/* The errno error_setg_errno was given (0: the error has none). */
int error_get_errno(const Error *err);
const char *error_get_hint(const Error *err);
void error_free(Error *err);

/*
 * Human-facing reports on stderr, prefixed with the program name and,
 * while command-line options are being processed, the option at fault:
 *   emu-system-arm: -m 16Q: ...
 */
void error_report(const char *fmt, ...) EMU_PRINTF(1, 2);
void warn_report(const char *fmt, ...) EMU_PRINTF(1, 2);
void info_report(const char *fmt, ...) EMU_PRINTF(1, 2);
void error_report_err(Error *err);           /* prints and frees */
void warn_report_err(Error *err);

/* Context for error_report while parsing the command line ("-m 16Q"). */
void error_set_cmdline_location(const char *option, const char *arg);
/* Context while reading a file the command line named ("FILE:LINE: ";
 * line 0: the file as a whole).  Cleared with the option's. */
void error_set_file_location(const char *file, int line);
void error_clear_cmdline_location(void);
/* -msg: start messages on stderr with the UTC time (ISO 8601) and/or
 * the guest's name (NULL: none). */
void error_set_message_prefix(bool timestamp, const char *guest_name);
/* -msg timestamp=on: trace lines get QEMU's time stamps too. */
bool error_message_timestamps(void);

/* Where the reports go: stderr by default; the monitor redirects them. */
typedef void (*ErrorPrintFunc)(void *opaque, const char *text);
void error_set_printer(ErrorPrintFunc fn, void *opaque);

#endif
