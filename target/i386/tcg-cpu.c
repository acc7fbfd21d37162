/*
 * What tcg needs from the x86 CPU: the state a translation depends on
 * (TB flags), interrupts between blocks, and the MMU: tlb_fill walks the
 * guest page tables with the access checks of the architecture, sets the
 * accessed and dirty bits, and raises #PF with CR2 and the error code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/kvm.h"
#include "sysemu/main-loop.h"
#include "softmmu/memory.h"
#include "target/i386/helper.h"

/* ---- translation state ---- */

void x86_cpu_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base,
                              uint32_t *flags)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint32_t f = x86_cpl(env);

    if (env->cr[0] & CR0_PE_MASK) {
        f |= HF_PE;
        if (env->rflags & EFLAGS_VM) {
            f |= HF_VM86 | 3;
        }
    }
    if (env->efer & EFER_LMA) {
        f |= HF_LMA;
        if (env->segs[R_CS].flags & DESC_L_MASK) {
            f |= HF_CS64;
        }
    }
    /* In real and virtual-8086 mode the attributes of the caches are
     * those last loaded in protected mode, as on hardware (unreal mode). */
    if (env->segs[R_CS].flags & DESC_B_MASK) {
        f |= HF_CS32;
    }
    if (env->segs[R_SS].flags & DESC_B_MASK) {
        f |= HF_SS32;
    }
    if (env->segs[R_DS].base | env->segs[R_ES].base | env->segs[R_SS].base) {
        f |= HF_ADDSEG;
    }
    if (env->interrupt_shadow) {
        f |= HF_INHIBIT_IRQ;
    }
    if (env->rflags & EFLAGS_TF) {
        f |= HF_TF;
    }
    /* Every indirect branch comes here: look at the breakpoints only
     * when DR7 enables one. */
    for (int i = 0; (env->dr[7] & 0xff) && i < 4; i++) {
        if (x86_dr7_insn_breakpoint(env->dr[7], i)) {
            f |= HF_DR_EXEC;
        }
        if (x86_dr_io_breakpoint(env->dr[7], env->cr[4], i)) {
            f |= HF_DR_IO;
        }
    }
    f |= ((env->rflags & EFLAGS_IOPL) >> EFLAGS_IOPL_SHIFT) << HF_IOPL_SHIFT;
    *cs_base = env->segs[R_CS].base;
    *pc = (f & HF_CS64) ? *cs_base + env->rip
                        : (uint32_t)(*cs_base + env->rip);
    *flags = f;
}

/* ---- interrupts ---- */

bool x86_cpu_has_work(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint32_t req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_SEQ_CST);

    if (req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) {
        return true;
    }
    if (x86_cpu_waits_for_sipi(env)) {
        return false;
    }
    return ((req & CPU_INTERRUPT_HARD) && (env->rflags & EFLAGS_IF)) ||
           ((req & CPU_INTERRUPT_NMI) && !env->nmi_masked);
}

void x86_cpu_set_interrupt_ops(X86CPU *cpu, const X86InterruptOps *ops,
                               void *opaque)
{
    cpu->irq_ops = ops;
    cpu->irq_opaque = opaque;
}

/* The A20 gate: the TLB maps every page again through the new mask
 * (code included: blocks are looked up by physical address). */
static void x86_cpu_set_a20(CPUState *cs, bool enabled)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t mask = enabled ? ~0ULL : ~(1ULL << 20);

    if (kvm_enabled()) {
        if (!enabled) {
            emu_log_mask(LOG_UNIMP, "x86: A20 is not masked under kvm, "
                         "addresses do not wrap at 1 MiB\n");
        }
        return;
    }
    if (env->a20_mask != mask) {
        env->a20_mask = mask;
        tlb_flush(cs);
    }
}

/* gpio in X86_CPU_INTR, from whatever drives the CPU's INTR pin,
 * X86_CPU_A20, the A20 gate, and X86_CPU_IGNNE (read by the x87's
 * waiting instructions, fpu_helper.c). */
void x86_cpu_set_pin(void *opaque, int n, int level)
{
    CPUState *cs = opaque;

    if (n == X86_CPU_A20) {
        x86_cpu_set_a20(cs, level);
    } else if (n == X86_CPU_IGNNE) {
        X86_CPU(cs)->ignne = level;
    } else if (level) {
        cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    } else {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
    }
}

void x86_cpu_sipi(X86CPU *cpu, uint8_t vector)
{
    cpu->env.sipi_vector = vector;
    cpu_interrupt(CPU(cpu), CPU_INTERRUPT_SIPI);
}

static void x86_cpu_do_init(X86CPU *cpu)
{
    x86_cpu_take_init(cpu);
    if (x86_cpu_waits_for_sipi(&cpu->env)) {
        /* The loop halts the vCPU before it runs another block. */
        cpu_interrupt(CPU(cpu), CPU_INTERRUPT_HALT);
    }
    tlb_flush(CPU(cpu));
}

