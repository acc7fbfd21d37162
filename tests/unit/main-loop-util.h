/*
 * Helpers shared by unit tests that run glib's default main context as
 * emu's main loop would (chardev and device tests).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_MAIN_LOOP_UTIL_H
#define TESTS_UNIT_MAIN_LOOP_UTIL_H

#include "util/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>

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

/* A client connected to the chardev socket listening at path. */
static inline int unix_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    return fd;
}

#endif
