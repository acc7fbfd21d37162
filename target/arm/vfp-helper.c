/*
 * VFPv3/VFPv4 arithmetic for the ARMv7 cores: the FPSCR and FPEXC, and
 * the helper that runs one decoded data-processing instruction
 * (translate-vfp.c decodes it) on env->vfp.
 *
 * The arithmetic is the host's IEEE 754 arithmetic (SSE on x86-64,
 * correctly rounded, in the FPSCR's rounding mode through fenv), with
 * what ARM defines differently done here around it:
 *  - NaNs: an operation on NaNs returns the first signalling NaN quieted,
 *    else the first quiet NaN, in the architecture's operand order; a NaN
 *    made from numbers (0 * inf...) is the default NaN 0x7fc00000; with
 *    FPSCR.DN every NaN result is the default NaN;
 *  - underflow: ARM detects tininess before rounding, the x86 after, so
 *    UFC is computed here (tiny and inexact); a result that rounded up
 *    to the smallest normal is tested again rounded toward zero;
 *  - flush-to-zero (FPSCR.FZ): denormal inputs are zero (IDC), results
 *    tiny before rounding are zero of their sign (UFC, no IXC);
 *  - conversions to integers saturate (IOC, NaN gives 0), and the half
 *    precision conversions (with FPSCR.AHP's alternative format) are
 *    rounded here, the host having no half precision to rely on.
 * Single precision operations run in double and are rounded to single
 * once: for +, -, *, / and square root double rounding through 53 bits
 * is innocuous (53 >= 2 * 24 + 2), and the single FMA uses fmaf.
 * Advanced SIMD's single-precision element operations (neon_fp_op, for
 * neon-helper.c) are the same primitives run in the standard FPSCR
 * value, with the estimates (VRECPE, VRSQRTE) as the ARM ARM's
 * RecipEstimate and RecipSqrtEstimate compute them.
 * Floating-point exception traps are not implemented (the Cortex-A
 * cores have none: FPSCR bits 15:8 read as zero).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fenv.h>
#include <float.h>
#include <math.h>
#include "target/arm/translate.h"

/* FPSCR bits that exist on the Cortex-A cores (as QEMU 7.2 keeps them):
 * NZCV, QC, AHP, DN, FZ, RMode, Stride, Len, IDC and the cumulative
 * flags; the trap enables read as zero. */
#define FPSCR_WRITABLE 0xfff7009fu

uint32_t vfp_get_fpscr(CPUARMState *env)
{
    return env->vfp.fpscr;
}

void vfp_set_fpscr(CPUARMState *env, uint32_t val)
{
    env->vfp.fpscr = val & FPSCR_WRITABLE;
    arm_rebuild_hflags(env);
}

void vfp_set_fpexc(CPUARMState *env, uint32_t val)
{
    env->vfp.fpexc = val & FPEXC_EN;
    arm_rebuild_hflags(env);
}

uint32_t vfp_hflags(CPUARMState *env)
{
    /* CPACR.cp10: 0b01 privileged modes only, 0b11 every mode */
    uint32_t cp10 = (env->cp15.cpacr >> 20) & 3;
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;
    uint32_t f = 0;

    if (cp10 == 3 || (cp10 == 1 && !user)) {
        f |= ARM_TBFLAG_VFP_ACCESS;
        if (env->vfp.fpexc & FPEXC_EN) {
            f |= ARM_TBFLAG_VFP_EN;
        }
    }
    if (env->vfp.fpscr & FPSCR_LEN_STRIDE) {
        f |= ARM_TBFLAG_VFP_VEC;
    }
    return f;
}

void helper_vfp_write_sysreg(CPUARMState *env, uint32_t reg, uint32_t val)
{
    if (reg == VFP_REG_FPSCR) {
        vfp_set_fpscr(env, val);
    } else if (reg == VFP_REG_FPEXC) {
        vfp_set_fpexc(env, val);
    }
    /* FPSID and the MVFRs are read-only: writes are ignored */
}

/* ---- registers ---- */

static uint32_t get_s(CPUARMState *env, int n)
{
    return env->vfp.d[n >> 1] >> (32 * (n & 1));
}

static void set_s(CPUARMState *env, int n, uint32_t v)
{
    uint64_t *d = &env->vfp.d[n >> 1];
    int shift = 32 * (n & 1);

    *d = (*d & ~(0xffffffffull << shift)) | (uint64_t)v << shift;
}

/* A register of the instruction's precision as 64 bits (a single in the
 * low word), and back. */
static uint64_t get_reg(CPUARMState *env, bool dp, int n)
{
    return dp ? env->vfp.d[n] : get_s(env, n);
}

