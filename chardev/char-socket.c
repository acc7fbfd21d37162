/*
 * The socket backend: a unix or tcp stream, as a server (one client at
 * a time) or as a client that connects once at creation, or with
 * reconnect=SECONDS keeps trying in the background (at creation too)
 * and connects again that long after the server went away.
 *
 * A server with wait=off accepts in the background; while a client is
 * connected the listening socket is not watched, so later clients wait
 * in the backlog until the first one leaves.  Output while nobody is
 * connected is dropped.
 *
 * telnet=on speaks enough of the telnet protocol for a telnet client to
 * behave as a raw terminal: on connecting, emu offers to echo, to
 * suppress go-ahead and binary mode both ways (QEMU's four options),
 * and drops the commands the client sends (IAC sequences; IAC IAC is a
 * 0xff byte, IAC BREAK a serial break).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <glib-unix.h>
#include "chardev-internal.h"

typedef struct SocketChardev {
    Chardev parent;
    char *path;              /* unix, or NULL for tcp */
    char *host;
    char *port;
    bool server;
    bool wait;
    bool telnet;
    unsigned reconnect;      /* seconds; 0: connect once */
    guint reconnect_timer;
    bool connect_error_reported; /* since the last connection */
    int telnet_state;        /* where in an IAC sequence input is */

    int listen_fd;
    guint listen_watch;      /* while waiting for a client */
    char *listen_name;       /* "unix:PATH", "tcp:ADDR:PORT" as bound */
    int fd;                  /* the connection; changed under the lock */
    GSource *read_src;
    char *conn_name;         /* "info chardev" text while connected */
} SocketChardev;

static SocketChardev *socket_chardev(Chardev *chr)
{
    return container_of(chr, SocketChardev, parent);
}

/* "tcp" or "telnet": what names of the socket start with. */
static const char *socket_scheme(SocketChardev *s)
{
    return s->telnet ? "telnet" : "tcp";
}

/* ---- names for "info chardev" ---- */

static bool numeric_name(const struct sockaddr *sa, socklen_t len,
                         char *host, size_t hostlen, char *serv,
                         size_t servlen)
{
    return getnameinfo(sa, len, host, hostlen, serv, servlen,
                       NI_NUMERICHOST | NI_NUMERICSERV) == 0;
}

/* QEMU's forms: "unix:PATH,server=on" (the local address, so a client
 * shows "unix:") and "tcp:LOCAL:PORT[,server=on] <-> PEER:PORT". */
static char *connection_name(SocketChardev *s)
{
    const char *server = s->server ? ",server=on" : "";
    struct sockaddr_storage local, peer;
    socklen_t local_len = sizeof(local), peer_len = sizeof(peer);
    char lhost[NI_MAXHOST], lport[NI_MAXSERV];
    char phost[NI_MAXHOST], pport[NI_MAXSERV];
    bool v6;

    if (s->path) {
        struct sockaddr_un *sun = (struct sockaddr_un *)&local;

        if (getsockname(s->fd, (struct sockaddr *)&local, &local_len) < 0 ||
            local_len <= offsetof(struct sockaddr_un, sun_path)) {
            return g_strdup_printf("unix:%s", server);
        }
        return g_strdup_printf("unix:%.*s%s",
                               (int)(local_len -
                                     offsetof(struct sockaddr_un, sun_path)),
                               sun->sun_path, server);
    }
    if (getsockname(s->fd, (struct sockaddr *)&local, &local_len) < 0 ||
        getpeername(s->fd, (struct sockaddr *)&peer, &peer_len) < 0 ||
        !numeric_name((struct sockaddr *)&local, local_len, lhost,
                      sizeof(lhost), lport, sizeof(lport)) ||
        !numeric_name((struct sockaddr *)&peer, peer_len, phost,
                      sizeof(phost), pport, sizeof(pport))) {
        return g_strdup_printf("%s:%s:%s%s", socket_scheme(s), s->host,
                               s->port, server);
    }
    v6 = local.ss_family == AF_INET6;
    return g_strdup_printf("%s:%s%s%s:%s%s <-> %s%s%s:%s", socket_scheme(s),
                           v6 ? "[" : "", lhost, v6 ? "]" : "", lport, server,
                           v6 ? "[" : "", phost, v6 ? "]" : "", pport);
}

