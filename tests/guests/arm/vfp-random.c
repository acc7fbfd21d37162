/*
 * VFP arithmetic on many random operands, biased toward the corner
 * cases (zeros, infinities, NaNs, denormals, the edges of the normal
 * range), each operation in every rounding mode with and without
 * flush-to-zero and default NaN.  A line per operation and mode gives a
 * hash of the result bits and of the FPSCR flags each one raised.
 *
 * Two parts:
 *  - "ieee": the operations IEEE 754 defines exactly (+ - * / sqrt fma,
 *    conversions between precisions and from integers) on numbers (no
 *    NaN operands), flush-to-zero and default NaN off, flags IOC DZC OFC
 *    IXC.  Also built for the host (ARM's instructions replaced by the
 *    host's C arithmetic under fenv): both must print the same lines.
 *  - "arm": everything, NaNs, FZ and DN and UFC included; compared
 *    with what qemu-system-arm prints for the same program.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <stdint.h>
#include "print.h"

#define OPERANDS 256

/* FPSCR cumulative flags and modes */
#define IOC 0x01
#define DZC 0x02
#define OFC 0x04
#define UFC 0x08
#define IXC 0x10
#define IDC 0x80
#define FZ (1u << 24)
#define DN (1u << 25)

typedef uint64_t (*FPOp)(uint64_t a, uint64_t b, uint64_t c);

typedef struct OpInfo {
    const char *name;
    FPOp fn;
    bool dp;                     /* operands are doubles */
    bool ieee;                   /* in the host-checked part */
} OpInfo;

/* ---- the operations, on the guest and on the host ---- */

#ifdef __arm__
#include "guest.h"

static uint32_t fpscr_run;       /* the FPSCR each operation starts with */

static void set_fpscr(uint32_t v)
{
    __asm__ volatile("vmsr fpscr, %0" : : "r"(v));
}

static uint32_t get_fpscr(void)
{
    uint32_t v;

    __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
    return v;
}

/* s2 = insn(s0, s1, s2), a, b, c in s0, s1, s2 */
#define OPS(fname, insn)                                                \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c)           \
    {                                                                   \
        uint32_t r;                                                     \
        __asm__ volatile("vmov s0, %1\n\tvmov s1, %2\n\tvmov s2, %3\n\t" \
                         insn "\n\tvmov %0, s2"                         \
                         : "=r"(r)                                      \
                         : "r"((uint32_t)a), "r"((uint32_t)b),          \
                           "r"((uint32_t)c)                             \
                         : "s0", "s1", "s2");                           \
        return r;                                                       \
    }
/* d2 = insn(d0, d1, d2) */
#define OPD(fname, insn)                                                \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c)           \
    {                                                                   \
        uint64_t r;                                                     \
        __asm__ volatile("vmov d0, %Q1, %R1\n\tvmov d1, %Q2, %R2\n\t"   \
                         "vmov d2, %Q3, %R3\n\t"                        \
                         insn "\n\tvmov %Q0, %R0, d2"                   \
                         : "=&r"(r) : "r"(a), "r"(b), "r"(c)            \
                         : "d0", "d1", "d2");                           \
        return r;                                                       \
    }
/* s4 = insn(d0): double to single-register results */
#define OPDS(fname, insn)                                               \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c)           \
    {                                                                   \
        uint32_t r;                                                     \
        (void)b;                                                        \
        __asm__ volatile("vmov d0, %Q1, %R1\n\tvmov s4, %2\n\t"         \
                         insn "\n\tvmov %0, s4"                         \
                         : "=r"(r) : "r"(a), "r"((uint32_t)c)           \
                         : "d0", "d2");                                 \
        return r;                                                       \
    }
/* d2 = insn(s0): single-register operands to a double */
#define OPSD(fname, insn)                                               \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c)           \
    {                                                                   \
        uint64_t r;                                                     \
        (void)b;                                                        \
        (void)c;                                                        \
        __asm__ volatile("vmov s0, %1\n\t"                              \
                         insn "\n\tvmov %Q0, %R0, d2"                   \
                         : "=&r"(r) : "r"((uint32_t)a)                  \
                         : "d0", "d2");                                 \
        return r;                                                       \
    }

