/*
 * emu-img dd: copy part of an image into a new one, with dd's operands
 * (if=, of=, bs=, count=, skip=) and qemu-img's reading of them: the
 * copy runs from skip blocks in to count blocks from the start of the
 * input (not count blocks after skip), and the output, made afresh in
 * -O's format (raw by default), is as long as that.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/cutils.h"
#include "tools/emu-img.h"

typedef struct DdOperands {
    const char *in, *out;
    uint64_t bs;
    uint64_t count, skip;
    bool has_count, has_skip;
} DdOperands;

static bool dd_operand(DdOperands *dd, const char *arg)
{
    const char *eq = strchr(arg, '=');
    g_autofree char *name = eq ? g_strndup(arg, eq - arg) : g_strdup(arg);
    const char *value = eq ? eq + 1 : "";

    if (!strcmp(name, "if")) {
        dd->in = value;
    } else if (!strcmp(name, "of")) {
        dd->out = value;
    } else if (!strcmp(name, "bs")) {
        if (!parse_size(value, 0, &dd->bs) || dd->bs == 0 ||
            dd->bs > INT_MAX) {
            img_error("Invalid bs specified. Must be between 1 and %d.",
                      INT_MAX);
            return false;
        }
    } else if (!strcmp(name, "count")) {
        dd->has_count = true;
        return img_cvtnum("count", value, INT64_MAX, &dd->count);
    } else if (!strcmp(name, "skip")) {
        dd->has_skip = true;
        return img_cvtnum("skip", value, INT64_MAX, &dd->skip);
    } else {
        img_error("unrecognized operand %s", name);
        return false;
    }
    return true;
}

int img_dd(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "image-opts", no_argument, NULL, 'i' },
        { NULL, 0, NULL, 0 },
    };
    DdOperands dd = { .bs = 512 };
    const char *fmt = NULL, *out_fmt = "raw";
    const BlockDriver *out_drv;
    BlockDriverState *in = NULL, *out = NULL;
    BlockCreateOptions create = { 0 };
    g_autofree uint8_t *buf = NULL;
    uint64_t end, pos, out_pos;
    int c, ret = 1;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:O:U", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'O':
            out_fmt = optarg;
            break;
        case 'U':
            break;
        case 'i':
            img_error("--image-opts is not supported by emu-img");
            return 1;
        case 'h':
            printf("emu-img dd [-f fmt] [-O output_fmt] [bs=block_size] "
                   "[count=blocks] [skip=blocks] if=input of=output\n");
            return 0;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!dd_operand(&dd, argv[i])) {
            return 1;
        }
    }
    if (!dd.in || !dd.in[0] || !dd.out || !dd.out[0]) {
        img_error("Must specify both input and output files");
        return 1;
    }
    out_drv = bdrv_find_format(out_fmt);
    if (!out_drv) {
        img_error("Unknown file format");
        return 1;
    }
    in = img_open(dd.in, fmt, 0);
    if (!in) {
        return 1;
    }
    end = in->size;
    if (dd.has_count && dd.count <= INT64_MAX / dd.bs &&
        end > dd.count * dd.bs) {
        end = dd.count * dd.bs;
    }
    pos = 0;
    if (dd.has_skip) {
        if (dd.skip > INT64_MAX / dd.bs || dd.skip * dd.bs > end) {
            /* Said, and an empty output made, as qemu-img does. */
            img_error("%s: cannot skip to specified offset", dd.in);
            pos = end;
        } else {
            pos = dd.skip * dd.bs;
        }
    }
    /* Image sizes are whole 512-byte sectors, as qemu-img makes them. */
    create.size = DIV_ROUND_UP(end - pos, 512) * 512;
    if (!img_do_create(out_drv, dd.out, &create, true)) {
        goto out;
    }
    out = img_open(dd.out, out_fmt, BDRV_O_RDWR);
    if (!out) {
        goto out;
    }
    buf = g_malloc(dd.bs);
    for (out_pos = 0; pos < end; pos += dd.bs, out_pos += dd.bs) {
        uint64_t n = MIN(dd.bs, end - pos);

        if (bdrv_pread(in, pos, n, buf) < 0) {
            img_error("error while reading from input image file: %s",
                      bdrv_last_error(in));
            goto out;
        }
        if (bdrv_pwrite(out, out_pos, n, buf) < 0) {
            img_error("error while writing to output image file: %s",
                      bdrv_last_error(out));
            goto out;
        }
    }
    ret = 0;
out:
    bdrv_unref(out);
    bdrv_unref(in);
    return ret;
}