static char *socket_filename(Chardev *chr)
{
    SocketChardev *s = socket_chardev(chr);

    if (s->conn_name) {
        return g_strdup(s->conn_name);
    }
    if (s->listen_name) {
        return g_strdup_printf("disconnected:%s,server=on", s->listen_name);
    }
    if (s->path) {
        return g_strdup_printf("disconnected:unix:%s", s->path);
    }
    return g_strdup_printf("disconnected:%s:%s:%s", socket_scheme(s),
                           s->host, s->port);
}

/* ---- connection state ---- */

static gboolean socket_accept(gint listen_fd, GIOCondition cond,
                              gpointer opaque);

static void socket_ready(Chardev *chr, GIOCondition cond);

/* The telnet commands: IAC, and the option negotiations it starts. */
enum {
    TELNET_IAC = 0xff,
    TELNET_DONT = 0xfe,
    TELNET_DO = 0xfd,
    TELNET_WONT = 0xfc,
    TELNET_WILL = 0xfb,
    TELNET_BREAK = 0xf3,
};

/* telnet_state: plain data, after IAC, after IAC and a negotiation
 * (the option byte follows). */
enum { TELNET_DATA, TELNET_COMMAND, TELNET_OPTION };

static void telnet_offer(SocketChardev *s)
{
    static const uint8_t offer[] = {
        TELNET_IAC, TELNET_WILL, 1,      /* echo */
        TELNET_IAC, TELNET_WILL, 3,      /* suppress go-ahead */
        TELNET_IAC, TELNET_WILL, 0,      /* binary, our side */
        TELNET_IAC, TELNET_DO, 0,        /* binary, theirs */
    };

    chr_fd_write(s->fd, offer, sizeof(offer), true, true);
}

/* Drops the telnet commands from buf in place; the data left. */
static int telnet_filter(Chardev *chr, uint8_t *buf, int len)
{
    SocketChardev *s = socket_chardev(chr);
    int out = 0;

    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];

        switch (s->telnet_state) {
        case TELNET_DATA:
            if (c == TELNET_IAC) {
                s->telnet_state = TELNET_COMMAND;
            } else {
                buf[out++] = c;
            }
            break;
        case TELNET_COMMAND:
            s->telnet_state = TELNET_DATA;
            if (c == TELNET_IAC) {
                buf[out++] = c;
            } else if (c >= TELNET_WILL) {
                s->telnet_state = TELNET_OPTION;
            } else if (c == TELNET_BREAK) {
                chr_be_event(chr, CHR_EVENT_BREAK);
            }
            break;
        case TELNET_OPTION:
            s->telnet_state = TELNET_DATA;
            break;
        }
    }
    return out;
}

static void socket_connected(Chardev *chr, int fd)
{
    SocketChardev *s = socket_chardev(chr);

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    g_mutex_lock(&chr->lock);
    s->fd = fd;
    if (s->telnet) {
        s->telnet_state = TELNET_DATA;
        telnet_offer(s);
    }
    g_mutex_unlock(&chr->lock);
    s->conn_name = connection_name(s);
    s->read_src = chr_fd_source_add(chr, fd, socket_ready);
    chr_be_event(chr, CHR_EVENT_OPENED);
}

static void socket_reconnect_later(Chardev *chr);

static void socket_listen_resume(Chardev *chr)
{
    SocketChardev *s = socket_chardev(chr);

    s->listen_watch = g_unix_fd_add(s->listen_fd, G_IO_IN, socket_accept,
                                    chr);
}

