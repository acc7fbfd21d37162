/*
 * BlockBackend: a drive's image as devices and the monitor see it
 * (include/block/block-backend.h): opening with QEMU's probing rules
 * and raw warning, the temporary overlay of snapshot=on, cache modes,
 * and the list "info block" prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <glib/gstdio.h>
#include "block/block-backend.h"
#include "block/block-int.h"
#include "block/aio-pool.h"
#include "qom/object.h"
#include "hw/qdev.h"

/* The first sector of a probed raw image: a write that would make it
 * look like another format is refused, as QEMU refuses it. */
#define PROBE_SECTOR 512

struct BlockBackend {
    char *name;
    BlockDriverState *root;      /* NULL: no medium */
    bool read_only;
    BlockCacheMode cache;
    bool probed_raw;             /* format guessed, not given */
    char *overlay_of;            /* snapshot=on: the image under it */
    /* raw offset= and size=: their values in the node's json: name
     * (NULL: not given) */
    char *window_offset, *window_size;
    DeviceState *dev;
    const BlockDevOps *dev_ops;  /* the device's tray, or NULL */
    void *dev_opaque;
    bool iostatus;               /* blk_iostatus_enable */
    bool discard_unmap;          /* discard=unmap */
    char *last_error;
    /* Requests run on the pool's threads (blk_aio_*) and on the caller's
     * (blk_pread...): the lock keeps one request at a time in the
     * drivers, which are not thread-safe; the queue keeps the
     * asynchronous ones in order. */
    GRecMutex lock;
    AioQueue *queue;
    const char *job_type;        /* a block job uses the backend */
    /* An active commit's base: writes land there too; the first that
     * fails there is kept for the job. */
    BlockDriverState *mirror;
    int mirror_error;
};

static GPtrArray *backends;      /* BlockBackend *, creation order */
static GPtrArray *tray_listeners;  /* BlockTrayListener * */

static const char *const cache_mode_names[] = {
    [BLOCK_CACHE_WRITEBACK] = "writeback",
    [BLOCK_CACHE_WRITETHROUGH] = "writethrough",
    [BLOCK_CACHE_UNSAFE] = "unsafe",
    [BLOCK_CACHE_NONE] = "none",
    [BLOCK_CACHE_DIRECTSYNC] = "directsync",
};

bool block_cache_mode_parse(const char *name, BlockCacheMode *mode)
{
    for (size_t i = 0; i < ARRAY_SIZE(cache_mode_names); i++) {
        if (!strcmp(name, cache_mode_names[i])) {
            *mode = i;
            return true;
        }
    }
    return false;
}

bool block_discard_parse(const char *name, bool *unmap)
{
    if (!strcmp(name, "unmap") || !strcmp(name, "on")) {
        *unmap = true;
    } else if (!strcmp(name, "ignore") || !strcmp(name, "off")) {
        *unmap = false;
    } else {
        return false;
    }
    return true;
}

bool block_cache_mode_is_writeback(BlockCacheMode mode)
{
    return mode != BLOCK_CACHE_WRITETHROUGH && mode != BLOCK_CACHE_DIRECTSYNC;
}

bool block_cache_mode_is_direct(BlockCacheMode mode)
{
    return mode == BLOCK_CACHE_NONE || mode == BLOCK_CACHE_DIRECTSYNC;
}

static BlockBackend *blk_new(const char *name, bool read_only)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk->name = g_strdup(name);
    blk->read_only = read_only;
    g_rec_mutex_init(&blk->lock);
    blk->queue = aio_queue_new();
    if (!backends) {
        backends = g_ptr_array_new();
    }
    g_ptr_array_add(backends, blk);
    return blk;
}

BlockBackend *blk_new_empty(const char *name, bool read_only)
{
    return blk_new(name, read_only);
}

/* QEMU's words, three lines, no program name. */
static void warn_probed_raw(const char *filename)
{
    fprintf(stderr, "WARNING: Image format was not specified for '%s' and "
            "probing guessed raw.\n"
            "         Automatically detecting the format is dangerous for "
            "raw images, write operations on block 0 will be restricted.\n"
            "         Specify the 'raw' format explicitly to remove the "
            "restrictions.\n", filename);
}

/*
 * snapshot=on: a qcow2 file in $TMPDIR (or /var/tmp, as QEMU) backed by
 * the image, deleted at once so that nothing is left behind however
 * emu ends; the image itself is only read.
 */
static BlockDriverState *open_temporary_overlay(BlockDriverState *base,
                                                int flags, Error **errp)
{
    const char *dir = g_getenv("TMPDIR") ? g_getenv("TMPDIR") : "/var/tmp";
    g_autofree char *path = g_build_filename(dir, "vl.XXXXXX", NULL);
    g_autofree char *base_path = g_canonicalize_filename(base->filename,
                                                         NULL);
    BlockCreateOptions create = {
        .size = base->size,
        .backing_file = base_path,
        .backing_format = base->drv->name,
    };
    BlockDriverState *overlay;
    int fd = g_mkstemp(path);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not get temporary filename");
        return NULL;
    }
    close(fd);
    if (!bdrv_create(&bdrv_qcow2, path, &create, errp)) {
        g_unlink(path);
        return NULL;
    }
    /* The overlay's backing is the node already open, not a second
     * opening of the file (which our own lock would refuse). */
    overlay = bdrv_open(path, "qcow2", flags | BDRV_O_RDWR |
                        BDRV_O_NO_BACKING | BDRV_O_UNSAFE, errp);
    g_unlink(path);
    if (!overlay) {
        return NULL;
    }
    overlay->backing = base;
    return overlay;
}

