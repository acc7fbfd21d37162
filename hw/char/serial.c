/*
 * The 16550A UART (National Semiconductor PC16550D datasheet): one core
 * for every UART of every board, plus the "isa-serial" and "serial-mm"
 * devices that place it in port or memory space.
 *
 * The wire is infinitely fast: a byte written to THR goes to the chardev
 * at once and the transmitter is empty again before the write returns,
 * so there is no baud-rate timing.  For the same reason the receive
 * timeout of FIFO mode (four character times without input) has always
 * expired: data below the trigger level is reported as a timeout.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/char/serial.h"
#include "hw/sysbus.h"
#include "hw/misc/isa-ports.h"

/* Register numbers (offset >> regshift). */
enum {
    UART_RBR = 0,                /* THR on write; DLL with DLAB */
    UART_IER = 1,                /* DLM with DLAB */
    UART_IIR = 2,                /* FCR on write */
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
    UART_NR_REGS = 8,
};

#define IER_ERBFI   0x01         /* received data available */
#define IER_ETBEI   0x02         /* transmitter holding register empty */
#define IER_ELSI    0x04         /* receiver line status */
#define IER_EDSSI   0x08         /* modem status */
#define IER_MASK    0x0f

#define IIR_NO_INT  0x01
#define IIR_ID_MASK 0x0f
#define IIR_RLS     0x06
#define IIR_RDA     0x04
#define IIR_CTI     0x0c
#define IIR_THRE    0x02
#define IIR_MSI     0x00
#define IIR_FIFOS   0xc0         /* both bits set when FIFOs are enabled */

#define FCR_ENABLE  0x01
#define FCR_RX_CLR  0x02
#define FCR_TX_CLR  0x04
#define FCR_KEPT    0xc9         /* enable, DMA mode, trigger level */

#define LCR_DLAB    0x80

#define MCR_DTR     0x01
#define MCR_RTS     0x02
#define MCR_OUT1    0x04
#define MCR_OUT2    0x08
#define MCR_LOOP    0x10
#define MCR_MASK    0x1f

#define LSR_DR      0x01
#define LSR_OE      0x02
#define LSR_PE      0x04
#define LSR_FE      0x08
#define LSR_BI      0x10
#define LSR_THRE    0x20
#define LSR_TEMT    0x40
#define LSR_RXFE    0x80         /* an error among the FIFO's bytes */
#define LSR_ERRORS  (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

#define MSR_DCTS    0x01
#define MSR_DDSR    0x02
#define MSR_TERI    0x04
#define MSR_DDCD    0x08
#define MSR_DELTAS  0x0f
#define MSR_CTS     0x10
#define MSR_DSR     0x20
#define MSR_RI      0x40
#define MSR_DCD     0x80

/* A chardev is always "connected": carrier, data set ready, clear to
 * send, as a null-modem cable with the handshake lines looped. */
#define MSR_EXTERNAL (MSR_DCD | MSR_DSR | MSR_CTS)

#define DIVIDER_RESET 12         /* 9600 baud from 1.8432 MHz */

static const uint8_t rx_trigger_levels[4] = { 1, 4, 8, 14 };

static bool fifo_enabled(const SerialState *s)
{
    return s->fcr & FCR_ENABLE;
}

/* Without FIFOs the receiver holds one byte (RBR). */
static unsigned rx_capacity(const SerialState *s)
{
    return fifo_enabled(s) ? SERIAL_FIFO_SIZE : 1;
}

/* The highest-priority pending interrupt, as datasheet table 4 ranks
 * them: line status, received data (or timeout), THR empty, modem. */
static uint8_t serial_pending_interrupt(const SerialState *s)
{
    if ((s->ier & IER_ELSI) && (s->lsr & LSR_ERRORS)) {
        return IIR_RLS;
    }
    if ((s->ier & IER_ERBFI) && s->rx_count) {
        if (fifo_enabled(s) &&
            s->rx_count < rx_trigger_levels[s->fcr >> 6]) {
            return IIR_CTI;
        }
        return IIR_RDA;
    }
    if ((s->ier & IER_ETBEI) && s->thr_ipending) {
        return IIR_THRE;
    }
    if ((s->ier & IER_EDSSI) && (s->msr & MSR_DELTAS)) {
        return IIR_MSI;
    }
    return IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    uint8_t id = serial_pending_interrupt(s);
    int level = !(id & IIR_NO_INT);

    s->iir = id | (fifo_enabled(s) ? IIR_FIFOS : 0);
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(s->irq, level);
    }
}

