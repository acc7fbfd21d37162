/*
 * Raw image files: open with clear errors and QEMU's image locks,
 * whole-buffer pread/pwrite (EINTR and short transfers retried),
 * fdatasync, a last sync of every writable file when emu exits, and a
 * watch (inotify) that notices the file being deleted, replaced or cut
 * short by another process.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <glib-unix.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include "block/block.h"
#include "block/image-lock.h"

struct RawFile {
    char *path;
    int fd;
    unsigned flags;              /* RAW_FILE_* it was opened with */
    bool readonly;
    uint64_t length;
    dev_t dev;                   /* the file path named at open time */
    ino_t ino;

    /* raw_file_watch */
    int watch;                   /* inotify watch descriptor, or -1 */
    RawFileChangedFunc *changed;
    void *changed_opaque;
    bool change_reported;        /* until the file is intact again */
};

/*
 * What emu lets others do to an image it uses, in QEMU's terms: read it
 * and rewrite it unchanged, but neither change nor resize it (a flash or
 * disk has a fixed size).  A QEMU disk shares the same.
 */
#define RAW_FILE_SHARED (IMAGE_PERM_CONSISTENT_READ | \
                         IMAGE_PERM_WRITE_UNCHANGED)

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

/* Whether an open that failed with O_DIRECT works without it. */
static bool raw_file_opens_without_direct(const char *path, bool readonly)
{
    int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);

    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

static unsigned raw_file_perm(bool readonly)
{
    return IMAGE_PERM_CONSISTENT_READ | (readonly ? 0 : IMAGE_PERM_WRITE);
}

RawFile *raw_file_open(const char *path, unsigned flags, Error **errp)
{
    static bool exit_hook_installed;
    bool readonly = flags & RAW_FILE_READONLY;
    struct stat st;
    RawFile *f;
    off_t end;
    int fd;

    do {
        fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC |
                  (flags & RAW_FILE_CREATE ? O_CREAT : 0) |
                  (flags & RAW_FILE_DIRECT ? O_DIRECT : 0), 0644);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0 && errno == EINVAL && (flags & RAW_FILE_DIRECT) &&
        raw_file_opens_without_direct(path, readonly)) {
        /* QEMU's words for a file system that refuses O_DIRECT (the
         * file driver names the file) */
        error_setg(errp, "filesystem does not support O_DIRECT");
        error_append_hint(errp, "cache=none and cache=directsync bypass the "
                          "host page cache; use cache=writeback or "
                          "cache=writethrough on this file system\n");
        return NULL;
    }
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
    /* /dev/zero, a pipe: no size to give a flash or disk, nothing to keep
     * what is written. */
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        error_setg(errp, "%s: is a %s, not an image file (a regular file or "
                   "a block device)", path,
                   S_ISCHR(st.st_mode) ? "character device" :
                   S_ISFIFO(st.st_mode) ? "named pipe" : "socket");
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
    if (!(flags & RAW_FILE_NO_LOCK) &&
        !image_lock_acquire(fd, path, raw_file_perm(readonly),
                            RAW_FILE_SHARED, errp)) {
        close(fd);
        return NULL;
    }

    f = g_new0(RawFile, 1);
    f->path = g_strdup(path);
    f->fd = fd;
    f->flags = flags & ~RAW_FILE_CREATE;
    f->readonly = readonly;
    f->length = end;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->watch = -1;
    if (!readonly) {
        if (!exit_hook_installed) {
            atexit(raw_file_sync_all_at_exit);
            exit_hook_installed = true;
        }
        open_files = g_slist_prepend(open_files, f);
    }
    return f;
}

/*
 * The new descriptor is opened and locked before the old one goes, so
 * that a failure leaves the file as it was.  The old descriptor's lock
 * bytes are dropped first: they are another open file description's,
 * which would refuse our own new one.
 */
