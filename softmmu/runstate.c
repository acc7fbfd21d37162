/*
 * Run states, shutdown and reset requests, and the machine reset.
 *
 * Requests may come from any thread (a vCPU writing a reset register, a
 * signal handler); they are flags the main loop acts on with the lock
 * held, so state changes happen in one place.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/runstate.h"
#include "gdbstub/gdbstub.h"
#include "sysemu/main-loop.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "hw/boards.h"
#include "sysemu/timer.h"

static RunState current_state = RUN_STATE_PRELAUNCH;
static int shutdown_requested;       /* a ShutdownCause */
static int reset_requested;          /* a ShutdownCause */
static int exit_status;
static bool no_reboot;
static bool no_shutdown;

typedef struct VMChangeStateEntry {
    VMChangeStateHandler *cb;
    void *opaque;
} VMChangeStateEntry;

static GSList *change_state_handlers;   /* VMChangeStateEntry * */

/* Requests already announced by the thread that made them. */
static bool shutdown_announced;
static bool reset_announced;
/* The machine's power button (system_powerdown_set_handler). */
static void (*powerdown_fn)(void *opaque);
static void *powerdown_opaque;
static GPtrArray *event_listeners;

static const char *const shutdown_cause_names[] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_HOST_RESET] = "host-qmp-system-reset",
};

const char *shutdown_cause_name(ShutdownCause cause)
{
    return shutdown_cause_names[cause];
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN ||
           cause == SHUTDOWN_CAUSE_GUEST_RESET;
}

void runstate_add_event_listener(VMEventListener fn)
{
    if (!event_listeners) {
        event_listeners = g_ptr_array_new();
    }
    g_ptr_array_add(event_listeners, fn);
}

static void announce(VMEvent event, ShutdownCause cause)
{
    for (guint i = 0; event_listeners && i < event_listeners->len; i++) {
        VMEventListener fn = g_ptr_array_index(event_listeners, i);

        fn(event, cause);
    }
}

static const char *const runstate_names[] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_IO_ERROR] = "io-error",
};

RunState runstate_get(void)
{
    return current_state;
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

const char *runstate_name(RunState state)
{
    return runstate_names[state];
}

void vm_add_change_state_handler(VMChangeStateHandler *cb, void *opaque)
{
    VMChangeStateEntry *e = g_new(VMChangeStateEntry, 1);

    e->cb = cb;
    e->opaque = opaque;
    change_state_handlers = g_slist_append(change_state_handlers, e);
}

void vm_del_change_state_handler(VMChangeStateHandler *cb, void *opaque)
{
    for (GSList *l = change_state_handlers; l; l = l->next) {
        VMChangeStateEntry *e = l->data;

        if (e->cb == cb && e->opaque == opaque) {
            change_state_handlers = g_slist_delete_link(change_state_handlers,
                                                        l);
            g_free(e);
            return;
        }
    }
}

static void vm_state_notify(bool running)
{
    for (GSList *l = change_state_handlers; l;) {
        VMChangeStateEntry *e = l->data;

        l = l->next;             /* a handler may remove itself */
        e->cb(e->opaque, running);
    }
}

void vm_start(void)
{
    if (current_state == RUN_STATE_RUNNING) {
        return;
    }
    current_state = RUN_STATE_RUNNING;
    announce(VM_EVENT_RESUME, SHUTDOWN_CAUSE_NONE);
    clock_virtual_start();
    vm_state_notify(true);
    resume_all_vcpus();
}

bool vm_cont(Error **errp)
{
    if (current_state == RUN_STATE_INTERNAL_ERROR ||
        current_state == RUN_STATE_SHUTDOWN) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        return false;
    }
    vm_start();
    return true;
}

/* Exiting stops the machine without a STOP event, as in QEMU. */
static void do_vm_stop(RunState state, bool send_stop)
{
    if (current_state != RUN_STATE_RUNNING) {
        /* Stopping a machine that never ran keeps "prelaunch". */
        if (current_state != RUN_STATE_PRELAUNCH) {
            current_state = state;
        }
        return;
    }
    pause_all_vcpus();
    clock_virtual_stop();
    current_state = state;
    vm_state_notify(false);
    if (send_stop) {
        announce(VM_EVENT_STOP, SHUTDOWN_CAUSE_NONE);
    }
}

void vm_stop(RunState state)
{
    do_vm_stop(state, true);
}

static gboolean vm_stop_cb(gpointer opaque)
{
    vm_stop((RunState)GPOINTER_TO_INT(opaque));
    return G_SOURCE_REMOVE;
}

