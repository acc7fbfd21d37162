/*
 * QEMU-compatible image locks: OFD byte-range locks on bytes 100 + bit
 * (permissions held) and 200 + bit (permissions refused to others).
 * OFD locks belong to the open file description, so they are not lost
 * when another descriptor of the same file is closed (as POSIX record
 * locks would be), and go away with the last descriptor.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include "block/image-lock.h"

#define LOCK_PERM_BASE 100
#define LOCK_SHARED_BASE 200
#define PERM_BITS 4

/* QEMU 7.2's names of the permissions, which its messages quote. */
static const char *const perm_names[PERM_BITS] = {
    "consistent read", "write", "write unchanged", "resize",
};

static int lock_byte(int fd, off_t byte, short type, int cmd)
{
    struct flock fl = {
        .l_type = type,
        .l_whence = SEEK_SET,
        .l_start = byte,
        .l_len = 1,
    };
    int ret;

    do {
        ret = fcntl(fd, cmd, &fl);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return -errno;
    }
    /* F_OFD_GETLK reports a conflicting lock in place of the request. */
    return cmd == F_OFD_GETLK && fl.l_type != F_UNLCK ? -EAGAIN : 0;
}

void image_lock_release(int fd)
{
    struct flock fl = {
        .l_type = F_UNLCK,
        .l_whence = SEEK_SET,
        .l_start = LOCK_PERM_BASE,
        .l_len = LOCK_SHARED_BASE + PERM_BITS - LOCK_PERM_BASE,
    };

    fcntl(fd, F_OFD_SETLK, &fl);
}

static void lock_conflict(Error **errp, const char *path, const char *kind,
                          unsigned bit)
{
    error_setg(errp, "Failed to get %s\"%s\" lock", kind, perm_names[bit]);
    error_append_hint(errp, "Is another process using the image [%s]?\n",
                      path);
}

bool image_lock_acquire(int fd, const char *path, unsigned perm,
                        unsigned shared, Error **errp)
{
    int ret;

    /* Take first, then test: two processes racing both see each other. */
    for (unsigned bit = 0; bit < PERM_BITS; bit++) {
        ret = 0;
        if (perm & (1u << bit)) {
            ret = lock_byte(fd, LOCK_PERM_BASE + bit, F_RDLCK, F_OFD_SETLK);
        }
        if (!ret && !(shared & (1u << bit))) {
            ret = lock_byte(fd, LOCK_SHARED_BASE + bit, F_RDLCK,
                            F_OFD_SETLK);
        }
        if (ret) {
            error_setg_errno(errp, -ret, "%s: cannot lock the image (to use "
                             "it without locks: file.locking=off)", path);
            image_lock_release(fd);
            return false;
        }
    }
    /* Held permissions first, then refused ones, as QEMU tests them, so
     * the same conflict gives the same message. */
    for (unsigned bit = 0; bit < PERM_BITS; bit++) {
        if ((perm & (1u << bit)) &&
            lock_byte(fd, LOCK_SHARED_BASE + bit, F_WRLCK, F_OFD_GETLK)) {
            lock_conflict(errp, path, "", bit);
            image_lock_release(fd);
            return false;
        }
    }
    for (unsigned bit = 0; bit < PERM_BITS; bit++) {
        if (!(shared & (1u << bit)) &&
            lock_byte(fd, LOCK_PERM_BASE + bit, F_WRLCK, F_OFD_GETLK)) {
            lock_conflict(errp, path, "shared ", bit);
            image_lock_release(fd);
            return false;
        }
    }
    return true;
}
