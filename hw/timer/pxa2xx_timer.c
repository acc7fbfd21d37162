/*
 * The PXA255 operating-system timers (PXA255 developer's manual, "OS
 * Timers"): a 32-bit counter OSCR running at 3.6864 MHz, four match
 * registers OSMR0-3, match status OSSR (write 1 to clear), interrupt
 * enables OIER and the watchdog enable OWER (OSMR3 match resets the
 * machine).
 *
 * The counter is worked out from the virtual clock, never ticked:
 * OSCR = offset + elapsed ns * freq / 1e9, and a write to OSCR sets the
 * offset.  Each enabled match has a virtual-clock timer armed for the
 * exact moment the counter reaches it, wrapping at 2^32 like the
 * hardware.  Interrupt line n is high while OSSR bit n and OIER bit n
 * are both set.  The PXA27x additions (OSCR4-11, OMCR) are not on the
 * PXA255.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"

#define PXA2XX_OST_MMIO_SIZE 0x1000
#define PXA2XX_OST_MATCHES 4

enum {
    OSMR0 = 0x00,                /* OSMR1..3 follow, 4 bytes apart */
    OSCR = 0x10,
    OSSR = 0x14,
    OWER = 0x18,
    OIER = 0x1c,
};

#define OWER_WME 1u

typedef struct PXA2xxOSTState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *out[PXA2XX_OST_MATCHES + 1];    /* matches, then watchdog */
    EmuTimer *timer[PXA2XX_OST_MATCHES];
    uint32_t freq;               /* counter rate, Hz */
    uint32_t osmr[PXA2XX_OST_MATCHES];
    uint32_t ossr;
    uint32_t oier;
    uint32_t ower;
    /* OSCR = count_base + ticks since base_ns */
    uint32_t count_base;
    int64_t base_ns;
} PXA2xxOSTState;

#define PXA2XX_OST(obj) INSTANCE_CAST(PXA2xxOSTState, (obj), TYPE_PXA25X_TIMER)

/* Whole ticks between base_ns and now (now >= base_ns). */
static uint64_t pxa2xx_ost_ticks(PXA2xxOSTState *s, int64_t now)
{
    return (uint64_t)((unsigned __int128)(now - s->base_ns) * s->freq /
                      NANOSECONDS_PER_SECOND);
}

static uint32_t pxa2xx_ost_count(PXA2xxOSTState *s, int64_t now)
{
    return s->count_base + (uint32_t)pxa2xx_ost_ticks(s, now);
}

static void pxa2xx_ost_update_irqs(PXA2xxOSTState *s)
{
    for (int n = 0; n < PXA2XX_OST_MATCHES; n++) {
        irq_set_level(s->out[n], (s->ossr & s->oier) >> n & 1);
    }
}

static bool pxa2xx_ost_match_armed(PXA2xxOSTState *s, int n)
{
    return (s->oier >> n & 1) || (n == 3 && (s->ower & OWER_WME));
}

/*
 * Arms match n for the next time the counter equals OSMRn, seen from
 * now: within 2^32 ticks; an OSMR equal to the counter now is next
 * reached after a full wrap.
 */
static void pxa2xx_ost_schedule(PXA2xxOSTState *s, int n, int64_t now)
{
    uint64_t elapsed, target;
    uint32_t delta;

    if (!pxa2xx_ost_match_armed(s, n)) {
        timer_del(s->timer[n]);
        return;
    }
    elapsed = pxa2xx_ost_ticks(s, now);
    delta = s->osmr[n] - (s->count_base + (uint32_t)elapsed);
    target = elapsed + (delta ? delta : 1ull << 32);
    /* The first nanosecond at which target whole ticks have passed. */
    timer_mod(s->timer[n], s->base_ns +
              (int64_t)(((unsigned __int128)target * NANOSECONDS_PER_SECOND +
                         s->freq - 1) / s->freq));
}

static void pxa2xx_ost_schedule_all(PXA2xxOSTState *s)
{
    int64_t now = clock_virtual_ns();

    for (int n = 0; n < PXA2XX_OST_MATCHES; n++) {
        pxa2xx_ost_schedule(s, n, now);
    }
}

static void pxa2xx_ost_match(PXA2xxOSTState *s, int n)
{
    if (s->oier >> n & 1) {
        s->ossr |= 1u << n;
        pxa2xx_ost_update_irqs(s);
    }
    if (n == 3 && (s->ower & OWER_WME)) {
        irq_pulse(s->out[PXA2XX_OST_OUT_WATCHDOG]);
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
    /* The counter wraps and meets the same OSMR again 2^32 ticks on. */
    pxa2xx_ost_schedule(s, n, timer_expire_time(s->timer[n]));
}

static void pxa2xx_ost_tick0(void *opaque) { pxa2xx_ost_match(opaque, 0); }
static void pxa2xx_ost_tick1(void *opaque) { pxa2xx_ost_match(opaque, 1); }
static void pxa2xx_ost_tick2(void *opaque) { pxa2xx_ost_match(opaque, 2); }
static void pxa2xx_ost_tick3(void *opaque) { pxa2xx_ost_match(opaque, 3); }

static uint64_t pxa2xx_ost_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxOSTState *s = PXA2XX_OST(opaque);

    switch (addr) {
    case OSMR0 ... OSMR0 + 0xc:
        return s->osmr[addr >> 2];
    case OSCR:
        return pxa2xx_ost_count(s, clock_virtual_ns());
    case OSSR:
        return s->ossr;
    case OWER:
        return s->ower;
    case OIER:
        return s->oier;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa25x-timer: read of unknown "
                     "register 0x%" PRIx64 "\n", addr);
        return 0;
    }
}

