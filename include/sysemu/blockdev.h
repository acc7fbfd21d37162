/*
 * Drives given on the command line: -drive, -hda..-hdd, -cdrom, -pflash
 * (and -snapshot, which makes snapshot=on every drive's default).
 *
 * Each drive has an interface (if=), a bus and a unit on it (from index=
 * or bus=/unit=, numbered as QEMU numbers them) and a name ("ide0-hd0",
 * "none0", or id=).  A drive is opened when
 * it is given: its image is in drive->blk (block/block-backend.h), an
 * empty backend for a drive with no medium.  Boards pick drives up by
 * interface and index (drive_get), attach them to their devices and mark
 * them used; after the machine is built, a drive no board took is an
 * error (if=none drives are for -device and stay).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_BLOCKDEV_H
#define SYSEMU_BLOCKDEV_H

#include "util/osdep.h"
#include "util/error.h"
#include "block/block-backend.h"

/* QEMU's order (its numbering is visible nowhere, its names are). */
typedef enum BlockInterfaceType {
    IF_NONE,
    IF_IDE,
    IF_SCSI,
    IF_FLOPPY,
    IF_PFLASH,
    IF_MTD,
    IF_SD,
    IF_VIRTIO,
    IF_COUNT
} BlockInterfaceType;

typedef struct DriveInfo {
    BlockInterfaceType type;
    int bus, unit;
    int index;                   /* bus * units per bus + unit */
    bool cdrom;                  /* media=cdrom */
    char *id;                    /* the backend's name */
    BlockBackend *blk;
    char *file;                  /* as given, for messages; NULL: none */
    char *option;                /* how the user gave it ("-pflash f.bin") */
} DriveInfo;

/*
 * The machine's default interface for -hda and -cdrom and its units per
 * bus (QEMU's block_default_type and units_per_default_bus); IF_NONE
 * and 0 unless the board sets them before drives are added.
 */
void drive_set_machine_defaults(BlockInterfaceType type, int units_per_bus);
/* -snapshot: drives default to snapshot=on. */
void drive_set_default_snapshot(bool snapshot);

/* "-drive" options; a wrong or unsupported option is an error naming it. */
bool drive_add(const char *opts, Error **errp);
/* "-hda FILE" (index 0) .. "-hdd FILE" (3). */
bool drive_add_hd(int index, const char *file, Error **errp);
/* "-cdrom FILE": index 2, media=cdrom. */
bool drive_add_cdrom(const char *file, Error **errp);
/* "-pflash FILE": the next free pflash index. */
bool drive_add_pflash(const char *file, Error **errp);
/* NULL when the user gave none. */
DriveInfo *drive_get(BlockInterfaceType type, int index);
/* Drives no board took: vl.c reports them as errors after machine init. */
void drive_mark_used(DriveInfo *drive);
/* The first drive of an interface other than none that no board took. */
DriveInfo *drive_first_unused(void);
/* The first drive of interface type that no board took, in command-line
 * order. */
DriveInfo *drive_first_unused_of(BlockInterfaceType type);
/* "ide", "virtio", ... */
const char *drive_interface_name(BlockInterfaceType type);
/* QEMU's error for a size option ("offset", "size") it cannot read. */
void block_size_option_error(Error **errp, const char *key);
/* "-blockdev driver=qcow2,node-name=N,file.filename=F" or its JSON form:
 * a node devices take by name (block/blockdev-node.c). */
bool blockdev_add(const char *text, Error **errp);
void blockdev_cleanup_all(void);
/* Every drive's image closed (flushed), at exit. */
void drive_cleanup_all(void);

#endif
