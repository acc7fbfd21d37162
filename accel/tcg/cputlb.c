/*
 * The softmmu TLB: guest virtual page -> host address (RAM, ROM, ROM
 * devices in ROMD mode) or "go through the memory API" (MMIO), per vCPU
 * and MMU index, direct-mapped with a small victim cache.
 *
 * Generated code does the hit path inline; everything else lands here:
 * misses (victim cache, then the target's page-table walk through
 * tcg_ops->tlb_fill), MMIO (address_space_ld/st with the big lock, which
 * generated code runs without), stores to pages holding translated code
 * (TLB_NOTDIRTY: the blocks are invalidated, then the store is done),
 * accesses that cross a page, accesses to watched pages (TLB_WATCHPOINT,
 * see debug.c).  Entries for absent rights are -1, which
 * no guest address matches.
 *
 * A memory listener flushes every TLB and the blocks of the ranges that
 * changed when the memory map changes: a flash leaving or entering ROMD
 * mode, a region moved or disabled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "util/log.h"
#include "sysemu/main-loop.h"
#include "accel/tcg/internal.h"
#include "accel/tcg/tcg-backend.h"

size_t tcg_env_offset;

TCGVCPU *tcg_vcpu(CPUState *cpu)
{
    if (!cpu->accel) {
        TCGVCPU *v = g_new0(TCGVCPU, 1);

        v->ops = CPU_GET_CLASS(cpu)->tcg_ops;
        /* No large page yet: a flush resets these only for the MMU
         * indexes filled since the last one. */
        for (int i = 0; i < NB_MMU_MODES; i++) {
            v->large_page_addr[i] = UINT64_MAX;
        }
        cpu->accel = v;
        cpu->accel_free = g_free;
        memset(cpu_tlb(cpu), 0xff, sizeof(CPUTLB));
        memset(cpu_tlb(cpu)->vindex, 0, sizeof(cpu_tlb(cpu)->vindex));
    }
    return cpu->accel;
}

static inline unsigned tlb_index(uint64_t addr)
{
    return (addr >> TARGET_PAGE_BITS) & (TLB_SIZE - 1);
}

static inline uint64_t *entry_field(CPUTLBEntry *e, MMUAccessType type)
{
    return type == MMU_DATA_LOAD ? &e->addr_read :
           type == MMU_DATA_STORE ? &e->addr_write : &e->addr_code;
}

static inline bool field_hit(uint64_t field, uint64_t page)
{
    return field != UINT64_MAX && (field & TARGET_PAGE_MASK) == page;
}

/* Whether the entry maps page for any kind of access. */
static bool entry_maps(const CPUTLBEntry *e, uint64_t page)
{
    return field_hit(e->addr_read, page) || field_hit(e->addr_write, page) ||
           field_hit(e->addr_code, page);
}

static bool entry_valid(const CPUTLBEntry *e)
{
    return e->addr_read != UINT64_MAX || e->addr_write != UINT64_MAX ||
           e->addr_code != UINT64_MAX;
}

/* ---- flushing ---- */

/* Empties the entries of n that are not global; whether any is left. */
static bool tlb_flush_entries_nonglobal(CPUTLBEntry *e,
                                        const CPUTLBEntryFull *full, int n)
{
    bool kept = false;

    for (int i = 0; i < n; i++) {
        if (!(full[i].prot & PAGE_GLOBAL)) {
            memset(&e[i], 0xff, sizeof(e[i]));
        } else {
            kept |= entry_valid(&e[i]);
        }
    }
    return kept;
}

static void tlb_flush_local(CPUState *cpu, bool keep_global)
{
    CPUTLB *tlb = cpu_tlb(cpu);
    TCGVCPU *v = tcg_vcpu(cpu);
    unsigned dirty = 0;
    unsigned to_clean = v->tlb_dirty_mmu_idx & ((1u << NB_MMU_MODES) - 1);

    if (to_clean == (1u << NB_MMU_MODES) - 1) {
        __atomic_store_n(&v->tlb_full_flushes, v->tlb_full_flushes + 1,
                         __ATOMIC_RELAXED);
    } else {
        __atomic_store_n(&v->tlb_part_flushes,
                         v->tlb_part_flushes + __builtin_popcount(to_clean),
                         __ATOMIC_RELAXED);
        __atomic_store_n(&v->tlb_elided_flushes,
                         v->tlb_elided_flushes + NB_MMU_MODES -
                         __builtin_popcount(to_clean), __ATOMIC_RELAXED);
    }
    for (int i = 0; i < NB_MMU_MODES; i++) {
        if (!(v->tlb_dirty_mmu_idx & (1u << i))) {
            continue;
        }
        if (keep_global) {
            /* The large-page range stays: it covers the kept pages. */
            if (tlb_flush_entries_nonglobal(tlb->table[i], tlb->full[i],
                                            TLB_SIZE) |
                tlb_flush_entries_nonglobal(tlb->vtable[i], tlb->vfull[i],
                                            TLB_VICTIM_SIZE)) {
                dirty |= 1u << i;
            }
            continue;
        }
        memset(tlb->table[i], 0xff, sizeof(tlb->table[i]));
        memset(tlb->vtable[i], 0xff, sizeof(tlb->vtable[i]));
        v->large_page_addr[i] = UINT64_MAX;
        v->large_page_mask[i] = 0;
    }
    __atomic_store_n(&v->tlb_dirty_mmu_idx, dirty, __ATOMIC_RELAXED);
    tb_jmp_cache_clear(cpu);
    tb_unchain_cross_page();
}

