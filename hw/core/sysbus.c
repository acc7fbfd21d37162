/*
 * The system bus and memory-mapped devices.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/sysbus.h"

BusState *sysbus_get_default(void)
{
    static BusState *main_system_bus;

    if (!main_system_bus) {
        main_system_bus = qbus_new(TYPE_SYSTEM_BUS, NULL, "main-system-bus");
    }
    return main_system_bus;
}

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *mr)
{
    g_assert(dev->num_mmio < SYSBUS_MAX_MMIO);
    dev->mmio[dev->num_mmio].addr = (hwaddr)-1;
    dev->mmio[dev->num_mmio].memory = mr;
    dev->num_mmio++;
}

void sysbus_mmio_map_overlap(SysBusDevice *dev, int n, hwaddr addr,
                             int priority)
{
    MemoryRegion *mr;

    g_assert(n >= 0 && n < dev->num_mmio);
    mr = dev->mmio[n].memory;
    if (dev->mmio[n].addr == addr) {
        return;
    }
    if (dev->mmio[n].addr != (hwaddr)-1) {
        memory_region_del_subregion(get_system_memory(), mr);
    }
    dev->mmio[n].addr = addr;
    memory_region_add_subregion_overlap(get_system_memory(), addr, mr,
                                        priority);
}

void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr)
{
    sysbus_mmio_map_overlap(dev, n, addr, 0);
}

void sysbus_init_irq(SysBusDevice *dev, IRQLine **p)
{
    g_assert(dev->num_irq < SYSBUS_MAX_IRQ);
    dev->irqs[dev->num_irq++] = p;
}

void sysbus_connect_irq(SysBusDevice *dev, int n, IRQLine *line)
{
    g_assert(n >= 0 && n < dev->num_irq);
    *dev->irqs[n] = line;
}

DeviceState *sysbus_create_simple(const char *typename, hwaddr addr,
                                  IRQLine *irq)
{
    DeviceState *dev = qdev_new(typename);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    qdev_realize_and_unref(dev, sysbus_get_default(), &error_fatal);
    if (sbd->num_mmio) {
        sysbus_mmio_map(sbd, 0, addr);
    }
    if (irq && sbd->num_irq) {
        sysbus_connect_irq(sbd, 0, irq);
    }
    return dev;
}

/* info qtree: QEMU prints "mmio ADDR/SIZE" for each region of a device. */
static void sysbus_print_dev(BusState *bus, DeviceState *dev, GString *out,
                             int indent)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    for (int i = 0; i < sbd->num_mmio; i++) {
        g_string_append_printf(out, "%*smmio %016" PRIx64 "/%016" PRIx64 "\n",
                               indent, "", sbd->mmio[i].addr,
                               memory_region_size(sbd->mmio[i].memory));
    }
}

static void system_bus_class_init(ObjectClass *klass)
{
    BusClass *bc = BUS_CLASS(klass);

    bc->qtree_type = "System";
    bc->print_dev = sysbus_print_dev;
}

static void sys_bus_device_class_init(ObjectClass *klass)
{
    DEVICE_CLASS(klass)->bus_type = TYPE_SYSTEM_BUS;
}

static const TypeInfo sysbus_types[] = {
    {
        .name = TYPE_SYSTEM_BUS,
        .parent = TYPE_BUS,
        .class_init = system_bus_class_init,
    },
    {
        .name = TYPE_SYS_BUS_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(SysBusDevice),
        .abstract = true,
        .class_init = sys_bus_device_class_init,
    },
};

DEFINE_TYPES(sysbus_types)
