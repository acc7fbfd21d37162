/*
 * Base64 input checked as QEMU checks it (include/util/base64.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/base64.h"

uint8_t *base64_decode_checked(const char *in, size_t in_len,
                               size_t *out_len, Error **errp)
{
    /* QEMU's set: the newline lets a file end with one, or wrap. */
    static const char valid[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz0123456789+/=\n";

    *out_len = 0;
    if (memchr(in, '\0', in_len)) {
        error_setg(errp, "Base64 data contains embedded NUL characters");
        return NULL;
    }
    if (strspn(in, valid) != in_len) {
        error_setg(errp, "Base64 data contains invalid characters");
        return NULL;
    }
    return g_base64_decode(in, out_len);
}
