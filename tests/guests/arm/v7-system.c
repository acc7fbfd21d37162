/*
 * The ARMv7 system on cortex-a15: the identification registers, VBAR,
 * the thread ID registers, and the short-descriptor MMU (sections,
 * supersections, small and large pages, TTBR1 under TTBCR.N, AP[2:0],
 * XN, domains, the access flag with SCTLR.AFE, the v7 DFSR/IFSR codes
 * with WnR, the address translation operations into the PAR, TLB
 * maintenance by MVA) and the alignment fault of an unaligned LDREX.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "mmu-support.h"

void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
const char test_name[] = "v7-system";
#define CHECK(got, want) check_eq((got), (want), __LINE__)

extern uint32_t vector_table[8];
extern char _start[];

/* Short descriptors: AP[2:0] = ap, as AP[2] << 15 / << 9 and AP[1:0]. */
#define SECTION(pa, ap, domain) \
    ((pa) | ((ap) >> 2) << 15 | ((ap) & 3u) << 10 | (domain) << 5 | 0x2)
#define SECTION_XN (1u << 4)
#define SUPERSECTION(pa, ap) \
    ((pa) | 1u << 18 | ((ap) >> 2) << 15 | ((ap) & 3u) << 10 | 0x2)
#define PAGE_TABLE(pa, domain) ((pa) | (domain) << 5 | 0x1)
#define SMALL(pa, ap) ((pa) | ((ap) >> 2) << 9 | ((ap) & 3u) << 4 | 0x2)
#define SMALL_XN 1u
#define LARGE(pa, ap) ((pa) | ((ap) >> 2) << 9 | ((ap) & 3u) << 4 | 0x1)

static uint32_t l1[4096] __attribute__((aligned(16384)));
static uint32_t l1_high[4096] __attribute__((aligned(16384)));
static uint32_t l2[256] __attribute__((aligned(1024)));
static volatile uint32_t page_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_b[1024] __attribute__((aligned(4096)));
static volatile uint32_t code[1024] __attribute__((aligned(4096)));
static volatile uint32_t large[16384] __attribute__((aligned(65536)));
static uint32_t vectors[16] __attribute__((aligned(32)));

#define PAGES_VA 0x04000000u     /* through l2 */
#define VA_A PAGES_VA            /* page_a, RW */
#define VA_RO (PAGES_VA + 0x1000)        /* page_b, PL1 read-only */
#define VA_XN (PAGES_VA + 0x2000)        /* code, execute-never */
#define VA_NONE (PAGES_VA + 0x3000)      /* no translation */
#define VA_USER_RO (PAGES_VA + 0x4000)   /* page_b, user read-only */
#define VA_AF (PAGES_VA + 0x5000)        /* page_a, access flag clear */
#define VA_LARGE (PAGES_VA + 0x10000)    /* large, 64 KiB */
#define UNMAPPED 0x08000000u
#define DOMAIN1 0x06000000u
#define SUPER_VA 0x20000000u     /* RAM again, through a supersection */
#define HIGH_VA 0x80000000u      /* through TTBR1 with TTBCR.N = 1 */

static void identification(void)
{
    CHECK(CP15_READ(0, 0, 0, 0), 0x414fc0f0);
    CHECK(CP15_READ(0, 0, 0, 5), 0x80000000);   /* MPIDR, core 0 */
    CHECK(CP15_READ(0, 0, 1, 4), 0x10201105);   /* ID_MMFR0 */
    CHECK(CP15_READ(0, 0, 2, 0), 0x02101110);   /* ID_ISAR0: SDIV/UDIV */
    CHECK(CP15_READ(1, 0, 0, 1), 0x0a200023);   /* CLIDR */
    CP15_WRITE(2, 0, 0, 0, 2u);                 /* CSSELR: L2 */
    CHECK(CP15_READ(1, 0, 0, 0), 0x711fe07a);   /* its CCSIDR */
    CP15_WRITE(2, 0, 0, 0, 0u);
    CHECK(CP15_READ(0, 0, 3, 0), 0);            /* reserved ID space */
    CHECK(CP15_READ(0, 1, 0, 0), 0x00c50078);   /* SCTLR at reset */
}

