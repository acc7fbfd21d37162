/*
 * -d / -D debug logging.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"

int emu_loglevel;

static FILE *log_file;
static GMutex log_mutex;

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
    { LOG_INT, "int", "show interrupts/exceptions in short format" },
    { LOG_EXEC, "exec", "show trace before each executed TB (lots of logs)" },
    { LOG_CPU, "cpu", "show CPU registers before entering a TB (lots of "
      "logs)" },
    { LOG_MMU, "mmu", "log MMU-related activities" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors",
      "log when the guest OS does something invalid (eg accessing a\n"
      "non-existent register)" },
    { LOG_NOCHAIN, "nochain", "do not chain compiled TBs so that \"exec\" "
      "and \"cpu\" show\ncomplete traces" },
};

void emu_log(const char *fmt, ...)
{
    va_list ap;
    FILE *out;

    g_mutex_lock(&log_mutex);
    out = log_file ? log_file : stderr;
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
    FILE *f = fopen(path, "w");

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
    g_mutex_unlock(&log_mutex);
}
