/*
 * The "raw" format: the image is the guest's disk byte for byte, through
 * the protocol node below it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/block-int.h"

static bool raw_open(BlockDriverState *bs, int flags, Error **errp)
{
    /* As QEMU: whole sectors; the last one's tail past the end of the
     * file reads as zeros (and a write there extends the file). */
    bs->size = DIV_ROUND_UP(bs->file->size, BDRV_SECTOR_SIZE) *
               BDRV_SECTOR_SIZE;
    return true;
}

static int raw_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                     void *buf)
{
    int ret = bdrv_pread(bs->file, offset, bytes, buf);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static int raw_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const void *buf)
{
    int ret = bdrv_pwrite(bs->file, offset, bytes, buf);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static int raw_pwrite_zeroes(BlockDriverState *bs, uint64_t offset,
                             uint64_t bytes, int flags)
{
    int ret = bdrv_pwrite_zeroes(bs->file, offset, bytes, flags);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static int raw_block_status(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes, uint64_t *pnum, uint64_t *map)
{
    return bdrv_block_status(bs->file, offset, bytes, pnum, map) |
           BDRV_BLOCK_ALLOCATED;
}

static bool raw_resize(BlockDriverState *bs, uint64_t size, Error **errp)
{
    if (!bs->file->drv->resize(bs->file, size, errp)) {
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
