/*
 * The monitors' commands on character devices: ringbuf_write and
 * ringbuf_read (HMP), ringbuf-write and ringbuf-read (QMP) on a
 * -chardev ringbuf, with QEMU's formats and messages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "chardev/char.h"
#include "util/base64.h"

/* ---- QMP ---- */

/* The "format" argument: utf8 (the default) or base64. */
static bool qmp_format_is_base64(QMPCall *call, bool *base64, Error **errp)
{
    const char *format = qmp_arg_has(call, "format") ?
                         qmp_arg_str(call, "format") : "utf8";

    *base64 = !strcmp(format, "base64");
    if (!*base64 && strcmp(format, "utf8")) {
        error_setg(errp, "Parameter 'format' does not accept value '%s'",
                   format);
        return false;
    }
    return true;
}

static JsonNode *qmp_ringbuf_write(QMPCall *call, Error **errp)
{
    const char *data = qmp_arg_str(call, "data");
    g_autofree uint8_t *decoded = NULL;
    size_t len = strlen(data);
    bool base64;

    if (!qmp_format_is_base64(call, &base64, errp)) {
        return NULL;
    }
    if (base64) {
        decoded = base64_decode_checked(data, len, &len, errp);
        if (!decoded) {
            return NULL;
        }
    }
    if (!chardev_ringbuf_write(qmp_arg_str(call, "device"),
                               decoded ? decoded : (const uint8_t *)data,
                               len, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_ringbuf_read(QMPCall *call, Error **errp)
{
    GByteArray *data;
    JsonNode *node;
    g_autofree char *text = NULL;
    bool base64;

    if (!qmp_format_is_base64(call, &base64, errp)) {
        return NULL;
    }
    data = chardev_ringbuf_read(qmp_arg_str(call, "device"),
                                qmp_arg_int(call, "size"), errp);
    if (!data) {
        return NULL;
    }
    /* JSON strings are UTF-8: in utf8 format other bytes become U+FFFD. */
    if (!data->len) {
        text = g_strdup("");     /* an empty array has no data */
    } else if (base64) {
        text = g_base64_encode(data->data, data->len);
    } else {
        text = g_utf8_make_valid((char *)data->data, data->len);
    }
    g_byte_array_unref(data);
    node = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(node, text);
    return node;
}

static const QMPCommand qmp_chardev_commands[] = {
    { "ringbuf-write", "device:s,data:s,format:s?", qmp_ringbuf_write },
    { "ringbuf-read", "device:s,size:i,format:s?", qmp_ringbuf_read },
};

DEFINE_QMP_COMMANDS(qmp_chardev_commands)

/* ---- HMP ---- */

static void hmp_ringbuf_write(Monitor *mon, const MonitorArgs *args)
{
    const char *data = monitor_arg_str(args, "data");
    Error *err = NULL;

    if (!chardev_ringbuf_write(monitor_arg_str(args, "device"),
                               (const uint8_t *)data, strlen(data), &err)) {
        hmp_handle_error(mon, err);
    }
}

static void hmp_ringbuf_read(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;
    GByteArray *data = chardev_ringbuf_read(monitor_arg_str(args, "device"),
                                            monitor_arg_int(args, "size"),
                                            &err);
    GString *out;

    if (!data) {
        hmp_handle_error(mon, err);
        return;
    }
    /* As QEMU: backslashes doubled, other control characters but
     * newline and tab as \uXXXX, the rest as they are. */
    out = g_string_new(NULL);
    for (guint i = 0; i < data->len; i++) {
        uint8_t ch = data->data[i];

        if (ch == '\\') {
            g_string_append(out, "\\\\");
        } else if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
            g_string_append_printf(out, "\\u%04X", ch);
        } else {
            g_string_append_c(out, ch);
        }
    }
    g_string_append_c(out, '\n');
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
    g_byte_array_unref(data);
}

static const HMPCommand hmp_chardev_commands[] = {
    { "ringbuf_write", "device:s,data:s", "device data",
      "Write to a ring buffer character device", hmp_ringbuf_write },
    { "ringbuf_read", "device:s,size:i", "device size",
      "Read from a ring buffer character device", hmp_ringbuf_read },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_chardev_commands)
