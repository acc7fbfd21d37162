/*
 * The x87 and SSE instructions that are about the state rather than
 * computing: the #NM/#MF/#UD checks, fninit and fnclex, the control
 * word, fnstenv/fldenv/fnsave/frstor in their four layouts,
 * fxsave/fxrstor and ldmxcsr.  Everything that computes runs on the host
 * (host_exec.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/irq.h"
#include "sysemu/main-loop.h"
#include "target/i386/fpu.h"

static int mmu_idx(CPUX86State *env)
{
    return x86_cpl(env) == 3 ? X86_MMU_IDX_USER : X86_MMU_IDX_KERNEL;
}

void helper_maskmov_store(CPUX86State *env, uint64_t addr, uint32_t ctl)
{
    int reg = ctl & 15, n = (ctl & MASKMOV_XMM) ? 16 : 8;
    /* an MMX register is the mantissa of its physical x87 register */
    const uint8_t *mask = (ctl & MASKMOV_XMM)
        ? (const uint8_t *)env->fx.xmm[reg]
        : (const uint8_t *)&env->fx.st[x86_st_of_fpreg(&env->fx, reg)][0];
    bool code64 = x86_code64(env);

    for (int i = 0; i < n; i++) {
        if (mask[i] & 0x80) {
            uint64_t at = code64 ? addr + i : (uint32_t)(addr + i);

            cpu_stb_mmuidx_ra(env_cpu(env), at, env->hx_mem[i],
                              mmu_idx(env), GETPC());
        }
    }
}

#define FSW_ES 0x80

/*
 * MS-DOS compatibility mode (CR0.NE clear, cpu.h's X86_CPU_IGNNE): a
 * waiting instruction with ES set asserts FERR# and freezes before it
 * runs, as the SDM says, until an interrupt comes; the handler (IRQ 13
 * on a PC) returns to it, and it runs once ES is clear or IGNNE# is
 * high.  The freeze is a halt at the instruction (only an interrupt the
 * CPU takes ends it, as on hardware).  Without IGNNE# or a board that
 * listens to FERR#, the error is ignored.
 */
static void fpu_error_pin(CPUX86State *env, uintptr_t ra)
{
    X86CPU *cpu = env_archcpu(env);
    CPUState *cs = env_cpu(env);

    if (cpu->ignne || !cpu->ferr) {
        return;
    }
    if (!cpu->ferr_level) {
        bool taken = bql_lock_if_needed();

        cpu->ferr_level = true;
        irq_set_level(cpu->ferr, 1);
        bql_unlock_if(taken);
    }
    env->interrupt_shadow = 0;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit_restore(cs, ra);
}

void x86_fpu_sync_ferr(X86CPU *cpu)
{
    if (cpu->ferr_level && !(cpu->env.fx.fsw & FSW_ES)) {
        bool taken = bql_lock_if_needed();

        cpu->ferr_level = false;
        irq_set_level(cpu->ferr, 0);
        bql_unlock_if(taken);
    }
}

static void fpu_check(CPUX86State *env, uint32_t kind, uintptr_t ra)
{
    uint64_t cr0 = env->cr[0];
    bool em = cr0 & CR0_EM_MASK, ts = cr0 & CR0_TS_MASK;

    switch (kind) {
    case FPCHK_X87:
    case FPCHK_X87_NOWAIT:
        if (em || ts) {
            x86_raise_exception(env, EXCP07_PREX, ra);
        }
        break;
    case FPCHK_WAIT:
        if (ts && (cr0 & CR0_MP_MASK)) {
            x86_raise_exception(env, EXCP07_PREX, ra);
        }
        break;
    case FPCHK_FXSR:
        if (em || ts) {
            x86_raise_exception(env, EXCP07_PREX, ra);
        }
        break;
    case FPCHK_SSE:
        if (!(env->cr[4] & CR4_OSFXSR_MASK)) {
            x86_raise_exception(env, EXCP06_ILLOP, ra);
        }
        /* fall through */
    case FPCHK_MMX:
        if (em) {
            x86_raise_exception(env, EXCP06_ILLOP, ra);
        }
        if (ts) {
            x86_raise_exception(env, EXCP07_PREX, ra);
        }
        break;
    }
    /* A pending unmasked x87 exception (FSW.ES) is taken by the next
     * waiting x87 or MMX instruction: #MF, or with CR0.NE clear FERR#. */
    if ((kind == FPCHK_X87 || kind == FPCHK_WAIT || kind == FPCHK_MMX) &&
        (env->fx.fsw & FSW_ES)) {
        if (env->cr[0] & CR0_NE_MASK) {
            x86_raise_exception(env, EXCP10_COPR, ra);
        }
        fpu_error_pin(env, ra);
    }
}

