/*
 * The ARM PrimeCell GPIO (PL061, ARM DDI 0190): eight lines, each an
 * input or an output (GPIODIR), with interrupts on an edge, both edges
 * or a level of an input (GPIOIS/GPIOIBE/GPIOIEV), masked by GPIOIE and
 * cleared through GPIOIC.  The data register sits at 256 addresses: bits
 * 9:2 of the address say which lines a read returns or a write changes,
 * which is how Linux's pl061 driver touches one line with one byte
 * access.
 *
 * As QEMU 7.2's model (the one its virt board has): a line that is an
 * input and that nothing drives reads as its pull-up or pull-down (the
 * "pullups" and "pulldowns" properties, one bit per line; a line in
 * neither floats and keeps the level it had), edges are detected on
 * inputs only, the level of an active level-sensitive input stays
 * latched in GPIORIS until GPIOIC clears it, and the hardware mode
 * select (GPIOAFSEL) is stored only.
 *
 * Pins: gpio-in N = the level the board drives on line N (heard while
 * the line is an input); gpio-out N = the level of line N as an output
 * or through its pull; sysbus IRQ 0 = GPIOINTR.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/gpio/pl061.h"
#include "hw/sysbus.h"

#define PL061_LINES 8
#define PL061_LINE_MASK 0xff

#define GPIODATA_END 0x400       /* 0x000-0x3fc: data, masked by addr */
#define GPIODIR 0x400
#define GPIOIS 0x404
#define GPIOIBE 0x408
#define GPIOIEV 0x40c
#define GPIOIE 0x410
#define GPIORIS 0x414
#define GPIOMIS 0x418
#define GPIOIC 0x41c
#define GPIOAFSEL 0x420
#define GPIO_ID_START 0xfd0      /* 0xfd0-0xfdc read as zero, then IDs */

typedef struct PL061State {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *irq;
    IRQLine *out[PL061_LINES];
    uint32_t pullups, pulldowns; /* properties */
    uint8_t data;                /* output latches and input levels */
    uint8_t driven_out;          /* what gpio-out N last said */
    uint8_t last_in;             /* input levels at the last update */
    uint8_t dir, is, ibe, iev, ie, ris, afsel;
} PL061State;

#define PL061(obj) INSTANCE_CAST(PL061State, (obj), TYPE_PL061)

/* PrimeCell peripheral and cell IDs: part 0x061, ARM, revision 1. */
static const uint8_t pl061_id[12] = {
    0x00, 0x00, 0x00, 0x00, 0x61, 0x10, 0x04, 0x00,
    0x0d, 0xf0, 0x05, 0xb1,
};

/* Inputs pulled neither way: they keep the level last seen on them. */
static uint8_t pl061_floating(PL061State *s)
{
    return ~(s->pullups | s->pulldowns) & ~s->dir;
}

/* Drives the output lines that changed, then latches the interrupts
 * the inputs' changes and levels raise, and updates GPIOINTR. */
static void pl061_update(PL061State *s)
{
    uint8_t out = (s->data & s->dir) | (s->pullups & ~s->dir) |
                  (s->driven_out & pl061_floating(s));
    uint8_t changed = out ^ s->driven_out;
    uint8_t in_changed = (s->data ^ s->last_in) & ~s->dir;
    uint8_t matches_iev = ~(s->data ^ s->iev);

    s->driven_out = out;
    for (int i = 0; i < PL061_LINES; i++) {
        if (changed & (1u << i)) {
            irq_set_level(s->out[i], (out >> i) & 1);
        }
    }
    if (in_changed) {
        uint8_t edge = in_changed & ~s->is;

        s->last_in = s->data;
        /* Both edges, or the one GPIOIEV names (1: rising). */
        s->ris |= edge & (s->ibe | matches_iev);
    }
    s->ris |= matches_iev & s->is;
    irq_set_level(s->irq, (s->ris & s->ie) != 0);
}

static uint64_t pl061_read(void *opaque, hwaddr offset, unsigned size)
{
    PL061State *s = opaque;

    if (offset < GPIODATA_END) {
        return s->data & (offset >> 2);
    }
    if (offset >= GPIO_ID_START && offset < 0x1000) {
        return pl061_id[(offset - GPIO_ID_START) >> 2];
    }
    switch (offset) {
    case GPIODIR:
        return s->dir;
    case GPIOIS:
        return s->is;
    case GPIOIBE:
        return s->ibe;
    case GPIOIEV:
        return s->iev;
    case GPIOIE:
        return s->ie;
    case GPIORIS:
        return s->ris;
    case GPIOMIS:
        return s->ris & s->ie;
    case GPIOAFSEL:
        return s->afsel;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pl061: read of offset 0x%x\n",
                     (unsigned)offset);
        return 0;
    }
}

