/*
 * The virtual clock and its timers, on glib's main context.
 *
 * The clock is the host's monotonic time minus the time spent stopped.
 * A pending timer holds one glib timeout for its expiry; when the clock
 * stops, timeouts are removed and re-armed on restart, so nothing fires
 * while the machine is paused.
 *
 * With -icount (softmmu/icount.c) the clock is the instruction count
 * instead, timers hold no glib timeout, and the vCPU thread fires them
 * between its slices (timers_run_expired) at the deadline it was given
 * (timers_deadline_ns).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/timer.h"
#include "sysemu/icount.h"

struct EmuTimer {
    EmuTimerCB cb;
    void *opaque;
    int64_t expire_ns;
    bool pending;
    guint source;                /* glib timeout, 0 when not armed */
};

static GMutex clock_lock;        /* the clock is read from vCPU threads */
static bool clock_running;
static int64_t stopped_total_ns;
static int64_t stopped_at_ns;
static GPtrArray *pending_timers;

static int64_t host_ns(void)
{
    return g_get_monotonic_time() * 1000;
}

int64_t clock_host_running_ns(void)
{
    int64_t now;

    g_mutex_lock(&clock_lock);
    now = (clock_running ? host_ns() : stopped_at_ns) - stopped_total_ns;
    g_mutex_unlock(&clock_lock);
    return now;
}

int64_t clock_virtual_ns(void)
{
    return icount_enabled() ? icount_clock_ns() : clock_host_running_ns();
}

static void timer_disarm(EmuTimer *t)
{
    if (t->source) {
        g_source_remove(t->source);
        t->source = 0;
    }
}

/* The expiry: off the pending list first, so cb may re-arm t. */
static void timer_expire(EmuTimer *t)
{
    t->pending = false;
    g_ptr_array_remove_fast(pending_timers, t);
    t->cb(t->opaque);
}

static gboolean timer_fire(gpointer opaque)
{
    EmuTimer *t = opaque;
    int64_t now = clock_virtual_ns();

    t->source = 0;
    if (now < t->expire_ns) {
        /* Woken early (timeouts have millisecond granularity): again. */
        timer_mod(t, t->expire_ns);
        return G_SOURCE_REMOVE;
    }
    timer_expire(t);
    return G_SOURCE_REMOVE;
}

/* The earliest pending timer, or NULL. */
static EmuTimer *timer_first(void)
{
    EmuTimer *first = NULL;

    for (guint i = 0; pending_timers && i < pending_timers->len; i++) {
        EmuTimer *t = g_ptr_array_index(pending_timers, i);

        if (!first || t->expire_ns < first->expire_ns) {
            first = t;
        }
    }
    return first;
}

int64_t timers_deadline_ns(void)
{
    EmuTimer *t = timer_first();

    return t ? t->expire_ns : INT64_MAX;
}

void timers_run_expired(void)
{
    EmuTimer *t;

    /* In expiry order, so that equal runs fire them equally. */
    while ((t = timer_first()) && t->expire_ns <= clock_virtual_ns()) {
        timer_expire(t);
    }
}

static void timer_arm(EmuTimer *t)
{
    int64_t delay_ns = t->expire_ns - clock_virtual_ns();
    guint delay_us = delay_ns <= 0 ? 0 : MIN(delay_ns / 1000, G_MAXUINT);

    timer_disarm(t);
    if (icount_enabled()) {
        icount_timers_changed(t->expire_ns);
        return;
    }
    /* Microsecond timeouts through a GSource with a ready time. */
    if (delay_us < 1000) {
        t->source = g_idle_add_full(G_PRIORITY_HIGH, timer_fire, t, NULL);
    } else {
        t->source = g_timeout_add_full(G_PRIORITY_HIGH, delay_us / 1000,
                                       timer_fire, t, NULL);
    }
}

EmuTimer *timer_new_virtual(EmuTimerCB cb, void *opaque)
{
    EmuTimer *t = g_new0(EmuTimer, 1);

    t->cb = cb;
    t->opaque = opaque;
    return t;
}

void timer_free(EmuTimer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

void timer_mod(EmuTimer *t, int64_t expire_ns)
{
    if (!pending_timers) {
        pending_timers = g_ptr_array_new();
    }
    t->expire_ns = expire_ns;
    if (!t->pending) {
        t->pending = true;
        g_ptr_array_add(pending_timers, t);
    }
    if (clock_running) {
        timer_arm(t);
    }
}

void timer_del(EmuTimer *t)
{
    timer_disarm(t);
    if (t->pending) {
        t->pending = false;
        g_ptr_array_remove_fast(pending_timers, t);
    }
}

bool timer_pending(const EmuTimer *t)
{
    return t->pending;
}

int64_t timer_expire_time(const EmuTimer *t)
{
    return t->expire_ns;
}

void clock_virtual_stop(void)
{
    if (!clock_running) {
        return;
    }
    g_mutex_lock(&clock_lock);
    stopped_at_ns = host_ns();
    clock_running = false;
    g_mutex_unlock(&clock_lock);
    for (guint i = 0; pending_timers && i < pending_timers->len; i++) {
        timer_disarm(g_ptr_array_index(pending_timers, i));
    }
}

void clock_virtual_start(void)
{
    if (clock_running) {
        return;
    }
    g_mutex_lock(&clock_lock);
    stopped_total_ns += host_ns() - stopped_at_ns;
    clock_running = true;
    g_mutex_unlock(&clock_lock);
    for (guint i = 0; pending_timers && i < pending_timers->len; i++) {
        timer_arm(g_ptr_array_index(pending_timers, i));
    }
}
