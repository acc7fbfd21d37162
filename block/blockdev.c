/*
 * The drive table filled from -pflash and -drive.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "sysemu/blockdev.h"

typedef struct DriveEntry {
    DriveInfo info;
    bool used;
} DriveEntry;

static GPtrArray *drives;        /* DriveEntry * */

static DriveEntry *drive_find(BlockInterfaceType type, int index)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        if (d->info.type == type && d->info.index == index) {
            return d;
        }
    }
    return NULL;
}

static int drive_next_index(BlockInterfaceType type)
{
    int index = 0;

    while (drive_find(type, index)) {
        index++;
    }
    return index;
}

static bool drive_new(BlockInterfaceType type, int index, const char *file,
                      bool readonly, bool locking, const char *option,
                      Error **errp)
{
    DriveEntry *d;

    if (drive_find(type, index)) {
        error_setg(errp, "pflash index %d is given twice", index);
        return false;
    }
    d = g_new0(DriveEntry, 1);
    d->info.type = type;
    d->info.index = index;
    d->info.file = g_strdup(file);
    d->info.readonly = readonly;
    d->info.locking = locking;
    d->info.option = g_strdup(option);
    if (!drives) {
        drives = g_ptr_array_new();
    }
    g_ptr_array_add(drives, d);
    return true;
}

bool drive_add_pflash(const char *file, Error **errp)
{
    g_autofree char *option = g_strdup_printf("-pflash %s", file);

    return drive_new(IF_PFLASH, drive_next_index(IF_PFLASH), file, false,
                     true, option, errp);
}

bool drive_add(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, NULL, errp);
    const char *iface, *format, *file, *index_text, *ro_text, *lock_text;
    const KeyValPair *extra;
    g_autofree char *option = NULL;
    uint64_t index;
    bool readonly = false;
    bool locking = true;

    if (!kv) {
        return false;
    }
    iface = keyval_take(kv, "if");
    format = keyval_take(kv, "format");
    file = keyval_take(kv, "file");
    index_text = keyval_take(kv, "index");
    ro_text = keyval_take(kv, "readonly");
    lock_text = keyval_take(kv, "file.locking");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "unsupported -drive parameter '%s' (known: if, "
                   "format, file, index, readonly, file.locking)",
                   extra->key);
        return false;
    }
    if (!iface || strcmp(iface, "pflash")) {
        error_setg(errp, "-drive if=%s is not supported yet: only "
                   "if=pflash", iface ? iface : "ide (the default)");
        return false;
    }
    if (format && strcmp(format, "raw")) {
        error_setg(errp, "format '%s' is not supported for pflash: only "
                   "format=raw", format);
        return false;
    }
    if (!file || !file[0]) {
        error_setg(errp, "-drive needs file=FILE");
        return false;
    }
    if (ro_text && !parse_bool(ro_text, &readonly)) {
        error_setg(errp, "readonly expects on or off, not '%s'", ro_text);
        return false;
    }
    /* "auto" locks where the file system can: on Linux, always. */
    if (lock_text && strcmp(lock_text, "auto") &&
        !parse_bool(lock_text, &locking)) {
        error_setg(errp, "invalid parameter value: %s", lock_text);
        error_append_hint(errp, "file.locking is on, off or auto\n");
        return false;
    }
    if (index_text) {
        if (!parse_uint64(index_text, &index) || index > 255) {
            error_setg(errp, "invalid index '%s'", index_text);
            return false;
        }
    } else {
        index = drive_next_index(IF_PFLASH);
    }
    option = g_strdup_printf("-drive %s", opts);
    return drive_new(IF_PFLASH, index, file, readonly, locking, option,
                     errp);
}

DriveInfo *drive_get(BlockInterfaceType type, int index)
{
    DriveEntry *d = drive_find(type, index);

    return d ? &d->info : NULL;
}

void drive_mark_used(DriveInfo *drive)
{
    container_of(drive, DriveEntry, info)->used = true;
}

DriveInfo *drive_first_unused(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        if (!d->used) {
            return &d->info;
        }
    }
    return NULL;
}
