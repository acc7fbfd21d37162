/*
 * The pty backend: a pseudo-terminal whose slave side a person opens
 * with screen, minicom or picocom.
 *
 * The master reports a hang-up while nobody has the slave open, so
 * until someone does we check once a second instead of polling it;
 * output meanwhile is dropped, as on an unplugged serial line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include "chardev-internal.h"

#define PTY_CHECK_MS 1000

typedef struct PtyChardev {
    Chardev parent;
    int master;
    char *slave_path;
    GSource *read_src;       /* while the slave is open */
    guint check_timer;       /* while it is not */
} PtyChardev;

static bool slave_is_open(int master)
{
    struct pollfd pfd = { .fd = master, .events = POLLIN };

    return poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP);
}

static void pty_ready(Chardev *chr, GIOCondition cond);

static gboolean pty_check(gpointer opaque)
{
    Chardev *chr = opaque;
    PtyChardev *p = container_of(chr, PtyChardev, parent);

    if (!slave_is_open(p->master)) {
        return G_SOURCE_CONTINUE;
    }
    p->check_timer = 0;
    p->read_src = chr_fd_source_add(chr, p->master, pty_ready);
    chr_be_event(chr, CHR_EVENT_OPENED);
    return G_SOURCE_REMOVE;
}

static void pty_hung_up(Chardev *chr)
{
    PtyChardev *p = container_of(chr, PtyChardev, parent);

    chr_fd_source_remove(&p->read_src);
    p->check_timer = g_timeout_add(PTY_CHECK_MS, pty_check, chr);
    chr_be_event(chr, CHR_EVENT_CLOSED);
}

static void pty_ready(Chardev *chr, GIOCondition cond)
{
    PtyChardev *p = container_of(chr, PtyChardev, parent);
    uint8_t buf[1024];
    int room = MIN(chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n;

    if (room <= 0) {
        return;
    }
    /* What the slave wrote before closing is still readable; EIO
     * follows once it is all gone. */
    n = read(p->master, buf, room);
    if (n > 0) {
        chr_be_write(chr, buf, n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        pty_hung_up(chr);
    }
}

static bool pty_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    return true;
}

static bool pty_open(Chardev *chr, Error **errp)
{
    PtyChardev *p = container_of(chr, PtyChardev, parent);
    struct termios tio;
    int slave;

    if (openpty(&p->master, &slave, NULL, NULL, NULL) < 0) {
        error_setg_errno(errp, errno, "Failed to create PTY");
        return false;
    }
    /* Raw until the first user sets the mode it wants. */
    if (tcgetattr(slave, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(slave, TCSANOW, &tio);
    }
    p->slave_path = g_strdup(ptsname(p->master));
    close(slave);
    fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
    fcntl(p->master, F_SETFD, FD_CLOEXEC);

    /* On stdout, where QEMU prints it and scripts look for it. */
    printf("char device redirected to %s (label %s)\n", p->slave_path,
           chr->label);
    fflush(stdout);
    p->check_timer = g_timeout_add(PTY_CHECK_MS, pty_check, chr);
    return true;
}

static int pty_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    PtyChardev *p = container_of(chr, PtyChardev, parent);
    int ret = len;

    /* Asks the master directly rather than the main-loop state, which
     * lags by up to PTY_CHECK_MS. */
    g_mutex_lock(&chr->lock);
    if (slave_is_open(p->master)) {
        ret = chr_fd_write(p->master, buf, len, all, false);
        if (ret < 0 && (errno == EIO || errno == EPIPE)) {
            ret = len;
        }
    }
    g_mutex_unlock(&chr->lock);
    return ret;
}

static char *pty_filename(Chardev *chr)
{
    return g_strdup_printf("pty:%s",
                           container_of(chr, PtyChardev, parent)->slave_path);
}

static bool pty_is_terminal(Chardev *chr)
{
    return true;
}

static void pty_close(Chardev *chr)
{
    PtyChardev *p = container_of(chr, PtyChardev, parent);

    if (chr->opened) {
        chr_fd_source_remove(&p->read_src);
        if (p->check_timer) {
            g_source_remove(p->check_timer);
        }
        close(p->master);
    }
    g_free(p->slave_path);
}

const ChardevDriver chardev_pty_driver = {
    .name = "pty",
    .instance_size = sizeof(PtyChardev),
    .parse = pty_parse,
    .open = pty_open,
    .write = pty_write,
    .filename = pty_filename,
    .is_terminal = pty_is_terminal,
    .close = pty_close,
};
