/*
 * The network layer's clients and their peers (include/net/net.h), the
 * NICs the command line asks boards for, and info network.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "net/net.h"
#include "net/net-internal.h"
#include "hw/qdev.h"
#include "hw/boards.h"

/*
 * Frames waiting for a client that cannot take them: as many as a
 * burst of TCP segments, so that a guest slow to post receive buffers
 * loses nothing while one that posts none does not make emu grow.
 */
#define INCOMING_QUEUE_MAX 1024

typedef struct QueuedPacket {
    size_t len;
    uint8_t data[];
} QueuedPacket;

/* Every client in creation order: info network's order. */
static GList *net_clients;

NetClientState *net_client_new(const NetClientInfo *info,
                               NetClientState *peer, const char *model,
                               const char *name)
{
    NetClientState *nc = g_malloc0(info->size);

    g_assert(info->size >= sizeof(NetClientState));
    nc->info = info;
    nc->model = g_strdup(model);
    if (name) {
        nc->name = g_strdup(name);
    } else {
        unsigned same_model = 0;

        for (GList *l = net_clients; l; l = l->next) {
            NetClientState *other = l->data;

            same_model += !strcmp(other->model, model);
        }
        nc->name = g_strdup_printf("%s.%u", model, same_model);
    }
    nc->incoming = g_queue_new();
    if (peer) {
        g_assert(!peer->peer);
        nc->peer = peer;
        peer->peer = nc;
    }
    net_clients = g_list_append(net_clients, nc);
    return nc;
}

void net_client_free(NetClientState *nc)
{
    if (!nc) {
        return;
    }
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
    if (nc->peer) {
        nc->peer->peer = NULL;
    }
    net_clients = g_list_remove(net_clients, nc);
    g_queue_free_full(nc->incoming, g_free);
    g_free(nc->name);
    g_free(nc->model);
    g_free(nc->info_str);
    g_free(nc);
}

