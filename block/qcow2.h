/*
 * qcow2 (QEMU copy-on-write, version 2 and 3): the on-disk facts and the
 * driver's state, shared by qcow2.c (header, tables, reads and writes)
 * and qcow2-refcount.c (reference counts and cluster allocation).
 *
 * All numbers on disk are big endian.  The image is cut into clusters
 * (512 B to 2 MiB).  A two-level table maps guest clusters to host
 * clusters: the L1 table points at L2 tables, an L2 entry at a data
 * cluster (or says: zeros, compressed, or not here: ask the backing
 * file).  Every host cluster in use has a reference count, kept in
 * refcount blocks listed by the refcount table.  A count above one means
 * the cluster is shared (by internal snapshots) and is copied before it
 * is written; "copied" flags in L1 and L2 entries mark count one.
 * L2 tables and refcount blocks are cached and written back later
 * (qcow2-cache.c says in which order).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block/block-int.h"

#define QCOW2_MAGIC 0x514649fbu        /* "QFI\xfb" */
#define QCOW2_V2_HEADER_SIZE 72
#define QCOW2_V3_HEADER_SIZE 104        /* without compression type */
#define QCOW2_V3_HEADER_WRITTEN 112     /* what QEMU writes: with it */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_DEFAULT_CLUSTER_BITS 16

/* Header extension types */
#define QCOW2_EXT_END 0
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE 0x6803f857u

/* Incompatible, compatible and autoclear feature bits */
#define QCOW2_INCOMPAT_DIRTY (UINT64_C(1) << 0)
#define QCOW2_INCOMPAT_CORRUPT (UINT64_C(1) << 1)
#define QCOW2_INCOMPAT_DATA_FILE (UINT64_C(1) << 2)
#define QCOW2_INCOMPAT_COMPRESSION (UINT64_C(1) << 3)
#define QCOW2_INCOMPAT_EXTL2 (UINT64_C(1) << 4)
#define QCOW2_COMPAT_LAZY_REFCOUNTS (UINT64_C(1) << 0)

/* Table entries */
#define QCOW2_OFLAG_COPIED (UINT64_C(1) << 63)
#define QCOW2_OFLAG_COMPRESSED (UINT64_C(1) << 62)
#define QCOW2_OFLAG_ZERO UINT64_C(1)
#define QCOW2_OFFSET_MASK UINT64_C(0x00fffffffffffe00)   /* bits 9-55 */
#define QCOW2_L1_RESERVED UINT64_C(0x7f000000000001ff)
#define QCOW2_L2_RESERVED UINT64_C(0x3f000000000001fe)

/* Offsets of header fields */
#define QCOW2_HDR_BACKING_OFFSET 8
#define QCOW2_HDR_BACKING_SIZE 16
#define QCOW2_HDR_SIZE 24
#define QCOW2_HDR_L1_SIZE 36
#define QCOW2_HDR_L1_OFFSET 40
#define QCOW2_HDR_RT_OFFSET 48
#define QCOW2_HDR_NB_SNAPSHOTS 60
#define QCOW2_HDR_INCOMPAT 72

/* A cached table (an L2 table or a refcount block), one cluster. */
typedef struct Qcow2CachedTable {
    uint64_t offset;                   /* 0: unused slot */
    uint64_t last_use;
    bool dirty;                        /* changed since read or written */
    uint8_t *data;
} Qcow2CachedTable;

/*
 * Cache sizes, QEMU's defaults: L2 tables enough to map the whole image
 * but at most 32 MiB of them (and at least 2); refcount blocks: 16 (QEMU
 * keeps 4; more here lets a stream of allocations write each block once).
 */
#define QCOW2_L2_CACHE_MAX_BYTES (32u << 20)
#define QCOW2_L2_CACHE_MIN 2
#define QCOW2_RB_CACHE_SIZE 16

/* A byte range of the image file. */
typedef struct Qcow2Extent {
    uint64_t offset, bytes;
} Qcow2Extent;

/* Kinds of metadata, for the overlap checks (qcow2-overlap.c). */
enum {
    QCOW2_OL_MAIN_HEADER = 1 << 0,
    QCOW2_OL_ACTIVE_L1 = 1 << 1,
    QCOW2_OL_ACTIVE_L2 = 1 << 2,
    QCOW2_OL_REFCOUNT_TABLE = 1 << 3,
    QCOW2_OL_REFCOUNT_BLOCK = 1 << 4,
    QCOW2_OL_SNAPSHOT_TABLE = 1 << 5,
    QCOW2_OL_INACTIVE_L1 = 1 << 6,
};

