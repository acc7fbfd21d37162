/*
 * Fuzz target: the key=value option parser behind -device, -M, -accel,
 * -chardev and -drive.  Input: the option text; its first byte picks the
 * implied key (none, "driver" or "type").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/keyval.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const implied[] = { NULL, "driver", "type" };
    g_autofree char *text = NULL;
    Error *err = NULL;
    KeyValList *kv;

    if (size == 0) {
        return 0;
    }
    text = g_strndup((const char *)data + 1, size - 1);
    kv = keyval_parse(text, implied[data[0] % 3], &err);
    if (!kv) {
        g_assert(err && *error_get_pretty(err));
        error_free(err);
        return 0;
    }
    /* What vl.c does with it: take known keys, then name the rest. */
    keyval_has(kv, "help");
    keyval_take(kv, "driver");
    keyval_take(kv, "id");
    while (keyval_first_unused(kv)) {
        keyval_take(kv, keyval_first_unused(kv)->key);
    }
    keyval_free(kv);
    return 0;
}
