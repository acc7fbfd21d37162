/*
 * Hubs: what QEMU's legacy "-net" options join their clients with.
 * "-net nic -net user" puts the NIC and the user backend on hub 0, a
 * repeater: a frame that comes in on one port goes out of every other.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/error.h"
#include "net/net-internal.h"

typedef struct NetHub NetHub;

typedef struct NetHubPort {
    NetClientState nc;
    NetHub *hub;
} NetHubPort;

struct NetHub {
    int id;
    GList *ports;                /* NetHubPort *, newest first as QEMU's */
    unsigned port_count;
};

static GList *hubs;              /* NetHub *, newest first */

static size_t net_hub_port_receive(NetClientState *nc, const uint8_t *buf,
                                   size_t len)
{
    NetHubPort *in = (NetHubPort *)nc;

    for (GList *l = in->hub->ports; l; l = l->next) {
        NetHubPort *out = l->data;

        if (out != in) {
            net_send_packet(&out->nc, buf, len);
        }
    }
    return len;
}

static const NetClientInfo net_hub_port_info = {
    .type = "hubport",
    .size = sizeof(NetHubPort),
    .receive = net_hub_port_receive,
};

static NetHub *net_hub_find(int id)
{
    for (GList *l = hubs; l; l = l->next) {
        NetHub *hub = l->data;

        if (hub->id == id) {
            return hub;
        }
    }
    return NULL;
}

NetClientState *net_hub_add_port(int hub_id)
{
    NetHub *hub = net_hub_find(hub_id);
    g_autofree char *name = NULL;
    NetHubPort *port;

    if (!hub) {
        hub = g_new0(NetHub, 1);
        hub->id = hub_id;
        hubs = g_list_prepend(hubs, hub);
    }
    name = g_strdup_printf("hub%dport%u", hub_id, hub->port_count++);
    port = (NetHubPort *)net_client_new(&net_hub_port_info, NULL, "hubport",
                                        name);
    port->hub = hub;
    hub->ports = g_list_prepend(hub->ports, port);
    return &port->nc;
}

static bool is_hub_port(const NetClientState *nc)
{
    return nc && nc->info == &net_hub_port_info;
}

bool net_hub_port_or_peer(const NetClientState *nc)
{
    return is_hub_port(nc) || is_hub_port(nc->peer);
}

void net_hub_info_print(GString *out)
{
    for (GList *h = hubs; h; h = h->next) {
        NetHub *hub = h->data;

        g_string_append_printf(out, "hub %d\n", hub->id);
        for (GList *l = hub->ports; l; l = l->next) {
            NetHubPort *port = l->data;

            g_string_append_printf(out, " \\ %s", port->nc.name);
            if (port->nc.peer) {
                g_string_append(out, ": ");
                net_print_client(out, port->nc.peer);
            } else {
                g_string_append(out, "\n");
            }
        }
    }
}

/* QEMU's warnings for a hub that cannot carry anything useful. */
void net_hub_check_clients(void)
{
    for (GList *h = hubs; h; h = h->next) {
        NetHub *hub = h->data;
        bool has_nic = false, has_host = false;

        for (GList *l = hub->ports; l; l = l->next) {
            NetClientState *peer = ((NetHubPort *)l->data)->nc.peer;

            if (!peer) {
                continue;
            }
            if (!strcmp(peer->info->type, "nic")) {
                has_nic = true;
            } else {
                has_host = true;
            }
        }
        if (has_host && !has_nic) {
            warn_report("hub %d with no nics", hub->id);
        }
        if (has_nic && !has_host) {
            warn_report("hub %d is not connected to host network", hub->id);
        }
    }
}

void net_hub_cleanup(void)
{
    for (GList *h = hubs; h; h = h->next) {
        NetHub *hub = h->data;

        g_list_free_full(hub->ports, (GDestroyNotify)net_client_free);
        g_free(hub);
    }
    g_clear_pointer(&hubs, g_list_free);
}
