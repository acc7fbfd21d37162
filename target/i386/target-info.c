/*
 * The x86-64 target as shared code sees it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/target.h"

const TargetInfo target_info = {
    .arch = "x86_64",
    .has_io_space = true,
    .kvm_on_this_host = true,
    .cpu_type_suffix = "-x86_64-cpu",
    .page_bits = 12,
};
