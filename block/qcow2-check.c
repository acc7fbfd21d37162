/*
 * qcow2 consistency check and repair (emu-img check [-r leaks|all]).
 *
 * Every host cluster is counted again from what points at it: the
 * header, the L1 tables (active and each snapshot's), the L2 tables and
 * the data clusters they map (each path from an L1 table counts once),
 * the snapshot table, the refcount table and its blocks.  A stored count
 * above that is a leak (space lost, data safe); below it, a corruption
 * (a write could overwrite data in use).  "copied" flags must say count
 * one.  Repair writes the counts found, as qemu-img does; a cluster in
 * use whose stored count is zero needs the refcount structure rebuilt,
 * which "-r leaks" refuses, as qemu-img does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "block/qcow2.h"

typedef struct CheckState {
    BlockDriverState *bs;
    BlockCheckResult *res;
    uint64_t *refs;              /* counted references per cluster */
    uint64_t nb_refs;
    uint64_t next_contiguous;    /* fragmentation: where data would follow */
    bool rebuild;
} CheckState;

/* One more reference to every cluster of [offset, offset + len). */
static void count(CheckState *cs, uint64_t offset, uint64_t len)
{
    BDRVQcow2State *s = cs->bs->opaque;
    uint64_t end = offset + len;
    uint64_t first, last;

    if (!len) {
        return;
    }
    /* The last cluster may be partly past the end of the file; more
     * than that is a reference to nothing (and a corrupt offset must
     * not size the count array), as qemu-img says. */
    if (end < offset || end >= cs->bs->file->size + s->cluster_size) {
        fprintf(stderr, "ERROR: counting reference for region exceeding "
                "the end of the file by one cluster or more: offset 0x%"
                PRIx64 " size 0x%" PRIx64 "\n", offset, len);
        cs->res->corruptions++;
        return;
    }
    first = offset >> s->cluster_bits;
    last = (offset + len - 1) >> s->cluster_bits;
    if (last >= cs->nb_refs) {
        uint64_t n = MAX(last + 1, cs->nb_refs * 2);

        cs->refs = g_renew(uint64_t, cs->refs, n);
        memset(cs->refs + cs->nb_refs, 0, (n - cs->nb_refs) * 8);
        cs->nb_refs = n;
    }
    for (uint64_t c = first; c <= last; c++) {
        cs->refs[c]++;
    }
}

static int read_be_table(BlockDriverState *bs, uint64_t offset, uint64_t n,
                         uint64_t **table)
{
    uint64_t *t = g_new(uint64_t, MAX(n, 1));
    int ret = n ? bdrv_pread(bs->file, offset, n * 8, t) : 0;

    if (ret < 0) {
        g_free(t);
        return ret;
    }
    for (uint64_t i = 0; i < n; i++) {
        t[i] = ldn_be_p(&t[i], 8);
    }
    *table = t;
    return 0;
}

/* The data clusters an L2 table maps (active says: the image's own). */
static int check_l2(CheckState *cs, uint64_t l2_offset, bool active)
{
    BDRVQcow2State *s = cs->bs->opaque;
    g_autofree uint8_t *l2 = g_malloc(s->cluster_size);
    int ret = bdrv_pread(cs->bs->file, l2_offset, s->cluster_size, l2);

    /* Fragmentation is counted within each L2 table, as qemu-img does. */
    cs->next_contiguous = 0;
    if (ret < 0) {
        fprintf(stderr, "ERROR: I/O error in check_refcounts_l2\n");
        cs->res->check_errors++;
        return ret;
    }
    for (uint32_t i = 0; i < s->l2_size; i++) {
        uint64_t e = ldn_be_p(l2 + i * 8, 8);
        uint64_t offset = e & QCOW2_OFFSET_MASK;

        if (e & QCOW2_OFLAG_COMPRESSED) {
            uint64_t sectors = ((e >> s->csize_shift) & s->csize_mask) + 1;
            uint64_t host = e & s->cluster_offset_mask;

            if (active) {
                cs->res->allocated_clusters++;
                cs->res->compressed_clusters++;
                cs->res->fragmented_clusters++;
                cs->next_contiguous = 0;
            }
            count(cs, host & ~(uint64_t)511, sectors * 512);
            continue;
        }
        if (!offset) {
            continue;                    /* unallocated or plain zero */
        }
        if (offset & (s->cluster_size - 1)) {
            fprintf(stderr, "ERROR offset=%" PRIx64 ": Cluster is not "
                    "properly aligned; L2 entry corrupted.\n", offset);
            cs->res->corruptions++;
            continue;
        }
        if (active) {
            cs->res->allocated_clusters++;
            if (cs->next_contiguous && offset != cs->next_contiguous) {
                cs->res->fragmented_clusters++;
            }
            cs->next_contiguous = offset + s->cluster_size;
        }
        count(cs, offset, s->cluster_size);
    }
    return 0;
}

