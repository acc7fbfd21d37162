/*
 * isa-debug-exit: a port that ends emu when the guest writes to it, with
 * exit status (value << 1) | 1, as QEMU's device does.  Test frameworks
 * rely on it to report a result from a guest:
 *   -device isa-debug-exit,iobase=0xf4,iosize=0x04
 * Status 1 stays free for emu's own errors; an odd status says "the guest
 * chose it".  The shift drops the top bit of an 8-bit value, as in QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/qdev.h"
#include "hw/misc/debugexit.h"
#include "hw/misc/isa-ports.h"
#include "sysemu/runstate.h"

typedef struct ISADebugExitState {
    DeviceState parent_obj;
    MemoryRegion io;
    uint32_t iobase;
    uint32_t iosize;
} ISADebugExitState;

#define ISA_DEBUG_EXIT(obj) \
    INSTANCE_CAST(ISADebugExitState, (obj), TYPE_ISA_DEBUG_EXIT)

static uint64_t debug_exit_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void debug_exit_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    system_exit_now((value << 1) | 1);
}

static const MemoryRegionOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool debug_exit_realize(DeviceState *dev, Error **errp)
{
    ISADebugExitState *s = ISA_DEBUG_EXIT(dev);

    if (s->iosize != 1 && s->iosize != 2 && s->iosize != 4) {
        error_setg(errp, "isa-debug-exit: iosize %" PRIu32 " is not "
                   "supported (1, 2 or 4)", s->iosize);
        return false;
    }
    memory_region_init_io(&s->io, OBJECT(dev), &debug_exit_ops, s,
                          "isa-debug-exit", s->iosize);
    if (!isa_ports_map(dev, &s->io, s->iobase, errp)) {
        memory_region_destroy(&s->io);
        return false;
    }
    return true;
}

static void debug_exit_unrealize(DeviceState *dev)
{
    ISADebugExitState *s = ISA_DEBUG_EXIT(dev);

    isa_ports_unmap(&s->io);
    memory_region_destroy(&s->io);
}

/* A realized device dropped without unrealize must not stay mapped. */
static void debug_exit_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property debug_exit_properties[] = {
    DEFINE_PROP_UINT("iobase", ISADebugExitState, iobase, 0x501,
                     "first I/O port"),
    DEFINE_PROP_UINT("iosize", ISADebugExitState, iosize, 2,
                     "number of ports (1, 2 or 4)"),
};

static void debug_exit_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "exits emu with status (value << 1) | 1 when written";
    dc->realize = debug_exit_realize;
    dc->unrealize = debug_exit_unrealize;
    dc->user_creatable = true;
    dc->optional_bus_type = TYPE_ISA_BUS;
    class_add_properties(klass, debug_exit_properties,
                         ARRAY_SIZE(debug_exit_properties));
}

static const TypeInfo debug_exit_types[] = {
    {
        .name = TYPE_ISA_DEBUG_EXIT,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(ISADebugExitState),
        .instance_finalize = debug_exit_finalize,
        .class_init = debug_exit_class_init,
    },
};

DEFINE_TYPES(debug_exit_types)