void helper_fpu_check(CPUX86State *env, uint32_t kind)
{
    fpu_check(env, kind, GETPC());
}

void helper_fninit(CPUX86State *env)
{
    env->fx.fcw = 0x37f;
    x86_fpu_set_fsw(&env->fx, 0);
    env->fx.ftw = 0;
    env->fx.fip = env->fx.fdp = 0;
    env->fx.fop = 0;
    x86_fpu_sync_ferr(env_archcpu(env));
}

void helper_fnclex(CPUX86State *env)
{
    env->fx.fsw &= ~0x80ff;
    x86_fpu_sync_ferr(env_archcpu(env));
}

void helper_fldcw(CPUX86State *env, uint32_t fcw)
{
    env->fx.fcw = (fcw & 0x1f7f) | 0x40;
    x86_fpu_update_summary(env);
    x86_fpu_sync_ferr(env_archcpu(env));
}

/* ---- fnstenv, fldenv, fnsave, frstor ---- */

typedef struct EnvAccess {
    CPUX86State *env;
    uint64_t addr;
    int mmu_idx;
    uintptr_t ra;
} EnvAccess;

static void st16(EnvAccess *a, uint32_t off, uint32_t v)
{
    cpu_stw_mmuidx_ra(env_cpu(a->env), a->addr + off, v, a->mmu_idx, a->ra);
}

static void st32(EnvAccess *a, uint32_t off, uint32_t v)
{
    cpu_stl_mmuidx_ra(env_cpu(a->env), a->addr + off, v, a->mmu_idx, a->ra);
}

static uint32_t ld16(EnvAccess *a, uint32_t off)
{
    return cpu_lduw_mmuidx_ra(env_cpu(a->env), a->addr + off, a->mmu_idx,
                              a->ra);
}

static uint32_t ld32(EnvAccess *a, uint32_t off)
{
    return cpu_ldl_mmuidx_ra(env_cpu(a->env), a->addr + off, a->mmu_idx,
                             a->ra);
}

static bool real_or_vm86(CPUX86State *env)
{
    return !(env->cr[0] & CR0_PE_MASK) || (env->rflags & EFLAGS_VM);
}

/* The environment (14 or 28 bytes); returns its size. */
static uint32_t store_env(EnvAccess *a, bool op32)
{
    CPUX86State *env = a->env;
    uint32_t tags = x86_fpu_tag_word(&env->fx);
    uint32_t fip = env->fx.fip, fdp = env->fx.fdp;
    bool real = real_or_vm86(env);

    if (op32) {
        /* the upper halves of the first three words read as ones */
        st32(a, 0, 0xffff0000 | env->fx.fcw);
        st32(a, 4, 0xffff0000 | env->fx.fsw);
        st32(a, 8, 0xffff0000 | tags);
        if (real) {
            st32(a, 12, 0xffff0000 | (fip & 0xffff));
            st32(a, 16, ((fip >> 4) & 0x0ffff000) | env->fx.fop);
            st32(a, 20, 0xffff0000 | (fdp & 0xffff));
            st32(a, 24, (fdp >> 4) & 0x0ffff000);
        } else {
            st32(a, 12, fip);
            st32(a, 16, (uint32_t)env->fx.fop << 16);
            st32(a, 20, fdp);
            st32(a, 24, 0xffff0000);
        }
        return 28;
    }
    st16(a, 0, env->fx.fcw);
    st16(a, 2, env->fx.fsw);
    st16(a, 4, tags);
    st16(a, 6, fip);
    st16(a, 8, real ? ((fip >> 4) & 0xf000) | env->fx.fop : 0);
    st16(a, 10, fdp);
    st16(a, 12, real ? (fdp >> 4) & 0xf000 : 0);
    return 14;
}

