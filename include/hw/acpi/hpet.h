/*
 * The ACPI description of the HPET (hw/timer/hpet.c) as QEMU 7.2 gives
 * it: the HPET table (IA-PC HPET specification 1.0a, 3.2.4) and the
 * DSDT's \_SB.HPET device.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ACPI_HPET_H
#define HW_ACPI_HPET_H

#include "hw/acpi/aml-build.h"
#include "hw/acpi/table-loader.h"

/* Appends the HPET table to t (in ACPI_TABLES_FILE); returns its
 * offset. */
size_t acpi_build_hpet(TableLoader *l, GByteArray *t);
/* Device (HPET): PNP0103, present when the block answers with a vendor
 * and a period, its registers as the resource. */
Aml *acpi_hpet_device(void);

#endif
