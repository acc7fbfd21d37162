/*
 * -kernel on the ARM boards with a device tree (include/hw/arm/boot.h):
 * a zImage, raw Image, U-Boot uImage or ELF image, with -initrd and
 * -append, laid
 * out in RAM as QEMU 7.2 lays them out so that a kernel finds the same
 * addresses; -dtb, the user's device tree in place of the board's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <elf.h>
#include <libfdt.h>
#include "hw/arm/boot.h"
#include "hw/core/cpu.h"
#include "hw/core/uimage.h"
#include "hw/loader.h"
#include "hw/nvram/fw_cfg.h"
#include "softmmu/memory.h"

#define KERNEL_LOAD_OFFSET 0x00010000
/* Where a kernel_noload uImage's header goes, QEMU's place for it. */
#define KERNEL_NOLOAD_OFFSET 0x02000000
#define INITRD_MAX_OFFSET (128 * 1024 * 1024)
#define BOOT_ALIGN 4096
/* The entry stub's words (QEMU's "bootloader" ROM). */
#define BOOT_STUB_WORDS 7

static hwaddr boot_align(hwaddr addr)
{
    return (addr + BOOT_ALIGN - 1) & ~(hwaddr)(BOOT_ALIGN - 1);
}

/* mov r0, #0; ldr r1, =~0; ldr r2, =dtb; ldr pc, =kernel: as QEMU's. */
static void arm_linux_boot_stub(ARMLinuxBoot *b,
                                uint32_t stub[BOOT_STUB_WORDS])
{
    stub[0] = 0xe3a00000;        /* mov r0, #0 */
    stub[1] = 0xe59f1004;        /* ldr r1, [pc, #4] */
    stub[2] = 0xe59f2004;        /* ldr r2, [pc, #4] */
    stub[3] = 0xe59ff004;        /* ldr pc, [pc, #4] */
    stub[4] = 0xffffffff;        /* r1: no machine number */
    stub[5] = b->dtb_start;
    stub[6] = b->entry;
}

/* A uImage in place of the file's contents: its payload at its load
 * address (or, for a kernel_noload, where QEMU puts it), inside RAM. */
static bool arm_boot_take_uimage(ARMLinuxBoot *b, MachineState *ms,
                                 Error **errp)
{
    hwaddr ram_end = b->ram_base + ms->ram_size;
    UImage img;

    if (!uimage_parse(&img, ms->kernel_filename, b->kernel, b->kernel_size,
                      errp)) {
        return false;
    }
    g_free(b->kernel);
    b->kernel = img.data;
    b->kernel_size = img.size;
    b->is_linux = img.is_linux;
    if (img.noload) {
        /* The payload where it would be had the whole file been put at
         * the noload address; the entry point is relative to it. */
        b->kernel_start = b->ram_base + KERNEL_NOLOAD_OFFSET + 64;
        b->entry = b->kernel_start + img.entry;
    } else {
        b->kernel_start = img.load;
        b->entry = img.entry;
    }
    if (b->kernel_start < b->ram_base || b->kernel_start >= ram_end ||
        b->kernel_size > ram_end - b->kernel_start) {
        error_setg(errp, "could not load kernel '%s': uImage \"%s\" loads "
                   "%zu bytes at 0x%" PRIx64 ", outside RAM [0x%" PRIx64
                   ", 0x%" PRIx64 ")", ms->kernel_filename, img.name,
                   b->kernel_size, (uint64_t)b->kernel_start,
                   (uint64_t)b->ram_base, (uint64_t)ram_end);
        return false;
    }
    if (!b->is_linux && ms->initrd_filename) {
        error_setg(errp, "-initrd needs a Linux kernel: uImage '%s' is for "
                   "another OS", ms->kernel_filename);
        return false;
    }
    return true;
}

/*
 * An ELF image in place of the file's contents, as QEMU takes one: its
 * PT_LOAD segments at their physical addresses (each inside RAM here),
 * entered at e_entry (bit 0: Thumb) with the registers at their reset
 * values, as an image that is not Linux; the device tree at the start
 * of RAM when it fits below the image (QEMU leaves it out otherwise).
 */
