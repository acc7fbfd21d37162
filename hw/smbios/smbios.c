/*
 * SMBIOS tables (see include/hw/smbios/smbios.h).  The fields and the
 * numbers are QEMU 7.2's, as its PC's firmware installs them (dumped by
 * tests/guests/pc/acpi-dump.S); the layouts are DSP0134 3.x's for the
 * structure types of version 2.8.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hw/smbios/smbios.h"

/* Each type's handles start at its number times 0x100, as QEMU's. */
#define HANDLE(type, index) ((type) * 0x100 + (index))
#define MEMORY_ARRAY_HANDLE HANDLE(16, 0)
#define NO_ERROR_INFO 0xfffe
#define NO_CACHE 0xffff
#define DIMM_MAX (16ULL << 30)    /* QEMU's largest DIMM per type 17 */
#define CPU_SPEED_MHZ 2000

/* The structure table being written, and the structure being added. */
typedef struct Table {
    GByteArray *out;
    unsigned count;              /* structures finished */
    unsigned largest;            /* the largest one's size */
    guint start;                 /* where the current one began */
    unsigned strings;            /* its string numbers handed out */
    GString *text;               /* its strings, each NUL-ended */
} Table;

static void put(GByteArray *out, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        uint8_t b = value >> (8 * i);

        g_byte_array_append(out, &b, 1);
    }
}

static void table_begin(Table *t, uint8_t type, uint16_t handle)
{
    t->start = t->out->len;
    t->strings = 0;
    t->text = g_string_new(NULL);
    put(t->out, type, 1);
    put(t->out, 0, 1);           /* the formatted length, at the end */
    put(t->out, handle, 2);
}

/* A string field: its number, or 0 for none. */
static void table_string(Table *t, const char *s)
{
    if (!s || !*s) {
        put(t->out, 0, 1);
        return;
    }
    g_string_append(t->text, s);
    g_string_append_c(t->text, '\0');
    put(t->out, ++t->strings, 1);
}

/* The formatted part's length, then the strings and the closing NUL
 * (two NULs with no string). */
static void table_end(Table *t)
{
    t->out->data[t->start + 1] = t->out->len - t->start;
    if (!t->text->len) {
        g_string_append_c(t->text, '\0');
    }
    g_string_append_c(t->text, '\0');
    g_byte_array_append(t->out, (const guint8 *)t->text->str, t->text->len);
    g_string_free(t->text, TRUE);
    t->count++;
    t->largest = MAX(t->largest, t->out->len - t->start);
}

static void build_system(Table *t, const SMBiosConfig *cfg)
{
    table_begin(t, 1, HANDLE(1, 0));
    table_string(t, cfg->manufacturer);
    table_string(t, cfg->product);
    table_string(t, cfg->version);
    table_string(t, NULL);       /* serial number */
    put(t->out, 0, 8);           /* UUID: -uuid is not given */
    put(t->out, 0, 8);
    put(t->out, 6, 1);           /* woken by the power switch */
    table_string(t, NULL);       /* SKU */
    table_string(t, NULL);       /* family */
    table_end(t);
}

static void build_chassis(Table *t, const SMBiosConfig *cfg)
{
    table_begin(t, 3, HANDLE(3, 0));
    table_string(t, cfg->manufacturer);
    put(t->out, 1, 1);           /* type: other */
    table_string(t, cfg->version);
    table_string(t, NULL);       /* serial number */
    table_string(t, NULL);       /* asset tag */
    put(t->out, 3, 1);           /* boot-up state: safe */
    put(t->out, 3, 1);           /* power supply state: safe */
    put(t->out, 3, 1);           /* thermal state: safe */
    put(t->out, 2, 1);           /* security status: unknown */
    put(t->out, 0, 4);           /* OEM-defined */
    put(t->out, 0, 1);           /* height */
    put(t->out, 0, 1);           /* power cords */
    put(t->out, 0, 1);           /* contained elements: none */
    put(t->out, 0, 1);           /* their record length */
    table_string(t, NULL);       /* SKU */
    table_end(t);
}

static void build_processor(Table *t, const SMBiosConfig *cfg,
                            unsigned socket)
{
    g_autofree char *name = g_strdup_printf("CPU %u", socket);
    unsigned threads = cfg->cores * cfg->threads;

    table_begin(t, 4, HANDLE(4, socket));
    table_string(t, name);
    put(t->out, 3, 1);           /* central processor */
    put(t->out, 1, 1);           /* family: other */
    table_string(t, cfg->manufacturer);
    put(t->out, cfg->cpuid_signature, 4);
    put(t->out, cfg->cpuid_features, 4);
    table_string(t, cfg->version);
    put(t->out, 0, 1);           /* voltage */
    put(t->out, 0, 2);           /* external clock: unknown */
    put(t->out, CPU_SPEED_MHZ, 2);    /* maximum speed */
    put(t->out, CPU_SPEED_MHZ, 2);    /* current speed */
    put(t->out, 0x41, 1);        /* socket populated, CPU enabled */
    put(t->out, 1, 1);           /* upgrade: other */
    put(t->out, NO_CACHE, 2);    /* L1, L2, L3 cache handles */
    put(t->out, NO_CACHE, 2);
    put(t->out, NO_CACHE, 2);
    table_string(t, NULL);       /* serial number */
    table_string(t, NULL);       /* asset tag */
    table_string(t, NULL);       /* part number */
    put(t->out, MIN(cfg->cores, 0xff), 1);     /* core count */
    put(t->out, MIN(cfg->cores, 0xff), 1);     /* cores enabled */
    put(t->out, MIN(threads, 0xff), 1);        /* thread count */
    put(t->out, 2, 2);           /* characteristics: unknown */
    put(t->out, 1, 2);           /* family 2: other */
    table_end(t);
}

