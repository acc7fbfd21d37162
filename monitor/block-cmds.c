/*
 * The monitor's view of the drives: HMP "info block" and QMP
 * "query-block", both from blk_query_all (block/block-backend.h), and
 * HMP "info snapshots", in QEMU 7.2's words and member order; and what
 * it changes: HMP and QMP "block_resize", HMP "commit".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "monitor-internal.h"
#include "qmp-internal.h"
#include "block/block-backend.h"
#include "block/block-int.h"

static void print_block_info(GString *out, const BlockBackendInfo *b)
{
    if (!b->inserted) {
        g_string_append_printf(out, "%s: [not inserted]\n", b->name);
    } else {
        /* A -blockdev node's backend has no name: QEMU shows the node. */
        if (b->name[0]) {
            g_string_append_printf(out, "%s (%s)", b->name, b->node_name);
        } else {
            g_string_append(out, b->node_name);
        }
        g_string_append_printf(out, ": %s (%s%s)\n", b->filename, b->format,
                               b->read_only ? ", read-only" : "");
    }
    if (b->qdev) {
        g_string_append_printf(out, "    Attached to:      %s\n", b->qdev);
    }
    if (b->removable) {
        g_string_append_printf(out, "    Removable device: %slocked, "
                               "tray %s\n", b->locked ? "" : "not ",
                               b->tray_open ? "open" : "closed");
    }
    if (!b->inserted) {
        return;
    }
    g_string_append_printf(out, "    Cache mode:       %s%s%s\n",
                           b->writeback ? "writeback" : "writethrough",
                           b->direct ? ", direct" : "",
                           b->no_flush ? ", ignore flushes" : "");
    if (b->backing_file) {
        g_string_append_printf(out, "    Backing file:     %s (chain depth: "
                               "%d)\n", b->backing_file, b->backing_depth);
    }
}

static void hmp_info_block(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GArray) list = blk_query_all();
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < list->len; i++) {
        if (i) {
            g_string_append(out, "\n");
        }
        print_block_info(out, &g_array_index(list, BlockBackendInfo, i));
    }
    monitor_puts(mon, out->str);
    g_string_free(out, true);
}

/* ImageInfo of a node and, nested unless flat, of its backing chain. */
static JsonObject *encode_image(BlockDriverState *bs, const char *filename,
                                bool flat)
{
    JsonObject *image = json_object_new();
    g_autoptr(GArray) fields = g_array_new(false, true,
                                           sizeof(ImageInfoField));
    uint32_t cluster_size = 0;
    bool dirty = false;

    if (bs->drv->get_info) {
        bs->drv->get_info(bs, &cluster_size, &dirty, fields);
    }
    if (bs->backing && !flat) {
        json_object_set_object_member(image, "backing-image",
                                      encode_image(bs->backing,
                                                   bs->backing->filename,
                                                   false));
    }
    if (bs->backing_file && bs->backing_format) {
        json_object_set_string_member(image, "backing-filename-format",
                                      bs->backing_format);
    }
    /* A file node's size in whole sectors, as QEMU's bdrv_getlength. */
    json_object_set_int_member(image, "virtual-size",
                               DIV_ROUND_UP(bs->size, BDRV_SECTOR_SIZE) *
                               BDRV_SECTOR_SIZE);
    json_object_set_string_member(image, "filename", filename);
    if (cluster_size) {
        json_object_set_int_member(image, "cluster-size", cluster_size);
    }
    json_object_set_string_member(image, "format", bs->drv->name);
    json_object_set_int_member(image, "actual-size",
                               bs->drv->allocated_size ?
                               bs->drv->allocated_size(bs) : 0);
    if (fields->len) {
        JsonObject *specific = json_object_new();
        JsonObject *data = json_object_new();

        for (guint i = 0; i < fields->len; i++) {
            ImageInfoField *f = &g_array_index(fields, ImageInfoField, i);

            if (f->str) {
                json_object_set_string_member(data, f->key, f->str);
            } else if (f->is_bool) {
                json_object_set_boolean_member(data, f->key, f->boolean);
            } else {
                json_object_set_int_member(data, f->key, f->number);
            }
            g_free(f->str);
        }
        json_object_set_string_member(specific, "type", bs->drv->name);
        json_object_set_object_member(specific, "data", data);
        json_object_set_object_member(image, "format-specific", specific);
    }
    if (bs->backing_file) {
        g_autofree char *full = bdrv_backing_path(bs->filename,
                                                  bs->backing_file);

        json_object_set_string_member(image, "full-backing-filename", full);
        json_object_set_string_member(image, "backing-filename",
                                      bs->backing_file);
    }
    json_object_set_boolean_member(image, "dirty-flag", dirty);
    return image;
}

