/*
 * QEMU's linker/loader commands and the ACPI table header (see
 * include/hw/acpi/table-loader.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/acpi/table-loader.h"
#include "hw/nvram/fw_cfg.h"

#define LOADER_CMD_SIZE        128
#define LOADER_FILESZ          FW_CFG_MAX_FILE_PATH

#define LOADER_ALLOCATE        1
#define LOADER_ADD_POINTER     2
#define LOADER_ADD_CHECKSUM    3

#define LOADER_ZONE_HIGH       1
#define LOADER_ZONE_FSEG       2

TableLoader *table_loader_new(void)
{
    TableLoader *l = g_new0(TableLoader, 1);

    l->cmds = g_byte_array_new();
    return l;
}

void table_loader_free(TableLoader *l)
{
    if (l) {
        g_byte_array_unref(l->cmds);
        g_free(l);
    }
}

void acpi_append_le(GByteArray *blob, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        uint8_t b = value >> (8 * i);

        g_byte_array_append(blob, &b, 1);
    }
}

/* A command: its type, then its fields, zero-padded to 128 bytes. */
static uint8_t *loader_cmd(TableLoader *l, uint32_t type)
{
    size_t at = l->cmds->len;

    g_byte_array_set_size(l->cmds, at + LOADER_CMD_SIZE);
    memset(l->cmds->data + at, 0, LOADER_CMD_SIZE);
    type = GUINT32_TO_LE(type);
    memcpy(l->cmds->data + at, &type, 4);
    return l->cmds->data + at + 4;
}

static void put_file(uint8_t *p, const char *file)
{
    g_assert(strlen(file) < LOADER_FILESZ);
    strncpy((char *)p, file, LOADER_FILESZ);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

void table_loader_allocate(TableLoader *l, const char *file, uint32_t align,
                           bool fseg)
{
    uint8_t *p = loader_cmd(l, LOADER_ALLOCATE);

    put_file(p, file);
    put_le32(p + LOADER_FILESZ, align);
    p[LOADER_FILESZ + 4] = fseg ? LOADER_ZONE_FSEG : LOADER_ZONE_HIGH;
}

void table_loader_add_pointer(TableLoader *l, const char *dest_file,
                              uint32_t offset, uint8_t size,
                              const char *src_file)
{
    uint8_t *p = loader_cmd(l, LOADER_ADD_POINTER);

    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    put_file(p, dest_file);
    put_file(p + LOADER_FILESZ, src_file);
    put_le32(p + 2 * LOADER_FILESZ, offset);
    p[2 * LOADER_FILESZ + 4] = size;
}

void table_loader_add_checksum(TableLoader *l, const char *file,
                               uint32_t start, uint32_t len,
                               uint32_t checksum_offset)
{
    uint8_t *p = loader_cmd(l, LOADER_ADD_CHECKSUM);

    put_file(p, file);
    put_le32(p + LOADER_FILESZ, checksum_offset);
    put_le32(p + LOADER_FILESZ + 4, start);
    put_le32(p + LOADER_FILESZ + 8, len);
}

size_t acpi_table_begin(GByteArray *blob, const char *signature,
                        uint8_t revision)
{
    size_t start = blob->len;

    g_assert(strlen(signature) == 4);
    g_byte_array_append(blob, (const uint8_t *)signature, 4);
    acpi_append_le(blob, 0, 4);                 /* length, at the end */
    acpi_append_le(blob, revision, 1);
    acpi_append_le(blob, 0, 1);                 /* checksum, by the loader */
    g_byte_array_append(blob, (const uint8_t *)"BOCHS ", 6);
    g_byte_array_append(blob, (const uint8_t *)"BXPC    ", 8);
    acpi_append_le(blob, 1, 4);                 /* OEM revision */
    g_byte_array_append(blob, (const uint8_t *)"BXPC", 4);
    acpi_append_le(blob, 1, 4);                 /* creator revision */
    return start;
}

void acpi_table_end(TableLoader *l, const char *file, GByteArray *blob,
                    size_t start)
{
    uint32_t len = GUINT32_TO_LE(blob->len - start);

    memcpy(blob->data + start + 4, &len, 4);
    table_loader_add_checksum(l, file, start, blob->len - start,
                              start + ACPI_TABLE_CHECKSUM);
}
