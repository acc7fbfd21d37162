/*
 * Unit tests for booting the x86 boards: bzImage header checks, kernel
 * and initrd placement, the zero page and its e820 map, the boot page
 * tables, GDT and BSP state, the MP table, and the -bios mapping (which
 * must match QEMU 7.2's), with small synthetic images built here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/i386/x86-boot.h"
#include "hw/i386/mptable.h"
#include "target/i386/cpu.h"

#define SETUP_SIZE 1024          /* setup_sects 1 */
#define PM_SIZE    0x3000

/* ---- helpers ---- */

/* A bzImage with protocol 2.15, relocatable, 64-bit, preferring 16 MiB:
 * 1 KiB of setup, then PM_SIZE bytes of kernel filled with a pattern. */
static uint8_t *make_bzimage(size_t *size)
{
    uint8_t *img = g_malloc0(SETUP_SIZE + PM_SIZE);

    img[0x1f1] = 1;                              /* setup_sects */
    x86_st16(img + 0x1fe, 0xaa55);
    img[0x200] = 0xeb;                           /* jmp to 0x26c */
    img[0x201] = 0x6a;
    memcpy(img + 0x202, "HdrS", 4);
    x86_st16(img + 0x206, 0x020f);
    img[0x211] = BZ_LOADED_HIGH;
    x86_st32(img + 0x22c, 0x7fffffff);           /* initrd_addr_max */
    x86_st32(img + 0x230, 0x200000);             /* kernel_alignment */
    img[0x234] = 1;                              /* relocatable */
    x86_st16(img + 0x236, BZ_XLF_KERNEL_64 | BZ_XLF_CAN_BE_LOADED_ABOVE_4G);
    x86_st32(img + 0x238, 2047);                 /* cmdline_size */
    x86_st64(img + 0x258, 0x1000000);            /* pref_address */
    x86_st32(img + 0x260, 0x40000);              /* init_size */
    for (size_t i = 0; i < PM_SIZE; i++) {
        img[SETUP_SIZE + i] = i * 7 + 1;
    }
    *size = SETUP_SIZE + PM_SIZE;
    return img;
}

static X86BzImage parsed_bzimage(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);
    X86BzImage bz;

    g_assert_true(x86_bzimage_parse(img, size, "k", &bz, NULL));
    return bz;
}

/* Parses img and expects an error containing each of the fragments. */
static void assert_parse_error(const uint8_t *img, size_t size,
                               const char *frag1, const char *frag2)
{
    Error *err = NULL;
    X86BzImage bz;

    g_assert_false(x86_bzimage_parse(img, size, "vmlinuz", &bz, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), "'vmlinuz'"));
    g_assert_nonnull(strstr(error_get_pretty(err), frag1));
    g_assert_nonnull(strstr(error_get_pretty(err), frag2));
    error_free(err);
}

static char *write_temp_file(const char *tmpl, const void *data, size_t len)
{
    char *path = NULL;
    int fd = g_file_open_tmp(tmpl, &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, data, len), ==, (ssize_t)len);
    close(fd);
    return path;
}

static void assert_e820(const E820Entry *e, uint64_t addr, uint64_t size,
                        uint32_t type)
{
    g_assert_cmphex(e->addr, ==, addr);
    g_assert_cmphex(e->size, ==, size);
    g_assert_cmpuint(e->type, ==, type);
}

static uint8_t sum_bytes(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--) {
        sum += *p++;
    }
    return sum;
}

/* ---- bzImage header ---- */

static void test_bzimage_parse(void)
{
    X86BzImage bz = parsed_bzimage();

    g_assert_cmphex(bz.version, ==, 0x020f);
    g_assert_cmpuint(bz.setup_size, ==, SETUP_SIZE);
    g_assert_cmphex(bz.header_end, ==, 0x26c);
    g_assert_true(bz.relocatable);
    g_assert_cmphex(bz.initrd_addr_max, ==, 0x7fffffff);
    g_assert_cmpuint(bz.cmdline_size, ==, 2047);
    g_assert_cmphex(bz.pref_address, ==, 0x1000000);
    g_assert_cmphex(bz.init_size, ==, 0x40000);
}

static void test_bzimage_setup_sects_zero(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);
    X86BzImage bz;

    /* 0 means 4, for the oldest kernels. */
    img[0x1f1] = 0;
    g_assert_true(x86_bzimage_parse(img, size, "k", &bz, NULL));
    g_assert_cmpuint(bz.setup_size, ==, 5 * 512);
}

