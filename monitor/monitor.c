/*
 * The human monitor: a line editor on a character device, a command
 * table, argument parsing and dispatch.  The commands themselves live in
 * monitor/hmp-cmds.c and in the layers that register theirs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "monitor/monitor.h"
#include "monitor/readline.h"
#include "monitor-internal.h"
#include "hw/core/cpu.h"

#define MONITOR_PROMPT "(emu) "

struct Monitor {
    CharBackend chr;
    bool has_chr;
    ReadLineState *rs;
    bool editing;                /* a terminal: "\r\n" line ends */
    bool suspended;              /* quitting: no more prompts or input */
    bool banner_shown;
    bool opened;                 /* since CHR_EVENT_OPENED, until CLOSED */
    GString *capture;            /* output of monitor_run_command_to_string */
    bool output_lost;            /* a write failed during this command */
    int cpu_index;               /* the vCPU commands act on ("cpu N") */
};

typedef struct MonitorArg {
    char *name;
    char *value;                 /* "on" for flags */
} MonitorArg;

struct MonitorArgs {
    GArray *items;               /* MonitorArg */
};

static GPtrArray *command_tables[2];   /* of GArray of const HMPCommand * */
static GPtrArray *monitors;

/* ---- the command tables ---- */

void monitor_register_commands(HMPTable table, const HMPCommand *cmds,
                               size_t count)
{
    if (!command_tables[table]) {
        command_tables[table] = g_ptr_array_new();
    }
    for (size_t i = 0; i < count; i++) {
        g_ptr_array_add(command_tables[table], (gpointer)&cmds[i]);
    }
}

static gint compare_commands(gconstpointer a, gconstpointer b)
{
    const HMPCommand *ca = *(const HMPCommand *const *)a;
    const HMPCommand *cb = *(const HMPCommand *const *)b;

    return strcmp(ca->name, cb->name);
}

/* The commands of a table sorted by name, as help lists them. */
GPtrArray *monitor_commands_sorted(HMPTable table)
{
    GPtrArray *sorted = g_ptr_array_new();
    GPtrArray *all = command_tables[table];

    for (guint i = 0; all && i < all->len; i++) {
        g_ptr_array_add(sorted, g_ptr_array_index(all, i));
    }
    g_ptr_array_sort(sorted, compare_commands);
    return sorted;
}

/* Matches "stop|s" against "s". */
static bool command_matches(const HMPCommand *cmd, const char *word)
{
    g_auto(GStrv) names = g_strsplit(cmd->name, "|", -1);

    for (char **n = names; *n; n++) {
        if (!strcmp(*n, word)) {
            return true;
        }
    }
    return false;
}

const HMPCommand *monitor_find_command(HMPTable table, const char *word)
{
    GPtrArray *all = command_tables[table];

    for (guint i = 0; all && i < all->len; i++) {
        const HMPCommand *cmd = g_ptr_array_index(all, i);

        if (command_matches(cmd, word)) {
            return cmd;
        }
    }
    return NULL;
}

void monitor_print_command_help(Monitor *mon, const char *prefix,
                                const HMPCommand *cmd)
{
    monitor_printf(mon, "%s%s %s -- %s\n", prefix, cmd->name, cmd->params,
                   cmd->help);
}

/* ---- output ---- */

static void monitor_write(Monitor *mon, const char *text, size_t len)
{
    if (mon->capture) {
        g_string_append_len(mon->capture, text, len);
    } else if (mon->has_chr &&
               chr_fe_write_all(&mon->chr, (const uint8_t *)text, len) < 0) {
        mon->output_lost = true;
    }
}

bool monitor_output_lost(Monitor *mon)
{
    return mon->output_lost;
}

void monitor_puts(Monitor *mon, const char *text)
{
    /* A terminal in raw mode needs "\r\n" to start a new line. */
    while (*text) {
        const char *nl = mon->editing ? strchr(text, '\n') : NULL;

        if (!nl) {
            monitor_write(mon, text, strlen(text));
            return;
        }
        monitor_write(mon, text, nl - text);
        monitor_write(mon, "\r\n", 2);
        text = nl + 1;
    }
}

