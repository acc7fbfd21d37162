/*
 * The long-descriptor format (LPAE) on cortex-a15: TTBCR.EAE with T1SZ
 * splitting TTBR0 and TTBR1 (a walk from level 1 and one from level 2),
 * 1 GiB and 2 MiB blocks and 4 KiB pages, the access flag, AP[2:1] and
 * APTable, XN, the long-format DFSR/IFSR codes with their levels, EPD1,
 * 64-bit TTBRs with an ASID, MAIR0 and AMAIR1, an alignment fault in
 * the long format, the 64-bit PAR of ATS1C* (address, attributes and
 * shareability, or the fault) with the MMU on and off.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "mmu-support.h"

void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
const char test_name[] = "lpae";
#define CHECK(got, want) check_eq((got), (want), __LINE__)

extern uint32_t vector_table[8];

#define EAE (1u << 31)
/* Long descriptors: AF, AP[2:1] (bit 7 read-only, bit 6 PL0 access),
 * inner shareable, AttrIndx 0 */
#define AF (1ull << 10)
#define AP_USER (1ull << 6)
#define AP_RO (1ull << 7)
#define XN (1ull << 54)
#define NG (1ull << 11)
#define BLOCK(pa, attrs) ((uint64_t)(uint32_t)(pa) | AF | 3ull << 8 | (attrs) | 1)
#define PAGE(pa, attrs) ((uint64_t)(uint32_t)(pa) | AF | 3ull << 8 | (attrs) | 3)
#define TABLE(pa) ((uint64_t)(uint32_t)(pa) | 3)
#define APTABLE_RO (1ull << 62)
#define ATTR_INDX(i) ((uint64_t)(i) << 2)

/* long-format FSRs: LPAE bit, status, level */
#define FSR(status, level) (1u << 9 | (status) | (level))
#define TRANS 0x04
#define ACCESS 0x08
#define PERM 0x0c
#define WNR (1u << 11)

