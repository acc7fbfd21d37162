/*
 * The PXA255 real-time clock (PXA255 developer's manual, "Real-Time
 * Clock"): the seconds counter RCNR, the alarm RTAR, the status and
 * enables RTSR (AL and HZ write 1 to clear, ALE and HZE enable) and the
 * trim register RTTR, with the 1 Hz and alarm interrupts.
 *
 * RCNR is the host's UTC time in seconds plus an offset: the guest
 * setting the counter changes the offset, never the host, and the count
 * survives machine resets as a battery-backed clock does.  Because the
 * host keeps the time, RTTR trims nothing; it reads back what was
 * written (until its LCK bit locks it) so firmware that calibrates it
 * finds its value.  While an interrupt is enabled a virtual-clock timer
 * runs just after each host second boundary: it sets HZ (when HZE) and
 * AL (when ALE and RCNR passed RTAR since the last tick, so a tick late
 * because the machine was paused still sees the alarm).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/rtc.h"
#include "util/log.h"
#include "hw/arm/pxa.h"
#include "sysemu/timer.h"

#define PXA2XX_RTC_MMIO_SIZE 0x10000

enum {
    RCNR = 0x00,
    RTAR = 0x04,
    RTSR = 0x08,
    RTTR = 0x0c,
};

#define RTSR_AL  (1u << 0)
#define RTSR_HZ  (1u << 1)
#define RTSR_ALE (1u << 2)
#define RTSR_HZE (1u << 3)
#define RTTR_LCK (1u << 31)
#define RTTR_RESET 0x00007fff        /* divider for a 32.768 kHz crystal */

enum {
    PXA2XX_RTC_OUT_HZ = 0,
    PXA2XX_RTC_OUT_ALARM = 1,
};

typedef struct PXA2xxRTCState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *out[2];
    EmuTimer *timer;             /* next second boundary */
    int64_t offset_s;            /* RCNR - host seconds */
    uint32_t last_rcnr;          /* RCNR at the last tick or write */
    uint32_t rtar;
    uint32_t rtsr;
    uint32_t rttr;
} PXA2xxRTCState;

#define PXA2XX_RTC(obj) INSTANCE_CAST(PXA2xxRTCState, (obj), TYPE_PXA2XX_RTC)

static uint32_t pxa2xx_rtc_rcnr(PXA2xxRTCState *s)
{
    return rtc_date_ns() / NANOSECONDS_PER_SECOND + s->offset_s;
}

static void pxa2xx_rtc_update_irqs(PXA2xxRTCState *s)
{
    irq_set_level(s->out[PXA2XX_RTC_OUT_HZ],
                  (s->rtsr & RTSR_HZ) && (s->rtsr & RTSR_HZE));
    irq_set_level(s->out[PXA2XX_RTC_OUT_ALARM],
                  (s->rtsr & RTSR_AL) && (s->rtsr & RTSR_ALE));
}

/* Runs the timer up to the next host second while an interrupt is on. */
static void pxa2xx_rtc_schedule(PXA2xxRTCState *s)
{
    int64_t us_left;

    if (!(s->rtsr & (RTSR_ALE | RTSR_HZE))) {
        timer_del(s->timer);
        return;
    }
    /* A millisecond late, so that RCNR has surely moved on. */
    us_left = G_USEC_PER_SEC - rtc_date_ns() / 1000 % G_USEC_PER_SEC + 1000;
    timer_mod(s->timer, clock_virtual_ns() + us_left * 1000);
}

static void pxa2xx_rtc_tick(void *opaque)
{
    PXA2xxRTCState *s = PXA2XX_RTC(opaque);
    uint32_t now = pxa2xx_rtc_rcnr(s);

    if (s->rtsr & RTSR_HZE) {
        s->rtsr |= RTSR_HZ;
    }
    /* RTAR in (last_rcnr, now], modulo 2^32 */
    if ((s->rtsr & RTSR_ALE) && (uint32_t)(s->rtar - s->last_rcnr - 1) <
                                (uint32_t)(now - s->last_rcnr)) {
        s->rtsr |= RTSR_AL;
    }
    s->last_rcnr = now;
    pxa2xx_rtc_update_irqs(s);
    pxa2xx_rtc_schedule(s);
}

