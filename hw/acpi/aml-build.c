/*
 * A small AML emitter (see include/hw/acpi/aml-build.h).  Encodings from
 * the ACPI 6.4 specification, chapter 20 (opcodes, PkgLength, NameString)
 * and section 6.4 (resource descriptors).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/acpi/aml-build.h"

/* Opcodes. */
#define AML_ZERO_OP           0x00
#define AML_ONE_OP            0x01
#define AML_NAME_OP           0x08
#define AML_BYTE_PREFIX       0x0a
#define AML_WORD_PREFIX       0x0b
#define AML_DWORD_PREFIX      0x0c
#define AML_STRING_PREFIX     0x0d
#define AML_QWORD_PREFIX      0x0e
#define AML_SCOPE_OP          0x10
#define AML_BUFFER_OP         0x11
#define AML_PACKAGE_OP        0x12
#define AML_METHOD_OP         0x14
#define AML_DUAL_NAME_PREFIX  0x2e
#define AML_MULTI_NAME_PREFIX 0x2f
#define AML_EXT_OP_PREFIX     0x5b
#define AML_ROOT_CHAR         '\\'
#define AML_PARENT_CHAR       '^'
#define AML_LOCAL0_OP         0x60
#define AML_ARG0_OP           0x68
#define AML_STORE_OP          0x70
#define AML_AND_OP            0x7b
#define AML_OR_OP             0x7d
#define AML_SHIFT_LEFT_OP     0x79
#define AML_SHIFT_RIGHT_OP    0x7a
#define AML_DEREF_OF_OP       0x83
#define AML_NOTIFY_OP         0x86
#define AML_INDEX_OP          0x88
#define AML_LNOT_OP           0x92
#define AML_LOR_OP            0x91
#define AML_LEQUAL_OP         0x93
#define AML_LGREATER_OP       0x94
#define AML_CREATE_DWORD_FIELD_OP 0x8a
#define AML_LLESS_OP          0x95
#define AML_IF_OP             0xa0
#define AML_RETURN_OP         0xa4
/* After AML_EXT_OP_PREFIX. */
#define AML_EXT_MUTEX_OP      0x01
#define AML_EXT_ACQUIRE_OP    0x23
#define AML_EXT_RELEASE_OP    0x27
#define AML_EXT_OPREGION_OP   0x80
#define AML_EXT_FIELD_OP      0x81
#define AML_EXT_DEVICE_OP     0x82
#define AML_EXT_PROCESSOR_OP  0x83

/* Resource descriptors. */
#define RES_IRQ_NO_FLAGS      0x22      /* small, IRQ, 2 bytes */
#define RES_IO                0x47      /* small, I/O port, 7 bytes */
#define RES_END_TAG           0x79
#define RES_MEMORY32_FIXED    0x86
#define RES_DWORD_ADDRESS     0x87
#define RES_WORD_ADDRESS      0x88
#define RES_EXT_INTERRUPT     0x89
#define RES_QWORD_ADDRESS     0x8a
#define RES_TYPE_MEMORY       0
#define RES_TYPE_IO           1
#define RES_TYPE_BUS          2
/* General flags: producer, MinFixed, MaxFixed, positive decode. */
#define RES_FLAGS_PRODUCER_FIXED 0x0c

/* How a node's bytes become part of its parent. */
typedef enum AmlBlock {
    AML_NO_BLOCK,        /* the bytes as they are */
    AML_PKG_BLOCK,       /* opcode(s), then PkgLength, then the bytes */
    AML_BUFFER_BLOCK,    /* BufferOp, PkgLength, BufferSize, the bytes */
    AML_RES_BLOCK,       /* a buffer of descriptors and an End Tag */
} AmlBlock;

struct Aml {
    GByteArray *buf;
    AmlBlock block;
    uint8_t op[2];       /* the block's opcode, two with ExtOpPrefix */
    unsigned op_len;
    bool counts_elements; /* a Package whose NumElements aml_append counts */
};

