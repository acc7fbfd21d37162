/*
 * The block layer's node graph, as drivers see it.
 *
 * A node (BlockDriverState) is one driver over its children: a format
 * driver (raw, qcow2) reads and writes its image through a protocol node
 * ("file": a host file or block device) and may have a backing node
 * that supplies what the image does not hold.  Users (devices, emu-img)
 * reach the top node through a BlockBackend (block-backend.h).
 *
 * Requests take a byte offset and length; a driver's pread/pwrite
 * return 0 or -errno, and the node keeps the message of its last error
 * (bdrv_last_error) so the user can say what went wrong and where.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "util/osdep.h"
#include "util/error.h"
#include "block/block.h"

typedef struct BlockDriverState BlockDriverState;
typedef struct BlockDriver BlockDriver;

/* The unit of a disk's size: sizes are rounded to it, as in QEMU. */
#define BDRV_SECTOR_SIZE 512

/* bdrv_open flags */
enum {
    BDRV_O_RDWR = 1 << 0,
    BDRV_O_NO_BACKING = 1 << 1,  /* do not open the backing chain */
    BDRV_O_NO_LOCK = 1 << 2,     /* file.locking=off */
    BDRV_O_UNSAFE = 1 << 3,      /* cache=unsafe: flushes do nothing */
    BDRV_O_SHARE_WRITE = 1 << 4, /* -U: let others write meanwhile */
    BDRV_O_CHECK = 1 << 5,       /* "check": open a dirty or corrupt
                                  * image as it is, to repair it */
    BDRV_O_NOCACHE = 1 << 6,     /* cache=none|directsync: O_DIRECT */
};

/* bdrv_pwrite_zeroes flags */
enum {
    BDRV_REQ_MAY_UNMAP = 1 << 0, /* the space may be given back (a hole) */
};

/* block_status results */
enum {
    BDRV_BLOCK_DATA = 1 << 0,    /* the range holds data */
    BDRV_BLOCK_ZERO = 1 << 1,    /* reads as zeros */
    BDRV_BLOCK_ALLOCATED = 1 << 2, /* this node decides (not its backing) */
    BDRV_BLOCK_OFFSET_VALID = 1 << 3, /* *map is the offset in bs->file */
    BDRV_BLOCK_COMPRESSED = 1 << 4,
};

/* What "create" is asked for: qemu-img's -o options. */
typedef struct BlockCreateOptions {
    uint64_t size;
    uint32_t cluster_size;       /* 0: the format's default */
    int compat;                  /* 0 default, 2 ("0.10") or 3 ("1.1") */
    bool lazy_refcounts;
    int refcount_bits;           /* 0: default (16) */
    const char *backing_file;
    const char *backing_format;
    const char *preallocation;   /* NULL, or a BlockPrealloc's name */
} BlockCreateOptions;

/* preallocation=: what create reserves of the image's data. */
typedef enum BlockPrealloc {
    BDRV_PREALLOC_OFF,           /* nothing: a sparse file */
    BDRV_PREALLOC_METADATA,      /* qcow2: every table and cluster mapped,
                                  * the data left a hole */
    BDRV_PREALLOC_FALLOC,        /* the space reserved (fallocate) */
    BDRV_PREALLOC_FULL,          /* zeros written */
    BDRV_PREALLOC_INVALID,
} BlockPrealloc;

/* The mode of opts (NULL: off); BDRV_PREALLOC_INVALID for other names. */
BlockPrealloc bdrv_prealloc_mode(const BlockCreateOptions *opts);
/* Makes [offset, offset + bytes) of a protocol node hold zeros and
 * space, as mode (FALLOC or FULL) says; the file grows to cover it. */
int bdrv_file_preallocate(BlockDriverState *bs, uint64_t offset,
                          uint64_t bytes, BlockPrealloc mode);

/* What "amend" is asked to change: qemu-img amend's -o options. */
typedef struct BlockAmendOptions {
    int compat;                  /* 0 unchanged, 2 ("0.10") or 3 ("1.1") */
    int lazy_refcounts;          /* -1 unchanged, 0 off, 1 on */
    int refcount_bits;           /* 0 unchanged */
    uint64_t size;               /* 0 unchanged */
} BlockAmendOptions;

