/*
 * Helpers for the ARMv6/ARMv7 integer additions that are too branchy to
 * inline: the parallel (SIMD in a register) add and subtract family with
 * its GE flags, SEL, USAD8, the saturations (SSAT, USAT and the 16-bit
 * forms), RBIT, the divides, and the exclusive stores.  Shared by the
 * ARM and Thumb-2 decoders.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "translate.h"

/* ---- parallel add and subtract ---- */

/* One lane of a parallel operation: x op y on n-bit lanes (already
 * extended as signed or unsigned), the lane result and its GE bit. */
static uint32_t parallel_lane(int kind, bool is_unsigned, int n, int32_t x,
                              int32_t y, bool sub, bool *ge)
{
    int32_t r = sub ? x - y : x + y;
    int32_t lo = is_unsigned ? 0 : -(1 << (n - 1));
    int32_t hi = is_unsigned ? (1 << n) - 1 : (1 << (n - 1)) - 1;

    switch (kind) {
    case PAR_PLAIN:
        /* Signed: the result is not negative.  Unsigned: an add
         * carried out, a subtract did not borrow. */
        *ge = is_unsigned && !sub ? r > hi : r >= 0;
        break;
    case PAR_SATURATE:
        r = r < lo ? lo : r > hi ? hi : r;
        break;
    default:                     /* halving */
        r >>= 1;
        break;
    }
    return (uint32_t)r & ((1u << n) - 1);
}

static int32_t lane(uint32_t v, int i, int n, bool is_unsigned)
{
    uint32_t u = (v >> (i * n)) & ((1u << n) - 1);

    if (is_unsigned) {
        return u;
    }
    return (int32_t)(u << (32 - n)) >> (32 - n);
}

uint32_t helper_parallel(CPUARMState *env, uint32_t a, uint32_t b,
                         uint32_t code)
{
    int kind = PAR_KIND(code);
    bool is_unsigned = code & PAR_UNSIGNED;
    int op = PAR_OP(code);
    uint32_t res = 0, ge = 0;
    bool g = false;

    if (op >= PAR_ADD8) {                /* ADD8, SUB8: four bytes */
        for (int i = 0; i < 4; i++) {
            res |= parallel_lane(kind, is_unsigned, 8,
                                 lane(a, i, 8, is_unsigned),
                                 lane(b, i, 8, is_unsigned),
                                 op == PAR_SUB8, &g) << (8 * i);
            ge |= g << i;
        }
    } else {
        /* ADD16, ASX (low: a.lo - b.hi, high: a.hi + b.lo), SAX (the
         * other way), SUB16 */
        static const bool sub_lo[4] = { false, true, false, true };
        static const bool sub_hi[4] = { false, false, true, true };
        bool cross = op == PAR_ASX || op == PAR_SAX;
        uint32_t r;

        r = parallel_lane(kind, is_unsigned, 16, lane(a, 0, 16, is_unsigned),
                          lane(b, cross ? 1 : 0, 16, is_unsigned),
                          sub_lo[op], &g);
        res = r;
        ge = g ? 3 : 0;
        r = parallel_lane(kind, is_unsigned, 16, lane(a, 1, 16, is_unsigned),
                          lane(b, cross ? 0 : 1, 16, is_unsigned),
                          sub_hi[op], &g);
        res |= r << 16;
        ge |= g ? 0xc : 0;
    }
    if (kind == PAR_PLAIN) {
        env->GE = ge;
    }
    return res;
}

/* SEL: each byte from a where its GE bit is set, else from b. */
uint32_t helper_sel(CPUARMState *env, uint32_t a, uint32_t b)
{
    uint32_t mask = 0;

    for (int i = 0; i < 4; i++) {
        if (env->GE & (1u << i)) {
            mask |= 0xffu << (8 * i);
        }
    }
    return (a & mask) | (b & ~mask);
}

/* USAD8: the sum of the absolute differences of the four bytes. */
uint32_t helper_usad8(CPUARMState *env, uint32_t a, uint32_t b)
{
    uint32_t sum = 0;

    for (int i = 0; i < 32; i += 8) {
        int d = (int)((a >> i) & 0xff) - (int)((b >> i) & 0xff);

        sum += d < 0 ? -d : d;
    }
    return sum;
}

