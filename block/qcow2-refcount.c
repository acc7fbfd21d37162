/*
 * qcow2 reference counts and cluster allocation.
 *
 * Crash safety: a cluster's count is raised on disk before anything
 * points at it, and lowered only after nothing does (the rules of
 * qcow2-cache.c), so an interrupted update leaves at worst a leaked
 * cluster, which "check -r leaks" gives back.
 *
 * New refcount blocks describe themselves: the block for clusters
 * [t * E, (t + 1) * E) is put at cluster t * E, which nothing uses yet
 * (no block counted it).  A refcount table that is too short is copied
 * to a longer one at the end of the image, with the new blocks that
 * count it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "block/qcow2.h"

/* ---- entries of any width ---- */

/*
 * Widths below a byte pack several entries per byte, the first in the
 * lowest bits; wider ones are big-endian numbers.
 */
uint64_t qcow2_get_refcount_entry(const uint8_t *block, uint32_t order,
                                  uint64_t index)
{
    unsigned bits = 1u << order;

    if (bits < 8) {
        unsigned per_byte = 8 / bits;

        return (block[index / per_byte] >> (bits * (index % per_byte))) &
               ((1u << bits) - 1);
    }
    return ldn_be_p(block + index * (bits / 8), bits / 8);
}

void qcow2_set_refcount_entry(uint8_t *block, uint32_t order, uint64_t index,
                              uint64_t value)
{
    unsigned bits = 1u << order;

    if (bits < 8) {
        unsigned per_byte = 8 / bits;
        unsigned shift = bits * (index % per_byte);
        uint8_t mask = ((1u << bits) - 1) << shift;

        block[index / per_byte] = (block[index / per_byte] & ~mask) |
                                  ((value << shift) & mask);
        return;
    }
    stn_be_p(block + index * (bits / 8), bits / 8, value);
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster,
                       uint64_t *refcount)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t t = cluster >> s->rb_bits;
    uint8_t *block;
    int ret;

    *refcount = 0;
    if (t >= s->rt_entries || !(s->rt[t] & QCOW2_OFFSET_MASK)) {
        return 0;
    }
    ret = qcow2_cache_get(bs, &s->rb_cache, s->rt[t] & QCOW2_OFFSET_MASK,
                          &block);
    if (ret < 0) {
        return ret;
    }
    *refcount = qcow2_get_refcount_entry(block, s->refcount_order,
                                         cluster & ((1ull << s->rb_bits) - 1));
    return 0;
}

/* ---- growing the refcount table ---- */

static int write_header_u64_u32(BlockDriverState *bs, uint64_t hdr_offset,
                                uint64_t v64, uint32_t v32)
{
    uint8_t buf[12];

    stn_be_p(buf, 8, v64);
    stn_be_p(buf + 8, 4, v32);
    return qcow2_pwrite_checked(bs, QCOW2_OL_MAIN_HEADER, hdr_offset,
                                sizeof(buf), buf);
}

static uint64_t file_end_cluster(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    return (bs->file->size + s->cluster_size - 1) >> s->cluster_bits;
}

/*
 * Makes the table long enough for block index need: a new table at the
 * end of the image, followed by the blocks that count the table and
 * themselves where no block does yet; then the header points at it and
 * the old table is freed.
 */
