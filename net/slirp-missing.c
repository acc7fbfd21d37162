/*
 * "-netdev user" in a build without libslirp: a clear refusal.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "net/net-internal.h"

bool net_user_built(void)
{
    return false;
}

bool net_init_user(KeyValList *kv, const char *name, NetClientState *peer,
                   Error **errp)
{
    error_setg(errp, "user networking is not built into this emu: "
               "install libslirp-dev and run ./configure again");
    return false;
}