/* The kinds of metadata that point at clusters (a write to one may add
 * or drop references; qcow2-cache.c). */
#define QCOW2_OL_REFERENCES (QCOW2_OL_MAIN_HEADER | QCOW2_OL_ACTIVE_L1 | \
                             QCOW2_OL_ACTIVE_L2 | QCOW2_OL_REFCOUNT_TABLE)

typedef struct Qcow2Cache {
    Qcow2CachedTable *tables;
    unsigned size;                     /* slots */
    uint32_t table_size;               /* bytes: one cluster */
    uint8_t *arena;                    /* slot i's data at i * table_size */
    GHashTable *index;                 /* &offset -> its slot */
    uint64_t clock;
} Qcow2Cache;

typedef struct BDRVQcow2State {
    uint32_t version;
    uint32_t cluster_bits;
    uint32_t cluster_size;
    uint32_t l2_bits;                  /* entries per L2 table, log2 */
    uint32_t l2_size;
    uint32_t header_length;
    uint64_t incompat, compat, autoclear;

    uint64_t *l1_table;                /* in host order */
    uint32_t l1_size;
    uint64_t l1_offset;

    uint32_t refcount_order;           /* width = 1 << order bits */
    uint32_t refcount_bits;
    uint64_t refcount_max;
    uint32_t rb_bits;                  /* entries per refcount block, log2 */
    uint64_t *rt;                      /* refcount table, host order */
    uint32_t rt_entries;
    uint32_t rt_used;                  /* entries up to the last block in
                                        * use: what overlap checks scan */
    uint64_t rt_offset;
    uint32_t rt_clusters;

    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    uint64_t snapshots_size;           /* bytes of the snapshot table */
    Qcow2Extent *inactive_l1;          /* the snapshots' L1 tables */
    uint32_t nb_inactive_l1;
    bool corrupt_signalled;            /* an overlap was refused: no more */

    /* compressed clusters: host offset bits, then size in sectors */
    uint32_t csize_shift;
    uint64_t csize_mask;
    uint64_t cluster_offset_mask;

    Qcow2Cache l2_cache;
    Qcow2Cache rb_cache;
    /* Write ordering (qcow2-cache.c): since the last sync of the file,
     * counts were raised or new clusters filled; references written. */
    bool new_unsynced;
    bool refs_unsynced;
    uint64_t free_cluster_hint;        /* allocation starts looking here */
    uint64_t free_byte_offset;         /* next compressed byte, or 0 */
    bool compress_writes;              /* emu-img convert -c */
} BDRVQcow2State;

/* ---- qcow2.c ---- */

/* Frees the host clusters an L2 entry pointed at. */
int qcow2_free_l2_entry(BlockDriverState *bs, uint64_t l2e);
/* Writes s->l1_table[l1_index] to the image. */
int qcow2_write_l1_entry(BlockDriverState *bs, uint64_t l1_index);
/*
 * The L2 table for l1_index, ready to be changed: allocated (zeroed) if
 * there is none, copied if shared with a snapshot (the L1 entry then
 * points at the copy).
 */
int qcow2_get_writable_l2(BlockDriverState *bs, uint64_t l1_index,
                          uint64_t *l2_offset);

/* ---- qcow2-overlap.c ---- */

typedef struct Qcow2Snapshot Qcow2Snapshot;

/*
 * Writes to the image file unless the bytes overlap metadata other than
 * the kinds in ignore (QCOW2_OL_*); an overlap marks the image corrupt
 * and fails (-EIO), as does every write after it.  ignore also says
 * what is written: a kind of metadata, or 0 for data and new tables
 * nothing points at yet; a write to a kind in QCOW2_OL_REFERENCES waits
 * until new clusters are synced (qcow2-cache.c).  buf NULL: zeros
 * (bdrv_pwrite_zeroes).
 */
int qcow2_pwrite_checked(BlockDriverState *bs, int ignore, uint64_t offset,
                         uint64_t bytes, const void *buf);
/* Marks the image corrupt, prints QEMU's message once; returns -EIO. */
int qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
    EMU_PRINTF(2, 3);
/* -EIO (with the reason) once the image was marked corrupt, else 0. */
int qcow2_refuse_if_corrupt(BlockDriverState *bs);
/* After s->rt changed: recounts s->rt_used. */
void qcow2_rt_changed(BDRVQcow2State *s);
/* Where the snapshots' L1 tables are, for the overlap checks. */
void qcow2_remember_snapshot_l1s(BDRVQcow2State *s, const Qcow2Snapshot *sn,
                                 uint32_t n);