static void socket_disconnected(Chardev *chr)
{
    SocketChardev *s = socket_chardev(chr);

    chr_fd_source_remove(&s->read_src);
    /* A writer in another thread may be using the fd right now. */
    g_mutex_lock(&chr->lock);
    close(s->fd);
    s->fd = -1;
    g_mutex_unlock(&chr->lock);
    g_clear_pointer(&s->conn_name, g_free);
    if (s->server) {
        socket_listen_resume(chr);
    } else if (s->reconnect) {
        socket_reconnect_later(chr);
    }
    chr_be_event(chr, CHR_EVENT_CLOSED);
}

static gboolean socket_accept(gint listen_fd, GIOCondition cond,
                              gpointer opaque)
{
    Chardev *chr = opaque;
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        /* The client gave up before we got to it, or EINTR. */
        return G_SOURCE_CONTINUE;
    }
    socket_chardev(chr)->listen_watch = 0;
    socket_connected(chr, fd);
    return G_SOURCE_REMOVE;
}

static void socket_ready(Chardev *chr, GIOCondition cond)
{
    SocketChardev *s = socket_chardev(chr);
    uint8_t buf[4096];
    int room = MIN(chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n;

    if (room <= 0) {
        return;
    }
    n = recv(s->fd, buf, room, 0);
    if (n > 0) {
        if (s->telnet) {
            n = telnet_filter(chr, buf, n);
        }
        if (n > 0) {
            chr_be_write(chr, buf, n);
        }
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        socket_disconnected(chr);
    }
}

/* ---- setting up ---- */

static bool socket_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    SocketChardev *s = socket_chardev(chr);
    const char *path = keyval_take(kv, "path");
    const char *host = keyval_take(kv, "host");
    bool has_wait = keyval_has(kv, "wait");
    const char *reconnect = keyval_take(kv, "reconnect");

    s->listen_fd = -1;
    s->fd = -1;
    if (path && host) {
        error_setg(errp, "chardev: socket: 'path' and 'host' exclude each "
                   "other");
        return false;
    }
    if (path) {
        s->path = g_strdup(path);
    } else {
        /* Only a tcp socket has a port: "port" is unknown with path. */
        const char *port = keyval_take(kv, "port");

        if (!host) {
            error_setg(errp, "chardev: socket: no %s given",
                       port ? "host" : "path or host");
            return false;
        }
        if (!port) {
            error_setg(errp, "chardev: socket: no port given");
            return false;
        }
        s->host = g_strdup(host);
        s->port = g_strdup(port);
    }
    if (!chr_opt_bool(kv, "server", false, &s->server, errp) ||
        !chr_opt_bool(kv, "wait", true, &s->wait, errp) ||
        !chr_opt_bool(kv, "telnet", false, &s->telnet, errp)) {
        return false;
    }
    if (reconnect) {
        guint64 seconds;

        if (!g_ascii_string_to_unsigned(reconnect, 10, 0, G_MAXINT / 1000,
                                        &seconds, NULL)) {
            error_setg(errp, "Parameter 'reconnect' expects a number");
            return false;
        }
        if (s->server) {
            error_setg(errp, "'reconnect' option is incompatible with "
                       "socket in server listen mode");
            return false;
        }
        s->reconnect = seconds;
    }
    if (has_wait && !s->server) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                   "client connect mode");
        return false;
    }
    return true;
}

static bool unix_address(const char *path, struct sockaddr_un *sun,
                         Error **errp)
{
    *sun = (struct sockaddr_un) { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sun->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        error_append_hint(errp, "Path must be less than %zu bytes\n",
                          sizeof(sun->sun_path));
        return false;
    }
    strcpy(sun->sun_path, path);
    return true;
}

