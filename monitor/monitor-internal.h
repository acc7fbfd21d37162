/*
 * Shared by the files of monitor/ only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "monitor/monitor.h"

GPtrArray *monitor_commands_sorted(HMPTable table);
const HMPCommand *monitor_find_command(HMPTable table, const char *word);
/* "name params -- help" as QEMU's help prints it. */
void monitor_print_command_help(Monitor *mon, const char *prefix,
                                const HMPCommand *cmd);
void monitor_list_info_commands(Monitor *mon);
void monitor_execute(Monitor *mon, const char *line);
const char *monitor_history_entry(Monitor *mon, unsigned index);
/* Stops prompting and reading: the monitor is going away with emu. */
void monitor_suspend(Monitor *mon);

#endif
