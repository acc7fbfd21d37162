/*
 * The qcow2 format driver: header and its checks, the L1/L2 mapping,
 * reads (data, zero, compressed, unallocated from the backing node),
 * writes with allocation and copy-on-write, image creation and what
 * "info" shows.  Reference counts are in qcow2-refcount.c; the on-disk
 * layout is described in qcow2.h.
 *
 * Order of metadata writes (what a crash leaves is consistent, at worst
 * with leaked clusters): a new cluster's count and contents are synced
 * before an L2 entry pointing at it is written; a replaced cluster's
 * count drops only after the new entry is synced.  L2 tables and
 * refcount blocks are changed in caches and written back later; the
 * rules are in qcow2-cache.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/trace.h"
#include <zlib.h>
#include "util/bswap.h"
#include "util/cutils.h"
#include "block/qcow2.h"

/* Deflate with a 4 KiB window and no zlib header, as QEMU stores it. */
#define QCOW2_ZLIB_WINDOW_BITS (-12)

/* The feature names QEMU 7.2 writes into a new version 3 image. */
static const struct {
    uint8_t type;                /* 0 incompatible, 1 compatible, 2 autoclear */
    uint8_t bit;
    const char *name;
} feature_names[] = {
    { 0, 0, "dirty bit" },
    { 0, 1, "corrupt bit" },
    { 0, 2, "external data file" },
    { 0, 3, "compression type" },
    { 0, 4, "extended L2 entries" },
    { 1, 0, "lazy refcounts" },
    { 2, 0, "bitmaps" },
    { 2, 1, "raw external data" },
};

static int qcow2_probe(const uint8_t *buf, size_t len)
{
    if (len >= 8 && ldn_be_p(buf, 4) == QCOW2_MAGIC &&
        ldn_be_p(buf + 4, 4) >= 2) {
        return 100;
    }
    return 0;
}

static int file_error(BlockDriverState *bs, int ret)
{
    return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
}

/* ---- opening ---- */

static bool read_table(BlockDriverState *bs, uint64_t offset,
                       uint64_t entries, uint64_t **table, Error **errp)
{
    uint64_t *t = g_new0(uint64_t, MAX(entries, 1));

    if (entries && bdrv_pread(bs->file, offset, entries * 8, t) < 0) {
        error_setg(errp, "Could not read qcow2 table: %s",
                   bdrv_last_error(bs->file));
        g_free(t);
        return false;
    }
    for (uint64_t i = 0; i < entries; i++) {
        t[i] = ldn_be_p(&t[i], 8);
    }
    *table = t;
    return true;
}

/* Header extensions: only the backing format matters for reading. */
static bool read_extensions(BlockDriverState *bs, const uint8_t *hdr,
                            uint64_t start, uint64_t end, Error **errp)
{
    uint64_t pos = start;

    while (pos + 8 <= end) {
        uint32_t type = ldn_be_p(hdr + pos, 4);
        uint32_t len = ldn_be_p(hdr + pos + 4, 4);

        pos += 8;
        if (type == QCOW2_EXT_END) {
            return true;
        }
        if (len > end - pos) {
            error_setg(errp, "qcow2: header extension 0x%08x is %u bytes, "
                       "past the end of the header cluster", type, len);
            return false;
        }
        if (type == QCOW2_EXT_BACKING_FORMAT) {
            g_free(bs->backing_format);
            bs->backing_format = g_strndup((const char *)hdr + pos, len);
        }
        pos += (len + 7) & ~7ull;
    }
    return true;
}

/* An image marked corrupt is opened read-write only to repair it. */
static bool corrupt_image_stays_read_only(BDRVQcow2State *s, int flags,
                                          Error **errp)
{
    if ((s->incompat & QCOW2_INCOMPAT_CORRUPT) && (flags & BDRV_O_RDWR) &&
        !(flags & BDRV_O_CHECK)) {
        error_setg(errp, "qcow2: Image is corrupt; cannot be opened "
                   "read/write");
        return false;
    }
    return true;
}

/*
 * A dirty image was being written with lazy refcounts when its writer
 * died: its counts lag behind its tables.  Opened for writing, it is
 * recounted and repaired first, as QEMU does (the repair's messages go to
 * stderr, as QEMU's do); "check" does that itself.
 */
static bool repair_if_dirty(BlockDriverState *bs, int flags, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    BlockCheckResult res;
    int ret;

    if (!(s->incompat & QCOW2_INCOMPAT_DIRTY) || !(flags & BDRV_O_RDWR) ||
        (flags & BDRV_O_CHECK)) {
        return true;
    }
    ret = qcow2_check(bs, &res, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS);
    if (ret == 0 && (res.check_errors || res.corruptions)) {
        ret = -EIO;
    }
    if (ret < 0) {
        error_setg(errp, "Could not repair dirty image: %s", g_strerror(-ret));
        return false;
    }
    return true;
}

