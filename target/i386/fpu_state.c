/*
 * The x87/SSE state as a 512-byte FXSAVE image (the 64-bit layout, with
 * 64-bit FIP and FDP and XMM0-15): what kvm's XSAVE area starts with and
 * what tcg's FXSAVE and XSAVE write.  env->fx is kept in that layout
 * (cpu.h), so an image is a copy of it; what the image's reserved bytes
 * and MXCSR_MASK say is settled here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/cpu.h"

void x86_fxsave_image(const CPUX86State *env, uint8_t *fx)
{
    X86FXState image = env->fx;

    image.mxcsr_mask = X86_MXCSR_MASK;
    memcpy(fx, &image, X86_FXSAVE_SIZE);
}

/* What FXRSTOR ignores in the x87 part reads back as FXSAVE writes it. */
static void x87_image_fixup(X86FXState *state)
{
    state->reserved1 = 0;
    state->fop &= 0x7ff;
    for (int i = 0; i < 8; i++) {
        state->st[i][1] &= 0xffff;
    }
}

void x86_fxrstor_image(CPUX86State *env, const uint8_t *fx)
{
    X86FXState *state = &env->fx;

    x86_mxcsr_sync(env);
    memcpy(state, fx, X86_FXSAVE_SIZE);
    x87_image_fixup(state);
    state->mxcsr_mask = X86_MXCSR_MASK;
    memset(state->reserved2, 0, sizeof(state->reserved2));
}

void x86_fxrstor_image_x87(CPUX86State *env, const X86FXState *image)
{
    X86FXState *state = &env->fx;

    memcpy(state, image, offsetof(X86FXState, mxcsr));
    memcpy(state->st, image->st, sizeof(state->st));
    x87_image_fixup(state);
}

void x86_fpu_set_fsw(X86FXState *fx, uint16_t fsw)
{
    unsigned shift = ((fsw >> 11) - (fx->fsw >> 11)) & 7;
    uint64_t st[8][2];

    /* the physical registers stay: ST(i) after is ST(i + shift) before */
    for (int i = 0; i < 8; i++) {
        memcpy(st[i], fx->st[(i + shift) & 7], sizeof(st[i]));
    }
    memcpy(fx->st, st, sizeof(st));
    fx->fsw = fsw;
}

/* The full tag of physical register i: valid 0, zero 1, special 2,
 * empty 3. */
static unsigned fpu_full_tag(const X86FXState *fx, unsigned i)
{
    const uint64_t *r = fx->st[x86_st_of_fpreg(fx, i)];
    uint64_t mant = r[0];
    unsigned exp = r[1] & 0x7fff;

    if (!(fx->ftw & (1u << i))) {
        return 3;
    }
    if (exp == 0x7fff) {
        return 2;
    }
    if (exp == 0) {
        return mant ? 2 : 1;
    }
    return (mant >> 63) ? 0 : 2;
}

uint16_t x86_fpu_tag_word(const X86FXState *fx)
{
    uint16_t tags = 0;

    for (unsigned i = 0; i < 8; i++) {
        tags |= fpu_full_tag(fx, i) << (2 * i);
    }
    return tags;
}

uint8_t x86_fpu_abridged_tags(uint16_t tag_word)
{
    uint8_t ftw = 0;

    for (unsigned i = 0; i < 8; i++) {
        if (((tag_word >> (2 * i)) & 3) != 3) {
            ftw |= 1u << i;
        }
    }
    return ftw;
}
