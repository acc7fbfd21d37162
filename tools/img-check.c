/*
 * emu-img check: qemu-img's report and exit status (0 clean, 1 the
 * check could not complete, 2 corruptions, 3 only leaked clusters).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "tools/emu-img.h"

static void print_human(const BlockCheckResult *r)
{
    if (!r->corruptions && !r->leaks && !r->check_errors) {
        printf("No errors were found on the image.\n");
    } else {
        if (r->corruptions) {
            printf("\n%d errors were found on the image.\nData may be "
                   "corrupted, or further writes to the image may corrupt "
                   "it.\n", r->corruptions);
        }
        if (r->leaks) {
            printf("\n%d leaked clusters were found on the image.\nThis "
                   "means waste of disk space, but no harm to data.\n",
                   r->leaks);
        }
        if (r->check_errors) {
            printf("\n%d internal errors have occurred during the check.\n",
                   r->check_errors);
        }
    }
    if (r->total_clusters && r->allocated_clusters &&
        r->allocated_clusters <= r->total_clusters) {
        printf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, %0.2f%% "
               "fragmented, %0.2f%% compressed clusters\n",
               r->allocated_clusters, r->total_clusters,
               r->allocated_clusters * 100.0 / r->total_clusters,
               r->allocated_clusters ?
               r->fragmented_clusters * 100.0 / r->allocated_clusters : 0,
               r->allocated_clusters ?
               r->compressed_clusters * 100.0 / r->allocated_clusters : 0);
    }
    if (r->image_end_offset) {
        printf("Image end offset: %" PRIu64 "\n", r->image_end_offset);
    }
}

/* qemu-img 7.2's key order (its dictionary's). */
static void print_json(const BlockCheckResult *r, BlockDriverState *bs)
{
    printf("{\n    \"image-end-offset\": %" PRIu64 ",\n", r->image_end_offset);
    if (r->compressed_clusters) {
        printf("    \"compressed-clusters\": %" PRIu64 ",\n",
               r->compressed_clusters);
    }
    printf("    \"total-clusters\": %" PRIu64 ",\n", r->total_clusters);
    if (r->corruptions) {
        printf("    \"corruptions\": %d,\n", r->corruptions);
    }
    printf("    \"check-errors\": %d,\n", r->check_errors);
    if (r->leaks) {
        printf("    \"leaks\": %d,\n", r->leaks);
    }
    if (r->leaks_fixed) {
        printf("    \"leaks-fixed\": %d,\n", r->leaks_fixed);
    }
    if (r->corruptions_fixed) {
        printf("    \"corruptions-fixed\": %d,\n", r->corruptions_fixed);
    }
    printf("    \"allocated-clusters\": %" PRIu64 ",\n"
           "    \"filename\": \"%s\",\n    \"format\": \"%s\"",
           r->allocated_clusters, bs->filename, bs->drv->name);
    if (r->fragmented_clusters) {
        printf(",\n    \"fragmented-clusters\": %" PRIu64,
               r->fragmented_clusters);
    }
    printf("\n}\n");
}

int img_check(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "repair", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, 'o' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    bool json = false, quiet = false;
    int fix = 0, flags = 0, cache_flags = 0, c, ret;
    BlockCheckResult result;
    BlockDriverState *bs;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hf:r:T:qU", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'r':
            flags |= BDRV_O_RDWR;
            if (!strcmp(optarg, "leaks")) {
                fix = BDRV_FIX_LEAKS;
            } else if (!strcmp(optarg, "all")) {
                fix = BDRV_FIX_LEAKS | BDRV_FIX_ERRORS;
            } else {
                img_error("Unknown option value for -r (expecting 'leaks' "
                          "or 'all'): %s", optarg);
                return 1;
            }
            break;
        case 'o':
            if (!img_parse_output(optarg, &json)) {
                return 1;
            }
            break;
        case 'T':
            if (!img_parse_cache(optarg, &cache_flags)) {
                return 1;
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'U':
            flags |= BDRV_O_SHARE_WRITE;
            break;
        case 'h':
            printf("emu-img check [-q] [-f fmt] [--output=ofmt] [-r [leaks | "
                   "all]] [-U] filename\n");
            return 0;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (optind != argc - 1) {
        img_error("Expecting one image file name");
        return 1;
    }
    bs = img_open(argv[optind], fmt,
                  flags | cache_flags | BDRV_O_NO_BACKING | BDRV_O_CHECK);
    if (!bs) {
        return 1;
    }
    if (!bs->drv->check) {
        img_error("This image format does not support checks");
        bdrv_unref(bs);
        return 63;
    }
    ret = bs->drv->check(bs, &result, fix);
    if (ret == 0 && (result.leaks_fixed || result.corruptions_fixed)) {
        if (!json && !quiet) {
            printf("The following inconsistencies were found and repaired:"
                   "\n\n    %d leaked clusters\n    %d corruptions\n\n"
                   "Double checking the fixed image now...\n",
                   result.leaks_fixed, result.corruptions_fixed);
        }
        ret = bs->drv->check(bs, &result, 0);
    }
    if (ret < 0) {
        img_error("Check failed: %s", g_strerror(-ret));
        bdrv_unref(bs);
        return 1;
    }
    if (json) {
        print_json(&result, bs);
    } else if (!quiet) {
        print_human(&result);
    }
    bdrv_unref(bs);
    if (result.check_errors) {
        return 1;
    }
    return result.corruptions ? 2 : result.leaks ? 3 : 0;
}