static int unix_listen(SocketChardev *s, Error **errp)
{
    struct sockaddr_un sun;
    struct stat st;
    int fd;

    if (!unix_address(s->path, &sun, errp)) {
        return -1;
    }
    /* A socket file left by an emulator that died would make bind
     * fail; anything else at that path is not ours to remove. */
    if (lstat(s->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(s->path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s",
                         s->path);
        close(fd);
        return -1;
    }
    s->listen_name = g_strdup_printf("unix:%s", s->path);
    return fd;
}

static struct addrinfo *tcp_resolve(SocketChardev *s, bool passive,
                                    Error **errp)
{
    struct addrinfo hints = {
        .ai_flags = passive ? AI_PASSIVE : 0,
        .ai_family = AF_UNSPEC,
        .ai_socktype = SOCK_STREAM,
    };
    struct addrinfo *res;
    /* An empty host: any address for a server, loopback for a client. */
    int rc = getaddrinfo(s->host[0] ? s->host : NULL, s->port, &hints, &res);

    if (rc) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   s->host, s->port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int tcp_listen(SocketChardev *s, Error **errp)
{
    struct addrinfo *res = tcp_resolve(s, true, errp);
    struct sockaddr_storage bound;
    socklen_t bound_len = sizeof(bound);
    char host[NI_MAXHOST], port[NI_MAXSERV];
    int fd = -1, err = EADDRNOTAVAIL;

    if (!res) {
        return -1;
    }
    /* IPv4 first, as QEMU ends up with for "localhost". */
    for (int pass = 0; pass < 2 && fd < 0; pass++) {
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
            int on = 1;

            if ((ai->ai_family == AF_INET) != (pass == 0)) {
                continue;
            }
            fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                err = errno;
                continue;
            }
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
                err = errno;
                close(fd);
                fd = -1;
            }
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "Failed to bind socket to %s:%s",
                         s->host, s->port);
        return -1;
    }
    /* Name what was bound: "localhost" becomes 127.0.0.1, port 0 the
     * port the kernel chose. */
    if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) == 0 &&
        numeric_name((struct sockaddr *)&bound, bound_len, host,
                     sizeof(host), port, sizeof(port))) {
        s->listen_name = g_strdup_printf("%s:%s:%s", socket_scheme(s), host,
                                        port);
    } else {
        s->listen_name = g_strdup_printf("%s:%s:%s", socket_scheme(s),
                                        s->host, s->port);
    }
    return fd;
}