static void rx_clear(SerialState *s)
{
    bool was_full = s->rx_count >= rx_capacity(s);

    s->rx_head = 0;
    s->rx_count = 0;
    s->lsr &= ~(LSR_DR | LSR_RXFE);
    if (was_full) {
        chr_fe_accept_input(&s->chr);
    }
}

/* One byte reaches the receiver (from the wire or the loopback). */
static void rx_put(SerialState *s, uint8_t byte)
{
    unsigned cap = rx_capacity(s);

    if (s->rx_count < cap) {
        s->rx_fifo[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = byte;
        s->rx_count++;
    } else {
        /* Overrun: a FIFO keeps its bytes and loses the new one; a lone
         * RBR is overwritten (datasheet, LSR bit 1). */
        if (!fifo_enabled(s)) {
            s->rx_fifo[s->rx_head] = byte;
        }
        s->lsr |= LSR_OE;
    }
    s->lsr |= LSR_DR;
}

static uint8_t rx_get(SerialState *s)
{
    bool was_full = s->rx_count >= rx_capacity(s);

    if (s->rx_count) {
        s->rbr = s->rx_fifo[s->rx_head];
        s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
        s->rx_count--;
    }
    if (!s->rx_count) {
        s->lsr &= ~(LSR_DR | LSR_RXFE);
    }
    if (was_full && !(s->mcr & MCR_LOOP)) {
        chr_fe_accept_input(&s->chr);
    }
    return s->rbr;
}

/* New levels of CTS/DSR/RI/DCD: records the deltas the MSR reports. */
static void serial_set_modem_inputs(SerialState *s, uint8_t inputs)
{
    uint8_t changed = (s->msr ^ inputs) & ~MSR_DELTAS;

    if (changed & MSR_CTS) {
        s->msr |= MSR_DCTS;
    }
    if (changed & MSR_DSR) {
        s->msr |= MSR_DDSR;
    }
    if ((changed & MSR_RI) && !(inputs & MSR_RI)) {
        s->msr |= MSR_TERI;      /* trailing edge only */
    }
    if (changed & MSR_DCD) {
        s->msr |= MSR_DDCD;
    }
    s->msr = (s->msr & MSR_DELTAS) | (inputs & ~MSR_DELTAS);
}

/* In loopback the modem outputs feed the modem inputs. */
static uint8_t loopback_modem_inputs(uint8_t mcr)
{
    return (mcr & MCR_RTS ? MSR_CTS : 0) | (mcr & MCR_DTR ? MSR_DSR : 0) |
           (mcr & MCR_OUT1 ? MSR_RI : 0) | (mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static void serial_transmit(SerialState *s, uint8_t byte)
{
    /* The write empties nothing yet: drop a THRE interrupt first so a
     * new one makes an edge on edge-triggered interrupt controllers. */
    s->thr_ipending = false;
    s->lsr &= ~(LSR_THRE | LSR_TEMT);
    serial_update_irq(s);
    if (s->mcr & MCR_LOOP) {
        rx_put(s, byte);
    } else {
        chr_fe_write_all(&s->chr, &byte, 1);
    }
    s->lsr |= LSR_THRE | LSR_TEMT;
    s->thr_ipending = true;
}

static void serial_write_fcr(SerialState *s, uint8_t value)
{
    bool enable = value & FCR_ENABLE;

    if (enable != fifo_enabled(s)) {
        /* Switching the FIFOs on or off empties them. */
        rx_clear(s);
        s->fcr = 0;
    }
    if (!enable) {
        return;                  /* the other bits need FCR0 set */
    }
    s->fcr = value & FCR_KEPT;
    if (value & FCR_RX_CLR) {
        rx_clear(s);
    }
    /* FCR_TX_CLR: the transmit FIFO is always empty. */
}

static void serial_write_mcr(SerialState *s, uint8_t value)
{
    bool was_loop = s->mcr & MCR_LOOP;

    s->mcr = value & MCR_MASK;
    if (s->mcr & MCR_LOOP) {
        serial_set_modem_inputs(s, loopback_modem_inputs(s->mcr));
    } else {
        serial_set_modem_inputs(s, MSR_EXTERNAL);
        if (was_loop) {
            /* The receiver listens to the chardev again. */
            chr_fe_accept_input(&s->chr);
        }
    }
}

uint8_t serial_core_read(SerialState *s, unsigned reg)
{
    uint8_t value;

    switch (reg) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB) {
            return s->divider & 0xff;
        }
        value = rx_get(s);
        break;
    case UART_IER:
        if (s->lcr & LCR_DLAB) {
            return s->divider >> 8;
        }
        return s->ier;
    case UART_IIR:
        value = s->iir;
        /* Reading IIR while it shows THRE is what clears THRE. */
        if ((value & IIR_ID_MASK) == IIR_THRE) {
            s->thr_ipending = false;
        }
        break;
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        value = s->lsr;
        s->lsr &= ~(LSR_ERRORS | LSR_RXFE);
        break;
    case UART_MSR:
        value = s->msr;
        s->msr &= ~MSR_DELTAS;
        break;
    case UART_SCR:
        return s->scr;
    default:
        g_assert_not_reached();
    }
    serial_update_irq(s);
    return value;
}

void serial_core_write(SerialState *s, unsigned reg, uint8_t value)
{
    switch (reg) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | value;
            return;
        }
        serial_transmit(s, value);
        break;
    case UART_IER:
        if (s->lcr & LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (value << 8);
            return;
        }
        /* Enabling ETBEI with THR empty interrupts at once, as 16550A
         * parts do (drivers probe for it). */
        if ((value & IER_ETBEI) && !(s->ier & IER_ETBEI) &&
            (s->lsr & LSR_THRE)) {
            s->thr_ipending = true;
        }
        s->ier = value & IER_MASK;
        break;
    case UART_IIR:
        serial_write_fcr(s, value);
        break;
    case UART_LCR:
        s->lcr = value;
        return;
    case UART_MCR:
        serial_write_mcr(s, value);
        break;
    case UART_LSR:
    case UART_MSR:
        /* Writable only in factory test modes; a guest has no business
         * here. */
        emu_log_mask(LOG_GUEST_ERROR, "%s: write 0x%02x to read-only %s\n",
                     object_get_typename(OBJECT(s->owner)), value,
                     reg == UART_LSR ? "LSR" : "MSR");
        return;
    case UART_SCR:
        s->scr = value;
        return;
    default:
        g_assert_not_reached();
    }
    serial_update_irq(s);
}

