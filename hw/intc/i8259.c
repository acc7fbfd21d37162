/*
 * The 8259A programmable interrupt controller, as the PC pairs them
 * (Intel 8259A datasheet; the ELCR of the PIIX/ICH chipsets).
 *
 * A controller holds three 8-bit registers: IRR (requests), ISR (in
 * service) and IMR (masked).  An edge-triggered input latches a request
 * in IRR on its rising edge; a level-triggered one (ELCR bit, or LTIM of
 * ICW1 for all inputs) requests while it is high.  INT is raised while
 * an unmasked request outranks everything in service.  Priorities
 * rotate: IRQ (priority_add) is the highest and the rest follow.
 *
 * Programming: a write to the command port with bit 4 set starts the
 * initialization sequence (ICW1, then ICW2-4 on the data port); other
 * command writes are OCW2 (EOI, rotation, priority) or OCW3 (register
 * to read, poll, special mask mode); data writes after initialization
 * set IMR (OCW1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/boards.h"
#include "hw/intc/i8259.h"
#include "hw/intc/intc-info.h"
#include "hw/misc/isa-ports.h"

#define ICW1_IC4    0x01         /* ICW4 follows */
#define ICW1_SNGL   0x02         /* no slave: no ICW3 */
#define ICW1_LTIM   0x08         /* every input level triggered */
#define ICW1_INIT   0x10
#define OCW3_SEL    0x08         /* a command write that is OCW3 */
#define OCW3_POLL   0x04
#define OCW3_RR     0x02         /* RIS selects the register read */
#define OCW3_RIS    0x01
#define OCW3_ESMM   0x40         /* SMM sets special mask mode */
#define OCW3_SMM    0x20
#define ICW4_AEOI   0x02
#define ICW4_SFNM   0x10

#define CASCADE_IRQ 2
#define SPURIOUS_IRQ 7

typedef struct I8259State {
    DeviceState parent_obj;
    MemoryRegion io;
    MemoryRegion elcr_io;
    IRQLine *int_out;
    struct I8259State *slave;    /* master only: for INTA */
    /* properties */
    uint32_t iobase;
    uint32_t elcr_addr;
    uint8_t elcr_mask;           /* inputs that can be level triggered */
    bool master;
    /* registers */
    uint8_t irr, isr, imr;
    uint8_t elcr;
    uint8_t last_level;          /* input levels, for edge detection */
    uint8_t priority_add;        /* the IRQ of highest priority */
    uint8_t irq_base;            /* ICW2: vector of IRQ 0 */
    uint8_t init_state;          /* next ICW expected: 0 when done */
    bool init4, single, ltim;
    bool read_isr;               /* OCW3: reads return ISR, not IRR */
    bool poll;
    bool special_mask;
    bool auto_eoi;
    bool rotate_on_auto_eoi;
    bool special_fully_nested;
    uint64_t irq_count[16];      /* master: the pair's, for info irq */
    uint64_t *counts;            /* where its inputs count: the slave's
                                  * in the master's irq_count[8..15] */
    const IRQAckListener *ack_listener;
} I8259State;

#define I8259(obj) INSTANCE_CAST(I8259State, (obj), TYPE_I8259)

/* The priority (0 highest) of the best request in mask, 8 for none. */
static int best_priority(I8259State *s, uint8_t mask)
{
    int priority = 0;

    if (!mask) {
        return 8;
    }
    while (!(mask & (1 << ((priority + s->priority_add) & 7)))) {
        priority++;
    }
    return priority;
}

/* The IRQ that would interrupt the CPU now, or -1. */
static int pending_irq(I8259State *s)
{
    int priority = best_priority(s, s->irr & ~s->imr);
    uint8_t in_service = s->isr;

    if (priority == 8) {
        return -1;
    }
    /* Special mask mode: masked levels in service do not block. */
    if (s->special_mask) {
        in_service &= ~s->imr;
    }
    /* Special fully nested mode: the slave may interrupt its own
     * service routine with a request of higher priority. */
    if (s->special_fully_nested && s->master) {
        in_service &= ~(1 << CASCADE_IRQ);
    }
    if (priority < best_priority(s, in_service)) {
        return (priority + s->priority_add) & 7;
    }
    return -1;
}

static void update_int(I8259State *s)
{
    irq_set_level(s->int_out, pending_irq(s) >= 0);
}

/* The ISA IRQ of input irq, as the ack listener numbers them. */
static int isa_irq(I8259State *s, int irq)
{
    return s->master ? irq : 8 + irq;
}

