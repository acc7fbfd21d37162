/*
 * key=value option strings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/keyval.h"

/* Copies text up to an unescaped stop character, turning ",," into ",". */
static const char *scan_item(const char *p, const char *stops, GString *out)
{
    while (*p) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(out, ',');
            p += 2;
            continue;
        }
        if (strchr(stops, *p)) {
            break;
        }
        g_string_append_c(out, *p++);
    }
    return p;
}

static void pair_clear(gpointer data)
{
    KeyValPair *pair = data;

    g_free(pair->key);
    g_free(pair->value);
}

static bool key_listed(const char *key, const char *const *keys)
{
    for (; keys && *keys; keys++) {
        if (!strcmp(key, *keys)) {
            return true;
        }
    }
    return false;
}

KeyValList *keyval_new(void)
{
    KeyValList *kv = g_new0(KeyValList, 1);

    kv->pairs = g_array_new(FALSE, TRUE, sizeof(KeyValPair));
    g_array_set_clear_func(kv->pairs, pair_clear);
    return kv;
}

void keyval_add(KeyValList *kv, const char *key, const char *value)
{
    KeyValPair pair = { .key = g_strdup(key), .value = g_strdup(value) };

    g_array_append_val(kv->pairs, pair);
}

static KeyValList *parse(const char *text, const char *implied_key,
                         const char *const *repeatable, bool strict,
                         Error **errp);

KeyValList *keyval_parse(const char *text, const char *implied_key,
                         Error **errp)
{
    return parse(text, implied_key, NULL, false, errp);
}

KeyValList *keyval_parse_strict(const char *text, const char *implied_key,
                                Error **errp)
{
    return parse(text, implied_key, NULL, true, errp);
}

KeyValList *keyval_parse_repeatable(const char *text, const char *implied_key,
                                    const char *const *repeatable,
                                    Error **errp)
{
    return parse(text, implied_key, repeatable, false, errp);
}

static KeyValList *parse(const char *text, const char *implied_key,
                         const char *const *repeatable, bool strict,
                         Error **errp)
{
    KeyValList *kv = keyval_new();
    const char *p = text;
    bool first = true;

    while (*p) {
        g_autoptr(GString) key = g_string_new(NULL);
        KeyValPair pair = { 0 };

        p = scan_item(p, "=,", key);
        if (*p == '=') {
            g_autoptr(GString) value = g_string_new(NULL);

            p = scan_item(p + 1, ",", value);
            pair.value = g_strdup(value->str);
        } else if (first && implied_key) {
            pair.value = g_strdup(key->str);
            g_string_assign(key, implied_key);
        } else if (strict && strcmp(key->str, "help") &&
                   strcmp(key->str, "?")) {
            error_setg(errp, "Expected '=' after parameter '%s'", key->str);
            keyval_free(kv);
            return NULL;
        } else {
            pair.value = g_strdup("on");
        }
        pair.key = g_strdup(key->str);
        first = false;
        if (*p == ',') {
            p++;
            if (!*p) {
                pair_clear(&pair);
                error_setg(errp, "'%s' ends with a stray comma", text);
                keyval_free(kv);
                return NULL;
            }
        }
        if (!pair.key[0]) {
            pair_clear(&pair);
            error_setg(errp, "'%s' has an empty parameter name", text);
            keyval_free(kv);
            return NULL;
        }
        if (!key_listed(pair.key, repeatable) && keyval_has(kv, pair.key)) {
            error_setg(errp, "parameter '%s' is given twice", pair.key);
            pair_clear(&pair);
            keyval_free(kv);
            return NULL;
        }
        g_array_append_val(kv->pairs, pair);
    }
    return kv;
}

void keyval_free(KeyValList *kv)
{
    if (kv) {
        g_array_free(kv->pairs, TRUE);
        g_free(kv);
    }
}

static KeyValPair *find_pair(const KeyValList *kv, const char *key)
{
    for (guint i = 0; i < kv->pairs->len; i++) {
        KeyValPair *pair = &g_array_index(kv->pairs, KeyValPair, i);

        if (!strcmp(pair->key, key)) {
            return pair;
        }
    }
    return NULL;
}

const char *keyval_take(KeyValList *kv, const char *key)
{
    KeyValPair *pair = find_pair(kv, key);

    if (!pair) {
        return NULL;
    }
    pair->used = true;
    return pair->value;
}

bool keyval_has(const KeyValList *kv, const char *key)
{
    return find_pair(kv, key) != NULL;
}

const KeyValPair *keyval_first_unused(const KeyValList *kv)
{
    for (guint i = 0; i < kv->pairs->len; i++) {
        KeyValPair *pair = &g_array_index(kv->pairs, KeyValPair, i);

        if (!pair->used) {
            return pair;
        }
    }
    return NULL;
}
