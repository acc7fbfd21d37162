/*
 * The virtio-mmio transport: one 0x200-byte MMIO region, one interrupt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#define TYPE_VIRTIO_MMIO "virtio-mmio"
/* Its bus, for info qtree's "type". */
#define TYPE_VIRTIO_MMIO_BUS "virtio-mmio-bus"
#define VIRTIO_MMIO_SIZE 0x200

#endif
