/*
 * emu-img info and map: what an image is and where its data lives, in
 * qemu-img's human and JSON layouts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "util/cutils.h"
#include "tools/emu-img.h"

/* ---- JSON as qemu-img prints it: 4-space indents, ": " and ",\n" ---- */

static void json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        default:
            if ((unsigned char)*p < 0x20) {
                g_string_append_printf(out, "\\u%04x", *p);
            } else {
                g_string_append_c(out, *p);
            }
        }
    }
    g_string_append_c(out, '"');
}

static void json_key(GString *out, int indent, bool *first, const char *key)
{
    g_string_append_printf(out, "%s\n%*s", *first ? "" : ",", indent, "");
    *first = false;
    json_string(out, key);
    g_string_append(out, ": ");
}

/* ---- info ---- */

void img_print_snapshots(GString *out, const SnapshotInfo *list, int n)
{
    if (!n) {
        return;
    }
    g_string_append(out, "Snapshot list:\n");
    snapshot_info_append_header(out);
    g_string_append_c(out, '\n');
    for (int i = 0; i < n; i++) {
        snapshot_info_append(out, &list[i], NULL);
        g_string_append_c(out, '\n');
    }
}

typedef struct ImageInfo {
    BlockDriverState *bs;
    uint32_t cluster_size;       /* 0: the format has none */
    bool dirty;
    GArray *fields;              /* ImageInfoField */
    char *full_backing;
    SnapshotInfo *snapshots;
    int nb_snapshots;
} ImageInfo;

static void image_info_get(BlockDriverState *bs, ImageInfo *info)
{
    info->bs = bs;
    info->cluster_size = 0;
    info->dirty = false;
    info->fields = g_array_new(false, true, sizeof(ImageInfoField));
    if (bs->drv->get_info) {
        bs->drv->get_info(bs, &info->cluster_size, &info->dirty,
                          info->fields);
    }
    info->full_backing = bs->backing_file
        ? bdrv_backing_path(bs->filename, bs->backing_file) : NULL;
    info->snapshots = NULL;
    info->nb_snapshots = 0;
    if (bs->drv->snapshot_list) {
        /* Not inside MAX(): it would list (and allocate) twice. */
        int n = bs->drv->snapshot_list(bs, &info->snapshots);

        info->nb_snapshots = MAX(n, 0);
    }
}

static void image_info_free(ImageInfo *info)
{
    for (guint i = 0; i < info->fields->len; i++) {
        g_free(g_array_index(info->fields, ImageInfoField, i).str);
    }
    g_array_free(info->fields, true);
    g_free(info->full_backing);
    if (info->snapshots) {
        snapshot_info_list_free(info->snapshots, info->nb_snapshots);
    }
}

static uint64_t actual_size(BlockDriverState *bs)
{
    return bs->drv->allocated_size ? bs->drv->allocated_size(bs) : 0;
}

static void info_human(GString *out, ImageInfo *info)
{
    BlockDriverState *bs = info->bs;
    g_autofree char *vsize = format_size(bs->size);
    g_autofree char *dsize = format_size(actual_size(bs));

    g_string_append_printf(out, "image: %s\nfile format: %s\n"
                           "virtual size: %s (%" PRIu64 " bytes)\n"
                           "disk size: %s\n", bs->filename, bs->drv->name,
                           vsize, bs->size, dsize);
    if (info->cluster_size) {
        g_string_append_printf(out, "cluster_size: %u\n", info->cluster_size);
    }
    if (info->dirty) {
        g_string_append(out, "cleanly shut down: no\n");
    }
    if (bs->backing_file) {
        g_string_append_printf(out, "backing file: %s", bs->backing_file);
        if (strcmp(info->full_backing, bs->backing_file)) {
            g_string_append_printf(out, " (actual path: %s)",
                                   info->full_backing);
        }
        g_string_append_c(out, '\n');
        if (bs->backing_format) {
            g_string_append_printf(out, "backing file format: %s\n",
                                   bs->backing_format);
        }
    }
    img_print_snapshots(out, info->snapshots, info->nb_snapshots);
    if (info->fields->len) {
        g_string_append(out, "Format specific information:\n");
        for (guint i = 0; i < info->fields->len; i++) {
            ImageInfoField *f = &g_array_index(info->fields, ImageInfoField,
                                               i);
            g_autofree char *label = g_strdelimit(g_strdup(f->key), "-", ' ');

            g_string_append_printf(out, "    %s: ", label);
            if (f->str) {
                g_string_append(out, f->str);
            } else if (f->is_bool) {
                g_string_append(out, f->boolean ? "true" : "false");
            } else {
                g_string_append_printf(out, "%" PRId64, f->number);
            }
            g_string_append_c(out, '\n');
        }
    }
}