void monitor_printf(Monitor *mon, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_puts(mon, text);
}

static void monitor_error_printer(void *opaque, const char *text)
{
    monitor_puts(opaque, text);
}

/* ---- arguments ---- */

static void monitor_arg_clear(gpointer data)
{
    MonitorArg *arg = data;

    g_free(arg->name);
    g_free(arg->value);
}

static MonitorArgs *monitor_args_new(void)
{
    MonitorArgs *args = g_new0(MonitorArgs, 1);

    args->items = g_array_new(FALSE, TRUE, sizeof(MonitorArg));
    g_array_set_clear_func(args->items, monitor_arg_clear);
    return args;
}

static void monitor_args_free(MonitorArgs *args)
{
    g_array_free(args->items, TRUE);
    g_free(args);
}

static void monitor_args_add(MonitorArgs *args, const char *name,
                             const char *value)
{
    MonitorArg arg = { g_strdup(name), g_strdup(value) };

    g_array_append_val(args->items, arg);
}

const char *monitor_arg_str(const MonitorArgs *args, const char *name)
{
    for (guint i = 0; i < args->items->len; i++) {
        MonitorArg *arg = &g_array_index(args->items, MonitorArg, i);

        if (!strcmp(arg->name, name)) {
            return arg->value;
        }
    }
    return NULL;
}

bool monitor_arg_has(const MonitorArgs *args, const char *name)
{
    return monitor_arg_str(args, name) != NULL;
}

void hmp_handle_error(Monitor *mon, Error *err)
{
    if (err) {
        monitor_printf(mon, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

bool monitor_arg_flag(const MonitorArgs *args, const char *name)
{
    return monitor_arg_has(args, name);
}

int64_t monitor_arg_int(const MonitorArgs *args, const char *name)
{
    const char *value = monitor_arg_str(args, name);

    /* Validated when parsed. */
    return value ? g_ascii_strtoll(value, NULL, 0) : 0;
}

uint64_t monitor_arg_uint(const MonitorArgs *args, const char *name)
{
    const char *value = monitor_arg_str(args, name);

    return value ? g_ascii_strtoull(value, NULL, 0) : 0;
}

CPUState *monitor_get_cpu(Monitor *mon)
{
    CPUState *cpu;

    if (!cpus || !cpus->len) {
        return NULL;
    }
    if (mon->cpu_index < 0 || (guint)mon->cpu_index >= cpus->len) {
        mon->cpu_index = 0;
    }
    cpu = g_ptr_array_index(cpus, mon->cpu_index);
    cpu_synchronize_state(cpu);
    return cpu;
}

bool monitor_set_cpu(Monitor *mon, int index)
{
    if (!cpus || index < 0 || (guint)index >= cpus->len) {
        return false;
    }
    mon->cpu_index = index;
    return true;
}

MemoryDumpFormat *monitor_last_format(Monitor *mon)
{
    /* One for all monitors, as QEMU keeps it: a format given in one
     * human-monitor-command is the default of the next. */
    static MemoryDumpFormat last_format = MEMORY_DUMP_FORMAT_DEFAULT;

    return &last_format;
}

/* Reads one word (or a "quoted string") starting at *p. */
static char *next_token(const char **p)
{
    const char *s = *p;
    GString *tok;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (!*s) {
        *p = s;
        return NULL;
    }
    tok = g_string_new(NULL);
    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1]) {
                s++;
            }
            g_string_append_c(tok, *s);
        }
        if (*s == '"') {
            s++;
        }
    } else {
        while (*s && *s != ' ' && *s != '\t') {
            g_string_append_c(tok, *s++);
        }
    }
    *p = s;
    return g_string_free(tok, FALSE);
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/*
 * The last line of every argument error.  topic is the command as typed
 * ("s", "stop", "info mtree"): QEMU points at the help for that.
 */
