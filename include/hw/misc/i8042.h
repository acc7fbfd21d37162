/*
 * The i8042 PS/2 controller of the PC, as firmware and Linux use it
 * without keyboard or mouse: ports 0x60/0x64, self-tests, the command
 * byte, the output port, and the CPU reset line (command 0xfe).
 * gpio out 0 is IRQ 1 (keyboard), gpio out 1 IRQ 12 (aux), gpio out 2
 * the A20 gate (output port bit 1, set at each write of the port).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_I8042_H
#define HW_MISC_I8042_H

#define TYPE_I8042 "i8042"

#endif
