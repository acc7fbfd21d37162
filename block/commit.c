/*
 * Committing an overlay: what the images above a base hold is written
 * into the base.  emu-img commit (tools/img-commit.c) opens the chain
 * itself and calls bdrv_commit_data; QMP's block-commit job
 * (block/commit-job.c) copies with bdrv_commit_step, a run at a time
 * between the guest's requests; the monitor's "commit" is
 * bdrv_commit, QEMU's: into the backing node of a drive's top image
 * (also the temporary overlay of -snapshot), which is made writable for
 * the time it takes, and the top image emptied afterwards.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/block-int.h"

/* Bytes copied at a time. */
#define COMMIT_CHUNK (2u << 20)

int bdrv_allocated_above(BlockDriverState *top, BlockDriverState *base,
                           uint64_t offset, uint64_t bytes, uint64_t *pnum)
{
    for (BlockDriverState *bs = top; bs != base; bs = bs->backing) {
        uint64_t n, map;
        int status = bdrv_block_status(bs, offset, bytes, &n, &map);

        if (status < 0) {
            return status;
        }
        if (status & BDRV_BLOCK_ALLOCATED) {
            *pnum = n;
            return 1;
        }
        bytes = MIN(bytes, n);
    }
    *pnum = bytes;
    return 0;
}

/* Passes a node's failure up to top, saying what was being done. */
static int commit_fail(BlockDriverState *top, BlockDriverState *bs, int ret,
                       const char *what)
{
    return bdrv_fail(top, -ret, "error while %s %s: %s", what, bs->filename,
                     bdrv_last_error(bs));
}

int bdrv_commit_grow_base(BlockDriverState *top, BlockDriverState *base)
{
    Error *err = NULL;
    int ret;

    if (top->size <= base->size) {
        return 0;
    }
    if (!base->drv->resize) {
        return bdrv_fail(top, ENOTSUP, "Top image is larger than base image, "
                         "and base image could not be resized");
    }
    if (!base->drv->resize(base, top->size, &err)) {
        ret = bdrv_fail(top, EIO, "Top image is larger than base image, and "
                        "base image could not be resized: %s",
                        error_get_pretty(err));
        error_free(err);
        return ret;
    }
    return 0;
}

int64_t bdrv_commit_step(BlockDriverState *top, BlockDriverState *base,
                         uint64_t offset, uint64_t max, void *buf,
                         BdrvCommitStep *step)
{
    uint64_t n;
    int above = bdrv_allocated_above(top, base, offset,
                                MIN(max, top->size - offset), &n);
    int ret;

    *step = (BdrvCommitStep) { 0 };
    if (above < 0) {
        step->failed_read = true;
        return bdrv_fail(top, -above, "error while reading image metadata: "
                         "%s", bdrv_last_error(top));
    }
    if (above) {
        ret = bdrv_pread(top, offset, n, buf);
        if (ret < 0) {
            step->failed_read = true;
            return commit_fail(top, top, ret, "reading from");
        }
        ret = bdrv_pwrite(base, offset, n, buf);
        if (ret < 0) {
            return commit_fail(top, base, ret, "writing to");
        }
        step->copied = true;
    }
    return n;
}

int bdrv_commit_data(BlockDriverState *top, BlockDriverState *base,
                     BdrvProgressFunc *progress, void *opaque)
{
    g_autofree uint8_t *buf = g_malloc(COMMIT_CHUNK);
    uint64_t offset = 0;
    int ret;

    ret = bdrv_commit_grow_base(top, base);
    if (ret < 0) {
        return ret;
    }
    if (progress) {
        progress(opaque, 0);
    }
    while (offset < top->size) {
        BdrvCommitStep step;
        int64_t n = bdrv_commit_step(top, base, offset, COMMIT_CHUNK, buf,
                                     &step);

        if (n < 0) {
            return n;
        }
        offset += n;
        if (progress) {
            progress(opaque, 100.0 * offset / top->size);
        }
    }
    ret = bdrv_flush(base);
    return ret < 0 ? commit_fail(top, base, ret, "flushing") : 0;
}

int bdrv_commit(BlockDriverState *bs, Error **errp)
{
    BlockDriverState *base = bs->backing;
    bool was_read_only;
    int ret;

    if (!base) {
        error_setg(errp, "'%s' has no backing file", bs->filename);
        return -ENOTSUP;
    }
    if (bs->read_only) {
        /* It could not be emptied afterwards. */
        error_setg(errp, "'%s' is opened read-only", bs->filename);
        return -EACCES;
    }
    was_read_only = base->read_only;
    if (!bdrv_reopen(base, true, errp)) {
        return -EACCES;
    }
    ret = bdrv_commit_data(bs, base, NULL, NULL);
    if (ret == 0 && bs->drv->make_empty && !bs->drv->make_empty(bs, errp)) {
        ret = -EIO;
    } else if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
    }
    if (ret == 0) {
        ret = bdrv_flush(bs);
        if (ret < 0) {
            error_setg(errp, "%s", bdrv_last_error(bs));
        }
    }
    if (was_read_only) {
        Error *err = NULL;

        if (!bdrv_reopen(base, false, &err)) {
            /* Still usable, only not protected from other writers. */
            warn_report_err(err);
        }
    }
    return ret;
}