/*
 * emu may end with exit() in the middle of things (a guest writing to
 * isa-debug-exit, a fatal error): what format drivers still hold in
 * their caches (qcow2's L2 tables and refcount blocks) is written to the
 * images then, as a close would (the files are synced after this, at
 * their own exit handler).
 */
static void blk_write_back_at_exit(void)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (blk->root && !blk->read_only && !blk->overlay_of) {
            g_rec_mutex_lock(&blk->lock);
            bdrv_flush(blk->root);
            g_rec_mutex_unlock(&blk->lock);
        }
    }
}

/* raw's offset= and size=, which other formats do not take. */
static bool blk_apply_raw_window(BlockDriverState *bs,
                                 const BlockOpenOptions *opts, Error **errp)
{
    if (bs->drv != &bdrv_raw) {
        error_setg(errp, "Block format '%s' does not support the option "
                   "'%s'", bs->drv->name,
                   opts->raw_offset ? "offset" : "size");
        return false;
    }
    return raw_set_window(bs, opts->raw_offset_value, opts->raw_size != NULL,
                          opts->raw_size_value, errp);
}

/* An option's value in a json: name: as typed, or a number. */
static char *raw_window_value(const BlockOpenOptions *opts, const char *text,
                              uint64_t value)
{
    g_autofree char *escaped = NULL;

    if (!text) {
        return NULL;
    }
    if (opts->raw_window_numbers) {
        return g_strdup_printf("%" PRIu64, value);
    }
    escaped = g_strescape(text, NULL);
    return g_strdup_printf("\"%s\"", escaped);
}

/*
 * Opens filename for a backend: its node and whether its format was
 * guessed raw where the guest can write (QEMU warns then, and guards
 * block 0).
 */
static BlockDriverState *blk_open_node(const char *filename,
                                       const BlockOpenOptions *opts,
                                       bool *probed_raw, Error **errp)
{
    static bool write_back_registered;
    bool writable = !opts->read_only && !opts->snapshot;
    int flags = (writable ? BDRV_O_RDWR : 0) |
                (opts->no_lock ? BDRV_O_NO_LOCK : 0) |
                (opts->share_write ? BDRV_O_SHARE_WRITE : 0) |
                (opts->cache == BLOCK_CACHE_UNSAFE ? BDRV_O_UNSAFE : 0) |
                (block_cache_mode_is_direct(opts->cache) ? BDRV_O_NOCACHE : 0) |
                (opts->no_backing ? BDRV_O_NO_BACKING : 0);
    BlockDriverState *bs = bdrv_open_named(filename, opts->format,
                                           opts->node_name, flags, errp);

    if (!bs) {
        return NULL;
    }
    if (opts->backing) {
        bdrv_ref(opts->backing);
        bs->backing = opts->backing;
    }
    /* After the files' own handler, so it runs before it. */
    if (!write_back_registered) {
        atexit(blk_write_back_at_exit);
        write_back_registered = true;
    }
    if ((opts->raw_offset || opts->raw_size) &&
        !blk_apply_raw_window(bs, opts, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    *probed_raw = !opts->format && bs->drv == &bdrv_raw && writable;
    if (*probed_raw) {
        warn_probed_raw(filename);
    }
    return bs;
}

BlockBackend *blk_new_open(const char *name, const char *filename,
                           const BlockOpenOptions *opts, Error **errp)
{
    BlockDriverState *bs;
    BlockBackend *blk;
    bool probed_raw;

    bs = blk_open_node(filename, opts, &probed_raw, errp);
    if (!bs) {
        return NULL;
    }
    if (opts->snapshot) {
        BlockDriverState *overlay = open_temporary_overlay(bs, bs->flags,
                                                            errp);

        if (!overlay) {
            bdrv_unref(bs);
            return NULL;
        }
        bs = overlay;
    }
    blk = blk_new(name, opts->read_only);
    blk->root = bs;
    blk->cache = opts->cache;
    blk->discard_unmap = opts->discard_unmap;
    blk->probed_raw = probed_raw;
    blk->overlay_of = opts->snapshot ? g_strdup(filename) : NULL;
    blk->window_offset = raw_window_value(opts, opts->raw_offset,
                                          opts->raw_offset_value);
    blk->window_size = raw_window_value(opts, opts->raw_size,
                                        opts->raw_size_value);
    return blk;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    aio_queue_free(blk->queue);
    g_ptr_array_remove(backends, blk);
    blk_flush(blk);
    bdrv_unref(blk->root);
    g_free(blk->name);
    g_free(blk->overlay_of);
    g_free(blk->window_offset);
    g_free(blk->window_size);
    g_free(blk->last_error);
    g_rec_mutex_clear(&blk->lock);
    g_free(blk);
}

void blk_unref_all(void)
{
    while (backends && backends->len) {
        blk_unref(g_ptr_array_index(backends, 0));
    }
    g_clear_pointer(&backends, g_ptr_array_unref);
}

const char *blk_name(const BlockBackend *blk)
{
    return blk->name;
}

BlockBackend *blk_by_name(const char *name)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (!strcmp(blk->name, name)) {
            return blk;
        }
    }
    for (guint i = 0; name[0] && backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (!blk->name[0] && blk->root &&
            !strcmp(blk->root->node_name, name)) {
            return blk;
        }
    }
    return NULL;
}

