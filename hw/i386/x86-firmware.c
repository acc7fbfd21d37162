/*
 * -bios on the x86 boards: the firmware file mapped as QEMU 7.2 maps it
 * ("pc.bios" ending at 4 GiB, its tail aliased as "isa-bios" below
 * 1 MiB; writable RAM on microvm, ROM on the PC; restored at reset), so
 * firmware written for QEMU finds itself where and as it expects.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "hw/i386/x86-boot.h"
#include "hw/loader.h"

bool x86_firmware_load(X86Firmware *fw, MemoryRegion *container,
                       bool writable, const char *filename, Error **errp)
{
    g_autofree char *max = format_size(X86_FIRMWARE_MAX);
    size_t size;

    if (!load_file("PC BIOS", filename, &fw->image, &size, errp)) {
        return false;
    }
    if (size == 0 || size % X86_FIRMWARE_ALIGN || size > X86_FIRMWARE_MAX) {
        error_setg(errp, "could not load PC BIOS '%s': its size must be a "
                   "non-zero multiple of 64 KiB, at most %s (it has %zu "
                   "bytes)", filename, max, size);
        goto fail;
    }
    if (writable
        ? !memory_region_init_ram(&fw->bios, NULL, "pc.bios", size, errp)
        : !memory_region_init_rom(&fw->bios, NULL, "pc.bios", size, errp)) {
        goto fail;
    }
    fw->size = size;
    fw->isa_size = MIN(size, X86_ISA_BIOS_MAX);
    memory_region_init_alias(&fw->isa_bios, NULL, "isa-bios", &fw->bios,
                             size - fw->isa_size, fw->isa_size);
    memory_region_add_subregion(container, X86_4GiB - size, &fw->bios);
    /* Above the RAM that covers the same addresses. */
    memory_region_add_subregion_overlap(container, X86_MiB - fw->isa_size,
                                        &fw->isa_bios, 1);
    x86_firmware_reset(fw);
    return true;

fail:
    g_free(fw->image);
    fw->image = NULL;
    return false;
}

void x86_firmware_reset(X86Firmware *fw)
{
    memcpy(memory_region_get_ram_ptr(&fw->bios), fw->image, fw->size);
}