static void set_reg(CPUARMState *env, bool dp, int n, uint64_t v)
{
    if (dp) {
        env->vfp.d[n] = v;
    } else {
        set_s(env, n, v);
    }
}

/* ---- formats ---- */

/* What an operation needs of its precision, by bit pattern. */
typedef struct FPFormat {
    int frac_bits;
    uint64_t sign, exp_mask, frac_mask, quiet;
    uint64_t default_nan;
    double min_normal;
} FPFormat;

static const FPFormat fmt_s = {
    23, 1u << 31, 0x7f800000, 0x007fffff, 1u << 22, 0x7fc00000, FLT_MIN,
};
static const FPFormat fmt_d = {
    52, 1ull << 63, 0x7ff0000000000000ull, 0x000fffffffffffffull,
    1ull << 51, 0x7ff8000000000000ull, DBL_MIN,
};

static const FPFormat *fmt_of(bool dp)
{
    return dp ? &fmt_d : &fmt_s;
}

static bool is_nan(const FPFormat *f, uint64_t x)
{
    return (x & f->exp_mask) == f->exp_mask && (x & f->frac_mask);
}

static bool is_snan(const FPFormat *f, uint64_t x)
{
    return is_nan(f, x) && !(x & f->quiet);
}

static bool is_denormal(const FPFormat *f, uint64_t x)
{
    return !(x & f->exp_mask) && (x & f->frac_mask);
}

static bool is_zero(const FPFormat *f, uint64_t x)
{
    return !(x & ~f->sign);
}

static bool is_inf(const FPFormat *f, uint64_t x)
{
    return (x & ~f->sign) == f->exp_mask;
}

static double to_host(const FPFormat *f, uint64_t x)
{
    if (f == &fmt_d) {
        double d;

        memcpy(&d, &x, 8);
        return d;
    } else {
        uint32_t w = x;
        float s;

        memcpy(&s, &w, 4);
        return s;
    }
}

static uint64_t from_host(const FPFormat *f, double v)
{
    if (f == &fmt_d) {
        uint64_t x;

        memcpy(&x, &v, 8);
        return x;
    } else {
        float s = v;                 /* exact: v is a single already */
        uint32_t w;

        memcpy(&w, &s, 4);
        return w;
    }
}

/* ---- the context of one operation ---- */

typedef struct FPContext {
    CPUARMState *env;
    uint32_t fpscr;
    uint32_t flags;              /* FPSCR cumulative bits raised */
} FPContext;

static FPContext fp_begin(CPUARMState *env)
{
    return (FPContext){ .env = env, .fpscr = env->vfp.fpscr };
}

static void fp_end(FPContext *c)
{
    c->env->vfp.fpscr |= c->flags;
}

static int rmode(const FPContext *c)
{
    return (c->fpscr >> FPSCR_RMODE_SHIFT) & 3;
}

static const int host_rmode[4] = {
    FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO,
};

/* FZ: a denormal input is a zero of its sign (IDC). */
static uint64_t flush_in(FPContext *c, const FPFormat *f, uint64_t x)
{
    if ((c->fpscr & FPSCR_FZ) && is_denormal(f, x)) {
        c->flags |= FPSCR_IDC;
        return x & f->sign;
    }
    return x;
}

/* A NaN operand as a result: quieted (IOC if it was signalling), or the
 * default NaN under DN. */
static uint64_t nan_result(FPContext *c, const FPFormat *f, uint64_t x)
{
    if (is_snan(f, x)) {
        c->flags |= FPSCR_IOC;
    }
    return (c->fpscr & FPSCR_DN) ? f->default_nan : x | f->quiet;
}

/* ARM's choice among NaN operands (FPProcessNaNs): the first signalling
 * one, else the first quiet one.  False when no operand is a NaN. */
static bool process_nans(FPContext *c, const FPFormat *f, int n,
                         const uint64_t *ops, uint64_t *res)
{
    for (int i = 0; i < n; i++) {
        if (is_snan(f, ops[i])) {
            *res = nan_result(c, f, ops[i]);
            return true;
        }
    }
    for (int i = 0; i < n; i++) {
        if (is_nan(f, ops[i])) {
            *res = nan_result(c, f, ops[i]);
            return true;
        }
    }
    return false;
}

/* ---- rounding through the host ---- */

enum { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FMA, H_CVT };

/* The host operation, rounded to the format in the current host mode.
 * volatile keeps the compiler from folding or moving it across the
 * rounding mode and flag accesses. */
