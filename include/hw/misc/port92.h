/*
 * Port 0x92 of the PC: fast A20 gate and CPU reset (hw/misc/port92.c).
 * gpio out 0 is the A20 gate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_PORT92_H
#define HW_MISC_PORT92_H

#define TYPE_PORT92 "port92"

#endif
