/*
 * The HPET's ACPI table and DSDT device, byte for byte QEMU 7.2's
 * (build_hpet and build_hpet_aml of its hw/i386/acpi-build.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/acpi/hpet.h"
#include "hw/timer/hpet.h"

#define GAS_SYSTEM_MEMORY 0
/* _STA refuses a period longer than 100 ns (in femtoseconds). */
#define HPET_MAX_PERIOD_FS 100000000

size_t acpi_build_hpet(TableLoader *l, GByteArray *t)
{
    size_t start = acpi_table_begin(t, "HPET", 1);

    /* Event Timer Block ID: the capabilities register's low half. */
    acpi_append_le(t, HPET_ID_QEMU, 4);
    /* Base address: a Generic Address Structure in system memory, its
     * widths left 0 as QEMU leaves them. */
    acpi_append_le(t, GAS_SYSTEM_MEMORY, 1);
    acpi_append_le(t, 0, 1);
    acpi_append_le(t, 0, 1);
    acpi_append_le(t, 0, 1);
    acpi_append_le(t, HPET_BASE, 8);
    acpi_append_le(t, 0, 1);             /* HPET number */
    acpi_append_le(t, 0, 2);             /* minimum periodic tick */
    acpi_append_le(t, 0, 1);             /* page protection */
    acpi_table_end(l, ACPI_TABLES_FILE, t, start);
    return start;
}

Aml *acpi_hpet_device(void)
{
    Aml *dev = aml_device("HPET");
    Aml *field, *sta, *check, *crs;

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0103")));
    aml_append(dev, aml_name_decl("_UID", aml_int(0)));
    aml_append(dev, aml_operation_region("HPTM", AML_SYSTEM_MEMORY,
                                         HPET_BASE, HPET_LEN));
    field = aml_field_lock("HPTM", AML_DWORD_ACC, AML_PRESERVE);
    aml_append(field, aml_named_field("VEND", 32));
    aml_append(field, aml_named_field("PRD", 32));
    aml_append(dev, field);

    /* Absent if the vendor ID reads 0 or all ones, or the period 0 or
     * beyond what the specification allows. */
    sta = aml_method("_STA", 0, false);
    aml_append(sta, aml_store(aml_name("VEND"), aml_local(0)));
    aml_append(sta, aml_store(aml_name("PRD"), aml_local(1)));
    aml_append(sta, aml_shiftright(aml_local(0), aml_int(16), aml_local(0)));
    check = aml_if(aml_lor(aml_equal(aml_local(0), aml_int(0)),
                           aml_equal(aml_local(0), aml_int(0xffff))));
    aml_append(check, aml_return(aml_int(0)));
    aml_append(sta, check);
    check = aml_if(aml_lor(aml_equal(aml_local(1), aml_int(0)),
                           aml_lgreater(aml_local(1),
                                        aml_int(HPET_MAX_PERIOD_FS))));
    aml_append(check, aml_return(aml_int(0)));
    aml_append(sta, check);
    aml_append(sta, aml_return(aml_int(0x0f)));
    aml_append(dev, sta);

    crs = aml_resource_template();
    aml_append(crs, aml_memory32_fixed(HPET_BASE, HPET_LEN, false));
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}