static double host_op(int op, const FPFormat *f, double a, double b,
                      double c)
{
    volatile double va = a, vb = b, vc = c;
    volatile double r;

    switch (op) {
    case H_ADD:
        r = va + vb;
        break;
    case H_SUB:
        r = va - vb;
        break;
    case H_MUL:
        r = va * vb;
        break;
    case H_DIV:
        r = va / vb;
        break;
    case H_SQRT:
        r = sqrt(va);
        break;
    case H_FMA:
        r = f == &fmt_d ? fma(va, vb, vc) : fmaf(va, vb, vc);
        break;
    default:                         /* H_CVT: a double to the format */
        r = va;
        break;
    }
    if (f != &fmt_d) {
        volatile float s = r;

        r = s;
    }
    return r;
}

/*
 * Runs op on numbers (no NaN operands) in the FPSCR's rounding mode and
 * returns the result's bits, with ARM's flags, underflow and flush.
 */
static uint64_t fp_round(FPContext *c, int op, const FPFormat *f, double a,
                         double b, double d)
{
    int mode = host_rmode[rmode(c)];
    double r, mag;
    bool inexact, tiny = false;
    int ex;

    feclearexcept(FE_ALL_EXCEPT);
    fesetround(mode);
    r = host_op(op, f, a, b, d);
    ex = fetestexcept(FE_ALL_EXCEPT);
    inexact = ex & FE_INEXACT;
    mag = fabs(r);
    if (!isnan(r) && (r != 0 || inexact) && mag <= f->min_normal) {
        /* tiny before rounding: below the smallest normal, or rounded
         * up to it from below (then rounding toward zero stays below) */
        tiny = mag < f->min_normal;
        if (!tiny && inexact && mode != FE_TOWARDZERO) {
            fesetround(FE_TOWARDZERO);
            tiny = fabs(host_op(op, f, a, b, d)) < f->min_normal;
        }
    }
    fesetround(FE_TONEAREST);

    if (isnan(r)) {                  /* an invalid operation */
        c->flags |= FPSCR_IOC;
        return f->default_nan;
    }
    if (tiny && (c->fpscr & FPSCR_FZ)) {
        c->flags |= FPSCR_UFC;
        return signbit(r) ? f->sign : 0;
    }
    if (ex & FE_INVALID) {
        c->flags |= FPSCR_IOC;
    }
    if (ex & FE_DIVBYZERO) {
        c->flags |= FPSCR_DZC;
    }
    if (ex & FE_OVERFLOW) {
        c->flags |= FPSCR_OFC;
    }
    if (tiny && inexact) {
        c->flags |= FPSCR_UFC;
    }
    if (inexact) {
        c->flags |= FPSCR_IXC;
    }
    return from_host(f, r);
}

/* ---- the arithmetic primitives (the ARM ARM's FPAdd, FPMul...) ---- */

static uint64_t fp_neg(const FPFormat *f, uint64_t x)
{
    return x ^ f->sign;
}

static uint64_t fp_binop(FPContext *c, int op, const FPFormat *f,
                         uint64_t a, uint64_t b)
{
    uint64_t ops[2] = { flush_in(c, f, a), flush_in(c, f, b) };
    uint64_t res;

    if (process_nans(c, f, 2, ops, &res)) {
        return res;
    }
    return fp_round(c, op, f, to_host(f, ops[0]), to_host(f, ops[1]), 0);
}

/* addend + a * b rounded once (FPMulAdd). */
static uint64_t fp_muladd(FPContext *c, const FPFormat *f, uint64_t addend,
                          uint64_t a, uint64_t b)
{
    uint64_t ops[3] = {
        flush_in(c, f, addend), flush_in(c, f, a), flush_in(c, f, b),
    };
    bool inf_times_zero = (is_inf(f, ops[1]) && is_zero(f, ops[2])) ||
                          (is_zero(f, ops[1]) && is_inf(f, ops[2]));
    uint64_t res;

    if (process_nans(c, f, 3, ops, &res)) {
        /* 0 * inf is invalid even when the addend is a quiet NaN */
        if (inf_times_zero && !is_snan(f, ops[0])) {
            c->flags |= FPSCR_IOC;
            res = f->default_nan;
        }
        return res;
    }
    return fp_round(c, H_FMA, f, to_host(f, ops[1]), to_host(f, ops[2]),
                    to_host(f, ops[0]));
}

static uint64_t fp_sqrt(FPContext *c, const FPFormat *f, uint64_t a)
{
    uint64_t res;

    a = flush_in(c, f, a);
    if (process_nans(c, f, 1, &a, &res)) {
        return res;
    }
    return fp_round(c, H_SQRT, f, to_host(f, a), 0, 0);
}

/* FPCompare's relation of a and b (denormals flushed under FZ); a NaN
 * operand is invalid when signalling or, for signalling compares
 * (VCMPE, NEON's ordered compares), when quiet too. */
