/*
 * ACPI tables for firmware that reads them from fw_cfg (SeaBIOS, OVMF):
 * QEMU's "linker/loader" interface.  The tables are blobs in fw_cfg
 * files ("etc/acpi/tables", "etc/acpi/rsdp"); the file "etc/table-loader"
 * is a list of 128-byte commands telling the firmware to allocate each
 * blob in guest memory, to add a blob's final address to a pointer in
 * another (a table's reference to a table) and to fix a checksum once
 * the pointers are in.  Command layout as QEMU's
 * hw/acpi/bios-linker-loader.c and SeaBIOS's romfile_loader define it.
 *
 * Also the common ACPI table header (ACPI 6.4, 5.2.6) with QEMU's OEM
 * fields, so that guests and tools see the tables as QEMU's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ACPI_TABLE_LOADER_H
#define HW_ACPI_TABLE_LOADER_H

#include "util/osdep.h"

#define ACPI_LOADER_FILE   "etc/table-loader"
#define ACPI_TABLES_FILE   "etc/acpi/tables"
#define ACPI_RSDP_FILE     "etc/acpi/rsdp"

typedef struct TableLoader {
    GByteArray *cmds;
} TableLoader;

TableLoader *table_loader_new(void);
void table_loader_free(TableLoader *l);

/* Allocate file's blob aligned to align bytes, in the F segment below
 * 1 MiB (fseg, where the RSDP must be) or high in RAM. */
void table_loader_allocate(TableLoader *l, const char *file, uint32_t align,
                           bool fseg);
/* Add the address of src_file's blob to the size-byte little-endian
 * value at offset in dest_file's blob (which holds the offset within
 * src_file the pointer is to). */
void table_loader_add_pointer(TableLoader *l, const char *dest_file,
                              uint32_t offset, uint8_t size,
                              const char *src_file);
/* Set the byte at checksum_offset so that [start, start + len) of
 * file's blob sums to 0. */
void table_loader_add_checksum(TableLoader *l, const char *file,
                               uint32_t start, uint32_t len,
                               uint32_t checksum_offset);

/* The header's size and where its checksum byte is. */
#define ACPI_TABLE_HEADER_SIZE 36
#define ACPI_TABLE_CHECKSUM    9

/* Starts a table at the end of blob with QEMU's OEM fields ("BOCHS ",
 * "BXPC    ", creator "BXPC"); returns its offset. */
size_t acpi_table_begin(GByteArray *blob, const char *signature,
                        uint8_t revision);
/* Fills in the length of the table begun at start and has the loader
 * checksum it in file. */
void acpi_table_end(TableLoader *l, const char *file, GByteArray *blob,
                    size_t start);

/* Little-endian integers appended to a blob. */
void acpi_append_le(GByteArray *blob, uint64_t value, unsigned bytes);

#endif
