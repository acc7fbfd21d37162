/*
 * device_add and device_del, in HMP and QMP, over softmmu/qdev-monitor.c
 * (the same code as -device): QEMU 7.2's listings for "help" and
 * DRIVER,help, its errors for what cannot be added or removed, and its
 * DEVICE_DELETED event once the guest has let go of a device.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "monitor/qmp-internal.h"
#include "sysemu/qdev-monitor.h"

/* ---- QMP ---- */

/* The arguments as -device's key=value pairs (numbers and booleans as
 * QEMU's keyval would write them). */
static KeyValList *qmp_device_options(QMPCall *call)
{
    KeyValList *kv = keyval_new();
    g_autoptr(GList) members = json_object_get_members(call->args);

    for (GList *l = members; l; l = l->next) {
        JsonNode *node = json_object_get_member(call->args, l->data);
        g_autofree char *text = NULL;

        if (JSON_NODE_HOLDS_VALUE(node) &&
            json_node_get_value_type(node) == G_TYPE_STRING) {
            text = g_strdup(json_node_get_string(node));
        } else if (JSON_NODE_HOLDS_VALUE(node) &&
                   json_node_get_value_type(node) == G_TYPE_BOOLEAN) {
            text = g_strdup(json_node_get_boolean(node) ? "on" : "off");
        } else {
            text = json_to_string(node, FALSE);
        }
        keyval_add(kv, l->data, text);
    }
    return kv;
}

static JsonNode *qmp_device_add(QMPCall *call, Error **errp)
{
    g_autoptr(KeyValList) kv = qmp_device_options(call);

    return qdev_device_add(kv, true, errp) ? qmp_return_empty() : NULL;
}

static JsonNode *qmp_device_del(QMPCall *call, Error **errp)
{
    DeviceState *dev = qdev_find_device(qmp_arg_str(call, "id"), errp);

    if (!dev) {
        call->error_class = "DeviceNotFound";
        return NULL;
    }
    return qdev_unplug(dev, errp) ? qmp_return_empty() : NULL;
}

/* DEVICE_DELETED: the id where the device had one, and its QOM path. */
static void qmp_device_deleted(const char *id, const char *path)
{
    JsonObject *data = json_object_new();

    if (id) {
        json_object_set_string_member(data, "device", id);
    }
    json_object_set_string_member(data, "path", path);
    qmp_broadcast_event("DEVICE_DELETED", data);
}

static void __attribute__((constructor)) qmp_device_events_init(void)
{
    qdev_set_deleted_hook(qmp_device_deleted);
}

static const QMPCommand qmp_device_commands[] = {
    { "device_add", "driver:s,id:s?,bus:s?,*", qmp_device_add },
    { "device_del", "id:s", qmp_device_del },
};

DEFINE_QMP_COMMANDS(qmp_device_commands)

/* ---- HMP ---- */

static void hmp_device_add(Monitor *mon, const MonitorArgs *args)
{
    const char *opts = monitor_arg_has(args, "device") ?
        monitor_arg_str(args, "device") : "";
    g_autoptr(KeyValList) kv = NULL;
    GString *help = g_string_new(NULL);
    Error *err = NULL;

    kv = keyval_parse(opts, "driver", &err);
    if (kv && qdev_device_help(kv, help)) {
        monitor_puts(mon, help->str);
    } else if (!kv || !qdev_device_add(kv, true, &err)) {
        hmp_handle_error(mon, err);
    }
    g_string_free(help, TRUE);
}

static void hmp_device_del(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;
    DeviceState *dev = qdev_find_device(monitor_arg_str(args, "id"), &err);

    if (!dev || !qdev_unplug(dev, &err)) {
        hmp_handle_error(mon, err);
    }
}

static const HMPCommand hmp_device_commands[] = {
    { "device_add", "device:S?", "driver[,prop=value][,...]",
      "add device, like -device on the command line", hmp_device_add },
    { "device_del", "id:s", "device",
      "remove device", hmp_device_del },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_device_commands)
