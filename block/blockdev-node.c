/*
 * -blockdev: a named image node, in QEMU's two forms,
 *
 *   -blockdev driver=qcow2,node-name=disk,file.driver=file,file.filename=d.qcow2
 *   -blockdev '{"driver": "qcow2", "node-name": "disk",
 *               "file": {"driver": "file", "filename": "d.qcow2"}}'
 *   -blockdev driver=file,node-name=f,filename=d.qcow2
 *   -blockdev driver=qcow2,node-name=disk,file=f       (a node by its name)
 *
 * that a device takes by its node name (-device virtio-blk-pci,drive=disk).
 * Drivers: file, raw, qcow2.  The JSON form is flattened into the dotted
 * keys of the other, so both are read by the same code.
 *
 * emu's graph has one BlockBackend per image chain: each node becomes a
 * backend without a name (QEMU's device="" backends) whose top node has
 * the node name.  A format node over a file node given by name takes
 * that file node's place (the file node's backend is closed: its file is
 * now under the format).  As in QEMU, a node no device uses is not
 * listed by "info block" or query-block.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <json-glib/json-glib.h>
#include "util/cutils.h"
#include "util/keyval.h"
#include "sysemu/blockdev.h"

/* A -blockdev node: its backend, and what it was opened from. */
typedef struct BlockdevNode {
    char *node_name;
    char *driver;
    char *filename;
    BlockOpenOptions open;       /* strings: the node's own copies */
    char *raw_offset, *raw_size; /* raw's offset= and size=, as given */
    BlockBackend *blk;           /* NULL once a format node took it */
} BlockdevNode;

static GPtrArray *nodes;         /* BlockdevNode * */

static BlockdevNode *node_find(const char *name)
{
    for (guint i = 0; nodes && i < nodes->len; i++) {
        BlockdevNode *n = g_ptr_array_index(nodes, i);

        if (!strcmp(n->node_name, name)) {
            return n;
        }
    }
    return NULL;
}

/* {"a": {"b": 1}, "c": true} -> a.b=1, c=on */
static bool flatten_json(JsonObject *obj, const char *prefix,
                         KeyValList *kv, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(obj);

    for (GList *m = members; m; m = m->next) {
        const char *name = m->data;
        JsonNode *value = json_object_get_member(obj, name);
        g_autofree char *key = g_strconcat(prefix, name, NULL);
        g_autofree char *text = NULL;

        switch (json_node_get_node_type(value)) {
        case JSON_NODE_OBJECT: {
            g_autofree char *inner = g_strconcat(key, ".", NULL);

            if (!flatten_json(json_node_get_object(value), inner, kv,
                              errp)) {
                return false;
            }
            continue;
        }
        case JSON_NODE_VALUE:
            if (json_node_get_value_type(value) == G_TYPE_BOOLEAN) {
                text = g_strdup(json_node_get_boolean(value) ? "on" : "off");
            } else if (json_node_get_value_type(value) == G_TYPE_STRING) {
                text = g_strdup(json_node_get_string(value));
            } else if (json_node_get_value_type(value) == G_TYPE_INT64) {
                text = g_strdup_printf("%" PRId64, json_node_get_int(value));
            } else {
                error_setg(errp, "Parameter '%s' expects a string, a number "
                           "or a boolean", key);
                return false;
            }
            break;
        case JSON_NODE_NULL:
            text = g_strdup("");
            break;
        default:
            error_setg(errp, "Parameter '%s' does not take a list", key);
            return false;
        }
        keyval_add(kv, key, text);
    }
    return true;
}

static KeyValList *parse_options(const char *text, Error **errp)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(KeyValList) kv = NULL;
    GError *gerr = NULL;

    if (text[0] != '{') {
        return keyval_parse(text, NULL, errp);
    }
    parser = json_parser_new();
    if (!json_parser_load_from_data(parser, text, -1, &gerr)) {
        error_setg(errp, "JSON parse error, %s", gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        error_setg(errp, "JSON parse error, not an object");
        return NULL;
    }
    kv = keyval_new();
    if (!flatten_json(json_node_get_object(json_parser_get_root(parser)),
                      "", kv, errp)) {
        return NULL;
    }
    return g_steal_pointer(&kv);
}

