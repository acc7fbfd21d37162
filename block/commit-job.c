/*
 * QMP's block-commit as QEMU 7.2 runs it: a block job
 * (include/block/blockjob.h) that copies what the images from top down
 * to base hold into base, a run of at most 512 KiB a step
 * (bdrv_commit_step, block/commit.c, the copy HMP's commit and emu-img
 * commit use), while the guest goes on.
 *
 * An intermediate commit (top below the drive's top image) ends by
 * itself: the image above top is told its backing file is base now
 * (the name backing-file= gives, else base's), and top and what is
 * between leave the chain.  An active commit (top is the drive's top
 * image) copies, goes "ready" and waits for block-job-complete, which
 * switches the drive to base; meanwhile every guest write lands in top
 * and in base (block_backend's write mirror), so base never falls
 * behind what was copied.  Cancelled once ready, it ends without the
 * switch, as QEMU's does.
 *
 * base, opened read-only as backing files are, is reopened read-write
 * for the job (its image lock taken for writing: a process reading it
 * makes the commit fail) and read-only again afterwards, unless the
 * drive now runs on it.  A failed write (a full disk, a file size
 * limit) fails the job with QEMU's BLOCK_JOB_COMPLETED error; what was
 * copied stays in base, whose image is consistent, and the chain is
 * left as it was.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/commit-job.h"
#include "block/blockjob.h"
#include "block/block-backend.h"
#include "block/block-int.h"

/* QEMU's COMMIT_BUFFER_SIZE: the most a step copies. */
#define COMMIT_STEP_MAX (512 * 1024)

typedef struct CommitJob {
    BlockBackend *blk;
    BlockDriverState *top, *base;
    bool active;
    bool base_was_read_only;
    bool switched;               /* the drive runs on base now */
    char *backing_file;          /* backing-file=, or NULL */
    bool started;                /* base grown, the work measured */
    uint64_t offset;             /* where the next step looks */
    uint64_t len, counted;       /* active: work measured, booked */
    uint64_t granularity;        /* active: QEMU's dirty bitmap's */
    uint64_t counted_end;        /* active: booked up to here */
    uint8_t *buf;
} CommitJob;

/*
 * An active commit's work, as QEMU's mirror measures it: the bytes of
 * every granule (base's cluster size, 4 to 64 KiB) that an image above
 * base holds anything of.
 */
static int commit_measure(CommitJob *c, uint64_t *len)
{
    uint64_t offset = 0, end = 0;

    *len = 0;
    while (offset < c->top->size) {
        uint64_t n;
        int ret = bdrv_allocated_above(c->top, c->base, offset,
                                       c->top->size - offset, &n);

        if (ret < 0) {
            return ret;
        }
        if (ret) {
            uint64_t from = MAX(offset / c->granularity * c->granularity, end);

            end = DIV_ROUND_UP(offset + n, c->granularity) * c->granularity;
            *len += end - from;
        }
        offset += n;
    }
    return 0;
}

/* Books an active commit's copied run by the granules it touched. */
static void commit_book_active(BlockJob *job, CommitJob *c, uint64_t offset,
                               uint64_t n)
{
    uint64_t from = MAX(offset / c->granularity * c->granularity,
                        c->counted_end);
    uint64_t end = DIV_ROUND_UP(offset + n, c->granularity) * c->granularity;
    uint64_t bytes = end > from ? MIN(end - from, c->len - c->counted) : 0;

    c->counted_end = MAX(c->counted_end, end);
    c->counted += bytes;
    block_job_progress(job, bytes, true);
}

static int commit_start_work(BlockJob *job, CommitJob *c)
{
    int ret = bdrv_commit_grow_base(c->top, c->base);

    if (ret < 0) {
        return ret;
    }
    if (c->active) {
        ret = commit_measure(c, &c->len);
        if (ret < 0) {
            return ret;
        }
        block_job_more_work(job, c->len);
    } else {
        block_job_more_work(job, c->top->size);
    }
    c->started = true;
    return 0;
}

static int commit_step(BlockJob *job, bool *failed_read)
{
    CommitJob *c = block_job_opaque(job);
    BdrvCommitStep step;
    int64_t n;
    int ret;

    if (!c->started) {
        return commit_start_work(job, c);
    }
    if (c->active) {
        ret = blk_take_mirror_error(c->blk);
        if (ret < 0) {
            return ret;
        }
    }
    if (c->offset >= c->top->size) {
        ret = bdrv_flush(c->base);
        if (ret < 0) {
            return ret;
        }
        if (c->active) {
            /* Guest writes reach base by themselves from now on. */
            block_job_progress(job, c->len - c->counted, false);
        }
        block_job_caught_up(job);
        return 0;
    }
    n = bdrv_commit_step(c->top, c->base, c->offset, COMMIT_STEP_MAX,
                         c->buf, &step);
    if (n < 0) {
        *failed_read = step.failed_read;
        return n;
    }
    if (c->active) {
        if (step.copied) {
            commit_book_active(job, c, c->offset, n);
        }
    } else {
        block_job_progress(job, n, step.copied);
    }
    c->offset += n;
    return 0;
}

