/*
 * Loading the files boards take (-bios, -kernel, -initrd, -dtb).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_LOADER_H
#define HW_LOADER_H

#include "util/osdep.h"
#include "util/error.h"

/* Reads a whole regular file (what: "kernel", "initrd", "PC BIOS" for
 * the messages) into a new buffer (g_free it). */
bool load_file(const char *what, const char *filename, uint8_t **data,
               size_t *size, Error **errp);
/* len bytes of an image into guest memory (address_space_memory), as
 * ROM contents are written at reset; a part where no memory is, is
 * logged under -d guest_errors. */
void loader_write_image(hwaddr addr, const void *buf, uint64_t len);

/*
 * The images in the guest, for `info roms` (hw/core/rom-list.c).  A
 * board or loader describes each image once, when it loads it; names are
 * as the user gave them ("bios-256k.bin", the -kernel argument).
 * The two views are QEMU's two address spaces, which order its list:
 * the board's firmware and fw_cfg files, then what the boot CPU's view
 * gets (kernels, initrds, device trees, the generic loader's files).
 */
typedef enum RomView {
    ROM_VIEW_SYSTEM,
    ROM_VIEW_CPU,
} RomView;

/* size bytes at guest physical addr. */
void rom_list_add_image(const char *name, hwaddr addr, uint64_t size,
                        RomView view);
/* An option ROM the firmware reads as the fw_cfg file "fw_dir/NAME". */
void rom_list_add_fw_file(const char *fw_dir, const char *name,
                          uint64_t size);
/* An image at the start of a memory region (-bios into a flash bank). */
void rom_list_add_in_region(const char *region, const char *name,
                            uint64_t size);
/* A table the firmware reads from fw_cfg and places itself (ACPI). */
void rom_list_add_fw_blob(const char *fw_file, uint64_t size);
/* QEMU's refusal of images that cover each other's bytes. */
bool rom_list_check_overlaps(Error **errp);
void rom_list_format(GString *out);

#endif
