/*
 * Helpers shared by unit tests that run glib's default main context as
 * emu's main loop would (chardev and device tests).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_MAIN_LOOP_UTIL_H
#define TESTS_UNIT_MAIN_LOOP_UTIL_H

#include "util/osdep.h"

/*
 * Dispatches the default context until cond holds.  The 60 s limit only
 * turns a hang into a failure; a loaded host may take seconds.
 */
#define WAIT_FOR(cond)                                                    \
    do {                                                                  \
        gint64 deadline_ = g_get_monotonic_time() + 60 * G_USEC_PER_SEC; \
        while (!(cond)) {                                                 \
            if (g_get_monotonic_time() > deadline_) {                     \
                g_error("timed out waiting for %s", #cond);               \
            }                                                             \
            if (!g_main_context_iteration(NULL, FALSE)) {                 \
                g_usleep(1000);                                           \
            }                                                             \
        }                                                                 \
    } while (0)

/* Dispatches whatever is due for ms milliseconds: for "nothing happens". */
static inline void pump_for(int ms)
{
    gint64 end = g_get_monotonic_time() + ms * 1000;

    while (g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE)) {
            g_usleep(1000);
        }
    }
}

#endif
