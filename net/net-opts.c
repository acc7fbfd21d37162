/*
 * The network options of the command line, as QEMU 7.2 reads them:
 *
 *   -netdev user,id=ID[,...]            a backend for -device ...,netdev=ID
 *   -nic user[,model=M][,mac=A][,...]   a backend and a NIC of the board's
 *   -net nic[,model=][,macaddr=][,name=][,netdev=]   legacy: NICs and
 *   -net user[,...]                     backends meet on hub 0
 *
 * "none" (-nic none, -net none) is softmmu/vl.c's: no default NIC.
 * model=help lists the NIC models of the machine once it is built, as
 * QEMU lists them when the board makes its NICs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "net/net-internal.h"

static bool is_help(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

/* QEMU's id_generate(ID_NET) without its random digits: "#net0"... */
static char *net_generate_id(void)
{
    static unsigned count;

    return g_strdup_printf("#net%u", count++);
}

static bool check_id(const char *id, Error **errp)
{
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    if (net_find_netdev(id)) {
        error_setg(errp, "Duplicate ID '%s' for netdev", id);
        return false;
    }
    return true;
}

/* A backend of kv's type (taken already), named name. */
static bool net_init_backend(const char *type, KeyValList *kv,
                             const char *name, NetClientState *peer,
                             Error **errp)
{
    if (is_help(type)) {
        printf("Available netdev backend types:\nuser\n");
        exit(0);
    }
    if (!strcmp(type, "user")) {
        return net_init_user(kv, name, peer, errp);
    }
    error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
    return false;
}

static KeyValList *parse(const char *optarg, Error **errp)
{
    static const char *const repeatable[] = { "hostfwd", "dnssearch",
                                              NULL };

    return keyval_parse_repeatable(optarg, "type", repeatable, errp);
}

bool net_parse_netdev(const char *optarg, Error **errp)
{
    g_autoptr(KeyValList) kv = parse(optarg, errp);
    const char *type, *id;

    if (!kv) {
        return false;
    }
    type = keyval_take(kv, "type");
    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return false;
    }
    if (is_help(type)) {
        return net_init_backend(type, kv, NULL, NULL, errp);
    }
    id = keyval_take(kv, "id");
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    return check_id(id, errp) && net_init_backend(type, kv, id, NULL, errp);
}

/* mac= of -nic, macaddr= of -net nic, or the next default one. */
static bool take_mac(KeyValList *kv, const char *key, MACAddr *mac,
                     Error **errp)
{
    const char *str = keyval_take(kv, key);

    if (!str) {
        net_default_macaddr(mac);
        return true;
    }
    if (!net_parse_macaddr(mac, str)) {
        error_setg(errp, "invalid syntax for ethernet address");
        return false;
    }
    if (mac->a[0] & 1) {
        error_setg(errp, "NIC cannot have multicast MAC address");
        return false;
    }
    return true;
}

bool net_parse_nic(const char *optarg, Error **errp)
{
    g_autoptr(KeyValList) kv = parse(optarg, errp);
    g_autofree char *id = NULL;
    const char *type, *model;
    MACAddr mac;

    if (!kv) {
        return false;
    }
    /* A -nic without a backend type is on user networking, as QEMU's. */
    type = keyval_take(kv, "type");
    if (!type) {
        type = "user";
    }
    model = keyval_take(kv, "model");
    if (is_help(type)) {
        return net_init_backend(type, kv, NULL, NULL, errp);
    }
    id = g_strdup(keyval_take(kv, "id"));
    if (id ? !check_id(id, errp) : !(id = net_generate_id())) {
        return false;
    }
    if (!take_mac(kv, "mac", &mac, errp) ||
        !net_init_backend(type, kv, id, NULL, errp)) {
        return false;
    }
    /* QEMU 7.2's -nic makes its NIC with "vectors" 0: a virtio-net-pci
     * from -nic has no MSI-X there, nor here. */
    net_add_nic_config(model, NULL, &mac, net_find_netdev(id), 0);
    return true;
}

/* -net nic's vectors= (MSI-X vectors for a model that has them), in
 * QEMU's range and words. */
#define NIC_VECTORS_MAX 0x7ffffff

static bool take_vectors(KeyValList *kv, int64_t *vectors, Error **errp)
{
    const char *text = keyval_take(kv, "vectors");
    uint64_t value;

    *vectors = NIC_VECTORS_UNSPECIFIED;
    if (!text) {
        return true;
    }
    if (!parse_uint64(text, &value)) {
        error_setg(errp, "Parameter 'vectors' expects a uint64 value");
        return false;
    }
    if (value > NIC_VECTORS_MAX) {
        error_setg(errp, "invalid # of vectors: %" PRIu64, value);
        return false;
    }
    *vectors = value;
    return true;
}

/* -net nic: on hub 0, or straight to netdev= when given. */
static bool net_legacy_nic(KeyValList *kv, Error **errp)
{
    const char *netdev_id = keyval_take(kv, "netdev");
    const char *name = keyval_take(kv, "name");
    const char *model;
    const KeyValPair *unknown;
    NetClientState *netdev;
    MACAddr mac;
    int64_t vectors;

    model = keyval_take(kv, "model");
    if (!take_mac(kv, "macaddr", &mac, errp) ||
        !take_vectors(kv, &vectors, errp)) {
        return false;
    }
    unknown = keyval_first_unused(kv);
    if (unknown) {
        error_setg(errp, "Invalid parameter '%s'", unknown->key);
        return false;
    }
    if (netdev_id) {
        netdev = net_find_netdev(netdev_id);
        if (!netdev) {
            error_setg(errp, "netdev '%s' not found", netdev_id);
            return false;
        }
    } else {
        netdev = net_hub_add_port(0);
    }
    net_add_nic_config(model, name, &mac, netdev, vectors);
    return true;
}

bool net_add_default_nic(Error **errp)
{
    return net_parse_legacy("nic", errp) &&
           (!net_user_built() || net_parse_legacy("user", errp));
}

bool net_parse_legacy(const char *optarg, Error **errp)
{
    g_autoptr(KeyValList) kv = parse(optarg, errp);
    g_autofree char *name = NULL;
    const char *type;

    if (!kv) {
        return false;
    }
    type = keyval_take(kv, "type");
    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return false;
    }
    if (!strcmp(type, "nic")) {
        return net_legacy_nic(kv, errp);
    }
    if (is_help(type)) {
        return net_init_backend(type, kv, NULL, NULL, errp);
    }
    /* -net user,name=N names the backend; QEMU generates one otherwise. */
    name = g_strdup(keyval_take(kv, "name"));
    if (!name) {
        name = g_strdup(keyval_take(kv, "id"));
    }
    if (name ? !check_id(name, errp) : !(name = net_generate_id())) {
        return false;
    }
    if (strcmp(type, "user")) {
        error_setg(errp, "Parameter 'type' does not accept value '%s'",
                   type);
        return false;
    }
    return net_init_backend(type, kv, name, net_hub_add_port(0), errp);
}