static bool arm_boot_take_elf(ARMLinuxBoot *b, MachineState *ms,
                              Error **errp)
{
    hwaddr ram_end = b->ram_base + ms->ram_size;

    if (!elf_image_parse(&b->elf, ms->kernel_filename, b->kernel,
                         b->kernel_size, errp)) {
        return false;
    }
    if (b->elf.is64 || b->elf.machine != EM_ARM) {
        error_setg(errp, "could not load kernel '%s': it is a %d-bit ELF "
                   "file for machine %u, not for 32-bit ARM (%d)",
                   ms->kernel_filename, b->elf.is64 ? 64 : 32,
                   b->elf.machine, EM_ARM);
        return false;
    }
    for (guint i = 0; i < b->elf.segments->len; i++) {
        ElfSegment *seg = &g_array_index(b->elf.segments, ElfSegment, i);

        if (seg->paddr < b->ram_base || seg->paddr >= ram_end ||
            seg->memsz > ram_end - seg->paddr) {
            error_setg(errp, "could not load kernel '%s': its segment at "
                       "0x%" PRIx64 " (%" PRIu64 " bytes) is outside RAM "
                       "[0x%" PRIx64 ", 0x%" PRIx64 ")", ms->kernel_filename,
                       seg->paddr, seg->memsz, (uint64_t)b->ram_base,
                       (uint64_t)ram_end);
            return false;
        }
    }
    if (ms->initrd_filename) {
        error_setg(errp, "-initrd needs a Linux kernel: '%s' is an ELF "
                   "image", ms->kernel_filename);
        return false;
    }
    b->is_elf = true;
    b->is_linux = false;
    b->entry = b->elf.entry;
    b->kernel_start = b->elf.low;
    b->kernel_size = b->elf.high - b->elf.low;
    return true;
}

bool arm_linux_boot_load(ARMLinuxBoot *b, MachineState *ms, hwaddr ram_base,
                         Error **errp)
{
    hwaddr ram_end = ram_base + ms->ram_size;

    b->ram_base = ram_base;
    b->kernel_start = ram_base + KERNEL_LOAD_OFFSET;
    b->entry = b->kernel_start;
    b->is_linux = true;
    if (!load_file("kernel", ms->kernel_filename, &b->kernel,
                   &b->kernel_size, errp)) {
        return false;
    }
    if (elf_is_elf(b->kernel, b->kernel_size)) {
        if (!arm_boot_take_elf(b, ms, errp)) {
            return false;
        }
    } else if (uimage_is_uimage(b->kernel, b->kernel_size)) {
        if (!arm_boot_take_uimage(b, ms, errp)) {
            return false;
        }
    } else if (b->kernel_size > ram_end - b->kernel_start) {
        error_setg(errp, "could not load kernel '%s': it has %zu bytes, "
                   "more than RAM holds above 0x%" PRIx64,
                   ms->kernel_filename, b->kernel_size,
                   (uint64_t)b->kernel_start);
        return false;
    }
    /* Far enough in that the decompressed kernel does not overwrite it,
     * low enough that the kernel maps it (lowmem); past the image when
     * RAM is so small that the image reaches there. */
    b->initrd_start = ram_base + MIN(ms->ram_size / 2, INITRD_MAX_OFFSET);
    b->initrd_start = MAX(b->initrd_start,
                          boot_align(b->kernel_start + b->kernel_size));
    if (ms->initrd_filename) {
        if (!load_file("initrd", ms->initrd_filename, &b->initrd,
                       &b->initrd_size, errp)) {
            return false;
        }
        if (b->initrd_start >= ram_end ||
            b->initrd_size > ram_end - b->initrd_start) {
            error_setg(errp, "could not load initrd '%s': it has %zu "
                       "bytes, more than RAM holds above 0x%" PRIx64,
                       ms->initrd_filename, b->initrd_size,
                       (uint64_t)b->initrd_start);
            return false;
        }
    }
    b->dtb_start = b->is_linux ? boot_align(b->initrd_start + b->initrd_size)
                               : ram_base;
    b->has_dtb = true;
    if (b->is_linux) {
        rom_list_add_image("bootloader", ram_base, BOOT_STUB_WORDS * 4,
                           ROM_VIEW_CPU);
    }
    if (b->is_elf) {
        elf_image_add_roms(&b->elf, ms->kernel_filename);
    } else {
        rom_list_add_image(ms->kernel_filename, b->kernel_start,
                           b->kernel_size, ROM_VIEW_CPU);
    }
    if (b->initrd_size) {
        rom_list_add_image(ms->initrd_filename, b->initrd_start,
                           b->initrd_size, ROM_VIEW_CPU);
    }
    if (b->dtb_start >= ram_end) {
        error_setg(errp, "Not enough space for DTB after kernel/initrd");
        return false;
    }
    return true;
}

