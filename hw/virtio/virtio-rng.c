/*
 * virtio-rng ("-device virtio-rng-device[,rng=ID]"): entropy for the
 * guest (/dev/hwrng in Linux), from the -object rng-random or
 * rng-builtin named by rng=, or without one from the host kernel's
 * generator (getrandom), as QEMU's default rng-builtin gives it.  Each
 * buffer the driver offers at its kick gets what the source has now,
 * which from a source with nothing to give (an empty pipe) is nothing:
 * the driver then asks again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/virtio/virtio.h"
#include "sysemu/rng.h"

#define TYPE_VIRTIO_RNG "virtio-rng-device"
#define VIRTIO_ID_RNG 4
#define QUEUE_SIZE 8
/* At most this much per buffer: a driver asks for far less. */
#define MAX_BUFFER (64 * 1024)

typedef struct VirtIORNG {
    VirtIODevice parent_obj;
    char *rng_id;                /* rng= */
    RngBackend *rng;             /* NULL: the host's getrandom */
} VirtIORNG;

#define VIRTIO_RNG(obj) INSTANCE_CAST(VirtIORNG, (obj), TYPE_VIRTIO_RNG)

static void virtio_rng_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIORNG *s = VIRTIO_RNG(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        size_t len = MIN(elem->in_size, MAX_BUFFER);
        g_autofree uint8_t *buf = g_malloc(len ? len : 1);
        ssize_t got = rng_backend_fill(s->rng, buf, len);

        if (got < 0) {
            virtio_error(vdev, "virtio-rng: reading the entropy source "
                         "failed: %s", strerror(errno));
            g_free(elem);
            return;
        }
        virtqueue_push(vq, elem, virtqueue_write(elem, 0, buf, got));
    }
    virtio_notify(vdev, vq);
}

static bool virtio_rng_realize(DeviceState *dev, Error **errp)
{
    VirtIORNG *s = VIRTIO_RNG(dev);

    if (s->rng_id) {
        s->rng = rng_backend_find(s->rng_id, "rng", errp);
        if (!s->rng) {
            return false;
        }
        object_ref(OBJECT(s->rng));
    }
    virtio_add_queue(VIRTIO_DEVICE(dev), 0, QUEUE_SIZE, virtio_rng_handle);
    return true;
}

static void virtio_rng_finalize(Object *obj)
{
    VirtIORNG *s = VIRTIO_RNG(obj);

    if (s->rng) {
        object_unref(OBJECT(s->rng));
    }
}

static const Property virtio_rng_properties[] = {
    DEFINE_PROP_STRING("rng", VirtIORNG, rng_id,
                       "ID of an -object rng-random or rng-builtin"),
};

static void virtio_rng_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    klass->desc = "virtio entropy source (the host's getrandom)";
    dc->realize = virtio_rng_realize;
    vdc->device_id = VIRTIO_ID_RNG;
    class_add_properties(klass, virtio_rng_properties,
                         ARRAY_SIZE(virtio_rng_properties));
}

static const TypeInfo virtio_rng_types[] = {
    {
        .name = TYPE_VIRTIO_RNG,
        .parent = TYPE_VIRTIO_DEVICE,
        .instance_size = sizeof(VirtIORNG),
        .class_init = virtio_rng_class_init,
        .instance_finalize = virtio_rng_finalize,
    },
};

DEFINE_TYPES(virtio_rng_types)
