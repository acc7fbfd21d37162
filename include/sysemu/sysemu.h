/*
 * What boards and devices take from the command line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_SYSEMU_H
#define SYSEMU_SYSEMU_H

#include "chardev/char.h"

#define MAX_SERIAL_PORTS 4

/* The backend of serial port n (-serial, in order), or NULL for none. */
Chardev *serial_hd(int n);

/*
 * Whether QEMU would give the board its default NIC: no -net, -nic or
 * -nodefaults.  emu creates NICs only when -nic or -net nic ask
 * (docs/networking.md): boards ask only to number their devices in the
 * object tree as QEMU does.
 */
bool default_nic_wanted(void);

/* Whether QEMU's board would add its default parallel port and floppy
 * drive (no -nodefaults): emu has neither, and its boards leave their
 * QOM numbers unused. */
bool default_legacy_devices_wanted(void);

/* Whether the board adds its default graphics card (-vga std, the
 * default): not with -vga none, -nodefaults or a -device display card. */
bool default_vga_wanted(void);

/* -boot, checked as QEMU checks it (softmmu/boot-opts.c). */
bool boot_parse_options(const char *opts, Error **errp);

/* What -boot said, for the firmware of the PC. */
typedef struct BootOptions {
    const char *order;           /* drive letters, "cad" by default */
    const char *once;            /* NULL unless once= was given */
    bool has_menu, menu;
    bool has_strict, strict;
    bool has_splash_time, has_reboot_timeout;
    int64_t splash_time;         /* ms */
    int64_t reboot_timeout;      /* ms */
} BootOptions;

const BootOptions *boot_options(void);

#endif