void vm_stop_request(RunState state)
{
    if (current_cpu) {
        current_cpu->stop = true;
        cpu_exit(current_cpu);
    }
    g_idle_add(vm_stop_cb, GINT_TO_POINTER(state));
}

/*
 * A request made with the lock held (a monitor command, a device) is
 * announced at once, so a QMP client hears the event before the reply
 * to its command, in QEMU's order; one from a thread without the lock
 * (a kvm vCPU) is announced by the main loop.
 */
void system_shutdown_request(ShutdownCause cause)
{
    if (bql_locked()) {
        announce(VM_EVENT_SHUTDOWN, cause);
        shutdown_announced = true;
    }
    __atomic_store_n(&shutdown_requested, cause, __ATOMIC_SEQ_CST);
    main_loop_wakeup();
}

void system_reset_request(ShutdownCause cause)
{
    if (no_reboot && cause == SHUTDOWN_CAUSE_GUEST_RESET) {
        system_shutdown_request(cause);
        return;
    }
    if (bql_locked()) {
        announce(VM_EVENT_RESET, cause);
        reset_announced = true;
    }
    __atomic_store_n(&reset_requested, cause, __ATOMIC_SEQ_CST);
    main_loop_wakeup();
}

void system_powerdown_request(void)
{
    announce(VM_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE);
    if (powerdown_fn) {
        powerdown_fn(powerdown_opaque);
    }
}

void system_powerdown_set_handler(void (*fn)(void *opaque), void *opaque)
{
    powerdown_fn = fn;
    powerdown_opaque = opaque;
}

void system_set_exit_status(int status)
{
    exit_status = status;
}

void runstate_set_no_reboot(bool value)
{
    no_reboot = value;
}

void runstate_set_no_shutdown(bool value)
{
    no_shutdown = value;
}

/* Resets realized devices that sit on no bus, found in the object tree. */
static void reset_busless_devices(Object *obj)
{
    GSList *children = object_get_children_sorted(obj);

    for (GSList *l = children; l; l = l->next) {
        DeviceState *dev = (DeviceState *)object_dynamic_cast(l->data,
                                                              TYPE_DEVICE);

        if (dev && dev->realized && !dev->parent_bus &&
            !object_dynamic_cast(OBJECT(dev), TYPE_CPU)) {
            device_reset(dev);
        }
        reset_busless_devices(l->data);
    }
    g_slist_free(children);
}

void system_reset(void)
{
    MachineClass *mc = current_machine ? MACHINE_GET_CLASS(current_machine)
                                       : NULL;

    /* vCPUs first: a device's reset may set a vCPU's start state
     * (-device loader,addr=...,cpu-num=N sets its PC), as in QEMU. */
    for (guint i = 0; cpus && i < cpus->len; i++) {
        cpu_reset(g_ptr_array_index(cpus, i));
    }
    bus_reset(sysbus_get_default());
    reset_busless_devices(object_get_root());
    if (mc && mc->reset) {
        mc->reset(current_machine);
    }
    for (guint i = 0; cpus && i < cpus->len; i++) {
        cpu_synchronize_post_write(g_ptr_array_index(cpus, i));
    }
}

void system_exit_now(int status)
{
    /* The terminal is restored by the chardev layer's exit handler; log
     * lines are flushed as they are written. */
    gdbserver_exit(status);
    exit(status);
}

bool main_loop_should_exit(int *status)
{
    ShutdownCause cause;

    cause = __atomic_exchange_n(&shutdown_requested, SHUTDOWN_CAUSE_NONE,
                                __ATOMIC_SEQ_CST);
    if (cause != SHUTDOWN_CAUSE_NONE) {
        if (!shutdown_announced) {
            announce(VM_EVENT_SHUTDOWN, cause);
        }
        shutdown_announced = false;
        if (no_shutdown && cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN) {
            vm_stop(RUN_STATE_SHUTDOWN);
        } else {
            do_vm_stop(RUN_STATE_SHUTDOWN, false);
            *status = exit_status;
            return true;
        }
    }
    cause = __atomic_exchange_n(&reset_requested, SHUTDOWN_CAUSE_NONE,
                                __ATOMIC_SEQ_CST);
    if (cause != SHUTDOWN_CAUSE_NONE) {
        bool was_running = runstate_is_running();

        if (!reset_announced) {
            announce(VM_EVENT_RESET, cause);
        }
        reset_announced = false;
        if (was_running) {
            pause_all_vcpus();
        }
        system_reset();
        if (was_running) {
            resume_all_vcpus();
        } else if (current_state == RUN_STATE_SHUTDOWN) {
            /* A reset after a -no-shutdown power-off boots again. */
            current_state = RUN_STATE_PAUSED;
            vm_start();
        }
    }
    return false;
}