static int grow_refcount_table(BlockDriverState *bs, uint64_t need)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t per_cluster = s->cluster_size / 8;
    uint64_t start = file_end_cluster(bs);
    uint64_t entries, table_clusters, nb_blocks = 0, end;
    g_autofree uint64_t *table = NULL;
    g_autofree uint8_t *buf = NULL;
    uint64_t old_offset = s->rt_offset, old_clusters = s->rt_clusters;
    int ret;

    /* Size the table and count the blocks until both stop changing. */
    for (;;) {
        uint64_t blocks = 0;

        end = start;
        entries = MAX(need + 1, ((start + 64) >> s->rb_bits) + 1) * 2;
        table_clusters = DIV_ROUND_UP(entries, per_cluster);
        entries = table_clusters * per_cluster;
        end = start + table_clusters + nb_blocks;
        for (uint64_t t = start >> s->rb_bits; t <= (end - 1) >> s->rb_bits;
             t++) {
            if (t >= s->rt_entries || !s->rt[t]) {
                blocks++;
            }
        }
        if (blocks == nb_blocks) {
            break;
        }
        nb_blocks = blocks;
    }

    table = g_new0(uint64_t, entries);
    memcpy(table, s->rt, s->rt_entries * sizeof(uint64_t));
    buf = g_malloc(s->cluster_size);
    {
        uint64_t next_block = start + table_clusters;

        for (uint64_t t = start >> s->rb_bits; t <= (end - 1) >> s->rb_bits;
             t++) {
            if (!table[t]) {
                table[t] = next_block++ << s->cluster_bits;
            }
        }
    }
    /* The blocks: 1 for every new cluster they cover. */
    for (uint64_t t = start >> s->rb_bits; t <= (end - 1) >> s->rb_bits; t++) {
        bool is_new = t >= s->rt_entries || !s->rt[t];
        uint64_t first = t << s->rb_bits;

        if (!is_new) {
            /* An existing block counts the new clusters in its range. */
            uint64_t lo = MAX(first, start);
            uint64_t hi = MIN(first + (1ull << s->rb_bits), end);

            ret = qcow2_update_refcount(bs, lo << s->cluster_bits, hi - lo, 1);
            if (ret < 0) {
                return ret;
            }
            continue;
        }
        memset(buf, 0, s->cluster_size);
        for (uint64_t c = MAX(first, start);
             c < MIN(first + (1ull << s->rb_bits), end); c++) {
            qcow2_set_refcount_entry(buf, s->refcount_order, c - first, 1);
        }
        ret = qcow2_pwrite_checked(bs, 0, table[t], s->cluster_size, buf);
        if (ret < 0) {
            return ret;
        }
    }
    /* The table, then the header points at it. */
    for (uint64_t i = 0; i < entries; i++) {
        stn_be_p(&table[i], 8, table[i]);
    }
    ret = qcow2_pwrite_checked(bs, 0, start << s->cluster_bits,
                               table_clusters << s->cluster_bits, table);
    if (ret == 0) {
        /* (the table and the counts are synced first: rule 1) */
        ret = write_header_u64_u32(bs, QCOW2_HDR_RT_OFFSET,
                                   start << s->cluster_bits, table_clusters);
    }
    if (ret < 0) {
        return ret;
    }
    for (uint64_t i = 0; i < entries; i++) {
        table[i] = ldn_be_p(&table[i], 8);
    }
    g_free(s->rt);
    s->rt = g_steal_pointer(&table);
    s->rt_entries = entries;
    s->rt_offset = start << s->cluster_bits;
    s->rt_clusters = table_clusters;
    qcow2_rt_changed(s);
    return qcow2_update_refcount(bs, old_offset, old_clusters, -1);
}

/* ---- counts ---- */

int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t n,
                          int delta)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = offset >> s->cluster_bits;
    int ret;

    if (delta < 0) {
        ret = qcow2_sync_references(bs);
        if (ret < 0) {
            return ret;
        }
    }
    for (uint64_t c = first; c < first + n; c++) {
        uint64_t t = c >> s->rb_bits, index = c & ((1ull << s->rb_bits) - 1);
        uint64_t value;
        uint8_t *block;

        if (t >= s->rt_entries || !s->rt[t]) {
            if (delta > 0) {
                /* The allocator places blocks first: a bug if missing. */
                return bdrv_fail(bs, EIO, "%s: no refcount block counts "
                                 "cluster %" PRIu64, bs->filename, c);
            }
            return bdrv_fail(bs, EINVAL, "%s: refcount of cluster %" PRIu64
                             " would go below zero (0 %+d)", bs->filename, c,
                             delta);
        }
        ret = qcow2_cache_get(bs, &s->rb_cache, s->rt[t], &block);
        if (ret < 0) {
            return ret;
        }
        value = qcow2_get_refcount_entry(block, s->refcount_order, index);
        if ((delta < 0 && value < (uint64_t)-delta) ||
            (delta > 0 && value + delta > s->refcount_max)) {
            return bdrv_fail(bs, EINVAL, "%s: refcount of cluster %" PRIu64
                             " would %s (%" PRIu64 " %+d)", bs->filename, c,
                             delta < 0 ? "go below zero" : "overflow",
                             value, delta);
        }
        qcow2_set_refcount_entry(block, s->refcount_order, index,
                                 value + delta);
        qcow2_cache_mark_dirty(&s->rb_cache, block);
        if (delta < 0 && value + delta == 0) {
            /* A freed table's cached copy must never be written over
             * what the cluster holds next. */
            qcow2_cache_drop(&s->l2_cache, c << s->cluster_bits);
            qcow2_cache_drop(&s->rb_cache, c << s->cluster_bits);
            s->free_cluster_hint = MIN(s->free_cluster_hint, c);
        }
    }
    if (delta > 0) {
        s->new_unsynced = true;
    }
    return 0;
}

static bool has_block(BDRVQcow2State *s, uint64_t t)
{
    return t < s->rt_entries && s->rt[t];
}

/*
 * The first run of n clusters from the hint whose counts are zero.  The
 * hint moves up to the first free cluster seen: none below it is free
 * (frees move it down again), so allocations do not rescan the image.
 */
static int64_t find_free_run(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    /* Cluster 0 holds the header, whatever a corrupt refcount says:
     * handing it out would make the header an L2 table or data. */
    uint64_t start = MAX(s->free_cluster_hint, 1), run = 0;
    bool seen_free = false;

    for (uint64_t c = start; run < n; c++) {
        uint64_t rc;
        int ret = qcow2_get_refcount(bs, c, &rc);

        if (ret < 0) {
            return ret;
        }
        if (rc) {
            run = 0;
            start = c + 1;
            if (!seen_free) {
                s->free_cluster_hint = start;
            }
        } else {
            run++;
            seen_free = true;
        }
    }
    return start;
}

