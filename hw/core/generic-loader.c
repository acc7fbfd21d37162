/*
 * The generic loader, as QEMU's: puts bytes into guest memory (and
 * optionally a vCPU's PC) at every reset, from the command line:
 *   -device loader,addr=0x1000,data=0x12345678,data-len=4
 *   -device loader,file=blob.bin,addr=0x20000000
 *   -device loader,addr=0x8000,cpu-num=0        (start CPU 0 there)
 *   -device loader,file=prog.elf,cpu-num=0      (ELF: segments, entry)
 * An ELF file's PT_LOAD segments go to their physical addresses, and the
 * vCPU named by cpu-num starts at its entry point (addr is not used), as
 * with QEMU.  Other files (and ELF files with force-raw=on) are raw
 * images, no larger than the machine's RAM, loaded at addr.  cpu-num
 * must name a vCPU that exists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/qdev.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "hw/core/elf-image.h"
#include "hw/loader.h"
#include "semihosting/semihost.h"

#define TYPE_GENERIC_LOADER "loader"
#define LOADER_NO_CPU UINT32_MAX

typedef struct GenericLoaderState {
    DeviceState parent_obj;
    uint64_t addr;
    uint64_t data;
    uint8_t data_len;
    bool data_be;
    char *file;
    bool force_raw;
    uint32_t cpu_num;
    uint8_t *image;              /* what is written at each reset */
    gsize image_len;
    char *elf_file;              /* an ELF file's bytes; elf points in */
    ElfImage elf;
} GenericLoaderState;

#define GENERIC_LOADER(obj) \
    INSTANCE_CAST(GenericLoaderState, (obj), TYPE_GENERIC_LOADER)

/*
 * Reads the image at path into s->image.  Like QEMU, an image larger than
 * the machine's RAM (its size, wherever the image goes) is refused, and
 * reading stops there: /dev/zero or a huge file cannot fill the host.
 */
static bool read_image(GenericLoaderState *s, uint64_t max, Error **errp)
{
    FILE *f = fopen(s->file, "rbe");
    g_autofree uint8_t *image = NULL;
    size_t len = 0, room = 0;
    size_t n;

    if (!f) {
        error_setg(errp, "loader: cannot read '%s': %s", s->file,
                   strerror(errno));
        return false;
    }
    do {
        if (len == room) {
            room = MAX(65536, room * 2);
            image = g_realloc(image, room);
        }
        /* At most one byte past max: enough to know it is too big. */
        n = fread(image + len, 1, MIN(room - len, max + 1 - len), f);
        len += n;
    } while (n > 0 && len <= max);
    if (ferror(f)) {
        error_setg(errp, "loader: cannot read '%s': %s", s->file,
                   strerror(errno));
        fclose(f);
        return false;
    }
    fclose(f);
    if (len > max) {
        error_setg(errp, "Cannot load specified image %s", s->file);
        return false;
    }
    s->image_len = len;
    s->image = g_steal_pointer(&image);
    return true;
}

/* Whether the file starts with the ELF magic (it is read whole then). */
static bool file_is_elf(const char *path)
{
    uint8_t magic[4 /* SELFMAG */];
    FILE *f = fopen(path, "rbe");
    bool elf;

    if (!f) {
        return false;           /* read_image reports it */
    }
    elf = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
          elf_is_elf(magic, sizeof(magic));
    fclose(f);
    return elf;
}

static bool read_elf(GenericLoaderState *s, Error **errp)
{
    gsize len;
    GError *gerr = NULL;

    if (!g_file_get_contents(s->file, &s->elf_file, &len, &gerr)) {
        error_setg(errp, "loader: cannot read '%s': %s", s->file,
                   gerr->message);
        g_error_free(gerr);
        return false;
    }
    if (!elf_image_parse(&s->elf, s->file, (const uint8_t *)s->elf_file, len,
                         errp)) {
        error_prepend(errp, "loader: ");
        return false;
    }
    semihosting_note_image(s->elf.low, s->elf.high - s->elf.low);
    elf_image_add_roms(&s->elf, s->file);
    return true;
}