static Aml *aml_new(AmlBlock block)
{
    Aml *aml = g_new0(Aml, 1);

    aml->buf = g_byte_array_new();
    aml->block = block;
    return aml;
}

static Aml *aml_block(uint8_t op)
{
    Aml *aml = aml_new(AML_PKG_BLOCK);

    aml->op[0] = op;
    aml->op_len = 1;
    return aml;
}

static Aml *aml_ext_block(uint8_t op)
{
    Aml *aml = aml_new(AML_PKG_BLOCK);

    aml->op[0] = AML_EXT_OP_PREFIX;
    aml->op[1] = op;
    aml->op_len = 2;
    return aml;
}

static void put_byte(Aml *aml, uint8_t b)
{
    g_byte_array_append(aml->buf, &b, 1);
}

static void put_ext_op(Aml *aml, uint8_t op)
{
    put_byte(aml, AML_EXT_OP_PREFIX);
    put_byte(aml, op);
}

static void put_le(Aml *aml, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        put_byte(aml, value >> (8 * i));
    }
}

/*
 * PkgLength (20.2.4): the length of what follows the opcode, itself
 * included; one byte up to 63, else a lead byte with the count of extra
 * bytes in bits 7:6 and the low nibble, the rest in the extra bytes.
 */
static void put_pkg_length(GByteArray *out, size_t content, bool self)
{
    unsigned n;
    size_t len;
    uint8_t bytes[4];

    for (n = 1; n <= 4; n++) {
        len = content + (self ? n : 0);
        if ((n == 1 && len <= 0x3f) || (n > 1 && len < (1u << (4 + 8 * (n - 1))))) {
            break;
        }
    }
    g_assert(n <= 4);
    if (n == 1) {
        bytes[0] = len;
    } else {
        bytes[0] = (n - 1) << 6 | (len & 0xf);
        for (unsigned i = 1; i < n; i++) {
            bytes[i] = len >> (4 + 8 * (i - 1));
        }
    }
    g_byte_array_append(out, bytes, n);
}

/* NameString (20.2.2): prefixes, then NullName, a NameSeg, or a
 * DualNamePrefix / MultiNamePrefix path. */
static void put_name(Aml *aml, const char *path)
{
    g_auto(GStrv) segs = NULL;
    unsigned count;

    while (*path == AML_ROOT_CHAR || *path == AML_PARENT_CHAR) {
        put_byte(aml, *path++);
    }
    if (!*path) {
        put_byte(aml, AML_ZERO_OP);        /* NullName */
        return;
    }
    segs = g_strsplit(path, ".", -1);
    count = g_strv_length(segs);
    if (count == 2) {
        put_byte(aml, AML_DUAL_NAME_PREFIX);
    } else if (count > 2) {
        put_byte(aml, AML_MULTI_NAME_PREFIX);
        put_byte(aml, count);
    }
    for (unsigned i = 0; i < count; i++) {
        size_t len = strlen(segs[i]);

        g_assert(len >= 1 && len <= 4);
        g_byte_array_append(aml->buf, (const uint8_t *)segs[i], len);
        for (; len < 4; len++) {
            put_byte(aml, '_');
        }
    }
}

Aml *aml_list(void)
{
    return aml_new(AML_NO_BLOCK);
}