static int check_l1(CheckState *cs, uint64_t l1_offset, uint32_t l1_size,
                    bool active)
{
    BDRVQcow2State *s = cs->bs->opaque;
    g_autofree uint64_t *l1 = NULL;
    int ret;

    count(cs, l1_offset, (uint64_t)l1_size * 8);
    ret = read_be_table(cs->bs, l1_offset, l1_size, &l1);
    if (ret < 0) {
        fprintf(stderr, "ERROR: I/O error in check_refcounts_l1\n");
        cs->res->check_errors++;
        return ret;
    }
    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2 = l1[i] & QCOW2_OFFSET_MASK;

        if (!l2) {
            continue;
        }
        if (l2 & (s->cluster_size - 1)) {
            fprintf(stderr, "ERROR l2_offset=%" PRIx64 ": Table is not "
                    "cluster aligned; L1 entry corrupted\n", l2);
            cs->res->corruptions++;
            continue;
        }
        count(cs, l2, s->cluster_size);
        ret = check_l2(cs, l2, active);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* Snapshot table entries: L1 offset and size, then variable parts. */
static int check_snapshots(CheckState *cs)
{
    BDRVQcow2State *s = cs->bs->opaque;
    uint64_t pos = s->snapshots_offset;

    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        uint8_t head[40];
        uint64_t l1_offset, entry;
        uint32_t l1_size, extra;
        uint16_t id_len, name_len;
        int ret = bdrv_pread(cs->bs->file, pos, sizeof(head), head);

        if (ret < 0) {
            cs->res->check_errors++;
            return ret;
        }
        l1_offset = ldn_be_p(head, 8);
        l1_size = ldn_be_p(head + 8, 4);
        id_len = ldn_be_p(head + 12, 2);
        name_len = ldn_be_p(head + 14, 2);
        extra = ldn_be_p(head + 36, 4);
        entry = 40 + extra + id_len + name_len;
        if (pos + entry > cs->bs->file->size) {
            /* Past the end of the file it reads as zeros: not a table. */
            fprintf(stderr, "ERROR snapshot table entry %u is incomplete\n",
                    i);
            cs->res->corruptions++;
        }
        pos += (entry + 7) & ~7ull;
        ret = check_l1(cs, l1_offset, l1_size, false);
        if (ret < 0) {
            return ret;
        }
    }
    count(cs, s->snapshots_offset, pos - s->snapshots_offset);
    return 0;
}

