/*
 * "info registers" for the ARM CPU, in the text QEMU 7.2 prints for an
 * AArch32 core, so habits and scripts carry over: r0-r15 four to a line,
 * the PSR with its flags, state and mode; with CPU_DUMP_FPU ("info
 * registers" always, -d cpu with -d fpu) the VFP registers as S and D
 * pairs (16 or 32, none on a core without VFP) and the FPSCR.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/internals.h"

/* By CPSR[3:0]; bit 4 tells the 32-bit modes from the old 26-bit ones. */
static const char *const arm_mode_names[16] = {
    "usr", "fiq", "irq", "svc", "???", "???", "mon", "abt",
    "???", "???", "hyp", "und", "???", "???", "???", "sys",
};

void arm_cpu_dump_state(CPUState *cs, GString *out, int flags)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint32_t psr = cpsr_read(env);
    int dregs;

    for (int i = 0; i < 16; i++) {
        g_string_append_printf(out, "R%02d=%08x%c", i, env->regs[i],
                               (i % 4) == 3 ? '\n' : ' ');
    }
    g_string_append_printf(out, "PSR=%08x %c%c%c%c %c %s%d\n", psr,
                           (psr & (1u << 31)) ? 'N' : '-',
                           (psr & (1u << 30)) ? 'Z' : '-',
                           (psr & (1u << 29)) ? 'C' : '-',
                           (psr & (1u << 28)) ? 'V' : '-',
                           (psr & CPSR_T) ? 'T' : 'A',
                           arm_mode_names[psr & 0xf],
                           (psr & 0x10) ? 32 : 26);
    if (!(flags & CPU_DUMP_FPU)) {
        return;
    }
    /* MVFR0.SIMDReg: 2 for 32 D registers, 1 for 16, 0 without VFP. */
    dregs = (env->vfp.mvfr0 & 0xf) == 2 ? 32 : (env->vfp.mvfr0 & 0xf) * 16;
    for (int i = 0; i < dregs; i++) {
        uint64_t d = env->vfp.d[i];

        g_string_append_printf(out, "s%02d=%08x s%02d=%08x d%02d=%016" PRIx64
                               "\n", 2 * i, (uint32_t)d, 2 * i + 1,
                               (uint32_t)(d >> 32), i, d);
    }
    /* (zero on the cores without VFP) */
    g_string_append_printf(out, "FPSCR: %08x\n", vfp_get_fpscr(env));
}
