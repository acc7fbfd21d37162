/*
 * The PXA255 UARTs (FFUART, BTUART, STUART; Intel PXA255 Developer's
 * Manual, chapter 10): the shared 16550 core with its registers 4 bytes
 * apart, plus what Intel added around it:
 *   IER bit 7 DMAE   DMA requests (not modelled: logged under -d unimp)
 *       bit 6 UUE    unit enable: a disabled unit does not transmit,
 *                    receive or interrupt
 *       bit 5 NRZE   NRZ line coding (invisible on a chardev: stored)
 *       bit 4 RTOIE  the receive timeout interrupt needs it (a plain
 *                    16550 raises it with the data-available enable)
 *   ISR  0x20  infrared selection (stored; IrDA logged under -d unimp)
 *   FOR  0x24  receive FIFO occupancy, read-only
 *   ABR  0x28  autobaud control (stored; autobaud logged under -d unimp)
 * The region covers the registers through ABR; the rest of each UART's
 * 1 MiB window belongs to the SoC's unimplemented-device cover.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/char/serial.h"
#include "hw/sysbus.h"

/* Offsets of the registers the core does not have. */
#define PXA_UART_ISR   0x20
#define PXA_UART_FOR   0x24
#define PXA_UART_ABR   0x28
#define PXA_UART_SIZE  PXA2XX_UART_SIZE

/* 16550 register numbers the wrapper looks at. */
#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2

#define LCR_DLAB    0x80

#define IER_ETBEI   0x02
#define IER_EDSSI   0x08
#define IER_CORE    0x0f         /* the 16550's own enables */
#define IER_RTOIE   0x10
#define IER_NRZE    0x20
#define IER_UUE     0x40
#define IER_DMAE    0x80

#define IIR_NO_INT  0x01
#define IIR_ID_MASK 0x0f
#define IIR_CTI     0x0c
#define IIR_THRE    0x02
#define IIR_MSI     0x00

#define MSR_DELTAS  0x0f

#define ISR_IRDA    0x03         /* XMITIR, RCVEIR: infrared modes */
#define ISR_MASK    0x1f
#define ABR_ABE     0x01         /* autobaud enable */
#define ABR_MASK    0x0f

typedef struct PXA2xxUARTState {
    SysBusDevice parent_obj;
    SerialState serial;
    MemoryRegion mmio;
    IRQLine *irq;                /* the output the board wires */
    IRQLine *core_irq;           /* the core's line, seen by us first */
    int irq_level;
    uint8_t ier_pxa;             /* IER bits 4-7 */
    uint8_t isr;
    uint8_t abr;
    char *chardev;
} PXA2xxUARTState;

#define PXA2XX_UART(obj) \
    INSTANCE_CAST(PXA2xxUARTState, (obj), TYPE_PXA2XX_UART)

static bool pxa_uart_enabled(const PXA2xxUARTState *s)
{
    return s->ier_pxa & IER_UUE;
}

/*
 * IIR as the PXA shows it: the core ranks a receive timeout above THR
 * empty and modem status; without RTOIE the timeout does not count and
 * the next source down shows instead.
 */
static uint8_t pxa_uart_iir(const PXA2xxUARTState *s)
{
    const SerialState *c = &s->serial;
    uint8_t iir = c->iir;
    uint8_t id;

    if ((iir & IIR_ID_MASK) != IIR_CTI || (s->ier_pxa & IER_RTOIE)) {
        return iir;
    }
    if ((c->ier & IER_ETBEI) && c->thr_ipending) {
        id = IIR_THRE;
    } else if ((c->ier & IER_EDSSI) && (c->msr & MSR_DELTAS)) {
        id = IIR_MSI;
    } else {
        id = IIR_NO_INT;
    }
    return (iir & ~IIR_ID_MASK) | id;
}

static void pxa_uart_update_irq(PXA2xxUARTState *s)
{
    int level = pxa_uart_enabled(s) && !(pxa_uart_iir(s) & IIR_NO_INT);

    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(s->irq, level);
    }
}

