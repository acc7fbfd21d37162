/*
 * emu-img snapshot: list (-l, the default), create (-c), apply (-a) and
 * delete (-d) internal snapshots, with qemu-img's messages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "tools/emu-img.h"

int img_snapshot(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL, *name = NULL;
    char action = 0;
    bool quiet = false;
    int flags = BDRV_O_NO_BACKING, c, ret = 0;
    BlockDriverState *bs;
    Error *err = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":la:c:d:f:hqU", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'l':
        case 'a':
        case 'c':
        case 'd':
            if (action) {
                img_error("Cannot mix '-l', '-a', '-c', '-d'");
                return 1;
            }
            action = c;
            name = c == 'l' ? NULL : optarg;
            if (c != 'l') {
                flags |= BDRV_O_RDWR;
            }
            break;
        case 'f':
            fmt = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'U':
            flags |= BDRV_O_SHARE_WRITE;
            break;
        case 'h':
            printf("emu-img snapshot [-q] [-f fmt] [-l | -a snapshot | -c "
                   "snapshot | -d snapshot] [-U] filename\n");
            return 0;
        case ':':
            img_error("option '-%c' requires an argument", optopt);
            return 1;
        default:
            img_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (optind != argc - 1) {
        img_error("Expecting one image file name");
        return 1;
    }
    bs = img_open(argv[optind], fmt, flags);
    if (!bs) {
        return 1;
    }
    if (!bs->drv->snapshot_list) {
        img_error("Format driver '%s' does not support internal snapshots",
                  bs->drv->name);
        bdrv_unref(bs);
        return 1;
    }
    switch (action) {
    case 'c':
        if (!bs->drv->snapshot_create(bs, name, &err)) {
            g_autofree char *p = g_strdup_printf("Could not create snapshot "
                                                 "'%s': ", name);
            img_report_err(p, err);
            ret = 1;
        }
        break;
    case 'a':
        if (!bs->drv->snapshot_goto(bs, name, &err)) {
            g_autofree char *p = g_strdup_printf("Could not apply snapshot "
                                                 "'%s': ", name);
            img_report_err(p, err);
            ret = 1;
        }
        break;
    case 'd':
        if (!bs->drv->snapshot_delete(bs, name, &err)) {
            g_autofree char *p = g_strdup_printf("Could not delete snapshot "
                                                 "'%s': ", name);
            img_report_err(p, err);
            ret = 1;
        }
        break;
    default: {
        SnapshotInfo *list;
        int n = bs->drv->snapshot_list(bs, &list);
        g_autoptr(GString) out = g_string_new(NULL);

        if (n < 0) {
            img_error("%s", bdrv_last_error(bs));
            ret = 1;
            break;
        }
        img_print_snapshots(out, list, n);
        if (!quiet) {
            fputs(out->str, stdout);
        }
        snapshot_info_list_free(list, n);
        break;
    }
    }
    bdrv_unref(bs);
    return ret;
}