static uint32_t load_env(EnvAccess *a, bool op32)
{
    CPUX86State *env = a->env;
    bool real = real_or_vm86(env);
    uint32_t fcw, fsw, tags, fip, fop = 0, fdp;

    if (op32) {
        fcw = ld32(a, 0);
        fsw = ld32(a, 4);
        tags = ld32(a, 8);
        fip = ld32(a, 12);
        fdp = ld32(a, 20);
        if (real) {
            uint32_t w = ld32(a, 16);

            fip = (fip & 0xffff) | ((w & 0x0ffff000) << 4);
            fop = w & 0x7ff;
            fdp = (fdp & 0xffff) | ((ld32(a, 24) & 0x0ffff000) << 4);
        } else {
            fop = (ld32(a, 16) >> 16) & 0x7ff;
        }
    } else {
        fcw = ld16(a, 0);
        fsw = ld16(a, 2);
        tags = ld16(a, 4);
        fip = ld16(a, 6);
        fdp = ld16(a, 10);
        if (real) {
            uint32_t w = ld16(a, 8);

            fip |= (w & 0xf000) << 4;
            fop = w & 0x7ff;
            fdp |= (ld16(a, 12) & 0xf000) << 4;
        }
    }
    env->fx.fcw = (fcw & 0x1f7f) | 0x40;
    x86_fpu_set_fsw(&env->fx, fsw);
    env->fx.ftw = x86_fpu_abridged_tags(tags);
    env->fx.fip = fip;
    env->fx.fdp = fdp;
    env->fx.fop = fop;
    x86_fpu_update_summary(env);
    return op32 ? 28 : 14;
}

static void env_access_init(EnvAccess *a, CPUX86State *env, uint64_t addr,
                            uintptr_t ra)
{
    *a = (EnvAccess){ env, addr, mmu_idx(env), ra };
}

void helper_fstenv(CPUX86State *env, uint64_t addr, uint32_t ot)
{
    EnvAccess a;

    env_access_init(&a, env, addr, GETPC());
    store_env(&a, ot);
    env->fx.fcw |= 0x3f;                   /* every exception masked */
    x86_fpu_update_summary(env);
    x86_fpu_sync_ferr(env_archcpu(env));
}

void helper_fldenv(CPUX86State *env, uint64_t addr, uint32_t ot)
{
    EnvAccess a;

    env_access_init(&a, env, addr, GETPC());
    load_env(&a, ot);
    x86_fpu_sync_ferr(env_archcpu(env));
}

void helper_fsave(CPUX86State *env, uint64_t addr, uint32_t ot)
{
    EnvAccess a;
    uint32_t off;

    env_access_init(&a, env, addr, GETPC());
    off = store_env(&a, ot);
    for (int i = 0; i < 8; i++, off += 10) {
        const uint64_t *r = env->fx.st[i];

        st32(&a, off, r[0]);
        st32(&a, off + 4, r[0] >> 32);
        st16(&a, off + 8, r[1]);
    }
    helper_fninit(env);
}

void helper_frstor(CPUX86State *env, uint64_t addr, uint32_t ot)
{
    EnvAccess a;
    uint64_t regs[8][2];
    uint32_t off;

    env_access_init(&a, env, addr, GETPC());
    /* every read before anything changes, so a fault leaves the state */
    for (int i = 0; i < 8; i++) {
        off = (ot ? 28 : 14) + 10 * i;
        regs[i][0] = ld32(&a, off) | (uint64_t)ld32(&a, off + 4) << 32;
        regs[i][1] = ld16(&a, off + 8);
    }
    load_env(&a, ot);
    memcpy(env->fx.st, regs, sizeof(regs));
    x86_fpu_sync_ferr(env_archcpu(env));
}

/* ---- fxsave, fxrstor, ldmxcsr, stmxcsr ---- */

