/*
 * What the shared code needs to know about the emulator's guest
 * architecture.  Each target/<arch>/target-info.c defines target_info;
 * it is the only per-target symbol shared code reads, so nothing outside
 * target/ needs #ifdef TARGET_*.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_TARGET_H
#define SYSEMU_TARGET_H

#include "util/osdep.h"

typedef struct TargetInfo {
    const char *arch;            /* "arm", "x86_64": emu-system-<arch> */
    bool has_io_space;           /* separate port I/O address space */
    bool kvm_on_this_host;       /* guest arch == host arch (x86-64) */
    const char *cpu_type_suffix; /* "-arm-cpu": -cpu NAME is NAME-arm-cpu */
    unsigned page_bits;          /* tcg's guest page: TARGET_PAGE_BITS */
} TargetInfo;

extern const TargetInfo target_info;

#endif
