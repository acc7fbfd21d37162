/*
 * The ARM PrimeCell UART (PL011, ARM DDI 0183): the console of QEMU's
 * virt board for U-Boot and Linux, on a chardev.  As QEMU 7.2's model:
 * the receive FIFO is 16 entries with FEN (one without), its interrupt
 * comes with the first character, the transmit side has no FIFO to fill
 * (every character goes out at once and raises the TX interrupt), the
 * baud rate and line settings are stored only, and one output line
 * carries the OR of the masked interrupts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "chardev/char.h"
#include "hw/char/pl011.h"
#include "hw/char/serial.h"
#include "hw/sysbus.h"

#define PL011_FIFO_DEPTH 16

#define PL011_DR 0x00
#define PL011_RSR 0x04           /* ECR on writes */
#define PL011_FR 0x18
#define PL011_ILPR 0x20
#define PL011_IBRD 0x24
#define PL011_FBRD 0x28
#define PL011_LCR_H 0x2c
#define PL011_CR 0x30
#define PL011_IFLS 0x34
#define PL011_IMSC 0x38
#define PL011_RIS 0x3c
#define PL011_MIS 0x40
#define PL011_ICR 0x44
#define PL011_DMACR 0x48

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)

#define LCR_H_FEN (1u << 4)
#define LCR_H_BRK (1u << 0)

#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_BE (1u << 9)
#define INT_MASK 0x7ff

#define DR_BE (1u << 10)         /* break error, with the data byte */

typedef struct PL011State {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    CharBackend chr;
    IRQLine *irq;
    char *chardev;
    uint32_t read_fifo[PL011_FIFO_DEPTH];
    unsigned read_pos, read_count;
    uint32_t rsr;
    uint32_t flags;
    uint32_t ilpr, ibrd, fbrd, lcr, cr, ifl, imsc, int_level, dmacr;
} PL011State;

#define PL011(obj) INSTANCE_CAST(PL011State, (obj), TYPE_PL011)

/* PrimeCell peripheral and cell IDs at 0xfe0: part 0x011, ARM, r1p5. */
static const uint8_t pl011_id[8] = {
    0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static void pl011_update(PL011State *s)
{
    irq_set_level(s->irq, (s->int_level & s->imsc) != 0);
}

static unsigned pl011_fifo_depth(PL011State *s)
{
    return (s->lcr & LCR_H_FEN) ? PL011_FIFO_DEPTH : 1;
}

static uint32_t pl011_read_dr(PL011State *s)
{
    uint32_t c;

    s->flags &= ~FR_RXFF;
    if (s->read_count == 0) {
        return 0;                /* an empty FIFO reads as zero */
    }
    c = s->read_fifo[s->read_pos];
    s->read_pos = (s->read_pos + 1) % PL011_FIFO_DEPTH;
    if (--s->read_count == 0) {
        s->flags |= FR_RXFE;
        s->int_level &= ~INT_RX;
    }
    s->rsr = c >> 8;
    pl011_update(s);
    chr_fe_accept_input(&s->chr);
    return c;
}

static uint64_t pl011_read(void *opaque, hwaddr offset, unsigned size)
{
    PL011State *s = opaque;

    if (offset >= 0xfe0 && offset < 0x1000) {
        return pl011_id[(offset - 0xfe0) >> 2];
    }
    switch (offset) {
    case PL011_DR:
        return pl011_read_dr(s);
    case PL011_RSR:
        return s->rsr;
    case PL011_FR:
        return s->flags;
    case PL011_ILPR:
        return s->ilpr;
    case PL011_IBRD:
        return s->ibrd;
    case PL011_FBRD:
        return s->fbrd;
    case PL011_LCR_H:
        return s->lcr;
    case PL011_CR:
        return s->cr;
    case PL011_IFLS:
        return s->ifl;
    case PL011_IMSC:
        return s->imsc;
    case PL011_RIS:
        return s->int_level;
    case PL011_MIS:
        return s->int_level & s->imsc;
    case PL011_DMACR:
        return s->dmacr;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pl011: read of offset 0x%x\n",
                     (unsigned)offset);
        return 0;
    }
}

