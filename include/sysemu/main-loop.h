/*
 * The main loop and the global lock.
 *
 * One global lock ("the big lock") guards all device and machine state.
 * The main thread holds it except while it waits in poll(); vCPU threads
 * take it whenever they leave guest code to touch devices.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_MAIN_LOOP_H
#define SYSEMU_MAIN_LOOP_H

#include "util/osdep.h"

void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);   /* by this thread */
/* For code that runs with the lock held or not (a vCPU thread's device
 * accesses): takes it unless this thread holds it, and returns whether
 * it did, for bql_unlock_if. */
bool bql_lock_if_needed(void);
void bql_unlock_if(bool taken);
/* Waits on cond, releasing the global lock meanwhile (vCPU parking,
 * run-on-vCPU requests). */
void bql_cond_wait(GCond *cond);
/* The same until the monotonic time end_time_us at the latest; false
 * when that time came. */
bool bql_cond_wait_until(GCond *cond, int64_t end_time_us);

/*
 * Runs glib's default main context until main_loop_should_exit()
 * sees a request: shutdown or reset are handled here.
 */
/* Returns the exit status emu should end with. */
int main_loop_run(void);
/* Wakes the main loop from another thread (after setting a request). */
void main_loop_wakeup(void);

#endif
