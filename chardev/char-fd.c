/*
 * Backends on plain descriptors of the host:
 *
 *   serial (alias tty)  a host device: /dev/ttyS0, /dev/ttyUSB0, the
 *                       /dev/pts/N of another program, /dev/null.  A
 *                       terminal is put in raw mode at 115200 baud, as
 *                       QEMU does; -serial /dev/... means this.
 *   pipe                PATH.in (what the frontend reads) and PATH.out
 *                       (what it writes), usually FIFOs made with
 *                       mkfifo, or PATH both ways when either is
 *                       missing.  They are opened read-write, so opening
 *                       a FIFO does not wait for the other side and its
 *                       writers may come and go.
 *
 * The end of input (a device hung up, the end of a regular file) ends
 * reading; output goes on until a write fails.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <termios.h>
#include "chardev-internal.h"

typedef struct FdChardev {
    Chardev parent;
    char *path;
    int in_fd, out_fd;       /* the same descriptor for a device */
    GSource *read_src;
} FdChardev;

static FdChardev *fd_chardev(Chardev *chr)
{
    return container_of(chr, FdChardev, parent);
}

static void fd_ready(Chardev *chr, GIOCondition cond)
{
    FdChardev *f = fd_chardev(chr);
    uint8_t buf[4096];
    int room = MIN(chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n;

    if (room <= 0) {
        return;
    }
    n = read(f->in_fd, buf, room);
    if (n > 0) {
        chr_be_write(chr, buf, n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        chr_fd_source_remove(&f->read_src);
        chr_be_event(chr, CHR_EVENT_CLOSED);
    }
}

static int open_nonblocking(const char *path, int flags)
{
    int fd;

    do {
        fd = open(path, flags | O_NONBLOCK | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

/* Watches input from the descriptors open() left in f. */
static void fd_start(Chardev *chr)
{
    FdChardev *f = fd_chardev(chr);

    f->read_src = chr_fd_source_add(chr, f->in_fd, fd_ready);
    chr->be_open = true;
}

static bool fd_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    const char *path = keyval_take(kv, "path");

    if (!path) {
        error_setg(errp, "chardev: %s: no device path given",
                   chr->drv == &chardev_pipe_driver ? "pipe" : "serial/tty");
        return false;
    }
    fd_chardev(chr)->path = g_strdup(path);
    return true;
}

static bool serial_open(Chardev *chr, Error **errp)
{
    FdChardev *f = fd_chardev(chr);
    struct termios tio;
    int fd = open_nonblocking(f->path, O_RDWR | O_NOCTTY);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", f->path);
        return false;
    }
    /* A terminal: raw bytes, no modem control, 8N1 at 115200. */
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_cflag |= CLOCAL | CREAD;
        cfsetispeed(&tio, B115200);
        cfsetospeed(&tio, B115200);
        tcsetattr(fd, TCSANOW, &tio);
    }
    f->in_fd = f->out_fd = fd;
    fd_start(chr);
    return true;
}

static bool pipe_open(Chardev *chr, Error **errp)
{
    FdChardev *f = fd_chardev(chr);
    g_autofree char *in_path = g_strdup_printf("%s.in", f->path);
    g_autofree char *out_path = g_strdup_printf("%s.out", f->path);

    f->in_fd = open_nonblocking(in_path, O_RDWR);
    f->out_fd = open_nonblocking(out_path, O_RDWR);
    if (f->in_fd < 0 || f->out_fd < 0) {
        if (f->in_fd >= 0) {
            close(f->in_fd);
        }
        if (f->out_fd >= 0) {
            close(f->out_fd);
        }
        f->in_fd = f->out_fd = open_nonblocking(f->path, O_RDWR);
        if (f->in_fd < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", f->path);
            return false;
        }
    }
    fd_start(chr);
    return true;
}

static int fd_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    int ret;

    g_mutex_lock(&chr->lock);
    ret = chr_fd_write(fd_chardev(chr)->out_fd, buf, len, all, false);
    g_mutex_unlock(&chr->lock);
    return ret;
}

static char *fd_filename(Chardev *chr)
{
    return g_strdup(chr->drv == &chardev_pipe_driver ? "pipe" : "serial");
}

static void fd_close(Chardev *chr)
{
    FdChardev *f = fd_chardev(chr);

    if (chr->opened) {
        chr_fd_source_remove(&f->read_src);
        if (f->out_fd != f->in_fd) {
            close(f->out_fd);
        }
        close(f->in_fd);
    }
    g_free(f->path);
}

const ChardevDriver chardev_serial_driver = {
    .name = "serial",
    .instance_size = sizeof(FdChardev),
    .parse = fd_parse,
    .open = serial_open,
    .write = fd_write,
    .filename = fd_filename,
    .close = fd_close,
};

const ChardevDriver chardev_pipe_driver = {
    .name = "pipe",
    .instance_size = sizeof(FdChardev),
    .parse = fd_parse,
    .open = pipe_open,
    .write = fd_write,
    .filename = fd_filename,
    .close = fd_close,
};
