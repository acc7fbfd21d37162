/*
 * The ARMv7 debug architecture v7.1 of cortex-a15 and cortex-a7, as
 * QEMU 7.2 models it: the cp14 registers software programs (DBGDIDR,
 * DBGDSCR, the breakpoint and watchpoint register pairs, the OS lock)
 * and the debug exceptions of monitor debug-mode, so that Linux's
 * hw_breakpoint driver (perf, ptrace) works.  No external debugger
 * (halting debug-mode, the debug communication channel) and no vector
 * catch: their registers read as zero and ignore writes.
 *
 * With DBGDSCR.MDBGen set and the OS lock clear:
 * - an enabled breakpoint of the address-match type (DBGBCR.BT 0b0000,
 *   or 0b0001 linked to a context-ID breakpoint that matches
 *   CONTEXTIDR) at the address of an instruction about to run, in a
 *   mode its PMC allows, takes a prefetch abort before the instruction
 *   (IFSR: debug event, DBGDSCR.MOE 0b0001).  The address is DBGBVR
 *   word-aligned, plus 2 when BAS is 0b1100 (the second Thumb
 *   halfword).  Blocks translated while one is armed check each
 *   instruction (ARM_TBFLAG_BREAKPOINTS).  Address mismatch and unlinked
 *   context-ID breakpoints do not break (neither do QEMU's).
 * - an enabled watchpoint (LSC: loads, stores or both; BAS bytes of the
 *   word or doubleword at DBGWVR, or MASK's aligned range) hit by a data
 *   access takes a data abort before the access happens (synchronous
 *   watchpoints: DFSR debug event with WnR, DFAR the address, MOE
 *   0b1010).  They are tcg's watchpoints of the guest, checked in the
 *   TLB's slow path, kept equal to the registers at every write.
 * - BKPT sets MOE 0b0011 too (helper.c takes the abort).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/cpu.h"
#include "target/arm/internals.h"

#define DSCR_MDBGEN (1u << 15)
#define DSCR_MOE_SHIFT 2
#define DSCR_MOE_MASK (0xfu << DSCR_MOE_SHIFT)

/* DBGOSLAR: this key locks, any other value unlocks. */
#define OSLAR_KEY 0xc5acce55
/* DBGOSLSR.OSLM: the v7.1 OS lock is implemented. */
#define OSLSR_OSLM_V71 (1u << 3)
#define OSLSR_OSLK (1u << 1)

/* DBGBCR/DBGWCR fields */
#define CR_ENABLE 1u
#define CR_PMC(cr) (((cr) >> 1) & 3)       /* bit 0: PL1, bit 1: user */
#define CR_LSC(cr) (((cr) >> 3) & 3)       /* watchpoints */
#define BCR_BAS(cr) (((cr) >> 5) & 0xf)
#define WCR_BAS(cr) (((cr) >> 5) & 0xff)
#define CR_LBN(cr) (((cr) >> 16) & 0xf)
#define BCR_BT(cr) (((cr) >> 20) & 0xf)
#define WCR_WT(cr) (((cr) >> 20) & 1)
#define CR_MASK(cr) (((cr) >> 24) & 0x1f)

enum {
    BT_ADDR = 0,                 /* unlinked address match */
    BT_ADDR_LINKED = 1,
    BT_CONTEXT = 2,              /* unlinked context ID match */
    BT_CONTEXT_LINKED = 3,
};

static uint32_t dbgdidr(CPUARMState *env)
{
    return ARM_CPU_GET_CLASS(env_archcpu(env))->model->dbgdidr;
}

static int num_brps(CPUARMState *env)
{
    return ((dbgdidr(env) >> 24) & 0xf) + 1;
}

static int num_wrps(CPUARMState *env)
{
    return ((dbgdidr(env) >> 28) & 0xf) + 1;
}

/* Monitor debug-mode on, and not held off by the OS lock. */
static bool debug_events_enabled(CPUARMState *env)
{
    return (env->cp14.dbgdscr & DSCR_MDBGEN) && !env->cp14.os_lock;
}

/* PMC (privileged mode control) against the mode running now. */
static bool mode_matches(CPUARMState *env, uint32_t cr)
{
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;

    return CR_PMC(cr) & (user ? 2 : 1);
}

/* A breakpoint or watchpoint linked to breakpoint n matches only while
 * n is an enabled context-ID breakpoint holding CONTEXTIDR. */