static bool qcow2_open(BlockDriverState *bs, int flags, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *hdr = NULL;
    uint64_t backing_offset, l1_bytes, max_l1;
    uint32_t backing_size, crypt;
    /* The first sector, then the rest of the header's cluster once its
     * size is known (not 2 MiB of a small image's data). */
    uint64_t header_cluster = MIN(BDRV_SECTOR_SIZE, bs->file->size);
    int ret;

    if (header_cluster < QCOW2_V2_HEADER_SIZE) {
        error_setg(errp, "Image is not in qcow2 format");
        return false;
    }
    hdr = g_malloc0(1u << QCOW2_MAX_CLUSTER_BITS);
    ret = bdrv_pread(bs->file, 0, header_cluster, hdr);
    if (ret < 0) {
        error_setg(errp, "Could not read qcow2 header: %s",
                   bdrv_last_error(bs->file));
        return false;
    }
    if (ldn_be_p(hdr, 4) != QCOW2_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        return false;
    }
    s->version = ldn_be_p(hdr + 4, 4);
    if (s->version < 2 || s->version > 3) {
        error_setg(errp, "Unsupported qcow2 version %u", s->version);
        return false;
    }
    s->cluster_bits = ldn_be_p(hdr + 20, 4);
    if (s->cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
        s->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Unsupported cluster size: 2^%u", s->cluster_bits);
        return false;
    }
    if (MIN(1ull << s->cluster_bits, bs->file->size) > header_cluster) {
        uint64_t rest = MIN(1ull << s->cluster_bits, bs->file->size) -
                        header_cluster;

        ret = bdrv_pread(bs->file, header_cluster, rest,
                         hdr + header_cluster);
        if (ret < 0) {
            error_setg(errp, "Could not read qcow2 header: %s",
                       bdrv_last_error(bs->file));
            return false;
        }
    }
    s->cluster_size = 1u << s->cluster_bits;
    s->l2_bits = s->cluster_bits - 3;
    s->l2_size = 1u << s->l2_bits;
    /* Whole sectors, as QEMU reads it (emu and QEMU write it so). */
    bs->size = ldn_be_p(hdr + QCOW2_HDR_SIZE, 8) / BDRV_SECTOR_SIZE *
               BDRV_SECTOR_SIZE;
    crypt = ldn_be_p(hdr + 32, 4);
    s->l1_size = ldn_be_p(hdr + QCOW2_HDR_L1_SIZE, 4);
    s->l1_offset = ldn_be_p(hdr + QCOW2_HDR_L1_OFFSET, 8);
    s->rt_offset = ldn_be_p(hdr + QCOW2_HDR_RT_OFFSET, 8);
    s->rt_clusters = ldn_be_p(hdr + 56, 4);
    s->nb_snapshots = ldn_be_p(hdr + QCOW2_HDR_NB_SNAPSHOTS, 4);
    s->snapshots_offset = ldn_be_p(hdr + 64, 8);
    backing_offset = ldn_be_p(hdr + QCOW2_HDR_BACKING_OFFSET, 8);
    backing_size = ldn_be_p(hdr + QCOW2_HDR_BACKING_SIZE, 4);

    if (s->version == 3) {
        s->header_length = ldn_be_p(hdr + 100, 4);
        if (s->header_length < QCOW2_V3_HEADER_SIZE) {
            error_setg(errp, "qcow2 header too short");
            return false;
        }
        if (s->header_length > s->cluster_size) {
            error_setg(errp, "qcow2 header exceeds cluster size");
            return false;
        }
        s->incompat = ldn_be_p(hdr + QCOW2_HDR_INCOMPAT, 8);
        s->compat = ldn_be_p(hdr + 80, 8);
        s->autoclear = ldn_be_p(hdr + 88, 8);
        s->refcount_order = ldn_be_p(hdr + 96, 4);
    } else {
        s->header_length = QCOW2_V2_HEADER_SIZE;
        s->refcount_order = 4;
    }
    if (s->incompat & ~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT |
                        QCOW2_INCOMPAT_COMPRESSION)) {
        error_setg(errp, "Unsupported qcow2 feature(s): incompatible feature "
                   "bits 0x%" PRIx64, s->incompat &
                   ~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT));
        return false;
    }
    if ((s->incompat & QCOW2_INCOMPAT_COMPRESSION) &&
        (s->header_length <= QCOW2_V3_HEADER_SIZE || hdr[104] != 0)) {
        error_setg(errp, "Unsupported qcow2 feature(s): compression type "
                   "%u (emu reads zlib only)", hdr[104]);
        return false;
    }
    if (!corrupt_image_stays_read_only(s, flags, errp)) {
        return false;
    }
    if (crypt) {
        error_setg(errp, "qcow2: encrypted images are not supported");
        return false;
    }
    if (s->refcount_order > 6) {
        error_setg(errp, "Reference count entry width too large; may not "
                   "exceed 64 bits");
        return false;
    }
    s->refcount_bits = 1u << s->refcount_order;
    s->refcount_max = s->refcount_bits == 64 ? UINT64_MAX
                                             : (1ull << s->refcount_bits) - 1;
    s->rb_bits = s->cluster_bits + 3 - s->refcount_order;

    if ((s->l1_offset & (s->cluster_size - 1)) ||
        (s->rt_offset & (s->cluster_size - 1)) || !s->rt_offset) {
        error_setg(errp, "%s", s->rt_offset & (s->cluster_size - 1) ||
                   !s->rt_offset ? "Invalid reference count table offset"
                                 : "Invalid L1 table offset");
        return false;
    }
    if (s->rt_clusters == 0 || s->rt_clusters > (8u << 20) >> 3 ||
        ((uint64_t)s->rt_clusters << s->cluster_bits) > (64ull << 20)) {
        error_setg(errp, "Reference count table too large");
        return false;
    }
    /* Each L1 entry maps l2_size clusters. */
    max_l1 = DIV_ROUND_UP(bs->size, (uint64_t)s->cluster_size << s->l2_bits);
    if (bs->size > (1ull << 62) || s->l1_size < max_l1) {
        error_setg(errp, "L1 table is too small");
        return false;
    }
    l1_bytes = (uint64_t)s->l1_size * 8;
    if (l1_bytes > (32ull << 20)) {
        error_setg(errp, "Active L1 table too large");
        return false;
    }
    s->csize_shift = 62 - (s->cluster_bits - 8);
    s->csize_mask = (1ull << (s->cluster_bits - 8)) - 1;
    s->cluster_offset_mask = (1ull << s->csize_shift) - 1;
    /* As QEMU sizes them by default (qcow2.h): max_l1 L2 tables map
     * the whole image. */
    qcow2_cache_init(&s->l2_cache,
                     MAX(QCOW2_L2_CACHE_MIN,
                         MIN(max_l1,
                             QCOW2_L2_CACHE_MAX_BYTES >> s->cluster_bits)),
                     s->cluster_size);
    qcow2_cache_init(&s->rb_cache, QCOW2_RB_CACHE_SIZE, s->cluster_size);

    if (!read_extensions(bs, hdr, s->header_length,
                         backing_offset ? MIN(backing_offset, s->cluster_size)
                                        : s->cluster_size, errp)) {
        return false;
    }
    if (backing_offset) {
        if (backing_size > 1023 || backing_offset > s->cluster_size ||
            backing_size > s->cluster_size - backing_offset) {
            error_setg(errp, "Backing file name too long");
            return false;
        }
        bs->backing_file = g_strndup((const char *)hdr + backing_offset,
                                     backing_size);
    }
    if (!read_table(bs, s->l1_offset, s->l1_size, &s->l1_table, errp)) {
        return false;
    }
    s->rt_entries = (uint64_t)s->rt_clusters << (s->cluster_bits - 3);
    if (!read_table(bs, s->rt_offset, s->rt_entries, &s->rt, errp)) {
        return false;
    }
    qcow2_rt_changed(s);
    if (s->nb_snapshots) {
        Qcow2Snapshot *sn;

        if (s->snapshots_offset & (s->cluster_size - 1)) {
            error_setg(errp, "Invalid snapshot table offset");
            return false;
        }
        if (s->nb_snapshots > 65536) {
            error_setg(errp, "Too many snapshots");
            return false;
        }
        if (qcow2_read_snapshots(bs, &sn) < 0) {
            error_setg(errp, "Could not read snapshots: %s",
                       bdrv_last_error(bs));
            return false;
        }
        qcow2_free_snapshots(sn, s->nb_snapshots);
    }
    for (uint32_t i = 0; i < s->rt_entries; i++) {
        if (s->rt[i] & (s->cluster_size - 1)) {
            error_setg(errp, "qcow2: refcount block %u at offset 0x%" PRIx64
                       " is not cluster aligned; the image is corrupt", i,
                       s->rt[i]);
            return false;
        }
    }
    return repair_if_dirty(bs, flags, errp);
}

/* Made writable: what opening it read-write would have refused or
 * repaired first. */
static bool qcow2_reopen(BlockDriverState *bs, int flags, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    return corrupt_image_stays_read_only(s, flags, errp) &&
           repair_if_dirty(bs, flags, errp);
}

static void qcow2_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    /* The caches are written back (qcow2_flush) even under cache=unsafe,
     * whose flushes do not sync the file. */
    if (!bs->read_only) {
        bdrv_flush(bs);
    }
    qcow2_cache_free(&s->l2_cache);
    qcow2_cache_free(&s->rb_cache);
    g_free(s->l1_table);
    g_free(s->rt);
    g_free(s->inactive_l1);
}

/* ---- mapping ---- */

typedef enum Qcow2ClusterType {
    QCOW2_UNALLOCATED,
    QCOW2_NORMAL,
    QCOW2_ZERO,
    QCOW2_COMPRESSED,
} Qcow2ClusterType;