/* The key order is qemu-img 7.2's (its dictionary's). */
static void info_json(GString *out, ImageInfo *info, int indent)
{
    BlockDriverState *bs = info->bs;
    bool first = true;

    g_string_append(out, "{");
    if (info->nb_snapshots) {
        json_key(out, indent + 4, &first, "snapshots");
        g_string_append(out, "[");
        for (int i = 0; i < info->nb_snapshots; i++) {
            const SnapshotInfo *sn = &info->snapshots[i];
            bool f = true;

            g_string_append_printf(out, "%s\n%*s{", i ? "," : "",
                                   indent + 8, "");
            if (sn->icount != UINT64_MAX) {
                json_key(out, indent + 12, &f, "icount");
                g_string_append_printf(out, "%" PRIu64, sn->icount);
            }
            json_key(out, indent + 12, &f, "vm-clock-nsec");
            g_string_append_printf(out, "%" PRIu64,
                                   sn->vm_clock_nsec % 1000000000);
            json_key(out, indent + 12, &f, "name");
            json_string(out, sn->name);
            json_key(out, indent + 12, &f, "date-sec");
            g_string_append_printf(out, "%u", sn->date_sec);
            json_key(out, indent + 12, &f, "date-nsec");
            g_string_append_printf(out, "%u", sn->date_nsec);
            json_key(out, indent + 12, &f, "vm-clock-sec");
            g_string_append_printf(out, "%" PRIu64,
                                   sn->vm_clock_nsec / 1000000000);
            json_key(out, indent + 12, &f, "id");
            json_string(out, sn->id);
            json_key(out, indent + 12, &f, "vm-state-size");
            g_string_append_printf(out, "%" PRIu64, sn->vm_state_size);
            g_string_append_printf(out, "\n%*s}", indent + 8, "");
        }
        g_string_append_printf(out, "\n%*s]", indent + 4, "");
    }
    if (bs->backing_file && bs->backing_format) {
        json_key(out, indent + 4, &first, "backing-filename-format");
        json_string(out, bs->backing_format);
    }
    json_key(out, indent + 4, &first, "virtual-size");
    g_string_append_printf(out, "%" PRIu64, bs->size);
    json_key(out, indent + 4, &first, "filename");
    json_string(out, bs->filename);
    if (info->cluster_size) {
        json_key(out, indent + 4, &first, "cluster-size");
        g_string_append_printf(out, "%u", info->cluster_size);
    }
    json_key(out, indent + 4, &first, "format");
    json_string(out, bs->drv->name);
    json_key(out, indent + 4, &first, "actual-size");
    g_string_append_printf(out, "%" PRIu64, actual_size(bs));
    if (info->fields->len) {
        bool first_field = true;

        json_key(out, indent + 4, &first, "format-specific");
        g_string_append(out, "{");
        first_field = true;
        json_key(out, indent + 8, &first_field, "type");
        json_string(out, bs->drv->name);
        json_key(out, indent + 8, &first_field, "data");
        g_string_append(out, "{");
        first_field = true;
        for (guint i = 0; i < info->fields->len; i++) {
            ImageInfoField *f = &g_array_index(info->fields, ImageInfoField,
                                               i);

            json_key(out, indent + 12, &first_field, f->key);
            if (f->str) {
                json_string(out, f->str);
            } else if (f->is_bool) {
                g_string_append(out, f->boolean ? "true" : "false");
            } else {
                g_string_append_printf(out, "%" PRId64, f->number);
            }
        }
        g_string_append_printf(out, "\n%*s}\n%*s}", indent + 8, "",
                               indent + 4, "");
    }
    if (bs->backing_file) {
        json_key(out, indent + 4, &first, "full-backing-filename");
        json_string(out, info->full_backing);
        json_key(out, indent + 4, &first, "backing-filename");
        json_string(out, bs->backing_file);
    }
    json_key(out, indent + 4, &first, "dirty-flag");
    g_string_append(out, info->dirty ? "true" : "false");
    g_string_append_printf(out, "\n%*s}", indent, "");
}

