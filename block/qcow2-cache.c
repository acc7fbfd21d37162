/*
 * The qcow2 metadata caches (L2 tables and refcount blocks), write-back,
 * and the order in which what they hold reaches the disk.
 *
 * A table is read into a cache slot once and changed there; it is
 * written back when its slot is needed for another table, when the
 * image is flushed (a guest's flush, emu-img finishing) or closed, or
 * when one of the two rules below needs it on disk.  So a stream of
 * allocating writes costs a data write each, not a refcount write, an
 * L2 write and a sync each.
 *
 * What is on disk must stay consistent whenever emu dies or the power
 * goes: a count may be too high (a leaked cluster), never too low, and
 * no table may point at a cluster holding something else.  Writes that
 * no sync separates may reach the disk in any order, so:
 *
 *  1. Nothing points at a new cluster before its count and its contents
 *     are synced.  Raising a count or writing fresh contents (data, a
 *     new table) sets new_unsynced; a write to a table that points at
 *     clusters (header, L1, L2, refcount table; see qcow2_pwrite_checked)
 *     first writes the dirty refcount blocks and syncs the file.  This
 *     is QEMU's order (its L2 cache depends on its refcount cache, and
 *     on a flush after copy-on-write).
 *  2. A count drops only after what it counted is gone on disk.  Writes
 *     to tables that point at clusters set refs_unsynced; before any
 *     count is lowered, the dirty L2 tables are written and the file
 *     synced.  A lowered count may then reach the disk whenever, and a
 *     freed cluster may be handed out again at once: nothing on disk
 *     points at it any more.
 *
 * A table whose cluster is freed leaves its cache unwritten.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/qcow2.h"

static int write_table(BlockDriverState *bs, Qcow2Cache *c,
                       Qcow2CachedTable *t)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (!t->dirty) {
        return 0;
    }
    /* An L2 table or a refcount block may overlap only its own kind. */
    ret = qcow2_pwrite_checked(bs, c == &s->l2_cache ? QCOW2_OL_ACTIVE_L2
                                                     : QCOW2_OL_REFCOUNT_BLOCK,
                               t->offset, s->cluster_size, t->data);
    if (ret == 0) {
        t->dirty = false;
    }
    return ret;
}

void qcow2_cache_init(Qcow2Cache *c, unsigned size, uint32_t table_size)
{
    c->size = size;
    c->table_size = table_size;
    c->tables = g_new0(Qcow2CachedTable, size);
    /* One block, untouched (so not in memory) until a slot is used. */
    c->arena = g_malloc((size_t)size * table_size);
    for (unsigned i = 0; i < size; i++) {
        c->tables[i].data = c->arena + (size_t)i * table_size;
    }
    c->index = g_hash_table_new(g_int64_hash, g_int64_equal);
}

/* Makes the slot unused (not written back). */
static void forget(Qcow2Cache *c, Qcow2CachedTable *t)
{
    if (t->offset) {
        g_hash_table_remove(c->index, &t->offset);
    }
    t->offset = 0;
    t->last_use = 0;
    t->dirty = false;
}

int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                    uint8_t **table)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2CachedTable *victim = g_hash_table_lookup(c->index, &offset);
    int ret;

    if (victim) {
        victim->last_use = ++c->clock;
        *table = victim->data;
        return 0;
    }
    /* An unused slot, or the least recently used one, written back
     * first if changed. */
    victim = &c->tables[0];
    for (unsigned i = 0; i < c->size && victim->offset; i++) {
        if (c->tables[i].last_use < victim->last_use ||
            !c->tables[i].offset) {
            victim = &c->tables[i];
        }
    }
    ret = write_table(bs, c, victim);
    if (ret < 0) {
        return ret;
    }
    forget(c, victim);
    ret = bdrv_pread(bs->file, offset, s->cluster_size, victim->data);
    if (ret < 0) {
        return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
    }
    victim->offset = offset;
    victim->last_use = ++c->clock;
    g_hash_table_insert(c->index, &victim->offset, victim);
    *table = victim->data;
    return 0;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *table)
{
    Qcow2CachedTable *t = &c->tables[(table - c->arena) / c->table_size];

    g_assert(table >= c->arena && t->data == table && t->offset);
    t->dirty = true;
}

int qcow2_cache_write(BlockDriverState *bs, Qcow2Cache *c)
{
    for (unsigned i = 0; i < c->size; i++) {
        int ret = write_table(bs, c, &c->tables[i]);

        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static bool cache_is_dirty(const Qcow2Cache *c)
{
    for (unsigned i = 0; i < c->size; i++) {
        if (c->tables[i].dirty) {
            return true;
        }
    }
    return false;
}

void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset)
{
    Qcow2CachedTable *t = g_hash_table_lookup(c->index, &offset);

    if (t) {
        forget(c, t);
    }
}

void qcow2_cache_drop_all(Qcow2Cache *c)
{
    for (unsigned i = 0; i < c->size; i++) {
        forget(c, &c->tables[i]);
    }
}

void qcow2_cache_free(Qcow2Cache *c)
{
    if (c->index) {
        g_hash_table_destroy(c->index);
    }
    g_free(c->arena);
    g_free(c->tables);
    memset(c, 0, sizeof(*c));
}

/* ---- the order of writes ---- */

int qcow2_write_caches(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = qcow2_cache_write(bs, &s->l2_cache);

    return ret < 0 ? ret : qcow2_cache_write(bs, &s->rb_cache);
}

/* Syncs the image file: what was written so far is durable. */
static int sync_file(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = bdrv_flush(bs->file);

    if (ret < 0) {
        return bdrv_fail(bs, -ret, "%s", bdrv_last_error(bs->file));
    }
    s->refs_unsynced = false;
    s->new_unsynced = cache_is_dirty(&s->rb_cache);
    return 0;
}

int qcow2_flush_metadata(BlockDriverState *bs)
{
    int ret = qcow2_write_caches(bs);

    return ret < 0 ? ret : sync_file(bs);
}

int qcow2_sync_new_clusters(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (!s->new_unsynced) {
        return 0;
    }
    ret = qcow2_cache_write(bs, &s->rb_cache);
    return ret < 0 ? ret : sync_file(bs);
}

int qcow2_sync_references(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = qcow2_cache_write(bs, &s->l2_cache);

    if (ret < 0 || !s->refs_unsynced) {
        return ret;
    }
    return sync_file(bs);
}