/* ---- saturation ---- */

/* x clamped to the signed range of bits bits (1..32); Q on a clamp. */
static int32_t ssat_one(CPUARMState *env, int32_t x, unsigned bits)
{
    int64_t hi = (INT64_C(1) << (bits - 1)) - 1;
    int64_t lo = -(INT64_C(1) << (bits - 1));

    if (x > hi) {
        env->QF = 1;
        return hi;
    }
    if (x < lo) {
        env->QF = 1;
        return lo;
    }
    return x;
}

/* x clamped to 0 .. 2^bits - 1 (bits 0..31); Q on a clamp. */
static uint32_t usat_one(CPUARMState *env, int32_t x, unsigned bits)
{
    int64_t hi = (INT64_C(1) << bits) - 1;

    if (x > hi) {
        env->QF = 1;
        return hi;
    }
    if (x < 0) {
        env->QF = 1;
        return 0;
    }
    return x;
}

uint32_t helper_ssat(CPUARMState *env, uint32_t x, uint32_t bits)
{
    return ssat_one(env, x, bits);
}

uint32_t helper_usat(CPUARMState *env, uint32_t x, uint32_t bits)
{
    return usat_one(env, x, bits);
}

uint32_t helper_ssat16(CPUARMState *env, uint32_t x, uint32_t bits)
{
    return ((uint32_t)ssat_one(env, (int16_t)x, bits) & 0xffff) |
           (uint32_t)ssat_one(env, (int16_t)(x >> 16), bits) << 16;
}

uint32_t helper_usat16(CPUARMState *env, uint32_t x, uint32_t bits)
{
    return usat_one(env, (int16_t)x, bits) |
           usat_one(env, (int16_t)(x >> 16), bits) << 16;
}

/* ---- bits and divides ---- */

uint32_t helper_rbit(CPUARMState *env, uint32_t x)
{
    uint32_t r = 0;

    for (int i = 0; i < 32; i++) {
        r |= ((x >> i) & 1) << (31 - i);
    }
    return r;
}

/* A divide by zero gives 0 (the A profile has no divide trap), and
 * INT_MIN / -1 gives INT_MIN. */
uint32_t helper_sdiv(CPUARMState *env, uint32_t n, uint32_t d)
{
    if (d == 0) {
        return 0;
    }
    if ((int32_t)n == INT32_MIN && (int32_t)d == -1) {
        return n;
    }
    return (uint32_t)((int32_t)n / (int32_t)d);
}

uint32_t helper_udiv(CPUARMState *env, uint32_t n, uint32_t d)
{
    return d ? n / d : 0;
}

/* ---- exclusive stores ---- */

/*
 * STREX{B,H,,D}: stores val when the local monitor holds addr and memory
 * still holds what LDREX read (compared and swapped atomically, so two
 * vCPUs cannot both succeed); 0 on success, 1 on failure.  The monitor
 * is open afterwards either way.
 */
static uint32_t store_exclusive(CPUARMState *env, uint32_t addr, int size,
                                uint64_t val, uintptr_t ra)
{
    uint32_t marked = env->exclusive_addr;

    env->exclusive_addr = UINT32_MAX;
    if (marked != addr) {
        return 1;
    }
    return cpu_cmpxchg_mmuidx_ra(env_cpu(env), addr, size,
                                 env->exclusive_val, val, arm_mmu_idx(env),
                                 ra) != env->exclusive_val;
}

uint32_t helper_strex(CPUARMState *env, uint32_t addr, uint32_t val,
                      uint32_t size)
{
    return store_exclusive(env, addr, size, val, GETPC());
}

/* STREXD: the pair lo (at addr) and hi (at addr + 4). */
uint32_t helper_strexd(CPUARMState *env, uint32_t addr, uint32_t lo,
                       uint32_t hi)
{
    return store_exclusive(env, addr, 8, (uint64_t)hi << 32 | lo, GETPC());
}
