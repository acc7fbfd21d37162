/*
 * The MC146818 real-time clock of the PC: 128 bytes of CMOS RAM behind
 * an index port (0x70) and a data port (0x71), of which the first 14 are
 * the clock: time and alarm in BCD or binary, 12- or 24-hour, and the
 * control registers A-D.
 *
 * The clock is the host's UTC clock plus an offset: the guest setting
 * the time changes the offset, never the host.  Update-ended, alarm and
 * periodic flags are worked out from the clock when register C is read
 * and, while one of their interrupts is enabled, from a main-loop timer
 * that raises IRQ 8 (gpio out 0) at the next event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/rtc.h"
#include "util/log.h"
#include "hw/misc/mc146818rtc.h"
#include "hw/misc/isa-ports.h"

/* CMOS addresses owned by the clock. */
#define REG_SECONDS         0x00
#define REG_SECONDS_ALARM   0x01
#define REG_MINUTES         0x02
#define REG_MINUTES_ALARM   0x03
#define REG_HOURS           0x04
#define REG_HOURS_ALARM     0x05
#define REG_DAY_OF_WEEK     0x06
#define REG_DAY_OF_MONTH    0x07
#define REG_MONTH           0x08
#define REG_YEAR            0x09
#define REG_A               0x0a
#define REG_B               0x0b
#define REG_C               0x0c
#define REG_D               0x0d
#define REG_CENTURY         0x32 /* the PC's convention */

#define A_UIP       0x80         /* update in progress (read only) */
#define A_DV_NORMAL 0x20         /* 32.768 kHz time base, running */
#define A_RS_MASK   0x0f         /* periodic rate select */
#define A_RS_1024HZ 0x06

#define B_SET       0x80         /* freeze updates while the guest sets */
#define B_PIE       0x40
#define B_AIE       0x20
#define B_UIE       0x10
#define B_SQWE      0x08
#define B_DM_BINARY 0x04
#define B_24H       0x02
#define B_INT_ENABLES (B_PIE | B_AIE | B_UIE)

#define C_IRQF      0x80
#define C_PF        0x40         /* each flag sits on its enable bit */
#define C_AF        0x20
#define C_UF        0x10

#define D_VRT       0x80         /* battery good */

#define HOUR_PM     0x80
#define ALARM_ANY   0xc0         /* 0xc0-0xff in an alarm byte: any value */

#define NS_PER_SEC  1000000000LL
/* UIP rises this long before each update (datasheet, figure 16). */
#define UIP_LEAD_NS 244000LL
#define SECS_PER_DAY 86400

typedef struct RTCState {
    DeviceState parent_obj;
    MemoryRegion io;
    MemoryRegion index_io;       /* "rtc-index", within io */
    IRQLine *irq;
    uint32_t iobase;
    uint8_t cmos[RTC_CMOS_SIZE];
    uint8_t index;
    int64_t offset_ns;           /* guest clock - host clock */
    int64_t last_sec;            /* guest second when flags were updated */
    int64_t next_periodic_ns;    /* monotonic time of the next PF */
    GSource *timer;
} RTCState;

#define MC146818_RTC(obj) INSTANCE_CAST(RTCState, (obj), TYPE_MC146818_RTC)

static int64_t guest_now_ns(RTCState *s)
{
    return rtc_date_ns() + s->offset_ns;
}

static int64_t monotonic_ns(void)
{
    return g_get_monotonic_time() * 1000;
}

static uint8_t to_reg(RTCState *s, int value)
{
    if (s->cmos[REG_B] & B_DM_BINARY) {
        return value;
    }
    return ((value / 10) << 4) | (value % 10);
}

static int from_reg(RTCState *s, uint8_t value)
{
    if (s->cmos[REG_B] & B_DM_BINARY) {
        return value;
    }
    return (value >> 4) * 10 + (value & 0x0f);
}

static uint8_t hour_to_reg(RTCState *s, int hour)
{
    if (s->cmos[REG_B] & B_24H) {
        return to_reg(s, hour);
    }
    return to_reg(s, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? HOUR_PM : 0);
}

static int hour_from_reg(RTCState *s, uint8_t value)
{
    if (s->cmos[REG_B] & B_24H) {
        return from_reg(s, value);
    }
    return from_reg(s, value & ~HOUR_PM) % 12 + (value & HOUR_PM ? 12 : 0);
}

