/*
 * isa-debugcon: Bochs's and QEMU's debug console port.  Every byte the
 * guest writes goes to a character device; a read gives the "readback"
 * value (0xe9 by default), by which firmware detects the port.  SeaBIOS
 * built for QEMU writes its log to port 0x402:
 *   -chardev file,id=d,path=log -device isa-debugcon,iobase=0x402,chardev=d
 * -debugcon CHR is the short form, at the default port 0xe9, as in QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/qdev.h"
#include "hw/char/serial.h"
#include "hw/misc/isa-ports.h"

#define TYPE_ISA_DEBUGCON "isa-debugcon"

typedef struct ISADebugconState {
    DeviceState parent_obj;
    MemoryRegion io;
    CharBackend chr;
    uint32_t iobase;
    uint32_t readback;
    char *chardev;
} ISADebugconState;

#define ISA_DEBUGCON(obj) \
    INSTANCE_CAST(ISADebugconState, (obj), TYPE_ISA_DEBUGCON)

static uint64_t debugcon_read(void *opaque, hwaddr addr, unsigned size)
{
    return ISA_DEBUGCON(opaque)->readback;
}

static void debugcon_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
    ISADebugconState *s = opaque;
    uint8_t ch = value;

    chr_fe_write_all(&s->chr, &ch, 1);
}

static const MemoryRegionOps debugcon_ops = {
    .read = debugcon_read,
    .write = debugcon_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static bool debugcon_realize(DeviceState *dev, Error **errp)
{
    ISADebugconState *s = ISA_DEBUGCON(dev);
    Chardev *chr;

    if (!serial_find_chardev(dev, s->chardev, &chr, errp)) {
        return false;
    }
    if (!chr) {
        error_setg(errp, "Property 'chardev' is required");
        return false;
    }
    memory_region_init_io(&s->io, OBJECT(dev), &debugcon_ops, s, "isa-debugcon",
                          1);
    if (!isa_ports_map(dev, &s->io, s->iobase, errp)) {
        memory_region_destroy(&s->io);
        return false;
    }
    if (!chr_fe_init(&s->chr, chr, errp)) {
        isa_ports_unmap(&s->io);
        memory_region_destroy(&s->io);
        return false;
    }
    return true;
}

static void debugcon_unrealize(DeviceState *dev)
{
    ISADebugconState *s = ISA_DEBUGCON(dev);

    chr_fe_deinit(&s->chr);
    isa_ports_unmap(&s->io);
    memory_region_destroy(&s->io);
}

/* A realized device dropped without unrealize must not stay mapped. */
static void debugcon_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property debugcon_properties[] = {
    DEFINE_PROP_UINT("iobase", ISADebugconState, iobase, 0xe9, "I/O port"),
    DEFINE_PROP_UINT("readback", ISADebugconState, readback, 0xe9,
                     "what a read of the port gives"),
    DEFINE_PROP_STRING("chardev", ISADebugconState, chardev,
                       "ID of the character device it writes to"),
};

static void debugcon_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "debug console port: bytes written go to a chardev";
    dc->realize = debugcon_realize;
    dc->unrealize = debugcon_unrealize;
    dc->user_creatable = true;
    dc->optional_bus_type = TYPE_ISA_BUS;
    class_add_properties(klass, debugcon_properties,
                         ARRAY_SIZE(debugcon_properties));
}

static const TypeInfo debugcon_types[] = {
    {
        .name = TYPE_ISA_DEBUGCON,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(ISADebugconState),
        .instance_finalize = debugcon_finalize,
        .class_init = debugcon_class_init,
    },
};

DEFINE_TYPES(debugcon_types)
