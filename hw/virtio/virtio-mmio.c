/*
 * The virtio-mmio transport (virtio 1.1, 4.2), as QEMU's virt board
 * places 32 of them at 0x0a000000: a register block and one interrupt,
 * and a "virtio-mmio-bus.N" for one virtio device (hw/virtio/virtio.c).
 * Like QEMU 7.2 it shows the legacy layout (version 1: a queue is one
 * page frame number) unless "-global virtio-mmio.force-legacy=false"
 * asks for version 2 (the queue's three areas set apart, FEATURES_OK).
 * A transport without a device reports device ID 0, which drivers
 * (U-Boot's, Linux's) take as "nothing here" and skip.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio.h"
#include "hw/sysbus.h"

/* Registers (virtio 1.1, 4.2.2; "legacy" ones from 4.2.4). */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028     /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c         /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN 0x040           /* legacy */
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW 0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRT_MAGIC 0x74726976    /* "virt" */
#define VIRT_VERSION_LEGACY 1
#define VIRT_VERSION 2
#define VIRT_VENDOR 0x554d4551   /* "QEMU" */

typedef struct VirtIOMMIOState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *irq;
    VirtioBusState *bus;
    bool legacy;                 /* force-legacy */
    uint32_t host_features_sel, guest_features_sel;
    uint64_t guest_features;     /* as written, both halves */
    uint32_t guest_page_size;    /* legacy */
    uint32_t queue_align[VIRTIO_QUEUE_MAX];  /* legacy */
    uint32_t queue_sel;
} VirtIOMMIOState;

#define VIRTIO_MMIO(obj) \
    INSTANCE_CAST(VirtIOMMIOState, (obj), TYPE_VIRTIO_MMIO)

/* The device plugged into this transport, told which layout it is
 * driven through; NULL when there is none. */
static VirtIODevice *virtio_mmio_device(VirtIOMMIOState *s)
{
    VirtIODevice *vdev = virtio_bus_get_device(BUS(s->bus));

    if (vdev) {
        vdev->legacy = s->legacy;
    }
    return vdev;
}

static VirtQueue *virtio_mmio_queue(VirtIOMMIOState *s, VirtIODevice *vdev)
{
    return s->queue_sel < VIRTIO_QUEUE_MAX ? &vdev->vq[s->queue_sel] : NULL;
}

static void virtio_mmio_update_irq(void *opaque)
{
    VirtIOMMIOState *s = opaque;
    VirtIODevice *vdev = virtio_mmio_device(s);

    irq_set_level(s->irq, vdev && vdev->isr);
}

/* A used buffer or a configuration change: one line for both. */
static void virtio_mmio_notify(void *opaque, VirtQueue *vq)
{
    virtio_mmio_update_irq(opaque);
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VirtIOMMIOState *s = opaque;
    VirtIODevice *vdev = virtio_mmio_device(s);
    VirtQueue *vq;

    if (offset >= VIRTIO_MMIO_CONFIG) {
        return vdev ? virtio_config_read(vdev, offset - VIRTIO_MMIO_CONFIG,
                                         size) : 0;
    }
    if (size != 4) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_read: wrong size access "
                     "to register 0x%x\n", (unsigned)offset);
        return 0;
    }
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRT_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return s->legacy ? VIRT_VERSION_LEGACY : VIRT_VERSION;
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev ? VIRTIO_DEVICE_GET_CLASS(vdev)->device_id : 0;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRT_VENDOR;
    }
    if (!vdev) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_read: read of 0x%x with "
                     "no virtio device\n", (unsigned)offset);
        return 0;
    }
    vq = virtio_mmio_queue(s, vdev);
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (s->legacy) {
            return s->host_features_sel ? 0 :
                   (uint32_t)virtio_get_host_features(vdev);
        }
        return s->host_features_sel > 1 ? 0 :
               virtio_get_host_features(vdev) >> (32 * s->host_features_sel);
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (!s->legacy || !vq) {
            break;
        }
        return s->guest_page_size ? vq->desc / s->guest_page_size : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        if (s->legacy || !vq) {
            break;
        }
        return vq->ready;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        if (s->legacy) {
            break;
        }
        return vdev->config_generation;
    default:
        break;
    }
    emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_read: bad register offset "
                 "0x%x\n", (unsigned)offset);
    return 0;
}

/* Low or high half of a 64-bit queue address. */
static void set_half(uint64_t *addr, bool high, uint32_t value)
{
    *addr = high ? (*addr & 0xffffffffULL) | (uint64_t)value << 32
                 : (*addr & ~0xffffffffULL) | value;
}

