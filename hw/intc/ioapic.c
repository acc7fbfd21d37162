/*
 * The I/O APIC (Intel 82093AA datasheet; version 0x20, which adds the
 * EOI register at 0x40): 24 interrupt pins, each with a 64-bit
 * redirection entry that sends its vector over the APIC bus to the
 * local APICs the destination selects.  Edge-triggered pins send on a
 * rising edge; a level-triggered pin sends while asserted and sets its
 * remote IRR until the local APIC broadcasts the EOI of its vector (or
 * the guest writes the vector to the EOI register), when a pin still
 * asserted sends again.  Registers are reached through IOREGSEL (0x00)
 * and IOWIN (0x10).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/intc/apic.h"
#include "hw/intc/intc-info.h"
#include "hw/intc/ioapic.h"
#include "hw/sysbus.h"

#define IOAPIC_VERSION    0x20
#define REG_ID            0x00
#define REG_VERSION       0x01
#define REG_ARB           0x02
#define REG_REDTBL        0x10

#define MMIO_IOREGSEL     0x00
#define MMIO_IOWIN        0x10
#define MMIO_EOI          0x40

#define RTE_MASKED        (1ULL << 16)
#define RTE_LEVEL         (1ULL << 15)
#define RTE_REMOTE_IRR    (1ULL << 14)
#define RTE_POLARITY_LOW  (1ULL << 13)
#define RTE_PENDING       (1ULL << 12)
#define RTE_LOGICAL       (1ULL << 11)
#define RTE_RO_BITS       (RTE_REMOTE_IRR | RTE_PENDING)

typedef struct IOAPICState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    uint8_t id;
    uint8_t ioregsel;
    uint32_t irr;                /* pins asserted (level) / latched (edge) */
    uint32_t levels;             /* the input levels */
    uint64_t rte[IOAPIC_PINS];
    uint64_t irq_count[IOAPIC_PINS];
    const IRQAckListener *ack_listener;
} IOAPICState;

#define IOAPIC(obj) INSTANCE_CAST(IOAPICState, (obj), TYPE_IOAPIC)

/* Sends what the pins request; a masked pin keeps its request. */
static void service(IOAPICState *s)
{
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t rte = s->rte[pin];
        bool level = rte & RTE_LEVEL;

        if (!(s->irr & (1u << pin)) || (rte & RTE_MASKED) ||
            (level && (rte & RTE_REMOTE_IRR))) {
            continue;
        }
        if (level) {
            s->rte[pin] |= RTE_REMOTE_IRR;
        } else {
            s->irr &= ~(1u << pin);
        }
        apic_bus_deliver(rte >> 56, rte & RTE_LOGICAL, (rte >> 8) & 7,
                         rte & 0xff, level);
    }
}

static void ioapic_set_irq(void *opaque, int pin, int level)
{
    IOAPICState *s = opaque;
    uint32_t mask = 1u << pin;
    bool was = s->levels & mask;

    /* An active-low pin's line is inverted by the board, if at all:
     * the ISA and PCI lines here are active high. */
    if (level && !was) {
        s->irq_count[pin]++;
    }
    s->levels = level ? s->levels | mask : s->levels & ~mask;
    if (s->rte[pin] & RTE_LEVEL) {
        s->irr = level ? s->irr | mask : s->irr & ~mask;
    } else if (level && !was && !(s->rte[pin] & RTE_MASKED)) {
        /* The 82093AA ignores edges on a masked pin. */
        s->irr |= mask;
    }
    service(s);
}

/* A local APIC's EOI of vector (level: of a level-triggered one, the
 * only EOIs the hardware broadcasts), or the EOI register: the level
 * pins with that vector may send again; the ack listener hears of the
 * edge pins'. */
