/*
 * The PXA255 I2S controller (Intel PXA255 Developer's Manual, chapter
 * 14) with no codec: the control registers keep what the guest writes,
 * samples written to SADR are discarded (logged once under -d unimp)
 * and the receive FIFO stays empty, so there is never an underrun or
 * overrun to report.  SASR0 shows an idle controller:
 * I2SOFF while SACR0.ENB is clear, the transmit FIFO never full (TNF)
 * and, while enabled, always below its threshold (TFS).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

#define I2S_MMIO_SIZE 0x100000

enum {
    SACR0 = 0x00,
    SACR1 = 0x04,
    SASR0 = 0x0c,
    SAIMR = 0x14,
    SAICR = 0x18,
    SADIV = 0x60,
    SADR  = 0x80,
};

#define SACR0_ENB     (1u << 0)
#define SACR0_MASK    0xff3d     /* ENB, BCKD, RST, EFWR, STRF, TFTH, RFTH */
#define SACR0_RESET   0x7700     /* TFTH = RFTH = 7 */
#define SACR1_MASK    0x39       /* AMSL, DREC, DRPL, ENLBF */
#define SADIV_MASK    0x7f
#define SADIV_RESET   0x1a

#define SASR0_TNF     (1u << 0)
#define SASR0_RNE     (1u << 1)
#define SASR0_BSY     (1u << 2)
#define SASR0_TFS     (1u << 3)
#define SASR0_RFS     (1u << 4)
#define SASR0_TUR     (1u << 5)
#define SASR0_ROR     (1u << 6)
#define SASR0_I2SOFF  (1u << 7)
#define SAIMR_MASK    (SASR0_TFS | SASR0_RFS | SASR0_TUR | SASR0_ROR)

typedef struct PXA2xxI2SState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *irq;
    uint32_t sacr0;
    uint32_t sacr1;
    uint32_t saimr;
    uint32_t sadiv;
    bool tx_logged;
} PXA2xxI2SState;

#define PXA2XX_I2S(obj) INSTANCE_CAST(PXA2xxI2SState, (obj), TYPE_PXA2XX_I2S)

static uint32_t i2s_status(const PXA2xxI2SState *s)
{
    uint32_t sasr0 = SASR0_TNF;

    if (s->sacr0 & SACR0_ENB) {
        sasr0 |= SASR0_TFS;
    } else {
        sasr0 |= SASR0_I2SOFF;
    }
    return sasr0;
}

static void i2s_update_irq(PXA2xxI2SState *s)
{
    irq_set_level(s->irq, (i2s_status(s) & s->saimr) != 0);
}

static uint64_t i2s_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxI2SState *s = opaque;

    switch (addr) {
    case SACR0:
        return s->sacr0;
    case SACR1:
        return s->sacr1;
    case SASR0:
        return i2s_status(s);
    case SAIMR:
        return s->saimr;
    case SAICR:
        return 0;                /* write-only */
    case SADIV:
        return s->sadiv;
    case SADR:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2s: read of SADR with the "
                     "receive FIFO empty\n");
        return 0;
    }
    emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2s: read of offset 0x%" PRIx64
                 ", which has no register\n", addr);
    return 0;
}

static void i2s_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    PXA2xxI2SState *s = opaque;

    switch (addr) {
    case SACR0:
        s->sacr0 = value & SACR0_MASK;
        break;
    case SACR1:
        s->sacr1 = value & SACR1_MASK;
        break;
    case SASR0:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2s: write 0x%" PRIx64 " to "
                     "read-only SASR0 (clear errors through SAICR)\n",
                     value);
        return;
    case SAIMR:
        s->saimr = value & SAIMR_MASK;
        break;
    case SAICR:
        return;                  /* clears TUR/ROR, which never happen */
    case SADIV:
        s->sadiv = value & SADIV_MASK;
        break;
    case SADR:
        if (!s->tx_logged) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-i2s: no codec: audio samples "
                         "written to SADR are discarded\n");
            s->tx_logged = true;
        }
        return;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2s: write 0x%" PRIx64 " to "
                     "offset 0x%" PRIx64 ", which has no register\n", value,
                     addr);
        return;
    }
    i2s_update_irq(s);
}

static const MemoryRegionOps i2s_ops = {
    .read = i2s_read,
    .write = i2s_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void i2s_reset(DeviceState *dev)
{
    PXA2xxI2SState *s = PXA2XX_I2S(dev);

    s->sacr0 = SACR0_RESET;
    s->sacr1 = 0;
    s->saimr = 0;
    s->sadiv = SADIV_RESET;
    irq_set_level(s->irq, 0);
}

static void i2s_init(Object *obj)
{
    PXA2xxI2SState *s = PXA2XX_I2S(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool i2s_realize(DeviceState *dev, Error **errp)
{
    PXA2xxI2SState *s = PXA2XX_I2S(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &i2s_ops, s, "pxa2xx-i2s",
                          I2S_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    i2s_reset(dev);
    return true;
}

static void i2s_unrealize(DeviceState *dev)
{
    memory_region_destroy(&PXA2XX_I2S(dev)->mmio);
}

static void i2s_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void i2s_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 I2S controller (no codec)";
    dc->realize = i2s_realize;
    dc->unrealize = i2s_unrealize;
    dc->reset = i2s_reset;
}

static const TypeInfo i2s_types[] = {
    {
        .name = TYPE_PXA2XX_I2S,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxI2SState),
        .instance_init = i2s_init,
        .instance_finalize = i2s_finalize,
        .class_init = i2s_class_init,
    },
};

DEFINE_TYPES(i2s_types)
