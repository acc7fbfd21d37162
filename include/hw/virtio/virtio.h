/*
 * The virtio core: what every virtio device has whatever transport
 * carries it (virtio-mmio today, virtio-pci later).  A device (virtio-blk,
 * virtio-rng...) is a VirtIODevice on a "virtio-bus" that a transport
 * provides; the transport maps its registers onto the calls below and
 * raises its interrupt when the core asks it to.
 *
 * A device's life, as the driver drives it through the transport:
 *
 *     reset -> status ACKNOWLEDGE, DRIVER -> features read and written
 *     -> FEATURES_OK -> queues set up (virtio_queue_set_*)
 *     -> DRIVER_OK -> notifications call the queue's handler, which
 *        pops requests (virtqueue_pop), reads and writes their buffers,
 *        pushes them back (virtqueue_push) and notifies (virtio_notify).
 *
 * Queues are split virtqueues (virtio 1.1, 2.6) with indirect
 * descriptors and event index suppression.  Ring fields are little
 * endian, as both virtio 1.0 and a legacy little-endian ARM guest have
 * them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include "hw/qdev.h"
#include "softmmu/memory.h"

#define TYPE_VIRTIO_DEVICE "virtio-device"
#define TYPE_VIRTIO_BUS "virtio-bus"

/* Device status bits (virtio 1.1, 2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 1
#define VIRTIO_CONFIG_S_DRIVER 2
#define VIRTIO_CONFIG_S_DRIVER_OK 4
#define VIRTIO_CONFIG_S_FEATURES_OK 8
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED 0x80

/* Transport-independent feature bits. */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24
#define VIRTIO_F_ANY_LAYOUT 27
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* Interrupt status bits (virtio-mmio's InterruptStatus, PCI's ISR). */
#define VIRTIO_ISR_QUEUE 1
#define VIRTIO_ISR_CONFIG 2

/* virtio-serial's 31 ports and its control: 64 queues. */
#define VIRTIO_QUEUE_MAX 64

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/* A buffer of a request: guest-physical address and length. */
typedef struct VirtQueueSeg {
    hwaddr addr;
    uint32_t len;
} VirtQueueSeg;

/* One request: the chain that starts at descriptor head, split into
 * what the device reads (out) and what it writes (in). */
typedef struct VirtQueueElement {
    unsigned head;
    unsigned out_num, in_num;
    VirtQueueSeg *out, *in;
    size_t out_size, in_size;    /* total bytes of each */
} VirtQueueElement;

typedef void VirtQueueHandler(VirtIODevice *vdev, VirtQueue *vq);

typedef struct VirtQueue {
    VirtIODevice *vdev;
    unsigned num_max;            /* 0: the device has no such queue */
    unsigned num;                /* the size the driver chose */
    bool ready;
    hwaddr desc, avail, used;
    uint16_t last_avail_idx;     /* the next request to pop */
    uint16_t used_idx;           /* the used ring's idx as last written */
    uint16_t signalled_used;     /* used_idx when the driver was last told */
    bool signalled_used_valid;
    VirtQueueHandler *handle;
} VirtQueue;

/* What the transport does for the core: tell the driver that vq has
 * used buffers, or (vq NULL) that the configuration changed; the
 * device's interrupt status already says so (an INTx transport raises
 * its line with it, an MSI-X one sends the vector the driver chose). */
typedef struct VirtioBusState {
    BusState parent_obj;
    void (*notify)(void *opaque, VirtQueue *vq);
    void *opaque;
    /* The transport is the device the user made (virtio-net-pci...),
     * carrying this virtio device inside, rather than a slot a device is
     * plugged into (virtio-mmio). */
    bool transport_is_user_device;
} VirtioBusState;

struct VirtIODevice {
    DeviceState parent_obj;
    uint8_t status;
    uint8_t isr;                 /* VIRTIO_ISR_* */
    uint64_t host_features;      /* what the device offers */
    uint64_t guest_features;     /* what the driver accepted */
    uint32_t config_generation;
    bool legacy;                 /* driven through a legacy transport */
    VirtQueue vq[VIRTIO_QUEUE_MAX];
};

