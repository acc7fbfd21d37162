/*
 * Character devices: the registry of backends, their creation from
 * "-chardev" and "-serial"/"-monitor" specs, "info chardev", and the
 * helpers the backends share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include "chardev-internal.h"

/* In creation order, except that a mux sits just before its base. */
static GPtrArray *chardevs;

/* What "-chardev help" lists, in that order. */
static const ChardevDriver *const drivers[] = {
    &chardev_stdio_driver,
    &chardev_serial_driver,
    &chardev_pipe_driver,
    &chardev_pty_driver,
    &chardev_null_driver,
    &chardev_socket_driver,
    &chardev_udp_driver,
    &chardev_file_driver,
    &chardev_ringbuf_driver,
};

static const char legacy_forms[] =
    "stdio, null, file:PATH, pipe:PATH, pty, /dev/DEVICE, "
    "unix:PATH[,server][,nowait], tcp:[HOST]:PORT[,server][,nowait], "
    "telnet:[HOST]:PORT[,server][,nowait], "
    "udp:[HOST]:PORT[@[LOCALADDR]:LOCALPORT], mon:stdio, chardev:ID";

/* ---- registry ---- */

Chardev *chardev_find(const char *id)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);

        if (!strcmp(chr->label, id)) {
            return chr;
        }
    }
    return NULL;
}

const char *chardev_label(const Chardev *chr)
{
    return chr->label;
}

bool chardev_is_mux(const Chardev *chr)
{
    return chr->drv == &chardev_mux_driver;
}

Chardev *chardev_alloc(const ChardevDriver *drv, const char *label)
{
    Chardev *chr = g_malloc0(drv->instance_size);

    chr->drv = drv;
    chr->label = g_strdup(label);
    chr->logfd = -1;
    g_mutex_init(&chr->lock);
    return chr;
}

void chardev_register(Chardev *chr, Chardev *before)
{
    guint index;

    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    if (before && g_ptr_array_find(chardevs, before, &index)) {
        g_ptr_array_insert(chardevs, index, chr);
    } else {
        g_ptr_array_add(chardevs, chr);
    }
}

void chardev_free(Chardev *chr)
{
    if (chardevs) {
        g_ptr_array_remove(chardevs, chr);
    }
    chr->drv->close(chr);
    if (chr->logfd >= 0) {
        close(chr->logfd);
    }
    g_mutex_clear(&chr->lock);
    g_free(chr->label);
    g_free(chr);
}

void chardev_delete(Chardev *chr)
{
    chardev_free(chr);
}

static void chardev_info_clear(gpointer data)
{
    ChardevInfo *info = data;

    g_free(info->label);
    g_free(info->filename);
}

GArray *chardev_query(void)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(ChardevInfo));

    g_array_set_clear_func(list, chardev_info_clear);
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        ChardevInfo info = {
            .label = g_strdup(chr->label),
            .filename = chr->drv->filename(chr),
            /* A mux keeps its frontends itself. */
            .frontend_open = chr->be || chardev_is_mux(chr),
        };

        g_array_append_val(list, info);
    }
    return list;
}

void chardev_print_help(FILE *out)
{
    /* QEMU's heading has the trailing space too; scripts may match it. */
    fprintf(out, "Available chardev backend types: \n");
    for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
        fprintf(out, "  %s\n", drivers[i]->name);
    }
}

void chardev_cleanup_all(void)
{
    /* Muxes come first, so each lets go of its base before the base
     * is closed. */
    while (chardevs && chardevs->len) {
        chardev_free(g_ptr_array_index(chardevs, 0));
    }
    chardev_restore_terminal();
}

/* ---- creation ---- */

static const ChardevDriver *driver_find(const char *name)
{
    /* QEMU's old name for a host device (not listed, as there). */
    if (!strcmp(name, "tty")) {
        warn_report("The alias 'tty' is deprecated, use 'serial' instead");
        name = "serial";
    }
    for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
        if (!strcmp(drivers[i]->name, name)) {
            return drivers[i];
        }
    }
    return NULL;
}

