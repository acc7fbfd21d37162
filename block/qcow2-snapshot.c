/*
 * qcow2 internal snapshots: create, apply (go to), delete and list.
 *
 * A snapshot is a copy of the active L1 table plus a table entry that
 * names it.  Taking one adds a reference to every L2 table and data
 * cluster the active L1 reaches, so the next write to any of them copies
 * it first (qcow2.c); the active tables lose their "copied" flags.
 * Applying one does the reverse: its tree gains a reference, its L1 is
 * copied over the active one, and the old active tree loses one.
 *
 * Order of updates (a crash leaves leaks at worst): counts are raised
 * before anything new points at a cluster, and lowered after nothing
 * does; the snapshot table and the header's pointer to it change in one
 * write.  No VM state is saved (emu-img has none; savevm will use the
 * area after the extra data).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "block/qcow2.h"

/* The extra data QEMU 7.2 writes: VM state size, disk size, icount. */
#define SNAPSHOT_EXTRA_SIZE 24
#define SNAPSHOT_MAX 65536

static int fail_file(BlockDriverState *bs, int ret)
{
    return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
}

void qcow2_free_snapshots(Qcow2Snapshot *sn, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        g_free(sn[i].id);
        g_free(sn[i].name);
        g_free(sn[i].extra);
    }
    g_free(sn);
}

int qcow2_read_snapshots(BlockDriverState *bs, Qcow2Snapshot **list)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Snapshot *sn = g_new0(Qcow2Snapshot, MAX(s->nb_snapshots, 1));
    uint64_t pos = s->snapshots_offset;

    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        uint8_t head[40];
        uint16_t id_len, name_len;
        int ret = bdrv_pread(bs->file, pos, sizeof(head), head);

        if (ret < 0) {
            qcow2_free_snapshots(sn, s->nb_snapshots);
            return fail_file(bs, ret);
        }
        sn[i].l1_offset = ldn_be_p(head, 8);
        sn[i].l1_size = ldn_be_p(head + 8, 4);
        id_len = ldn_be_p(head + 12, 2);
        name_len = ldn_be_p(head + 14, 2);
        sn[i].date_sec = ldn_be_p(head + 16, 4);
        sn[i].date_nsec = ldn_be_p(head + 20, 4);
        sn[i].vm_clock_nsec = ldn_be_p(head + 24, 8);
        sn[i].vm_state_size = ldn_be_p(head + 32, 4);
        sn[i].extra_size = ldn_be_p(head + 36, 4);
        sn[i].icount = UINT64_MAX;
        sn[i].disk_size = bs->size;
        if (sn[i].extra_size > 1024 ||
            (sn[i].l1_offset & (s->cluster_size - 1)) ||
            (uint64_t)sn[i].l1_size * 8 > (32u << 20)) {
            qcow2_free_snapshots(sn, s->nb_snapshots);
            return bdrv_fail(bs, EINVAL, "%s: snapshot %u has an invalid "
                             "table entry; the image is corrupt",
                             bs->filename, i);
        }
        sn[i].extra = g_malloc0(sn[i].extra_size + id_len + name_len + 1);
        ret = bdrv_pread(bs->file, pos + 40,
                         sn[i].extra_size + id_len + name_len, sn[i].extra);
        if (ret < 0) {
            qcow2_free_snapshots(sn, s->nb_snapshots);
            return fail_file(bs, ret);
        }
        if (sn[i].extra_size >= 8) {
            sn[i].vm_state_size = ldn_be_p(sn[i].extra, 8);
        }
        if (sn[i].extra_size >= 16) {
            sn[i].disk_size = ldn_be_p(sn[i].extra + 8, 8);
        }
        if (sn[i].extra_size >= 24) {
            sn[i].icount = ldn_be_p(sn[i].extra + 16, 8);
        }
        sn[i].id = g_strndup((char *)sn[i].extra + sn[i].extra_size, id_len);
        sn[i].name = g_strndup((char *)sn[i].extra + sn[i].extra_size +
                               id_len, name_len);
        pos += (40 + sn[i].extra_size + id_len + name_len + 7) & ~7ull;
    }
    s->snapshots_size = pos - s->snapshots_offset;
    qcow2_remember_snapshot_l1s(s, sn, s->nb_snapshots);
    *list = sn;
    return 0;
}