/* Stored against counted; repairs what fix allows. */
static int compare_refcounts(CheckState *cs, int fix, uint64_t *highest)
{
    BlockDriverState *bs = cs->bs;
    BDRVQcow2State *s = bs->opaque;
    BlockCheckResult *res = cs->res;
    uint64_t file_clusters = DIV_ROUND_UP(bs->file->size, s->cluster_size);
    uint64_t n = MAX(file_clusters, cs->nb_refs);

    *highest = 0;
    for (uint64_t c = 0; c < n; c++) {
        uint64_t stored, counted = c < cs->nb_refs ? cs->refs[c] : 0;
        int *fixed = NULL;
        int ret = qcow2_get_refcount(bs, c, &stored);

        if (ret < 0) {
            fprintf(stderr, "Can't get refcount for cluster %" PRIu64 ": %s\n",
                    c, bdrv_last_error(bs));
            res->check_errors++;
            continue;
        }
        /* Leaked clusters still take room in the file, as qemu-img
         * counts the end. */
        if (counted || stored) {
            *highest = c;
        }
        if (stored == counted) {
            continue;
        }
        if (stored == 0 && !(fix & BDRV_FIX_ERRORS)) {
            cs->rebuild = true;
        } else if (stored > counted && (fix & BDRV_FIX_LEAKS)) {
            fixed = &res->leaks_fixed;
        } else if (stored < counted && (fix & BDRV_FIX_ERRORS)) {
            fixed = &res->corruptions_fixed;
        }
        fprintf(stderr, "%s cluster %" PRIu64 " refcount=%" PRIu64
                " reference=%" PRIu64 "\n", fixed ? "Repairing"
                : stored < counted ? "ERROR" : "Leaked", c, stored, counted);
        if (fixed) {
            ret = qcow2_update_refcount(bs, c << s->cluster_bits, 1,
                                        counted > stored
                                        ? (int)(counted - stored)
                                        : -(int)(stored - counted));
            if (ret == 0) {
                (*fixed)++;
                continue;
            }
            fprintf(stderr, "ERROR could not fix cluster %" PRIu64 ": %s\n",
                    c, bdrv_last_error(bs));
        }
        if (stored < counted) {
            res->corruptions++;
        } else {
            res->leaks++;
        }
    }
    return 0;
}

/* "copied" flags of the active tables: set exactly where the count is 1. */
static int check_oflag_copied(CheckState *cs, int fix)
{
    BlockDriverState *bs = cs->bs;
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *l2 = g_malloc(s->cluster_size);
    bool repair = fix & BDRV_FIX_ERRORS;

    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l1e = s->l1_table[i], l2_offset = l1e & QCOW2_OFFSET_MASK;
        uint64_t rc;
        bool l2_dirty = false;
        int ret;

        if (!l2_offset || (l2_offset & (s->cluster_size - 1))) {
            continue;
        }
        ret = qcow2_get_refcount(bs, l2_offset >> s->cluster_bits, &rc);
        if (ret < 0) {
            continue;
        }
        if ((rc == 1) != !!(l1e & QCOW2_OFLAG_COPIED)) {
            fprintf(stderr, "%s OFLAG_COPIED L2 cluster: l1_index=%u "
                    "l1_entry=%" PRIx64 " refcount=%" PRIu64 "\n",
                    repair ? "Repairing" : "ERROR", i, l1e, rc);
            if (repair) {
                uint8_t be[8];

                s->l1_table[i] = rc == 1 ? l1e | QCOW2_OFLAG_COPIED
                                         : l1e & ~QCOW2_OFLAG_COPIED;
                stn_be_p(be, 8, s->l1_table[i]);
                if (bdrv_pwrite(bs->file, s->l1_offset + i * 8, 8, be) < 0) {
                    cs->res->check_errors++;
                } else {
                    cs->res->corruptions_fixed++;
                }
            } else {
                cs->res->corruptions++;
            }
        }
        if (bdrv_pread(bs->file, l2_offset, s->cluster_size, l2) < 0) {
            cs->res->check_errors++;
            continue;
        }
        for (uint32_t j = 0; j < s->l2_size; j++) {
            uint64_t e = ldn_be_p(l2 + j * 8, 8);
            uint64_t data = e & QCOW2_OFFSET_MASK;

            if ((e & QCOW2_OFLAG_COMPRESSED) || !data ||
                (data & (s->cluster_size - 1))) {
                continue;
            }
            if (qcow2_get_refcount(bs, data >> s->cluster_bits, &rc) < 0) {
                continue;
            }
            if ((rc == 1) != !!(e & QCOW2_OFLAG_COPIED)) {
                fprintf(stderr, "%s OFLAG_COPIED data cluster: l2_entry=%"
                        PRIx64 " refcount=%" PRIu64 "\n",
                        repair ? "Repairing" : "ERROR", e, rc);
                if (repair) {
                    stn_be_p(l2 + j * 8, 8, rc == 1 ? e | QCOW2_OFLAG_COPIED
                                                    : e & ~QCOW2_OFLAG_COPIED);
                    l2_dirty = true;
                    cs->res->corruptions_fixed++;
                } else {
                    cs->res->corruptions++;
                }
            }
        }
        if (l2_dirty) {
            qcow2_cache_drop(&s->l2_cache, l2_offset);
            if (bdrv_pwrite(bs->file, l2_offset, s->cluster_size, l2) < 0) {
                cs->res->check_errors++;
            }
        }
    }
    return 0;
}

