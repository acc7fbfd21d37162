/*
 * The debugger's stops under tcg: breakpoints, watchpoints and
 * single-step (AccelOps.insert_breakpoint and friends).
 *
 * Breakpoints are checked by the vCPU loop before it looks a block up:
 * a breakpoint at the PC stops the vCPU without running anything, and
 * on a page with a breakpoint every block is one instruction long and
 * never chained, so the loop sees each PC there.  Inserting one drops
 * the blocks already translated from its page (they may be chained to
 * each other or contain the address); blocks of other pages only reach
 * it through the loop, since direct jumps stay within a page.
 *
 * Watchpoints go through the TLB: entries of a watched page carry
 * TLB_WATCHPOINT, so accesses there take the slow path, which checks the
 * access against the watchpoints.  A hit stops the vCPU at the
 * instruction, before its access, as QEMU does for ARM, whose debugger
 * then steps over it with the watchpoint out.
 *
 * The guest's own watchpoints (x86's data breakpoints in DR0-3 and DR7,
 * set by the target with tcg_set_cpu_watchpoints) share the list and the
 * TLB flag, but a hit lets the access happen and traps after the
 * instruction: the instruction is redone as a block of its own
 * (cpu_redo_insn_alone) unless it already runs so, its hits are
 * gathered, and once it is complete the loop hands them to the target
 * (tcg_ops->watchpoint_trap), which raises its exception.  ARM's
 * watchpoints stop before the access instead: the target's
 * tcg_ops->watchpoint_fault takes its data abort at the instruction.
 *
 * Single-step runs one-instruction blocks and stops after each, with
 * IRQ and FIQ held off (QEMU's default), an exception the instruction
 * raises included.
 *
 * All of it is per vCPU (the gdb stub sets the same stops on each), and
 * changed only while the machine is stopped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "accel/tcg/internal.h"

typedef struct TCGWatchpoint {
    uint64_t addr;
    uint64_t len;
    BreakpointType type;
    int cpu_id;          /* the guest's own: its id; the debugger's: -1 */
} TCGWatchpoint;

static void update_active(TCGVCPU *v)
{
    v->debug_active = v->single_step ||
                      (v->breakpoints && v->breakpoints->len);
}

/* ---- breakpoints ---- */

static int find_breakpoint(TCGVCPU *v, uint64_t addr)
{
    for (guint i = 0; v->breakpoints && i < v->breakpoints->len; i++) {
        if (g_array_index(v->breakpoints, uint64_t, i) == addr) {
            return i;
        }
    }
    return -1;
}

/* Drops the blocks of the page holding addr, wherever it maps now. */
static void invalidate_code_page(CPUState *cpu, uint64_t addr)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);
    hwaddr paddr = addr;

    if (cc->get_phys_addr_debug && !cc->get_phys_addr_debug(cpu, addr,
                                                            &paddr)) {
        return;          /* not mapped: nothing translated from it */
    }
    paddr &= TARGET_PAGE_MASK;
    tb_invalidate_phys_range(paddr, paddr + TARGET_PAGE_SIZE);
    tb_jmp_cache_clear(cpu);
}

static bool insert_breakpoint(CPUState *cpu, uint64_t addr)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    /* Kept once per insertion: a software and a hardware breakpoint at
     * one address are removed one by one. */
    if (!v->breakpoints) {
        v->breakpoints = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    }
    g_array_append_val(v->breakpoints, addr);
    invalidate_code_page(cpu, addr);
    return true;
}

static bool remove_breakpoint(CPUState *cpu, uint64_t addr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    int i = find_breakpoint(v, addr);

    /* The one-instruction blocks of its page no longer match the cflags
     * the loop asks for: they simply stop being used. */
    if (i < 0) {
        return false;
    }
    g_array_remove_index_fast(v->breakpoints, i);
    return true;
}

/* ---- watchpoints ---- */

static int find_watchpoint(TCGVCPU *v, BreakpointType type, uint64_t addr,
                           uint64_t len)
{
    for (guint i = 0; v->watchpoints && i < v->watchpoints->len; i++) {
        TCGWatchpoint *wp = &g_array_index(v->watchpoints, TCGWatchpoint, i);

        if (wp->cpu_id < 0 && wp->addr == addr && wp->len == len &&
            wp->type == type) {
            return i;
        }
    }
    return -1;
}