BlockBackend *blk_lookup(const char *device, const char *node_name,
                         Error **errp)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (device && blk->name[0] && !strcmp(blk->name, device)) {
            return blk;
        }
    }
    for (guint i = 0; node_name && backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);

        if (blk->root && !strcmp(blk->root->node_name, node_name)) {
            return blk;
        }
    }
    error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
               device ? device : "", node_name ? node_name : "");
    return NULL;
}

BlockBackend *blk_next(BlockBackend *blk)
{
    guint i = 0;

    if (!backends) {
        return NULL;
    }
    if (blk) {
        if (!g_ptr_array_find(backends, blk, &i)) {
            return NULL;
        }
        i++;
    }
    return i < backends->len ? g_ptr_array_index(backends, i) : NULL;
}

/* QEMU names a device by its id, else by its path (NULL: no device). */
static char *blk_dev_id(DeviceState *dev)
{
    return !dev ? NULL
         : dev->id ? g_strdup(dev->id)
         : object_get_canonical_path(OBJECT(dev));
}

/* QEMU's words for a backend, dev using it, as a parent of its node. */
static char *blk_parent_desc(BlockBackend *blk, DeviceState *dev)
{
    g_autofree char *id = NULL;

    if (blk->name[0]) {
        return g_strdup_printf("block device '%s'", blk->name);
    }
    id = blk_dev_id(dev);
    return id ? g_strdup_printf("block device '%s'", id)
              : g_strdup("an unnamed block device");
}

/*
 * QEMU's permissions, for the sharing emu's graphs allow: a node may be
 * the backing node of several overlays (copy on write: each reads it and
 * lets nobody write it), and the top of a backend a device uses (which
 * writes it unless the backend is read-only, and lets nobody else
 * write).  A writer and a reader that refuses writers conflict.
 */
static void blk_perm_conflict(Error **errp, BlockDriverState *node,
                              const char *writer, const char *other,
                              const char *other_role)
{
    error_setg(errp, "Permission conflict on node '%s': permissions 'write' "
               "are both required by %s (uses node '%s' as 'root' child) "
               "and unshared by %s (uses node '%s' as '%s' child).",
               node->node_name, writer, node->node_name, other,
               node->node_name, other_role);
}

/* The same, the other being overlay, which reads node as its backing. */
static void blk_backing_conflict(Error **errp, BlockDriverState *node,
                                 const char *writer,
                                 BlockDriverState *overlay)
{
    g_autofree char *reader = g_strdup_printf("node '%s'",
                                              overlay->node_name);

    blk_perm_conflict(errp, node, writer, reader, "backing");
}

/* The node above node in the chain of a backend a device uses, other
 * than except: an overlay reading node as its backing.  NULL: none. */
static BlockDriverState *blk_find_cow_user(BlockDriverState *node,
                                           BlockDriverState *except)
{
    for (BlockBackend *b = blk_next(NULL); b; b = blk_next(b)) {
        for (BlockDriverState *p = b->dev ? b->root : NULL;
             p && p->backing; p = p->backing) {
            if (p->backing == node && p != except) {
                return p;
            }
        }
    }
    return NULL;
}

/* A backend other than except whose device uses node as its top (only
 * writers: writes it).  NULL: none. */
static BlockBackend *blk_find_user(BlockDriverState *node,
                                   BlockBackend *except, bool writers)
{
    for (BlockBackend *b = blk_next(NULL); b; b = blk_next(b)) {
        if (b != except && b->dev && !(writers && b->read_only) &&
            b->root == node) {
            return b;
        }
    }
    return NULL;
}

/* dev may use blk: it does not write what an overlay reads, and no
 * other device writes what blk's chain reads. */
static bool blk_check_perm(BlockBackend *blk, DeviceState *dev,
                           Error **errp)
{
    BlockDriverState *cow;

    if (!blk->root) {
        return true;
    }
    cow = blk->read_only ? NULL : blk_find_cow_user(blk->root, NULL);
    if (cow) {
        g_autofree char *writer = blk_parent_desc(blk, dev);

        blk_backing_conflict(errp, blk->root, writer, cow);
        return false;
    }
    for (BlockDriverState *p = blk->root; p->backing; p = p->backing) {
        BlockBackend *other = blk_find_user(p->backing, blk, true);

        if (other) {
            g_autofree char *writer = blk_parent_desc(other, other->dev);

            blk_backing_conflict(errp, p->backing, writer, p);
            return false;
        }
    }
    return true;
}

bool blk_check_commit_base(BlockBackend *blk, BlockDriverState *base,
                           Error **errp)
{
    BlockDriverState *own = blk->root;
    BlockDriverState *cow;
    BlockBackend *user;

    while (own && own->backing != base) {
        own = own->backing;
    }
    cow = blk_find_cow_user(base, own);
    if (cow) {
        blk_backing_conflict(errp, base, "an unnamed block device", cow);
        return false;
    }
    user = blk_find_user(base, blk, false);
    if (user) {
        g_autofree char *reader = blk_parent_desc(user, user->dev);

        blk_perm_conflict(errp, base, "an unnamed block device", reader,
                          "root");
        return false;
    }
    return true;
}

