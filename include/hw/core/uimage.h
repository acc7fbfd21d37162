/*
 * U-Boot legacy images (uImage, as mkimage writes them): a 64-byte
 * big-endian header (magic 0x27051956, load address, entry point, OS,
 * type, compression) before the payload.  What QEMU's loader takes for
 * -kernel: a kernel (at its load address) or a "kernel_noload" (placed
 * by the board, entry relative to it), uncompressed or gzip.  As QEMU,
 * the CRCs and the architecture field are not checked.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_CORE_UIMAGE_H
#define HW_CORE_UIMAGE_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct UImage {
    uint32_t load;               /* where the payload goes */
    uint32_t entry;
    bool noload;                 /* load and entry: offsets from the
                                  * board's address for such images */
    bool is_linux;               /* OS Linux: booted with the Linux stub */
    char name[33];
    uint8_t *data;               /* the payload, uncompressed (g_free) */
    size_t size;
} UImage;

/* Whether buf starts with the uImage magic. */
bool uimage_is_uimage(const uint8_t *buf, size_t len);
/*
 * Reads the kernel uImage in buf; errors (truncated, another image
 * type, a compression other than none and gzip, a corrupt gzip stream)
 * name path.
 */
bool uimage_parse(UImage *img, const char *path, const uint8_t *buf,
                  size_t len, Error **errp);

#endif
