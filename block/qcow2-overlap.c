/*
 * qcow2 metadata overlap checks: a hostile or damaged image can point a
 * data cluster, an L2 table or a refcount block at the header, a table
 * or another structure, and a zero refcount can make the allocator hand
 * out a cluster metadata already uses.  Writing there would destroy the
 * image, so every write the driver makes to its file first checks that
 * the bytes belong to no metadata except the kind being written.  An
 * overlap marks the image corrupt (incompatible feature bit 1, as QEMU
 * does, so neither emu nor QEMU opens it for writing again until
 * "check -r all" repairs it), prints QEMU's message, and fails every
 * later request of this node.
 *
 * QEMU's default set of checks ("cached") is what is checked here:
 * header, active L1 and L2 tables, refcount table and blocks, snapshot
 * table and the snapshots' L1 tables (not their L2 tables).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "block/qcow2.h"

/* QEMU's names, in the order it reports the first overlap found. */
static const char *const overlap_names[] = {
    "QCOW2 header",
    "active L1 table",
    "active L2 table",
    "refcount table",
    "refcount block",
    "snapshot table",
    "inactive L1 table",
};

static bool overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
    return a_len && b_len && a < b + b_len && b < a + a_len;
}

/* QCOW2_OL_* bits of the metadata [offset, offset + bytes) touches. */
static int overlapping_metadata(BDRVQcow2State *s, int ignore,
                                uint64_t offset, uint64_t bytes)
{
    int found = 0;
    int check = ~ignore;

    if ((check & QCOW2_OL_MAIN_HEADER) &&
        overlaps(offset, bytes, 0, s->cluster_size)) {
        found |= QCOW2_OL_MAIN_HEADER;
    }
    if ((check & QCOW2_OL_ACTIVE_L1) &&
        overlaps(offset, bytes, s->l1_offset, (uint64_t)s->l1_size * 8)) {
        found |= QCOW2_OL_ACTIVE_L1;
    }
    if (check & QCOW2_OL_ACTIVE_L2) {
        for (uint32_t i = 0; i < s->l1_size; i++) {
            uint64_t l2 = s->l1_table[i] & QCOW2_OFFSET_MASK;

            if (l2 && overlaps(offset, bytes, l2, s->cluster_size)) {
                found |= QCOW2_OL_ACTIVE_L2;
                break;
            }
        }
    }
    if ((check & QCOW2_OL_REFCOUNT_TABLE) &&
        overlaps(offset, bytes, s->rt_offset,
                 (uint64_t)s->rt_clusters << s->cluster_bits)) {
        found |= QCOW2_OL_REFCOUNT_TABLE;
    }
    if (check & QCOW2_OL_REFCOUNT_BLOCK) {
        for (uint32_t i = 0; i < s->rt_used; i++) {
            uint64_t rb = s->rt[i] & QCOW2_OFFSET_MASK;

            if (rb && overlaps(offset, bytes, rb, s->cluster_size)) {
                found |= QCOW2_OL_REFCOUNT_BLOCK;
                break;
            }
        }
    }
    if ((check & QCOW2_OL_SNAPSHOT_TABLE) && s->nb_snapshots &&
        overlaps(offset, bytes, s->snapshots_offset, s->snapshots_size)) {
        found |= QCOW2_OL_SNAPSHOT_TABLE;
    }
    if (check & QCOW2_OL_INACTIVE_L1) {
        for (uint32_t i = 0; i < s->nb_inactive_l1; i++) {
            if (overlaps(offset, bytes, s->inactive_l1[i].offset,
                         s->inactive_l1[i].bytes)) {
                found |= QCOW2_OL_INACTIVE_L1;
                break;
            }
        }
    }
    return found;
}

/* The refcount table has room for far more blocks than an image uses
 * (8192 for 64 KiB clusters): the checks before every write scan only
 * up to the last block, as QEMU's max_refcount_table_index does. */
void qcow2_rt_changed(BDRVQcow2State *s)
{
    s->rt_used = s->rt_entries;
    while (s->rt_used && !(s->rt[s->rt_used - 1] & QCOW2_OFFSET_MASK)) {
        s->rt_used--;
    }
}

void qcow2_remember_snapshot_l1s(BDRVQcow2State *s, const Qcow2Snapshot *sn,
                                 uint32_t n)
{
    g_free(s->inactive_l1);
    s->inactive_l1 = g_new(Qcow2Extent, MAX(n, 1));
    for (uint32_t i = 0; i < n; i++) {
        s->inactive_l1[i].offset = sn[i].l1_offset;
        s->inactive_l1[i].bytes = (uint64_t)sn[i].l1_size * 8;
    }
    s->nb_inactive_l1 = n;
}

int qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree char *what = NULL;
    va_list ap;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!s->corrupt_signalled) {
        /* QEMU prints this on stderr itself, without a program name. */
        fprintf(stderr, "qcow2: Marking image as corrupt: %s; further "
                "corruption events will be suppressed\n", what);
        s->corrupt_signalled = true;
        s->incompat |= QCOW2_INCOMPAT_CORRUPT;
        if (s->version >= 3) {
            uint8_t be[8];

            /* Best effort: the request fails whether or not this lands. */
            stn_be_p(be, 8, s->incompat);
            if (bdrv_pwrite(bs->file, QCOW2_HDR_INCOMPAT, 8, be) == 0) {
                bdrv_flush(bs->file);
            }
        }
    }
    return bdrv_fail(bs, EIO, "%s: %s; the image is marked corrupt",
                     bs->filename, what);
}

int qcow2_refuse_if_corrupt(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    if (!s->corrupt_signalled) {
        return 0;
    }
    return bdrv_fail(bs, EIO, "%s: the image was marked corrupt; repair it "
                     "with: emu-img check -r all %s", bs->filename,
                     bs->filename);
}

int qcow2_pwrite_checked(BlockDriverState *bs, int ignore, uint64_t offset,
                         uint64_t bytes, const void *buf)
{
    BDRVQcow2State *s = bs->opaque;
    int found, ret;

    ret = qcow2_refuse_if_corrupt(bs);
    if (ret < 0) {
        return ret;
    }
    found = overlapping_metadata(s, ignore, offset, bytes);
    if (found) {
        return qcow2_signal_corruption(bs, "Preventing invalid write on "
                                       "metadata (overlaps with %s)",
                                       overlap_names[__builtin_ctz(found)]);
    }
    if (ignore & QCOW2_OL_REFERENCES) {
        ret = qcow2_sync_new_clusters(bs);
        if (ret < 0) {
            return ret;
        }
    }
    ret = buf ? bdrv_pwrite(bs->file, offset, bytes, buf)
              : bdrv_pwrite_zeroes(bs->file, offset, bytes, 0);
    if (ret < 0) {
        return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
    }
    if (ignore & QCOW2_OL_REFERENCES) {
        s->refs_unsynced = true;
    } else if (!ignore) {
        s->new_unsynced = true;
    }
    return 0;
}
