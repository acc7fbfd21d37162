/*
 * User networking ("-netdev user"): libslirp, a TCP/IP stack in user
 * space, plays the guest's router at 10.0.2.2 (DHCP, DNS at 10.0.2.3)
 * and turns the guest's connections into the host's sockets; hostfwd=
 * forwards a host port to the guest.  The defaults are QEMU's.
 *
 * libslirp is driven from glib's main context: a GSource asks it which
 * sockets to poll before the main loop sleeps and lets it handle them
 * after; its timers are the virtual clock's.  The guest's frames come in
 * through slirp_input on whichever thread (a vCPU's, with the global
 * lock) the NIC runs, so the main loop is woken to poll what they
 * opened.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/log.h"
#include <arpa/inet.h>
#include <libslirp.h>
#include "net/net-internal.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"

typedef struct SlirpSource SlirpSource;

typedef struct SlirpState {
    NetClientState nc;
    Slirp *slirp;
    SlirpSource *source;
    char *hostname, *domainname, *tftp, *bootfile;
    char **dnssearch;
} SlirpState;

/* The GSource that polls slirp's sockets. */
struct SlirpSource {
    GSource source;
    SlirpState *s;
    GArray *fds;                 /* GPollFD, as slirp_pollfds_fill gave */
    /* When slirp's TCP timers want slirp_pollfds_poll even if no socket
     * is ready (monotonic microseconds; -1: never). */
    gint64 deadline;
};

/* ---- the guest's side ---- */

static size_t net_slirp_receive(NetClientState *nc, const uint8_t *buf,
                                size_t len)
{
    SlirpState *s = (SlirpState *)nc;

    slirp_input(s->slirp, buf, len);
    /* A new connection or data to write: poll its socket now. */
    main_loop_wakeup();
    return len;
}

static ssize_t net_slirp_send_packet(const void *buf, size_t len,
                                     void *opaque)
{
    SlirpState *s = opaque;

    net_send_packet(&s->nc, buf, len);
    return len;
}

static void net_slirp_guest_error(const char *msg, void *opaque)
{
    emu_log_mask(LOG_GUEST_ERROR, "slirp: %s\n", msg);
}

/* ---- time ---- */

static int64_t net_slirp_clock_get_ns(void *opaque)
{
    return clock_virtual_ns();
}

typedef struct SlirpTimer {
    EmuTimer *timer;
    SlirpState *s;
    SlirpTimerId id;
    void *cb_opaque;
} SlirpTimer;

static void net_slirp_timer_fire(void *opaque)
{
    SlirpTimer *t = opaque;

    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
}

static void *net_slirp_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
                                        void *opaque)
{
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new_virtual(net_slirp_timer_fire, t);
    return t;
}

static void net_slirp_timer_free(void *timer, void *opaque)
{
    SlirpTimer *t = timer;

    timer_free(t->timer);
    g_free(t);
}

static void net_slirp_timer_mod(void *timer, int64_t expire_ms,
                                void *opaque)
{
    SlirpTimer *t = timer;

    timer_mod(t->timer, expire_ms * 1000000);
}

/* Sockets are polled through slirp_pollfds_fill each time round. */
static void net_slirp_register_poll_fd(int fd, void *opaque)
{
}

static void net_slirp_unregister_poll_fd(int fd, void *opaque)
{
}

static void net_slirp_notify(void *opaque)
{
    main_loop_wakeup();
}

static const SlirpCb net_slirp_callbacks = {
    .send_packet = net_slirp_send_packet,
    .guest_error = net_slirp_guest_error,
    .clock_get_ns = net_slirp_clock_get_ns,
    .timer_free = net_slirp_timer_free,
    .timer_mod = net_slirp_timer_mod,
    .register_poll_fd = net_slirp_register_poll_fd,
    .unregister_poll_fd = net_slirp_unregister_poll_fd,
    .notify = net_slirp_notify,
    .timer_new_opaque = net_slirp_timer_new_opaque,
};