static bool loader_realize(DeviceState *dev, Error **errp)
{
    GenericLoaderState *s = GENERIC_LOADER(dev);

    if (s->file && s->data_len) {
        error_setg(errp, "loader: give either file= or data=/data-len=, "
                   "not both");
        return false;
    }
    if (s->cpu_num != LOADER_NO_CPU && (!cpus || s->cpu_num >= cpus->len)) {
        /* QEMU's words, and its %d */
        error_setg(errp, "Specified boot CPU#%d is nonexistent",
                   (int)s->cpu_num);
        return false;
    }
    if (s->file && !s->force_raw && file_is_elf(s->file)) {
        return read_elf(s, errp);
    }
    if (s->file) {
        if (!read_image(s, current_machine ? current_machine->ram_size : 0,
                        errp)) {
            return false;
        }
        /* Semihosting's SYS_HEAPINFO puts the heap after the image. */
        semihosting_note_image(s->addr, s->image_len);
        rom_list_add_image(s->file, s->addr, s->image_len, ROM_VIEW_CPU);
        return true;
    }
    if (s->data_len) {
        if (s->data_len != 1 && s->data_len != 2 && s->data_len != 4 &&
            s->data_len != 8) {
            error_setg(errp, "loader: data-len must be 1, 2, 4 or 8, not %u",
                       s->data_len);
            return false;
        }
        if (s->data_len < 8 && s->data >> (s->data_len * 8)) {
            error_setg(errp, "loader: data 0x%" PRIx64 " does not fit in "
                       "%u bytes", s->data, s->data_len);
            return false;
        }
        s->image_len = s->data_len;
        s->image = g_malloc(s->data_len);
        for (unsigned i = 0; i < s->data_len; i++) {
            unsigned byte = s->data_be ? s->data_len - 1 - i : i;

            s->image[i] = s->data >> (8 * byte);
        }
        return true;
    }
    if (s->cpu_num == LOADER_NO_CPU) {
        error_setg(errp, "loader: nothing to load: give file=, data= with "
                   "data-len=, or cpu-num= to set a CPU's PC");
        return false;
    }
    return true;
}

static void loader_reset(DeviceState *dev)
{
    GenericLoaderState *s = GENERIC_LOADER(dev);
    uint64_t pc = s->addr;

    if (s->elf.segments) {
        elf_image_write(&s->elf);
        pc = s->elf.entry;
    }

    if (s->image) {
        loader_write_image(s->addr, s->image, s->image_len);
    }
    if (s->cpu_num != LOADER_NO_CPU) {
        /* realize made sure the vCPU exists */
        CPUState *cpu = g_ptr_array_index(cpus, s->cpu_num);
        CPUClass *cc = CPU_GET_CLASS(cpu);

        if (cc->set_pc) {
            cc->set_pc(cpu, pc);
        }
    }
}

static void loader_finalize(Object *obj)
{
    GenericLoaderState *s = GENERIC_LOADER(obj);

    g_free(s->image);
    elf_image_clear(&s->elf);
    g_free(s->elf_file);
}

static const Property loader_properties[] = {
    DEFINE_PROP_UINT("addr", GenericLoaderState, addr, 0,
                     "guest physical address to load at"),
    DEFINE_PROP_UINT("data", GenericLoaderState, data, 0,
                     "value to store (with data-len)"),
    DEFINE_PROP_UINT("data-len", GenericLoaderState, data_len, 0,
                     "size of data in bytes: 1, 2, 4 or 8"),
    DEFINE_PROP_BOOL("data-be", GenericLoaderState, data_be, false,
                     "store data big-endian"),
    DEFINE_PROP_STRING("file", GenericLoaderState, file,
                       "ELF file or raw image to load"),
    DEFINE_PROP_BOOL("force-raw", GenericLoaderState, force_raw, false,
                     "load an ELF file's bytes as they are, at addr"),
    DEFINE_PROP_UINT("cpu-num", GenericLoaderState, cpu_num, LOADER_NO_CPU,
                     "CPU whose PC is set to addr"),
};

static void loader_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "Generic Loader";
    dc->realize = loader_realize;
    dc->reset = loader_reset;
    dc->user_creatable = true;
    class_add_properties(klass, loader_properties,
                         ARRAY_SIZE(loader_properties));
}

static const TypeInfo loader_types[] = {
    {
        .name = TYPE_GENERIC_LOADER,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(GenericLoaderState),
        .class_init = loader_class_init,
        .instance_finalize = loader_finalize,
    },
};

DEFINE_TYPES(loader_types)
