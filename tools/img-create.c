/*
 * emu-img create, and the -o option parsing convert shares.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/cutils.h"
#include "util/keyval.h"
#include "tools/emu-img.h"

bool img_parse_create_options(const char *text, const char *filename,
                              BlockCreateOptions *opts, void **keep)
{
    Error *err = NULL;
    KeyValList *kv = keyval_parse(text, NULL, &err);
    const char *v;
    const KeyValPair *extra;
    uint64_t n;

    if (!kv) {
        img_error("%s: %s", filename, error_get_pretty(err));
        error_free(err);
        return false;
    }
    *keep = kv;
    if ((v = keyval_take(kv, "size")) && !img_parse_size(v, &opts->size)) {
        return false;
    }
    if ((v = keyval_take(kv, "cluster_size"))) {
        if (!parse_size(v, 0, &n) || n > UINT32_MAX) {
            img_error("%s: Parameter 'cluster_size' expects a non-negative "
                      "number below 2^64", filename);
            return false;
        }
        opts->cluster_size = n;
    }
    if ((v = keyval_take(kv, "compat")) &&
        !img_parse_compat(v, &opts->compat)) {
        img_error("%s: Parameter 'version' does not accept value '%s'",
                  filename, v);
        return false;
    }
    if ((v = keyval_take(kv, "lazy_refcounts")) &&
        !parse_bool(v, &opts->lazy_refcounts)) {
        img_error("%s: Parameter 'lazy_refcounts' expects 'on' or 'off'",
                  filename);
        return false;
    }
    if ((v = keyval_take(kv, "refcount_bits"))) {
        if (!parse_uint64(v, &n) || n > 64) {
            img_error("%s: Refcount width must be a power of two and may not "
                      "exceed 64 bits", filename);
            return false;
        }
        opts->refcount_bits = n;
    }
    if ((v = keyval_take(kv, "backing_file"))) {
        opts->backing_file = v;
    }
    if ((v = keyval_take(kv, "backing_fmt"))) {
        opts->backing_format = v;
    }
    if ((v = keyval_take(kv, "preallocation"))) {
        /* Each format says which modes it takes, in its own words. */
        opts->preallocation = v;
    }
    /* Fixed in this implementation, accepted when they ask for it. */
    if ((v = keyval_take(kv, "compression_type")) && strcmp(v, "zlib")) {
        img_error("%s: Parameter 'compression_type' does not accept value "
                  "'%s' (emu-img writes zlib)", filename, v);
        return false;
    }
    if ((v = keyval_take(kv, "extended_l2")) && strcmp(v, "off")) {
        img_error("%s: extended L2 entries are not supported", filename);
        return false;
    }
    extra = keyval_first_unused(kv);
    if (extra) {
        img_error("%s: Invalid parameter '%s'", filename, extra->key);
        return false;
    }
    return true;
}

/* qemu-img's line: the options in the order it prints them. */
static void print_formatting(const BlockDriver *drv, const char *filename,
                             const BlockCreateOptions *o)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "Formatting '%s', fmt=%s", filename, drv->name);
    if (drv == &bdrv_qcow2) {
        g_string_append_printf(s, " cluster_size=%u extended_l2=off",
                               o->cluster_size ? o->cluster_size : 65536);
        if (o->preallocation) {
            g_string_append_printf(s, " preallocation=%s", o->preallocation);
        }
        g_string_append_printf(s, " compression_type=zlib size=%" PRIu64,
                               o->size);
    } else {
        g_string_append_printf(s, " size=%" PRIu64, o->size);
    }
    if (o->backing_file) {
        g_string_append_printf(s, " backing_file=%s", o->backing_file);
    }
    if (o->backing_format) {
        g_string_append_printf(s, " backing_fmt=%s", o->backing_format);
    }
    if (drv == &bdrv_qcow2) {
        if (o->compat) {
            g_string_append_printf(s, " compat=%s",
                                   o->compat == 2 ? "0.10" : "1.1");
        }
        g_string_append_printf(s, " lazy_refcounts=%s refcount_bits=%d",
                               o->lazy_refcounts ? "on" : "off",
                               o->refcount_bits ? o->refcount_bits : 16);
    } else if (o->preallocation) {
        g_string_append_printf(s, " preallocation=%s", o->preallocation);
    }
    printf("%s\n", s->str);
    fflush(stdout);
    g_string_free(s, true);
}