static Qcow2ClusterType cluster_type(BDRVQcow2State *s, uint64_t l2e)
{
    if (l2e & QCOW2_OFLAG_COMPRESSED) {
        return QCOW2_COMPRESSED;
    }
    if ((l2e & QCOW2_OFLAG_ZERO) && s->version >= 3) {
        return QCOW2_ZERO;
    }
    return l2e & QCOW2_OFFSET_MASK ? QCOW2_NORMAL : QCOW2_UNALLOCATED;
}

/* The L2 entry of the guest cluster at offset (0: no L2 table). */
static int get_l2_entry(BlockDriverState *bs, uint64_t offset, uint64_t *l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = offset >> (s->l2_bits + s->cluster_bits);
    uint64_t l2_index = (offset >> s->cluster_bits) & (s->l2_size - 1);
    uint64_t l2_offset;
    uint8_t *l2;
    int ret;

    *l2e = 0;
    if (l1_index >= s->l1_size) {
        return 0;
    }
    l2_offset = s->l1_table[l1_index] & QCOW2_OFFSET_MASK;
    if (!l2_offset) {
        return 0;
    }
    if (l2_offset & (s->cluster_size - 1)) {
        return bdrv_fail(bs, EIO, "%s: L2 table offset 0x%" PRIx64 " is not "
                         "cluster aligned; the image is corrupt",
                         bs->filename, l2_offset);
    }
    ret = qcow2_cache_get(bs, &s->l2_cache, l2_offset, &l2);
    if (ret < 0) {
        return ret;
    }
    *l2e = ldn_be_p(l2 + l2_index * 8, 8);
    return 0;
}

/* Host bytes of a compressed cluster: offset and length to read. */
static void compressed_extent(BDRVQcow2State *s, uint64_t l2e,
                              uint64_t *offset, uint64_t *len)
{
    uint64_t sectors = ((l2e >> s->csize_shift) & s->csize_mask) + 1;

    *offset = l2e & s->cluster_offset_mask;
    *len = sectors * 512 - (*offset & 511);
}

static int read_compressed(BlockDriverState *bs, uint64_t l2e, uint8_t *out)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t offset, len;
    g_autofree uint8_t *in = NULL;
    z_stream z = { 0 };
    int ret;

    compressed_extent(s, l2e, &offset, &len);
    in = g_malloc(len);
    ret = bdrv_pread(bs->file, offset, len, in);
    if (ret < 0) {
        return file_error(bs, ret);
    }
    if (inflateInit2(&z, QCOW2_ZLIB_WINDOW_BITS) != Z_OK) {
        return bdrv_fail(bs, ENOMEM, "%s: zlib: cannot start inflating",
                         bs->filename);
    }
    z.next_in = in;
    z.avail_in = len;
    z.next_out = out;
    z.avail_out = s->cluster_size;
    ret = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    /* The stored size is rounded up to sectors: a full output is enough. */
    if (ret != Z_STREAM_END && !(ret == Z_BUF_ERROR && z.avail_out == 0)) {
        return bdrv_fail(bs, EIO, "%s: compressed cluster at offset 0x%"
                         PRIx64 " does not decompress; the image is corrupt",
                         bs->filename, offset);
    }
    return 0;
}

/* Where the node does not decide: the backing node, zeros past its end. */
static int read_backing(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                        uint8_t *buf)
{
    uint64_t n = 0;
    int ret;

    if (bs->backing && offset < bs->backing->size) {
        n = MIN(bytes, bs->backing->size - offset);
        ret = bdrv_pread(bs->backing, offset, n, buf);
        if (ret < 0) {
            return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->backing));
        }
    }
    memset(buf + n, 0, bytes - n);
    return 0;
}

/* [offset, offset + bytes) inside the guest cluster whose entry is l2e
 * and the clusters continuing its run (continues_run). */
static int read_in_cluster(BlockDriverState *bs, uint64_t l2e,
                           uint64_t offset, uint64_t bytes, uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t in_cluster = offset & (s->cluster_size - 1);
    g_autofree uint8_t *cluster = NULL;
    int ret;

    switch (cluster_type(s, l2e)) {
    case QCOW2_UNALLOCATED:
        return read_backing(bs, offset, bytes, buf);
    case QCOW2_ZERO:
        memset(buf, 0, bytes);
        return 0;
    case QCOW2_COMPRESSED:
        cluster = g_malloc(s->cluster_size);
        ret = read_compressed(bs, l2e, cluster);
        if (ret == 0) {
            memcpy(buf, cluster + in_cluster, bytes);
        }
        return ret;
    case QCOW2_NORMAL:
        if ((l2e & QCOW2_OFFSET_MASK) & (s->cluster_size - 1)) {
            return bdrv_fail(bs, EIO, "%s: data cluster offset 0x%" PRIx64
                             " is not cluster aligned; the image is corrupt",
                             bs->filename, l2e & QCOW2_OFFSET_MASK);
        }
        ret = bdrv_pread(bs->file, (l2e & QCOW2_OFFSET_MASK) + in_cluster,
                         bytes, buf);
        return ret < 0 ? file_error(bs, ret) : 0;
    }
    g_assert_not_reached();
}

/*
 * Whether the guest cluster after one whose entry is l2e (at guest
 * offset, holding host data at host when normal) continues the same
 * kind of range: unallocated or zero again, or data at the next host
 * cluster.  Such runs are read with one request.
 */
static bool continues_run(BDRVQcow2State *s, uint64_t l2e, uint64_t next_l2e,
                          uint64_t next_cluster)
{
    Qcow2ClusterType type = cluster_type(s, l2e);

    if (cluster_type(s, next_l2e) != type) {
        return false;
    }
    switch (type) {
    case QCOW2_UNALLOCATED:
    case QCOW2_ZERO:
        return true;
    case QCOW2_NORMAL:
        return (next_l2e & QCOW2_OFFSET_MASK) ==
               (l2e & QCOW2_OFFSET_MASK) + next_cluster * s->cluster_size;
    case QCOW2_COMPRESSED:
        return false;
    }
    g_assert_not_reached();
}

static int qcow2_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       void *buf)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *p = buf;
    int ret = qcow2_refuse_if_corrupt(bs);

    if (ret < 0) {
        return ret;
    }
    while (bytes > 0) {
        uint64_t n = MIN(bytes, s->cluster_size -
                                (offset & (s->cluster_size - 1)));
        uint64_t l2e, next_l2e;

        ret = get_l2_entry(bs, offset, &l2e);
        /* Whole clusters after the first that continue its run. */
        for (uint64_t k = 1; ret == 0 && n < bytes; k++) {
            ret = get_l2_entry(bs, offset + n, &next_l2e);
            if (ret < 0 || !continues_run(s, l2e, next_l2e, k)) {
                break;
            }
            n += MIN(bytes - n, s->cluster_size);
        }
        if (ret == 0) {
            ret = read_in_cluster(bs, l2e, offset, n, p);
        }
        if (ret < 0) {
            return ret;
        }
        offset += n;
        p += n;
        bytes -= n;
    }
    return 0;
}