/* child's complete encoding, appended to out. */
static void aml_encode(GByteArray *out, const Aml *child)
{
    const uint8_t *data = child->buf->data;
    size_t len = child->buf->len;

    switch (child->block) {
    case AML_NO_BLOCK:
        g_byte_array_append(out, data, len);
        break;
    case AML_PKG_BLOCK:
        g_byte_array_append(out, child->op, child->op_len);
        put_pkg_length(out, len, true);
        g_byte_array_append(out, data, len);
        break;
    case AML_BUFFER_BLOCK:
    case AML_RES_BLOCK: {
        Aml *size = aml_int(len + (child->block == AML_RES_BLOCK ? 2 : 0));
        static const uint8_t end_tag[] = { RES_END_TAG, 0 };
        uint8_t op = AML_BUFFER_OP;
        size_t total = size->buf->len + len +
                       (child->block == AML_RES_BLOCK ? 2 : 0);

        g_byte_array_append(out, &op, 1);
        put_pkg_length(out, total, true);
        g_byte_array_append(out, size->buf->data, size->buf->len);
        g_byte_array_append(out, data, len);
        if (child->block == AML_RES_BLOCK) {
            /* Checksum 0: "the resource data is treated as if it summed
             * to zero". */
            g_byte_array_append(out, end_tag, sizeof(end_tag));
        }
        aml_free(size);
        break;
    }
    }
}

void aml_append(Aml *parent, Aml *child)
{
    if (parent->counts_elements) {
        g_assert(parent->buf->data[0] < UINT8_MAX);
        parent->buf->data[0]++;             /* NumElements */
    }
    aml_encode(parent->buf, child);
    aml_free(child);
}

const uint8_t *aml_data(const Aml *aml)
{
    return aml->buf->data;
}

size_t aml_len(const Aml *aml)
{
    return aml->buf->len;
}

void aml_free(Aml *aml)
{
    if (aml) {
        g_byte_array_unref(aml->buf);
        g_free(aml);
    }
}

/* ---- data ---- */

Aml *aml_int(uint64_t value)
{
    Aml *aml = aml_list();

    if (value == 0) {
        put_byte(aml, AML_ZERO_OP);
    } else if (value == 1) {
        put_byte(aml, AML_ONE_OP);
    } else if (value <= UINT8_MAX) {
        put_byte(aml, AML_BYTE_PREFIX);
        put_le(aml, value, 1);
    } else if (value <= UINT16_MAX) {
        put_byte(aml, AML_WORD_PREFIX);
        put_le(aml, value, 2);
    } else if (value <= UINT32_MAX) {
        put_byte(aml, AML_DWORD_PREFIX);
        put_le(aml, value, 4);
    } else {
        put_byte(aml, AML_QWORD_PREFIX);
        put_le(aml, value, 8);
    }
    return aml;
}

Aml *aml_string(const char *str)
{
    Aml *aml = aml_list();

    put_byte(aml, AML_STRING_PREFIX);
    g_byte_array_append(aml->buf, (const uint8_t *)str, strlen(str) + 1);
    return aml;
}

Aml *aml_name(const char *path)
{
    Aml *aml = aml_list();

    put_name(aml, path);
    return aml;
}

/* Three letters of five bits each ('A' is 1), then four hex digits,
 * stored big endian in a DWord. */
Aml *aml_eisaid(const char *id)
{
    uint32_t v;
    Aml *aml = aml_list();

    g_assert(strlen(id) == 7);
    v = (uint32_t)(id[0] - 0x40) << 26 | (uint32_t)(id[1] - 0x40) << 21 |
        (uint32_t)(id[2] - 0x40) << 16 |
        (uint32_t)strtoul(id + 3, NULL, 16);
    put_byte(aml, AML_DWORD_PREFIX);
    put_le(aml, GUINT32_SWAP_LE_BE(v), 4);
    return aml;
}

Aml *aml_arg(unsigned n)
{
    Aml *aml = aml_list();

    g_assert(n < 7);
    put_byte(aml, AML_ARG0_OP + n);
    return aml;
}

Aml *aml_local(unsigned n)
{
    Aml *aml = aml_list();

    g_assert(n < 8);
    put_byte(aml, AML_LOCAL0_OP + n);
    return aml;
}

/* A Package's elements follow its NumElements byte, which aml_append
 * counts up. */
Aml *aml_package(void)
{
    Aml *aml = aml_block(AML_PACKAGE_OP);

    put_byte(aml, 0);                       /* NumElements, counted below */
    aml->counts_elements = true;
    return aml;
}

