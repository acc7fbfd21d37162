/*
 * The ARMv7-A MMU with the short-descriptor format (VMSAv7): TTBR0 and
 * TTBR1 split by TTBCR.N, sections, supersections, large and small
 * pages, the AP[2:0] permissions (and the simplified model with the
 * access flag when SCTLR.AFE is set), execute-never and privileged
 * execute-never, domains, and the fault status codes of the v7 short
 * format (FS[4] in bit 10).
 *
 * Memory attributes (TEX, C, B, TEX remap through PRRR/NMRR) say how
 * caches behave, which nothing here models; they are read by nobody.
 * The TLB is not tagged by ASID (cp15-v7.c flushes it when the ASID
 * changes), so the nG bit needs no handling.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/internals.h"

#define PAGE_RW (PAGE_READ | PAGE_WRITE)

/* Short-descriptor fault status codes (FS[4] goes to bit 10). */
enum {
    FS_ACCESS_SECTION = 0x3,
    FS_ACCESS_PAGE = 0x6,
};

/*
 * The read/write permissions of AP[2:0] for user or PL1 accesses.
 * With SCTLR.AFE, AP[0] is the access flag and AP[2:1] alone say:
 * 00 PL1 RW, 01 RW, 10 PL1 RO, 11 RO.
 */
static int v7_ap_prot(const CPUARMState *env, int ap, bool user)
{
    if (env->cp15.sctlr & SCTLR_AFE) {
        int rw = (ap & 4) ? PAGE_READ : PAGE_RW;

        return ((ap & 2) || !user) ? rw : 0;
    }
    switch (ap) {
    case 1:
        return user ? 0 : PAGE_RW;
    case 2:
        return user ? PAGE_READ : PAGE_RW;
    case 3:
        return PAGE_RW;
    case 5:
        return user ? 0 : PAGE_READ;
    case 6:
    case 7:
        return PAGE_READ;
    default:                     /* 0: no access; 4: reserved */
        return 0;
    }
}

/* The first-level table for addr: TTBR0 or TTBR1 by TTBCR.N, false when
 * TTBCR.PD0/PD1 disable the walk. */
static bool v7_l1_entry(const CPUARMState *env, uint32_t addr,
                        hwaddr *entry)
{
    uint32_t ttbcr = env->cp15.ttbcr;
    int n = ttbcr & 7;

    if (n && (addr >> (32 - n))) {
        if (ttbcr & (1u << 5)) {         /* PD1 */
            return false;
        }
        *entry = (env->cp15.ttbr1 & 0xffffc000u) | ((addr >> 18) & 0x3ffc);
        return true;
    }
    if (ttbcr & (1u << 4)) {             /* PD0 */
        return false;
    }
    /* TTBR0 covers the bottom 2^(32-N) bytes: its table is 2^(14-N)
     * bytes long and aligned as much. */
    *entry = (env->cp15.ttbr0 & ~((1u << (14 - n)) - 1)) |
             (((addr & (UINT32_MAX >> n)) >> 18) & ~3u);
    return true;
}