bool img_do_create(const BlockDriver *drv, const char *filename,
                   const BlockCreateOptions *opts, bool quiet)
{
    Error *err = NULL;

    if (!quiet) {
        print_formatting(drv, filename, opts);
    }
    if (!bdrv_create(drv, filename, opts, &err)) {
        g_autofree char *prefix = g_strdup_printf("%s: ", filename);

        img_report_err(prefix, err);
        return false;
    }
    return true;
}

int img_create(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, 'O' },
        { NULL, 0, NULL, 0 },
    };
    BlockCreateOptions opts = { 0 };
    const char *fmt = "raw", *filename;
    const BlockDriver *drv;
    g_autoptr(GPtrArray) option_texts = g_ptr_array_new();
    g_autoptr(GPtrArray) option_lists = g_ptr_array_new_with_free_func(
        (GDestroyNotify)keyval_free);
    const char *backing = NULL, *backing_fmt = NULL;
    bool quiet = false, unsafe = false, size_given = false;
    void *kv;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":F:b:f:ho:qu", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'b':
            backing = optarg;
            break;
        case 'F':
            backing_fmt = optarg;
            break;
        case 'o':
            if (!strcmp(optarg, "help") || !strcmp(optarg, "?")) {
                printf("Supported options:\n  backing_file, backing_fmt, "
                       "cluster_size, compat, compression_type, "
                       "extended_l2, lazy_refcounts, preallocation, "
                       "refcount_bits, size\n");
                return 0;
            }
            /* Parsed once the file name (for messages) is known. */
            g_ptr_array_add(option_texts, optarg);
            break;
        case 'q':
            quiet = true;
            break;
        case 'u':
            unsafe = true;
            break;
        case 'h':
            printf("emu-img create [-q] [-f fmt] [-b backing_file [-F "
                   "backing_fmt]] [-u] [-o options] filename [size]\n");
            return 0;
        case ':':
            img_error("option '%s' requires an argument", argv[optind - 1]);
            return 1;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (optind >= argc) {
        img_error("Expecting image file name");
        return 1;
    }
    filename = argv[optind++];
    if (optind < argc) {
        if (!img_parse_size(argv[optind++], &opts.size)) {
            return 1;
        }
        size_given = true;
    }
    if (optind < argc) {
        img_error("Unexpected argument: %s", argv[optind]);
        return 1;
    }
    drv = bdrv_find_format(fmt);
    if (!drv || drv->protocol) {
        img_error("%s: Unknown file format '%s'", filename, fmt);
        return 1;
    }
    for (guint i = 0; i < option_texts->len; i++) {
        kv = NULL;
        if (!img_parse_create_options(option_texts->pdata[i], filename,
                                      &opts, &kv)) {
            keyval_free(kv);
            return 1;
        }
        g_ptr_array_add(option_lists, kv);
        size_given |= opts.size != 0;
    }
    if (backing) {
        opts.backing_file = backing;
    }
    if (backing_fmt) {
        opts.backing_format = backing_fmt;
    }
    if (opts.backing_file && !opts.backing_format) {
        img_error("%s: Backing file specified without backing format",
                  filename);
        return 1;
    }
    if (opts.backing_file && !size_given) {
        g_autofree char *path = bdrv_backing_path(filename,
                                                  opts.backing_file);
        BlockDriverState *bs;

        if (unsafe) {
            img_error("%s: Image creation needs a size parameter", filename);
            return 1;
        }
        bs = img_open(path, opts.backing_format, BDRV_O_NO_BACKING);
        if (!bs) {
            return 1;
        }
        opts.size = bs->size;
        size_given = true;
        bdrv_unref(bs);
    }
    if (!size_given) {
        img_error("%s: Image creation needs a size parameter", filename);
        return 1;
    }
    return img_do_create(drv, filename, &opts, quiet) ? 0 : 1;
}