bool arm_linux_boot_fdt(ARMLinuxBoot *b, MachineState *ms, void *fdt,
                        Error **errp)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    int err = chosen < 0 ? chosen : 0;

    if (b->is_elf && b->dtb_start + fdt_totalsize(fdt) > b->kernel_start) {
        b->has_dtb = false;      /* no room below the image */
        return true;
    }
    if (b->dtb_start + fdt_totalsize(fdt) > b->ram_base + ms->ram_size) {
        error_setg(errp, "Not enough space for DTB after kernel/initrd");
        return false;
    }
    if (!err && ms->kernel_cmdline && ms->kernel_cmdline[0]) {
        err = fdt_setprop_string(fdt, chosen, "bootargs",
                                 ms->kernel_cmdline);
    }
    /* One cell each, as QEMU writes them for a 32-bit kernel. */
    if (!err && b->initrd_size) {
        err = fdt_setprop_u32(fdt, chosen, "linux,initrd-start",
                              b->initrd_start);
        if (!err) {
            err = fdt_setprop_u32(fdt, chosen, "linux,initrd-end",
                                  b->initrd_start + b->initrd_size);
        }
    }
    if (err) {
        error_setg(errp, "cannot add the boot arguments to the device "
                   "tree: %s", fdt_strerror(err));
        return false;
    }
    rom_list_add_image("dtb", b->dtb_start, fdt_totalsize(fdt), ROM_VIEW_CPU);
    return true;
}

/* A whole file as a fw_cfg item and its size in another. */
static bool fw_cfg_add_image(FWCfgState *fw_cfg, const char *what,
                             const char *filename, uint16_t size_key,
                             uint16_t data_key, Error **errp)
{
    uint8_t *data;
    size_t size;

    if (!load_file(what, filename, &data, &size, errp)) {
        return false;
    }
    if (size > UINT32_MAX) {
        error_setg(errp, "%s '%s' is too large for fw_cfg (%zu bytes)", what,
                   filename, size);
        g_free(data);
        return false;
    }
    fw_cfg_add_i32(fw_cfg, size_key, size);
    fw_cfg_add_bytes(fw_cfg, data_key, data, size);
    g_free(data);
    return true;
}

bool arm_firmware_boot_kernel(MachineState *ms, FWCfgState *fw_cfg,
                              void *fdt, Error **errp)
{
    const char *cmdline = ms->kernel_cmdline ? ms->kernel_cmdline : "";

    if (!fw_cfg_add_image(fw_cfg, "kernel", ms->kernel_filename,
                          FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA, errp) ||
        (ms->initrd_filename &&
         !fw_cfg_add_image(fw_cfg, "initrd", ms->initrd_filename,
                           FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA, errp))) {
        return false;
    }
    fw_cfg_add_i32(fw_cfg, FW_CFG_CMDLINE_SIZE, strlen(cmdline) + 1);
    fw_cfg_add_string(fw_cfg, FW_CFG_CMDLINE_DATA, cmdline);
    if (cmdline[0]) {
        int chosen = fdt_path_offset(fdt, "/chosen");
        int err = chosen < 0 ? chosen
                  : fdt_setprop_string(fdt, chosen, "bootargs", cmdline);

        if (err) {
            error_setg(errp, "cannot add the boot arguments to the device "
                       "tree: %s", fdt_strerror(err));
            return false;
        }
    }
    return true;
}

