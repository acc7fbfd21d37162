/*
 * qcow2 "measure": how large an image would get on the host, computed as
 * qemu-img computes it so the two print the same numbers.  The fully
 * allocated size is the data plus every table it needs: the header
 * cluster, L2 tables for every guest cluster, the L1 table, and the
 * refcount table and blocks that count all of that and themselves.  The
 * required size is the same metadata plus only the clusters the input
 * holds data in (with no input: none, as preallocation=off makes it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/qcow2.h"

static uint64_t round_up(uint64_t n, uint64_t align)
{
    return DIV_ROUND_UP(n, align) * align;
}

/* Clusters of refcount blocks and table that count n clusters and
 * themselves (a fixed point: the blocks count the table and the blocks). */
static uint64_t refcount_metadata_size(uint64_t clusters,
                                       uint64_t cluster_size,
                                       uint32_t refcount_order)
{
    uint64_t per_table_cluster = cluster_size / 8;
    uint64_t per_block = cluster_size * 8 >> refcount_order;
    uint64_t table = 0, blocks = 0, n = 0, last;

    do {
        last = n;
        blocks = DIV_ROUND_UP(clusters + table + blocks, per_block);
        table = DIV_ROUND_UP(blocks, per_table_cluster);
        n = clusters + blocks + table;
    } while (n != last);
    return (blocks + table) * cluster_size;
}

/* Header, L2 tables, L1 table, refcounts and all the data clusters. */
static uint64_t fully_allocated_size(uint64_t virtual_size,
                                     uint64_t cluster_size,
                                     uint32_t refcount_order)
{
    uint64_t meta = cluster_size;
    uint64_t per_table = cluster_size / 8;
    uint64_t l2_entries = round_up(virtual_size / cluster_size, per_table);
    uint64_t l1_entries = round_up(l2_entries * 8 / cluster_size, per_table);

    meta += l2_entries * 8 + l1_entries * 8;
    meta += refcount_metadata_size((meta + virtual_size) / cluster_size,
                                   cluster_size, refcount_order);
    return meta + virtual_size;
}

/* Bytes of the clusters in which the input (its whole chain) has data. */
static bool data_clusters(BlockDriverState *in, uint64_t cluster_size,
                          uint64_t *bytes, Error **errp)
{
    uint64_t pnum;

    *bytes = 0;
    for (uint64_t offset = 0; offset < in->size; offset += pnum) {
        int ret = bdrv_block_status_above(in, offset, in->size - offset,
                                          &pnum);

        if (ret < 0) {
            error_setg(errp, "%s", bdrv_last_error(in));
            return false;
        }
        if (!(ret & BDRV_BLOCK_ZERO) &&
            (ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED)) ==
            (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED)) {
            /* Whole clusters: the rest of the last one is counted too. */
            pnum = round_up(offset + pnum, cluster_size) - offset;
            *bytes += offset % cluster_size + pnum;
        }
    }
    return true;
}

bool qcow2_measure(const BlockCreateOptions *opts, BlockDriverState *in,
                   BlockMeasureInfo *info, Error **errp)
{
    uint64_t cluster_size = opts->cluster_size ? opts->cluster_size
                            : 1u << QCOW2_DEFAULT_CLUSTER_BITS;
    uint32_t refcount_bits = opts->refcount_bits ? opts->refcount_bits : 16;
    uint64_t virtual_size, data = 0;

    if (cluster_size < (1u << QCOW2_MIN_CLUSTER_BITS) ||
        cluster_size > (1u << QCOW2_MAX_CLUSTER_BITS) ||
        (cluster_size & (cluster_size - 1))) {
        error_setg(errp, "Cluster size must be a power of two between 512 "
                   "and 2048k");
        return false;
    }
    if (refcount_bits > 64 || (refcount_bits & (refcount_bits - 1)) ||
        (opts->compat == 2 && refcount_bits != 16)) {
        error_setg(errp, opts->compat == 2
                   ? "Different refcount widths than 16 bits require "
                     "compatibility level 1.1 or above (use compat=1.1 or "
                     "greater)"
                   : "Refcount width must be a power of two and may not "
                     "exceed 64 bits");
        return false;
    }
    virtual_size = round_up(in ? in->size : opts->size, cluster_size);
    /* One L1 entry per L2 table, and an L1 table of 32 MiB at most. */
    if (DIV_ROUND_UP(virtual_size / cluster_size, cluster_size / 8) * 8 >
        (32u << 20)) {
        error_setg(errp, "The image size is too large (try using a larger "
                   "cluster size)");
        return false;
    }
    if (in && !data_clusters(in, cluster_size, &data, errp)) {
        return false;
    }
    info->fully_allocated = fully_allocated_size(virtual_size, cluster_size,
                                                 __builtin_ctz(refcount_bits));
    /* The metadata of the full image stays: qemu-img overestimates so. */
    info->required = info->fully_allocated - virtual_size + data;
    /* Persistent bitmaps: a v3 image from a qcow2 one (emu has none). */
    info->has_bitmaps = opts->compat != 2 && in && in->drv == &bdrv_qcow2;
    info->bitmaps = 0;
    return true;
}
