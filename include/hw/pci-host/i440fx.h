/*
 * The Intel 440FX PCI and memory controller (PMC) of QEMU's "pc"
 * machine: the host bridge owning configuration mechanism #1 (ports
 * 0xcf8/0xcfc) and PCI bus 0, and the PCI function 00.0 whose PAM
 * registers (0x59-0x5f) decide whether 0xc0000-0xfffff reads and writes
 * RAM (the BIOS shadow) or the PCI bus, where the BIOS ROM is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PCI_HOST_I440FX_H
#define HW_PCI_HOST_I440FX_H

#include "hw/pci/pci.h"

#define TYPE_I440FX_PCI_HOST "i440FX-pcihost"
#define TYPE_I440FX_PCI_DEVICE "i440FX"

/*
 * Creates the host bridge (/machine/i440fx) with its bus "pci.0", whose
 * memory space is pci_mem and I/O space the system's, and the 440FX at
 * 00.0 steering 0xc0000-0xfffff of sysmem between ram (the machine's RAM
 * region, mapped 1:1 below 1 MiB) and pci_mem.
 */
PCIBus *i440fx_init(MemoryRegion *sysmem, MemoryRegion *ram,
                    MemoryRegion *pci_mem, Error **errp);

#endif
