/*
 * The GICv2m MSI frame (ARM Server Base System Architecture, appendix E;
 * QEMU's "arm-gicv2m"): turns a PCI function's message write into an
 * edge on one of a range of GIC SPIs.  One 4 KiB MMIO region; "num-spi"
 * interrupt outputs, output n for SPI "base-spi" + n.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_ARM_GICV2M_H
#define HW_INTC_ARM_GICV2M_H

#define TYPE_ARM_GICV2M "arm-gicv2m"

/* The most SPIs one frame serves (its MSI_TYPER field is 10 bits, QEMU
 * caps it at 128). */
#define GICV2M_NUM_SPI_MAX 128

#endif
