/*
 * Booting an x86 PC-style machine: the -bios firmware mapping, direct
 * Linux boot (-kernel/-initrd/-append) per the x86 boot protocol
 * (Documentation/x86/boot.rst, 64-bit entry) and the e820 memory map it
 * hands over.  The pure parts (header checks, placement, boot_params,
 * page tables) are exported for the unit tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_X86_BOOT_H
#define HW_I386_X86_BOOT_H

#include "util/osdep.h"
#include "util/error.h"
#include "softmmu/memory.h"

#define X86_KiB 0x400ULL
#define X86_MiB 0x100000ULL
#define X86_GiB 0x40000000ULL
#define X86_4GiB 0x100000000ULL

/* Where the interrupt controllers sit (kvm's in-kernel ones). */
#define X86_IOAPIC_ADDR 0xfec00000u
#define X86_LAPIC_ADDR  0xfee00000u
/* The local APICs' window, where devices' MSIs go too (1 MiB). */
#define X86_MSI_WINDOW_SIZE 0x100000

/* Little-endian fields of guest structures in a host buffer. */
static inline void x86_st16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void x86_st32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void x86_st64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static inline uint16_t x86_ld16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT16_FROM_LE(v);
}

static inline uint32_t x86_ld32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_LE(v);
}

static inline uint64_t x86_ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_LE(v);
}

/* Guest RAM as a PC splits it around the hole below 4 GiB. */
typedef struct X86RamLayout {
    uint64_t below_4g;           /* RAM at [0, below_4g) */
    uint64_t above_4g;           /* RAM at [4 GiB, 4 GiB + above_4g) */
} X86RamLayout;

/* ---- firmware (x86-firmware.c) ---- */

/* The firmware ROM is a whole number of these, as QEMU requires. */
#define X86_FIRMWARE_ALIGN (64 * X86_KiB)
/* Beyond this it would cover the IOAPIC and LAPIC below 4 GiB. */
#define X86_FIRMWARE_MAX (16 * X86_MiB)
/* The part of the firmware also visible below 1 MiB (QEMU: isa-bios). */
#define X86_ISA_BIOS_MAX (128 * X86_KiB)

typedef struct X86Firmware {
    MemoryRegion bios;           /* "pc.bios": the file, ending at 4 GiB */
    MemoryRegion isa_bios;       /* "isa-bios": its tail, ending at 1 MiB */
    uint8_t *image;              /* the file, put back at every reset */
    uint64_t size;
    uint64_t isa_size;
} X86Firmware;

/*
 * Reads the firmware file and maps it into container: the whole file
 * ending at 4 GiB (so the reset vector at 0xfffffff0 is its last 16
 * bytes) and its last min(size, 128 KiB) aliased to end at 1 MiB, above
 * anything else there.  The size must be a non-zero multiple of 64 KiB
 * and at most 16 MiB.  With writable (QEMU 7.2's microvm, which passes
 * isapc_ram_fw) the firmware is RAM that it may write, e.g. its data in
 * the F segment; otherwise ROM (the PC, whose firmware copies itself
 * into shadow RAM).  x86_firmware_reset puts the file's contents back.
 */
bool x86_firmware_load(X86Firmware *fw, MemoryRegion *container,
                       bool writable, const char *filename, Error **errp);
void x86_firmware_reset(X86Firmware *fw);

/* ---- e820 ---- */

#define E820_RAM      1
#define E820_RESERVED 2
#define E820_MAX_ENTRIES_ZEROPAGE 128

typedef struct E820Entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} E820Entry;

/*
 * The memory map for ram: usable RAM below low_reserved (base memory),
 * reserved from there to 640 KiB (the MP table), usable RAM from 1 MiB
 * and above 4 GiB, and fw's two windows reserved when fw is non-NULL.
 * Returns the number of entries written (at most 6), sorted by address.
 */
unsigned x86_e820_build(E820Entry *table, const X86RamLayout *ram,
                        hwaddr low_reserved, const X86Firmware *fw);

/* ---- direct Linux boot (x86-linux-boot.c) ---- */

/* Fixed guest addresses of what the loader writes below 1 MiB. */
#define X86_BOOT_GDT_ADDR      0x500
#define X86_BOOT_PARAMS_ADDR   0x7000   /* the zero page, 4 KiB */
#define X86_BOOT_STACK_TOP     0x8ff0
#define X86_BOOT_PML4_ADDR     0x9000   /* then PDPT, then 4 PDs */
#define X86_BOOT_PT_SIZE       (6 * 0x1000)
#define X86_BOOT_CMDLINE_ADDR  0x20000
#define X86_BOOT_CMDLINE_MAX   0x70000  /* up to 0x90000, below the EBDA */
#define X86_BOOT_KERNEL_ADDR   0x100000 /* "loaded high" */