/* Between blocks, with the lock held: INIT, SIPI, NMI, then INTR. */
bool x86_cpu_exec_interrupt(CPUState *cs, int req)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    int vector;

    if (req & CPU_INTERRUPT_INIT) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_INIT);
        x86_cpu_do_init(cpu);
        return true;
    }
    if (req & CPU_INTERRUPT_SIPI) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_SIPI);
        x86_cpu_take_sipi(cpu);
        return true;
    }
    if (x86_cpu_waits_for_sipi(env)) {
        return false;
    }
    if ((req & CPU_INTERRUPT_NMI) && !env->nmi_masked) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI);
        /* Blocked until the next iret. */
        env->nmi_masked = true;
        x86_do_hw_interrupt(env, EXCP02_NMI);
        return true;
    }
    if ((req & CPU_INTERRUPT_HARD) && (env->rflags & EFLAGS_IF) &&
        !env->interrupt_shadow && cpu->irq_ops) {
        vector = cpu->irq_ops->intack(cpu->irq_opaque);
        if (vector >= 0) {
            x86_do_hw_interrupt(env, vector);
            return true;
        }
    }
    return false;
}

/* ---- the MMU ---- */

/* Page-table entry bits. */
#define PG_P    (1ULL << 0)
#define PG_RW   (1ULL << 1)
#define PG_US   (1ULL << 2)
#define PG_A    (1ULL << 5)
#define PG_D    (1ULL << 6)
#define PG_PS   (1ULL << 7)
#define PG_G    (1ULL << 8)              /* in the entry that maps */
#define PG_NX   (1ULL << 63)
#define PG_ADDR 0x000ffffffffff000ULL

/* #PF error code bits. */
#define PF_P    (1u << 0)            /* a protection violation */
#define PF_W    (1u << 1)
#define PF_U    (1u << 2)
#define PF_RSVD (1u << 3)            /* a reserved bit set in an entry */
#define PF_I    (1u << 4)            /* an instruction fetch */

/* PAE and long-mode entries: the address bits above MAXPHYADDR (40, as
 * CPUID 0x80000008 says) are reserved. */
#define PG_RSVD_ADDR 0x000fff0000000000ULL

/* A PAE PDPTE has no rights and no A bit: bits 2:1 and 8:5 are reserved,
 * and the address bits above MAXPHYADDR up to 63 (NX elsewhere). */
#define PDPTE_RSVD (0xffffff0000000000ULL | 0x1e6)

typedef struct X86Translation {
    hwaddr paddr;                /* of the accessed byte */
    int prot;                    /* PAGE_* */
    uint64_t page_size;
    uint32_t error_code;         /* when the walk fails */
} X86Translation;

/*
 * The walk runs without the big lock: it is on the path of every TLB
 * refill (about 800,000 in a Linux boot), and on a loaded host each
 * wait for the lock held by a descheduled thread costs a time slice.
 * Page tables are RAM on every guest, so entries are read in place
 * (one flat view for the whole walk) and their A/D bits set there with
 * a compare-and-swap, as the processor's locked update does: an entry
 * that another vCPU changed in between makes the walk start again.  A
 * table in a device or a hole goes through the bus with the lock held,
 * as every device access does.
 */
static uint64_t pte_bus_access(hwaddr addr, unsigned size, uint64_t value,
                               bool is_write)
{
    bool taken = bql_lock_if_needed();

    if (is_write) {
        address_space_st(&address_space_memory, addr, size, value);
    } else {
        address_space_ld(&address_space_memory, addr, size, &value);
    }
    bql_unlock_if(taken);
    return value;
}

/* Entries are naturally aligned, and the host is little-endian (x86-64,
 * as the back end), so an entry in RAM is one atomic host load. */
static uint64_t pte_load(FlatView *view, hwaddr addr, bool wide)
{
    uint8_t *host = flatview_ram_ptr(view, addr, wide ? 8 : 4, false);

    if (!host) {
        return pte_bus_access(addr, wide ? 8 : 4, 0, false);
    }
    return wide ? __atomic_load_n((uint64_t *)host, __ATOMIC_ACQUIRE)
                : __atomic_load_n((uint32_t *)host, __ATOMIC_ACQUIRE);
}

/* Sets bits in the entry at addr, read as pte; false when the entry no
 * longer holds pte (the caller walks again). */