bool raw_file_reopen(RawFile *f, bool readonly, Error **errp)
{
    unsigned flags = (f->flags & ~RAW_FILE_READONLY) |
                     (readonly ? RAW_FILE_READONLY : 0);
    bool locking = !(f->flags & RAW_FILE_NO_LOCK);
    RawFile *n;
    int old_fd;

    if (readonly == f->readonly) {
        return true;
    }
    n = raw_file_open(f->path, flags | RAW_FILE_NO_LOCK, errp);
    if (!n) {
        return false;
    }
    if (n->dev != f->dev || n->ino != f->ino) {
        error_setg(errp, "%s: the file was replaced by another file while "
                   "in use", f->path);
        raw_file_close(n);
        return false;
    }
    if (locking) {
        image_lock_release(f->fd);
        if (!image_lock_acquire(n->fd, f->path, raw_file_perm(readonly),
                                RAW_FILE_SHARED, errp)) {
            /* Nobody could take what we just let go, but say so if
             * someone did. */
            if (!image_lock_acquire(f->fd, f->path,
                                    raw_file_perm(f->readonly),
                                    RAW_FILE_SHARED, NULL)) {
                warn_report("%s: lost its image lock", f->path);
            }
            raw_file_close(n);
            return false;
        }
    }
    /* f takes the new descriptor; n closes (and syncs) the old one. */
    old_fd = f->fd;
    f->fd = n->fd;
    n->fd = old_fd;
    open_files = g_slist_remove(open_files, n);
    open_files = g_slist_remove(open_files, f);
    if (!readonly) {
        open_files = g_slist_prepend(open_files, f);
    }
    n->readonly = f->readonly;
    f->readonly = readonly;
    f->flags = flags;
    raw_file_close(n);
    return true;
}

/* ---- changes made by others ---- */

RawFileState raw_file_state(RawFile *f, Error **errp)
{
    struct stat st, at_path;

    if (fstat(f->fd, &st) < 0) {
        error_setg_errno(errp, errno, "%s: cannot check the file", f->path);
        return RAW_FILE_GONE;
    }
    if (st.st_nlink == 0) {
        error_setg(errp, "%s: the file was deleted while in use", f->path);
        return RAW_FILE_GONE;
    }
    if (stat(f->path, &at_path) < 0) {
        error_setg(errp, "%s: the file was renamed or deleted while in use",
                   f->path);
        return RAW_FILE_GONE;
    }
    if (at_path.st_dev != f->dev || at_path.st_ino != f->ino) {
        error_setg(errp, "%s: the file was replaced by another file while "
                   "in use", f->path);
        return RAW_FILE_GONE;
    }
    /* Block devices have no st_size; they do not shrink either. */
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < f->length) {
        error_setg(errp, "%s: the file was cut to %" PRIu64 " bytes while "
                   "in use (it is %" PRIu64 " bytes)", f->path,
                   (uint64_t)st.st_size, f->length);
        return RAW_FILE_SHRUNK;
    }
    return RAW_FILE_INTACT;
}

/*
 * One inotify instance for all watched files.  inotify follows the
 * inode, not the path: a truncation is IN_MODIFY, a deletion or a rename
 * over the file changes its link count (IN_ATTRIB), a rename of the file
 * itself is IN_MOVE_SELF.  Each event re-checks every watched file; there
 * are a handful.
 */
static int inotify_fd = -1;
static GSList *watched_files;

static gboolean raw_file_inotify_ready(gint fd, GIOCondition cond,
                                       gpointer opaque)
{
    char events[4096] __attribute__((aligned(__alignof__(struct
                                                           inotify_event))));

    /* The events only say "look again"; drain them. */
    while (read(fd, events, sizeof(events)) > 0) {
    }
    for (GSList *l = watched_files; l; l = l->next) {
        RawFile *f = l->data;
        Error *err = NULL;

        if (raw_file_state(f, &err) == RAW_FILE_INTACT) {
            f->change_reported = false;
        } else if (!f->change_reported) {
            f->change_reported = true;
            f->changed(f->changed_opaque, err);
        }
        error_free(err);
    }
    return G_SOURCE_CONTINUE;
}

void raw_file_watch(RawFile *f, RawFileChangedFunc *changed, void *opaque)
{
    g_assert(f->watch < 0);
    if (inotify_fd < 0) {
        inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (inotify_fd < 0) {
            /* Writes still check the file; only the early warning is
             * missing. */
            return;
        }
        g_unix_fd_add(inotify_fd, G_IO_IN, raw_file_inotify_ready, NULL);
    }
    f->watch = inotify_add_watch(inotify_fd, f->path, IN_MODIFY | IN_ATTRIB |
                                 IN_MOVE_SELF | IN_DELETE_SELF);
    if (f->watch < 0) {
        return;
    }
    f->changed = changed;
    f->changed_opaque = opaque;
    watched_files = g_slist_prepend(watched_files, f);
}

