/*
 * Fuzz target: the JSON reader of QMP (monitor/qmp-json.c) on a byte
 * stream from a client, fed in pieces as a socket delivers them, and
 * the writer on every value it reads: what emu writes must read back
 * as the same value (written again, byte for byte the same text).
 * Numbers too large for a double are the exception: they read as
 * infinity, which QEMU writes as "inf" (not JSON), and so does emu.
 *
 * Input: one byte giving the size of the pieces (1 to 256), then the
 * stream.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <math.h>
#include "monitor/qmp-json.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

static bool has_infinity(JsonNode *node)
{
    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_VALUE:
        return json_node_get_value_type(node) == G_TYPE_DOUBLE &&
               !isfinite(json_node_get_double(node));
    case JSON_NODE_ARRAY:
        {
            JsonArray *array = json_node_get_array(node);

            for (guint i = 0; i < json_array_get_length(array); i++) {
                if (has_infinity(json_array_get_element(array, i))) {
                    return true;
                }
            }
            return false;
        }
    case JSON_NODE_OBJECT:
        {
            JsonObjectIter it;
            const char *name;
            JsonNode *member;

            json_object_iter_init(&it, json_node_get_object(node));
            while (json_object_iter_next(&it, &name, &member)) {
                if (has_infinity(member)) {
                    return true;
                }
            }
            return false;
        }
    default:
        return false;
    }
}

static void check_round_trip(JsonNode *value, bool pretty)
{
    g_autofree char *text = qmp_json_to_string(value, pretty);
    g_autofree char *again = NULL;
    Error *err = NULL;
    JsonNode *reread = qmp_json_parse(text, &err);
    uint64_t u;
    int64_t i;

    /* abort(), not g_error(): libFuzzer saves the input on SIGABRT. */
    if (!reread) {
        fprintf(stderr, "emu's own JSON does not read back: %s: %s\n",
                text, error_get_pretty(err));
        abort();
    }
    again = qmp_json_to_string(reread, pretty);
    if (strcmp(text, again)) {
        fprintf(stderr, "JSON changed on a round trip: %s became %s\n",
                text, again);
        abort();
    }
    qmp_json_get_uint64(value, &u);
    qmp_json_get_int64(value, &i);
    json_node_unref(reread);
}

static void value_read(void *opaque, JsonNode *value, Error *err)
{
    if (!value) {
        g_assert(err && *error_get_pretty(err));
        error_free(err);
        return;
    }
    if (!has_infinity(value)) {
        check_round_trip(value, false);
        check_round_trip(value, true);
    }
    json_node_unref(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    JsonStreamer *js;
    size_t piece;

    if (size == 0) {
        return 0;
    }
    piece = data[0] + 1;
    js = json_streamer_new(value_read, NULL);
    for (size_t i = 1; i < size; i += piece) {
        json_streamer_feed(js, data + i, MIN(piece, size - i));
    }
    json_streamer_feed(js, (const uint8_t *)"\n", 1);
    json_streamer_free(js);
    return 0;
}