static bool linked_context_matches(CPUARMState *env, int n)
{
    uint32_t bcr;

    if (n >= num_brps(env)) {
        return false;
    }
    bcr = env->cp14.dbgbcr[n];
    return (bcr & CR_ENABLE) && BCR_BT(bcr) == BT_CONTEXT_LINKED &&
           env->cp14.dbgbvr[n] == env->cp15.contextidr;
}

/* The instruction address breakpoint n matches, or -1 if it is not an
 * enabled address match. */
static int64_t breakpoint_address(CPUARMState *env, int n)
{
    uint32_t bcr = env->cp14.dbgbcr[n];
    int bt = BCR_BT(bcr);

    if (!(bcr & CR_ENABLE) || (bt != BT_ADDR && bt != BT_ADDR_LINKED) ||
        BCR_BAS(bcr) == 0) {
        return -1;
    }
    return (env->cp14.dbgbvr[n] & ~3u) + (BCR_BAS(bcr) == 0xc ? 2 : 0);
}

bool arm_debug_breakpoints_armed(CPUARMState *env)
{
    if (!dbgdidr(env) || !debug_events_enabled(env)) {
        return false;
    }
    for (int n = 0; n < num_brps(env); n++) {
        if (breakpoint_address(env, n) >= 0) {
            return true;
        }
    }
    return false;
}

/* Sets DBGDSCR.MOE, the reason for the debug exception being taken. */
static void set_moe(CPUARMState *env, uint32_t moe)
{
    env->cp14.dbgdscr = (env->cp14.dbgdscr & ~DSCR_MOE_MASK) |
                        moe << DSCR_MOE_SHIFT;
}

void arm_debug_note_bkpt(CPUARMState *env)
{
    if (dbgdidr(env)) {
        set_moe(env, ARM_MOE_BKPT);
    }
}

/* Debug events are reported as the debug fault code, in the format
 * TTBCR.EAE selects. */
static uint32_t debug_fsr(CPUARMState *env)
{
    return arm_long_fsr_format(env) ? arm_lpae_fsr(ARM_LFSR_DEBUG, 0)
                                    : ARM_FSR_DEBUG;
}

void helper_check_breakpoints(CPUARMState *env, uint32_t pc)
{
    int brps = num_brps(env);

    if (!debug_events_enabled(env)) {
        return;
    }
    for (int n = 0; n < brps; n++) {
        uint32_t bcr = env->cp14.dbgbcr[n];

        if (breakpoint_address(env, n) == pc && mode_matches(env, bcr) &&
            (BCR_BT(bcr) == BT_ADDR ||
             linked_context_matches(env, CR_LBN(bcr)))) {
            set_moe(env, ARM_MOE_BREAKPOINT);
            env->cp15.ifsr = debug_fsr(env);
            arm_raise_exception(env, EXCP_PREFETCH_ABORT, GETPC());
        }
    }
}

/* The range watchpoint n covers (false if it watches nothing), as QEMU
 * reads it: MASK wins over BAS; BAS watches its first run of bytes, only
 * the low four with a word-aligned (not doubleword) address. */
static bool watchpoint_range(CPUARMState *env, int n, uint32_t *addr,
                             uint32_t *len)
{
    uint32_t wcr = env->cp14.dbgwcr[n], wvr = env->cp14.dbgwvr[n];
    int mask = CR_MASK(wcr);
    uint32_t bas = WCR_BAS(wcr);

    if (!(wcr & CR_ENABLE) || CR_LSC(wcr) == 0 || mask == 1 || mask == 2) {
        return false;
    }
    if (mask) {
        *len = mask == 31 ? 0x80000000u : 1u << mask;
        *addr = wvr & ~(*len - 1);
        return true;
    }
    if (wvr & 4) {
        bas &= 0xf;
    }
    if (bas == 0) {
        return false;
    }
    *addr = (wvr & ~7u) + (wvr & 4) + __builtin_ctz(bas);
    *len = __builtin_ctz(~(bas >> __builtin_ctz(bas)));
    return true;
}