static void irq_acked(I8259State *s, int irq)
{
    if (s->ack_listener) {
        s->ack_listener->acked(s->ack_listener->opaque, isa_irq(s, irq));
    }
}

/* End of service of irq: ISR cleared, the ack listener told. */
static void end_of_interrupt(I8259State *s, int irq)
{
    if (s->isr & (1 << irq)) {
        s->isr &= ~(1 << irq);
        irq_acked(s, irq);
    }
}

static bool level_triggered(I8259State *s, int irq)
{
    return s->ltim || (s->elcr & (1 << irq));
}

static void i8259_set_irq(void *opaque, int irq, int level)
{
    I8259State *s = opaque;
    uint8_t mask = 1 << irq;
    bool was = s->last_level & mask;

    if (level && !was) {
        s->counts[irq]++;
    }
    if (level_triggered(s, irq)) {
        s->irr = level ? s->irr | mask : s->irr & ~mask;
    } else if (level && !was) {
        s->irr |= mask;
    }
    s->last_level = level ? s->last_level | mask : s->last_level & ~mask;
    update_int(s);
}

/* The controller's part of INTA for irq: in service (unless automatic
 * EOI), an edge request consumed. */
static void acknowledge(I8259State *s, int irq)
{
    if (s->auto_eoi) {
        if (s->rotate_on_auto_eoi) {
            s->priority_add = (irq + 1) & 7;
        }
    } else {
        s->isr |= 1 << irq;
    }
    if (!level_triggered(s, irq)) {
        s->irr &= ~(1 << irq);
    }
    update_int(s);
    /* Last: the listener may raise the input again. */
    if (s->auto_eoi) {
        irq_acked(s, irq);
    }
}

int i8259_inta(DeviceState *dev)
{
    I8259State *m = I8259(dev), *sl = m->slave;
    int irq = pending_irq(m), vector;

    if (irq < 0) {
        /* The request went away before INTA: IRQ 7, not in service. */
        emu_log_mask(LOG_GUEST_ERROR, "i8259: spurious IRQ 7\n");
        return m->irq_base + SPURIOUS_IRQ;
    }
    if (irq == CASCADE_IRQ && sl) {
        int irq2 = pending_irq(sl);

        if (irq2 >= 0) {
            acknowledge(sl, irq2);
            vector = sl->irq_base + irq2;
        } else {
            /* The master still puts the cascade in service. */
            emu_log_mask(LOG_GUEST_ERROR, "i8259: spurious IRQ 15\n");
            vector = sl->irq_base + SPURIOUS_IRQ;
        }
    } else {
        vector = m->irq_base + irq;
    }
    acknowledge(m, irq);
    return vector;
}

/* Poll mode: the read is the INTA (bit 7: a request, bits 0-2: which). */
static uint8_t poll_read(I8259State *s)
{
    int irq = pending_irq(s);

    if (irq < 0) {
        return 0;
    }
    acknowledge(s, irq);
    return 0x80 | irq;
}

/* ICW1: everything but the ELCR starts over; IR7 lowest, IRR read. */
static void init_reset(I8259State *s)
{
    s->last_level = 0;
    s->irr &= s->elcr;
    s->isr = 0;
    s->imr = 0;
    s->priority_add = 0;
    s->irq_base = 0;
    s->init_state = 0;
    s->init4 = s->single = s->ltim = false;
    s->read_isr = s->poll = s->special_mask = false;
    s->auto_eoi = s->rotate_on_auto_eoi = false;
    s->special_fully_nested = false;
    update_int(s);
    /* The edges in IRR are gone. */
    for (int irq = 0; irq < 8 && s->ack_listener; irq++) {
        s->ack_listener->forgotten(s->ack_listener->opaque, isa_irq(s, irq));
    }
}

static void write_ocw2(I8259State *s, uint8_t value)
{
    int irq = value & 7, priority;

    switch (value >> 5) {
    case 0:                      /* rotate in automatic EOI mode: clear */
    case 4:                      /* ... set */
        s->rotate_on_auto_eoi = value >> 7;
        break;
    case 1:                      /* non-specific EOI */
    case 5:                      /* ... and rotate */
        priority = best_priority(s, s->isr);
        if (priority == 8) {
            return;
        }
        irq = (priority + s->priority_add) & 7;
        end_of_interrupt(s, irq);
        if (value >> 5 == 5) {
            s->priority_add = (irq + 1) & 7;
        }
        break;
    case 3:                      /* specific EOI */
        end_of_interrupt(s, irq);
        break;
    case 6:                      /* set priority: irq becomes lowest */
        s->priority_add = (irq + 1) & 7;
        break;
    case 7:                      /* specific EOI and rotate */
        end_of_interrupt(s, irq);
        s->priority_add = (irq + 1) & 7;
        break;
    default:                     /* 2: no operation */
        return;
    }
    update_int(s);
}

