/*
 * Random number generator backends for -object (QEMU's rng-builtin and
 * rng-random), which virtio-rng devices draw entropy from (rng=ID).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_RNG_H
#define SYSEMU_RNG_H

#include "qom/object.h"

#define TYPE_RNG_BACKEND "rng-backend"
#define TYPE_RNG_BUILTIN "rng-builtin"
#define TYPE_RNG_RANDOM "rng-random"

typedef struct RngBackend RngBackend;

/*
 * Up to len bytes of entropy into buf from rng (NULL: the host's
 * getrandom, what rng-builtin gives).  Returns how many, which may be
 * fewer (none) when the source has no more now, or -1 with errno.
 */
ssize_t rng_backend_fill(RngBackend *rng, uint8_t *buf, size_t len);
/* The backend /objects/ID, or NULL with QEMU's error: "Device 'ID' not
 * found", or the wrong type for property prop. */
RngBackend *rng_backend_find(const char *id, const char *prop,
                             Error **errp);

#endif