bool arm_get_phys_addr_v7(CPUARMState *env, uint32_t addr, int mmu_idx,
                          ARMMMUResult *res)
{
    bool user = mmu_idx == ARM_MMU_IDX_USER;
    bool section = false, xn, pxn = false;
    uint32_t desc, domain = 0, domain_prot, ap;
    hwaddr entry;

    res->mva = addr;
    if (env->cp15.ttbcr & TTBCR_EAE) {
        return arm_get_phys_addr_lpae(env, addr, mmu_idx, res);
    }
    res->page_size = 0x100000;           /* what a first-level entry maps */
    res->desc = 0;
    res->domain = -1;
    if (!v7_l1_entry(env, addr, &entry)) {
        res->fsr = ARM_FSR_TRANS_SECTION;
        return false;
    }
    if (!arm_ldl_ptw(entry, &desc)) {
        res->fsr = ARM_FSR_EXT_L1;
        return false;
    }
    switch (desc & 3) {
    case 1: {                            /* page table */
        hwaddr l2 = (desc & 0xfffffc00u) | ((addr >> 10) & 0x3fc);

        domain = (desc >> 5) & 0xf;
        pxn = desc & (1u << 2);
        res->page_size = 0x1000;         /* what a second-level entry maps */
        if (!arm_ldl_ptw(l2, &desc)) {
            res->fsr = domain << 4 | ARM_FSR_EXT_L2;
            return false;
        }
        if ((desc & 3) == 0) {
            res->fsr = domain << 4 | ARM_FSR_TRANS_PAGE;
            return false;
        }
        ap = ((desc >> 4) & 3) | ((desc >> 7) & 4);
        if (desc & 2) {                  /* small page, 4 KiB */
            res->phys = (desc & 0xfffff000u) | (addr & 0xfff);
            res->page_size = 0x1000;
            xn = desc & 1;
        } else {                         /* large page, 64 KiB */
            res->phys = (desc & 0xffff0000u) | (addr & 0xffff);
            res->page_size = 0x10000;
            xn = desc & (1u << 15);
        }
        break;
    }
    case 3:                              /* a section with PXN (LPAE) */
        if (!arm_feature(env, ARM_FEATURE_LPAE)) {
            res->fsr = ARM_FSR_TRANS_SECTION;    /* reserved */
            return false;
        }
        /* fall through */
    case 2:
        section = true;
        ap = ((desc >> 10) & 3) | ((desc >> 13) & 4);
        xn = desc & (1u << 4);
        pxn = arm_feature(env, ARM_FEATURE_LPAE) && (desc & 1);
        if (desc & (1u << 18)) {         /* supersection, 16 MiB */
            res->phys = (desc & 0xff000000u) | (addr & 0x00ffffff);
            if (arm_feature(env, ARM_FEATURE_LPAE)) {
                /* the extended base address, PA[39:36] and PA[35:32] */
                res->phys |= (hwaddr)((desc >> 5) & 0xf) << 36 |
                             (hwaddr)((desc >> 20) & 0xf) << 32;
            }
            res->page_size = 0x1000000;
        } else {
            domain = (desc >> 5) & 0xf;
            res->phys = (desc & 0xfff00000u) | (addr & 0x000fffff);
            res->page_size = 0x100000;
        }
        break;
    default:                             /* fault */
        res->fsr = ARM_FSR_TRANS_SECTION;
        return false;
    }

    res->desc = desc;
    res->domain = domain;
    domain_prot = (env->cp15.dacr >> (domain * 2)) & 3;
    res->fsr = domain << 4 |
               (section ? ARM_FSR_PERM_SECTION : ARM_FSR_PERM_PAGE);
    if (domain_prot == 3) {
        /* manager: neither AP nor XN is checked ("a location is marked
         * as Execute Never when it has its XN attribute set to 1 in a
         * Client domain", ARM ARM B3.7.2) */
        res->prot = PAGE_RW | PAGE_EXEC;
    } else if (domain_prot == 1) {       /* client */
        res->prot = v7_ap_prot(env, ap, user);
        /* Readable and not execute-never is executable; PXN stops PL1. */
        if ((res->prot & PAGE_READ) && !xn && !(pxn && !user)) {
            res->prot |= PAGE_EXEC;
        }
    } else {
        res->prot = 0;
        res->fsr = domain << 4 |
                   (section ? ARM_FSR_DOMAIN_SECTION : ARM_FSR_DOMAIN_PAGE);
    }
    /* The access flag fault comes before the domain's and the AP's. */
    if ((env->cp15.sctlr & SCTLR_AFE) && !(ap & 1)) {
        res->fsr = domain << 4 |
                   (section ? FS_ACCESS_SECTION : FS_ACCESS_PAGE);
        return false;
    }
    return true;
}