/*
 * Another thread may change this vCPU's TLB only while the vCPU is out
 * of cpu_exec; the big lock the caller holds keeps it out.  Otherwise
 * the vCPU is asked to flush itself at its next block boundary.
 */
static bool tlb_flush_is_local(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if (cpu == current_cpu || !__atomic_load_n(&v->in_exec,
                                               __ATOMIC_SEQ_CST)) {
        return true;
    }
    __atomic_store_n(&v->tlb_flush_pending, 1, __ATOMIC_SEQ_CST);
    cpu_exit(cpu);
    return false;
}

void tlb_flush(CPUState *cpu)
{
    if (tlb_flush_is_local(cpu)) {
        tlb_flush_local(cpu, false);
    }
}

void tlb_flush_nonglobal(CPUState *cpu)
{
    /* Another thread's request is a whole flush (tlb_process_pending). */
    if (tlb_flush_is_local(cpu)) {
        tlb_flush_local(cpu, true);
    }
}

void tlb_process_pending(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if (__atomic_exchange_n(&v->tlb_flush_pending, 0, __ATOMIC_SEQ_CST)) {
        tlb_flush_local(cpu, false);
    }
}

void tlb_flush_page(CPUState *cpu, uint64_t vaddr)
{
    CPUTLB *tlb;
    TCGVCPU *v;
    uint64_t page = vaddr & TARGET_PAGE_MASK;

    if (!tlb_flush_is_local(cpu)) {
        return;
    }
    tlb = cpu_tlb(cpu);
    v = tcg_vcpu(cpu);
    for (int mmu_idx = 0; mmu_idx < NB_MMU_MODES; mmu_idx++) {
        CPUTLBEntry *e = &tlb->table[mmu_idx][tlb_index(page)];

        /* A page inside a section: its other pages may be anywhere. */
        if ((page & v->large_page_mask[mmu_idx]) ==
            v->large_page_addr[mmu_idx]) {
            tlb_flush_local(cpu, false);
            return;
        }
        if (entry_maps(e, page)) {
            memset(e, 0xff, sizeof(*e));
        }
        for (int i = 0; i < TLB_VICTIM_SIZE; i++) {
            if (entry_maps(&tlb->vtable[mmu_idx][i], page)) {
                memset(&tlb->vtable[mmu_idx][i], 0xff, sizeof(CPUTLBEntry));
            }
        }
    }
    /* Blocks starting on the page before may run into this one. */
    tb_jmp_cache_clear_range(cpu, page - TARGET_PAGE_SIZE,
                             page + TARGET_PAGE_SIZE);
    tb_unchain_cross_page();
}

/* ---- filling ---- */

static void tlb_add_large_page(TCGVCPU *v, int mmu_idx, uint64_t vaddr,
                               uint64_t size)
{
    uint64_t mask = ~(size - 1);
    uint64_t old = v->large_page_addr[mmu_idx];

    if (old != UINT64_MAX) {
        /* Widen the mask until it covers the old range too. */
        mask &= v->large_page_mask[mmu_idx];
        while (((old ^ vaddr) & mask) != 0) {
            mask <<= 1;
        }
    }
    v->large_page_addr[mmu_idx] = vaddr & mask;
    v->large_page_mask[mmu_idx] = mask;
}

