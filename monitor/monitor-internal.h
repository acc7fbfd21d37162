/*
 * Shared by the files of monitor/ only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "monitor/monitor.h"
#include "hw/core/cpu.h"

/* What "x /FMT" asked for last time: QEMU's x and xp remember it. */
typedef struct MemoryDumpFormat {
    int count;
    char format;                 /* x d u o c i */
    int size;                    /* 1 2 4 8 */
} MemoryDumpFormat;

#define MEMORY_DUMP_FORMAT_DEFAULT { .count = 1, .format = 'x', .size = 4 }

GPtrArray *monitor_commands_sorted(HMPTable table);
const HMPCommand *monitor_find_command(HMPTable table, const char *word);
/* "name params -- help" as QEMU's help prints it. */
void monitor_print_command_help(Monitor *mon, const char *prefix,
                                const HMPCommand *cmd);
void monitor_list_info_commands(Monitor *mon);
void monitor_execute(Monitor *mon, const char *line);
/* monitor_run_command_to_string on a chosen vCPU (QMP's
 * human-monitor-command with cpu-index). */
char *monitor_run_command_on_cpu(const char *cmdline, int cpu_index);
const char *monitor_history_entry(Monitor *mon, unsigned index);
/* Stops prompting and reading: the monitor is going away with emu. */
void monitor_suspend(Monitor *mon);
bool monitor_set_cpu(Monitor *mon, int index);
MemoryDumpFormat *monitor_last_format(Monitor *mon);
/* Reads the "/[count][format][size]" argument text (NULL: none) of x,
 * xp, print, i and o into fmt, as QEMU does: what is missing is the
 * last format and size used, which it then remembers. */
void monitor_parse_format(Monitor *mon, const char *text,
                          MemoryDumpFormat *fmt);
/* True once output of the running command could not be written (the
 * reader of a pipe went away): long output stops there. */
bool monitor_output_lost(Monitor *mon);
/* Evaluates the monitor expression at *text (monitor/expr.c), moving
 * *text past it. */
bool monitor_eval_expr(CPUState *cpu, const char **text, uint64_t *value,
                       Error **errp);

#endif
