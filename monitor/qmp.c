/*
 * The QMP monitor: a JSON session on a character device.
 *
 * A client gets the greeting when it connects, must send
 * qmp_capabilities first, then sends commands one JSON object at a
 * time; each gets one reply ({"return": ...} or {"error": ...}) with
 * the request's "id" echoed.  Events go to every negotiated session.
 * Replies, errors and their order follow QEMU 7.2 (see
 * docs/user-manual.md for the few differences).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/qmp.h"
#include "monitor/monitor.h"
#include "qmp-json.h"
#include "qmp-internal.h"
#include "sysemu/runstate.h"

typedef struct QMPMonitor {
    CharBackend chr;
    bool has_chr;
    GString *capture;            /* qmp_run_request_to_string */
    JsonStreamer *streamer;
    bool pretty;
    bool negotiated;             /* qmp_capabilities was sent */
    bool oob;                    /* ... with "enable": ["oob"] */
} QMPMonitor;

static GPtrArray *qmp_commands;      /* const QMPCommand * */
static GPtrArray *qmp_monitors;      /* QMPMonitor * */

void qmp_register_commands(const QMPCommand *cmds, size_t count)
{
    if (!qmp_commands) {
        qmp_commands = g_ptr_array_new();
    }
    for (size_t i = 0; i < count; i++) {
        g_ptr_array_add(qmp_commands, (gpointer)&cmds[i]);
    }
}

static const QMPCommand *qmp_find_command(const char *name)
{
    for (guint i = 0; qmp_commands && i < qmp_commands->len; i++) {
        const QMPCommand *cmd = g_ptr_array_index(qmp_commands, i);

        if (!strcmp(cmd->name, name)) {
            return cmd;
        }
    }
    return NULL;
}

GPtrArray *qmp_command_names(void)
{
    GPtrArray *names = g_ptr_array_new();

    g_ptr_array_add(names, (gpointer)"qmp_capabilities");
    for (guint i = 0; qmp_commands && i < qmp_commands->len; i++) {
        const QMPCommand *cmd = g_ptr_array_index(qmp_commands, i);

        g_ptr_array_add(names, (gpointer)cmd->name);
    }
    return names;
}

/* ---- arguments ---- */

bool qmp_arg_has(QMPCall *call, const char *name)
{
    return call->args && json_object_has_member(call->args, name);
}

JsonNode *qmp_arg_node(QMPCall *call, const char *name)
{
    return qmp_arg_has(call, name) ?
           json_object_get_member(call->args, name) : NULL;
}

const char *qmp_arg_str(QMPCall *call, const char *name)
{
    JsonNode *node = qmp_arg_node(call, name);

    return node ? json_node_get_string(node) : NULL;
}

int64_t qmp_arg_int(QMPCall *call, const char *name)
{
    int64_t value = 0;

    qmp_json_get_int64(qmp_arg_node(call, name), &value);
    return value;
}

uint64_t qmp_arg_uint(QMPCall *call, const char *name)
{
    uint64_t value = 0;

    qmp_json_get_uint64(qmp_arg_node(call, name), &value);
    return value;
}

bool qmp_arg_bool(QMPCall *call, const char *name)
{
    JsonNode *node = qmp_arg_node(call, name);

    return node && json_node_get_boolean(node);
}

JsonNode *qmp_return_object(JsonObject *obj)
{
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(node, obj);
    return node;
}

JsonNode *qmp_return_empty(void)
{
    return qmp_return_object(json_object_new());
}

static bool node_is_value_of(JsonNode *node, GType type)
{
    return JSON_NODE_TYPE(node) == JSON_NODE_VALUE &&
           json_node_get_value_type(node) == type;
}

/* Whether node fits an argument type letter, and its QEMU name. */
static bool arg_type_matches(char type, JsonNode *node, const char **expected)
{
    int64_t i;
    uint64_t u;

    switch (type) {
    case 's':
        *expected = "string";
        return node_is_value_of(node, G_TYPE_STRING);
    case 'i':
        *expected = "integer";
        return qmp_json_get_int64(node, &i);
    case 'u':
        *expected = "integer";
        return qmp_json_get_uint64(node, &u);
    case 'b':
        *expected = "boolean";
        return node_is_value_of(node, G_TYPE_BOOLEAN);
    case 'o':
        *expected = "object";
        return JSON_NODE_TYPE(node) == JSON_NODE_OBJECT;
    default:
        return true;
    }
}