void tlb_set_page(CPUState *cpu, uint64_t vaddr, hwaddr paddr, int prot,
                  int mmu_idx, uint64_t size)
{
    CPUTLB *tlb = cpu_tlb(cpu);
    TCGVCPU *v = tcg_vcpu(cpu);
    uint64_t page = vaddr & TARGET_PAGE_MASK;
    hwaddr ppage = paddr & TARGET_PAGE_MASK;
    unsigned index = tlb_index(page);
    CPUTLBEntry *e = &tlb->table[mmu_idx][index];
    CPUTLBEntryFull *full = &tlb->full[mmu_idx][index];
    FlatView *view = address_space_get_flatview(&address_space_memory);
    const FlatRange *fr = flatview_lookup(view, ppage);
    MemoryRegion *mr = fr ? fr->mr : NULL;
    bool whole, read_in_place = false, write_in_place = false;
    uint64_t read_flags = TLB_MMIO, write_flags = TLB_MMIO, code_flags;
    uint8_t *host = NULL;

    g_assert(mmu_idx >= 0 && mmu_idx < NB_MMU_MODES);
    if (!(v->tlb_dirty_mmu_idx & (1u << mmu_idx))) {
        /* read by tlb_set_notdirty from other threads; set before the
         * entry is (tb_page_has_code orders the two) */
        __atomic_store_n(&v->tlb_dirty_mmu_idx,
                         v->tlb_dirty_mmu_idx | (1u << mmu_idx),
                         __ATOMIC_RELAXED);
    }
    if (size > TARGET_PAGE_SIZE) {
        tlb_add_large_page(v, mmu_idx, vaddr, size);
    }
    /* Only a range covering the whole page can be accessed in place. */
    whole = fr && fr->addr <= ppage &&
            (fr->size_is_2_64 ||
             ppage + TARGET_PAGE_SIZE - 1 <= fr->addr + fr->size - 1);
    if (whole && mr && mr->ram_ptr) {
        read_in_place = mr->kind == MR_RAM || mr->kind == MR_ROM ||
                        (mr->kind == MR_ROMD && fr->romd_mode);
        write_in_place = mr->kind == MR_RAM && !fr->readonly;
    }
    if (read_in_place) {
        host = mr->ram_ptr + fr->offset_in_region + (ppage - fr->addr);
        read_flags = 0;
    }
    if (write_in_place) {
        write_flags = tb_page_has_code(ppage) ? TLB_NOTDIRTY : 0;
    }
    code_flags = read_flags;
    if (v->watchpoints && v->watchpoints->len) {
        tcg_watch_tlb_flags(cpu, page, &read_flags, &write_flags);
    }

    /* One copy of a page in the whole TLB; a valid other page goes to
     * the victim cache. */
    for (int i = 0; i < TLB_VICTIM_SIZE; i++) {
        if (entry_maps(&tlb->vtable[mmu_idx][i], page)) {
            memset(&tlb->vtable[mmu_idx][i], 0xff, sizeof(CPUTLBEntry));
        }
    }
    if (entry_valid(e) && !entry_maps(e, page)) {
        unsigned vi = tlb->vindex[mmu_idx]++ % TLB_VICTIM_SIZE;

        tlb->vtable[mmu_idx][vi] = *e;
        tlb->vfull[mmu_idx][vi] = *full;
    }

    full->phys_addr = ppage;
    full->mr = mr;
    full->offset_in_region = fr ? fr->offset_in_region + (ppage - fr->addr)
                                : 0;
    full->prot = prot;
    e->addend = host ? (uintptr_t)host - (uintptr_t)page : 0;
    e->addr_read = prot & PAGE_READ ? page | read_flags : UINT64_MAX;
    e->addr_write = prot & PAGE_WRITE ? page | write_flags : UINT64_MAX;
    e->addr_code = prot & PAGE_EXEC ? page | code_flags : UINT64_MAX;
    flatview_unref(view);
    emu_log_mask(LOG_MMU, "tlb_set_page: vaddr 0x%08" PRIx64 " paddr 0x%08"
                 HWADDR_PRIx " prot %x idx %d\n", page, ppage, prot, mmu_idx);
}

/* Sets or clears TLB_NOTDIRTY on every writable in-place mapping of the
 * guest physical page, in every vCPU. */
static void tlb_set_notdirty(hwaddr page, bool protect)
{
    for (guint c = 0; cpus && c < cpus->len; c++) {
        CPUState *cpu = g_ptr_array_index(cpus, c);
        CPUTLB *tlb;
        unsigned in_use;

        if (!cpu->accel) {
            continue;
        }
        tlb = cpu_tlb(cpu);
        /* An index without entries since its flush has none to mark (a
         * first block on a page scans only the indexes in use). */
        in_use = __atomic_load_n(&tcg_vcpu(cpu)->tlb_dirty_mmu_idx,
                                 __ATOMIC_RELAXED);
        for (int m = 0; m < NB_MMU_MODES; m++) {
            if (!(in_use & (1u << m))) {
                continue;
            }
            for (int i = 0; i < TLB_SIZE + TLB_VICTIM_SIZE; i++) {
                bool victim = i >= TLB_SIZE;
                CPUTLBEntry *e = victim ? &tlb->vtable[m][i - TLB_SIZE]
                                        : &tlb->table[m][i];
                CPUTLBEntryFull *f = victim ? &tlb->vfull[m][i - TLB_SIZE]
                                            : &tlb->full[m][i];
                uint64_t w = __atomic_load_n(&e->addr_write,
                                             __ATOMIC_RELAXED);

                if (w == UINT64_MAX || (w & TLB_MMIO) ||
                    f->phys_addr != page) {
                    continue;
                }
                if (protect) {
                    __atomic_fetch_or(&e->addr_write, TLB_NOTDIRTY,
                                      __ATOMIC_SEQ_CST);
                } else {
                    __atomic_fetch_and(&e->addr_write,
                                       ~(uint64_t)TLB_NOTDIRTY,
                                       __ATOMIC_SEQ_CST);
                }
            }
        }
    }
}

