/*
 * The udp backend: datagrams to host:port (default localhost), from a
 * socket bound to localaddr:localport (default any address, a port the
 * kernel picks).  The socket is connected, so only the peer's
 * datagrams come in.  Each write is one datagram.
 *
 * A datagram must be read whole, but a frontend may take only a few
 * bytes at a time (a UART's FIFO): the rest waits in a buffer, offered
 * again every UDP_RETRY_MS until it is taken, before the next datagram
 * is read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <netdb.h>
#include <sys/socket.h>
#include "chardev-internal.h"

#define UDP_RETRY_MS 10

typedef struct UdpChardev {
    Chardev parent;
    char *host, *port;           /* the peer */
    char *localaddr, *localport;
    int fd;
    GSource *read_src;           /* while the buffer is empty */
    guint retry_timer;           /* while it is not */
    uint8_t buf[65536];
    size_t len, pos;             /* the datagram, and how much was taken */
} UdpChardev;

static UdpChardev *udp_chardev(Chardev *chr)
{
    return container_of(chr, UdpChardev, parent);
}

static void udp_ready(Chardev *chr, GIOCondition cond);

/* Hands the frontend what it takes of the buffered datagram; true when
 * all of it is gone. */
static bool udp_feed(Chardev *chr)
{
    UdpChardev *u = udp_chardev(chr);
    int room = chr_be_can_write(chr);

    if (room > 0 && u->pos < u->len) {
        size_t n = MIN((size_t)room, u->len - u->pos);

        chr_be_write(chr, u->buf + u->pos, n);
        u->pos += n;
    }
    return u->pos == u->len;
}

static gboolean udp_retry(gpointer opaque)
{
    Chardev *chr = opaque;
    UdpChardev *u = udp_chardev(chr);

    if (!udp_feed(chr)) {
        return G_SOURCE_CONTINUE;
    }
    u->retry_timer = 0;
    u->read_src = chr_fd_source_add(chr, u->fd, udp_ready);
    return G_SOURCE_REMOVE;
}

static void udp_ready(Chardev *chr, GIOCondition cond)
{
    UdpChardev *u = udp_chardev(chr);
    ssize_t n = recv(u->fd, u->buf, sizeof(u->buf), 0);

    /* A refused earlier datagram (ICMP port unreachable) shows up as
     * ECONNREFUSED here: nobody listens yet, nothing to read. */
    if (n <= 0) {
        return;
    }
    u->len = n;
    u->pos = 0;
    if (!udp_feed(chr)) {
        chr_fd_source_remove(&u->read_src);
        u->retry_timer = g_timeout_add(UDP_RETRY_MS, udp_retry, chr);
    }
}

static bool udp_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    UdpChardev *u = udp_chardev(chr);
    const char *host = keyval_take(kv, "host");
    const char *port = keyval_take(kv, "port");
    const char *localaddr = keyval_take(kv, "localaddr");
    const char *localport = keyval_take(kv, "localport");

    u->fd = -1;
    if (!port || !*port) {
        error_setg(errp, "chardev: udp: remote port not specified");
        return false;
    }
    u->host = g_strdup(host && *host ? host : "localhost");
    u->port = g_strdup(port);
    u->localaddr = g_strdup(localaddr ? localaddr : "");
    u->localport = g_strdup(localport && *localport ? localport : "0");
    return true;
}

static bool udp_open(Chardev *chr, Error **errp)
{
    UdpChardev *u = udp_chardev(chr);
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM };
    struct addrinfo *peer, *local;
    int rc;

    rc = getaddrinfo(u->host, u->port, &hints, &peer);
    if (rc) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   u->host, u->port, gai_strerror(rc));
        return false;
    }
    /* The local address in the peer's family. */
    hints.ai_family = peer->ai_family;
    hints.ai_flags = AI_PASSIVE;
    rc = getaddrinfo(u->localaddr[0] ? u->localaddr : NULL, u->localport,
                     &hints, &local);
    if (rc) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   u->localaddr, u->localport, gai_strerror(rc));
        freeaddrinfo(peer);
        return false;
    }
    u->fd = socket(peer->ai_family, SOCK_DGRAM | SOCK_NONBLOCK |
                   SOCK_CLOEXEC, 0);
    if (u->fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
    } else if (bind(u->fd, local->ai_addr, local->ai_addrlen) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s:%s",
                         u->localaddr, u->localport);
    } else if (connect(u->fd, peer->ai_addr, peer->ai_addrlen) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s:%s'",
                         u->host, u->port);
    } else {
        freeaddrinfo(peer);
        freeaddrinfo(local);
        u->read_src = chr_fd_source_add(chr, u->fd, udp_ready);
        chr->be_open = true;
        return true;
    }
    if (u->fd >= 0) {
        close(u->fd);
        u->fd = -1;
    }
    freeaddrinfo(peer);
    freeaddrinfo(local);
    return false;
}

static int udp_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    UdpChardev *u = udp_chardev(chr);
    int ret;

    /* One datagram: sent whole or not at all, so a full send buffer
     * (EAGAIN) waits with all and takes nothing without.  A datagram
     * nobody receives (ECONNREFUSED from an earlier one) is lost, as on
     * the wire. */
    g_mutex_lock(&chr->lock);
    ret = chr_fd_write(u->fd, buf, len, all, true);
    g_mutex_unlock(&chr->lock);
    return ret < 0 ? len : ret;
}

static char *udp_filename(Chardev *chr)
{
    return g_strdup("udp");
}

static void udp_close(Chardev *chr)
{
    UdpChardev *u = udp_chardev(chr);

    if (chr->opened) {
        chr_fd_source_remove(&u->read_src);
        if (u->retry_timer) {
            g_source_remove(u->retry_timer);
        }
        close(u->fd);
    }
    g_free(u->host);
    g_free(u->port);
    g_free(u->localaddr);
    g_free(u->localport);
}

const ChardevDriver chardev_udp_driver = {
    .name = "udp",
    .instance_size = sizeof(UdpChardev),
    .parse = udp_parse,
    .open = udp_open,
    .write = udp_write,
    .filename = udp_filename,
    .close = udp_close,
};
