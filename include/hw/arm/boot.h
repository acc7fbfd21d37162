/*
 * Booting a 32-bit ARM Linux kernel directly (-kernel, -initrd, -append),
 * as QEMU 7.2's hw/arm/boot.c does for boards with a device tree: the
 * image at RAM + 0x10000, the initrd at RAM + min(RAM / 2, 128 MiB), the
 * device tree after it on a 4 KiB boundary, and a four-instruction stub
 * at the start of RAM that enters the kernel with r0 = 0, r1 = ~0 (no
 * machine number: the device tree describes the board) and r2 = the
 * device tree's address, in SVC mode with the MMU and caches off.
 * A U-Boot uImage goes to its own load address; one for another OS than
 * Linux is entered at its entry point directly, the device tree at the
 * start of RAM as firmware finds it.  So is an ELF image (its segments
 * at their physical addresses), the tree there only if it fits below.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ARM_BOOT_H
#define HW_ARM_BOOT_H

#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "hw/core/elf-image.h"
#include "hw/nvram/fw_cfg.h"

typedef struct ARMLinuxBoot {
    hwaddr ram_base;             /* where the stub goes */
    hwaddr kernel_start;
    hwaddr initrd_start;
    hwaddr dtb_start;
    hwaddr entry;                /* the kernel's first instruction */
    bool is_linux;               /* entered through the stub */
    bool has_dtb;                /* the tree is put at dtb_start */
    bool is_elf;                 /* kernel is an ELF file: elf says where */
    ElfImage elf;                /* its segments point into kernel */
    uint8_t *kernel, *initrd;
    size_t kernel_size, initrd_size;
} ARMLinuxBoot;

/* Loads ms's -kernel and -initrd and places them in RAM at ram_base. */
bool arm_linux_boot_load(ARMLinuxBoot *b, MachineState *ms, hwaddr ram_base,
                         Error **errp);
/* Adds -append and the initrd's place to the tree's /chosen. */
bool arm_linux_boot_fdt(ARMLinuxBoot *b, MachineState *ms, void *fdt,
                        Error **errp);
/*
 * -kernel with firmware (-bios or a first flash drive), as QEMU does it:
 * the firmware loads the kernel, so the kernel, the initrd and the
 * command line go, untouched, into fw_cfg's KERNEL, INITRD and CMDLINE
 * items (EDK2 boots them), and -append also into the tree's /chosen.
 */
bool arm_firmware_boot_kernel(MachineState *ms, FWCfgState *fw_cfg,
                              void *fdt, Error **errp);
/* At every reset: the stub, kernel, initrd and fdt copied into RAM, the
 * boot CPU at the stub. */
void arm_linux_boot_reset(ARMLinuxBoot *b, CPUState *cpu, const void *fdt);
void arm_linux_boot_free(ARMLinuxBoot *b);
/*
 * -dtb: the user's device tree as QEMU takes it, grown for what the boot
 * adds, its memory nodes replaced by one for ms's RAM at ram_base, a
 * /chosen added if it has none.  A new buffer (g_free it).
 */
void *arm_boot_load_dtb(MachineState *ms, hwaddr ram_base, Error **errp);

#endif
