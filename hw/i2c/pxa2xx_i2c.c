/*
 * The PXA255 I2C bus interface units (Intel PXA255 Developer's Manual,
 * chapter 9): the standard unit and the power-manager unit, with nothing
 * on their buses.  As a master the unit sends its bytes and nobody
 * acknowledges: every transmitted byte ends with ITE plus ACKNAK and BED
 * (the bus error a master sees when no slave ACKs); a byte read returns
 * the idle bus, 0xff.  Slave mode never triggers.
 *
 * The window is placed as QEMU places it: prop "size" is the region's
 * size and the registers start at prop "offset" + 0x80 (IBMR), so the
 * standard unit maps its 64 KiB region at 0x40300000 with offset 0x1600
 * and the power unit a 256-byte region at 0x40f00100 with offset 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

/* Register offsets from the unit's base ("offset" + 0x80 is IBMR). */
enum {
    IBMR = 0x80,
    IDBR = 0x88,
    ICR  = 0x90,
    ISR  = 0x98,
    ISAR = 0xa0,
    I2C_REGS_END = 0xa4,
};

#define IBMR_IDLE   0x3          /* SCL and SDA pulled high */

#define ICR_START   (1u << 0)
#define ICR_STOP    (1u << 1)
#define ICR_ACKNAK  (1u << 2)
#define ICR_TB      (1u << 3)
#define ICR_MA      (1u << 4)
#define ICR_IUE     (1u << 6)
#define ICR_ITEIE   (1u << 8)
#define ICR_IRFIE   (1u << 9)
#define ICR_BEIE    (1u << 10)
#define ICR_SSDIE   (1u << 11)
#define ICR_ALDIE   (1u << 12)
#define ICR_SADIE   (1u << 13)
#define ICR_UR      (1u << 14)
#define ICR_MASK    0xffff

#define ISR_RWM     (1u << 0)    /* read mode */
#define ISR_ACKNAK  (1u << 1)    /* NAK seen/sent */
#define ISR_UB      (1u << 2)    /* unit busy */
#define ISR_SSD     (1u << 4)
#define ISR_ALD     (1u << 5)
#define ISR_ITE     (1u << 6)
#define ISR_IRF     (1u << 7)
#define ISR_GCAD    (1u << 8)
#define ISR_SAD     (1u << 9)
#define ISR_BED     (1u << 10)
#define ISR_W1C     (ISR_SSD | ISR_ALD | ISR_ITE | ISR_IRF | ISR_GCAD | \
                     ISR_SAD | ISR_BED)

typedef struct PXA2xxI2CState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *irq;
    uint32_t size;               /* properties */
    uint32_t offset;
    uint8_t idbr;
    uint16_t icr;
    uint16_t isr;
    uint8_t isar;
} PXA2xxI2CState;

#define PXA2XX_I2C(obj) INSTANCE_CAST(PXA2xxI2CState, (obj), TYPE_PXA2XX_I2C)

static void i2c_update_irq(PXA2xxI2CState *s)
{
    static const struct {
        uint16_t status;
        uint16_t enable;
    } sources[] = {
        { ISR_ITE, ICR_ITEIE }, { ISR_IRF, ICR_IRFIE },
        { ISR_BED, ICR_BEIE }, { ISR_SSD, ICR_SSDIE },
        { ISR_ALD, ICR_ALDIE }, { ISR_SAD | ISR_GCAD, ICR_SADIE },
    };
    bool level = false;

    for (size_t i = 0; i < ARRAY_SIZE(sources); i++) {
        if ((s->isr & sources[i].status) && (s->icr & sources[i].enable)) {
            level = true;
        }
    }
    irq_set_level(s->irq, level);
}

/* ICR.TB: one byte on the bus, as master. */
static void i2c_transfer_byte(PXA2xxI2CState *s)
{
    if (s->icr & ICR_START) {
        /* The address byte: nobody answers to it. */
        s->isr |= ISR_UB;
        s->isr = (s->isr & ~ISR_RWM) | (s->idbr & 1 ? ISR_RWM : 0);
        s->isr |= ISR_ITE | ISR_ACKNAK | ISR_BED;
        emu_log_mask(LOG_UNIMP, "pxa2xx-i2c: address 0x%02x (%s): no "
                     "device on the bus, NAK\n", s->idbr >> 1,
                     s->idbr & 1 ? "read" : "write");
    } else if (s->isr & ISR_RWM) {
        /* Reading from the idle bus. */
        s->idbr = 0xff;
        s->isr = (s->isr & ~ISR_ACKNAK) |
                 (s->icr & ICR_ACKNAK ? ISR_ACKNAK : 0);
        s->isr |= ISR_IRF;
    } else {
        s->isr |= ISR_ITE | ISR_ACKNAK | ISR_BED;
    }
    if (s->icr & ICR_STOP) {
        s->isr &= ~(ISR_UB | ISR_RWM);
    }
    s->icr &= ~ICR_TB;
}

