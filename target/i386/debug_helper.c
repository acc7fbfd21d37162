/*
 * The x86 debug exceptions on tcg: the trap flag, the breakpoints of the
 * debug registers DR0-3 as DR7 enables them, general detect, and what
 * mov to and from DR0-7 do.
 *
 * Instruction breakpoints (R/W 00) are checked before each instruction
 * by blocks translated while DR7 enables one (HF_DR_EXEC).
 *
 * Data breakpoints (R/W 01: writes, 11: reads and writes; LEN 1, 2, 4
 * or 8 bytes, the address aligned down to LEN) are the core's watchpoints
 * of the guest (tcg_set_cpu_watchpoints), kept equal to DR0-3/DR7 at
 * every mov to a debug register: accesses to a watched page take the
 * slow path, and one that hits completes; after its instruction
 * x86_cpu_watchpoint_trap raises #DB (a trap) with DR6.Bn.
 *
 * I/O breakpoints (R/W 10 with CR4.DE; LEN as for data) are checked
 * after each in, out, ins and outs (each iteration of a repeated one) by
 * blocks translated while DR7 enables one (HF_DR_IO).
 *
 * With DR7.GD every mov to or from a debug register raises #DB first
 * (general detect, DR6.BD); delivering #DB clears GD.
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

/* The bytes (data) or ports (I/O) DRi covers: from DRi aligned down to
 * its DR7 LEN (00, 01, 10, 11: 1, 2, 8, 4), len of them. */
static uint64_t dr_range(const CPUX86State *env, int i, uint64_t *len)
{
    static const uint64_t len_of[4] = { 1, 2, 8, 4 };

    *len = len_of[(env->dr[7] >> (18 + i * 4)) & 3];
    return env->dr[i] & ~(*len - 1);
}

/* The core's watchpoints of the guest: DR0-3 as DR7 has them, id i for
 * DRi. */
static void update_data_breakpoints(CPUX86State *env)
{
    CPUWatchpoint wps[4];
    int n = 0;

    for (int i = 0; i < 4; i++) {
        uint64_t len, addr;

        if (!is_data_breakpoint(env->dr[7], i)) {
            continue;
        }
        addr = dr_range(env, i, &len);
        wps[n++] = (CPUWatchpoint){
            .addr = addr,
            .len = len,
            .type = x86_dr7_enabled_rw(env->dr[7], i) == DR7_RW_WRITE
                    ? BP_WATCH_WRITE : BP_WATCH_ACCESS,
            .id = i,
        };
    }
    tcg_set_cpu_watchpoints(env_cpu(env), wps, n);
}

/* ---- mov to and from the debug registers ---- */

/* DR6: B0-B3, BD, BS, BT can be written; bits 4-11 and 16-31 read as 1
 * (no bus-lock detection, no RTM), bit 12 as 0.  DR7: bits 11, 12, 14
 * and 15 read as 0, bit 10 as 1.  The upper halves are 0 (a 64-bit mov
 * that sets them raises #GP(0)). */
#define DR6_WRITABLE 0x0000e00full
#define DR6_FIXED_1  0xffff0ff0ull
#define DR7_WRITABLE 0xffff23ffull
#define DR7_FIXED_1  0x00000400ull

/* The register mov DRn names (DR4 and DR5 alias DR6 and DR7 unless
 * CR4.DE makes them #UD), after the checks every such mov makes. */
static unsigned dr_access(CPUX86State *env, uint32_t n, uintptr_t ra)
{
    g_assert(n < 8);             /* the decoder's #UD for DR8-15 */
    if (n == 4 || n == 5) {
        if (env->cr[4] & CR4_DE_MASK) {
            x86_raise_exception(env, EXCP06_ILLOP, ra);
        }
        n += 2;
    }
    /* general detect: the debugger's registers are its own; the #DB
     * handler gets them with GD cleared (x86_do_interrupt) */
    if (env->dr[7] & DR7_GD) {
        env->dr[6] = (env->dr[6] & ~0xfull) | DR6_BD;
        x86_raise_exception(env, EXCP01_DB, ra);
    }
    return n;
}

uint64_t helper_read_dr(CPUX86State *env, uint32_t n)
{
    return env->dr[dr_access(env, n, GETPC())];
}

void helper_write_dr(CPUX86State *env, uint32_t n, uint64_t value)
{
    uintptr_t ra = GETPC();

    n = dr_access(env, n, ra);
    if (n >= 6 && (value >> 32)) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
    if (n == 6) {
        value = (value & DR6_WRITABLE) | DR6_FIXED_1;
    } else if (n == 7) {
        value = (value & DR7_WRITABLE) | DR7_FIXED_1;
    }
    env->dr[n] = value;
    if (n < 4 || n == 7) {
        update_data_breakpoints(env);
    }
}

/* ---- I/O breakpoints ---- */

void helper_io_breakpoints(CPUX86State *env, uint32_t port, uint32_t size,
                           uint64_t resume_eip)
{
    uint32_t hits = 0;

    for (int i = 0; i < 4; i++) {
        uint64_t len, first;

        if (!x86_dr_io_breakpoint(env->dr[7], env->cr[4], i)) {
            continue;
        }
        first = dr_range(env, i, &len);
        if (first < (uint64_t)port + size && port < first + len) {
            hits |= 1u << i;
        }
    }
    if (hits) {
        /* a trap: the instruction (or this iteration) is done */
        env->dr[6] = (env->dr[6] & ~0xfull) | hits |
                     ((env->rflags & EFLAGS_TF) ? DR6_BS : 0);
        env->rip = resume_eip;
        x86_raise_exception(env, EXCP01_DB, 0);
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
