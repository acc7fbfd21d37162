/*
 * Image locking compatible with QEMU's: two processes (emu or QEMU) never
 * write the same image at once, nor does one read an image another is
 * changing under it.
 *
 * The scheme is QEMU's (file-posix): each permission a user of an image
 * may hold has a bit number; a holder takes a shared open-file-description
 * (OFD) lock on byte 100 + bit for each permission it holds, and on byte
 * 200 + bit for each permission it does not let others hold.  Before
 * using the image it tests, with a write lock request, the 200 + bit
 * bytes of the permissions it wants and the 100 + bit bytes of those it
 * refuses to share.  Because the bytes and the lock kind are QEMU's,
 * emu and QEMU 7.2 see each other's locks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_IMAGE_LOCK_H
#define BLOCK_IMAGE_LOCK_H

#include "util/osdep.h"
#include "util/error.h"

/* The permission bits, in QEMU 7.2's order (the bit is the byte offset). */
enum {
    IMAGE_PERM_CONSISTENT_READ = 1 << 0,  /* reads see a stable image */
    IMAGE_PERM_WRITE = 1 << 1,            /* changes what is read */
    IMAGE_PERM_WRITE_UNCHANGED = 1 << 2,  /* writes that change nothing */
    IMAGE_PERM_RESIZE = 1 << 3,
    IMAGE_PERM_ALL = (1 << 4) - 1,
};

/*
 * Takes the lock bytes for perm (held) and ~shared (refused to others)
 * on fd, then checks nobody else conflicts.  On a conflict nothing stays
 * locked and errp says QEMU's words: 'Failed to get "write" lock' (or
 * 'Failed to get shared "write" lock') with the hint 'Is another process
 * using the image [path]?'.
 */
bool image_lock_acquire(int fd, const char *path, unsigned perm,
                        unsigned shared, Error **errp);

/* Drops every lock byte the open file description of fd holds. */
void image_lock_release(int fd);

#endif
