/*
 * The PXA255 interrupt controller (PXA255 developer's manual, "System
 * Integration Unit: Interrupt Controller"): 32 level-sensitive sources,
 * a mask (ICMR), an IRQ/FIQ selection per source (ICLR) and the pending
 * views ICPR (every active source), ICIP and ICFP (unmasked sources going
 * to IRQ and to FIQ).  The CPU's IRQ and FIQ inputs are recomputed on
 * every change of a source or a register.
 *
 * Not on the PXA255, so not modelled: the priority registers IPR0-31 and
 * ICHP (PXA27x), the second bank of sources (PXA27x), and access to these
 * registers through XScale coprocessor 6 (PXA27x Linux uses it; PXA255
 * software uses the memory-mapped registers).
 *
 * ICCR.DIM is stored; emu's core wakes from idle (CP14 PWRMODE) on an
 * IRQ or FIQ input, so only unmasked sources end idle, which is what
 * DIM = 1 asks for.  With DIM = 0 the hardware would also wake on masked
 * sources; firmware leaves idle through an unmasked one in practice.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa.h"

#define PXA2XX_PIC_MMIO_SIZE 0x100000

enum {
    ICIP = 0x00,
    ICMR = 0x04,
    ICLR = 0x08,
    ICFP = 0x0c,
    ICPR = 0x10,
    ICCR = 0x14,
};

#define ICCR_DIM 1u

typedef struct PXA2xxPICState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *out[2];             /* PXA2XX_PIC_OUT_IRQ, _FIQ */
    uint32_t level;              /* the source wires: ICPR */
    uint32_t icmr;
    uint32_t iclr;
    uint32_t iccr;
} PXA2xxPICState;

#define PXA2XX_PIC(obj) INSTANCE_CAST(PXA2xxPICState, (obj), TYPE_PXA2XX_PIC)

static void pxa2xx_pic_update(PXA2xxPICState *s)
{
    uint32_t active = s->level & s->icmr;

    irq_set_level(s->out[PXA2XX_PIC_OUT_IRQ], (active & ~s->iclr) != 0);
    irq_set_level(s->out[PXA2XX_PIC_OUT_FIQ], (active & s->iclr) != 0);
}

static void pxa2xx_pic_set_source(void *opaque, int n, int level)
{
    PXA2xxPICState *s = PXA2XX_PIC(opaque);

    if (level) {
        s->level |= 1u << n;
    } else {
        s->level &= ~(1u << n);
    }
    pxa2xx_pic_update(s);
}

static uint64_t pxa2xx_pic_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxPICState *s = PXA2XX_PIC(opaque);

    switch (addr) {
    case ICIP:
        return s->level & s->icmr & ~s->iclr;
    case ICMR:
        return s->icmr;
    case ICLR:
        return s->iclr;
    case ICFP:
        return s->level & s->icmr & s->iclr;
    case ICPR:
        return s->level;
    case ICCR:
        return s->iccr;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-pic: read of unknown register "
                     "0x%" PRIx64 " (ICHP/IPR are PXA27x only)\n", addr);
        return 0;
    }
}

static void pxa2xx_pic_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    PXA2xxPICState *s = PXA2XX_PIC(opaque);

    switch (addr) {
    case ICMR:
        s->icmr = value;
        break;
    case ICLR:
        s->iclr = value;
        break;
    case ICCR:
        s->iccr = value & ICCR_DIM;
        break;
    case ICIP:
    case ICFP:
    case ICPR:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-pic: write to read-only "
                     "register 0x%" PRIx64 "\n", addr);
        return;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-pic: write of 0x%" PRIx64
                     " to unknown register 0x%" PRIx64
                     " (ICHP/IPR are PXA27x only)\n", value, addr);
        return;
    }
    pxa2xx_pic_update(s);
}

static const MemoryRegionOps pxa2xx_pic_ops = {
    .read = pxa2xx_pic_read,
    .write = pxa2xx_pic_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* The registers clear; the source wires keep their levels (their owners
 * lower them when they reset). */
static void pxa2xx_pic_reset(DeviceState *dev)
{
    PXA2xxPICState *s = PXA2XX_PIC(dev);

    s->icmr = 0;
    s->iclr = 0;
    s->iccr = 0;
    pxa2xx_pic_update(s);
}

static void pxa2xx_pic_instance_init(Object *obj)
{
    PXA2xxPICState *s = PXA2XX_PIC(obj);

    memory_region_init_io(&s->iomem, obj, &pxa2xx_pic_ops, s, "pxa2xx-pic",
                          PXA2XX_PIC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    qdev_init_gpio_in(DEVICE(obj), pxa2xx_pic_set_source,
                      PXA2XX_PIC_SOURCES);
    qdev_init_gpio_out(DEVICE(obj), s->out, ARRAY_SIZE(s->out));
}

static void pxa2xx_pic_finalize(Object *obj)
{
    memory_region_destroy(&PXA2XX_PIC(obj)->iomem);
}

static void pxa2xx_pic_class_init(ObjectClass *klass)
{
    klass->desc = "PXA255 interrupt controller";
    DEVICE_CLASS(klass)->reset = pxa2xx_pic_reset;
}

static const TypeInfo pxa2xx_pic_types[] = {
    {
        .name = TYPE_PXA2XX_PIC,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxPICState),
        .instance_init = pxa2xx_pic_instance_init,
        .instance_finalize = pxa2xx_pic_finalize,
        .class_init = pxa2xx_pic_class_init,
    },
};

DEFINE_TYPES(pxa2xx_pic_types)