static void monitor_try_help(Monitor *mon, const char *topic)
{
    monitor_printf(mon, "Try \"help %s\" for more information\n", topic);
}

/* "stop|s: MESSAGE": QEMU names the command with all its names. */
static void monitor_arg_error(Monitor *mon, const char *topic,
                              const HMPCommand *cmd, const char *fmt, ...)
    EMU_PRINTF(4, 5);

static void monitor_arg_error(Monitor *mon, const char *topic,
                              const HMPCommand *cmd, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_printf(mon, "%s: %s\n", cmd->name, msg);
    monitor_try_help(mon, topic);
}

/*
 * Whether the spec type ":-xs" (an option "-x" taking a word) is the
 * option word (NULL: whether the type is such an option at all).
 */
static bool monitor_option_with_value(const char *type, const char *word)
{
    size_t len = strlen(type);

    if (len != 4 || type[1] != '-' || type[3] != 's') {
        return false;
    }
    return !word || (word[0] == '-' && word[1] == type[2] && !word[2]);
}

/*
 * Whether the spec item f may be given before the arguments: an option
 * with a value anywhere, a flag when only flags come before it (the
 * "-f" of "change DEVICE -f FILE" is not: "change -f" names a device).
 */
static bool monitor_leading_item(char **spec, char **f)
{
    const char *type = strchr(*f, ':');

    if (!type || type[1] != '-') {
        return false;
    }
    if (monitor_option_with_value(type, NULL)) {
        return true;
    }
    for (char **g = spec; g < f; g++) {
        const char *t = strchr(*g, ':');

        if (!t || t[1] != '-') {
            return false;
        }
    }
    return true;
}

/*
 * Parses what follows the command word against its spec.  Returns NULL
 * after printing the error when the line does not fit.
 */
