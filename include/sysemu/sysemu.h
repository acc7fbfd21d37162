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

/* -boot, checked as QEMU checks it (softmmu/boot-opts.c). */
bool boot_parse_options(const char *opts, Error **errp);

#endif