bool blk_attach_dev(BlockBackend *blk, DeviceState *dev, Error **errp)
{
    if (blk->dev) {
        g_autofree char *path = object_get_canonical_path(OBJECT(blk->dev));

        error_setg(errp, "Drive '%s' is already in use by %s", blk->name,
                   path);
        return false;
    }
    if (!blk_check_perm(blk, dev, errp)) {
        return false;
    }
    blk->dev = dev;
    /* QEMU makes a -blockdev node's backend when a device takes the
     * node: query-block lists it after those made before. */
    if (!blk->name[0]) {
        g_ptr_array_remove(backends, blk);
        g_ptr_array_add(backends, blk);
    }
    return true;
}

void blk_iostatus_enable(BlockBackend *blk)
{
    blk->iostatus = true;
}

DeviceState *blk_get_attached_dev(BlockBackend *blk)
{
    return blk->dev;
}

void blk_detach_dev(BlockBackend *blk, DeviceState *dev)
{
    g_assert(blk->dev == dev);
    blk->dev = NULL;
    blk->iostatus = false;
    blk->dev_ops = NULL;
    blk->dev_opaque = NULL;
}

/* ---- the device's tray ---- */

void blk_set_dev_ops(BlockBackend *blk, const BlockDevOps *ops, void *opaque)
{
    blk->dev_ops = ops;
    blk->dev_opaque = opaque;
}

bool blk_is_removable(BlockBackend *blk)
{
    return !blk->dev || (blk->dev_ops && blk->dev_ops->change_media);
}

bool blk_dev_has_tray(BlockBackend *blk)
{
    return blk->dev_ops && blk->dev_ops->is_tray_open;
}

bool blk_dev_is_tray_open(BlockBackend *blk)
{
    return blk_dev_has_tray(blk) && blk->dev_ops->is_tray_open(
        blk->dev_opaque);
}

bool blk_dev_is_medium_locked(BlockBackend *blk)
{
    return blk->dev_ops && blk->dev_ops->is_medium_locked &&
           blk->dev_ops->is_medium_locked(blk->dev_opaque);
}

void blk_add_tray_listener(BlockTrayListener *listener)
{
    if (!tray_listeners) {
        tray_listeners = g_ptr_array_new();
    }
    g_ptr_array_add(tray_listeners, listener);
}

void blk_tray_moved(BlockBackend *blk, bool open)
{
    g_autofree char *qdev = blk->dev ? object_get_canonical_path(
                                           OBJECT(blk->dev))
                                     : g_strdup("");

    for (guint i = 0; tray_listeners && i < tray_listeners->len; i++) {
        BlockTrayListener *listener = g_ptr_array_index(tray_listeners, i);

        listener(blk, qdev, open);
    }
}

void blk_dev_change_media(BlockBackend *blk, bool load)
{
    bool was_open;

    if (!blk->dev_ops || !blk->dev_ops->change_media) {
        return;
    }
    was_open = blk_dev_is_tray_open(blk);
    blk->dev_ops->change_media(blk->dev_opaque, load);
    if (blk_dev_has_tray(blk) && was_open != blk_dev_is_tray_open(blk)) {
        blk_tray_moved(blk, !was_open);
    }
}

void blk_dev_eject_request(BlockBackend *blk, bool force)
{
    if (blk->dev_ops && blk->dev_ops->eject_request) {
        blk->dev_ops->eject_request(blk->dev_opaque, force);
    }
}

/* ---- changing the medium ---- */

BlockDriverState *blk_open_medium(BlockBackend *blk, const char *filename,
                                  const char *format, bool read_only,
                                  bool *probed_raw, Error **errp)
{
    /* What the drive was opened with stays: the cache mode; a snapshot
     * overlay, raw's offset= and size= or file.locking=off do not (QEMU
     * opens the new medium without them too). */
    BlockOpenOptions opts = {
        .format = format,
        .read_only = read_only,
        .cache = blk->cache,
    };

    return blk_open_node(filename, &opts, probed_raw, errp);
}

void blk_remove_medium(BlockBackend *blk)
{
    if (!blk->root) {
        return;
    }
    blk_drain(blk);
    g_rec_mutex_lock(&blk->lock);
    blk_flush(blk);
    bdrv_unref(blk->root);
    blk->root = NULL;
    g_clear_pointer(&blk->overlay_of, g_free);
    g_clear_pointer(&blk->window_offset, g_free);
    g_clear_pointer(&blk->window_size, g_free);
    blk->probed_raw = false;
    g_rec_mutex_unlock(&blk->lock);
}

void blk_insert_medium(BlockBackend *blk, BlockDriverState *bs,
                       bool read_only, bool probed_raw)
{
    g_assert(!blk->root);
    g_rec_mutex_lock(&blk->lock);
    blk->root = bs;
    blk->read_only = read_only;
    blk->probed_raw = probed_raw;
    g_rec_mutex_unlock(&blk->lock);
}

bool blk_is_inserted(BlockBackend *blk)
{
    return blk->root != NULL;
}

bool blk_is_read_only(BlockBackend *blk)
{
    return blk->read_only;
}

uint64_t blk_getlength(BlockBackend *blk)
{
    return blk->root ? blk->root->size : 0;
}

static int blk_fail(BlockBackend *blk, int ret, const char *fmt, ...)
    EMU_PRINTF(3, 4);

static int blk_fail(BlockBackend *blk, int ret, const char *fmt, ...)
{
    va_list ap;

    g_free(blk->last_error);
    va_start(ap, fmt);
    blk->last_error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return ret;
}

