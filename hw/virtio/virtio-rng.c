/*
 * virtio-rng ("-device virtio-rng-device"): entropy for the guest
 * (/dev/hwrng in Linux), from the host kernel's random number generator
 * (getrandom), as QEMU's default rng-builtin backend gives it.  Every
 * buffer the driver offers is filled whole at its kick.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/random.h>
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_RNG "virtio-rng-device"
#define VIRTIO_ID_RNG 4
#define QUEUE_SIZE 8
/* At most this much per buffer: a driver asks for far less. */
#define MAX_BUFFER (64 * 1024)

/* len bytes from the host's generator; false when it fails. */
static bool host_entropy(uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t got = getrandom(buf, len, 0);

        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        buf += got;
        len -= got;
    }
    return true;
}

static void virtio_rng_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        size_t len = MIN(elem->in_size, MAX_BUFFER);
        g_autofree uint8_t *buf = g_malloc(len ? len : 1);

        if (!host_entropy(buf, len)) {
            virtio_error(vdev, "virtio-rng: the host's getrandom failed: %s",
                         strerror(errno));
            g_free(elem);
            return;
        }
        virtqueue_push(vq, elem, virtqueue_write(elem, 0, buf, len));
    }
    virtio_notify(vdev, vq);
}

static bool virtio_rng_realize(DeviceState *dev, Error **errp)
{
    virtio_add_queue(VIRTIO_DEVICE(dev), 0, QUEUE_SIZE, virtio_rng_handle);
    return true;
}

static void virtio_rng_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    klass->desc = "virtio entropy source (the host's getrandom)";
    dc->realize = virtio_rng_realize;
    vdc->device_id = VIRTIO_ID_RNG;
}

static const TypeInfo virtio_rng_types[] = {
    {
        .name = TYPE_VIRTIO_RNG,
        .parent = TYPE_VIRTIO_DEVICE,
        .class_init = virtio_rng_class_init,
    },
};

DEFINE_TYPES(virtio_rng_types)
