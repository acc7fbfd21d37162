/*
 * BlockBackend: what a device (or the monitor) holds of a disk.
 *
 * A backend has a name (the drive's id: "ide0-hd0", "none0", or id=),
 * the top node of an image graph (format over file, with its backing
 * chain; block-int.h), the cache mode the user asked for, and at most
 * one device attached to it.  A backend may be empty (a CD-ROM drive
 * with no disc).
 *
 * How a device uses it:
 *
 *     DriveInfo *drive = drive_get(IF_VIRTIO, 0);     (sysemu/blockdev.h)
 *     BlockBackend *blk = drive ? drive->blk : NULL;
 *     if (blk && !blk_attach_dev(blk, DEVICE(s), errp)) ...
 *     drive_mark_used(drive);
 *     size = blk_getlength(blk);
 *     ret = blk_pread(blk, offset, len, buf);          0 or -errno;
 *     if (ret < 0) report blk_last_error(blk)          names file + offset
 *
 * blk_pread/blk_pwrite/blk_flush make the caller's thread wait for the
 * host.  A device that must not block its vCPU (virtio-blk, IDE DMA)
 * uses blk_aio_pread/blk_aio_pwrite/blk_aio_flush instead: the request
 * runs on the block layer's thread pool (block/aio-pool.h) and cb runs
 * on the main loop, under the global lock, when it is done; a
 * backend's requests complete in the order they were submitted, and a
 * device drains them (blk_drain) before it resets or goes away.
 * Writes honour the cache mode (writethrough flushes after every write;
 * unsafe ignores flushes), and a read-only backend refuses writes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_BLOCK_BACKEND_H
#define BLOCK_BLOCK_BACKEND_H

#include "util/osdep.h"
#include "util/error.h"
#include "block/block.h"

typedef struct BlockBackend BlockBackend;
typedef struct DeviceState DeviceState;

/* -drive cache=; the names are QEMU's. */
typedef enum BlockCacheMode {
    BLOCK_CACHE_WRITEBACK,
    BLOCK_CACHE_WRITETHROUGH,
    BLOCK_CACHE_UNSAFE,
    BLOCK_CACHE_NONE,            /* writeback, host cache bypassed */
    BLOCK_CACHE_DIRECTSYNC,      /* writethrough, host cache bypassed */
} BlockCacheMode;

/* "writeback" -> BLOCK_CACHE_WRITEBACK; false for an unknown name. */
bool block_cache_mode_parse(const char *name, BlockCacheMode *mode);
/* A write completes before it is flushed (not writethrough, directsync). */
bool block_cache_mode_is_writeback(BlockCacheMode mode);
/* The host page cache is bypassed (O_DIRECT: none, directsync). */
bool block_cache_mode_is_direct(BlockCacheMode mode);

typedef struct BlockOpenOptions {
    const char *format;          /* NULL: probe, warning when it is raw */
    const char *node_name;       /* NULL: QEMU's "#blockNNN" */
    bool read_only;
    bool snapshot;               /* writes go to a temporary qcow2 overlay */
    bool no_lock;                /* file.locking=off */
    bool share_write;            /* let other processes write (-U) */
    bool no_backing;             /* backing=null: not the chain it names */
    /* -blockdev backing=NODE: this node instead (with no_backing); the
     * backend takes a reference of its own. */
    struct BlockDriverState *backing;
    BlockCacheMode cache;
    bool discard_unmap;          /* discard=unmap: discards deallocate */
    /* raw's offset= and size= (the disk is a window of the file), as
     * given: QEMU names such an image by its options (json:{...}), the
     * values as typed for -drive, as JSON numbers for -blockdev. */
    const char *raw_offset, *raw_size;  /* NULL: not given */
    uint64_t raw_offset_value, raw_size_value;
    bool raw_window_numbers;
} BlockOpenOptions;

/* discard=: "unmap"/"on" -> true, "ignore"/"off" -> false. */
bool block_discard_parse(const char *name, bool *unmap);

/*
 * Opens filename as the backend called name.  Errors name the file and
 * say why (QEMU's words where it has them).
 */
BlockBackend *blk_new_open(const char *name, const char *filename,
                           const BlockOpenOptions *opts, Error **errp);
/* A drive with no medium (-drive if=ide,media=cdrom). */
BlockBackend *blk_new_empty(const char *name, bool read_only);
/* Closes the image (flushed) and forgets the backend. */
void blk_unref(BlockBackend *blk);
/* Closes every backend, in the order they were made (at exit). */
void blk_unref_all(void);

const char *blk_name(const BlockBackend *blk);
/* By name, or a nameless backend (-blockdev) by its node name, as
 * QEMU's drive= property finds either. */