/* What "measure" says an image of a format would take on the host. */
typedef struct BlockMeasureInfo {
    uint64_t required;           /* for the data the input holds */
    uint64_t fully_allocated;    /* with every cluster allocated */
    bool has_bitmaps;            /* qcow2 v3 from qcow2: "bitmaps size" */
    uint64_t bitmaps;
} BlockMeasureInfo;

/* What "check" found (and fixed), as qemu-img reports it. */
typedef struct BlockCheckResult {
    int corruptions, leaks, check_errors;
    int corruptions_fixed, leaks_fixed;
    uint64_t image_end_offset;
    uint64_t total_clusters, allocated_clusters;
    uint64_t fragmented_clusters, compressed_clusters;
} BlockCheckResult;

enum {
    BDRV_FIX_LEAKS = 1 << 0,
    BDRV_FIX_ERRORS = 1 << 1,
};

/* An internal snapshot, as "snapshot -l" and "info" list it. */
typedef struct SnapshotInfo {
    char *id;
    char *name;
    uint64_t vm_state_size;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t icount;             /* UINT64_MAX: not recorded */
} SnapshotInfo;

void snapshot_info_list_free(SnapshotInfo *list, int n);
/* A snapshot table's header and one row (id, or the snapshot's own when
 * NULL), without the newline, as QEMU's bdrv_snapshot_dump prints them
 * for qemu-img and the monitor. */
void snapshot_info_append_header(GString *out);
void snapshot_info_append(GString *out, const SnapshotInfo *sn,
                          const char *id);

/* A format's own facts for "info: ordered, JSON key and typed value. */
typedef struct ImageInfoField {
    const char *key;             /* "compression-type" ("compression type") */
    char *str;                   /* a string value, or NULL: */
    bool is_bool;
    bool boolean;
    int64_t number;
} ImageInfoField;

struct BlockDriver {
    const char *name;
    size_t state_size;           /* bs->opaque */
    bool protocol;               /* opens a file name, not a node */
    /* 0 (not this format) to 100 (certainly), from the image's start. */
    int (*probe)(const uint8_t *buf, size_t len);
    bool (*open)(BlockDriverState *bs, int flags, Error **errp);
    /* The node is now read-write or read-only as flags say (its file
     * node already is): what the driver must check or change. */
    bool (*reopen)(BlockDriverState *bs, int flags, Error **errp);
    void (*close)(BlockDriverState *bs);
    int (*pread)(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                 void *buf);
    int (*pwrite)(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                  const void *buf);
    int (*flush)(BlockDriverState *bs);
    /* Makes the range read as zeros (BDRV_REQ_* flags); without it, or
     * when it returns -ENOTSUP, zeros are written. */
    int (*pwrite_zeroes)(BlockDriverState *bs, uint64_t offset,
                         uint64_t bytes, int flags);
    /* BDRV_BLOCK_* of [offset, offset + *pnum), *pnum <= bytes. */
    int (*block_status)(BlockDriverState *bs, uint64_t offset,
                        uint64_t bytes, uint64_t *pnum, uint64_t *map);
    bool (*create)(const char *filename, const BlockCreateOptions *opts,
                   Error **errp);
    /* The host size of an image made with opts holding what in holds
     * (in NULL: an empty image of opts->size), as qemu-img measures. */
    bool (*measure)(const BlockCreateOptions *opts, BlockDriverState *in,
                    BlockMeasureInfo *info, Error **errp);
    /* Fills what "info" shows of this format. */
    void (*get_info)(BlockDriverState *bs, uint32_t *cluster_size,
                     bool *dirty, GArray *fields);
    uint64_t (*allocated_size)(BlockDriverState *bs);
    /* Names another backing file (NULL: none) and its format in the
     * image; the open backing node is the caller's to change. */
    bool (*change_backing_file)(BlockDriverState *bs, const char *file,
                                const char *fmt, Error **errp);
    /* Unallocates every guest cluster: reads fall through to the
     * backing file (what a committed image becomes). */
    bool (*make_empty)(BlockDriverState *bs, Error **errp);
    /* Changes the format's options in place (emu-img amend). */
    bool (*amend)(BlockDriverState *bs, const BlockAmendOptions *opts,
                  Error **errp);
    /* Sets the virtual size (grows, or shrinks dropping the tail). */
    bool (*resize)(BlockDriverState *bs, uint64_t size, Error **errp);
    /* Counts every cluster's references again; repairs what fix says.
     * Messages about each problem go to stderr. */
    int (*check)(BlockDriverState *bs, BlockCheckResult *res, int fix);
    /* Internal snapshots: the list (count or -errno), and changes. */
    int (*snapshot_list)(BlockDriverState *bs, SnapshotInfo **list);
    bool (*snapshot_create)(BlockDriverState *bs, const char *name,
                            Error **errp);
    bool (*snapshot_goto)(BlockDriverState *bs, const char *id_or_name,
                          Error **errp);
    bool (*snapshot_delete)(BlockDriverState *bs, const char *name,
                            Error **errp);
};

struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque;
    char *filename;              /* as the user gave it */
    char *node_name;             /* node-name=, or QEMU's "#blockNNN" */
    int flags;                   /* BDRV_O_* */
    bool read_only;
    uint64_t size;               /* virtual size in bytes */
    BlockDriverState *file;      /* the protocol child of a format node */
    BlockDriverState *backing;
    char *backing_file;          /* as the image names it, or NULL */
    char *backing_format;
    char *last_error;            /* what the last failed request hit */
    int refcnt;
    /* One request at a time in the driver: a node under two backends
     * (a backing node two overlays share) gets requests from both
     * backends' threads.  Taken top down, so never in a cycle. */
    GRecMutex lock;
};

/* ---- the graph ---- */

const BlockDriver *bdrv_find_format(const char *name);
/* Formats for "Supported formats:" in help texts. */
char *bdrv_format_list(void);

/*
 * Opens filename with format (NULL: probe, as QEMU does), and its
 * backing chain unless BDRV_O_NO_BACKING.  Errors name the file.
 */
BlockDriverState *bdrv_open(const char *filename, const char *format,
                            int flags, Error **errp);
/* The same, the top node called node_name (NULL: a generated name);
 * QEMU's error when another node has the name. */
BlockDriverState *bdrv_open_named(const char *filename, const char *format,
                                  const char *node_name, int flags,
                                  Error **errp);
void bdrv_ref(BlockDriverState *bs);
void bdrv_unref(BlockDriverState *bs);
/* Every open node has a name, unique among them (QEMU's node names). */
BlockDriverState *bdrv_find_node(const char *name);
/* Every node in the order they were named: bdrv_next_node(NULL) is the
 * first (QEMU lists them the other way round). */
BlockDriverState *bdrv_next_node(BlockDriverState *bs);
/* The node that has bs as its file or backing node, or NULL. */
BlockDriverState *bdrv_find_parent(BlockDriverState *bs);
/* The node's new virtual size, or QEMU's error for a format that cannot
 * be resized (emu-img resize, block_resize). */
bool bdrv_truncate(BlockDriverState *bs, uint64_t size, Error **errp);
/* The format's cluster size (0: it has none, raw). */
uint32_t bdrv_cluster_size(BlockDriverState *bs);
/*
 * Makes an open node (and its file node) read-write or read-only, the
 * image locks changed to match; on failure it stays as it was.  The
 * monitor's commit writes into a backing file opened read-only so.
 */
bool bdrv_reopen(BlockDriverState *bs, bool writable, Error **errp);
/* The format a probe picks for the file's first bytes. */
const BlockDriver *bdrv_probe(const uint8_t *buf, size_t len);
/* A backing file name resolved against the image naming it. */
char *bdrv_backing_path(const char *image, const char *backing);

/* ---- a backend's medium and tray (block/removable-media.c) ---- */

typedef struct BlockBackend BlockBackend;

/* A node for a new medium of blk, opened with the drive's cache mode. */
BlockDriverState *blk_open_medium(BlockBackend *blk, const char *filename,
                                  const char *format, bool read_only,
                                  bool *probed_raw, Error **errp);
/* Takes the medium out (its requests drained, flushed, closed). */
void blk_remove_medium(BlockBackend *blk);
/* Puts bs (from blk_open_medium) into the empty blk. */
void blk_insert_medium(BlockBackend *blk, BlockDriverState *bs,
                       bool read_only, bool probed_raw);
/* Attached to a device that takes removable media (its BlockDevOps has
 * change_media), or to none: QEMU counts such a backend as removable. */
