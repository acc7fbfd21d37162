/*
 * Timers for device models, on the virtual clock: nanoseconds that run
 * while the machine runs and stand still while it is stopped (monitor
 * "stop", -S), so a paused guest's timers do not fire or jump.
 *
 * Callbacks run in the main loop with the global lock held.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_TIMER_H
#define SYSEMU_TIMER_H

#include "util/osdep.h"

#define NANOSECONDS_PER_SECOND 1000000000LL

typedef struct EmuTimer EmuTimer;
typedef void (*EmuTimerCB)(void *opaque);

/* The virtual clock now. */
int64_t clock_virtual_ns(void);

EmuTimer *timer_new_virtual(EmuTimerCB cb, void *opaque);
void timer_free(EmuTimer *t);
/* Fires cb once when the virtual clock reaches expire_ns (at once if it
 * has already); replaces an earlier expiry. */
void timer_mod(EmuTimer *t, int64_t expire_ns);
void timer_del(EmuTimer *t);
bool timer_pending(const EmuTimer *t);
int64_t timer_expire_time(const EmuTimer *t);

/* Host time spent running: the virtual clock without -icount. */
int64_t clock_host_running_ns(void);

/* For -icount's vCPU thread (softmmu/icount.c), with the global lock:
 * the earliest expiry (INT64_MAX: none), and firing the timers due. */
int64_t timers_deadline_ns(void);
void timers_run_expired(void);

/* Run-state hooks (softmmu/runstate.c): the clock stops and resumes. */
void clock_virtual_stop(void);
void clock_virtual_start(void);

#endif