#define X86_BOOT_CS 0x10                /* __BOOT_CS */
#define X86_BOOT_DS 0x18                /* __BOOT_DS */

/* What the setup header of a bzImage says, checked. */
typedef struct X86BzImage {
    uint16_t version;            /* boot protocol, 0x020c = 2.12 */
    uint32_t setup_size;         /* bytes before the protected-mode part */
    uint32_t header_end;         /* setup header bytes to copy end here */
    uint8_t loadflags;
    uint16_t xloadflags;
    bool relocatable;
    uint32_t initrd_addr_max;
    uint32_t cmdline_size;       /* longest command line, without NUL */
    uint64_t pref_address;       /* 0 before 2.10 */
    uint32_t init_size;          /* 0 before 2.10 */
} X86BzImage;

#define BZ_LOADED_HIGH               0x01  /* loadflags */
#define BZ_XLF_KERNEL_64             0x01  /* xloadflags */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x02

/*
 * Checks that image is a bzImage emu can boot through the 64-bit entry:
 * "HdrS" at 0x202, protocol 2.06 or later, loaded high, XLF_KERNEL_64.
 * Errors name the file (name) and what is required.
 */
bool x86_bzimage_parse(const uint8_t *image, size_t size, const char *name,
                       X86BzImage *bz, Error **errp);

/* Where the pieces go in guest memory. */
typedef struct X86LinuxPlacement {
    hwaddr load_addr;            /* protected-mode kernel */
    hwaddr entry;                /* startup_64: load_addr + 0x200 */
    hwaddr kernel_end;           /* end of what it needs while it starts */
    hwaddr initrd_addr;
    uint64_t initrd_size;        /* 0: no initrd */
} X86LinuxPlacement;

/*
 * Places the protected-mode kernel of kernel_size bytes (at its
 * preferred address when relocatable and it fits, else at 1 MiB) and an
 * initrd of initrd_size bytes (as high as initrd_addr_max and RAM below
 * 4 GiB allow, above the kernel; above 4 GiB only when it does not fit
 * below and the kernel says it may).  cmdline_len excludes the NUL.
 */
bool x86_linux_place(const X86BzImage *bz, uint64_t kernel_size,
                     uint64_t initrd_size, size_t cmdline_len,
                     const X86RamLayout *ram, const char *kernel_name,
                     const char *initrd_name, X86LinuxPlacement *pl,
                     Error **errp);

/*
 * Fills the 4 KiB zero page (struct boot_params): the image's setup
 * header with the loader's fields (type_of_loader 0xff, cmd_line_ptr at
 * X86_BOOT_CMDLINE_ADDR, ramdisk_image/size and their ext_ halves) and
 * the e820 table.
 */
void x86_linux_build_boot_params(uint8_t *zero_page, const uint8_t *image,
                                 const X86BzImage *bz,
                                 const X86LinuxPlacement *pl,
                                 const E820Entry *e820, unsigned nr_e820);

/* Identity map of the first 4 GiB with 2 MiB pages: PML4 at
 * X86_BOOT_PML4_ADDR, then the PDPT and four page directories, in
 * X86_BOOT_PT_SIZE bytes. */
void x86_boot_build_page_tables(uint8_t *buf);

/* The boot GDT: null, null, __BOOT_CS (flat 64-bit code), __BOOT_DS
 * (flat data), in X86_BOOT_GDT_SIZE bytes. */
#define X86_BOOT_GDT_SIZE 32
void x86_boot_build_gdt(uint8_t *buf);

struct CPUX86State;
/* The BSP as the 64-bit boot protocol wants it: long mode, paging on
 * the identity map, the boot GDT loaded, interrupts off, RSI = the zero
 * page, RIP = entry. */
void x86_linux_set_boot_cpu_state(struct CPUX86State *env, hwaddr entry);

/* A kernel read, checked and placed at machine init; written into guest
 * memory at every reset. */
typedef struct X86LinuxBoot X86LinuxBoot;

X86LinuxBoot *x86_linux_boot_prepare(const char *kernel_filename,
                                     const char *initrd_filename,
                                     const char *cmdline,
                                     const X86RamLayout *ram,
                                     hwaddr low_reserved,
                                     const X86Firmware *fw, Error **errp);
/* Writes the kernel, initrd, command line, zero page, GDT and page
 * tables into as and puts the BSP (env) at the kernel's entry. */
void x86_linux_boot_reset(X86LinuxBoot *lb, AddressSpace *as,
                          struct CPUX86State *env);
void x86_linux_boot_free(X86LinuxBoot *lb);

#endif
