/*
 * The seccomp filter behind -sandbox on (seccomp-filter.c), or its
 * absence on hosts it is not written for (seccomp-missing.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SOFTMMU_SECCOMP_FILTER_H
#define SOFTMMU_SECCOMP_FILTER_H

#include "util/osdep.h"
#include "util/error.h"

/* The groups of QEMU's deny-list, as its -sandbox options name them. */
enum {
    SANDBOX_DEFAULT = 1 << 0,
    SANDBOX_OBSOLETE = 1 << 1,
    SANDBOX_PRIVILEGED = 1 << 2,
    SANDBOX_SPAWN = 1 << 3,
    SANDBOX_RESOURCECTL = 1 << 4,
};

/* Whether this build and the host kernel can filter every thread's
 * system calls (seccomp filters with thread synchronisation). */
bool seccomp_filter_available(void);

/* Denies the calls of the groups in sets, for every thread, for good. */
bool seccomp_filter_install(unsigned sets, Error **errp);

#endif
