/*
 * The "raw" format: the image is the guest's disk byte for byte, through
 * the protocol node below it; or, with QEMU's offset= and size= options
 * (raw_set_window), a window of it: the disk starts offset bytes into the
 * file and is size bytes long.  Requests are checked against the disk's
 * size before they are moved by the offset, so none reaches the file
 * outside the window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/block-int.h"

typedef struct RawState {
    uint64_t offset;             /* where the disk starts in the file */
    bool has_size;               /* size= fixes the disk's size */
} RawState;

/* As QEMU: whole sectors; the last one's tail past the end of the file
 * reads as zeros (and a write there extends the file). */
static uint64_t raw_size_from_file(BlockDriverState *bs)
{
    RawState *s = bs->opaque;

    return DIV_ROUND_UP(bs->file->size - s->offset, BDRV_SECTOR_SIZE) *
           BDRV_SECTOR_SIZE;
}

static bool raw_open(BlockDriverState *bs, int flags, Error **errp)
{
    bs->size = raw_size_from_file(bs);
    return true;
}

bool raw_set_window(BlockDriverState *bs, uint64_t offset, bool has_size,
                    uint64_t size, Error **errp)
{
    RawState *s = bs->opaque;
    uint64_t file_size = bs->file->size;

    g_assert(bs->drv == &bdrv_raw);
    /* QEMU's messages, its double space included. */
    if (offset > file_size) {
        error_setg(errp, "Offset (%" PRIu64 ") cannot be greater than size "
                   "of the containing file (%" PRIu64 ")", offset,
                   file_size);
        return false;
    }
    if (has_size && file_size - offset < size) {
        error_setg(errp, "The sum of offset (%" PRIu64 ") and size (%" PRIu64
                   ") has to be smaller or equal to the  actual size of the "
                   "containing file (%" PRIu64 ")", offset, size, file_size);
        return false;
    }
    if (has_size && size % BDRV_SECTOR_SIZE) {
        error_setg(errp, "Specified size is not multiple of %d",
                   BDRV_SECTOR_SIZE);
        return false;
    }
    s->offset = offset;
    s->has_size = has_size;
    bs->size = has_size ? size : raw_size_from_file(bs);
    return true;
}

/* bdrv_pread/bdrv_pwrite have kept the request inside bs->size. */
static int raw_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                     void *buf)
{
    RawState *s = bs->opaque;
    int ret = bdrv_pread(bs->file, s->offset + offset, bytes, buf);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static int raw_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const void *buf)
{
    RawState *s = bs->opaque;
    int ret = bdrv_pwrite(bs->file, s->offset + offset, bytes, buf);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static int raw_pwrite_zeroes(BlockDriverState *bs, uint64_t offset,
                             uint64_t bytes, int flags)
{
    RawState *s = bs->opaque;
    int ret = bdrv_pwrite_zeroes(bs->file, s->offset + offset, bytes, flags);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static int raw_block_status(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes, uint64_t *pnum, uint64_t *map)
{
    RawState *s = bs->opaque;

    return bdrv_block_status(bs->file, s->offset + offset, bytes, pnum,
                             map) | BDRV_BLOCK_ALLOCATED;
}

static bool raw_resize(BlockDriverState *bs, uint64_t size, Error **errp)
{
    RawState *s = bs->opaque;

    if (s->has_size) {
        error_setg(errp, "Cannot resize fixed-size raw disks");
        return false;
    }
    if (!bs->file->drv->resize(bs->file, s->offset + size, errp)) {
        return false;
    }
    bs->size = size;
    return true;
}

static uint64_t raw_allocated_size(BlockDriverState *bs)
{
    return bs->file->drv->allocated_size(bs->file);
}

static bool raw_create(const char *filename, const BlockCreateOptions *opts,
                       Error **errp)
{
    if (opts->backing_file) {
        error_setg(errp, "Backing file not supported for file format 'raw'");
        return false;
    }
    return bdrv_create(&bdrv_file, filename, opts, errp);
}

/* Every byte of the guest's disk is a byte of the file, holes or not. */
static bool raw_measure(const BlockCreateOptions *opts, BlockDriverState *in,
                        BlockMeasureInfo *info, Error **errp)
{
    info->required = in ? in->size : DIV_ROUND_UP(opts->size, 512) * 512;
    info->fully_allocated = info->required;
    return true;
}

/* Anything is raw, weakly: the fallback of probing. */
static int raw_probe(const uint8_t *buf, size_t len)
{
    return 1;
}

const BlockDriver bdrv_raw = {
    .name = "raw",
    .state_size = sizeof(RawState),
    .probe = raw_probe,
    .open = raw_open,
    .pread = raw_pread,
    .pwrite = raw_pwrite,
    .pwrite_zeroes = raw_pwrite_zeroes,
    .block_status = raw_block_status,
    .resize = raw_resize,
    .allocated_size = raw_allocated_size,
    .create = raw_create,
    .measure = raw_measure,
};
