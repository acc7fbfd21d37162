/*
 * virtio-net ("-device virtio-net-device,netdev=ID", "-nic user" on
 * virt): an Ethernet card behind any virtio transport (virtio 1.1, 5.1),
 * joined to a backend of the network layer (include/net/net.h).
 *
 * Queue 0 receives, queue 1 transmits.  The device offers its MAC
 * address and link status; no offloads, so every frame is a whole
 * Ethernet frame with checksums done by the guest, behind the
 * virtio_net_hdr the driver and device exchange: 10 bytes for a legacy
 * driver, 12 (with num_buffers, always 1) for a virtio 1.0 one.
 * A frame that arrives while the driver has posted no receive buffer
 * waits in the network layer until the driver kicks queue 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-net.h"
#include "net/net.h"

#define VIRTIO_ID_NET 1

/* Features (virtio 1.1, 5.1.3). */
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_S_LINK_UP 1

/* The configuration space: mac[6], status (5.1.4). */
#define CFG_MAC 0
#define CFG_STATUS 6
#define CFG_SIZE 8

#define RX_QUEUE 0
#define TX_QUEUE 1
#define QUEUE_SIZE 256

#define LEGACY_HDR_LEN 10
#define HDR_LEN 12               /* with num_buffers */
/* The largest frame a guest without segmentation offloads may send: an
 * Ethernet header, a 64 KiB IP packet and a VLAN tag.  Larger ones are
 * the guest's error, dropped. */
#define MAX_TX_FRAME (14 + 4 + 65535)

typedef struct VirtIONet {
    VirtIODevice parent_obj;
    NICProperties props;         /* netdev, mac; props.mac is the MAC */
    NetClientState *nic;
} VirtIONet;

#define VIRTIO_NET(obj) INSTANCE_CAST(VirtIONet, (obj), TYPE_VIRTIO_NET)

static size_t virtio_net_hdr_len(VirtIODevice *vdev)
{
    return virtio_has_feature(vdev, VIRTIO_F_VERSION_1) ? HDR_LEN
                                                        : LEGACY_HDR_LEN;
}

static uint64_t virtio_net_get_features(VirtIODevice *vdev)
{
    return 1ULL << VIRTIO_NET_F_MAC | 1ULL << VIRTIO_NET_F_STATUS;
}

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    memcpy(config + CFG_MAC, n->props.mac.a, sizeof(n->props.mac.a));
    config[CFG_STATUS] = VIRTIO_NET_S_LINK_UP;
    config[CFG_STATUS + 1] = 0;
}

/* A legacy driver may write the MAC address it wants (5.1.4.2). */
static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (vdev->legacy) {
        memcpy(n->props.mac.a, config + CFG_MAC, sizeof(n->props.mac.a));
    }
}

/* ---- receive: from the backend into queue 0 ---- */

static VirtIONet *nic_to_virtio_net(NetClientState *nc)
{
    return VIRTIO_NET(nc->owner);
}

static bool virtio_net_can_receive(NetClientState *nc)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(nic_to_virtio_net(nc));

    return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
           vdev->vq[RX_QUEUE].ready;
}

static size_t virtio_net_receive(NetClientState *nc, const uint8_t *buf,
                                 size_t len)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(nic_to_virtio_net(nc));
    VirtQueue *vq = &vdev->vq[RX_QUEUE];
    /* No offloads: flags and gso_type 0; num_buffers 1. */
    uint8_t hdr[HDR_LEN] = { [10] = 1 };
    size_t hdr_len = virtio_net_hdr_len(vdev);
    VirtQueueElement *elem = virtqueue_pop(vq);
    size_t written;

    if (!elem) {
        return 0;                /* waits for the driver's buffers */
    }
    if (elem->in_size < hdr_len + len) {
        /* A buffer too small for the frame: what fits, as a wire that
         * cuts it would give; the guest's stack drops it. */
        emu_log_mask(LOG_GUEST_ERROR, "virtio-net: a %zu-byte frame in a "
                     "%zu-byte receive buffer: cut\n", len, elem->in_size);
    }
    written = virtqueue_write(elem, 0, hdr, hdr_len);
    if (written == hdr_len) {
        written += virtqueue_write(elem, hdr_len, buf, len);
    }
    virtqueue_push(vq, elem, written);
    virtio_notify(vdev, vq);
    return len;
}