/* BlockDeviceInfo: emu has no I/O throttling, so its limits are 0. */
static JsonObject *encode_inserted(const BlockBackendInfo *b, bool flat)
{
    JsonObject *ins = json_object_new();
    JsonObject *cache = json_object_new();

    json_object_set_int_member(ins, "iops_rd", 0);
    json_object_set_string_member(ins, "detect_zeroes", "off");
    json_object_set_object_member(ins, "image",
                                  encode_image(b->root, b->filename, flat));
    json_object_set_int_member(ins, "iops_wr", 0);
    json_object_set_boolean_member(ins, "ro", b->read_only);
    json_object_set_string_member(ins, "node-name", b->node_name);
    json_object_set_int_member(ins, "backing_file_depth", b->backing_depth);
    json_object_set_string_member(ins, "drv", b->format);
    json_object_set_int_member(ins, "iops", 0);
    json_object_set_int_member(ins, "bps_wr", 0);
    json_object_set_int_member(ins, "write_threshold", 0);
    if (b->backing_file) {
        json_object_set_string_member(ins, "backing_file", b->backing_file);
    }
    json_object_set_boolean_member(ins, "encrypted", false);
    json_object_set_int_member(ins, "bps", 0);
    json_object_set_int_member(ins, "bps_rd", 0);
    json_object_set_boolean_member(cache, "no-flush", b->no_flush);
    json_object_set_boolean_member(cache, "direct", b->direct);
    json_object_set_boolean_member(cache, "writeback", b->writeback);
    json_object_set_object_member(ins, "cache", cache);
    json_object_set_string_member(ins, "file", b->filename);
    return ins;
}

static JsonNode *qmp_query_block(QMPCall *call, Error **errp)
{
    g_autoptr(GArray) list = blk_query_all();
    JsonArray *arr = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    for (guint i = 0; i < list->len; i++) {
        const BlockBackendInfo *b = &g_array_index(list, BlockBackendInfo, i);
        JsonObject *dev = json_object_new();

        if (b->iostatus) {
            json_object_set_string_member(dev, "io-status", "ok");
        }
        json_object_set_string_member(dev, "device", b->name);
        json_object_set_boolean_member(dev, "locked", b->locked);
        json_object_set_boolean_member(dev, "removable", b->removable);
        if (b->inserted) {
            json_object_set_object_member(dev, "inserted",
                                          encode_inserted(b, false));
        }
        if (b->qdev) {
            json_object_set_string_member(dev, "qdev", b->qdev);
        }
        if (b->has_tray) {
            json_object_set_boolean_member(dev, "tray_open", b->tray_open);
        }
        json_object_set_string_member(dev, "type", "unknown");
        json_array_add_object_element(arr, dev);
    }
    json_node_take_array(node, arr);
    return node;
}

/* Every node, file and backing nodes too, as QEMU lists them. */
static JsonNode *qmp_query_named_block_nodes(QMPCall *call, Error **errp)
{
    bool flat = qmp_arg_has(call, "flat") && qmp_arg_bool(call, "flat");
    g_autoptr(GArray) list = blk_query_nodes(flat);
    JsonArray *arr = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    for (guint i = 0; i < list->len; i++) {
        json_array_add_object_element(
            arr, encode_inserted(&g_array_index(list, BlockBackendInfo, i),
                                 flat));
    }
    json_node_take_array(node, arr);
    return node;
}

