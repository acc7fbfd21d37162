/*
 * The object tree from the monitors: qom-list, qom-get, qom-set (HMP
 * and QMP) and info qom-tree.  Both monitors go through the functions
 * at the top, which say what QEMU says when a path or property is
 * wrong; every object also has QEMU's read-only "type" property.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "qmp-json.h"
#include "hw/qdev.h"

typedef struct QomPropertyInfo {
    char *name;
    char *type;                  /* "child<container>", "bool", "uint32" */
} QomPropertyInfo;

/* ---- the queries ---- */

static Object *qom_resolve(const char *path, QMPCall *call, Error **errp)
{
    Object *obj = object_resolve_path(path);

    if (!obj) {
        error_setg(errp, "Device '%s' not found", path);
        if (call) {
            call->error_class = "DeviceNotFound";
        }
    }
    return obj;
}

static void qom_property_info_clear(gpointer data)
{
    QomPropertyInfo *info = data;

    g_free(info->name);
    g_free(info->type);
}

static void add_property_info(GArray *list, const char *name, char *type)
{
    QomPropertyInfo info = { g_strdup(name), type };

    g_array_append_val(list, info);
}

/* "type", the properties, then the children. */
static GArray *qom_list(Object *obj)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(QomPropertyInfo));
    GPtrArray *props = object_class_get_properties(obj->klass);
    GSList *children = object_get_children_sorted(obj);
    bool device = object_dynamic_cast(obj, TYPE_DEVICE);

    g_array_set_clear_func(list, qom_property_info_clear);
    add_property_info(list, "type", g_strdup("string"));
    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);
        g_autofree char *type = device ? property_type_name(prop)
                                       : property_object_type_name(prop);

        /* "<uint32>" -> "uint32" */
        add_property_info(list, prop->name,
                          g_strndup(type + 1, strlen(type) - 2));
    }
    g_ptr_array_unref(props);
    for (GSList *l = children; l; l = l->next) {
        Object *child = l->data;

        add_property_info(list, child->name,
                          g_strdup_printf("child<%s>",
                                          object_get_typename(child)));
    }
    g_slist_free(children);
    return list;
}

static const Property *qom_find_property(Object *obj, const char *name,
                                         Error **errp)
{
    const Property *prop = object_class_find_property(obj->klass, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
    }
    return prop;
}

/* QEMU keeps a realized device's properties fixed. */
static bool qom_check_settable(Object *obj, const char *name, Error **errp)
{
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (dev && dev->realized) {
        error_setg(errp, "Attempt to set property '%s' on device '%s' "
                   "(type '%s') after it was realized", name,
                   obj->name ? obj->name : "", object_get_typename(obj));
        return false;
    }
    return true;
}

/* ---- QMP ---- */

static JsonNode *qmp_qom_list(QMPCall *call, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(call, "path"), call, errp);
    JsonArray *out;
    JsonNode *node;
    GArray *list;

    if (!obj) {
        return NULL;
    }
    list = qom_list(obj);
    out = json_array_new();
    for (guint i = 0; i < list->len; i++) {
        QomPropertyInfo *info = &g_array_index(list, QomPropertyInfo, i);
        JsonObject *item = json_object_new();

        json_object_set_string_member(item, "name", info->name);
        json_object_set_string_member(item, "type", info->type);
        json_array_add_object_element(out, item);
    }
    g_array_unref(list);
    node = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(node, out);
    return node;
}

/* A property's value as QMP returns it (and HMP prints it). */
static JsonNode *qom_get(Object *obj, const char *name, Error **errp)
{
    const Property *prop;
    JsonNode *node;

    if (!strcmp(name, "type")) {
        node = json_node_new(JSON_NODE_VALUE);
        json_node_set_string(node, object_get_typename(obj));
        return node;
    }
    prop = qom_find_property(obj, name, errp);
    if (!prop) {
        return NULL;
    }
    node = json_node_new(JSON_NODE_VALUE);
    switch (prop->kind) {
    case PROP_KIND_BOOL:
        json_node_set_boolean(node, object_property_get_bool(obj, name,
                                                             NULL));
        break;
    case PROP_KIND_INT:
        json_node_set_int(node, object_property_get_int(obj, name, NULL));
        break;
    case PROP_KIND_UINT:
    case PROP_KIND_SIZE: {
        uint64_t value = object_property_get_uint(obj, name, NULL);

        /* json-glib's integers are signed: larger values as doubles. */
        if (value > INT64_MAX) {
            json_node_set_double(node, (double)value);
        } else {
            json_node_set_int(node, value);
        }
        break;
    }
    default: {
        g_autofree char *text = object_property_print(obj, name, NULL);

        json_node_set_string(node, text);
    }
    }
    return node;
}

static JsonNode *qmp_qom_get(QMPCall *call, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(call, "path"), call, errp);

    return obj ? qom_get(obj, qmp_arg_str(call, "property"), errp) : NULL;
}