static bool watch_overlaps(const TCGWatchpoint *wp, uint64_t addr,
                           uint64_t len)
{
    return addr <= wp->addr + wp->len - 1 && wp->addr <= addr + len - 1;
}

static bool watch_covers(BreakpointType wtype, MMUAccessType access)
{
    if (wtype == BP_WATCH_ACCESS) {
        return true;
    }
    return wtype == (access == MMU_DATA_STORE ? BP_WATCH_WRITE
                                              : BP_WATCH_READ);
}

static bool insert_watchpoint(CPUState *cpu, BreakpointType type,
                              uint64_t addr, uint64_t len, Error **errp)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    TCGWatchpoint wp = { addr, len, type, -1 };

    if (len == 0 || addr + len - 1 < addr) {
        error_setg(errp, "invalid watchpoint range 0x%" PRIx64 "+%" PRIu64,
                   addr, len);
        return false;
    }
    if (!v->watchpoints) {
        v->watchpoints = g_array_new(FALSE, FALSE, sizeof(TCGWatchpoint));
    }
    g_array_append_val(v->watchpoints, wp);
    /* Refilled entries get TLB_WATCHPOINT (tcg_watch_tlb_flags). */
    tlb_flush(cpu);
    return true;
}

static bool remove_watchpoint(CPUState *cpu, BreakpointType type,
                              uint64_t addr, uint64_t len)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    int i = find_watchpoint(v, type, addr, len);

    if (i < 0) {
        return false;
    }
    g_array_remove_index_fast(v->watchpoints, i);
    tlb_flush(cpu);
    return true;
}

/* Drops the debugger's watchpoints (cpu_own false) or the guest's own
 * (true); true if there were any. */
static bool remove_watchpoints_of(TCGVCPU *v, bool cpu_own)
{
    bool removed = false;

    for (guint i = v->watchpoints ? v->watchpoints->len : 0; i-- > 0;) {
        if ((g_array_index(v->watchpoints, TCGWatchpoint, i).cpu_id >= 0) ==
            cpu_own) {
            g_array_remove_index(v->watchpoints, i);
            removed = true;
        }
    }
    return removed;
}

void tcg_set_cpu_watchpoints(CPUState *cpu, const CPUWatchpoint *wps, int n)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    int have = 0;
    bool same = true;

    /* Kept in order after the debugger's: the same set changes nothing
     * (guests rewrite DR7 with the value it has). */
    for (guint i = 0; v->watchpoints && i < v->watchpoints->len; i++) {
        TCGWatchpoint *wp = &g_array_index(v->watchpoints, TCGWatchpoint, i);

        if (wp->cpu_id >= 0) {
            same = same && have < n && wp->addr == wps[have].addr &&
                   wp->len == wps[have].len && wp->type == wps[have].type &&
                   wp->cpu_id == wps[have].id;
            have++;
        }
    }
    if (same && have == n) {
        return;
    }
    remove_watchpoints_of(v, true);
    if (!v->watchpoints) {
        v->watchpoints = g_array_new(FALSE, FALSE, sizeof(TCGWatchpoint));
    }
    for (int i = 0; i < n; i++) {
        TCGWatchpoint wp = { wps[i].addr, wps[i].len, wps[i].type,
                             wps[i].id };

        g_array_append_val(v->watchpoints, wp);
    }
    tlb_flush(cpu);
}

void tcg_watch_tlb_flags(CPUState *cpu, uint64_t page, uint64_t *read_flags,
                         uint64_t *write_flags)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    for (guint i = 0; v->watchpoints && i < v->watchpoints->len; i++) {
        TCGWatchpoint *wp = &g_array_index(v->watchpoints, TCGWatchpoint, i);

        if (watch_overlaps(wp, page, TARGET_PAGE_SIZE)) {
            if (watch_covers(wp->type, MMU_DATA_LOAD)) {
                *read_flags |= TLB_WATCHPOINT;
            }
            if (watch_covers(wp->type, MMU_DATA_STORE)) {
                *write_flags |= TLB_WATCHPOINT;
            }
        }
    }
}

