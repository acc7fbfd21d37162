/*
 * The ARM target as shared code sees it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/target.h"

const TargetInfo target_info = {
    .arch = "arm",
    /* QEMU gives every target an I/O address space; ARM boards leave it
     * empty, and "info mtree" shows it, so we keep the same view. */
    .has_io_space = true,
    .kvm_on_this_host = false,
    .cpu_type_suffix = "-arm-cpu",
    /* ARMv5's tiny pages are 1 KiB. */
    .page_bits = 10,
};