static bool pte_set(FlatView *view, hwaddr addr, uint64_t pte, uint64_t bits)
{
    /* The low dword holds A and D in both formats. */
    uint32_t old = pte, new = pte | bits;
    uint8_t *host;

    if (old == new) {
        return true;
    }
    host = flatview_ram_ptr(view, addr, 4, true);
    if (!host) {
        pte_bus_access(addr, 4, new, true);
        return true;
    }
    if (!__atomic_compare_exchange_n((uint32_t *)host, &old, new, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        return false;
    }
    /* Translated code on the page (rare in a page table) is dropped. */
    memory_ram_written(addr, 4);
    return true;
}

/*
 * The walk: legacy 2-level tables (4 KiB pages, 4 MiB with CR4.PSE),
 * PAE (2 MiB pages) and 4-level long-mode tables (2 MiB and 1 GiB
 * pages).  Rights are the intersection of every level's; NX needs
 * EFER.NXE; supervisor writes honour CR0.WP.
 */
static bool x86_translate(CPUX86State *env, FlatView *view, uint64_t addr,
                          MMUAccessType type, bool user, X86Translation *t)
{
    bool is_write = type == MMU_DATA_STORE, wide, nxe, rw = true, us = true;
    bool nx = false, fetch = type == MMU_INST_FETCH;
    uint64_t pte = 0, table, page_mask;
    hwaddr pte_addr = 0;
    int levels, shift;

    t->error_code = (is_write ? PF_W : 0) | (user ? PF_U : 0);
    if (!(env->cr[0] & CR0_PG_MASK)) {
        t->paddr = addr & 0xffffffff & env->a20_mask;
        t->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        t->page_size = TARGET_PAGE_SIZE;
        return true;
    }
    nxe = env->efer & EFER_NXE;
    if (fetch && nxe) {
        t->error_code |= PF_I;
    }
    wide = env->cr[4] & CR4_PAE_MASK;
    if (env->efer & EFER_LMA) {
        levels = 4;
        table = env->cr[3] & PG_ADDR;
    } else if (wide) {
        /* The PDPTE: present, no rights of its own. */
        addr &= 0xffffffff;
        pte = pte_load(view, ((env->cr[3] & 0xffffffe0) +
                              ((addr >> 30) << 3)) & env->a20_mask, true);
        if (!(pte & PG_P)) {
            return false;
        }
        if (pte & PDPTE_RSVD) {
            /* set since CR3 was loaded (x86_pae_pdptes_valid) */
            t->error_code |= PF_P | PF_RSVD;
            return false;
        }
        levels = 2;
        table = pte & PG_ADDR;
    } else {
        addr &= 0xffffffff;
        levels = 2;
        table = env->cr[3] & 0xfffff000;
    }
    shift = wide ? 12 + 9 * (levels - 1) : 22;
    for (;;) {
        unsigned index = wide ? (addr >> shift) & 0x1ff
                              : (addr >> shift) & 0x3ff;

        pte_addr = (table + index * (wide ? 8 : 4)) & env->a20_mask;
        pte = pte_load(view, pte_addr, wide);
        if (!wide) {
            pte &= 0xffffffff;
        }
        if (!(pte & PG_P)) {
            return false;
        }
        if (wide && ((pte & PG_RSVD_ADDR) || (!nxe && (pte & PG_NX)) ||
                     ((pte & PG_PS) && shift <= 30 && levels > 1 &&
                      (pte & ((1ULL << shift) - 1) & ~0x1fffULL)))) {
            /* a large page's address bits below its size (but PAT, bit
             * 12) are reserved too */
            t->error_code |= PF_P | PF_RSVD;
            return false;
        }
        rw &= (pte & PG_RW) != 0;
        us &= (pte & PG_US) != 0;
        nx |= nxe && (pte & PG_NX);
        levels--;
        if (levels == 0 ||
            ((pte & PG_PS) && (wide ? shift <= 30 :
                               (env->cr[4] & CR4_PSE_MASK) != 0))) {
            break;
        }
        if (!pte_set(view, pte_addr, pte, PG_A)) {
            return x86_translate(env, view, addr, type, user, t);
        }
        table = wide ? pte & PG_ADDR : pte & 0xfffff000;
        shift -= wide ? 9 : 10;
    }
    t->error_code |= PF_P;
    if ((user && !us) ||
        (is_write && !rw && (user || (env->cr[0] & CR0_WP_MASK))) ||
        (fetch && nx)) {
        return false;
    }
    page_mask = (1ULL << shift) - 1;
    if (wide) {
        t->paddr = (pte & PG_ADDR & ~page_mask) | (addr & page_mask);
    } else if (shift == 22) {
        /* PSE-36: entry bits 13..20 are address bits 32..39. */
        t->paddr = (pte & 0xffc00000) | ((pte & 0x1fe000) << 19) |
                   (addr & page_mask);
    } else {
        t->paddr = (pte & 0xfffff000) | (addr & page_mask);
    }
    t->paddr &= env->a20_mask;
    t->page_size = page_mask + 1;
    /* A and D are written back; a clean page is mapped read-only until
     * a write sets D. */
    if (!pte_set(view, pte_addr, pte, PG_A | (is_write ? PG_D : 0))) {
        return x86_translate(env, view, addr, type, user, t);
    }
    t->prot = PAGE_READ;
    if ((rw || (!user && !(env->cr[0] & CR0_WP_MASK))) &&
        (is_write || (pte & PG_D))) {
        t->prot |= PAGE_WRITE;
    }
    if (!nx) {
        t->prot |= PAGE_EXEC;
    }
    if ((pte & PG_G) && (env->cr[4] & CR4_PGE_MASK)) {
        t->prot |= PAGE_GLOBAL;
    }
    return true;
}

/*
 * PAE paging loads the four PDPTEs into the processor when CR3 is
 * written, and when a CR0 or CR4 write enters PAE paging or changes what
 * its walk means (SDM 4.4.1): a present one with a reserved bit set makes
 * that instruction #GP(0) instead.  Intel's CPUs then walk with the
 * loaded copies; emu reads the PDPTEs at each walk as AMD's CPUs and QEMU
 * do, so one changed in memory since takes effect at once (a reserved
 * bit set since is a #PF with RSVD).
 */
bool x86_pae_pdptes_valid(CPUX86State *env, uint64_t cr3)
{
    FlatView *view = address_space_get_flatview(&address_space_memory);
    bool valid = true;

    for (int i = 0; i < 4 && valid; i++) {
        uint64_t pdpte = pte_load(view, ((cr3 & 0xffffffe0) + i * 8) &
                                        env->a20_mask, true);

        valid = !(pdpte & PG_P) || !(pdpte & PDPTE_RSVD);
    }
    flatview_unref(view);
    return valid;
}

bool x86_cpu_tlb_fill(CPUState *cs, uint64_t addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    X86Translation t;
    FlatView *view;
    bool ok;

    /* Long mode translates only canonical addresses: anything else is
     * #SS for a stack reference, #GP otherwise, never a walk. */
    if ((env->efer & EFER_LMA) && !x86_is_canonical(addr)) {
        if (probe) {
            return false;
        }
        emu_log_mask(LOG_MMU, "x86: non-canonical address 0x%016" PRIx64
                     "\n", addr);
        x86_raise_exception_err(env, (mmu_idx & X86_MMU_IDX_STACK)
                                     ? EXCP0C_STACK : EXCP0D_GPF, 0, retaddr);
    }
    view = address_space_get_flatview(&address_space_memory);
    ok = x86_translate(env, view, addr, access_type,
                       (mmu_idx & ~X86_MMU_IDX_STACK) == X86_MMU_IDX_USER,
                       &t);
    flatview_unref(view);
    if (ok) {
        tlb_set_page(cs, addr & TARGET_PAGE_MASK, t.paddr & TARGET_PAGE_MASK,
                     t.prot, mmu_idx, t.page_size);
        return true;
    }
    if (probe) {
        return false;
    }
    emu_log_mask(LOG_MMU, "x86: page fault at 0x%08" PRIx64
                 " (error code 0x%x)\n", addr, t.error_code);
    env->cr[2] = addr;
    x86_raise_exception_err(env, EXCP0E_PAGE, t.error_code, retaddr);
}

/* tb->pc is the linear address cs_base + eip (see above); the segment
 * state is in tb->flags and cs_base, left as they were by the block
 * that chained here. */
static void x86_cpu_synchronize_from_tb(CPUState *cs,
                                        const TranslationBlock *tb)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    env->rip = (tb->flags & HF_CS64) ? tb->pc - tb->cs_base
                                     : (uint32_t)(tb->pc - tb->cs_base);
}

static void x86_cpu_exec_exit(CPUState *cs)
{
    x86_mxcsr_sync(&X86_CPU(cs)->env);
}

static int x86_cpu_fetch_mmu_index(uint32_t tb_flags)
{
    return x86_tb_mmu_idx(tb_flags);
}

const TCGCPUOps x86_tcg_ops = {
    .initialize = x86_translate_init,
    .get_tb_cpu_state = x86_cpu_get_tb_cpu_state,
    .translate_code = x86_translate_code,
    .synchronize_from_tb = x86_cpu_synchronize_from_tb,
    .restore_state_to_opc = x86_restore_state_to_opc,
    .cpu_exec_interrupt = x86_cpu_exec_interrupt,
    .do_interrupt = x86_cpu_do_interrupt,
    .tlb_fill = x86_cpu_tlb_fill,
    .fetch_mmu_index = x86_cpu_fetch_mmu_index,
    .cpu_exec_exit = x86_cpu_exec_exit,
    .has_work = x86_cpu_has_work,
    .watchpoint_trap = x86_cpu_watchpoint_trap,
    .env_offset = offsetof(X86CPU, env),
};