static MonitorArgs *monitor_parse_args(Monitor *mon, const char *topic,
                                       const HMPCommand *cmd, const char *p)
{
    g_auto(GStrv) spec = g_strsplit(cmd->args_type, ",", -1);
    MonitorArgs *args = monitor_args_new();
    char **item = spec;

    /* Flags first: every "-x" word must be one of the leading flag items. */
    while (*(p = skip_spaces(p)) == '-' && p[1] && p[1] != ' ') {
        const char *start = p;
        g_autofree char *word = next_token(&p);
        bool found = false;

        for (char **f = spec; *f && **f; f++) {
            const char *type = strchr(*f, ':');

            if (!monitor_leading_item(spec, f)) {
                continue;
            }
            if (!strcmp(type + 1, word)) {
                g_autofree char *name = g_strndup(*f, type - *f);

                monitor_args_add(args, name, "on");
                found = true;
                break;
            }
            if (monitor_option_with_value(type, word)) {
                g_autofree char *name = g_strndup(*f, type - *f);
                g_autofree char *value = next_token(&p);

                if (!value) {
                    monitor_arg_error(mon, topic, cmd, "value expected for "
                                      "%s", word);
                    monitor_args_free(args);
                    return NULL;
                }
                monitor_args_add(args, name, value);
                found = true;
                break;
            }
        }
        if (!found) {
            bool has_flags = false;

            for (char **f = spec; *f && **f; f++) {
                has_flags |= monitor_leading_item(spec, f);
            }
            if (has_flags) {
                monitor_arg_error(mon, topic, cmd, "unsupported option %s",
                                  word);
                monitor_args_free(args);
                return NULL;
            }
            /* A negative number where the command takes no flags. */
            p = start;
            break;
        }
    }
    for (; *item; item++) {
        const char *colon = strchr(*item, ':');
        g_autofree char *name = NULL;
        g_autofree char *tok = NULL;
        char type;
        bool optional;

        if (colon && monitor_option_with_value(colon, NULL)) {
            /* "-f VALUE" where the spec puts it, as QEMU parses it. */
            const char *q = skip_spaces(p);
            g_autofree char *word = NULL;
            g_autofree char *value = NULL;

            if (*q != '-') {
                continue;
            }
            word = next_token(&q);
            if (!monitor_option_with_value(colon, word)) {
                continue;
            }
            value = next_token(&q);
            name = g_strndup(*item, colon - *item);
            if (!value) {
                monitor_arg_error(mon, topic, cmd, "value expected for %s",
                                  word);
                monitor_args_free(args);
                return NULL;
            }
            monitor_args_add(args, name, value);
            p = q;
            continue;
        }
        if (colon && colon[1] == '-' && colon[2] && !colon[3]) {
            /* A flag after the arguments before it, where the spec has
             * it ("change DEVICE -f FILE"). */
            const char *q = skip_spaces(p);
            g_autofree char *word = NULL;

            if (q[0] == '-' && q[1] == colon[2] &&
                (!q[2] || q[2] == ' ' || q[2] == '\t')) {
                word = next_token(&q);
                name = g_strndup(*item, colon - *item);
                monitor_args_add(args, name, "on");
                p = q;
            }
            continue;
        }
        if (!**item || !colon) {
            continue;
        }
        name = g_strndup(*item, colon - *item);
        type = colon[1];
        optional = colon[2] == '?';
        if (type == 'S') {
            p = skip_spaces(p);
            if (*p) {
                monitor_args_add(args, name, p);
                p += strlen(p);
            } else if (!optional) {
                monitor_arg_error(mon, topic, cmd, "missing argument '%s'",
                                  name);
                monitor_args_free(args);
                return NULL;
            }
            continue;
        }
        if (type == '/') {
            /* An optional "/fmt" word: only taken when it is there. */
            const char *q = skip_spaces(p);

            if (*q == '/') {
                const char *bad;

                tok = next_token(&p);
                /* /[count][format][size]: digits, then letters. */
                bad = tok + 1 + strspn(tok + 1, "0123456789");
                bad += strspn(bad, "oduxicbhwgL");
                if (*bad) {
                    monitor_printf(mon, "invalid char in format: '%c'\n",
                                   *bad);
                    monitor_try_help(mon, topic);
                    monitor_args_free(args);
                    return NULL;
                }
                monitor_args_add(args, name, tok);
            }
            continue;
        }
        if (type == 'l' || type == 'i') {
            uint64_t value;
            Error *err = NULL;
            g_autofree char *text = NULL;

            p = skip_spaces(p);
            if (!*p && optional) {
                continue;
            }
            if (colon[2] == '.') {
                /* QEMU's "i /fmt addr .index": given only after a dot. */
                if (*p != '.') {
                    continue;
                }
                p = skip_spaces(p + 1);
            }
            if (!monitor_eval_expr(monitor_get_cpu(mon), &p, &value, &err)) {
                /* QEMU prints expression errors without the command. */
                monitor_printf(mon, "%s\n", error_get_pretty(err));
                monitor_try_help(mon, topic);
                error_free(err);
                monitor_args_free(args);
                return NULL;
            }
            if (type == 'i' && value >> 32) {
                monitor_printf(mon, "'%s' has failed: integer is for 32-bit "
                               "values\n", cmd->name);
                monitor_try_help(mon, topic);
                monitor_args_free(args);
                return NULL;
            }
            text = g_strdup_printf("%" PRIu64, value);
            monitor_args_add(args, name, text);
            continue;
        }
        tok = next_token(&p);
        /* QEMU's on|off argument: its own words, missing or not. */
        if (type == 'b' && (!tok || (strcmp(tok, "on") &&
                                     strcmp(tok, "off")))) {
            monitor_printf(mon, "Expected 'on' or 'off'\n");
            monitor_try_help(mon, topic);
            monitor_args_free(args);
            return NULL;
        }
        if (!tok) {
            if (optional) {
                continue;
            }
            if (type == 'F') {
                monitor_arg_error(mon, topic, cmd, "filename expected");
            } else if (type == 'B') {
                monitor_arg_error(mon, topic, cmd,
                                  "block device name expected");
            } else if (type == 'o') {
                monitor_printf(mon, "invalid size\n");
                monitor_try_help(mon, topic);
            } else {
                monitor_arg_error(mon, topic, cmd, "missing argument '%s'",
                                  name);
            }
            monitor_args_free(args);
            return NULL;
        }
        if (type == 'o') {
            uint64_t bytes;

            if (!parse_size(tok, 'M', &bytes) || bytes > INT64_MAX) {
                monitor_printf(mon, "invalid size\n");
                monitor_try_help(mon, topic);
                monitor_args_free(args);
                return NULL;
            }
            g_free(tok);
            tok = g_strdup_printf("%" PRIu64, bytes);
        }
        monitor_args_add(args, name, tok);
    }
    if (*skip_spaces(p)) {
        monitor_arg_error(mon, topic, cmd,
                          "extraneous characters at the end of line");
        monitor_args_free(args);
        return NULL;
    }
    return args;
}