void tcg_watchpoint_check(CPUState *cpu, uint64_t addr, int size,
                          MMUAccessType access, uintptr_t ra)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    unsigned cpu_hits = 0;

    /* Accesses of helpers outside generated code (ra 0: semihosting,
     * x86 interrupt frames) have no instruction to stop at. */
    if (!ra) {
        return;
    }
    for (guint i = 0; v->watchpoints && i < v->watchpoints->len; i++) {
        TCGWatchpoint *wp = &g_array_index(v->watchpoints, TCGWatchpoint, i);

        if (!watch_overlaps(wp, addr, size) ||
            !watch_covers(wp->type, access)) {
            continue;
        }
        if (wp->cpu_id >= 0) {
            cpu_hits |= 1u << wp->cpu_id;
        } else {
            cpu->debug_stop = (CPUDebugStop){
                .reason = CPU_DEBUG_WATCHPOINT,
                .watch_type = wp->type,
                .watch_addr = wp->addr,
            };
            cpu->exception_index = EXCP_DEBUG;
            cpu_loop_exit_restore(cpu, ra);
        }
    }
    if (!cpu_hits) {
        return;
    }
    if (v->ops->watchpoint_fault) {
        v->ops->watchpoint_fault(cpu, cpu_hits, addr, access, ra);
        return;
    }
    if (!tb_running_alone(ra)) {
        cpu_redo_insn_alone(cpu, ra);
    }
    v->cpu_watch_hits |= cpu_hits;
}

/* ---- what the vCPU loop asks ---- */

bool tcg_debug_check_pc(CPUState *cpu, uint64_t pc, uint32_t *cflags)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if (v->single_step) {
        *cflags = (*cflags & ~CF_COUNT_MASK) | CF_SINGLE_STEP |
                  CF_NO_CHAIN | 1;
    }
    for (guint i = 0; v->breakpoints && i < v->breakpoints->len; i++) {
        uint64_t bp = g_array_index(v->breakpoints, uint64_t, i);

        if (bp == pc) {
            cpu->debug_stop = (CPUDebugStop){ .reason = CPU_DEBUG_BREAKPOINT };
            return true;
        }
        if ((bp & TARGET_PAGE_MASK) == (pc & TARGET_PAGE_MASK)) {
            *cflags = (*cflags & ~CF_COUNT_MASK) | CF_NO_CHAIN | 1;
        }
    }
    return false;
}

void tcg_debug_before_exec(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    v->insn_running = v->single_step;
}

void tcg_debug_insn_not_run(CPUState *cpu)
{
    tcg_vcpu(cpu)->insn_running = false;
}

bool tcg_debug_insn_done(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if (!v->insn_running) {
        return false;
    }
    v->insn_running = false;
    cpu->debug_stop = (CPUDebugStop){ .reason = CPU_DEBUG_STEP };
    return true;
}

bool tcg_debug_irqs_held(CPUState *cpu)
{
    return tcg_vcpu(cpu)->single_step;
}

/* ---- AccelOps ---- */

bool tcg_insert_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len, Error **errp)
{
    bool ok;

    if (type == BP_SOFTWARE || type == BP_HARDWARE) {
        /* Both are the same check of the PC: tcg needs no memory
         * patching and has no limit on hardware slots. */
        ok = insert_breakpoint(cpu, addr);
    } else {
        ok = insert_watchpoint(cpu, type, addr, len, errp);
    }
    update_active(tcg_vcpu(cpu));
    return ok;
}

bool tcg_remove_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len)
{
    bool ok;

    if (type == BP_SOFTWARE || type == BP_HARDWARE) {
        ok = remove_breakpoint(cpu, addr);
    } else {
        ok = remove_watchpoint(cpu, type, addr, len);
    }
    update_active(tcg_vcpu(cpu));
    return ok;
}

void tcg_remove_all_breakpoints(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if (v->breakpoints) {
        g_array_set_size(v->breakpoints, 0);
    }
    if (remove_watchpoints_of(v, false)) {
        tlb_flush(cpu);
    }
    update_active(v);
}

void tcg_set_single_step(CPUState *cpu, bool enable)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    v->single_step = enable;
    update_active(v);
}