void serial_core_reset(SerialState *s)
{
    rx_clear(s);
    s->divider = DIVIDER_RESET;
    s->ier = 0;
    s->fcr = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr = LSR_THRE | LSR_TEMT;
    s->msr = MSR_EXTERNAL;
    s->scr = 0;
    s->rbr = 0;
    s->thr_ipending = false;
    s->iir = IIR_NO_INT;
    /* Drive the line low even if we believe it is: the board may have
     * connected it after the last change. */
    s->irq_level = 0;
    irq_set_level(s->irq, 0);
}

/* ---- the chardev side ---- */

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    /* In loopback the receiver is cut off from the wire: hold input. */
    if (s->mcr & MCR_LOOP) {
        return 0;
    }
    return rx_capacity(s) - MIN(s->rx_count, rx_capacity(s));
}

static void serial_receive(void *opaque, const uint8_t *buf, int len)
{
    SerialState *s = opaque;

    for (int i = 0; i < len; i++) {
        rx_put(s, buf[i]);
    }
    serial_update_irq(s);
}

static void serial_event(void *opaque, ChrEvent event)
{
    SerialState *s = opaque;

    if (event != CHR_EVENT_BREAK) {
        return;
    }
    /* A break arrives as a zero byte flagged BI (datasheet, LSR bit 4). */
    rx_put(s, 0);
    s->lsr |= LSR_BI | (fifo_enabled(s) ? LSR_RXFE : 0);
    serial_update_irq(s);
}

int serial_core_can_receive(SerialState *s)
{
    return serial_can_receive(s);
}

