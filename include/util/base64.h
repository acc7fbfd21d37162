/*
 * Base64 input as QEMU 7.2 checks it (its qbase64_decode): the alphabet,
 * '=' and newlines only, no NUL inside, then glib's lenient decoding.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_BASE64_H
#define UTIL_BASE64_H

#include "util/osdep.h"
#include "util/error.h"

/*
 * Decodes the in_len bytes at in (which must be followed by a NUL, as
 * g_file_get_contents and strings give them); returns the bytes (free
 * with g_free) and their number in *out_len, or NULL with QEMU's error.
 */
uint8_t *base64_decode_checked(const char *in, size_t in_len,
                               size_t *out_len, Error **errp);

#endif
