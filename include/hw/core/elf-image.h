/*
 * ELF executables as QEMU's loaders read them: the PT_LOAD segments at
 * their physical addresses (p_paddr), zero-filled up to p_memsz, and
 * the entry point.  32- and 64-bit, little-endian (the byte order of
 * emu's targets).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_CORE_ELF_IMAGE_H
#define HW_CORE_ELF_IMAGE_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct ElfSegment {
    unsigned phdr_index;         /* its program header's, for the names */
    uint64_t paddr;
    uint64_t memsz;              /* bytes in memory; past filesz: zeros */
    uint64_t filesz;
    const uint8_t *data;         /* filesz bytes, inside the file's buffer */
} ElfSegment;

typedef struct ElfImage {
    uint64_t entry;
    uint16_t machine;            /* e_machine: EM_ARM, EM_X86_64... */
    bool is64;                   /* ELFCLASS64 */
    GArray *segments;            /* ElfSegment */
    uint64_t low, high;          /* the span of all segments [low, high) */
} ElfImage;

/* Whether buf starts with the ELF magic. */
bool elf_is_elf(const uint8_t *buf, size_t len);
/*
 * Reads the program headers of the ELF file in buf (which must outlive
 * the image: segments point into it).  Errors name path and the fault.
 */
bool elf_image_parse(ElfImage *img, const char *path, const uint8_t *buf,
                     size_t len, Error **errp);
void elf_image_clear(ElfImage *img);
/*
 * Puts the segments into guest memory as a loader does at each reset:
 * each one's file bytes at paddr, then zeros up to memsz (a part where
 * no memory is goes to -d guest_errors, see loader_write_image).
 */
void elf_image_write(const ElfImage *img);
/* Lists the segments in `info roms`, named as QEMU names them ("PATH
 * ELF program header segment N"). */
void elf_image_add_roms(const ElfImage *img, const char *path);

#endif
