/*
 * Error objects and the human-facing error report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/error.h"

struct Error {
    char *msg;
    GString *hint;
    int os_errno;                /* error_setg_errno's, or 0 */
};

/* Never dereferenced: its address marks "report and exit". */
Error *error_fatal;

static const char *cmdline_option;
static const char *cmdline_arg;
static const char *location_file;   /* -trace events=FILE being read */
static int location_line;
static ErrorPrintFunc error_printer;
static void *error_printer_opaque;

static void error_handle(Error **errp, Error *err)
{
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
    if (!errp) {
        error_free(err);
        return;
    }
    g_assert(*errp == NULL);
    *errp = err;
}

static Error *error_new_v(const char *fmt, va_list ap)
{
    Error *err = g_new0(Error, 1);

    err->msg = g_strdup_vprintf(fmt, ap);
    return err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_handle(errp, error_new_v(fmt, ap));
    va_end(ap);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    Error *err;
    char *with_errno;

    va_start(ap, fmt);
    err = error_new_v(fmt, ap);
    va_end(ap);
    with_errno = g_strdup_printf("%s: %s", err->msg, g_strerror(os_errno));
    g_free(err->msg);
    err->msg = with_errno;
    err->os_errno = os_errno;
    error_handle(errp, err);
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp || errp == &error_fatal || !*errp) {
        return;
    }
    if (!(*errp)->hint) {
        (*errp)->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf((*errp)->hint, fmt, ap);
    va_end(ap);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix, *msg;

    if (!errp || errp == &error_fatal || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strconcat(prefix, (*errp)->msg, NULL);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (local_err) {
        error_handle(dst_errp, local_err);
    }
}

int error_get_errno(const Error *err)
{
    return err->os_errno;
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

const char *error_get_hint(const Error *err)
{
    return err->hint ? err->hint->str : NULL;
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        if (err->hint) {
            g_string_free(err->hint, TRUE);
        }
        g_free(err);
    }
}

void error_set_cmdline_location(const char *option, const char *arg)
{
    cmdline_option = option;
    cmdline_arg = arg;
}

void error_set_file_location(const char *file, int line)
{
    error_clear_cmdline_location();
    location_file = file;
    location_line = line;
}

void error_clear_cmdline_location(void)
{
    cmdline_option = NULL;
    cmdline_arg = NULL;
    location_file = NULL;
}

void error_set_printer(ErrorPrintFunc fn, void *opaque)
{
    error_printer = fn;
    error_printer_opaque = opaque;
}

static bool message_timestamps;
static char *message_guest_name;

bool error_message_timestamps(void)
{
    return message_timestamps;
}

void error_set_message_prefix(bool timestamp, const char *guest_name)
{
    message_timestamps = timestamp;
    g_free(message_guest_name);
    message_guest_name = g_strdup(guest_name);
}

static void report_v(const char *kind, const char *fmt, va_list ap,
                     const char *hint)
{
    GString *line = g_string_new(NULL);

    /* The monitor prints bare messages; stderr gets the program name. */
    if (!error_printer) {
        /* -msg timestamp=on,guest-name=on, as QEMU prefixes them. */
        if (message_timestamps) {
            g_autoptr(GDateTime) now = g_date_time_new_now_utc();
            g_autofree char *stamp = g_date_time_format_iso8601(now);

            g_string_append_printf(line, "%s ", stamp);
        }
        if (message_guest_name) {
            g_string_append_printf(line, "%s ", message_guest_name);
        }
        g_string_append_printf(line, "%s:", g_get_prgname() ?
                               g_get_prgname() : "emu");
        /* QEMU's "prog:FILE:LINE: " (no space after the program). */
        if (location_file) {
            g_string_append_printf(line, "%s:", location_file);
            if (location_line) {
                g_string_append_printf(line, "%d:", location_line);
            }
        }
        g_string_append_c(line, ' ');
        if (cmdline_option) {
            g_string_append_printf(line, "%s%s%s: ", cmdline_option,
                                   cmdline_arg ? " " : "",
                                   cmdline_arg ? cmdline_arg : "");
        }
    }
    g_string_append(line, kind);
    g_string_append_vprintf(line, fmt, ap);
    g_string_append_c(line, '\n');
    if (hint) {
        g_string_append(line, hint);
        if (line->len && line->str[line->len - 1] != '\n') {
            g_string_append_c(line, '\n');
        }
    }
    if (error_printer) {
        error_printer(error_printer_opaque, line->str);
    } else {
        fputs(line->str, stderr);
        fflush(stderr);
    }
    g_string_free(line, TRUE);
}

static void report(const char *kind, const char *hint, const char *fmt, ...)
    EMU_PRINTF(3, 4);

static void report(const char *kind, const char *hint, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v(kind, fmt, ap, hint);
    va_end(ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v("", fmt, ap, NULL);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v("warning: ", fmt, ap, NULL);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v("info: ", fmt, ap, NULL);
    va_end(ap);
}

void error_report_err(Error *err)
{
    report("", error_get_hint(err), "%s", err->msg);
    error_free(err);
}

void warn_report_err(Error *err)
{
    report("warning: ", error_get_hint(err), "%s", err->msg);
    error_free(err);
}
