/*
 * The emu process as a host program sees it: its name (-name) and UUID
 * (-uuid), its PID file (-pidfile), running detached (-daemonize),
 * locked in RAM (-overcommit mem-lock) and the signals that end it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_PROCESS_H
#define SYSEMU_PROCESS_H

#include "util/osdep.h"
#include "util/error.h"

/* -name [guest=]NAME[,process=PNAME][,debug-threads=on|off] */
bool process_parse_name(const char *opts, Error **errp);
/* The guest's name from -name, or NULL: `info name`, query-name, and
 * the prefix of messages with -msg guest-name=on. */
const char *vm_name(void);

/* -uuid: checked (8-4-4-4-12 hex digits) and kept in lower case. */
bool process_parse_uuid(const char *text, Error **errp);
/* The machine's UUID from -uuid, all zeros without one: `info uuid`,
 * query-uuid. */
const char *vm_uuid(void);
/* The same as 16 bytes in the text's order (fw_cfg, SMBIOS). */
void vm_uuid_bytes(uint8_t out[16]);

/* Writes the PID into path, locked, and removes it when emu exits. */
bool process_create_pidfile(const char *path, Error **errp);
/* -overcommit mem-lock=on: every page emu has or maps stays in RAM. */
bool process_lock_memory(Error **errp);

/*
 * -daemonize: forks; the parent waits until the child calls
 * process_daemonize_done() (then exits 0) or dies (then exits 1), so a
 * script sees the exit status only once the machine is up.  Errors the
 * child reports before that still reach the terminal.
 */
void process_daemonize_begin(void);
/* In the child: detaches from the terminal (stdio to /dev/null, cwd /)
 * and lets the parent go. */
void process_daemonize_done(void);
/* Whether -daemonize is in effect: stdio cannot be a character device. */
bool process_is_daemonized(void);

/*
 * SIGINT, SIGTERM and SIGHUP: HANDLER runs in the main loop with the
 * signal and the pid of the process that sent it (0 for the kernel,
 * e.g. a terminal's Ctrl-C).
 */
typedef void (*TerminationHandler)(int sig, pid_t sender);
void process_watch_termination_signals(TerminationHandler handler);
/* The name a process was started with (its argv[0]), or NULL if PID is
 * gone; g_free it. */
char *process_name_of(pid_t pid);

#endif