/* The core changed its line: the PXA gating decides what goes out. */
static void pxa_uart_core_irq(void *opaque, int n, int level)
{
    pxa_uart_update_irq(opaque);
}

/* ---- the chardev side: input only while the unit is enabled ---- */

static int pxa_uart_can_receive(void *opaque)
{
    PXA2xxUARTState *s = opaque;

    return pxa_uart_enabled(s) ? serial_core_can_receive(&s->serial) : 0;
}

static void pxa_uart_receive(void *opaque, const uint8_t *buf, int len)
{
    PXA2xxUARTState *s = opaque;

    serial_core_receive(&s->serial, buf, len);
    pxa_uart_update_irq(s);
}

static void pxa_uart_event(void *opaque, ChrEvent event)
{
    PXA2xxUARTState *s = opaque;

    if (event == CHR_EVENT_BREAK && !pxa_uart_enabled(s)) {
        return;                  /* a disabled receiver sees no break */
    }
    serial_core_event(&s->serial, event);
    pxa_uart_update_irq(s);
}

/* ---- registers ---- */

static void pxa_uart_write_ier(PXA2xxUARTState *s, uint8_t value)
{
    uint8_t old = s->ier_pxa;
    const char *name = object_get_typename(OBJECT(s));

    s->ier_pxa = value & (IER_RTOIE | IER_NRZE | IER_UUE | IER_DMAE);
    if ((value & IER_DMAE) && !(old & IER_DMAE)) {
        emu_log_mask(LOG_UNIMP, "%s: IER.DMAE: DMA requests are not "
                     "implemented, use programmed I/O\n", name);
    }
    serial_core_write(&s->serial, UART_IER, value & IER_CORE);
    if ((s->ier_pxa & IER_UUE) && !(old & IER_UUE)) {
        /* Input held back while the unit was off may come in now. */
        chr_fe_accept_input(&s->serial.chr);
    }
}

static uint64_t pxa_uart_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxUARTState *s = opaque;
    unsigned reg = addr >> 2;
    uint8_t value;

    if (addr & 3) {
        return 0;                /* the upper bytes of a 32-bit register */
    }
    switch (addr) {
    case PXA_UART_ISR:
        return s->isr;
    case PXA_UART_FOR:
        return s->serial.rx_count;
    case PXA_UART_ABR:
        return s->abr;
    }
    if (reg == UART_IIR) {
        value = pxa_uart_iir(s);
        if ((value & IIR_ID_MASK) == (s->serial.iir & IIR_ID_MASK)) {
            serial_core_read(&s->serial, UART_IIR);
        } else if ((value & IIR_ID_MASK) == IIR_THRE) {
            /* The core still shows the masked timeout: clear THRE as a
             * read of it would.  The core's line stays up for the
             * timeout, so it needs no update. */
            s->serial.thr_ipending = false;
        }
    } else {
        value = serial_core_read(&s->serial, reg);
        if (reg == UART_IER && !(s->serial.lcr & LCR_DLAB)) {
            value |= s->ier_pxa;
        }
    }
    pxa_uart_update_irq(s);
    return value;
}