static int unix_connect(SocketChardev *s, Error **errp)
{
    struct sockaddr_un sun;
    int fd;

    if (!unix_address(s->path, &sun, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        error_setg(errp, "Failed to connect to '%s': %s", s->path,
                   g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int tcp_connect(SocketChardev *s, Error **errp)
{
    struct addrinfo *res = tcp_resolve(s, false, errp);
    int fd = -1, err = ECONNREFUSED;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg(errp, "Failed to connect to '%s:%s': %s", s->host,
                   s->port, g_strerror(err));
    }
    return fd;
}

/* Blocks until the first client (server with wait=on). */
static int accept_first(int listen_fd)
{
    for (;;) {
        struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
        int fd;

        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
            return -1;
        }
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0 || (errno != EINTR && errno != EAGAIN &&
                        errno != ECONNABORTED)) {
            return fd;
        }
    }
}

/* One try of a client with reconnect=: true when connected. */
static bool socket_try_connect(Chardev *chr)
{
    SocketChardev *s = socket_chardev(chr);
    Error *err = NULL;
    int fd = s->path ? unix_connect(s, &err) : tcp_connect(s, &err);

    if (fd < 0) {
        /* Said once until a connection succeeds, as QEMU does. */
        if (!s->connect_error_reported) {
            error_report("Unable to connect character device %s: %s",
                         chr->label, error_get_pretty(err));
            s->connect_error_reported = true;
        }
        error_free(err);
        return false;
    }
    s->connect_error_reported = false;
    socket_connected(chr, fd);
    return true;
}

static gboolean socket_reconnect(gpointer opaque)
{
    Chardev *chr = opaque;

    if (!socket_try_connect(chr)) {
        return G_SOURCE_CONTINUE;
    }
    socket_chardev(chr)->reconnect_timer = 0;
    return G_SOURCE_REMOVE;
}

static void socket_reconnect_later(Chardev *chr)
{
    SocketChardev *s = socket_chardev(chr);

    s->reconnect_timer = g_timeout_add_seconds(s->reconnect,
                                               socket_reconnect, chr);
}

/* The first try, from the main loop once emu runs (as QEMU's is). */
static gboolean socket_first_connect(gpointer opaque)
{
    Chardev *chr = opaque;

    socket_chardev(chr)->reconnect_timer = 0;
    if (!socket_try_connect(chr)) {
        socket_reconnect_later(chr);
    }
    return G_SOURCE_REMOVE;
}

static bool socket_open(Chardev *chr, Error **errp)
{
    SocketChardev *s = socket_chardev(chr);
    int fd;

    if (!s->server && s->reconnect) {
        /* No error when the server is not there yet: it may come. */
        s->reconnect_timer = g_idle_add(socket_first_connect, chr);
        return true;
    }
    if (!s->server) {
        fd = s->path ? unix_connect(s, errp) : tcp_connect(s, errp);
        if (fd < 0) {
            return false;
        }
        socket_connected(chr, fd);
        return true;
    }

    s->listen_fd = s->path ? unix_listen(s, errp) : tcp_listen(s, errp);
    if (s->listen_fd < 0) {
        return false;
    }
    /* The backlog is where later clients wait their turn. */
    if (listen(s->listen_fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on %s",
                         s->listen_name);
        goto fail;
    }
    fcntl(s->listen_fd, F_SETFL, fcntl(s->listen_fd, F_GETFL) | O_NONBLOCK);
    if (!s->wait) {
        socket_listen_resume(chr);
        return true;
    }

    error_report("info: emu waiting for connection on: disconnected:%s,"
                 "server=on", s->listen_name);
    fd = accept_first(s->listen_fd);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to accept a connection on %s",
                         s->listen_name);
        goto fail;
    }
    socket_connected(chr, fd);
    return true;

fail:
    close(s->listen_fd);
    s->listen_fd = -1;
    if (s->path) {
        unlink(s->path);
    }
    return false;
}

static int socket_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    SocketChardev *s = socket_chardev(chr);
    int ret = len;

    g_mutex_lock(&chr->lock);
    if (s->fd >= 0) {
        ret = chr_fd_write(s->fd, buf, len, all, true);
        /* The peer left: drop the rest as if nobody were connected; the
         * read side notices and reports CLOSED. */
        if (ret < 0 && (errno == EPIPE || errno == ECONNRESET ||
                        errno == ENOTCONN)) {
            ret = len;
        }
    }
    g_mutex_unlock(&chr->lock);
    return ret;
}

static void socket_close(Chardev *chr)
{
    SocketChardev *s = socket_chardev(chr);

    if (chr->opened) {
        chr_fd_source_remove(&s->read_src);
        if (s->listen_watch) {
            g_source_remove(s->listen_watch);
        }
        if (s->reconnect_timer) {
            g_source_remove(s->reconnect_timer);
        }
        if (s->fd >= 0) {
            close(s->fd);
        }
        if (s->listen_fd >= 0) {
            close(s->listen_fd);
            if (s->path) {
                unlink(s->path);
            }
        }
    }
    g_free(s->path);
    g_free(s->host);
    g_free(s->port);
    g_free(s->listen_name);
    g_free(s->conn_name);
}

const ChardevDriver chardev_socket_driver = {
    .name = "socket",
    .instance_size = sizeof(SocketChardev),
    .parse = socket_parse,
    .open = socket_open,
    .write = socket_write,
    .filename = socket_filename,
    .close = socket_close,
};
