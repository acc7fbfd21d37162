/*
 * -kernel, -initrd and -append on the PC: the kernel handed to SeaBIOS
 * through fw_cfg with QEMU's linuxboot_dma.bin option ROM, as QEMU's pc
 * machine does (hw/i386/pc-linuxboot.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_PC_LINUXBOOT_H
#define HW_I386_PC_LINUXBOOT_H

#include "hw/i386/x86-boot.h"
#include "hw/nvram/fw_cfg.h"

/*
 * Reads the kernel (a Linux image with a "HdrS" setup header, any boot
 * protocol QEMU boots) and the initrd, places them as QEMU does within
 * the RAM below 4 GiB of ram, and adds the FW_CFG_SETUP_*, KERNEL_*,
 * INITRD_* and CMDLINE_* items, the option ROM and "bootorder" to
 * fw_cfg.  Errors name the file and what does not fit.
 */
bool pc_linuxboot_init(FWCfgState *fw_cfg, const X86RamLayout *ram,
                       const char *kernel_filename,
                       const char *initrd_filename, const char *cmdline,
                       Error **errp);

#endif