/* Shows the clock in the time registers, unless the guest froze them. */
static void rtc_refresh_time(RTCState *s)
{
    time_t t;
    struct tm tm;

    if (s->cmos[REG_B] & B_SET) {
        return;
    }
    t = guest_now_ns(s) / NS_PER_SEC;
    gmtime_r(&t, &tm);
    s->cmos[REG_SECONDS] = to_reg(s, tm.tm_sec);
    s->cmos[REG_MINUTES] = to_reg(s, tm.tm_min);
    s->cmos[REG_HOURS] = hour_to_reg(s, tm.tm_hour);
    s->cmos[REG_DAY_OF_WEEK] = to_reg(s, tm.tm_wday + 1);
    s->cmos[REG_DAY_OF_MONTH] = to_reg(s, tm.tm_mday);
    s->cmos[REG_MONTH] = to_reg(s, tm.tm_mon + 1);
    s->cmos[REG_YEAR] = to_reg(s, tm.tm_year % 100);
    s->cmos[REG_CENTURY] = to_reg(s, (tm.tm_year + 1900) / 100);
}

/*
 * The time registers hold what the guest wrote: make that the clock,
 * with sub_ns into the second.  Years are 2000-2099, as for QEMU's PC:
 * the century byte is the guest's business.
 */
static void rtc_take_time(RTCState *s, int64_t sub_ns)
{
    struct tm tm = {
        .tm_sec = from_reg(s, s->cmos[REG_SECONDS]),
        .tm_min = from_reg(s, s->cmos[REG_MINUTES]),
        .tm_hour = hour_from_reg(s, s->cmos[REG_HOURS]),
        .tm_mday = from_reg(s, s->cmos[REG_DAY_OF_MONTH]),
        .tm_mon = from_reg(s, s->cmos[REG_MONTH]) - 1,
        .tm_year = from_reg(s, s->cmos[REG_YEAR]) + 100,
    };
    /* Digits that are not BCD (0xff reads as 165) and out-of-range
     * months and days carry into later years; a guest that writes such
     * garbage gets a clock that stops carrying at 2^33 s (year 2242),
     * well inside the nanoseconds an int64_t holds. */
    int64_t sec = MIN(timegm(&tm), (int64_t)1 << 33);

    s->offset_ns = sec * NS_PER_SEC + sub_ns - rtc_date_ns();
    s->last_sec = sec;
}

static bool alarm_byte_matches(RTCState *s, uint8_t alarm, uint8_t now)
{
    return (alarm & ALARM_ANY) == ALARM_ANY || alarm == now;
}

/* Whether the alarm goes off at guest second t (compared as the chip
 * does, register bytes against register bytes). */
static bool rtc_alarm_at(RTCState *s, int64_t t)
{
    int64_t in_day = ((t % SECS_PER_DAY) + SECS_PER_DAY) % SECS_PER_DAY;

    return alarm_byte_matches(s, s->cmos[REG_SECONDS_ALARM],
                              to_reg(s, in_day % 60)) &&
           alarm_byte_matches(s, s->cmos[REG_MINUTES_ALARM],
                              to_reg(s, in_day / 60 % 60)) &&
           alarm_byte_matches(s, s->cmos[REG_HOURS_ALARM],
                              hour_to_reg(s, in_day / 3600));
}

/* Period of the periodic interrupt in ns, 0 when off (table 3). */
static int64_t rtc_periodic_ns(RTCState *s)
{
    int rs = s->cmos[REG_A] & A_RS_MASK;

    if (!rs) {
        return 0;
    }
    if (rs <= 2) {
        rs += 7;                 /* 1 and 2 repeat the rates of 8 and 9 */
    }
    return (NS_PER_SEC << (rs - 1)) / 32768;
}

/* Sets the flags of register C for what happened since the last look. */
static void rtc_update_flags(RTCState *s)
{
    int64_t period = rtc_periodic_ns(s);

    if (!(s->cmos[REG_B] & B_SET)) {
        int64_t sec = guest_now_ns(s) / NS_PER_SEC;

        if (sec > s->last_sec) {
            s->cmos[REG_C] |= C_UF;
            /* The alarm repeats within a day: a day back is enough. */
            for (int64_t t = MAX(s->last_sec + 1, sec - SECS_PER_DAY + 1);
                 t <= sec; t++) {
                if (rtc_alarm_at(s, t)) {
                    s->cmos[REG_C] |= C_AF;
                    break;
                }
            }
        }
        s->last_sec = sec;
    }
    if (period) {
        int64_t now = monotonic_ns();

        if (now >= s->next_periodic_ns) {
            s->cmos[REG_C] |= C_PF;
            s->next_periodic_ns += ((now - s->next_periodic_ns) / period + 1)
                                   * period;
        }
    }
    if (s->cmos[REG_C] & s->cmos[REG_B] & B_INT_ENABLES) {
        s->cmos[REG_C] |= C_IRQF;
    }
}