/* The node whose backing node is bs (NULL: bs is the drive's top). */
static BlockDriverState *commit_overlay_of(CommitJob *c, BlockDriverState *bs)
{
    for (BlockDriverState *o = blk_bs(c->blk); o; o = o->backing) {
        if (o->backing == bs) {
            return o;
        }
    }
    return NULL;
}

/* Intermediate: the image above top names base as its backing file. */
static int commit_drop_intermediate(CommitJob *c)
{
    BlockDriverState *overlay = commit_overlay_of(c, c->top);
    bool was_read_only = overlay->read_only;
    const char *name = c->backing_file ? c->backing_file : c->base->filename;
    Error *err = NULL;
    int ret = -EIO;

    if (!overlay->drv->change_backing_file) {
        return -ENOTSUP;
    }
    if (!bdrv_reopen(overlay, true, &err)) {
        warn_report_err(err);
        return -EACCES;
    }
    if (!overlay->drv->change_backing_file(overlay, name, c->base->drv->name,
                                           &err)) {
        warn_report_err(err);
    } else {
        /* top and the images down to base leave the chain; they stay
         * open only while something else holds them (a -blockdev node,
         * as in QEMU). */
        BlockDriverState *dropped = overlay->backing;

        bdrv_ref(c->base);
        overlay->backing = c->base;
        bdrv_unref(dropped);
        ret = 0;
    }
    if (was_read_only && !bdrv_reopen(overlay, false, &err)) {
        warn_report_err(err);
    }
    return ret;
}

static int commit_prepare(BlockJob *job)
{
    CommitJob *c = block_job_opaque(job);
    int ret = 0;

    if (c->active && !block_job_should_complete(job)) {
        return 0;                /* cancelled once ready: no switch */
    }
    blk_lock_graph(c->blk);
    if (c->active) {
        blk_set_write_mirror(c->blk, NULL);
        ret = blk_take_mirror_error(c->blk);
        if (ret == 0) {
            ret = bdrv_flush(c->base);
        }
        if (ret == 0) {
            bdrv_ref(c->base);
            blk_replace_root(c->blk, c->base);
            c->switched = true;
        }
    } else {
        ret = commit_drop_intermediate(c);
    }
    blk_unlock_graph(c->blk);
    return ret;
}

static void commit_clean(BlockJob *job)
{
    CommitJob *c = block_job_opaque(job);
    Error *err = NULL;

    if (c->active) {
        blk_set_write_mirror(c->blk, NULL);
    }
    blk_set_job(c->blk, NULL);
    if ((c->switched ? blk_is_read_only(c->blk) : c->base_was_read_only) &&
        !bdrv_reopen(c->base, false, &err)) {
        /* Still usable, only not protected from other writers. */
        warn_report_err(err);
    }
    g_free(c->backing_file);
    g_free(c->buf);
    g_free(c);
}

static const BlockJobDriver commit_job_driver = {
    .type = "commit",
    .step = commit_step,
    .prepare = commit_prepare,
    .clean = commit_clean,
};

static const BlockJobDriver commit_active_job_driver = {
    .type = "commit",
    .step = commit_step,
    .prepare = commit_prepare,
    .clean = commit_clean,
    .needs_complete = true,
};

/* ---- finding top and base, in QEMU's words ---- */

static bool chain_contains(BlockDriverState *top, BlockDriverState *bs)
{
    for (; top; top = top->backing) {
        if (top == bs) {
            return true;
        }
    }
    return false;
}

/*
 * A node of the drive's chain by its node name (given, or generated as
 * query-named-block-nodes lists it).  QEMU's errors for a name no node
 * has, and for a node elsewhere (another drive, a file node).
 */
static BlockDriverState *commit_find_node(BlockBackend *blk,
                                          BlockDriverState *top,
                                          const char *name, Error **errp)
{
    BlockDriverState *bs = bdrv_find_node(name);

    if (!bs) {
        error_setg(errp, "Cannot find device='' nor node-name='%s'", name);
        return NULL;
    }
    if (!chain_contains(top, bs)) {
        error_setg(errp, "'%s' is not in this backing file chain", name);
        return NULL;
    }
    return bs;
}

/* QEMU's bdrv_find_backing_image: a node below top by the name its
 * overlay gives it, or by its file name as opened. */