void arm_linux_boot_reset(ARMLinuxBoot *b, CPUState *cpu, const void *fdt)
{
    uint32_t stub[BOOT_STUB_WORDS];

    if (b->is_linux) {
        arm_linux_boot_stub(b, stub);
        address_space_write_rom(&address_space_memory, b->ram_base, stub,
                                sizeof(stub));
    }
    /* The tree before the kernel: a kernel of another OS loaded at the
     * start of RAM wins over the tree firmware would have found there. */
    if (b->has_dtb) {
        address_space_write_rom(&address_space_memory, b->dtb_start, fdt,
                                fdt_totalsize(fdt));
    }
    if (b->is_elf) {
        elf_image_write(&b->elf);
    } else {
        address_space_write_rom(&address_space_memory, b->kernel_start,
                                b->kernel, b->kernel_size);
    }
    if (b->initrd_size) {
        address_space_write_rom(&address_space_memory, b->initrd_start,
                                b->initrd, b->initrd_size);
    }
    CPU_GET_CLASS(cpu)->set_pc(cpu, b->is_linux ? b->ram_base : b->entry);
}

/* value in one or two big-endian cells (#address-cells or #size-cells). */
static int fdt_put_cells(uint8_t *out, int cells, uint64_t value)
{
    fdt32_t both[2] = { cpu_to_fdt32(value >> 32), cpu_to_fdt32(value) };

    memcpy(out, cells == 2 ? &both[0] : &both[1], 4 * cells);
    return 4 * cells;
}

/* A node /memory or /memory@..., or -1. */
static int fdt_root_memory_node(const void *fdt)
{
    int node;

    fdt_for_each_subnode(node, fdt, 0) {
        const char *name = fdt_get_name(fdt, node, NULL);

        if (name && (!strcmp(name, "memory") ||
                     g_str_has_prefix(name, "memory@"))) {
            return node;
        }
    }
    return -1;
}

void *arm_boot_load_dtb(MachineState *ms, hwaddr ram_base, Error **errp)
{
    g_autofree uint8_t *file = NULL;
    g_autofree char *memory = NULL;
    size_t size, grown;
    uint8_t reg[16];
    void *fdt = NULL;
    int acells, scells, node, len, err;

    if (!load_file("dtb", ms->dtb_filename, &file, &size, errp)) {
        return NULL;
    }
    err = fdt_check_full(file, size);
    if (err) {
        error_setg(errp, "dtb file '%s' is not a valid device tree: %s",
                   ms->dtb_filename, fdt_strerror(err));
        return NULL;
    }
    /* Room for what is added (memory, chosen, bootargs), as QEMU's
     * load_device_tree makes. */
    grown = (size + 10000) * 2;
    fdt = g_malloc0(grown);
    err = fdt_open_into(file, fdt, grown);
    acells = fdt_address_cells(fdt, 0);
    scells = fdt_size_cells(fdt, 0);
    if (!err && (acells < 1 || acells > 2 || scells < 1 || scells > 2)) {
        error_setg(errp, "dtb file '%s' invalid: #address-cells %d, "
                   "#size-cells %d at its root (1 or 2 each)",
                   ms->dtb_filename, acells, scells);
        goto fail;
    }
    if (!err && scells < 2 && ms->ram_size >= (4ULL << 30)) {
        error_setg(errp, "dtb file '%s' not compatible with RAM size > 4GB",
                   ms->dtb_filename);
        goto fail;
    }
    /* Its memory nodes make way for one that says what RAM there is. */
    while (!err && (node = fdt_root_memory_node(fdt)) >= 0) {
        err = fdt_nop_node(fdt, node);
    }
    memory = g_strdup_printf("memory@%" PRIx64, (uint64_t)ram_base);
    node = err ? err : fdt_add_subnode(fdt, 0, memory);
    err = node < 0 ? node : 0;
    if (!err) {
        err = fdt_setprop_string(fdt, node, "device_type", "memory");
    }
    if (!err) {
        len = fdt_put_cells(reg, acells, ram_base);
        len += fdt_put_cells(reg + len, scells, ms->ram_size);
        err = fdt_setprop(fdt, node, "reg", reg, len);
    }
    if (!err && fdt_path_offset(fdt, "/chosen") < 0) {
        err = fdt_add_subnode(fdt, 0, "chosen");
        err = err < 0 ? err : 0;
    }
    if (err) {
        error_setg(errp, "dtb file '%s': cannot add the memory node: %s",
                   ms->dtb_filename, fdt_strerror(err));
        goto fail;
    }
    return fdt;
fail:
    g_free(fdt);
    return NULL;
}

void arm_linux_boot_free(ARMLinuxBoot *b)
{
    elf_image_clear(&b->elf);
    g_free(b->kernel);
    g_free(b->initrd);
}
