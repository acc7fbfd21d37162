/*
 * emu-img commit: write what an overlay holds into its backing file
 * (or, with -b, into an image further down its backing chain), then
 * empty the overlay so that it reads through to what it gave away.
 *
 * The chain is opened by hand: the base read-write, the images above it
 * read-only, and the top one read-write only when it is to be emptied
 * (-d keeps it; -b implies -d, as with qemu-img).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include <sys/stat.h>
#include "tools/emu-img.h"

/* Is path the image that backing of bs names?  Compared as files. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Opens the backing chain under top down to base (NULL: the backing
 * file); returns the base node, opened read-write.
 */
static BlockDriverState *open_chain_to_base(BlockDriverState *top,
                                            const char *base, int flags)
{
    BlockDriverState *bs = top;

    for (;;) {
        g_autofree char *path = NULL;
        bool is_base;

        if (!bs->backing_file) {
            if (base) {
                img_error("Did not find '%s' in the backing chain of '%s'",
                          base, top->filename);
            } else {
                img_error("Image does not have a backing file");
            }
            return NULL;
        }
        path = bdrv_backing_path(bs->filename, bs->backing_file);
        /* -b names the base as the chain does (relative to the image
         * naming it) or as a path from here. */
        if (base) {
            g_autofree char *from_image = bdrv_backing_path(bs->filename,
                                                            base);

            is_base = same_file(path, base) || same_file(path, from_image);
        } else {
            is_base = true;
        }
        bs->backing = img_open(path, bs->backing_format,
                               is_base ? BDRV_O_RDWR | flags
                                       : BDRV_O_NO_BACKING);
        if (!bs->backing) {
            return NULL;
        }
        if (is_base) {
            return bs->backing;
        }
        bs = bs->backing;
    }
}

static void commit_progress(void *opaque, double percent)
{
    img_progress(*(bool *)opaque, percent);
}

int img_commit(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *base_name = NULL;
    bool keep = false, quiet = false, show = false;
    int cache_flags = 0, c, ret = 1;
    BlockDriverState *top, *base;
    Error *err = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:t:b:dpqr:", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 't':
            if (!img_parse_cache(optarg, &cache_flags)) {
                return 1;
            }
            break;
        case 'b':
            base_name = optarg;
            keep = true;
            break;
        case 'd':
            keep = true;
            break;
        case 'p':
            show = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'r':
            /* A rate limit: emu-img commits at full speed. */
            break;
        case 'h':
            printf("emu-img commit [-q] [-f fmt] [-t cache] [-b base] [-d] "
                   "[-p] filename\n");
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
    top = img_open(argv[optind], fmt, BDRV_O_NO_BACKING | cache_flags |
                   (keep ? 0 : BDRV_O_RDWR));
    if (!top) {
        return 1;
    }
    if (!keep && !top->drv->make_empty) {
        img_error("Image does not have a backing file");
        goto out;
    }
    base = open_chain_to_base(top, base_name, cache_flags);
    if (!base) {
        goto out;
    }
    if (bdrv_commit_data(top, base, commit_progress, &show) < 0) {
        img_error("%s", bdrv_last_error(top));
        goto out;
    }
    if (!keep && !top->drv->make_empty(top, &err)) {
        img_report_err("Could not empty the image: ", err);
        goto out;
    }
    if (show) {
        printf("\n");
    }
    if (!quiet) {
        printf("Image committed.\n");
    }
    ret = 0;
out:
    bdrv_unref(top);
    return ret;
}
