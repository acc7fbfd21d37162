/*
 * virtio-net (hw/net/virtio-net.c): a network card on any virtio
 * transport.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#define TYPE_VIRTIO_NET "virtio-net-device"

#endif