static int qcow2_block_status(BlockDriverState *bs, uint64_t offset,
                              uint64_t bytes, uint64_t *pnum, uint64_t *map)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t done = 0, first_l2e = 0;
    Qcow2ClusterType type = QCOW2_UNALLOCATED;

    while (done < bytes) {
        uint64_t at = offset + done;
        uint64_t n = MIN(bytes - done, s->cluster_size -
                                       (at & (s->cluster_size - 1)));
        uint64_t l2e;
        Qcow2ClusterType t;
        int ret = get_l2_entry(bs, at, &l2e);

        if (ret < 0) {
            return ret;
        }
        t = cluster_type(s, l2e);
        if (done == 0) {
            type = t;
            first_l2e = l2e;
        } else if (t != type || (t == QCOW2_NORMAL &&
                   (l2e & QCOW2_OFFSET_MASK) !=
                   (first_l2e & QCOW2_OFFSET_MASK) +
                   ((at & ~(uint64_t)(s->cluster_size - 1)) -
                    (offset & ~(uint64_t)(s->cluster_size - 1))))) {
            break;                       /* a run ends where its kind does */
        }
        done += n;
    }
    *pnum = done;
    switch (type) {
    case QCOW2_NORMAL:
        *map = (first_l2e & QCOW2_OFFSET_MASK) +
               (offset & (s->cluster_size - 1));
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED |
               BDRV_BLOCK_OFFSET_VALID;
    case QCOW2_ZERO:
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
    case QCOW2_COMPRESSED:
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED |
               BDRV_BLOCK_COMPRESSED;
    case QCOW2_UNALLOCATED:
        break;
    }
    return 0;
}

/* ---- writing ---- */

/* A flush writes the caches back; the block layer then syncs the file. */
static int qcow2_flush(BlockDriverState *bs)
{
    return qcow2_write_caches(bs);
}

int qcow2_write_l1_entry(BlockDriverState *bs, uint64_t l1_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t be[8];

    stn_be_p(be, 8, s->l1_table[l1_index]);
    return qcow2_pwrite_checked(bs, QCOW2_OL_ACTIVE_L1,
                                s->l1_offset + l1_index * 8, 8, be);
}

int qcow2_get_writable_l2(BlockDriverState *bs, uint64_t l1_index,
                          uint64_t *l2_offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1e = s->l1_table[l1_index];
    uint64_t old = l1e & QCOW2_OFFSET_MASK;
    g_autofree uint8_t *table = NULL;
    int64_t fresh;
    int ret;

    if (old && (l1e & QCOW2_OFLAG_COPIED)) {
        *l2_offset = old;
        return 0;
    }
    table = g_malloc0(s->cluster_size);
    if (old) {
        uint8_t *cached;

        ret = qcow2_cache_get(bs, &s->l2_cache, old, &cached);
        if (ret < 0) {
            return ret;
        }
        memcpy(table, cached, s->cluster_size);
    }
    fresh = qcow2_alloc_clusters(bs, 1);
    if (fresh < 0) {
        return fresh;
    }
    /* The table is written whole at once, before L1 points at it. */
    ret = qcow2_pwrite_checked(bs, 0, fresh, s->cluster_size, table);
    if (ret < 0) {
        return ret;
    }
    s->l1_table[l1_index] = fresh | QCOW2_OFLAG_COPIED;
    ret = qcow2_write_l1_entry(bs, l1_index);
    if (ret == 0 && old) {
        ret = qcow2_update_refcount(bs, old, 1, -1);
    }
    *l2_offset = fresh;
    return ret;
}

/* qcow2_get_writable_l2, and the table's cached copy (qcow2_cache_get). */
static int get_writable_l2_table(BlockDriverState *bs, uint64_t l1_index,
                                 uint64_t *l2_offset, uint8_t **l2)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = qcow2_get_writable_l2(bs, l1_index, l2_offset);

    return ret < 0 ? ret : qcow2_cache_get(bs, &s->l2_cache, *l2_offset, l2);
}

/* Points the guest cluster at offset at l2e (what it pointed at before
 * is the caller's to free). */
static int set_l2_entry(BlockDriverState *bs, uint64_t offset, uint64_t l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l2_index = (offset >> s->cluster_bits) & (s->l2_size - 1);
    uint64_t l2_offset;
    uint8_t *l2;
    int ret = get_writable_l2_table(bs, offset >> (s->l2_bits +
                                                   s->cluster_bits),
                                    &l2_offset, &l2);

    if (ret == 0) {
        stn_be_p(l2 + l2_index * 8, 8, l2e);
        qcow2_cache_mark_dirty(&s->l2_cache, l2);
    }
    return ret;
}

/* Gives back the host clusters an L2 entry no longer points at. */
int qcow2_free_l2_entry(BlockDriverState *bs, uint64_t l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t offset, len;

    switch (cluster_type(s, l2e)) {
    case QCOW2_COMPRESSED:
        compressed_extent(s, l2e, &offset, &len);
        return qcow2_update_refcount(bs, offset & ~(uint64_t)511,
                                     ((offset + len - 1) >> s->cluster_bits) -
                                     (offset >> s->cluster_bits) + 1, -1);
    case QCOW2_NORMAL:
    case QCOW2_ZERO:
        offset = l2e & QCOW2_OFFSET_MASK;
        return offset ? qcow2_update_refcount(bs, offset, 1, -1) : 0;
    case QCOW2_UNALLOCATED:
        break;
    }
    return 0;
}

/* The cluster deflated, if that makes it smaller; returns its length. */
static size_t compress_cluster(BDRVQcow2State *s, const uint8_t *in,
                               uint8_t *out)
{
    z_stream z = { 0 };
    size_t len = 0;

    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
                     QCOW2_ZLIB_WINDOW_BITS, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        return 0;
    }
    z.next_in = (uint8_t *)in;
    z.avail_in = s->cluster_size;
    z.next_out = out;
    z.avail_out = s->cluster_size - 1;
    if (deflate(&z, Z_FINISH) == Z_STREAM_END) {
        len = s->cluster_size - 1 - z.avail_out;
    }
    deflateEnd(&z);
    return len;
}

/*
 * Writes a whole new cluster's contents, of which [in_cluster, in_cluster
 * + bytes) are the guest's new bytes; returns its new L2 entry.  When the
 * rest is zeros (a first write where nothing was), the host zeroes the
 * cluster without writing it (fallocate) and only the new bytes are
 * written, as QEMU does.
 */
static int write_new_cluster(BlockDriverState *bs, const uint8_t *data,
                             uint64_t in_cluster, uint64_t bytes,
                             uint64_t *l2e)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *packed = NULL;
    size_t clen = 0;
    int64_t host;
    int ret;

    if (s->compress_writes) {
        packed = g_malloc(s->cluster_size);
        clen = compress_cluster(s, data, packed);
    }
    host = clen ? qcow2_alloc_bytes(bs, clen) : qcow2_alloc_clusters(bs, 1);
    if (host < 0) {
        return host;
    }
    if (clen) {
        ret = qcow2_pwrite_checked(bs, 0, host, clen, packed);
    } else if (bytes < s->cluster_size && buffer_is_zero(data, in_cluster) &&
               buffer_is_zero(data + in_cluster + bytes,
                              s->cluster_size - in_cluster - bytes)) {
        ret = qcow2_pwrite_checked(bs, 0, host, s->cluster_size, NULL);
        if (ret == 0) {
            ret = qcow2_pwrite_checked(bs, 0, host + in_cluster, bytes,
                                       data + in_cluster);
        }
    } else {
        ret = qcow2_pwrite_checked(bs, 0, host, s->cluster_size, data);
    }
    if (ret < 0) {
        return ret;
    }
    if (clen) {
        uint64_t sectors = (host + clen - 1) / 512 - host / 512 + 1;

        *l2e = QCOW2_OFLAG_COMPRESSED | host |
               ((sectors - 1) << s->csize_shift);
    } else {
        *l2e = host | QCOW2_OFLAG_COPIED;
    }
    return 0;
}