/* Refcount blocks missing for clusters [first, first + n). */
static uint64_t missing_blocks(BDRVQcow2State *s, uint64_t first, uint64_t n)
{
    uint64_t missing = 0;

    for (uint64_t t = first >> s->rb_bits; t <= (first + n - 1) >> s->rb_bits;
         t++) {
        missing += !has_block(s, t);
    }
    return missing;
}

/*
 * n free clusters, and after them the refcount blocks that clusters
 * without one need (those blocks count themselves and each other).
 */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *block = NULL;
    uint64_t k = 0, last_t, next;
    int64_t start;
    int ret;

    for (;;) {
        start = find_free_run(bs, n + k);
        if (start < 0) {
            return start;
        }
        last_t = (start + n + k - 1) >> s->rb_bits;
        if (last_t >= s->rt_entries) {
            ret = grow_refcount_table(bs, last_t);
            if (ret < 0) {
                return ret;
            }
            continue;
        }
        if (missing_blocks(s, start, n + k) <= k) {
            break;
        }
        k = missing_blocks(s, start, n + k);
    }

    /* New blocks at start + n, start + n + 1, ..., in table order. */
    g_autofree uint64_t *new_t = g_new(uint64_t, k + 1);
    uint64_t nb_new = 0;

    for (uint64_t t = (uint64_t)start >> s->rb_bits; t <= last_t; t++) {
        if (!has_block(s, t)) {
            new_t[nb_new++] = t;
        }
    }
    /* New blocks that sit in the range of a block that was there are
     * counted there, before the table points at them. */
    for (uint64_t j = 0; j < nb_new; j++) {
        uint64_t pos = start + n + j;
        bool counted = false;

        for (uint64_t i = 0; i < nb_new; i++) {
            counted |= new_t[i] == pos >> s->rb_bits;
        }
        if (!counted) {
            ret = qcow2_update_refcount(bs, pos << s->cluster_bits, 1, 1);
            if (ret < 0) {
                return ret;
            }
        }
    }
    block = g_malloc(s->cluster_size);
    for (uint64_t i = 0; i < nb_new; i++) {
        uint64_t first = new_t[i] << s->rb_bits;
        uint64_t at = start + n + i;
        uint8_t be[8];

        memset(block, 0, s->cluster_size);
        for (uint64_t j = 0; j < nb_new; j++) {
            uint64_t pos = start + n + j;

            if (pos >= first && pos - first < (1ull << s->rb_bits)) {
                qcow2_set_refcount_entry(block, s->refcount_order,
                                         pos - first, 1);
            }
        }
        ret = qcow2_pwrite_checked(bs, 0, at << s->cluster_bits,
                                   s->cluster_size, block);
        if (ret == 0) {
            /* (synced before the table entry: rule 1) */
            stn_be_p(be, 8, at << s->cluster_bits);
            ret = qcow2_pwrite_checked(bs, QCOW2_OL_REFCOUNT_TABLE,
                                       s->rt_offset + new_t[i] * 8, 8, be);
        }
        if (ret < 0) {
            return ret;
        }
        s->rt[new_t[i]] = at << s->cluster_bits;
        qcow2_rt_changed(s);
    }
    next = start + n + nb_new;
    ret = qcow2_update_refcount(bs, (uint64_t)start << s->cluster_bits, n, 1);
    if (ret < 0) {
        return ret;
    }
    if ((uint64_t)start == s->free_cluster_hint) {
        s->free_cluster_hint = next;
    }
    return (uint64_t)start << s->cluster_bits;
}

/*
 * Compressed clusters are packed one after another; each host cluster
 * counts the pieces that touch it.  A piece is at most a cluster (a
 * cluster that does not shrink is stored uncompressed), so one that does
 * not fit in what is left of the current cluster starts a new one.
 */
int64_t qcow2_alloc_bytes(BlockDriverState *bs, uint64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t offset = s->free_byte_offset;
    int ret;

    g_assert(size <= s->cluster_size);
    if (offset && size <= s->cluster_size - (offset & (s->cluster_size - 1))) {
        uint64_t users;

        ret = qcow2_get_refcount(bs, offset >> s->cluster_bits, &users);
        if (ret < 0) {
            return ret;
        }
        /* A narrow count (refcount_bits=1) may not take one more user. */
        if (users == s->refcount_max) {
            offset = 0;
        }
    }
    if (offset && size <= s->cluster_size - (offset & (s->cluster_size - 1))) {
        ret = qcow2_update_refcount(bs, offset, 1, 1);
        if (ret < 0) {
            return ret;
        }
    } else {
        int64_t fresh = qcow2_alloc_clusters(bs, 1);

        if (fresh < 0) {
            return fresh;
        }
        offset = fresh;
    }
    s->free_byte_offset = offset + size;
    if (!(s->free_byte_offset & (s->cluster_size - 1))) {
        s->free_byte_offset = 0;
    }
    return offset;
}