static void pl011_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL011State *s = opaque;
    uint8_t ch;

    switch (offset) {
    case PL011_DR:
        ch = value;
        chr_fe_write_all(&s->chr, &ch, 1);
        s->int_level |= INT_TX;
        break;
    case PL011_RSR:
        s->rsr = 0;
        break;
    case PL011_ILPR:
        s->ilpr = value & 0xff;
        break;
    case PL011_IBRD:
        s->ibrd = value & 0xffff;
        break;
    case PL011_FBRD:
        s->fbrd = value & 0x3f;
        break;
    case PL011_LCR_H:
        /* Turning the FIFO off (or on) empties it, as QEMU does. */
        if ((s->lcr ^ value) & LCR_H_FEN) {
            s->read_count = 0;
            s->read_pos = 0;
            s->flags = (s->flags | FR_RXFE) & ~FR_RXFF;
            s->int_level &= ~INT_RX;
        }
        if ((value & LCR_H_BRK) && !(s->lcr & LCR_H_BRK)) {
            emu_log_mask(LOG_UNIMP, "pl011: sending a break is not "
                         "implemented (a chardev has no line)\n");
        }
        s->lcr = value & 0xff;
        break;
    case PL011_CR:
        s->cr = value & 0xff87;
        break;
    case PL011_IFLS:
        s->ifl = value & 0x3f;
        break;
    case PL011_IMSC:
        s->imsc = value & INT_MASK;
        break;
    case PL011_ICR:
        s->int_level &= ~value;
        break;
    case PL011_DMACR:
        s->dmacr = value & 7;
        if (value & 3) {
            emu_log_mask(LOG_UNIMP, "pl011: DMA is not implemented\n");
        }
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pl011: write of offset 0x%x\n",
                     (unsigned)offset);
        return;
    }
    pl011_update(s);
}

static const MemoryRegionOps pl011_ops = {
    .read = pl011_read,
    .write = pl011_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- the chardev side ---- */

static int pl011_can_receive(void *opaque)
{
    PL011State *s = opaque;

    return s->read_count < pl011_fifo_depth(s);
}

static void pl011_put_fifo(PL011State *s, uint32_t value)
{
    unsigned slot = (s->read_pos + s->read_count) % PL011_FIFO_DEPTH;

    s->read_fifo[slot] = value;
    s->read_count++;
    s->flags &= ~FR_RXFE;
    if (s->read_count == pl011_fifo_depth(s)) {
        s->flags |= FR_RXFF;
    }
    s->int_level |= INT_RX;
    pl011_update(s);
}

static void pl011_receive(void *opaque, const uint8_t *buf, int len)
{
    PL011State *s = opaque;

    for (int i = 0; i < len && pl011_can_receive(s); i++) {
        pl011_put_fifo(s, buf[i]);
    }
}

static void pl011_event(void *opaque, ChrEvent event)
{
    PL011State *s = opaque;

    if (event == CHR_EVENT_BREAK && pl011_can_receive(s)) {
        s->int_level |= INT_BE;
        pl011_put_fifo(s, DR_BE);
    }
}

/* ---- device ---- */

static void pl011_reset(DeviceState *dev)
{
    PL011State *s = PL011(dev);

    s->read_pos = s->read_count = 0;
    s->rsr = 0;
    s->flags = FR_TXFE | FR_RXFE;
    s->ilpr = s->ibrd = s->fbrd = s->lcr = 0;
    s->cr = 0x300;               /* TXE, RXE */
    s->ifl = 0x12;               /* half-full triggers */
    s->imsc = s->int_level = s->dmacr = 0;
    pl011_update(s);
}

static void pl011_instance_init(Object *obj)
{
    PL011State *s = PL011(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool pl011_realize(DeviceState *dev, Error **errp)
{
    PL011State *s = PL011(dev);
    Chardev *chr;

    if (!serial_find_chardev(dev, s->chardev, &chr, errp)) {
        return false;
    }
    if (!chr_fe_init(&s->chr, chr, errp)) {
        return false;
    }
    chr_fe_set_handlers(&s->chr, pl011_can_receive, pl011_receive,
                        pl011_event, s);
    memory_region_init_io(&s->iomem, OBJECT(dev), &pl011_ops, s, "pl011",
                          0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    pl011_reset(dev);
    return true;
}

static void pl011_unrealize(DeviceState *dev)
{
    PL011State *s = PL011(dev);

    chr_fe_deinit(&s->chr);
    memory_region_destroy(&s->iomem);
}

static void pl011_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property pl011_properties[] = {
    DEFINE_PROP_STRING("chardev", PL011State, chardev,
                       "ID of the character device it talks to"),
};

static void pl011_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "ARM PrimeCell PL011 UART";
    dc->realize = pl011_realize;
    dc->unrealize = pl011_unrealize;
    dc->reset = pl011_reset;
    class_add_properties(klass, pl011_properties,
                         ARRAY_SIZE(pl011_properties));
}

static const TypeInfo pl011_types[] = {
    {
        .name = TYPE_PL011,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PL011State),
        .instance_init = pl011_instance_init,
        .class_init = pl011_class_init,
        .instance_finalize = pl011_finalize,
    },
};

DEFINE_TYPES(pl011_types)