static void i2c_write_icr(PXA2xxI2CState *s, uint16_t value)
{
    s->icr = value & ICR_MASK;
    if (s->icr & ICR_UR) {
        /* Unit reset: the unit's state goes back to idle; ICR keeps
         * UR until the guest clears it. */
        s->isr = 0;
        s->idbr = 0;
        return;
    }
    if (s->icr & ICR_MA) {
        /* Master abort: a STOP without a byte. */
        s->isr &= ~(ISR_UB | ISR_RWM);
        s->icr &= ~ICR_MA;
    }
    if (s->icr & ICR_TB) {
        if (!(s->icr & ICR_IUE)) {
            emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2c: ICR.TB with the unit "
                         "disabled (ICR.IUE clear): nothing sent\n");
            s->icr &= ~ICR_TB;
            return;
        }
        i2c_transfer_byte(s);
    }
}

/* The register offset of addr; 0 (no register) below the registers. */
static hwaddr i2c_reg(PXA2xxI2CState *s, hwaddr addr)
{
    return addr >= s->offset ? addr - s->offset : 0;
}

static uint64_t i2c_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxI2CState *s = opaque;

    switch (i2c_reg(s, addr)) {
    case IBMR:
        return IBMR_IDLE;
    case IDBR:
        return s->idbr;
    case ICR:
        return s->icr;
    case ISR:
        return s->isr;
    case ISAR:
        return s->isar;
    }
    emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2c: read of offset 0x%" PRIx64
                 ", which has no register (IBMR is at 0x%" PRIx64 ")\n",
                 addr, (hwaddr)s->offset + IBMR);
    return 0;
}

static void i2c_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    PXA2xxI2CState *s = opaque;

    switch (i2c_reg(s, addr)) {
    case IBMR:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2c: write 0x%" PRIx64
                     " to read-only IBMR\n", value);
        return;
    case IDBR:
        s->idbr = value;
        return;
    case ICR:
        i2c_write_icr(s, value);
        break;
    case ISR:
        s->isr &= ~(value & ISR_W1C);
        break;
    case ISAR:
        s->isar = value & 0x7f;
        return;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-i2c: write 0x%" PRIx64
                     " to offset 0x%" PRIx64 ", which has no register "
                     "(IBMR is at 0x%" PRIx64 ")\n", value, addr,
                     (hwaddr)s->offset + IBMR);
        return;
    }
    i2c_update_irq(s);
}

static const MemoryRegionOps i2c_ops = {
    .read = i2c_read,
    .write = i2c_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void i2c_reset(DeviceState *dev)
{
    PXA2xxI2CState *s = PXA2XX_I2C(dev);

    s->idbr = 0;
    s->icr = 0;
    s->isr = 0;
    s->isar = 0;
    irq_set_level(s->irq, 0);
}

static void i2c_init(Object *obj)
{
    PXA2xxI2CState *s = PXA2XX_I2C(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool i2c_realize(DeviceState *dev, Error **errp)
{
    PXA2xxI2CState *s = PXA2XX_I2C(dev);

    if ((uint64_t)s->offset + I2C_REGS_END > s->size) {
        error_setg(errp, "pxa2xx-i2c: offset 0x%x puts the registers "
                   "(0x%x..0x%x) outside the region of size 0x%x (need "
                   "offset + 0x%x <= size)", s->offset, s->offset + IBMR,
                   s->offset + I2C_REGS_END - 1, s->size, I2C_REGS_END);
        return false;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &i2c_ops, s, "pxa2xx-i2c",
                          s->size);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    i2c_reset(dev);
    return true;
}

static void i2c_unrealize(DeviceState *dev)
{
    memory_region_destroy(&PXA2XX_I2C(dev)->mmio);
}

static void i2c_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property i2c_properties[] = {
    DEFINE_PROP_UINT("size", PXA2xxI2CState, size, 0x10000,
                     "size of the MMIO region"),
    DEFINE_PROP_UINT("offset", PXA2xxI2CState, offset, 0x1600,
                     "registers start at offset + 0x80 in the region"),
};

static void i2c_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 I2C bus interface unit (empty bus)";
    dc->realize = i2c_realize;
    dc->unrealize = i2c_unrealize;
    dc->reset = i2c_reset;
    class_add_properties(klass, i2c_properties, ARRAY_SIZE(i2c_properties));
}

static const TypeInfo i2c_types[] = {
    {
        .name = TYPE_PXA2XX_I2C,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxI2CState),
        .instance_init = i2c_init,
        .instance_finalize = i2c_finalize,
        .class_init = i2c_class_init,
    },
};

DEFINE_TYPES(i2c_types)
