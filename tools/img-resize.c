/*
 * emu-img resize: grow or (with --shrink) shrink an image's virtual size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/cutils.h"
#include "tools/emu-img.h"

int img_resize(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "shrink", no_argument, NULL, 's' },
        { "preallocation", required_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *size_text, *filename;
    bool quiet = false, shrink = false;
    uint64_t n, size;
    BlockDriverState *bs;
    Error *err = NULL;
    int c, ret = 1;

    /* The size is last, and may be "-1G" (after "--" or not): getopt
     * parses the arguments before it. */
    if (argc >= 3 && !strcmp(argv[argc - 2], "--")) {
        argv[argc - 2] = argv[argc - 1];
        argc--;
    }
    optind = 1;
    while ((c = getopt_long(argc - 1, argv, ":hf:q", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 's':
            shrink = true;
            break;
        case 'P':
            if (strcmp(optarg, "off")) {
                img_error("Invalid preallocation mode: '%s' (emu-img "
                          "resizes with preallocation=off only)", optarg);
                return 1;
            }
            break;
        case 'h':
            printf("emu-img resize [-f fmt] [--preallocation=off] [-q] "
                   "[--shrink] filename [+ | -]size\n");
            return 0;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (optind != argc - 2) {
        img_error("Expecting image file name and size");
        return 1;
    }
    filename = argv[optind];
    size_text = argv[optind + 1];
    if (!parse_size(size_text + (*size_text == '+' || *size_text == '-'), 0,
                    &n)) {
        img_error("Parameter 'size' expects a non-negative number below "
                  "2^64");
        fprintf(stderr, "Optional suffix k, M, G, T, P or E means kilo-, "
                "mega-, giga-, tera-, peta-\nand exabytes, respectively.\n");
        return 1;
    }
    bs = img_open(filename, fmt, BDRV_O_RDWR | BDRV_O_NO_BACKING);
    if (!bs) {
        return 1;
    }
    size = *size_text == '+' ? bs->size + n
         : *size_text == '-' ? (n > bs->size ? 0 : bs->size - n) : n;
    if (size < bs->size && !shrink) {
        img_error("Use the --shrink option to perform a shrink operation.");
        fprintf(stderr, "%s: warning: Shrinking an image will delete all "
                "data beyond the shrunken image's end. Before performing "
                "such an operation, make sure there is no important data "
                "there.\n", g_get_prgname());
    } else if (!bdrv_truncate(bs, size, &err)) {
        img_report_err(NULL, err);
    } else {
        if (!quiet) {
            printf("Image resized.\n");
        }
        ret = 0;
    }
    bdrv_unref(bs);
    return ret;
}
