/*
 * ELF program headers (see include/hw/core/elf-image.h).  Every offset
 * and size is checked against the file, so a truncated or hostile file
 * is an error, never a read out of bounds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hw/core/elf-image.h"
#include <elf.h>
#include "hw/loader.h"

bool elf_is_elf(const uint8_t *buf, size_t len)
{
    return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

/* The fields of one program header, whatever the class. */
typedef struct ProgramHeader {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
} ProgramHeader;

static void read_phdr(const uint8_t *p, bool is64, ProgramHeader *ph)
{
    if (is64) {
        Elf64_Phdr h;

        memcpy(&h, p, sizeof(h));
        *ph = (ProgramHeader){ h.p_type, h.p_offset, h.p_paddr, h.p_filesz,
                               h.p_memsz };
    } else {
        Elf32_Phdr h;

        memcpy(&h, p, sizeof(h));
        *ph = (ProgramHeader){ h.p_type, h.p_offset, h.p_paddr, h.p_filesz,
                               h.p_memsz };
    }
}

bool elf_image_parse(ElfImage *img, const char *path, const uint8_t *buf,
                     size_t len, Error **errp)
{
    bool is64;
    uint64_t phoff, phnum, phentsize;

    memset(img, 0, sizeof(*img));
    if (!elf_is_elf(buf, len) || len < EI_NIDENT) {
        error_setg(errp, "'%s' is not an ELF file", path);
        return false;
    }
    if (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64) {
        error_setg(errp, "'%s': unknown ELF class %u", path, buf[EI_CLASS]);
        return false;
    }
    is64 = buf[EI_CLASS] == ELFCLASS64;
    if (buf[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "'%s' is a big-endian ELF file; emu's targets are "
                   "little-endian", path);
        return false;
    }
    if (len < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
        error_setg(errp, "'%s': ELF header cut short", path);
        return false;
    }
    if (is64) {
        Elf64_Ehdr eh;

        memcpy(&eh, buf, sizeof(eh));
        img->entry = eh.e_entry;
        img->machine = eh.e_machine;
        phoff = eh.e_phoff;
        phnum = eh.e_phnum;
        phentsize = eh.e_phentsize;
    } else {
        Elf32_Ehdr eh;

        memcpy(&eh, buf, sizeof(eh));
        img->entry = eh.e_entry;
        img->machine = eh.e_machine;
        phoff = eh.e_phoff;
        phnum = eh.e_phnum;
        phentsize = eh.e_phentsize;
    }
    img->is64 = is64;
    if (phentsize < (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
        phoff > len || phnum > (len - phoff) / phentsize) {
        error_setg(errp, "'%s': program headers outside the file", path);
        return false;
    }
    img->segments = g_array_new(FALSE, FALSE, sizeof(ElfSegment));
    img->low = UINT64_MAX;
    for (uint64_t i = 0; i < phnum; i++) {
        ProgramHeader ph;
        ElfSegment seg;

        read_phdr(buf + phoff + i * phentsize, is64, &ph);
        if (ph.type != PT_LOAD || ph.memsz == 0) {
            continue;
        }
        if (ph.offset > len || ph.filesz > len - ph.offset ||
            ph.filesz > ph.memsz || ph.paddr + ph.memsz < ph.paddr) {
            error_setg(errp, "'%s': segment %" PRIu64 " lies outside the "
                       "file or the address space", path, i);
            elf_image_clear(img);
            return false;
        }
        seg = (ElfSegment){ i, ph.paddr, ph.memsz, ph.filesz, buf + ph.offset };
        g_array_append_val(img->segments, seg);
        img->low = MIN(img->low, ph.paddr);
        img->high = MAX(img->high, ph.paddr + ph.memsz);
    }
    if (!img->segments->len) {
        error_setg(errp, "'%s' has no loadable segment", path);
        elf_image_clear(img);
        return false;
    }
    return true;
}

void elf_image_clear(ElfImage *img)
{
    if (img->segments) {
        g_array_free(img->segments, TRUE);
        img->segments = NULL;
    }
}

void elf_image_write(const ElfImage *img)
{
    static const uint8_t zeros[4096];

    for (guint i = 0; i < img->segments->len; i++) {
        const ElfSegment *seg = &g_array_index(img->segments, ElfSegment, i);

        loader_write_image(seg->paddr, seg->data, seg->filesz);
        /* .bss and the like: zeros up to memsz. */
        for (uint64_t off = seg->filesz; off < seg->memsz;
             off += sizeof(zeros)) {
            loader_write_image(seg->paddr + off, zeros,
                               MIN(sizeof(zeros), seg->memsz - off));
        }
    }
}

void elf_image_add_roms(const ElfImage *img, const char *path)
{
    for (guint i = 0; i < img->segments->len; i++) {
        const ElfSegment *seg = &g_array_index(img->segments, ElfSegment, i);
        g_autofree char *name = g_strdup_printf(
            "%s ELF program header segment %u", path, seg->phdr_index);

        rom_list_add_image(name, seg->paddr, seg->memsz, ROM_VIEW_CPU);
    }
}