void net_client_set_info_str(NetClientState *nc, const char *fmt, ...)
{
    va_list ap;

    g_free(nc->info_str);
    va_start(ap, fmt);
    nc->info_str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static bool net_can_receive(NetClientState *nc)
{
    return !nc->info->can_receive || nc->info->can_receive(nc);
}

static void net_enqueue(NetClientState *to, const uint8_t *buf, size_t len)
{
    QueuedPacket *p;

    if (g_queue_get_length(to->incoming) >= INCOMING_QUEUE_MAX) {
        return;                  /* as a full wire would: TCP resends */
    }
    p = g_malloc(sizeof(*p) + len);
    p->len = len;
    memcpy(p->data, buf, len);
    g_queue_push_tail(to->incoming, p);
}

void net_send_packet(NetClientState *nc, const uint8_t *buf, size_t len)
{
    NetClientState *to = nc->peer;

    if (!to) {
        return;
    }
    /* Behind frames already waiting, to keep the order. */
    if (!g_queue_is_empty(to->incoming) || !net_can_receive(to) ||
        to->info->receive(to, buf, len) == 0) {
        net_enqueue(to, buf, len);
    }
}

void net_flush_queued_packets(NetClientState *nc)
{
    QueuedPacket *p;

    while ((p = g_queue_peek_head(nc->incoming)) && net_can_receive(nc)) {
        if (nc->info->receive(nc, p->data, p->len) == 0) {
            return;
        }
        g_free(g_queue_pop_head(nc->incoming));
    }
}

/* ---- backends and NICs by name ---- */

static bool is_backend(const NetClientState *nc)
{
    return strcmp(nc->info->type, "nic") != 0;
}

NetClientState *net_find_netdev(const char *id)
{
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (is_backend(nc) && !strcmp(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

/* A NIC device's backend: the netdev named id, checked to be free. */
static NetClientState *net_claim_netdev(const char *device_type,
                                        const char *id, Error **errp)
{
    NetClientState *nc = net_find_netdev(id);

    if (!nc) {
        error_setg(errp, "Property '%s.netdev' can't find value '%s'",
                   device_type, id);
        return NULL;
    }
    if (nc->peer) {
        error_setg(errp, "Property '%s.netdev' can't take value '%s', it's "
                   "in use", device_type, id);
        return NULL;
    }
    return nc;
}

bool net_parse_macaddr(MACAddr *mac, const char *str)
{
    for (int i = 0; i < 6; i++) {
        char *end;
        unsigned long byte;

        if (!g_ascii_isxdigit(str[0])) {
            return false;
        }
        byte = strtoul(str, &end, 16);
        if (byte > 0xff || end - str > 2) {
            return false;
        }
        mac->a[i] = byte;
        if (i < 5 && *end != ':' && *end != '-') {
            return false;
        }
        if (i == 5 && *end) {
            return false;
        }
        str = end + 1;
    }
    return true;
}

void net_default_macaddr(MACAddr *mac)
{
    static unsigned next;
    const MACAddr base = { { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };

    *mac = base;
    mac->a[5] += next++;
}

NetClientState *net_nic_new(const NetClientInfo *info, NICProperties *props,
                            const char *model, const char *id, void *owner,
                            Error **errp)
{
    NetClientState *peer = NULL;
    NetClientState *nic;
    MACAddr *mac = &props->mac;

    if (props->mac_str) {
        if (!net_parse_macaddr(mac, props->mac_str)) {
            error_setg(errp, "Property '%s.mac' doesn't take value '%s'",
                       model, props->mac_str);
            return NULL;
        }
    } else {
        net_default_macaddr(mac);
    }
    if (props->netdev_id) {
        peer = net_claim_netdev(model, props->netdev_id, errp);
        if (!peer) {
            return NULL;
        }
    }
    nic = net_client_new(info, peer, model, id);
    nic->owner = owner;
    net_client_set_info_str(nic, "model=%s,macaddr=%02x:%02x:%02x:%02x:"
                            "%02x:%02x", model, mac->a[0], mac->a[1],
                            mac->a[2], mac->a[3], mac->a[4], mac->a[5]);
    return nic;
}

/* ---- the NICs of -nic and -net nic ---- */

typedef struct NICConfig {
    char *model;                 /* NULL: the board's */
    char *name;                  /* -net nic,name=: the client's name */
    MACAddr mac;
    NetClientState *netdev;      /* its backend or hub port, or NULL */
    int64_t vectors;             /* or NIC_VECTORS_UNSPECIFIED */
    bool created;                /* by the board (net_create_nics_on_bus) */
} NICConfig;

static GPtrArray *nic_configs;   /* NICConfig *, command-line order */

void net_add_nic_config(const char *model, const char *name,
                        const MACAddr *mac, NetClientState *netdev,
                        int64_t vectors)
{
    NICConfig *nic = g_new0(NICConfig, 1);

    nic->vectors = vectors;
    nic->model = g_strdup(model);
    nic->name = g_strdup(name);
    nic->mac = *mac;
    nic->netdev = netdev;
    if (!nic_configs) {
        nic_configs = g_ptr_array_new();
    }
    g_ptr_array_add(nic_configs, nic);
}

/* Whether klass is a NIC: a device that takes a netdev. */
static bool is_nic_class(ObjectClass *klass)
{
    return object_class_dynamic_cast(klass, TYPE_DEVICE) &&
           !object_class_is_abstract(klass) &&
           DEVICE_CLASS(klass)->user_creatable &&
           object_class_find_property(klass, "netdev");
}

/* Whether a bus of type bus_type (NULL: any) takes the NIC klass. */
static bool nic_fits_bus(ObjectClass *klass, const char *bus_type)
{
    const char *nic_bus = DEVICE_CLASS(klass)->bus_type;

    return !bus_type || (nic_bus && object_class_dynamic_cast(
                             object_class_by_name(bus_type), nic_bus));
}

/* The NIC models a bus of the machine built (of bus_type, NULL: any)
 * takes, in name order with sep between them ("" for none). */
static char *net_nic_models_for_machine(const char *bus_type,
                                        const char *sep)
{
    GSList *types = object_class_get_list_sorted(TYPE_DEVICE, false);
    GString *out = g_string_new(NULL);

    for (GSList *l = types; l; l = l->next) {
        if (is_nic_class(l->data) && nic_fits_bus(l->data, bus_type) &&
            qbus_find_by_type(DEVICE_CLASS(l->data)->bus_type)) {
            g_string_append_printf(out, "%s%s", out->len ? sep : "",
                                   object_class_get_name(l->data));
        }
    }
    g_slist_free(types);
    return g_string_free(out, FALSE);
}

static bool net_create_nic(const NICConfig *nic, const char *model,
                           const char *bus_type, Error **errp)
{
    ObjectClass *klass = object_class_by_name(model);
    DeviceClass *dc;
    DeviceState *dev;
    BusState *bus;
    g_autofree char *mac = NULL;

    if (!klass || !is_nic_class(klass) || !nic_fits_bus(klass, bus_type)) {
        error_setg(errp, "Unsupported NIC model: %s", model);
        return false;
    }
    dc = DEVICE_CLASS(klass);
    bus = qbus_find_by_type(dc->bus_type);
    if (!bus) {
        error_setg(errp, "No '%s' bus found for NIC model %s", dc->bus_type,
                   model);
        return false;
    }
    mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", nic->mac.a[0],
                          nic->mac.a[1], nic->mac.a[2], nic->mac.a[3],
                          nic->mac.a[4], nic->mac.a[5]);
    dev = qdev_new(model);
    if (nic->name) {
        dev->id = g_strdup(nic->name);
    }
    if (!object_property_set_str(OBJECT(dev), "mac", mac, errp) ||
        (nic->netdev && !object_property_set_str(OBJECT(dev), "netdev",
                                                  nic->netdev->name,
                                                  errp)) ||
        /* Models without MSI-X ignore vectors=, as in QEMU. */
        (nic->vectors != NIC_VECTORS_UNSPECIFIED &&
         object_class_find_property(klass, "vectors") &&
         !object_property_set_uint(OBJECT(dev), "vectors", nic->vectors,
                                   errp))) {
        object_unref(OBJECT(dev));
        return false;
    }
    return qdev_realize_and_unref(dev, bus, errp);
}

bool net_create_nics_on_bus(const char *bus_type, const char *default_model,
                            Error **errp)
{
    for (guint i = 0; nic_configs && i < nic_configs->len; i++) {
        NICConfig *nic = g_ptr_array_index(nic_configs, i);
        const char *model = nic->model ? nic->model : default_model;

        if (nic->created) {
            continue;
        }
        if (bus_type && model && !strcmp(model, "virtio")) {
            model = "virtio-net-pci";
        }
        if (!model) {
            g_autofree char *models = net_nic_models_for_machine(bus_type,
                                                                 ", ");

            if (*models) {
                error_setg(errp, "this machine has no network card to "
                           "connect -nic or -net nic to by default: choose "
                           "one with model= (this machine takes %s)",
                           models);
            } else {
                error_setg(errp, "this machine has no network card to "
                           "connect -nic or -net nic to (use -device with "
                           "a NIC model)");
            }
            return false;
        }
        if (!strcmp(model, "help") || !strcmp(model, "?")) {
            /* freed before exit(), which leaves g_autofree's scope
             * without running it (LeakSanitizer reports the list) */
            char *models = net_nic_models_for_machine(bus_type, "\n");

            printf("Supported NIC models:\n%s%s", models, *models ? "\n" : "");
            g_free(models);
            exit(0);
        }
        if (!net_create_nic(nic, model, bus_type, errp)) {
            return false;
        }
        nic->created = true;
    }
    return true;
}

bool net_create_nics(const char *default_model, Error **errp)
{
    return net_create_nics_on_bus(NULL, default_model, errp);
}

void net_check_clients(void)
{
    net_hub_check_clients();
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (!nc->peer && strcmp(nc->info->type, "hubport")) {
            warn_report("%s %s has no peer",
                        is_backend(nc) ? "netdev" : "nic", nc->name);
        }
    }
}

void net_cleanup(void)
{
    GList *clients = g_list_copy(net_clients);

    /* The backends (slirp's sockets); NICs go with their devices. */
    for (GList *l = clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (is_backend(nc) && strcmp(nc->info->type, "hubport")) {
            net_client_free(nc);
        }
    }
    g_list_free(clients);
    net_hub_cleanup();
    for (guint i = 0; nic_configs && i < nic_configs->len; i++) {
        NICConfig *nic = g_ptr_array_index(nic_configs, i);

        g_free(nic->model);
        g_free(nic->name);
        g_free(nic);
    }
    g_clear_pointer(&nic_configs, g_ptr_array_unref);
}

/* ---- info network ---- */

void net_print_client(GString *out, const NetClientState *nc)
{
    g_string_append_printf(out, "%s: index=0,type=%s,%s\n", nc->name,
                           nc->info->type, nc->info_str ? nc->info_str : "");
}

void net_info_print(GString *out)
{
    net_hub_info_print(out);
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;
        bool is_nic = !is_backend(nc);

        if (net_hub_port_or_peer(nc)) {
            continue;            /* shown with its hub */
        }
        if (!nc->peer || is_nic) {
            net_print_client(out, nc);
        }
        if (nc->peer && is_nic) {
            g_string_append(out, " \\ ");
            net_print_client(out, nc->peer);
        }
    }
}
