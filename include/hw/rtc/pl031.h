/*
 * The ARM PrimeCell RTC (PL031): one 4 KiB MMIO region, one interrupt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_RTC_PL031_H
#define HW_RTC_PL031_H

#define TYPE_PL031 "pl031"

#endif