/* ---- info snapshots ---- */

typedef struct DriveSnapshots {
    const char *name;
    SnapshotInfo *list;
    int n;
    bool *in_all;                /* listed with every drive's */
} DriveSnapshots;

static bool has_snapshot(const DriveSnapshots *d, const char *name)
{
    for (int i = 0; i < d->n; i++) {
        if (!strcmp(d->list[i].id, name) || !strcmp(d->list[i].name, name)) {
            return true;
        }
    }
    return false;
}

/*
 * QEMU 7.2's hmp_info_snapshots: the snapshots of the first snapshot-
 * capable drive that every writable drive has too (their ids may differ
 * between drives: "--"), then each drive's others as partial ones.
 */
static void hmp_info_snapshots(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GArray) list = blk_query_all();
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GArray) drives = g_array_new(false, true,
                                           sizeof(DriveSnapshots));
    DriveSnapshots *first = NULL;
    bool any = false, all_capable = true;
    int total = 0;

    for (guint i = 0; i < list->len; i++) {
        const BlockBackendInfo *b = &g_array_index(list, BlockBackendInfo, i);
        DriveSnapshots d = { .name = b->name };

        if (!b->inserted || b->read_only) {
            continue;
        }
        d.n = blk_snapshot_list(b->blk, &d.list);
        if (d.n == -ENOTSUP) {
            all_capable = false;     /* its format keeps no snapshots */
            continue;
        }
        /* (MAX would make the call twice) */
        d.n = MAX(d.n, 0);
        d.in_all = g_new0(bool, MAX(d.n, 1));
        any |= d.n > 0;
        g_array_append_val(drives, d);
    }
    if (!drives->len) {
        monitor_puts(mon, "no block device can store vmstate for "
                     "snapshot\n");
        return;
    }
    if (!any) {
        monitor_puts(mon, "There is no snapshot available.\n");
        goto out;
    }
    first = &g_array_index(drives, DriveSnapshots, 0);
    g_string_append(out, "List of snapshots present on all disks:\n");
    for (int i = 0; i < first->n; i++) {
        const char *name = first->list[i].name;
        bool everywhere = all_capable;

        for (guint j = 0; everywhere && j < drives->len; j++) {
            everywhere = has_snapshot(&g_array_index(drives, DriveSnapshots,
                                                     j), name);
        }
        if (!everywhere) {
            continue;
        }
        if (!total++) {
            snapshot_info_append_header(out);
            g_string_append_c(out, '\n');
        }
        snapshot_info_append(out, &first->list[i], "--");
        g_string_append_c(out, '\n');
        for (guint j = 0; j < drives->len; j++) {
            DriveSnapshots *d = &g_array_index(drives, DriveSnapshots, j);

            for (int k = 0; k < d->n; k++) {
                d->in_all[k] |= !strcmp(d->list[k].name, name);
            }
        }
    }
    if (!total) {
        g_string_append(out, "None\n");
    }
    for (guint j = 0; j < drives->len; j++) {
        DriveSnapshots *d = &g_array_index(drives, DriveSnapshots, j);
        bool header = false;

        for (int k = 0; k < d->n; k++) {
            if (d->in_all[k]) {
                continue;
            }
            if (!header) {
                g_string_append_printf(out, "\nList of partial "
                                       "(non-loadable) snapshots on '%s':\n",
                                       d->name);
                snapshot_info_append_header(out);
                g_string_append_c(out, '\n');
                header = true;
            }
            snapshot_info_append(out, &d->list[k], NULL);
            g_string_append_c(out, '\n');
        }
    }
    monitor_puts(mon, out->str);
out:
    for (guint j = 0; j < drives->len; j++) {
        DriveSnapshots *d = &g_array_index(drives, DriveSnapshots, j);

        snapshot_info_list_free(d->list, d->n);
        g_free(d->in_all);
    }
}

