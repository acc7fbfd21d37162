/*
 * virtio-blk (hw/block/virtio-blk.c): a disk on any virtio transport.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#define TYPE_VIRTIO_BLK "virtio-blk-device"

#endif