static uint64_t l1[4] __attribute__((aligned(32)));
static uint64_t l2_low[512] __attribute__((aligned(4096)));
static uint64_t l2_8[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t l3_ro[512] __attribute__((aligned(4096)));
static uint64_t l2_high[512] __attribute__((aligned(4096)));
static volatile uint32_t page_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_b[1024] __attribute__((aligned(4096)));
static volatile uint32_t code[1024] __attribute__((aligned(4096)));

#define VA_GIB 0x40000000u       /* a 1 GiB block onto physical 0 */
#define VA_PAGES 0x80000000u     /* level 3: page_a, invalid, no AF, RO, XN */
#define VA_RO_TABLE 0x80400000u  /* a page under an APTable RO */
#define VA_NO_L2 0x80200000u     /* invalid at level 2 */
#define VA_HIGH 0xc0000000u      /* TTBR1 (T1SZ 2): a 2 MiB block */
#define VA_HIGH_NONE 0xc0200000u /* TTBR1: invalid at level 2 */

static void build_tables(void)
{
    /* TTBR0: 0-1 GiB in 2 MiB blocks onto itself, 1-2 GiB one block
     * onto 0, 2-3 GiB a level 2 table */
    for (uint32_t i = 0; i < 512; i++) {
        l2_low[i] = BLOCK(i << 21, AP_USER);
    }
    l1[0] = TABLE(l2_low);
    l1[1] = BLOCK(0, AP_USER);
    l1[2] = TABLE(l2_8);
    l2_8[0] = TABLE(l3);
    l2_8[2] = TABLE(l3_ro) | APTABLE_RO;
    l3_ro[0] = PAGE(0, AP_USER);
    l3[0] = PAGE(page_a, AP_USER | NG);
    l3[2] = PAGE(page_a, AP_USER) & ~AF;
    l3[3] = PAGE(page_a, AP_RO);
    l3[4] = PAGE(code, AP_USER | XN);
    l3[5] = PAGE(page_b, AP_USER | ATTR_INDX(1));
    l3[6] = PAGE(page_b, AP_USER | ATTR_INDX(6)) & ~(3ull << 8);
    /* TTBR1: the top GiB, the walk starting at level 2 */
    l2_high[0] = BLOCK(0, 0);
}

static void set_ttbr0_64(uint64_t v)
{
    __asm__ volatile("mcrr p15, 0, %Q0, %R0, c2\n\tisb" : : "r"(v));
}

static uint64_t get_ttbr0_64(void)
{
    uint64_t v;

    __asm__ volatile("mrrc p15, 0, %Q0, %R0, c2" : "=r"(v));
    return v;
}

static void translations(void)
{
    page_a[5] = 0xa5;
    CHECK(probe_read(VA_GIB + 0x100), probe_read(0x100));
    CHECK(probe_read(VA_PAGES + 5 * 4), 0xa5);
    CHECK(probe_read(VA_HIGH + 0x104), probe_read(0x104));
    CHECK(probe_read(VA_RO_TABLE + 0x100), probe_read(0x100));
    CHECK(fault_info[3], 0);
}

static void faults(void)
{
    CHECK(probe_read(VA_PAGES + 0x1000), 0xfa11);      /* invalid page */
    CHECK(fault_info[1], FSR(TRANS, 3));
    CHECK(fault_info[2], VA_PAGES + 0x1000);
    CHECK(probe_read(VA_NO_L2 + 8), 0xfa11);
    CHECK(fault_info[1], FSR(TRANS, 2));
    CHECK(probe_read(VA_HIGH_NONE), 0xfa11);
    CHECK(fault_info[1], FSR(TRANS, 2));
    CHECK(probe_read(VA_PAGES + 0x2000), 0xfa11);      /* AF clear */
    CHECK(fault_info[1], FSR(ACCESS, 3));
    CHECK(probe_read(VA_PAGES + 0x3000), page_a[0]);   /* read-only */
    probe_write(VA_PAGES + 0x3000, 1);
    CHECK(fault_info[1], FSR(PERM, 3) | WNR);
    probe_write(VA_RO_TABLE, 1);                       /* APTable RO */
    CHECK(fault_info[1], FSR(PERM, 3) | WNR);
    CHECK(fault_info[3], 6);
    /* execute-never: a prefetch abort with IFSR/IFAR in the long format */
    code[0] = 0xe12fff1e;                              /* bx lr */
    call_expect_pabt(VA_PAGES + 0x4000);
    CHECK(fault_info[5], 1);
    CHECK(CP15_READ(0, 5, 0, 1), FSR(PERM, 3));
    CHECK(CP15_READ(0, 6, 0, 2), VA_PAGES + 0x4000);
    /* an unaligned LDREX: alignment fault, long format */
    CHECK(probe_ldrex(0x1002), 0xfa11);
    CHECK(fault_info[1], 1u << 9 | 0x21);
    /* EPD1: no walks through TTBR1 */
    CP15_WRITE(0, 2, 0, 2, EAE | 2u << 16 | 1u << 23);
    CHECK(probe_read(VA_HIGH), 0xfa11);
    CHECK(fault_info[1], FSR(TRANS, 1));
    CP15_WRITE(0, 2, 0, 2, EAE | 2u << 16);
    CHECK(fault_info[3], 8);
}

static void registers(void)
{
    uint64_t ttbr0 = get_ttbr0_64();

    CHECK((uint32_t)ttbr0, (uint32_t)l1);
    CHECK((uint32_t)(ttbr0 >> 32), 0);
    CHECK(CP15_READ(0, 2, 0, 2), EAE | 2u << 16);
    CP15_WRITE(0, 10, 2, 0, 0x44ff04aa);               /* MAIR0 */
    CHECK(CP15_READ(0, 10, 2, 0), 0x44ff04aa);
    CP15_WRITE(0, 10, 3, 1, 0x12345678);               /* AMAIR1: RAZ/WI */
    CHECK(CP15_READ(0, 10, 3, 1), 0);
    /* a new ASID in TTBR0 and a changed nG page: the new mapping */
    l3[0] = PAGE(page_b, AP_USER | NG);
    page_b[5] = 0xb5;
    set_ttbr0_64((uint64_t)(uint32_t)l1 | 1ull << 48);
    CHECK((uint32_t)(get_ttbr0_64() >> 32), 1u << 16);
    CHECK(probe_read(VA_PAGES + 5 * 4), 0xb5);
}

static uint64_t get_par_64(void)
{
    uint64_t v;

    __asm__ volatile("mrrc p15, 0, %Q0, %R0, c7" : "=r"(v));
    return v;
}

static void set_par_64(uint64_t v)
{
    __asm__ volatile("mcrr p15, 0, %Q0, %R0, c7" : : "r"(v));
}

/* ATS1CPR (0), ATS1CPW (1), ATS1CUR (2) or ATS1CUW (3) of va, then the
 * 64-bit PAR. */
#define ATS(opc2, va) ({                                                \
    __asm__ volatile("mcr p15, 0, %0, c7, c8, " #opc2 "\n\tisb"         \
                     : : "r"(va));                                      \
    get_par_64();                                                       \
})
#define PAR_LPAE (1u << 11)
#define PAR_SH(sh) ((sh) << 7)
#define PAR_FAULT(fsr) (PAR_LPAE | ((fsr) & 0x3f) << 1 | 1)

static void check_par(uint64_t par, uint32_t high, uint32_t low,
                      uint32_t line)
{
    check_eq(par >> 32, high, line);
    check_eq((uint32_t)par, low, line);
}

