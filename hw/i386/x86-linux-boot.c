/*
 * Direct Linux boot on the x86 boards (-kernel bzImage, -initrd,
 * -append) through the 64-bit entry of the x86 boot protocol
 * (Documentation/x86/boot.rst): no firmware runs; the loader writes the
 * kernel, the zero page (struct boot_params with the e820 map), the
 * command line, a GDT and identity page tables into RAM and starts the
 * BSP in long mode at startup_64.
 *
 * Everything is read and checked at machine init, so a bad kernel or
 * initrd is an error before the guest runs; guest memory and the BSP
 * are written at every reset, so system_reset boots the kernel again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "hw/i386/x86-boot.h"
#include "hw/loader.h"
#include "hw/i386/mptable.h"
#include "target/i386/cpu.h"

/* Offsets in the bzImage file and in the zero page (same layout). */
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE  0x0c4
#define BP_E820_ENTRIES      0x1e8
#define BP_HDR               0x1f1    /* setup_sects, first header field */
#define BP_HDR_MAX_END       0x290    /* the header's room in boot_params */
#define BP_JUMP              0x200
#define BP_HEADER_MAGIC      0x202    /* "HdrS" */
#define BP_VERSION           0x206
#define BP_TYPE_OF_LOADER    0x210
#define BP_LOADFLAGS         0x211
#define BP_RAMDISK_IMAGE     0x218
#define BP_RAMDISK_SIZE      0x21c
#define BP_CMD_LINE_PTR      0x228
#define BP_INITRD_ADDR_MAX   0x22c
#define BP_RELOCATABLE       0x234
#define BP_XLOADFLAGS        0x236
#define BP_CMDLINE_SIZE      0x238
#define BP_PREF_ADDRESS      0x258
#define BP_INIT_SIZE         0x260
#define BP_E820_TABLE        0x2d0
#define BP_SIZE              0x1000
#define E820_ENTRY_SIZE      20

#define LOADER_TYPE_UNDEFINED 0xff
#define STARTUP_64_OFFSET    0x200

#define PTE_PRESENT  0x01ULL
#define PTE_WRITE    0x02ULL
#define PTE_PS       0x80ULL          /* 2 MiB page in a page directory */

/* Protected mode with paging; ET and NE (bits 4, 5) as any modern
 * firmware leaves them, caches on. */
#define BOOT_CR0 (CR0_PE_MASK | CR0_PG_MASK | (1u << 4) | (1u << 5))
#define RFLAGS_RESERVED_1 0x2

#define BOOT_CODE_FLAGS (DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | \
                         DESC_R_MASK | DESC_A_MASK | DESC_L_MASK | DESC_G_MASK)
#define BOOT_DATA_FLAGS (DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | \
                         DESC_A_MASK | DESC_B_MASK | DESC_G_MASK)
#define TSS_BUSY_TYPE   11           /* 64-bit TSS, busy */

struct X86LinuxBoot {
    uint8_t *image;              /* the whole bzImage */
    size_t image_size;
    X86BzImage bz;
    uint8_t *initrd;
    size_t initrd_size;
    char *cmdline;
    X86LinuxPlacement pl;
    uint8_t zero_page[BP_SIZE];
    uint8_t gdt[X86_BOOT_GDT_SIZE];
    uint8_t page_tables[X86_BOOT_PT_SIZE];
};

static const char *version_str(uint16_t version, char *buf, size_t len)
{
    g_snprintf(buf, len, "%u.%02u", version >> 8, version & 0xff);
    return buf;
}