enum { FP_LESS, FP_EQUAL, FP_GREATER, FP_UNORDERED };

static int fp_relation(FPContext *c, const FPFormat *f, uint64_t a,
                       uint64_t b, bool signalling)
{
    double x, y;

    a = flush_in(c, f, a);
    b = flush_in(c, f, b);
    if (is_nan(f, a) || is_nan(f, b)) {
        if (signalling || is_snan(f, a) || is_snan(f, b)) {
            c->flags |= FPSCR_IOC;
        }
        return FP_UNORDERED;
    }
    x = to_host(f, a);
    y = to_host(f, b);
    return x == y ? FP_EQUAL : x < y ? FP_LESS : FP_GREATER;
}

/* VCMP/VCMPE: FPSCR NZCV = 0110 equal, 1000 less, 0010 greater, 0011
 * unordered. */
static void fp_compare(FPContext *c, const FPFormat *f, uint64_t a,
                       uint64_t b, bool quiet_invalid)
{
    static const uint32_t nzcv[] = {
        [FP_LESS] = 0x8, [FP_EQUAL] = 0x6, [FP_GREATER] = 0x2,
        [FP_UNORDERED] = 0x3,
    };
    int rel = fp_relation(c, f, a, b, quiet_invalid);

    c->env->vfp.fpscr = (c->env->vfp.fpscr & ~CPSR_NZCV) |
                        nzcv[rel] << 28;
}

/* FPMax/FPMin as QEMU's float32_max/min: NaNs propagate, +0 is the
 * larger zero; the operand returned is the flushed one. */
static uint64_t fp_minmax(FPContext *c, const FPFormat *f, uint64_t a,
                          uint64_t b, bool is_min)
{
    uint64_t ops[2] = { flush_in(c, f, a), flush_in(c, f, b) };
    uint64_t res;
    bool a_first;

    if (process_nans(c, f, 2, ops, &res)) {
        return res;
    }
    if ((ops[0] ^ ops[1]) & f->sign) {
        a_first = !(ops[0] & f->sign);          /* the positive one */
    } else {
        a_first = to_host(f, ops[0]) >= to_host(f, ops[1]);
    }
    return a_first != is_min ? ops[0] : ops[1];
}

/* ---- conversions ---- */

/* Single <-> double (VCVT.F64.F32, VCVT.F32.F64). */
static uint64_t fp_convert(FPContext *c, const FPFormat *from,
                           const FPFormat *to, uint64_t x)
{
    x = flush_in(c, from, x);
    if (is_nan(from, x)) {
        uint64_t frac = x & from->frac_mask;
        uint64_t res;

        if (is_snan(from, x)) {
            c->flags |= FPSCR_IOC;
        }
        if (c->fpscr & FPSCR_DN) {
            return to->default_nan;
        }
        /* the sign and the top of the payload carry over, quieted */
        frac = to->frac_bits > from->frac_bits ?
               frac << (to->frac_bits - from->frac_bits) :
               frac >> (from->frac_bits - to->frac_bits);
        res = to->exp_mask | to->quiet | frac;
        return (x & from->sign) ? res | to->sign : res;
    }
    return fp_round(c, H_CVT, to, to_host(from, x), 0, 0);
}

/* To a 32-bit integer, or to fixed point with fbits fraction bits and
 * size 16 or 32 (FPToFixed): rounded toward zero or in the FPSCR's
 * mode, saturated (IOC, no IXC), NaN giving 0 (IOC).  16-bit results are
 * sign- or zero-extended to 32 bits. */
static uint32_t fp_to_fixed(FPContext *c, const FPFormat *f, uint64_t x,
                            int fbits, int size, bool is_unsigned,
                            bool round_zero)
{
    double v, r, lo, hi;

    x = flush_in(c, f, x);
    if (is_nan(f, x)) {
        c->flags |= FPSCR_IOC;
        return 0;
    }
    v = ldexp(to_host(f, x), fbits);     /* exact, or infinite */
    fesetround(round_zero ? FE_TOWARDZERO : host_rmode[rmode(c)]);
    r = nearbyint(v);
    fesetround(FE_TONEAREST);
    lo = is_unsigned ? 0 : -ldexp(1, size - 1);
    hi = is_unsigned ? ldexp(1, size) - 1 : ldexp(1, size - 1) - 1;
    if (r < lo || r > hi) {
        c->flags |= FPSCR_IOC;
        r = r < lo ? lo : hi;
    } else if (r != v) {
        c->flags |= FPSCR_IXC;
    }
    if (is_unsigned) {
        return (uint32_t)r;
    }
    return (uint32_t)(int32_t)r;
}

/* From a 32-bit integer or fixed-point value (FixedToFP), in c's
 * rounding mode. */
