/*
 * emu-img measure: the host size an image of a format would take, for a
 * given virtual size (--size) or holding what an existing image holds;
 * qemu-img's options, numbers and output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/keyval.h"
#include "tools/emu-img.h"

static void print_measure(const BlockMeasureInfo *info, bool json)
{
    if (!json) {
        printf("required size: %" PRIu64 "\n", info->required);
        printf("fully allocated size: %" PRIu64 "\n", info->fully_allocated);
        if (info->has_bitmaps) {
            printf("bitmaps size: %" PRIu64 "\n", info->bitmaps);
        }
        return;
    }
    printf("{\n");
    if (info->has_bitmaps) {
        printf("    \"bitmaps\": %" PRIu64 ",\n", info->bitmaps);
    }
    printf("    \"required\": %" PRIu64 ",\n"
           "    \"fully-allocated\": %" PRIu64 "\n}\n", info->required,
           info->fully_allocated);
}

int img_measure(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'J' },
        { "size", required_argument, NULL, 's' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *out_fmt = "raw", *options = NULL;
    const char *filename = NULL;
    BlockCreateOptions opts = { 0 };
    void *keep = NULL;
    BlockMeasureInfo info = { 0 };
    BlockDriverState *in = NULL;
    const BlockDriver *drv;
    bool json = false, have_size = false;
    int flags = 0, c, ret = 1;
    Error *err = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:O:o:U", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'O':
            out_fmt = optarg;
            break;
        case 'o':
            options = optarg;
            break;
        case 'J':
            if (!img_parse_output(optarg, &json)) {
                return 1;
            }
            break;
        case 's':
            if (!img_parse_size(optarg, &opts.size)) {
                return 1;
            }
            have_size = true;
            break;
        case 'U':
            flags |= BDRV_O_SHARE_WRITE;
            break;
        case 'h':
            printf("emu-img measure [--output=ofmt] [-O output_fmt] "
                   "[-o options] [--size N | [-f fmt] filename]\n");
            return 0;
        default:
            img_usage_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (optind < argc) {
        filename = argv[optind++];
    }
    if (optind < argc) {
        img_usage_error("Too many arguments");
        return 1;
    }
    if (filename && have_size) {
        img_error("--size N cannot be used together with a filename.");
        return 1;
    }
    if (!filename && !have_size) {
        img_error("Either --size N or one filename must be specified.");
        return 1;
    }
    drv = bdrv_find_format(out_fmt);
    if (!drv) {
        img_error("Unknown file format '%s'", out_fmt);
        return 1;
    }
    if (!drv->measure) {
        img_error("Block driver '%s' does not support size measurement",
                  out_fmt);
        return 1;
    }
    if (options && !img_parse_create_options(options, "", &opts, &keep)) {
        keyval_free(keep);
        return 1;
    }
    if (filename) {
        in = img_open(filename, fmt, flags);
        if (!in) {
            keyval_free(keep);
            return 1;
        }
    }
    if (drv->measure(&opts, in, &info, &err)) {
        print_measure(&info, json);
        ret = 0;
    } else {
        img_report_err(NULL, err);
    }
    if (in) {
        bdrv_unref(in);
    }
    keyval_free(keep);
    return ret;
}