static void pl061_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL061State *s = opaque;

    if (offset < GPIODATA_END) {
        /* Only the addressed lines, and of those only the outputs. */
        uint8_t mask = (offset >> 2) & s->dir;

        s->data = (s->data & ~mask) | (value & mask);
        pl061_update(s);
        return;
    }
    switch (offset) {
    case GPIODIR:
        s->dir = value;
        break;
    case GPIOIS:
        s->is = value;
        break;
    case GPIOIBE:
        s->ibe = value;
        break;
    case GPIOIEV:
        s->iev = value;
        break;
    case GPIOIE:
        s->ie = value;
        break;
    case GPIOIC:
        s->ris &= ~value;
        break;
    case GPIOAFSEL:
        s->afsel = value;
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pl061: write of 0x%" PRIx64
                     " to offset 0x%x\n", value, (unsigned)offset);
        return;
    }
    pl061_update(s);
}

static const MemoryRegionOps pl061_ops = {
    .read = pl061_read,
    .write = pl061_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
};

/* gpio-in: the board drives line n; heard only while it is an input. */
static void pl061_set_input(void *opaque, int line, int level)
{
    PL061State *s = opaque;
    uint8_t mask = 1u << line;

    if (!(s->dir & mask)) {
        s->data = level ? s->data | mask : s->data & ~mask;
        pl061_update(s);
    }
}

/* Every line an input, no interrupt enabled; the pulled lines tell the
 * board their pull's level, the floating ones are left alone. */
static void pl061_reset(DeviceState *dev)
{
    PL061State *s = PL061(dev);
    uint8_t pulled = s->pullups | s->pulldowns;

    s->data = s->last_in = 0;
    s->dir = s->is = s->ibe = s->iev = s->ie = s->ris = s->afsel = 0;
    for (int i = 0; i < PL061_LINES; i++) {
        if (pulled & (1u << i)) {
            irq_set_level(s->out[i], (s->pullups >> i) & 1);
        }
    }
    s->driven_out = s->pullups;
    irq_lower(s->irq);
}

static bool pl061_realize(DeviceState *dev, Error **errp)
{
    PL061State *s = PL061(dev);

    if (s->pullups > PL061_LINE_MASK || s->pulldowns > PL061_LINE_MASK) {
        error_setg(errp, "pl061: pullups=0x%x, pulldowns=0x%x: the PL061 "
                   "has 8 lines (0 to 0xff)", s->pullups, s->pulldowns);
        return false;
    }
    if (s->pullups & s->pulldowns) {
        error_setg(errp, "pl061: lines 0x%x are in both pullups and "
                   "pulldowns", s->pullups & s->pulldowns);
        return false;
    }
    memory_region_init_io(&s->iomem, OBJECT(dev), &pl061_ops, s, "pl061",
                          0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    return true;
}

static void pl061_instance_init(Object *obj)
{
    PL061State *s = PL061(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_in(DEVICE(obj), pl061_set_input, PL061_LINES);
    qdev_init_gpio_out(DEVICE(obj), s->out, PL061_LINES);
}

static void pl061_finalize(Object *obj)
{
    if (DEVICE(obj)->realized) {
        memory_region_destroy(&PL061(obj)->iomem);
    }
}

static const Property pl061_properties[] = {
    DEFINE_PROP_UINT("pullups", PL061State, pullups, PL061_LINE_MASK,
                     "lines pulled up to 1 while inputs (a bit each)"),
    DEFINE_PROP_UINT("pulldowns", PL061State, pulldowns, 0,
                     "lines pulled down to 0 while inputs (a bit each)"),
};

static void pl061_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "ARM PrimeCell PL061 GPIO";
    dc->realize = pl061_realize;
    dc->reset = pl061_reset;
    class_add_properties(klass, pl061_properties,
                         ARRAY_SIZE(pl061_properties));
}

static const TypeInfo pl061_types[] = {
    {
        .name = TYPE_PL061,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PL061State),
        .instance_init = pl061_instance_init,
        .class_init = pl061_class_init,
        .instance_finalize = pl061_finalize,
    },
};

DEFINE_TYPES(pl061_types)
