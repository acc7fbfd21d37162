/*
 * Fuzz target: the monitor's command line (HMP): command lookup,
 * argument parsing and the expression parser behind x, xp and print
 * (numbers, operators, $registers), on a machine with 64 KiB of RAM at
 * 0 and an ARM CPU.  Input: one command line.
 *
 * Not run: the commands that write host files (memsave, pmemsave,
 * dump-guest-memory, logfile, screendump), open a chardev (gdbserver)
 * or leave a timer for the main loop this target does not run
 * (sendkey).  The log mask a "log" command
 * sets is reset for the next input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "monitor/monitor.h"
#include "monitor/monitor-internal.h"
#include "sysemu/main-loop.h"
#include "fuzz.h"
#include "fuzz-machine.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine_init(64 * 1024);
    fuzz_cpu_new("pxa255");
    bql_lock();
    return 0;
}

/* Whether the line's command is one the target leaves out (above). */
static bool left_out(const char *line)
{
    static const char *const names[] = {
        "memsave", "pmemsave", "dump-guest-memory", "logfile", "gdbserver",
        "screendump", "sendkey",
    };
    size_t start = strspn(line, " \t");
    g_autofree char *word = g_strndup(line + start,
                                      strcspn(line + start, " \t/"));
    const HMPCommand *cmd;

    if (word[0] == '"') {
        return true;             /* a quoted name: not worth a copy of
                                  * the monitor's tokenizer here */
    }
    cmd = monitor_find_command(HMP_TABLE_TOP, word);
    for (size_t i = 0; cmd && i < G_N_ELEMENTS(names); i++) {
        if (!strcmp(cmd->name, names[i])) {
            return true;
        }
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *line = g_strndup((const char *)data, size);
    g_autofree char *out = NULL;

    if (left_out(line)) {
        return 0;
    }
    out = monitor_run_command_to_string(line);
    emu_log_set_mask(0);
    return 0;
}