static void i8259_write(void *opaque, hwaddr addr, uint64_t value,
                        unsigned size)
{
    I8259State *s = opaque;

    if (addr == 0) {
        if (value & ICW1_INIT) {
            init_reset(s);
            s->init_state = 1;
            s->init4 = value & ICW1_IC4;
            s->single = value & ICW1_SNGL;
            s->ltim = value & ICW1_LTIM;
        } else if (value & OCW3_SEL) {
            if (value & OCW3_POLL) {
                s->poll = true;
            }
            if (value & OCW3_RR) {
                s->read_isr = value & OCW3_RIS;
            }
            if (value & OCW3_ESMM) {
                s->special_mask = value & OCW3_SMM;
                update_int(s);
            }
        } else {
            write_ocw2(s, value);
        }
        return;
    }
    switch (s->init_state) {
    case 0: {                    /* OCW1 */
        uint8_t unmasked = s->imr & ~value;

        s->imr = value;
        update_int(s);
        for (int irq = 0; irq < 8 && s->ack_listener; irq++) {
            if (unmasked & (1 << irq)) {
                s->ack_listener->forgotten(s->ack_listener->opaque,
                                           isa_irq(s, irq));
            }
        }
        break;
    }
    case 1:                      /* ICW2 */
        s->irq_base = value & 0xf8;
        s->init_state = s->single ? (s->init4 ? 3 : 0) : 2;
        break;
    case 2:                      /* ICW3: the cascade is fixed on a PC */
        s->init_state = s->init4 ? 3 : 0;
        break;
    case 3:                      /* ICW4 */
        s->special_fully_nested = value & ICW4_SFNM;
        s->auto_eoi = value & ICW4_AEOI;
        s->init_state = 0;
        break;
    }
}

static uint64_t i8259_read(void *opaque, hwaddr addr, unsigned size)
{
    I8259State *s = opaque;

    if (s->poll) {
        s->poll = false;
        return poll_read(s);
    }
    if (addr == 0) {
        return s->read_isr ? s->isr : s->irr;
    }
    return s->imr;
}

static const MemoryRegionOps i8259_ops = {
    .read = i8259_read,
    .write = i8259_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t elcr_read(void *opaque, hwaddr addr, unsigned size)
{
    return I8259(opaque)->elcr;
}

static void elcr_write(void *opaque, hwaddr addr, uint64_t value,
                       unsigned size)
{
    I8259State *s = opaque;

    s->elcr = value & s->elcr_mask;
    update_int(s);
}

static const MemoryRegionOps elcr_ops = {
    .read = elcr_read,
    .write = elcr_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void i8259_print_info(DeviceState *dev, GString *out)
{
    I8259State *s = I8259(dev);

    g_string_append_printf(out, "pic%d: irr=%02x imr=%02x isr=%02x hprio=%d "
                           "irq_base=%02x rr_sel=%d elcr=%02x fnm=%d\n",
                           s->master ? 0 : 1, s->irr, s->imr, s->isr,
                           s->priority_add, s->irq_base, s->read_isr,
                           s->elcr, s->special_fully_nested);
}

/* One table of 16 for the pair, on the master, as QEMU counts them. */
static bool i8259_get_statistics(DeviceState *dev, const uint64_t **counts,
                                 unsigned *count)
{
    I8259State *s = I8259(dev);

    if (!s->master) {
        return false;
    }
    *counts = s->irq_count;
    *count = ARRAY_SIZE(s->irq_count);
    return true;
}

static const IntcInfoOps i8259_info_ops = {
    .print_info = i8259_print_info,
    .get_statistics = i8259_get_statistics,
};

/* Power-on: as after an ICW1, and every input edge triggered. */
static void i8259_reset(DeviceState *dev)
{
    I8259State *s = I8259(dev);

    s->elcr = 0;
    init_reset(s);
}

static void i8259_init(Object *obj)
{
    I8259State *s = I8259(obj);

    qdev_init_gpio_in(DEVICE(obj), i8259_set_irq, 8);
    qdev_init_gpio_out(DEVICE(obj), &s->int_out, 1);
    s->counts = s->irq_count;
}

static bool i8259_realize(DeviceState *dev, Error **errp)
{
    I8259State *s = I8259(dev);

    memory_region_init_io(&s->io, OBJECT(dev), &i8259_ops, s, "pic", 2);
    memory_region_init_io(&s->elcr_io, OBJECT(dev), &elcr_ops, s, "elcr", 1);
    if (!isa_ports_map(dev, &s->io, s->iobase, errp)) {
        goto fail;
    }
    if (!isa_ports_map(dev, &s->elcr_io, s->elcr_addr, errp)) {
        isa_ports_unmap(&s->io);
        goto fail;
    }
    intc_info_register(dev, &i8259_info_ops);
    return true;

fail:
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->elcr_io);
    return false;
}

static void i8259_unrealize(DeviceState *dev)
{
    I8259State *s = I8259(dev);

    intc_info_unregister(dev);
    isa_ports_unmap(&s->io);
    isa_ports_unmap(&s->elcr_io);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->elcr_io);
}

