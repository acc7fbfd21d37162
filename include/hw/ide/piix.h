/*
 * The PIIX3 IDE PCI function (hw/ide/piix.c): gpio out 0 and 1 are the
 * channels' interrupts (ISA IRQ 14 and 15 on the PC).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_IDE_PIIX_H
#define HW_IDE_PIIX_H

#include "hw/pci/pci.h"

#define TYPE_PIIX3_IDE "piix3-ide"
/* Its channels' buses are "ide.0" and "ide.1" (TYPE_IDE_BUS). */

#endif
