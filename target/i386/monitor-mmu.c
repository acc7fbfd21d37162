/*
 * "info tlb" and "info mem" for x86: the guest's page tables as QEMU
 * 7.2 prints them, byte for byte.  "info tlb" lists every present leaf
 * entry (virtual address, the entry masked to its address bits, flags
 * XGPDACTUW); "info mem" merges virtual ranges of equal permissions
 * (user, read, write: the AND over the levels).  Both read the tables
 * through guest physical memory, as the MMU would, for no paging, 32-bit
 * (4 KiB and, with CR4.PSE, 4 MiB pages), PAE (4 KiB, 2 MiB) and 4- and
 * 5-level long mode (4 KiB, 2 MiB, 1 GiB).
 *
 * One walker serves every format: a format is its list of levels.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "softmmu/memory.h"
#include "target/i386/cpu.h"

#define PTE_PRESENT  (1ULL << 0)
#define PTE_RW       (1ULL << 1)
#define PTE_USER     (1ULL << 2)
#define PTE_PWT      (1ULL << 3)
#define PTE_PCD      (1ULL << 4)
#define PTE_ACCESSED (1ULL << 5)
#define PTE_DIRTY    (1ULL << 6)
#define PTE_PSE      (1ULL << 7)
#define PTE_GLOBAL   (1ULL << 8)
#define PTE_NX       (1ULL << 63)
#define PTE_PROT     (PTE_USER | PTE_RW | PTE_PRESENT)
/* The address bits of a PAE or long-mode entry, as QEMU masks them. */
#define PTE_ADDR     0x3fffffffff000ULL

typedef struct PageLevel {
    unsigned entries;            /* 1024, 512, or 4 PAE PDPTEs */
    unsigned shift;              /* of the address an entry maps */
    bool wide;                   /* 8-byte entries */
    bool large;                  /* PS ends the walk here */
    bool no_prot;                /* PAE PDPTEs have no U/W bits */
    uint64_t next_mask;          /* address of the next table */
    uint64_t leaf_mask;          /* what "info tlb" prints of a leaf */
} PageLevel;

/* QEMU's masks, quirks included (a PAE 2 MiB page prints 1 MiB-aligned,
 * a 4 KiB PTE without its PAT bit). */
static const PageLevel levels_32_pse[] = {
    { 1024, 22, false, true, false, 0xfffff000, 0xffffffffffe00000ULL },
    { 1024, 12, false, false, false, 0, 0xfffffffffffff000ULL },
};
/* Without CR4.PSE, a PDE's PS bit means nothing. */
static const PageLevel levels_32[] = {
    { 1024, 22, false, false, false, 0xfffff000, 0 },
    { 1024, 12, false, false, false, 0, 0xfffffffffffff000ULL },
};
static const PageLevel levels_pae[] = {
    { 4, 30, true, false, true, PTE_ADDR, 0 },
    { 512, 21, true, true, false, PTE_ADDR, 0xfffffffffff00000ULL },
    { 512, 12, true, false, false, 0, 0xfffffffffffff000ULL },
};
static const PageLevel levels_la57[] = {
    { 512, 48, true, false, false, PTE_ADDR, 0 },
    { 512, 39, true, false, false, PTE_ADDR, 0 },
    { 512, 30, true, true, false, PTE_ADDR, 0x3ffffc0000000ULL },
    { 512, 21, true, true, false, PTE_ADDR, 0x3ffffffe00000ULL },
    { 512, 12, true, false, false, 0, PTE_ADDR },
};

typedef struct PageWalk {
    CPUX86State *env;
    const PageLevel *levels;
    unsigned nlevels;
    GString *out;
    bool ranges;                 /* info mem, else info tlb */
    /* info mem: the open range and its permissions */
    uint64_t start;
    bool open;
    uint64_t last_prot;
} PageWalk;

/* Sign-extends a long-mode address from its top implemented bit. */
static uint64_t canonical(const CPUX86State *env, uint64_t addr)
{
    unsigned bits = (env->cr[4] & CR4_LA57_MASK) ? 57 : 48;

    if ((env->efer & EFER_LMA) && (addr & (1ULL << (bits - 1)))) {
        addr |= ~0ULL << bits;
    }
    return addr;
}

/* info mem: a new permission from end on; prints the range it closes. */
static void range_to(PageWalk *w, uint64_t end, uint64_t prot)
{
    if (prot == w->last_prot) {
        return;
    }
    if (w->open) {
        g_string_append_printf(w->out, "%016" PRIx64 "-%016" PRIx64
                               " %016" PRIx64 " %c%c%c\n",
                               canonical(w->env, w->start),
                               canonical(w->env, end),
                               canonical(w->env, end - w->start),
                               w->last_prot & PTE_USER ? 'u' : '-', 'r',
                               w->last_prot & PTE_RW ? 'w' : '-');
    }
    w->open = prot != 0;
    w->start = end;
    w->last_prot = prot;
}