void tlb_protect_code(hwaddr page)
{
    tlb_set_notdirty(page, true);
}

void tlb_unprotect_code(hwaddr page)
{
    tlb_set_notdirty(page, false);
}

/* Moves a victim entry for page into the main table; true if found. */
static bool victim_tlb_hit(CPUTLB *tlb, int mmu_idx, unsigned index,
                           MMUAccessType type, uint64_t page)
{
    for (int i = 0; i < TLB_VICTIM_SIZE; i++) {
        CPUTLBEntry *ve = &tlb->vtable[mmu_idx][i];

        if (field_hit(*entry_field(ve, type), page)) {
            CPUTLBEntry tmp = tlb->table[mmu_idx][index];
            CPUTLBEntryFull tmpf = tlb->full[mmu_idx][index];

            tlb->table[mmu_idx][index] = *ve;
            tlb->full[mmu_idx][index] = tlb->vfull[mmu_idx][i];
            *ve = tmp;
            tlb->vfull[mmu_idx][i] = tmpf;
            return true;
        }
    }
    return false;
}

/*
 * The entry for an access to addr, filling the TLB on a miss.  Returns
 * NULL only when probe is set and the page is not accessible (without
 * probe, tlb_fill raises the guest's abort and does not return).
 */
static CPUTLBEntry *tlb_lookup(CPUState *cpu, uint64_t addr,
                               MMUAccessType type, int mmu_idx, int size,
                               bool probe, uintptr_t ra,
                               CPUTLBEntryFull **pfull)
{
    CPUTLB *tlb = cpu_tlb(cpu);
    uint64_t page = addr & TARGET_PAGE_MASK;
    unsigned index = tlb_index(addr);
    CPUTLBEntry *e = &tlb->table[mmu_idx][index];

    if (!field_hit(*entry_field(e, type), page) &&
        !victim_tlb_hit(tlb, mmu_idx, index, type, page)) {
        if (!CPU_GET_CLASS(cpu)->tcg_ops->tlb_fill(cpu, addr, size, type,
                                                   mmu_idx, probe, ra)) {
            return NULL;
        }
        if (!field_hit(*entry_field(e, type), page)) {
            /* tlb_fill installed no rights for this access: a target bug */
            g_error("tcg: tlb_fill for 0x%" PRIx64 " (%s, mmu_idx %d) "
                    "succeeded without mapping it", addr,
                    type == MMU_DATA_LOAD ? "load" :
                    type == MMU_DATA_STORE ? "store" : "fetch", mmu_idx);
        }
    }
    *pfull = &tlb->full[mmu_idx][index];
    return e;
}

/* A refused bus access: the guest's external abort, when it has one
 * and the board wants it (cpu NULL: the caller cannot take an abort
 * here).  Otherwise a read gives 0 and a write is dropped. */
static void io_failed(CPUState *cpu, uint64_t addr, MMUAccessType type,
                      int mmu_idx, uintptr_t ra, bool locked)
{
    const TCGCPUOps *ops = cpu ? CPU_GET_CLASS(cpu)->tcg_ops : NULL;

    if (ops && ops->do_transaction_failed &&
        !cpu->ignore_memory_transaction_failures) {
        /* It leaves through cpu_loop_exit: drop the lock we took. */
        bql_unlock_if(locked);
        ops->do_transaction_failed(cpu, addr, type, mmu_idx, ra);
    }
}

/*
 * Logs of device accesses name the guest pc: inside a block the CPU
 * state's pc is that of the block's start, so put the accessing
 * instruction's there first (only when something may be logged).
 */
static void io_sync_pc(CPUState *cpu, uintptr_t ra)
{
    if (cpu && ra && (emu_loglevel & (LOG_GUEST_ERROR | LOG_UNIMP))) {
        cpu_restore_state(cpu, ra);
    }
}

static uint64_t io_read(CPUState *cpu, CPUTLBEntryFull *full, uint64_t addr,
                        int size, MMUAccessType type, int mmu_idx,
                        uintptr_t ra)
{
    hwaddr paddr = full->phys_addr | (addr & ~TARGET_PAGE_MASK);
    uint64_t val = 0;
    bool locked = bql_lock_if_needed();
    MemTxResult res;

    io_sync_pc(cpu, ra);
    tcg_icount_io_begin(cpu, ra);
    res = address_space_ld(&address_space_memory, paddr, size, &val);
    tcg_icount_io_end(cpu);
    if (res != MEMTX_OK) {
        io_failed(cpu, addr, type, mmu_idx, ra, locked);
    }
    bql_unlock_if(locked);
    return val;
}

