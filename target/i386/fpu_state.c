/*
 * The x87/SSE state as a 512-byte FXSAVE image (the 64-bit layout, with
 * 64-bit FIP and FDP and XMM0-15): what kvm's XSAVE area starts with,
 * what tcg's FXSAVE and XSAVE write, and what host execution loads into
 * the host's FPU.  CPUX86State keeps the x87 registers by physical
 * number; the image holds them in stack order, ST(0) first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/cpu.h"

void x86_fxsave_image(const CPUX86State *env, uint8_t *fx)
{
    unsigned top = (env->fpus >> 11) & 7;
    uint32_t mask = X86_MXCSR_MASK;

    memset(fx, 0, X86_FXSAVE_SIZE);
    memcpy(fx, &env->fpuc, 2);
    memcpy(fx + 2, &env->fpus, 2);
    fx[4] = env->fptag;
    memcpy(fx + 6, &env->fpop, 2);
    memcpy(fx + 8, &env->fpip, 8);
    memcpy(fx + 16, &env->fpdp, 8);
    memcpy(fx + 24, &env->mxcsr, 4);
    memcpy(fx + 28, &mask, 4);
    for (int i = 0; i < 8; i++) {
        const uint64_t *r = env->fpregs[(top + i) & 7];

        memcpy(fx + 32 + 16 * i, &r[0], 8);
        memcpy(fx + 40 + 16 * i, &r[1], 2);
    }
    memcpy(fx + 160, env->xmm, sizeof(env->xmm));
}

void x86_fxrstor_image(CPUX86State *env, const uint8_t *fx)
{
    unsigned top;

    memcpy(&env->fpuc, fx, 2);
    memcpy(&env->fpus, fx + 2, 2);
    env->fptag = fx[4];
    memcpy(&env->fpop, fx + 6, 2);
    env->fpop &= 0x7ff;
    memcpy(&env->fpip, fx + 8, 8);
    memcpy(&env->fpdp, fx + 16, 8);
    memcpy(&env->mxcsr, fx + 24, 4);
    top = (env->fpus >> 11) & 7;
    for (int i = 0; i < 8; i++) {
        uint64_t *r = env->fpregs[(top + i) & 7];

        r[1] = 0;
        memcpy(&r[0], fx + 32 + 16 * i, 8);
        memcpy(&r[1], fx + 40 + 16 * i, 2);
    }
    memcpy(env->xmm, fx + 160, sizeof(env->xmm));
}