/* Checks args against the command's spec, with QEMU's messages. */
static bool check_args(const QMPCommand *cmd, JsonObject *args, Error **errp)
{
    g_auto(GStrv) spec = g_strsplit(cmd->args_type, ",", -1);
    bool open_ended = false;
    g_autoptr(GList) members = NULL;

    for (char **item = spec; *item && **item; item++) {
        const char *colon = strchr(*item, ':');
        g_autofree char *name = NULL;
        JsonNode *node;
        const char *expected = NULL;

        if (!strcmp(*item, "*")) {
            open_ended = true;
            continue;
        }
        name = g_strndup(*item, colon - *item);
        node = args && json_object_has_member(args, name) ?
               json_object_get_member(args, name) : NULL;
        if (!node) {
            if (colon[2] != '?') {
                error_setg(errp, "Parameter '%s' is missing", name);
                return false;
            }
            continue;
        }
        if (!arg_type_matches(colon[1], node, &expected)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                       name, expected);
            return false;
        }
    }
    if (open_ended || !args) {
        return true;
    }
    members = json_object_get_members(args);
    for (GList *l = members; l; l = l->next) {
        bool known = false;

        for (char **item = spec; *item && **item; item++) {
            const char *colon = strchr(*item, ':');

            if (colon && !strncmp(*item, l->data, colon - *item) &&
                strlen(l->data) == (size_t)(colon - *item)) {
                known = true;
                break;
            }
        }
        if (!known) {
            error_setg(errp, "Parameter '%s' is unexpected",
                       (const char *)l->data);
            return false;
        }
    }
    return true;
}

/* ---- output ---- */

/* QEMU ends every line a monitor writes with "\r\n". */
static void qmp_send(QMPMonitor *mon, JsonNode *msg)
{
    g_autofree char *text = qmp_json_to_string(msg, mon->pretty);
    GString *out = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    g_string_append(out, "\r\n");
    if (mon->capture) {
        g_string_append_len(mon->capture, out->str, out->len);
    } else if (mon->has_chr) {
        chr_fe_write_all(&mon->chr, (const uint8_t *)out->str, out->len);
    }
    g_string_free(out, TRUE);
}

/* {"return": value} or {"error": value}, with the request's id. */
static void qmp_send_reply(QMPMonitor *mon, const char *key, JsonNode *value,
                           JsonNode *id)
{
    JsonObject *msg = json_object_new();
    JsonNode *node;

    json_object_set_member(msg, key, value);
    if (id) {
        json_object_set_member(msg, "id", json_node_copy(id));
    }
    node = qmp_return_object(msg);
    qmp_send(mon, node);
    json_node_unref(node);
}

static void qmp_send_error(QMPMonitor *mon, const char *klass,
                           const char *desc, JsonNode *id)
{
    JsonObject *error = json_object_new();

    json_object_set_string_member(error, "class", klass);
    json_object_set_string_member(error, "desc", desc);
    qmp_send_reply(mon, "error", qmp_return_object(error), id);
}

static void qmp_send_return(QMPMonitor *mon, JsonNode *ret, JsonNode *id)
{
    qmp_send_reply(mon, "return", ret, id);
}

static void qmp_send_greeting(QMPMonitor *mon)
{
    JsonObject *qmp = json_object_new();
    JsonObject *msg = json_object_new();
    JsonArray *caps = json_array_new();
    JsonNode *node;

    /* Out-of-band execution is offered as QEMU offers it; no command of
     * emu's runs out of band, so enabling it only changes the errors. */
    json_array_add_string_element(caps, "oob");
    json_object_set_member(qmp, "version", qmp_encode_version());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(msg, "QMP", qmp);
    node = qmp_return_object(msg);
    qmp_send(mon, node);
    json_node_unref(node);
}

/* ---- events ---- */

