/*
 * dump-guest-memory: an ELF core file of the guest, laid out as QEMU 7.2
 * writes one, so gdb ("gdb -c FILE"), crash and QEMU's own scripts read
 * it: the ELF header, two section headers (a null one and .shstrtab),
 * the program headers (one PT_NOTE, then a PT_LOAD per guest RAM or ROM
 * block at its physical address), the notes (the vCPUs' registers, from
 * the target), the memory, and the section names last.
 *
 * The file is ELFCLASS64 for a 64-bit target, ELFCLASS32 otherwise;
 * e_machine is what the first vCPU's mode calls for (EM_386 for an
 * x86-64 guest outside long mode, as QEMU).  The vCPUs are paused while
 * it is written.  Not done: paging (-p), the kdump formats (-z, -l, -s)
 * and Windows dumps (-w), which are refused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "monitor-internal.h"
#include "softmmu/memory.h"
#include "sysemu/dump.h"
#include "sysemu/runstate.h"

/* The ELF structures are written as the host holds them: emu runs on
 * x86-64 hosts only (the tcg back end), little-endian like the core. */
G_STATIC_ASSERT(G_BYTE_ORDER == G_LITTLE_ENDIAN);

/* "\0.shstrtab\0": the only section name. */
static const char shstrtab[] = "\0.shstrtab";

/* A stretch of guest memory the core holds: RAM or ROM, contiguous in
 * the guest and in emu's memory. */
typedef struct GuestBlock {
    hwaddr start;
    uint64_t size;
    const uint8_t *host;
} GuestBlock;

void elf_note_append(GByteArray *out, const char *name, uint32_t type,
                     const void *desc, size_t size)
{
    static const uint8_t zeros[4];
    uint32_t namesz = strlen(name) + 1;
    Elf32_Nhdr hdr = { .n_namesz = namesz, .n_descsz = size,
                       .n_type = type };

    g_byte_array_append(out, (const uint8_t *)&hdr, sizeof(hdr));
    g_byte_array_append(out, (const uint8_t *)name, namesz);
    g_byte_array_append(out, zeros, -namesz & 3);
    g_byte_array_append(out, desc, size);
    g_byte_array_append(out, zeros, -size & 3);
}

/*
 * The RAM and ROM of the memory address space (flash in ROM-device mode
 * and MMIO are left out, as QEMU leaves them), within [begin, end).
 * Neighbours that continue each other in emu's memory are one block.
 */
static GArray *guest_blocks(uint64_t begin, uint64_t end)
{
    GArray *blocks = g_array_new(FALSE, FALSE, sizeof(GuestBlock));
    FlatView *view = address_space_get_flatview(&address_space_memory);

    for (unsigned i = 0; i < view->nr; i++) {
        const FlatRange *fr = &view->ranges[i];
        uint64_t start = MAX(fr->addr, begin);
        uint64_t stop = MIN(fr->addr + fr->size - 1, end - 1);
        GuestBlock *last = blocks->len ?
            &g_array_index(blocks, GuestBlock, blocks->len - 1) : NULL;
        const uint8_t *host;

        if ((fr->mr->kind != MR_RAM && fr->mr->kind != MR_ROM) ||
            fr->size_is_2_64 || start > stop) {
            continue;
        }
        host = memory_region_get_ram_ptr(fr->mr) + fr->offset_in_region +
               (start - fr->addr);
        if (last && last->start + last->size == start &&
            last->host + last->size == host) {
            last->size += stop - start + 1;
        } else {
            GuestBlock block = { start, stop - start + 1, host };

            g_array_append_val(blocks, block);
        }
    }
    flatview_unref(view);
    return blocks;
}

static GByteArray *cpu_notes(void)
{
    GByteArray *notes = g_byte_array_new();

    for (int late = 0; late < 2; late++) {
        for (guint i = 0; cpus && i < cpus->len; i++) {
            CPUState *cpu = g_ptr_array_index(cpus, i);
            CPUClass *cc = CPU_GET_CLASS(cpu);

            cpu_synchronize_state(cpu);
            if (cc->write_elf_notes) {
                cc->write_elf_notes(cpu, notes, cpu->cpu_index + 1, late);
            }
        }
    }
    return notes;
}