static void test_bzimage_errors(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);

    assert_parse_error(img, 0x100, "not a bzImage", "HdrS");
    img[0x202] = 'h';
    assert_parse_error(img, size, "not a bzImage", "0x202");
    img[0x202] = 'H';

    x86_st16(img + 0x206, 0x0205);
    assert_parse_error(img, size, "protocol 2.05", "2.06 or later");
    x86_st16(img + 0x206, 0x020f);

    img[0x1f1] = 30;
    assert_parse_error(img, size, "truncated", "15872 bytes");
    img[0x1f1] = 1;

    img[0x211] = 0;
    assert_parse_error(img, size, "zImage", "LOADED_HIGH");
    img[0x211] = BZ_LOADED_HIGH;

    x86_st16(img + 0x236, 0);
    assert_parse_error(img, size, "no 64-bit entry", "XLF_KERNEL_64");
}

static void test_bzimage_old_protocol(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);
    X86BzImage bz;

    /* Before 2.10 there is no pref_address or init_size to read. */
    x86_st16(img + 0x206, 0x0209);
    g_assert_true(x86_bzimage_parse(img, size, "k", &bz, NULL));
    g_assert_cmphex(bz.pref_address, ==, 0);
    g_assert_cmphex(bz.init_size, ==, 0);
}

/* ---- placement ---- */

static void test_place_relocatable(void)
{
    X86BzImage bz = parsed_bzimage();
    X86RamLayout ram = { 64 * X86_MiB, 0 };
    X86LinuxPlacement pl;

    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0x5000, 10, &ram, "k", "i",
                                  &pl, NULL));
    g_assert_cmphex(pl.load_addr, ==, 0x1000000);
    g_assert_cmphex(pl.entry, ==, 0x1000200);
    g_assert_cmphex(pl.kernel_end, ==, 0x1040000);
    /* The initrd as high as RAM allows, page aligned. */
    g_assert_cmphex(pl.initrd_addr, ==, 64 * X86_MiB - 0x5000);
    g_assert_cmphex(pl.initrd_size, ==, 0x5000);

    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0x4321, 10, &ram, "k", "i",
                                  &pl, NULL));
    g_assert_cmphex(pl.initrd_addr, ==, 64 * X86_MiB - 0x5000);
    g_assert_cmphex(pl.initrd_size, ==, 0x4321);
}

static void test_place_fixed(void)
{
    X86BzImage bz = parsed_bzimage();
    X86RamLayout ram = { 64 * X86_MiB, 0 };
    X86LinuxPlacement pl;

    /* Not relocatable: loaded at 1 MiB, still runs at pref_address. */
    bz.relocatable = false;
    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0, 0, &ram, "k", NULL, &pl,
                                  NULL));
    g_assert_cmphex(pl.load_addr, ==, X86_BOOT_KERNEL_ADDR);
    g_assert_cmphex(pl.entry, ==, X86_BOOT_KERNEL_ADDR + 0x200);
    g_assert_cmphex(pl.kernel_end, ==, 0x1040000);
    g_assert_cmphex(pl.initrd_size, ==, 0);

    /* Without a preferred address everything happens at 1 MiB. */
    bz.pref_address = 0;
    bz.init_size = 0;
    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0, 0, &ram, "k", NULL, &pl,
                                  NULL));
    g_assert_cmphex(pl.load_addr, ==, X86_BOOT_KERNEL_ADDR);
    g_assert_cmphex(pl.kernel_end, ==, X86_BOOT_KERNEL_ADDR + PM_SIZE);
}

static void test_place_initrd_limits(void)
{
    X86BzImage bz = parsed_bzimage();
    X86RamLayout ram = { 3 * X86_GiB, 2 * X86_GiB };
    X86LinuxPlacement pl;
    Error *err = NULL;

    /* initrd_addr_max is the last byte the initrd may use. */
    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0x2000, 0, &ram, "k", "i",
                                  &pl, NULL));
    g_assert_cmphex(pl.initrd_addr, ==, 0x80000000 - 0x2000);

    /* Too big below initrd_addr_max: above 4 GiB, as XLF allows. */
    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0x80000000, 0, &ram, "k",
                                  "i", &pl, NULL));
    g_assert_cmphex(pl.initrd_addr, ==, X86_4GiB);

    /* Without XLF_CAN_BE_LOADED_ABOVE_4G it is an error. */
    bz.xloadflags = BZ_XLF_KERNEL_64;
    g_assert_false(x86_linux_place(&bz, PM_SIZE, 0x80000000, 0, &ram,
                                   "vmlinuz", "big.img", &pl, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "initrd 'big.img'"));
    g_assert_nonnull(strstr(error_get_pretty(err), "does not fit"));
    g_assert_nonnull(strstr(error_get_hint(err), "-m"));
    error_free(err);
    err = NULL;

    /* Nor may it reach down into the kernel. */
    ram = (X86RamLayout){ 17 * X86_MiB, 0 };
    g_assert_false(x86_linux_place(&bz, PM_SIZE, 0xc0000 + 0x1000, 0, &ram,
                                   "vmlinuz", "i", &pl, &err));
    error_free(err);
    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0xc0000, 0, &ram,
                                  "vmlinuz", "i", &pl, NULL));
    g_assert_cmphex(pl.initrd_addr, ==, pl.kernel_end);
}

