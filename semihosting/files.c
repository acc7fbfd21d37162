/*
 * The host files semihosting calls open, remove and rename, and the
 * fence around them: -semihosting-config chroot=DIR.
 *
 * Without the fence a name is a host path like any other, relative to
 * emu's working directory.  With it, every name is resolved by the
 * kernel beneath DIR (openat2 with RESOLVE_BENEATH): an absolute name,
 * a ".." that climbs out of DIR, or a symlink whose target lies outside
 * DIR is refused (EACCES for the guest), whatever the race with another
 * process changing DIR meanwhile; "/proc/self/fd"-style magic links are
 * refused too.  Refusing, rather than re-rooting absolute names as
 * chroot(2) and RESOLVE_IN_ROOT do, keeps a program built for the host's
 * paths from silently opening a different file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include "util/log.h"
#include "semihosting/semihost.h"

static int root_fd = -1;         /* DIR, O_PATH; -1: no fence */
static char *root_dir;

static int openat2_beneath(int dirfd, const char *name, int flags,
                           mode_t mode)
{
    struct open_how how = {
        .flags = flags | O_CLOEXEC,
        .mode = flags & O_CREAT ? mode : 0,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };

    return syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
}

bool semihosting_set_chroot(const char *dir, Error **errp)
{
    int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int probe;

    if (fd < 0) {
        error_setg_errno(errp, errno, "semihosting chroot '%s'", dir);
        return false;
    }
    probe = openat2_beneath(fd, ".", O_PATH | O_DIRECTORY, 0);
    if (probe < 0) {
        error_setg_errno(errp, errno, "semihosting chroot '%s' needs "
                         "openat2 (Linux 5.6 or later)", dir);
        close(fd);
        return false;
    }
    close(probe);
    if (root_fd >= 0) {
        close(root_fd);
    }
    g_free(root_dir);
    root_fd = fd;
    root_dir = g_strdup(dir);
    return true;
}

bool semihosting_fenced(void)
{
    return root_fd >= 0;
}

/* What the guest learns of a refused name, and what -d guest_errors
 * tells the user. */
static int refused(const char *name, int err)
{
    if (err == EXDEV || err == ELOOP) {
        emu_log_mask(LOG_GUEST_ERROR, "semihosting: '%s' leads out of the "
                     "chroot %s: refused\n", name, root_dir);
        err = EACCES;
    }
    errno = err;
    return -1;
}

int semihosting_open(const char *name, int flags, mode_t mode)
{
    int fd;

    if (root_fd < 0) {
        return open(name, flags | O_CLOEXEC, mode);
    }
    fd = openat2_beneath(root_fd, name, flags, mode);
    return fd < 0 ? refused(name, errno) : fd;
}

/*
 * The directory that holds name's last component, opened beneath the
 * fence, and that component: what unlinkat and renameat take, so a
 * symlink as the last component is itself removed or renamed, never
 * followed.  -1 with errno set; *base is the caller's to free either
 * way.
 */
static int open_parent(const char *name, char **base)
{
    g_autofree char *dir = g_path_get_dirname(name);

    *base = g_path_get_basename(name);
    if (!strcmp(*base, "..") || !strcmp(*base, ".") ||
        !strcmp(*base, "/")) {
        errno = EXDEV;           /* DIR itself or above: not a file in it */
        return -1;
    }
    return openat2_beneath(root_fd, dir, O_PATH | O_DIRECTORY, 0);
}

/* remove(3) beneath the fence: a file, or an empty directory. */
int semihosting_remove(const char *name)
{
    g_autofree char *base = NULL;
    int dir, ret, err;

    if (root_fd < 0) {
        return remove(name);
    }
    dir = open_parent(name, &base);
    if (dir < 0) {
        return refused(name, errno);
    }
    ret = unlinkat(dir, base, 0);
    if (ret < 0 && errno == EISDIR) {
        ret = unlinkat(dir, base, AT_REMOVEDIR);
    }
    err = errno;
    close(dir);
    errno = err;
    return ret;
}

int semihosting_rename(const char *from, const char *to)
{
    g_autofree char *from_base = NULL;
    g_autofree char *to_base = NULL;
    int from_dir, to_dir, ret, err;

    if (root_fd < 0) {
        return rename(from, to);
    }
    from_dir = open_parent(from, &from_base);
    if (from_dir < 0) {
        return refused(from, errno);
    }
    to_dir = open_parent(to, &to_base);
    if (to_dir < 0) {
        err = errno;
        close(from_dir);
        return refused(to, err);
    }
    ret = renameat(from_dir, from_base, to_dir, to_base);
    err = errno;
    close(from_dir);
    close(to_dir);
    errno = err;
    return ret;
}