/* In 64-bit mode with REX.W, FIP and FDP are 64 bits wide; otherwise
 * they are 32 bits followed by FCS and FDS, which emu does not keep
 * (stored as 0, as CPUs that deprecate them do).  Outside 64-bit mode
 * XMM8-15 are neither saved nor loaded. */
static unsigned fxsave_size(CPUX86State *env)
{
    return x86_code64(env) ? 416 : 288;   /* through XMM15 or XMM7 */
}

void helper_fxsave(CPUX86State *env, uint64_t addr, uint32_t fmt64)
{
    uintptr_t ra = GETPC();
    uint8_t fx[X86_FXSAVE_SIZE];
    unsigned size = fxsave_size(env);

    x86_mxcsr_sync(env);

    if (addr & 15) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    x86_fxsave_image(env, fx);
    if (!fmt64) {
        memset(fx + 12, 0, 4);           /* FIP[63:32]: FCS */
        memset(fx + 20, 0, 4);           /* FDP[63:32]: FDS */
    }
    for (unsigned i = 0; i < size; i += 4) {
        uint32_t w;

        memcpy(&w, fx + i, 4);
        cpu_stl_mmuidx_ra(env_cpu(env), addr + i, w, mmu_idx(env), ra);
    }
}

void helper_fxrstor(CPUX86State *env, uint64_t addr, uint32_t fmt64)
{
    uintptr_t ra = GETPC();
    uint8_t fx[X86_FXSAVE_SIZE];
    unsigned size = fxsave_size(env);
    uint32_t mxcsr;

    x86_mxcsr_sync(env);

    if (addr & 15) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    x86_fxsave_image(env, fx);           /* XMM8-15 stay */
    for (unsigned i = 0; i < size; i += 4) {
        uint32_t w = cpu_ldl_mmuidx_ra(env_cpu(env), addr + i,
                                       mmu_idx(env), ra);

        memcpy(fx + i, &w, 4);
    }
    memcpy(&mxcsr, fx + 24, 4);
    if (mxcsr & ~X86_MXCSR_MASK) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    if (!fmt64) {
        memset(fx + 12, 0, 4);
        memset(fx + 20, 0, 4);
    }
    x86_fxrstor_image(env, fx);
    x86_fpu_update_summary(env);
    x86_fpu_sync_ferr(env_archcpu(env));
}

void helper_ldmxcsr(CPUX86State *env, uint32_t value)
{
    if (value & ~X86_MXCSR_MASK) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    x86_mxcsr_sync(env);
    env->fx.mxcsr = value;
}

uint32_t helper_stmxcsr(CPUX86State *env)
{
    x86_mxcsr_sync(env);
    return env->fx.mxcsr;
}

/* ---- xgetbv, xsetbv, xsave, xsaveopt, xrstor ---- */

#define XSAVE_HEADER 512

static void xsave_check(CPUX86State *env, uintptr_t ra)
{
    if (!(env->cr[4] & CR4_OSXSAVE_MASK)) {
        x86_raise_exception(env, EXCP06_ILLOP, ra);
    }
}