static bool take_bool(KeyValList *kv, const char *key, bool *value,
                      Error **errp)
{
    const char *text = keyval_take(kv, key);

    if (text && !parse_bool(text, value)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

/*
 * The options of a file node (prefix "" for a top-level one, "file."
 * for one given inside a format node): the file name, locking, and the
 * options QEMU's file driver takes that emu honours (aio=threads).
 */
static bool parse_file_node(KeyValList *kv, const char *prefix,
                            BlockdevNode *n, Error **errp)
{
    g_autofree char *filename_key = g_strconcat(prefix, "filename", NULL);
    g_autofree char *locking_key = g_strconcat(prefix, "locking", NULL);
    g_autofree char *aio_key = g_strconcat(prefix, "aio", NULL);
    const char *filename = keyval_take(kv, filename_key);
    const char *locking = keyval_take(kv, locking_key);
    const char *aio = keyval_take(kv, aio_key);

    if (!filename) {
        error_setg(errp, "Parameter '%s' is missing", filename_key);
        return false;
    }
    if (locking && strcmp(locking, "auto")) {
        bool on;

        if (!parse_bool(locking, &on)) {
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       locking_key, locking);
            return false;
        }
        n->open.no_lock = !on;
    }
    if (aio && strcmp(aio, "threads")) {
        error_setg(errp, "Parameter '%s' does not accept value '%s'",
                   aio_key, aio);
        error_append_hint(errp, "emu has aio=threads only\n");
        return false;
    }
    n->filename = g_strdup(filename);
    return true;
}

/* A format node's file: nested options, or a file node's name. */
static bool parse_format_file(KeyValList *kv, BlockdevNode *n, Error **errp)
{
    const char *file = keyval_take(kv, "file");
    const char *driver = keyval_take(kv, "file.driver");
    BlockdevNode *under;

    if (file) {
        under = node_find(file);
        if (!under) {
            error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                       file, file);
            return false;
        }
        if (!under->blk || strcmp(under->driver, "file") ||
            blk_get_attached_dev(under->blk)) {
            error_setg(errp, "node '%s' is already in use", file);
            error_append_hint(errp, "emu stacks a format node only on a "
                              "file node nothing else uses\n");
            return false;
        }
        /* The format node is opened over the same file in its place. */
        n->filename = g_strdup(under->filename);
        n->open.no_lock = under->open.no_lock;
        blk_unref(under->blk);
        under->blk = NULL;
        return true;
    }
    if (!driver) {
        error_setg(errp, "Parameter 'file' is missing");
        return false;
    }
    if (strcmp(driver, "file")) {
        error_setg(errp, "Parameter 'file.driver' does not accept value "
                   "'%s'", driver);
        return false;
    }
    return parse_file_node(kv, "file.", n, errp);
}

/* raw's offset= and size=: integers here (QEMU's QAPI int), no
 * suffixes as -drive takes. */
static bool take_window_value(KeyValList *kv, const char *key,
                              char **text, uint64_t *value, Error **errp)
{
    const char *given = keyval_take(kv, key);

    if (!given) {
        return true;
    }
    /* QEMU's two messages: a sign, and anything else. */
    if (given[0] == '-') {
        block_size_option_error(errp, key);
        return false;
    }
    if (!parse_uint64(given, value) || !g_ascii_isdigit(given[0])) {
        error_setg(errp, "Parameter '%s' expects integer", key);
        return false;
    }
    *text = g_strdup(given);
    return true;
}

static bool parse_raw_window(KeyValList *kv, BlockdevNode *n, Error **errp)
{
    if (!take_window_value(kv, "offset", &n->raw_offset,
                           &n->open.raw_offset_value, errp) ||
        !take_window_value(kv, "size", &n->raw_size,
                           &n->open.raw_size_value, errp)) {
        return false;
    }
    n->open.raw_offset = n->raw_offset;
    n->open.raw_size = n->raw_size;
    n->open.raw_window_numbers = true;
    return true;
}