void monitor_list_info_commands(Monitor *mon)
{
    GPtrArray *sorted = monitor_commands_sorted(HMP_TABLE_INFO);

    for (guint i = 0; i < sorted->len; i++) {
        monitor_print_command_help(mon, "info ", g_ptr_array_index(sorted, i));
    }
    g_ptr_array_unref(sorted);
}

/* A command's name ends at a space or at the "/" of its format, as in
 * QEMU: "x/4i $pc" is "x" with "/4i". */
static char *command_name(const char **p)
{
    const char *s = *p;
    const char *start;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    start = s;
    while (*s && *s != ' ' && *s != '\t' && *s != '/') {
        s++;
    }
    *p = s;
    /* NULL for an empty line; "" for a line that starts with "/". */
    return *start ? g_strndup(start, s - start) : NULL;
}

void monitor_execute(Monitor *mon, const char *line)
{
    const char *p = line;
    g_autofree char *word = command_name(&p);
    g_autofree char *sub = NULL;
    g_autofree char *topic = NULL;
    const HMPCommand *cmd;
    MonitorArgs *args;

    if (!word) {
        return;
    }
    mon->output_lost = false;
    cmd = monitor_find_command(HMP_TABLE_TOP, word);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s'\n", word);
        return;
    }
    if (!strcmp(cmd->name, "info")) {
        sub = next_token(&p);
        if (!sub) {
            monitor_list_info_commands(mon);
            return;
        }
        cmd = monitor_find_command(HMP_TABLE_INFO, sub);
        if (!cmd) {
            monitor_printf(mon, "unknown command: 'info %s'\n", sub);
            return;
        }
    }
    topic = sub ? g_strconcat(word, " ", sub, NULL) : g_strdup(word);
    args = monitor_parse_args(mon, topic, cmd, p);
    if (!args) {
        return;
    }
    error_set_printer(monitor_error_printer, mon);
    cmd->handler(mon, args);
    error_set_printer(NULL, NULL);
    monitor_args_free(args);
}

char *monitor_run_command_on_cpu(const char *cmdline, int cpu_index)
{
    Monitor mon = { .capture = g_string_new(NULL),
                    .cpu_index = cpu_index };

    monitor_execute(&mon, cmdline);
    return g_string_free(mon.capture, FALSE);
}

char *monitor_run_command_to_string(const char *cmdline)
{
    return monitor_run_command_on_cpu(cmdline, 0);
}

/* ---- the line editor and the character device ---- */

static void monitor_readline_output(void *opaque, const char *text,
                                    size_t len)
{
    monitor_write(opaque, text, len);
}

void monitor_suspend(Monitor *mon)
{
    mon->suspended = true;
}

static void monitor_line_done(void *opaque, const char *line)
{
    Monitor *mon = opaque;

    monitor_execute(mon, line);
    if (mon->suspended) {
        return;
    }
    readline_start(mon->rs, MONITOR_PROMPT, monitor_line_done, mon);
    readline_show_prompt(mon->rs);
}

