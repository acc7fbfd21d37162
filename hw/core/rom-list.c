/*
 * The list of images boards and loaders put into the guest (include/
 * hw/loader.h): what `info roms` prints, in QEMU 7.2's order and words,
 * and the check that refuses two images written over each other.
 *
 * QEMU keeps one list of "ROMs" ordered by address space, then address;
 * the board's own images (firmware, fw_cfg files) sit in the system
 * address space, which sorts before the CPU's view through which
 * kernels and the generic loader write.  emu's boards write their images
 * themselves at reset; they describe them here once, when they load them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/loader.h"
#include "monitor/monitor.h"
#include "softmmu/memory.h"

typedef enum RomKind {
    ROM_AT_ADDR,                 /* addr=... mem=... */
    ROM_FW_FILE,                 /* fw=DIR/FILE */
    ROM_IN_REGION,               /* REGION size=... */
} RomKind;

typedef struct Rom {
    RomKind kind;
    RomView view;
    char *name;
    hwaddr addr;                 /* sort key for the other kinds too */
    uint64_t size;
    char *where;                 /* fw path or region name */
} Rom;

static GPtrArray *roms;          /* Rom *, in QEMU's order */

/* Same view and address: the later one after the earlier, as QEMU. */
static bool rom_sorts_before(const Rom *a, const Rom *b)
{
    return a->view < b->view || (a->view == b->view && a->addr < b->addr);
}

static void rom_insert(RomKind kind, RomView view, const char *name,
                       hwaddr addr, uint64_t size, char *where)
{
    Rom *rom = g_new(Rom, 1);
    guint i;

    *rom = (Rom){ kind, view, g_strdup(name), addr, size, where };
    if (!roms) {
        roms = g_ptr_array_new();
    }
    for (i = 0; i < roms->len; i++) {
        if (rom_sorts_before(rom, g_ptr_array_index(roms, i))) {
            break;
        }
    }
    g_ptr_array_insert(roms, i, rom);
}

void rom_list_add_image(const char *name, hwaddr addr, uint64_t size,
                        RomView view)
{
    rom_insert(ROM_AT_ADDR, view, name, addr, size, NULL);
}

void rom_list_add_fw_file(const char *fw_dir, const char *name, uint64_t size)
{
    g_autofree char *base = g_path_get_basename(name);

    /* QEMU's option ROMs go at address 0 of the system view. */
    rom_insert(ROM_FW_FILE, ROM_VIEW_SYSTEM, name, 0, size,
               g_strdup_printf("%s/%s", fw_dir, base));
}

void rom_list_add_in_region(const char *region, const char *name,
                            uint64_t size)
{
    rom_insert(ROM_IN_REGION, ROM_VIEW_SYSTEM, name, 0, size,
               g_strdup(region));
}

void rom_list_add_fw_blob(const char *fw_file, uint64_t size)
{
    /* QEMU keeps these in RAM regions named after the file, at no guest
     * address (-1): after everything else in the system view. */
    rom_insert(ROM_IN_REGION, ROM_VIEW_SYSTEM, fw_file, UINT64_MAX, size,
               g_strdup_printf("/rom@%s", fw_file));
}

/* QEMU's names of the two address spaces, for the overlap message. */
static const char *rom_view_name(RomView view)
{
    return view == ROM_VIEW_CPU ? "cpu-memory-0" : "memory";
}

bool rom_list_check_overlaps(Error **errp)
{
    const Rom *prev = NULL;

    for (guint i = 0; roms && i < roms->len; i++) {
        const Rom *rom = g_ptr_array_index(roms, i);

        if (rom->kind != ROM_AT_ADDR) {
            continue;
        }
        if (prev && prev->view == rom->view &&
            rom->addr < prev->addr + prev->size) {
            error_setg(errp, "Some ROM regions are overlapping");
            error_append_hint(errp,
                "These ROM regions might have been loaded by direct user "
                "request or by default.\n"
                "They could be BIOS/firmware images, a guest kernel, initrd "
                "or some other file loaded into guest memory.\n"
                "Check whether you intended to load all this guest code, and "
                "whether it has been built to load to the correct "
                "addresses.\n\n"
                "The following two regions overlap (in the %s address "
                "space):\n"
                "  %s (addresses 0x%016" HWADDR_PRIx " - 0x%016" HWADDR_PRIx
                ")\n"
                "  %s (addresses 0x%016" HWADDR_PRIx " - 0x%016" HWADDR_PRIx
                ")\n", rom_view_name(rom->view),
                prev->name, prev->addr, prev->addr + prev->size,
                rom->name, rom->addr, rom->addr + rom->size);
            return false;
        }
        prev = rom;
    }
    return true;
}

/* QEMU's mem=rom: the address is in ROM (read-only RAM), not a device. */
static bool rom_is_in_rom(hwaddr addr)
{
    FlatView *view = address_space_get_flatview(&address_space_memory);
    const FlatRange *range = flatview_lookup(view, addr);
    bool rom = range && range->readonly && range->mr->kind != MR_ROMD;

    flatview_unref(view);
    return rom;
}

void rom_list_format(GString *out)
{
    for (guint i = 0; roms && i < roms->len; i++) {
        const Rom *rom = g_ptr_array_index(roms, i);

        switch (rom->kind) {
        case ROM_AT_ADDR:
            g_string_append_printf(out, "addr=%016" HWADDR_PRIx
                                   " size=0x%06" PRIx64 " mem=%s name=\"%s\"\n",
                                   rom->addr, rom->size,
                                   rom_is_in_rom(rom->addr) ? "rom" : "ram",
                                   rom->name);
            break;
        case ROM_FW_FILE:
            g_string_append_printf(out, "fw=%s size=0x%06" PRIx64
                                   " name=\"%s\"\n", rom->where, rom->size,
                                   rom->name);
            break;
        case ROM_IN_REGION:
            g_string_append_printf(out, "%s size=0x%06" PRIx64
                                   " name=\"%s\"\n", rom->where, rom->size,
                                   rom->name);
            break;
        }
    }
}

static void hmp_info_roms(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);

    rom_list_format(out);
    monitor_puts(mon, out->str);
}

static const HMPCommand rom_list_info_commands[] = {
    { "roms", "", "", "show roms", hmp_info_roms },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, rom_list_info_commands)
