/*
 * A small emitter of ACPI Machine Language (ACPI 6.4, chapter 20, "ACPI
 * Machine Language Specification") for the tables boards build: a tree
 * of nodes, each holding its encoded bytes; aml_append() moves a child's
 * encoding into its parent, so a node is used once and then belongs to
 * its parent (or is freed by aml_free()).  Blocks whose encoding starts
 * with a PkgLength (Scope, Device, Method, If, Package, Buffer, Field,
 * Processor) get it when they are appended, once their size is known.
 *
 * Names are ASL paths: "\\_SB.PCI0", "^PRQ0", "LNKA"; segments shorter
 * than four characters are padded with '_' as ASL does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ACPI_AML_BUILD_H
#define HW_ACPI_AML_BUILD_H

#include "util/osdep.h"

typedef struct Aml Aml;

/* ---- the tree ---- */

/* A list of terms with no encoding of its own (a table's body). */
Aml *aml_list(void);
/* Moves child's encoding to the end of parent's and frees child. */
void aml_append(Aml *parent, Aml *child);
/* The encoded bytes of a node built with aml_list(). */
const uint8_t *aml_data(const Aml *aml);
size_t aml_len(const Aml *aml);
void aml_free(Aml *aml);

/* ---- data ---- */

/* The shortest encoding: Zero, One, ByteConst ... QWordConst. */
Aml *aml_int(uint64_t value);
Aml *aml_string(const char *str);
/* A reference to a named object. */
Aml *aml_name(const char *path);
/* A compressed EISA ID ("PNP0A03") as a DWordConst. */
Aml *aml_eisaid(const char *id);
Aml *aml_arg(unsigned n);
Aml *aml_local(unsigned n);
/* Package () { ... }: append its elements. */
Aml *aml_package(void);
/* Package (num_elements) { ... }: the ones not appended uninitialized. */
Aml *aml_package_of(uint8_t num_elements);
/* Buffer () { bytes }. */
Aml *aml_buffer(const uint8_t *data, size_t len);

/* ---- named objects and blocks ---- */

Aml *aml_name_decl(const char *path, Aml *value);
Aml *aml_scope(const char *path);
Aml *aml_device(const char *path);
/* Method (path, nargs, Serialized or NotSerialized). */
Aml *aml_method(const char *path, unsigned nargs, bool serialized);
/* Processor (path, id, PBlk address, PBlk length). */
Aml *aml_processor(const char *path, uint8_t id, uint32_t pblk,
                   uint8_t pblk_len);

typedef enum AmlRegionSpace {
    AML_SYSTEM_MEMORY = 0,
    AML_SYSTEM_IO = 1,
    AML_PCI_CONFIG = 2,
} AmlRegionSpace;

Aml *aml_operation_region(const char *path, AmlRegionSpace space,
                          uint64_t offset, uint64_t len);

/* Field flags: access type, then lock and update rule as ASL names them. */
typedef enum AmlFieldAccess {
    AML_ANY_ACC = 0,
    AML_BYTE_ACC = 1,
    AML_WORD_ACC = 2,
    AML_DWORD_ACC = 3,
} AmlFieldAccess;

typedef enum AmlFieldUpdate {
    AML_PRESERVE = 0,
    AML_WRITE_AS_ONES = 1,
    AML_WRITE_AS_ZEROS = 2,
} AmlFieldUpdate;

/* Field (region, access, NoLock, update) { ... } with aml_named_field. */
Aml *aml_field(const char *region, AmlFieldAccess access,
               AmlFieldUpdate update);
/* The same with Lock (the global lock held around accesses). */
Aml *aml_field_lock(const char *region, AmlFieldAccess access,
                    AmlFieldUpdate update);
/* A field unit of bits bits; name is a single segment. */
Aml *aml_named_field(const char *name, unsigned bits);

/* ---- statements and expressions ---- */

/* method (args...): a call of a method that takes nargs arguments. */
Aml *aml_call(const char *method, unsigned nargs, ...);
Aml *aml_call1(const char *method, Aml *arg);
Aml *aml_return(Aml *value);
Aml *aml_if(Aml *predicate);
Aml *aml_store(Aml *value, Aml *target);
Aml *aml_and(Aml *a, Aml *b);
/* Or (a, b, target); target NULL: the result goes to the caller only. */
Aml *aml_or(Aml *a, Aml *b, Aml *target);
/* ShiftLeft (value, count): the result to the caller. */
Aml *aml_shiftleft(Aml *value, Aml *count);
Aml *aml_lnot(Aml *a);
/* Index (object, index): a reference to the element, for Store or
 * DerefOf. */
Aml *aml_index(Aml *object, Aml *index);
Aml *aml_derefof(Aml *ref);
Aml *aml_notify(Aml *object, Aml *value);
/* Mutex (path, sync level); Acquire (mutex, timeout in ms, 0xffff:
 * forever); Release (mutex). */
Aml *aml_mutex(const char *path, uint8_t sync_level);
Aml *aml_acquire(Aml *mutex, uint16_t timeout);
Aml *aml_release(Aml *mutex);
/* ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d") as a Buffer. */
Aml *aml_touuid(const char *uuid);
Aml *aml_lless(Aml *a, Aml *b);
Aml *aml_lgreater(Aml *a, Aml *b);
Aml *aml_equal(Aml *a, Aml *b);        /* LEqual */
Aml *aml_lor(Aml *a, Aml *b);
/* ShiftRight (value, count, target). */
Aml *aml_shiftright(Aml *value, Aml *count, Aml *target);
/* CreateDWordField (buffer, byte_index, name). */
Aml *aml_create_dword_field(Aml *buffer, Aml *byte_index, const char *name);

/* ---- resource templates (ACPI 6.4, 6.4 "Resource Data Types") ---- */

/* ResourceTemplate () { ... }: a Buffer closed by an End Tag. */
Aml *aml_resource_template(void);
/* IO (Decode16, min, max, align, len). */
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);
/* IRQNoFlags () { irq }. */
Aml *aml_irq_no_flags(uint8_t irq);
/* Interrupt (ResourceConsumer, Level, ActiveHigh, Shared) { irqs }. */
Aml *aml_interrupt(const uint32_t *irqs, unsigned count);
/* WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode ...). */
Aml *aml_word_bus_number(uint16_t min, uint16_t max);
/* WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange). */
Aml *aml_word_io(uint16_t min, uint16_t max);
/* DWordMemory / QWordMemory (ResourceProducer, PosDecode, MinFixed,
 * MaxFixed, Cacheable or NonCacheable, ReadWrite). */
Aml *aml_dword_memory(uint32_t min, uint32_t max, bool cacheable);
/* Memory32Fixed (ReadWrite or ReadOnly, base, len). */
Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool writable);
Aml *aml_qword_memory(uint64_t min, uint64_t max, bool cacheable);

#endif
