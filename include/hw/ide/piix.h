/*
 * The PIIX3 IDE PCI function (hw/ide/piix.c): gpio out 0 and 1 are the
 * channels' interrupts (ISA IRQ 14 and 15 on the PC).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_IDE_PIIX_H
#define HW_IDE_PIIX_H

#include "hw/pci/pci.h"
#include "block/block-backend.h"

#define TYPE_PIIX3_IDE "piix3-ide"
/* Its channels' buses, "ide.0" and "ide.1", in info qtree. */
#define TYPE_IDE_BUS "IDE"

/* Puts a drive at index (channel * 2 + unit): a disk, a CD-ROM (cd), or
 * none (blk NULL).  Every index is set up once, before reset. */
bool piix3_ide_attach(PCIDevice *dev, int index, BlockBackend *blk, bool cd,
                      Error **errp);

#endif
