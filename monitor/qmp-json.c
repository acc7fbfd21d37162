/*
 * QMP's JSON reader and writer (see qmp-json.h for why they are ours).
 *
 * The streamer only finds where a top-level value ends: it tracks
 * nesting and strings byte by byte, and refuses at once a byte no JSON
 * value may contain, so a client that sends garbage gets an error
 * without having to close its brackets first.  A complete value is then
 * parsed by a small recursive-descent parser into json-glib nodes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "qmp-json.h"

/* Beyond these a client is refused rather than allowed to exhaust
 * memory or the stack. */
#define JSON_MAX_DEPTH 1024
#define JSON_MAX_SIZE (64 * 1024 * 1024)

/* ---- the parser ---- */

typedef struct QmpJsonReader {
    const char *p;
    int depth;
    Error **errp;
} QmpJsonReader;

static JsonNode *read_value(QmpJsonReader *r);

static void skip_space(QmpJsonReader *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r') {
        r->p++;
    }
}

static void parse_error(QmpJsonReader *r, const char *fmt, ...) EMU_PRINTF(2, 3);

static void parse_error(QmpJsonReader *r, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(r->errp, "JSON parse error, %s", msg);
}

static int hex_value(char c)
{
    return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* Reads the four hex digits of a \u escape. */
static bool read_hex4(QmpJsonReader *r, gunichar *out)
{
    gunichar value = 0;

    for (int i = 0; i < 4; i++) {
        int digit = hex_value(r->p[i]);

        if (digit < 0) {
            parse_error(r, "invalid hex escape sequence in string");
            return false;
        }
        value = value << 4 | digit;
    }
    r->p += 4;
    *out = value;
    return true;
}

/* A string in double or (QEMU's extension) single quotes. */
static char *read_string(QmpJsonReader *r)
{
    char quote = *r->p++;
    GString *s = g_string_new(NULL);

    for (;;) {
        char c = *r->p++;
        gunichar u;

        if (c == quote) {
            return g_string_free(s, FALSE);
        }
        if (!c) {
            parse_error(r, "missing closing quote in string");
            break;
        }
        if (c != '\\') {
            g_string_append_c(s, c);
            continue;
        }
        c = *r->p++;
        switch (c) {
        case '"': case '\'': case '\\': case '/':
            g_string_append_c(s, c);
            continue;
        case 'b': g_string_append_c(s, '\b'); continue;
        case 'f': g_string_append_c(s, '\f'); continue;
        case 'n': g_string_append_c(s, '\n'); continue;
        case 'r': g_string_append_c(s, '\r'); continue;
        case 't': g_string_append_c(s, '\t'); continue;
        case 'u':
            if (!read_hex4(r, &u)) {
                break;
            }
            if (u >= 0xd800 && u < 0xdc00) {
                gunichar low;

                /* A UTF-16 surrogate pair spells a character above
                 * U+FFFF. */
                if (r->p[0] != '\\' || r->p[1] != 'u') {
                    parse_error(r, "missing second half of surrogate pair");
                    break;
                }
                r->p += 2;
                if (!read_hex4(r, &low)) {
                    break;
                }
                if (low < 0xdc00 || low > 0xdfff) {
                    parse_error(r, "invalid second half of surrogate pair");
                    break;
                }
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
            } else if ((u >= 0xdc00 && u <= 0xdfff) || u == 0) {
                parse_error(r, "invalid \\u escape in string");
                break;
            }
            g_string_append_unichar(s, u);
            continue;
        default:
            parse_error(r, "invalid escape sequence in string");
            break;
        }
        break;
    }
    g_string_free(s, TRUE);
    return NULL;
}

/* JSON numbers: integers as int64 when they fit, else as doubles. */
static JsonNode *read_number(QmpJsonReader *r)
{
    const char *start = r->p;
    bool integral = true;
    g_autofree char *text = NULL;
    JsonNode *node = json_node_new(JSON_NODE_VALUE);

    if (*r->p == '-') {
        r->p++;
    }
    if (!g_ascii_isdigit(*r->p) || (r->p[0] == '0' &&
                                    g_ascii_isdigit(r->p[1]))) {
        json_node_unref(node);
        parse_error(r, "invalid number");
        return NULL;
    }
    while (g_ascii_isdigit(*r->p)) {
        r->p++;
    }
    if (*r->p == '.') {
        integral = false;
        r->p++;
        if (!g_ascii_isdigit(*r->p)) {
            json_node_unref(node);
            parse_error(r, "invalid number");
            return NULL;
        }
        while (g_ascii_isdigit(*r->p)) {
            r->p++;
        }
    }
    if (*r->p == 'e' || *r->p == 'E') {
        integral = false;
        r->p++;
        if (*r->p == '+' || *r->p == '-') {
            r->p++;
        }
        if (!g_ascii_isdigit(*r->p)) {
            json_node_unref(node);
            parse_error(r, "invalid number");
            return NULL;
        }
        while (g_ascii_isdigit(*r->p)) {
            r->p++;
        }
    }
    text = g_strndup(start, r->p - start);
    if (integral) {
        char *end;
        gint64 value;

        errno = 0;
        value = g_ascii_strtoll(text, &end, 10);
        if (!errno) {
            json_node_set_int(node, value);
            return node;
        }
    }
    json_node_set_double(node, g_ascii_strtod(text, NULL));
    return node;
}

static JsonNode *read_keyword(QmpJsonReader *r)
{
    const char *start = r->p;
    g_autofree char *word = NULL;
    JsonNode *node;

    while (g_ascii_isalnum(*r->p) || *r->p == '_') {
        r->p++;
    }
    word = g_strndup(start, r->p - start);
    if (!strcmp(word, "null")) {
        return json_node_new(JSON_NODE_NULL);
    }
    if (!strcmp(word, "true") || !strcmp(word, "false")) {
        node = json_node_new(JSON_NODE_VALUE);
        json_node_set_boolean(node, word[0] == 't');
        return node;
    }
    parse_error(r, "invalid keyword '%s'", word);
    return NULL;
}

/* Steps past an opening bracket; true if close follows at once. */
static bool read_empty_container(QmpJsonReader *r, char close)
{
    r->p++;
    skip_space(r);
    if (*r->p == close) {
        r->p++;
        return true;
    }
    return false;
}

typedef enum Separator { SEP_CLOSE, SEP_COMMA, SEP_ERROR } Separator;

/* What follows a member or element: the closing bracket or a comma. */
static Separator read_separator(QmpJsonReader *r, char close,
                                const char *container)
{
    skip_space(r);
    if (*r->p == close || *r->p == ',') {
        return *r->p++ == close ? SEP_CLOSE : SEP_COMMA;
    }
    parse_error(r, "expected separator in %s", container);
    return SEP_ERROR;
}

static JsonNode *read_object(QmpJsonReader *r)
{
    JsonObject *obj = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);
    Separator sep = SEP_ERROR;

    json_node_take_object(node, obj);
    if (read_empty_container(r, '}')) {
        return node;
    }
    for (;;) {
        g_autofree char *key = NULL;
        JsonNode *member;

        skip_space(r);
        if (*r->p != '"' && *r->p != '\'') {
            if (*r->p == '}' || *r->p == ',' || *r->p == ']' || !*r->p) {
                parse_error(r, "expecting value");
            } else {
                parse_error(r, "key is not a string in object");
            }
            break;
        }
        key = read_string(r);
        if (!key) {
            break;
        }
        skip_space(r);
        if (*r->p != ':') {
            parse_error(r, "missing : in object pair");
            break;
        }
        r->p++;
        member = read_value(r);
        if (!member) {
            break;
        }
        json_object_set_member(obj, key, member);
        sep = read_separator(r, '}', "dict");
        if (sep != SEP_COMMA) {
            break;
        }
    }
    if (sep == SEP_CLOSE) {
        return node;
    }
    json_node_unref(node);
    return NULL;
}

