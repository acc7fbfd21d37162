/*
 * Loading the files boards take (-bios, -kernel, -initrd, -dtb).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_LOADER_H
#define HW_LOADER_H

#include "util/osdep.h"
#include "util/error.h"

/* Reads a whole regular file (what: "kernel", "initrd", "PC BIOS" for
 * the messages) into a new buffer (g_free it). */
bool load_file(const char *what, const char *filename, uint8_t **data,
               size_t *size, Error **errp);

#endif