/* A data cluster that only the active L2 table uses: written in place. */
static bool owned_in_place(BDRVQcow2State *s, uint64_t l2e)
{
    return cluster_type(s, l2e) == QCOW2_NORMAL &&
           (l2e & QCOW2_OFLAG_COPIED);
}

/* A write within one guest cluster. */
static int write_in_cluster(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes, const uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = offset >> (s->l2_bits + s->cluster_bits);
    uint64_t l2_index = (offset >> s->cluster_bits) & (s->l2_size - 1);
    uint64_t in_cluster = offset & (s->cluster_size - 1);
    uint64_t cluster_start = offset - in_cluster;
    g_autofree uint8_t *whole = NULL;
    uint64_t l2_offset = 0, l2e, fresh = 0;
    uint8_t *l2;
    int ret;

    ret = get_writable_l2_table(bs, l1_index, &l2_offset, &l2);
    if (ret < 0) {
        return ret;
    }
    l2e = ldn_be_p(l2 + l2_index * 8, 8);
    if (owned_in_place(s, l2e) && !s->compress_writes) {
        /* Ours alone: in place. */
        return qcow2_pwrite_checked(bs, 0,
                                    (l2e & QCOW2_OFFSET_MASK) + in_cluster,
                                    bytes, buf);
    }
    /* Copy on write: the old contents around the new bytes. */
    whole = g_malloc(s->cluster_size);
    if (bytes < s->cluster_size) {
        ret = read_in_cluster(bs, l2e, cluster_start, s->cluster_size, whole);
        if (ret < 0) {
            return ret;
        }
    }
    memcpy(whole + in_cluster, buf, bytes);
    ret = write_new_cluster(bs, whole, in_cluster, bytes, &fresh);
    if (ret == 0) {
        /* (the table is looked up again: the cache may have dropped it) */
        ret = set_l2_entry(bs, offset, fresh);
    }
    return ret < 0 ? ret : qcow2_free_l2_entry(bs, l2e);
}

/*
 * Whole guest clusters from offset (cluster aligned), at most max of
 * them and within one L2 table, written with one request to the file:
 * a run of clusters that are ours alone at consecutive host offsets is
 * written in place; a run of clusters that need new ones (nothing there
 * yet, zero, shared with a snapshot or a backing file) gets them
 * allocated together, contiguous on the host, as QEMU allocates a
 * request's clusters.  Returns the number of clusters written or
 * -errno.
 */
static int64_t write_cluster_run(BlockDriverState *bs, uint64_t offset,
                                 uint64_t max, const uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_index = offset >> (s->l2_bits + s->cluster_bits);
    uint64_t l2_index = (offset >> s->cluster_bits) & (s->l2_size - 1);
    g_autofree uint64_t *old = NULL;
    uint64_t l2_offset, first, n = 1;
    int64_t host;
    uint8_t *l2;
    int ret;

    max = MIN(max, s->l2_size - l2_index);
    ret = get_writable_l2_table(bs, l1_index, &l2_offset, &l2);
    if (ret < 0) {
        return ret;
    }
    first = ldn_be_p(l2 + l2_index * 8, 8);
    if (owned_in_place(s, first)) {
        while (n < max) {
            uint64_t l2e = ldn_be_p(l2 + (l2_index + n) * 8, 8);

            if (!owned_in_place(s, l2e) ||
                (l2e & QCOW2_OFFSET_MASK) !=
                (first & QCOW2_OFFSET_MASK) + n * s->cluster_size) {
                break;
            }
            n++;
        }
        ret = qcow2_pwrite_checked(bs, 0, first & QCOW2_OFFSET_MASK,
                                   n * s->cluster_size, buf);
        return ret < 0 ? ret : (int64_t)n;
    }
    while (n < max && !owned_in_place(s, ldn_be_p(l2 + (l2_index + n) * 8,
                                                  8))) {
        n++;
    }
    host = qcow2_alloc_clusters(bs, n);
    if (host < 0) {
        return host;
    }
    ret = qcow2_pwrite_checked(bs, 0, host, n * s->cluster_size, buf);
    if (ret < 0) {
        /* Nothing points at the new clusters: they go back, as QEMU's
         * qcow2_alloc_cluster_abort gives them (a full disk or a file
         * size limit then leaves no leak).  An image just marked corrupt
         * is left as it is. */
        if (qcow2_refuse_if_corrupt(bs) == 0) {
            qcow2_update_refcount(bs, host, n, -1);
        }
        return ret;
    }
    /* The cache may have dropped the table meanwhile. */
    ret = qcow2_cache_get(bs, &s->l2_cache, l2_offset, &l2);
    if (ret < 0) {
        return ret;
    }
    old = g_new(uint64_t, n);
    for (uint64_t i = 0; i < n; i++) {
        old[i] = ldn_be_p(l2 + (l2_index + i) * 8, 8);
        stn_be_p(l2 + (l2_index + i) * 8, 8,
                 (host + i * s->cluster_size) | QCOW2_OFLAG_COPIED);
    }
    qcow2_cache_mark_dirty(&s->l2_cache, l2);
    /* The old clusters are given back once nothing points at them. */
    for (uint64_t i = 0; i < n; i++) {
        ret = qcow2_free_l2_entry(bs, old[i]);
        if (ret < 0) {
            return ret;
        }
    }
    return n;
}

static int qcow2_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                        const void *buf)
{
    BDRVQcow2State *s = bs->opaque;
    const uint8_t *p = buf;
    int ret = qcow2_refuse_if_corrupt(bs);

    if (ret < 0) {
        return ret;
    }
    while (bytes > 0) {
        uint64_t in_cluster = offset & (s->cluster_size - 1);
        uint64_t n = MIN(bytes, s->cluster_size - in_cluster);

        /* Where QEMU looks up or allocates the clusters of what is left. */
        trace_qcow2_alloc_clusters_offset(bs, offset, MIN(bytes, INT_MAX));
        if (!in_cluster && bytes >= s->cluster_size && !s->compress_writes) {
            int64_t clusters = write_cluster_run(bs, offset,
                                                 bytes >> s->cluster_bits, p);

            if (clusters < 0) {
                return clusters;
            }
            n = clusters << s->cluster_bits;
        } else {
            ret = write_in_cluster(bs, offset, n, p);
            if (ret < 0) {
                return ret;
            }
        }
        offset += n;
        p += n;
        bytes -= n;
    }
    return 0;
}

/*
 * Whole guest clusters made to read as zeros without data: with
 * BDRV_REQ_MAY_UNMAP (discard=unmap) only, the way QEMU discards: a
 * cluster becomes unallocated, or a zero cluster where a backing file
 * would show through (version 3); its host cluster is given back, and
 * once nothing uses it any more its space is given back to the host
 * file system too (a hole punched), as QEMU passes discards down.
 * Anything else (a partial cluster, no unmap, version 2 over a backing
 * file) is -ENOTSUP: zeros are written instead.
 */
