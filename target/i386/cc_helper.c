/*
 * The x86 arithmetic flags, computed where they are read.
 *
 * Generated code does not compute OF SF ZF AF PF CF after every
 * instruction: it records what the last flag-setting instruction was
 * (cc_op: its kind and operand size) and its result and operands
 * (cc_dst, cc_src, cc_src2).  Whoever reads the flags (pushf, a
 * condition the translator cannot derive directly, an interrupt, the
 * monitor) computes them here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/cpu.h"

static uint32_t parity_flag(uint64_t v)
{
    /* PF: set when the low byte has an even number of one bits. */
    return (__builtin_popcount((uint32_t)v & 0xff) & 1) ? 0 : EFLAGS_PF;
}

uint32_t x86_cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src,
                            uint64_t src2)
{
    unsigned kind = cc_op / 4, bits = 8u << (cc_op & 3);
    uint64_t mask = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
    uint64_t sign = 1ULL << (bits - 1);
    uint64_t a, b = src & mask, cin = src2 & 1;
    uint32_t cf = 0, of = 0, af = 0;

    if (kind == CC_KIND_EFLAGS || kind >= CC_KIND_NB) {
        return src & EFLAGS_CC_MASK;
    }
    dst &= mask;
    switch (kind) {
    case CC_KIND_ADD:
    case CC_KIND_ADC:
        /* a + b (+ carry) = dst: recover a; carry out when dst wrapped */
        a = (dst - b - (kind == CC_KIND_ADC ? cin : 0)) & mask;
        cf = (kind == CC_KIND_ADC && cin) ? dst <= a : dst < a;
        of = (~(a ^ b) & (a ^ dst) & sign) != 0;
        af = (a ^ b ^ dst) & EFLAGS_AF;
        break;
    case CC_KIND_SUB:
    case CC_KIND_SBB:
        /* a - b (- borrow) = dst */
        a = (dst + b + (kind == CC_KIND_SBB ? cin : 0)) & mask;
        cf = (kind == CC_KIND_SBB && cin) ? a <= b : a < b;
        of = ((a ^ b) & (a ^ dst) & sign) != 0;
        af = (a ^ b ^ dst) & EFLAGS_AF;
        break;
    case CC_KIND_LOGIC:
        break;
    case CC_KIND_INC:
        cf = src & 1;
        of = dst == sign;
        af = (dst ^ ((dst - 1) & mask) ^ 1) & EFLAGS_AF;
        break;
    case CC_KIND_DEC:
        cf = src & 1;
        of = dst == sign - 1;
        af = (dst ^ ((dst + 1) & mask) ^ 1) & EFLAGS_AF;
        break;
    case CC_KIND_SHL:
        /* src is the operand shifted by count - 1: its top bit left last */
        cf = (b & sign) != 0;
        of = ((b ^ dst) & sign) != 0;
        break;
    case CC_KIND_SAR:
        cf = b & 1;
        of = ((b ^ dst) & sign) != 0;
        break;
    case CC_KIND_MUL:
        cf = of = src != 0;
        break;
    }
    return (cf ? EFLAGS_CF : 0) | parity_flag(dst) | af |
           (dst == 0 ? EFLAGS_ZF : 0) | ((dst & sign) ? EFLAGS_SF : 0) |
           (of ? EFLAGS_OF : 0);
}

uint64_t x86_cpu_get_eflags(const CPUX86State *env)
{
    return (env->rflags & ~(uint64_t)EFLAGS_CC_MASK) | EFLAGS_FIXED |
           x86_cc_compute_all(env->cc_op, env->cc_dst, env->cc_src,
                              env->cc_src2);
}

void x86_cpu_set_eflags(CPUX86State *env, uint64_t value)
{
    env->rflags = value & ~(uint64_t)EFLAGS_CC_MASK;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = value & EFLAGS_CC_MASK;
    env->cc_dst = 0;
    env->cc_src2 = 0;
}
