/*
 * SMBIOS tables (see include/hw/smbios/smbios.h).  The fields and the
 * numbers are QEMU 7.2's, as its PC's firmware installs them (dumped by
 * tests/guests/pc/acpi-dump.S); the layouts are DSP0134 3.x's for the
 * structure types of version 2.8.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hw/smbios/smbios.h"
#include "sysemu/process.h"
#include "util/keyval.h"
#include "util/bswap.h"
#include "util/cutils.h"

/* Each type's handles start at its number times 0x100, as QEMU's. */
#define HANDLE(type, index) ((type) * 0x100 + (index))
#define MEMORY_ARRAY_HANDLE HANDLE(16, 0)
#define NO_ERROR_INFO 0xfffe
#define NO_CACHE 0xffff
#define DIMM_MAX (16ULL << 30)    /* QEMU's largest DIMM per type 17 */
#define CPU_SPEED_MHZ 2000

/* What -smbios set (NULL: the default), by type. */
static char *system_manufacturer, *system_product, *system_version;
static char *system_serial, *system_sku, *system_family;
static char *chassis_manufacturer, *chassis_version, *chassis_serial;
static char *chassis_asset, *chassis_sku;
static GPtrArray *oem_strings;   /* type 11, in order */

typedef struct SMBiosField {
    const char *name;
    char **value;
} SMBiosField;

static const SMBiosField system_fields[] = {
    { "manufacturer", &system_manufacturer }, { "product", &system_product },
    { "version", &system_version }, { "serial", &system_serial },
    { "sku", &system_sku }, { "family", &system_family },
};

static const SMBiosField chassis_fields[] = {
    { "manufacturer", &chassis_manufacturer },
    { "version", &chassis_version }, { "serial", &chassis_serial },
    { "asset", &chassis_asset }, { "sku", &chassis_sku },
};

static void take_fields(KeyValList *kv, const SMBiosField *fields,
                        size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const char *value = keyval_take(kv, fields[i].name);

        if (value) {
            g_free(*fields[i].value);
            *fields[i].value = g_strdup(value);
        }
    }
}

/* type=11: each value= and the contents of each path=, in order. */
static bool take_oem_strings(KeyValList *kv, Error **errp)
{
    if (!oem_strings) {
        oem_strings = g_ptr_array_new_with_free_func(g_free);
    }
    for (guint i = 0; i < kv->pairs->len; i++) {
        KeyValPair *p = &g_array_index(kv->pairs, KeyValPair, i);
        g_autoptr(GError) gerr = NULL;
        char *text;

        if (!strcmp(p->key, "value")) {
            text = g_strdup(p->value);
        } else if (!strcmp(p->key, "path")) {
            if (!g_file_get_contents(p->value, &text, NULL, &gerr)) {
                error_setg(errp, "Unable to read from %s: %s", p->value,
                           gerr->message);
                return false;
            }
        } else {
            continue;
        }
        p->used = true;
        g_ptr_array_add(oem_strings, text);
    }
    return true;
}

bool smbios_parse_option(const char *text, Error **errp)
{
    static const char *const repeatable[] = { "value", "path", NULL };
    g_autoptr(KeyValList) kv = keyval_parse_repeatable(text, NULL,
                                                       repeatable, errp);
    const char *type_text, *uuid;
    const KeyValPair *unknown;
    uint64_t type;

    if (!kv) {
        return false;
    }
    type_text = keyval_take(kv, "type");
    if (!type_text) {
        error_setg(errp, keyval_has(kv, "file")
                   ? "-smbios file= is not supported by emu yet"
                   : "Must specify type= or file=");
        return false;
    }
    if (!parse_uint64(type_text, &type)) {
        error_setg(errp, "Parameter 'type' expects a number");
        return false;
    }
    switch (type) {
    case 1:
        take_fields(kv, system_fields, ARRAY_SIZE(system_fields));
        uuid = keyval_take(kv, "uuid");
        if (uuid && !process_parse_uuid(uuid, NULL)) {
            error_setg(errp, "Invalid UUID");
            return false;
        }
        break;
    case 3:
        take_fields(kv, chassis_fields, ARRAY_SIZE(chassis_fields));
        break;
    case 11:
        if (!take_oem_strings(kv, errp)) {
            return false;
        }
        break;
    case 0: case 2: case 4: case 8: case 17: case 41:
        error_setg(errp, "emu does not build SMBIOS type %" PRIu64 " from "
                   "-smbios yet (it takes types 1, 3 and 11)", type);
        return false;
    default:
        error_setg(errp, "Don't know how to build fields for SMBIOS type %"
                   PRIu64, type);
        return false;
    }
    unknown = keyval_first_unused(kv);
    if (unknown) {
        error_setg(errp, "Invalid parameter '%s'", unknown->key);
        return false;
    }
    return true;
}

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