static JsonNode *read_array(QmpJsonReader *r)
{
    JsonArray *arr = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);
    Separator sep = SEP_ERROR;

    json_node_take_array(node, arr);
    if (read_empty_container(r, ']')) {
        return node;
    }
    for (;;) {
        JsonNode *element = read_value(r);

        if (!element) {
            break;
        }
        json_array_add_element(arr, element);
        sep = read_separator(r, ']', "list");
        if (sep != SEP_COMMA) {
            break;
        }
    }
    if (sep == SEP_CLOSE) {
        return node;
    }
    json_node_unref(node);
    return NULL;
}

static JsonNode *read_value(QmpJsonReader *r)
{
    JsonNode *node = NULL;
    char *s;

    skip_space(r);
    if (++r->depth > JSON_MAX_DEPTH) {
        parse_error(r, "too many nested values");
        return NULL;
    }
    switch (*r->p) {
    case '{':
        node = read_object(r);
        break;
    case '[':
        node = read_array(r);
        break;
    case '"':
    case '\'':
        s = read_string(r);
        if (s) {
            node = json_node_new(JSON_NODE_VALUE);
            json_node_set_string(node, s);
            g_free(s);
        }
        break;
    default:
        if (*r->p == '-' || g_ascii_isdigit(*r->p)) {
            node = read_number(r);
        } else if (g_ascii_isalpha(*r->p)) {
            node = read_keyword(r);
        } else {
            parse_error(r, "expecting value");
        }
    }
    r->depth--;
    return node;
}

