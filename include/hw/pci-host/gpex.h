/*
 * The generic PCI Express host bridge (QEMU's "gpex-pcihost"), the PCI
 * host of the ARM virt board: a host that exists only in emulators and
 * that Linux's pci-host-ecam-generic driver (and U-Boot's
 * pcie_ecam_generic) drive from the device tree alone.
 *
 * Sysbus regions, for the board to place (QEMU's order):
 *   0  ECAM ("pcie-mmcfg-mmio", 256 MiB): bus << 20 | devfn << 12 | reg;
 *   1  the memory window ("gpex_mmio_window", 2^64): the bus's memory
 *      space, where BARs go; the board aliases the parts it decodes;
 *   2  the I/O window ("gpex_ioport_window", 64 KiB): the bus's I/O space.
 * In both windows an address no BAR claims reads as all ones and
 * ignores writes, as on a PC (QEMU's allow-unmapped-accesses=on).
 * Four interrupt outputs, INTA-INTD of slot 0 after the standard swizzle
 * ((slot + pin) % 4).  The bus is "pcie.0"; function 00.0 is the host
 * bridge itself ("gpex-root", 1b36:0008).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PCI_HOST_GPEX_H
#define HW_PCI_HOST_GPEX_H

#include "hw/pci/pci.h"

#define TYPE_GPEX_HOST "gpex-pcihost"
#define TYPE_GPEX_ROOT_DEVICE "gpex-root"

#define GPEX_NUM_IRQS 4
/* ECAM for all 256 buses: 1 MiB a bus. */
#define GPEX_ECAM_SIZE (256 * 1024 * 1024)

/* The host's bus (NULL before it is realized). */
PCIBus *gpex_host_bus(DeviceState *host);

#endif
