/*
 * The node graph: opening a format over its protocol node and its
 * backing chain, format probing, and the request entry points.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <stdarg.h>
#include "block/block-int.h"
#include "util/cutils.h"

/* A chain longer than this is taken for a loop. */
#define BACKING_CHAIN_MAX 64

/* Every node, in the order it was named (QEMU's graph_bdrv_states). */
static GPtrArray *named_nodes;
static unsigned node_counter;

static const BlockDriver *const formats[] = { &bdrv_raw, &bdrv_qcow2 };

const BlockDriver *bdrv_find_format(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
        if (!strcmp(formats[i]->name, name)) {
            return formats[i];
        }
    }
    if (!strcmp(name, bdrv_file.name)) {
        return &bdrv_file;
    }
    return NULL;
}

char *bdrv_format_list(void)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
        g_string_append_printf(s, "%s%s", i ? " " : "", formats[i]->name);
    }
    return g_string_free(s, false);
}

const BlockDriver *bdrv_probe(const uint8_t *buf, size_t len)
{
    const BlockDriver *best = &bdrv_raw;
    int best_score = 0;

    for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
        int score = formats[i]->probe ? formats[i]->probe(buf, len) : 0;

        if (score > best_score) {
            best = formats[i];
            best_score = score;
        }
    }
    return best;
}

char *bdrv_backing_path(const char *image, const char *backing)
{
    g_autofree char *dir = NULL;

    if (g_path_is_absolute(backing) || !strchr(image, '/')) {
        return g_strdup(backing);
    }
    dir = g_path_get_dirname(image);
    return g_build_filename(dir, backing, NULL);
}

static BlockDriverState *bdrv_new(const BlockDriver *drv, const char *filename,
                                  int flags)
{
    BlockDriverState *bs = g_new0(BlockDriverState, 1);

    bs->drv = drv;
    bs->opaque = g_malloc0(drv->state_size);
    bs->filename = g_strdup(filename);
    bs->flags = flags;
    bs->read_only = !(flags & BDRV_O_RDWR);
    bs->refcnt = 1;
    g_rec_mutex_init(&bs->lock);
    return bs;
}

/*
 * Names a new node: the user's name, or QEMU's generated one ("#block",
 * a counter from 0 and two random digits, id_generate).  As in QEMU a
 * node is named when it is opened, a format node after its file node
 * and before its backing chain.
 */
