/*
 * The MC146818 real-time clock and CMOS RAM of the PC at ports 0x70
 * (index; bit 7 masks NMI) and 0x71 (data).  gpio out 0 is IRQ 8.
 * Boards store what firmware reads from CMOS (memory sizes, boot
 * order) with rtc_set_cmos before the guest starts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_MC146818RTC_H
#define HW_MISC_MC146818RTC_H

#include "hw/qdev.h"

#define TYPE_MC146818_RTC "mc146818rtc"
#define RTC_CMOS_SIZE 128

/* CMOS bytes the clock does not own (0x0e-0x7f except the century at
 * 0x32); they survive resets as battery-backed RAM does. */
void rtc_set_cmos(DeviceState *dev, unsigned addr, uint8_t value);
uint8_t rtc_get_cmos(DeviceState *dev, unsigned addr);

#endif
