/*
 * Run states of the virtual machine and requests to change them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "util/osdep.h"
#include "util/error.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,         /* -S: built, not started yet */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,            /* "stop" */
    RUN_STATE_SHUTDOWN,          /* guest powered off with -no-shutdown */
    RUN_STATE_INTERNAL_ERROR,    /* the accelerator could not go on */
    RUN_STATE_DEBUG,             /* stopped at a breakpoint */
    RUN_STATE_IO_ERROR,          /* a disk or flash image failed (werror=stop) */
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,    /* monitor "quit" */
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,          /* Ctrl-A x */
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,   /* the guest powered off */
    SHUTDOWN_CAUSE_GUEST_RESET,      /* the guest asked for a reset */
    SHUTDOWN_CAUSE_HOST_RESET,       /* monitor "system_reset" */
} ShutdownCause;

/*
 * What the machine announces to whoever listens (QMP turns these into
 * its STOP, RESUME, RESET, SHUTDOWN and POWERDOWN events).  RESET and
 * SHUTDOWN carry the cause; the others SHUTDOWN_CAUSE_NONE.
 */
typedef enum VMEvent {
    VM_EVENT_STOP,               /* running -> any stopped state */
    VM_EVENT_RESUME,             /* -> running */
    VM_EVENT_RESET,
    VM_EVENT_SHUTDOWN,
    VM_EVENT_POWERDOWN,          /* the power button was pressed */
} VMEvent;

typedef void (*VMEventListener)(VMEvent event, ShutdownCause cause);

/* Listeners run with the global lock held, in the order added. */
void runstate_add_event_listener(VMEventListener fn);
/* QMP's name of a cause: "host-qmp-quit", "guest-reset", ... */
const char *shutdown_cause_name(ShutdownCause cause);
bool shutdown_cause_is_guest(ShutdownCause cause);

RunState runstate_get(void);
bool runstate_is_running(void);
/* "running", "paused", "prelaunch", ... as QMP names them. */
const char *runstate_name(RunState state);

/* Starts or resumes the vCPUs (from prelaunch or paused). */
void vm_start(void);
/* "cont": vm_start unless the machine must be reset first (after an
 * internal error or a -no-shutdown power-off), as QEMU refuses. */
bool vm_cont(Error **errp);
/* Pauses the vCPUs and enters state (PAUSED, DEBUG, ...). */
void vm_stop(RunState state);
/*
 * vm_stop from any thread: a vCPU thread (a device handler, an exit of
 * the accelerator) parks itself at once and the main loop stops the
 * machine, since vm_stop waits for every vCPU.
 */
void vm_stop_request(RunState state);

/*
 * Called with the lock held when the machine starts running (before the
 * vCPUs resume) and when it stops (after they paused): a device finishes
 * or retries work that waited for the user, as QEMU's werror=stop does.
 */
typedef void VMChangeStateHandler(void *opaque, bool running);
void vm_add_change_state_handler(VMChangeStateHandler *cb, void *opaque);
void vm_del_change_state_handler(VMChangeStateHandler *cb, void *opaque);

/*
 * Requests, safe from any thread; the main loop acts on them.  With
 * -no-reboot a guest reset becomes a shutdown; with -no-shutdown a guest
 * shutdown pauses the machine instead of exiting.
 */
void system_shutdown_request(ShutdownCause cause);
void system_reset_request(ShutdownCause cause);
/* "system_powerdown": announces the button press and presses the
 * machine's power button, if it has one (the PC's PIIX4 PM). */
void system_powerdown_request(void);
/* The power button's device: fn(opaque) runs at every press, with the
 * lock held.  fn NULL removes it. */
void system_powerdown_set_handler(void (*fn)(void *opaque), void *opaque);
void system_set_exit_status(int status);
/* Called by the main loop; returns true when emu should exit. */
bool main_loop_should_exit(int *exit_status);
void runstate_set_no_reboot(bool value);
void runstate_set_no_shutdown(bool value);

/* Resets every device and vCPU of the machine, then the board's boot
 * state (MachineClass.reset). */
void system_reset(void);
/* Ends emu at once with status, as QEMU's isa-debug-exit does. */
void system_exit_now(int status) EMU_NORETURN;

#endif
