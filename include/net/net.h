/*
 * The network layer: clients joined in pairs of peers.
 *
 * A NIC model (virtio-net...) and a backend (-netdev user: libslirp)
 * are each a NetClientState; a frame one of them sends goes to its peer.
 * When the peer cannot take it now (a guest that has posted no receive
 * buffer), the frame waits in the peer's queue until the peer asks for
 * it with net_flush_queued_packets().  The legacy "-net" options put
 * their clients on hub 0, which repeats every frame to its other ports
 * (net/hub.c).  Everything runs with the global lock held.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NET_NET_H
#define NET_NET_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct NetClientState NetClientState;

/* "type=" of info network, QEMU's NetClientDriver names. */
typedef struct NetClientInfo {
    const char *type;            /* "nic", "user", "hubport" */
    size_t size;                 /* of the struct that embeds the client */
    /* Whether a frame can be delivered now (NULL: always). */
    bool (*can_receive)(NetClientState *nc);
    /* Delivers a frame; 0 when it cannot be taken now (it is queued). */
    size_t (*receive)(NetClientState *nc, const uint8_t *buf, size_t len);
    void (*cleanup)(NetClientState *nc);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    NetClientState *peer;
    char *name;                  /* the netdev id, or "virtio-net-pci.0" */
    char *model;                 /* the device type, or the backend type */
    char *info_str;              /* info network's text after "type=..," */
    GQueue *incoming;            /* frames the peer sent that wait */
    void *owner;                 /* the device of a NIC */
};

/* A MAC address ("mac=" of the NIC devices). */
typedef struct MACAddr {
    uint8_t a[6];
} MACAddr;

/*
 * A client of info's type named name (NULL: model.N, as QEMU names
 * anonymous NICs), joined to peer when not NULL.  The struct allocated
 * is info->size bytes with the NetClientState first.
 */
NetClientState *net_client_new(const NetClientInfo *info,
                               NetClientState *peer, const char *model,
                               const char *name);
void net_client_free(NetClientState *nc);
void net_client_set_info_str(NetClientState *nc, const char *fmt, ...)
    EMU_PRINTF(2, 3);

/* Sends a frame to nc's peer (dropped without one). */
void net_send_packet(NetClientState *nc, const uint8_t *buf, size_t len);
/* nc can take frames again: delivers those that waited for it. */
void net_flush_queued_packets(NetClientState *nc);

/* The backend created by -netdev with this id, or NULL. */
NetClientState *net_find_netdev(const char *id);

/*
 * A NIC device's "netdev" and "mac" properties (DEFINE_NIC_PROPERTIES
 * in its property table, with hw/qdev.h) and the MAC address they give.
 */
typedef struct NICProperties {
    char *netdev_id;
    char *mac_str;
    MACAddr mac;
} NICProperties;

#define DEFINE_NIC_PROPERTIES(_state, _field)                             \
    DEFINE_PROP_STRING("netdev", _state, _field.netdev_id,                \
                       "ID of a netdev to use as a backend"),             \
    DEFINE_PROP_STRING("mac", _state, _field.mac_str,                     \
                       "Ethernet 6-byte MAC Address, example: "           \
                       "52:54:00:12:34:56")

/*
 * The client of a NIC device of type model named id (NULL: model.N):
 * props->mac from "mac" or the next default, joined to the free netdev
 * "netdev" names, info network showing the model and MAC.  The error
 * messages are QEMU's for the device's properties.
 */
NetClientState *net_nic_new(const NetClientInfo *info, NICProperties *props,
                            const char *model, const char *id, void *owner,
                            Error **errp);
/* "52:54:00:12:34:56" into mac; false when malformed. */
bool net_parse_macaddr(MACAddr *mac, const char *str);
/* The next default MAC: 52:54:00:12:34:56, then ...:57 and on. */
void net_default_macaddr(MACAddr *mac);

/* ---- the command line (softmmu/vl.c) ---- */

/* -netdev TYPE,id=ID,...: the backend, created at once. */
bool net_parse_netdev(const char *optarg, Error **errp);
/* -nic TYPE[,model=M][,mac=A][,...] and -nic none. */
bool net_parse_nic(const char *optarg, Error **errp);
/* -net nic[,...], -net user[,...], -net none (hub 0). */
bool net_parse_legacy(const char *optarg, Error **errp);
/*
 * QEMU's network when the command line has none: "-net nic -net user",
 * the board's default NIC and user networking on hub 0 (the NIC alone
 * in a build without libslirp).
 */
bool net_add_default_nic(Error **errp);
/*
 * Creates the NICs -nic and -net nic asked for, each a device of its
 * model= or default_model, on the first bus of its kind with room.
 * The board's hook (MachineClass.default_nic); without one, a -nic
 * fails with the reason.
 */
bool net_create_nics(const char *default_model, Error **errp);
/*
 * The same for a board whose NICs all go on its bus of type bus_type
 * (TYPE_PCI_BUS), called where QEMU's board makes them so that they take
 * their place in the object tree: a model for another bus is
 * "Unsupported NIC model", model=help lists that bus's models only, and
 * "virtio" is virtio-net-pci, as QEMU's pci_nic_init_nofail.  The NICs
 * made are not made again by net_create_nics.
 */
bool net_create_nics_on_bus(const char *bus_type, const char *default_model,
                            Error **errp);
/* Warns, as QEMU, about netdevs and hubs left without a NIC. */
void net_check_clients(void);
void net_cleanup(void);

/* info network, QEMU's text. */
void net_info_print(GString *out);

#endif