static void pxa_uart_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
    PXA2xxUARTState *s = opaque;
    const char *name = object_get_typename(OBJECT(s));
    unsigned reg = addr >> 2;

    if (addr & 3) {
        if (value) {
            emu_log_mask(LOG_GUEST_ERROR, "%s: write 0x%" PRIx64 " to the "
                         "reserved bits at offset 0x%" PRIx64 "\n", name,
                         value, addr);
        }
        return;
    }
    value &= 0xff;
    switch (addr) {
    case PXA_UART_ISR:
        s->isr = value & ISR_MASK;
        if (value & ISR_IRDA) {
            emu_log_mask(LOG_UNIMP, "%s: ISR 0x%02x: infrared (IrDA) "
                         "modes are not implemented, the port stays a "
                         "plain UART\n", name, (unsigned)value);
        }
        return;
    case PXA_UART_FOR:
        emu_log_mask(LOG_GUEST_ERROR, "%s: write 0x%02x to read-only FOR\n",
                     name, (unsigned)value);
        return;
    case PXA_UART_ABR:
        s->abr = value & ABR_MASK;
        if (value & ABR_ABE) {
            emu_log_mask(LOG_UNIMP, "%s: ABR 0x%02x: autobaud is not "
                         "implemented (a chardev has no baud rate)\n", name,
                         (unsigned)value);
        }
        return;
    }
    if (reg == UART_IER && !(s->serial.lcr & LCR_DLAB)) {
        pxa_uart_write_ier(s, value);
    } else if (reg == UART_THR && !(s->serial.lcr & LCR_DLAB) &&
               !pxa_uart_enabled(s)) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: THR write 0x%02x dropped: the "
                     "unit is disabled (set IER.UUE)\n", name,
                     (unsigned)value);
    } else {
        serial_core_write(&s->serial, reg, value);
    }
    pxa_uart_update_irq(s);
}

/* 32-bit registers; byte and halfword accesses reach them too. */
static const MemoryRegionOps pxa_uart_ops = {
    .read = pxa_uart_read,
    .write = pxa_uart_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- device ---- */

static void pxa_uart_init(Object *obj)
{
    PXA2xxUARTState *s = PXA2XX_UART(obj);

    s->core_irq = irq_line_new(pxa_uart_core_irq, s, 0);
    s->serial.irq = s->core_irq;
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static void pxa_uart_reset(DeviceState *dev)
{
    PXA2xxUARTState *s = PXA2XX_UART(dev);

    s->ier_pxa = 0;
    s->isr = 0;
    s->abr = 0;
    serial_core_reset(&s->serial);
    /* Drive the line low even if we believe it is: the board may have
     * connected it after the last change. */
    s->irq_level = 0;
    irq_set_level(s->irq, 0);
}

static bool pxa_uart_realize(DeviceState *dev, Error **errp)
{
    PXA2xxUARTState *s = PXA2XX_UART(dev);
    Chardev *chr;

    if (!serial_find_chardev(dev, s->chardev, &chr, errp) ||
        !serial_core_init(&s->serial, dev, chr, errp)) {
        return false;
    }
    chr_fe_set_handlers(&s->serial.chr, pxa_uart_can_receive,
                        pxa_uart_receive, pxa_uart_event, s);
    pxa_uart_reset(dev);
    memory_region_init_io(&s->mmio, OBJECT(dev), &pxa_uart_ops, s, "serial",
                          PXA_UART_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    return true;
}

static void pxa_uart_unrealize(DeviceState *dev)
{
    PXA2xxUARTState *s = PXA2XX_UART(dev);

    serial_core_deinit(&s->serial);
    memory_region_destroy(&s->mmio);
}

static void pxa_uart_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
    irq_line_free(PXA2XX_UART(obj)->core_irq);
}

static const Property pxa_uart_properties[] = {
    DEFINE_PROP_STRING("chardev", PXA2xxUARTState, chardev,
                       "ID of the character device it talks to"),
};

static void pxa_uart_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 UART (16550 with the PXA additions)";
    dc->realize = pxa_uart_realize;
    dc->unrealize = pxa_uart_unrealize;
    dc->reset = pxa_uart_reset;
    class_add_properties(klass, pxa_uart_properties,
                         ARRAY_SIZE(pxa_uart_properties));
}

static const TypeInfo pxa_uart_types[] = {
    {
        .name = TYPE_PXA2XX_UART,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxUARTState),
        .instance_init = pxa_uart_init,
        .instance_finalize = pxa_uart_finalize,
        .class_init = pxa_uart_class_init,
    },
};

DEFINE_TYPES(pxa_uart_types)