JsonNode *qmp_json_parse(const char *text, Error **errp)
{
    QmpJsonReader r = { .p = text, .errp = errp };
    JsonNode *node = read_value(&r);

    if (!node) {
        return NULL;
    }
    skip_space(&r);
    if (*r.p) {
        json_node_unref(node);
        parse_error(&r, "stray '%c'", *r.p);
        return NULL;
    }
    return node;
}

/* ---- the streamer ---- */

struct JsonStreamer {
    JsonValueFunc fn;
    void *opaque;
    GString *value;              /* the bytes of the value being read */
    int depth;                   /* of brackets and braces */
    char quote;                  /* inside a string: its quote */
    bool escape;                 /* the last byte was a backslash */
};

JsonStreamer *json_streamer_new(JsonValueFunc fn, void *opaque)
{
    JsonStreamer *js = g_new0(JsonStreamer, 1);

    js->fn = fn;
    js->opaque = opaque;
    js->value = g_string_new(NULL);
    return js;
}

void json_streamer_free(JsonStreamer *js)
{
    g_string_free(js->value, TRUE);
    g_free(js);
}

void json_streamer_reset(JsonStreamer *js)
{
    g_string_truncate(js->value, 0);
    js->depth = 0;
    js->quote = 0;
    js->escape = false;
}

static void emit_value(JsonStreamer *js)
{
    Error *err = NULL;
    JsonNode *node = qmp_json_parse(js->value->str, &err);

    json_streamer_reset(js);
    js->fn(js->opaque, node, err);
}

static void emit_error(JsonStreamer *js, const char *fmt, ...)
    EMU_PRINTF(2, 3);

static void emit_error(JsonStreamer *js, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    Error *err = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&err, "JSON parse error, %s", msg);
    json_streamer_reset(js);
    js->fn(js->opaque, NULL, err);
}

/* A bare word or number at the top level ends at the first byte that
 * cannot continue it. */
static bool is_scalar_byte(uint8_t c)
{
    return g_ascii_isalnum(c) || c == '-' || c == '+' || c == '.' ||
           c == '_';
}

static bool is_structural_byte(uint8_t c)
{
    return c && strchr("{}[],: \t\r\n", c) != NULL;
}

static void feed_byte(JsonStreamer *js, uint8_t c)
{
    bool scalar_pending = js->value->len && !js->depth && !js->quote &&
                          is_scalar_byte(js->value->str[0]);

    if (js->quote) {
        g_string_append_c(js->value, c);
        if (js->escape) {
            js->escape = false;
        } else if (c == '\\') {
            js->escape = true;
        } else if (c == (uint8_t)js->quote) {
            js->quote = 0;
            if (!js->depth) {
                emit_value(js);
            }
        }
        return;
    }
    if (scalar_pending && !is_scalar_byte(c)) {
        emit_value(js);
    }
    if (c == '"' || c == '\'') {
        js->quote = c;
        g_string_append_c(js->value, c);
        return;
    }
    if (!js->depth && !js->value->len) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            return;
        }
        if (c == '}' || c == ']' || c == ',' || c == ':') {
            emit_error(js, "expecting value");
            return;
        }
    }
    if (!is_scalar_byte(c) && !is_structural_byte(c)) {
        if (c >= 0x20 && c < 0x7f) {
            emit_error(js, "stray '%c'", c);
        } else {
            emit_error(js, "stray '\\x%02x'", c);
        }
        return;
    }
    g_string_append_c(js->value, c);
    if (c == '{' || c == '[') {
        if (++js->depth > JSON_MAX_DEPTH) {
            emit_error(js, "too many nested values");
        }
    } else if (c == '}' || c == ']') {
        if (--js->depth == 0) {
            emit_value(js);
        }
    }
}