OPS(add_s, "vadd.f32 s2, s0, s1")
OPS(sub_s, "vsub.f32 s2, s0, s1")
OPS(mul_s, "vmul.f32 s2, s0, s1")
OPS(div_s, "vdiv.f32 s2, s0, s1")
OPS(sqrt_s, "vsqrt.f32 s2, s0")
OPS(fma_s, "vfma.f32 s2, s0, s1")
OPS(nmul_s, "vnmul.f32 s2, s0, s1")
OPS(mla_s, "vmla.f32 s2, s0, s1")
OPS(mls_s, "vmls.f32 s2, s0, s1")
OPS(nmla_s, "vnmla.f32 s2, s0, s1")
OPS(nmls_s, "vnmls.f32 s2, s0, s1")
OPS(fms_s, "vfms.f32 s2, s0, s1")
OPS(fnma_s, "vfnma.f32 s2, s0, s1")
OPS(fnms_s, "vfnms.f32 s2, s0, s1")
OPS(abs_s, "vabs.f32 s2, s0")
OPS(neg_s, "vneg.f32 s2, s0")
OPS(cmp_s, "vcmp.f32 s0, s1")
OPS(cmpe_s, "vcmpe.f32 s0, s1")
OPS(cmpz_s, "vcmp.f32 s0, #0")
OPS(sito_s, "vcvt.f32.s32 s2, s0")
OPS(uito_s, "vcvt.f32.u32 s2, s0")
OPS(tosiz_s, "vcvt.s32.f32 s2, s0")
OPS(touiz_s, "vcvt.u32.f32 s2, s0")
OPS(tosi_s, "vcvtr.s32.f32 s2, s0")
OPS(toui_s, "vcvtr.u32.f32 s2, s0")
OPS(tofix_s, "vmov s2, s0\n\tvcvt.s32.f32 s2, s2, #16")
OPS(toufix16_s, "vmov s2, s0\n\tvcvt.u16.f32 s2, s2, #8")
OPS(fromfix_s, "vmov s2, s0\n\tvcvt.f32.s32 s2, s2, #16")
OPS(fromsfix16_s, "vmov s2, s0\n\tvcvt.f32.s16 s2, s2, #3")
OPS(tohalf_s, "vcvtb.f16.f32 s2, s0\n\tvcvtt.f16.f32 s2, s1")
OPS(fromhalfb_s, "vcvtb.f32.f16 s2, s0")
OPS(fromhalft_s, "vcvtt.f32.f16 s2, s0")
OPD(add_d, "vadd.f64 d2, d0, d1")
OPD(sub_d, "vsub.f64 d2, d0, d1")
OPD(mul_d, "vmul.f64 d2, d0, d1")
OPD(div_d, "vdiv.f64 d2, d0, d1")
OPD(sqrt_d, "vsqrt.f64 d2, d0")
OPD(fma_d, "vfma.f64 d2, d0, d1")
OPD(nmul_d, "vnmul.f64 d2, d0, d1")
OPD(mla_d, "vmla.f64 d2, d0, d1")
OPD(nmls_d, "vnmls.f64 d2, d0, d1")
OPD(fnma_d, "vfnma.f64 d2, d0, d1")
OPD(abs_d, "vabs.f64 d2, d0")
OPD(cmpe_d, "vcmpe.f64 d0, d1")
OPDS(cvt_ds, "vcvt.f32.f64 s4, d0")
OPSD(cvt_sd, "vcvt.f64.f32 d2, s0")
OPSD(sito_d, "vcvt.f64.s32 d2, s0")
OPSD(uito_d, "vcvt.f64.u32 d2, s0")
OPDS(tosiz_d, "vcvt.s32.f64 s4, d0")
OPDS(toui_d, "vcvtr.u32.f64 s4, d0")
OPD(tofix_d, "vmov.f64 d2, d0\n\tvcvt.u32.f64 d2, d2, #20")
OPD(fromfix_d, "vmov.f64 d2, d0\n\tvcvt.f64.s16 d2, d2, #2")

/* Runs op with the FPSCR at mode; flags: the cumulative ones it
 * raised and NZCV (which only the compares set). */
static uint64_t run(FPOp fn, uint64_t a, uint64_t b, uint64_t c,
                    uint32_t *flags)
{
    uint64_t r;

    set_fpscr(fpscr_run);
    r = fn(a, b, c);
    *flags = get_fpscr() & 0xf000009f;
    return r;
}

/* The FPSCR's modes for the "arm" part. */
static void set_modes(uint32_t rmode, uint32_t extra)
{
    fpscr_run = rmode << 22 | extra;
}