/* The headers up to the notes, for 32 or 64-bit ELF. */
static void elf_headers(GByteArray *out, bool is64, int machine,
                        GArray *blocks, size_t notes_size)
{
    size_t ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    size_t shentsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
    size_t phentsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    unsigned phnum = blocks->len + 1;
    uint64_t phoff = ehsize + 2 * shentsize;
    uint64_t offset = phoff + phnum * phentsize;
    uint64_t shstr_offset = offset + notes_size;

    for (guint i = 0; i < blocks->len; i++) {
        shstr_offset += g_array_index(blocks, GuestBlock, i).size;
    }
    if (is64) {
        Elf64_Ehdr eh = {
            .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
                         ELFDATA2LSB, EV_CURRENT },
            .e_type = ET_CORE, .e_machine = machine, .e_version = EV_CURRENT,
            .e_phoff = phoff, .e_shoff = ehsize, .e_ehsize = ehsize,
            .e_phentsize = phentsize, .e_phnum = phnum,
            .e_shentsize = shentsize, .e_shnum = 2, .e_shstrndx = 1,
        };
        Elf64_Shdr sh[2] = { {0}, { .sh_name = 1, .sh_type = SHT_STRTAB,
                                    .sh_offset = shstr_offset,
                                    .sh_size = sizeof(shstrtab) } };
        Elf64_Phdr note = { .p_type = PT_NOTE, .p_offset = offset,
                            .p_filesz = notes_size, .p_memsz = notes_size };

        g_byte_array_append(out, (uint8_t *)&eh, sizeof(eh));
        g_byte_array_append(out, (uint8_t *)sh, sizeof(sh));
        g_byte_array_append(out, (uint8_t *)&note, sizeof(note));
    } else {
        Elf32_Ehdr eh = {
            .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32,
                         ELFDATA2LSB, EV_CURRENT },
            .e_type = ET_CORE, .e_machine = machine, .e_version = EV_CURRENT,
            .e_phoff = phoff, .e_shoff = ehsize, .e_ehsize = ehsize,
            .e_phentsize = phentsize, .e_phnum = phnum,
            .e_shentsize = shentsize, .e_shnum = 2, .e_shstrndx = 1,
        };
        Elf32_Shdr sh[2] = { {0}, { .sh_name = 1, .sh_type = SHT_STRTAB,
                                    .sh_offset = shstr_offset,
                                    .sh_size = sizeof(shstrtab) } };
        Elf32_Phdr note = { .p_type = PT_NOTE, .p_offset = offset,
                            .p_filesz = notes_size, .p_memsz = notes_size };

        g_byte_array_append(out, (uint8_t *)&eh, sizeof(eh));
        g_byte_array_append(out, (uint8_t *)sh, sizeof(sh));
        g_byte_array_append(out, (uint8_t *)&note, sizeof(note));
    }
    offset += notes_size;
    for (guint i = 0; i < blocks->len; i++) {
        GuestBlock *b = &g_array_index(blocks, GuestBlock, i);

        /* Without paging the virtual address is the physical one. */
        if (is64) {
            Elf64_Phdr ph = { .p_type = PT_LOAD, .p_offset = offset,
                              .p_vaddr = b->start, .p_paddr = b->start,
                              .p_filesz = b->size, .p_memsz = b->size };

            g_byte_array_append(out, (uint8_t *)&ph, sizeof(ph));
        } else {
            Elf32_Phdr ph = { .p_type = PT_LOAD, .p_offset = offset,
                              .p_vaddr = b->start, .p_paddr = b->start,
                              .p_filesz = b->size, .p_memsz = b->size };

            g_byte_array_append(out, (uint8_t *)&ph, sizeof(ph));
        }
        offset += b->size;
    }
}