static void print_leaf(PageWalk *w, uint64_t addr, uint64_t pte,
                       uint64_t mask)
{
    g_string_append_printf(w->out, "%016" PRIx64 ": %016" PRIx64
                           " %c%c%c%c%c%c%c%c%c\n",
                           canonical(w->env, addr), pte & mask,
                           pte & PTE_NX ? 'X' : '-',
                           pte & PTE_GLOBAL ? 'G' : '-',
                           pte & PTE_PSE ? 'P' : '-',
                           pte & PTE_DIRTY ? 'D' : '-',
                           pte & PTE_ACCESSED ? 'A' : '-',
                           pte & PTE_PCD ? 'C' : '-',
                           pte & PTE_PWT ? 'T' : '-',
                           pte & PTE_USER ? 'U' : '-',
                           pte & PTE_RW ? 'W' : '-');
}

static uint64_t read_entry(hwaddr addr, bool wide)
{
    uint64_t value = 0;

    if (address_space_read(&address_space_memory, addr, &value,
                           wide ? 8 : 4) != MEMTX_OK) {
        return 0;                /* outside RAM: not present */
    }
    return GUINT64_FROM_LE(value);
}

static void walk_table(PageWalk *w, unsigned depth, hwaddr table,
                       uint64_t base, uint64_t prot_above)
{
    const PageLevel *l = &w->levels[depth];
    bool last = depth + 1 == w->nlevels;

    for (unsigned i = 0; i < l->entries; i++) {
        uint64_t addr = base + ((uint64_t)i << l->shift);
        uint64_t e = read_entry(table + i * (l->wide ? 8 : 4), l->wide);
        uint64_t prot = l->no_prot ? prot_above : prot_above & e;

        if (!(e & PTE_PRESENT)) {
            if (w->ranges) {
                range_to(w, addr, 0);
            }
        } else if (last || (l->large && (e & PTE_PSE))) {
            if (w->ranges) {
                range_to(w, addr, prot & PTE_PROT);
            } else {
                /* A 4 KiB PTE's bit 7 is PAT, not PS. */
                print_leaf(w, addr, last ? e & ~PTE_PSE : e, l->leaf_mask);
            }
        } else {
            walk_table(w, depth + 1, e & l->next_mask, addr, prot);
        }
    }
}

/* Runs the walk for env's paging mode; false when paging is off. */
static bool page_walk(CPUX86State *env, bool ranges, GString *out)
{
    PageWalk w = { .env = env, .out = out, .ranges = ranges };
    uint64_t top;
    hwaddr root;

    if (!(env->cr[0] & CR0_PG_MASK)) {
        return false;
    }
    if (!(env->cr[4] & CR4_PAE_MASK)) {
        w.levels = (env->cr[4] & CR4_PSE_MASK) ? levels_32_pse : levels_32;
        w.nlevels = ARRAY_SIZE(levels_32);
        root = env->cr[3] & 0xfffff000;
        top = 1ULL << 32;
    } else if (!(env->efer & EFER_LMA)) {
        w.levels = levels_pae;
        w.nlevels = ARRAY_SIZE(levels_pae);
        root = env->cr[3] & ~0x1fULL;
        top = 1ULL << 32;
    } else if (env->cr[4] & CR4_LA57_MASK) {
        w.levels = levels_la57;
        w.nlevels = ARRAY_SIZE(levels_la57);
        root = env->cr[3] & PTE_ADDR;
        top = 1ULL << 57;
    } else {
        w.levels = levels_la57 + 1;
        w.nlevels = ARRAY_SIZE(levels_la57) - 1;
        root = env->cr[3] & PTE_ADDR;
        top = 1ULL << 48;
    }
    walk_table(&w, 0, root, 0, ~0ULL);
    if (ranges) {
        range_to(&w, top, 0);
    }
    return true;
}

static void hmp_page_tables(Monitor *mon, bool ranges)
{
    CPUState *cpu = monitor_get_cpu(mon);
    g_autoptr(GString) out = g_string_new(NULL);

    if (!cpu) {
        monitor_puts(mon, "No CPU available\n");
        return;
    }
    if (!page_walk(&X86_CPU(cpu)->env, ranges, out)) {
        monitor_puts(mon, "PG disabled\n");
        return;
    }
    monitor_puts(mon, out->str);
}

static void hmp_info_tlb(Monitor *mon, const MonitorArgs *args)
{
    hmp_page_tables(mon, false);
}

static void hmp_info_mem(Monitor *mon, const MonitorArgs *args)
{
    hmp_page_tables(mon, true);
}

static const HMPCommand x86_mmu_info_commands[] = {
    { "tlb", "", "", "show virtual to physical memory mappings",
      hmp_info_tlb },
    { "mem", "", "", "show the active virtual memory mappings",
      hmp_info_mem },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, x86_mmu_info_commands)