/* cumulative flags compared with the host's in the "ieee" part */
#define IEEE_FLAGS (IOC | DZC | OFC | IXC)
#define HAVE_ARM_PART 1

#else  /* the host */
#include <fenv.h>
#include <math.h>
#include <string.h>

static int host_mode;

static float f32(uint64_t x)
{
    uint32_t w = x;
    float f;

    memcpy(&f, &w, 4);
    return f;
}

static uint64_t b32(float f)
{
    uint32_t w;

    memcpy(&w, &f, 4);
    return w;
}

static double f64(uint64_t x)
{
    double d;

    memcpy(&d, &x, 8);
    return d;
}

static uint64_t b64(double d)
{
    uint64_t x;

    memcpy(&x, &d, 8);
    return x;
}

#define HOST_S(fname, expr)                                             \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c)           \
    {                                                                   \
        volatile float x = f32(a), y = f32(b), z = f32(c);              \
        volatile float r;                                               \
        (void)x; (void)y; (void)z;                                      \
        r = (expr);                                                     \
        return b32(r);                                                  \
    }
#define HOST_D(fname, expr)                                             \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c)           \
    {                                                                   \
        volatile double x = f64(a), y = f64(b), z = f64(c);             \
        volatile double r;                                              \
        (void)x; (void)y; (void)z;                                      \
        r = (expr);                                                     \
        return b64(r);                                                  \
    }

HOST_S(add_s, x + y)
HOST_S(sub_s, x - y)
HOST_S(mul_s, x * y)
HOST_S(div_s, x / y)
HOST_S(sqrt_s, sqrtf(x))
HOST_S(fma_s, fmaf(x, y, z))
HOST_S(sito_s, (float)(int32_t)(uint32_t)a)
HOST_S(uito_s, (float)(uint32_t)a)
HOST_D(add_d, x + y)
HOST_D(sub_d, x - y)
HOST_D(mul_d, x * y)
HOST_D(div_d, x / y)
HOST_D(sqrt_d, sqrt(x))
HOST_D(fma_d, fma(x, y, z))
HOST_S(cvt_ds, (float)f64(a))
HOST_D(cvt_sd, (double)f32(a))
HOST_D(sito_d, (double)(int32_t)(uint32_t)a)
HOST_D(uito_d, (double)(uint32_t)a)

static uint64_t run(FPOp fn, uint64_t a, uint64_t b, uint64_t c,
                    uint32_t *flags)
{
    static const int modes[4] = {
        FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO,
    };
    uint64_t r;
    int ex;

    feclearexcept(FE_ALL_EXCEPT);
    fesetround(modes[host_mode]);
    r = fn(a, b, c);
    ex = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    *flags = ((ex & FE_INVALID) ? IOC : 0) | ((ex & FE_DIVBYZERO) ? DZC : 0) |
             ((ex & FE_OVERFLOW) ? OFC : 0) | ((ex & FE_INEXACT) ? IXC : 0);
    return r;
}

static void set_modes(uint32_t rmode, uint32_t extra)
{
    (void)extra;
    host_mode = rmode;
}

#define IEEE_FLAGS (IOC | DZC | OFC | IXC)
#define HAVE_ARM_PART 0
#endif

/* ---- operands ---- */

static uint32_t seed;

static uint32_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

/* A single: a special value, or a sign, an exponent from a range where
 * things happen (near the bottom, near the top, near 1, near 2^-63 so
 * products land near the bottom), and a random or extreme fraction. */
static uint32_t rnd_single(bool nans)
{
    static const uint32_t specials[] = {
        0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x00000001,
        0x007fffff, 0x00800000, 0x00800001, 0x7f7fffff, 0x3f800000,
        0x3f7fffff, 0x33800000, 0x4f000000, 0x4f800000, 0xcf000000,
        0x47000000, 0x477ff000, 0x387fc000, 0x33000000,
    };
    static const uint32_t nan_values[] = {
        0x7fc00000, 0xffc00001, 0x7f800001, 0xff812345, 0x7fa00000,
    };
    uint32_t r = rnd(), sign = r & 0x80000000, exp, frac;

    switch ((r >> 24) & 7) {
    case 0:
        if (nans && (r & 1)) {
            return nan_values[(r >> 1) % 5];
        }
        return specials[(r >> 1) % (sizeof(specials) / 4)];
    case 1:
        exp = (r >> 8) & 3;                    /* denormal and tiny */
        break;
    case 2:
        exp = 253 + ((r >> 8) & 1);            /* huge */
        break;
    case 3:
        exp = 64 + ((r >> 8) & 1);             /* squares near the bottom */
        break;
    case 4:
        exp = 158 - ((r >> 8) & 7);            /* near the integer limits */
        break;
    default:
        exp = 100 + ((r >> 8) & 63);
        break;
    }
    frac = rnd() & 0x7fffff;
    switch ((r >> 12) & 3) {
    case 0:
        frac |= 0x7fff00;
        break;
    case 1:
        frac &= 0x0000ff;
        break;
    default:
        break;
    }
    return sign | exp << 23 | frac;
}

