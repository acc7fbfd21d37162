/*
 * Changing a drive's medium from the monitor, as QEMU 7.2 does it for
 * HMP "eject"/"change" and QMP "eject"/"blockdev-change-medium":
 *
 *   open the tray   the device's guest is asked to let go of the medium;
 *                   a tray the guest locked stays shut unless forced
 *                   ("Device 'ide1-cd0' is locked and force was not
 *                   specified, wait for tray to open and try again")
 *   remove          the backend is empty, the tray stays open
 *   insert, close   the new image is in, the guest sees a medium change
 *
 * A backend no device took (if=none) has no tray: its medium changes at
 * once.  Errors are QEMU's words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_REMOVABLE_MEDIA_H
#define BLOCK_REMOVABLE_MEDIA_H

#include "block/block-backend.h"

/* blockdev-change-medium's read-only-mode (QEMU's names). */
typedef enum BlockChangeReadOnlyMode {
    BLOCK_CHANGE_RO_RETAIN,      /* "retain": as the drive was opened */
    BLOCK_CHANGE_RO_READ_ONLY,   /* "read-only" */
    BLOCK_CHANGE_RO_READ_WRITE,  /* "read-write" */
} BlockChangeReadOnlyMode;

/* "read-only" -> BLOCK_CHANGE_RO_READ_ONLY; false for other words. */
bool block_change_ro_mode_parse(const char *name,
                                BlockChangeReadOnlyMode *mode);

/* Opens the tray (forced: even when the guest locked it) and takes the
 * medium out. */
bool blk_eject_medium(BlockBackend *blk, const char *device, bool force,
                      Error **errp);

/* Replaces the medium with filename (format NULL: probed), read-only or
 * writable as mode says; the old one stays when anything fails. */
bool blk_change_medium(BlockBackend *blk, const char *device,
                       const char *filename, const char *format, bool force,
                       BlockChangeReadOnlyMode mode, Error **errp);

#endif