static void test_place_errors(void)
{
    X86BzImage bz = parsed_bzimage();
    X86RamLayout ram = { 16 * X86_MiB, 0 };
    X86LinuxPlacement pl;
    Error *err = NULL;

    g_assert_false(x86_linux_place(&bz, PM_SIZE, 0, 0, &ram, "vmlinuz",
                                   NULL, &pl, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "kernel 'vmlinuz' needs "
                            "RAM up to 0x1040000"));
    g_assert_nonnull(strstr(error_get_pretty(err), "16 MiB"));
    error_free(err);
    err = NULL;

    ram.below_4g = 64 * X86_MiB;
    g_assert_true(x86_linux_place(&bz, PM_SIZE, 0, 2047, &ram, "vmlinuz",
                                  NULL, &pl, NULL));
    g_assert_false(x86_linux_place(&bz, PM_SIZE, 0, 2048, &ram, "vmlinuz",
                                   NULL, &pl, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "2048 characters"));
    g_assert_nonnull(strstr(error_get_pretty(err), "at most 2047"));
    error_free(err);
}

/* ---- e820 and the zero page ---- */

static void test_e820(void)
{
    X86RamLayout ram = { 64 * X86_MiB, 0 };
    X86Firmware fw = { .size = 256 * X86_KiB, .isa_size = 128 * X86_KiB };
    E820Entry t[8];

    g_assert_cmpuint(x86_e820_build(t, &ram, 0x9fc00, NULL), ==, 3);
    assert_e820(&t[0], 0, 0x9fc00, E820_RAM);
    assert_e820(&t[1], 0x9fc00, 0x400, E820_RESERVED);
    assert_e820(&t[2], 0x100000, 63 * X86_MiB, E820_RAM);

    ram = (X86RamLayout){ 3 * X86_GiB, X86_GiB };
    g_assert_cmpuint(x86_e820_build(t, &ram, 0x9e800, &fw), ==, 6);
    assert_e820(&t[0], 0, 0x9e800, E820_RAM);
    assert_e820(&t[1], 0x9e800, 0x1800, E820_RESERVED);
    assert_e820(&t[2], 0xe0000, 0x20000, E820_RESERVED);
    assert_e820(&t[3], 0x100000, 3 * X86_GiB - X86_MiB, E820_RAM);
    assert_e820(&t[4], 0xfffc0000, 0x40000, E820_RESERVED);
    assert_e820(&t[5], X86_4GiB, X86_GiB, E820_RAM);
}

