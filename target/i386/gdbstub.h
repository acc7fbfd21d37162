/*
 * The gdb stub's view of the x86-64 CPU (gdbstub.c): the registers of
 * QEMU's i386-64bit.xml, read and written one at a time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_GDBSTUB_H
#define TARGET_I386_GDBSTUB_H

#include "hw/core/cpu.h"

const GDBFeature *const *x86_gdb_features(CPUState *cs);
int x86_gdb_read_register(CPUState *cs, GByteArray *buf, int regnum);
bool x86_gdb_write_register(CPUState *cs, const uint8_t *buf, int regnum);

#endif