bool chr_opt_bool(KeyValList *kv, const char *key, bool def, bool *out,
                  Error **errp)
{
    const char *value = keyval_take(kv, key);

    if (!value) {
        *out = def;
    } else if (!strcmp(value, "on") || !strcmp(value, "yes") ||
               !strcmp(value, "true")) {
        *out = true;
    } else if (!strcmp(value, "off") || !strcmp(value, "no") ||
               !strcmp(value, "false")) {
        *out = false;
    } else {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

static bool label_free(const char *label, Error **errp)
{
    if (chardev_find(label)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", label);
        return false;
    }
    return true;
}

/* logfile=PATH[,logappend=on]: every backend can copy its output. */
static bool chardev_open_logfile(Chardev *chr, KeyValList *kv, Error **errp)
{
    const char *path = keyval_take(kv, "logfile");
    bool append;

    if (!chr_opt_bool(kv, "logappend", false, &append, errp)) {
        return false;
    }
    if (!path) {
        return true;
    }
    do {
        chr->logfd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
                          (append ? O_APPEND : O_TRUNC), 0666);
    } while (chr->logfd < 0 && errno == EINTR);
    if (chr->logfd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", path);
        return false;
    }
    return true;
}

/*
 * Creates backend drv_name labelled id from the options left in kv
 * (backend and id already taken), with a mux in front when asked.
 */
static Chardev *chardev_create(const char *drv_name, const char *id,
                               KeyValList *kv, bool mux, Error **errp)
{
    const ChardevDriver *drv = driver_find(drv_name);
    g_autofree char *base_label = NULL;
    const KeyValPair *unused;
    Chardev *chr;

    if (!drv) {
        error_setg(errp, "'%s' is not a valid char driver name", drv_name);
        error_append_hint(errp, "Available chardev backend types:");
        for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
            error_append_hint(errp, " %s", drivers[i]->name);
        }
        error_append_hint(errp, "\n");
        return NULL;
    }
    base_label = mux ? g_strdup_printf("%s-base", id) : g_strdup(id);
    if (!label_free(id, errp) || (mux && !label_free(base_label, errp))) {
        return NULL;
    }

    chr = chardev_alloc(drv, base_label);
    if (!chardev_open_logfile(chr, kv, errp) || !drv->parse(chr, kv, errp)) {
        goto fail;
    }
    unused = keyval_first_unused(kv);
    if (unused) {
        error_setg(errp, "Invalid parameter '%s'", unused->key);
        goto fail;
    }
    if (!drv->open(chr, errp)) {
        goto fail;
    }
    chr->opened = true;
    chardev_register(chr, NULL);
    return mux ? chardev_mux_new(id, chr) : chr;

fail:
    chardev_free(chr);
    return NULL;
}

Chardev *chardev_new_from_opts(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, "backend", errp);
    const char *backend, *id;
    bool mux;

    if (!kv) {
        return NULL;
    }
    backend = keyval_take(kv, "backend");
    id = keyval_take(kv, "id");
    if (!id) {
        error_setg(errp, "chardev: no id specified");
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return NULL;
    }
    if (!backend) {
        error_setg(errp, "chardev: '%s' has no backend type", id);
        return NULL;
    }
    if (!chr_opt_bool(kv, "mux", false, &mux, errp)) {
        return NULL;
    }
    return chardev_create(backend, id, kv, mux, errp);
}

/* Appends key=value to kv unless the user gave key already. */
static void kv_default(KeyValList *kv, const char *key, const char *value)
{
    KeyValPair pair = { g_strdup(key), g_strdup(value), false };

    if (!keyval_has(kv, key)) {
        g_array_append_val(kv->pairs, pair);
    } else {
        g_free(pair.key);
        g_free(pair.value);
    }
}

/*
 * The legacy flags after a unix:/tcp: address: "server" parses as
 * server=on by itself; "nowait" is the one negated flag QEMU kept.
 */
static KeyValList *legacy_socket_opts(const char *text, const char *implied,
                                      Error **errp)
{
    KeyValList *kv = keyval_parse(text, implied, errp);

    for (guint i = 0; kv && i < kv->pairs->len; i++) {
        KeyValPair *pair = &g_array_index(kv->pairs, KeyValPair, i);

        if (!strcmp(pair->key, "nowait") && !strcmp(pair->value, "on")) {
            if (keyval_has(kv, "wait")) {
                error_setg(errp, "parameter 'wait' is given twice");
                keyval_free(kv);
                return NULL;
            }
            g_free(pair->key);
            g_free(pair->value);
            pair->key = g_strdup("wait");
            pair->value = g_strdup("off");
        }
    }
    return kv;
}

static void invalid_legacy_spec(const char *spec, Error **errp)
{
    error_setg(errp, "'%s' is not a valid char driver", spec);
    error_append_hint(errp, "Valid forms: %s\n", legacy_forms);
}

/* Splits "[HOST]:PORT" at its last colon; false without a port.  The
 * brackets of "[::1]:4444" only protect the colons: host is "::1". */
