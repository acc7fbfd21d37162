/*
 * The PC's ACPI tables, handed to SeaBIOS through fw_cfg's table loader
 * as QEMU's pc machine hands them (hw/i386/pc-acpi.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_PC_ACPI_H
#define HW_I386_PC_ACPI_H

#include "hw/i386/x86-boot.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/pci.h"

#define PC_ACPI_MAX_SERIALS 4

/* What the tables describe. */
typedef struct PCAcpiConfig {
    unsigned smp_cpus;           /* CPUs present: the first smp_cpus */
    unsigned max_cpus;
    unsigned cores, threads;     /* per package and core: the APIC IDs */
    X86RamLayout ram;
    PCIDevice *pm;               /* the PIIX4 PM: its PM I/O base */
    unsigned sci_irq;
    bool irq0_override;          /* ISA IRQ 0 is IOAPIC input 2 */
    bool hpet;                   /* the HPET at 0xfed00000 */
    unsigned nr_serials;
    struct {
        uint16_t iobase;
        uint8_t irq;
    } serials[PC_ACPI_MAX_SERIALS];
} PCAcpiConfig;

typedef struct PCAcpi PCAcpi;

/*
 * Adds "etc/acpi/tables", "etc/acpi/rsdp" and "etc/table-loader" to
 * fw_cfg: RSDP, RSDT, FADT, FACS, MADT, DSDT, HPET (with one) and
 * WAET.  They are built
 * again when the firmware first selects one of them after a reset, so
 * they name the PM I/O base it programmed.  cfg is copied.
 */
PCAcpi *pc_acpi_init(FWCfgState *fw_cfg, const PCAcpiConfig *cfg);
/* At machine reset: the next read builds the tables again. */
void pc_acpi_reset(PCAcpi *acpi);

/* The tables, for the unit tests: the three blobs as fw_cfg gets them
 * (each a new GByteArray), for PM I/O base pm_base. */
void pc_acpi_build(const PCAcpiConfig *cfg, uint16_t pm_base,
                   GByteArray **tables, GByteArray **rsdp,
                   GByteArray **loader);

#endif
