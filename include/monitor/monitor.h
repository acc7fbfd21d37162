/*
 * The human monitor (HMP).  Commands are rows of a table: name (with
 * aliases: "cont|c"), an argument spec, a parameter synopsis, a help line
 * and a handler.  Handlers are thin: they call query functions of the
 * layers below and print what they return.
 *
 * Argument specs are comma-separated "name:type" items:
 *   -x   a flag written "-x": flags come first, in any order, or
 *        where the spec has them after other arguments
 *   -xs  an option "-x WORD", first or where the spec has it
 *        (QEMU's screendump FILE -f png)
 *   s    one word                    S   the rest of the line
 *   F    a file name (one word; "filename expected" when missing)
 *   B    a drive's name (one word; "block device name expected")
 *   o    a size in bytes, MiB without a suffix ("1G", "512k", "100"),
 *        as QEMU's; the handler gets it in bytes (monitor_arg_int)
 *   l    an expression (numbers, 'c', $registers, + - * / ...); it
 *        ends where no operator follows
 *   i    an expression of at most 32 bits (QEMU's "integer is for
 *        32-bit values" otherwise)
 *   b    "on" or "off" (QEMU's "Expected 'on' or 'off'" otherwise)
 *   /    an optional "/FMT" word (x, xp)
 * A trailing "?" makes an argument optional; a trailing "." makes an
 * expression optional and written after a dot (QEMU's "i 0x60 .1").
 *
 * Other layers add their commands (a target adds "info registers", "x",
 * "xp") with monitor_register_commands at startup.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "util/osdep.h"
#include "util/error.h"
#include "chardev/char.h"

typedef struct CPUState CPUState;        /* hw/core/cpu.h */

typedef struct Monitor Monitor;
typedef struct MonitorArgs MonitorArgs;
typedef void (*HMPHandler)(Monitor *mon, const MonitorArgs *args);

typedef struct HMPCommand {
    const char *name;            /* "stop|s": primary name, then aliases */
    const char *args_type;       /* "flatview:-f,owner:-o" or "" */
    const char *params;          /* synopsis for help: "[-f] [-o]" */
    const char *help;
    HMPHandler handler;
} HMPCommand;

typedef enum HMPTable {
    HMP_TABLE_TOP,               /* "stop", "quit", ... */
    HMP_TABLE_INFO,              /* "info status", ... */
} HMPTable;

/* The table must outlive the program (a static const array). */
void monitor_register_commands(HMPTable table, const HMPCommand *cmds,
                               size_t count);

/* Registers a file's command array at program start, like DEFINE_TYPES. */
#define DEFINE_HMP_COMMANDS(table, cmds)                              \
    static void __attribute__((constructor)) register_##cmds(void)    \
    {                                                                 \
        monitor_register_commands((table), (cmds), ARRAY_SIZE(cmds)); \
    }

/* Creates a monitor on a character device (-monitor, -nographic). */
Monitor *monitor_new(Chardev *chr, Error **errp);
void monitor_cleanup_all(void);

void monitor_printf(Monitor *mon, const char *fmt, ...) EMU_PRINTF(2, 3);
void monitor_puts(Monitor *mon, const char *text);

/* The vCPU commands act on (the first unless "cpu N" chose another),
 * with its registers brought up to date; NULL without vCPUs.  For the
 * commands a target registers ("info tlb"). */
CPUState *monitor_get_cpu(Monitor *mon);

/* QEMU's hmp_handle_error: "Error: " and what QMP would answer; frees
 * err.  Nothing when err is NULL. */
void hmp_handle_error(Monitor *mon, Error *err);

bool monitor_arg_flag(const MonitorArgs *args, const char *name);
/* NULL when an optional argument was not given. */
const char *monitor_arg_str(const MonitorArgs *args, const char *name);
bool monitor_arg_has(const MonitorArgs *args, const char *name);
int64_t monitor_arg_int(const MonitorArgs *args, const char *name);
/* The value of an 'l' expression. */
uint64_t monitor_arg_uint(const MonitorArgs *args, const char *name);

/*
 * Runs one command line as if typed and returns what it printed: for
 * tests and for callers without a chardev.  errors go to the output too.
 */
char *monitor_run_command_to_string(const char *cmdline);

#endif
