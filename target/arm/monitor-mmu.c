/*
 * "info tlb" and "info mem" for ARM: the current CPU's page tables.
 * QEMU 7.2 has neither for ARM ("unknown command"); emu's follow the
 * x86 pair (docs/armv7.md says what each column means):
 *
 *   info tlb   every mapping, in virtual address order:
 *              VA: PA size PL1/PL0-permissions descriptor-attributes
 *   info mem   virtual ranges of equal permissions merged:
 *              start-end size PL1/PL0-permissions
 *
 * The tables are the ones the MMU would use now: the ARMv5 format, the
 * ARMv7 short-descriptor format (TTBR0/TTBR1 split by TTBCR.N) or the
 * long-descriptor format while TTBCR.EAE is set.  Rather than a second
 * walker, each address goes through arm_get_phys_addr, the one the TLB
 * fill uses, so the permissions printed are the MMU's own (DACR, AP,
 * APTable, XN, PXN, WXN and UWXN included); a missing entry's size says
 * how far to step over it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "target/arm/internals.h"

#define VA_END (1ull << 32)

typedef struct ArmMapping {
    hwaddr phys;
    uint32_t size;
    int prot_pl1, prot_pl0;
    uint64_t desc;
    int domain;
} ArmMapping;

/* Whether a failed walk still found the page: its access flag is clear,
 * so the first access faults for the OS to set it. */
static bool access_flag_fault(const CPUARMState *env, uint32_t fsr)
{
    if (fsr & ARM_FSR_LPAE) {
        return (fsr & 0x3c) == ARM_LFSR_ACCESS;
    }
    return arm_feature(env, ARM_FEATURE_V7) && !(fsr & (1u << 10)) &&
           ((fsr & 0xf) == 0x3 || (fsr & 0xf) == 0x6);
}

/*
 * The mapping of va, false when there is none; *step is how far the
 * next one may start (the page, or the region a missing entry covers).
 */
static bool arm_mapping_at(CPUARMState *env, uint32_t va, ArmMapping *m,
                           uint32_t *step)
{
    ARMMMUResult priv, user;
    bool found = arm_get_phys_addr(env, va, ARM_MMU_IDX_PRIV, &priv);

    *step = priv.page_size;
    if (!found && !access_flag_fault(env, priv.fsr)) {
        return false;
    }
    arm_get_phys_addr(env, va, ARM_MMU_IDX_USER, &user);
    m->phys = priv.phys;
    m->size = priv.page_size;
    m->prot_pl1 = priv.prot;
    m->prot_pl0 = user.prot;
    m->desc = priv.desc;
    m->domain = priv.domain;
    return true;
}

static void append_prot(GString *out, int prot)
{
    g_string_append_c(out, prot & PAGE_READ ? 'r' : '-');
    g_string_append_c(out, prot & PAGE_WRITE ? 'w' : '-');
    g_string_append_c(out, prot & PAGE_EXEC ? 'x' : '-');
}

static void append_size(GString *out, uint32_t size)
{
    if (size >= 1u << 30) {
        g_string_append_printf(out, "%2uG", size >> 30);
    } else if (size >= 1u << 20) {
        g_string_append_printf(out, "%2uM", size >> 20);
    } else {
        g_string_append_printf(out, "%2uK", size >> 10);
    }
}

/* What the leaf descriptor says besides the address and permissions:
 * memory type, shareability, global and the access flag. */
