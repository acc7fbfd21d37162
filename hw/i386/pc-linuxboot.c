/*
 * -kernel, -initrd and -append on the PC, the way QEMU's pc machine does
 * it: the board does not start the kernel itself; it hands the kernel's
 * real-mode setup (with the loader's fields of the setup header filled
 * in), the protected-mode kernel, the initrd and the command line to the
 * firmware through fw_cfg (the FW_CFG_SETUP_*, FW_CFG_KERNEL_*,
 * FW_CFG_INITRD_* and FW_CFG_CMDLINE_* items), together with QEMU's
 * linuxboot_dma.bin option ROM as the fw_cfg file
 * "genroms/linuxboot_dma.bin" and a "bootorder" that names it first.
 * SeaBIOS runs the ROM as a boot entry; the ROM copies the pieces to the
 * addresses in the ADDR items by fw_cfg DMA and jumps to the setup code
 * in real mode, as a boot loader would (Documentation/x86/boot.rst).
 *
 * The placement is QEMU's (x86_load_linux in QEMU's hw/i386/x86.c), so
 * a guest sees the same boot_params under emu as under QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "hw/i386/pc-linuxboot.h"
#include "hw/i386/x86-boot.h"
#include "hw/loader.h"
#include "sysemu/datadir.h"

/* Setup header offsets (the bzImage file and boot_params agree). */
#define HDR_SETUP_SECTS      0x1f1
#define HDR_MAGIC            0x202     /* "HdrS" */
#define HDR_VERSION          0x206
#define HDR_TYPE_OF_LOADER   0x210
#define HDR_LOADFLAGS        0x211
#define HDR_RAMDISK_IMAGE    0x218
#define HDR_RAMDISK_SIZE     0x21c
#define HDR_HEAP_END_PTR     0x224
#define HDR_CMD_LINE_PTR     0x228
#define HDR_INITRD_ADDR_MAX  0x22c
#define HDR_CMDLINE_SIZE     0x238
/* Before protocol 2.02 the command line is found through these. */
#define OLD_CL_MAGIC_OFFSET  0x20
#define OLD_CL_OFFSET        0x22
#define OLD_CL_MAGIC         0xa33f

#define LOADED_HIGH          0x01
#define CAN_USE_HEAP         0x80
/* type_of_loader: QEMU's ID (0xb), as QEMU writes it. */
#define LOADER_TYPE_QEMU     0xb0

/* Before 2.03 the header has no initrd_addr_max. */
#define OLD_INITRD_ADDR_MAX  0x37ffffff
/* Before 2.06 the header has no cmdline_size. */
#define OLD_CMDLINE_SIZE     255

/* The top of RAM below 4 GiB that SeaBIOS keeps for the ACPI tables
 * (QEMU's acpi_data_size for pc-i440fx): the initrd stays below it. */
#define PC_ACPI_DATA_SIZE    (0x20000 + 0x8000)

#define LINUXBOOT_ROM        "linuxboot_dma.bin"
#define LINUXBOOT_FW_CFG     "genroms/" LINUXBOOT_ROM

/* Where the three pieces go, by boot protocol (QEMU's choice). */
typedef struct LinuxBootLayout {
    hwaddr real_addr;            /* setup code */
    hwaddr cmdline_addr;
    hwaddr prot_addr;            /* protected-mode kernel */
} LinuxBootLayout;

static void linuxboot_layout(uint16_t protocol, uint8_t loadflags,
                             size_t cmdline_size, LinuxBootLayout *l)
{
    if (protocol < 0x200 || !(loadflags & LOADED_HIGH)) {
        /* zImage: everything below 640 KiB. */
        l->real_addr = 0x90000;
        l->cmdline_addr = 0x9a000 - cmdline_size;
        l->prot_addr = 0x10000;
    } else if (protocol < 0x202) {
        l->real_addr = 0x90000;
        l->cmdline_addr = 0x9a000 - cmdline_size;
        l->prot_addr = 0x100000;
    } else {
        l->real_addr = 0x10000;
        l->cmdline_addr = 0x20000;
        l->prot_addr = 0x100000;
    }
}

/* The option ROM: the -L directories, then Debian's qemu-system-data. */
static bool linuxboot_add_rom(FWCfgState *fw_cfg, Error **errp)
{
    g_autofree char *searched = NULL;
    g_autofree uint8_t *rom = NULL;
    const char *path;
    size_t size;
    static const char bootorder[] = "/rom@" LINUXBOOT_FW_CFG;

    path = datadir_find_default_firmware(LINUXBOOT_ROM, &searched);
    if (!path) {
        error_setg(errp, "-kernel on the PC needs QEMU's option ROM '%s' "
                   "(looked in %s)", LINUXBOOT_ROM, searched);
        error_append_hint(errp, "Install Debian's qemu-system-data package "
                          "or add its directory with -L DIR.\n");
        return false;
    }
    if (!load_file("option ROM", path, &rom, &size, errp)) {
        return false;
    }
    fw_cfg_add_file(fw_cfg, LINUXBOOT_FW_CFG, rom, size);
    rom_list_add_fw_file("genroms", LINUXBOOT_ROM, size);
    /* SeaBIOS boots what "bootorder" lists first (QEMU gives the ROM
     * bootindex 0); the file ends in a NUL, as QEMU writes it. */
    fw_cfg_add_file(fw_cfg, "bootorder", bootorder, sizeof(bootorder));
    return true;
}

