/*
 * ACPI PCI hotplug as QEMU 7.2's PIIX4 PM has it (its hw/acpi/pcihp.c
 * and the AML of its hw/i386/acpi-build.c): a register block at I/O
 * 0xae00 through which the DSDT's methods learn which slots of bus 0
 * got a device (up) or are asked to give one back (down), and eject
 * one; the owner raises GPE0 bit 1, whose \_GPE._E01 notifies the
 * slots' devices.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ACPI_PCIHP_H
#define HW_ACPI_PCIHP_H

#include "hw/acpi/aml-build.h"
#include "hw/pci/pci.h"

#define ACPI_PCIHP_IO_BASE 0xae00
#define ACPI_PCIHP_IO_LEN  0x18
/* The GPE0 status bit of a hotplug event. */
#define ACPI_PCIHP_GPE_BIT 1

typedef struct AcpiPciHp AcpiPciHp;

/*
 * Hotplug for bus, the registers mapped for owner; send_event(opaque)
 * raises the GPE when a slot changes.  Makes bus hotpluggable.
 */
AcpiPciHp *acpi_pcihp_new(DeviceState *owner, PCIBus *bus,
                          void (*send_event)(void *opaque), void *opaque,
                          Error **errp);
void acpi_pcihp_free(AcpiPciHp *s);
/* At machine reset: the unplugs the guest did not finish are done now,
 * as on QEMU. */
void acpi_pcihp_reset(AcpiPciHp *s);

/* ---- the DSDT's part, byte for byte QEMU 7.2's ---- */

/* In \_SB.PCI0: the registers' fields, BLCK, PCEJ, AIDX, PDSM. */
void acpi_pcihp_build_methods(Aml *pci0);
/* Device (Sxx) of slot: _ADR, ASUN, _DSM, and for a hotpluggable slot
 * _SUN and _EJ0; the caller appends what its device adds. */
Aml *acpi_pcihp_slot_device(unsigned slot, bool hotpluggable);
/* DVNT and PCNT, notifying the slots set in hotpluggable_slots. */
void acpi_pcihp_build_notify(Aml *pci0, uint32_t hotpluggable_slots);
/* Device (PHPR): the registers' ports, so the OS leaves them alone. */
Aml *acpi_pcihp_resources(void);
/* Method (_E01) for Scope (\_GPE). */
Aml *acpi_pcihp_gpe_method(void);

#endif