static void test_boot_params(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);
    g_autofree uint8_t *zp = g_malloc(4096);
    X86BzImage bz;
    X86LinuxPlacement pl = {
        .initrd_addr = 0x123456000ULL, .initrd_size = 0x100001000ULL,
    };
    E820Entry e820[2] = {
        { 0, 0x9fc00, E820_RAM }, { 0x100000, 0x1000000, E820_RAM },
    };

    g_assert_true(x86_bzimage_parse(img, size, "k", &bz, NULL));
    memset(zp, 0xcc, 4096);
    x86_linux_build_boot_params(zp, img, &bz, &pl, e820, 2);
    /* Outside the header, zeroes; the header as the image has it... */
    g_assert_cmpuint(zp[0x1ef], ==, 0);                /* sentinel */
    g_assert_cmpuint(zp[0x26c], ==, 0);
    g_assert_cmpuint(zp[0xfff], ==, 0);
    g_assert_cmpmem(zp + 0x202, 4, "HdrS", 4);
    g_assert_cmphex(x86_ld16(zp + 0x206), ==, 0x020f);
    g_assert_cmphex(x86_ld64(zp + 0x258), ==, 0x1000000);
    g_assert_cmphex(x86_ld32(zp + 0x260), ==, 0x40000);
    /* ...with the loader's fields. */
    g_assert_cmphex(zp[0x210], ==, 0xff);
    g_assert_cmphex(zp[0x211], ==, BZ_LOADED_HIGH);
    g_assert_cmphex(x86_ld32(zp + 0x228), ==, X86_BOOT_CMDLINE_ADDR);
    g_assert_cmphex(x86_ld32(zp + 0x218), ==, 0x23456000);
    g_assert_cmphex(x86_ld32(zp + 0x21c), ==, 0x00001000);
    g_assert_cmphex(x86_ld32(zp + 0x0c0), ==, 1);       /* ext_ramdisk */
    g_assert_cmphex(x86_ld32(zp + 0x0c4), ==, 1);
    g_assert_cmphex(x86_ld32(zp + 0x0c8), ==, 0);       /* ext_cmd_line */
    /* The e820 table. */
    g_assert_cmpuint(zp[0x1e8], ==, 2);
    g_assert_cmphex(x86_ld64(zp + 0x2d0), ==, 0);
    g_assert_cmphex(x86_ld64(zp + 0x2d8), ==, 0x9fc00);
    g_assert_cmpuint(x86_ld32(zp + 0x2e0), ==, E820_RAM);
    g_assert_cmphex(x86_ld64(zp + 0x2e4), ==, 0x100000);
    g_assert_cmphex(x86_ld64(zp + 0x2ec), ==, 0x1000000);
    g_assert_cmpuint(x86_ld32(zp + 0x2f4), ==, E820_RAM);
    g_assert_cmpuint(zp[0x2f8], ==, 0);

    /* A header that says it is short is copied short. */
    img[0x201] = 0x30;
    g_assert_true(x86_bzimage_parse(img, size, "k", &bz, NULL));
    x86_linux_build_boot_params(zp, img, &bz, &pl, e820, 2);
    g_assert_cmphex(x86_ld64(zp + 0x258), ==, 0);
    g_assert_cmphex(x86_ld32(zp + 0x22c), ==, 0x7fffffff);
}

/* ---- page tables, GDT, BSP state ---- */

static void test_page_tables(void)
{
    g_autofree uint8_t *pt = g_malloc(X86_BOOT_PT_SIZE);

    x86_boot_build_page_tables(pt);
    g_assert_cmphex(x86_ld64(pt), ==, (X86_BOOT_PML4_ADDR + 0x1000) | 3);
    g_assert_cmphex(x86_ld64(pt + 8), ==, 0);
    for (unsigned i = 0; i < 4; i++) {
        g_assert_cmphex(x86_ld64(pt + 0x1000 + i * 8), ==,
                        (X86_BOOT_PML4_ADDR + 0x2000 + i * 0x1000) | 3);
    }
    g_assert_cmphex(x86_ld64(pt + 0x1020), ==, 0);
    /* 2 MiB pages, identity: entry i of the PDs maps i * 2 MiB. */
    g_assert_cmphex(x86_ld64(pt + 0x2000), ==, 0x83);
    g_assert_cmphex(x86_ld64(pt + 0x2008), ==, 0x200083);
    g_assert_cmphex(x86_ld64(pt + 0x2000 + 8 * 1536), ==, 0xc0000083);
    g_assert_cmphex(x86_ld64(pt + X86_BOOT_PT_SIZE - 8), ==, 0xffe00083);
    /* They fit between the stack and the command line. */
    g_assert_cmphex(X86_BOOT_PML4_ADDR, >, X86_BOOT_STACK_TOP);
    g_assert_cmphex(X86_BOOT_PML4_ADDR + X86_BOOT_PT_SIZE, <=,
                    X86_BOOT_CMDLINE_ADDR);
}

