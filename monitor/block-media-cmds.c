/*
 * The monitor's medium changes (block/removable-media.h): HMP "eject"
 * and "change", QMP "eject" and "blockdev-change-medium", and the QMP
 * event DEVICE_TRAY_MOVED whenever a tray opens or closes, from the
 * monitor or from the guest; QEMU 7.2's arguments, messages and event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "qmp-internal.h"
#include "block/removable-media.h"
#include "hw/qdev.h"

/* The backend attached to the device whose id= is qdev_id. */
static BlockBackend *blk_by_qdev_id(const char *qdev_id)
{
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        DeviceState *dev = blk_get_attached_dev(blk);

        if (dev && dev->id && !strcmp(dev->id, qdev_id)) {
            return blk;
        }
    }
    return NULL;
}

/*
 * The backend named device, or the one attached to the device whose id
 * is qdev_id: exactly one of them is given.  *not_found says the error
 * is QMP's DeviceNotFound.
 */
static BlockBackend *find_blk(const char *device, const char *qdev_id,
                              bool *not_found, Error **errp)
{
    BlockBackend *blk;

    *not_found = false;
    if (!device == !qdev_id) {
        error_setg(errp, "Need exactly one of 'device' and 'id'");
        return NULL;
    }
    blk = device ? blk_by_name(device) : blk_by_qdev_id(qdev_id);
    if (!blk) {
        *not_found = true;
        error_setg(errp, "Device '%s' not found", device ? device : qdev_id);
    }
    return blk;
}

/* ---- QMP ---- */

static BlockBackend *qmp_get_blk(QMPCall *call, const char **name,
                                 Error **errp)
{
    const char *device = qmp_arg_str(call, "device");
    const char *id = qmp_arg_str(call, "id");
    bool not_found;
    BlockBackend *blk = find_blk(device, id, &not_found, errp);

    if (not_found) {
        call->error_class = "DeviceNotFound";
    }
    *name = device ? device : id;
    return blk;
}

static JsonNode *qmp_eject(QMPCall *call, Error **errp)
{
    const char *name;
    BlockBackend *blk = qmp_get_blk(call, &name, errp);

    if (!blk || !blk_eject_medium(blk, name, qmp_arg_bool(call, "force"),
                                  errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_blockdev_change_medium(QMPCall *call, Error **errp)
{
    const char *mode_name = qmp_arg_str(call, "read-only-mode");
    BlockChangeReadOnlyMode mode = BLOCK_CHANGE_RO_RETAIN;
    const char *name;
    BlockBackend *blk;

    if (mode_name && !block_change_ro_mode_parse(mode_name, &mode)) {
        error_setg(errp, "Parameter 'read-only-mode' does not accept value "
                   "'%s'", mode_name);
        return NULL;
    }
    blk = qmp_get_blk(call, &name, errp);
    if (!blk ||
        !blk_change_medium(blk, name, qmp_arg_str(call, "filename"),
                           qmp_arg_str(call, "format"),
                           qmp_arg_bool(call, "force"), mode, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static const QMPCommand qmp_block_media_commands[] = {
    { "eject", "device:s?,id:s?,force:b?", qmp_eject },
    { "blockdev-change-medium", "device:s?,id:s?,filename:s,format:s?,"
      "force:b?,read-only-mode:s?", qmp_blockdev_change_medium },
};

DEFINE_QMP_COMMANDS(qmp_block_media_commands)

/* DEVICE_TRAY_MOVED, with QEMU's members in its order. */
static void qmp_on_tray_moved(BlockBackend *blk, const char *qdev, bool open)
{
    JsonObject *data = json_object_new();

    json_object_set_string_member(data, "device", blk_name(blk));
    json_object_set_boolean_member(data, "tray-open", open);
    json_object_set_string_member(data, "id", qdev);
    qmp_broadcast_event("DEVICE_TRAY_MOVED", data);
}

static void __attribute__((constructor)) register_tray_event(void)
{
    blk_add_tray_listener(qmp_on_tray_moved);
}

/* ---- HMP ---- */

static void hmp_eject(Monitor *mon, const MonitorArgs *args)
{
    const char *device = monitor_arg_str(args, "device");
    Error *err = NULL;
    bool not_found;
    BlockBackend *blk = find_blk(device, NULL, &not_found, &err);

    if (blk) {
        blk_eject_medium(blk, device, monitor_arg_flag(args, "force"), &err);
    }
    hmp_handle_error(mon, err);
}

static void hmp_change(Monitor *mon, const MonitorArgs *args)
{
    const char *device = monitor_arg_str(args, "device");
    const char *mode_name = monitor_arg_str(args, "read-only-mode");
    BlockChangeReadOnlyMode mode = BLOCK_CHANGE_RO_RETAIN;
    Error *err = NULL;
    BlockBackend *blk;
    bool not_found;

    if (mode_name && !block_change_ro_mode_parse(mode_name, &mode)) {
        error_setg(&err, "invalid parameter value: %s", mode_name);
    } else if ((blk = find_blk(device, NULL, &not_found, &err))) {
        blk_change_medium(blk, device, monitor_arg_str(args, "target"),
                          monitor_arg_str(args, "arg"),
                          monitor_arg_flag(args, "force"), mode, &err);
    }
    hmp_handle_error(mon, err);
}

static const HMPCommand hmp_block_media_commands[] = {
    { "eject", "force:-f,device:B", "[-f] device",
      "eject a removable medium (use -f to force it)", hmp_eject },
    { "change", "device:B,force:-f,target:F,arg:s?,read-only-mode:s?",
      "device [-f] filename [format [read-only-mode]]",
      "change a removable medium, optional format, use -f to force the "
      "operation", hmp_change },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_block_media_commands)
