/*
 * Emptying a qcow2 image (after emu-img commit): every guest cluster
 * unallocated again, so reads fall through to the backing file.
 *
 * A version 3 image without snapshots whose L1 table fits beside the
 * header in one refcount block is reset to the layout "create" makes
 * (header, refcount table, refcount block, L1 table) and cut to that
 * length, as QEMU does, so the file is the one qemu-img commit leaves.
 * The dirty bit covers the moment when the counts are wrong: a crash
 * then leaves an image that check -r all repairs.
 *
 * Any other image drops its active L1 entries one at a time: the entry
 * is cleared (and flushed) before the clusters under it are counted
 * down, so a crash leaks clusters at worst.  Clusters a snapshot shares
 * stay, counted once less.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "block/qcow2.h"

static int write_header_field(BlockDriverState *bs, uint64_t offset,
                              uint64_t value, int size)
{
    uint8_t be[8];
    int ret;

    stn_be_p(be, size, value);
    ret = bdrv_pwrite(bs->file, offset, size, be);
    if (ret < 0) {
        return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
    }
    return qcow2_flush_metadata(bs);
}

static int write_zeros(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    g_autofree uint8_t *zeros = g_malloc0(bytes);
    int ret = bdrv_pwrite(bs->file, offset, bytes, zeros);

    return ret < 0 ? bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file))
                   : 0;
}

static uint64_t l1_clusters(BDRVQcow2State *s)
{
    return DIV_ROUND_UP((uint64_t)s->l1_size * 8, s->cluster_size);
}

static bool can_reset_layout(BDRVQcow2State *s)
{
    return s->version >= 3 && !s->nb_snapshots &&
           3 + l1_clusters(s) <= (1ull << s->rb_bits);
}

/* Header, refcount table, one refcount block, L1 table; nothing else. */
static int reset_layout(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->cluster_size, n = 3 + l1_clusters(s);
    g_autofree uint8_t *block = g_malloc0(cs);
    int ret;

    ret = write_header_field(bs, QCOW2_HDR_INCOMPAT,
                             s->incompat | QCOW2_INCOMPAT_DIRTY, 8);
    /* From here on the counts on disk are wrong until the end. */
    if (ret == 0) {
        ret = write_zeros(bs, s->l1_offset, (uint64_t)s->l1_size * 8);
    }
    if (ret == 0) {
        ret = write_zeros(bs, cs, 2 * cs);
    }
    if (ret == 0) {
        /* The refcount table's one entry: the block at cluster 2. */
        stn_be_p(block, 8, 2 * cs);
        ret = bdrv_pwrite(bs->file, cs, 8, block);
        ret = ret < 0 ? bdrv_fail(bs, -ret, "%s",
                                  bdrv_last_error(bs->file)) : 0;
    }
    if (ret == 0) {
        memset(block, 0, cs);
        for (uint64_t i = 0; i < n; i++) {
            qcow2_set_refcount_entry(block, s->refcount_order, i, 1);
        }
        ret = bdrv_pwrite(bs->file, 2 * cs, cs, block);
        ret = ret < 0 ? bdrv_fail(bs, -ret, "%s",
                                  bdrv_last_error(bs->file)) : 0;
    }
    if (ret == 0) {
        ret = write_zeros(bs, 3 * cs, l1_clusters(s) * cs);
    }
    if (ret == 0) {
        /* l1_table_offset, refcount_table_offset, refcount_table_clusters
         * are one run of the header. */
        uint8_t run[20];

        stn_be_p(run, 8, 3 * cs);
        stn_be_p(run + 8, 8, cs);
        stn_be_p(run + 16, 4, 1);
        ret = bdrv_pwrite(bs->file, QCOW2_HDR_L1_OFFSET, sizeof(run), run);
        ret = ret < 0 ? bdrv_fail(bs, -ret, "%s",
                                  bdrv_last_error(bs->file)) : 0;
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        ret = write_header_field(bs, QCOW2_HDR_INCOMPAT, s->incompat, 8);
    }
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return ret;
    }
    /* The in-memory state of the new layout. */
    qcow2_cache_drop_all(&s->l2_cache);
    qcow2_cache_drop_all(&s->rb_cache);
    memset(s->l1_table, 0, (size_t)s->l1_size * 8);
    s->l1_offset = 3 * cs;
    g_free(s->rt);
    s->rt_clusters = 1;
    s->rt_entries = cs / 8;
    s->rt = g_new0(uint64_t, s->rt_entries);
    s->rt[0] = 2 * cs;
    qcow2_rt_changed(s);
    s->rt_offset = cs;
    s->free_cluster_hint = 0;
    s->free_byte_offset = 0;
    return bs->file->drv->resize(bs->file, n * cs, errp) ? 0 : -EIO;
}

/* Drops the L2 table of L1 entry i and the clusters it points at. */
static int drop_l2_table(BlockDriverState *bs, uint32_t i)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l2_offset = s->l1_table[i] & QCOW2_OFFSET_MASK;
    g_autofree uint64_t *entries = g_new(uint64_t, s->l2_size);
    uint8_t *table;
    int ret;

    ret = qcow2_cache_get(bs, &s->l2_cache, l2_offset, &table);
    if (ret < 0) {
        return ret;
    }
    for (uint32_t j = 0; j < s->l2_size; j++) {
        entries[j] = ldn_be_p(table + j * 8, 8);
    }
    s->l1_table[i] = 0;
    ret = qcow2_write_l1_entry(bs, i);
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    for (uint32_t j = 0; ret == 0 && j < s->l2_size; j++) {
        ret = qcow2_free_l2_entry(bs, entries[j]);
    }
    if (ret == 0) {
        qcow2_cache_drop(&s->l2_cache, l2_offset);
        ret = qcow2_update_refcount(bs, l2_offset, 1, -1);
    }
    return ret;
}

bool qcow2_make_empty(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    /* The tables are read from the file below. */
    if (qcow2_write_caches(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    if (can_reset_layout(s)) {
        return reset_layout(bs, errp) == 0;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        if ((s->l1_table[i] & QCOW2_OFFSET_MASK) && drop_l2_table(bs, i) < 0) {
            error_setg(errp, "%s", bdrv_last_error(bs));
            return false;
        }
    }
    if (qcow2_flush_metadata(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    return true;
}