static int qcow2_pwrite_zeroes(BlockDriverState *bs, uint64_t offset,
                               uint64_t bytes, int flags)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t mask = s->cluster_size - 1;
    uint64_t new_entry = bs->backing_file ? QCOW2_OFLAG_ZERO : 0;
    int ret = qcow2_refuse_if_corrupt(bs);

    if (ret < 0) {
        return ret;
    }
    if (!(flags & BDRV_REQ_MAY_UNMAP) || (offset & mask) ||
        ((bytes & mask) && offset + bytes != bs->size) ||
        (new_entry && s->version < 3)) {
        return -ENOTSUP;
    }
    g_autoptr(GArray) old = g_array_new(false, false, sizeof(uint64_t));

    /* The tables first, then the counts: one sync between, not one a
     * cluster (qcow2-cache.c, rule 2). */
    for (uint64_t pos = offset; pos < offset + bytes; pos += s->cluster_size) {
        uint64_t l2e;

        ret = get_l2_entry(bs, pos, &l2e);
        if (ret == 0 && l2e == new_entry) {
            continue;
        }
        if (ret == 0) {
            ret = set_l2_entry(bs, pos, new_entry);
        }
        if (ret < 0) {
            return ret;
        }
        g_array_append_val(old, l2e);
    }
    for (guint i = 0; i < old->len; i++) {
        uint64_t l2e = g_array_index(old, uint64_t, i);
        uint64_t host = l2e & QCOW2_OFFSET_MASK, users = 0;

        ret = qcow2_free_l2_entry(bs, l2e);
        if (ret == 0 && host && cluster_type(s, l2e) != QCOW2_COMPRESSED) {
            ret = qcow2_get_refcount(bs, host >> s->cluster_bits, &users);
            if (ret == 0 && !users) {
                ret = bdrv_pwrite_zeroes(bs->file, host, s->cluster_size,
                                         BDRV_REQ_MAY_UNMAP);
            }
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/*
 * Version 2 has no zero clusters: each becomes unallocated where
 * nothing shows through (no backing file, no host cluster), and else a
 * host cluster written with zeros, as QEMU expands them to downgrade.
 * The active tables only (snapshots: the caller refuses them).
 */
int qcow2_expand_zero_clusters(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *zeros = g_malloc0(s->cluster_size);

    for (uint64_t offset = 0; offset < bs->size; offset += s->cluster_size) {
        uint64_t l2e;
        int ret = get_l2_entry(bs, offset, &l2e);

        if (ret < 0) {
            return ret;
        }
        if (cluster_type(s, l2e) != QCOW2_ZERO) {
            continue;
        }
        if (bs->backing_file || (l2e & QCOW2_OFFSET_MASK)) {
            ret = qcow2_pwrite(bs, offset,
                               MIN(s->cluster_size, bs->size - offset),
                               zeros);
        } else {
            ret = set_l2_entry(bs, offset, 0);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return qcow2_flush_metadata(bs);
}

/* ---- creating ---- */

static bool qcow2_place_l1(const char *filename, uint64_t l1_size,
                           Error **errp);

/*
 * preallocation=metadata|falloc|full of a new image: every guest cluster
 * mapped, L2 table by L2 table (each table followed by its clusters,
 * allocated together, as QEMU lays them out); the data clusters are
 * then left a hole (metadata: the file only grows to cover them), or
 * reserved (falloc) or written with zeros (full) as the file is.
 */
static bool qcow2_preallocate(const char *filename, BlockPrealloc mode,
                              Error **errp)
{
    BlockDriverState *bs = bdrv_open(filename, "qcow2",
                                     BDRV_O_RDWR | BDRV_O_NO_BACKING, errp);
    BDRVQcow2State *s;
    uint64_t clusters, end = 0;
    int ret = 0;

    if (!bs) {
        return false;
    }
    s = bs->opaque;
    clusters = DIV_ROUND_UP(bs->size, s->cluster_size);
    for (uint64_t c = 0; ret == 0 && c < clusters;) {
        uint64_t l2_index = c & (s->l2_size - 1);
        uint64_t n = MIN(clusters - c, s->l2_size - l2_index);
        uint64_t l2_offset;
        int64_t host = 0;
        uint8_t *l2;

        ret = qcow2_get_writable_l2(bs, c >> s->l2_bits, &l2_offset);
        if (ret == 0) {
            host = qcow2_alloc_clusters(bs, n);
            ret = host < 0 ? (int)host : 0;
        }
        if (ret == 0 && mode != BDRV_PREALLOC_METADATA) {
            ret = bdrv_file_preallocate(bs->file, host, n * s->cluster_size,
                                        mode);
        }
        if (ret == 0) {
            ret = qcow2_cache_get(bs, &s->l2_cache, l2_offset, &l2);
        }
        if (ret < 0) {
            break;
        }
        for (uint64_t i = 0; i < n; i++) {
            stn_be_p(l2 + (l2_index + i) * 8, 8,
                     (host + i * s->cluster_size) | QCOW2_OFLAG_COPIED);
        }
        qcow2_cache_mark_dirty(&s->l2_cache, l2);
        end = MAX(end, host + n * s->cluster_size);
        c += n;
    }
    if (ret == 0 && bs->file->size < end) {
        Error *err = NULL;

        if (!bs->file->drv->resize(bs->file, end, &err)) {
            ret = bdrv_fail(bs->file, EIO, "%s", error_get_pretty(err));
            error_free(err);
        }
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret < 0) {
        error_setg(errp, "Could not preallocate '%s': %s", filename,
                   bdrv_last_error(bs->file->last_error ? bs->file : bs));
    }
    bdrv_unref(bs);
    return ret == 0;
}

static void put_extension(GByteArray *hdr, uint32_t type, const void *data,
                          uint32_t len)
{
    uint8_t head[8];
    static const uint8_t pad[8];

    stn_be_p(head, 4, type);
    stn_be_p(head + 4, 4, len);
    g_byte_array_append(hdr, head, 8);
    g_byte_array_append(hdr, data, len);
    g_byte_array_append(hdr, pad, ((len + 7) & ~7u) - len);
}

/* The feature names, when they fit with the rest and the backing file
 * name (as in QEMU: not in a 512 byte cluster). */
static void put_feature_table(GByteArray *hdr, const char *backing_file,
                              uint32_t cluster_size)
{
    uint8_t table[ARRAY_SIZE(feature_names) * 48] = { 0 };

    if (hdr->len + 8 + sizeof(table) + 8 +
        (backing_file ? strlen(backing_file) : 0) >= cluster_size) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++) {
        table[i * 48] = feature_names[i].type;
        table[i * 48 + 1] = feature_names[i].bit;
        memcpy(table + i * 48 + 2, feature_names[i].name,
               strlen(feature_names[i].name));
    }
    put_extension(hdr, QCOW2_EXT_FEATURE_TABLE, table, sizeof(table));
}

/*
 * QEMU's layout: the header cluster, one refcount table cluster, one
 * refcount block, then the L1 table; the first three written whole, the
 * L1 table to its last entry.  Images whose metadata needs more refcount
 * blocks get them from the allocator as the L1 table is placed.
 */
static bool qcow2_create(const char *filename, const BlockCreateOptions *opts,
                         Error **errp)
{
    uint32_t cs = opts->cluster_size ? opts->cluster_size
                                     : 1u << QCOW2_DEFAULT_CLUSTER_BITS;
    int version = opts->compat ? opts->compat : 3;
    int refcount_bits = opts->refcount_bits ? opts->refcount_bits : 16;
    BlockPrealloc prealloc = bdrv_prealloc_mode(opts);
    unsigned cluster_bits = 0, refcount_order = 0;
    uint64_t l1_size;
    g_autoptr(GByteArray) hdr = g_byte_array_new();
    g_autofree uint8_t *cluster = NULL;
    BlockCreateOptions file_opts = { .size = 0 };
    BlockDriverState *file;
    uint8_t fixed[QCOW2_V3_HEADER_WRITTEN] = { 0 };
    uint8_t be[8];
    bool ok = false;

    while ((1u << cluster_bits) < cs) {
        cluster_bits++;
    }
    if ((1u << cluster_bits) != cs || cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
        cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Cluster size must be a power of two between 512 "
                   "and 2048k");
        return false;
    }
    while ((1 << refcount_order) < refcount_bits) {
        refcount_order++;
    }
    if ((1 << refcount_order) != refcount_bits || refcount_order > 6) {
        error_setg(errp, "Refcount width must be a power of two and may not "
                   "exceed 64 bits");
        return false;
    }
    if (version == 2 && refcount_bits != 16) {
        error_setg(errp, "Different refcount widths than 16 bits require "
                   "compatibility level 1.1 or above (use compat=1.1 or "
                   "greater)");
        return false;
    }
    if (version == 2 && opts->lazy_refcounts) {
        error_setg(errp, "Lazy refcounts only supported with compatibility "
                   "level 1.1 and above (use compat=1.1 or greater)");
        return false;
    }
    if (opts->backing_file && strlen(opts->backing_file) > 1023) {
        error_setg(errp, "Backing file name too long");
        return false;
    }
    if (prealloc == BDRV_PREALLOC_INVALID) {
        error_setg(errp, "Parameter 'preallocation' does not accept value "
                   "'%s'", opts->preallocation);
        return false;
    }
    if (prealloc != BDRV_PREALLOC_OFF && opts->backing_file) {
        error_setg(errp, "Backing file and preallocation can only be used at "
                   "the same time if extended_l2 is on");
        return false;
    }
    l1_size = DIV_ROUND_UP(opts->size, (uint64_t)cs * (cs / 8));

    /* The fixed part. */
    stn_be_p(fixed, 4, QCOW2_MAGIC);
    stn_be_p(fixed + 4, 4, version);
    stn_be_p(fixed + 20, 4, cluster_bits);
    stn_be_p(fixed + QCOW2_HDR_SIZE, 8, opts->size);
    stn_be_p(fixed + QCOW2_HDR_L1_SIZE, 4, l1_size);
    stn_be_p(fixed + QCOW2_HDR_L1_OFFSET, 8, 3ull * cs);
    stn_be_p(fixed + QCOW2_HDR_RT_OFFSET, 8, cs);
    stn_be_p(fixed + 56, 4, 1);
    if (version == 3) {
        stn_be_p(fixed + 80, 8, opts->lazy_refcounts
                 ? QCOW2_COMPAT_LAZY_REFCOUNTS : 0);
        stn_be_p(fixed + 96, 4, refcount_order);
        stn_be_p(fixed + 100, 4, sizeof(fixed));
        g_byte_array_append(hdr, fixed, sizeof(fixed));
    } else {
        g_byte_array_append(hdr, fixed, QCOW2_V2_HEADER_SIZE);
    }
    if (opts->backing_format) {
        put_extension(hdr, QCOW2_EXT_BACKING_FORMAT, opts->backing_format,
                      strlen(opts->backing_format));
    }
    if (version == 3) {
        put_feature_table(hdr, opts->backing_file, cs);
    }
    memset(be, 0, sizeof(be));
    g_byte_array_append(hdr, be, 8);            /* end of extensions */
    if (opts->backing_file) {
        stn_be_p(hdr->data + QCOW2_HDR_BACKING_OFFSET, 8, hdr->len);
        stn_be_p(hdr->data + QCOW2_HDR_BACKING_SIZE, 4,
                 strlen(opts->backing_file));
        g_byte_array_append(hdr, (const uint8_t *)opts->backing_file,
                            strlen(opts->backing_file));
    }
    if (hdr->len > cs) {
        error_setg(errp, "qcow2: the header with its backing file name does "
                   "not fit in a %u byte cluster", cs);
        return false;
    }

    if (!bdrv_create(&bdrv_file, filename, &file_opts, errp)) {
        return false;
    }
    file = bdrv_open(filename, "file", BDRV_O_RDWR, errp);
    if (!file) {
        return false;
    }
    cluster = g_malloc0(cs);
    memcpy(cluster, hdr->data, hdr->len);
    if (bdrv_pwrite(file, 0, cs, cluster) < 0) {
        goto out;
    }
    memset(cluster, 0, cs);
    stn_be_p(cluster, 8, 2ull * cs);             /* the refcount block */
    if (bdrv_pwrite(file, cs, cs, cluster) < 0) {
        goto out;
    }
    memset(cluster, 0, cs);
    if (bdrv_pwrite(file, 2ull * cs, cs, cluster) < 0) {
        goto out;
    }
    for (int i = 0; i < 3; i++) {
        qcow2_set_refcount_entry(cluster, refcount_order, i, 1);
    }
    if (bdrv_pwrite(file, 2ull * cs, cs, cluster) < 0 ||
        bdrv_flush(file) < 0) {
        goto out;
    }
    ok = true;
out:
    if (!ok) {
        error_setg(errp, "Could not write qcow2 header: %s",
                   bdrv_last_error(file));
    }
    bdrv_unref(file);
    if (!ok) {
        return false;
    }
    return qcow2_place_l1(filename, l1_size, errp) &&
           (prealloc == BDRV_PREALLOC_OFF ||
            qcow2_preallocate(filename, prealloc, errp));
}

/*
 * Rewrites the header cluster as QEMU's qcow2_update_header does: of
 * version (2 or 3; from 2 to 3 the fields version 3 adds, zero but the
 * compatible features, and the feature names; from 3 to 2 without
 * them), with the compatible features compat (version 3), and naming
 * another backing file and format (NULL file: none), keeping the other
 * extensions.  The header cluster holds nothing else, so it is written
 * whole, then flushed.
 */
bool qcow2_rewrite_header(BlockDriverState *bs, uint32_t version,
                          uint64_t compat, const char *file, const char *fmt,
                          Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *old = g_malloc0(s->cluster_size);
    g_autofree uint8_t *cluster = NULL;
    g_autoptr(GByteArray) hdr = g_byte_array_new();
    uint64_t backing_offset, end, pos;
    static const uint8_t end_marker[8];
    uint8_t v3_fields[QCOW2_V3_HEADER_WRITTEN - QCOW2_V2_HEADER_SIZE] = { 0 };

    if (file && strlen(file) > 1023) {
        error_setg(errp, "Backing file name too long");
        return false;
    }
    if (bdrv_pread(bs->file, 0, s->cluster_size, old) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs->file));
        return false;
    }
    backing_offset = ldn_be_p(old + QCOW2_HDR_BACKING_OFFSET, 8);
    end = backing_offset ? MIN(backing_offset, s->cluster_size)
                         : s->cluster_size;
    if (version == s->version) {
        g_byte_array_append(hdr, old, s->header_length);
    } else {
        g_byte_array_append(hdr, old, QCOW2_V2_HEADER_SIZE);
        stn_be_p(hdr->data + 4, 4, version);
    }
    if (version == 3 && s->version == 2) {
        /* refcount order 4 (16 bits, version 2's), header length */
        stn_be_p(v3_fields + 96 - QCOW2_V2_HEADER_SIZE, 4, 4);
        stn_be_p(v3_fields + 100 - QCOW2_V2_HEADER_SIZE, 4,
                 QCOW2_V3_HEADER_WRITTEN);
        g_byte_array_append(hdr, v3_fields, sizeof(v3_fields));
    }
    if (version == 3) {
        stn_be_p(hdr->data + 80, 8, compat);
    }
    stn_be_p(hdr->data + QCOW2_HDR_BACKING_OFFSET, 8, 0);
    stn_be_p(hdr->data + QCOW2_HDR_BACKING_SIZE, 4, 0);
    if (file && fmt) {
        put_extension(hdr, QCOW2_EXT_BACKING_FORMAT, fmt, strlen(fmt));
    }
    /* Every other extension as it was (read_extensions checked them);
     * a version 2 header has no feature names. */
    for (pos = s->header_length; pos + 8 <= end;) {
        uint32_t type = ldn_be_p(old + pos, 4);
        uint32_t len = ldn_be_p(old + pos + 4, 4);

        if (type == QCOW2_EXT_END) {
            break;
        }
        if (type != QCOW2_EXT_BACKING_FORMAT &&
            !(type == QCOW2_EXT_FEATURE_TABLE && version == 2)) {
            put_extension(hdr, type, old + pos + 8, len);
        }
        pos += 8 + ((len + 7) & ~7ull);
    }
    if (version == 3 && s->version == 2) {
        put_feature_table(hdr, file, s->cluster_size);
    }
    g_byte_array_append(hdr, end_marker, sizeof(end_marker));
    if (file) {
        stn_be_p(hdr->data + QCOW2_HDR_BACKING_OFFSET, 8, hdr->len);
        stn_be_p(hdr->data + QCOW2_HDR_BACKING_SIZE, 4, strlen(file));
        g_byte_array_append(hdr, (const uint8_t *)file, strlen(file));
    }
    if (hdr->len > s->cluster_size) {
        error_setg(errp, "%s", g_strerror(ENOSPC));
        return false;
    }
    cluster = g_malloc0(s->cluster_size);
    memcpy(cluster, hdr->data, hdr->len);
    if (bdrv_pwrite(bs->file, 0, s->cluster_size, cluster) < 0 ||
        qcow2_flush_metadata(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs->file));
        return false;
    }
    if (version != s->version) {
        s->version = version;
        s->header_length = version == 3 ? QCOW2_V3_HEADER_WRITTEN
                                         : QCOW2_V2_HEADER_SIZE;
        s->incompat = s->autoclear = 0;
    }
    s->compat = version == 3 ? compat : 0;
    /* file and fmt may be the ones being replaced (amend keeps them). */
    char *new_file = g_strdup(file);
    char *new_format = file ? g_strdup(fmt) : NULL;

    g_free(bs->backing_file);
    g_free(bs->backing_format);
    bs->backing_file = new_file;
    bs->backing_format = new_format;
    return true;
}