int img_info(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "backing-chain", no_argument, NULL, 'c' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    bool json = false, chain = false;
    int flags = BDRV_O_NO_BACKING;
    g_autoptr(GString) out = g_string_new(NULL);
    BlockDriverState *bs;
    int c, n = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:hU", long_options, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'o':
            if (!img_parse_output(optarg, &json)) {
                return 1;
            }
            break;
        case 'c':
            chain = true;
            break;
        case 'U':
            flags |= BDRV_O_SHARE_WRITE;
            break;
        case 'h':
            printf("emu-img info [-f fmt] [--output=ofmt] [--backing-chain] "
                   "[-U] filename\n");
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
    if (chain) {
        flags &= ~BDRV_O_NO_BACKING;
    }
    bs = img_open(argv[optind], fmt, flags);
    if (!bs) {
        return 1;
    }
    if (json && chain) {
        g_string_append(out, "[\n");
    }
    for (BlockDriverState *b = bs; b; b = chain ? b->backing : NULL, n++) {
        ImageInfo info;

        image_info_get(b, &info);
        if (json) {
            /* In a list, each object is indented one level. */
            g_string_append_printf(out, "%s%*s", n ? ",\n" : "",
                                   chain ? 4 : 0, "");
            info_json(out, &info, chain ? 4 : 0);
        } else {
            g_string_append(out, n ? "\n" : "");
            info_human(out, &info);
        }
        image_info_free(&info);
    }
    if (json) {
        g_string_append(out, chain ? "\n]\n" : "\n");
    }
    fputs(out->str, stdout);
    bdrv_unref(bs);
    return 0;
}

/* ---- map ---- */

typedef struct MapEntry {
    uint64_t start, length;
    int depth;
    bool present, zero, data;
    bool has_offset;
    uint64_t offset;
    BlockDriverState *file;      /* whose offset */
} MapEntry;

/* What [offset, offset + bytes) is, looking down the backing chain. */
static int map_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      MapEntry *e)
{
    int depth = 0, last = 0;

    for (BlockDriverState *b = bs; b; b = b->backing, depth++) {
        last = depth;
        uint64_t pnum, map;
        int ret;

        if (offset >= b->size) {
            break;                   /* past a shorter backing file: zeros */
        }
        ret = bdrv_block_status(b, offset, MIN(bytes, b->size - offset),
                                &pnum, &map);
        if (ret < 0) {
            return ret;
        }
        bytes = pnum;
        if (ret & BDRV_BLOCK_ALLOCATED) {
            e->depth = depth;
            e->present = true;
            e->zero = ret & BDRV_BLOCK_ZERO;
            e->data = ret & BDRV_BLOCK_DATA;
            e->has_offset = ret & BDRV_BLOCK_OFFSET_VALID;
            e->offset = map;
            e->file = b->drv->protocol || !b->file ? b : b->file;
            e->length = bytes;
            return 0;
        }
    }
    e->depth = last;
    e->present = false;
    e->zero = true;
    e->data = false;
    e->has_offset = false;
    e->length = bytes;
    return 0;
}