static bool qom_set_from_json(Object *obj, const Property *prop,
                              JsonNode *value, Error **errp)
{
    int64_t i;
    uint64_t u;

    if (JSON_NODE_TYPE(value) != JSON_NODE_VALUE) {
        error_setg(errp, "Invalid parameter type for 'value', expected: %s",
                   prop->kind == PROP_KIND_BOOL ? "boolean" :
                   prop->kind == PROP_KIND_STRING ||
                   prop->kind == PROP_KIND_ENUM ||
                   prop->kind == PROP_KIND_LINK ? "string" : "integer");
        return false;
    }
    switch (json_node_get_value_type(value)) {
    case G_TYPE_BOOLEAN:
        return object_property_set_bool(obj, prop->name,
                                        json_node_get_boolean(value), errp);
    case G_TYPE_STRING:
        return object_property_parse(obj, prop->name,
                                     json_node_get_string(value), errp);
    default:
        if (prop->kind == PROP_KIND_INT && qmp_json_get_int64(value, &i)) {
            return object_property_set_int(obj, prop->name, i, errp);
        }
        if (qmp_json_get_uint64(value, &u)) {
            return object_property_set_uint(obj, prop->name, u, errp);
        }
        error_setg(errp, "Invalid parameter type for 'value', expected: "
                   "integer");
        return false;
    }
}

static JsonNode *qmp_qom_set(QMPCall *call, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(call, "path"), call, errp);
    const char *name = qmp_arg_str(call, "property");
    const Property *prop;

    if (!obj) {
        return NULL;
    }
    if (!strcmp(name, "type")) {
        error_setg(errp, "Property '%s.type' is not writable",
                   object_get_typename(obj));
        return NULL;
    }
    prop = qom_find_property(obj, name, errp);
    if (!prop || !qom_check_settable(obj, name, errp) ||
        !qom_set_from_json(obj, prop, qmp_arg_node(call, "value"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static const QMPCommand qmp_qom_commands[] = {
    { "qom-list", "path:s", qmp_qom_list },
    { "qom-get", "path:s,property:s", qmp_qom_get },
    { "qom-set", "path:s,property:s,value:a", qmp_qom_set },
};

DEFINE_QMP_COMMANDS(qmp_qom_commands)

/* ---- HMP ---- */

static void print_object_tree(Object *obj, GString *out, int indent)
{
    GSList *children = object_get_children_sorted(obj);

    g_string_append_printf(out, "%*s/%s (%s)\n", indent, "",
                           obj->name ? obj->name : "",
                           object_get_typename(obj));
    for (GSList *l = children; l; l = l->next) {
        print_object_tree(l->data, out, indent + 2);
    }
    g_slist_free(children);
}

static void hmp_info_qom_tree(Monitor *mon, const MonitorArgs *args)
{
    const char *path = monitor_arg_str(args, "path");
    Object *obj = object_resolve_path(path ? path : "/machine");
    GString *out;

    if (!obj) {
        monitor_printf(mon, "Path '%s' could not be resolved.\n", path);
        return;
    }
    out = g_string_new(NULL);
    print_object_tree(obj, out, 0);
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

static void hmp_qom_list(Monitor *mon, const MonitorArgs *args)
{
    const char *path = monitor_arg_str(args, "path");
    Object *obj = object_resolve_path(path ? path : "/");
    GArray *list;

    if (!obj) {
        monitor_printf(mon, "Error: Device '%s' not found\n", path);
        return;
    }
    list = qom_list(obj);
    for (guint i = 0; i < list->len; i++) {
        QomPropertyInfo *info = &g_array_index(list, QomPropertyInfo, i);

        monitor_printf(mon, "%s (%s)\n", info->name, info->type);
    }
    g_array_unref(list);
}

static void hmp_qom_get(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;
    Object *obj = qom_resolve(monitor_arg_str(args, "path"), NULL, &err);
    JsonNode *value = NULL;
    g_autofree char *text = NULL;

    if (obj) {
        value = qom_get(obj, monitor_arg_str(args, "property"), &err);
    }
    if (!value) {
        hmp_handle_error(mon, err);
        return;
    }
    /* QEMU prints the value as JSON: strings in quotes. */
    text = qmp_json_to_string(value, true);
    json_node_unref(value);
    monitor_printf(mon, "%s\n", text);
}

static void hmp_qom_set(Monitor *mon, const MonitorArgs *args)
{
    const char *name = monitor_arg_str(args, "property");
    Error *err = NULL;
    Object *obj = qom_resolve(monitor_arg_str(args, "path"), NULL, &err);

    if (!obj || !qom_find_property(obj, name, &err) ||
        !qom_check_settable(obj, name, &err) ||
        !object_property_parse(obj, name, monitor_arg_str(args, "value"),
                               &err)) {
        hmp_handle_error(mon, err);
    }
}

static const HMPCommand hmp_qom_commands[] = {
    { "qom-list", "path:s?", "path", "list QOM properties", hmp_qom_list },
    { "qom-get", "path:s,property:s", "path property", "print QOM property",
      hmp_qom_get },
    { "qom-set", "path:s,property:s,value:S", "path property value",
      "set QOM property", hmp_qom_set },
};

static const HMPCommand hmp_qom_info_commands[] = {
    { "qom-tree", "path:s?", "[path]", "show QOM composition tree",
      hmp_info_qom_tree },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_qom_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_qom_info_commands)