static bool split_host_port(const char *text, char **host, char **port)
{
    const char *colon = strrchr(text, ':');
    size_t len;

    if (!colon || !colon[1]) {
        return false;
    }
    len = colon - text;
    if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
        *host = g_strndup(text + 1, len - 2);
    } else {
        *host = g_strndup(text, len);
    }
    *port = g_strdup(colon + 1);
    return true;
}

/* "[HOST]:PORT[,flags]" into host=, port= and the flags. */
static KeyValList *legacy_tcp_opts(const char *spec, const char *addr,
                                   Error **errp)
{
    const char *comma = strchr(addr, ',');
    g_autofree char *hostport = g_strndup(addr, strcspn(addr, ","));
    g_autofree char *host = NULL, *port = NULL;
    KeyValList *kv;

    if (!split_host_port(hostport, &host, &port)) {
        invalid_legacy_spec(spec, errp);
        return NULL;
    }
    kv = legacy_socket_opts(comma ? comma + 1 : "", NULL, errp);
    if (kv) {
        kv_default(kv, "host", host[0] ? host : "0.0.0.0");
        kv_default(kv, "port", port);
    }
    return kv;
}

/* "[HOST]:PORT[@[LOCALADDR]:LOCALPORT][,options]" into host=, port=,
 * localaddr=, localport= and the options. */
static KeyValList *legacy_udp_opts(const char *spec, const char *addr,
                                   Error **errp)
{
    const char *comma = strchr(addr, ',');
    g_autofree char *addrs = g_strndup(addr, strcspn(addr, ","));
    char *at = strchr(addrs, '@');
    g_autofree char *host = NULL, *port = NULL;
    g_autofree char *localaddr = NULL, *localport = NULL;
    KeyValList *kv;

    if (at) {
        *at = '\0';
    }
    if (!split_host_port(addrs, &host, &port) ||
        (at && !split_host_port(at + 1, &localaddr, &localport))) {
        invalid_legacy_spec(spec, errp);
        return NULL;
    }
    kv = keyval_parse(comma ? comma + 1 : "", NULL, errp);
    if (kv) {
        kv_default(kv, "host", host);
        kv_default(kv, "port", port);
        if (at) {
            kv_default(kv, "localaddr", localaddr);
            kv_default(kv, "localport", localport);
        }
    }
    return kv;
}

/* A backend whose only option is the path the spec gives. */
static KeyValList *path_opts(const char *path, Error **errp)
{
    KeyValList *kv = keyval_parse("", NULL, errp);

    kv_default(kv, "path", path);
    return kv;
}

Chardev *chardev_new_from_legacy(const char *spec, const char *label,
                                 Error **errp)
{
    g_autoptr(KeyValList) kv = NULL;
    const char *rest = spec, *backend;
    bool mux = false;

    if (g_str_has_prefix(spec, "chardev:")) {
        Chardev *chr = chardev_find(spec + strlen("chardev:"));

        if (!chr) {
            error_setg(errp, "chardev '%s' not found",
                       spec + strlen("chardev:"));
        }
        return chr;
    }
    g_assert(label);
    if (g_str_has_prefix(spec, "mon:")) {
        mux = true;
        rest = spec + strlen("mon:");
    }

    if (!strcmp(rest, "stdio") || !strcmp(rest, "null") ||
        !strcmp(rest, "pty")) {
        backend = rest;
        kv = keyval_parse("", NULL, errp);
    } else if (g_str_has_prefix(rest, "file:")) {
        backend = "file";
        /* The rest is the path, commas and all, as in QEMU. */
        kv = path_opts(rest + strlen("file:"), errp);
    } else if (g_str_has_prefix(rest, "pipe:")) {
        backend = "pipe";
        kv = path_opts(rest + strlen("pipe:"), errp);
    } else if (g_str_has_prefix(rest, "/dev/parport") ||
               g_str_has_prefix(rest, "/dev/ppi")) {
        error_setg(errp, "'%s': emu has no parallel port backend", spec);
        return NULL;
    } else if (g_str_has_prefix(rest, "/dev/")) {
        backend = "serial";
        kv = path_opts(rest, errp);
    } else if (g_str_has_prefix(rest, "udp:")) {
        backend = "udp";
        kv = legacy_udp_opts(spec, rest + strlen("udp:"), errp);
    } else if (g_str_has_prefix(rest, "telnet:")) {
        backend = "socket";
        kv = legacy_tcp_opts(spec, rest + strlen("telnet:"), errp);
        if (kv) {
            kv_default(kv, "telnet", "on");
        }
    } else if (g_str_has_prefix(rest, "unix:")) {
        backend = "socket";
        kv = legacy_socket_opts(rest + strlen("unix:"), "path", errp);
    } else if (g_str_has_prefix(rest, "tcp:")) {
        backend = "socket";
        kv = legacy_tcp_opts(spec, rest + strlen("tcp:"), errp);
    } else {
        invalid_legacy_spec(spec, errp);
        return NULL;
    }
    if (!kv) {
        return NULL;
    }
    /* On a shared terminal Ctrl-C must reach the guest or the monitor,
     * not kill the emulator. */
    if (mux && !strcmp(backend, "stdio")) {
        kv_default(kv, "signal", "off");
    }
    return chardev_create(backend, label, kv, mux, errp);
}