bool x86_bzimage_parse(const uint8_t *image, size_t size, const char *name,
                       X86BzImage *bz, Error **errp)
{
    unsigned setup_sects;
    char ver[8];

    memset(bz, 0, sizeof(*bz));
    if (size < BP_VERSION + 2 ||
        memcmp(image + BP_HEADER_MAGIC, "HdrS", 4) != 0) {
        error_setg(errp, "kernel '%s' is not a bzImage: it has no \"HdrS\" "
                   "boot header at offset 0x%x", name, BP_HEADER_MAGIC);
        return false;
    }
    bz->version = x86_ld16(image + BP_VERSION);
    if (bz->version < 0x206) {
        error_setg(errp, "kernel '%s' uses boot protocol %s; emu boots "
                   "protocol 2.06 or later", name,
                   version_str(bz->version, ver, sizeof(ver)));
        return false;
    }
    setup_sects = image[BP_HDR] ? image[BP_HDR] : 4;
    bz->setup_size = (setup_sects + 1) * 512;
    if (bz->setup_size >= size) {
        error_setg(errp, "kernel '%s' is truncated: its real-mode setup "
                   "(%u bytes) takes the whole file (%zu bytes)", name,
                   bz->setup_size, size);
        return false;
    }
    /* The header ends where its first field, a short jump, points. */
    bz->header_end = MIN(BP_HEADER_MAGIC + image[BP_JUMP + 1],
                         BP_HDR_MAX_END);
    bz->loadflags = image[BP_LOADFLAGS];
    if (!(bz->loadflags & BZ_LOADED_HIGH)) {
        error_setg(errp, "kernel '%s' is a zImage (loadflags LOADED_HIGH "
                   "clear); emu boots bzImages, loaded at 1 MiB or above",
                   name);
        return false;
    }
    bz->xloadflags = x86_ld16(image + BP_XLOADFLAGS);
    if (!(bz->xloadflags & BZ_XLF_KERNEL_64)) {
        error_setg(errp, "kernel '%s' has no 64-bit entry point (xloadflags "
                   "XLF_KERNEL_64 clear); emu boots x86-64 kernels through "
                   "it (boot protocol 2.12 or later)", name);
        return false;
    }
    bz->relocatable = image[BP_RELOCATABLE] != 0;
    bz->initrd_addr_max = x86_ld32(image + BP_INITRD_ADDR_MAX);
    bz->cmdline_size = x86_ld32(image + BP_CMDLINE_SIZE);
    if (bz->version >= 0x20a) {
        bz->pref_address = x86_ld64(image + BP_PREF_ADDRESS);
        bz->init_size = x86_ld32(image + BP_INIT_SIZE);
    }
    return true;
}

bool x86_linux_place(const X86BzImage *bz, uint64_t kernel_size,
                     uint64_t initrd_size, size_t cmdline_len,
                     const X86RamLayout *ram, const char *kernel_name,
                     const char *initrd_name, X86LinuxPlacement *pl,
                     Error **errp)
{
    uint64_t cmdline_max = MIN(bz->cmdline_size, X86_BOOT_CMDLINE_MAX - 1);
    /* Where the kernel decompresses and runs: a relocatable kernel goes
     * no lower than its preferred address either, so load it there and
     * spare it a copy. */
    hwaddr run_addr = bz->pref_address >= X86_BOOT_KERNEL_ADDR ?
                      bz->pref_address : X86_BOOT_KERNEL_ADDR;
    uint64_t top;

    memset(pl, 0, sizeof(*pl));
    if (cmdline_len > cmdline_max) {
        error_setg(errp, "the kernel command line (-append) has %zu "
                   "characters; kernel '%s' takes at most %" PRIu64,
                   cmdline_len, kernel_name, cmdline_max);
        return false;
    }
    pl->load_addr = bz->relocatable ? run_addr : X86_BOOT_KERNEL_ADDR;
    pl->entry = pl->load_addr + STARTUP_64_OFFSET;
    pl->kernel_end = MAX(pl->load_addr + kernel_size,
                         run_addr + MAX(kernel_size, bz->init_size));
    if (pl->kernel_end > ram->below_4g) {
        g_autofree char *need = format_size(pl->kernel_end);
        g_autofree char *have = format_size(ram->below_4g);

        error_setg(errp, "kernel '%s' needs RAM up to 0x%" HWADDR_PRIx
                   " (%s) to start, and the machine has %s below 4 GiB",
                   kernel_name, pl->kernel_end, need, have);
        error_append_hint(errp, "Give the machine more RAM with -m.\n");
        return false;
    }
    if (!initrd_size) {
        return true;
    }
    top = MIN(ram->below_4g, (uint64_t)bz->initrd_addr_max + 1);
    if (initrd_size <= top &&
        ((top - initrd_size) & ~0xfffULL) >= pl->kernel_end) {
        pl->initrd_addr = (top - initrd_size) & ~0xfffULL;
    } else if ((bz->xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G) &&
               initrd_size <= ram->above_4g) {
        pl->initrd_addr = (X86_4GiB + ram->above_4g - initrd_size) &
                          ~0xfffULL;
    } else {
        g_autofree char *size = format_size(initrd_size);

        error_setg(errp, "initrd '%s' (%s) does not fit in RAM between the "
                   "end of kernel '%s' at 0x%" HWADDR_PRIx " and 0x%" PRIx64
                   "%s", initrd_name, size, kernel_name, pl->kernel_end, top,
                   (bz->xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G) ?
                   ", nor above 4 GiB" : "");
        error_append_hint(errp, "Give the machine more RAM with -m.\n");
        return false;
    }
    pl->initrd_size = initrd_size;
    return true;
}