static void virtio_mmio_write_queue(VirtIOMMIOState *s, VirtQueue *vq,
                                    hwaddr offset, uint32_t value)
{
    switch (offset) {
    case VIRTIO_MMIO_QUEUE_NUM:
        virtio_queue_set_num(vq, value);
        return;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        if (!value || (value & (value - 1))) {
            emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio: queue alignment %u "
                         "is not a power of 2\n", value);
            return;
        }
        s->queue_align[s->queue_sel] = value;
        return;
    case VIRTIO_MMIO_QUEUE_PFN:
        virtio_queue_set_legacy_layout(vq, (hwaddr)value *
                                       s->guest_page_size,
                                       s->queue_align[s->queue_sel]);
        return;
    case VIRTIO_MMIO_QUEUE_READY:
        vq->ready = value & 1;
        return;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        set_half(&vq->desc, offset & 4, value);
        return;
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
        set_half(&vq->avail, offset & 4, value);
        return;
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        set_half(&vq->used, offset & 4, value);
        return;
    }
}

static bool is_legacy_only(hwaddr offset)
{
    return offset == VIRTIO_MMIO_GUEST_PAGE_SIZE ||
           offset == VIRTIO_MMIO_QUEUE_ALIGN ||
           offset == VIRTIO_MMIO_QUEUE_PFN;
}

static bool is_modern_only(hwaddr offset)
{
    return offset == VIRTIO_MMIO_QUEUE_READY ||
           (offset >= VIRTIO_MMIO_QUEUE_DESC_LOW &&
            offset <= VIRTIO_MMIO_QUEUE_USED_HIGH);
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t value,
                              unsigned size)
{
    VirtIOMMIOState *s = opaque;
    VirtIODevice *vdev = virtio_mmio_device(s);
    VirtQueue *vq;

    if (!vdev) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: write to 0x%x "
                     "with no virtio device\n", (unsigned)offset);
        return;
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, offset - VIRTIO_MMIO_CONFIG, size, value);
        return;
    }
    if (size != 4 || (s->legacy ? is_modern_only(offset)
                                : is_legacy_only(offset))) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: bad register "
                     "offset 0x%x or size %u\n", (unsigned)offset, size);
        return;
    }
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        s->host_features_sel = value;
        return;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (s->guest_features_sel <= 1) {
            set_half(&s->guest_features, s->guest_features_sel,
                     value);
            virtio_set_guest_features(vdev, s->guest_features);
        }
        return;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        s->guest_features_sel = value;
        return;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        if (!value || (value & (value - 1))) {
            emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio: guest page size %u "
                         "is not a power of 2\n", (unsigned)value);
            return;
        }
        s->guest_page_size = value;
        return;
    case VIRTIO_MMIO_QUEUE_SEL:
        s->queue_sel = value;
        return;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, value);
        return;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vdev->isr &= ~value;
        virtio_mmio_update_irq(s);
        return;
    case VIRTIO_MMIO_STATUS:
        virtio_set_status(vdev, value);
        if (value == 0) {
            s->guest_features = 0;
            virtio_mmio_update_irq(s);
        }
        return;
    }
    vq = virtio_mmio_queue(s, vdev);
    if (!vq || !vq->num_max) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: queue %u does not "
                     "exist (register 0x%x)\n", s->queue_sel,
                     (unsigned)offset);
        return;
    }
    virtio_mmio_write_queue(s, vq, offset, value);
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static void virtio_mmio_instance_init(Object *obj)
{
    VirtIOMMIOState *s = VIRTIO_MMIO(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    static unsigned bus_count;
    VirtIOMMIOState *s = VIRTIO_MMIO(dev);
    g_autofree char *name = g_strdup_printf("virtio-mmio-bus.%u",
                                            bus_count++);

    memory_region_init_io(&s->iomem, OBJECT(dev), &virtio_mmio_ops, s,
                          "virtio-mmio", VIRTIO_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    s->bus = VIRTIO_BUS(qbus_new(TYPE_VIRTIO_MMIO_BUS, dev, name));
    s->bus->notify = virtio_mmio_notify;
    s->bus->opaque = s;
    return true;
}

static void virtio_mmio_reset(DeviceState *dev)
{
    VirtIOMMIOState *s = VIRTIO_MMIO(dev);

    s->host_features_sel = s->guest_features_sel = 0;
    s->guest_features = 0;
    /* The legacy defaults a driver may leave alone. */
    s->guest_page_size = 4096;
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        s->queue_align[i] = 4096;
    }
    s->queue_sel = 0;
    irq_set_level(s->irq, 0);
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    memory_region_destroy(&VIRTIO_MMIO(dev)->iomem);
}

static void virtio_mmio_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property virtio_mmio_properties[] = {
    DEFINE_PROP_BOOL("force-legacy", VirtIOMMIOState, legacy, true,
                     "Use the legacy register layout (version 1)"),
};

static void virtio_mmio_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "virtio-mmio transport";
    dc->realize = virtio_mmio_realize;
    dc->unrealize = virtio_mmio_unrealize;
    dc->reset = virtio_mmio_reset;
    class_add_properties(klass, virtio_mmio_properties,
                         ARRAY_SIZE(virtio_mmio_properties));
}

static const TypeInfo virtio_mmio_types[] = {
    {
        .name = TYPE_VIRTIO_MMIO_BUS,
        .parent = TYPE_VIRTIO_BUS,
    },
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
