/*
 * Shared between the files of softmmu/ only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SOFTMMU_INTERNAL_H
#define SOFTMMU_INTERNAL_H

#include "util/osdep.h"

/* Waits on cond, releasing the global lock meanwhile. */
void bql_cond_wait(GCond *cond);

#endif