static void ioapic_eoi(void *opaque, uint8_t vector, bool level)
{
    IOAPICState *s = opaque;

    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        if ((s->rte[pin] & 0xff) != vector) {
            continue;
        }
        if (s->rte[pin] & RTE_LEVEL) {
            if (level) {
                s->rte[pin] &= ~RTE_REMOTE_IRR;
            }
        } else if (s->ack_listener) {
            s->ack_listener->acked(s->ack_listener->opaque, pin);
        }
    }
    service(s);
}

void ioapic_set_ack_listener(DeviceState *ioapic,
                             const IRQAckListener *listener)
{
    IOAPIC(ioapic)->ack_listener = listener;
}

static uint32_t read_indirect(IOAPICState *s)
{
    unsigned reg = s->ioregsel;

    switch (reg) {
    case REG_ID:
    case REG_ARB:
        return (uint32_t)s->id << 24;
    case REG_VERSION:
        return ((IOAPIC_PINS - 1) << 16) | IOAPIC_VERSION;
    default:
        if (reg >= REG_REDTBL && reg < REG_REDTBL + 2 * IOAPIC_PINS) {
            uint64_t rte = s->rte[(reg - REG_REDTBL) / 2];

            return reg & 1 ? rte >> 32 : (uint32_t)rte;
        }
        emu_log_mask(LOG_GUEST_ERROR, "ioapic: read of register 0x%02x\n",
                     reg);
        return 0;
    }
}

static void write_indirect(IOAPICState *s, uint32_t value)
{
    unsigned reg = s->ioregsel;

    if (reg == REG_ID) {
        s->id = (value >> 24) & 0xf;
        return;
    }
    if (reg >= REG_REDTBL && reg < REG_REDTBL + 2 * IOAPIC_PINS) {
        int pin = (reg - REG_REDTBL) / 2;
        uint64_t rte = s->rte[pin];
        bool unmasked;

        if (reg & 1) {
            rte = (rte & 0xffffffffULL) | ((uint64_t)value << 32);
        } else {
            rte = (rte & ~0xffffffffULL & ~RTE_RO_BITS) |
                  (value & ~RTE_RO_BITS) | (rte & RTE_RO_BITS);
        }
        /* An edge-triggered pin has no remote IRR. */
        if (!(rte & RTE_LEVEL)) {
            rte &= ~RTE_REMOTE_IRR;
        }
        unmasked = (s->rte[pin] & RTE_MASKED) && !(rte & RTE_MASKED);
        s->rte[pin] = rte;
        /* A level pin's request follows its line in either mode. */
        if (rte & RTE_LEVEL) {
            s->irr = (s->irr & ~(1u << pin)) | (s->levels & (1u << pin));
        }
        service(s);
        if (unmasked && s->ack_listener) {
            s->ack_listener->forgotten(s->ack_listener->opaque, pin);
        }
        return;
    }
    emu_log_mask(LOG_GUEST_ERROR, "ioapic: write of read-only register "
                 "0x%02x\n", reg);
}

static uint64_t ioapic_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IOAPICState *s = opaque;

    switch (addr) {
    case MMIO_IOREGSEL:
        return s->ioregsel;
    case MMIO_IOWIN:
        return read_indirect(s);
    default:
        return 0;
    }
}

static void ioapic_mmio_write(void *opaque, hwaddr addr, uint64_t value,
                              unsigned size)
{
    IOAPICState *s = opaque;

    switch (addr) {
    case MMIO_IOREGSEL:
        s->ioregsel = value;
        break;
    case MMIO_IOWIN:
        write_indirect(s, value);
        break;
    case MMIO_EOI:
        ioapic_eoi(s, value, true);
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "ioapic: write at offset 0x%" PRIx64
                     "\n", addr);
        break;
    }
}

static const MemoryRegionOps ioapic_mmio_ops = {
    .read = ioapic_mmio_read,
    .write = ioapic_mmio_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void print_pins(GString *out, const char *name, uint32_t pins)
{
    g_string_append_printf(out, "%-10s ", name);
    if (!pins) {
        g_string_append(out, "(none)\n");
        return;
    }
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        if (pins & (1u << pin)) {
            g_string_append_printf(out, "%-2u ", pin);
        }
    }
    g_string_append(out, "\n");
}

