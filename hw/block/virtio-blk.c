/*
 * virtio-blk ("-device virtio-blk-device,drive=ID", "-drive if=virtio"):
 * a disk on a BlockBackend (docs/block.md) behind any virtio transport.
 * Requests (virtio 1.1, 5.2.6) are done synchronously when the driver
 * kicks the queue, as the block layer's calls are today: read, write,
 * flush, get-id (the serial property), discard and write-zeroes (both
 * deallocate with the drive's discard=unmap, else write zeros), each answered
 * with QEMU's status codes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "block/block-backend.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-blk.h"

#define VIRTIO_ID_BLOCK 2

/* Features (virtio 1.1, 5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status. */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_ID_BYTES 20
#define SECTOR_SIZE 512
#define QUEUE_SIZE 256
/* Discard and write-zeroes: segments per request, sectors per segment. */
#define MAX_ZERO_SEGS 1
#define MAX_ZERO_SECTORS (32 * 1024 * 1024 / SECTOR_SIZE)

/* The configuration space, fields little endian (5.2.4). */
#define CFG_CAPACITY 0
#define CFG_SEG_MAX 12
#define CFG_BLK_SIZE 20
#define CFG_MAX_DISCARD_SECTORS 36
#define CFG_MAX_DISCARD_SEG 40
#define CFG_DISCARD_SECTOR_ALIGNMENT 44
#define CFG_MAX_WRITE_ZEROES_SECTORS 48
#define CFG_MAX_WRITE_ZEROES_SEG 52
#define CFG_SIZE 60

typedef struct VirtIOBlock {
    VirtIODevice parent_obj;
    char *drive;                 /* the drive's id */
    char *serial;
    BlockBackend *blk;
} VirtIOBlock;

#define VIRTIO_BLK(obj) INSTANCE_CAST(VirtIOBlock, (obj), TYPE_VIRTIO_BLK)

static uint64_t virtio_blk_sectors(VirtIOBlock *s)
{
    return blk_getlength(s->blk) / SECTOR_SIZE;
}

static uint64_t virtio_blk_get_features(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    uint64_t f = 1ULL << VIRTIO_BLK_F_SEG_MAX | 1ULL << VIRTIO_BLK_F_BLK_SIZE |
                 1ULL << VIRTIO_BLK_F_FLUSH;

    if (blk_is_read_only(s->blk)) {
        f |= 1ULL << VIRTIO_BLK_F_RO;
    } else {
        f |= 1ULL << VIRTIO_BLK_F_DISCARD | 1ULL << VIRTIO_BLK_F_WRITE_ZEROES;
    }
    return f;
}

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        p[i] = v >> (8 * i);
    }
}

static uint64_t get_le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;

    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    put_le(config + CFG_CAPACITY, virtio_blk_sectors(s), 8);
    put_le(config + CFG_SEG_MAX, QUEUE_SIZE - 2, 4);
    put_le(config + CFG_BLK_SIZE, SECTOR_SIZE, 4);
    put_le(config + CFG_MAX_DISCARD_SECTORS, MAX_ZERO_SECTORS, 4);
    put_le(config + CFG_MAX_DISCARD_SEG, MAX_ZERO_SEGS, 4);
    put_le(config + CFG_DISCARD_SECTOR_ALIGNMENT, 1, 4);
    put_le(config + CFG_MAX_WRITE_ZEROES_SECTORS, MAX_ZERO_SECTORS, 4);
    put_le(config + CFG_MAX_WRITE_ZEROES_SEG, MAX_ZERO_SEGS, 4);
}

/* Whether [sector, sector + bytes) is on the disk. */
static bool range_ok(VirtIOBlock *s, uint64_t sector, uint64_t bytes)
{
    uint64_t sectors = virtio_blk_sectors(s);

    return bytes % SECTOR_SIZE == 0 && sector <= sectors &&
           bytes / SECTOR_SIZE <= sectors - sector;
}

static int report(VirtIOBlock *s, int ret)
{
    if (ret < 0) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio-blk %s: %s\n", s->drive,
                     blk_last_error(s->blk));
        return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
}

static int virtio_blk_rw(VirtIOBlock *s, VirtQueueElement *elem,
                         uint64_t sector, bool is_write, uint32_t *written)
{
    /* Data follows the 16-byte header (out) or precedes the status
     * byte (in). */
    size_t bytes = is_write ? elem->out_size - 16 : elem->in_size - 1;
    g_autofree uint8_t *buf = NULL;
    int ret;

    if (!range_ok(s, sector, bytes)) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio-blk %s: %zu bytes at sector "
                     "%" PRIu64 " are not on the disk\n", s->drive, bytes,
                     sector);
        return VIRTIO_BLK_S_IOERR;
    }
    buf = g_malloc(bytes ? bytes : 1);
    if (is_write) {
        if (blk_is_read_only(s->blk)) {
            return VIRTIO_BLK_S_IOERR;
        }
        virtqueue_read(elem, 16, buf, bytes);
        return report(s, blk_pwrite(s->blk, sector * SECTOR_SIZE, bytes,
                                    buf));
    }
    ret = blk_pread(s->blk, sector * SECTOR_SIZE, bytes, buf);
    if (ret == 0) {
        *written = virtqueue_write(elem, 0, buf, bytes);
    }
    return report(s, ret);
}

/* Discard or write-zeroes: one segment {sector, num_sectors, flags};
 * the drive's discard= option decides whether space is given back. */