void serial_core_receive(SerialState *s, const uint8_t *buf, int len)
{
    serial_receive(s, buf, len);
}

void serial_core_event(SerialState *s, ChrEvent event)
{
    serial_event(s, event);
}

bool serial_core_init(SerialState *s, DeviceState *owner, Chardev *chr,
                      Error **errp)
{
    s->owner = owner;
    if (!chr_fe_init(&s->chr, chr, errp)) {
        return false;
    }
    chr_fe_set_handlers(&s->chr, serial_can_receive, serial_receive,
                        serial_event, s);
    serial_core_reset(s);
    return true;
}

void serial_core_deinit(SerialState *s)
{
    chr_fe_deinit(&s->chr);
}

/* The chardev a "chardev" property names, NULL when it is unset. */
bool serial_find_chardev(DeviceState *dev, const char *id, Chardev **chr,
                         Error **errp)
{
    *chr = NULL;
    if (!id || !id[0]) {
        return true;
    }
    *chr = chardev_find(id);
    if (!*chr) {
        error_setg(errp, "%s: chardev '%s' not found (create it with "
                   "-chardev ...,id=%s or -serial)",
                   object_get_typename(OBJECT(dev)), id, id);
        return false;
    }
    return true;
}

/* ---- isa-serial ---- */

typedef struct ISASerialState {
    DeviceState parent_obj;
    SerialState serial;
    MemoryRegion io;
    uint32_t iobase;
    uint32_t isairq;
    char *chardev;
} ISASerialState;

#define ISA_SERIAL(obj) INSTANCE_CAST(ISASerialState, (obj), TYPE_ISA_SERIAL)

static uint64_t isa_serial_read(void *opaque, hwaddr addr, unsigned size)
{
    ISASerialState *s = opaque;

    return serial_core_read(&s->serial, addr);
}

static void isa_serial_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    ISASerialState *s = opaque;

    serial_core_write(&s->serial, addr, value);
}

/* An 8-bit ISA part: wider port accesses reach consecutive registers. */
static const MemoryRegionOps isa_serial_ops = {
    .read = isa_serial_read,
    .write = isa_serial_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static void isa_serial_init(Object *obj)
{
    ISASerialState *s = ISA_SERIAL(obj);

    qdev_init_gpio_out(DEVICE(obj), &s->serial.irq, 1);
}

static bool isa_serial_realize(DeviceState *dev, Error **errp)
{
    ISASerialState *s = ISA_SERIAL(dev);
    Chardev *chr;

    if (!serial_find_chardev(dev, s->chardev, &chr, errp)) {
        return false;
    }
    memory_region_init_io(&s->io, OBJECT(dev), &isa_serial_ops, s, "serial",
                          UART_NR_REGS);
    if (!isa_ports_map(dev, &s->io, s->iobase, errp)) {
        memory_region_destroy(&s->io);
        return false;
    }
    if (!serial_core_init(&s->serial, dev, chr, errp)) {
        isa_ports_unmap(&s->io);
        memory_region_destroy(&s->io);
        return false;
    }
    return true;
}

static void isa_serial_unrealize(DeviceState *dev)
{
    ISASerialState *s = ISA_SERIAL(dev);

    serial_core_deinit(&s->serial);
    isa_ports_unmap(&s->io);
    memory_region_destroy(&s->io);
}

/* A realized device dropped without unrealize must not stay mapped. */
static void isa_serial_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void isa_serial_reset(DeviceState *dev)
{
    serial_core_reset(&ISA_SERIAL(dev)->serial);
}

static const Property isa_serial_properties[] = {
    DEFINE_PROP_UINT("iobase", ISASerialState, iobase, 0x3f8,
                     "first of the 8 I/O ports"),
    DEFINE_PROP_UINT("irq", ISASerialState, isairq, 4,
                     "ISA interrupt the board wires gpio out 0 to"),
    DEFINE_PROP_STRING("chardev", ISASerialState, chardev,
                       "ID of the character device it talks to"),
};

static void isa_serial_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "16550A UART on I/O ports";
    dc->realize = isa_serial_realize;
    dc->unrealize = isa_serial_unrealize;
    dc->reset = isa_serial_reset;
    dc->user_creatable = true;
    dc->optional_bus_type = TYPE_ISA_BUS;
    dc->category = DEVICE_CATEGORY_INPUT;
    class_add_properties(klass, isa_serial_properties,
                         ARRAY_SIZE(isa_serial_properties));
}