static void ioapic_print_info(DeviceState *dev, GString *out)
{
    static const char *const modes[8] = {
        "fixed", "lowest", "SMI", "...", "NMI", "INIT", "...", "extINT",
    };
    IOAPICState *s = IOAPIC(dev);
    uint32_t remote_irr = 0;

    g_string_append_printf(out, "ioapic0: ver=0x%x id=0x%02x sel=0x%02x",
                           IOAPIC_VERSION, s->id, s->ioregsel);
    if (s->ioregsel) {
        /* QEMU's arithmetic: below the table it goes negative. */
        g_string_append_printf(out, " (redir[%u])\n",
                               (unsigned)((s->ioregsel - REG_REDTBL) >> 1));
    } else {
        g_string_append(out, "\n");
    }
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t rte = s->rte[pin];

        g_string_append_printf(out, "  pin %-2u 0x%016" PRIx64 " dest=%"
                               PRIx64 " vec=%-3" PRIu64 " %s %-5s %-6s %-6s "
                               "%s\n", pin, rte,
                               (rte >> 56) & (rte & RTE_LOGICAL ? 0xff : 0xf),
                               rte & 0xff,
                               rte & RTE_POLARITY_LOW ? "active-lo"
                                                      : "active-hi",
                               rte & RTE_LEVEL ? "level" : "edge",
                               rte & RTE_MASKED ? "masked" : "",
                               modes[(rte >> 8) & 7],
                               rte & RTE_LOGICAL ? "logical" : "physical");
        if ((rte & RTE_LEVEL) && (rte & RTE_REMOTE_IRR)) {
            remote_irr |= 1u << pin;
        }
    }
    print_pins(out, "  IRR", s->irr);
    print_pins(out, "  Remote IRR", remote_irr);
}

static bool ioapic_get_statistics(DeviceState *dev, const uint64_t **counts,
                                  unsigned *count)
{
    *counts = IOAPIC(dev)->irq_count;
    *count = IOAPIC_PINS;
    return true;
}

static const IntcInfoOps ioapic_info_ops = {
    .print_info = ioapic_print_info,
    .get_statistics = ioapic_get_statistics,
};

/* Power-on: every pin masked, edge, fixed, to APIC 0. */
static void ioapic_reset(DeviceState *dev)
{
    IOAPICState *s = IOAPIC(dev);

    s->id = 0;
    s->ioregsel = 0;
    s->irr = 0;
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        s->rte[pin] = RTE_MASKED;
    }
}

static void ioapic_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), ioapic_set_irq, IOAPIC_PINS);
}

static bool ioapic_realize(DeviceState *dev, Error **errp)
{
    IOAPICState *s = IOAPIC(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &ioapic_mmio_ops, s,
                          "ioapic", 0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    apic_bus_set_eoi_listener(ioapic_eoi, s);
    intc_info_register(dev, &ioapic_info_ops);
    return true;
}

static void ioapic_unrealize(DeviceState *dev)
{
    IOAPICState *s = IOAPIC(dev);

    intc_info_unregister(dev);
    apic_bus_set_eoi_listener(NULL, NULL);
    if (s->mmio.container) {
        memory_region_del_subregion(s->mmio.container, &s->mmio);
    }
    memory_region_destroy(&s->mmio);
}

static void ioapic_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void ioapic_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "I/O APIC";
    dc->realize = ioapic_realize;
    dc->unrealize = ioapic_unrealize;
    dc->reset = ioapic_reset;
}

static const TypeInfo ioapic_types[] = {
    {
        .name = TYPE_IOAPIC,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(IOAPICState),
        .instance_init = ioapic_init,
        .instance_finalize = ioapic_finalize,
        .class_init = ioapic_class_init,
    },
};

DEFINE_TYPES(ioapic_types)
