/*
 * JSON as QMP speaks it, on json-glib's data model (JsonNode).
 *
 * Reading: a byte stream from a client is cut into top-level values as
 * bytes arrive, and each value is parsed.  QEMU's dialect is accepted:
 * strings may also be written in single quotes, and integers cover the
 * whole int64 and uint64 range.  json-glib's own parser accepts neither
 * and silently wraps integers above INT64_MAX, so the reader is ours;
 * its errors are the ones QEMU 7.2 sends ("JSON parse error, ...").
 *
 * Writing: compact ('{"a": 1, "b": [2]}') or pretty (four spaces of
 * indent), with keys in insertion order, as QEMU writes them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QMP_JSON_H
#define MONITOR_QMP_JSON_H

#include "util/osdep.h"
#include "util/error.h"
#include <json-glib/json-glib.h>

/*
 * Called once per top-level value: with the value (owned by the callee)
 * and no error, or with NULL and an error (also owned by the callee).
 */
typedef void (*JsonValueFunc)(void *opaque, JsonNode *value, Error *err);

typedef struct JsonStreamer JsonStreamer;

JsonStreamer *json_streamer_new(JsonValueFunc fn, void *opaque);
void json_streamer_free(JsonStreamer *js);
/* Feeds bytes; calls fn for every value they complete. */
void json_streamer_feed(JsonStreamer *js, const uint8_t *buf, size_t len);
/* Forgets a partial value (the client went away). */
void json_streamer_reset(JsonStreamer *js);

/* Parses one complete value (for tests and one-shot callers). */
JsonNode *qmp_json_parse(const char *text, Error **errp);

/* Writes a value as QEMU does; "pretty" is -qmp-pretty's layout. */
char *qmp_json_to_string(JsonNode *value, bool pretty);

/*
 * Integers above INT64_MAX are kept as doubles (json-glib's integers are
 * int64); these read a node as an unsigned or signed integer if it is a
 * whole number in range.
 */
bool qmp_json_get_uint64(JsonNode *node, uint64_t *value);
bool qmp_json_get_int64(JsonNode *node, int64_t *value);

#endif