static BlockDriverState *find_backing_image(BlockDriverState *top,
                                            const char *name)
{
    for (BlockDriverState *bs = top; bs->backing; bs = bs->backing) {
        g_autofree char *path = bdrv_backing_path(bs->filename, name);

        if (!strcmp(bs->backing_file, name) ||
            !strcmp(bs->backing->filename, name) ||
            !strcmp(bs->backing->filename, path)) {
            return bs->backing;
        }
    }
    return NULL;
}

static bool commit_find_top(BlockBackend *blk, const BlockCommitOptions *o,
                            BlockDriverState **top, Error **errp)
{
    BlockDriverState *root = blk_bs(blk);

    *top = root;
    if (o->top_node && o->top) {
        error_setg(errp, "'top-node' and 'top' are mutually exclusive");
        return false;
    }
    if (o->top_node) {
        *top = commit_find_node(blk, root, o->top_node, errp);
        return *top != NULL;
    }
    if (o->top && strcmp(root->filename, o->top)) {
        *top = find_backing_image(root, o->top);
    }
    if (!*top) {
        error_setg(errp, "Top image file %s not found", o->top);
        return false;
    }
    return true;
}

static bool commit_find_base(BlockBackend *blk, BlockDriverState *top,
                             const BlockCommitOptions *o,
                             BlockDriverState **base, Error **errp)
{
    if (o->base_node && o->base) {
        error_setg(errp, "'base-node' and 'base' are mutually exclusive");
        return false;
    }
    if (o->base_node) {
        *base = commit_find_node(blk, top, o->base_node, errp);
        return *base != NULL;
    }
    if (o->base) {
        *base = find_backing_image(top, o->base);
        if (!*base) {
            error_setg(errp, "Can't find '%s' in the backing chain", o->base);
            return false;
        }
        return true;
    }
    for (*base = top; (*base)->backing; *base = (*base)->backing) {
        /* the bottom of the chain */
    }
    return true;
}

bool block_commit_start(const BlockCommitOptions *o, bool *not_found,
                        Error **errp)
{
    BlockBackend *blk = blk_lookup(o->device, o->device, NULL);
    BlockDriverState *top, *base;
    BlockJobOptions job_opts = {
        .id = o->job_id,
        .speed = o->speed,
        .manual_finalize = !o->auto_finalize,
        .manual_dismiss = !o->auto_dismiss,
    };
    BlockJob *job;
    CommitJob *c;

    *not_found = !blk || !blk_is_inserted(blk);
    if (*not_found) {
        error_setg(errp, "Device '%s' not found", o->device);
        return false;
    }
    if (o->on_error && strcmp(o->on_error, "report")) {
        error_setg(errp, "on-error=%s is not supported: emu's block jobs "
                   "end at the first error (on-error=report)", o->on_error);
        return false;
    }
    if (o->filter_node_name) {
        error_setg(errp, "filter-node-name is not supported: emu's commit "
                   "job inserts no filter node");
        return false;
    }
    if (blk_job_type(blk)) {
        /* QEMU's words: its job's filter node is the drive's top now. */
        error_setg(errp, "Need a root block node");
        return false;
    }
    if (!commit_find_top(blk, o, &top, errp) ||
        !commit_find_base(blk, top, o, &base, errp)) {
        return false;
    }
    if (top == base) {
        error_setg(errp, "cannot commit an image into itself");
        return false;
    }
    if (top == blk_bs(blk) && o->backing_file) {
        error_setg(errp, "'backing-file' specified, but 'top' is the active "
                   "layer");
        return false;
    }
    c = g_new0(CommitJob, 1);
    *c = (CommitJob) {
        .blk = blk,
        .top = top,
        .base = base,
        .active = top == blk_bs(blk),
        .base_was_read_only = base->read_only,
        .backing_file = g_strdup(o->backing_file),
        .buf = g_malloc(COMMIT_STEP_MAX),
    };
    job = block_job_create(c->active ? &commit_active_job_driver
                                     : &commit_job_driver,
                           blk, &job_opts, c, errp);
    if (!job) {
        g_free(c->backing_file);
        g_free(c->buf);
        g_free(c);
        return false;
    }
    blk_lock_graph(blk);
    if (!blk_check_commit_base(blk, base, errp) ||
        !bdrv_reopen(base, true, errp)) {
        blk_unlock_graph(blk);
        block_job_abandon(job);
        g_free(c->backing_file);
        g_free(c->buf);
        g_free(c);
        return false;
    }
    if (c->active) {
        uint32_t cluster_size = bdrv_cluster_size(base);

        /* QEMU's bdrv_get_default_bitmap_granularity */
        c->granularity = cluster_size ? MIN(MAX(cluster_size, 4096), 65536)
                                      : 65536;
        blk_set_write_mirror(blk, base);
    }
    blk_set_job(blk, "commit");
    blk_unlock_graph(blk);
    block_job_start(job);
    return true;
}