static void rtc_update_irq(RTCState *s)
{
    irq_set_level(s->irq, !!(s->cmos[REG_C] & C_IRQF));
}

static void rtc_restart_periodic(RTCState *s)
{
    s->next_periodic_ns = monotonic_ns() + rtc_periodic_ns(s);
}

static void rtc_arm_timer(RTCState *s);

static gboolean rtc_timer_fired(gpointer opaque)
{
    RTCState *s = opaque;

    g_source_unref(s->timer);
    s->timer = NULL;
    rtc_update_flags(s);
    rtc_update_irq(s);
    rtc_arm_timer(s);
    return G_SOURCE_REMOVE;
}

static void rtc_cancel_timer(RTCState *s)
{
    if (s->timer) {
        g_source_destroy(s->timer);
        g_source_unref(s->timer);
        s->timer = NULL;
    }
}

/*
 * Wakes up at the next event whose interrupt is enabled.  Without one,
 * or while IRQF is up (no new edge can come before the guest reads C),
 * flags are only worked out when the guest reads register C.
 */
static void rtc_arm_timer(RTCState *s)
{
    uint8_t b = s->cmos[REG_B];
    int64_t delay = INT64_MAX;
    int64_t period = rtc_periodic_ns(s);

    rtc_cancel_timer(s);
    if (s->cmos[REG_C] & C_IRQF) {
        return;
    }
    if ((b & (B_UIE | B_AIE)) && !(b & B_SET)) {
        delay = NS_PER_SEC - guest_now_ns(s) % NS_PER_SEC;
    }
    if ((b & B_PIE) && period) {
        delay = MIN(delay, MAX(s->next_periodic_ns - monotonic_ns(), 0));
    }
    if (delay == INT64_MAX) {
        return;
    }
    /* glib counts in milliseconds: round up so the event has happened. */
    s->timer = g_timeout_source_new((delay + 999999) / 1000000);
    g_source_set_callback(s->timer, rtc_timer_fired, s, NULL);
    g_source_attach(s->timer, NULL);
}

static uint8_t rtc_read_reg(RTCState *s, uint8_t reg)
{
    uint8_t value;

    switch (reg) {
    case REG_SECONDS:
    case REG_MINUTES:
    case REG_HOURS:
    case REG_DAY_OF_WEEK:
    case REG_DAY_OF_MONTH:
    case REG_MONTH:
    case REG_YEAR:
    case REG_CENTURY:
        rtc_refresh_time(s);
        return s->cmos[reg];
    case REG_A:
        value = s->cmos[REG_A] & ~A_UIP;
        if (!(s->cmos[REG_B] & B_SET) &&
            guest_now_ns(s) % NS_PER_SEC >= NS_PER_SEC - UIP_LEAD_NS) {
            value |= A_UIP;
        }
        return value;
    case REG_C:
        /* Flags found only now never reached the pin: no pulse. */
        rtc_update_flags(s);
        value = s->cmos[REG_C];
        s->cmos[REG_C] = 0;
        irq_set_level(s->irq, 0);
        if (value & C_IRQF) {
            rtc_arm_timer(s);
        }
        return value;
    default:
        return s->cmos[reg];
    }
}

static void rtc_write_b(RTCState *s, uint8_t value)
{
    uint8_t old = s->cmos[REG_B];

    if ((value & B_SET) && !(old & B_SET)) {
        rtc_refresh_time(s);     /* freeze what the guest last saw */
    }
    if (value & B_SET) {
        value &= ~B_UIE;         /* SET clears UIE (datasheet) */
    }
    if ((value & B_PIE) && !(old & B_PIE)) {
        rtc_restart_periodic(s);
    }
    s->cmos[REG_B] = value;
    if (!(value & B_SET) && (old & B_SET)) {
        rtc_take_time(s, 0);     /* the new second starts now */
    }
    rtc_update_flags(s);
    rtc_update_irq(s);
    rtc_arm_timer(s);
}

static void rtc_write_reg(RTCState *s, uint8_t reg, uint8_t value)
{
    int64_t sub_ns;

    switch (reg) {
    case REG_SECONDS:
    case REG_MINUTES:
    case REG_HOURS:
    case REG_DAY_OF_WEEK:
    case REG_DAY_OF_MONTH:
    case REG_MONTH:
    case REG_YEAR:
        if (s->cmos[REG_B] & B_SET) {
            s->cmos[reg] = value;
            break;
        }
        /* A running clock takes the change at once and keeps ticking. */
        sub_ns = guest_now_ns(s) % NS_PER_SEC;
        rtc_refresh_time(s);
        s->cmos[reg] = value;
        rtc_take_time(s, sub_ns);
        rtc_arm_timer(s);
        break;
    case REG_A:
        s->cmos[REG_A] = value & ~A_UIP;
        rtc_restart_periodic(s);
        rtc_arm_timer(s);
        break;
    case REG_B:
        rtc_write_b(s, value);
        break;
    case REG_C:
    case REG_D:
        emu_log_mask(LOG_GUEST_ERROR, "mc146818rtc: write 0x%02x to "
                     "read-only register %c\n", value, 'A' + reg - REG_A);
        break;
    default:
        s->cmos[reg] = value;    /* alarms, century, RAM */
        break;
    }
}

