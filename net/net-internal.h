/*
 * Between the files of net/: the NIC list, the hubs of the legacy -net
 * options and the backends' constructors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NET_NET_INTERNAL_H
#define NET_NET_INTERNAL_H

#include "net/net.h"
#include "util/keyval.h"

/* A NIC for the board to create (net_create_nics): model NULL for the
 * board's default; vectors: the MSI-X vectors of a model that has them,
 * NIC_VECTORS_UNSPECIFIED for its default. */
#define NIC_VECTORS_UNSPECIFIED (-1)
void net_add_nic_config(const char *model, const char *name,
                        const MACAddr *mac, NetClientState *netdev,
                        int64_t vectors);
/* "NAME: index=0,type=TYPE,INFO\n". */
void net_print_client(GString *out, const NetClientState *nc);

/* hub.c: a new port of hub id (created on first use). */
NetClientState *net_hub_add_port(int hub_id);
/* Whether nc is a hub port or a hub port's peer. */
bool net_hub_port_or_peer(const NetClientState *nc);
void net_hub_info_print(GString *out);
void net_hub_check_clients(void);
void net_hub_cleanup(void);

/* Whether user networking (libslirp) is built in. */
bool net_user_built(void);

/* slirp.c: "-netdev user" and friends from their options (id and type
 * taken already), joined to peer when not NULL. */
bool net_init_user(KeyValList *kv, const char *name, NetClientState *peer,
                   Error **errp);

#endif
