/*
 * The generic PCI Express host bridge (see include/hw/pci-host/gpex.h),
 * as QEMU 7.2's gpex-pcihost: ECAM (PCI Express Base Specification
 * 7.2.2, "Enhanced Configuration Access Mechanism"), two windows onto
 * the bus's memory and I/O spaces, INTx on four lines.
 *
 * emu's functions are conventional PCI ones (256 bytes of configuration
 * space, no PCI Express capability): ECAM reads past byte 255 give all
 * ones and writes there are dropped, as the PCI Express spec has a
 * bridge answer for a conventional function behind it (docs/boards/
 * virt.md names what differs from QEMU, whose virtio functions on
 * this bus are PCI Express endpoints).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/pci-host/gpex.h"
#include "hw/sysbus.h"

#define PCI_VENDOR_ID_REDHAT 0x1b36
#define PCI_DEVICE_ID_REDHAT_PCIE_HOST 0x0008

#define ECAM_BUS(addr)    (((addr) >> 20) & 0xff)
#define ECAM_DEVFN(addr)  (((addr) >> 12) & 0xff)
#define ECAM_REG(addr)    ((addr) & 0xfff)

typedef struct GPEXHost {
    SysBusDevice parent_obj;
    MemoryRegion ecam;           /* "pcie-mmcfg-mmio" */
    MemoryRegion mmio;           /* the bus's memory space */
    MemoryRegion ioport;         /* the bus's I/O space */
    MemoryRegion mmio_window;    /* mmio over an all-ones background */
    MemoryRegion ioport_window;  /* ioport over an all-ones background */
    IRQLine *irq[GPEX_NUM_IRQS];
    PCIBus *bus;
} GPEXHost;

#define GPEX_HOST(obj) INSTANCE_CAST(GPEXHost, (obj), TYPE_GPEX_HOST)

PCIBus *gpex_host_bus(DeviceState *host)
{
    return GPEX_HOST(host)->bus;
}

/* ---- ECAM ---- */

/* The configuration address the PCI core takes (bus << 16 | devfn << 8
 * | register), for a register of the standard 256 bytes. */
static uint32_t ecam_config_addr(hwaddr addr)
{
    return ECAM_BUS(addr) << 16 | ECAM_DEVFN(addr) << 8 | ECAM_REG(addr);
}

static uint64_t ecam_read(void *opaque, hwaddr addr, unsigned size)
{
    GPEXHost *s = opaque;

    if (ECAM_REG(addr) >= PCI_CONFIG_SPACE_SIZE) {
        return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
    }
    return pci_host_config_read(s->bus, ecam_config_addr(addr), size);
}

static void ecam_write(void *opaque, hwaddr addr, uint64_t value,
                       unsigned size)
{
    GPEXHost *s = opaque;

    if (ECAM_REG(addr) < PCI_CONFIG_SPACE_SIZE) {
        pci_host_config_write(s->bus, ecam_config_addr(addr), value, size);
    }
}

static const MemoryRegionOps ecam_ops = {
    .read = ecam_read,
    .write = ecam_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- INTx ---- */

/* The swizzle every PCI-to-PCI bridge applies, and so the device tree's
 * interrupt-map: pin (0 = INTA) of slot lands on line (slot + pin) % 4. */
static int gpex_map_irq(PCIDevice *dev, int pin)
{
    return (PCI_SLOT(dev->devfn) + pin) % GPEX_NUM_IRQS;
}

static void gpex_set_irq(void *opaque, int line, int level)
{
    GPEXHost *s = opaque;

    irq_set_level(s->irq[line], level);
}

/* ---- the host ---- */

static void gpex_host_instance_init(Object *obj)
{
    GPEXHost *s = GPEX_HOST(obj);

    for (int i = 0; i < GPEX_NUM_IRQS; i++) {
        sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq[i]);
    }
    qdev_init_gpio_out(DEVICE(obj), s->irq, GPEX_NUM_IRQS);
}

static bool gpex_host_realize(DeviceState *dev, Error **errp)
{
    GPEXHost *s = GPEX_HOST(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    Object *owner = OBJECT(dev);
    DeviceState *root;

    memory_region_init_io(&s->ecam, owner, &ecam_ops, s, "pcie-mmcfg-mmio",
                          GPEX_ECAM_SIZE);
    memory_region_init(&s->mmio, owner, "gpex_mmio", UINT64_MAX);
    memory_region_init(&s->ioport, owner, "gpex_ioport", 0x10000);
    /* The windows the CPU sees: what no BAR claims reads as all ones,
     * the PC's habit that Linux's PCI probing expects. */
    memory_region_init_io(&s->mmio_window, owner, &unassigned_io_ops, NULL,
                          "gpex_mmio_window", UINT64_MAX);
    memory_region_init_io(&s->ioport_window, owner, &unassigned_io_ops,
                          NULL, "gpex_ioport_window", 0x10000);
    memory_region_add_subregion(&s->mmio_window, 0, &s->mmio);
    memory_region_add_subregion(&s->ioport_window, 0, &s->ioport);
    sysbus_init_mmio(sbd, &s->ecam);
    sysbus_init_mmio(sbd, &s->mmio_window);
    sysbus_init_mmio(sbd, &s->ioport_window);

    s->bus = pci_root_bus_new(dev, TYPE_PCIE_BUS, "pcie.0", &s->mmio,
                              &s->ioport);
    pci_bus_irqs(s->bus, gpex_map_irq, gpex_set_irq, s, GPEX_NUM_IRQS);

    /* The host bridge's own function, 00.0, a child of the host as in
     * QEMU (not numbered among the machine's unattached devices). */
    root = qdev_new(TYPE_GPEX_ROOT_DEVICE);
    PCI_DEVICE(root)->devfn = PCI_DEVFN(0, 0);
    object_add_child(owner, "gpex_root", OBJECT(root), &error_fatal);
    return qdev_realize_and_unref(root, BUS(s->bus), errp);
}

static void gpex_host_class_init(ObjectClass *klass)
{
    klass->desc = "generic PCI Express host bridge (ECAM)";
    DEVICE_CLASS(klass)->realize = gpex_host_realize;
}

static void gpex_root_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "QEMU generic PCIe host bridge";
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PCIE_HOST;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
}

static const TypeInfo gpex_types[] = {
    {
        .name = TYPE_GPEX_HOST,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(GPEXHost),
        .instance_init = gpex_host_instance_init,
        .class_init = gpex_host_class_init,
    },
    {
        .name = TYPE_GPEX_ROOT_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_init = gpex_root_class_init,
    },
};

DEFINE_TYPES(gpex_types)