static int blk_check_request(BlockBackend *blk, uint64_t offset,
                             uint64_t bytes)
{
    if (!blk->root) {
        return blk_fail(blk, -ENOMEDIUM, "%s: no medium", blk->name);
    }
    if (offset > blk->root->size || bytes > blk->root->size - offset) {
        return blk_fail(blk, -EIO, "%s: request of %" PRIu64 " bytes at "
                        "offset %" PRIu64 " is past the end (%" PRIu64
                        " bytes)", blk->name, bytes, offset,
                        blk->root->size);
    }
    return 0;
}

/* A node's failure, as the backend reports it. */
static int blk_node_result(BlockBackend *blk, int ret)
{
    return ret < 0 ? blk_fail(blk, ret, "%s", bdrv_last_error(blk->root))
                   : ret;
}

int blk_pread(BlockBackend *blk, uint64_t offset, uint64_t bytes, void *buf)
{
    int ret;

    g_rec_mutex_lock(&blk->lock);
    ret = blk_check_request(blk, offset, bytes);
    if (ret == 0) {
        ret = blk_node_result(blk, bdrv_pread(blk->root, offset, bytes,
                                              buf));
    }
    g_rec_mutex_unlock(&blk->lock);
    return ret;
}

/*
 * A guessed-raw image must not be turned into something the next probe
 * takes for another format (a guest writing a qcow2 header into its
 * disk would make the host open the guest's backing file).
 */
static bool blk_would_change_format(BlockBackend *blk, uint64_t offset,
                                    uint64_t bytes, const void *buf)
{
    uint8_t head[PROBE_SECTOR];
    size_t len = MIN(sizeof(head), blk->root->size);

    if (!blk->probed_raw || offset >= len) {
        return false;
    }
    if (bdrv_pread(blk->root, 0, len, head) < 0) {
        return true;
    }
    memcpy(head + offset, buf, MIN(bytes, len - offset));
    return bdrv_probe(head, len) != &bdrv_raw;
}

/*
 * An active commit's base gets the write too, so that what the job has
 * already copied stays the same as the top image.  The guest's write
 * has landed in the top image, which stays its disk if the base fails:
 * the failure is the job's.
 */
static void blk_write_mirror(BlockBackend *blk, uint64_t offset,
                             uint64_t bytes, const void *buf, int flags)
{
    int ret = buf ? bdrv_pwrite(blk->mirror, offset, bytes, buf)
                  : bdrv_pwrite_zeroes(blk->mirror, offset, bytes,
                                       flags & ~BDRV_REQ_MAY_UNMAP);

    if (ret < 0 && !blk->mirror_error) {
        blk->mirror_error = ret;
    }
}

/* A write of buf, or of zeros when buf is NULL (BDRV_REQ_* flags). */
static int blk_pwrite_locked(BlockBackend *blk, uint64_t offset,
                             uint64_t bytes, const void *buf, int flags)
{
    int ret = blk_check_request(blk, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (blk->read_only) {
        return blk_fail(blk, -EACCES, "%s: the drive is read-only",
                        blk->name);
    }
    if (buf && blk_would_change_format(blk, offset, bytes, buf)) {
        return blk_fail(blk, -EPERM, "%s: write to block 0 refused: the "
                        "format was probed as raw and the write would make "
                        "the image look like another format",
                        blk->root->filename);
    }
    ret = blk_node_result(blk, buf ? bdrv_pwrite(blk->root, offset, bytes,
                                                 buf)
                                   : bdrv_pwrite_zeroes(blk->root, offset,
                                                        bytes, flags));
    if (!ret && blk->mirror) {
        blk_write_mirror(blk, offset, bytes, buf, flags);
    }
    if (!ret && !block_cache_mode_is_writeback(blk->cache)) {
        ret = blk_flush(blk);
    }
    return ret;
}

int blk_pwrite(BlockBackend *blk, uint64_t offset, uint64_t bytes,
               const void *buf)
{
    int ret;

    g_rec_mutex_lock(&blk->lock);
    ret = blk_pwrite_locked(blk, offset, bytes, buf, 0);
    g_rec_mutex_unlock(&blk->lock);
    return ret;
}

int blk_pwrite_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                      bool may_unmap)
{
    int ret;

    g_rec_mutex_lock(&blk->lock);
    ret = blk_pwrite_locked(blk, offset, bytes, NULL,
                            may_unmap && blk->discard_unmap
                            ? BDRV_REQ_MAY_UNMAP : 0);
    g_rec_mutex_unlock(&blk->lock);
    return ret;
}

int blk_pdiscard(BlockBackend *blk, uint64_t offset, uint64_t bytes)
{
    return blk_pwrite_zeroes(blk, offset, bytes, true);
}

int blk_snapshot_list(BlockBackend *blk, SnapshotInfo **list)
{
    int ret = -ENOTSUP;

    g_rec_mutex_lock(&blk->lock);
    if (blk->root && blk->root->drv->snapshot_list) {
        ret = blk->root->drv->snapshot_list(blk->root, list);
    }
    g_rec_mutex_unlock(&blk->lock);
    return ret;
}

int blk_flush(BlockBackend *blk)
{
    int ret = 0;

    g_rec_mutex_lock(&blk->lock);
    if (blk->root && !blk->read_only && blk->cache != BLOCK_CACHE_UNSAFE) {
        ret = blk_node_result(blk, bdrv_flush(blk->root));
    }
    g_rec_mutex_unlock(&blk->lock);
    return ret;
}