void qmp_broadcast_event(const char *name, JsonObject *data)
{
    JsonObject *msg = json_object_new();
    JsonObject *stamp = json_object_new();
    gint64 now = g_get_real_time();
    JsonNode *node;

    json_object_set_int_member(stamp, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(stamp, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(msg, "timestamp", stamp);
    json_object_set_string_member(msg, "event", name);
    if (data) {
        json_object_set_object_member(msg, "data", data);
    }
    node = qmp_return_object(msg);
    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        QMPMonitor *mon = g_ptr_array_index(qmp_monitors, i);

        /* A session still negotiating hears no events. */
        if (mon->negotiated) {
            qmp_send(mon, node);
        }
    }
    json_node_unref(node);
}

static void qmp_on_vm_event(VMEvent event, ShutdownCause cause)
{
    static const char *const names[] = {
        [VM_EVENT_STOP] = "STOP",
        [VM_EVENT_RESUME] = "RESUME",
        [VM_EVENT_RESET] = "RESET",
        [VM_EVENT_SHUTDOWN] = "SHUTDOWN",
        [VM_EVENT_POWERDOWN] = "POWERDOWN",
    };
    JsonObject *data = NULL;

    if (event == VM_EVENT_RESET || event == VM_EVENT_SHUTDOWN) {
        data = json_object_new();
        json_object_set_boolean_member(data, "guest",
                                       shutdown_cause_is_guest(cause));
        json_object_set_string_member(data, "reason",
                                      shutdown_cause_name(cause));
    }
    qmp_broadcast_event(names[event], data);
}

/* ---- dispatch ---- */

static void qmp_negotiate(QMPMonitor *mon, JsonObject *args, JsonNode *id)
{
    JsonNode *enable = args && json_object_has_member(args, "enable") ?
                       json_object_get_member(args, "enable") : NULL;
    bool oob = false;
    g_autoptr(GList) members = args ? json_object_get_members(args) : NULL;

    for (GList *l = members; l; l = l->next) {
        if (strcmp(l->data, "enable")) {
            g_autofree char *desc = g_strdup_printf(
                "Parameter '%s' is unexpected", (const char *)l->data);

            qmp_send_error(mon, "GenericError", desc, id);
            return;
        }
    }
    if (enable) {
        JsonArray *list;

        if (JSON_NODE_TYPE(enable) != JSON_NODE_ARRAY) {
            qmp_send_error(mon, "GenericError", "Invalid parameter type for "
                           "'enable', expected: array", id);
            return;
        }
        list = json_node_get_array(enable);
        for (guint i = 0; i < json_array_get_length(list); i++) {
            JsonNode *cap = json_array_get_element(list, i);
            g_autofree char *desc = NULL;

            if (!node_is_value_of(cap, G_TYPE_STRING)) {
                desc = g_strdup_printf("Invalid parameter type for "
                                       "'enable[%u]', expected: string", i);
            } else if (strcmp(json_node_get_string(cap), "oob")) {
                desc = g_strdup_printf("Parameter 'enable[%u]' does not "
                                       "accept value '%s'", i,
                                       json_node_get_string(cap));
            }
            if (desc) {
                qmp_send_error(mon, "GenericError", desc, id);
                return;
            }
            oob = true;
        }
    }
    mon->negotiated = true;
    mon->oob = oob;
    qmp_send_return(mon, qmp_return_empty(), id);
}

/* The checks of the request's envelope, in QEMU's words. */
static bool check_request(QMPMonitor *mon, JsonObject *req, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(req);
    bool has_execute = false;
    bool has_oob = false;

    for (GList *l = members; l; l = l->next) {
        const char *key = l->data;
        JsonNode *value = json_object_get_member(req, key);

        if (!strcmp(key, "execute") ||
            (!strcmp(key, "exec-oob") && mon->oob)) {
            if (!node_is_value_of(value, G_TYPE_STRING)) {
                error_setg(errp, "QMP input member '%s' must be a string",
                           key);
                return false;
            }
            has_execute |= key[4] == 'u';
            has_oob |= key[4] == '-';
        } else if (!strcmp(key, "arguments")) {
            if (JSON_NODE_TYPE(value) != JSON_NODE_OBJECT) {
                error_setg(errp, "QMP input member 'arguments' must be an "
                           "object");
                return false;
            }
        } else if (strcmp(key, "id")) {
            error_setg(errp, "QMP input member '%s' is unexpected", key);
            return false;
        }
    }
    if (has_execute && has_oob) {
        error_setg(errp, "QMP input must have either 'execute' or "
                   "'exec-oob', not both");
        return false;
    }
    if (!has_execute && !has_oob) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return false;
    }
    return true;
}

