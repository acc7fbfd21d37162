/*
 * The ARM PrimeCell real time clock (PL031, ARM DDI 0224): a seconds
 * counter and a match register that interrupts when the counter reaches
 * it.  As QEMU 7.2's model the counter starts at the host's time (UTC)
 * and then follows the virtual clock, so it stops with the machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/rtc/pl031.h"
#include "hw/sysbus.h"
#include "sysemu/timer.h"

#define RTC_DR 0x00              /* data: the counter */
#define RTC_MR 0x04              /* match */
#define RTC_LR 0x08              /* load */
#define RTC_CR 0x0c              /* control: bit 0 starts it */
#define RTC_IMSC 0x10
#define RTC_RIS 0x14
#define RTC_MIS 0x18
#define RTC_ICR 0x1c

typedef struct PL031State {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *irq;
    EmuTimer *timer;
    /* The counter is tick_offset + the virtual clock in seconds. */
    uint32_t tick_offset;
    uint32_t mr, lr, im, is;
} PL031State;

#define PL031(obj) INSTANCE_CAST(PL031State, (obj), TYPE_PL031)

/* PrimeCell peripheral and cell IDs at 0xfe0: part 0x031, ARM. */
static const uint8_t pl031_id[8] = {
    0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static uint32_t pl031_virtual_seconds(void)
{
    return clock_virtual_ns() / NANOSECONDS_PER_SECOND;
}

static uint32_t pl031_count(PL031State *s)
{
    return s->tick_offset + pl031_virtual_seconds();
}

static void pl031_update(PL031State *s)
{
    irq_set_level(s->irq, (s->is & s->im) != 0);
}

/* Arms the timer for the second the counter reaches the match value. */
static void pl031_arm_alarm(PL031State *s)
{
    uint32_t ticks = s->mr - pl031_count(s);
    int64_t now = clock_virtual_ns();
    int64_t second = now - now % NANOSECONDS_PER_SECOND;

    timer_mod(s->timer, second + (int64_t)ticks * NANOSECONDS_PER_SECOND);
}

static void pl031_alarm(void *opaque)
{
    PL031State *s = opaque;

    s->is = 1;
    pl031_update(s);
}

static uint64_t pl031_read(void *opaque, hwaddr offset, unsigned size)
{
    PL031State *s = opaque;

    if (offset >= 0xfe0 && offset < 0x1000) {
        return pl031_id[(offset - 0xfe0) >> 2];
    }
    switch (offset) {
    case RTC_DR:
        return pl031_count(s);
    case RTC_MR:
        return s->mr;
    case RTC_LR:
        return s->lr;
    case RTC_CR:
        return 1;                /* the clock always runs, as in QEMU */
    case RTC_IMSC:
        return s->im;
    case RTC_RIS:
        return s->is;
    case RTC_MIS:
        return s->is & s->im;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pl031: read of offset 0x%x\n",
                     (unsigned)offset);
        return 0;
    }
}

static void pl031_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL031State *s = opaque;

    switch (offset) {
    case RTC_LR:
        s->lr = value;
        s->tick_offset = value - pl031_virtual_seconds();
        pl031_arm_alarm(s);
        break;
    case RTC_MR:
        s->mr = value;
        pl031_arm_alarm(s);
        break;
    case RTC_CR:
        break;                   /* it cannot be stopped */
    case RTC_IMSC:
        s->im = value & 1;
        pl031_update(s);
        break;
    case RTC_ICR:
        s->is &= ~value;
        pl031_update(s);
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pl031: write of offset 0x%x\n",
                     (unsigned)offset);
        break;
    }
}

static const MemoryRegionOps pl031_ops = {
    .read = pl031_read,
    .write = pl031_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    /*
     * The registers are words, but software may read bytes of them:
     * EDK2's PL031 driver checks the PrimeCell ID a byte at a time
     * (QEMU takes any size too).
     */
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void pl031_reset(DeviceState *dev)
{
    PL031State *s = PL031(dev);

    s->mr = s->lr = s->im = s->is = 0;
    timer_del(s->timer);
    pl031_update(s);
}

static void pl031_instance_init(Object *obj)
{
    PL031State *s = PL031(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool pl031_realize(DeviceState *dev, Error **errp)
{
    PL031State *s = PL031(dev);

    s->tick_offset = g_get_real_time() / G_USEC_PER_SEC -
                     pl031_virtual_seconds();
    s->timer = timer_new_virtual(pl031_alarm, s);
    memory_region_init_io(&s->iomem, OBJECT(dev), &pl031_ops, s, "pl031",
                          0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    pl031_reset(dev);
    return true;
}

static void pl031_unrealize(DeviceState *dev)
{
    PL031State *s = PL031(dev);

    timer_free(s->timer);
    memory_region_destroy(&s->iomem);
}

static void pl031_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void pl031_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "ARM PrimeCell PL031 RTC";
    dc->realize = pl031_realize;
    dc->unrealize = pl031_unrealize;
    dc->reset = pl031_reset;
}

static const TypeInfo pl031_types[] = {
    {
        .name = TYPE_PL031,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PL031State),
        .instance_init = pl031_instance_init,
        .class_init = pl031_class_init,
        .instance_finalize = pl031_finalize,
    },
};

DEFINE_TYPES(pl031_types)