/* ---- serial-mm ---- */

typedef struct SerialMMState {
    SysBusDevice parent_obj;
    SerialState serial;
    MemoryRegion mmio;
    uint8_t regshift;
    char *chardev;
} SerialMMState;

#define SERIAL_MM(obj) INSTANCE_CAST(SerialMMState, (obj), TYPE_SERIAL_MM)

/* Only the low byte lane of each register slot holds the register. */
static bool serial_mm_lane_ok(SerialMMState *s, hwaddr addr, bool is_write)
{
    if (addr & ((1u << s->regshift) - 1)) {
        emu_log_mask(LOG_GUEST_ERROR, "serial-mm: %s at offset 0x%" PRIx64
                     " is not at a register (registers are %u bytes "
                     "apart)\n", is_write ? "write" : "read", addr,
                     1u << s->regshift);
        return false;
    }
    return true;
}

static uint64_t serial_mm_read(void *opaque, hwaddr addr, unsigned size)
{
    SerialMMState *s = opaque;

    if (!serial_mm_lane_ok(s, addr, false)) {
        return 0;
    }
    return serial_core_read(&s->serial, addr >> s->regshift);
}

static void serial_mm_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    SerialMMState *s = opaque;

    if (serial_mm_lane_ok(s, addr, true)) {
        serial_core_write(&s->serial, addr >> s->regshift, value & 0xff);
    }
}

/* Word accesses reach one register: the callbacks see them whole. */
static const MemoryRegionOps serial_mm_ops = {
    .read = serial_mm_read,
    .write = serial_mm_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static bool serial_mm_realize(DeviceState *dev, Error **errp)
{
    SerialMMState *s = SERIAL_MM(dev);
    Chardev *chr;

    if (s->regshift != 0 && s->regshift != 2) {
        error_setg(errp, "serial-mm: regshift %u is not supported (0: "
                   "registers 1 byte apart, 2: 4 bytes apart)", s->regshift);
        return false;
    }
    if (!serial_find_chardev(dev, s->chardev, &chr, errp) ||
        !serial_core_init(&s->serial, dev, chr, errp)) {
        return false;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &serial_mm_ops, s, "serial",
                          UART_NR_REGS << s->regshift);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    return true;
}

static void serial_mm_init(Object *obj)
{
    SerialMMState *s = SERIAL_MM(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->serial.irq);
}

static void serial_mm_unrealize(DeviceState *dev)
{
    SerialMMState *s = SERIAL_MM(dev);

    serial_core_deinit(&s->serial);
    memory_region_destroy(&s->mmio);
}

static void serial_mm_finalize(Object *obj)
{
    if (DEVICE(obj)->realized) {
        serial_mm_unrealize(DEVICE(obj));
    }
}

static void serial_mm_reset(DeviceState *dev)
{
    serial_core_reset(&SERIAL_MM(dev)->serial);
}

static const Property serial_mm_properties[] = {
    DEFINE_PROP_UINT("regshift", SerialMMState, regshift, 0,
                     "log2 of the distance between registers (0 or 2)"),
    DEFINE_PROP_STRING("chardev", SerialMMState, chardev,
                       "ID of the character device it talks to"),
};

static void serial_mm_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "16550A UART, memory mapped";
    dc->realize = serial_mm_realize;
    dc->unrealize = serial_mm_unrealize;
    dc->reset = serial_mm_reset;
    class_add_properties(klass, serial_mm_properties,
                         ARRAY_SIZE(serial_mm_properties));
}

static const TypeInfo serial_types[] = {
    {
        .name = TYPE_ISA_SERIAL,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(ISASerialState),
        .instance_init = isa_serial_init,
        .instance_finalize = isa_serial_finalize,
        .class_init = isa_serial_class_init,
    },
    {
        .name = TYPE_SERIAL_MM,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(SerialMMState),
        .instance_init = serial_mm_init,
        .instance_finalize = serial_mm_finalize,
        .class_init = serial_mm_class_init,
    },
};

DEFINE_TYPES(serial_types)