/* ---- qcow2-measure.c ---- */

bool qcow2_measure(const BlockCreateOptions *opts, BlockDriverState *in,
                   BlockMeasureInfo *info, Error **errp);

/* ---- qcow2-empty.c ---- */

bool qcow2_make_empty(BlockDriverState *bs, Error **errp);

/* ---- qcow2-resize.c ---- */

bool qcow2_resize(BlockDriverState *bs, uint64_t size, Error **errp);

/* ---- qcow2-check.c ---- */

int qcow2_check(BlockDriverState *bs, BlockCheckResult *res, int fix);

/* ---- qcow2-snapshot.c ---- */

/* One entry of the snapshot table. */
struct Qcow2Snapshot {
    uint64_t l1_offset;
    uint32_t l1_size;
    char *id;
    char *name;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t vm_state_size;
    uint64_t disk_size;
    uint64_t icount;                   /* UINT64_MAX: none */
    uint32_t extra_size;
    uint8_t *extra;                    /* extra data, id and name as read */
};

/* Reads the table (and sets s->snapshots_size); 0 or -errno. */
int qcow2_read_snapshots(BlockDriverState *bs, Qcow2Snapshot **list);
void qcow2_free_snapshots(Qcow2Snapshot *sn, uint32_t n);
int qcow2_snapshot_list(BlockDriverState *bs, SnapshotInfo **list);
bool qcow2_snapshot_create(BlockDriverState *bs, const char *name,
                           Error **errp);
bool qcow2_snapshot_goto(BlockDriverState *bs, const char *id_or_name,
                         Error **errp);
bool qcow2_snapshot_delete(BlockDriverState *bs, const char *name,
                           Error **errp);

/* ---- qcow2-cache.c ---- */

/*
 * A cached copy of the cluster at offset, read if not there (another
 * table may be written back to make room: pointers from earlier calls
 * are then stale).
 */
int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                    uint8_t **table);
/* The cached table was changed: it is written back later. */
void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *table);
/* Writes back every changed table of c. */
int qcow2_cache_write(BlockDriverState *bs, Qcow2Cache *c);
/* Forgets the table at offset, changed or not (its cluster is freed,
 * or was rewritten directly). */
void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset);
/*
 * Rewrites the header (qcow2.c): version 2 or 3, the compatible feature
 * bits, the backing file and its format (NULL file: none).
 */
bool qcow2_rewrite_header(BlockDriverState *bs, uint32_t version,
                          uint64_t compat, const char *file, const char *fmt,
                          Error **errp);
/* Zero clusters of the active tables made plain (to downgrade). */
int qcow2_expand_zero_clusters(BlockDriverState *bs);
/* qemu-img amend of a qcow2 image (qcow2-amend.c). */
bool qcow2_amend(BlockDriverState *bs, const BlockAmendOptions *opts,
                 Error **errp);
/* Forgets every table, changed or not (the metadata was replaced). */
void qcow2_cache_drop_all(Qcow2Cache *c);
/* size slots of table_size bytes; qcow2_cache_free gives them back. */
void qcow2_cache_init(Qcow2Cache *c, unsigned size, uint32_t table_size);
void qcow2_cache_free(Qcow2Cache *c);
/* Writes back both caches (L2 tables first), without syncing: for
 * operations that read tables from the file directly, and a flush. */
int qcow2_write_caches(BlockDriverState *bs);
/* Both caches written back and the file synced: everything so far is
 * durable.  0 or -errno with the file's message. */
int qcow2_flush_metadata(BlockDriverState *bs);
/* Rule 1: before a reference is written, new clusters are synced. */
int qcow2_sync_new_clusters(BlockDriverState *bs);
/* Rule 2: before a count drops, references written are synced. */
int qcow2_sync_references(BlockDriverState *bs);

/* ---- qcow2-refcount.c ---- */

uint64_t qcow2_get_refcount_entry(const uint8_t *block, uint32_t order,
                                  uint64_t index);
void qcow2_set_refcount_entry(uint8_t *block, uint32_t order, uint64_t index,
                              uint64_t value);
/* The count of a host cluster (index = offset >> cluster_bits). */
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster,
                       uint64_t *refcount);
/* Adds delta to the counts of n clusters from offset. */
int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t n,
                          int delta);
/* n contiguous free clusters, counted in use (1); returns the offset. */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
/* size bytes for compressed data (may share clusters with others). */
int64_t qcow2_alloc_bytes(BlockDriverState *bs, uint64_t size);

#endif