static uint64_t pxa2xx_rtc_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxRTCState *s = PXA2XX_RTC(opaque);

    switch (addr) {
    case RCNR:
        return pxa2xx_rtc_rcnr(s);
    case RTAR:
        return s->rtar;
    case RTSR:
        return s->rtsr;
    case RTTR:
        return s->rttr;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-rtc: read of unknown register "
                     "0x%" PRIx64 "\n", addr);
        return 0;
    }
}

static void pxa2xx_rtc_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    PXA2xxRTCState *s = PXA2XX_RTC(opaque);

    switch (addr) {
    case RCNR:
        s->offset_s = (int64_t)(uint32_t)value -
                      rtc_date_ns() / NANOSECONDS_PER_SECOND;
        break;
    case RTAR:
        s->rtar = value;
        break;
    case RTSR:
        s->rtsr &= ~(value & (RTSR_AL | RTSR_HZ));
        s->rtsr = (s->rtsr & ~(RTSR_ALE | RTSR_HZE)) |
                  (value & (RTSR_ALE | RTSR_HZE));
        break;
    case RTTR:
        if (s->rttr & RTTR_LCK) {
            emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-rtc: write to RTTR while "
                         "it is locked (LCK)\n");
            return;
        }
        s->rttr = value & (RTTR_LCK | 0x03ffffff);
        return;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-rtc: write of 0x%" PRIx64
                     " to unknown register 0x%" PRIx64 "\n", value, addr);
        return;
    }
    s->last_rcnr = pxa2xx_rtc_rcnr(s);
    pxa2xx_rtc_update_irqs(s);
    pxa2xx_rtc_schedule(s);
}

static const MemoryRegionOps pxa2xx_rtc_ops = {
    .read = pxa2xx_rtc_read,
    .write = pxa2xx_rtc_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* The count (offset) is kept: the clock runs on through resets. */
static void pxa2xx_rtc_reset(DeviceState *dev)
{
    PXA2xxRTCState *s = PXA2XX_RTC(dev);

    s->rtar = 0;
    s->rtsr = 0;
    s->rttr = RTTR_RESET;
    timer_del(s->timer);
    pxa2xx_rtc_update_irqs(s);
}

static void pxa2xx_rtc_instance_init(Object *obj)
{
    PXA2xxRTCState *s = PXA2XX_RTC(obj);

    memory_region_init_io(&s->iomem, obj, &pxa2xx_rtc_ops, s, "pxa2xx-rtc",
                          PXA2XX_RTC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    qdev_init_gpio_out(DEVICE(obj), s->out, ARRAY_SIZE(s->out));
    s->timer = timer_new_virtual(pxa2xx_rtc_tick, s);
}

static void pxa2xx_rtc_finalize(Object *obj)
{
    PXA2xxRTCState *s = PXA2XX_RTC(obj);

    timer_free(s->timer);
    memory_region_destroy(&s->iomem);
}

static void pxa2xx_rtc_class_init(ObjectClass *klass)
{
    klass->desc = "PXA2xx real-time clock";
    DEVICE_CLASS(klass)->reset = pxa2xx_rtc_reset;
}

static const TypeInfo pxa2xx_rtc_types[] = {
    {
        .name = TYPE_PXA2XX_RTC,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxRTCState),
        .instance_init = pxa2xx_rtc_instance_init,
        .instance_finalize = pxa2xx_rtc_finalize,
        .class_init = pxa2xx_rtc_class_init,
    },
};

DEFINE_TYPES(pxa2xx_rtc_types)
