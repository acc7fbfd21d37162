/*
 * Resizing a qcow2 image (emu-img resize).
 *
 * Growing may need a longer L1 table: it is written to new clusters,
 * then the header points at it (size and offset in one write), then the
 * old one is freed.  Shrinking drops the mappings past the new end
 * (their clusters freed after the tables no longer point at them) and
 * keeps the L1 table's length.  The virtual size in the header changes
 * last.
 *
 * With internal snapshots (version 3: each snapshot records its own
 * size), as in QEMU: a count is per L1 table, so dropping the active
 * view's mappings lowers each cluster's count by one and the snapshots
 * keep theirs; an L2 table shared with a snapshot is copied before
 * entries of it are cleared, and one dropped whole only loses the
 * active L1's reference.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "block/qcow2.h"

static int fail_file(BlockDriverState *bs, int ret)
{
    return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
}

static int grow_l1(BlockDriverState *bs, uint32_t new_size)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint64_t *be = g_new0(uint64_t, new_size);
    uint64_t old_offset = s->l1_offset, old_size = s->l1_size;
    int64_t offset;
    uint8_t hdr[12];
    int ret;

    offset = qcow2_alloc_clusters(bs, DIV_ROUND_UP((uint64_t)new_size * 8,
                                                   s->cluster_size));
    if (offset < 0) {
        return offset;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        stn_be_p(&be[i], 8, s->l1_table[i]);
    }
    ret = qcow2_flush_metadata(bs);
    if (ret == 0) {
        ret = qcow2_pwrite_checked(bs, 0, offset, (uint64_t)new_size * 8, be);
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        stn_be_p(hdr, 4, new_size);
        stn_be_p(hdr + 4, 8, offset);
        ret = qcow2_pwrite_checked(bs, QCOW2_OL_MAIN_HEADER,
                                   QCOW2_HDR_L1_SIZE, sizeof(hdr), hdr);
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret < 0) {
        return ret;
    }
    s->l1_table = g_renew(uint64_t, s->l1_table, new_size);
    memset(s->l1_table + s->l1_size, 0,
           (uint64_t)(new_size - s->l1_size) * 8);
    s->l1_size = new_size;
    s->l1_offset = offset;
    return qcow2_update_refcount(bs, old_offset,
                                 MAX(DIV_ROUND_UP(old_size * 8,
                                                  s->cluster_size), 1), -1);
}

/* Unmaps the guest clusters from new_size on, then frees them. */
static int drop_tail(BlockDriverState *bs, uint64_t new_size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = DIV_ROUND_UP(new_size, s->cluster_size);
    g_autofree uint8_t *l2 = g_malloc(s->cluster_size);

    for (uint32_t i = first >> s->l2_bits; i < s->l1_size; i++) {
        uint64_t l2_offset = s->l1_table[i] & QCOW2_OFFSET_MASK;
        uint32_t from = i == first >> s->l2_bits ? first & (s->l2_size - 1)
                                                 : 0;
        GArray *gone = g_array_new(false, false, sizeof(uint64_t));
        uint8_t be[8];
        int ret;

        if (!l2_offset) {
            g_array_free(gone, true);
            continue;
        }
        if (from && !(s->l1_table[i] & QCOW2_OFLAG_COPIED)) {
            /* A snapshot's table too: change a copy of it. */
            ret = qcow2_get_writable_l2(bs, i, &l2_offset);
            if (ret == 0) {
                ret = qcow2_write_caches(bs);
            }
            if (ret < 0) {
                g_array_free(gone, true);
                return ret;
            }
        }
        ret = bdrv_pread(bs->file, l2_offset, s->cluster_size, l2);
        ret = ret < 0 ? fail_file(bs, ret) : 0;
        for (uint32_t j = from; ret == 0 && j < s->l2_size; j++) {
            uint64_t e = ldn_be_p(l2 + j * 8, 8);

            if (e) {
                g_array_append_val(gone, e);
                stn_be_p(l2 + j * 8, 8, 0);
            }
        }
        if (ret == 0 && from == 0) {
            /* The whole table goes: unlink it from L1 first. */
            s->l1_table[i] = 0;
            stn_be_p(be, 8, 0);
            ret = qcow2_pwrite_checked(bs, QCOW2_OL_ACTIVE_L1,
                                       s->l1_offset + i * 8, 8, be);
        } else if (ret == 0 && gone->len) {
            ret = qcow2_pwrite_checked(bs, QCOW2_OL_ACTIVE_L2, l2_offset,
                                       s->cluster_size, l2);
        }
        qcow2_cache_drop(&s->l2_cache, l2_offset);
        if (ret == 0) {
            ret = qcow2_flush_metadata(bs);
        }
        for (guint k = 0; ret == 0 && k < gone->len; k++) {
            ret = qcow2_free_l2_entry(bs, g_array_index(gone, uint64_t, k));
        }
        if (ret == 0 && from == 0) {
            ret = qcow2_update_refcount(bs, l2_offset, 1, -1);
        }
        g_array_free(gone, true);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

bool qcow2_resize(BlockDriverState *bs, uint64_t size, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t need = DIV_ROUND_UP(size, (uint64_t)s->cluster_size << s->l2_bits);
    uint8_t be[8];
    int ret = 0;

    /* The tables are read from the file below. */
    if (qcow2_write_caches(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    if (size % 512) {
        error_setg(errp, "The new size must be a multiple of 512");
        return false;
    }
    if (need > (32u << 20) / 8) {
        error_setg(errp, "The new size is too large for this cluster size");
        return false;
    }
    if (s->nb_snapshots && s->version < 3) {
        error_setg(errp, "Can't resize a v2 image which has snapshots");
        return false;
    }
    if (need > s->l1_size) {
        ret = grow_l1(bs, need);
    } else if (size < bs->size) {
        ret = drop_tail(bs, size);
    }
    if (ret == 0) {
        stn_be_p(be, 8, size);
        ret = qcow2_pwrite_checked(bs, QCOW2_OL_MAIN_HEADER, QCOW2_HDR_SIZE,
                                   8, be);
        if (ret == 0) {
            ret = qcow2_flush_metadata(bs);
        }
    }
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    bs->size = size;
    return true;
}
