/*
 * x86 segmentation and control transfers for tcg: descriptor loads with
 * the protection checks, far jumps, calls and returns, iret, and the
 * delivery of exceptions and interrupts through the IVT (real mode) and
 * the IDT (protected mode), with stack switches from the TSS, double
 * and triple faults.
 *
 * Segment caches keep the descriptor's high dword as their flags, as
 * QEMU does, so "info registers" prints the same attributes.
 *
 * Call gates (16 and 32 bits; 64 in long mode) for far jumps and calls.
 *
 * Long mode: 64-bit IDT gates with the TSS's RSP0-2 and IST stacks,
 * iretq, syscall/sysret, sysenter/sysexit and swapgs.
 *
 * Task switches: far jumps and calls to a TSS or a task gate, task
 * gates in the IDT, iret with NT, with the busy bits and the back link.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/runstate.h"
#include "target/i386/helper.h"

/* ---- raising ---- */

void x86_raise_exception_err(CPUX86State *env, int excp, uint32_t error_code,
                             uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = excp;
    env->excp.error_code = error_code;
    env->excp.is_int = false;
    cpu_loop_exit_restore(cs, ra);
}

void x86_raise_exception(CPUX86State *env, int excp, uintptr_t ra)
{
    /* Whether an error code is pushed depends on the vector. */
    x86_raise_exception_err(env, excp, 0, ra);
}

void helper_raise_exception(CPUX86State *env, uint32_t excp)
{
    x86_raise_exception(env, excp, 0);
}

void helper_raise_exception_err(CPUX86State *env, uint32_t excp,
                                uint32_t error_code)
{
    x86_raise_exception_err(env, excp, error_code, 0);
}

void helper_raise_interrupt(CPUX86State *env, uint32_t intno,
                            uint32_t next_eip_addend)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = intno;
    env->excp.error_code = 0;
    env->excp.is_int = true;
    env->excp.next_eip = env->rip + next_eip_addend;
    cpu_loop_exit(cs);
}

/* ---- descriptors ---- */

static uint32_t desc_base(uint32_t e1, uint32_t e2)
{
    return (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000);
}

static uint32_t desc_limit(uint32_t e1, uint32_t e2)
{
    uint32_t limit = (e1 & 0xffff) | (e2 & 0x000f0000);

    return (e2 & DESC_G_MASK) ? (limit << 12) | 0xfff : limit;
}

static void load_seg_cache(SegmentCache *sc, uint32_t selector, uint32_t e1,
                           uint32_t e2)
{
    sc->selector = selector;
    sc->base = desc_base(e1, e2);
    sc->limit = desc_limit(e1, e2);
    sc->flags = e2;
}

static uint32_t ldl_kernel(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    return cpu_ldl_mmuidx_ra(env_cpu(env), addr, X86_MMU_IDX_KERNEL, ra);
}

static void stl_kernel(CPUX86State *env, uint64_t addr, uint32_t v,
                       uintptr_t ra)
{
    cpu_stl_mmuidx_ra(env_cpu(env), addr, v, X86_MMU_IDX_KERNEL, ra);
}

static uint64_t ldq_kernel(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    return ldl_kernel(env, addr, ra) |
           (uint64_t)ldl_kernel(env, addr + 4, ra) << 32;
}

/* Reads the descriptor of selector from the GDT or LDT; false when it
 * lies beyond the table's limit. */
static bool load_descriptor(CPUX86State *env, uint32_t selector,
                            uint32_t *e1, uint32_t *e2, uintptr_t ra)
{
    const SegmentCache *table = (selector & 4) ? &env->ldt : &env->gdt;
    uint32_t index = selector & ~7u;

    if (index + 7 > table->limit) {
        return false;
    }
    *e1 = ldl_kernel(env, table->base + index, ra);
    *e2 = ldl_kernel(env, table->base + index + 4, ra);
    return true;
}

/* Sets the accessed bit of a descriptor in memory (and in e2). */
static void set_accessed(CPUX86State *env, uint32_t selector, uint32_t *e2,
                         uintptr_t ra)
{
    const SegmentCache *table = (selector & 4) ? &env->ldt : &env->gdt;

    if (!(*e2 & DESC_A_MASK)) {
        *e2 |= DESC_A_MASK;
        stl_kernel(env, table->base + (selector & ~7u) + 4, *e2, ra);
    }
}

static int desc_dpl(uint32_t e2)
{
    return (e2 >> DESC_DPL_SHIFT) & 3;
}

/* The null SS a 64-bit inner level runs with (its RPL is the CPL). */
static void load_null_ss(CPUX86State *env, int cpl)
{
    env->segs[R_SS] = (SegmentCache) {
        .selector = cpl,
        .flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK |
                 DESC_B_MASK | (cpl << DESC_DPL_SHIFT),
        .limit = 0xffffffff,
    };
}

/*
 * Whether the code or data segment of descriptor e2 may be loaded into
 * SS or a data segment register seg with selector at privilege cpl: SS
 * takes a writable data segment at exactly that privilege, the others
 * data or readable code, at a DPL that admits CPL and RPL unless it is
 * conforming code.
 */
static bool data_seg_allowed(int seg, uint32_t selector, uint32_t e2,
                             int cpl)
{
    int rpl = selector & 3, dpl = desc_dpl(e2);

    if (!(e2 & DESC_S_MASK)) {
        return false;
    }
    if (seg == R_SS) {
        return rpl == cpl && dpl == cpl && !(e2 & DESC_CS_MASK) &&
               (e2 & DESC_W_MASK);
    }
    return (e2 & (DESC_CS_MASK | DESC_R_MASK)) != DESC_CS_MASK &&
           (((e2 & DESC_CS_MASK) && (e2 & DESC_C_MASK)) ||
            (dpl >= cpl && dpl >= rpl));
}

/*
 * A stack segment for privilege pl: its selector's RPL and its
 * descriptor's DPL are pl, and it is a writable data segment (present or
 * not: each caller raises its own fault for that).  False, with nothing
 * raised, when it is not one.
 */
static bool load_stack_descriptor(CPUX86State *env, uint32_t ss, int pl,
                                  uint32_t *e1, uint32_t *e2, uintptr_t ra)
{
    return (int)(ss & 3) == pl && load_descriptor(env, ss, e1, e2, ra) &&
           data_seg_allowed(R_SS, ss, *e2, pl);
}

/* The end of a segment load that passed its checks: a missing segment
 * is #NP (#SS for SS), a present one is marked accessed and cached. */
static void load_present_seg(CPUX86State *env, int seg, uint32_t selector,
                             uint32_t e1, uint32_t e2, uintptr_t ra)
{
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, seg == R_SS ? EXCP0C_STACK
                                                 : EXCP0B_NOSEG,
                                selector & 0xfffc, ra);
    }
    set_accessed(env, selector, &e2, ra);
    load_seg_cache(&env->segs[seg], selector, e1, e2);
}