BlockBackend *blk_by_name(const char *name);
/*
 * QEMU's bdrv_lookup_bs for the monitor: a drive by its name (device),
 * else a top node by its node name; errors in QEMU's words.
 */
BlockBackend *blk_lookup(const char *device, const char *node_name,
                         Error **errp);
/* Every backend in creation order: blk_next(NULL) is the first. */
BlockBackend *blk_next(BlockBackend *blk);

/* The device using the backend; one at most.  A device whose media can
 * be changed (a CD-ROM drive) says so with blk_set_dev_ops.  As in QEMU,
 * a device may not write a node an overlay in use reads as its backing,
 * nor use an overlay whose backing node another device writes
 * ("Permission conflict on node ..."). */
bool blk_attach_dev(BlockBackend *blk, DeviceState *dev, Error **errp);
DeviceState *blk_get_attached_dev(BlockBackend *blk);
/* The device reports I/O errors to the guest (IDE, virtio-blk): QMP
 * shows the backend's "io-status", as QEMU does for such devices. */
void blk_iostatus_enable(BlockBackend *blk);
/* A device going away (unrealize) lets go of its backend. */
void blk_detach_dev(BlockBackend *blk, DeviceState *dev);

/*
 * A device with a tray (the IDE CD-ROM) tells the block layer about it,
 * as QEMU's BlockDevOps: the monitor's eject and change go through the
 * tray, which the guest may lock.
 */
typedef struct BlockDevOps {
    /* The medium went (load false: the tray is open now) or came (load
     * true: the tray closed on it).  A device that sets it takes
     * removable media ("info block" says so). */
    void (*change_media)(void *opaque, bool load);
    /* The monitor asks the guest to let the medium go; force unlocks
     * the tray. */
    void (*eject_request)(void *opaque, bool force);
    bool (*is_tray_open)(void *opaque);
    bool (*is_medium_locked)(void *opaque);
    /* The disk's size changed (block_resize): tell the guest.  A disk
     * without a tray (virtio-blk) sets only this. */
    void (*resize_cb)(void *opaque);
} BlockDevOps;

void blk_set_dev_ops(BlockBackend *blk, const BlockDevOps *ops,
                     void *opaque);
/* The guest opened or closed the tray itself (START STOP UNIT). */
void blk_tray_moved(BlockBackend *blk, bool open);
/* Hears every tray movement (QMP's DEVICE_TRAY_MOVED): the backend, the
 * attached device's path and whether the tray is open now. */
typedef void BlockTrayListener(BlockBackend *blk, const char *qdev,
                               bool open);
void blk_add_tray_listener(BlockTrayListener *listener);

bool blk_is_inserted(BlockBackend *blk);
bool blk_is_read_only(BlockBackend *blk);
/* The guest-visible size in bytes (0 when empty). */
uint64_t blk_getlength(BlockBackend *blk);

/* 0 or -errno; on failure blk_last_error says what and where. */
int blk_pread(BlockBackend *blk, uint64_t offset, uint64_t bytes, void *buf);
int blk_pwrite(BlockBackend *blk, uint64_t offset, uint64_t bytes,
               const void *buf);
int blk_flush(BlockBackend *blk);
/* The top node's internal snapshots (count, or -errno; -ENOTSUP when its
 * format has none), read between the backend's requests. */
typedef struct SnapshotInfo SnapshotInfo;
int blk_snapshot_list(BlockBackend *blk, SnapshotInfo **list);
/*
 * A guest's discard: with discard=unmap the range is deallocated where
 * the format can (qcow2 clusters given back, holes punched in the file)
 * and reads as zeros; with discard=ignore (the default) zeros are
 * written.  blk_pwrite_zeroes deallocates only when may_unmap too.
 */
int blk_pdiscard(BlockBackend *blk, uint64_t offset, uint64_t bytes);
int blk_pwrite_zeroes(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                      bool may_unmap);
const char *blk_last_error(BlockBackend *blk);

/*
 * A backend whose disk is a plain file, byte for byte (raw, without
 * offset=, size= or a snapshot=on overlay), can have the file watched:
 * changed hears on the main loop that another process deleted, replaced
 * or cut it (block/block.h).  The CFI flash, which keeps the whole
 * image, uses it to write the file again.
 */
bool blk_is_plain_file(BlockBackend *blk);
void blk_watch_file(BlockBackend *blk, RawFileChangedFunc *changed,
                    void *opaque);
/* The plain file's state now (RAW_FILE_INTACT for other backends),
 * errp saying what happened to it. */
RawFileState blk_file_state(BlockBackend *blk, Error **errp);
/* A plain file that is gone: a new empty file at its name, in its place
 * (locked and watched as the old one was); nothing when it is there. */