typedef struct VirtioDeviceClass {
    DeviceClass parent_class;
    uint16_t device_id;          /* virtio 1.1, 5: 2 block, 4 rng... */
    size_t config_size;
    /* Features the device offers, on top of the core's. */
    uint64_t (*get_features)(VirtIODevice *vdev);
    /* The device-specific configuration space, read and written by the
     * driver in place. */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    /* Back to the state after realize (the driver wrote status 0). */
    void (*reset)(VirtIODevice *vdev);
} VirtioDeviceClass;

#define VIRTIO_DEVICE(obj) \
    INSTANCE_CAST(VirtIODevice, (obj), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_GET_CLASS(obj) \
    CLASS_CAST(VirtioDeviceClass, OBJECT(obj)->klass, TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_CLASS(klass) \
    CLASS_CAST(VirtioDeviceClass, (klass), TYPE_VIRTIO_DEVICE)
#define VIRTIO_BUS(obj) INSTANCE_CAST(VirtioBusState, (obj), TYPE_VIRTIO_BUS)

/* ---- for devices ---- */

/* Gives the device queue n of at most num_max entries; handle runs when
 * the driver notifies it. */
void virtio_add_queue(VirtIODevice *vdev, unsigned n, unsigned num_max,
                      VirtQueueHandler *handle);
bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit);
/*
 * The next request, or NULL when the ring is empty.  A malformed chain
 * (a loop, a buffer outside RAM, a descriptor out of range) puts the
 * device in NEEDS_RESET, as the spec asks, and gives NULL.
 */
VirtQueueElement *virtqueue_pop(VirtQueue *vq);
/* Copies from the readable buffers, from offset on; the bytes copied. */
size_t virtqueue_read(const VirtQueueElement *elem, size_t offset,
                      void *buf, size_t len);
/* Copies into the writable buffers, from offset on; the bytes copied. */
size_t virtqueue_write(const VirtQueueElement *elem, size_t offset,
                       const void *buf, size_t len);
/* Returns elem to the driver with len bytes written, and frees it. */
void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len);
/* Whether the driver has offered no buffer beyond those popped. */
bool virtqueue_empty(VirtQueue *vq);
/* Interrupts the driver for vq's used buffers unless it said not to. */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* The configuration changed: a configuration interrupt. */
void virtio_notify_config(VirtIODevice *vdev);
/* Something is wrong that only a reset cures (the spec's NEEDS_RESET). */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    EMU_PRINTF(2, 3);

/* The device the user made and names: the transport when it carries
 * vdev inside (virtio-net-pci), else vdev itself (info network, error
 * messages about properties). */
DeviceState *virtio_user_device(VirtIODevice *vdev);

/* ---- for transports ---- */

/* The device on the transport's bus, or NULL. */
VirtIODevice *virtio_bus_get_device(BusState *bus);
void virtio_reset(VirtIODevice *vdev);
/* A status write: 0 resets; FEATURES_OK is refused (left clear) when
 * the accepted features are not a subset of the offered ones. */
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
uint64_t virtio_get_host_features(VirtIODevice *vdev);
void virtio_set_guest_features(VirtIODevice *vdev, uint64_t features);
/* Configuration space: the device's bytes, little endian fields. */
uint64_t virtio_config_read(VirtIODevice *vdev, uint32_t offset,
                            unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t offset,
                         unsigned size, uint64_t value);
/* The driver kicked queue n. */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);
/* The size the driver chose for vq: refused (logged, false) unless a
 * power of 2 from 1 to the queue's maximum. */
bool virtio_queue_set_num(VirtQueue *vq, unsigned num);
/* A legacy transport's single address: the rings laid out contiguously
 * from pfn * page_size with the used ring aligned to align. */
void virtio_queue_set_legacy_layout(VirtQueue *vq, hwaddr base,
                                    unsigned align);

#endif