unsigned x86_e820_build(E820Entry *table, const X86RamLayout *ram,
                        hwaddr low_reserved, const X86Firmware *fw)
{
    unsigned n = 0;

    table[n++] = (E820Entry){ 0, low_reserved, E820_RAM };
    table[n++] = (E820Entry){ low_reserved, MPTABLE_END - low_reserved,
                              E820_RESERVED };
    if (fw) {
        table[n++] = (E820Entry){ X86_MiB - fw->isa_size, fw->isa_size,
                                  E820_RESERVED };
    }
    table[n++] = (E820Entry){ X86_MiB, ram->below_4g - X86_MiB, E820_RAM };
    if (fw) {
        table[n++] = (E820Entry){ X86_4GiB - fw->size, fw->size,
                                  E820_RESERVED };
    }
    if (ram->above_4g) {
        table[n++] = (E820Entry){ X86_4GiB, ram->above_4g, E820_RAM };
    }
    return n;
}

void x86_linux_build_boot_params(uint8_t *zero_page, const uint8_t *image,
                                 const X86BzImage *bz,
                                 const X86LinuxPlacement *pl,
                                 const E820Entry *e820, unsigned nr_e820)
{
    g_assert(nr_e820 <= E820_MAX_ENTRIES_ZEROPAGE);
    memset(zero_page, 0, BP_SIZE);
    memcpy(zero_page + BP_HDR, image + BP_HDR, bz->header_end - BP_HDR);
    zero_page[BP_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
    x86_st32(zero_page + BP_CMD_LINE_PTR, X86_BOOT_CMDLINE_ADDR);
    x86_st32(zero_page + BP_RAMDISK_IMAGE, pl->initrd_addr);
    x86_st32(zero_page + BP_RAMDISK_SIZE, pl->initrd_size);
    x86_st32(zero_page + BP_EXT_RAMDISK_IMAGE, pl->initrd_addr >> 32);
    x86_st32(zero_page + BP_EXT_RAMDISK_SIZE, pl->initrd_size >> 32);
    zero_page[BP_E820_ENTRIES] = nr_e820;
    for (unsigned i = 0; i < nr_e820; i++) {
        uint8_t *p = zero_page + BP_E820_TABLE + i * E820_ENTRY_SIZE;

        x86_st64(p, e820[i].addr);
        x86_st64(p + 8, e820[i].size);
        x86_st32(p + 16, e820[i].type);
    }
}

void x86_boot_build_page_tables(uint8_t *buf)
{
    hwaddr pdpt = X86_BOOT_PML4_ADDR + 0x1000;
    hwaddr pd = X86_BOOT_PML4_ADDR + 0x2000;

    memset(buf, 0, X86_BOOT_PT_SIZE);
    x86_st64(buf, pdpt | PTE_PRESENT | PTE_WRITE);
    for (unsigned i = 0; i < 4; i++) {
        x86_st64(buf + 0x1000 + i * 8,
                 (pd + i * 0x1000) | PTE_PRESENT | PTE_WRITE);
    }
    for (unsigned i = 0; i < 4 * 512; i++) {
        x86_st64(buf + 0x2000 + i * 8,
                 i * 2 * X86_MiB | PTE_PRESENT | PTE_WRITE | PTE_PS);
    }
}

/* A flat descriptor (base 0, limit 4 GiB) with the segment cache's
 * attribute bits, which are laid out as in the descriptor's high dword. */
static uint64_t flat_descriptor(uint32_t flags)
{
    return (uint64_t)(flags | 0xf0000) << 32 | 0xffff;
}

void x86_boot_build_gdt(uint8_t *buf)
{
    memset(buf, 0, X86_BOOT_GDT_SIZE);
    x86_st64(buf + X86_BOOT_CS, flat_descriptor(BOOT_CODE_FLAGS));
    x86_st64(buf + X86_BOOT_DS, flat_descriptor(BOOT_DATA_FLAGS));
}

void x86_linux_set_boot_cpu_state(CPUX86State *env, hwaddr entry)
{
    const SegmentCache code = {
        .selector = X86_BOOT_CS, .limit = 0xffffffff, .flags = BOOT_CODE_FLAGS,
    };
    const SegmentCache data = {
        .selector = X86_BOOT_DS, .limit = 0xffffffff, .flags = BOOT_DATA_FLAGS,
    };

    memset(env->regs, 0, sizeof(env->regs));
    env->regs[R_ESI] = X86_BOOT_PARAMS_ADDR;
    env->regs[R_ESP] = X86_BOOT_STACK_TOP;
    env->rip = entry;
    x86_cpu_set_eflags(env, RFLAGS_RESERVED_1);  /* IF clear */
    for (unsigned i = 0; i < ARRAY_SIZE(env->segs); i++) {
        env->segs[i] = data;
    }
    env->segs[R_CS] = code;
    /* Long mode needs a busy TSS in TR even if nothing switches to it. */
    env->tr = (SegmentCache){
        .limit = 0xffff,
        .flags = DESC_P_MASK | (TSS_BUSY_TYPE << DESC_TYPE_SHIFT),
    };
    env->gdt = (SegmentCache){ .base = X86_BOOT_GDT_ADDR,
                               .limit = X86_BOOT_GDT_SIZE - 1 };
    env->idt = (SegmentCache){ 0 };
    env->cr[0] = BOOT_CR0;
    env->cr[2] = 0;
    env->cr[3] = X86_BOOT_PML4_ADDR;
    env->cr[4] = CR4_PAE_MASK;
    env->efer = EFER_LME | EFER_LMA;
}

X86LinuxBoot *x86_linux_boot_prepare(const char *kernel_filename,
                                     const char *initrd_filename,
                                     const char *cmdline,
                                     const X86RamLayout *ram,
                                     hwaddr low_reserved,
                                     const X86Firmware *fw, Error **errp)
{
    X86LinuxBoot *lb = g_new0(X86LinuxBoot, 1);
    E820Entry e820[6];
    unsigned nr_e820;

    lb->cmdline = g_strdup(cmdline ? cmdline : "");
    if (!load_file("kernel", kernel_filename, &lb->image,
                         &lb->image_size, errp) ||
        !x86_bzimage_parse(lb->image, lb->image_size, kernel_filename,
                           &lb->bz, errp)) {
        goto fail;
    }
    if (initrd_filename &&
        !load_file("initrd", initrd_filename, &lb->initrd,
                         &lb->initrd_size, errp)) {
        goto fail;
    }
    if (!x86_linux_place(&lb->bz, lb->image_size - lb->bz.setup_size,
                         lb->initrd_size, strlen(lb->cmdline), ram,
                         kernel_filename, initrd_filename, &lb->pl, errp)) {
        goto fail;
    }
    nr_e820 = x86_e820_build(e820, ram, low_reserved, fw);
    x86_linux_build_boot_params(lb->zero_page, lb->image, &lb->bz, &lb->pl,
                                e820, nr_e820);
    x86_boot_build_gdt(lb->gdt);
    x86_boot_build_page_tables(lb->page_tables);
    return lb;

fail:
    x86_linux_boot_free(lb);
    return NULL;
}

void x86_linux_boot_reset(X86LinuxBoot *lb, AddressSpace *as,
                          CPUX86State *env)
{
    address_space_write(as, X86_BOOT_GDT_ADDR, lb->gdt, sizeof(lb->gdt));
    address_space_write(as, X86_BOOT_PARAMS_ADDR, lb->zero_page,
                        sizeof(lb->zero_page));
    address_space_write(as, X86_BOOT_PML4_ADDR, lb->page_tables,
                        sizeof(lb->page_tables));
    address_space_write(as, X86_BOOT_CMDLINE_ADDR, lb->cmdline,
                        strlen(lb->cmdline) + 1);
    address_space_write(as, lb->pl.load_addr, lb->image + lb->bz.setup_size,
                        lb->image_size - lb->bz.setup_size);
    if (lb->pl.initrd_size) {
        address_space_write(as, lb->pl.initrd_addr, lb->initrd,
                            lb->pl.initrd_size);
    }
    x86_linux_set_boot_cpu_state(env, lb->pl.entry);
}

void x86_linux_boot_free(X86LinuxBoot *lb)
{
    g_free(lb->image);
    g_free(lb->initrd);
    g_free(lb->cmdline);
    g_free(lb);
}
