/*
 * The date the guest's real-time clocks start from and how it moves on
 * (-rtc base=utc|localtime|DATE,clock=host|rt|vm).  RTC devices read it
 * instead of the host's clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_RTC_H
#define SYSEMU_RTC_H

#include "util/osdep.h"
#include "util/error.h"

bool rtc_configure(const char *opts, Error **errp);
/*
 * Nanoseconds since 1970-01-01 00:00:00 of the date the guest's RTC
 * shows now (in local time with base=localtime, as the PC's CMOS clock
 * keeps it).
 */
int64_t rtc_date_ns(void);

#endif