/* ---- the main loop's side ---- */

static int slirp_to_poll(int events)
{
    return (events & SLIRP_POLL_IN ? G_IO_IN : 0) |
           (events & SLIRP_POLL_OUT ? G_IO_OUT : 0) |
           (events & SLIRP_POLL_PRI ? G_IO_PRI : 0) |
           (events & SLIRP_POLL_ERR ? G_IO_ERR : 0) |
           (events & SLIRP_POLL_HUP ? G_IO_HUP : 0);
}

static int poll_to_slirp(int revents)
{
    return (revents & G_IO_IN ? SLIRP_POLL_IN : 0) |
           (revents & G_IO_OUT ? SLIRP_POLL_OUT : 0) |
           (revents & G_IO_PRI ? SLIRP_POLL_PRI : 0) |
           (revents & G_IO_ERR ? SLIRP_POLL_ERR : 0) |
           (revents & G_IO_HUP ? SLIRP_POLL_HUP : 0);
}

static int net_slirp_add_poll(int fd, int events, void *opaque)
{
    SlirpSource *src = opaque;
    GPollFD pfd = { .fd = fd, .events = slirp_to_poll(events) };

    g_array_append_val(src->fds, pfd);
    return src->fds->len - 1;
}

static int net_slirp_get_revents(int idx, void *opaque)
{
    SlirpSource *src = opaque;

    return poll_to_slirp(g_array_index(src->fds, GPollFD, idx).revents);
}

static void net_slirp_source_remove_fds(SlirpSource *src)
{
    for (guint i = 0; i < src->fds->len; i++) {
        g_source_remove_poll(&src->source,
                             &g_array_index(src->fds, GPollFD, i));
    }
    g_array_set_size(src->fds, 0);
}

static gboolean net_slirp_source_prepare(GSource *source, gint *timeout)
{
    SlirpSource *src = (SlirpSource *)source;
    uint32_t timeout_ms = UINT32_MAX;

    net_slirp_source_remove_fds(src);
    slirp_pollfds_fill(src->s->slirp, &timeout_ms, net_slirp_add_poll, src);
    /* The array is complete: glib keeps pointers into it. */
    for (guint i = 0; i < src->fds->len; i++) {
        g_source_add_poll(source, &g_array_index(src->fds, GPollFD, i));
    }
    *timeout = timeout_ms == UINT32_MAX ? -1 : (gint)MIN(timeout_ms,
                                                         G_MAXINT);
    src->deadline = *timeout < 0 ? -1 : g_get_monotonic_time() +
                                        (gint64)*timeout * 1000;
    return *timeout == 0;
}

