/*
 * The ARMv7 long-descriptor translation format (LPAE, cortex-a15 and
 * cortex-a7), in use while TTBCR.EAE is set: the stage 1 walk of the
 * PL1&0 regime with 64-bit descriptors, TTBR0/TTBR1 split by T0SZ and
 * T1SZ, a walk starting at level 1 (T?SZ 0 or 1) or level 2, 1 GiB and
 * 2 MiB blocks and 4 KiB pages, 40-bit output addresses, AP[2:1] with
 * the hierarchical APTable, XN/PXN with XNTable/PXNTable, SCTLR.WXN and
 * UWXN, the access flag (a fault when clear: the hardware does not set
 * it), and the fault status codes of the long format (DFSR/IFSR.LPAE).
 *
 * Memory attributes (AttrIndx into MAIR0/MAIR1, shareability) describe
 * caching, which is not modelled.  The TLB is not tagged by ASID: a
 * TTBR write that changes the ASID (or anything else) flushes it
 * (cp15-v7.c), so nG needs no handling.  Domains do not exist here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/internals.h"

#define PAGE_RW (PAGE_READ | PAGE_WRITE)
#define OA_MASK 0x000000fffffff000ull    /* output address bits 39:12 */

/* Descriptor bits */
#define DESC_VALID (1ull << 0)
#define DESC_TABLE (1ull << 1)           /* table at levels 1-2, page at 3 */
#define DESC_AP_USER (1ull << 6)         /* AP[1]: PL0 access */
#define DESC_AP_RO (1ull << 7)           /* AP[2]: read-only */
#define DESC_AF (1ull << 10)
#define DESC_PXN (1ull << 53)
#define DESC_XN (1ull << 54)
#define TABLE_PXN (1ull << 59)
#define TABLE_XN (1ull << 60)
#define TABLE_AP_NO_USER (1ull << 61)
#define TABLE_AP_RO (1ull << 62)

#define TTBCR_EPD0 (1u << 7)
#define TTBCR_EPD1 (1u << 23)

uint32_t arm_lpae_fsr(uint32_t status, int level)
{
    return ARM_FSR_LPAE | status | level;
}

static bool ldq_ptw(hwaddr addr, uint64_t *desc)
{
    uint32_t lo, hi;

    if (!arm_ldl_ptw(addr, &lo) || !arm_ldl_ptw(addr + 4, &hi)) {
        return false;
    }
    *desc = (uint64_t)hi << 32 | lo;
    return true;
}

/* Which TTBR translates addr (0 or 1), -1 in the gap between their
 * regions when T0SZ and T1SZ both leave one. */
static int lpae_select_ttbr(uint32_t ttbcr, uint32_t addr)
{
    int t0sz = ttbcr & 7, t1sz = (ttbcr >> 16) & 7;
    uint64_t top1 = 1ull << 32;
    uint64_t bottom1 = t1sz ? top1 - (1ull << (32 - t1sz)) : 0;
    uint64_t top0 = t0sz ? 1ull << (32 - t0sz) : t1sz ? bottom1 : top1;

    if (!t1sz) {
        bottom1 = top0;
    }
    if (addr < top0) {
        return 0;
    }
    return addr >= bottom1 ? 1 : -1;
}

bool arm_get_phys_addr_lpae(CPUARMState *env, uint32_t addr, int mmu_idx,
                            ARMMMUResult *res)
{
    uint32_t ttbcr = env->cp15.ttbcr;
    bool user = mmu_idx == ARM_MMU_IDX_USER;
    bool no_user = false, ro = false, xn, pxn;
    uint64_t desc = 0, table_attrs = 0, ttbr;
    int sel = lpae_select_ttbr(ttbcr, addr);
    int tsz, level, start, shift = 0;
    hwaddr table;

    res->mva = addr;
    res->desc = 0;
    res->domain = -1;
    /* A region with no table: step over it in 2 MiB (the smallest a
     * TTBR's region can start on is 512 MiB, so any divisor will do). */
    res->page_size = 1u << 21;
    if (sel < 0 || (ttbcr & (sel ? TTBCR_EPD1 : TTBCR_EPD0))) {
        res->fsr = arm_lpae_fsr(ARM_LFSR_TRANS, 1);
        return false;
    }
    tsz = sel ? (ttbcr >> 16) & 7 : ttbcr & 7;
    ttbr = sel ? env->cp15.ttbr1 : env->cp15.ttbr0;
    /* 32 - tsz input bits: level 1 resolves bits 31:30 of them (1 or 2
     * bits for T?SZ 1), else the walk starts at level 2 (bits 29:21) */
    start = level = tsz <= 1 ? 1 : 2;
    table = ttbr & 0xffffffffffull &
            ~((1ull << (level == 1 ? 5 - tsz : 14 - tsz)) - 1);
    for (;;) {
        int bits;

        shift = 39 - 9 * level;          /* 30, 21, 12 */
        res->page_size = 1u << shift;
        bits = level == start ? 32 - tsz - shift : 9;
        if (!ldq_ptw(table + ((addr >> shift) & ((1u << bits) - 1)) * 8,
                     &desc)) {
            res->fsr = arm_lpae_fsr(ARM_LFSR_EXT_WALK, level);
            return false;
        }
        if (!(desc & DESC_VALID) || (level == 3 && !(desc & DESC_TABLE))) {
            res->fsr = arm_lpae_fsr(ARM_LFSR_TRANS, level);
            return false;
        }
        if (level == 3 || !(desc & DESC_TABLE)) {
            break;                       /* a block or a page */
        }
        table_attrs |= desc;             /* the table limits accumulate */
        table = desc & OA_MASK;
        level++;
    }

    res->phys = (desc & OA_MASK & ~(uint64_t)(res->page_size - 1)) |
                (addr & (res->page_size - 1));
    res->desc = desc;
    no_user = !(desc & DESC_AP_USER) || (table_attrs & TABLE_AP_NO_USER);
    ro = (desc & DESC_AP_RO) || (table_attrs & TABLE_AP_RO);
    xn = (desc & DESC_XN) || (table_attrs & TABLE_XN);
    pxn = (desc & DESC_PXN) || (table_attrs & TABLE_PXN);
    res->prot = (user && no_user) ? 0 : ro ? PAGE_READ : PAGE_RW;
    /* WXN: writable is never executable; UWXN: not at PL1 when PL0
     * may write */
    if ((env->cp15.sctlr & SCTLR_WXN) && !ro) {
        xn = true;
    }
    if ((env->cp15.sctlr & SCTLR_UWXN) && !ro && !no_user) {
        pxn = true;
    }
    if ((res->prot & PAGE_READ) && !xn && !(pxn && !user)) {
        res->prot |= PAGE_EXEC;
    }
    if (!(desc & DESC_AF)) {             /* before any permission fault */
        res->fsr = arm_lpae_fsr(ARM_LFSR_ACCESS, level);
        return false;
    }
    res->fsr = arm_lpae_fsr(ARM_LFSR_PERM, level);
    return true;
}