static uint64_t fp_from_fixed(FPContext *c, const FPFormat *f, uint32_t x,
                              int fbits, int size, bool is_unsigned)
{
    double v;

    if (size == 16) {
        x = is_unsigned ? (uint16_t)x : (uint32_t)(int16_t)x;
    }
    v = is_unsigned ? (double)x : (double)(int32_t)x;
    return fp_round(c, H_CVT, f, ldexp(v, -fbits), 0, 0);
}

/* Half precision (VCVTB/VCVTT): IEEE binary16, or with FPSCR.AHP the
 * alternative format whose exponent 31 is numbers (no infinities or
 * NaNs).  Half operands and results are never flushed. */
static uint32_t half_to_single(FPContext *c, uint32_t h)
{
    uint32_t sign = (h & 0x8000) << 16;
    int exp = (h >> 10) & 0x1f;
    uint32_t frac = h & 0x3ff;
    bool ahp = c->fpscr & FPSCR_AHP;

    if (exp == 0x1f && !ahp) {
        if (!frac) {
            return sign | 0x7f800000;
        }
        if (!(frac & 0x200)) {
            c->flags |= FPSCR_IOC;
        }
        if (c->fpscr & FPSCR_DN) {
            return fmt_s.default_nan;
        }
        return sign | 0x7fc00000 | frac << 13;
    }
    return from_host(&fmt_s, (sign ? -1.0 : 1.0) *
                     ldexp(exp ? (frac | 0x400) : frac, (exp ? exp : 1) - 25));
}

static uint32_t single_to_half(FPContext *c, uint32_t x)
{
    bool ahp = c->fpscr & FPSCR_AHP;
    uint32_t sign = (x >> 16) & 0x8000;
    double v, q, r, max;
    int e, mode = rmode(c);
    bool inexact;

    x = flush_in(c, &fmt_s, x);
    if (is_nan(&fmt_s, x)) {
        if (ahp) {
            c->flags |= FPSCR_IOC;
            return sign;
        }
        if (is_snan(&fmt_s, x)) {
            c->flags |= FPSCR_IOC;
        }
        if (c->fpscr & FPSCR_DN) {
            return 0x7e00;
        }
        return sign | 0x7e00 | ((x >> 13) & 0x3ff);
    }
    if (is_inf(&fmt_s, x)) {
        if (ahp) {
            c->flags |= FPSCR_IOC;
            return sign | 0x7fff;
        }
        return sign | 0x7c00;
    }
    v = fabs(to_host(&fmt_s, x));
    if (v == 0) {
        return sign;
    }
    /* round |v| to 11 significant bits, or to a multiple of 2^-24 below
     * the normal range; the direction of the directed modes depends on
     * the sign */
    frexp(v, &e);
    q = ldexp(1, (e - 1 < -14 ? -14 : e - 1) - 10);
    if (sign && (mode == 1 || mode == 2)) {
        mode ^= 3;                   /* RP <-> RM on the magnitude */
    }
    fesetround(host_rmode[mode]);
    r = nearbyint(v / q) * q;
    fesetround(FE_TONEAREST);
    inexact = r != v;
    max = ahp ? 131008 : 65504;
    if (r > max) {
        if (ahp) {
            c->flags |= FPSCR_IOC;
            return sign | 0x7fff;
        }
        c->flags |= FPSCR_OFC | FPSCR_IXC;
        /* to infinity unless the mode rounds the magnitude down */
        return sign | (mode == 0 || mode == 1 ? 0x7c00 : 0x7bff);
    }
    if (inexact) {
        c->flags |= FPSCR_IXC;
        if (v < ldexp(1, -14)) {
            c->flags |= FPSCR_UFC;
        }
    }
    if (r < ldexp(1, -14)) {
        return sign | (uint32_t)ldexp(r, 24);
    }
    frexp(r, &e);
    return sign | (uint32_t)(e + 14) << 10 |
           ((uint32_t)ldexp(r, 11 - e) & 0x3ff);
}

/* ---- the data-processing helper ---- */