void json_streamer_feed(JsonStreamer *js, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        feed_byte(js, buf[i]);
        if (js->value->len > JSON_MAX_SIZE) {
            emit_error(js, "value larger than %d bytes", JSON_MAX_SIZE);
        }
    }
}

/* ---- numbers ---- */

bool qmp_json_get_int64(JsonNode *node, int64_t *value)
{
    GType type;

    if (!node || JSON_NODE_TYPE(node) != JSON_NODE_VALUE) {
        return false;
    }
    type = json_node_get_value_type(node);
    if (type == G_TYPE_INT64) {
        *value = json_node_get_int(node);
        return true;
    }
    return false;
}

bool qmp_json_get_uint64(JsonNode *node, uint64_t *value)
{
    int64_t i;
    double d;

    if (qmp_json_get_int64(node, &i)) {
        if (i < 0) {
            return false;
        }
        *value = i;
        return true;
    }
    if (!node || JSON_NODE_TYPE(node) != JSON_NODE_VALUE ||
        json_node_get_value_type(node) != G_TYPE_DOUBLE) {
        return false;
    }
    /* Only whole numbers between 2^63 and 2^64 arrive as doubles. */
    d = json_node_get_double(node);
    if (d < 9223372036854775808.0 || d >= 18446744073709551616.0 ||
        d != (double)(uint64_t)d) {
        return false;
    }
    *value = (uint64_t)d;
    return true;
}

/* ---- the writer ---- */

static void write_string(GString *out, const char *s)
{
    const char *p = s;

    g_string_append_c(out, '"');
    while (*p) {
        gunichar c = g_utf8_get_char_validated(p, -1);

        if (c == (gunichar)-1 || c == (gunichar)-2) {
            /* Not UTF-8: QEMU writes U+FFFD for each bad byte. */
            g_string_append(out, "\\uFFFD");
            p++;
            continue;
        }
        p = g_utf8_next_char(p);
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                g_string_append_c(out, c);
            } else if (c < 0x10000) {
                g_string_append_printf(out, "\\u%04X", c);
            } else {
                c -= 0x10000;
                g_string_append_printf(out, "\\u%04X\\u%04X",
                                       0xd800 + (c >> 10),
                                       0xdc00 + (c & 0x3ff));
            }
        }
    }
    g_string_append_c(out, '"');
}

static void write_double(GString *out, double d)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    /* QEMU writes every double with 17 significant digits. */
    g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g", d));
}

static void write_indent(GString *out, bool pretty, int level)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        g_string_append_printf(out, "%*s", level * 4, "");
    }
}

static void write_node(GString *out, JsonNode *node, bool pretty, int level)
{
    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_OBJECT: {
        JsonObject *obj = json_node_get_object(node);
        g_autoptr(GList) members = json_object_get_members(obj);

        g_string_append_c(out, '{');
        for (GList *l = members; l; l = l->next) {
            write_indent(out, pretty, level + 1);
            write_string(out, l->data);
            g_string_append(out, ": ");
            write_node(out, json_object_get_member(obj, l->data), pretty,
                       level + 1);
            if (l->next) {
                g_string_append(out, pretty ? "," : ", ");
            }
        }
        write_indent(out, pretty, level);
        g_string_append_c(out, '}');
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *arr = json_node_get_array(node);
        guint n = json_array_get_length(arr);

        g_string_append_c(out, '[');
        for (guint i = 0; i < n; i++) {
            write_indent(out, pretty, level + 1);
            write_node(out, json_array_get_element(arr, i), pretty,
                       level + 1);
            if (i + 1 < n) {
                g_string_append(out, pretty ? "," : ", ");
            }
        }
        write_indent(out, pretty, level);
        g_string_append_c(out, ']');
        break;
    }
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        break;
    case JSON_NODE_VALUE:
        switch (json_node_get_value_type(node)) {
        case G_TYPE_INT64:
            g_string_append_printf(out, "%" PRId64, json_node_get_int(node));
            break;
        case G_TYPE_DOUBLE:
            write_double(out, json_node_get_double(node));
            break;
        case G_TYPE_BOOLEAN:
            g_string_append(out, json_node_get_boolean(node) ? "true"
                                                             : "false");
            break;
        default:
            write_string(out, json_node_get_string(node));
        }
        break;
    }
}

char *qmp_json_to_string(JsonNode *value, bool pretty)
{
    GString *out = g_string_new(NULL);

    write_node(out, value, pretty, 0);
    return g_string_free(out, FALSE);
}