static void io_write(CPUState *cpu, CPUTLBEntryFull *full, uint64_t addr,
                     int size, uint64_t val, int mmu_idx, uintptr_t ra)
{
    hwaddr paddr = full->phys_addr | (addr & ~TARGET_PAGE_MASK);
    bool locked = bql_lock_if_needed();
    MemTxResult res;

    io_sync_pc(cpu, ra);
    tcg_icount_io_begin(cpu, ra);
    res = address_space_st(&address_space_memory, paddr, size, val);
    tcg_icount_io_end(cpu);
    if (res != MEMTX_OK) {
        io_failed(cpu, addr, MMU_DATA_STORE, mmu_idx, ra, locked);
    }
    bql_unlock_if(locked);
}

/* A little-endian load of size bytes within one page. */
static uint64_t load_page(CPUState *cpu, uint64_t addr, int size,
                          int mmu_idx, MMUAccessType type, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    CPUTLBEntry *e = tlb_lookup(cpu, addr, type, mmu_idx, size, false, ra,
                                &full);

    if (*entry_field(e, type) & TLB_WATCHPOINT) {
        tcg_watchpoint_check(cpu, addr, size, type, ra);
    }
    if (*entry_field(e, type) & TLB_MMIO) {
        return io_read(cpu, full, addr, size, type, mmu_idx, ra);
    }
    return ldn_le_p((void *)(uintptr_t)(addr + e->addend), size);
}

/* Before a store of size bytes at addr onto page, which holds
 * translated code: the blocks there go, and the page is written in
 * place again once none is left.  A store into the block that is running
 * (iPXE patches the vector of the "int" that follows its store) does not
 * return: the guest goes back to the store (tb_invalidate_by_store). */
static void notdirty_write(CPUState *cpu, hwaddr page, uint64_t addr,
                           int size, uintptr_t ra)
{
    hwaddr paddr = page | (addr & ~TARGET_PAGE_MASK);

    tb_invalidate_by_store(cpu, paddr, paddr + size, ra);
    if (!tb_page_has_code(page)) {
        tlb_unprotect_code(page);
    }
}

static void store_page(CPUState *cpu, uint64_t addr, int size,
                       uint64_t val, int mmu_idx, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    CPUTLBEntry *e = tlb_lookup(cpu, addr, MMU_DATA_STORE, mmu_idx, size,
                                false, ra, &full);
    uint64_t flags = e->addr_write & ~TARGET_PAGE_MASK;

    if (flags & TLB_WATCHPOINT) {
        tcg_watchpoint_check(cpu, addr, size, MMU_DATA_STORE, ra);
    }
    if (flags & TLB_MMIO) {
        io_write(cpu, full, addr, size, val, mmu_idx, ra);
        return;
    }
    if (flags & TLB_NOTDIRTY) {
        notdirty_write(cpu, full->phys_addr, addr, size, ra);
    }
    stn_le_p((void *)(uintptr_t)(addr + e->addend), size, val);
}

