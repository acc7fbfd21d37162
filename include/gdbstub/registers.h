/*
 * How a target describes its registers to the gdb stub: features of the
 * target description XML (qXfer:features:read), each a list of
 * registers with their gdb numbers.  The stub writes the XML from these
 * tables and packs 'g' replies in register-number order; the target
 * reads and writes one register at a time (CPUClass.gdb_*_register).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GDBSTUB_REGISTERS_H
#define GDBSTUB_REGISTERS_H

#include "util/osdep.h"
#include "util/bswap.h"

typedef struct GDBRegister {
    const char *name;            /* "r0", "cpsr", "xmm3" */
    int regnum;                  /* gdb's number: the order of 'g' */
    int bitsize;
    const char *type;            /* a gdb type ("code_ptr", "i387_ext",
                                  * or one the feature defines); NULL:
                                  * an integer of bitsize */
    const char *group;           /* "general", "float", ...; NULL: none */
} GDBRegister;

struct GDBFeature {
    const char *name;            /* "org.gnu.gdb.arm.core" */
    const char *types;           /* XML of the types the registers use,
                                  * or NULL */
    const GDBRegister *regs;
    size_t nregs;
};

/* Appends a register's value, size bytes little-endian, to a 'g' or 'p'
 * reply; returns size (what gdb_read_register returns). */
static inline int gdb_append_reg_le(GByteArray *buf, uint64_t value,
                                    int size)
{
    uint8_t bytes[8];

    stn_le_p(bytes, size, value);
    g_byte_array_append(buf, bytes, size);
    return size;
}

#endif