static void i8259_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property i8259_properties[] = {
    DEFINE_PROP_UINT("iobase", I8259State, iobase, 0x20,
                     "command port; the data port follows it"),
    DEFINE_PROP_UINT("elcr_addr", I8259State, elcr_addr, 0x4d0,
                     "port of the edge/level control register"),
    DEFINE_PROP_UINT("elcr_mask", I8259State, elcr_mask, 0xf8,
                     "inputs the ELCR can make level triggered"),
    DEFINE_PROP_BOOL("master", I8259State, master, false,
                     "the master (IRQ 0-7) or the slave (IRQ 8-15)"),
};

static void i8259_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "8259A interrupt controller";
    dc->realize = i8259_realize;
    dc->unrealize = i8259_unrealize;
    dc->reset = i8259_reset;
    class_add_properties(klass, i8259_properties,
                         ARRAY_SIZE(i8259_properties));
}

static const TypeInfo i8259_types[] = {
    {
        .name = TYPE_I8259,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(I8259State),
        .instance_init = i8259_init,
        .instance_finalize = i8259_finalize,
        .class_init = i8259_class_init,
    },
};

DEFINE_TYPES(i8259_types)

/* The controller at QEMU's ports, in /machine/unattached, not realized. */
static DeviceState *new_pic(bool master, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_I8259);

    machine_add_unattached(OBJECT(dev));
    if (!object_property_set_uint(OBJECT(dev), "iobase",
                                  master ? 0x20 : 0xa0, errp) ||
        !object_property_set_uint(OBJECT(dev), "elcr_addr",
                                  master ? 0x4d0 : 0x4d1, errp) ||
        !object_property_set_uint(OBJECT(dev), "elcr_mask",
                                  master ? 0xf8 : 0xde, errp) ||
        !object_property_set_bool(OBJECT(dev), "master", master, errp)) {
        object_unparent(OBJECT(dev));
        object_unref(OBJECT(dev));
        return NULL;
    }
    return dev;
}

static bool realize_pic(DeviceState *dev, Error **errp)
{
    if (!qdev_realize_and_unref(dev, NULL, errp)) {
        object_unparent(OBJECT(dev));
        return false;
    }
    return true;
}

void i8259_pair_set_bus(DeviceState *master, BusState *bus)
{
    qdev_set_parent_bus(master, bus);
    qdev_set_parent_bus(DEVICE(I8259(master)->slave), bus);
}

void i8259_set_ack_listener(DeviceState *master,
                            const IRQAckListener *listener)
{
    I8259(master)->ack_listener = listener;
    I8259(master)->slave->ack_listener = listener;
}

DeviceState *i8259_init_pair(IRQLine *intr, IRQLine *isa_irqs[16],
                             Error **errp)
{
    /* The master's QOM path comes first, as in QEMU; the slave realizes
     * first, so that "info pic" lists pic1 before pic0 as QEMU's does. */
    DeviceState *master = new_pic(true, errp);
    DeviceState *slave = master ? new_pic(false, errp) : NULL;

    if (!slave) {
        if (master) {
            object_unparent(OBJECT(master));
            object_unref(OBJECT(master));
        }
        return NULL;
    }
    if (!realize_pic(slave, errp)) {
        object_unparent(OBJECT(master));
        object_unref(OBJECT(master));
        return NULL;
    }
    if (!realize_pic(master, errp)) {
        return NULL;
    }
    I8259(master)->slave = I8259(slave);
    I8259(slave)->counts = I8259(master)->irq_count + 8;
    qdev_connect_gpio_out(slave, 0, qdev_get_gpio_in(master, CASCADE_IRQ));
    qdev_connect_gpio_out(master, 0, intr);
    for (int i = 0; i < 16; i++) {
        isa_irqs[i] = i == CASCADE_IRQ ? NULL
                      : qdev_get_gpio_in(i < 8 ? master : slave, i & 7);
    }
    return master;
}