static uint64_t read_cntvct(void)
{
    uint32_t lo, hi;

    __asm__ volatile("mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The generic timer's registers (no interrupt is taken here) and the
 * 64-bit TTBR0 transfer. */
static void generic_timer(void)
{
    uint64_t a, b;
    uint32_t lo, hi;

    CHECK(CP15_READ(0, 14, 0, 0), 62500000);    /* CNTFRQ */
    a = read_cntvct();
    do {
        b = read_cntvct();
    } while (b == a);
    CHECK(b > a, 1);
    CP15_WRITE(0, 14, 3, 1, 1u);                /* CNTV_CTL: enable */
    CP15_WRITE(0, 14, 3, 0, 0x7fffffffu);       /* far in the future */
    CHECK(CP15_READ(0, 14, 3, 1), 1);
    CHECK(CP15_READ(0, 14, 3, 0) > 0x70000000u, 1);
    CP15_WRITE(0, 14, 3, 0, 0u);                /* now: ISTATUS */
    CHECK(CP15_READ(0, 14, 3, 1), 5);
    CP15_WRITE(0, 14, 3, 1, 0u);
    __asm__ volatile("mcrr p15, 0, %0, %1, c2" :: "r"(0x1234000u), "r"(0));
    CHECK(CP15_READ(0, 2, 0, 0), 0x1234000);
    __asm__ volatile("mrrc p15, 0, %0, %1, c2" : "=r"(lo), "=r"(hi));
    CHECK(lo, 0x1234000);
    CHECK(hi, 0);
}

static void thread_ids_and_vbar(void)
{
    CP15_WRITE(0, 13, 0, 2, 0x1234u);
    CP15_WRITE(0, 13, 0, 3, 0x5678u);
    CP15_WRITE(0, 13, 0, 4, 0x9abcu);
    CHECK(CP15_READ(0, 13, 0, 2), 0x1234);
    CHECK(CP15_READ(0, 13, 0, 3), 0x5678);
    CHECK(CP15_READ(0, 13, 0, 4), 0x9abc);

    /* A copy of the vectors elsewhere, whose undefined instruction
     * handler counts and carries on; the one at 0 would end the test. */
    for (int i = 0; i < 16; i++) {
        vectors[i] = ((uint32_t *)_start)[i];
    }
    vectors[8 + 1] = (uint32_t)undef_skip_handler;
    CP15_WRITE(0, 12, 0, 0, (uint32_t)vectors | 0x1f);
    CHECK(CP15_READ(0, 12, 0, 0), (uint32_t)vectors);
    fault_info[6] = 0;
    __asm__ volatile(".word 0xe7f000f0" ::: "memory");
    CHECK(fault_info[6], 1);
    CP15_WRITE(0, 12, 0, 0, 0u);
}

static void build_tables(void)
{
    for (uint32_t mb = 0; mb < 64; mb++) {
        l1[mb] = SECTION(mb << 20, 3u, 0u);
    }
    l1[PAGES_VA >> 20] = PAGE_TABLE((uint32_t)l2, 0u);
    l2[0] = SMALL((uint32_t)page_a, 3u);
    l2[1] = SMALL((uint32_t)page_b, 5u);        /* APX, PL1 RO */
    l2[2] = SMALL((uint32_t)code, 3u) | SMALL_XN;
    l2[4] = SMALL((uint32_t)page_b, 2u);        /* user RO, PL1 RW */
    l2[5] = SMALL((uint32_t)page_a, 2u);        /* AP[0] clear */
    for (int i = 0; i < 16; i++) {               /* repeated 16 times */
        l2[16 + i] = LARGE((uint32_t)large, 3u);
    }
    l1[DOMAIN1 >> 20] = SECTION(0u, 3u, 1u);
    for (int i = 0; i < 16; i++) {
        l1[(SUPER_VA >> 20) + i] = SUPERSECTION(0u, 3u);
    }
    l1_high[HIGH_VA >> 20] = SECTION((uint32_t)page_a & 0xfff00000u,
                                     3u, 0u);
}

static void mapped(void)
{
    volatile uint32_t *va = (volatile uint32_t *)VA_A;
    volatile uint32_t *big = (volatile uint32_t *)VA_LARGE;

    page_a[3] = 0xa3;
    CHECK(va[3], 0xa3);
    va[4] = 0xa4;
    CHECK(page_a[4], 0xa4);
    large[0x3001] = 0x77;
    CHECK(big[0x3001], 0x77);
    CHECK(probe_read(SUPER_VA + 0x100), probe_read(0x100));
    CHECK(*(volatile uint32_t *)(VA_RO + 8), page_b[2]);
    /* ATS1CPR: the physical address into PAR */
    CP15_WRITE(0, 7, 8, 0, VA_A + 0x123);
    CHECK(CP15_READ(0, 7, 4, 0) & 0xfffff001, (uint32_t)page_a);
}

static void faults(void)
{
    fault_info[3] = 0;
    CHECK(probe_read(UNMAPPED + 0x24), 0xfa11);
    CHECK(fault_info[1], 0x005);                /* section translation */
    CHECK(fault_info[2], UNMAPPED + 0x24);
    probe_write(VA_NONE + 8, 1);
    CHECK(fault_info[1], 0x807);                /* page, WnR */
    CHECK(fault_info[2], VA_NONE + 8);
    probe_write(VA_RO + 4, 1);
    CHECK(fault_info[1], 0x80f);                /* page permission */
    CHECK(page_b[1], 0);
    CHECK(probe_read(DOMAIN1 + 0x40), 0xfa11);
    CHECK(fault_info[1], 0x019);                /* domain 1, section */
    CHECK(fault_info[3], 4);
    /* ATS1CUW of a PL1-only... user read-only page: a permission fault */
    CP15_WRITE(0, 7, 8, 3, VA_USER_RO);
    CHECK(CP15_READ(0, 7, 4, 0) & 0x7f, 0x1f);
    /* ATS1CUR of it succeeds */
    CP15_WRITE(0, 7, 8, 2, VA_USER_RO);
    CHECK(CP15_READ(0, 7, 4, 0) & 0xfffff001, (uint32_t)page_b);
    /* an execute-never page: a prefetch abort, IFSR permission */
    fault_info[5] = 0;
    code[0] = 0xe12fff1e;                       /* bx lr */
    call_expect_pabt(VA_XN);
    CHECK(fault_info[5], 1);
    CHECK(CP15_READ(0, 5, 0, 1), 0x00f);
    CHECK(CP15_READ(0, 6, 0, 2), VA_XN);
    /* LDREX of an unaligned word: an alignment fault */
    CHECK(probe_ldrex((uint32_t)page_a + 2), 0xfa11);
    CHECK(fault_info[1], 0x001);
    CHECK(fault_info[2], (uint32_t)page_a + 2);
}

static void access_flag(void)
{
    uint32_t sctlr = CP15_READ(0, 1, 0, 0);

    CP15_WRITE(0, 1, 0, 0, sctlr | 1u << 29);   /* AFE */
    fault_info[3] = 0;
    CHECK(probe_read(VA_AF), 0xfa11);
    CHECK(fault_info[1], 0x006);                /* access flag, page */
    /* set AF: AP[2:1] = 01 is read/write */
    l2[5] |= 1u << 4;
    tlb_flush_one(VA_AF);
    page_a[0] = 0xaf;
    CHECK(probe_read(VA_AF), 0xaf);
    /* AP[2:1] = 11 with AF: read-only */
    l2[5] = SMALL((uint32_t)page_a, 7u);
    tlb_flush_one(VA_AF);
    probe_write(VA_AF, 1);
    CHECK(fault_info[1], 0x80f);
    CHECK(fault_info[3], 2);
    CP15_WRITE(0, 1, 0, 0, sctlr);
}

static void split_and_flush(void)
{
    volatile uint32_t *va = (volatile uint32_t *)VA_A;

    CP15_WRITE(0, 2, 0, 1, (uint32_t)l1_high);  /* TTBR1 */
    CP15_WRITE(0, 2, 0, 2, 1u);                 /* TTBCR.N = 1 */
    page_a[7] = 0x77;
    CHECK(*(volatile uint32_t *)(HIGH_VA + ((uint32_t)page_a & 0xfffff) +
                                 28), 0x77);
    CP15_WRITE(0, 2, 0, 2, 0u);
    tlb_flush_all();
    /* remap a page, flush it by MVA */
    page_b[9] = 0xb9;
    l2[0] = SMALL((uint32_t)page_b, 3u);
    tlb_flush_one(VA_A);
    CHECK(va[9], 0xb9);
    l2[0] = SMALL((uint32_t)page_a, 3u);
    tlb_flush_one(VA_A);
}

int main(void)
{
    identification();
    generic_timer();
    thread_ids_and_vbar();
    build_tables();
    vector_table[3] = (uint32_t)pabt_resume_handler;
    vector_table[4] = (uint32_t)dabt_skip_handler;
    mmu_on(l1, 0x1);            /* domain 0 client, the others no access */
    mapped();
    faults();
    access_flag();
    split_and_flush();
    mmu_off();
    return report();
}