bool blk_truncate(BlockBackend *blk, uint64_t size, Error **errp)
{
    bool ok;

    if (!blk->root) {
        error_setg(errp, "Device '%s' has no medium", blk->name);
        return false;
    }
    if (blk->read_only) {
        error_setg(errp, "Image is read-only");
        return false;
    }
    if (size % BDRV_SECTOR_SIZE) {
        error_setg(errp, "The new size must be a multiple of %d",
                   BDRV_SECTOR_SIZE);
        return false;
    }
    if (blk->job_type) {
        error_setg(errp, "Device '%s' is in use", blk->name);
        return false;
    }
    blk_drain(blk);
    g_rec_mutex_lock(&blk->lock);
    ok = bdrv_truncate(blk->root, size, errp);
    g_rec_mutex_unlock(&blk->lock);
    if (ok && blk->dev_ops && blk->dev_ops->resize_cb) {
        blk->dev_ops->resize_cb(blk->dev_opaque);
    }
    return ok;
}

int blk_commit(BlockBackend *blk, Error **errp)
{
    int ret;

    if (!blk->root) {
        error_setg(errp, "Device '%s' has no medium", blk->name);
        return -ENOMEDIUM;
    }
    if (blk->job_type) {
        error_setg(errp, "%s is used by a block job", blk->name);
        return -EBUSY;
    }
    if (blk->root->backing &&
        !blk_check_commit_base(blk, blk->root->backing, errp)) {
        return -EACCES;
    }
    blk_drain(blk);
    g_rec_mutex_lock(&blk->lock);
    ret = bdrv_commit(blk->root, errp);
    g_rec_mutex_unlock(&blk->lock);
    return ret;
}

int blk_commit_all(BlockBackend **failed, Error **errp)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        BlockBackend *blk = g_ptr_array_index(backends, i);
        int ret;

        if (!blk->root || !blk->root->backing) {
            continue;
        }
        ret = blk_commit(blk, errp);
        if (ret < 0) {
            *failed = blk;
            return ret;
        }
    }
    return 0;
}

/* ---- asynchronous requests ---- */

typedef enum { BLK_AIO_READ, BLK_AIO_WRITE, BLK_AIO_FLUSH } BlkAioKind;

typedef struct BlkAioRequest {
    BlockBackend *blk;
    BlkAioKind kind;
    uint64_t offset, bytes;
    void *buf;
    BlockCompletionFunc *cb;
    void *opaque;
} BlkAioRequest;

/* On a pool thread: the synchronous request, under the backend's lock. */
static int blk_aio_work(void *opaque)
{
    BlkAioRequest *req = opaque;

    switch (req->kind) {
    case BLK_AIO_READ:
        return blk_pread(req->blk, req->offset, req->bytes, req->buf);
    case BLK_AIO_WRITE:
        return blk_pwrite(req->blk, req->offset, req->bytes, req->buf);
    case BLK_AIO_FLUSH:
        return blk_flush(req->blk);
    }
    g_assert_not_reached();
}

static void blk_aio_done(void *opaque, int ret)
{
    BlkAioRequest *req = opaque;

    req->cb(req->opaque, ret);
    g_free(req);
}

static void blk_aio_submit(BlockBackend *blk, BlkAioKind kind,
                           uint64_t offset, uint64_t bytes, void *buf,
                           BlockCompletionFunc *cb, void *opaque)
{
    BlkAioRequest *req = g_new(BlkAioRequest, 1);

    *req = (BlkAioRequest) {
        .blk = blk, .kind = kind, .offset = offset, .bytes = bytes,
        .buf = buf, .cb = cb, .opaque = opaque,
    };
    aio_queue_submit(blk->queue, blk_aio_work, blk_aio_done, req);
}

void blk_aio_pread(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                   void *buf, BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_AIO_READ, offset, bytes, buf, cb, opaque);
}

void blk_aio_pwrite(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                    const void *buf, BlockCompletionFunc *cb, void *opaque)
{
    /* The buffer is only read: the request keeps one pointer type. */
    blk_aio_submit(blk, BLK_AIO_WRITE, offset, bytes, (void *)buf, cb,
                   opaque);
}

void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_submit(blk, BLK_AIO_FLUSH, 0, 0, NULL, cb, opaque);
}

void blk_drain(BlockBackend *blk)
{
    aio_queue_drain(blk->queue);
}

unsigned blk_in_flight(BlockBackend *blk)
{
    return aio_queue_pending(blk->queue);
}

/* ---- for block jobs ---- */

BlockDriverState *blk_bs(BlockBackend *blk)
{
    return blk->root;
}

typedef struct BlkJobStep {
    BlockBackend *blk;
    BlkJobWorkFunc *work;
    BlockCompletionFunc *done;
    void *opaque;
} BlkJobStep;

static int blk_job_step_work(void *opaque)
{
    BlkJobStep *step = opaque;
    int ret;

    g_rec_mutex_lock(&step->blk->lock);
    ret = step->work(step->opaque);
    g_rec_mutex_unlock(&step->blk->lock);
    return ret;
}

static void blk_job_step_done(void *opaque, int ret)
{
    BlkJobStep *step = opaque;

    step->done(step->opaque, ret);
    g_free(step);
}