/* ---- the backend side ---- */

int chr_fe_room(CharBackend *be)
{
    if (!be || !be->read) {
        return 0;
    }
    /* Without can_read the frontend takes whatever comes. */
    return be->can_read ? be->can_read(be->opaque) : 4096;
}

void chr_fe_send_event(CharBackend *be, ChrEvent event)
{
    if (be && be->event) {
        be->event(be->opaque, event);
    }
}

int chr_be_can_write(Chardev *chr)
{
    return chr_fe_room(chr->be);
}

void chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (chr->be && chr->be->read) {
        chr->be->read(chr->be->opaque, buf, len);
    }
}

void chr_be_event(Chardev *chr, ChrEvent event)
{
    if (event == CHR_EVENT_OPENED) {
        chr->be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        chr->be_open = false;
    }
    chr_fe_send_event(chr->be, event);
}

int chr_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    int done = chr->drv->write(chr, buf, len, all);

    /* What went out, as QEMU logs it (input is not logged). */
    if (done > 0 && chr->logfd >= 0) {
        chr_fd_write(chr->logfd, buf, done, true, false);
    }
    return done;
}

int chr_fd_write(int fd, const uint8_t *buf, int len, bool all, bool sock)
{
    int done = 0;

    while (done < len) {
        ssize_t n;

        if (sock) {
            /* A vanished peer must not kill us with SIGPIPE. */
            n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        } else {
            n = write(fd, buf + done, len - done);
        }
        if (n > 0) {
            done += n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };

            if (!all) {
                break;
            }
            if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
                return -1;
            }
            if ((pfd.revents & (POLLHUP | POLLERR)) &&
                !(pfd.revents & POLLOUT)) {
                errno = EPIPE;
                return -1;
            }
            continue;
        }
        if (n == 0) {
            errno = EIO;
        }
        return -1;
    }
    return done;
}

/* ---- input watches ---- */

typedef struct ChrFdSource {
    GSource source;
    Chardev *chr;
    int fd;
    gpointer tag;            /* set while fd is polled */
    ChrFdReadyFunc ready;
} ChrFdSource;

static gboolean chr_fd_source_prepare(GSource *source, gint *timeout)
{
    ChrFdSource *s = (ChrFdSource *)source;
    bool want = chr_be_can_write(s->chr) > 0;

    /* Dropping the fd entirely (not just G_IO_IN) keeps a hung-up
     * descriptor from waking the loop while the frontend is busy. */
    if (want && !s->tag) {
        s->tag = g_source_add_unix_fd(source, s->fd,
                                      G_IO_IN | G_IO_HUP | G_IO_ERR);
    } else if (!want && s->tag) {
        g_source_remove_unix_fd(source, s->tag);
        s->tag = NULL;
    }
    *timeout = -1;
    return FALSE;
}

static gboolean chr_fd_source_check(GSource *source)
{
    ChrFdSource *s = (ChrFdSource *)source;

    return s->tag && g_source_query_unix_fd(source, s->tag);
}

static gboolean chr_fd_source_dispatch(GSource *source, GSourceFunc cb,
                                       gpointer data)
{
    ChrFdSource *s = (ChrFdSource *)source;

    if (s->tag) {
        s->ready(s->chr, g_source_query_unix_fd(source, s->tag));
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs chr_fd_source_funcs = {
    .prepare = chr_fd_source_prepare,
    .check = chr_fd_source_check,
    .dispatch = chr_fd_source_dispatch,
};

GSource *chr_fd_source_add(Chardev *chr, int fd, ChrFdReadyFunc ready)
{
    GSource *source = g_source_new(&chr_fd_source_funcs,
                                   sizeof(ChrFdSource));
    ChrFdSource *s = (ChrFdSource *)source;

    s->chr = chr;
    s->fd = fd;
    s->ready = ready;
    g_source_set_name(source, chr->label);
    g_source_attach(source, NULL);
    return source;
}

void chr_fd_source_remove(GSource **src)
{
    if (*src) {
        g_source_destroy(*src);
        g_source_unref(*src);
        *src = NULL;
    }
}