static int virtio_blk_zero(VirtIOBlock *s, VirtQueueElement *elem,
                           uint32_t type)
{
    uint8_t seg[16];
    uint64_t sector, bytes;
    int ret;

    if (elem->out_size != 16 + sizeof(seg) ||
        virtqueue_read(elem, 16, seg, sizeof(seg)) != sizeof(seg)) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    sector = get_le(seg, 8);
    bytes = get_le(seg + 8, 4) * SECTOR_SIZE;
    if (get_le(seg + 8, 4) > MAX_ZERO_SECTORS || !range_ok(s, sector, bytes)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (type == VIRTIO_BLK_T_DISCARD) {
        ret = blk_pdiscard(s->blk, sector * SECTOR_SIZE, bytes);
    } else {
        ret = blk_pwrite_zeroes(s->blk, sector * SECTOR_SIZE, bytes,
                                get_le(seg + 12, 4) &
                                VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP);
    }
    return report(s, ret);
}

static void virtio_blk_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        uint8_t hdr[16], status;
        char id[VIRTIO_BLK_ID_BYTES] = "";
        uint32_t written = 0;

        if (elem->out_size < sizeof(hdr) || elem->in_size < 1) {
            virtio_error(vdev, "virtio-blk: request without header or "
                         "status byte");
            g_free(elem);
            return;
        }
        virtqueue_read(elem, 0, hdr, sizeof(hdr));
        switch (get_le(hdr, 4)) {
        case VIRTIO_BLK_T_IN:
        case VIRTIO_BLK_T_OUT:
            status = virtio_blk_rw(s, elem, get_le(hdr + 8, 8),
                                   get_le(hdr, 4) == VIRTIO_BLK_T_OUT,
                                   &written);
            break;
        case VIRTIO_BLK_T_FLUSH:
            status = report(s, blk_flush(s->blk));
            break;
        case VIRTIO_BLK_T_GET_ID:
            strncpy(id, s->serial ? s->serial : "", sizeof(id));
            written = virtqueue_write(elem, 0, id,
                                      MIN(sizeof(id), elem->in_size - 1));
            status = VIRTIO_BLK_S_OK;
            break;
        case VIRTIO_BLK_T_DISCARD:
        case VIRTIO_BLK_T_WRITE_ZEROES:
            status = virtio_blk_zero(s, elem, get_le(hdr, 4));
            break;
        default:
            status = VIRTIO_BLK_S_UNSUPP;
            break;
        }
        virtqueue_write(elem, elem->in_size - 1, &status, 1);
        virtqueue_push(vq, elem, written + 1);
    }
    virtio_notify(vdev, vq);
}

/* block_resize: the driver rereads the capacity on a config change
 * interrupt (virtio 1.1, 4.2.2 and 5.2.4). */
static void virtio_blk_resize(void *opaque)
{
    virtio_notify_config(VIRTIO_DEVICE(opaque));
}

static const BlockDevOps virtio_blk_dev_ops = {
    .resize_cb = virtio_blk_resize,
};

static bool virtio_blk_realize(DeviceState *dev, Error **errp)
{
    VirtIOBlock *s = VIRTIO_BLK(dev);

    if (!s->drive) {
        error_setg(errp, "drive property not set");
        return false;
    }
    s->blk = blk_by_name(s->drive);
    if (!s->blk) {
        error_setg(errp, "Property '%s.drive' can't find value '%s'",
                   object_get_typename(OBJECT(virtio_user_device(
                       VIRTIO_DEVICE(dev)))), s->drive);
        return false;
    }
    if (!blk_is_inserted(s->blk)) {
        error_setg(errp, "Device needs media, but drive is empty");
        return false;
    }
    if (!blk_attach_dev(s->blk, dev, errp)) {
        return false;
    }
    blk_set_dev_ops(s->blk, &virtio_blk_dev_ops, s);
    blk_iostatus_enable(s->blk);
    if (s->serial && strlen(s->serial) > VIRTIO_BLK_ID_BYTES) {
        warn_report("virtio-blk: serial '%s' is cut to %d bytes",
                    s->serial, VIRTIO_BLK_ID_BYTES);
    }
    virtio_add_queue(VIRTIO_DEVICE(dev), 0, QUEUE_SIZE, virtio_blk_handle);
    return true;
}

static const Property virtio_blk_properties[] = {
    DEFINE_PROP_STRING("drive", VirtIOBlock, drive,
                       "Node name or ID of a block device to use as a "
                       "backend"),
    DEFINE_PROP_STRING("serial", VirtIOBlock, serial,
                       "The disk's serial number (get-id, 20 bytes)"),
};

static void virtio_blk_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    klass->desc = "virtio block device";
    dc->realize = virtio_blk_realize;
    dc->category = DEVICE_CATEGORY_STORAGE;
    vdc->device_id = VIRTIO_ID_BLOCK;
    vdc->config_size = CFG_SIZE;
    vdc->get_features = virtio_blk_get_features;
    vdc->get_config = virtio_blk_get_config;
    class_add_properties(klass, virtio_blk_properties,
                         ARRAY_SIZE(virtio_blk_properties));
}

static const TypeInfo virtio_blk_types[] = {
    {
        .name = TYPE_VIRTIO_BLK,
        .parent = TYPE_VIRTIO_DEVICE,
        .instance_size = sizeof(VirtIOBlock),
        .class_init = virtio_blk_class_init,
    },
};

DEFINE_TYPES(virtio_blk_types)