static bool map_mergeable(const MapEntry *a, const MapEntry *b)
{
    return a->depth == b->depth && a->present == b->present &&
           a->zero == b->zero && a->data == b->data &&
           a->has_offset == b->has_offset && a->file == b->file &&
           (!a->has_offset || a->offset + a->length == b->offset);
}

static void map_print(GString *out, const MapEntry *e, bool json, bool first)
{
    if (json) {
        g_string_append_printf(out, "%s{ \"start\": %" PRIu64 ", \"length\": "
                               "%" PRIu64 ", \"depth\": %d, \"present\": %s, "
                               "\"zero\": %s, \"data\": %s", first ? "" :
                               ",\n", e->start, e->length, e->depth,
                               e->present ? "true" : "false",
                               e->zero ? "true" : "false",
                               e->data ? "true" : "false");
        if (e->has_offset) {
            g_string_append_printf(out, ", \"offset\": %" PRIu64, e->offset);
        }
        g_string_append(out, "}");
    } else if (e->data && e->has_offset) {
        g_string_append_printf(out, "%#-16" PRIx64 "%#-16" PRIx64 "%#-16"
                               PRIx64 "%s\n", e->start, e->length,
                               e->offset, e->file->filename);
    }
}

int img_map(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "start-offset", required_argument, NULL, 's' },
        { "max-length", required_argument, NULL, 'l' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    bool json = false, have = false;
    uint64_t start = 0, max_length = UINT64_MAX, end;
    g_autoptr(GString) out = g_string_new(NULL);
    BlockDriverState *bs;
    MapEntry cur = { 0 };
    int c, ret = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:hU", long_options, NULL)) != -1) {
        switch (c) {
        case 'f':
            fmt = optarg;
            break;
        case 'o':
            if (!img_parse_output(optarg, &json)) {
                return 1;
            }
            break;
        case 's':
            if (!parse_size(optarg, 0, &start)) {
                img_error("Invalid start offset specified! You may use k, M, "
                          "G, T, P or E suffixes for");
                return 1;
            }
            break;
        case 'l':
            if (!parse_size(optarg, 0, &max_length)) {
                img_error("Invalid length specified! You may use k, M, G, T, "
                          "P or E suffixes for");
                return 1;
            }
            break;
        case 'U':
            break;
        case 'h':
            printf("emu-img map [-f fmt] [--start-offset=offset] "
                   "[--max-length=len] [--output=ofmt] [-U] filename\n");
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
    bs = img_open(argv[optind], fmt, 0);
    if (!bs) {
        return 1;
    }
    end = start + MIN(max_length, bs->size > start ? bs->size - start : 0);
    if (json) {
        g_string_append(out, "[");
    } else {
        g_string_append_printf(out, "%-16s%-16s%-16s%s\n", "Offset", "Length",
                               "Mapped to", "File");
    }
    for (uint64_t offset = start; offset < end;) {
        MapEntry e = { .start = offset };

        ret = map_status(bs, offset, MIN(end - offset, (uint64_t)1 << 30), &e);
        if (ret < 0) {
            img_error("%s", bdrv_last_error(bs));
            break;
        }
        if (have && map_mergeable(&cur, &e)) {
            cur.length += e.length;
        } else {
            if (have) {
                map_print(out, &cur, json, cur.start == start);
            }
            cur = e;
            have = true;
        }
        offset += e.length;
    }
    if (have) {
        map_print(out, &cur, json, cur.start == start);
    }
    if (json) {
        g_string_append(out, "]\n");
    }
    fputs(out->str, stdout);
    bdrv_unref(bs);
    return ret < 0 ? 1 : 0;
}