static void test_gdt_and_cpu_state(void)
{
    uint8_t gdt[X86_BOOT_GDT_SIZE];
    CPUX86State env;

    x86_boot_build_gdt(gdt);
    g_assert_cmphex(x86_ld64(gdt), ==, 0);
    g_assert_cmphex(x86_ld64(gdt + 8), ==, 0);
    g_assert_cmphex(x86_ld64(gdt + X86_BOOT_CS), ==, 0x00af9b000000ffffULL);
    g_assert_cmphex(x86_ld64(gdt + X86_BOOT_DS), ==, 0x00cf93000000ffffULL);

    memset(&env, 0xa5, sizeof(env));
    x86_linux_set_boot_cpu_state(&env, 0x1000200);
    g_assert_cmphex(env.rip, ==, 0x1000200);
    g_assert_cmphex(env.regs[R_ESI], ==, X86_BOOT_PARAMS_ADDR);
    g_assert_cmphex(env.regs[R_EAX], ==, 0);
    g_assert_cmphex(env.regs[R_R15], ==, 0);
    g_assert_cmphex(env.rflags, ==, 2);                  /* IF clear */
    g_assert_cmphex(env.efer, ==, EFER_LME | EFER_LMA);
    g_assert_cmphex(env.cr[0] & (CR0_PE_MASK | CR0_PG_MASK), ==,
                    CR0_PE_MASK | CR0_PG_MASK);
    g_assert_cmphex(env.cr[3], ==, X86_BOOT_PML4_ADDR);
    g_assert_cmphex(env.cr[4], ==, CR4_PAE_MASK);
    g_assert_cmphex(env.gdt.base, ==, X86_BOOT_GDT_ADDR);
    g_assert_cmphex(env.gdt.limit, ==, X86_BOOT_GDT_SIZE - 1);
    /* The segment caches agree with the descriptors in the GDT. */
    g_assert_cmphex(env.segs[R_CS].selector, ==, X86_BOOT_CS);
    g_assert_cmphex(env.segs[R_CS].flags | 0xf0000, ==,
                    x86_ld32(gdt + X86_BOOT_CS + 4));
    g_assert_true(env.segs[R_CS].flags & DESC_L_MASK);
    for (int seg = R_ES; seg <= R_GS; seg++) {
        if (seg == R_CS) {
            continue;
        }
        g_assert_cmphex(env.segs[seg].selector, ==, X86_BOOT_DS);
        g_assert_cmphex(env.segs[seg].base, ==, 0);
        g_assert_cmphex(env.segs[seg].limit, ==, 0xffffffff);
        g_assert_cmphex(env.segs[seg].flags | 0xf0000, ==,
                        x86_ld32(gdt + X86_BOOT_DS + 4));
    }
    g_assert_cmphex((env.tr.flags & DESC_TYPE_MASK) >> DESC_TYPE_SHIFT, ==,
                    11);
}

/* ---- MP table ---- */

/* The APIC ID of CPU i with threads (1 to 4) per core, one core per
 * package: three threads leave every fourth ID unused. */
static uint8_t test_apic_id(unsigned i, unsigned threads)
{
    return i / threads * 4 + i % threads;
}

/* The table of nr_cpus CPUs with threads per core (1: IDs 0..). */
static void check_mptable(unsigned nr_cpus, unsigned threads)
{
    uint32_t start = mptable_start(nr_cpus);
    size_t len = MPTABLE_END - start;
    g_autofree uint8_t *buf = g_malloc(len);
    const uint8_t *mpf = buf + len - 16;
    const uint8_t *cfg, *p;
    uint32_t cfg_addr;
    unsigned count, cpus = 0, ioint = 0, lint = 0;
    uint8_t apic_ids[MPTABLE_MAX_CPUS];
    uint8_t ioapic_id;

    for (unsigned i = 0; i < nr_cpus; i++) {
        apic_ids[i] = threads == 1 ? i : test_apic_id(i, threads);
    }
    ioapic_id = apic_ids[nr_cpus - 1] + 1;
    memset(buf, 0xcc, len);
    mptable_build(buf, apic_ids, nr_cpus);
    g_assert_cmphex(start & 0x3ff, ==, 0);
    g_assert_cmphex(start, <=, 0x9fc00);

    /* Floating pointer in the last 16 bytes of base memory. */
    g_assert_cmpmem(mpf, 4, "_MP_", 4);
    g_assert_cmpuint(mpf[8], ==, 1);
    g_assert_cmpuint(mpf[9], ==, 4);
    g_assert_cmpuint(mpf[11], ==, 0);                   /* no default */
    g_assert_cmpuint(sum_bytes(mpf, 16), ==, 0);
    cfg_addr = x86_ld32(mpf + 4);
    g_assert_cmphex(cfg_addr, >=, start);
    g_assert_cmphex(cfg_addr & 0xf, ==, 0);
    cfg = buf + (cfg_addr - start);

    g_assert_cmpmem(cfg, 4, "PCMP", 4);
    g_assert_cmphex(cfg_addr + x86_ld16(cfg + 4), <=, MPTABLE_END - 16);
    g_assert_cmpuint(cfg[6], ==, 4);
    g_assert_cmpuint(sum_bytes(cfg, x86_ld16(cfg + 4)), ==, 0);
    g_assert_cmphex(x86_ld32(cfg + 36), ==, X86_LAPIC_ADDR);
    count = x86_ld16(cfg + 34);
    g_assert_cmpuint(count, ==, nr_cpus + 2 + 16 + 2);

    p = cfg + 44;
    for (unsigned i = 0; i < count; i++) {
        switch (p[0]) {
        case 0:
            g_assert_cmpuint(p[1], ==, apic_ids[cpus]);  /* APIC ID */
            g_assert_cmpuint(p[3], ==, cpus == 0 ? 3 : 1);
            cpus++;
            p += 20;
            break;
        case 1:
            g_assert_cmpmem(p + 2, 6, "ISA   ", 6);
            p += 8;
            break;
        case 2:
            g_assert_cmpuint(p[1], ==, ioapic_id);
            g_assert_cmpuint(p[3], ==, 1);
            g_assert_cmphex(x86_ld32(p + 4), ==, X86_IOAPIC_ADDR);
            p += 8;
            break;
        case 3:
            g_assert_cmpuint(p[1], ==, 0);              /* INT */
            g_assert_cmpuint(p[4], ==, 0);              /* ISA bus */
            g_assert_cmpuint(p[5], ==, ioint);
            g_assert_cmpuint(p[6], ==, ioapic_id);
            g_assert_cmpuint(p[7], ==, ioint);
            ioint++;
            p += 8;
            break;
        case 4:
            g_assert_cmpuint(p[1], ==, lint == 0 ? 3 : 1);
            g_assert_cmpuint(p[6], ==, 0xff);
            g_assert_cmpuint(p[7], ==, lint);
            lint++;
            p += 8;
            break;
        default:
            g_assert_not_reached();
        }
    }
    g_assert_cmpuint(cpus, ==, nr_cpus);
    g_assert_cmpuint(ioint, ==, 16);
    g_assert_cmpuint(lint, ==, 2);
    g_assert_true(p == cfg + x86_ld16(cfg + 4));
}

