/*
 * The gdb stub: the GDB remote serial protocol on a character device.
 * A debugger connected to it reads and changes registers and memory,
 * sets breakpoints and watchpoints (through the accelerator) and runs,
 * steps and stops the machine; while it holds the machine stopped the
 * run state is "debug", and the monitor keeps working.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GDBSTUB_GDBSTUB_H
#define GDBSTUB_GDBSTUB_H

#include "util/osdep.h"
#include "util/error.h"

/* The port -s listens on. */
#define GDBSTUB_DEFAULT_PORT "1234"

/*
 * Starts the stub on device, as -gdb and the monitor's "gdbserver" take
 * it: "tcp::PORT" (or a bare port number), "unix:PATH[,server]",
 * "chardev:ID", any other -serial form, or "none" to stop it.  A stub
 * already running is replaced.  Needs the machine (its vCPUs) built.
 */
bool gdbserver_start(const char *device, Error **errp);
/* Whether a stub is listening; its chardev label for "gdbserver". */
bool gdbserver_running(void);
/* Whether a debugger is connected (semihosting target=auto). */
bool gdbserver_attached(void);
/* At exit: a connected gdb hears "W" with the exit status, as QEMU's. */
void gdbserver_exit(int status);

/*
 * gdb's File-I/O, for semihosting target=gdb: from the vCPU thread in a
 * semihosting call, sends the request ("write,1,2000,10", the syntax of
 * gdb's F packets: hex numbers, pointer/length pairs for names) and
 * stops the machine; when gdb answers, done runs in the main loop with
 * the result (-1 and gdb's errno value on failure) and the machine goes
 * on.  False, with nothing sent, when no stub is running.
 */
typedef struct CPUState CPUState;
typedef void (*GDBSyscallDone)(CPUState *cpu, int64_t ret, int err);
bool gdb_syscall(CPUState *cpu, GDBSyscallDone done, const char *request);

#endif