/* ---- block_resize, commit ---- */

static void hmp_block_resize(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;
    BlockBackend *blk = blk_lookup(monitor_arg_str(args, "device"), NULL,
                                   &err);

    if (blk) {
        blk_truncate(blk, monitor_arg_int(args, "size"), &err);
    }
    hmp_handle_error(mon, err);
}

/*
 * QMP block_resize's drive: by name, else by its top node's name.  A
 * node under another is refused as QEMU refuses it: a backing node is
 * blocked ("(null)": QEMU's words), a file node's parent will not share
 * the resize.
 */
static BlockBackend *resize_target(const char *device, const char *node_name,
                                   Error **errp)
{
    BlockDriverState *bs = node_name ? bdrv_find_node(node_name) : NULL;
    BlockDriverState *parent = bs ? bdrv_find_parent(bs) : NULL;

    if (parent && !(device && blk_by_name(device))) {
        if (parent->backing == bs) {
            error_setg(errp, "Device '(null)' is in use");
        } else {
            error_setg(errp, "Permission conflict on node '%s': permissions "
                       "'resize' are both required by an unnamed block "
                       "device (uses node '%s' as 'root' child) and "
                       "unshared by node '%s' (uses node '%s' as 'file' "
                       "child).", node_name, node_name, parent->node_name,
                       node_name);
        }
        return NULL;
    }
    return blk_lookup(device, node_name, errp);
}

static JsonNode *qmp_block_resize(QMPCall *call, Error **errp)
{
    int64_t size = qmp_arg_int(call, "size");
    BlockBackend *blk;

    if (size < 0) {
        error_setg(errp, "Parameter 'size' expects a >0 size");
        return NULL;
    }
    blk = resize_target(qmp_arg_str(call, "device"),
                        qmp_arg_str(call, "node-name"), errp);
    if (!blk || !blk_truncate(blk, size, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

/*
 * QEMU's one line, with strerror; what emu knows more (a lock someone
 * else holds, the write that failed) follows on a line of its own.
 */
static void hmp_commit(Monitor *mon, const MonitorArgs *args)
{
    const char *device = monitor_arg_str(args, "device");
    BlockBackend *blk = NULL;
    Error *err = NULL;
    int ret;

    if (!strcmp(device, "all")) {
        ret = blk_commit_all(&blk, &err);
    } else {
        blk = blk_lookup(device, NULL, NULL);
        if (!blk) {
            monitor_printf(mon, "Device '%s' not found\n", device);
            return;
        }
        if (!blk_is_inserted(blk)) {
            monitor_printf(mon, "Device '%s' has no medium\n", device);
            return;
        }
        ret = blk_commit(blk, &err);
    }
    if (ret < 0) {
        monitor_printf(mon, "'commit' error for '%s': %s\n", device,
                       strerror(-ret));
        if (ret != -ENOTSUP && ret != -EBUSY) {
            monitor_printf(mon, "(%s: %s)\n", blk_name(blk),
                           error_get_pretty(err));
        }
    }
    error_free(err);
}

static const HMPCommand hmp_block_commands[] = {
    { "block_resize", "device:B,size:o", "device size",
      "resize a block image", hmp_block_resize },
    { "commit", "device:B", "device|all",
      "commit changes to the disk images (if -snapshot is used) or "
      "backing files", hmp_commit },
};

static const HMPCommand hmp_block_info_commands[] = {
    { "block", "", "", "show the block devices", hmp_info_block },
    { "snapshots", "", "", "show the currently saved VM snapshots",
      hmp_info_snapshots },
};

static const QMPCommand qmp_block_commands[] = {
    { "query-block", "", qmp_query_block },
    { "query-named-block-nodes", "flat:b?", qmp_query_named_block_nodes },
    { "block_resize", "device:s?,node-name:s?,size:i", qmp_block_resize },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_block_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_block_info_commands)
DEFINE_QMP_COMMANDS(qmp_block_commands)