static void test_mptable(void)
{
    check_mptable(1, 1);
    check_mptable(2, 1);
    check_mptable(40, 1);
    check_mptable(41, 1);
    check_mptable(MPTABLE_MAX_CPUS, 1);
    check_mptable(9, 3);                /* IDs 0-2 4-6 8-10, IOAPIC 11 */
    /* Small machines keep the classic 639 KiB of base memory. */
    g_assert_cmphex(mptable_start(2), ==, 0x9fc00);
    g_assert_cmphex(mptable_start(40), ==, 0x9fc00);
    g_assert_cmphex(mptable_start(41), ==, 0x9f800);
}

/* ---- firmware ---- */

/* A firmware image of size bytes: its offset/64 KiB in each 64 KiB, and
 * the reset vector's jump in its last 16 bytes. */
static char *make_firmware(size_t size)
{
    g_autofree uint8_t *data = g_malloc(size);

    for (size_t i = 0; i < size; i++) {
        data[i] = i / (64 * 1024);
    }
    data[size - 16] = 0xea;
    return write_temp_file("test-x86-bios-XXXXXX", data, size);
}

static void check_firmware_map(size_t size, hwaddr isa_base,
                               uint8_t isa_first)
{
    g_autofree char *path = make_firmware(size);
    MemoryRegion *root = g_new(MemoryRegion, 1);
    MemoryRegion *ram = g_new(MemoryRegion, 1);
    X86Firmware *fw = g_new0(X86Firmware, 1);
    AddressSpace as;
    uint8_t b;

    memory_region_init(root, NULL, "sys", UINT64_MAX);
    g_assert_true(memory_region_init_ram(ram, NULL, "ram", X86_MiB, NULL));
    memory_region_add_subregion(root, 0, ram);
    address_space_init(&as, root, "test");

    g_assert_true(x86_firmware_load(fw, root, true, path, NULL));
    g_assert_cmpuint(fw->size, ==, size);
    g_assert_cmpuint(fw->isa_size, ==, MIN(size, 128 * 1024));
    g_assert_cmphex(fw->bios.addr, ==, X86_4GiB - size);
    g_assert_cmpstr(memory_region_name(&fw->bios), ==, "pc.bios");
    g_assert_cmpstr(memory_region_name(&fw->isa_bios), ==, "isa-bios");
    g_assert_cmphex(fw->isa_bios.addr, ==, isa_base);
    g_assert_cmphex(fw->isa_bios.alias_offset, ==, size - fw->isa_size);

    /* The reset vector, and the same byte below 1 MiB, over the RAM. */
    address_space_read(&as, 0xfffffff0, &b, 1);
    g_assert_cmphex(b, ==, 0xea);
    address_space_read(&as, 0xffff0, &b, 1);
    g_assert_cmphex(b, ==, 0xea);
    address_space_read(&as, X86_4GiB - size, &b, 1);
    g_assert_cmphex(b, ==, 0);
    address_space_read(&as, isa_base, &b, 1);
    g_assert_cmphex(b, ==, isa_first);
    address_space_read(&as, isa_base - 1, &b, 1);
    g_assert_cmphex(b, ==, 0);                          /* RAM */

    /* Writable, as QEMU's microvm has it, until the next reset. */
    b = 0x55;
    address_space_write(&as, 0xffff0, &b, 1);
    address_space_read(&as, 0xfffffff0, &b, 1);
    g_assert_cmphex(b, ==, 0x55);
    x86_firmware_reset(fw);
    address_space_read(&as, 0xfffffff0, &b, 1);
    g_assert_cmphex(b, ==, 0xea);
    address_space_destroy(&as);
    unlink(path);
}