/* The elements not given are uninitialized (ACPI 6.4, 19.6.102). */
Aml *aml_package_of(uint8_t num_elements)
{
    Aml *aml = aml_block(AML_PACKAGE_OP);

    put_byte(aml, num_elements);
    return aml;
}

Aml *aml_buffer(const uint8_t *data, size_t len)
{
    Aml *aml = aml_new(AML_BUFFER_BLOCK);

    g_byte_array_append(aml->buf, data, len);
    return aml;
}

/* ---- named objects and blocks ---- */

Aml *aml_name_decl(const char *path, Aml *value)
{
    Aml *aml = aml_list();

    put_byte(aml, AML_NAME_OP);
    put_name(aml, path);
    aml_append(aml, value);
    return aml;
}

Aml *aml_scope(const char *path)
{
    Aml *aml = aml_block(AML_SCOPE_OP);

    put_name(aml, path);
    return aml;
}

Aml *aml_device(const char *path)
{
    Aml *aml = aml_ext_block(AML_EXT_DEVICE_OP);

    put_name(aml, path);
    return aml;
}

Aml *aml_method(const char *path, unsigned nargs, bool serialized)
{
    Aml *aml = aml_block(AML_METHOD_OP);

    g_assert(nargs < 8);
    put_name(aml, path);
    put_byte(aml, nargs | (serialized ? 0x08 : 0));
    return aml;
}

Aml *aml_processor(const char *path, uint8_t id, uint32_t pblk,
                   uint8_t pblk_len)
{
    Aml *aml = aml_ext_block(AML_EXT_PROCESSOR_OP);

    put_name(aml, path);
    put_byte(aml, id);
    put_le(aml, pblk, 4);
    put_byte(aml, pblk_len);
    return aml;
}

Aml *aml_operation_region(const char *path, AmlRegionSpace space,
                          uint64_t offset, uint64_t len)
{
    Aml *aml = aml_list();

    put_ext_op(aml, AML_EXT_OPREGION_OP);
    put_name(aml, path);
    put_byte(aml, space);
    aml_append(aml, aml_int(offset));
    aml_append(aml, aml_int(len));
    return aml;
}

static Aml *field(const char *region, AmlFieldAccess access, bool lock,
                  AmlFieldUpdate update)
{
    Aml *aml = aml_ext_block(AML_EXT_FIELD_OP);

    put_name(aml, region);
    put_byte(aml, access | lock << 4 | update << 5);
    return aml;
}

Aml *aml_field(const char *region, AmlFieldAccess access,
               AmlFieldUpdate update)
{
    return field(region, access, false, update);
}

Aml *aml_field_lock(const char *region, AmlFieldAccess access,
                    AmlFieldUpdate update)
{
    return field(region, access, true, update);
}

/* NamedField: a NameSeg, then the width in bits in PkgLength form (it
 * does not count itself). */
Aml *aml_named_field(const char *name, unsigned bits)
{
    Aml *aml = aml_list();

    g_assert(!strchr(name, '.') && *name != AML_ROOT_CHAR);
    put_name(aml, name);
    put_pkg_length(aml->buf, bits, false);
    return aml;
}

/* ---- statements and expressions ---- */

static Aml *aml_op(uint8_t op, Aml *a, Aml *b, Aml *c)
{
    Aml *aml = aml_list();

    put_byte(aml, op);
    aml_append(aml, a);
    if (b) {
        aml_append(aml, b);
    }
    if (c) {
        aml_append(aml, c);
    }
    return aml;
}

Aml *aml_call(const char *method, unsigned nargs, ...)
{
    Aml *aml = aml_name(method);
    va_list ap;

    g_assert(nargs < 8);
    va_start(ap, nargs);
    for (unsigned i = 0; i < nargs; i++) {
        aml_append(aml, va_arg(ap, Aml *));
    }
    va_end(ap);
    return aml;
}

Aml *aml_call1(const char *method, Aml *arg)
{
    return aml_call(method, 1, arg);
}