void x86_load_seg(CPUX86State *env, int seg, uint32_t selector,
                  uintptr_t ra)
{
    int cpl = x86_cpl(env), rpl = selector & 3;
    uint32_t e1, e2;

    selector &= 0xffff;
    if ((selector & 0xfffc) == 0) {
        /* The null selector: fine for data segments, not for SS but in
         * 64-bit code below CPL 3 (with RPL = CPL). */
        if (seg == R_SS) {
            if (x86_code64(env) && cpl != 3 && rpl == cpl) {
                load_null_ss(env, cpl);
                return;
            }
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
        env->segs[seg] = (SegmentCache) { .selector = selector };
        return;
    }
    if (!load_descriptor(env, selector, &e1, &e2, ra) ||
        !data_seg_allowed(seg, selector, e2, cpl)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    load_present_seg(env, seg, selector, e1, e2, ra);
}

void helper_load_seg(CPUX86State *env, uint32_t seg, uint32_t selector)
{
    x86_load_seg(env, seg, selector, GETPC());
}

/* In long mode LDT and TSS descriptors take 16 bytes: bits 63:32 of the
 * base are in the third dword. */
static uint64_t system_desc_base_high(CPUX86State *env, uint32_t selector,
                                      uintptr_t ra)
{
    if (!(env->efer & EFER_LMA)) {
        return 0;
    }
    return (uint64_t)ldl_kernel(env, env->gdt.base + (selector & ~7u) + 8,
                                ra) << 32;
}

void helper_lldt(CPUX86State *env, uint32_t selector)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2;

    selector &= 0xffff;
    if ((selector & 0xfffc) == 0) {
        env->ldt = (SegmentCache) { .selector = selector };
        return;
    }
    if ((selector & 4) || !load_descriptor(env, selector, &e1, &e2, ra) ||
        (e2 & DESC_S_MASK) || ((e2 >> DESC_TYPE_SHIFT) & 15) != 2) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    load_seg_cache(&env->ldt, selector, e1, e2);
    env->ldt.base |= system_desc_base_high(env, selector, ra);
}

void helper_ltr(CPUX86State *env, uint32_t selector)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2, type;

    selector &= 0xffff;
    if ((selector & 0xfffc) == 0 || (selector & 4) ||
        !load_descriptor(env, selector, &e1, &e2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    type = (e2 >> DESC_TYPE_SHIFT) & 15;
    if ((e2 & DESC_S_MASK) || (type != 1 && type != 9)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    /* The TSS becomes busy. */
    e2 |= 2 << DESC_TYPE_SHIFT;
    stl_kernel(env, env->gdt.base + (selector & ~7u) + 4, e2, ra);
    load_seg_cache(&env->tr, selector, e1, e2);
    env->tr.base |= system_desc_base_high(env, selector, ra);
}

/* ---- stacks ---- */

/* A stack being pushed or popped: the SS base, the width of the stack
 * pointer, and the privilege whose MMU index accesses it. */
typedef struct X86Stack {
    CPUX86State *env;
    uint32_t base;
    uint32_t mask;               /* 0xffff or 0xffffffff */
    uint32_t sp;
    int mmu_idx;
    uintptr_t ra;
} X86Stack;

static X86Stack stack_of(CPUX86State *env, const SegmentCache *ss,
                         uint32_t sp, int cpl, uintptr_t ra)
{
    return (X86Stack) {
        .env = env,
        .base = ss->base,
        .mask = (ss->flags & DESC_B_MASK) ? 0xffffffff : 0xffff,
        .sp = sp,
        .mmu_idx = cpl == 3 ? X86_MMU_IDX_USER : X86_MMU_IDX_KERNEL,
        .ra = ra,
    };
}

static void stack_push(X86Stack *st, bool wide, uint32_t v)
{
    CPUState *cs = env_cpu(st->env);

    st->sp -= wide ? 4 : 2;
    if (wide) {
        cpu_stl_mmuidx_ra(cs, st->base + (st->sp & st->mask), v,
                          st->mmu_idx, st->ra);
    } else {
        cpu_stw_mmuidx_ra(cs, st->base + (st->sp & st->mask), v,
                          st->mmu_idx, st->ra);
    }
}

static uint32_t stack_pop(X86Stack *st, bool wide)
{
    CPUState *cs = env_cpu(st->env);
    uint32_t addr = st->base + (st->sp & st->mask);

    st->sp += wide ? 4 : 2;
    return wide ? cpu_ldl_mmuidx_ra(cs, addr, st->mmu_idx, st->ra)
                : cpu_lduw_mmuidx_ra(cs, addr, st->mmu_idx, st->ra);
}

/* esp = the stack's sp, at the stack's width. */
static void stack_commit(CPUX86State *env, const X86Stack *st)
{
    env->regs[R_ESP] = (env->regs[R_ESP] & ~(uint64_t)st->mask) |
                       (st->sp & st->mask);
}

static X86Stack current_stack(CPUX86State *env, uintptr_t ra)
{
    return stack_of(env, &env->segs[R_SS], env->regs[R_ESP], x86_cpl(env),
                    ra);
}

/* Stack slots of size bytes (2, 4 or 8) at a 64-bit stack pointer (no
 * segment base): long mode's frames. */
static void push_long(CPUX86State *env, uint64_t *sp, uint64_t v, int size,
                      int mmu_idx, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    *sp -= size;
    if (size == 2) {
        cpu_stw_mmuidx_ra(cs, *sp, v, mmu_idx, ra);
        return;
    }
    cpu_stl_mmuidx_ra(cs, *sp, v, mmu_idx, ra);
    if (size == 8) {
        cpu_stl_mmuidx_ra(cs, *sp + 4, v >> 32, mmu_idx, ra);
    }
}

static uint64_t pop_long(CPUX86State *env, uint64_t *sp, int size,
                         int mmu_idx, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    uint64_t v;

    if (size == 2) {
        v = cpu_lduw_mmuidx_ra(cs, *sp, mmu_idx, ra);
    } else {
        v = cpu_ldl_mmuidx_ra(cs, *sp, mmu_idx, ra);
        if (size == 8) {
            v |= (uint64_t)cpu_ldl_mmuidx_ra(cs, *sp + 4, mmu_idx, ra) << 32;
        }
    }
    *sp += size;
    return v;
}

static void push64(CPUX86State *env, uint64_t *sp, uint64_t v, int mmu_idx,
                   uintptr_t ra)
{
    push_long(env, sp, v, 8, mmu_idx, ra);
}

/* The MMU index of long mode's stack references at privilege cpl. */
static int long_stack_idx(int cpl)
{
    return X86_MMU_IDX_STACK +
           (cpl == 3 ? X86_MMU_IDX_USER : X86_MMU_IDX_KERNEL);
}

/* The stack of inner level dpl from the TSS (16- or 32-bit), checked:
 * its SS into *ssc, its ESP into *esp. */
static void inner_stack_from_tss(CPUX86State *env, int dpl,
                                 SegmentCache *ssc, uint32_t *esp,
                                 uintptr_t ra)
{
    bool tss32 = (env->tr.flags >> DESC_TYPE_SHIFT) & 8;
    uint32_t at = tss32 ? dpl * 8 + 4 : dpl * 4 + 2;
    uint32_t ss, s1, s2;

    if (at + (tss32 ? 7 : 3) > env->tr.limit) {
        x86_raise_exception_err(env, EXCP0A_TSS, env->tr.selector & 0xfffc,
                                ra);
    }
    if (tss32) {
        *esp = ldl_kernel(env, env->tr.base + at, ra);
        ss = ldl_kernel(env, env->tr.base + at + 4, ra) & 0xffff;
    } else {
        uint32_t v = ldl_kernel(env, env->tr.base + at, ra);

        *esp = v & 0xffff;
        ss = v >> 16;
    }
    if ((ss & 0xfffc) == 0 ||
        !load_stack_descriptor(env, ss, dpl, &s1, &s2, ra)) {
        x86_raise_exception_err(env, EXCP0A_TSS, ss & 0xfffc, ra);
    }
    if (!(s2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0C_STACK, ss & 0xfffc, ra);
    }
    set_accessed(env, ss, &s2, ra);
    load_seg_cache(ssc, ss, s1, s2);
}

/* ---- task switches ---- */

/* What starts a task switch: the busy bits and the back link depend
 * on it. */
typedef enum TaskSwitchSource {
    TASK_JMP,                    /* old task not busy, no link */
    TASK_CALL,                   /* new task linked back, NT set */
    TASK_IRET,                   /* back along the link: old not busy */
    TASK_INT,                    /* a task gate in the IDT: as CALL */
} TaskSwitchSource;

static void stw_kernel(CPUX86State *env, uint64_t addr, uint32_t v,
                       uintptr_t ra)
{
    cpu_stw_mmuidx_ra(env_cpu(env), addr, v, X86_MMU_IDX_KERNEL, ra);
}

static uint32_t lduw_kernel(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    return cpu_lduw_mmuidx_ra(env_cpu(env), addr, X86_MMU_IDX_KERNEL, ra);
}

/* Sets or clears the busy bit of the TSS descriptor of selector (in
 * the GDT). */
static void set_tss_busy(CPUX86State *env, uint32_t selector, bool busy,
                         uintptr_t ra)
{
    uint64_t addr = env->gdt.base + (selector & ~7u) + 4;
    uint32_t e2 = ldl_kernel(env, addr, ra);

    e2 = busy ? e2 | (2 << DESC_TYPE_SHIFT) : e2 & ~(2u << DESC_TYPE_SHIFT);
    stl_kernel(env, addr, e2, ra);
}

/* A segment register of the new task, with the checks of a task switch:
 * a bad selector is #TS(selector), a missing segment #NP (#SS for SS). */
static void task_load_seg(CPUX86State *env, int seg, uint32_t selector,
                          int cpl, uintptr_t ra)
{
    uint32_t e1, e2;
    bool ok;

    if ((selector & 0xfffc) == 0) {
        if (seg == R_CS || seg == R_SS) {
            x86_raise_exception_err(env, EXCP0A_TSS, 0, ra);
        }
        env->segs[seg] = (SegmentCache) { .selector = selector };
        return;
    }
    if (!load_descriptor(env, selector, &e1, &e2, ra)) {
        x86_raise_exception_err(env, EXCP0A_TSS, selector & 0xfffc, ra);
    }
    if (seg == R_CS) {
        int dpl = desc_dpl(e2), rpl = selector & 3;

        ok = (e2 & DESC_S_MASK) && (e2 & DESC_CS_MASK) &&
             ((e2 & DESC_C_MASK) ? dpl <= rpl : dpl == rpl);
    } else {
        ok = data_seg_allowed(seg, selector, e2, cpl);
    }
    if (!ok) {
        x86_raise_exception_err(env, EXCP0A_TSS, selector & 0xfffc, ra);
    }
    load_present_seg(env, seg, selector, e1, e2, ra);
}

/*
 * Switches to the task of TSS selector (descriptor e1, e2: a 16- or
 * 32-bit TSS, checked by the caller), saving the current state into the
 * current TSS with next_eip as its EIP.  The new task's state is read
 * whole before anything changes; its segment registers are loaded last,
 * so their faults (#TS, #NP, #SS) are taken in the new task.  Returns
 * the new 32-bit TSS's T bit: the caller, once the switch is complete,
 * raises the #DB it asks for with task_trap.
 */
static bool task_switch(CPUX86State *env, uint32_t selector, uint32_t e1,
                        uint32_t e2, TaskSwitchSource source,
                        uint64_t next_eip, uintptr_t ra)
{
    static const int seg_order32[6] = { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS };
    bool new32 = (e2 >> DESC_TYPE_SHIFT) & 8;
    bool old32 = (env->tr.flags >> DESC_TYPE_SHIFT) & 8;
    uint32_t limit = desc_limit(e1, e2), base = desc_base(e1, e2);
    uint32_t regs[8], segs[6] = { 0 }, eip, eflags, ldt, cr3 = 0, link;
    uint64_t old_base = env->tr.base;
    uint32_t old_flags = x86_cpu_get_eflags(env);
    bool trap = false;
    int cpl;

    emu_log_mask(LOG_INT, "x86: task switch from %04x to %04x\n",
                 env->tr.selector, selector);
    if (limit < (new32 ? 0x67u : 0x2bu)) {
        x86_raise_exception_err(env, EXCP0A_TSS, selector & 0xfffc, ra);
    }
    if (env->tr.limit < (old32 ? 0x67u : 0x2bu)) {
        x86_raise_exception_err(env, EXCP0A_TSS, env->tr.selector & 0xfffc,
                                ra);
    }
    /* the new task's state, read first: a fault here changes nothing */
    if (new32) {
        cr3 = ldl_kernel(env, base + 0x1c, ra);
        eip = ldl_kernel(env, base + 0x20, ra);
        eflags = ldl_kernel(env, base + 0x24, ra);
        for (int i = 0; i < 8; i++) {
            regs[i] = ldl_kernel(env, base + 0x28 + i * 4, ra);
        }
        for (int i = 0; i < 6; i++) {
            segs[seg_order32[i]] = lduw_kernel(env, base + 0x48 + i * 4, ra);
        }
        ldt = lduw_kernel(env, base + 0x60, ra);
        trap = lduw_kernel(env, base + 0x64, ra) & 1;
    } else {
        eip = lduw_kernel(env, base + 0x0e, ra);
        eflags = lduw_kernel(env, base + 0x10, ra);
        for (int i = 0; i < 8; i++) {
            regs[i] = lduw_kernel(env, base + 0x12 + i * 2, ra);
        }
        for (int i = 0; i < 4; i++) {
            segs[seg_order32[i]] = lduw_kernel(env, base + 0x22 + i * 2, ra);
        }
        ldt = lduw_kernel(env, base + 0x2a, ra);
    }
    /* the current task: not busy any more after jmp and iret */
    if (source == TASK_JMP || source == TASK_IRET) {
        set_tss_busy(env, env->tr.selector, false, ra);
    }
    if (source == TASK_IRET) {
        old_flags &= ~EFLAGS_NT;
    }
    if (old32) {
        stl_kernel(env, old_base + 0x20, next_eip, ra);
        stl_kernel(env, old_base + 0x24, old_flags, ra);
        for (int i = 0; i < 8; i++) {
            stl_kernel(env, old_base + 0x28 + i * 4, env->regs[i], ra);
        }
        for (int i = 0; i < 6; i++) {
            stw_kernel(env, old_base + 0x48 + i * 4,
                       env->segs[seg_order32[i]].selector, ra);
        }
    } else {
        stw_kernel(env, old_base + 0x0e, next_eip, ra);
        stw_kernel(env, old_base + 0x10, old_flags, ra);
        for (int i = 0; i < 8; i++) {
            stw_kernel(env, old_base + 0x12 + i * 2, env->regs[i], ra);
        }
        for (int i = 0; i < 4; i++) {
            stw_kernel(env, old_base + 0x22 + i * 2,
                       env->segs[seg_order32[i]].selector, ra);
        }
    }
    /* a call or an interrupt links the new task back to this one */
    link = env->tr.selector;
    if (source == TASK_CALL || source == TASK_INT) {
        stw_kernel(env, base, link, ra);
        eflags |= EFLAGS_NT;
    }
    if (source != TASK_IRET) {
        set_tss_busy(env, selector, true, ra);
        e2 |= 2 << DESC_TYPE_SHIFT;
    }
    load_seg_cache(&env->tr, selector, e1, e2);
    env->cr[0] |= CR0_TS_MASK;
    if (new32 && (env->cr[0] & CR0_PG_MASK) && cr3 != env->cr[3]) {
        env->cr[3] = cr3;
        tlb_flush(env_cpu(env));
    }
    /* the new task's registers; a 16-bit TSS leaves the upper halves */
    x86_cpu_set_eflags(env, new32 ? eflags
                                  : (old_flags & ~0xffffu) | eflags);
    env->rip = eip;
    for (int i = 0; i < 8; i++) {
        env->regs[i] = new32 ? regs[i]
                             : (env->regs[i] & ~0xffffull) | regs[i];
    }
    /* the selectors first (a fault below shows them), then the checks */
    for (int seg = 0; seg < 6; seg++) {
        env->segs[seg].selector = segs[seg];
    }
    env->ldt.selector = ldt;
    if (eflags & EFLAGS_VM) {
        for (int seg = 0; seg < 6; seg++) {
            env->segs[seg] = (SegmentCache) {
                segs[seg], segs[seg] << 4, 0xffff,
                DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK |
                (seg == R_CS ? DESC_CS_MASK : 0) | (3 << DESC_DPL_SHIFT),
            };
        }
        return trap;
    }
    if (ldt & 4) {
        x86_raise_exception_err(env, EXCP0A_TSS, ldt & 0xfffc, ra);
    }
    if ((ldt & 0xfffc) == 0) {
        env->ldt = (SegmentCache) { .selector = ldt };
    } else {
        uint32_t l1, l2;

        if (!load_descriptor(env, ldt, &l1, &l2, ra) ||
            (l2 & DESC_S_MASK) || ((l2 >> DESC_TYPE_SHIFT) & 15) != 2) {
            x86_raise_exception_err(env, EXCP0A_TSS, ldt & 0xfffc, ra);
        }
        if (!(l2 & DESC_P_MASK)) {
            x86_raise_exception_err(env, EXCP0A_TSS, ldt & 0xfffc, ra);
        }
        load_seg_cache(&env->ldt, ldt, l1, l2);
    }
    cpl = segs[R_CS] & 3;
    /* CS first: its RPL is the new CPL the others are checked at */
    task_load_seg(env, R_CS, segs[R_CS], cpl, ra);
    task_load_seg(env, R_SS, segs[R_SS], cpl, ra);
    for (int seg = 0; seg < 6; seg++) {
        if (seg != R_CS && seg != R_SS) {
            task_load_seg(env, seg, segs[seg], cpl, ra);
        }
    }
    if (eip > env->segs[R_CS].limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    return trap;
}

/* The debug trap of a TSS's T bit: #DB in the new task, before its first
 * instruction, with DR6.BT.  QEMU 7.2 ignores the bit. */
static void task_trap(CPUX86State *env)
{
    env->dr[6] |= DR6_BT;
    x86_raise_exception(env, EXCP01_DB, 0);
}

/* The TSS a task gate (descriptor g1) names: in the GDT, available. */
static void task_gate_target(CPUX86State *env, uint32_t g1, uint32_t *sel,
                             uint32_t *e1, uint32_t *e2, uintptr_t ra)
{
    int type;

    *sel = g1 >> 16;
    if ((*sel & 4) || !load_descriptor(env, *sel, e1, e2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, *sel & 0xfffc, ra);
    }
    type = (*e2 >> DESC_TYPE_SHIFT) & 0x1f;
    if (type != 1 && type != 9) {
        x86_raise_exception_err(env, EXCP0D_GPF, *sel & 0xfffc, ra);
    }
    if (!(*e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, *sel & 0xfffc, ra);
    }
}

/* A far jump or call to a TSS or a task gate (descriptor e1, e2),
 * whose DPL must admit CPL and RPL. */
static void far_task_switch(CPUX86State *env, uint32_t selector,
                            uint32_t e1, uint32_t e2, bool call,
                            uint64_t next_eip, uintptr_t ra)
{
    int cpl = x86_cpl(env), dpl = desc_dpl(e2);
    int type = (e2 >> DESC_TYPE_SHIFT) & 15;

    if (dpl < cpl || dpl < (int)(selector & 3) ||
        (type != 5 && (selector & 4))) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    if (type == 5) {
        task_gate_target(env, e1, &selector, &e1, &e2, ra);
    }
    if (task_switch(env, selector, e1, e2, call ? TASK_CALL : TASK_JMP,
                    next_eip, ra)) {
        task_trap(env);
    }
}

/* ---- far transfers in protected mode ---- */

/* The code segment a far jump or call ends in, checked: its selector
 * and descriptor, the offset, the privilege it runs at. */
typedef struct FarTarget {
    uint32_t selector;
    uint32_t e1, e2;
    uint64_t eip;
    int cpl;
    /* through a call gate: its size (2, 4, or 8 in long mode) and how
     * many stack parameters a call to an inner level copies */
    int gate_size;
    int param_count;
} FarTarget;

/* The checks of the code segment (descriptor e1, e2) itself, for a
 * jump or call straight to it, or through a call gate (which may lead
 * a call to an inner level: DPL <= CPL). */
static void check_code_segment(CPUX86State *env, uint32_t selector,
                               uint32_t e2, bool via_gate, bool call,
                               uintptr_t ra)
{
    int cpl = x86_cpl(env), dpl = desc_dpl(e2), rpl = selector & 3;
    bool ok;

    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK)) {
        ok = false;
    } else if (e2 & DESC_C_MASK) {
        ok = dpl <= cpl;
    } else if (via_gate) {
        ok = call ? dpl <= cpl : dpl == cpl;
    } else {
        ok = rpl <= cpl && dpl == cpl;
    }
    /* long mode's call gates lead only to 64-bit code */
    if (via_gate && (env->efer & EFER_LMA) &&
        (!(e2 & DESC_L_MASK) || (e2 & DESC_B_MASK))) {
        ok = false;
    }
    if (!ok) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
}

/* Through the call gate selector (descriptor g1, g2): its DPL admits
 * CPL and RPL; the target from the gate (the offset's bits 63:32 in
 * the 16-byte gates of long mode). */
static void call_gate_target(CPUX86State *env, uint32_t selector,
                             uint32_t g1, uint32_t g2, bool call,
                             FarTarget *t, uintptr_t ra)
{
    const SegmentCache *table = (selector & 4) ? &env->ldt : &env->gdt;
    bool lma = env->efer & EFER_LMA;
    int cpl = x86_cpl(env), type = (g2 >> DESC_TYPE_SHIFT) & 15;
    int dpl = desc_dpl(g2);
    uint32_t cs = g1 >> 16;

    if (dpl < cpl || dpl < (int)(selector & 3) ||
        (lma && (selector & ~7u) + 15 > table->limit)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(g2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    t->eip = (g2 & 0xffff0000) | (g1 & 0xffff);
    t->gate_size = lma ? 8 : type == 12 ? 4 : 2;
    t->param_count = lma ? 0 : g2 & 0x1f;
    if (lma) {
        uint64_t base = table->base + (selector & ~7u);

        t->eip |= (uint64_t)ldl_kernel(env, base + 8, ra) << 32;
        /* the upper half's type field must be 0 */
        if (ldl_kernel(env, base + 12, ra) & DESC_TYPE_MASK) {
            x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
        }
    } else if (type == 4) {
        t->eip &= 0xffff;
    }
    if ((cs & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    if (!load_descriptor(env, cs, &t->e1, &t->e2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, cs & 0xfffc, ra);
    }
    check_code_segment(env, cs, t->e2, true, call, ra);
    t->selector = cs;
    t->cpl = call && !(t->e2 & DESC_C_MASK) ? desc_dpl(t->e2) : cpl;
}

/*
 * Where a far jump or call to selector:eip goes: a code segment, or
 * through a call gate (of 16 or 32 bits, 64 in long mode); false when
 * it was a TSS or a task gate, whose task switch is done.
 */
static bool far_target(CPUX86State *env, uint32_t selector, uint64_t eip,
                       bool call, uint64_t next_eip, FarTarget *t,
                       uintptr_t ra)
{
    bool lma = env->efer & EFER_LMA;
    uint32_t e1, e2;
    int type;

    selector &= 0xffff;
    if ((selector & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    if (!load_descriptor(env, selector, &e1, &e2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    *t = (FarTarget) { .selector = selector, .e1 = e1, .e2 = e2,
                       .eip = eip, .cpl = x86_cpl(env) };
    type = (e2 >> DESC_TYPE_SHIFT) & 15;
    if (e2 & DESC_S_MASK) {
        check_code_segment(env, selector, e2, false, call, ra);
    } else if (type == 12 || (type == 4 && !lma)) {
        call_gate_target(env, selector, e1, e2, call, t, ra);
    } else if (!lma && (type == 5 || type == 1 || type == 9)) {
        far_task_switch(env, selector, e1, e2, call, next_eip, ra);
        return false;
    } else {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    /* the offset: within the limit, canonical in 64-bit code */
    if ((t->e2 & DESC_L_MASK) && lma) {
        if (!x86_is_canonical(t->eip)) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
    } else if (t->eip > desc_limit(t->e1, t->e2)) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    return true;
}

static void load_cs(CPUX86State *env, uint32_t selector, uint32_t e1,
                    uint32_t e2, int cpl, uint64_t eip)
{
    load_seg_cache(&env->segs[R_CS], (selector & 0xfffc) | cpl, e1, e2);
    env->rip = eip;
}

/* Ends a far transfer in target t (with CS's accessed bit set). */
static void enter_target(CPUX86State *env, FarTarget *t, uintptr_t ra)
{
    set_accessed(env, t->selector, &t->e2, ra);
    load_cs(env, t->selector, t->e1, t->e2, t->cpl, t->eip);
}

void helper_ljmp_protected(CPUX86State *env, uint32_t selector,
                           uint64_t eip, uint64_t next_eip)
{
    uintptr_t ra = GETPC();
    FarTarget t;

    if (far_target(env, selector, eip, false, next_eip, &t, ra)) {
        enter_target(env, &t, ra);
    }
}

/* A far call to an inner level through a call gate of protected mode:
 * SS:ESP from the TSS, the caller's SS:ESP, param_count parameters
 * copied from its stack, CS:EIP, in slots of the gate's size. */
static void call_gate_inner(CPUX86State *env, FarTarget *t,
                            uint64_t next_eip, uintptr_t ra)
{
    X86Stack old = current_stack(env, ra), st;
    SegmentCache ssc;
    uint32_t esp;
    bool wide = t->gate_size == 4;

    inner_stack_from_tss(env, t->cpl, &ssc, &esp, ra);
    st = stack_of(env, &ssc, esp, t->cpl, ra);
    stack_push(&st, wide, env->segs[R_SS].selector);
    stack_push(&st, wide, env->regs[R_ESP]);
    /* the deepest parameter first: they keep their order */
    for (int i = t->param_count - 1; i >= 0; i--) {
        X86Stack param = old;

        param.sp += i * t->gate_size;
        stack_push(&st, wide, stack_pop(&param, wide));
    }
    stack_push(&st, wide, env->segs[R_CS].selector);
    stack_push(&st, wide, next_eip);
    env->segs[R_SS] = ssc;
    stack_commit(env, &st);
}

/* The same in long mode: RSP of the level from the 64-bit TSS, a null
 * SS, 8-byte slots, no parameters. */
static void call_gate_inner64(CPUX86State *env, FarTarget *t,
                              uint64_t next_eip, uintptr_t ra)
{
    uint64_t sp = ldq_kernel(env, env->tr.base + 4 + t->cpl * 8, ra);
    int mmu_idx = long_stack_idx(t->cpl);

    push64(env, &sp, env->segs[R_SS].selector, mmu_idx, ra);
    push64(env, &sp, env->regs[R_ESP], mmu_idx, ra);
    push64(env, &sp, env->segs[R_CS].selector, mmu_idx, ra);
    push64(env, &sp, next_eip, mmu_idx, ra);
    load_null_ss(env, t->cpl);
    env->regs[R_ESP] = sp;
}

void helper_lcall_protected(CPUX86State *env, uint32_t selector,
                            uint64_t eip, uint32_t dflag, uint64_t next_eip)
{
    uintptr_t ra = GETPC();
    FarTarget t;
    int size;

    if (!far_target(env, selector, eip, true, next_eip, &t, ra)) {
        return;
    }
    size = t.gate_size ? t.gate_size : 1 << dflag;
    if (t.cpl < x86_cpl(env)) {
        if (env->efer & EFER_LMA) {
            call_gate_inner64(env, &t, next_eip, ra);
        } else {
            call_gate_inner(env, &t, next_eip, ra);
        }
    } else if (x86_code64(env) || t.gate_size == 8) {
        /* 64-bit stack: slots of the operand (or gate) size */
        uint64_t sp = env->regs[R_ESP];
        int mmu_idx = long_stack_idx(x86_cpl(env));

        push_long(env, &sp, env->segs[R_CS].selector, size, mmu_idx, ra);
        push_long(env, &sp, next_eip, size, mmu_idx, ra);
        env->regs[R_ESP] = sp;
    } else {
        X86Stack st = current_stack(env, ra);

        stack_push(&st, size == 4, env->segs[R_CS].selector);
        stack_push(&st, size == 4, next_eip);
        stack_commit(env, &st);
    }
    enter_target(env, &t, ra);
}

/* Data segments the new privilege may not see are nulled on a return
 * to an outer level. */
static void validate_seg(CPUX86State *env, int seg, int cpl)
{
    uint32_t flags = env->segs[seg].flags;

    if ((env->segs[seg].selector & 0xfffc) == 0) {
        return;
    }
    if ((!(flags & DESC_CS_MASK) || !(flags & DESC_C_MASK)) &&
        desc_dpl(flags) < cpl) {
        env->segs[seg] = (SegmentCache) { 0 };
    }
}

/*
 * The common tail of lret and iret in protected mode: st has popped eip,
 * cs (and for iret eflags); returns to selector:eip at the same or an
 * outer privilege level (then popping esp and ss).
 */
static void return_far(CPUX86State *env, X86Stack *st, bool wide,
                       uint32_t selector, uint32_t eip, uint32_t addend,
                       uintptr_t ra)
{
    int cpl = x86_cpl(env), rpl = selector & 3, dpl;
    uint32_t e1, e2;

    if ((selector & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    if (!load_descriptor(env, selector, &e1, &e2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    dpl = desc_dpl(e2);
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || rpl < cpl ||
        ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    st->sp += addend;
    if (rpl == cpl) {
        stack_commit(env, st);
        load_cs(env, selector, e1, e2, rpl, eip);
        return;
    }
    /* To an outer level: its stack comes off this one. */
    {
        uint32_t new_esp = stack_pop(st, wide);
        uint32_t new_ss = stack_pop(st, wide) & 0xffff;
        uint32_t s1, s2;

        if ((new_ss & 0xfffc) == 0 ||
            !load_stack_descriptor(env, new_ss, rpl, &s1, &s2, ra)) {
            x86_raise_exception_err(env, EXCP0D_GPF, new_ss & 0xfffc, ra);
        }
        if (!(s2 & DESC_P_MASK)) {
            x86_raise_exception_err(env, EXCP0B_NOSEG, new_ss & 0xfffc, ra);
        }
        set_accessed(env, new_ss, &s2, ra);
        load_cs(env, selector, e1, e2, rpl, eip);
        load_seg_cache(&env->segs[R_SS], new_ss, s1, s2);
        env->regs[R_ESP] = (s2 & DESC_B_MASK) ? new_esp + addend
                           : (env->regs[R_ESP] & ~0xffffull) |
                             ((new_esp + addend) & 0xffff);
        for (int seg = R_ES; seg <= R_GS; seg++) {
            if (seg != R_CS && seg != R_SS) {
                validate_seg(env, seg, rpl);
            }
        }
    }
}

static void lret64(CPUX86State *env, MemOp dflag, uint32_t addend,
                   uintptr_t ra);

void helper_lret_protected(CPUX86State *env, uint32_t dflag,
                           uint32_t addend)
{
    uintptr_t ra = GETPC();
    bool wide = dflag == MO_32;

    if (x86_code64(env)) {
        lret64(env, dflag, addend, ra);
        return;
    }
    X86Stack st = current_stack(env, ra);
    uint32_t eip = stack_pop(&st, wide);
    uint32_t selector = stack_pop(&st, wide) & 0xffff;

    return_far(env, &st, wide, selector, eip, addend, ra);
}

/* The EFLAGS bits iret and interrupt returns may change at cpl. */
static uint32_t iret_flags_mask(CPUX86State *env, int cpl, bool wide)
{
    uint32_t mask = EFLAGS_CC_MASK | EFLAGS_TF | EFLAGS_DF | EFLAGS_NT |
                    EFLAGS_RF | EFLAGS_AC | EFLAGS_ID;
    int iopl = (env->rflags & EFLAGS_IOPL) >> EFLAGS_IOPL_SHIFT;

    if (cpl == 0) {
        mask |= EFLAGS_IOPL | EFLAGS_VIF | EFLAGS_VIP;
    }
    if (cpl <= iopl) {
        mask |= EFLAGS_IF;
    }
    return wide ? mask : mask & 0xffff;
}

static void write_eflags_masked(CPUX86State *env, uint32_t value,
                                uint32_t mask)
{
    uint64_t f = x86_cpu_get_eflags(env);

    x86_cpu_set_eflags(env, (f & ~(uint64_t)mask) | (value & mask));
}

void helper_iret_real(CPUX86State *env, uint32_t dflag)
{
    uintptr_t ra = GETPC();
    bool wide = dflag == MO_32;
    bool vm86 = env->rflags & EFLAGS_VM;
    X86Stack st = current_stack(env, ra);
    uint32_t eip = stack_pop(&st, wide);
    uint32_t selector = stack_pop(&st, wide) & 0xffff;
    uint32_t flags = stack_pop(&st, wide);
    uint32_t mask = EFLAGS_CC_MASK | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF |
                    EFLAGS_NT | (vm86 ? 0 : EFLAGS_IOPL) |
                    (wide ? EFLAGS_RF | EFLAGS_AC | EFLAGS_ID : 0);

    stack_commit(env, &st);
    env->segs[R_CS].selector = selector;
    env->segs[R_CS].base = selector << 4;
    env->rip = wide ? eip : eip & 0xffff;
    write_eflags_masked(env, flags, wide ? mask : mask & 0xffff);
    env->excp.old_exception = -1;
    env->nmi_masked = false;     /* iret ends NMI blocking */
}

/* iret from protected mode back to virtual-8086 mode. */
static void iret_to_vm86(CPUX86State *env, X86Stack *st, uint32_t eip,
                         uint32_t selector, uint32_t flags)
{
    static const int segs[] = { R_ES, R_DS, R_FS, R_GS };
    uint32_t new_esp = stack_pop(st, true);
    uint32_t new_ss = stack_pop(st, true) & 0xffff;
    uint32_t sel[4];

    for (int i = 0; i < 4; i++) {
        sel[i] = stack_pop(st, true) & 0xffff;
    }
    x86_cpu_set_eflags(env, flags);
    env->rip = eip & 0xffff;
    env->regs[R_ESP] = new_esp;
    for (int i = 0; i < 4; i++) {
        env->segs[segs[i]] = (SegmentCache) {
            sel[i], sel[i] << 4, 0xffff,
            DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK |
            (3 << DESC_DPL_SHIFT),
        };
    }
    env->segs[R_CS] = (SegmentCache) {
        selector, selector << 4, 0xffff,
        DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK |
        DESC_A_MASK | (3 << DESC_DPL_SHIFT),
    };
    env->segs[R_SS] = (SegmentCache) {
        new_ss, new_ss << 4, 0xffff,
        DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK |
        (3 << DESC_DPL_SHIFT),
    };
}

static void iret64(CPUX86State *env, MemOp dflag, uintptr_t ra);

void helper_iret_protected(CPUX86State *env, uint32_t dflag,
                           uint32_t next_eip)
{
    uintptr_t ra = GETPC();

    if (x86_code64(env)) {
        iret64(env, dflag, ra);
        return;
    }
    bool wide = dflag == MO_32;
    int cpl = x86_cpl(env);
    X86Stack st = current_stack(env, ra);
    uint32_t eip, selector, flags;


    if (env->rflags & EFLAGS_NT) {
        /* back to the task this one's TSS links to: a busy TSS */
        uint32_t link = lduw_kernel(env, env->tr.base, ra), e1, e2, type;
        bool trap;

        if ((link & 4) || !load_descriptor(env, link, &e1, &e2, ra)) {
            x86_raise_exception_err(env, EXCP0A_TSS, link & 0xfffc, ra);
        }
        type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
        if (type != 3 && type != 11) {
            x86_raise_exception_err(env, EXCP0A_TSS, link & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            x86_raise_exception_err(env, EXCP0B_NOSEG, link & 0xfffc, ra);
        }
        trap = task_switch(env, link, e1, e2, TASK_IRET, next_eip, ra);
        env->excp.old_exception = -1;
        env->nmi_masked = false;
        if (trap) {
            task_trap(env);
        }
        return;
    }
    eip = stack_pop(&st, wide);
    selector = stack_pop(&st, wide) & 0xffff;
    flags = stack_pop(&st, wide);
    if ((flags & EFLAGS_VM) && cpl == 0 && wide) {
        iret_to_vm86(env, &st, eip, selector, flags);
        env->excp.old_exception = -1;
        env->nmi_masked = false;
        return;
    }
    /* The privilege decides which flags change: take them before CS. */
    {
        uint32_t mask = iret_flags_mask(env, cpl, wide);

        return_far(env, &st, wide, selector, eip, 0, ra);
        write_eflags_masked(env, flags, mask);
    }
    env->excp.old_exception = -1;
    env->nmi_masked = false;     /* iret ends NMI blocking */
}

/* ---- lar, lsl, verr, verw ---- */

/* The system descriptor types lar (and, fewer, lsl) see: LDT, TSSs,
 * and for lar the gates; long mode has only its 64-bit ones. */
static bool system_type_visible(CPUX86State *env, int type, uint32_t op)
{
    static const uint16_t lar_legacy = 0x1a3e, lsl_legacy = 0x0a0e;
    static const uint16_t lar_long = 0x1a04, lsl_long = 0x0a04;
    bool lma = env->efer & EFER_LMA;
    uint16_t set = op == SEL_LAR ? (lma ? lar_long : lar_legacy)
                                 : (lma ? lsl_long : lsl_legacy);

    return set & (1u << type);
}

void helper_check_selector(CPUX86State *env, uint32_t selector, uint32_t op,
                           uint32_t reg_ot)
{
    uint64_t flags = x86_cpu_get_eflags(env) & ~(uint64_t)EFLAGS_ZF;
    uint32_t e1, e2;
    bool ok = false;

    selector &= 0xffff;
    if ((selector & 0xfffc) && load_descriptor(env, selector, &e1, &e2,
                                               GETPC())) {
        int dpl = desc_dpl(e2), cpl = x86_cpl(env);
        bool visible = dpl >= cpl && dpl >= (int)(selector & 3);
        bool code = e2 & DESC_CS_MASK;

        if (!(e2 & DESC_S_MASK)) {
            ok = (op == SEL_LAR || op == SEL_LSL) && visible &&
                 system_type_visible(env, (e2 >> DESC_TYPE_SHIFT) & 15, op);
        } else if (op == SEL_VERW) {
            ok = !code && (e2 & DESC_W_MASK) && visible;
        } else {
            /* conforming code is visible from any level */
            ok = (visible || (code && (e2 & DESC_C_MASK))) &&
                 (op != SEL_VERR || !code || (e2 & DESC_R_MASK));
        }
    }
    if (ok && (op == SEL_LAR || op == SEL_LSL)) {
        uint64_t v = op == SEL_LAR ? e2 & 0x00f0ff00 : desc_limit(e1, e2);
        uint64_t *reg = &env->regs[reg_ot & 15];

        *reg = (reg_ot >> 4) == MO_16 ? (*reg & ~0xffffull) | (v & 0xffff)
                                      : v;
    }
    x86_cpu_set_eflags(env, flags | (ok ? EFLAGS_ZF : 0));
}

/* ---- exceptions and interrupts ---- */

/* Whether the vector pushes an error code when it is an exception. */
static bool excp_has_error_code(int intno)
{
    switch (intno) {
    case EXCP08_DBLE:
    case EXCP0A_TSS:
    case EXCP0B_NOSEG:
    case EXCP0C_STACK:
    case EXCP0D_GPF:
    case EXCP0E_PAGE:
    case EXCP11_ALGN:
        return true;
    default:
        return false;
    }
}

static void do_interrupt_real(CPUX86State *env, int intno, bool is_int,
                              uint32_t next_eip)
{
    X86Stack st = current_stack(env, 0);
    uint32_t offset, selector;

    if ((uint32_t)intno * 4 + 3 > env->idt.limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2, 0);
    }
    offset = cpu_lduw_mmuidx_ra(env_cpu(env), env->idt.base + intno * 4,
                                X86_MMU_IDX_KERNEL, 0);
    selector = cpu_lduw_mmuidx_ra(env_cpu(env),
                                  env->idt.base + intno * 4 + 2,
                                  X86_MMU_IDX_KERNEL, 0);
    stack_push(&st, false, x86_cpu_get_eflags(env));
    stack_push(&st, false, env->segs[R_CS].selector);
    stack_push(&st, false, is_int ? next_eip : env->rip);
    stack_commit(env, &st);
    env->rflags &= ~(uint64_t)(EFLAGS_IF | EFLAGS_TF | EFLAGS_AC |
                               EFLAGS_RF);
    env->segs[R_CS].selector = selector;
    env->segs[R_CS].base = selector << 4;
    env->rip = offset;
}

static void do_interrupt_protected(CPUX86State *env, int intno, bool is_int,
                                   bool has_error, uint32_t error_code,
                                   uint32_t next_eip, bool is_hw)
{
    int cpl = x86_cpl(env), dpl, type, new_cpl;
    bool vm86 = env->rflags & EFLAGS_VM, wide;
    uint32_t e1, e2, selector, offset, c1, c2, gate_err = intno * 8 + 2;
    uint32_t old_flags = x86_cpu_get_eflags(env);
    uint32_t old_esp = env->regs[R_ESP], old_ss = env->segs[R_SS].selector;
    X86Stack st;
    bool trap;

    if ((uint32_t)intno * 8 + 7 > env->idt.limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, gate_err, 0);
    }
    e1 = ldl_kernel(env, env->idt.base + intno * 8, 0);
    e2 = ldl_kernel(env, env->idt.base + intno * 8 + 4, 0);
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    switch (type) {
    case 6:                      /* 16-bit interrupt and trap gates */
    case 7:
    case 14:                     /* 32-bit */
    case 15:
        break;
    case 5:
        break;
    default:
        x86_raise_exception_err(env, EXCP0D_GPF, gate_err, 0);
    }
    dpl = desc_dpl(e2);
    if (is_int && dpl < cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, gate_err, 0);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, gate_err, 0);
    }
    if (type == 5) {
        /* a task gate: the handler is a task of its own; the error code
         * goes on its stack */
        task_gate_target(env, e1, &selector, &c1, &c2, 0);
        trap = task_switch(env, selector, c1, c2, TASK_INT,
                           is_int ? next_eip : env->rip, 0);
        if (has_error) {
            st = current_stack(env, 0);
            stack_push(&st, (c2 >> DESC_TYPE_SHIFT) & 8, error_code);
            stack_commit(env, &st);
        }
        if (trap) {
            task_trap(env);
        }
        return;
    }
    selector = e1 >> 16;
    offset = (e2 & 0xffff0000) | (e1 & 0xffff);
    if ((selector & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, 0);
    }
    if (!load_descriptor(env, selector, &c1, &c2, 0) ||
        !(c2 & DESC_S_MASK) || !(c2 & DESC_CS_MASK)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, 0);
    }
    dpl = desc_dpl(c2);
    if (dpl > cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, 0);
    }
    if (!(c2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, 0);
    }
    wide = type & 8;
    if (!(c2 & DESC_C_MASK) && dpl < cpl) {
        /* To an inner level: the stack of that level, from the TSS. */
        SegmentCache ssc;
        uint32_t esp;

        inner_stack_from_tss(env, dpl, &ssc, &esp, 0);
        new_cpl = dpl;
        st = stack_of(env, &ssc, esp, new_cpl, 0);
        if (vm86) {
            stack_push(&st, wide, env->segs[R_GS].selector);
            stack_push(&st, wide, env->segs[R_FS].selector);
            stack_push(&st, wide, env->segs[R_DS].selector);
            stack_push(&st, wide, env->segs[R_ES].selector);
        }
        stack_push(&st, wide, old_ss);
        stack_push(&st, wide, old_esp);
        stack_push(&st, wide, old_flags);
        stack_push(&st, wide, env->segs[R_CS].selector);
        stack_push(&st, wide, is_int ? next_eip : env->rip);
        if (has_error) {
            stack_push(&st, wide, error_code);
        }
        env->segs[R_SS] = ssc;
        stack_commit(env, &st);
        if (vm86) {
            for (int seg = R_ES; seg <= R_GS; seg++) {
                if (seg != R_CS && seg != R_SS) {
                    env->segs[seg] = (SegmentCache) { 0 };
                }
            }
        }
    } else {
        if (vm86) {
            x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, 0);
        }
        new_cpl = cpl;
        st = current_stack(env, 0);
        stack_push(&st, wide, old_flags);
        stack_push(&st, wide, env->segs[R_CS].selector);
        stack_push(&st, wide, is_int ? next_eip : env->rip);
        if (has_error) {
            stack_push(&st, wide, error_code);
        }
        stack_commit(env, &st);
    }
    env->rflags &= ~(uint64_t)(EFLAGS_TF | EFLAGS_VM | EFLAGS_RF |
                               EFLAGS_NT);
    if (!(type & 1)) {
        env->rflags &= ~(uint64_t)EFLAGS_IF;   /* interrupt gate */
    }
    set_accessed(env, selector, &c2, 0);
    load_cs(env, selector, c1, c2, new_cpl, wide ? offset : offset & 0xffff);
}

/* ---- long mode ---- */

/* Through a 16-byte IDT entry: a 64-bit interrupt or trap gate to a
 * 64-bit code segment; the stack is the IST one the gate names, else
 * RSP0-2 from the 64-bit TSS for an inner level, else the current one,
 * aligned to 16 bytes; SS:RSP, RFLAGS, CS:RIP (and the error code) are
 * pushed in 8-byte slots. */
static void do_interrupt64(CPUX86State *env, int intno, bool is_int,
                           bool has_error, uint32_t error_code,
                           uint64_t next_eip)
{
    int cpl = x86_cpl(env), dpl, type, ist, new_cpl;
    uint32_t e1, e2, e3, c1, c2, selector, gate_err = intno * 8 + 2;
    uint64_t offset, sp, old_flags = x86_cpu_get_eflags(env);
    uint64_t old_sp = env->regs[R_ESP];
    uint32_t old_ss = env->segs[R_SS].selector;
    uint64_t idt = env->idt.base + intno * 16;

    if ((uint32_t)intno * 16 + 15 > env->idt.limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, gate_err, 0);
    }
    e1 = ldl_kernel(env, idt, 0);
    e2 = ldl_kernel(env, idt + 4, 0);
    e3 = ldl_kernel(env, idt + 8, 0);
    type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    if (type != 14 && type != 15) {
        x86_raise_exception_err(env, EXCP0D_GPF, gate_err, 0);
    }
    dpl = desc_dpl(e2);
    if (is_int && dpl < cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, gate_err, 0);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, gate_err, 0);
    }
    selector = e1 >> 16;
    offset = ((uint64_t)e3 << 32) | (e2 & 0xffff0000) | (e1 & 0xffff);
    ist = e2 & 7;
    if ((selector & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, 0);
    }
    if (!load_descriptor(env, selector, &c1, &c2, 0) ||
        !(c2 & DESC_S_MASK) || !(c2 & DESC_CS_MASK) ||
        !(c2 & DESC_L_MASK) || (c2 & DESC_B_MASK) || desc_dpl(c2) > cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, 0);
    }
    if (!(c2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, 0);
    }
    new_cpl = (c2 & DESC_C_MASK) ? cpl : desc_dpl(c2);
    if (ist) {
        sp = ldq_kernel(env, env->tr.base + 0x1c + ist * 8, 0);
    } else if (new_cpl < cpl) {
        sp = ldq_kernel(env, env->tr.base + 4 + new_cpl * 8, 0);
    } else {
        sp = old_sp;
    }
    sp &= ~0xfull;
    {
        int mmu_idx = long_stack_idx(new_cpl);

        push64(env, &sp, old_ss, mmu_idx, 0);
        push64(env, &sp, old_sp, mmu_idx, 0);
        push64(env, &sp, old_flags, mmu_idx, 0);
        push64(env, &sp, env->segs[R_CS].selector, mmu_idx, 0);
        push64(env, &sp, is_int ? next_eip : env->rip, mmu_idx, 0);
        if (has_error) {
            push64(env, &sp, error_code, mmu_idx, 0);
        }
    }
    env->regs[R_ESP] = sp;
    if (new_cpl < cpl) {
        load_null_ss(env, new_cpl);
    }
    env->rflags &= ~(uint64_t)(EFLAGS_TF | EFLAGS_VM | EFLAGS_RF |
                               EFLAGS_NT);
    if (!(type & 1)) {
        env->rflags &= ~(uint64_t)EFLAGS_IF;   /* interrupt gate */
    }
    set_accessed(env, selector, &c2, 0);
    load_seg_cache(&env->segs[R_CS], (selector & 0xfffc) | new_cpl, c1, c2);
    env->rip = offset;
}

/* iret in 64-bit mode: RIP, CS, RFLAGS, RSP and SS always come off the
 * stack, in slots of the operand size (8 bytes with REX.W). */
static void iret64(CPUX86State *env, MemOp dflag, uintptr_t ra)
{
    int cpl = x86_cpl(env), rpl, size = 1 << dflag;
    int mmu_idx = long_stack_idx(cpl);
    uint64_t sp = env->regs[R_ESP], rip, flags, new_sp;
    uint32_t selector, ss, e1, e2, s1, s2;

    rip = pop_long(env, &sp, size, mmu_idx, ra);
    selector = pop_long(env, &sp, size, mmu_idx, ra) & 0xffff;
    flags = pop_long(env, &sp, size, mmu_idx, ra);
    new_sp = pop_long(env, &sp, size, mmu_idx, ra);
    ss = pop_long(env, &sp, size, mmu_idx, ra) & 0xffff;
    rpl = selector & 3;
    if ((selector & 0xfffc) == 0 || rpl < cpl ||
        !load_descriptor(env, selector, &e1, &e2, ra) ||
        !(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) ||
        ((e2 & DESC_C_MASK) ? desc_dpl(e2) > rpl : desc_dpl(e2) != rpl)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    if ((ss & 0xfffc) == 0) {
        /* a null SS is allowed back into 64-bit code below CPL 3 */
        if (!(e2 & DESC_L_MASK) || rpl == 3) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
    } else if (!load_stack_descriptor(env, ss, rpl, &s1, &s2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, ss & 0xfffc, ra);
    } else if (!(s2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0C_STACK, ss & 0xfffc, ra);
    }
    /* the flags the old privilege may change, taken before CS changes */
    write_eflags_masked(env, flags, iret_flags_mask(env, cpl, true));
    set_accessed(env, selector, &e2, ra);
    load_seg_cache(&env->segs[R_CS], selector, e1, e2);
    if ((ss & 0xfffc) == 0) {
        load_null_ss(env, rpl);
    } else {
        set_accessed(env, ss, &s2, ra);
        load_seg_cache(&env->segs[R_SS], ss, s1, s2);
    }
    if (rpl > cpl) {
        for (int seg = R_ES; seg <= R_GS; seg++) {
            if (seg != R_CS && seg != R_SS) {
                validate_seg(env, seg, rpl);
            }
        }
    }
    env->rip = (e2 & DESC_L_MASK) ? rip : (uint32_t)rip;
    env->regs[R_ESP] = new_sp;
    env->excp.old_exception = -1;
    env->nmi_masked = false;     /* iret ends NMI blocking */
}

/* lret in 64-bit mode: RIP and CS (in slots of the operand size, 8
 * bytes with REX.W), and SS:RSP too for an outer level. */
static void lret64(CPUX86State *env, MemOp dflag, uint32_t addend,
                   uintptr_t ra)
{
    int cpl = x86_cpl(env), rpl, dpl, size = 1 << dflag;
    int mmu_idx = long_stack_idx(cpl);
    uint64_t sp = env->regs[R_ESP], rip, new_sp;
    uint32_t selector, ss, e1, e2, s1, s2;

    rip = pop_long(env, &sp, size, mmu_idx, ra);
    selector = pop_long(env, &sp, size, mmu_idx, ra) & 0xffff;
    rpl = selector & 3;
    if ((selector & 0xfffc) == 0 ||
        !load_descriptor(env, selector, &e1, &e2, ra)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    dpl = desc_dpl(e2);
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || rpl < cpl ||
        ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl)) {
        x86_raise_exception_err(env, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    sp += addend;
    if (rpl == cpl) {
        env->regs[R_ESP] = sp;
    } else {
        new_sp = pop_long(env, &sp, size, mmu_idx, ra);
        ss = pop_long(env, &sp, size, mmu_idx, ra) & 0xffff;
        if ((ss & 0xfffc) == 0) {
            if (!(e2 & DESC_L_MASK) || rpl == 3) {
                x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
            }
            load_null_ss(env, rpl);
        } else if (!load_stack_descriptor(env, ss, rpl, &s1, &s2, ra)) {
            x86_raise_exception_err(env, EXCP0D_GPF, ss & 0xfffc, ra);
        } else {
            set_accessed(env, ss, &s2, ra);
            load_seg_cache(&env->segs[R_SS], ss, s1, s2);
        }
        env->regs[R_ESP] = new_sp + addend;
        for (int seg = R_ES; seg <= R_GS; seg++) {
            if (seg != R_CS && seg != R_SS) {
                validate_seg(env, seg, rpl);
            }
        }
    }
    set_accessed(env, selector, &e2, ra);
    load_seg_cache(&env->segs[R_CS], selector, e1, e2);
    env->rip = (e2 & DESC_L_MASK) ? rip : (uint32_t)rip;
}

/* A flat code or stack segment of the fast system calls (syscall,
 * sysret, sysenter, sysexit). */
static SegmentCache flat_segment(uint32_t selector, int dpl, uint32_t flags)
{
    return (SegmentCache) {
        .selector = selector, .limit = 0xffffffff,
        .flags = DESC_G_MASK | DESC_P_MASK | DESC_S_MASK | DESC_A_MASK |
                 (dpl << DESC_DPL_SHIFT) | flags,
    };
}

/* syscall: to CPL 0 at LSTAR (CSTAR from compatibility mode), CS and SS
 * from STAR[47:32], RCX = the next RIP, R11 = RFLAGS, RFLAGS &= ~FMASK. */
void helper_syscall(CPUX86State *env, uint32_t next_eip_addend)
{
    uint32_t sel = (env->star >> 32) & 0xfffc;
    bool code64 = env->segs[R_CS].flags & DESC_L_MASK;

    if (!(env->efer & EFER_SCE) || !(env->efer & EFER_LMA)) {
        x86_raise_exception(env, EXCP06_ILLOP, GETPC());
    }
    env->regs[R_ECX] = env->rip + next_eip_addend;
    env->regs[11] = x86_cpu_get_eflags(env);
    x86_cpu_set_eflags(env, env->regs[11] & ~env->fmask & ~(uint64_t)EFLAGS_RF);
    env->segs[R_CS] = flat_segment(sel, 0, DESC_CS_MASK | DESC_R_MASK |
                                           DESC_L_MASK);
    env->segs[R_SS] = flat_segment(sel + 8, 0, DESC_B_MASK | DESC_W_MASK);
    env->rip = code64 ? env->lstar : env->cstar;
}

/* sysret: back to CPL 3 at RCX (64-bit code with REX.W, else
 * compatibility mode at ECX), RFLAGS = R11, CS and SS from STAR[63:48]. */
void helper_sysret(CPUX86State *env, uint32_t dflag)
{
    uint32_t sel = (env->star >> 48) & 0xffff;
    bool to64 = dflag == MO_64;

    if (!(env->efer & EFER_SCE) || !(env->efer & EFER_LMA)) {
        x86_raise_exception(env, EXCP06_ILLOP, GETPC());
    }
    if (x86_cpl(env) != 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    x86_cpu_set_eflags(env, (env->regs[11] & ~(uint64_t)(EFLAGS_RF |
                                                         EFLAGS_VM)) |
                            EFLAGS_FIXED);
    env->segs[R_CS] = flat_segment(((to64 ? sel + 16 : sel) & 0xfffc) | 3, 3,
                                   DESC_CS_MASK | DESC_R_MASK |
                                   (to64 ? DESC_L_MASK : DESC_B_MASK));
    env->segs[R_SS] = flat_segment(((sel + 8) & 0xfffc) | 3, 3,
                                   DESC_B_MASK | DESC_W_MASK);
    env->rip = to64 ? env->regs[R_ECX] : (uint32_t)env->regs[R_ECX];
}

/* AMD's CPUs have no sysenter/sysexit in long mode (#UD), as QEMU's
 * AMD models: sysenter from 64-bit code, sysexit in long mode. */
static bool sysenter_ud(CPUX86State *env, bool enter)
{
    if (!(env->efer & EFER_LMA) || !x86_cpu_is_amd(env)) {
        return false;
    }
    return !enter || (env->segs[R_CS].flags & DESC_L_MASK);
}

/* sysenter: to CPL 0 at SYSENTER_CS:SYSENTER_EIP with the stack
 * SYSENTER_CS + 8:SYSENTER_ESP (64-bit code in long mode). */
void helper_sysenter(CPUX86State *env)
{
    uint32_t cs = env->sysenter_cs & 0xfffc;
    bool lma = env->efer & EFER_LMA;

    if (sysenter_ud(env, true)) {
        x86_raise_exception(env, EXCP06_ILLOP, GETPC());
    }
    if (!(env->cr[0] & CR0_PE_MASK) || cs == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    x86_cpu_set_eflags(env, x86_cpu_get_eflags(env) &
                            ~(uint64_t)(EFLAGS_VM | EFLAGS_IF | EFLAGS_RF));
    env->segs[R_CS] = flat_segment(cs, 0, DESC_CS_MASK | DESC_R_MASK |
                                          (lma ? DESC_L_MASK : DESC_B_MASK));
    env->segs[R_SS] = flat_segment(cs + 8, 0, DESC_B_MASK | DESC_W_MASK);
    env->regs[R_ESP] = lma ? env->sysenter_esp : (uint32_t)env->sysenter_esp;
    env->rip = lma ? env->sysenter_eip : (uint32_t)env->sysenter_eip;
}

/* sysexit: to CPL 3 at EDX with the stack ECX; CS SYSENTER_CS + 16
 * and SS + 24, or with REX.W 64-bit code at CS + 32 and SS + 40. */
void helper_sysexit(CPUX86State *env, uint32_t dflag)
{
    uint32_t cs = env->sysenter_cs & 0xfffc;
    bool to64 = dflag == MO_64;

    if (sysenter_ud(env, false)) {
        x86_raise_exception(env, EXCP06_ILLOP, GETPC());
    }
    if (!(env->cr[0] & CR0_PE_MASK) || cs == 0 || x86_cpl(env) != 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    env->segs[R_CS] = flat_segment(((cs + (to64 ? 32 : 16)) & 0xfffc) | 3, 3,
                                   DESC_CS_MASK | DESC_R_MASK |
                                   (to64 ? DESC_L_MASK : DESC_B_MASK));
    env->segs[R_SS] = flat_segment(((cs + (to64 ? 40 : 24)) & 0xfffc) | 3, 3,
                                   DESC_B_MASK | DESC_W_MASK);
    env->regs[R_ESP] = to64 ? env->regs[R_ECX] : (uint32_t)env->regs[R_ECX];
    env->rip = to64 ? env->regs[R_EDX] : (uint32_t)env->regs[R_EDX];
}

/* Exceptions while delivering one: #DF, or a triple fault. */
static int check_exception(CPUX86State *env, int intno, uint32_t *error_code)
{
    int old = env->excp.old_exception;
    bool old_contributory = old == EXCP00_DIVZ ||
                            (old >= EXCP0A_TSS && old <= EXCP0D_GPF);
    bool contributory = intno == EXCP00_DIVZ ||
                        (intno >= EXCP0A_TSS && intno <= EXCP0D_GPF);

    if (old == EXCP08_DBLE) {
        return -1;
    }
    if ((old_contributory && contributory) ||
        (old == EXCP0E_PAGE && (contributory || intno == EXCP0E_PAGE))) {
        *error_code = 0;
        return EXCP08_DBLE;
    }
    return intno;
}

static void triple_fault(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);

    emu_log_mask(LOG_INT, "x86: triple fault\n");
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    /* Nothing more runs until the reset. */
    env->excp.old_exception = -1;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

/* Delivers vector intno (an exception, int n, or a hardware interrupt
 * when is_hw). */
static void do_interrupt_all(CPUX86State *env, int intno, bool is_int,
                             uint32_t error_code, uint64_t next_eip,
                             bool is_hw)
{
    bool has_error;

    emu_log_mask(LOG_INT, "x86: %s 0x%02x at %04x:%08" PRIx64 "\n",
                 is_hw ? "interrupt" : is_int ? "int" : "exception", intno,
                 env->segs[R_CS].selector, env->rip);
    if (!is_int && !is_hw) {
        intno = check_exception(env, intno, &error_code);
        if (intno < 0) {
            triple_fault(env);
        }
        env->excp.old_exception = intno;
    }
    /* Only an exception pushes an error code (a #DF raised while
     * delivering one too): an external interrupt or INT n on the same
     * vector (ISOLINUX takes IRQ 0 on vector 8) pushes none. */
    has_error = !is_int && !is_hw && excp_has_error_code(intno);
    env->interrupt_shadow = 0;
    if (env->efer & EFER_LMA) {
        do_interrupt64(env, intno, is_int, has_error, error_code, next_eip);
    } else if (env->cr[0] & CR0_PE_MASK) {
        do_interrupt_protected(env, intno, is_int, has_error, error_code,
                               next_eip, is_hw);
    } else {
        do_interrupt_real(env, intno, is_int, next_eip);
    }
    if (intno == EXCP01_DB && !is_int && !is_hw) {
        /* the #DB handler may use the debug registers (general detect) */
        env->dr[7] &= ~(uint64_t)DR7_GD;
    }
    env->excp.old_exception = -1;
}

void x86_cpu_do_interrupt(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    do_interrupt_all(env, cs->exception_index, env->excp.is_int,
                     env->excp.error_code, env->excp.next_eip, false);
}

/* A hardware interrupt with vector intno (from the interrupt controller),
 * taken between instructions. */
void x86_do_hw_interrupt(CPUX86State *env, int intno)
{
    do_interrupt_all(env, intno, false, 0, 0, true);
}