/*
 * Writes the table to new clusters, points the header at it (count and
 * offset in one write), then frees the old table.
 */
static int write_snapshot_table(BlockDriverState *bs, Qcow2Snapshot *sn,
                                uint32_t n)
{
    BDRVQcow2State *s = bs->opaque;
    g_autoptr(GByteArray) t = g_byte_array_new();
    uint64_t old_offset = s->snapshots_offset, old_size;
    int64_t offset = 0;
    uint8_t hdr[12];
    int ret;

    for (uint32_t i = 0; i < n; i++) {
        uint8_t head[40] = { 0 };
        uint8_t extra[SNAPSHOT_EXTRA_SIZE];
        static const uint8_t pad[8];
        size_t len;

        stn_be_p(head, 8, sn[i].l1_offset);
        stn_be_p(head + 8, 4, sn[i].l1_size);
        stn_be_p(head + 12, 2, strlen(sn[i].id));
        stn_be_p(head + 14, 2, strlen(sn[i].name));
        stn_be_p(head + 16, 4, sn[i].date_sec);
        stn_be_p(head + 20, 4, sn[i].date_nsec);
        stn_be_p(head + 24, 8, sn[i].vm_clock_nsec);
        stn_be_p(head + 32, 4, MIN(sn[i].vm_state_size, UINT32_MAX));
        stn_be_p(head + 36, 4, SNAPSHOT_EXTRA_SIZE);
        stn_be_p(extra, 8, sn[i].vm_state_size);
        stn_be_p(extra + 8, 8, sn[i].disk_size);
        stn_be_p(extra + 16, 8, sn[i].icount == UINT64_MAX ? 0
                                                           : sn[i].icount);
        g_byte_array_append(t, head, sizeof(head));
        g_byte_array_append(t, extra, sizeof(extra));
        g_byte_array_append(t, (uint8_t *)sn[i].id, strlen(sn[i].id));
        g_byte_array_append(t, (uint8_t *)sn[i].name, strlen(sn[i].name));
        len = sizeof(head) + sizeof(extra) + strlen(sn[i].id) +
              strlen(sn[i].name);
        g_byte_array_append(t, pad, ((len + 7) & ~7u) - len);
    }
    if (n) {
        offset = qcow2_alloc_clusters(bs, DIV_ROUND_UP(t->len,
                                                       s->cluster_size));
        if (offset < 0) {
            return offset;
        }
        ret = qcow2_flush_metadata(bs);
        if (ret == 0) {
            ret = qcow2_pwrite_checked(bs, 0, offset, t->len, t->data);
        }
        if (ret == 0) {
            ret = qcow2_flush_metadata(bs);
        }
        if (ret < 0) {
            return ret;
        }
    }
    stn_be_p(hdr, 4, n);
    stn_be_p(hdr + 4, 8, offset);
    ret = qcow2_pwrite_checked(bs, QCOW2_OL_MAIN_HEADER,
                               QCOW2_HDR_NB_SNAPSHOTS, sizeof(hdr), hdr);
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret < 0) {
        return ret;
    }
    qcow2_remember_snapshot_l1s(s, sn, n);
    old_size = s->snapshots_size;
    s->nb_snapshots = n;
    s->snapshots_offset = offset;
    s->snapshots_size = t->len;
    if (old_offset && old_size) {
        return qcow2_update_refcount(bs, old_offset,
                                     DIV_ROUND_UP(old_size, s->cluster_size),
                                     -1);
    }
    return 0;
}

/* ---- references of a whole tree ---- */

/*
 * Adds delta to every L2 table and data cluster an L1 table reaches.
 * With delta > 0 it runs before the new reference is written; with
 * delta < 0 after the old one is gone.
 */