static bool parse_node(KeyValList *kv, BlockdevNode *n, Error **errp)
{
    const char *driver = keyval_take(kv, "driver");
    const char *node_name = keyval_take(kv, "node-name");
    const char *discard = keyval_take(kv, "discard");
    const char *detect_zeroes = keyval_take(kv, "detect-zeroes");
    const char *backing = keyval_take(kv, "backing");
    bool read_only = false, auto_read_only = false;
    bool direct = false, no_flush = false;
    const KeyValPair *extra;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return false;
    }
    if (strcmp(driver, "file") && strcmp(driver, "raw") &&
        strcmp(driver, "qcow2")) {
        error_setg(errp, "Parameter 'driver' does not accept value '%s'",
                   driver);
        return false;
    }
    if (!node_name) {
        error_setg(errp, "'node-name' must be specified for the root node");
        return false;
    }
    if (!id_wellformed(node_name)) {
        error_setg(errp, "Invalid node-name: '%s'", node_name);
        return false;
    }
    if (node_find(node_name) || blk_by_name(node_name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", node_name);
        return false;
    }
    if (!take_bool(kv, "read-only", &read_only, errp) ||
        !take_bool(kv, "auto-read-only", &auto_read_only, errp) ||
        !take_bool(kv, "cache.direct", &direct, errp) ||
        !take_bool(kv, "cache.no-flush", &no_flush, errp)) {
        return false;
    }
    if (discard && !block_discard_parse(discard, &n->open.discard_unmap)) {
        error_setg(errp, "Parameter 'discard' does not accept value '%s'",
                   discard);
        return false;
    }
    if (detect_zeroes && strcmp(detect_zeroes, "off")) {
        error_setg(errp, "Parameter 'detect-zeroes' does not accept value "
                   "'%s'", detect_zeroes);
        error_append_hint(errp, "emu does not detect zero writes\n");
        return false;
    }
    if (direct && no_flush) {
        error_setg(errp, "cache.direct=on with cache.no-flush=on is not "
                   "supported by emu");
        return false;
    }
    n->node_name = g_strdup(node_name);
    n->driver = g_strdup(driver);
    n->open.node_name = n->node_name;
    n->open.format = n->driver;
    n->open.read_only = read_only;
    n->open.cache = direct ? BLOCK_CACHE_NONE
                  : no_flush ? BLOCK_CACHE_UNSAFE : BLOCK_CACHE_WRITEBACK;
    if (!strcmp(driver, "file")) {
        if (!parse_file_node(kv, "", n, errp)) {
            return false;
        }
    } else if (!parse_format_file(kv, n, errp)) {
        return false;
    }
    if (backing && strcmp(driver, "qcow2")) {
        error_setg(errp, "Parameter 'backing' is unexpected");
        return false;
    }
    if (backing && backing[0]) {
        error_setg(errp, "backing=%s: emu opens the backing chain the image "
                   "names; only backing=null (none) is taken", backing);
        return false;
    }
    n->open.no_backing = backing != NULL;
    if (!strcmp(driver, "raw") && !parse_raw_window(kv, n, errp)) {
        return false;
    }
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Parameter '%s' is unexpected", extra->key);
        return false;
    }
    return true;
}

static void node_free(BlockdevNode *n)
{
    blk_unref(n->blk);
    g_free(n->node_name);
    g_free(n->driver);
    g_free(n->filename);
    g_free(n->raw_offset);
    g_free(n->raw_size);
    g_free(n);
}

bool blockdev_add(const char *text, Error **errp)
{
    g_autoptr(KeyValList) kv = parse_options(text, errp);
    BlockdevNode *n;

    if (!kv) {
        return false;
    }
    n = g_new0(BlockdevNode, 1);
    if (!parse_node(kv, n, errp)) {
        node_free(n);
        return false;
    }
    n->blk = blk_new_open("", n->filename, &n->open, errp);
    if (!n->blk) {
        node_free(n);
        return false;
    }
    if (!nodes) {
        nodes = g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
    }
    g_ptr_array_add(nodes, n);
    return true;
}

void blockdev_cleanup_all(void)
{
    g_clear_pointer(&nodes, g_ptr_array_unref);
}