static uint64_t rnd_double(bool nans)
{
    static const uint64_t specials[] = {
        0, 1ull << 63, 0x7ff0000000000000ull, 0xfff0000000000000ull, 1,
        0x000fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
        0x3ff0000000000000ull, 0x41dfffffffc00000ull, 0x41efffffffe00000ull,
        0x380fffffe0000000ull, 0x47efffffe0000000ull, 0x36a0000000000000ull,
    };
    static const uint64_t nan_values[] = {
        0x7ff8000000000000ull, 0xfff8000000000001ull, 0x7ff0000000000001ull,
        0xfff4000012345678ull,
    };
    uint32_t r = rnd();
    uint64_t sign = (uint64_t)(r & 0x80000000) << 32, exp, frac;

    switch ((r >> 24) & 7) {
    case 0:
        if (nans && (r & 1)) {
            return nan_values[(r >> 1) % 4];
        }
        return specials[(r >> 1) % (sizeof(specials) / 8)];
    case 1:
        exp = (r >> 8) & 3;
        break;
    case 2:
        exp = 2045 + ((r >> 8) & 1);
        break;
    case 3:
        exp = 512 + ((r >> 8) & 1);
        break;
    case 4:                                    /* near single's limits */
        exp = ((r >> 9) & 1 ? 1023 + 128 : 1023 - 126) - ((r >> 8) & 1);
        break;
    default:
        exp = 1000 + ((r >> 8) & 63);
        break;
    }
    frac = ((uint64_t)rnd() << 32 | rnd()) & 0x000fffffffffffffull;
    if ((r >> 12) & 1) {
        frac |= 0x000fffffff000000ull;
    }
    return sign | exp << 52 | frac;
}

/* ---- the sweep ---- */

static uint32_t hash;

static void mix(uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        hash = (hash ^ ((v >> (8 * i)) & 0xff)) * 16777619u;
    }
}

static bool is_nan_bits(bool dp, uint64_t x)
{
    return dp ? (x & 0x7fffffffffffffffull) > 0x7ff0000000000000ull
              : (x & 0x7fffffff) > 0x7f800000;
}

/* One line: op over the operand set in one mode. */
static void sweep(const OpInfo *op, bool ieee, uint32_t rmode,
                  uint32_t modes)
{
    seed = 0x1234567u;
    hash = 2166136261u;
    set_modes(rmode, modes);
    for (int i = 0; i < OPERANDS; i++) {
        uint64_t a, b, c, r;
        uint32_t flags;

        if (op->dp) {
            a = rnd_double(!ieee);
            b = rnd_double(!ieee);
            c = rnd_double(!ieee);
        } else {
            a = rnd_single(!ieee);
            b = rnd_single(!ieee);
            c = rnd_single(!ieee);
        }
        r = run(op->fn, a, b, c, &flags);
        if (ieee) {
            /* the result's format is the op's, except conversions */
            bool rdp = op->fn == cvt_sd || op->fn == sito_d ||
                       op->fn == uito_d ? true :
                       op->fn == cvt_ds ? false : op->dp;

            if (is_nan_bits(rdp, r)) {
                r = 0x7ff;               /* any NaN: the hosts differ */
            }
            flags &= IEEE_FLAGS;
        }
        mix(r);
        mix(r >> 32);
        mix(flags);
#ifdef VFP_RANDOM_VERBOSE
        tprintf("  %llx %llx %llx -> %llx %x\n", (unsigned long long)a,
                (unsigned long long)b, (unsigned long long)c,
                (unsigned long long)r, (unsigned)flags);
#endif
    }
    tprintf("%s %s r%u%s%s: %08x\n", ieee ? "ieee" : "arm", op->name,
            (unsigned)rmode, (modes & FZ) ? " fz" : "",
            (modes & DN) ? " dn" : "", (unsigned)hash);
}

