/*
 * -object secret,id=ID,data=STR|file=PATH[,format=raw|base64]: a
 * password or key given once and read by the objects that name it
 * (QEMU 7.2's secret; keyid=/iv= decryption is refused, see
 * backends/secret.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_SECRET_H
#define SYSEMU_SECRET_H

#include "qom/object.h"

#define TYPE_SECRET "secret"

/*
 * A copy of the bytes of secret /objects/ID into *data (free with
 * g_free; a NUL follows them) and their number into *len; false with
 * QEMU's error when there is no such secret.
 */
bool secret_lookup(const char *id, uint8_t **data, size_t *len,
                   Error **errp);

#endif
