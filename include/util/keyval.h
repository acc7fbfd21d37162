/*
 * Parsing of "key=value,key=value" option strings as QEMU writes them:
 *
 *   -device loader,addr=0x1000,data=5          implied key "driver"
 *   -M none,dump=on   -accel tcg,tb-size=64    implied key "type"/"accel"
 *   -chardev socket,id=m,path=/tmp/s,server=on,wait=off
 *
 * A doubled comma ",," stands for a literal comma in a value.  A bare key
 * with no "=" means "key=on"; "nokey" is NOT treated as "key=off" (too
 * surprising), except for the legacy flags a caller lists itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_KEYVAL_H
#define UTIL_KEYVAL_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct KeyValPair {
    char *key;
    char *value;
    bool used;           /* set by keyval_take: what is left is unknown */
} KeyValPair;

typedef struct KeyValList {
    GArray *pairs;       /* KeyValPair, in command-line order */
} KeyValList;

/*
 * Splits text into pairs.  When implied_key is not NULL, a first item
 * without "=" is its value ("loader" -> driver=loader).  A repeated key
 * or an empty key is an error naming it.
 */
KeyValList *keyval_parse(const char *text, const char *implied_key,
                         Error **errp);
/* The same without QemuOpts' shorthand "key" for "key=on": such an
 * item is refused as QEMU's keyval refuses it (-machine). */
KeyValList *keyval_parse_strict(const char *text, const char *implied_key,
                                Error **errp);
/* The same, except that the keys in repeatable (NULL-terminated) may
 * appear more than once (-semihosting-config arg=a,arg=b): read them in
 * order from kv->pairs. */
KeyValList *keyval_parse_repeatable(const char *text, const char *implied_key,
                                    const char *const *repeatable,
                                    Error **errp);
void keyval_free(KeyValList *kv);
/* An empty list, and pairs added to it: for options that come in
 * another form (-blockdev's JSON), read with the same calls. */
KeyValList *keyval_new(void);
void keyval_add(KeyValList *kv, const char *key, const char *value);
/* The value for key (NULL if absent), marking the pair as used. */
const char *keyval_take(KeyValList *kv, const char *key);
/* Whether key is present (does not mark it used). */
bool keyval_has(const KeyValList *kv, const char *key);
/* The first pair nobody took, or NULL: for "unknown option" errors. */
const KeyValPair *keyval_first_unused(const KeyValList *kv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(KeyValList, keyval_free)

#endif
