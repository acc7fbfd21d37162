/*
 * -kernel on the ARM boards with a device tree (include/hw/arm/boot.h):
 * a zImage or raw Image, with -initrd and -append, laid out in RAM as
 * QEMU 7.2 lays them out so that a kernel finds the same addresses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <libfdt.h>
#include "hw/arm/boot.h"
#include "hw/core/cpu.h"
#include "hw/loader.h"
#include "softmmu/memory.h"

#define KERNEL_LOAD_OFFSET 0x00010000
#define INITRD_MAX_OFFSET (128 * 1024 * 1024)
#define BOOT_ALIGN 4096

static hwaddr boot_align(hwaddr addr)
{
    return (addr + BOOT_ALIGN - 1) & ~(hwaddr)(BOOT_ALIGN - 1);
}

/* mov r0, #0; ldr r1, =~0; ldr r2, =dtb; ldr pc, =kernel: as QEMU's. */
static void arm_linux_boot_stub(ARMLinuxBoot *b, uint32_t stub[7])
{
    stub[0] = 0xe3a00000;        /* mov r0, #0 */
    stub[1] = 0xe59f1004;        /* ldr r1, [pc, #4] */
    stub[2] = 0xe59f2004;        /* ldr r2, [pc, #4] */
    stub[3] = 0xe59ff004;        /* ldr pc, [pc, #4] */
    stub[4] = 0xffffffff;        /* r1: no machine number */
    stub[5] = b->dtb_start;
    stub[6] = b->kernel_start;
}

bool arm_linux_boot_load(ARMLinuxBoot *b, MachineState *ms, hwaddr ram_base,
                         Error **errp)
{
    hwaddr ram_end = ram_base + ms->ram_size;

    b->ram_base = ram_base;
    b->kernel_start = ram_base + KERNEL_LOAD_OFFSET;
    if (!load_file("kernel", ms->kernel_filename, &b->kernel,
                   &b->kernel_size, errp)) {
        return false;
    }
    if (b->kernel_size > ram_end - b->kernel_start) {
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
    b->dtb_start = boot_align(b->initrd_start + b->initrd_size);
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
    return true;
}

void arm_linux_boot_reset(ARMLinuxBoot *b, CPUState *cpu, const void *fdt)
{
    uint32_t stub[7];

    arm_linux_boot_stub(b, stub);
    address_space_write_rom(&address_space_memory, b->ram_base, stub,
                            sizeof(stub));
    address_space_write_rom(&address_space_memory, b->kernel_start,
                            b->kernel, b->kernel_size);
    if (b->initrd_size) {
        address_space_write_rom(&address_space_memory, b->initrd_start,
                                b->initrd, b->initrd_size);
    }
    address_space_write_rom(&address_space_memory, b->dtb_start, fdt,
                            fdt_totalsize(fdt));
    CPU_GET_CLASS(cpu)->set_pc(cpu, b->ram_base);
}

void arm_linux_boot_free(ARMLinuxBoot *b)
{
    g_free(b->kernel);
    g_free(b->initrd);
}
