/*
 * MSI-X (PCI Local Bus Specification 3.0, 6.8.2): a function's
 * interrupts as memory writes it makes on the bus, one message (address,
 * data, mask bit) per vector in a table the driver programs through a
 * memory BAR, with a pending-bit array (PBA) for messages held back by a
 * mask.  The capability in configuration space says where both are and
 * holds the enable and function-mask bits.
 *
 * emu builds it as QEMU 7.2's msix_init_exclusive_bar does, so that the
 * guest sees the same capability and BAR: a 4 KiB BAR (larger only past
 * 128 vectors) with the table at 0 and the PBA in the upper half.  On the
 * PC the messages reach the local APICs through the 0xfee00000 window
 * (hw/intc/apic.c, or kvm's in-kernel APICs through x86-irqchip.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PCI_MSIX_H
#define HW_PCI_MSIX_H

#include "hw/pci/pci.h"

/* At most 2048 vectors: the capability's table size field is 11 bits. */
#define MSIX_MAX_VECTORS 2048

/*
 * nentries vectors (1..MSIX_MAX_VECTORS) in a memory BAR of their own,
 * BAR bar_nr, named "<type>-msix" as QEMU names it; the capability goes
 * at the head of the list.  Called from a function's realize; errp says
 * why a count is refused.
 */
bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nentries, int bar_nr,
                             Error **errp);
/* Frees what msix_init_exclusive_bar made (a function's exit). */
void msix_uninit_exclusive_bar(PCIDevice *dev);

/* Whether the function has MSI-X and the driver enabled it. */
bool msix_enabled(PCIDevice *dev);
/* Whether the function has vector n. */
bool msix_vector_exists(PCIDevice *dev, unsigned vector);
/* Sends vector's message, or marks it pending while it is masked. */
void msix_notify(PCIDevice *dev, unsigned vector);

/* ---- for the PCI core ---- */

/* A configuration write touched [addr, addr + len): enable or function
 * mask changes release pending messages. */
void msix_write_config(PCIDevice *dev, uint32_t addr, int len);
/* Disabled, every vector masked, nothing pending. */
void msix_reset(PCIDevice *dev);

#endif
