/*
 * Port 0x92, "system control port A" of PC chipsets: bit 1 is the fast
 * A20 gate (gpio out 0, to the CPU's A20 pin: each write sets it, as
 * QEMU's does), a 0-to-1 change of bit 0 resets the CPU.  It reads 0 at
 * power-on (the PIIX's default, and QEMU's), though the CPU comes up
 * with A20 on; a reset clears bit 0 and keeps the rest, as QEMU's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/irq.h"
#include "hw/qdev.h"
#include "hw/misc/isa-ports.h"
#include "hw/misc/port92.h"
#include "sysemu/runstate.h"

#define PORT92_RESET 0x01
#define PORT92_A20   0x02

typedef struct Port92State {
    DeviceState parent_obj;
    MemoryRegion io;
    IRQLine *a20;
    uint8_t value;
} Port92State;

#define PORT92(obj) INSTANCE_CAST(Port92State, (obj), TYPE_PORT92)

static uint64_t port92_read(void *opaque, hwaddr addr, unsigned size)
{
    return PORT92(opaque)->value;
}

static void port92_write(void *opaque, hwaddr addr, uint64_t value,
                         unsigned size)
{
    Port92State *s = opaque;
    uint8_t old = s->value;

    s->value = value;
    irq_set_level(s->a20, !!(value & PORT92_A20));
    if ((value & PORT92_RESET) && !(old & PORT92_RESET)) {
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static const MemoryRegionOps port92_ops = {
    .read = port92_read,
    .write = port92_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void port92_init(Object *obj)
{
    qdev_init_gpio_out(DEVICE(obj), &PORT92(obj)->a20, 1);
}

static bool port92_realize(DeviceState *dev, Error **errp)
{
    Port92State *s = PORT92(dev);

    memory_region_init_io(&s->io, OBJECT(dev), &port92_ops, s, "port92", 1);
    if (!isa_ports_map(dev, &s->io, 0x92, errp)) {
        memory_region_destroy(&s->io);
        return false;
    }
    return true;
}

static void port92_unrealize(DeviceState *dev)
{
    Port92State *s = PORT92(dev);

    isa_ports_unmap(&s->io);
    memory_region_destroy(&s->io);
}

static void port92_reset(DeviceState *dev)
{
    PORT92(dev)->value &= ~PORT92_RESET;
}

static void port92_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "system control port A (A20, fast reset)";
    dc->realize = port92_realize;
    dc->unrealize = port92_unrealize;
    dc->reset = port92_reset;
}

static const TypeInfo port92_types[] = {
    {
        .name = TYPE_PORT92,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(Port92State),
        .instance_init = port92_init,
        .class_init = port92_class_init,
    },
};

DEFINE_TYPES(port92_types)
