/*
 * The PIIX3 PCI-to-ISA bridge (see include/hw/isa/piix.h).  Facts from
 * the Intel 82371FB/82371SB datasheet (290550): PIRQRC[A:D] at 0x60-0x63
 * (bit 7 disables the route, bits 3:0 the ISA IRQ), the reset control
 * register at I/O 0xcf9 (bit 2 resets, bit 1 chooses a hard reset).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/isa/piix.h"
#include "sysemu/runstate.h"

#define PIIX_PIRQRC         0x60
#define PIIX_PIRQRC_DISABLE 0x80
#define PIIX_RCR_IOPORT     0xcf9
#define RCR_SYS_RST         0x02
#define RCR_RESET_CPU       0x04

typedef struct PIIX3State {
    PCIDevice parent_obj;
    IRQLine *isa_irqs[ISA_NUM_IRQS];
    bool pirq_level[PIIX_NUM_PIRQS];
    uint16_t driven;             /* ISA IRQs the PCI interrupts hold up */
    uint8_t rcr;
    MemoryRegion rcr_io;
    BusState *isa_bus;
} PIIX3State;

#define PIIX3(obj) INSTANCE_CAST(PIIX3State, (obj), TYPE_PIIX3_PCI_DEVICE)

/* QEMU's and SeaBIOS's wiring of the slots: slot s pin p on PIRQ
 * (s - 1 + p) mod 4. */
static int piix3_map_irq(PCIDevice *dev, int pin)
{
    return (PCI_SLOT(dev->devfn) + pin - 1) & 3;
}

/* Drives each ISA IRQ with the OR of the PIRQs routed to it. */
static void piix3_update_isa_irqs(PIIX3State *s)
{
    uint16_t driven = 0;

    for (int pirq = 0; pirq < PIIX_NUM_PIRQS; pirq++) {
        uint8_t route = s->parent_obj.config[PIIX_PIRQRC + pirq];

        if (s->pirq_level[pirq] && !(route & PIIX_PIRQRC_DISABLE) &&
            (route & 0x0f) < ISA_NUM_IRQS) {
            driven |= 1u << (route & 0x0f);
        }
    }
    for (int irq = 0; irq < ISA_NUM_IRQS; irq++) {
        if ((driven ^ s->driven) & (1u << irq)) {
            irq_set_level(s->isa_irqs[irq], !!(driven & (1u << irq)));
        }
    }
    s->driven = driven;
}

static void piix3_set_pirq(void *opaque, int pirq, int level)
{
    PIIX3State *s = opaque;

    s->pirq_level[pirq] = level;
    piix3_update_isa_irqs(s);
}

static void piix3_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                               int len)
{
    pci_default_config_write(dev, addr, val, len);
    if (addr < PIIX_PIRQRC + PIIX_NUM_PIRQS && addr + len > PIIX_PIRQRC) {
        piix3_update_isa_irqs(PIIX3(dev));
    }
}

static uint64_t rcr_read(void *opaque, hwaddr addr, unsigned size)
{
    return PIIX3(opaque)->rcr;
}

static void rcr_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    PIIX3State *s = opaque;

    if (value & RCR_RESET_CPU) {
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    s->rcr = value & RCR_SYS_RST;
}

static const MemoryRegionOps rcr_ops = {
    .read = rcr_read,
    .write = rcr_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static bool piix3_realize(PCIDevice *dev, Error **errp)
{
    PIIX3State *s = PIIX3(dev);

    pci_bus_irqs(pci_get_bus(dev), piix3_map_irq, piix3_set_pirq, s,
                 PIIX_NUM_PIRQS);
    memory_region_init_io(&s->rcr_io, OBJECT(dev), &rcr_ops, s,
                          "piix3-reset-control", 1);
    /* Inside the host bridge's 0xcf8 doubleword, which takes only
     * doubleword accesses. */
    memory_region_add_subregion_overlap(get_system_io(), PIIX_RCR_IOPORT,
                                        &s->rcr_io, 1);
    s->isa_bus = qbus_new(TYPE_ISA_BUS, DEVICE(dev), "isa.0");
    return true;
}

BusState *piix3_isa_bus(PCIDevice *piix3)
{
    return PIIX3(piix3)->isa_bus;
}

static void piix3_exit(PCIDevice *dev)
{
    PIIX3State *s = PIIX3(dev);

    memory_region_del_subregion(get_system_io(), &s->rcr_io);
    memory_region_destroy(&s->rcr_io);
}

/* The datasheet's defaults of the registers firmware looks at. */
static void piix3_reset(PCIDevice *dev)
{
    PIIX3State *s = PIIX3(dev);
    uint8_t *c = dev->config;

    c[0x4c] = 0x4d;              /* ISA I/O recovery timer */
    c[0x4e] = 0x03;              /* X-bus chip select: RTC, keyboard */
    c[0x4f] = 0x00;
    memset(c + PIIX_PIRQRC, PIIX_PIRQRC_DISABLE, PIIX_NUM_PIRQS);
    c[0x69] = 0x02;              /* top of memory */
    c[0x70] = 0x80;              /* motherboard device IRQ routing */
    c[0x76] = 0x0c;              /* motherboard DMA */
    c[0x77] = 0x0c;
    c[0x78] = 0x02;              /* programmable chip select */
    c[0x79] = 0x00;
    c[0x80] = 0x00;              /* APIC base address relocation */
    c[0x82] = 0x00;              /* deterministic latency */
    c[0xa0] = 0x08;              /* SMI control */
    c[0xa2] = 0x00;
    c[0xa3] = 0x00;
    c[0xa4] = 0x00;
    c[0xa5] = 0x00;
    c[0xa6] = 0x00;
    c[0xa7] = 0x00;
    c[0xa8] = 0x0f;              /* fast off timer */
    c[0xaa] = 0x00;
    c[0xab] = 0x00;
    c[0xac] = 0x00;
    c[0xae] = 0x00;
    memset(s->pirq_level, 0, sizeof(s->pirq_level));
    piix3_update_isa_irqs(s);
    s->rcr = 0;
}

static void piix3_instance_init(Object *obj)
{
    PIIX3State *s = PIIX3(obj);

    qdev_init_gpio_out(DEVICE(obj), s->isa_irqs, ISA_NUM_IRQS);
}

static void piix3_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "ISA bridge";
    pc->realize = piix3_realize;
    pc->exit = piix3_exit;
    pc->reset = piix3_reset;
    pc->config_write = piix3_config_write;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7000;
    pc->class_id = PCI_CLASS_BRIDGE_ISA;
}

static const TypeInfo piix3_types[] = {
    {
        .name = TYPE_ISA_BUS,
        .parent = TYPE_BUS,
    },
    {
        .name = TYPE_PIIX3_PCI_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PIIX3State),
        .instance_init = piix3_instance_init,
        .class_init = piix3_class_init,
    },
};

DEFINE_TYPES(piix3_types)