/* Tab completion: command names, then info sub-commands. */
static void monitor_complete(void *opaque, const char *line,
                             ReadLineState *rs)
{
    const char *p = line;
    g_autofree char *first = next_token(&p);
    HMPTable table = HMP_TABLE_TOP;
    const char *partial = first ? first : "";
    g_autofree char *second = NULL;

    if (first && *p) {
        /* Past the command word: only "info" has words to complete. */
        if (strcmp(first, "info")) {
            return;
        }
        second = next_token(&p);
        if (*p || (second && line[strlen(line) - 1] == ' ')) {
            return;
        }
        table = HMP_TABLE_INFO;
        partial = second ? second : "";
    }
    readline_set_completion_index(rs, strlen(partial));
    for (guint i = 0; command_tables[table] && i < command_tables[table]->len;
         i++) {
        const HMPCommand *cmd = g_ptr_array_index(command_tables[table], i);
        g_auto(GStrv) names = g_strsplit(cmd->name, "|", -1);

        for (char **n = names; *n; n++) {
            if (g_str_has_prefix(*n, partial)) {
                readline_add_completion(rs, *n);
            }
        }
    }
}

/* A byte per main loop pass, as QEMU's monitor reads: what a command
 * asked for (system_reset...) is done before the next one runs. */
static int monitor_can_read(void *opaque)
{
    Monitor *mon = opaque;

    return mon->suspended ? 0 : 1;
}

static void monitor_read(void *opaque, const uint8_t *buf, int len)
{
    Monitor *mon = opaque;

    for (int i = 0; i < len; i++) {
        readline_handle_byte(mon->rs, buf[i]);
    }
}

static void monitor_show_banner(Monitor *mon)
{
    monitor_printf(mon, "emu %s monitor - type 'help' for more "
                   "information\n", EMU_VERSION);
    mon->banner_shown = true;
}

static void monitor_event(void *opaque, ChrEvent event)
{
    Monitor *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        mon->opened = true;
        readline_start(mon->rs, MONITOR_PROMPT, monitor_line_done, mon);
        /* On a shared terminal the banner waits until the user switches
         * to the monitor, so it does not land in the guest's console. */
        if (chr_fe_has_focus(&mon->chr)) {
            monitor_show_banner(mon);
            readline_show_prompt(mon->rs);
        }
        break;
    case CHR_EVENT_MUX_IN:
        if (!mon->banner_shown) {
            monitor_show_banner(mon);
        }
        readline_show_prompt(mon->rs);
        break;
    case CHR_EVENT_MUX_OUT:
        /* Leaving the monitor ends its prompt line; a monitor that
         * starts in the background has none yet, and prints nothing
         * into the guest's console (as QEMU). */
        if (mon->opened) {
            monitor_puts(mon, "\n");
        }
        break;
    case CHR_EVENT_CLOSED:
        /* The next client of a socket gets a banner of its own. */
        mon->banner_shown = false;
        mon->opened = false;
        break;
    case CHR_EVENT_BREAK:
        break;
    }
}

Monitor *monitor_new(Chardev *chr, Error **errp)
{
    Monitor *mon = g_new0(Monitor, 1);

    if (!chr_fe_init(&mon->chr, chr, errp)) {
        g_free(mon);
        return NULL;
    }
    mon->has_chr = true;
    mon->editing = chr_fe_is_terminal(&mon->chr);
    mon->rs = readline_new(monitor_readline_output, monitor_complete, mon,
                           mon->editing);
    if (!monitors) {
        monitors = g_ptr_array_new();
    }
    g_ptr_array_add(monitors, mon);
    chr_fe_set_handlers(&mon->chr, monitor_can_read, monitor_read,
                        monitor_event, mon);
    return mon;
}

const char *monitor_history_entry(Monitor *mon, unsigned index)
{
    return mon->rs ? readline_get_history(mon->rs, index) : NULL;
}

void monitor_cleanup_all(void)
{
    for (guint i = 0; monitors && i < monitors->len; i++) {
        Monitor *mon = g_ptr_array_index(monitors, i);

        chr_fe_deinit(&mon->chr);
        readline_free(mon->rs);
        g_free(mon);
    }
    if (monitors) {
        g_ptr_array_set_size(monitors, 0);
    }
}