/* The high word holds the attribute byte of MAIR0/MAIR1 (bits 63:56). */
#define CHECK_PAR(par, attr, low) check_par((par), (attr) << 24, (low), \
                                            __LINE__)

static void par(void)
{
    /* MAIR0 0x44ff04aa: AttrIndx 0 Normal write-through, 1 Device,
     * 3 Normal Non-cacheable; MAIR1's 6 Normal write-back */
    CP15_WRITE(0, 10, 2, 0, 0x44ff04aa);
    CP15_WRITE(0, 10, 2, 1, 0x00ff0000);
    /* the output address, the attribute byte, the descriptor's
     * shareability (inner) for cacheable memory, LPAE */
    CHECK_PAR(ATS(0, VA_GIB + 0x123), 0xaa, PAR_LPAE | PAR_SH(3));
    CHECK_PAR(ATS(1, VA_PAGES + 0x10), 0xaa,             /* see registers() */
              (uint32_t)page_b | PAR_LPAE | PAR_SH(3));
    CHECK_PAR(ATS(2, VA_GIB + 0x5000), 0xaa, 0x5000 | PAR_LPAE | PAR_SH(3));
    /* Device memory: outer shareable whatever the descriptor says */
    CHECK_PAR(ATS(0, VA_PAGES + 0x5000), 0x04,         /* QEMU 7.2: SH 3 */
              (uint32_t)page_b | PAR_LPAE | PAR_SH(2));
    /* non-shareable write-back memory */
    CHECK_PAR(ATS(0, VA_PAGES + 0x6000), 0xff,
              (uint32_t)page_b | PAR_LPAE | PAR_SH(0));
    /* faults: their long-format status with the level */
    CHECK_PAR(ATS(0, VA_PAGES + 0x1000), 0, PAR_FAULT(FSR(TRANS, 3)));
    CHECK_PAR(ATS(0, VA_NO_L2), 0, PAR_FAULT(FSR(TRANS, 2)));
    CHECK_PAR(ATS(0, VA_HIGH_NONE), 0, PAR_FAULT(FSR(TRANS, 2)));
    CHECK_PAR(ATS(0, VA_PAGES + 0x2000), 0, PAR_FAULT(FSR(ACCESS, 3)));
    CHECK_PAR(ATS(1, VA_PAGES + 0x3000), 0, PAR_FAULT(FSR(PERM, 3)));
    CHECK_PAR(ATS(3, VA_PAGES + 0x3000), 0, PAR_FAULT(FSR(PERM, 3)));
    CHECK_PAR(ATS(2, VA_HIGH), 0, PAR_FAULT(FSR(PERM, 2)));
    CHECK_PAR(ATS(1, VA_RO_TABLE), 0, PAR_FAULT(FSR(PERM, 3)));
    CHECK(fault_info[3], 8);                 /* no abort was taken */
    /* MRC reads the low word; MCRR writes both, MCR the low one */
    CHECK(CP15_READ(0, 7, 4, 0), PAR_FAULT(FSR(PERM, 3)));
    set_par_64(0x12345678abcdef00ull);
    check_par(get_par_64(), 0x12345678, 0xabcdef00, __LINE__);
    CP15_WRITE(0, 7, 4, 0, 0x55);
    check_par(get_par_64(), 0x12345678, 0x55, __LINE__);
}

/* With the MMU off the long format still: the address itself,
 * Strongly-ordered (attribute 0), outer shareable. */
static void par_mmu_off(void)
{
    CHECK_PAR(ATS(0, 0x1234), 0,                        /* QEMU 7.2: SH 0 */
              0x1000 | PAR_LPAE | PAR_SH(2));
    CHECK_PAR(ATS(3, 0x80005678), 0,                    /* QEMU 7.2: SH 0 */
              0x80005000 | PAR_LPAE | PAR_SH(2));
}

int main(void)
{
    build_tables();
    vector_table[3] = (uint32_t)pabt_resume_handler;
    vector_table[4] = (uint32_t)dabt_skip_handler;
    /* the long format, TTBR1 for the top GiB */
    CP15_WRITE(0, 2, 0, 2, EAE | 2u << 16);
    __asm__ volatile("mcrr p15, 1, %Q0, %R0, c2" : : "r"((uint64_t)(uint32_t)l2_high));
    mmu_on(l1, 0);
    translations();
    faults();
    registers();
    par();
    mmu_off();
    par_mmu_off();
    CP15_WRITE(0, 2, 0, 2, 0xffffffffu);     /* what the long format has */
    CHECK(CP15_READ(0, 2, 0, 2), 0xffc73f87u);
    CP15_WRITE(0, 2, 0, 2, 0);
    return report();
}