void arm_debug_update_watchpoints(CPUARMState *env)
{
    static const BreakpointType lsc_type[4] = {
        [1] = BP_WATCH_READ, [2] = BP_WATCH_WRITE, [3] = BP_WATCH_ACCESS,
    };
    CPUWatchpoint wps[ARM_MAX_WRPS];
    int count = 0;

    if (dbgdidr(env) && debug_events_enabled(env)) {
        for (int n = 0; n < num_wrps(env); n++) {
            uint32_t addr, len;

            if (watchpoint_range(env, n, &addr, &len)) {
                wps[count++] = (CPUWatchpoint){
                    .addr = addr, .len = len,
                    .type = lsc_type[CR_LSC(env->cp14.dbgwcr[n])], .id = n,
                };
            }
        }
    }
    tcg_set_cpu_watchpoints(env_cpu(env), wps, count);
}

void arm_cpu_watchpoint_fault(CPUState *cs, unsigned hits, uint64_t addr,
                              MMUAccessType access, uintptr_t ra)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    for (int n = 0; n < num_wrps(env); n++) {
        uint32_t wcr = env->cp14.dbgwcr[n], start, len;

        if (!(hits & (1u << n)) || !mode_matches(env, wcr) ||
            (WCR_WT(wcr) && !linked_context_matches(env, CR_LBN(wcr))) ||
            !watchpoint_range(env, n, &start, &len)) {
            continue;
        }
        set_moe(env, ARM_MOE_SYNC_WATCHPOINT);
        env->cp15.dfsr = debug_fsr(env) |
                         (access == MMU_DATA_STORE ? ARM_FSR_WNR : 0);
        /* The first watched byte of the access, as QEMU reports it. */
        env->cp15.far = MAX((uint32_t)addr, start);
        arm_raise_exception(env, EXCP_DATA_ABORT, ra);
    }
}

/* A write that changes what may break: new TB flags, new watchpoints. */
static void debug_state_changed(CPUARMState *env)
{
    arm_rebuild_hflags(env);
    arm_debug_update_watchpoints(env);
}

void arm_debug_reset(CPUARMState *env)
{
    /* The OS lock is set at a cold reset (QEMU: DBGOSLSR 0xa). */
    env->cp14.os_lock = dbgdidr(env) != 0;
    debug_state_changed(env);
}

bool arm_debug_cp14_access(CPUARMState *env, int crn, int crm, int opc2,
                           bool write, uint32_t *value)
{
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;
    uint32_t *reg = NULL;

    if (!dbgdidr(env)) {
        return false;
    }
    if (crn == 0 && crm == 0 && opc2 == 0) {         /* DBGDIDR */
        if (write) {
            return false;
        }
        *value = dbgdidr(env);
        return true;
    }
    if (user) {
        return false;
    }
    if (crn == 0 && opc2 >= 4) {
        int n = crm;

        if (opc2 <= 5 && n < num_brps(env)) {
            reg = opc2 == 4 ? &env->cp14.dbgbvr[n] : &env->cp14.dbgbcr[n];
        } else if (opc2 >= 6 && n < num_wrps(env)) {
            reg = opc2 == 6 ? &env->cp14.dbgwvr[n] : &env->cp14.dbgwcr[n];
        }
        if (!reg) {
            return false;
        }
        if (write) {
            *reg = *value;
            debug_state_changed(env);
        } else {
            *value = *reg;
        }
        return true;
    }
    switch (crn << 8 | crm << 4 | opc2) {
    case 0x010:                                      /* DBGDSCRint */
        if (write) {
            return false;
        }
        *value = env->cp14.dbgdscr;
        return true;
    case 0x022:                                      /* DBGDSCRext */
        if (write) {
            env->cp14.dbgdscr = *value;
            debug_state_changed(env);
        } else {
            *value = env->cp14.dbgdscr;
        }
        return true;
    case 0x020:                  /* DBGDCCINT: no comms channel */
    case 0x070:                  /* DBGVCR: no vector catch */
    case 0x134:                  /* DBGOSDLR: no double lock */
        if (!write) {
            *value = 0;
        }
        return true;
    case 0x104:                                      /* DBGOSLAR */
        if (!write) {
            return false;
        }
        env->cp14.os_lock = *value == OSLAR_KEY;
        debug_state_changed(env);
        return true;
    case 0x114:                                      /* DBGOSLSR */
        if (write) {
            return false;
        }
        *value = OSLSR_OSLM_V71 | (env->cp14.os_lock ? OSLSR_OSLK : 0);
        return true;
    case 0x154:                  /* DBGPRSR: powered up, never reset */
        if (write) {
            return false;
        }
        *value = 1;
        return true;
    }
    return false;
}
