/*
 * The PXA255 synchronous serial ports (SSP and NSSP; Intel PXA255
 * Developer's Manual, the SSP chapter) with nothing attached: the
 * control registers keep what the guest writes, transmitted data is
 * discarded (logged once under -d unimp) and the receive FIFO stays
 * empty, so SSSR shows an idle port whose transmit FIFO is never full
 * (TNF) and, while the port is enabled, always wants data (TFS).  The
 * test register SSITR forces the FIFO service and overrun bits as the
 * manual describes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

#define SSP_MMIO_SIZE 0x1000

enum {
    SSCR0 = 0x00,
    SSCR1 = 0x04,
    SSSR  = 0x08,
    SSITR = 0x0c,
    SSDR  = 0x10,
    SSTO  = 0x28,                /* NSSP only */
    SSPSP = 0x2c,                /* NSSP only */
};

#define SSCR0_SSE   (1u << 7)    /* port enable */
#define SSCR1_RIE   (1u << 0)
#define SSCR1_TIE   (1u << 1)

#define SSSR_TNF    (1u << 2)    /* transmit FIFO not full */
#define SSSR_RNE    (1u << 3)    /* receive FIFO not empty */
#define SSSR_BSY    (1u << 4)
#define SSSR_TFS    (1u << 5)    /* transmit FIFO service request */
#define SSSR_RFS    (1u << 6)    /* receive FIFO service request */
#define SSSR_ROR    (1u << 7)    /* receive overrun, write 1 to clear */

#define SSITR_MASK  (SSSR_TFS | SSSR_RFS | SSSR_ROR)

typedef struct PXA2xxSSPState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *irq;
    uint32_t sscr0;
    uint32_t sscr1;
    uint32_t ssitr;
    uint32_t ssto;
    uint32_t sspsp;
    bool tx_logged;
} PXA2xxSSPState;

#define PXA2XX_SSP(obj) INSTANCE_CAST(PXA2xxSSPState, (obj), TYPE_PXA2XX_SSP)

static uint32_t ssp_status(const PXA2xxSSPState *s)
{
    uint32_t sssr = SSSR_TNF;

    if (s->sscr0 & SSCR0_SSE) {
        sssr |= SSSR_TFS;        /* the empty FIFO is below any level */
    }
    return sssr | (s->ssitr & SSITR_MASK);
}

static void ssp_update_irq(PXA2xxSSPState *s)
{
    uint32_t sssr = ssp_status(s);

    irq_set_level(s->irq, ((sssr & SSSR_TFS) && (s->sscr1 & SSCR1_TIE)) ||
                          ((sssr & SSSR_RFS) && (s->sscr1 & SSCR1_RIE)) ||
                          (sssr & SSSR_ROR));
}

static uint64_t ssp_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxSSPState *s = opaque;

    switch (addr) {
    case SSCR0:
        return s->sscr0;
    case SSCR1:
        return s->sscr1;
    case SSSR:
        return ssp_status(s);
    case SSITR:
        return s->ssitr;
    case SSDR:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-ssp: read of SSDR with the "
                     "receive FIFO empty\n");
        return 0;
    case SSTO:
        return s->ssto;
    case SSPSP:
        return s->sspsp;
    }
    emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-ssp: read of offset 0x%" PRIx64
                 ", which has no register\n", addr);
    return 0;
}

static void ssp_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    PXA2xxSSPState *s = opaque;

    switch (addr) {
    case SSCR0:
        s->sscr0 = value;
        break;
    case SSCR1:
        s->sscr1 = value;
        break;
    case SSSR:
        return;                  /* clears ROR: nothing is received */
    case SSITR:
        s->ssitr = value & SSITR_MASK;
        break;
    case SSDR:
        if (!s->tx_logged) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-ssp: nothing is attached to "
                         "the port: transmitted data is discarded\n");
            s->tx_logged = true;
        }
        break;
    case SSTO:
        s->ssto = value;
        break;
    case SSPSP:
        s->sspsp = value;
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-ssp: write 0x%" PRIx64 " to "
                     "offset 0x%" PRIx64 ", which has no register\n", value,
                     addr);
        return;
    }
    ssp_update_irq(s);
}

static const MemoryRegionOps ssp_ops = {
    .read = ssp_read,
    .write = ssp_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void ssp_reset(DeviceState *dev)
{
    PXA2xxSSPState *s = PXA2XX_SSP(dev);

    s->sscr0 = 0;
    s->sscr1 = 0;
    s->ssitr = 0;
    s->ssto = 0;
    s->sspsp = 0;
    irq_set_level(s->irq, 0);
}

static void ssp_init(Object *obj)
{
    PXA2xxSSPState *s = PXA2XX_SSP(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool ssp_realize(DeviceState *dev, Error **errp)
{
    PXA2xxSSPState *s = PXA2XX_SSP(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &ssp_ops, s, "pxa2xx-ssp",
                          SSP_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    ssp_reset(dev);
    return true;
}

static void ssp_unrealize(DeviceState *dev)
{
    memory_region_destroy(&PXA2XX_SSP(dev)->mmio);
}

static void ssp_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void ssp_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 synchronous serial port (nothing attached)";
    dc->realize = ssp_realize;
    dc->unrealize = ssp_unrealize;
    dc->reset = ssp_reset;
}

static const TypeInfo ssp_types[] = {
    {
        .name = TYPE_PXA2XX_SSP,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxSSPState),
        .instance_init = ssp_init,
        .instance_finalize = ssp_finalize,
        .class_init = ssp_class_init,
    },
};

DEFINE_TYPES(ssp_types)
