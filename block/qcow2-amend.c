/*
 * qemu-img amend of a qcow2 image: the compatibility level (an upgrade
 * adds version 3's header fields; a downgrade first makes zero clusters
 * plain, as version 2 has none), lazy refcounts, and the virtual size.
 * The header is written last, once, so an amend that fails part way
 * leaves the image as it was but for expanded zero clusters (which read
 * the same).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/qcow2.h"

bool qcow2_amend(BlockDriverState *bs, const BlockAmendOptions *o,
                 Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint32_t version = o->compat ? (uint32_t)o->compat : s->version;
    bool lazy = o->lazy_refcounts >= 0 ? o->lazy_refcounts
                                       : !!(s->compat &
                                            QCOW2_COMPAT_LAZY_REFCOUNTS);
    int ret;

    if (version == 2 && o->refcount_bits && o->refcount_bits != 16) {
        error_setg(errp, "Refcount widths other than 16 bits require "
                   "compatibility level 1.1 or above (use compat=1.1 or "
                   "greater)");
        return false;
    }
    if (o->refcount_bits && (uint32_t)o->refcount_bits != s->refcount_bits) {
        error_setg(errp, "Changing the refcount width of an image is not "
                   "supported by emu-img");
        error_append_hint(errp, "Convert the image with -o refcount_bits=%d "
                          "instead.\n", o->refcount_bits);
        return false;
    }
    if (version == 2 && lazy) {
        if (o->lazy_refcounts == 1) {
            error_setg(errp, "Lazy refcounts only supported with "
                       "compatibility level 1.1 and above (use compat=1.1 "
                       "or greater)");
            return false;
        }
        lazy = false;            /* a downgrade turns them off, as QEMU */
    }
    if (version == 2 && s->version == 3) {
        if (s->refcount_bits != 16) {
            error_setg(errp, "compat=0.10 requires refcount_bits=16");
            return false;
        }
        if (s->nb_snapshots) {
            error_setg(errp, "Cannot downgrade an image with internal "
                       "snapshots to compat=0.10 (their zero clusters would "
                       "need expanding)");
            error_append_hint(errp, "Delete the snapshots first, or convert "
                              "the image with -o compat=0.10.\n");
            return false;
        }
        ret = qcow2_expand_zero_clusters(bs);
        if (ret < 0) {
            error_setg(errp, "Could not expand the zero clusters: %s",
                       bdrv_last_error(bs));
            return false;
        }
    }
    if (o->size && o->size != bs->size && !bs->drv->resize(bs, o->size,
                                                          errp)) {
        return false;
    }
    if (version == s->version &&
        lazy == !!(s->compat & QCOW2_COMPAT_LAZY_REFCOUNTS)) {
        return true;
    }
    return qcow2_rewrite_header(bs, version,
                                (s->compat & ~QCOW2_COMPAT_LAZY_REFCOUNTS) |
                                (lazy ? QCOW2_COMPAT_LAZY_REFCOUNTS : 0),
                                bs->backing_file, bs->backing_format, errp);
}