static void test_firmware_map(void)
{
    /* As QEMU 7.2: isa-bios is the last min(size, 128 KiB). */
    check_firmware_map(64 * 1024, 0xf0000, 0);
    check_firmware_map(128 * 1024, 0xe0000, 0);
    check_firmware_map(256 * 1024, 0xe0000, 2);
}

static void check_firmware_error(const char *path, const char *frag)
{
    MemoryRegion root;
    X86Firmware fw;
    Error *err = NULL;
    g_autofree char *quoted = g_strdup_printf("'%s'", path);

    memory_region_init(&root, NULL, "sys", UINT64_MAX);
    g_assert_false(x86_firmware_load(&fw, &root, true, path, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "could not load PC BIOS"));
    g_assert_nonnull(strstr(error_get_pretty(err), quoted));
    g_assert_nonnull(strstr(error_get_pretty(err), frag));
    error_free(err);
    /* Nothing was mapped. */
    g_assert_true(!root.subregions || root.subregions->len == 0);
    memory_region_destroy(&root);
}

static void test_firmware_errors(void)
{
    static const uint8_t small[1000];
    char *path;

    check_firmware_error("/nonexistent/bios.bin", "No such file");
    path = write_temp_file("test-x86-bios-XXXXXX", small, sizeof(small));
    check_firmware_error(path, "multiple of 64 KiB");
    unlink(path);
    g_free(path);
    path = write_temp_file("test-x86-bios-XXXXXX", small, 0);
    check_firmware_error(path, "(it has 0 bytes)");
    unlink(path);
    g_free(path);
    check_firmware_error("/", "not a regular file");
}

/* ---- prepare and reset, through guest memory ---- */

static void test_linux_boot(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);
    g_autofree char *kernel = write_temp_file("test-x86-bz-XXXXXX", img,
                                              size);
    g_autofree char *initrd = write_temp_file("test-x86-rd-XXXXXX",
                                              "initrd!", 7);
    X86RamLayout layout = { 32 * X86_MiB, 0 };
    MemoryRegion *root = g_new(MemoryRegion, 1);
    MemoryRegion *ram = g_new(MemoryRegion, 1);
    X86LinuxBoot *lb;
    CPUX86State env;
    AddressSpace as;
    uint8_t buf[PM_SIZE];
    hwaddr rd;

    memory_region_init(root, NULL, "sys", UINT64_MAX);
    g_assert_true(memory_region_init_ram(ram, NULL, "ram", layout.below_4g,
                                         NULL));
    memory_region_add_subregion(root, 0, ram);
    address_space_init(&as, root, "test");

    lb = x86_linux_boot_prepare(kernel, initrd, "console=ttyS0", &layout,
                                0x9fc00, NULL, NULL);
    g_assert_nonnull(lb);
    memset(&env, 0, sizeof(env));
    x86_linux_boot_reset(lb, &as, &env);
    g_assert_cmphex(env.rip, ==, 0x1000200);
    g_assert_cmphex(env.regs[R_ESI], ==, X86_BOOT_PARAMS_ADDR);

    address_space_read(&as, 0x1000000, buf, PM_SIZE);
    g_assert_cmpmem(buf, PM_SIZE, img + SETUP_SIZE, PM_SIZE);
    address_space_read(&as, X86_BOOT_CMDLINE_ADDR, buf, 14);
    g_assert_cmpmem(buf, 14, "console=ttyS0", 14);
    address_space_read(&as, X86_BOOT_PARAMS_ADDR, buf, 4096);
    g_assert_cmphex(buf[0x210], ==, 0xff);
    g_assert_cmpuint(buf[0x1e8], ==, 3);
    g_assert_cmphex(x86_ld64(buf + 0x2e4 + 20), ==, 0x100000);
    g_assert_cmphex(x86_ld64(buf + 0x2ec + 20), ==, 31 * X86_MiB);
    rd = x86_ld32(buf + 0x218);
    g_assert_cmphex(rd, ==, 32 * X86_MiB - 0x1000);
    g_assert_cmpuint(x86_ld32(buf + 0x21c), ==, 7);
    address_space_read(&as, rd, buf, 7);
    g_assert_cmpmem(buf, 7, "initrd!", 7);
    address_space_read(&as, X86_BOOT_GDT_ADDR + X86_BOOT_CS, buf, 8);
    g_assert_cmphex(x86_ld64(buf), ==, 0x00af9b000000ffffULL);
    address_space_read(&as, X86_BOOT_PML4_ADDR, buf, 8);
    g_assert_cmphex(x86_ld64(buf), ==, 0xa003);

    /* A reset puts back what the guest overwrote. */
    memset(buf, 0, sizeof(buf));
    address_space_write(&as, 0x1000000, buf, PM_SIZE);
    x86_linux_boot_reset(lb, &as, &env);
    address_space_read(&as, 0x1000000, buf, PM_SIZE);
    g_assert_cmpmem(buf, PM_SIZE, img + SETUP_SIZE, PM_SIZE);
    x86_linux_boot_free(lb);
    address_space_destroy(&as);
    unlink(kernel);
    unlink(initrd);
}

