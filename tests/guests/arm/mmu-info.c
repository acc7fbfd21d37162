/*
 * Page tables for the monitor's "info tlb" and "info mem"
 * (test_arm_mmu_info.py): the guest builds them, turns the MMU on and
 * waits, and the test reads the tables through the monitor.
 *
 * Short-descriptor format (cortex-a15, TTBCR.N = 1: TTBR0 below 2 GiB,
 * TTBR1 above): sections onto the RAM the guest runs in, a supersection
 * with an extended (above 4 GiB) address, small and large pages in a
 * second-level table, a page in a domain the DACR denies, a section in
 * a manager domain (XN not checked), PXN on TTBR1's sections.
 *
 * Built with -DLONG_FORMAT: the long-descriptor format (TTBCR.EAE,
 * T1SZ = 2: TTBR1 for the top GiB, walked from level 2): 2 MiB blocks
 * onto the RAM, a 1 GiB block, 4 KiB pages with AP, XN, nG and a clear
 * access flag, an APTable read-only table, WXN off.
 *
 * Every address the test expects is a constant here; the tables
 * themselves live in .bss, wherever the linker puts them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "mmu-support.h"

const char test_name[] = "mmu-info";
#define RAM_MIB 64

#ifndef LONG_FORMAT

/* Short descriptors */
#define SECTION 2u
#define SUPERSECTION (1u << 18 | 2u)
#define COARSE 1u
#define SMALL 2u
#define LARGE 1u
#define DOMAIN(n) ((uint32_t)(n) << 5)
/* AP[2:0] of a section (AP[1:0] at 11:10, AP[2] at 15) and of a page
 * (AP[1:0] at 5:4, AP[2] at 9) */
#define SEC_AP(ap) (((ap) & 3u) << 10 | ((ap) >> 2) << 15)
#define PAGE_AP(ap) (((ap) & 3u) << 4 | ((ap) >> 2) << 9)
#define SEC_XN (1u << 4)
#define SEC_PXN 1u
#define SEC_TEX(t) ((uint32_t)(t) << 12)
#define SEC_S (1u << 16)
#define SEC_NG (1u << 17)
#define SMALL_XN 1u
#define SMALL_TEX(t) ((uint32_t)(t) << 6)
#define LARGE_TEX(t) ((uint32_t)(t) << 12)
#define LARGE_XN (1u << 15)
#define PAGE_S (1u << 10)
#define PAGE_NG (1u << 11)
#define CB (3u << 2)

static uint32_t l1_low[2048] __attribute__((aligned(16384)));
static uint32_t l1_high[4096] __attribute__((aligned(16384)));
static uint32_t l2_a[256] __attribute__((aligned(1024)));
static uint32_t l2_b[256] __attribute__((aligned(1024)));

static void build_tables(void)
{
    /* 0-64 MiB: the RAM, normal write-back shareable memory */
    for (uint32_t i = 0; i < RAM_MIB; i++) {
        l1_low[i] = i << 20 | SEC_TEX(1) | CB | SEC_S | SEC_AP(3) |
                    DOMAIN(0) | SECTION;
    }
    /* 0x10000000: a supersection onto 0x1_00000000 (PA[35:32] = 1 in
     * bits 23:20), PL1 read-only, XN, not global; 16 entries */
    for (uint32_t i = 0; i < 16; i++) {
        l1_low[0x100 + i] = 1u << 20 | SEC_AP(5) | SEC_XN | SEC_NG |
                            SUPERSECTION;
    }
    /* 0x20000000: small pages and a large page, domain 0 */
    l1_low[0x200] = (uint32_t)l2_a | DOMAIN(0) | COARSE;
    l2_a[0] = 0x00300000 | PAGE_AP(2) | PAGE_NG | PAGE_S | SMALL;
    l2_a[1] = 0x00301000 | PAGE_AP(3) | SMALL_TEX(1) | CB | SMALL_XN |
              SMALL;
    for (uint32_t i = 16; i < 32; i++) {        /* 0x20010000, 64 KiB */
        l2_a[i] = 0x00400000 | PAGE_AP(1) | LARGE_TEX(1) | LARGE;
    }
    /* 0x20100000: a page in domain 1, which the DACR denies */
    l1_low[0x201] = (uint32_t)l2_b | DOMAIN(1) | COARSE;
    l2_b[0] = 0x00500000 | PAGE_AP(3) | SMALL;
    /* 0x20200000: a section in domain 2, a manager: AP 000 and XN are
     * not checked */
    l1_low[0x202] = 0x00600000 | SEC_AP(0) | SEC_XN | DOMAIN(2) | SECTION;
    /* TTBR1: 0xc0000000-0xc03fffff onto the RAM's start, PL1 read/write,
     * PXN */
    for (uint32_t i = 0; i < 4; i++) {
        l1_high[0xc00 + i] = i << 20 | SEC_AP(1) | SEC_PXN | SECTION;
    }
}

