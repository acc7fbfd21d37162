/*
 * emu-img amend: changes a qcow2 image's options in place (compat,
 * lazy_refcounts, size), with qemu-img's messages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/cutils.h"
#include "util/keyval.h"
#include "tools/emu-img.h"

static const char amend_help[] =
    "Amend options for 'qcow2':\n"
    "  compat=<str>           - Compatibility level (v2 [0.10] or v3 [1.1])\n"
    "  lazy_refcounts=<bool (on/off)> - Postpone refcount updates\n"
    "  refcount_bits=<num>    - Width of a reference count entry in bits\n"
    "  size=<size>            - Virtual disk size\n";

/* Options qemu-img takes only when it creates an image. */
static const char *const create_only[] = {
    "cluster_size", "compression_type", "extended_l2", "preallocation",
};

static bool parse_amend_options(const char *text, BlockAmendOptions *o)
{
    Error *err = NULL;
    g_autoptr(KeyValList) kv = keyval_parse(text, NULL, &err);
    const KeyValPair *extra;
    const char *v;
    bool on;
    uint64_t n;

    if (!kv) {
        img_error("%s", error_get_pretty(err));
        error_free(err);
        return false;
    }
    if ((v = keyval_take(kv, "compat")) && !img_parse_compat(v, &o->compat)) {
        img_error("Unknown compatibility level %s", v);
        return false;
    }
    if ((v = keyval_take(kv, "lazy_refcounts"))) {
        if (!parse_bool(v, &on)) {
            img_error("Parameter 'lazy_refcounts' expects 'on' or 'off'");
            return false;
        }
        o->lazy_refcounts = on;
    }
    if ((v = keyval_take(kv, "refcount_bits"))) {
        if (!parse_uint64(v, &n) || n > 64 || !n || (n & (n - 1))) {
            img_error("Refcount width must be a power of two and may not "
                      "exceed 64 bits");
            return false;
        }
        o->refcount_bits = n;
    }
    if ((v = keyval_take(kv, "size")) && !img_parse_size(v, &o->size)) {
        return false;
    }
    if (keyval_take(kv, "backing_file") || keyval_take(kv, "backing_fmt")) {
        img_error("Cannot amend the backing file");
        fprintf(stderr, "You can use '%s rebase' instead.\n",
                g_get_prgname());
        return false;
    }
    extra = keyval_first_unused(kv);
    if (extra) {
        img_error("Invalid parameter '%s'", extra->key);
        for (size_t i = 0; i < ARRAY_SIZE(create_only); i++) {
            if (!strcmp(extra->key, create_only[i])) {
                fprintf(stderr, "This option is only supported for image "
                        "creation\n");
            }
        }
        return false;
    }
    return true;
}

int img_amend(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, 'O' },
        { "image-opts", no_argument, NULL, 'I' },
        { "force", no_argument, NULL, 'F' },
        { NULL, 0, NULL, 0 },
    };
    BlockAmendOptions opts = { .lazy_refcounts = -1 };
    g_autoptr(GPtrArray) texts = g_ptr_array_new();
    const char *fmt = NULL;
    int cache_flags = 0, c, ret = 1;
    BlockDriverState *bs;
    Error *err = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":ho:f:t:pq", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'o':
            if (!strcmp(optarg, "help") || !strcmp(optarg, "?")) {
                printf("%s", amend_help);
                return 0;
            }
            g_ptr_array_add(texts, optarg);
            break;
        case 'f':
            fmt = optarg;
            break;
        case 't':
            if (!img_parse_cache(optarg, &cache_flags)) {
                return 1;
            }
            break;
        case 'p':
        case 'q':
        case 'F':
            break;
        case 'O':
        case 'I':
            img_error("--object and --image-opts are not supported by "
                      "emu-img");
            return 1;
        case 'h':
            printf("emu-img amend [-p] [-q] [-f fmt] [-t cache] -o options "
                   "filename\n");
            return 0;
        case ':':
            img_usage_error("option requires an argument -- '%c'", optopt);
            return 1;
        default:
            img_usage_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (!texts->len) {
        img_usage_error("Must specify options (-o)");
        return 1;
    }
    if (optind != argc - 1) {
        img_usage_error("Expecting one image file name");
        return 1;
    }
    for (guint i = 0; i < texts->len; i++) {
        if (!parse_amend_options(texts->pdata[i], &opts)) {
            return 1;
        }
    }
    bs = img_open(argv[optind], fmt,
                  BDRV_O_RDWR | BDRV_O_NO_BACKING | cache_flags);
    if (!bs) {
        return 1;
    }
    if (!bs->drv->amend) {
        img_error("Format driver '%s' does not support option amendment",
                  bs->drv->name);
    } else if (!bs->drv->amend(bs, &opts, &err)) {
        img_report_err(NULL, err);
    } else {
        ret = 0;
    }
    bdrv_unref(bs);
    return ret;
}