bool blk_is_removable(BlockBackend *blk);
bool blk_dev_has_tray(BlockBackend *blk);
bool blk_dev_is_tray_open(BlockBackend *blk);
bool blk_dev_is_medium_locked(BlockBackend *blk);
/* Tells the device (and tray listeners, when the tray moved). */
void blk_dev_change_media(BlockBackend *blk, bool load);
void blk_dev_eject_request(BlockBackend *blk, bool force);

/* ---- requests ---- */

/* Whole requests inside the node's size (a protocol node grows when
 * written past its end); a format falls through to its backing node. */
int bdrv_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
               void *buf);
int bdrv_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                const void *buf);
/* The range reads as zeros afterwards (BDRV_REQ_* flags). */
int bdrv_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       int flags);
int bdrv_flush(BlockDriverState *bs);
int bdrv_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      uint64_t *pnum, uint64_t *map);
/* The same for the whole backing chain: ALLOCATED where any node of it
 * decides; past a backing node's end the range reads as zeros. */
int bdrv_block_status_above(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes, uint64_t *pnum);
/* Sets bs->last_error (printf style) and returns -err. */
int bdrv_fail(BlockDriverState *bs, int err, const char *fmt, ...)
    EMU_PRINTF(3, 4);
const char *bdrv_last_error(BlockDriverState *bs);

/* ---- commit (block/commit.c) ---- */

/*
 * Is [offset, offset + *pnum) held by an image above base (1) or not
 * (0), or -errno?  As QEMU's bdrv_is_allocated_above, *pnum is the
 * shortest run of the images looked at: each lower image is asked only
 * about what the ones above leave through.
 */
int bdrv_allocated_above(BlockDriverState *top, BlockDriverState *base,
                         uint64_t offset, uint64_t bytes, uint64_t *pnum);

typedef void BdrvProgressFunc(void *opaque, double percent);

/*
 * Writes into base every range that an image above it, from top down,
 * holds (base grown to top's size first when it is smaller), then
 * flushes base.  0 or -errno, the message in top's last error.
 */
int bdrv_commit_data(BlockDriverState *top, BlockDriverState *base,
                     BdrvProgressFunc *progress, void *opaque);
/* Grows base to top's size when it is smaller (0 or -errno, the message
 * in top's last error). */
int bdrv_commit_grow_base(BlockDriverState *top, BlockDriverState *base);
/* What one step of a commit did. */
typedef struct BdrvCommitStep {
    bool copied;                 /* the run was held above base: copied */
    bool failed_read;            /* the failure was reading, not writing */
} BdrvCommitStep;
/*
 * One step of a commit: the run at offset (at most max bytes, buf that
 * large) that the images above base hold or not, copied into base when
 * they do.  The run's length in bytes, or -errno (top's last error says
 * what failed).
 */
int64_t bdrv_commit_step(BlockDriverState *top, BlockDriverState *base,
                         uint64_t offset, uint64_t max, void *buf,
                         BdrvCommitStep *step);
/*
 * QEMU's bdrv_commit (the monitor's "commit"): bs's data into its backing
 * node, reopened read-write for the time it takes, then bs emptied.
 * -ENOTSUP without a backing node, -EACCES when the backing node cannot
 * be written; errp says more.
 */
int bdrv_commit(BlockDriverState *bs, Error **errp);

bool bdrv_create(const BlockDriver *drv, const char *filename,
                 const BlockCreateOptions *opts, Error **errp);

/*
 * raw's offset= and size= (block/raw-format.c): the disk is the window
 * [offset, offset + size) of the file (without has_size: to its end).
 * Errors are QEMU's: past the file's end, size not whole sectors.
 */
bool raw_set_window(BlockDriverState *bs, uint64_t offset, bool has_size,
                    uint64_t size, Error **errp);

/*
 * A file node's file watched for another process deleting, replacing or
 * cutting it (block/block.h, raw_file_watch); its state now; and, once
 * it is gone, a new empty file made at its name in its place (watched
 * for the same listener).  For a device that keeps the whole image and
 * can write it again (the CFI flash).
 */
void bdrv_file_watch(BlockDriverState *bs, RawFileChangedFunc *changed,
                     void *opaque);
RawFileState bdrv_file_state(BlockDriverState *bs, Error **errp);
bool bdrv_file_recreate(BlockDriverState *bs, Error **errp);

extern const BlockDriver bdrv_file;
extern const BlockDriver bdrv_raw;
extern const BlockDriver bdrv_qcow2;

#endif