static bool bdrv_assign_node_name(BlockDriverState *bs, const char *name,
                                  Error **errp)
{
    if (name && bdrv_find_node(name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", name);
        return false;
    }
    bs->node_name = name ? g_strdup(name)
                  : g_strdup_printf("#block%u%02d", node_counter++,
                                    g_random_int_range(0, 100));
    if (!named_nodes) {
        named_nodes = g_ptr_array_new();
    }
    g_ptr_array_add(named_nodes, bs);
    return true;
}

BlockDriverState *bdrv_find_node(const char *name)
{
    for (guint i = 0; named_nodes && i < named_nodes->len; i++) {
        BlockDriverState *bs = g_ptr_array_index(named_nodes, i);

        if (!strcmp(bs->node_name, name)) {
            return bs;
        }
    }
    return NULL;
}

BlockDriverState *bdrv_next_node(BlockDriverState *bs)
{
    guint i = 0;

    if (!named_nodes) {
        return NULL;
    }
    if (bs) {
        g_assert(g_ptr_array_find(named_nodes, bs, &i));
        i++;
    }
    return i < named_nodes->len ? g_ptr_array_index(named_nodes, i) : NULL;
}

BlockDriverState *bdrv_find_parent(BlockDriverState *bs)
{
    for (guint i = 0; named_nodes && i < named_nodes->len; i++) {
        BlockDriverState *parent = g_ptr_array_index(named_nodes, i);

        if (parent->file == bs || parent->backing == bs) {
            return parent;
        }
    }
    return NULL;
}

static void bdrv_free(BlockDriverState *bs)
{
    if (bs->node_name) {
        g_ptr_array_remove(named_nodes, bs);
        g_free(bs->node_name);
    }
    g_free(bs->opaque);
    g_free(bs->filename);
    g_free(bs->backing_file);
    g_free(bs->backing_format);
    g_free(bs->last_error);
    g_rec_mutex_clear(&bs->lock);
    g_free(bs);
}

static BlockDriverState *bdrv_open_chain(const char *filename,
                                         const char *format,
                                         const char *node_name, int flags,
                                         int depth, Error **errp);

static bool bdrv_open_backing(BlockDriverState *bs, int depth, Error **errp)
{
    g_autofree char *path = bdrv_backing_path(bs->filename, bs->backing_file);
    Error *err = NULL;

    if (depth >= BACKING_CHAIN_MAX) {
        error_setg(errp, "Could not open backing file: the backing chain of "
                   "'%s' is more than %d images deep (a loop?)", bs->filename,
                   BACKING_CHAIN_MAX);
        return false;
    }
    /* Backing files are only read. */
    bs->backing = bdrv_open_chain(path, bs->backing_format, NULL,
                                  bs->flags & ~BDRV_O_RDWR, depth + 1, &err);
    if (!bs->backing) {
        error_setg(errp, "Could not open backing file: %s",
                   error_get_pretty(err));
        error_free(err);
        return false;
    }
    return true;
}

static BlockDriverState *bdrv_open_chain(const char *filename,
                                         const char *format,
                                         const char *node_name, int flags,
                                         int depth, Error **errp)
{
    const BlockDriver *drv = NULL;
    BlockDriverState *file, *bs;

    if (format) {
        drv = bdrv_find_format(format);
        if (!drv) {
            error_setg(errp, "Unknown driver '%s'", format);
            return NULL;
        }
    }
    file = bdrv_new(&bdrv_file, filename, flags);
    if (!bdrv_file.open(file, flags, errp)) {
        bdrv_free(file);
        return NULL;
    }
    if (!bdrv_assign_node_name(file, drv == &bdrv_file ? node_name : NULL,
                               errp)) {
        bdrv_unref(file);
        return NULL;
    }
    if (drv == &bdrv_file) {
        return file;
    }
    if (!drv) {
        uint8_t buf[512] = { 0 };
        size_t len = MIN(sizeof(buf), file->size);

        if (len && bdrv_pread(file, 0, len, buf) < 0) {
            error_setg(errp, "Could not open '%s': %s", filename,
                       bdrv_last_error(file));
            bdrv_unref(file);
            return NULL;
        }
        drv = bdrv_probe(buf, len);
    }
    bs = bdrv_new(drv, filename, flags);
    bs->file = file;
    if (!drv->open(bs, flags, errp)) {
        error_prepend(errp, "Could not open '%s': ", filename);
        bdrv_unref(bs);
        return NULL;
    }
    if (!bdrv_assign_node_name(bs, node_name, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    if (bs->backing_file && !(flags & BDRV_O_NO_BACKING) &&
        !bdrv_open_backing(bs, depth, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    return bs;
}

BlockDriverState *bdrv_open(const char *filename, const char *format,
                            int flags, Error **errp)
{
    return bdrv_open_chain(filename, format, NULL, flags, 0, errp);
}

BlockDriverState *bdrv_open_named(const char *filename, const char *format,
                                  const char *node_name, int flags,
                                  Error **errp)
{
    return bdrv_open_chain(filename, format, node_name, flags, 0, errp);
}

void bdrv_ref(BlockDriverState *bs)
{
    bs->refcnt++;
}

void bdrv_unref(BlockDriverState *bs)
{
    if (!bs || --bs->refcnt > 0) {
        return;
    }
    /* A driver's close may still write (qcow2 clears its dirty bit). */
    if (bs->drv->close && bs->opaque) {
        bs->drv->close(bs);
    }
    bdrv_unref(bs->backing);
    bdrv_unref(bs->file);
    bdrv_free(bs);
}

bool bdrv_truncate(BlockDriverState *bs, uint64_t size, Error **errp)
{
    if (!bs->drv->resize) {
        error_setg(errp, "Image format driver does not support resize");
        return false;
    }
    return bs->drv->resize(bs, size, errp);
}

uint32_t bdrv_cluster_size(BlockDriverState *bs)
{
    g_autoptr(GArray) fields = g_array_new(false, true,
                                           sizeof(ImageInfoField));
    uint32_t cluster_size = 0;
    bool dirty;

    if (bs->drv->get_info) {
        bs->drv->get_info(bs, &cluster_size, &dirty, fields);
    }
    for (guint i = 0; i < fields->len; i++) {
        g_free(g_array_index(fields, ImageInfoField, i).str);
    }
    return cluster_size;
}

bool bdrv_reopen(BlockDriverState *bs, bool writable, Error **errp)
{
    int old_flags = bs->flags;

    if (writable == !bs->read_only) {
        return true;
    }
    /* What the caches hold goes to the file while it can be written. */
    if (!writable && bdrv_flush(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    if (bs->file && !bdrv_reopen(bs->file, writable, errp)) {
        return false;
    }
    bs->flags = writable ? bs->flags | BDRV_O_RDWR : bs->flags & ~BDRV_O_RDWR;
    bs->read_only = !writable;
    if (bs->drv->reopen && !bs->drv->reopen(bs, bs->flags, errp)) {
        bs->flags = old_flags;
        bs->read_only = writable;
        if (bs->file) {
            bdrv_reopen(bs->file, !writable, NULL);
        }
        return false;
    }
    return true;
}

/* ---- requests ---- */

int bdrv_fail(BlockDriverState *bs, int err, const char *fmt, ...)
{
    va_list ap;

    g_free(bs->last_error);
    va_start(ap, fmt);
    bs->last_error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return -err;
}

const char *bdrv_last_error(BlockDriverState *bs)
{
    return bs->last_error ? bs->last_error : "unknown error";
}

/* A child's failure, told by the node that saw it. */
static int bdrv_pass_error(BlockDriverState *bs, BlockDriverState *child,
                           int ret)
{
    if (child && child != bs && child->last_error) {
        bdrv_fail(bs, -ret, "%s", child->last_error);
    }
    return ret;
}

int bdrv_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
               void *buf)
{
    int ret = 0;

    g_rec_mutex_lock(&bs->lock);
    if (!bs->drv->protocol &&
        (offset > bs->size || bytes > bs->size - offset)) {
        ret = bdrv_fail(bs, EIO, "%s: read of %" PRIu64 " bytes at offset "
                        "%" PRIu64 " is past the end (%" PRIu64 " bytes)",
                        bs->filename, bytes, offset, bs->size);
    } else if (bytes) {
        ret = bs->drv->pread(bs, offset, bytes, buf);
    }
    g_rec_mutex_unlock(&bs->lock);
    return ret;
}

/* Whether a write may go ahead: 0, or the error (with its message). */
static int bdrv_check_write(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes)
{
    if (bs->read_only) {
        return bdrv_fail(bs, EPERM, "%s: the image is opened read-only",
                         bs->filename);
    }
    if (!bs->drv->protocol &&
        (offset > bs->size || bytes > bs->size - offset)) {
        return bdrv_fail(bs, EIO, "%s: write of %" PRIu64 " bytes at offset "
                         "%" PRIu64 " is past the end (%" PRIu64 " bytes)",
                         bs->filename, bytes, offset, bs->size);
    }
    return 0;
}

int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                const void *buf)
{
    int ret;

    g_rec_mutex_lock(&bs->lock);
    ret = bdrv_check_write(bs, offset, bytes);
    if (ret == 0 && bytes) {
        ret = bs->drv->pwrite(bs, offset, bytes, buf);
    }
    g_rec_mutex_unlock(&bs->lock);
    return ret;
}

/* Zeros written as data, a buffer of at most 1 MiB at a time. */
static int bdrv_write_zero_buffers(BlockDriverState *bs, uint64_t offset,
                                   uint64_t bytes)
{
    const uint64_t chunk = 1 << 20;
    g_autofree uint8_t *zeros = g_malloc0(MIN(bytes, chunk));
    int ret = 0;

    for (uint64_t done = 0; ret == 0 && done < bytes; done += chunk) {
        ret = bdrv_pwrite(bs, offset + done, MIN(bytes - done, chunk), zeros);
    }
    return ret;
}

static int bdrv_pwrite_zeroes_locked(BlockDriverState *bs, uint64_t offset,
                                     uint64_t bytes, int flags)
{
    int ret = bdrv_check_write(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (!bytes) {
        return 0;
    }
    if (bs->drv->pwrite_zeroes) {
        ret = bs->drv->pwrite_zeroes(bs, offset, bytes, flags);
        if (ret != -ENOTSUP) {
            return ret;
        }
    }
    return bdrv_write_zero_buffers(bs, offset, bytes);
}

int bdrv_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       int flags)
{
    int ret;

    g_rec_mutex_lock(&bs->lock);
    ret = bdrv_pwrite_zeroes_locked(bs, offset, bytes, flags);
    g_rec_mutex_unlock(&bs->lock);
    return ret;
}

int bdrv_flush(BlockDriverState *bs)
{
    int ret = 0;

    if (bs->read_only) {
        return 0;
    }
    g_rec_mutex_lock(&bs->lock);
    if (bs->drv->flush) {
        ret = bs->drv->flush(bs);
    }
    if (!ret && bs->file) {
        ret = bdrv_pass_error(bs, bs->file, bdrv_flush(bs->file));
    }
    g_rec_mutex_unlock(&bs->lock);
    return ret;
}

int bdrv_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      uint64_t *pnum, uint64_t *map)
{
    int ret;

    *map = 0;
    if (!bs->drv->block_status) {
        *pnum = bytes;
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED;
    }
    g_rec_mutex_lock(&bs->lock);
    ret = bs->drv->block_status(bs, offset, bytes, pnum, map);
    g_rec_mutex_unlock(&bs->lock);
    return ret;
}

int bdrv_block_status_above(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes, uint64_t *pnum)
{
    uint64_t map;
    int ret = bdrv_block_status(bs, offset, bytes, pnum, &map);

    if (ret < 0 || (ret & BDRV_BLOCK_ALLOCATED) || !bs->backing) {
        return ret;
    }
    /* Not this node's: the backing node's, within what this one says. */
    if (offset >= bs->backing->size) {
        return BDRV_BLOCK_ZERO;
    }
    return bdrv_block_status_above(bs->backing, offset,
                                   MIN(*pnum, bs->backing->size - offset),
                                   pnum);
}

bool bdrv_create(const BlockDriver *drv, const char *filename,
                 const BlockCreateOptions *opts, Error **errp)
{
    if (!drv->create) {
        error_setg(errp, "Format driver '%s' does not support image "
                   "creation", drv->name);
        return false;
    }
    /* A disk is made of 512-byte sectors: QEMU rounds the size up. */
    BlockCreateOptions rounded = *opts;

    if (rounded.size <= UINT64_MAX - (BDRV_SECTOR_SIZE - 1)) {
        rounded.size = DIV_ROUND_UP(rounded.size, BDRV_SECTOR_SIZE) *
                       BDRV_SECTOR_SIZE;
    }
    return drv->create(filename, &rounded, errp);
}

BlockPrealloc bdrv_prealloc_mode(const BlockCreateOptions *opts)
{
    static const char *const names[] = {
        [BDRV_PREALLOC_OFF] = "off",
        [BDRV_PREALLOC_METADATA] = "metadata",
        [BDRV_PREALLOC_FALLOC] = "falloc",
        [BDRV_PREALLOC_FULL] = "full",
    };

    if (!opts->preallocation) {
        return BDRV_PREALLOC_OFF;
    }
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(opts->preallocation, names[i])) {
            return i;
        }
    }
    return BDRV_PREALLOC_INVALID;
}

int bdrv_file_preallocate(BlockDriverState *bs, uint64_t offset,
                          uint64_t bytes, BlockPrealloc mode)
{
    g_assert(bs->drv->protocol);
    if (mode == BDRV_PREALLOC_FALLOC) {
        /* Zeroing without writing reserves the space (fallocate). */
        return bdrv_pwrite_zeroes(bs, offset, bytes, 0);
    }
    return bdrv_write_zero_buffers(bs, offset, bytes);
}

void snapshot_info_append_header(GString *out)
{
    g_string_append_printf(out, "%-10s%-17s%8s%20s%13s%11s", "ID", "TAG",
                           "VM SIZE", "DATE", "VM CLOCK", "ICOUNT");
}

void snapshot_info_append(GString *out, const SnapshotInfo *sn,
                          const char *id)
{
    g_autofree char *size = format_size(sn->vm_state_size);
    g_autoptr(GDateTime) date = g_date_time_new_from_unix_local(sn->date_sec);
    g_autofree char *when = date ? g_date_time_format(date,
                                                      "%Y-%m-%d %H:%M:%S")
                                 : g_strdup("");
    uint64_t ms = sn->vm_clock_nsec / 1000000;
    g_autofree char *clock = g_strdup_printf(
        "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64,
        ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
    g_autofree char *icount = sn->icount == UINT64_MAX ? g_strdup("")
        : g_strdup_printf("%" PRIu64, sn->icount);

    g_string_append_printf(out, "%-9s %-16s %8s%20s%13s%11s",
                           id ? id : sn->id, sn->name, size, when, clock,
                           icount);
}

void snapshot_info_list_free(SnapshotInfo *list, int n)
{
    for (int i = 0; i < n; i++) {
        g_free(list[i].id);
        g_free(list[i].name);
    }
    g_free(list);
}