int main(void)
{
    build_tables();
    CP15_WRITE(0, 2, 0, 2, 1);                   /* TTBCR.N = 1 */
    CP15_WRITE(0, 2, 0, 1, (uint32_t)l1_high);   /* TTBR1 */
    /* domain 0 client, 1 no access, 2 manager */
    mmu_on(l1_low, 0x1 | 0x0 << 2 | 0x3 << 4);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

#else

/* Long descriptors: AF, AP[2:1], SH, AttrIndx */
#define VALID 1ull
#define TABLE 3ull
#define PAGE 3ull
#define AF (1ull << 10)
#define NG (1ull << 11)
#define AP_USER (1ull << 6)
#define AP_RO (1ull << 7)
#define SH_INNER (3ull << 8)
#define ATTR(n) ((uint64_t)(n) << 2)
#define XN (1ull << 54)
#define PXN (1ull << 53)
#define APTABLE_RO (1ull << 62)
#define EAE (1u << 31)

static uint64_t l1[4] __attribute__((aligned(32)));
static uint64_t l2_low[512] __attribute__((aligned(4096)));
static uint64_t l2_mid[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t l3_ro[512] __attribute__((aligned(4096)));
static uint64_t l2_high[512] __attribute__((aligned(4096)));

static void build_tables(void)
{
    /* 0-64 MiB: the RAM in 2 MiB blocks, attribute 1, inner shareable */
    for (uint32_t i = 0; i < RAM_MIB / 2; i++) {
        l2_low[i] = (uint64_t)i << 21 | AF | SH_INNER | ATTR(1) | AP_USER |
                    VALID;
    }
    l1[0] = (uint64_t)(uint32_t)l2_low | TABLE;
    /* 0x40000000: a 1 GiB block onto 0x1_00000000, PL1 only, XN */
    l1[1] = 0x100000000ull | AF | XN | VALID;
    /* 0x80000000: pages; 0x80200000: a table under APTable read-only */
    l1[2] = (uint64_t)(uint32_t)l2_mid | TABLE;
    l2_mid[0] = (uint64_t)(uint32_t)l3 | TABLE;
    l3[0] = 0x00300000 | AF | NG | AP_USER | PAGE;
    l3[1] = 0x00301000 | AF | AP_USER | AP_RO | XN | PAGE;
    l3[2] = 0x00302000 | AP_USER | PAGE;                /* AF clear */
    l3[3] = 0x00303000 | AF | PXN | PAGE;
    l2_mid[1] = (uint64_t)(uint32_t)l3_ro | TABLE | APTABLE_RO;
    l3_ro[0] = 0x00304000 | AF | AP_USER | PAGE;
    /* TTBR1 (T1SZ 2): 0xc0000000 a 2 MiB block onto 0, PL1 read-only */
    l2_high[0] = AF | AP_RO | ATTR(2) | VALID;
}

int main(void)
{
    build_tables();
    CP15_WRITE(0, 2, 0, 2, EAE | 2u << 16);      /* TTBCR: EAE, T1SZ 2 */
    __asm__ volatile("mcrr p15, 1, %Q0, %R0, c2" : :
                     "r"((uint64_t)(uint32_t)l2_high));
    mmu_on(l1, 0);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

#endif