void helper_xgetbv(CPUX86State *env)
{
    uintptr_t ra = GETPC();

    xsave_check(env, ra);
    if ((uint32_t)env->regs[R_ECX] != 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    env->regs[R_EAX] = (uint32_t)env->xcr0;
    env->regs[R_EDX] = env->xcr0 >> 32;
}

void helper_xsetbv(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    uint64_t value = (uint32_t)env->regs[R_EAX] |
                     env->regs[R_EDX] << 32;

    xsave_check(env, ra);
    if (x86_cpl(env) != 0 || (uint32_t)env->regs[R_ECX] != 0 ||
        !(value & X86_XSTATE_X87) || (value & ~(uint64_t)X86_XSTATE_SUPPORTED)) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    env->xcr0 = value;
}

/* The components EDX:EAX asks for that XCR0 enables (RFBM). */
static uint32_t xsave_rfbm(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    xsave_check(env, ra);
    if (env->cr[0] & CR0_TS_MASK) {
        x86_raise_exception(env, EXCP07_PREX, ra);
    }
    if (addr & 63) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    return env->regs[R_EAX] & env->xcr0 & X86_XSTATE_SUPPORTED;
}

/* xsave and xsaveopt: every requested component is written and marked
 * in use (XSAVEOPT's skipping of unmodified components is an
 * optimization the architecture leaves to the processor). */
void helper_xsave(CPUX86State *env, uint64_t addr)
{
    uintptr_t ra = GETPC();
    uint32_t rfbm = xsave_rfbm(env, addr, ra);
    uint8_t fx[X86_FXSAVE_SIZE];
    int idx = mmu_idx(env);
    CPUState *cs = env_cpu(env);
    uint32_t bv;

    x86_mxcsr_sync(env);
    x86_fxsave_image(env, fx);
    memset(fx + 12, 0, 4);
    memset(fx + 20, 0, 4);
    for (unsigned i = 0; i < 288; i += 4) {
        bool x87 = i < 24 || (i >= 32 && i < 160);
        bool sse = i >= 24;          /* MXCSR, MXCSR_MASK, XMM */
        uint32_t w;

        if ((x87 && (rfbm & X86_XSTATE_X87)) || (sse && !x87 &&
                                             (rfbm & X86_XSTATE_SSE))) {
            memcpy(&w, fx + i, 4);
            cpu_stl_mmuidx_ra(cs, addr + i, w, idx, ra);
        }
    }
    bv = cpu_ldl_mmuidx_ra(cs, addr + XSAVE_HEADER, idx, ra);
    cpu_stl_mmuidx_ra(cs, addr + XSAVE_HEADER, (bv & ~rfbm) | rfbm, idx,
                      ra);
}

void helper_xrstor(CPUX86State *env, uint64_t addr)
{
    uintptr_t ra = GETPC();
    uint32_t rfbm = xsave_rfbm(env, addr, ra);
    uint8_t fx[X86_FXSAVE_SIZE], state[X86_FXSAVE_SIZE], header[64];
    int idx = mmu_idx(env);
    CPUState *cs = env_cpu(env);
    uint64_t bv, comp;
    uint32_t mxcsr;

    x86_mxcsr_sync(env);

    for (unsigned i = 0; i < sizeof(header); i++) {
        header[i] = cpu_ldub_mmuidx_ra(cs, addr + XSAVE_HEADER + i, idx, ra);
    }
    memcpy(&bv, header, 8);
    memcpy(&comp, header + 8, 8);
    for (unsigned i = 16; i < sizeof(header); i++) {
        if (header[i]) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
    }
    if (comp || (bv & ~env->xcr0)) {     /* no compacted format */
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    for (unsigned i = 0; i < 288; i += 4) {
        uint32_t w = cpu_ldl_mmuidx_ra(cs, addr + i, idx, ra);

        memcpy(fx + i, &w, 4);
    }
    memcpy(&mxcsr, fx + 24, 4);
    if ((rfbm & X86_XSTATE_SSE) && (mxcsr & ~X86_MXCSR_MASK)) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    /* everything read and checked: the new state, component by
     * component from memory or in its initial state */
    x86_fxsave_image(env, state);
    if (rfbm & X86_XSTATE_X87) {
        if (bv & X86_XSTATE_X87) {
            memcpy(state, fx, 24);
            memset(state + 12, 0, 4);    /* FCS */
            memset(state + 20, 0, 4);    /* FDS */
            memcpy(state + 32, fx + 32, 128);
        } else {
            memset(state, 0, 24);
            state[0] = 0x7f;             /* FCW 0x037f */
            state[1] = 0x03;
            memset(state + 32, 0, 128);
        }
    }
    if (rfbm & X86_XSTATE_SSE) {
        memcpy(state + 24, &mxcsr, 4);
        if (bv & X86_XSTATE_SSE) {
            memcpy(state + 160, fx + 160, 128);
        } else {
            memset(state + 160, 0, 128);
        }
    }
    x86_fxrstor_image(env, state);
    x86_fpu_update_summary(env);
    x86_fpu_sync_ferr(env_archcpu(env));
}
