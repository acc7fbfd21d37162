/*
 * emu-img convert and compare: whole images read through the block
 * layer, chunk by chunk, skipping what reads as zeros.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/cutils.h"
#include "util/keyval.h"
#include "block/qcow2.h"
#include "tools/emu-img.h"

#define CHUNK (2u << 20)

/* Does [offset, offset + bytes) read as zeros without reading it? */
static bool reads_zero(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    for (BlockDriverState *b = bs; b; b = b->backing) {
        uint64_t pnum, map;
        int ret;

        if (offset >= b->size) {
            return true;
        }
        ret = bdrv_block_status(b, offset, bytes, &pnum, &map);
        if (ret < 0 || pnum < bytes) {
            return false;
        }
        if (ret & BDRV_BLOCK_ZERO) {
            return true;
        }
        if (ret & BDRV_BLOCK_ALLOCATED) {
            return false;
        }
    }
    return true;
}

int img_convert(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *out_name, *cache = "unsafe";
    const char *src_cache = "writeback";
    g_autoptr(GPtrArray) option_texts = g_ptr_array_new();
    g_autoptr(GPtrArray) option_lists = g_ptr_array_new_with_free_func(
        (GDestroyNotify)keyval_free);
    BlockCreateOptions opts = { 0 };
    bool compress = false, show = false, no_create = false;
    uint64_t sparse = 4096, total = 0, done = 0;
    const BlockDriver *drv;
    GPtrArray *srcs;
    BlockDriverState *out = NULL;
    g_autofree uint8_t *buf = NULL;
    int out_flags = 0, src_flags = 0, ret = 1, c;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:O:B:Cco:l:S:pt:T:qnm:WUr:F:",
                            long_options, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'O':
            out_fmt = optarg;
            break;
        case 'c':
            compress = true;
            break;
        case 'o':
            g_ptr_array_add(option_texts, optarg);
            break;
        case 'S':
            if (!parse_size(optarg, 0, &sparse) || sparse > (1u << 30) ||
                (sparse % 512)) {
                img_error("Invalid buffer size for sparse output specified. "
                          "Valid sizes are multiples of 512 up to 1G");
                return 1;
            }
            break;
        case 'p':
            show = true;
            break;
        case 'q':
            show = false;
            break;
        case 't':
            cache = optarg;
            break;
        case 'T':
            src_cache = optarg;
            break;
        case 'n':
            no_create = true;
            break;
        case 'W':
        case 'm':
        case 'U':
        case 'C':
        case 'r':
            /* Out-of-order writes, coroutines, sharing, copy offloading
             * and rate limits change nothing in what is written here. */
            break;
        case 'B':
        case 'F':
        case 'l':
            img_error("option -%c is not supported by emu-img convert yet",
                      c);
            return 1;
        case 'h':
            printf("emu-img convert [-c] [-p] [-q] [-n] [-f fmt] [-t cache] "
                   "[-T src_cache] [-O output_fmt] [-o options] "
                   "[-S sparse_size] [-W] filename [filename2 [...]] "
                   "output_filename\n");
            return 0;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (argc - optind < 2) {
        img_error("Must specify image file name");
        return 1;
    }
    if (!img_parse_cache(cache, &out_flags) ||
        !img_parse_cache(src_cache, &src_flags)) {
        return 1;
    }
    out_name = argv[argc - 1];
    drv = bdrv_find_format(out_fmt);
    if (!drv || drv->protocol) {
        img_error("Unknown file format '%s'", out_fmt);
        return 1;
    }
    if (compress && drv != &bdrv_qcow2) {
        img_error("Compression not supported for this file format");
        return 1;
    }

    srcs = g_ptr_array_new_with_free_func((GDestroyNotify)bdrv_unref);
    for (int i = optind; i < argc - 1; i++) {
        BlockDriverState *bs = img_open(argv[i], fmt, src_flags);

        if (!bs) {
            goto out;
        }
        g_ptr_array_add(srcs, bs);
        total += bs->size;
    }
    opts.size = total;
    for (guint i = 0; i < option_texts->len; i++) {
        void *kv = NULL;

        if (!img_parse_create_options(option_texts->pdata[i], out_name,
                                      &opts, &kv)) {
            keyval_free(kv);
            goto out;
        }
        g_ptr_array_add(option_lists, kv);
    }
    if (!no_create && !img_do_create(drv, out_name, &opts, true)) {
        goto out;
    }
    /* An existing image keeps its backing file: partial clusters are
     * completed from it. */
    out = img_open(out_name, no_create ? NULL : out_fmt,
                   BDRV_O_RDWR | (no_create ? 0 : BDRV_O_NO_BACKING) |
                   out_flags);
    if (!out) {
        goto out;
    }
    if (no_create && out->size < total) {
        img_error("output file is smaller than input file");
        goto out;
    }
    if (compress) {
        ((BDRVQcow2State *)out->opaque)->compress_writes = true;
        /* Whole clusters: each is compressed on its own. */
        sparse = ((BDRVQcow2State *)out->opaque)->cluster_size;
    }

    buf = g_malloc(CHUNK);
    img_progress(show, 0);
    for (guint i = 0; i < srcs->len; i++) {
        BlockDriverState *bs = g_ptr_array_index(srcs, i);

        for (uint64_t offset = 0; offset < bs->size;) {
            uint64_t n = MIN(CHUNK, bs->size - offset);

            if (!no_create && reads_zero(bs, offset, n)) {
                offset += n;
                done += n;
                continue;
            }
            if (bdrv_pread(bs, offset, n, buf) < 0) {
                img_error("error while reading at byte %" PRIu64 ": %s",
                          offset, bdrv_last_error(bs));
                goto out;
            }
            /* A fresh image reads zeros: write only the other runs. */
            for (uint64_t at = 0; at < n;) {
                uint64_t run = 0;

                while (at + run < n) {
                    uint64_t piece = sparse ? MIN(sparse, n - at - run)
                                            : n - at - run;

                    if (!no_create && buffer_is_zero(buf + at + run, piece)) {
                        if (!run) {
                            at += piece;
                            continue;
                        }
                        break;
                    }
                    run += piece;
                }
                if (run && bdrv_pwrite(out, done + at, run, buf + at) < 0) {
                    img_error("error while writing at byte %" PRIu64 ": %s",
                              done + at, bdrv_last_error(out));
                    goto out;
                }
                at += run;
            }
            offset += n;
            done += n;
            img_progress(show, 100.0 * done / MAX(total, 1));
        }
    }
    if (bdrv_flush(out) < 0) {
        img_error("error while flushing: %s", bdrv_last_error(out));
        goto out;
    }
    img_progress(show, 100);
    if (show) {
        printf("\n");
    }
    ret = 0;
out:
    bdrv_unref(out);
    g_ptr_array_free(srcs, true);
    return ret;
}

