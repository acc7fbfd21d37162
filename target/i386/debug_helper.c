/*
 * The x86 debug exceptions on tcg: the trap flag, and the breakpoints of
 * the debug registers DR0-3 as DR7 enables them.
 *
 * Instruction breakpoints (R/W 00) are checked before each instruction
 * by blocks translated while DR7 enables one (HF_DR_EXEC).
 *
 * Data breakpoints (R/W 01: writes, 11: reads and writes; LEN 1, 2, 4
 * or 8 bytes, the address aligned down to LEN) are the core's watchpoints
 * of the guest (tcg_set_cpu_watchpoints), kept equal to DR0-3/DR7 at
 * every mov to a debug register: accesses to a watched page take the
 * slow path, and one that hits completes; after its instruction
 * x86_cpu_watchpoint_trap raises #DB (a trap) with DR6.Bn.  R/W 10 (I/O
 * breakpoints, with CR4.DE) does not break.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/helper.h"

/* ---- the trap flag ---- */

void helper_single_step(CPUX86State *env)
{
    env->dr[6] |= DR6_BS;
    x86_raise_exception(env, EXCP01_DB, 0);
}

/* ---- instruction breakpoints ---- */

void helper_insn_breakpoints(CPUX86State *env)
{
    uint64_t pc = env->segs[R_CS].base + env->rip;
    bool rf = env->rflags & EFLAGS_RF;
    uint32_t hits = 0;

    if (!x86_code64(env)) {
        pc = (uint32_t)pc;
    }
    for (int i = 0; i < 4; i++) {
        if (x86_dr7_insn_breakpoint(env->dr[7], i) && env->dr[i] == pc) {
            hits |= 1u << i;
        }
    }
    /* RF lets the instruction a handler returned to run once */
    env->rflags &= ~(uint64_t)EFLAGS_RF;
    if (hits && !rf) {
        env->dr[6] = (env->dr[6] & ~0xfull) | hits;
        x86_raise_exception(env, EXCP01_DB, 0);
    }
}

/* ---- data breakpoints ---- */

enum { DR7_RW_WRITE = 1, DR7_RW_ACCESS = 3 };

static bool is_data_breakpoint(uint64_t dr7, int i)
{
    int rw = x86_dr7_enabled_rw(dr7, i);

    return rw == DR7_RW_WRITE || rw == DR7_RW_ACCESS;
}

/* The core's watchpoints of the guest: DR0-3 as DR7 has them, id i for
 * DRi. */
static void update_data_breakpoints(CPUX86State *env)
{
    /* LEN 00, 01, 10, 11: 1, 2, 8, 4 bytes */
    static const uint64_t len_bytes[4] = { 1, 2, 8, 4 };
    CPUWatchpoint wps[4];
    int n = 0;

    for (int i = 0; i < 4; i++) {
        uint64_t len = len_bytes[(env->dr[7] >> (18 + i * 4)) & 3];

        if (!is_data_breakpoint(env->dr[7], i)) {
            continue;
        }
        wps[n++] = (CPUWatchpoint){
            .addr = env->dr[i] & ~(len - 1),
            .len = len,
            .type = x86_dr7_enabled_rw(env->dr[7], i) == DR7_RW_WRITE
                    ? BP_WATCH_WRITE : BP_WATCH_ACCESS,
            .id = i,
        };
    }
    tcg_set_cpu_watchpoints(env_cpu(env), wps, n);
}

void helper_write_dr(CPUX86State *env, uint32_t n, uint64_t value)
{
    env->dr[n] = value;
    if (n < 4 || n == 7) {
        update_data_breakpoints(env);
    }
}

void x86_cpu_watchpoint_trap(CPUState *cs, unsigned hits)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t b = 0;

    for (int i = 0; i < 4; i++) {
        /* A reset since (DR7 0x400) left the core's set stale. */
        if ((hits & (1u << i)) && is_data_breakpoint(env->dr[7], i)) {
            b |= 1u << i;
        }
    }
    if (b) {
        env->dr[6] = (env->dr[6] & ~0xfull) | b;
        cs->exception_index = EXCP01_DB;
        env->excp.error_code = 0;
        env->excp.is_int = false;
    }
}