static void build_memory_array(Table *t, const SMBiosConfig *cfg,
                               unsigned dimms)
{
    table_begin(t, 16, MEMORY_ARRAY_HANDLE);
    put(t->out, 1, 1);           /* location: other */
    put(t->out, 3, 1);           /* use: system memory */
    put(t->out, 6, 1);           /* error correction: multi-bit ECC */
    put(t->out, cfg->ram_size >> 10, 4);       /* maximum capacity, KiB */
    put(t->out, NO_ERROR_INFO, 2);
    put(t->out, dimms, 2);
    put(t->out, 0, 8);           /* extended maximum capacity */
    table_end(t);
}

static void build_dimm(Table *t, const SMBiosConfig *cfg, unsigned index,
                       uint64_t size)
{
    g_autofree char *locator = g_strdup_printf("DIMM %u", index);

    table_begin(t, 17, HANDLE(17, index));
    put(t->out, MEMORY_ARRAY_HANDLE, 2);
    put(t->out, NO_ERROR_INFO, 2);
    put(t->out, 0xffff, 2);      /* total width: unknown */
    put(t->out, 0xffff, 2);      /* data width: unknown */
    put(t->out, size >> 20, 2);  /* MiB */
    put(t->out, 9, 1);           /* form factor: DIMM */
    put(t->out, 0, 1);           /* device set */
    table_string(t, locator);
    table_string(t, NULL);       /* bank locator */
    put(t->out, 7, 1);           /* memory type: RAM */
    put(t->out, 2, 2);           /* type detail: other */
    put(t->out, 0, 2);           /* speed: unknown */
    table_string(t, cfg->manufacturer);
    table_string(t, NULL);       /* serial number */
    table_string(t, NULL);       /* asset tag */
    table_string(t, NULL);       /* part number */
    put(t->out, 0, 1);           /* attributes */
    put(t->out, 0, 4);           /* extended size */
    put(t->out, 0, 2);           /* configured speed */
    put(t->out, 0, 2);           /* minimum, maximum and configured */
    put(t->out, 0, 2);           /* voltage */
    put(t->out, 0, 2);
    table_end(t);
}

static void build_mapped_range(Table *t, unsigned index, uint64_t start,
                               uint64_t size)
{
    table_begin(t, 19, HANDLE(19, index));
    put(t->out, start >> 10, 4);                   /* KiB */
    put(t->out, (start + size - 1) >> 10, 4);
    put(t->out, MEMORY_ARRAY_HANDLE, 2);
    put(t->out, 1, 1);           /* partition width */
    put(t->out, 0, 8);           /* extended start and end */
    put(t->out, 0, 8);
    table_end(t);
}

static void build_boot_status(Table *t)
{
    table_begin(t, 32, HANDLE(32, 0));
    put(t->out, 0, 6);           /* reserved */
    put(t->out, 0, 1);           /* no errors detected */
    table_end(t);
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--) {
        sum += *p++;
    }
    return -sum;
}

/* The 2.1 entry point: the firmware fills in the table's address. */
static GByteArray *build_anchor(unsigned length, unsigned count,
                                unsigned largest)
{
    GByteArray *a = g_byte_array_new();

    g_byte_array_append(a, (const guint8 *)"_SM_", 4);
    put(a, 0, 1);                /* checksum */
    put(a, 0x1f, 1);             /* entry point length */
    put(a, 2, 1);                /* version 2.8 */
    put(a, 8, 1);
    put(a, largest, 2);
    put(a, 0, 1);                /* entry point revision */
    put(a, 0, 5);                /* formatted area */
    g_byte_array_append(a, (const guint8 *)"_DMI_", 5);
    put(a, 0, 1);                /* intermediate checksum */
    put(a, length, 2);
    put(a, 0, 4);                /* the table's address */
    put(a, count, 2);
    put(a, 0x28, 1);             /* BCD revision 2.8 */
    a->data[0x15] = checksum(a->data + 0x10, 0x0f);
    a->data[4] = checksum(a->data, 0x1f);
    return a;
}

void smbios_build(const SMBiosConfig *cfg, GByteArray **tables,
                  GByteArray **anchor)
{
    unsigned dimms = (cfg->ram_size + DIMM_MAX - 1) / DIMM_MAX;
    Table t = { .out = g_byte_array_new() };

    build_system(&t, cfg);
    build_chassis(&t, cfg);
    for (unsigned i = 0; i < cfg->sockets; i++) {
        build_processor(&t, cfg, i);
    }
    build_memory_array(&t, cfg, dimms);
    for (unsigned i = 0; i < dimms; i++) {
        build_dimm(&t, cfg, i, MIN(DIMM_MAX, cfg->ram_size - i * DIMM_MAX));
    }
    for (unsigned i = 0; i < cfg->nr_ram; i++) {
        build_mapped_range(&t, i, cfg->ram[i].start, cfg->ram[i].size);
    }
    build_boot_status(&t);
    table_begin(&t, 127, HANDLE(127, 0));      /* end of table */
    table_end(&t);
    *tables = t.out;
    *anchor = build_anchor(t.out->len, t.count, t.largest);
}
