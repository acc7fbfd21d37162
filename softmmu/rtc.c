/*
 * -rtc (see include/sysemu/rtc.h).  As in QEMU: base=utc (default) is
 * the host's UTC time, base=localtime its local time, base=DATE a fixed
 * start; clock=host follows the host's wall clock (the default; setting
 * the host's clock moves the guest's), clock=rt the host's monotonic
 * clock, clock=vm the virtual clock, which stands still while the
 * machine is stopped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sysemu/rtc.h"
#include "sysemu/timer.h"
#include "util/keyval.h"

typedef enum RTCClock {
    RTC_CLOCK_HOST,
    RTC_CLOCK_RT,
    RTC_CLOCK_VM,
} RTCClock;

static RTCClock rtc_clock = RTC_CLOCK_HOST;
/* The guest's date minus the host's, for clock=host. */
static int64_t rtc_offset_ns;
/* For clock=rt and clock=vm: the guest's date when that clock read
 * clock_start_ns. */
static int64_t rtc_start_date_ns;
static int64_t clock_start_ns;
static bool rtc_started;

static int64_t host_date_ns(void)
{
    return g_get_real_time() * 1000;
}

static int64_t rtc_clock_ns(void)
{
    return rtc_clock == RTC_CLOCK_VM ? clock_virtual_ns()
                                     : g_get_monotonic_time() * 1000;
}

/* "2006-06-17T16:01:21" or "2006-06-17", a UTC date; out-of-range
 * fields carry over as QEMU's (mktimegm) do. */
static bool parse_date(const char *text, int64_t *date_ns)
{
    int year, mon, mday, hour = 0, min = 0, sec = 0;
    char end;
    g_autoptr(GDateTime) base = NULL;
    g_autoptr(GDateTime) date = NULL;

    if (sscanf(text, "%d-%d-%dT%d:%d:%d%c", &year, &mon, &mday, &hour, &min,
               &sec, &end) != 6 &&
        sscanf(text, "%d-%d-%d%c", &year, &mon, &mday, &end) != 3) {
        return false;
    }
    if (year < 1970) {
        return false;
    }
    base = g_date_time_new_utc(year, 1, 1, 0, 0, 0);
    if (!base) {
        return false;
    }
    /* Months carry into years; days, hours... are plain seconds. */
    date = g_date_time_add_months(base, mon - 1);
    if (!date) {
        return false;
    }
    *date_ns = (g_date_time_to_unix(date) + (int64_t)(mday - 1) * 86400 +
                (int64_t)hour * 3600 + (int64_t)min * 60 + sec) *
               NANOSECONDS_PER_SECOND;
    return true;
}

bool rtc_configure(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, NULL, errp);
    const char *base, *clock, *driftfix;
    const KeyValPair *extra;

    if (!kv) {
        return false;
    }
    base = keyval_take(kv, "base");
    clock = keyval_take(kv, "clock");
    driftfix = keyval_take(kv, "driftfix");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Invalid parameter '%s'", extra->key);
        return false;
    }
    rtc_offset_ns = 0;
    if (base && !strcmp(base, "localtime")) {
        g_autoptr(GDateTime) now = g_date_time_new_now_local();

        rtc_offset_ns = g_date_time_get_utc_offset(now) * 1000;
    } else if (base && strcmp(base, "utc")) {
        int64_t date_ns;

        if (!parse_date(base, &date_ns)) {
            error_setg(errp, "invalid datetime format");
            error_append_hint(errp, "valid formats: '2006-06-17T16:01:21' "
                              "or '2006-06-17'\n");
            return false;
        }
        rtc_offset_ns = date_ns - host_date_ns();
    }
    if (!clock || !strcmp(clock, "host")) {
        rtc_clock = RTC_CLOCK_HOST;
    } else if (!strcmp(clock, "rt")) {
        rtc_clock = RTC_CLOCK_RT;
    } else if (!strcmp(clock, "vm")) {
        rtc_clock = RTC_CLOCK_VM;
    } else {
        error_setg(errp, "invalid option value '%s'", clock);
        return false;
    }
    /* driftfix=slew re-injects lost timer interrupts of a PC's RTC; emu
     * loses none it would have to make up (its RTC fires from the main
     * loop on the virtual clock), so none is the only meaning. */
    if (driftfix && strcmp(driftfix, "none") && strcmp(driftfix, "slew")) {
        error_setg(errp, "invalid option value '%s'", driftfix);
        return false;
    }
    return true;
}

int64_t rtc_date_ns(void)
{
    if (rtc_clock == RTC_CLOCK_HOST) {
        return host_date_ns() + rtc_offset_ns;
    }
    /* Anchored at the first reading, when the guest's clock starts. */
    if (!rtc_started) {
        rtc_start_date_ns = host_date_ns() + rtc_offset_ns;
        clock_start_ns = rtc_clock_ns();
        rtc_started = true;
    }
    return rtc_start_date_ns + rtc_clock_ns() - clock_start_ns;
}
