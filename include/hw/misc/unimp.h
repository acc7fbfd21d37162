/*
 * An unimplemented device: a named window of MMIO that reads as zero,
 * ignores writes and logs every access under "-d unimp", so firmware
 * touching a device emu does not model yet is seen, not silently fed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_UNIMP_H
#define HW_MISC_UNIMP_H

#include "hw/sysbus.h"

#define TYPE_UNIMPLEMENTED_DEVICE "unimplemented-device"

/* Creates one and maps it at base with priority -1000, so that real
 * devices placed over it win (boards cover a whole peripheral window).
 * It is filed in the object tree as parent's child "name", or under
 * /machine/unattached as QEMU's are when parent is NULL. */
DeviceState *create_unimplemented_device(Object *parent, const char *name,
                                         hwaddr base, uint64_t size);

#endif
