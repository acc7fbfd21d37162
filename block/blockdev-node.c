/*
 * -blockdev: a named image node, in QEMU's two forms,
 *
 *   -blockdev driver=qcow2,node-name=disk,file.driver=file,file.filename=d.qcow2
 *   -blockdev '{"driver": "qcow2", "node-name": "disk",
 *               "file": {"driver": "file", "filename": "d.qcow2"}}'
 *   -blockdev driver=file,node-name=f,filename=d.qcow2
 *   -blockdev driver=qcow2,node-name=disk,file=f       (a node by its name)
 *   -blockdev driver=qcow2,node-name=top,file=t,backing=disk
 *
 * that a device takes by its node name (-device virtio-blk-pci,drive=disk).
 * Drivers: file, raw, qcow2.  The JSON form is flattened into the dotted
 * keys of the other, so both are read by the same code.
 *
 * Each node becomes a backend without a name (QEMU's device=""
 * backends) whose top node has the node name.  A format node over a file
 * node given by name takes that file node's place (the file node's
 * backend is closed: its file is now under the format); a backing node
 * given by name keeps its backend and joins the chain of each node above
 * it (two overlays may share one base, as in QEMU).  As in QEMU, a node no device uses is not
 * listed by "info block" or query-block.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <json-glib/json-glib.h>
#include "util/cutils.h"
#include "util/keyval.h"
#include "sysemu/blockdev.h"
#include "block/block-int.h"

/* A -blockdev node: its backend, and what it was opened from. */
typedef struct BlockdevNode {
    char *node_name;
    char *driver;
    char *filename;
    BlockOpenOptions open;       /* strings: the node's own copies */
    char *raw_offset, *raw_size; /* raw's offset= and size=, as given */
    BlockBackend *blk;           /* NULL once a format node took it */
    /* The node itself, as QEMU's monitor holds a -blockdev node: it
     * stays while another node uses it or after a device's drive moved
     * off it (an active commit's switch), until emu ends. */
    BlockDriverState *bs;
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

/*
 * {"a": {"b": 1}, "c": true} -> a.b=1, c=on.  JSON null is a value of
 * its own that only "backing" takes (no backing node, where the
 * key=value form's backing=null names a node called "null", as in
 * QEMU): it sets *null_backing.
 */
static bool flatten_json(JsonObject *obj, const char *prefix,
                         KeyValList *kv, bool *null_backing, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(obj);

    for (GList *m = members; m; m = m->next) {
        const char *name = m->data;
        JsonNode *value = json_object_get_member(obj, name);
        g_autofree char *key = g_strconcat(prefix, name, NULL);
        g_autofree char *text = NULL;
        bool is_backing = !strcmp(key, "backing");
        GType type = JSON_NODE_HOLDS_VALUE(value)
                   ? json_node_get_value_type(value) : G_TYPE_INVALID;

        if (is_backing && !JSON_NODE_HOLDS_NULL(value) &&
            !JSON_NODE_HOLDS_OBJECT(value) && type != G_TYPE_STRING) {
            error_setg(errp, "Invalid parameter type for 'backing', "
                       "expected: BlockdevRefOrNull");
            return false;
        }
        switch (json_node_get_node_type(value)) {
        case JSON_NODE_OBJECT: {
            g_autofree char *inner = g_strconcat(key, ".", NULL);

            if (!flatten_json(json_node_get_object(value), inner, kv,
                              null_backing, errp)) {
                return false;
            }
            continue;
        }
        case JSON_NODE_VALUE:
            if (type == G_TYPE_BOOLEAN) {
                text = g_strdup(json_node_get_boolean(value) ? "on" : "off");
            } else if (type == G_TYPE_STRING) {
                text = g_strdup(json_node_get_string(value));
            } else if (type == G_TYPE_INT64) {
                text = g_strdup_printf("%" PRId64, json_node_get_int(value));
            } else {
                error_setg(errp, "Parameter '%s' expects a string, a number "
                           "or a boolean", key);
                return false;
            }
            break;
        case JSON_NODE_NULL:
            if (!is_backing) {
                error_setg(errp, "Invalid parameter type for '%s': null is "
                           "taken by 'backing' only", key);
                return false;
            }
            *null_backing = true;
            continue;
        default:
            error_setg(errp, "Parameter '%s' does not take a list", key);
            return false;
        }
        keyval_add(kv, key, text);
    }
    return true;
}

static KeyValList *parse_options(const char *text, bool *null_backing,
                                 Error **errp)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(KeyValList) kv = NULL;
    GError *gerr = NULL;

    *null_backing = false;
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
                      "", kv, null_backing, errp)) {
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

/*
 * A node given by name to be another node's child.  A file node goes
 * under its format node (its backend is closed: the format opens the
 * file in its place), so only a file node nothing else uses can go.  A
 * backing node keeps its backend and may be several nodes' backing, as
 * QEMU allows: a device writing it is refused when it attaches
 * (blk_attach_dev, QEMU's permission rules).
 */
static BlockdevNode *take_node(const char *name, bool as_file, Error **errp)
{
    BlockdevNode *under = node_find(name);

    if (!under) {
        error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                   name, name);
        return NULL;
    }
    if (!under->blk || (as_file && (blk_get_attached_dev(under->blk) ||
                                    bdrv_find_parent(under->bs)))) {
        error_setg(errp, "node '%s' is already in use", name);
        error_append_hint(errp, "emu puts a file node under a format node "
                          "only when nothing else uses it\n");
        return NULL;
    }
    return under;
}