/*
 * A repaired image is consistent again: the dirty and corrupt bits go
 * (after the repairs are on disk), as QEMU clears them after a repair.
 */
static int mark_clean(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t clean = s->incompat & ~(QCOW2_INCOMPAT_DIRTY |
                                     QCOW2_INCOMPAT_CORRUPT);
    uint8_t be[8];
    int ret;

    if (clean == s->incompat || s->version < 3) {
        return 0;
    }
    ret = qcow2_flush_metadata(bs);
    if (ret == 0) {
        stn_be_p(be, 8, clean);
        ret = bdrv_pwrite(bs->file, QCOW2_HDR_INCOMPAT, 8, be);
        ret = ret < 0 ? bdrv_fail(bs, -ret, "%s",
                                  bdrv_last_error(bs->file)) : 0;
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        s->incompat = clean;
        s->corrupt_signalled = false;
    }
    return ret;
}

int qcow2_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    BDRVQcow2State *s = bs->opaque;
    CheckState cs = { .bs = bs, .res = res };
    uint64_t highest = 0;
    int ret;

    memset(res, 0, sizeof(*res));
    /* The tables are read from the file below. */
    ret = qcow2_write_caches(bs);
    if (ret < 0) {
        return ret;
    }
    res->total_clusters = DIV_ROUND_UP(bs->size, s->cluster_size);
    count(&cs, 0, s->cluster_size);                      /* header */
    ret = check_l1(&cs, s->l1_offset, s->l1_size, true);
    if (ret == 0) {
        ret = check_snapshots(&cs);
    }
    if (ret == 0) {
        count(&cs, s->rt_offset, (uint64_t)s->rt_clusters << s->cluster_bits);
        for (uint32_t i = 0; i < s->rt_entries; i++) {
            if (!s->rt[i]) {
                continue;
            }
            if ((s->rt[i] >> s->cluster_bits) >=
                DIV_ROUND_UP(bs->file->size, s->cluster_size)) {
                fprintf(stderr, "ERROR refcount block %u is outside image\n",
                        i);
                res->corruptions++;
                continue;
            }
            count(&cs, s->rt[i], s->cluster_size);
        }
        BlockCheckResult counted = *res;

        /* Report first; repair in a second pass, as qemu-img does. */
        compare_refcounts(&cs, 0, &highest);
        if (fix && cs.rebuild && !(fix & BDRV_FIX_ERRORS)) {
            fprintf(stderr, "ERROR need to rebuild refcount structures\n");
            res->check_errors++;
            ret = -EIO;
        } else {
            if (fix && (res->leaks || res->corruptions)) {
                *res = counted;
                compare_refcounts(&cs, fix, &highest);
            }
            check_oflag_copied(&cs, fix);
        }
    }
    res->image_end_offset = (highest + 1) << s->cluster_bits;
    g_free(cs.refs);
    if (fix && ret == 0 && !res->check_errors && !res->corruptions) {
        ret = mark_clean(bs);
    }
    if (fix && ret == 0) {
        qcow2_flush_metadata(bs);
    }
    return ret;
}
