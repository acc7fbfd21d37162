/*
 * The unimplemented device.  Boards cover address windows of devices
 * they do not model with it; users can add one with
 *   -device unimplemented-device,name=NAME,base=ADDR,size=SIZE
 * to stub a peripheral that firmware probes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/misc/unimp.h"

#define UNIMP_NOT_MAPPED UINT64_MAX

typedef struct UnimplementedDeviceState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    char *name;
    uint64_t size;
    uint64_t base;               /* where -device maps it; boards map it */
} UnimplementedDeviceState;

#define UNIMPLEMENTED_DEVICE(obj) \
    INSTANCE_CAST(UnimplementedDeviceState, (obj), TYPE_UNIMPLEMENTED_DEVICE)

/* Reads give 0 and writes vanish; the memory API logs them (log_unimp). */
static uint64_t unimp_read(void *opaque, hwaddr offset, unsigned size)
{
    return 0;
}

static void unimp_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
}

static const MemoryRegionOps unimp_ops = {
    .read = unimp_read,
    .write = unimp_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

static bool unimp_realize(DeviceState *dev, Error **errp)
{
    UnimplementedDeviceState *s = UNIMPLEMENTED_DEVICE(dev);

    if (!s->name || !s->name[0]) {
        error_setg(errp, "unimplemented-device needs a name (name=...)");
        return false;
    }
    if (s->size == 0) {
        error_setg(errp, "unimplemented-device '%s' needs a size (size=...)",
                   s->name);
        return false;
    }
    /* A region of UINT64_MAX bytes is the whole 2^64-byte space. */
    if (s->base != UNIMP_NOT_MAPPED &&
        (s->size == UINT64_MAX ? s->base != 0
                               : s->size - 1 > UINT64_MAX - s->base)) {
        error_setg(errp, "unimplemented-device '%s' at 0x%" PRIx64 " with "
                   "size 0x%" PRIx64 " goes past the end of the address "
                   "space", s->name, s->base, s->size);
        return false;
    }
    memory_region_init_io(&s->iomem, OBJECT(s), &unimp_ops, s, s->name,
                          s->size);
    s->iomem.log_unimp = true;
    sysbus_init_mmio(SYS_BUS_DEVICE(s), &s->iomem);
    if (s->base != UNIMP_NOT_MAPPED) {
        sysbus_mmio_map_overlap(SYS_BUS_DEVICE(s), 0, s->base, -1000);
    }
    return true;
}

DeviceState *create_unimplemented_device(Object *parent, const char *name,
                                         hwaddr base, uint64_t size)
{
    DeviceState *dev = qdev_new(TYPE_UNIMPLEMENTED_DEVICE);

    if (parent) {
        object_add_child(parent, name, OBJECT(dev), &error_fatal);
    }
    object_property_set_str(OBJECT(dev), "name", name, &error_fatal);
    object_property_set_uint(OBJECT(dev), "size", size, &error_fatal);
    object_property_set_uint(OBJECT(dev), "base", base, &error_fatal);
    qdev_realize_and_unref(dev, sysbus_get_default(), &error_fatal);
    return dev;
}

static void unimp_finalize(Object *obj)
{
    UnimplementedDeviceState *s = UNIMPLEMENTED_DEVICE(obj);

    if (DEVICE(obj)->realized) {
        memory_region_destroy(&s->iomem);
    }
}

/* QEMU's two in its order (info qtree), then emu's base. */
static const Property unimp_properties[] = {
    DEFINE_PROP_SIZE("size", UnimplementedDeviceState, size, 0,
                     "size of the window"),
    DEFINE_PROP_STRING("name", UnimplementedDeviceState, name,
                       "name shown in info mtree and in the logs"),
    DEFINE_PROP_UINT("base", UnimplementedDeviceState, base, UNIMP_NOT_MAPPED,
                     "address to map it at (with -device)"),
};

static void unimp_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "a window of MMIO that logs accesses under -d unimp";
    dc->realize = unimp_realize;
    dc->user_creatable = true;
    class_add_properties(klass, unimp_properties,
                         ARRAY_SIZE(unimp_properties));
}

static const TypeInfo unimp_types[] = {
    {
        .name = TYPE_UNIMPLEMENTED_DEVICE,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(UnimplementedDeviceState),
        .class_init = unimp_class_init,
        .instance_finalize = unimp_finalize,
    },
};

DEFINE_TYPES(unimp_types)
