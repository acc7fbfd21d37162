/*
 * The file backend: output goes to a file, truncated at open unless
 * append=on; there is no input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include "chardev-internal.h"

typedef struct FileChardev {
    Chardev parent;
    char *path;
    bool append;
    int fd;
} FileChardev;

static bool file_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    FileChardev *f = container_of(chr, FileChardev, parent);
    const char *path = keyval_take(kv, "path");

    if (!path) {
        error_setg(errp, "chardev: file: no filename given");
        return false;
    }
    f->path = g_strdup(path);
    return chr_opt_bool(kv, "append", false, &f->append, errp);
}

static bool file_open(Chardev *chr, Error **errp)
{
    FileChardev *f = container_of(chr, FileChardev, parent);
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC |
                (f->append ? O_APPEND : O_TRUNC);

    do {
        f->fd = open(f->path, flags, 0666);
    } while (f->fd < 0 && errno == EINTR);
    if (f->fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", f->path);
        return false;
    }
    chr->be_open = true;
    return true;
}

static int file_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    FileChardev *f = container_of(chr, FileChardev, parent);
    int ret;

    /* A file never makes us wait long: always write everything. */
    g_mutex_lock(&chr->lock);
    ret = chr_fd_write(f->fd, buf, len, true, false);
    g_mutex_unlock(&chr->lock);
    return ret;
}

static char *file_filename(Chardev *chr)
{
    return g_strdup("file");
}

static void file_close(Chardev *chr)
{
    FileChardev *f = container_of(chr, FileChardev, parent);

    if (chr->opened) {
        close(f->fd);
    }
    g_free(f->path);
}

const ChardevDriver chardev_file_driver = {
    .name = "file",
    .instance_size = sizeof(FileChardev),
    .parse = file_parse,
    .open = file_open,
    .write = file_write,
    .filename = file_filename,
    .close = file_close,
};