uint32_t helper_vfp_dp(CPUARMState *env, uint32_t op, uint32_t regs)
{
    int code = VFP_OP_CODE(op), extra = VFP_OP_EXTRA(op);
    bool dp = op & VFP_OP_DP;
    const FPFormat *f = fmt_of(dp);
    int d = regs & 0xff, n = (regs >> 8) & 0xff, m = (regs >> 16) & 0xff;
    uint64_t vd = get_reg(env, dp, d), vn = get_reg(env, dp, n);
    uint64_t vm = get_reg(env, dp, m);
    FPContext c = fp_begin(env);
    uint64_t res;

    switch (code) {
    case VFP_MLA:                    /* d + n * m, rounded twice */
        res = fp_binop(&c, H_ADD, f, vd, fp_binop(&c, H_MUL, f, vn, vm));
        break;
    case VFP_MLS:
        res = fp_binop(&c, H_ADD, f, vd,
                       fp_neg(f, fp_binop(&c, H_MUL, f, vn, vm)));
        break;
    case VFP_NMLA:
        res = fp_binop(&c, H_ADD, f, fp_neg(f, vd),
                       fp_neg(f, fp_binop(&c, H_MUL, f, vn, vm)));
        break;
    case VFP_NMLS:
        res = fp_binop(&c, H_ADD, f, fp_neg(f, vd),
                       fp_binop(&c, H_MUL, f, vn, vm));
        break;
    case VFP_MUL:
        res = fp_binop(&c, H_MUL, f, vn, vm);
        break;
    case VFP_NMUL:
        res = fp_neg(f, fp_binop(&c, H_MUL, f, vn, vm));
        break;
    case VFP_ADD:
        res = fp_binop(&c, H_ADD, f, vn, vm);
        break;
    case VFP_SUB:
        res = fp_binop(&c, H_SUB, f, vn, vm);
        break;
    case VFP_DIV:
        res = fp_binop(&c, H_DIV, f, vn, vm);
        break;
    case VFP_FMA:                    /* d + n * m, rounded once */
        res = fp_muladd(&c, f, vd, vn, vm);
        break;
    case VFP_FMS:
        res = fp_muladd(&c, f, vd, fp_neg(f, vn), vm);
        break;
    case VFP_FNMA:
        res = fp_muladd(&c, f, fp_neg(f, vd), fp_neg(f, vn), vm);
        break;
    case VFP_FNMS:
        res = fp_muladd(&c, f, fp_neg(f, vd), vn, vm);
        break;
    case VFP_MOV:
        res = vm;
        break;
    case VFP_ABS:
        res = vm & ~f->sign;
        break;
    case VFP_NEG:
        res = fp_neg(f, vm);
        break;
    case VFP_SQRT:
        res = fp_sqrt(&c, f, vm);
        break;
    case VFP_CMP:                    /* extra: 1 VCMPE, 2 with zero */
        fp_compare(&c, f, vd, (extra & 2) ? 0 : vm, extra & 1);
        fp_end(&c);
        return 0;
    case VFP_CVT_PRECISION:          /* dp: from double to single */
        if (dp) {
            set_s(env, d, fp_convert(&c, &fmt_d, &fmt_s, env->vfp.d[m]));
        } else {
            env->vfp.d[d] = fp_convert(&c, &fmt_s, &fmt_d, get_s(env, m));
        }
        fp_end(&c);
        return 0;
    case VFP_CVT_FROM_HALF:          /* extra: 1 from the top half */
        set_s(env, d, half_to_single(&c, get_s(env, m) >> (16 * extra)));
        fp_end(&c);
        return 0;
    case VFP_CVT_TO_HALF: {          /* extra: 1 to the top half */
        uint32_t h = single_to_half(&c, get_s(env, m));
        uint32_t old = get_s(env, d);

        set_s(env, d, extra ? (old & 0xffff) | h << 16
                            : (old & 0xffff0000) | h);
        fp_end(&c);
        return 0;
    }
    case VFP_FROM_INT:               /* extra: signed; m is a single */
        res = fp_from_fixed(&c, f, get_s(env, m), 0, 32, !extra);
        break;
    case VFP_TO_INT:                 /* extra: signed | 2 round to zero */
        set_s(env, d, fp_to_fixed(&c, f, vm, 0, 32, !(extra & 1),
                                  extra & 2));
        fp_end(&c);
        return 0;
    case VFP_FROM_FIXED:             /* extra: VFP_FIX_* */
        /* FixedToFP rounds to nearest whatever FPSCR.RMode says */
        c.fpscr &= ~(3u << FPSCR_RMODE_SHIFT);
        res = fp_from_fixed(&c, f, (uint32_t)vd, extra & VFP_FIX_FBITS,
                            (extra & VFP_FIX_32) ? 32 : 16,
                            extra & VFP_FIX_UNSIGNED);
        break;
    case VFP_TO_FIXED: {
        uint32_t v = fp_to_fixed(&c, f, vd, extra & VFP_FIX_FBITS,
                                 (extra & VFP_FIX_32) ? 32 : 16,
                                 extra & VFP_FIX_UNSIGNED, true);

        /* extended to the register: 64 bits for a double */
        res = (extra & VFP_FIX_UNSIGNED) ? v : (uint64_t)(int64_t)(int32_t)v;
        break;
    }
    default:
        g_assert_not_reached();
    }
    set_reg(env, dp, d, res);
    fp_end(&c);
    return 0;
}

