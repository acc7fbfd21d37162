/*
 * The GICv2m MSI frame (see include/hw/intc/arm_gicv2m.h).  Registers
 * as the SBSA describes them and QEMU 7.2 models them:
 *
 *   0x008 MSI_TYPER      read-only: the first SPI's interrupt ID in bits
 *                        25:16, the number of SPIs in bits 9:0;
 *   0x040 MSI_SETSPI_NS  write-only: the interrupt ID written is raised
 *                        (an edge: the driver configures these SPIs as
 *                        edge-triggered); an ID outside the frame's range
 *                        is ignored;
 *   0xfcc MSI_IIDR       QEMU's product ID (0x51, 'Q') in bits 31:20;
 *   0xfd0-0xffc          the ID registers, zero: no optional features.
 *
 * Linux's irq-gic-v2m driver finds the frame through the device tree's
 * "arm,gic-v2m-frame" node and gives PCI functions the address of
 * MSI_SETSPI_NS as their MSI or MSI-X address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/intc/arm_gicv2m.h"
#include "hw/sysbus.h"

#define V2M_MSI_TYPER     0x008
#define V2M_MSI_SETSPI_NS 0x040
#define V2M_MSI_IIDR      0xfcc
#define V2M_IIDR0         0xfd0
#define V2M_IIDR11        0xffc
#define V2M_FRAME_SIZE    0x1000

#define PRODUCT_ID_QEMU 0x51     /* 'Q', as QEMU's frame answers */
#define GIC_INTERNAL_IDS 32      /* SGIs and PPIs come before the SPIs */
#define GIC_MAX_ID 1020          /* 1020-1023 are special */

typedef struct ARMGICv2mState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *spi[GICV2M_NUM_SPI_MAX];
    uint32_t base_spi;           /* property: SPI number, ID - 32 */
    uint32_t num_spi;            /* property */
} ARMGICv2mState;

#define ARM_GICV2M(obj) INSTANCE_CAST(ARMGICv2mState, (obj), TYPE_ARM_GICV2M)

static uint64_t gicv2m_read(void *opaque, hwaddr offset, unsigned size)
{
    ARMGICv2mState *s = opaque;

    switch (offset) {
    case V2M_MSI_TYPER:
        return ((s->base_spi + GIC_INTERNAL_IDS) << 16) | s->num_spi;
    case V2M_MSI_IIDR:
        /* No implementer code of its own, architecture revision 0. */
        return PRODUCT_ID_QEMU << 20;
    case V2M_IIDR0 ... V2M_IIDR11:
        return 0;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "gicv2m_read: Bad offset %x\n",
                     (unsigned)offset);
        return 0;
    }
}

static void gicv2m_write(void *opaque, hwaddr offset, uint64_t value,
                         unsigned size)
{
    ARMGICv2mState *s = opaque;

    if (offset == V2M_MSI_SETSPI_NS) {
        /* The interrupt ID in bits 9:0, made an index into our lines. */
        int spi = (int)(value & 0x3ff) - (int)(s->base_spi +
                                               GIC_INTERNAL_IDS);

        if (spi >= 0 && (uint32_t)spi < s->num_spi) {
            irq_pulse(s->spi[spi]);
        }
        return;
    }
    emu_log_mask(LOG_GUEST_ERROR, "gicv2m_write: Bad offset %x\n",
                 (unsigned)offset);
}

static const MemoryRegionOps gicv2m_ops = {
    .read = gicv2m_read,
    .write = gicv2m_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    /* A PCI function's message is a 32-bit write; the frame takes the
     * 16-bit ones QEMU's does too. */
    .valid = { .min_access_size = 2, .max_access_size = 4 },
};

static bool gicv2m_realize(DeviceState *dev, Error **errp)
{
    ARMGICv2mState *s = ARM_GICV2M(dev);

    if (s->num_spi > GICV2M_NUM_SPI_MAX) {
        error_setg(errp, "requested %u SPIs exceeds GICv2m frame maximum %d",
                   s->num_spi, GICV2M_NUM_SPI_MAX);
        return false;
    }
    if (s->base_spi + GIC_INTERNAL_IDS > GIC_MAX_ID - s->num_spi) {
        error_setg(errp, "requested base SPI %u+%u exceeds max. number %d",
                   s->base_spi, s->num_spi, GIC_MAX_ID);
        return false;
    }
    memory_region_init_io(&s->iomem, OBJECT(dev), &gicv2m_ops, s, "gicv2m",
                          V2M_FRAME_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    /* Outputs only (up to 128: more than a sysbus device's lines). */
    qdev_init_gpio_out(dev, s->spi, s->num_spi);
    return true;
}

static void gicv2m_unrealize(DeviceState *dev)
{
    memory_region_destroy(&ARM_GICV2M(dev)->iomem);
}

static void gicv2m_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property gicv2m_properties[] = {
    DEFINE_PROP_UINT("base-spi", ARMGICv2mState, base_spi, 0,
                     "the first SPI of the frame (interrupt ID - 32)"),
    DEFINE_PROP_UINT("num-spi", ARMGICv2mState, num_spi, 64,
                     "how many SPIs, at most 128"),
};

static void gicv2m_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "GICv2m MSI frame";
    dc->realize = gicv2m_realize;
    dc->unrealize = gicv2m_unrealize;
    class_add_properties(klass, gicv2m_properties,
                         ARRAY_SIZE(gicv2m_properties));
}

static const TypeInfo gicv2m_types[] = {
    {
        .name = TYPE_ARM_GICV2M,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(ARMGICv2mState),
        .instance_finalize = gicv2m_finalize,
        .class_init = gicv2m_class_init,
    },
};

DEFINE_TYPES(gicv2m_types)