Aml *aml_return(Aml *value)
{
    return aml_op(AML_RETURN_OP, value, NULL, NULL);
}

Aml *aml_if(Aml *predicate)
{
    Aml *aml = aml_block(AML_IF_OP);

    aml_append(aml, predicate);
    return aml;
}

Aml *aml_store(Aml *value, Aml *target)
{
    return aml_op(AML_STORE_OP, value, target, NULL);
}

/* And (a, b): the result goes nowhere (NullName) but to the caller. */
Aml *aml_and(Aml *a, Aml *b)
{
    return aml_op(AML_AND_OP, a, b, aml_name(""));
}

Aml *aml_or(Aml *a, Aml *b, Aml *target)
{
    return aml_op(AML_OR_OP, a, b, target ? target : aml_name(""));
}

Aml *aml_shiftleft(Aml *value, Aml *count)
{
    return aml_op(AML_SHIFT_LEFT_OP, value, count, aml_name(""));
}

Aml *aml_lnot(Aml *a)
{
    return aml_op(AML_LNOT_OP, a, NULL, NULL);
}

Aml *aml_index(Aml *object, Aml *index)
{
    return aml_op(AML_INDEX_OP, object, index, aml_name(""));
}

Aml *aml_derefof(Aml *ref)
{
    return aml_op(AML_DEREF_OF_OP, ref, NULL, NULL);
}

Aml *aml_notify(Aml *object, Aml *value)
{
    return aml_op(AML_NOTIFY_OP, object, value, NULL);
}

/* Mutex (name, sync level): ExtOp, NameString, SyncFlags. */
Aml *aml_mutex(const char *path, uint8_t sync_level)
{
    Aml *aml = aml_list();

    g_assert(sync_level < 16);
    put_ext_op(aml, AML_EXT_MUTEX_OP);
    put_name(aml, path);
    put_byte(aml, sync_level);
    return aml;
}

Aml *aml_acquire(Aml *mutex, uint16_t timeout)
{
    Aml *aml = aml_list();

    put_ext_op(aml, AML_EXT_ACQUIRE_OP);
    aml_append(aml, mutex);
    put_le(aml, timeout, 2);
    return aml;
}

Aml *aml_release(Aml *mutex)
{
    Aml *aml = aml_list();

    put_ext_op(aml, AML_EXT_RELEASE_OP);
    aml_append(aml, mutex);
    return aml;
}

/* ToUUID ("aabbccdd-eeff-gghh-iijj-kkllmmnnoopp"): a 16-byte buffer, the
 * first three groups little endian, the rest in order (ACPI 6.4, 19.6.142). */
Aml *aml_touuid(const char *uuid)
{
    static const unsigned order[16] = { 6, 4, 2, 0, 11, 9, 16, 14, 19, 21,
                                        24, 26, 28, 30, 32, 34 };
    uint8_t bytes[16];

    g_assert(strlen(uuid) == 36);
    for (unsigned i = 0; i < 16; i++) {
        char hex[3] = { uuid[order[i]], uuid[order[i] + 1], 0 };

        bytes[i] = strtoul(hex, NULL, 16);
    }
    return aml_buffer(bytes, sizeof(bytes));
}

Aml *aml_lless(Aml *a, Aml *b)
{
    return aml_op(AML_LLESS_OP, a, b, NULL);
}

Aml *aml_lgreater(Aml *a, Aml *b)
{
    return aml_op(AML_LGREATER_OP, a, b, NULL);
}

Aml *aml_equal(Aml *a, Aml *b)
{
    return aml_op(AML_LEQUAL_OP, a, b, NULL);
}

Aml *aml_lor(Aml *a, Aml *b)
{
    return aml_op(AML_LOR_OP, a, b, NULL);
}

Aml *aml_shiftright(Aml *value, Aml *count, Aml *target)
{
    return aml_op(AML_SHIFT_RIGHT_OP, value, count, target);
}