static bool crosses_page(uint64_t addr, int size)
{
    return (addr & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE;
}

/* MO_ALIGN on a misaligned address: the target's alignment fault. */
static void check_alignment(CPUState *cpu, uint64_t addr, MemOp mop,
                            MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    int size = 1 << (mop & MO_SIZE);
    const TCGCPUOps *ops;

    if (!(mop & MO_ALIGN) || !(addr & (size - 1))) {
        return;
    }
    ops = CPU_GET_CLASS(cpu)->tcg_ops;
    if (ops->do_unaligned_access) {
        ops->do_unaligned_access(cpu, addr, type, mmu_idx, ra);
    }
}

static uint64_t do_load(CPUState *cpu, uint64_t addr, MemOpIdx oi,
                        MMUAccessType type, uintptr_t ra)
{
    MemOp mop = get_memop(oi);
    int mmu_idx = get_mmuidx(oi);
    int size = 1 << (mop & MO_SIZE);
    uint64_t val = 0;

    check_alignment(cpu, addr, mop, type, mmu_idx, ra);
    if ((mop & MO_ROTATE) && (addr & (size - 1))) {
        /* ARMv5: the aligned word (its address is the one a fault
         * reports), rotated so the addressed byte comes first. */
        unsigned rot = 8 * (addr & (size - 1));

        g_assert(size == 4);
        val = load_page(cpu, addr & ~(uint64_t)(size - 1), size, mmu_idx,
                        type, ra);
        return (uint32_t)((val >> rot) | (val << (32 - rot)));
    }
    if (!crosses_page(addr, size)) {
        val = load_page(cpu, addr, size, mmu_idx, type, ra);
    } else {
        /* Byte by byte, so each page faults or does MMIO on its own. */
        for (int i = 0; i < size; i++) {
            val |= load_page(cpu, addr + i, 1, mmu_idx, type, ra) << (8 * i);
        }
    }
    if (mop & MO_BSWAP) {
        val = __builtin_bswap64(val) >> (64 - 8 * size);
    }
    if ((mop & MO_SIGN) && size < 8) {
        val = (uint64_t)((int64_t)(val << (64 - 8 * size)) >>
                         (64 - 8 * size));
    }
    return val;
}

static void do_store(CPUState *cpu, uint64_t addr, uint64_t val,
                     MemOpIdx oi, uintptr_t ra)
{
    MemOp mop = get_memop(oi);
    int mmu_idx = get_mmuidx(oi);
    int size = 1 << (mop & MO_SIZE);

    check_alignment(cpu, addr, mop, MMU_DATA_STORE, mmu_idx, ra);
    if (mop & MO_BSWAP) {
        val = __builtin_bswap64(val) >> (64 - 8 * size);
    }
    if (!crosses_page(addr, size)) {
        store_page(cpu, addr, size, val, mmu_idx, ra);
        return;
    }
    /* Fault before writing anything: look the second page up first. */
    {
        CPUTLBEntryFull *full;

        tlb_lookup(cpu, addr + size - 1, MMU_DATA_STORE, mmu_idx, 1, false,
                   ra, &full);
    }
    for (int i = 0; i < size; i++) {
        store_page(cpu, addr + i, 1, val >> (8 * i), mmu_idx, ra);
    }
}

uint64_t helper_ld_mmu(void *env, uint64_t addr, MemOpIdx oi,
                       uintptr_t retaddr)
{
    return do_load(env_to_cpu(env), addr, oi, MMU_DATA_LOAD, retaddr);
}

void helper_st_mmu(void *env, uint64_t addr, uint64_t val, MemOpIdx oi,
                   uintptr_t retaddr)
{
    do_store(env_to_cpu(env), addr, val, oi, retaddr);
}

#define CPU_LD(name, mop) \
    uint32_t cpu_##name##_mmuidx_ra(CPUState *cpu, uint64_t addr, \
                                    int mmu_idx, uintptr_t ra) \
    { \
        return do_load(cpu, addr, make_memop_idx(mop, mmu_idx), \
                       MMU_DATA_LOAD, ra); \
    }
#define CPU_ST(name, mop) \
    void cpu_##name##_mmuidx_ra(CPUState *cpu, uint64_t addr, uint32_t val, \
                                int mmu_idx, uintptr_t ra) \
    { \
        do_store(cpu, addr, val, make_memop_idx(mop, mmu_idx), ra); \
    }

CPU_LD(ldub, MO_UB)
CPU_LD(lduw, MO_UW)
CPU_LD(ldl, MO_UL)
CPU_ST(stb, MO_UB)
CPU_ST(stw, MO_UW)
CPU_ST(stl, MO_UL)

/* ---- atomic accesses ---- */

/*
 * The host address of size bytes (within one page) for an atomic
 * access, faulting like a store, or NULL when they are MMIO (*pfull then
 * says where).  Translations of the page are dropped first, as for any
 * store into code.
 */
