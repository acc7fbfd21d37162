/*
 * The monitor's eject and change of a drive's medium, in QEMU 7.2's
 * steps and words (include/block/removable-media.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/removable-media.h"
#include "block/block-int.h"

bool block_change_ro_mode_parse(const char *name,
                                BlockChangeReadOnlyMode *mode)
{
    static const char *const names[] = {
        [BLOCK_CHANGE_RO_RETAIN] = "retain",
        [BLOCK_CHANGE_RO_READ_ONLY] = "read-only",
        [BLOCK_CHANGE_RO_READ_WRITE] = "read-write",
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(name, names[i])) {
            *mode = i;
            return true;
        }
    }
    return false;
}

/*
 * QEMU's do_open_tray: true when the tray is open now, or there is
 * none; false when the medium cannot be removed, or the guest locked
 * the tray and was only asked to open it.
 */
static bool blk_open_tray(BlockBackend *blk, const char *device, bool force,
                          Error **errp)
{
    bool locked;

    if (blk_job_type(blk)) {
        error_setg(errp, "Node '%s' is busy: block device is in use by "
                   "block job: %s", device, blk_job_type(blk));
        return false;
    }
    if (!blk_is_removable(blk)) {
        error_setg(errp, "Device '%s' is not removable", device);
        return false;
    }
    if (!blk_dev_has_tray(blk) || blk_dev_is_tray_open(blk)) {
        return true;
    }
    locked = blk_dev_is_medium_locked(blk);
    if (locked) {
        /* The guest hears of it (a media event) and may open the tray
         * itself; forced, the lock is gone. */
        blk_dev_eject_request(blk, force);
    }
    if (!locked || force) {
        blk_dev_change_media(blk, false);
    }
    if (locked && !force) {
        error_setg(errp, "Device '%s' is locked and force was not "
                   "specified, wait for tray to open and try again", device);
        return false;
    }
    return true;
}

/* QEMU's blockdev_remove_medium: the tray must be open by now. */
static bool blk_take_medium_out(BlockBackend *blk, const char *device,
                                Error **errp)
{
    if (blk_dev_has_tray(blk) && !blk_dev_is_tray_open(blk)) {
        error_setg(errp, "Tray of device '%s' is not open", device);
        return false;
    }
    if (!blk_is_inserted(blk)) {
        return true;
    }
    blk_remove_medium(blk);
    if (!blk_dev_has_tray(blk)) {
        /* Nothing opened a tray: the device learns of it here. */
        blk_dev_change_media(blk, false);
    }
    return true;
}

bool blk_eject_medium(BlockBackend *blk, const char *device, bool force,
                      Error **errp)
{
    return blk_open_tray(blk, device, force, errp) &&
           blk_take_medium_out(blk, device, errp);
}

bool blk_change_medium(BlockBackend *blk, const char *device,
                       const char *filename, const char *format, bool force,
                       BlockChangeReadOnlyMode mode, Error **errp)
{
    bool read_only = mode == BLOCK_CHANGE_RO_RETAIN ? blk_is_read_only(blk)
                     : mode == BLOCK_CHANGE_RO_READ_ONLY;
    bool probed_raw;
    BlockDriverState *bs;

    /* The image first: a name that does not open leaves the drive as
     * it was. */
    bs = blk_open_medium(blk, filename, format, read_only, &probed_raw,
                         errp);
    if (!bs) {
        return false;
    }
    if (!blk_eject_medium(blk, device, force, errp)) {
        bdrv_unref(bs);
        return false;
    }
    blk_insert_medium(blk, bs, read_only, probed_raw);
    /* Closing the tray on it is the medium change the guest sees. */
    blk_dev_change_media(blk, true);
    return true;
}
