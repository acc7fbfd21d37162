/*
 * emu-img rebase: give an image another backing file.
 *
 * Safe mode (the default) keeps what the guest reads: wherever the image
 * itself holds nothing, the old backing chain's data is copied into the
 * image where it differs from the new backing file's, before the header
 * names the new one.  Unsafe mode (-u) only rewrites the name, for a
 * backing file that was moved or renamed.  -b "" removes the backing
 * file (safe mode first copies everything the image read from it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "tools/emu-img.h"

#define CHUNK (2u << 20)
#define SECTOR 512

static bool read_or_zero(BlockDriverState *bs, uint64_t offset,
                         uint64_t bytes, uint8_t *buf)
{
    uint64_t avail = bs && offset < bs->size ? MIN(bytes, bs->size - offset)
                                             : 0;

    memset(buf + avail, 0, bytes - avail);
    if (avail && bdrv_pread(bs, offset, avail, buf) < 0) {
        img_error("error while reading from %s: %s", bs->filename,
                  bdrv_last_error(bs));
        return false;
    }
    return true;
}

/* Writes the sectors of [offset, offset + bytes) where old and new
 * differ, as old has them. */
static bool copy_differences(BlockDriverState *bs, uint64_t offset,
                             uint64_t bytes, const uint8_t *old,
                             const uint8_t *new)
{
    uint64_t pos = 0;

    while (pos < bytes) {
        uint64_t len = MIN(SECTOR, bytes - pos);
        uint64_t start = pos;

        if (!memcmp(old + pos, new + pos, len)) {
            pos += len;
            continue;
        }
        while (pos < bytes &&
               memcmp(old + pos, new + pos, MIN(SECTOR, bytes - pos))) {
            pos += MIN(SECTOR, bytes - pos);
        }
        if (bdrv_pwrite(bs, offset + start, pos - start, old + start) < 0) {
            img_error("error while writing to %s: %s", bs->filename,
                      bdrv_last_error(bs));
            return false;
        }
    }
    return true;
}

/* Safe mode's copy: what reads differently with the new backing file. */
static bool copy_from_old_backing(BlockDriverState *bs,
                                  BlockDriverState *new_backing, bool show)
{
    g_autofree uint8_t *old = g_malloc(CHUNK);
    g_autofree uint8_t *new = g_malloc(CHUNK);
    uint64_t offset = 0;

    img_progress(show, 0);
    while (offset < bs->size) {
        uint64_t n, map;
        int status = bdrv_block_status(bs, offset,
                                       MIN(CHUNK, bs->size - offset), &n,
                                       &map);

        if (status < 0) {
            img_error("error while reading image metadata: %s",
                      bdrv_last_error(bs));
            return false;
        }
        if (!(status & BDRV_BLOCK_ALLOCATED) &&
            (!read_or_zero(bs->backing, offset, n, old) ||
             !read_or_zero(new_backing, offset, n, new) ||
             !copy_differences(bs, offset, n, old, new))) {
            return false;
        }
        offset += n;
        img_progress(show, 100.0 * offset / bs->size);
    }
    if (bdrv_flush(bs) < 0) {
        img_error("error while flushing: %s", bdrv_last_error(bs));
        return false;
    }
    return true;
}

int img_rebase(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *backing = NULL, *backing_fmt = NULL;
    bool unsafe = false, quiet = false, show = false;
    int cache_flags = 0, src_flags = 0, c, ret = 1;
    BlockDriverState *bs = NULL, *new_backing = NULL;
    Error *err = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:F:b:upt:T:qU", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'F':
            backing_fmt = optarg;
            break;
        case 'b':
            backing = optarg;
            break;
        case 'u':
            unsafe = true;
            break;
        case 'p':
            show = true;
            break;
        case 't':
            if (!img_parse_cache(optarg, &cache_flags)) {
                return 1;
            }
            break;
        case 'T':
            if (!img_parse_cache(optarg, &src_flags)) {
                return 1;
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'U':
            break;
        case 'h':
            printf("emu-img rebase [-f fmt] [-t cache] [-T src_cache] [-p] "
                   "[-q] [-u] -b backing_file [-F backing_fmt] filename\n");
            return 0;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    show = show && !quiet;
    if (optind != argc - 1) {
        img_usage_error("Expecting one image file name");
        return 1;
    }
    if (!backing && !unsafe) {
        img_usage_error("Must specify backing file (-b) or use unsafe mode (-u)");
        return 1;
    }
    if (backing && !backing[0]) {
        backing = NULL;
    }
    /* qemu-img finds this out only after copying; nothing is lost by
     * saying it first. */
    if (backing && !backing_fmt) {
        img_error("Could not change the backing file to '%s': backing "
                  "format must be specified", backing);
        return 1;
    }
    bs = img_open(argv[optind], fmt, BDRV_O_RDWR | cache_flags |
                  (unsafe ? BDRV_O_NO_BACKING : 0));
    if (!bs) {
        return 1;
    }
    if (!bs->drv->change_backing_file) {
        img_error("Could not change the backing file to '%s': %s",
                  backing ? backing : "", g_strerror(ENOTSUP));
        goto out;
    }
    if (!unsafe) {
        if (backing) {
            g_autofree char *path = bdrv_backing_path(bs->filename, backing);

            new_backing = bdrv_open(path, backing_fmt, src_flags, &err);
            if (!new_backing) {
                img_error("Could not open new backing file '%s': %s",
                          backing, error_get_pretty(err));
                error_free(err);
                goto out;
            }
        }
        if (!copy_from_old_backing(bs, new_backing, show)) {
            goto out;
        }
    }
    if (!bs->drv->change_backing_file(bs, backing, backing_fmt, &err)) {
        img_error("Could not change the backing file to '%s': %s",
                  backing ? backing : "", error_get_pretty(err));
        error_free(err);
        goto out;
    }
    if (show) {
        printf("\n");
    }
    ret = 0;
out:
    bdrv_unref(new_backing);
    bdrv_unref(bs);
    return ret;
}