static void raw_file_unwatch(RawFile *f)
{
    if (f->watch < 0) {
        return;
    }
    watched_files = g_slist_remove(watched_files, f);
    /* Two opens of one inode share its watch descriptor. */
    for (GSList *l = watched_files; l; l = l->next) {
        if (((RawFile *)l->data)->watch == f->watch) {
            f->watch = -1;
            return;
        }
    }
    inotify_rm_watch(inotify_fd, f->watch);
    f->watch = -1;
}

void raw_file_close(RawFile *f)
{
    if (!f) {
        return;
    }
    raw_file_unwatch(f);
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

int raw_file_fd(const RawFile *f)
{
    return f->fd;
}

bool raw_file_is_readonly(const RawFile *f)
{
    return f->readonly;
}

uint64_t raw_file_length(const RawFile *f)
{
    return f->length;
}

bool raw_file_pread_to_eof(RawFile *f, uint64_t offset, void *buf,
                           size_t len, size_t *done, Error **errp)
{
    uint8_t *p = buf;

    *done = 0;
    while (*done < len) {
        ssize_t n = pread(f->fd, p + *done, len - *done, offset + *done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, errno, "%s: read of %zu bytes at offset "
                             "%" PRIu64 " failed", f->path, len - *done,
                             offset + *done);
            return false;
        }
        if (n == 0) {
            break;
        }
        *done += n;
    }
    return true;
}

bool raw_file_pread(RawFile *f, uint64_t offset, void *buf, size_t len,
                    Error **errp)
{
    size_t done;

    if (!raw_file_pread_to_eof(f, offset, buf, len, &done, errp)) {
        return false;
    }
    if (done < len) {
        error_setg(errp, "%s: read of %zu bytes at offset %" PRIu64
                   " goes past the end of the file", f->path, len - done,
                   offset + done);
        return false;
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
        f->length = MAX(f->length, offset);
    }
    return true;
}

/* fallocate(mode) of the range; false with errno set. */
static bool fallocate_range(RawFile *f, int mode, uint64_t offset,
                            uint64_t len)
{
    while (fallocate(f->fd, mode, offset, len) < 0) {
        if (errno != EINTR) {
            return false;
        }
    }
    return true;
}

bool raw_file_write_zeroes(RawFile *f, uint64_t offset, uint64_t len,
                           bool may_unmap, Error **errp)
{
    /* Aligned for a file opened with O_DIRECT. */
    static const uint8_t zeros[64 * 1024] __attribute__((aligned(4096)));
    uint64_t end = offset + len;

    if (f->readonly) {
        error_setg(errp, "%s: opened read-only, cannot write", f->path);
        return false;
    }
    /* Holes inside the file, then the length: what QEMU does too when
     * the file system cannot zero a range in place. */
    if (may_unmap &&
        fallocate_range(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        offset, len)) {
        return end <= f->length || raw_file_truncate(f, end, errp);
    }
    if (fallocate_range(f, FALLOC_FL_ZERO_RANGE, offset, len)) {
        f->length = MAX(f->length, end);
        return true;
    }
    /* A file system without either (or a block device): written. */
    while (offset < end) {
        size_t n = MIN(end - offset, sizeof(zeros));

        if (!raw_file_pwrite(f, offset, zeros, n, errp)) {
            return false;
        }
        offset += n;
    }
    return true;
}

bool raw_file_truncate(RawFile *f, uint64_t length, Error **errp)
{
    if (f->readonly) {
        error_setg(errp, "%s: opened read-only, cannot resize", f->path);
        return false;
    }
    while (ftruncate(f->fd, length) < 0) {
        if (errno != EINTR) {
            error_setg_errno(errp, errno, "%s: cannot resize to %" PRIu64
                             " bytes", f->path, length);
            return false;
        }
    }
    f->length = length;
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