/* A format node's file: nested options, or a file node's name. */
static bool parse_format_file(KeyValList *kv, BlockdevNode *n, Error **errp)
{
    const char *file = keyval_take(kv, "file");
    const char *driver = keyval_take(kv, "file.driver");
    BlockdevNode *under;

    if (file) {
        under = take_node(file, true, errp);
        if (!under) {
            return false;
        }
        if (strcmp(under->driver, "file")) {
            error_setg(errp, "node '%s' is a %s node, not a file node",
                       file, under->driver);
            error_append_hint(errp, "emu stacks a format node only on a "
                              "file node\n");
            return false;
        }
        /* The format node is opened over the same file in its place. */
        n->filename = g_strdup(under->filename);
        n->open.no_lock = under->open.no_lock;
        g_clear_pointer(&under->bs, bdrv_unref);
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

/*
 * qcow2's backing: a node's name (taken from its own backend), JSON
 * null or the deprecated "" for none, and without it the chain the
 * image names.  As in QEMU, key=value's backing=null is a node called
 * "null".
 */
static bool parse_backing(KeyValList *kv, BlockdevNode *n, bool null_backing,
                          Error **errp)
{
    const char *backing = keyval_take(kv, "backing");
    BlockdevNode *under;

    if (!backing && !null_backing) {
        if (keyval_has(kv, "backing.driver")) {
            error_setg(errp, "backing.driver: emu takes a node's name or "
                       "null for 'backing', not a new node's options");
            error_append_hint(errp, "Give the backing node its own "
                              "-blockdev and name it here\n");
            return false;
        }
        return true;
    }
    if (strcmp(n->driver, "qcow2")) {
        error_setg(errp, "Parameter 'backing' is unexpected");
        return false;
    }
    n->open.no_backing = true;
    if (null_backing) {
        return true;
    }
    if (!backing[0]) {
        warn_report("Use of \"backing\": \"\" is deprecated; use "
                    "\"backing\": null instead");
        return true;
    }
    if (!strcmp(backing, n->node_name)) {
        error_setg(errp, "Making '%s' a backing child of '%s' would create "
                   "a cycle", backing, n->node_name);
        return false;
    }
    under = take_node(backing, false, errp);
    if (!under) {
        error_prepend(errp, "Could not open backing file: ");
        return false;
    }
    n->open.backing = under->bs;
    bdrv_ref(n->open.backing);
    return true;
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

static bool parse_node(KeyValList *kv, bool null_backing, BlockdevNode *n,
                       Error **errp)
{
    const char *driver = keyval_take(kv, "driver");
    const char *node_name = keyval_take(kv, "node-name");
    const char *discard = keyval_take(kv, "discard");
    const char *detect_zeroes = keyval_take(kv, "detect-zeroes");
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
    if (blk_by_name(node_name) && blk_name(blk_by_name(node_name))[0]) {
        error_setg(errp, "node-name=%s is conflicting with a device id",
                   node_name);
        return false;
    }
    if (bdrv_find_node(node_name)) {
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
    if (!parse_backing(kv, n, null_backing, errp)) {
        return false;
    }
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
    bdrv_unref(n->bs);
    bdrv_unref(n->open.backing);
    g_free(n->node_name);
    g_free(n->driver);
    g_free(n->filename);
    g_free(n->raw_offset);
    g_free(n->raw_size);
    g_free(n);
}

bool blockdev_add(const char *text, Error **errp)
{
    bool null_backing;
    g_autoptr(KeyValList) kv = parse_options(text, &null_backing, errp);
    BlockdevNode *n;

    if (!kv) {
        return false;
    }
    n = g_new0(BlockdevNode, 1);
    if (!parse_node(kv, null_backing, n, errp)) {
        node_free(n);
        return false;
    }
    n->blk = blk_new_open("", n->filename, &n->open, errp);
    /* The backend holds the backing node now (or failed to open). */
    g_clear_pointer(&n->open.backing, bdrv_unref);
    if (!n->blk) {
        node_free(n);
        return false;
    }
    n->bs = blk_bs(n->blk);
    bdrv_ref(n->bs);
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
