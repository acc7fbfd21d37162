/*
 * -d / -D debug logging.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "util/trace.h"

int emu_loglevel;

static FILE *log_file;
static GMutex log_mutex;
/* -d tid: the -D template ("%d" for the thread's id), each thread's
 * file, and all of them to close at exit. */
static char *per_thread_template;
static __thread FILE *thread_log_file;
static GPtrArray *thread_log_files;

typedef struct LogItem {
    int mask;
    const char *name;
    const char *help;
} LogItem;

/* The items the code base has producers for; accelerators add theirs. */
static const LogItem log_items[] = {
    { LOG_OUT_ASM, "out_asm", "show generated host assembly code for each "
      "compiled TB" },
    { LOG_IN_ASM, "in_asm", "show target assembly code for each compiled TB" },
    { LOG_OP, "op", "show micro ops for each compiled TB" },
    { LOG_OP_OPT, "op_opt", "show micro ops after optimization" },
    { LOG_OP_IND, "op_ind", "show micro ops before indirect lowering" },
    { LOG_INT, "int", "show interrupts/exceptions in short format" },
    { LOG_EXEC, "exec", "show trace before each executed TB (lots of logs)" },
    { LOG_CPU, "cpu", "show CPU registers before entering a TB (lots of "
      "logs)" },
    { LOG_FPU, "fpu", "include FPU registers in the 'cpu' logging" },
    { LOG_MMU, "mmu", "log MMU-related activities" },
    { LOG_PCALL, "pcall", "x86 only: show protected mode far "
      "calls/returns/exceptions" },
    { LOG_CPU_RESET, "cpu_reset", "show CPU state before CPU resets" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors",
      "log when the guest OS does something invalid (eg accessing a\n"
      "non-existent register)" },
    { LOG_PAGE, "page", "dump pages at beginning of user mode emulation" },
    { LOG_NOCHAIN, "nochain", "do not chain compiled TBs so that \"exec\" "
      "and \"cpu\" show\ncomplete traces" },
    { LOG_PLUGIN, "plugin", "output from TCG plugins\n" },
    { LOG_STRACE, "strace", "log every user-mode syscall, its input, and its "
      "result" },
    { LOG_TID, "tid", "open a separate log file per thread; filename must "
      "contain '%d'" },
};

/* This thread's file under -d tid (stderr if it cannot be opened). */
static FILE *thread_log(void)
{
    if (!thread_log_file) {
        g_autofree char *path = NULL;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        /* Checked by emu_log_set_file: one %d and no other '%'. */
        path = g_strdup_printf(per_thread_template, (int)gettid());
#pragma GCC diagnostic pop
        thread_log_file = fopen(path, "w");
        if (!thread_log_file) {
            return stderr;
        }
        setvbuf(thread_log_file, NULL, _IOLBF, 0);
        g_ptr_array_add(thread_log_files, thread_log_file);
    }
    return thread_log_file;
}

void emu_log(const char *fmt, ...)
{
    va_list ap;
    FILE *out;

    g_mutex_lock(&log_mutex);
    out = per_thread_template ? thread_log(): log_file ? log_file : stderr;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fflush(out);
    g_mutex_unlock(&log_mutex);
}

void emu_log_items_help(GString *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
        g_string_append_printf(out, "%-15s %s\n", log_items[i].name,
                               log_items[i].help);
    }
}

void emu_log_print_help(FILE *out)
{
    g_autoptr(GString) items = g_string_new(NULL);

    emu_log_items_help(items);
    fprintf(out, "Log items (comma separated):\n%s", items->str);
    fprintf(out, "%-15s %s\n", "trace:PATTERN", "enable trace events");
    fprintf(out, "\nUse \"-d trace:help\" to get a list of trace events.\n"
            "\n");
}

bool emu_log_parse_items(const char *items, int *mask, Error **errp)
{
    g_auto(GStrv) words = g_strsplit(items, ",", -1);
    GString *names;

    *mask = 0;
    for (char **w = words; *w; w++) {
        size_t i;

        if (!strcmp(*w, "help") || !strcmp(*w, "?")) {
            emu_log_print_help(stdout);
            return false;
        }
        /* Trace events (util/trace.c); "trace:help" lists them. */
        if (g_str_has_prefix(*w, "trace:")) {
            if (!trace_enable_events(*w + strlen("trace:"))) {
                return false;
            }
            continue;
        }
        for (i = 0; i < ARRAY_SIZE(log_items); i++) {
            if (!strcmp(*w, log_items[i].name)) {
                *mask |= log_items[i].mask;
                break;
            }
        }
        if (i == ARRAY_SIZE(log_items)) {
            names = g_string_new(NULL);
            for (i = 0; i < ARRAY_SIZE(log_items); i++) {
                g_string_append_printf(names, "%s%s", i ? ", " : "",
                                       log_items[i].name);
            }
            error_setg(errp, "unknown log item '%s'", *w);
            error_append_hint(errp, "Known items: %s (-d help describes them)\n",
                              names->str);
            g_string_free(names, TRUE);
            return false;
        }
    }
    return true;
}

void emu_log_set_mask(int mask)
{
    emu_loglevel = mask;
}

bool emu_log_set_file(const char *path, Error **errp)
{
    const char *percent = strchr(path, '%');
    g_autofree char *expanded = NULL;
    FILE *f;

    /* QEMU's rules and words: one %d, no other conversion. */
    if (percent && (percent[1] != 'd' || strchr(percent + 2, '%'))) {
        error_setg(errp, "Bad logfile template: %s", path);
        return false;
    }
    if (emu_log_enabled(LOG_TID)) {
        if (!percent) {
            error_setg(errp, "Filename template with '%%d' required for "
                       "'tid'");
            return false;
        }
        g_mutex_lock(&log_mutex);
        g_free(per_thread_template);
        per_thread_template = g_strdup(path);
        if (!thread_log_files) {
            thread_log_files = g_ptr_array_new();
        }
        g_mutex_unlock(&log_mutex);
        return true;
    }
    if (percent) {
        expanded = g_strdup_printf("%.*s%d%s", (int)(percent - path), path,
                                   (int)getpid(), percent + 2);
        path = expanded;
    }
    f = fopen(path, "w");
    if (!f) {
        error_setg_errno(errp, errno, "cannot open log file '%s'", path);
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    g_mutex_lock(&log_mutex);
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    g_mutex_unlock(&log_mutex);
    return true;
}

void emu_log_close(void)
{
    g_mutex_lock(&log_mutex);
    if (log_file) {
        fclose(log_file);
        log_file = NULL;
    }
    if (thread_log_files) {
        g_ptr_array_foreach(thread_log_files, (GFunc)(void (*)(void))fclose,
                            NULL);
        g_ptr_array_unref(thread_log_files);
        thread_log_files = NULL;
    }
    g_clear_pointer(&per_thread_template, g_free);
    g_mutex_unlock(&log_mutex);
}