void blk_run_job_step(BlockBackend *blk, BlkJobWorkFunc *work,
                      BlockCompletionFunc *done, void *opaque)
{
    BlkJobStep *step = g_new(BlkJobStep, 1);

    *step = (BlkJobStep) {
        .blk = blk, .work = work, .done = done, .opaque = opaque,
    };
    aio_queue_submit(blk->queue, blk_job_step_work, blk_job_step_done,
                     step);
}

void blk_lock_graph(BlockBackend *blk)
{
    blk_drain(blk);
    g_rec_mutex_lock(&blk->lock);
}

void blk_unlock_graph(BlockBackend *blk)
{
    g_rec_mutex_unlock(&blk->lock);
}

void blk_set_job(BlockBackend *blk, const char *type)
{
    blk->job_type = type;
}

const char *blk_job_type(BlockBackend *blk)
{
    return blk->job_type;
}

void blk_set_write_mirror(BlockBackend *blk, BlockDriverState *target)
{
    g_rec_mutex_lock(&blk->lock);
    blk->mirror = target;
    blk->mirror_error = 0;
    g_rec_mutex_unlock(&blk->lock);
}

int blk_take_mirror_error(BlockBackend *blk)
{
    int ret = blk->mirror_error;

    blk->mirror_error = 0;
    return ret;
}

void blk_replace_root(BlockBackend *blk, BlockDriverState *bs)
{
    bdrv_unref(blk->root);
    blk->root = bs;
    /* What described the old node (a snapshot overlay, raw's window)
     * goes; the new one keeps its node name. */
    g_clear_pointer(&blk->overlay_of, g_free);
    g_clear_pointer(&blk->window_offset, g_free);
    g_clear_pointer(&blk->window_size, g_free);
    blk->probed_raw = false;
}

/* The file node of a backend whose disk is that file byte for byte (raw
 * with no window: no overlay, no offset= or size=), or NULL. */
static BlockDriverState *blk_plain_file(BlockBackend *blk)
{
    BlockDriverState *bs = blk->root;

    if (!bs || bs->drv != &bdrv_raw || blk->window_offset ||
        blk->window_size || !bs->file || bs->file->drv != &bdrv_file) {
        return NULL;
    }
    return bs->file;
}

bool blk_is_plain_file(BlockBackend *blk)
{
    return blk_plain_file(blk);
}

void blk_watch_file(BlockBackend *blk, RawFileChangedFunc *changed,
                    void *opaque)
{
    BlockDriverState *file = blk_plain_file(blk);

    g_assert(file);
    bdrv_file_watch(file, changed, opaque);
}

RawFileState blk_file_state(BlockBackend *blk, Error **errp)
{
    BlockDriverState *file;
    RawFileState state = RAW_FILE_INTACT;

    g_rec_mutex_lock(&blk->lock);
    file = blk_plain_file(blk);
    if (file) {
        state = bdrv_file_state(file, errp);
    }
    g_rec_mutex_unlock(&blk->lock);
    return state;
}

bool blk_recreate_file(BlockBackend *blk, Error **errp)
{
    BlockDriverState *file;
    bool ok = true;

    blk_lock_graph(blk);
    file = blk_plain_file(blk);
    if (file) {
        ok = bdrv_file_recreate(file, errp);
    }
    blk_unlock_graph(blk);
    return ok;
}

const char *blk_last_error(BlockBackend *blk)
{
    return blk->last_error ? blk->last_error : "unknown error";
}

/* ---- what "info block" shows ---- */

/*
 * QEMU names a node with options beyond a file name by its JSON, the
 * members in the order its QDict keeps them (hash buckets: "offset",
 * "backing", "driver", "filename", "size", "file").
 */
static char *blk_node_json(BlockBackend *blk, const char *driver,
                           const char *filename)
{
    g_autofree char *file = g_strescape(filename, NULL);

    return g_strdup_printf("{%s%s%s\"driver\": \"%s\", %s%s%s\"file\": "
                           "{\"driver\": \"file\", \"filename\": "
                           "\"%s\"}}",
                           blk->window_offset ? "\"offset\": " : "",
                           blk->window_offset ? blk->window_offset : "",
                           blk->window_offset ? ", " : "", driver,
                           blk->window_size ? "\"size\": " : "",
                           blk->window_size ? blk->window_size : "",
                           blk->window_size ? ", " : "", file);
}

/*
 * A node whose backing is not the one its image names (-blockdev
 * backing=NODE or null), which its file name alone would not open again:
 * QEMU's bdrv_backing_overridden.
 */
static bool backing_overridden(BlockDriverState *bs)
{
    g_autofree char *named = NULL;

    if (!bs->backing) {
        return bs->backing_file && bs->drv != &bdrv_file &&
               (bs->flags & BDRV_O_NO_BACKING);
    }
    if (!bs->backing_file) {
        return true;
    }
    named = bdrv_backing_path(bs->filename, bs->backing_file);
    return strcmp(named, bs->backing->filename) != 0;
}

/* A node's options as QEMU writes them in a json: name, its backing
 * among them where it is not the image's own. */
static char *node_options_json(BlockDriverState *bs)
{
    g_autofree char *file = g_strescape(bs->filename, NULL);
    g_autofree char *backing = NULL;

    if (bs->drv == &bdrv_file) {
        return g_strdup_printf("{\"driver\": \"file\", \"filename\": "
                               "\"%s\"}", file);
    }
    if (backing_overridden(bs)) {
        g_autofree char *inner = bs->backing ? node_options_json(bs->backing)
                                             : g_strdup("null");

        backing = g_strdup_printf("\"backing\": %s, ", inner);
    }
    return g_strdup_printf("{%s\"driver\": \"%s\", \"file\": "
                           "{\"driver\": \"file\", \"filename\": "
                           "\"%s\"}}", backing ? backing : "",
                           bs->drv->name, file);
}