static void *atomic_host(CPUState *cpu, uint64_t addr, int size,
                         int mmu_idx, uintptr_t ra, CPUTLBEntryFull **pfull)
{
    CPUTLBEntry *e = tlb_lookup(cpu, addr, MMU_DATA_STORE, mmu_idx, size,
                                false, ra, pfull);
    uint64_t flags = e->addr_write & ~TARGET_PAGE_MASK;

    if (flags & TLB_WATCHPOINT) {
        tcg_watchpoint_check(cpu, addr, size, MMU_DATA_STORE, ra);
    }
    if (flags & TLB_MMIO) {
        return NULL;
    }
    if (flags & TLB_NOTDIRTY) {
        notdirty_write(cpu, (*pfull)->phys_addr, addr, size, ra);
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

/*
 * One host compare-and-swap of size bytes: true if they held *expected
 * (and now hold val), else false with *expected = what they held.  The
 * host is x86-64 and little-endian, as the guests' data is; it makes a
 * locked access atomic at any alignment, as x86 guests expect.
 */
static bool host_cas(void *host, int size, uint64_t *expected, uint64_t val)
{
#define HOST_CAS(type)                                                      \
    do {                                                                    \
        type old = *expected;                                               \
        bool swapped = __atomic_compare_exchange_n((type *)host, &old,      \
                                                   (type)val, false,        \
                                                   __ATOMIC_SEQ_CST,        \
                                                   __ATOMIC_SEQ_CST);       \
        *expected = old;                                                    \
        return swapped;                                                     \
    } while (0)

    switch (size) {
    case 1:
        HOST_CAS(uint8_t);
    case 2:
        HOST_CAS(uint16_t);
    case 4:
        HOST_CAS(uint32_t);
    default:
        HOST_CAS(uint64_t);
    }
#undef HOST_CAS
}

/*
 * Compare-and-swap for exclusive stores: size bytes (1, 2, 4 or 8, at an
 * aligned addr) become val if they hold expected; returns what they
 * held.  On RAM it is one host atomic operation, so vCPU threads running
 * at once see it whole; on MMIO (where no device models exclusives) it
 * is a read and a write.  Faults like a store.
 */
uint64_t cpu_cmpxchg_mmuidx_ra(CPUState *cpu, uint64_t addr, int size,
                               uint64_t expected, uint64_t val,
                               int mmu_idx, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    void *host = atomic_host(cpu, addr, size, mmu_idx, ra, &full);
    uint64_t old = expected;

    if (!host) {
        old = io_read(cpu, full, addr, size, MMU_DATA_LOAD, mmu_idx, ra);
        if (old == expected) {
            io_write(cpu, full, addr, size, val, mmu_idx, ra);
        }
        return old;
    }
    host_cas(host, size, &old, val);
    return old;
}

uint64_t cpu_atomic_rmw_mmuidx_ra(CPUState *cpu, uint64_t addr, int size,
                                  CPUAtomicUpdate *update, const void *opaque,
                                  int mmu_idx, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    void *host;
    uint64_t old;

    if (crosses_page(addr, size)) {
        /* A split lock: both pages fault as stores before anything is
         * read or written; then a plain read and write, not atomic
         * against other vCPUs (Linux neither uses nor allows these). */
        MemOp mop = __builtin_ctz(size);

        tlb_lookup(cpu, addr, MMU_DATA_STORE, mmu_idx, 1, false, ra, &full);
        tlb_lookup(cpu, addr + size - 1, MMU_DATA_STORE, mmu_idx, 1, false,
                   ra, &full);
        old = do_load(cpu, addr, make_memop_idx(mop, mmu_idx), MMU_DATA_LOAD,
                      ra);
        do_store(cpu, addr, update(old, opaque), make_memop_idx(mop, mmu_idx),
                 ra);
        return old;
    }
    host = atomic_host(cpu, addr, size, mmu_idx, ra, &full);
    if (!host) {
        old = io_read(cpu, full, addr, size, MMU_DATA_LOAD, mmu_idx, ra);
        io_write(cpu, full, addr, size, update(old, opaque), mmu_idx, ra);
        return old;
    }
    /* A first guess that the compare-and-swap corrects. */
    old = ldn_le_p(host, size);
    while (!host_cas(host, size, &old, update(old, opaque))) {
        continue;
    }
    return old;
}

bool cpu_cmpxchg16_mmuidx_ra(CPUState *cpu, uint64_t addr,
                             uint64_t expected[2], const uint64_t val[2],
                             int mmu_idx, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    void *host = atomic_host(cpu, addr, 16, mmu_idx, ra, &full);
    bool swapped;

    if (!host) {
        uint64_t lo = io_read(cpu, full, addr, 8, MMU_DATA_LOAD, mmu_idx, ra);
        uint64_t hi = io_read(cpu, full, addr + 8, 8, MMU_DATA_LOAD, mmu_idx,
                              ra);

        swapped = lo == expected[0] && hi == expected[1];
        if (swapped) {
            io_write(cpu, full, addr, 8, val[0], mmu_idx, ra);
            io_write(cpu, full, addr + 8, 8, val[1], mmu_idx, ra);
        }
        expected[0] = lo;
        expected[1] = hi;
        return swapped;
    }
    /* The host's own cmpxchg16b (every x86-64 host that runs KVM or
     * a current distribution has it; C has no 16-byte atomic without
     * libatomic). */
    asm volatile("lock cmpxchg16b %1"
                 : "=@ccz"(swapped), "+m"(*(volatile uint64_t(*)[2])host),
                   "+a"(expected[0]), "+d"(expected[1])
                 : "b"(val[0]), "c"(val[1])
                 : "memory");
    return swapped;
}

/* ---- instruction fetch ---- */

/*
 * The RAM page the block being translated last fetched from: the next
 * instructions of that page skip the TLB lookup, which costs many
 * times what the fetch does.  Valid from translator_fetch_reset at the
 * start of one translation to the one at its end: the TLB cannot
 * change under a translation (only this vCPU's thread changes it, and
 * it is translating), and a lookup that evicts the entry leaves the
 * page where it was.
 */
static __thread struct {
    bool active;                 /* a translation is running */
    bool valid;
    int mmu_idx;
    uint64_t vpage;
    uintptr_t addend;            /* host address = guest address + addend */
    hwaddr ppage;
} fetch_page;

void translator_fetch_reset(bool active)
{
    fetch_page.active = active;
    fetch_page.valid = false;
}

static uint32_t translator_ld(CPUState *cpu, uint64_t pc, int size,
                              int mmu_idx)
{
    uint32_t val = 0;

    if (fetch_page.valid && fetch_page.mmu_idx == mmu_idx &&
        (pc & TARGET_PAGE_MASK) == fetch_page.vpage &&
        ((pc + size - 1) & TARGET_PAGE_MASK) == fetch_page.vpage) {
        tb_record_fetch(fetch_page.ppage | (pc & ~TARGET_PAGE_MASK), size);
        return ldn_le_p((void *)(uintptr_t)(pc + fetch_page.addend), size);
    }
    for (int done = 0; done < size;) {
        uint64_t addr = pc + done;
        int n = MIN(size - done, (int)(TARGET_PAGE_SIZE -
                                       (addr & ~TARGET_PAGE_MASK)));
        CPUTLBEntryFull *full;
        CPUTLBEntry *e = tlb_lookup(cpu, addr, MMU_INST_FETCH, mmu_idx, n,
                                    false, 0, &full);
        uint64_t part;

        if (e->addr_code & TLB_MMIO) {
            part = 0;
            for (int i = 0; i < n; i++) {
                /* Code from a hole reads as 0 (and is logged): the
                 * undefined instruction it decodes to is the guest's
                 * signal, at the point it would execute. */
                part |= io_read(NULL, full, addr + i, 1, MMU_INST_FETCH,
                                mmu_idx, 0) << (8 * i);
            }
        } else {
            part = ldn_le_p((void *)(uintptr_t)(addr + e->addend), n);
            if (fetch_page.active) {
                fetch_page.valid = true;
                fetch_page.mmu_idx = mmu_idx;
                fetch_page.vpage = addr & TARGET_PAGE_MASK;
                fetch_page.addend = e->addend;
                fetch_page.ppage = full->phys_addr;
            }
        }
        tb_record_fetch(full->phys_addr | (addr & ~TARGET_PAGE_MASK), n);
        val |= part << (8 * done);
        done += n;
    }
    return val;
}

uint32_t translator_ldl(CPUState *cpu, uint64_t pc, int mmu_idx)
{
    return translator_ld(cpu, pc, 4, mmu_idx);
}

uint32_t translator_lduw(CPUState *cpu, uint64_t pc, int mmu_idx)
{
    return translator_ld(cpu, pc, 2, mmu_idx);
}

uint32_t translator_ldub(CPUState *cpu, uint64_t pc, int mmu_idx)
{
    return translator_ld(cpu, pc, 1, mmu_idx);
}

hwaddr get_page_addr_code(CPUState *cpu, uint64_t pc, uint32_t tb_flags,
                          bool may_walk)
{
    const TCGCPUOps *ops = CPU_GET_CLASS(cpu)->tcg_ops;
    int mmu_idx = ops->fetch_mmu_index ? ops->fetch_mmu_index(tb_flags) : 0;
    CPUTLBEntryFull *full;

    /*
     * Only the block's own index will do: a page the kernel may run is
     * not one user code may, and a cached block must not outlive the
     * permission to fetch it (QEMU's get_page_addr_code does the same).
     * Without may_walk the fill only probes.
     */
    if (!tlb_lookup(cpu, pc, MMU_INST_FETCH, mmu_idx, 1, !may_walk, 0,
                    &full)) {
        return (hwaddr)-1;
    }
    return full->phys_addr | (pc & ~TARGET_PAGE_MASK);
}

/* ---- the memory map ---- */

static void tcg_region_changed(MemoryListener *l,
                               MemoryRegionSection *section)
{
    hwaddr start = section->offset_within_address_space;
    hwaddr end = section->size == UINT64_MAX ? UINT64_MAX
                                             : start + section->size;

    tb_invalidate_phys_range(start, end);
}

static void tcg_listener_commit(MemoryListener *l)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        if (cpu->accel) {
            tlb_flush(cpu);
        }
    }
}

static MemoryListener tcg_listener = {
    .name = "tcg",
    .region_add = tcg_region_changed,
    .region_del = tcg_region_changed,
    .commit = tcg_listener_commit,
};

/* DMA, loaders and the monitor write RAM behind the TLB's back. */
static void tcg_ram_written(hwaddr addr, hwaddr len)
{
    tb_invalidate_phys_range(addr, addr + len);
}

void tcg_memory_listener_init(void)
{
    if (!tcg_listener.as) {
        memory_listener_register(&tcg_listener, &address_space_memory);
        memory_set_ram_write_notifier(tcg_ram_written);
    }
}
