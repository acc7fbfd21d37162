/*
 * dump-guest-memory: guest RAM and the vCPUs' registers as an ELF core
 * file that gdb and crash read (monitor/dump.c).  Targets describe
 * their registers as ELF notes through CPUClass.write_elf_notes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_DUMP_H
#define SYSEMU_DUMP_H

#include "util/osdep.h"

/* NT_PRSTATUS and friends, as <elf.h> numbers them. */
#include <elf.h>

/* Appends one note (little-endian header, name and desc each padded
 * to 4 bytes) to out. */
void elf_note_append(GByteArray *out, const char *name, uint32_t type,
                     const void *desc, size_t size);

#endif
