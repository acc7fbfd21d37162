/*
 * The global lock and the main loop: glib's default context, polled with
 * the lock released so vCPU threads can take it meanwhile.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"

static GMutex big_lock;
static __thread bool big_lock_held;

void bql_lock(void)
{
    g_assert(!big_lock_held);
    g_mutex_lock(&big_lock);
    big_lock_held = true;
}

void bql_unlock(void)
{
    g_assert(big_lock_held);
    big_lock_held = false;
    g_mutex_unlock(&big_lock);
}

bool bql_locked(void)
{
    return big_lock_held;
}

bool bql_lock_if_needed(void)
{
    if (big_lock_held) {
        return false;
    }
    bql_lock();
    return true;
}

void bql_unlock_if(bool taken)
{
    if (taken) {
        bql_unlock();
    }
}

void bql_cond_wait(GCond *cond)
{
    g_assert(big_lock_held);
    big_lock_held = false;
    g_cond_wait(cond, &big_lock);
    big_lock_held = true;
}

bool bql_cond_wait_until(GCond *cond, int64_t end_time_us)
{
    bool signalled;

    g_assert(big_lock_held);
    big_lock_held = false;
    signalled = g_cond_wait_until(cond, &big_lock, end_time_us);
    big_lock_held = true;
    return signalled;
}

void main_loop_wakeup(void)
{
    g_main_context_wakeup(NULL);
}

int main_loop_run(void)
{
    GMainContext *ctx = g_main_context_default();
    GArray *fds = g_array_new(FALSE, FALSE, sizeof(GPollFD));
    int exit_status = 0;

    g_main_context_acquire(ctx);
    while (!main_loop_should_exit(&exit_status)) {
        gint max_priority, timeout, nfds;

        g_main_context_prepare(ctx, &max_priority);
        for (;;) {
            nfds = g_main_context_query(ctx, max_priority, &timeout,
                                        (GPollFD *)fds->data, fds->len);
            if ((guint)nfds <= fds->len) {
                break;
            }
            g_array_set_size(fds, nfds);
        }
        /* Device state stays guarded while nobody but the poll runs. */
        bql_unlock();
        g_poll((GPollFD *)fds->data, nfds, timeout);
        bql_lock();
        if (g_main_context_check(ctx, max_priority, (GPollFD *)fds->data,
                                 nfds)) {
            g_main_context_dispatch(ctx);
        }
    }
    g_main_context_release(ctx);
    g_array_free(fds, TRUE);
    return exit_status;
}
