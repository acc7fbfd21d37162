/*
 * The virtio-mmio transport (virtio spec 1.x, section 4.2), as QEMU's
 * virt board places 32 of them at 0x0a000000: each shows the legacy
 * register layout (version 1), as QEMU 7.2's default does.  No device
 * backend exists yet, so every transport is empty: it answers the magic
 * value, version and vendor and reports device ID 0, which drivers
 * (U-Boot's, Linux's) take as "nothing here" and skip.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/sysbus.h"

#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c

#define VIRT_MAGIC 0x74726976    /* "virt" */
#define VIRT_VERSION_LEGACY 1
#define VIRT_VENDOR 0x554d4551   /* "QEMU" */

typedef struct VirtIOMMIOState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *irq;
} VirtIOMMIOState;

#define VIRTIO_MMIO(obj) \
    INSTANCE_CAST(VirtIOMMIOState, (obj), TYPE_VIRTIO_MMIO)

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRT_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return VIRT_VERSION_LEGACY;
    case VIRTIO_MMIO_DEVICE_ID:
        return 0;                /* no device */
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRT_VENDOR;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_read: read of 0x%x with "
                     "no virtio device\n", (unsigned)offset);
        return 0;
    }
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t value,
                              unsigned size)
{
    emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: write to 0x%x with "
                 "no virtio device\n", (unsigned)offset);
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void virtio_mmio_instance_init(Object *obj)
{
    VirtIOMMIOState *s = VIRTIO_MMIO(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    VirtIOMMIOState *s = VIRTIO_MMIO(dev);

    memory_region_init_io(&s->iomem, OBJECT(dev), &virtio_mmio_ops, s,
                          "virtio-mmio", VIRTIO_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    return true;
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    memory_region_destroy(&VIRTIO_MMIO(dev)->iomem);
}

static void virtio_mmio_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void virtio_mmio_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "virtio-mmio transport (no device plugged)";
    dc->realize = virtio_mmio_realize;
    dc->unrealize = virtio_mmio_unrealize;
}

static const TypeInfo virtio_mmio_types[] = {
    {
        .name = TYPE_VIRTIO_MMIO,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(VirtIOMMIOState),
        .instance_init = virtio_mmio_instance_init,
        .class_init = virtio_mmio_class_init,
        .instance_finalize = virtio_mmio_finalize,
    },
};

DEFINE_TYPES(virtio_mmio_types)