static const OpInfo ieee_ops[] = {
    { "add.f32", add_s, false, true }, { "sub.f32", sub_s, false, true },
    { "mul.f32", mul_s, false, true }, { "div.f32", div_s, false, true },
    { "sqrt.f32", sqrt_s, false, true }, { "fma.f32", fma_s, false, true },
    { "cvt.f32.s32", sito_s, false, true },
    { "cvt.f32.u32", uito_s, false, true },
    { "add.f64", add_d, true, true }, { "sub.f64", sub_d, true, true },
    { "mul.f64", mul_d, true, true }, { "div.f64", div_d, true, true },
    { "sqrt.f64", sqrt_d, true, true }, { "fma.f64", fma_d, true, true },
    { "cvt.f32.f64", cvt_ds, true, true },
    { "cvt.f64.f32", cvt_sd, false, true },
    { "cvt.f64.s32", sito_d, false, true },
    { "cvt.f64.u32", uito_d, false, true },
};

#if HAVE_ARM_PART
static const OpInfo arm_ops[] = {
    { "nmul.f32", nmul_s, false, false }, { "mla.f32", mla_s, false, false },
    { "mls.f32", mls_s, false, false }, { "nmla.f32", nmla_s, false, false },
    { "nmls.f32", nmls_s, false, false }, { "fms.f32", fms_s, false, false },
    { "fnma.f32", fnma_s, false, false }, { "fnms.f32", fnms_s, false, false },
    { "abs.f32", abs_s, false, false }, { "neg.f32", neg_s, false, false },
    { "cmp.f32", cmp_s, false, false }, { "cmpe.f32", cmpe_s, false, false },
    { "cmpz.f32", cmpz_s, false, false },
    { "cvt.s32.f32", tosiz_s, false, false },
    { "cvt.u32.f32", touiz_s, false, false },
    { "cvtr.s32.f32", tosi_s, false, false },
    { "cvtr.u32.f32", toui_s, false, false },
    { "cvt.s32.f32.16", tofix_s, false, false },
    { "cvt.u16.f32.8", toufix16_s, false, false },
    { "cvt.f32.s32.16", fromfix_s, false, false },
    { "cvt.f32.s16.3", fromsfix16_s, false, false },
    { "cvtbt.f16.f32", tohalf_s, false, false },
    { "cvtb.f32.f16", fromhalfb_s, false, false },
    { "cvtt.f32.f16", fromhalft_s, false, false },
    { "nmul.f64", nmul_d, true, false }, { "mla.f64", mla_d, true, false },
    { "nmls.f64", nmls_d, true, false }, { "fnma.f64", fnma_d, true, false },
    { "abs.f64", abs_d, true, false }, { "cmpe.f64", cmpe_d, true, false },
    { "cvt.s32.f64", tosiz_d, true, false },
    { "cvtr.u32.f64", toui_d, true, false },
    { "cvt.u32.f64.20", tofix_d, true, false },
    { "cvt.f64.s16.2", fromfix_d, true, false },
};
#endif

int main(void)
{
#ifdef __arm__
    /* CPACR: cp10 and cp11 at every level; FPEXC.EN */
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb\n\t"
                     "vmsr fpexc, %1" : : "r"(0xf00000), "r"(1u << 30));
#endif
    for (unsigned i = 0; i < sizeof(ieee_ops) / sizeof(ieee_ops[0]); i++) {
        for (uint32_t rmode = 0; rmode < 4; rmode++) {
            sweep(&ieee_ops[i], true, rmode, 0);
        }
    }
#if HAVE_ARM_PART
    static const uint32_t modes[4] = { 0, FZ, DN, FZ | DN };

    for (unsigned i = 0; i < sizeof(ieee_ops) / sizeof(ieee_ops[0]); i++) {
        for (uint32_t rmode = 0; rmode < 4; rmode++) {
            for (int m = 0; m < 4; m++) {
                sweep(&ieee_ops[i], false, rmode, modes[m]);
            }
        }
    }
    for (unsigned i = 0; i < sizeof(arm_ops) / sizeof(arm_ops[0]); i++) {
        for (uint32_t rmode = 0; rmode < 4; rmode++) {
            for (int m = 0; m < 4; m++) {
                sweep(&arm_ops[i], false, rmode, modes[m]);
            }
        }
    }
#endif
    tprintf("vfp-random: done\n");
    print_flush();
    return 0;
}
