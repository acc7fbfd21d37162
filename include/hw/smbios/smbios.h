/*
 * SMBIOS tables (DMTF DSP0134) as QEMU 7.2 hands them to the firmware
 * through fw_cfg: system (type 1), chassis (3), a processor per socket
 * (4), the memory array (16), its DIMMs of up to 16 GiB (17), a
 * mapped-address range per RAM region given (19), boot status (32) and
 * the end marker (127), and the entry point the firmware completes with
 * the tables' address and its own BIOS information (type 0); the OEM
 * strings (11) when -smbios gives some.  The PC's are SMBIOS 2.8 with
 * the 2.1 entry point ("_SM_", for SeaBIOS), the ARM virt board's 3.0
 * with the 64-bit one ("_SM3_", for EDK2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_SMBIOS_SMBIOS_H
#define HW_SMBIOS_SMBIOS_H

#include "util/osdep.h"
#include "util/error.h"

#define SMBIOS_MAX_RAM_REGIONS 2

typedef struct SMBiosConfig {
    const char *manufacturer;    /* "QEMU" */
    const char *product;         /* the machine's description */
    const char *version;         /* QEMU's versioned machine name */
    uint32_t cpuid_signature;    /* CPUID.1:EAX of the boot CPU */
    uint32_t cpuid_features;     /* CPUID.1:EDX of its model */
    unsigned sockets, cores, threads;
    uint64_t ram_size;
    struct {
        uint64_t start, size;
    } ram[SMBIOS_MAX_RAM_REGIONS];  /* RAM as the e820 map has it */
    unsigned nr_ram;             /* 0: no type 19 */
    bool smbios3;                /* 3.0: the 64-bit entry point */
    uint8_t uuid[16];            /* -uuid, in its text's byte order */
} SMBiosConfig;

/*
 * -smbios type=1|3|11,...: what the user sets of the system (type 1:
 * manufacturer, product, version, serial, uuid, sku, family), the chassis
 * (type 3: manufacturer, version, serial, asset, sku) and OEM strings
 * (type 11: value=TEXT and path=FILE, repeatable), kept for smbios_build;
 * several options add up, as QEMU's.  QEMU's errors for bad input.
 */
bool smbios_parse_option(const char *text, Error **errp);

/*
 * The structure table and the entry point for cfg: two new byte arrays,
 * for fw_cfg's "etc/smbios/smbios-tables" and "etc/smbios/smbios-anchor".
 */
void smbios_build(const SMBiosConfig *cfg, GByteArray **tables,
                  GByteArray **anchor);

#endif