/* ---- compare ---- */

int img_compare(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt1 = NULL, *fmt2 = NULL;
    bool quiet = false, strict = false, show = false;
    BlockDriverState *a = NULL, *b = NULL;
    g_autofree uint8_t *ba = g_malloc(CHUNK), *bb = g_malloc(CHUNK);
    uint64_t common, longest;
    int flags = 0, ret = 2, c;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:F:T:pqsU", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt1 = optarg;
            break;
        case 'F':
            fmt2 = optarg;
            break;
        case 'T':
            if (!img_parse_cache(optarg, &flags)) {
                return 2;
            }
            break;
        case 'p':
            show = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 's':
            strict = true;
            break;
        case 'U':
            break;
        case 'h':
            printf("emu-img compare [-f fmt] [-F fmt] [-T src_cache] [-p] "
                   "[-q] [-s] [-U] filename1 filename2\n");
            return 0;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 2;
        }
    }
    if (quiet) {
        show = false;
    }
    if (argc - optind != 2) {
        img_error("Expecting two image file names");
        return 2;
    }
    a = img_open(argv[optind], fmt1, 0);
    b = a ? img_open(argv[optind + 1], fmt2, 0) : NULL;
    if (!a || !b) {
        goto out;
    }
    if (strict && a->size != b->size) {
        if (!quiet) {
            printf("Strict mode: Image size mismatch!\n");
        }
        ret = 1;
        goto out;
    }
    common = MIN(a->size, b->size);
    longest = MAX(a->size, b->size);
    img_progress(show, 0);
    for (uint64_t offset = 0; offset < longest;) {
        uint64_t n = MIN(CHUNK, (offset < common ? common : longest) - offset);
        BlockDriverState *big = a->size > b->size ? a : b;

        if (offset < common) {
            if (bdrv_pread(a, offset, n, ba) < 0 ||
                bdrv_pread(b, offset, n, bb) < 0) {
                img_error("Error while reading offset %" PRIu64 ": %s",
                          offset, bdrv_last_error(a->last_error ? a : b));
                goto out;
            }
            for (uint64_t i = 0; i < n; i++) {
                if (ba[i] != bb[i]) {
                    if (!quiet) {
                        printf("Content mismatch at offset %" PRIu64 "!\n",
                               offset + (i & ~(uint64_t)511));
                    }
                    ret = 1;
                    goto out;
                }
            }
        } else {
            if (offset == common && !quiet) {
                printf("Warning: Image size mismatch!\n");
            }
            if (bdrv_pread(big, offset, n, ba) < 0) {
                img_error("Error while reading offset %" PRIu64 ": %s",
                          offset, bdrv_last_error(big));
                goto out;
            }
            if (!buffer_is_zero(ba, n)) {
                uint64_t i = 0;

                while (!ba[i]) {
                    i++;
                }
                if (!quiet) {
                    printf("Content mismatch at offset %" PRIu64 "!\n",
                           offset + (i & ~(uint64_t)511));
                }
                ret = 1;
                goto out;
            }
        }
        offset += n;
        img_progress(show, 100.0 * offset / longest);
    }
    if (show) {
        printf("\n");
    }
    if (!quiet) {
        printf("Images are identical.\n");
    }
    ret = 0;
out:
    bdrv_unref(a);
    bdrv_unref(b);
    return ret;
}