bool blk_recreate_file(BlockBackend *blk, Error **errp);

/*
 * block_resize: the image's new virtual size (a multiple of 512; qcow2
 * grows, or shrinks dropping the tail), then the attached device's
 * resize_cb.  Waits for the backend's requests first.
 */
bool blk_truncate(BlockBackend *blk, uint64_t size, Error **errp);
/*
 * The monitor's commit: the top image's data into its backing file,
 * then the top image emptied (block/commit.c).  0 or -errno (-ENOTSUP
 * without a backing file, -ENOMEDIUM when empty), errp saying more.
 */
int blk_commit(BlockBackend *blk, Error **errp);
/* commit of every drive with a backing file, stopping at a failure
 * (*failed: that drive). */
int blk_commit_all(BlockBackend **failed, Error **errp);

/* ret: 0 or -errno, as the synchronous call returns. */
typedef void BlockCompletionFunc(void *opaque, int ret);

/* buf must stay valid until cb has run. */
void blk_aio_pread(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                   void *buf, BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwrite(BlockBackend *blk, uint64_t offset, uint64_t bytes,
                    const void *buf, BlockCompletionFunc *cb, void *opaque);
void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque);
/* Waits for every asynchronous request of blk, running their
 * callbacks; blk_unref drains too. */
void blk_drain(BlockBackend *blk);
/* Asynchronous requests whose callback has not run yet. */
unsigned blk_in_flight(BlockBackend *blk);

/* ---- for block jobs (block/blockjob.c, block/commit-job.c) ---- */

typedef struct BlockDriverState BlockDriverState;
typedef int BlkJobWorkFunc(void *opaque);

/* The top node, NULL when empty. */
BlockDriverState *blk_bs(BlockBackend *blk);
/* Runs work(opaque) on blk's queue, between its requests and under its
 * lock; done(opaque, ret) runs on the main loop afterwards. */
void blk_run_job_step(BlockBackend *blk, BlkJobWorkFunc *work,
                      BlockCompletionFunc *done, void *opaque);
/* Drains blk and holds its requests off while the main loop changes its
 * graph (a job's end). */
void blk_lock_graph(BlockBackend *blk);
void blk_unlock_graph(BlockBackend *blk);
/* A job of type ("commit") uses blk: resize, commit, eject, change and
 * another job are refused meanwhile (NULL: the job ended). */
void blk_set_job(BlockBackend *blk, const char *type);
/* A commit of blk's chain may write base: no other overlay in use reads
 * it as its backing and no other device uses it (QEMU's permission
 * conflict otherwise). */
bool blk_check_commit_base(BlockBackend *blk, BlockDriverState *base,
                           Error **errp);
/* The type of the job using blk, or NULL. */
const char *blk_job_type(BlockBackend *blk);
/*
 * An active commit: every write that lands in blk's top node lands in
 * target too (NULL: no more).  A write that fails there is kept for the
 * job: blk_take_mirror_error (under blk's lock) returns it once.
 */
void blk_set_write_mirror(BlockBackend *blk, BlockDriverState *target);
int blk_take_mirror_error(BlockBackend *blk);
/* The device's node becomes bs (an active commit's switch to its base);
 * the old top node goes, its reference dropped.  Under blk_lock_graph. */
void blk_replace_root(BlockBackend *blk, BlockDriverState *bs);

/* What "info block" and query-block show of one backend. */
typedef struct BlockBackendInfo {
    BlockBackend *blk;           /* valid while the list is */
    const char *name;
    char *qdev;                  /* the attached device's path, or NULL */
    bool removable;
    bool has_tray;               /* when removable: the device has one */
    bool tray_open;
    bool locked;                 /* the guest locked the medium in */
    bool iostatus;               /* io-status shown ("ok": emu does not
                                  * stop on errors, so none is recorded) */
    bool inserted;
    /* when inserted: */
    const char *node_name;
    char *filename;              /* QEMU's name of the top node */
    const char *format;
    bool read_only;
    bool writeback, direct, no_flush;
    char *backing_file;          /* NULL: none */
    int backing_depth;
    uint64_t size;
    /* The top node, for its image details (block-int.h); valid while
     * the list is. */
    struct BlockDriverState *root;
} BlockBackendInfo;

/* Of every backend, in creation order; free with g_array_unref. */
GArray *blk_query_all(void);
/*
 * QEMU's query-named-block-nodes: every node (file nodes and backing
 * nodes too), the newest first, as "inserted" would show it (name,
 * node-name, format, read_only, cache, backing; root its image); flat:
 * a backing depth of 0, as QEMU counts it without backing images.
 */
GArray *blk_query_nodes(bool flat);

#endif