/* ---- Advanced SIMD: estimates and the element operations ---- */

/* RecipEstimate: a 9-bit fixed-point input in [256, 512) (0.5 <= x < 1)
 * to a 9-bit estimate of 1/x in [256, 512). */
static uint32_t recip_estimate(uint32_t a)
{
    uint32_t b = (1u << 19) / (2 * a + 1);

    return (b + 1) >> 1;
}

/* RecipSqrtEstimate: a in [128, 512) (0.25 <= x < 1, the exponent's
 * parity kept) to an estimate of 1/sqrt(x) in [256, 512). */
static uint32_t recip_sqrt_estimate(uint32_t a)
{
    uint32_t b = 512;

    a = a < 256 ? 2 * a + 1 : ((a >> 1) << 1) * 2 + 2;
    while (a * (b + 1) * (b + 1) < (1u << 28)) {
        b++;
    }
    return (b + 1) / 2;
}

/* A NaN operand of an estimate: quieted, or the default NaN. */
static uint32_t estimate_nan(FPContext *c, uint32_t x)
{
    return nan_result(c, &fmt_s, x);
}

/* FPRecipEstimate on a single (VRECPE.F32). */
static uint32_t fp_recip_estimate(FPContext *c, uint32_t x)
{
    uint32_t sign = x & 0x80000000u, frac;
    int exp, res_exp;
    uint64_t est;

    x = flush_in(c, &fmt_s, x);
    exp = (x >> 23) & 0xff;
    frac = x & 0x7fffff;
    if (is_nan(&fmt_s, x)) {
        return estimate_nan(c, x);
    }
    if (is_inf(&fmt_s, x)) {
        return sign;
    }
    if (is_zero(&fmt_s, x)) {
        c->flags |= FPSCR_DZC;
        return sign | 0x7f800000;
    }
    if ((x & 0x7fffffff) < (1u << 21)) {        /* below 2^-128 */
        c->flags |= FPSCR_OFC | FPSCR_IXC;
        /* to infinity unless the rounding mode turns the magnitude down */
        switch (rmode(c)) {
        case 0:
            return sign | 0x7f800000;
        case 1:
            return sign | (sign ? 0x7f7fffff : 0x7f800000);
        case 2:
            return sign | (sign ? 0x7f800000 : 0x7f7fffff);
        default:
            return sign | 0x7f7fffff;
        }
    }
    if (exp >= 253 && (c->fpscr & FPSCR_FZ)) {
        c->flags |= FPSCR_UFC;
        return sign;
    }
    /* the fraction's top bits, a denormal's normalised by a step or two */
    est = (uint64_t)frac << 29;
    if (exp == 0) {
        if (!(est & (1ull << 51))) {
            exp = -1;
            est <<= 2;
        } else {
            est <<= 1;
        }
    }
    est = (uint64_t)recip_estimate(256 | ((est >> 44) & 0xff)) << 44;
    res_exp = 253 - exp;
    if (res_exp == 0) {
        est = (est >> 1) | (1ull << 51);
    } else if (res_exp == -1) {
        est = (est >> 2) | (1ull << 50);
        res_exp = 0;
    }
    return sign | (uint32_t)res_exp << 23 | ((est >> 29) & 0x7fffff);
}

/* FPRSqrtEstimate on a single (VRSQRTE.F32). */
static uint32_t fp_rsqrt_estimate(FPContext *c, uint32_t x)
{
    uint64_t frac;
    uint32_t scaled;
    int exp;

    x = flush_in(c, &fmt_s, x);
    if (is_nan(&fmt_s, x)) {
        return estimate_nan(c, x);
    }
    if (is_zero(&fmt_s, x)) {
        c->flags |= FPSCR_DZC;
        return (x & 0x80000000u) | 0x7f800000;
    }
    if (x & 0x80000000u) {
        c->flags |= FPSCR_IOC;
        return fmt_s.default_nan;
    }
    if (is_inf(&fmt_s, x)) {
        return 0;
    }
    exp = (x >> 23) & 0xff;
    frac = (uint64_t)(x & 0x7fffff) << 29;
    if (exp == 0) {                             /* normalised */
        while (!(frac & (1ull << 51))) {
            frac <<= 1;
            exp--;
        }
        frac = (frac & ((1ull << 51) - 1)) << 1;
    }
    scaled = (exp & 1) ? 128 | ((frac >> 45) & 0x7f)
                       : 256 | ((frac >> 44) & 0xff);
    return (uint32_t)((380 - exp) / 2) << 23 |
           (recip_sqrt_estimate(scaled) & 0xff) << 15;
}