/* A string of the structure's string set; returns its number. */
static unsigned table_text(Table *t, const char *s)
{
    g_string_append(t->text, s);
    g_string_append_c(t->text, '\0');
    return ++t->strings;
}

/* A string field: its number, or 0 for none. */
static void table_string(Table *t, const char *s)
{
    put(t->out, s && *s ? table_text(t, s) : 0, 1);
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
    table_string(t, system_manufacturer ?: cfg->manufacturer);
    table_string(t, system_product ?: cfg->product);
    table_string(t, system_version ?: cfg->version);
    table_string(t, system_serial);
    /* SMBIOS 2.6 on: the first three fields of the UUID little-endian */
    put(t->out, ldn_be_p(cfg->uuid, 4), 4);
    put(t->out, ldn_be_p(cfg->uuid + 4, 2), 2);
    put(t->out, ldn_be_p(cfg->uuid + 6, 2), 2);
    g_byte_array_append(t->out, cfg->uuid + 8, 8);
    put(t->out, 6, 1);           /* woken by the power switch */
    table_string(t, system_sku);
    table_string(t, system_family);
    table_end(t);
}

static void build_chassis(Table *t, const SMBiosConfig *cfg)
{
    table_begin(t, 3, HANDLE(3, 0));
    table_string(t, chassis_manufacturer ?: cfg->manufacturer);
    put(t->out, 1, 1);           /* type: other */
    table_string(t, chassis_version ?: cfg->version);
    table_string(t, chassis_serial);
    table_string(t, chassis_asset);
    put(t->out, 3, 1);           /* boot-up state: safe */
    put(t->out, 3, 1);           /* power supply state: safe */
    put(t->out, 3, 1);           /* thermal state: safe */
    put(t->out, 2, 1);           /* security status: unknown */
    put(t->out, 0, 4);           /* OEM-defined */
    put(t->out, 0, 1);           /* height */
    put(t->out, 0, 1);           /* power cords */
    put(t->out, 0, 1);           /* contained elements: none */
    put(t->out, 0, 1);           /* their record length */
    table_string(t, chassis_sku);
    table_end(t);
}

static void build_processor(Table *t, const SMBiosConfig *cfg,
                            unsigned socket)
{
    /* QEMU's "%s%2x" with its default prefix: "CPU 0"... "CPU a", "CPU10". */
    g_autofree char *name = g_strdup_printf("CPU%2x", socket);
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
    if (cfg->smbios3) {
        /* SMBIOS 3.0's counts of 256 and more. */
        put(t->out, cfg->cores, 2);            /* core count 2 */
        put(t->out, cfg->cores, 2);            /* cores enabled 2 */
        put(t->out, threads, 2);               /* thread count 2 */
    }
    table_end(t);
}

/* OEM strings: -smbios type=11's, when there are some. */
static void build_oem_strings(Table *t)
{
    table_begin(t, 11, HANDLE(14, 0));         /* QEMU's handle */
    put(t->out, oem_strings->len, 1);          /* strings 1 to count */
    for (guint i = 0; i < oem_strings->len; i++) {
        table_text(t, g_ptr_array_index(oem_strings, i));
    }
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

/* The 3.0 (64-bit) entry point, its checksum and the table's address
 * left for the firmware, as QEMU hands it over. */
static GByteArray *build_anchor3(unsigned length)
{
    GByteArray *a = g_byte_array_new();

    g_byte_array_append(a, (const guint8 *)"_SM3_", 5);
    put(a, 0, 1);                /* checksum */
    put(a, 0x18, 1);             /* entry point length */
    put(a, 3, 1);                /* version 3.0 */
    put(a, 0, 1);
    put(a, 0, 1);                /* docrev */
    put(a, 1, 1);                /* entry point revision */
    put(a, 0, 1);                /* reserved */
    put(a, length, 4);           /* the table's maximum size */
    put(a, 0, 8);                /* its address */
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
    if (oem_strings && oem_strings->len) {
        build_oem_strings(&t);
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
    *anchor = cfg->smbios3 ? build_anchor3(t.out->len)
                           : build_anchor(t.out->len, t.count, t.largest);
}