Aml *aml_create_dword_field(Aml *buffer, Aml *byte_index, const char *name)
{
    Aml *aml = aml_op(AML_CREATE_DWORD_FIELD_OP, buffer, byte_index, NULL);

    put_name(aml, name);
    return aml;
}

/* ---- resource templates ---- */

Aml *aml_resource_template(void)
{
    return aml_new(AML_RES_BLOCK);
}

Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    Aml *aml = aml_list();

    put_byte(aml, RES_IO);
    put_byte(aml, 1);                       /* Decode16 */
    put_le(aml, min, 2);
    put_le(aml, max, 2);
    put_byte(aml, align);
    put_byte(aml, len);
    return aml;
}

Aml *aml_irq_no_flags(uint8_t irq)
{
    Aml *aml = aml_list();

    g_assert(irq < 16);
    put_byte(aml, RES_IRQ_NO_FLAGS);
    put_le(aml, 1u << irq, 2);
    return aml;
}

Aml *aml_interrupt(const uint32_t *irqs, unsigned count)
{
    Aml *aml = aml_list();

    g_assert(count >= 1 && count <= 255);
    put_byte(aml, RES_EXT_INTERRUPT);
    put_le(aml, 2 + count * 4, 2);
    /* Consumer (bit 0), level (bit 1 clear), active high (bit 2 clear),
     * shared (bit 3). */
    put_byte(aml, 0x01 | 0x08);
    put_byte(aml, count);
    for (unsigned i = 0; i < count; i++) {
        put_le(aml, irqs[i], 4);
    }
    return aml;
}

/* The Word, DWord and QWord Address Space Descriptors: type, general
 * flags, type-specific flags, then granularity, min, max, translation
 * and length, each of size bytes. */
static Aml *aml_address(uint8_t tag, uint8_t type, uint8_t type_flags,
                        unsigned size, uint64_t min, uint64_t max)
{
    Aml *aml = aml_list();

    put_byte(aml, tag);
    put_le(aml, 3 + 5 * size, 2);
    put_byte(aml, type);
    put_byte(aml, RES_FLAGS_PRODUCER_FIXED);
    put_byte(aml, type_flags);
    put_le(aml, 0, size);                   /* granularity */
    put_le(aml, min, size);
    put_le(aml, max, size);
    put_le(aml, 0, size);                   /* translation offset */
    put_le(aml, max - min + 1, size);
    return aml;
}

Aml *aml_word_bus_number(uint16_t min, uint16_t max)
{
    return aml_address(RES_WORD_ADDRESS, RES_TYPE_BUS, 0, 2, min, max);
}

Aml *aml_word_io(uint16_t min, uint16_t max)
{
    /* EntireRange (3), TypeStatic, DenseTranslation. */
    return aml_address(RES_WORD_ADDRESS, RES_TYPE_IO, 0x03, 2, min, max);
}

/* ReadWrite (bit 0), cacheable (1) or not (0) in bits 2:1,
 * AddressRangeMemory, TypeStatic. */
static uint8_t memory_flags(bool cacheable)
{
    return 0x01 | (cacheable ? 0x02 : 0);
}

/* Memory32Fixed: a large item of 9 bytes, bit 0 of the first the
 * write status. */
Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool writable)
{
    Aml *aml = aml_list();

    put_byte(aml, RES_MEMORY32_FIXED);
    put_le(aml, 9, 2);
    put_byte(aml, writable);
    put_le(aml, base, 4);
    put_le(aml, len, 4);
    return aml;
}

Aml *aml_dword_memory(uint32_t min, uint32_t max, bool cacheable)
{
    return aml_address(RES_DWORD_ADDRESS, RES_TYPE_MEMORY,
                       memory_flags(cacheable), 4, min, max);
}

Aml *aml_qword_memory(uint64_t min, uint64_t max, bool cacheable)
{
    return aml_address(RES_QWORD_ADDRESS, RES_TYPE_MEMORY,
                       memory_flags(cacheable), 8, min, max);
}
