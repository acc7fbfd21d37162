/*
 * Raw image files: open with clear errors, whole-buffer pread/pwrite
 * (EINTR and short transfers retried), fdatasync, and a last sync of
 * every writable file when emu exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "block/block.h"

struct RawFile {
    char *path;
    int fd;
    bool readonly;
    uint64_t length;
};

/* Writable files still open, for the sync at exit. */
static GSList *open_files;

static void raw_file_sync_all_at_exit(void)
{
    for (GSList *l = open_files; l; l = l->next) {
        RawFile *f = l->data;

        if (fdatasync(f->fd) < 0) {
            fprintf(stderr, "emu: %s: could not sync at exit: %s\n",
                    f->path, strerror(errno));
        }
    }
}

static void open_error(Error **errp, int err, const char *path,
                       bool readonly)
{
    switch (err) {
    case ENOENT:
        error_setg(errp, "%s: no such file", path);
        break;
    case EISDIR:
        error_setg(errp, "%s: is a directory, not an image file", path);
        break;
    case EACCES:
    case EPERM:
    case EROFS:
        if (readonly) {
            error_setg(errp, "%s: cannot open for reading: %s", path,
                       strerror(err));
        } else {
            error_setg(errp, "%s: cannot open for reading and writing: %s "
                       "(with -drive ...,readonly=on it is only read)",
                       path, strerror(err));
        }
        break;
    default:
        error_setg_errno(errp, err, "%s: cannot open", path);
        break;
    }
}

RawFile *raw_file_open(const char *path, bool readonly, Error **errp)
{
    static bool exit_hook_installed;
    struct stat st;
    RawFile *f;
    off_t end;
    int fd;

    do {
        fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        open_error(errp, errno, path, readonly);
        return NULL;
    }
    if (fstat(fd, &st) < 0) {
        open_error(errp, errno, path, readonly);
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {   /* read-only opens of directories work */
        open_error(errp, EISDIR, path, readonly);
        close(fd);
        return NULL;
    }
    /* lseek rather than st_size: block devices have no st_size. */
    end = lseek(fd, 0, SEEK_END);
    if (end < 0) {
        error_setg_errno(errp, errno, "%s: cannot find its size", path);
        close(fd);
        return NULL;
    }

    f = g_new0(RawFile, 1);
    f->path = g_strdup(path);
    f->fd = fd;
    f->readonly = readonly;
    f->length = end;
    if (!readonly) {
        if (!exit_hook_installed) {
            atexit(raw_file_sync_all_at_exit);
            exit_hook_installed = true;
        }
        open_files = g_slist_prepend(open_files, f);
    }
    return f;
}

void raw_file_close(RawFile *f)
{
    if (!f) {
        return;
    }
    if (!f->readonly) {
        open_files = g_slist_remove(open_files, f);
        if (fdatasync(f->fd) < 0) {
            fprintf(stderr, "emu: %s: could not sync: %s\n", f->path,
                    strerror(errno));
        }
    }
    close(f->fd);
    g_free(f->path);
    g_free(f);
}

const char *raw_file_path(const RawFile *f)
{
    return f->path;
}

bool raw_file_is_readonly(const RawFile *f)
{
    return f->readonly;
}

uint64_t raw_file_length(const RawFile *f)
{
    return f->length;
}

bool raw_file_pread(RawFile *f, uint64_t offset, void *buf, size_t len,
                    Error **errp)
{
    uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = pread(f->fd, p, len, offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, errno, "%s: read of %zu bytes at offset "
                             "%" PRIu64 " failed", f->path, len, offset);
            return false;
        }
        if (n == 0) {
            error_setg(errp, "%s: read of %zu bytes at offset %" PRIu64
                       " goes past the end of the file", f->path, len,
                       offset);
            return false;
        }
        p += n;
        offset += n;
        len -= n;
    }
    return true;
}

bool raw_file_pwrite(RawFile *f, uint64_t offset, const void *buf,
                     size_t len, Error **errp)
{
    const uint8_t *p = buf;

    if (f->readonly) {
        error_setg(errp, "%s: opened read-only, cannot write", f->path);
        return false;
    }
    while (len > 0) {
        ssize_t n = pwrite(f->fd, p, len, offset);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error_setg_errno(errp, n < 0 ? errno : ENOSPC,
                             "%s: write of %zu bytes at offset %" PRIu64
                             " failed", f->path, len, offset);
            return false;
        }
        p += n;
        offset += n;
        len -= n;
    }
    return true;
}

bool raw_file_flush(RawFile *f, Error **errp)
{
    if (f->readonly) {
        return true;
    }
    while (fdatasync(f->fd) < 0) {
        if (errno != EINTR) {
            error_setg_errno(errp, errno, "%s: sync failed", f->path);
            return false;
        }
    }
    return true;
}