static gboolean net_slirp_source_check(GSource *source)
{
    SlirpSource *src = (SlirpSource *)source;

    if (src->deadline >= 0 && g_get_monotonic_time() >= src->deadline) {
        return TRUE;
    }
    for (guint i = 0; i < src->fds->len; i++) {
        if (g_array_index(src->fds, GPollFD, i).revents) {
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean net_slirp_source_dispatch(GSource *source,
                                          GSourceFunc callback,
                                          gpointer user_data)
{
    SlirpSource *src = (SlirpSource *)source;

    slirp_pollfds_poll(src->s->slirp, 0, net_slirp_get_revents, src);
    return G_SOURCE_CONTINUE;
}

static void net_slirp_source_finalize(GSource *source)
{
    g_array_free(((SlirpSource *)source)->fds, TRUE);
}

static GSourceFuncs net_slirp_source_funcs = {
    .prepare = net_slirp_source_prepare,
    .check = net_slirp_source_check,
    .dispatch = net_slirp_source_dispatch,
    .finalize = net_slirp_source_finalize,
};

static void net_slirp_cleanup(NetClientState *nc)
{
    SlirpState *s = (SlirpState *)nc;

    if (s->source) {
        net_slirp_source_remove_fds(s->source);
        g_source_destroy(&s->source->source);
        g_source_unref(&s->source->source);
    }
    if (s->slirp) {
        slirp_cleanup(s->slirp);
    }
    g_free(s->hostname);
    g_free(s->domainname);
    g_free(s->tftp);
    g_free(s->bootfile);
    g_strfreev(s->dnssearch);
}

static const NetClientInfo net_slirp_info = {
    .type = "user",
    .size = sizeof(SlirpState),
    .receive = net_slirp_receive,
    .cleanup = net_slirp_cleanup,
};

/* ---- options ---- */

/* The network and its addresses, as QEMU derives them from net=. */
typedef struct SlirpAddrs {
    struct in_addr net, mask, host, dhcp, dns;
} SlirpAddrs;

/* A mask for an address given without one: its class's, as QEMU. */
static uint32_t classful_mask(uint32_t addr)
{
    if (!(addr & 0x80000000)) {
        return 0xff000000;                  /* class A */
    } else if ((addr & 0xfff00000) == 0xac100000) {
        return 0xfff00000;                  /* 172.16.0.0/12 */
    } else if ((addr & 0xc0000000) == 0x80000000) {
        return 0xffff0000;                  /* class B */
    } else if ((addr & 0xffff0000) == 0xc0a80000) {
        return 0xffff0000;                  /* 192.168.0.0/16 */
    } else if ((addr & 0xffff0000) == 0xc6120000) {
        return 0xfffe0000;                  /* 198.18.0.0/15 */
    } else if ((addr & 0xe0000000) == 0xe0000000) {
        return 0xffffff00;                  /* class C */
    }
    return 0xfffffff0;
}

static bool parse_net(SlirpAddrs *a, const char *spec, Error **errp)
{
    const char *slash = strchr(spec, '/');
    g_autofree char *addr = g_strndup(spec, slash ? (size_t)(slash - spec)
                                                  : strlen(spec));
    uint32_t net, mask, hostpart;

    if (!inet_aton(addr, &a->net)) {
        error_setg(errp, "Failed to parse netmask");
        return false;
    }
    net = ntohl(a->net.s_addr);
    if (!slash) {
        mask = classful_mask(net);
    } else {
        char *end;
        long shift = strtol(slash + 1, &end, 10);

        if (*end || end == slash + 1) {
            if (!inet_aton(slash + 1, &a->mask)) {
                error_setg(errp, "Failed to parse netmask (trailing chars)");
                return false;
            }
            mask = ntohl(a->mask.s_addr);
        } else if (shift < 4 || shift > 32) {
            error_setg(errp, "Invalid netmask provided (must be in range "
                       "4-32)");
            return false;
        } else {
            mask = shift == 32 ? 0xffffffff : ~(0xffffffffu >> shift);
        }
    }
    net &= mask;
    hostpart = ~mask;
    a->net.s_addr = htonl(net);
    a->mask.s_addr = htonl(mask);
    a->host.s_addr = htonl(net | (0x0202 & hostpart));
    a->dhcp.s_addr = htonl(net | (0x020f & hostpart));
    a->dns.s_addr = htonl(net | (0x0203 & hostpart));
    return true;
}

static bool in_net(const SlirpAddrs *a, struct in_addr addr)
{
    return (addr.s_addr & a->mask.s_addr) == a->net.s_addr;
}

static bool parse_addrs(SlirpAddrs *a, KeyValList *kv, bool restricted,
                        Error **errp)
{
    const char *net = keyval_take(kv, "net");
    const char *host = keyval_take(kv, "host");
    const char *dns = keyval_take(kv, "dns");
    const char *dhcp = keyval_take(kv, "dhcpstart");

    if (!parse_net(a, net ? net : "10.0.2.0/24", errp)) {
        return false;
    }
    if (host && !inet_aton(host, &a->host)) {
        error_setg(errp, "Failed to parse host");
        return false;
    }
    if (!in_net(a, a->host)) {
        error_setg(errp, "Host doesn't belong to network");
        return false;
    }
    if (dns && !inet_aton(dns, &a->dns)) {
        error_setg(errp, "Failed to parse DNS");
        return false;
    }
    if (restricted && !in_net(a, a->dns)) {
        error_setg(errp, "DNS doesn't belong to network");
        return false;
    }
    if (a->dns.s_addr == a->host.s_addr) {
        error_setg(errp, "DNS must be different from host");
        return false;
    }
    if (dhcp && !inet_aton(dhcp, &a->dhcp)) {
        error_setg(errp, "Failed to parse DHCP start address");
        return false;
    }
    if (!in_net(a, a->dhcp)) {
        error_setg(errp, "DHCP doesn't belong to network");
        return false;
    }
    if (a->dhcp.s_addr == a->host.s_addr || a->dhcp.s_addr == a->dns.s_addr) {
        error_setg(errp, "DHCP must be different from host and DNS");
        return false;
    }
    return true;
}

static bool take_bool(KeyValList *kv, const char *key, bool dflt, bool *out,
                      Error **errp)
{
    const char *v = keyval_take(kv, key);

    *out = dflt;
    if (v && !parse_bool(v, out)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

/* "ADDR" into addr ("" leaves it alone); false when malformed. */
static bool parse_fwd_addr(const char *text, struct in_addr *addr)
{
    return !*text || inet_aton(text, addr);
}

static bool parse_fwd_port(const char *text, int *port)
{
    int64_t v;

    if (!parse_int64(text, &v) || v < 0 || v > 65535) {
        return false;
    }
    *port = v;
    return true;
}

/*
 * hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, with
 * QEMU's reasons when it is malformed.
 */
static bool add_hostfwd(SlirpState *s, const char *rule, Error **errp)
{
    g_auto(GStrv) proto_rest = g_strsplit(rule, ":", 2);
    g_auto(GStrv) host_rest = NULL, sides = NULL, guest = NULL;
    struct in_addr host_addr = { .s_addr = htonl(INADDR_ANY) };
    struct in_addr guest_addr = { .s_addr = 0 };
    int host_port, guest_port;
    const char *reason;
    bool is_udp;

    if (!proto_rest[1]) {
        reason = "No : separators";
        goto fail;
    }
    if (!strcmp(proto_rest[0], "tcp") || !*proto_rest[0]) {
        is_udp = false;
    } else if (!strcmp(proto_rest[0], "udp")) {
        is_udp = true;
    } else {
        reason = "Bad protocol name";
        goto fail;
    }
    host_rest = g_strsplit(proto_rest[1], ":", 2);
    if (!host_rest[1]) {
        reason = "Missing : separator";
        goto fail;
    }
    if (!parse_fwd_addr(host_rest[0], &host_addr)) {
        reason = "Bad host address";
        goto fail;
    }
    sides = g_strsplit(host_rest[1], "-", 2);
    if (!sides[1] || !parse_fwd_port(sides[0], &host_port)) {
        reason = "Bad host port";
        goto fail;
    }
    guest = g_strsplit(sides[1], ":", 2);
    if (!guest[1]) {
        reason = "Missing guest address";
        goto fail;
    }
    if (!parse_fwd_addr(guest[0], &guest_addr)) {
        reason = "Bad guest address";
        goto fail;
    }
    if (!parse_fwd_port(guest[1], &guest_port) || guest_port < 1) {
        reason = "Bad guest port";
        goto fail;
    }
    if (slirp_add_hostfwd(s->slirp, is_udp, host_addr, host_port,
                          guest_addr, guest_port) < 0) {
        error_setg(errp, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;

fail:
    error_setg(errp, "Invalid host forwarding rule '%s' (%s)", rule, reason);
    return false;
}

/* The dnssearch= domains, in order. */
static char **take_dnssearch(KeyValList *kv)
{
    GPtrArray *list = g_ptr_array_new();

    for (guint i = 0; i < kv->pairs->len; i++) {
        KeyValPair *p = &g_array_index(kv->pairs, KeyValPair, i);

        if (!strcmp(p->key, "dnssearch")) {
            p->used = true;
            g_ptr_array_add(list, g_strdup(p->value));
        }
    }
    if (!list->len) {
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    g_ptr_array_add(list, NULL);
    return (char **)g_ptr_array_free(list, FALSE);
}

static bool net_slirp_start(SlirpState *s, const SlirpAddrs *a,
                            bool restricted, bool ipv4, bool ipv6,
                            Error **errp)
{
    SlirpConfig cfg = {
        .version = 4,
        .restricted = restricted,
        .in_enabled = ipv4,
        .vnetwork = a->net,
        .vnetmask = a->mask,
        .vhost = a->host,
        .in6_enabled = ipv6,
        /* QEMU's IPv6 defaults: fec0::/64, the host ::2, DNS ::3. */
        .vprefix_len = 64,
        .vhostname = s->hostname,
        .tftp_server_name = NULL,
        .tftp_path = s->tftp,
        .bootfile = s->bootfile,
        .vdhcp_start = a->dhcp,
        .vnameserver = a->dns,
        .vdnssearch = (const char **)s->dnssearch,
        .vdomainname = s->domainname,
    };

    inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
    inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
    inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
    s->slirp = slirp_new(&cfg, &net_slirp_callbacks, s);
    if (!s->slirp) {
        error_setg(errp, "Failed to initialize the user network stack");
        return false;
    }
    s->source = (SlirpSource *)g_source_new(&net_slirp_source_funcs,
                                            sizeof(SlirpSource));
    s->source->s = s;
    s->source->fds = g_array_new(FALSE, FALSE, sizeof(GPollFD));
    g_source_attach(&s->source->source, NULL);
    return true;
}

bool net_user_built(void)
{
    return true;
}

bool net_init_user(KeyValList *kv, const char *name, NetClientState *peer,
                   Error **errp)
{
    SlirpAddrs addrs;
    bool restricted, ipv4, ipv6;
    const KeyValPair *unknown;
    SlirpState *s;

    if (!take_bool(kv, "restrict", false, &restricted, errp) ||
        !take_bool(kv, "ipv4", true, &ipv4, errp) ||
        !take_bool(kv, "ipv6", true, &ipv6, errp) ||
        !parse_addrs(&addrs, kv, restricted, errp)) {
        return false;
    }
    if (!ipv4 && !ipv6) {
        error_setg(errp, "IPv4 and IPv6 disabled simultaneously");
        return false;
    }
    s = (SlirpState *)net_client_new(&net_slirp_info, peer, "user", name);
    s->hostname = g_strdup(keyval_take(kv, "hostname"));
    s->domainname = g_strdup(keyval_take(kv, "domainname"));
    s->tftp = g_strdup(keyval_take(kv, "tftp"));
    s->bootfile = g_strdup(keyval_take(kv, "bootfile"));
    s->dnssearch = take_dnssearch(kv);
    /* Every key is known before anything is opened. */
    for (guint i = 0; i < kv->pairs->len; i++) {
        KeyValPair *p = &g_array_index(kv->pairs, KeyValPair, i);

        if (!strcmp(p->key, "hostfwd")) {
            p->used = true;
        }
    }
    unknown = keyval_first_unused(kv);
    if (unknown) {
        error_setg(errp, "Invalid parameter '%s'", unknown->key);
        goto fail;
    }
    if (!net_slirp_start(s, &addrs, restricted, ipv4, ipv6, errp)) {
        goto fail;
    }
    for (guint i = 0; i < kv->pairs->len; i++) {
        KeyValPair *p = &g_array_index(kv->pairs, KeyValPair, i);

        if (!strcmp(p->key, "hostfwd") && !add_hostfwd(s, p->value, errp)) {
            goto fail;
        }
    }
    net_client_set_info_str(&s->nc, "net=%s,restrict=%s",
                            inet_ntoa(addrs.net), restricted ? "on" : "off");
    return true;

fail:
    net_client_free(&s->nc);
    return false;
}