/* The name QEMU gives a node: its file's, or a json: name when that
 * would not open it again. */
static char *node_display_name(BlockDriverState *bs)
{
    g_autofree char *json = NULL;

    if (!backing_overridden(bs)) {
        return g_strdup(bs->filename);
    }
    json = node_options_json(bs);
    return g_strconcat("json:", json, NULL);
}

/* The name of the image the user gave: the file's, or a json: name. */
static char *blk_image_name(BlockBackend *blk, BlockDriverState *bs,
                            const char *filename)
{
    g_autofree char *node = NULL;

    if (!blk->window_offset && !blk->window_size) {
        return bs == blk->root ? node_display_name(bs) : g_strdup(filename);
    }
    node = blk_node_json(blk, bs->drv->name, filename);
    return g_strconcat("json:", node, NULL);
}

/* The name "info block" shows: the image's, or with snapshot=on the
 * overlay's, which QEMU names by its JSON with the image as backing. */
static char *blk_display_name(BlockBackend *blk)
{
    g_autofree char *node = NULL;
    g_autofree char *tmp = NULL;

    if (!blk->overlay_of) {
        return blk_image_name(blk, blk->root, blk->root->filename);
    }
    node = blk_node_json(blk, blk->root->backing->drv->name, blk->overlay_of);
    tmp = g_strescape(blk->root->filename, NULL);
    return g_strdup_printf("json:{\"backing\": %s, \"driver\": \"qcow2\", "
                           "\"file\": {\"driver\": \"file\", "
                           "\"filename\": \"%s\"}}", node, tmp);
}

static void block_backend_info_clear(gpointer data)
{
    BlockBackendInfo *info = data;

    g_free(info->qdev);
    g_free(info->filename);
    g_free(info->backing_file);
}

GArray *blk_query_all(void)
{
    GArray *list = g_array_new(false, true, sizeof(BlockBackendInfo));

    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        if (!blk->name[0] && !blk->dev) {
            continue;            /* a -blockdev node no device took */
        }
        BlockBackendInfo info = {
            .blk = blk,
            .name = blk->name,
            .qdev = blk_dev_id(blk->dev),
            .removable = blk_is_removable(blk),
            .has_tray = blk_dev_has_tray(blk),
            .tray_open = blk_dev_is_tray_open(blk),
            .locked = blk_dev_is_medium_locked(blk),
            .iostatus = blk->iostatus,
            .inserted = blk->root != NULL,
        };
        BlockDriverState *bs = blk->root;

        if (bs) {
            info.filename = blk_display_name(blk);
            info.node_name = bs->node_name;
            info.format = bs->drv->name;
            info.read_only = blk->read_only;
            info.writeback = block_cache_mode_is_writeback(blk->cache);
            info.direct = block_cache_mode_is_direct(blk->cache);
            info.no_flush = blk->cache == BLOCK_CACHE_UNSAFE ||
                            blk->overlay_of;
            info.size = bs->size;
            info.root = bs;
            if (bs->backing) {
                info.backing_file = blk->overlay_of
                    ? blk_image_name(blk, bs->backing, blk->overlay_of)
                    : backing_overridden(bs)
                    ? node_display_name(bs->backing)
                    : g_strdup(bs->backing_file);
                for (BlockDriverState *b = bs->backing; b; b = b->backing) {
                    info.backing_depth++;
                }
            }
        }
        g_array_append_val(list, info);
    }
    g_array_set_clear_func(list, block_backend_info_clear);
    return list;
}

/* The backend whose top node bs is, or NULL. */
static BlockBackend *blk_of_root(BlockDriverState *bs)
{
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        if (blk->root == bs) {
            return blk;
        }
    }
    return NULL;
}

GArray *blk_query_nodes(bool flat)
{
    GArray *list = g_array_new(false, true, sizeof(BlockBackendInfo));

    for (BlockDriverState *bs = bdrv_next_node(NULL); bs;
         bs = bdrv_next_node(bs)) {
        BlockBackend *blk = blk_of_root(bs);
        /* QEMU asks the node, not a backend: its cache flags, and
         * writeback whatever the drive's cache mode. */
        BlockBackendInfo info = {
            .inserted = true,
            .node_name = bs->node_name,
            .filename = blk ? blk_display_name(blk) : node_display_name(bs),
            .format = bs->drv->name,
            .read_only = bs->read_only,
            .writeback = true,
            .direct = bs->flags & BDRV_O_NOCACHE,
            .no_flush = bs->flags & BDRV_O_UNSAFE,
            .size = bs->size,
            .root = bs,
        };

        if (bs->backing) {
            /* The node's backing as QEMU names it once attached. */
            info.backing_file = backing_overridden(bs)
                              ? node_display_name(bs->backing)
                              : g_strdup(bs->backing_file);
            for (BlockDriverState *b = bs->backing; b && !flat;
                 b = b->backing) {
                info.backing_depth++;
            }
        }
        /* Newest first, as QEMU lists them. */
        g_array_prepend_val(list, info);
    }
    g_array_set_clear_func(list, block_backend_info_clear);
    return list;
}