static void pxa2xx_ost_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    PXA2xxOSTState *s = PXA2XX_OST(opaque);

    switch (addr) {
    case OSMR0 ... OSMR0 + 0xc:
        s->osmr[addr >> 2] = value;
        pxa2xx_ost_schedule(s, addr >> 2, clock_virtual_ns());
        return;
    case OSCR:
        s->count_base = value;
        s->base_ns = clock_virtual_ns();
        pxa2xx_ost_schedule_all(s);
        return;
    case OSSR:
        s->ossr &= ~(uint32_t)value;
        pxa2xx_ost_update_irqs(s);
        return;
    case OWER:
        /* WME can be set, not cleared: only a reset clears it. */
        s->ower |= value & OWER_WME;
        pxa2xx_ost_schedule(s, 3, clock_virtual_ns());
        return;
    case OIER:
        s->oier = value & 0xf;
        pxa2xx_ost_update_irqs(s);
        pxa2xx_ost_schedule_all(s);
        return;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa25x-timer: write of 0x%" PRIx64
                     " to unknown register 0x%" PRIx64 "\n", value, addr);
        return;
    }
}

static const MemoryRegionOps pxa2xx_ost_ops = {
    .read = pxa2xx_ost_read,
    .write = pxa2xx_ost_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void pxa2xx_ost_reset(DeviceState *dev)
{
    PXA2xxOSTState *s = PXA2XX_OST(dev);

    memset(s->osmr, 0, sizeof(s->osmr));
    s->ossr = 0;
    s->oier = 0;
    s->ower = 0;
    s->count_base = 0;
    s->base_ns = clock_virtual_ns();
    for (int n = 0; n < PXA2XX_OST_MATCHES; n++) {
        timer_del(s->timer[n]);
    }
    pxa2xx_ost_update_irqs(s);
}

static bool pxa2xx_ost_realize(DeviceState *dev, Error **errp)
{
    PXA2xxOSTState *s = PXA2XX_OST(dev);
    static const EmuTimerCB ticks[PXA2XX_OST_MATCHES] = {
        pxa2xx_ost_tick0, pxa2xx_ost_tick1, pxa2xx_ost_tick2,
        pxa2xx_ost_tick3,
    };

    if (s->freq == 0) {
        error_setg(errp, "pxa25x-timer: freq must be at least 1 Hz "
                   "(the PXA255 runs it at 3686400)");
        return false;
    }
    for (int n = 0; n < PXA2XX_OST_MATCHES; n++) {
        s->timer[n] = timer_new_virtual(ticks[n], s);
    }
    memory_region_init_io(&s->iomem, OBJECT(dev), &pxa2xx_ost_ops, s,
                          "pxa2xx-timer", PXA2XX_OST_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    s->base_ns = clock_virtual_ns();
    return true;
}

static void pxa2xx_ost_instance_init(Object *obj)
{
    PXA2xxOSTState *s = PXA2XX_OST(obj);

    qdev_init_gpio_out(DEVICE(obj), s->out, ARRAY_SIZE(s->out));
}

static void pxa2xx_ost_finalize(Object *obj)
{
    PXA2xxOSTState *s = PXA2XX_OST(obj);

    if (DEVICE(obj)->realized) {
        for (int n = 0; n < PXA2XX_OST_MATCHES; n++) {
            timer_free(s->timer[n]);
        }
        memory_region_destroy(&s->iomem);
    }
}

static const Property pxa2xx_ost_properties[] = {
    DEFINE_PROP_UINT("freq", PXA2xxOSTState, freq, 3686400,
                     "OSCR rate in Hz"),
};

static void pxa2xx_ost_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA25x OS timers and watchdog";
    dc->realize = pxa2xx_ost_realize;
    dc->reset = pxa2xx_ost_reset;
    class_add_properties(klass, pxa2xx_ost_properties,
                         ARRAY_SIZE(pxa2xx_ost_properties));
}

static const TypeInfo pxa2xx_ost_types[] = {
    {
        .name = TYPE_PXA25X_TIMER,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxOSTState),
        .instance_init = pxa2xx_ost_instance_init,
        .instance_finalize = pxa2xx_ost_finalize,
        .class_init = pxa2xx_ost_class_init,
    },
};

DEFINE_TYPES(pxa2xx_ost_types)