static bool qcow2_change_backing_file(BlockDriverState *bs, const char *file,
                                      const char *fmt, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    return qcow2_rewrite_header(bs, s->version, s->compat, file, fmt, errp);
}

/* Places the L1 table of a new image (see qcow2_create). */
static bool qcow2_place_l1(const char *filename, uint64_t l1_size,
                           Error **errp)
{
    BlockDriverState *bs = bdrv_open(filename, "qcow2",
                                     BDRV_O_RDWR | BDRV_O_NO_BACKING, errp);
    BDRVQcow2State *s;
    g_autofree uint8_t *zeros = NULL;
    uint8_t be[8];
    int64_t offset;
    int ret;

    if (!bs) {
        return false;
    }
    s = bs->opaque;
    offset = l1_size ? qcow2_alloc_clusters(bs, DIV_ROUND_UP(l1_size * 8,
                                                         s->cluster_size))
                     : 3 * (int64_t)s->cluster_size;
    ret = offset < 0 ? (int)offset : 0;
    if (ret == 0 && l1_size) {
        zeros = g_malloc0(l1_size * 8);
        ret = bdrv_pwrite(bs->file, offset, l1_size * 8, zeros);
    }
    if (ret == 0 && (uint64_t)offset != s->l1_offset) {
        stn_be_p(be, 8, offset);
        ret = bdrv_pwrite(bs->file, QCOW2_HDR_L1_OFFSET, 8, be);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        error_setg(errp, "Could not create the L1 table of '%s': %s",
                   filename, bdrv_last_error(bs->file->last_error ? bs->file
                                                                  : bs));
    }
    bdrv_unref(bs);
    return ret == 0;
}