bool pc_linuxboot_init(FWCfgState *fw_cfg, const X86RamLayout *ram,
                       const char *kernel_filename,
                       const char *initrd_filename, const char *cmdline,
                       Error **errp)
{
    g_autofree uint8_t *kernel = NULL;
    g_autofree uint8_t *initrd = NULL;
    size_t kernel_size, initrd_size = 0, setup_size;
    size_t cmdline_len = strlen(cmdline ? cmdline : "");
    uint16_t protocol;
    uint8_t *header;
    uint32_t initrd_max;
    size_t cmdline_max;
    LinuxBootLayout l;

    if (!load_file("kernel", kernel_filename, &kernel, &kernel_size, errp)) {
        return false;
    }
    header = kernel;
    if (kernel_size < HDR_CMDLINE_SIZE + 4 ||
        memcmp(header + HDR_MAGIC, "HdrS", 4) != 0) {
        error_setg(errp, "kernel '%s' is not a Linux kernel image: it has "
                   "no \"HdrS\" boot header at offset 0x%x",
                   kernel_filename, HDR_MAGIC);
        return false;
    }
    protocol = x86_ld16(header + HDR_VERSION);
    cmdline_max = protocol >= 0x206 ? x86_ld32(header + HDR_CMDLINE_SIZE)
                                    : OLD_CMDLINE_SIZE;
    if (cmdline_len > cmdline_max) {
        error_setg(errp, "the kernel command line (-append) has %zu "
                   "characters; kernel '%s' takes at most %zu",
                   cmdline_len, kernel_filename, cmdline_max);
        return false;
    }
    linuxboot_layout(protocol, header[HDR_LOADFLAGS], cmdline_len + 1, &l);

    setup_size = ((header[HDR_SETUP_SECTS] ? header[HDR_SETUP_SECTS] : 4)
                  + 1) * 512;
    if (setup_size >= kernel_size) {
        error_setg(errp, "kernel '%s' is truncated: its real-mode setup "
                   "(%zu bytes) takes the whole file (%zu bytes)",
                   kernel_filename, setup_size, kernel_size);
        return false;
    }
    if (l.prot_addr + kernel_size - setup_size > ram->below_4g) {
        g_autofree char *have = format_size(ram->below_4g);

        error_setg(errp, "kernel '%s' does not fit in the %s of RAM below "
                   "4 GiB", kernel_filename, have);
        error_append_hint(errp, "Give the machine more RAM with -m.\n");
        return false;
    }

    /* The loader's fields of the setup header. */
    if (protocol >= 0x202) {
        x86_st32(header + HDR_CMD_LINE_PTR, l.cmdline_addr);
    } else {
        x86_st16(header + OLD_CL_MAGIC_OFFSET, OLD_CL_MAGIC);
        x86_st16(header + OLD_CL_OFFSET, l.cmdline_addr - l.real_addr);
    }
    if (protocol >= 0x200) {
        header[HDR_TYPE_OF_LOADER] = LOADER_TYPE_QEMU;
    }
    if (protocol >= 0x201) {
        /* The setup code may use what lies between its end and the
         * command line as heap. */
        header[HDR_LOADFLAGS] |= CAN_USE_HEAP;
        x86_st16(header + HDR_HEAP_END_PTR,
                 l.cmdline_addr - l.real_addr - 0x200);
    }

    if (initrd_filename) {
        hwaddr initrd_addr;

        if (protocol < 0x200) {
            error_setg(errp, "kernel '%s' uses boot protocol %u.%02u, too "
                       "old to take an initrd", kernel_filename,
                       protocol >> 8, protocol & 0xff);
            return false;
        }
        if (!load_file("initrd", initrd_filename, &initrd, &initrd_size,
                       errp)) {
            return false;
        }
        initrd_max = protocol >= 0x203 ? x86_ld32(header + HDR_INITRD_ADDR_MAX)
                                       : OLD_INITRD_ADDR_MAX;
        initrd_max = MIN((uint64_t)initrd_max,
                         ram->below_4g - PC_ACPI_DATA_SIZE - 1);
        if (initrd_size > initrd_max ||
            ((initrd_max - initrd_size) & ~0xfffULL) <
            l.prot_addr + kernel_size - setup_size) {
            g_autofree char *size = format_size(initrd_size);

            error_setg(errp, "initrd '%s' (%s) does not fit between kernel "
                       "'%s' and 0x%" PRIx32 ", the highest address it may "
                       "use", initrd_filename, size, kernel_filename,
                       initrd_max);
            error_append_hint(errp, "Give the machine more RAM with -m.\n");
            return false;
        }
        initrd_addr = (initrd_max - initrd_size) & ~0xfffULL;
        x86_st32(header + HDR_RAMDISK_IMAGE, initrd_addr);
        x86_st32(header + HDR_RAMDISK_SIZE, initrd_size);
        fw_cfg_add_i32(fw_cfg, FW_CFG_INITRD_ADDR, initrd_addr);
        fw_cfg_add_i32(fw_cfg, FW_CFG_INITRD_SIZE, initrd_size);
        fw_cfg_add_bytes(fw_cfg, FW_CFG_INITRD_DATA, initrd, initrd_size);
    }

    fw_cfg_add_i32(fw_cfg, FW_CFG_CMDLINE_ADDR, l.cmdline_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_CMDLINE_SIZE, cmdline_len + 1);
    fw_cfg_add_string(fw_cfg, FW_CFG_CMDLINE_DATA, cmdline ? cmdline : "");
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_ADDR, l.prot_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_SIZE, kernel_size - setup_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_KERNEL_DATA, kernel + setup_size,
                     kernel_size - setup_size);
    fw_cfg_add_i32(fw_cfg, FW_CFG_SETUP_ADDR, l.real_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_SETUP_SIZE, setup_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_SETUP_DATA, kernel, setup_size);
    return linuxboot_add_rom(fw_cfg, errp);
}