static int update_tree_refcount(BlockDriverState *bs, const uint64_t *l1,
                                uint32_t l1_size, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *l2 = g_malloc(s->cluster_size);

    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2_offset = l1[i] & QCOW2_OFFSET_MASK;
        int ret = 0;

        if (!l2_offset) {
            continue;
        }
        ret = bdrv_pread(bs->file, l2_offset, s->cluster_size, l2);
        if (ret < 0) {
            return fail_file(bs, ret);
        }
        for (uint32_t j = 0; j < s->l2_size; j++) {
            uint64_t e = ldn_be_p(l2 + j * 8, 8);

            if (e & QCOW2_OFLAG_COMPRESSED) {
                uint64_t sectors = ((e >> s->csize_shift) & s->csize_mask) + 1;
                uint64_t host = e & s->cluster_offset_mask;
                uint64_t first = host >> s->cluster_bits;
                uint64_t last = (host + sectors * 512 - (host & 511) - 1) >>
                                s->cluster_bits;

                ret = qcow2_update_refcount(bs, first << s->cluster_bits,
                                            last - first + 1, delta);
            } else if (e & QCOW2_OFFSET_MASK) {
                ret = qcow2_update_refcount(bs, e & QCOW2_OFFSET_MASK, 1,
                                            delta);
            }
            if (ret < 0) {
                return ret;
            }
        }
        ret = qcow2_update_refcount(bs, l2_offset, 1, delta);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* The active tables' "copied" flags: set exactly where the count is 1. */
static int sync_copied_flags(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *l2 = g_malloc(s->cluster_size);

    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l2_offset = s->l1_table[i] & QCOW2_OFFSET_MASK;
        uint64_t rc, l1e;
        bool changed = false;
        int ret;

        if (!l2_offset) {
            continue;
        }
        ret = qcow2_get_refcount(bs, l2_offset >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        l1e = rc == 1 ? s->l1_table[i] | QCOW2_OFLAG_COPIED
                      : s->l1_table[i] & ~QCOW2_OFLAG_COPIED;
        if (l1e != s->l1_table[i]) {
            uint8_t be[8];

            s->l1_table[i] = l1e;
            stn_be_p(be, 8, l1e);
            ret = qcow2_pwrite_checked(bs, QCOW2_OL_ACTIVE_L1,
                                       s->l1_offset + i * 8, 8, be);
            if (ret < 0) {
                return ret;
            }
        }
        ret = bdrv_pread(bs->file, l2_offset, s->cluster_size, l2);
        if (ret < 0) {
            return fail_file(bs, ret);
        }
        for (uint32_t j = 0; j < s->l2_size; j++) {
            uint64_t e = ldn_be_p(l2 + j * 8, 8), want;

            if ((e & QCOW2_OFLAG_COMPRESSED) || !(e & QCOW2_OFFSET_MASK)) {
                continue;
            }
            ret = qcow2_get_refcount(bs, (e & QCOW2_OFFSET_MASK) >>
                                     s->cluster_bits, &rc);
            if (ret < 0) {
                return ret;
            }
            want = rc == 1 ? e | QCOW2_OFLAG_COPIED : e & ~QCOW2_OFLAG_COPIED;
            if (want != e) {
                stn_be_p(l2 + j * 8, 8, want);
                changed = true;
            }
        }
        if (changed) {
            qcow2_cache_drop(&s->l2_cache, l2_offset);
            ret = qcow2_pwrite_checked(bs, QCOW2_OL_ACTIVE_L2, l2_offset,
                                       s->cluster_size, l2);
            if (ret < 0) {
                return ret;
            }
        }
    }
    return 0;
}

/* An L1 table: a snapshot's new copy, or (ignore) the active one. */
static int write_l1(BlockDriverState *bs, int ignore, uint64_t offset,
                    const uint64_t *l1, uint32_t n, bool clear_copied)
{
    g_autofree uint64_t *be = g_new(uint64_t, MAX(n, 1));

    for (uint32_t i = 0; i < n; i++) {
        stn_be_p(&be[i], 8, clear_copied ? l1[i] & ~QCOW2_OFLAG_COPIED
                                         : l1[i]);
    }
    return n ? qcow2_pwrite_checked(bs, ignore, offset, (uint64_t)n * 8, be)
             : 0;
}

/* ---- the operations ---- */

static int find_snapshot(Qcow2Snapshot *sn, uint32_t n, const char *name,
                         bool by_id)
{
    for (uint32_t i = 0; i < n; i++) {
        if ((by_id && !strcmp(sn[i].id, name)) || !strcmp(sn[i].name, name)) {
            return i;
        }
    }
    return -1;
}

bool qcow2_snapshot_create(BlockDriverState *bs, const char *name,
                           Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Snapshot *sn = NULL, *new;
    uint64_t max_id = 0;
    gint64 now = g_get_real_time();
    int64_t l1_offset;
    int ret;

    /* The tables are read from the file below. */
    if (qcow2_write_caches(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    ret = qcow2_read_snapshots(bs, &sn);
    if (ret == 0 && s->nb_snapshots >= SNAPSHOT_MAX) {
        ret = bdrv_fail(bs, EFBIG, "Too many snapshots (at most %d)",
                        SNAPSHOT_MAX);
    }
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        qcow2_free_snapshots(sn, s->nb_snapshots);
        return false;
    }
    sn = g_renew(Qcow2Snapshot, sn, s->nb_snapshots + 1);
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        max_id = MAX(max_id, g_ascii_strtoull(sn[i].id, NULL, 10));
    }
    new = &sn[s->nb_snapshots];
    memset(new, 0, sizeof(*new));
    new->id = g_strdup_printf("%" PRIu64, max_id + 1);
    new->name = g_strdup(name);
    new->date_sec = now / G_USEC_PER_SEC;
    new->date_nsec = (now % G_USEC_PER_SEC) * 1000;
    new->disk_size = bs->size;
    new->icount = UINT64_MAX;
    new->l1_size = s->l1_size;

    /* The tree gains a reference first, then the copy of L1 exists. */
    ret = update_tree_refcount(bs, s->l1_table, s->l1_size, 1);
    l1_offset = ret < 0 ? ret : qcow2_alloc_clusters(bs, MAX(DIV_ROUND_UP(
                          (uint64_t)s->l1_size * 8, s->cluster_size), 1));
    ret = l1_offset < 0 ? (int)l1_offset : 0;
    if (ret == 0) {
        new->l1_offset = l1_offset;
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        ret = write_l1(bs, 0, l1_offset, s->l1_table, s->l1_size, true);
    }
    if (ret == 0) {
        ret = write_snapshot_table(bs, sn, s->nb_snapshots + 1);
    }
    if (ret == 0) {
        ret = sync_copied_flags(bs);
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    qcow2_free_snapshots(sn, s->nb_snapshots);
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    return true;
}

bool qcow2_snapshot_goto(BlockDriverState *bs, const char *name,
                         Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Snapshot *sn = NULL;
    g_autofree uint64_t *l1 = NULL;
    g_autofree uint64_t *old_l1 = NULL;
    uint32_t old_size = s->l1_size;
    int i, ret;

    /* The tables are read from the file below. */
    if (qcow2_write_caches(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    ret = qcow2_read_snapshots(bs, &sn);
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    i = find_snapshot(sn, s->nb_snapshots, name, true);
    if (i < 0) {
        error_setg(errp, "Failed to load snapshot: No such file or "
                   "directory");
        qcow2_free_snapshots(sn, s->nb_snapshots);
        return false;
    }
    if (sn[i].l1_size > s->l1_size ||
        DIV_ROUND_UP(sn[i].disk_size, (uint64_t)s->cluster_size <<
                     s->l2_bits) > s->l1_size) {
        error_setg(errp, "Failed to load snapshot: its L1 table (%u "
                   "entries) is larger than the image's (%u); emu-img "
                   "cannot apply it yet", sn[i].l1_size, s->l1_size);
        qcow2_free_snapshots(sn, s->nb_snapshots);
        return false;
    }
    l1 = g_new0(uint64_t, s->l1_size);
    ret = bdrv_pread(bs->file, sn[i].l1_offset, (uint64_t)sn[i].l1_size * 8,
                     l1);
    for (uint32_t j = 0; ret == 0 && j < sn[i].l1_size; j++) {
        l1[j] = ldn_be_p(&l1[j], 8) & ~QCOW2_OFLAG_COPIED;
    }
    /* Its tree gains a reference, then becomes the active one. */
    if (ret == 0) {
        ret = update_tree_refcount(bs, l1, sn[i].l1_size, 1);
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    old_l1 = g_memdup2(s->l1_table, (uint64_t)old_size * 8);
    if (ret == 0) {
        ret = write_l1(bs, QCOW2_OL_ACTIVE_L1, s->l1_offset, l1, s->l1_size,
                       false);
    }
    if (ret == 0 && sn[i].disk_size != bs->size) {
        uint8_t size[8];

        stn_be_p(size, 8, sn[i].disk_size);
        ret = qcow2_pwrite_checked(bs, QCOW2_OL_MAIN_HEADER, QCOW2_HDR_SIZE,
                                   8, size);
        bs->size = sn[i].disk_size;
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    if (ret == 0) {
        memcpy(s->l1_table, l1, (uint64_t)s->l1_size * 8);
        qcow2_cache_drop_all(&s->l2_cache);
        ret = update_tree_refcount(bs, old_l1, old_size, -1);
    }
    if (ret == 0) {
        ret = sync_copied_flags(bs);
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    qcow2_free_snapshots(sn, s->nb_snapshots);
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    return true;
}

bool qcow2_snapshot_delete(BlockDriverState *bs, const char *name,
                           Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Snapshot *sn = NULL, gone;
    g_autofree uint64_t *l1 = NULL;
    uint32_t n = s->nb_snapshots;
    int i, ret;

    /* The tables are read from the file below. */
    if (qcow2_write_caches(bs) < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    ret = qcow2_read_snapshots(bs, &sn);
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    i = find_snapshot(sn, n, name, false);
    if (i < 0) {
        error_setg(errp, "snapshot not found");
        qcow2_free_snapshots(sn, n);
        return false;
    }
    gone = sn[i];
    memmove(&sn[i], &sn[i + 1], (n - i - 1) * sizeof(*sn));
    /* The entry goes first; then what only it used is freed. */
    ret = write_snapshot_table(bs, sn, n - 1);
    l1 = g_new0(uint64_t, MAX(gone.l1_size, 1));
    if (ret == 0) {
        ret = bdrv_pread(bs->file, gone.l1_offset,
                         (uint64_t)gone.l1_size * 8, l1);
        ret = ret < 0 ? fail_file(bs, ret) : 0;
    }
    for (uint32_t j = 0; ret == 0 && j < gone.l1_size; j++) {
        l1[j] = ldn_be_p(&l1[j], 8);
    }
    if (ret == 0) {
        ret = update_tree_refcount(bs, l1, gone.l1_size, -1);
    }
    if (ret == 0) {
        ret = qcow2_update_refcount(bs, gone.l1_offset, MAX(DIV_ROUND_UP(
                                    (uint64_t)gone.l1_size * 8,
                                    s->cluster_size), 1), -1);
    }
    if (ret == 0) {
        ret = sync_copied_flags(bs);
    }
    if (ret == 0) {
        ret = qcow2_flush_metadata(bs);
    }
    g_free(gone.id);
    g_free(gone.name);
    g_free(gone.extra);
    qcow2_free_snapshots(sn, n - 1);
    if (ret < 0) {
        error_setg(errp, "%s", bdrv_last_error(bs));
        return false;
    }
    return true;
}

int qcow2_snapshot_list(BlockDriverState *bs, SnapshotInfo **list)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Snapshot *sn;
    SnapshotInfo *info;
    int ret = qcow2_read_snapshots(bs, &sn);

    if (ret < 0) {
        return ret;
    }
    info = g_new0(SnapshotInfo, MAX(s->nb_snapshots, 1));
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        info[i].id = g_strdup(sn[i].id);
        info[i].name = g_strdup(sn[i].name);
        info[i].vm_state_size = sn[i].vm_state_size;
        info[i].date_sec = sn[i].date_sec;
        info[i].date_nsec = sn[i].date_nsec;
        info[i].vm_clock_nsec = sn[i].vm_clock_nsec;
        info[i].icount = sn[i].icount;
    }
    qcow2_free_snapshots(sn, s->nb_snapshots);
    *list = info;
    return s->nb_snapshots;
}