static void append_attributes(GString *out, const CPUARMState *env,
                              const ArmMapping *m)
{
    uint64_t d = m->desc;
    unsigned tex, s, ng;

    if (m->domain < 0) {                 /* long descriptor */
        g_string_append_printf(out, " attr=%u sh=%u",
                               (unsigned)(d >> 2) & 7,
                               (unsigned)(d >> 8) & 3);
        if (d & (1ull << 11)) {
            g_string_append(out, " ng");
        }
        if (d & (1ull << 10)) {
            g_string_append(out, " af");
        }
        return;
    }
    g_string_append_printf(out, " dom=%d", m->domain);
    if (!arm_feature(env, ARM_FEATURE_V7)) {     /* the ARMv5 format */
        g_string_append_printf(out, " cb=%u%u", (unsigned)(d >> 3) & 1,
                               (unsigned)(d >> 2) & 1);
        return;
    }
    if (m->size >= 0x100000) {                   /* (super)section */
        tex = (d >> 12) & 7;
        s = (d >> 16) & 1;
        ng = (d >> 17) & 1;
    } else if (m->size == 0x10000) {             /* large page */
        tex = (d >> 12) & 7;
        s = (d >> 10) & 1;
        ng = (d >> 11) & 1;
    } else {                                     /* small page */
        tex = (d >> 6) & 7;
        s = (d >> 10) & 1;
        ng = (d >> 11) & 1;
    }
    g_string_append_printf(out, " tex=%u%u%u cb=%u%u", tex >> 2, (tex >> 1) & 1,
                           tex & 1, (unsigned)(d >> 3) & 1,
                           (unsigned)(d >> 2) & 1);
    if (s) {
        g_string_append(out, " s");
    }
    if (ng) {
        g_string_append(out, " ng");
    }
    if (env->cp15.sctlr & SCTLR_AFE) {
        /* AP[0] is the access flag: bit 10 of a section, 4 of a page */
        unsigned af = m->size >= 0x100000 ? (d >> 10) & 1 : (d >> 4) & 1;
        if (af) {
            g_string_append(out, " af");
        }
    }
}

/* info mem: prints the range [start, end) with its permissions. */
static void append_range(GString *out, uint64_t start, uint64_t end,
                         const ArmMapping *m)
{
    g_string_append_printf(out, "%08" PRIx64 "-%08" PRIx64 " %08" PRIx64 " ",
                           start, end, end - start);
    append_prot(out, m->prot_pl1);
    g_string_append_c(out, '/');
    append_prot(out, m->prot_pl0);
    g_string_append_c(out, '\n');
}

static void arm_page_tables(CPUARMState *env, bool ranges, GString *out)
{
    ArmMapping m, open = { 0 };
    uint64_t start = 0, va = 0;
    bool is_open = false;

    while (va < VA_END) {
        uint32_t step;
        bool found = arm_mapping_at(env, va, &m, &step);

        if (!ranges && found) {
            g_string_append_printf(out, "%08" PRIx64 ": %010" HWADDR_PRIx
                                   " ", va, m.phys);
            append_size(out, m.size);
            g_string_append_c(out, ' ');
            append_prot(out, m.prot_pl1);
            g_string_append_c(out, '/');
            append_prot(out, m.prot_pl0);
            append_attributes(out, env, &m);
            g_string_append_c(out, '\n');
        } else if (ranges && is_open &&
                   (!found || m.prot_pl1 != open.prot_pl1 ||
                    m.prot_pl0 != open.prot_pl0)) {
            append_range(out, start, va, &open);
            is_open = false;
        }
        if (ranges && found && !is_open) {
            start = va;
            open = m;
            is_open = true;
        }
        va = (va & ~(uint64_t)(step - 1)) + step;
    }
    if (is_open) {
        append_range(out, start, VA_END, &open);
    }
}

static void hmp_arm_page_tables(Monitor *mon, bool ranges)
{
    CPUState *cpu = monitor_get_cpu(mon);
    g_autoptr(GString) out = g_string_new(NULL);
    CPUARMState *env;

    if (!cpu) {
        monitor_puts(mon, "No CPU available\n");
        return;
    }
    env = &ARM_CPU(cpu)->env;
    if (!(env->cp15.sctlr & SCTLR_M)) {
        monitor_puts(mon, "MMU disabled\n");
        return;
    }
    arm_page_tables(env, ranges, out);
    monitor_puts(mon, out->str);
}

static void hmp_info_tlb(Monitor *mon, const MonitorArgs *args)
{
    hmp_arm_page_tables(mon, false);
}

static void hmp_info_mem(Monitor *mon, const MonitorArgs *args)
{
    hmp_arm_page_tables(mon, true);
}

static const HMPCommand arm_mmu_info_commands[] = {
    { "tlb", "", "", "show virtual to physical memory mappings",
      hmp_info_tlb },
    { "mem", "", "", "show the active virtual memory mappings",
      hmp_info_mem },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, arm_mmu_info_commands)
