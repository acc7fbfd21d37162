/*
 * The ARM PrimeCell UART (PL011): one 4 KiB MMIO region, one interrupt
 * output (the combined UARTINTR), a "chardev" property.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_CHAR_PL011_H
#define HW_CHAR_PL011_H

#define TYPE_PL011 "pl011"

#endif
