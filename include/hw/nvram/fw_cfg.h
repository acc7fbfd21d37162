/*
 * QEMU's firmware configuration device (fw_cfg), which firmware written
 * for QEMU (SeaBIOS, EDK2, U-Boot) reads its configuration from: numbered
 * items (a 16-bit selector, bit 15 for the architecture's own) and named
 * files listed in a directory item, read byte by byte through a data
 * register or in one go through DMA.  Layout and semantics as QEMU's
 * docs/specs/fw_cfg.rst describes them.
 *
 * This is the generic core ("fw_cfg", abstract), the I/O port flavour
 * of the PC ("fw_cfg_io": selector at the base port, data at base + 1,
 * the DMA address register at dma_iobase) and the MMIO flavour of the
 * ARM virt board ("fw_cfg_mem", QEMU's layout: an 8-byte-wide data
 * register at +0, the big-endian 16-bit selector at +8, the DMA address
 * at +16, 0x18 bytes in all).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include "hw/boards.h"
#include "hw/qdev.h"
#include "softmmu/memory.h"

#define TYPE_FW_CFG "fw_cfg"
#define TYPE_FW_CFG_IO "fw_cfg_io"
#define TYPE_FW_CFG_MEM "fw_cfg_mem"
#define FW_CFG_MEM_SIZE 0x18

/* Items every machine has. */
#define FW_CFG_SIGNATURE        0x00
#define FW_CFG_ID               0x01
#define FW_CFG_UUID             0x02
#define FW_CFG_RAM_SIZE         0x03
#define FW_CFG_NOGRAPHIC        0x04
#define FW_CFG_NB_CPUS          0x05
#define FW_CFG_MACHINE_ID       0x06
#define FW_CFG_KERNEL_ADDR      0x07
#define FW_CFG_KERNEL_SIZE      0x08
#define FW_CFG_KERNEL_CMDLINE   0x09
#define FW_CFG_INITRD_ADDR      0x0a
#define FW_CFG_INITRD_SIZE      0x0b
#define FW_CFG_BOOT_DEVICE      0x0c
#define FW_CFG_NUMA             0x0d
#define FW_CFG_BOOT_MENU        0x0e
#define FW_CFG_MAX_CPUS         0x0f
#define FW_CFG_KERNEL_ENTRY     0x10
#define FW_CFG_KERNEL_DATA      0x11
#define FW_CFG_INITRD_DATA      0x12
#define FW_CFG_CMDLINE_ADDR     0x13
#define FW_CFG_CMDLINE_SIZE     0x14
#define FW_CFG_CMDLINE_DATA     0x15
#define FW_CFG_SETUP_ADDR       0x16
#define FW_CFG_SETUP_SIZE       0x17
#define FW_CFG_SETUP_DATA       0x18
#define FW_CFG_FILE_DIR         0x19
#define FW_CFG_FILE_FIRST       0x20
#define FW_CFG_ARCH_LOCAL       0x8000

/* The x86 architecture's items. */
#define FW_CFG_ACPI_TABLES      (FW_CFG_ARCH_LOCAL + 0)
#define FW_CFG_SMBIOS_ENTRIES   (FW_CFG_ARCH_LOCAL + 1)
#define FW_CFG_IRQ0_OVERRIDE    (FW_CFG_ARCH_LOCAL + 2)
#define FW_CFG_E820_TABLE       (FW_CFG_ARCH_LOCAL + 3)

#define FW_CFG_MAX_FILE_PATH    56

typedef struct FWCfgState FWCfgState;

/*
 * Creates the I/O port flavour in /machine/fw_cfg: selector and data
 * at iobase (2 ports), DMA at dma_iobase (8 ports) reaching guest
 * memory through dma_as.  Errors when the ports are taken.
 */
FWCfgState *fw_cfg_init_io_dma(uint32_t iobase, uint32_t dma_iobase,
                               AddressSpace *dma_as, Error **errp);

/* Creates the MMIO flavour in /machine/fw_cfg at base in the system
 * memory (FW_CFG_MEM_SIZE bytes), DMA through dma_as. */
FWCfgState *fw_cfg_init_mem_dma(hwaddr base, AddressSpace *dma_as,
                                Error **errp);

/* Items and files hold a copy of data. */
void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data,
                      size_t len);
void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value);
void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);
/* A named file (at most 55 characters), listed in the directory sorted
 * by name; a second file of the same name replaces the first. */
void fw_cfg_add_file(FWCfgState *s, const char *filename, const void *data,
                     size_t len);
/*
 * The same, and select_cb(opaque) runs whenever the guest selects the
 * file, before it reads: what the file holds can then depend on what
 * the firmware did so far (QEMU's ACPI tables name the PM I/O base
 * SeaBIOS programmed).  The callback may replace files, keeping their
 * sizes (the directory the guest read says them).  Replacing a file
 * with fw_cfg_add_file keeps its callback.
 */
typedef void (*FWCfgSelectCallback)(void *opaque);
void fw_cfg_add_file_callback(FWCfgState *s, const char *filename,
                              FWCfgSelectCallback select_cb, void *opaque,
                              const void *data, size_t len);

/*
 * What QEMU's fw_cfg tells firmware on every machine from the command
 * line: the VM's UUID (-uuid), FW_CFG_NOGRAPHIC, FW_CFG_BOOT_MENU
 * (-boot menu=), "etc/boot-menu-wait" (-boot splash-time=, when given)
 * and "etc/boot-fail-wait" (-boot reboot-timeout=, -1 without it).
 * Out-of-range times are refused with QEMU's messages.
 */
bool fw_cfg_add_machine_options(FWCfgState *s, MachineState *ms,
                                Error **errp);

#endif