/* The driver posted receive buffers: frames that waited go in. */
static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    net_flush_queued_packets(VIRTIO_NET(vdev)->nic);
}

/* ---- transmit: queue 1 to the backend ---- */

static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    size_t hdr_len = virtio_net_hdr_len(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        size_t len = elem->out_size - MIN(elem->out_size, hdr_len);

        if (elem->out_size < hdr_len || elem->in_num) {
            virtio_error(vdev, "virtio-net: a transmit request of %zu "
                         "readable bytes (at least the %zu-byte header) "
                         "and %u writable buffers (none)", elem->out_size,
                         hdr_len, elem->in_num);
            g_free(elem);
            return;
        }
        if (len > MAX_TX_FRAME) {
            emu_log_mask(LOG_GUEST_ERROR, "virtio-net: a %zu-byte frame "
                         "(at most %d without offloads): dropped\n", len,
                         MAX_TX_FRAME);
        } else if (len) {
            g_autofree uint8_t *frame = g_malloc(len);

            virtqueue_read(elem, hdr_len, frame, len);
            net_send_packet(n->nic, frame, len);
        }
        virtqueue_push(vq, elem, 0);
    }
    virtio_notify(vdev, vq);
}

/* ---- the device ---- */

static const NetClientInfo virtio_net_info = {
    .type = "nic",
    .size = sizeof(NetClientState),
    .can_receive = virtio_net_can_receive,
    .receive = virtio_net_receive,
};

static bool virtio_net_realize(DeviceState *dev, Error **errp)
{
    VirtIONet *n = VIRTIO_NET(dev);
    /* The NIC info network shows: virtio-net-pci when it carries us. */
    DeviceState *user_dev = virtio_user_device(VIRTIO_DEVICE(dev));

    n->nic = net_nic_new(&virtio_net_info, &n->props,
                         object_get_typename(OBJECT(user_dev)), user_dev->id,
                         n, errp);
    if (!n->nic) {
        return false;
    }
    virtio_add_queue(VIRTIO_DEVICE(dev), RX_QUEUE, QUEUE_SIZE,
                     virtio_net_handle_rx);
    virtio_add_queue(VIRTIO_DEVICE(dev), TX_QUEUE, QUEUE_SIZE,
                     virtio_net_handle_tx);
    return true;
}

static void virtio_net_unrealize(DeviceState *dev)
{
    VirtIONet *n = VIRTIO_NET(dev);

    net_client_free(n->nic);
    n->nic = NULL;
}

static const Property virtio_net_properties[] = {
    DEFINE_NIC_PROPERTIES(VirtIONet, props),
};

static void virtio_net_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    klass->desc = "virtio network card";
    dc->realize = virtio_net_realize;
    dc->unrealize = virtio_net_unrealize;
    dc->category = DEVICE_CATEGORY_NETWORK;
    vdc->device_id = VIRTIO_ID_NET;
    vdc->config_size = CFG_SIZE;
    vdc->get_features = virtio_net_get_features;
    vdc->get_config = virtio_net_get_config;
    vdc->set_config = virtio_net_set_config;
    class_add_properties(klass, virtio_net_properties,
                         ARRAY_SIZE(virtio_net_properties));
}

static const TypeInfo virtio_net_types[] = {
    {
        .name = TYPE_VIRTIO_NET,
        .parent = TYPE_VIRTIO_DEVICE,
        .instance_size = sizeof(VirtIONet),
        .class_init = virtio_net_class_init,
    },
};

DEFINE_TYPES(virtio_net_types)