static uint64_t rtc_io_read(void *opaque, hwaddr addr, unsigned size)
{
    RTCState *s = opaque;

    if (addr == 0) {
        return 0xff;             /* the index port is write-only */
    }
    return rtc_read_reg(s, s->index);
}

static void rtc_io_write(void *opaque, hwaddr addr, uint64_t value,
                         unsigned size)
{
    RTCState *s = opaque;

    if (addr == 0) {
        /* Bit 7 is the chipset's NMI gate, not part of the index; emu's
         * chipset raises no NMIs, so there is nothing to gate. */
        s->index = value & (RTC_CMOS_SIZE - 1);
    } else {
        rtc_write_reg(s, s->index, value);
    }
}

static const MemoryRegionOps rtc_io_ops = {
    .read = rtc_io_read,
    .write = rtc_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void rtc_set_cmos(DeviceState *dev, unsigned addr, uint8_t value)
{
    g_assert(addr < RTC_CMOS_SIZE);
    MC146818_RTC(dev)->cmos[addr] = value;
}

uint8_t rtc_get_cmos(DeviceState *dev, unsigned addr)
{
    g_assert(addr < RTC_CMOS_SIZE);
    return MC146818_RTC(dev)->cmos[addr];
}

/* The reset pin clears the interrupt enables and flags; the clock, the
 * RAM and the formats are battery-backed. */
static void rtc_reset(DeviceState *dev)
{
    RTCState *s = MC146818_RTC(dev);

    s->cmos[REG_B] &= ~(B_INT_ENABLES | B_SQWE);
    s->cmos[REG_C] = 0;
    irq_set_level(s->irq, 0);
    rtc_cancel_timer(s);
}

static void rtc_init(Object *obj)
{
    RTCState *s = MC146818_RTC(obj);

    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
    s->cmos[REG_A] = A_DV_NORMAL | A_RS_1024HZ;
    s->cmos[REG_B] = B_24H;
    s->cmos[REG_D] = D_VRT;
}

static bool rtc_realize(DeviceState *dev, Error **errp)
{
    RTCState *s = MC146818_RTC(dev);

    memory_region_init_io(&s->io, OBJECT(dev), &rtc_io_ops, s, "rtc", 2);
    /* The index port again, as QEMU's coalesced "rtc-index" region, so
     * that info mtree shows both. */
    memory_region_init_io(&s->index_io, OBJECT(dev), &rtc_io_ops, s,
                          "rtc-index", 1);
    memory_region_add_subregion(&s->io, 0, &s->index_io);
    if (!isa_ports_map(dev, &s->io, s->iobase, errp)) {
        memory_region_del_subregion(&s->io, &s->index_io);
        memory_region_destroy(&s->index_io);
        memory_region_destroy(&s->io);
        return false;
    }
    s->last_sec = guest_now_ns(s) / NS_PER_SEC;
    rtc_refresh_time(s);
    return true;
}

static void rtc_unrealize(DeviceState *dev)
{
    RTCState *s = MC146818_RTC(dev);

    rtc_cancel_timer(s);
    isa_ports_unmap(&s->io);
    memory_region_del_subregion(&s->io, &s->index_io);
    memory_region_destroy(&s->index_io);
    memory_region_destroy(&s->io);
}

/* A realized device dropped without unrealize must not stay mapped. */
static void rtc_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property rtc_properties[] = {
    DEFINE_PROP_UINT("iobase", RTCState, iobase, 0x70,
                     "index port; the data port follows it"),
};

static void rtc_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "MC146818 real-time clock and CMOS RAM";
    dc->realize = rtc_realize;
    dc->unrealize = rtc_unrealize;
    dc->reset = rtc_reset;
    class_add_properties(klass, rtc_properties, ARRAY_SIZE(rtc_properties));
}

static const TypeInfo rtc_types[] = {
    {
        .name = TYPE_MC146818_RTC,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(RTCState),
        .instance_init = rtc_init,
        .instance_finalize = rtc_finalize,
        .class_init = rtc_class_init,
    },
};

DEFINE_TYPES(rtc_types)
