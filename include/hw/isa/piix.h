/*
 * Functions of the Intel PIIX3 (82371SB) and the PIIX4 (82371AB) power
 * management function QEMU's "pc" machine puts beside it:
 *   "PIIX3"     00:01.0, the PCI-to-ISA bridge: routes the four PCI
 *               interrupts (PIRQA-D, registers 0x60-0x63) to ISA IRQs
 *               (gpio out 0-15, the board wires them to the 8259s),
 *               owns the reset control register at port 0xcf9 and the
 *               ISA bus "isa.0" (type "ISA") the board's ISA devices
 *               sit on;
 *   "PIIX4_PM"  00:01.3, the ACPI power management registers at the
 *               I/O base the guest programs (PMBA, 0x40): PM1 event and
 *               control (S5 soft-off ends emu) and the 3.579545 MHz PM
 *               timer; the SCI (gpio out 0, ISA IRQ 9 on the PC), the
 *               power button (system_powerdown), the APM ports
 *               0xb2/0xb3 and QEMU's GPE0 block at PIIX4_GPE0_BLK.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ISA_PIIX_H
#define HW_ISA_PIIX_H

#include "hw/pci/pci.h"
#include "hw/misc/isa-ports.h"

#define TYPE_PIIX3_PCI_DEVICE "PIIX3"
#define TYPE_PIIX4_PM "PIIX4_PM"

#define PIIX_NUM_PIRQS 4
#define ISA_NUM_IRQS 16

/* Where QEMU's PIIX4 PM puts its GPE0 block (4 bytes). */
#define PIIX4_GPE0_BLK 0xafe0
#define PIIX4_GPE0_LEN 4

/* At machine reset, once the buses are reset: the PCI unplugs the
 * guest did not finish are done (hw/acpi/pcihp.c). */
void piix4_pm_reset_hotplug(PCIDevice *dev);

/* The PIIX3's ISA bus. */
BusState *piix3_isa_bus(PCIDevice *piix3);

/* The PM I/O base the guest programmed in PMBA (0 before it did). */
uint16_t piix4_pm_io_base(PCIDevice *dev);

#endif