static bool write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len) {
        ssize_t n = write(fd, p, MIN(len, 1 << 20));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

/*
 * What query-dump and `info dump` report: the last dump that got as far
 * as its file (a refused command leaves it as it was, as QEMU's).
 */
static const char *last_dump_status = "none";
static uint64_t last_dump_total, last_dump_completed;

/*
 * Writes the core of [begin, begin + length) (everything when !has_range)
 * into path, created with mode 0400 as QEMU creates it.
 */
static bool dump_guest_memory(const char *path, bool has_range,
                              uint64_t begin, uint64_t length, Error **errp)
{
    CPUState *first = cpus && cpus->len ? g_ptr_array_index(cpus, 0) : NULL;
    CPUClass *cc = first ? CPU_GET_CLASS(first) : NULL;
    uint64_t end = has_range ? begin + length : 0;
    g_autoptr(GArray) blocks = NULL;
    g_autoptr(GByteArray) notes = NULL;
    g_autoptr(GByteArray) headers = NULL;
    bool was_running = runstate_is_running();
    bool ok;
    int fd;

    if (!cc || !cc->elf_machine) {
        error_setg(errp, "this feature or command is not currently "
                   "supported");
        return false;
    }
    if (has_range && (!length || end - 1 < begin)) {
        error_setg(errp, "Parameter 'length' expects a non-empty range "
                   "within the address space");
        return false;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0400);
    if (fd < 0) {
        error_setg(errp, "Could not open '%s': %s", path, strerror(errno));
        return false;
    }
    if (was_running) {
        pause_all_vcpus();
    }
    blocks = guest_blocks(has_range ? begin : 0, has_range ? end : 0);
    last_dump_total = last_dump_completed = 0;
    for (guint i = 0; i < blocks->len; i++) {
        last_dump_total += g_array_index(blocks, GuestBlock, i).size;
    }
    notes = cpu_notes();
    headers = g_byte_array_new();
    elf_headers(headers, cc->address_bytes == 8, cc->elf_machine(first),
                blocks, notes->len);
    ok = write_all(fd, headers->data, headers->len) &&
         write_all(fd, notes->data, notes->len);
    for (guint i = 0; ok && i < blocks->len; i++) {
        GuestBlock *b = &g_array_index(blocks, GuestBlock, i);

        ok = write_all(fd, b->host, b->size);
        last_dump_completed += ok ? b->size : 0;
    }
    ok = ok && write_all(fd, shstrtab, sizeof(shstrtab));
    if (was_running) {
        resume_all_vcpus();
    }
    if (close(fd) != 0 || !ok) {
        error_setg(errp, "dump: failed to save memory: %s", strerror(errno));
        last_dump_status = "failed";
        return false;
    }
    last_dump_status = "completed";
    return true;
}

/* ---- HMP ---- */

static void hmp_dump_guest_memory(Monitor *mon, const MonitorArgs *args)
{
    static const char *const unsupported[] = { "paging", "zlib", "lzo",
                                               "snappy", "windmp" };
    bool has_begin = monitor_arg_has(args, "begin");
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++) {
        if (monitor_arg_flag(args, unsupported[i])) {
            monitor_printf(mon, "Error: dump-guest-memory: emu does not "
                           "write paging, kdump or Windows dumps yet\n");
            return;
        }
    }
    if (has_begin && !monitor_arg_has(args, "length")) {
        monitor_printf(mon, "Error: Parameter 'length' is missing\n");
        return;
    }
    /* -d (detach) needs nothing: the dump is done when the command is. */
    if (!dump_guest_memory(monitor_arg_str(args, "filename"), has_begin,
                           monitor_arg_uint(args, "begin"),
                           monitor_arg_uint(args, "length"), &err)) {
        hmp_handle_error(mon, err);
    }
}

static void hmp_info_dump(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "Status: %s\n", last_dump_status);
}

static const HMPCommand hmp_dump_info_commands[] = {
    { "dump", "", "", "Display the latest dump status", hmp_info_dump },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_dump_info_commands)

static const HMPCommand hmp_dump_commands[] = {
    { "dump-guest-memory",
      "paging:-p,detach:-d,zlib:-z,lzo:-l,snappy:-s,windmp:-w,filename:s,"
      "begin:i?,length:i?",
      "[-p] [-d] [-z|-l|-s|-w] filename [begin length]",
      "dump guest memory into file 'filename'.", hmp_dump_guest_memory },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_dump_commands)

/* ---- QMP ---- */

static JsonNode *qmp_dump_guest_memory(QMPCall *call, Error **errp)
{
    const char *protocol = qmp_arg_str(call, "protocol");
    bool has_begin = qmp_arg_has(call, "begin");

    if (qmp_arg_bool(call, "paging") ||
        (qmp_arg_has(call, "format") &&
         strcmp(qmp_arg_str(call, "format"), "elf"))) {
        error_setg(errp, "emu does not write paging, kdump or Windows "
                   "dumps yet");
        return NULL;
    }
    if (!g_str_has_prefix(protocol, "file:")) {
        error_setg(errp, "Invalid parameter 'protocol'");
        return NULL;
    }
    if (has_begin != qmp_arg_has(call, "length")) {
        error_setg(errp, "Parameter '%s' is missing",
                   has_begin ? "length" : "begin");
        return NULL;
    }
    if (!dump_guest_memory(protocol + strlen("file:"), has_begin,
                           has_begin ? qmp_arg_uint(call, "begin") : 0,
                           has_begin ? qmp_arg_uint(call, "length") : 0,
                           errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_query_dump(QMPCall *call, Error **errp)
{
    JsonObject *obj = json_object_new();

    json_object_set_string_member(obj, "status", last_dump_status);
    json_object_set_int_member(obj, "completed", last_dump_completed);
    json_object_set_int_member(obj, "total", last_dump_total);
    return qmp_return_object(obj);
}

static const QMPCommand qmp_dump_commands[] = {
    { "dump-guest-memory", "paging:b,protocol:s,detach:b?,begin:u?,"
      "length:u?,format:s?", qmp_dump_guest_memory },
    { "query-dump", "", qmp_query_dump },
};

DEFINE_QMP_COMMANDS(qmp_dump_commands)
