/*
 * Drives given on the command line: -pflash FILE and
 * -drive if=pflash,format=raw,file=FILE[,index=N][,readonly=on]
 * [,file.locking=off].
 * Boards pick them up by interface and index (drive_get) and attach them
 * to their devices (a CFI flash).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_BLOCKDEV_H
#define SYSEMU_BLOCKDEV_H

#include "util/osdep.h"
#include "util/error.h"

typedef enum BlockInterfaceType {
    IF_PFLASH,
} BlockInterfaceType;

typedef struct DriveInfo {
    BlockInterfaceType type;
    int index;
    char *file;
    bool readonly;
    bool locking;                /* QEMU's image locks (file.locking) */
    char *option;                /* how the user gave it ("-pflash f.bin") */
} DriveInfo;

/* "-drive" options; a wrong or unsupported option is an error naming it. */
bool drive_add(const char *opts, Error **errp);
/* "-pflash FILE": the next free pflash index. */
bool drive_add_pflash(const char *file, Error **errp);
/* NULL when the user gave none. */
DriveInfo *drive_get(BlockInterfaceType type, int index);
/* Drives no board took: vl.c reports them as errors after machine init. */
void drive_mark_used(DriveInfo *drive);
DriveInfo *drive_first_unused(void);

#endif