static void test_linux_boot_errors(void)
{
    size_t size;
    g_autofree uint8_t *img = make_bzimage(&size);
    g_autofree char *kernel = write_temp_file("test-x86-bz-XXXXXX", img,
                                              size);
    X86RamLayout layout = { 32 * X86_MiB, 0 };
    Error *err = NULL;

    g_assert_null(x86_linux_boot_prepare("/nonexistent/bzImage", NULL, NULL,
                                         &layout, 0x9fc00, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "could not load kernel "
                    "'/nonexistent/bzImage': No such file or directory");
    error_free(err);
    err = NULL;

    g_assert_null(x86_linux_boot_prepare(kernel, "/nonexistent/rd", NULL,
                                         &layout, 0x9fc00, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "could not load initrd "
                    "'/nonexistent/rd': No such file or directory");
    error_free(err);
    err = NULL;

    g_assert_null(x86_linux_boot_prepare("/", NULL, NULL, &layout, 0x9fc00,
                                         NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not a regular file"));
    error_free(err);
    err = NULL;

    /* A file that is not a kernel at all. */
    g_assert_null(x86_linux_boot_prepare("/etc/hostname", NULL, NULL,
                                         &layout, 0x9fc00, NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not a bzImage"));
    error_free(err);
    err = NULL;

    layout.below_4g = 8 * X86_MiB;
    g_assert_null(x86_linux_boot_prepare(kernel, NULL, NULL, &layout,
                                         0x9fc00, NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "needs RAM"));
    error_free(err);
    unlink(kernel);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/x86-boot/bzimage/parse", test_bzimage_parse);
    g_test_add_func("/x86-boot/bzimage/setup-sects-zero",
                    test_bzimage_setup_sects_zero);
    g_test_add_func("/x86-boot/bzimage/errors", test_bzimage_errors);
    g_test_add_func("/x86-boot/bzimage/old-protocol",
                    test_bzimage_old_protocol);
    g_test_add_func("/x86-boot/place/relocatable", test_place_relocatable);
    g_test_add_func("/x86-boot/place/fixed", test_place_fixed);
    g_test_add_func("/x86-boot/place/initrd-limits",
                    test_place_initrd_limits);
    g_test_add_func("/x86-boot/place/errors", test_place_errors);
    g_test_add_func("/x86-boot/e820", test_e820);
    g_test_add_func("/x86-boot/boot-params", test_boot_params);
    g_test_add_func("/x86-boot/page-tables", test_page_tables);
    g_test_add_func("/x86-boot/gdt-cpu-state", test_gdt_and_cpu_state);
    g_test_add_func("/x86-boot/mptable", test_mptable);
    g_test_add_func("/x86-boot/firmware/map", test_firmware_map);
    g_test_add_func("/x86-boot/firmware/errors", test_firmware_errors);
    g_test_add_func("/x86-boot/linux/boot", test_linux_boot);
    g_test_add_func("/x86-boot/linux/errors", test_linux_boot_errors);

    return g_test_run();
}
