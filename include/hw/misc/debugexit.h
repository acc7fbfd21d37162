/*
 * isa-debug-exit: a guest write to its ports ends emu with status
 * (value << 1) | 1, as QEMU's device of the same name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_DEBUGEXIT_H
#define HW_MISC_DEBUGEXIT_H

#define TYPE_ISA_DEBUG_EXIT "isa-debug-exit"

#endif