uint32_t neon_fp_op(CPUARMState *env, NeonFpOp op, uint32_t a, uint32_t b,
                    uint32_t acc)
{
    const FPFormat *f = &fmt_s;
    FPContext c = fp_begin(env);
    uint32_t res;
    int rel;

    c.fpscr = FPSCR_FZ | FPSCR_DN | (env->vfp.fpscr & FPSCR_AHP);
    switch (op) {
    case NEON_FADD:
        res = fp_binop(&c, H_ADD, f, a, b);
        break;
    case NEON_FSUB:
        res = fp_binop(&c, H_SUB, f, a, b);
        break;
    case NEON_FMUL:
        res = fp_binop(&c, H_MUL, f, a, b);
        break;
    case NEON_FABD:
        res = fp_binop(&c, H_SUB, f, a, b) & ~f->sign;
        break;
    case NEON_FMLA:
        res = fp_binop(&c, H_ADD, f, acc, fp_binop(&c, H_MUL, f, a, b));
        break;
    case NEON_FMLS:
        res = fp_binop(&c, H_SUB, f, acc, fp_binop(&c, H_MUL, f, a, b));
        break;
    case NEON_FFMA:
        res = fp_muladd(&c, f, acc, a, b);
        break;
    case NEON_FFMS:
        res = fp_muladd(&c, f, acc, fp_neg(f, a), b);
        break;
    case NEON_FMAX:
    case NEON_FMIN:
        res = fp_minmax(&c, f, a, b, op == NEON_FMIN);
        break;
    case NEON_FRECPS:
    case NEON_FRSQRTS: {
        /* inf * 0 (denormals flushed) gives the exact answer for
         * Newton-Raphson's step, 2 or 1.5, without an invalid */
        uint32_t x = flush_in(&c, f, a), y = flush_in(&c, f, b);
        bool recps = op == NEON_FRECPS;

        if ((is_inf(f, x) && is_zero(f, y)) ||
            (is_zero(f, x) && is_inf(f, y))) {
            res = recps ? 0x40000000 : 0x3fc00000;
        } else {
            res = fp_binop(&c, H_SUB, f, recps ? 0x40000000 : 0x40400000,
                           fp_binop(&c, H_MUL, f, x, y));
            if (!recps) {
                res = fp_binop(&c, H_DIV, f, res, 0x40000000);
            }
        }
        break;
    }
    case NEON_FCEQ:
        res = fp_relation(&c, f, a, b, false) == FP_EQUAL;
        break;
    case NEON_FCGE:
        rel = fp_relation(&c, f, a, b, true);
        res = rel == FP_GREATER || rel == FP_EQUAL;
        break;
    case NEON_FCGT:
        res = fp_relation(&c, f, a, b, true) == FP_GREATER;
        break;
    case NEON_FACGE:
        rel = fp_relation(&c, f, a & ~f->sign, b & ~f->sign, true);
        res = rel == FP_GREATER || rel == FP_EQUAL;
        break;
    case NEON_FACGT:
        res = fp_relation(&c, f, a & ~f->sign, b & ~f->sign, true) ==
              FP_GREATER;
        break;
    case NEON_FCLE:
        rel = fp_relation(&c, f, a, b, true);
        res = rel == FP_LESS || rel == FP_EQUAL;
        break;
    case NEON_FCLT:
        res = fp_relation(&c, f, a, b, true) == FP_LESS;
        break;
    case NEON_FRECPE:
        res = fp_recip_estimate(&c, a);
        break;
    case NEON_FRSQRTE:
        res = fp_rsqrt_estimate(&c, a);
        break;
    case NEON_URECPE:
        res = (a & 0x80000000u) ? recip_estimate(a >> 23) << 23 : UINT32_MAX;
        break;
    case NEON_URSQRTE:
        res = (a & 0xc0000000u) ? recip_sqrt_estimate(a >> 23) << 23
                                : UINT32_MAX;
        break;
    case NEON_FTOSI:
    case NEON_FTOUI:
        res = fp_to_fixed(&c, f, a, b, 32, op == NEON_FTOUI, true);
        break;
    case NEON_SITOF:
    case NEON_UITOF:
        res = fp_from_fixed(&c, f, a, b, 32, op == NEON_UITOF);
        break;
    case NEON_F32_TO_F16:
        res = single_to_half(&c, a);
        break;
    default:                         /* NEON_F16_TO_F32 */
        res = half_to_single(&c, a);
        break;
    }
    if (op >= NEON_FCEQ && op <= NEON_FCLT) {
        res = res ? UINT32_MAX : 0;
    }
    fp_end(&c);
    return res;
}