/* ---- info ---- */

static void add_field(GArray *fields, const char *key, const char *str,
                      int kind, int64_t number)
{
    ImageInfoField f = { .key = key, .str = g_strdup(str),
                         .is_bool = kind == 'b', .boolean = number,
                         .number = number };

    g_array_append_val(fields, f);
}

static void qcow2_get_info(BlockDriverState *bs, uint32_t *cluster_size,
                           bool *dirty, GArray *fields)
{
    BDRVQcow2State *s = bs->opaque;

    *cluster_size = s->cluster_size;
    *dirty = s->incompat & QCOW2_INCOMPAT_DIRTY;
    add_field(fields, "compat", s->version == 2 ? "0.10" : "1.1", 's', 0);
    add_field(fields, "compression-type", "zlib", 's', 0);
    if (s->version >= 3) {
        add_field(fields, "lazy-refcounts", NULL, 'b',
                  !!(s->compat & QCOW2_COMPAT_LAZY_REFCOUNTS));
    }
    add_field(fields, "refcount-bits", NULL, 'n', s->refcount_bits);
    if (s->version >= 3) {
        add_field(fields, "corrupt", NULL, 'b',
                  !!(s->incompat & QCOW2_INCOMPAT_CORRUPT));
        add_field(fields, "extended-l2", NULL, 'b', false);
    }
}

static uint64_t qcow2_allocated_size(BlockDriverState *bs)
{
    return bs->file->drv->allocated_size(bs->file);
}

const BlockDriver bdrv_qcow2 = {
    .name = "qcow2",
    .state_size = sizeof(BDRVQcow2State),
    .probe = qcow2_probe,
    .open = qcow2_open,
    .reopen = qcow2_reopen,
    .close = qcow2_close,
    .pread = qcow2_pread,
    .pwrite = qcow2_pwrite,
    .pwrite_zeroes = qcow2_pwrite_zeroes,
    .flush = qcow2_flush,
    .block_status = qcow2_block_status,
    .create = qcow2_create,
    .measure = qcow2_measure,
    .get_info = qcow2_get_info,
    .change_backing_file = qcow2_change_backing_file,
    .amend = qcow2_amend,
    .make_empty = qcow2_make_empty,
    .allocated_size = qcow2_allocated_size,
    .resize = qcow2_resize,
    .check = qcow2_check,
    .snapshot_list = qcow2_snapshot_list,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_goto = qcow2_snapshot_goto,
    .snapshot_delete = qcow2_snapshot_delete,
};