static void qmp_handle_request(QMPMonitor *mon, JsonObject *req)
{
    JsonNode *id = json_object_has_member(req, "id") ?
                   json_object_get_member(req, "id") : NULL;
    JsonObject *args = NULL;
    const char *name;
    const QMPCommand *cmd;
    QMPCall call = { .error_class = "GenericError" };
    Error *err = NULL;
    JsonNode *ret;

    if (!check_request(mon, req, &err)) {
        qmp_send_error(mon, "GenericError", error_get_pretty(err), id);
        error_free(err);
        return;
    }
    if (json_object_has_member(req, "arguments")) {
        args = json_object_get_object_member(req, "arguments");
    }
    if (json_object_has_member(req, "execute")) {
        name = json_object_get_string_member(req, "execute");
    } else {
        g_autofree char *desc = NULL;

        name = json_object_get_string_member(req, "exec-oob");
        desc = g_strdup_printf(qmp_find_command(name) ?
                               "The command %s does not support OOB" :
                               "The command %s has not been found", name);
        qmp_send_error(mon, qmp_find_command(name) ? "GenericError" :
                       "CommandNotFound", desc, id);
        return;
    }
    if (!mon->negotiated) {
        if (strcmp(name, "qmp_capabilities")) {
            qmp_send_error(mon, "CommandNotFound", "Expecting capabilities "
                           "negotiation with 'qmp_capabilities'", id);
        } else {
            qmp_negotiate(mon, args, id);
        }
        return;
    }
    if (!strcmp(name, "qmp_capabilities")) {
        qmp_send_error(mon, "CommandNotFound", "Capabilities negotiation is "
                       "already complete, command ignored", id);
        return;
    }
    cmd = qmp_find_command(name);
    if (!cmd) {
        g_autofree char *desc = g_strdup_printf("The command %s has not "
                                                "been found", name);

        qmp_send_error(mon, "CommandNotFound", desc, id);
        return;
    }
    if (!check_args(cmd, args, &err)) {
        qmp_send_error(mon, "GenericError", error_get_pretty(err), id);
        error_free(err);
        return;
    }
    call.args = args;
    ret = cmd->handler(&call, &err);
    if (!ret) {
        qmp_send_error(mon, call.error_class, error_get_pretty(err), id);
        error_free(err);
        return;
    }
    qmp_send_return(mon, ret, id);
}

static void qmp_on_value(void *opaque, JsonNode *value, Error *err)
{
    QMPMonitor *mon = opaque;

    if (!value) {
        qmp_send_error(mon, "GenericError", error_get_pretty(err), NULL);
        error_free(err);
        return;
    }
    if (JSON_NODE_TYPE(value) != JSON_NODE_OBJECT) {
        qmp_send_error(mon, "GenericError", "QMP input must be a JSON object",
                       NULL);
    } else {
        qmp_handle_request(mon, json_node_get_object(value));
    }
    json_node_unref(value);
}

/* ---- the character device ---- */

static int qmp_can_read(void *opaque)
{
    return 4096;
}

static void qmp_read(void *opaque, const uint8_t *buf, int len)
{
    QMPMonitor *mon = opaque;

    json_streamer_feed(mon->streamer, buf, len);
}

static void qmp_event(void *opaque, ChrEvent event)
{
    QMPMonitor *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        /* Each client starts a session of its own. */
        mon->negotiated = false;
        mon->oob = false;
        json_streamer_reset(mon->streamer);
        qmp_send_greeting(mon);
        break;
    case CHR_EVENT_CLOSED:
        mon->negotiated = false;
        json_streamer_reset(mon->streamer);
        break;
    default:
        break;
    }
}

static QMPMonitor *qmp_monitor_alloc(bool pretty)
{
    QMPMonitor *mon = g_new0(QMPMonitor, 1);

    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
        runstate_add_event_listener(qmp_on_vm_event);
    }
    mon->pretty = pretty;
    mon->streamer = json_streamer_new(qmp_on_value, mon);
    g_ptr_array_add(qmp_monitors, mon);
    return mon;
}

static void qmp_monitor_free(QMPMonitor *mon)
{
    g_ptr_array_remove(qmp_monitors, mon);
    if (mon->has_chr) {
        chr_fe_deinit(&mon->chr);
    }
    json_streamer_free(mon->streamer);
    g_free(mon);
}

bool qmp_monitor_new(Chardev *chr, bool pretty, Error **errp)
{
    QMPMonitor *mon = qmp_monitor_alloc(pretty);

    if (!chr_fe_init(&mon->chr, chr, errp)) {
        qmp_monitor_free(mon);
        return false;
    }
    mon->has_chr = true;
    chr_fe_set_handlers(&mon->chr, qmp_can_read, qmp_read, qmp_event, mon);
    return true;
}

void qmp_cleanup_all(void)
{
    while (qmp_monitors && qmp_monitors->len) {
        qmp_monitor_free(g_ptr_array_index(qmp_monitors, 0));
    }
}

char *qmp_run_request_to_string(const char *request)
{
    QMPMonitor *mon = qmp_monitor_alloc(false);
    GString *out = g_string_new(NULL);

    mon->capture = out;
    mon->negotiated = true;
    json_streamer_feed(mon->streamer, (const uint8_t *)request,
                       strlen(request));
    /* The end of the text ends a value the way a newline would. */
    json_streamer_feed(mon->streamer, (const uint8_t *)"\n", 1);
    qmp_monitor_free(mon);
    return g_string_free(out, FALSE);
}
