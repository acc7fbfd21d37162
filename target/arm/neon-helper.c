/*
 * Advanced SIMD (NEON), run by helpers on env->vfp.d (a Q register being
 * two consecutive D registers): the element and structure loads and
 * stores (VLD1-4, VST1-4: multiple structures, one lane, all lanes),
 * and the whole data-processing space of ARMv7: three registers of the
 * same length (integer and single precision), of different lengths
 * (long, wide, narrow), two registers and a scalar, the modified
 * immediates, the shifts by an immediate (saturating and narrowing ones
 * and the fixed-point conversions included), the two-register
 * miscellaneous operations, VEXT, VTBL/VTBX and VDUP (scalar).  The
 * single-precision element arithmetic is vfp-helper.c's (neon_fp_op),
 * in the standard FPSCR value.
 *
 * The data-processing helper decodes the word when it runs (an
 * interpreter: one call per instruction) and raises the undefined
 * instruction for encodings it does not know or that the architecture
 * makes undefined.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/translate.h"

#define FPSCR_QC (1u << 27)

static void neon_undef(CPUARMState *env, uintptr_t ra) EMU_NORETURN;
static void neon_undef(CPUARMState *env, uintptr_t ra)
{
    arm_raise_exception(env, EXCP_UDEF, ra);
}

/* ---- elements ---- */

/* Element idx of ebytes bytes counted from D register reg upwards. */
static uint8_t *elem_ptr(CPUARMState *env, int reg, int idx, int ebytes)
{
    int per = 8 / ebytes;

    return (uint8_t *)&env->vfp.d[(reg + idx / per) & 31] +
           (idx % per) * ebytes;
}

static uint64_t get_elem(CPUARMState *env, int reg, int idx, int ebytes)
{
    uint64_t v = 0;

    memcpy(&v, elem_ptr(env, reg, idx, ebytes), ebytes);
    return v;
}

static void set_elem(CPUARMState *env, int reg, int idx, int ebytes,
                     uint64_t v)
{
    memcpy(elem_ptr(env, reg, idx, ebytes), &v, ebytes);
}

static int64_t sext(uint64_t v, int bits)
{
    return bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static uint64_t mask_bits(int bits)
{
    return bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
}

/* Saturates v (exact, in 128 bits) to bits signed or unsigned; QC. */
static uint64_t saturate(CPUARMState *env, __int128 v, int bits, bool u)
{
    __int128 lo = u ? 0 : -((__int128)1 << (bits - 1));
    __int128 hi = u ? ((__int128)1 << bits) - 1
                    : ((__int128)1 << (bits - 1)) - 1;

    if (v < lo || v > hi) {
        env->vfp.fpscr |= FPSCR_QC;
        v = v < lo ? lo : hi;
    }
    return (uint64_t)v & mask_bits(bits);
}

/* VMUL.P8, VMULL.P8: the carry-less product of two bytes. */
static uint64_t poly_mul8(uint64_t x, uint64_t y)
{
    uint64_t p = 0;

    for (int k = 0; k < 8; k++) {
        if (y & (1u << k)) {
            p ^= x << k;
        }
    }
    return p;
}

/* Register numbers of the D:Vd, N:Vn, M:Vm fields. */
static int reg_d(uint32_t insn)
{
    return ((insn >> 18) & 0x10) | ((insn >> 12) & 0xf);
}

static int reg_n(uint32_t insn)
{
    return ((insn >> 3) & 0x10) | ((insn >> 16) & 0xf);
}

static int reg_m(uint32_t insn)
{
    return ((insn >> 1) & 0x10) | (insn & 0xf);
}

/* ---- loads and stores ---- */

typedef struct NeonLdSt {
    int structs;                 /* n of VLDn/VSTn */
    int regs;                    /* registers per structure member */
    int inc;                     /* register step between members */
    int ebytes;
    int align;                   /* required alignment in bytes */
    int lane;                    /* -1: every element; -2: all lanes */
} NeonLdSt;

/* Decodes a load/store word; false when it is undefined. */
static bool neon_ldst_decode(uint32_t insn, NeonLdSt *ls)
{
    int d = reg_d(insn), size, type;
    bool load = insn & (1 << 21);

    if (!(insn & (1 << 23))) {                  /* multiple structures */
        static const struct { int8_t n, regs, inc; } types[16] = {
            { 4, 1, 1 }, { 4, 1, 2 }, { 1, 4, 1 }, { 2, 2, 2 },
            { 3, 1, 1 }, { 3, 1, 2 }, { 1, 3, 1 }, { 1, 1, 1 },
            { 2, 1, 1 }, { 2, 1, 2 }, { 1, 2, 1 }, { 0, 0, 0 },
        };
        int align = (insn >> 4) & 3;

        type = (insn >> 8) & 0xf;
        size = (insn >> 6) & 3;
        if (!types[type].n) {
            return false;
        }
        ls->structs = types[type].n;
        ls->regs = types[type].regs;
        ls->inc = types[type].inc;
        ls->ebytes = 1 << size;
        ls->lane = -1;
        /* :64, :128, :256; QEMU 7.2 checks :256 as :128 (its TLB
         * flags leave no room for 32-byte alignment), and so does emu,
         * so that guests fault where they fault there */
        ls->align = align ? (align == 3 ? 16 : 4 << align) : 1;
        /* types 4-7 take alignments up to 64 bits, types 8-10 up to
         * 128; 64-bit elements only for VLD1/VST1 */
        if (((type & 0xc) == 4 && (align & 2)) ||
            ((type & 0xc) == 8 && align == 3) ||
            (size == 3 && ls->structs > 1)) {
            return false;
        }
        if (d + (ls->structs - 1) * ls->inc + ls->regs > 32) {
            return false;
        }
        return true;
    }
    ls->structs = ((insn >> 8) & 3) + 1;
    ls->regs = 1;
    size = (insn >> 10) & 3;
    if (size == 3) {                            /* to all lanes */
        bool t = insn & (1 << 5), a = insn & (1 << 4);

        size = (insn >> 6) & 3;
        if (!load || (size == 3 && (ls->structs != 4 || !a)) ||
            (ls->structs == 1 && (size == 3 || (size == 0 && a))) ||
            (ls->structs == 3 && a)) {
            return false;
        }
        if (size == 3) {
            size = 2;                           /* VLD4 .32 :128 */
            ls->align = 16;
        } else {
            ls->align = !a ? 1 : ls->structs == 1 ? 1 << size :
                        ls->structs == 2 ? 2 << size :
                        (size == 2 ? 8 : 4 << size);
        }
        ls->ebytes = 1 << size;
        ls->lane = -2;
        if (ls->structs == 1) {
            ls->regs = t ? 2 : 1;
            ls->inc = 1;
        } else {
            ls->inc = t ? 2 : 1;
        }
    } else {                                    /* one lane */
        int ia = (insn >> 4) & 0xf;

        ls->ebytes = 1 << size;
        ls->lane = ia >> (size + 1);
        ls->inc = (size && (ia & (size == 1 ? 2 : 4))) ? 2 : 1;
        ls->align = 1;
        switch (ls->structs) {
        case 1:
            if ((size == 0 && (ia & 1)) || (size == 1 && (ia & 2)) ||
                (size == 2 && (ia & 4)) ||
                (size == 2 && (ia & 3) && (ia & 3) != 3)) {
                return false;
            }
            ls->inc = 1;
            ls->align = (ia & 1) ? ls->ebytes : 1;
            break;
        case 2:
            if (size == 2 && (ia & 2)) {
                return false;
            }
            ls->align = (ia & 1) ? 2 * ls->ebytes : 1;
            break;
        case 3:
            if ((ia & 1) || (size == 2 && (ia & 3))) {
                return false;
            }
            break;
        default:
            if (size == 2 && (ia & 3) == 3) {
                return false;
            }
            if (size == 2) {
                ls->align = (ia & 3) ? 4 << (ia & 3) : 1;
            } else {
                ls->align = (ia & 1) ? 4 * ls->ebytes : 1;
            }
            break;
        }
    }
    return d + (ls->structs - 1) * ls->inc + ls->regs <= 32;
}

int neon_ldst_bytes(uint32_t insn)
{
    NeonLdSt ls;

    if (!neon_ldst_decode(insn, &ls)) {
        return -1;
    }
    if (ls.lane == -1) {
        return ls.structs * ls.regs * 8;
    }
    return ls.structs * ls.ebytes;
}

static uint64_t neon_ld(CPUARMState *env, uint32_t addr, int ebytes,
                        int mmu_idx, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    uint64_t v = 0;

    for (int i = 0; i < ebytes; i++) {
        v |= (uint64_t)cpu_ldub_mmuidx_ra(cs, addr + i, mmu_idx, ra) << (8 * i);
    }
    return v;
}

static void neon_st(CPUARMState *env, uint32_t addr, int ebytes,
                    uint64_t v, int mmu_idx, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    for (int i = 0; i < ebytes; i++) {
        cpu_stb_mmuidx_ra(cs, addr + i, v >> (8 * i), mmu_idx, ra);
    }
}

void helper_neon_ldst(CPUARMState *env, uint32_t insn, uint32_t addr,
                      uint32_t mmu_idx)
{
    bool load = insn & (1 << 21);
    int d = reg_d(insn);
    uintptr_t ra = GETPC();
    NeonLdSt ls;

    if (!neon_ldst_decode(insn, &ls)) {
        neon_undef(env, ra);
    }
    if (addr & (ls.align - 1)) {
        arm_cpu_do_unaligned_access(env_cpu(env), addr,
                                    load ? MMU_DATA_LOAD : MMU_DATA_STORE,
                                    mmu_idx, ra);
    }
    if (ls.lane == -1) {
        int per = 8 / ls.ebytes;

        for (int r = 0; r < ls.regs; r++) {
            for (int e = 0; e < per; e++) {
                for (int k = 0; k < ls.structs; k++) {
                    int reg = d + r + k * ls.inc;

                    if (load) {
                        set_elem(env, reg, e, ls.ebytes,
                                 neon_ld(env, addr, ls.ebytes, mmu_idx, ra));
                    } else {
                        neon_st(env, addr, ls.ebytes,
                                get_elem(env, reg, e, ls.ebytes),
                                mmu_idx, ra);
                    }
                    addr += ls.ebytes;
                }
            }
        }
        return;
    }
    for (int k = 0; k < ls.structs; k++) {
        int reg = d + k * ls.inc;

        if (ls.lane >= 0 && !load) {
            neon_st(env, addr, ls.ebytes,
                    get_elem(env, reg, ls.lane, ls.ebytes), mmu_idx, ra);
        } else {
            uint64_t v = neon_ld(env, addr, ls.ebytes, mmu_idx, ra);

            if (ls.lane >= 0) {
                set_elem(env, reg, ls.lane, ls.ebytes, v);
            } else {                            /* replicated */
                for (int r = 0; r < ls.regs; r++) {
                    for (int e = 0; e < 8 / ls.ebytes; e++) {
                        set_elem(env, reg + r, e, ls.ebytes, v);
                    }
                }
            }
        }
        addr += ls.ebytes;
    }
}

/* ---- three registers of the same length (integer) ---- */

/* x of bits (signed unless u) times 2^sh at infinite precision: a right
 * shift (sh < 0) rounds toward minus infinity or, with round, to nearest
 * (adding half the last bit shifted out first); a non-zero x shifted
 * left by its width or more is out of range whatever its width. */
static __int128 shift_exact(uint64_t x, int sh, int bits, bool u, bool round)
{
    __int128 v = u ? (__int128)x : (__int128)sext(x, bits);

    if (sh >= 0) {
        if (sh >= bits) {
            return v == 0 ? 0 : v < 0 ? -((__int128)1 << 126)
                                      : (__int128)1 << 126;
        }
        return v * ((__int128)1 << sh);
    }
    sh = -sh;
    if (sh > bits) {
        sh = bits + 1;               /* as far as any shift gets */
    }
    if (round) {
        v += (__int128)1 << (sh - 1);
    }
    return v >> sh;
}

/* The same, truncated to the element (VSHL, VRSHL, VSHR...). */
static uint64_t shift_by(uint64_t x, int sh, int bits, bool u, bool round)
{
    return (uint64_t)shift_exact(x, sh, bits, u, round) & mask_bits(bits);
}

/* 2 * x * y (+ the rounding half of the high part), its high half
 * saturated: VQDMULH, VQRDMULH. */
static uint64_t doubling_mul_high(CPUARMState *env, uint64_t x, uint64_t y,
                                  int bits, bool round)
{
    __int128 p = 2 * (__int128)sext(x, bits) * sext(y, bits);

    if (round) {
        p += (__int128)1 << (bits - 1);
    }
    return saturate(env, p >> bits, bits, false);
}

/* ---- three registers of the same length (single precision) ---- */

/* The operation of A (11:8), B (4), U (24) and bit 21, -1 undefined;
 * pairwise ones flagged. */
#define PAIRWISE 0x100
static int float_3same_op(int a, bool b, bool u, bool op21)
{
    static const int16_t ops[4][2][2][2] = {
        [0] = { { { -1, -1 }, { -1, -1 } },             /* SHA (v8) */
                { { NEON_FFMA, NEON_FFMS }, { -1, -1 } } },
        [1] = { { { NEON_FADD, NEON_FSUB },
                  { NEON_FADD | PAIRWISE, NEON_FABD } },
                { { NEON_FMLA, NEON_FMLS }, { NEON_FMUL, -1 } } },
        [2] = { { { NEON_FCEQ, -1 }, { NEON_FCGE, NEON_FCGT } },
                { { -1, -1 }, { NEON_FACGE, NEON_FACGT } } },
        [3] = { { { NEON_FMAX, NEON_FMIN },
                  { NEON_FMAX | PAIRWISE, NEON_FMIN | PAIRWISE } },
                { { NEON_FRECPS, NEON_FRSQRTS }, { -1, -1 } } },
    };

    return ops[a - 12][b][u][op21];
}

static void neon_3same_float(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    bool q = insn & (1 << 6);
    int d = reg_d(insn), n = reg_n(insn), m = reg_m(insn);
    int op = float_3same_op((insn >> 8) & 0xf, insn & (1 << 4),
                            insn & (1 << 24), insn & (1 << 21));
    int count = q ? 4 : 2;
    uint32_t res[4];

    /* bit 20 set: half precision (ARMv8.2).  VFMA and VFMS run on the
     * cores without VFPv4 too (their MVFR1 says they lack them), as on
     * QEMU 7.2, which runs them on every core. */
    if (op < 0 || (insn & (1 << 20)) || (q && ((d | n | m) & 1)) ||
        ((op & PAIRWISE) && q)) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < count; i++) {
        uint32_t x, y;

        if (op & PAIRWISE) {                    /* n's pair, then m's */
            int src = i < count / 2 ? n : m, j = i % (count / 2);

            x = get_elem(env, src, 2 * j, 4);
            y = get_elem(env, src, 2 * j + 1, 4);
        } else {
            x = get_elem(env, n, i, 4);
            y = get_elem(env, m, i, 4);
        }
        res[i] = neon_fp_op(env, op & ~PAIRWISE, x, y, get_elem(env, d, i, 4));
    }
    for (int i = 0; i < count; i++) {
        set_elem(env, d, i, 4, res[i]);
    }
}

static void neon_3same(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int a = (insn >> 8) & 0xf, size = (insn >> 20) & 3;
    bool b = insn & (1 << 4), u = insn & (1 << 24), q = insn & (1 << 6);
    int d = reg_d(insn), n = reg_n(insn), m = reg_m(insn);
    int regs = q ? 2 : 1, ebytes = 1 << size, bits = 8 * ebytes;
    int count = regs * 8 / ebytes;
    bool pairwise = a == 10 || (a == 11 && b);
    uint64_t res[16];

    if (a >= 13 || (a == 12 && b)) {
        neon_3same_float(env, insn, ra);
        return;
    }
    if ((q && ((d | n | m) & 1)) || a == 12 ||
        /* 64-bit elements: VQADD, VQSUB, the shifts, VADD/VSUB, logic */
        (size == 3 && !(((a == 0 || a == 2) && b) || a == 4 || a == 5 ||
                        (a == 8 && !b) || (a == 1 && b))) ||
        (pairwise && (q || (a == 11 && u))) ||
        (a == 9 && (size == 3 || (b && u && size != 0))) ||
        (a == 11 && !b && (size == 0 || size == 3))) {
        neon_undef(env, ra);
    }
    if (a == 1 && b) {                          /* bitwise */
        for (int r = 0; r < regs; r++) {
            uint64_t x = env->vfp.d[n + r], y = env->vfp.d[m + r];
            uint64_t z = env->vfp.d[d + r];

            switch ((u ? 4 : 0) | size) {
            case 0: z = x & y; break;           /* VAND */
            case 1: z = x & ~y; break;          /* VBIC */
            case 2: z = x | y; break;           /* VORR */
            case 3: z = x | ~y; break;          /* VORN */
            case 4: z = x ^ y; break;           /* VEOR */
            case 5: z = (x & z) | (y & ~z); break;      /* VBSL */
            case 6: z = (x & y) | (z & ~y); break;      /* VBIT */
            default: z = (z & y) | (x & ~y); break;     /* VBIF */
            }
            res[r] = z;
        }
        for (int r = 0; r < regs; r++) {
            env->vfp.d[d + r] = res[r];
        }
        return;
    }
    for (int i = 0; i < count; i++) {
        uint64_t x, y, acc = get_elem(env, d, i, ebytes);
        __int128 sx, sy;

        if (pairwise) {                         /* n's pairs, then m's */
            int half = count / 2, src = i < half ? n : m, j = i % half;

            x = get_elem(env, src, 2 * j, ebytes);
            y = get_elem(env, src, 2 * j + 1, ebytes);
        } else {
            x = get_elem(env, n, i, ebytes);
            y = get_elem(env, m, i, ebytes);
        }
        sx = u ? (__int128)x : sext(x, bits);
        sy = u ? (__int128)y : sext(y, bits);
        switch (a << 1 | b) {
        case 0:                                 /* VHADD */
            res[i] = (uint64_t)((sx + sy) >> 1);
            break;
        case 1:                                 /* VQADD */
            res[i] = saturate(env, sx + sy, bits, u);
            break;
        case 2:                                 /* VRHADD */
            res[i] = (uint64_t)((sx + sy + 1) >> 1);
            break;
        case 4:                                 /* VHSUB */
            res[i] = (uint64_t)((sx - sy) >> 1);
            break;
        case 5:                                 /* VQSUB */
            res[i] = saturate(env, sx - sy, bits, u);
            break;
        case 6:                                 /* VCGT */
            res[i] = sx > sy ? UINT64_MAX : 0;
            break;
        case 7:                                 /* VCGE */
            res[i] = sx >= sy ? UINT64_MAX : 0;
            break;
        case 8:                                 /* VSHL: m by n's byte */
            res[i] = shift_by(y, (int8_t)x, bits, u, false);
            break;
        case 9:                                 /* VQSHL */
        case 11:                                /* VQRSHL */
            res[i] = saturate(env, shift_exact(y, (int8_t)x, bits, u, a == 5),
                              bits, u);
            break;
        case 10:                                /* VRSHL */
            res[i] = shift_by(y, (int8_t)x, bits, u, true);
            break;
        case 12: case 20:                       /* VMAX, VPMAX */
            res[i] = sx >= sy ? x : y;
            break;
        case 13: case 21:                       /* VMIN, VPMIN */
            res[i] = sx <= sy ? x : y;
            break;
        case 14:                                /* VABD */
            res[i] = (uint64_t)(sx > sy ? sx - sy : sy - sx);
            break;
        case 15:                                /* VABA */
            res[i] = acc + (uint64_t)(sx > sy ? sx - sy : sy - sx);
            break;
        case 16:                                /* VADD, VSUB */
            res[i] = u ? x - y : x + y;
            break;
        case 17:                                /* VTST, VCEQ */
            res[i] = (u ? (x == y) : ((x & y) != 0)) ? UINT64_MAX : 0;
            break;
        case 18:                                /* VMLA, VMLS */
            res[i] = u ? acc - x * y : acc + x * y;
            break;
        case 19:                                /* VMUL, VMUL.P8 */
            res[i] = u ? poly_mul8(x, y) : x * y;
            break;
        case 22:                                /* VQDMULH, VQRDMULH */
            res[i] = doubling_mul_high(env, x, y, bits, u);
            break;
        default:                                /* 23: VPADD */
            res[i] = x + y;
            break;
        }
    }
    for (int i = 0; i < count; i++) {
        set_elem(env, d, i, ebytes, res[i] & mask_bits(bits));
    }
}

/* ---- one register and a modified immediate ---- */

/* AdvSIMDExpandImm; false for the reserved cmode 1111 with op 1. */
static bool expand_imm(int op, int cmode, uint32_t imm8, uint64_t *imm)
{
    uint64_t w;

    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3:
        w = (uint64_t)imm8 << (8 * (cmode >> 1));
        *imm = w << 32 | w;
        return true;
    case 4: case 5:
        w = (uint64_t)imm8 << (8 * ((cmode >> 1) & 1));
        *imm = w * 0x0001000100010001ull;
        return true;
    case 6:
        w = (cmode & 1) ? (uint64_t)imm8 << 16 | 0xffff
                        : (uint64_t)imm8 << 8 | 0xff;
        *imm = w << 32 | w;
        return true;
    default:
        if (!(cmode & 1)) {
            if (!op) {
                *imm = imm8 * 0x0101010101010101ull;
            } else {
                *imm = 0;
                for (int i = 0; i < 8; i++) {
                    if (imm8 & (1u << i)) {
                        *imm |= 0xffull << (8 * i);
                    }
                }
            }
            return true;
        }
        if (op) {
            return false;
        }
        w = (uint64_t)(imm8 & 0x80) << 24 |
            ((imm8 & 0x40) ? 0x3e000000u : 0x40000000u) |
            (uint64_t)(imm8 & 0x3f) << 19;
        *imm = w << 32 | w;
        return true;
    }
}

static void neon_1reg_imm(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int cmode = (insn >> 8) & 0xf, op = (insn >> 5) & 1;
    bool q = insn & (1 << 6);
    int d = reg_d(insn);
    uint32_t imm8 = ((insn >> 17) & 0x80) | ((insn >> 12) & 0x70) |
                    (insn & 0xf);
    uint64_t imm;

    if ((q && (d & 1)) || !expand_imm(op, cmode, imm8, &imm)) {
        neon_undef(env, ra);
    }
    for (int r = 0; r < (q ? 2 : 1); r++) {
        uint64_t *v = &env->vfp.d[d + r];

        if (cmode < 12 && (cmode & 1)) {        /* VORR, VBIC */
            *v = op ? *v & ~imm : *v | imm;
        } else if (op && cmode != 14) {         /* VMVN */
            *v = ~imm;
        } else {
            *v = imm;
        }
    }
}

/* ---- two registers and a shift amount ---- */

/* VCVT between single precision and fixed point (A 111x): imm6 is
 * 64 - fraction bits, 32 or more. */
static void neon_cvt_fixed(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int imm6 = (insn >> 16) & 0x3f, d = reg_d(insn), m = reg_m(insn);
    bool u = insn & (1 << 24), q = insn & (1 << 6);
    bool to_fixed = insn & (1 << 8);
    NeonFpOp op = to_fixed ? (u ? NEON_FTOUI : NEON_FTOSI)
                           : (u ? NEON_UITOF : NEON_SITOF);

    if (!(imm6 & 0x20) || (insn & (1 << 7)) || (q && ((d | m) & 1))) {
        neon_undef(env, ra);
    }
    for (int r = 0; r < (q ? 2 : 1); r++) {
        uint32_t res[2];

        for (int i = 0; i < 2; i++) {
            res[i] = neon_fp_op(env, op, get_elem(env, m + r, i, 4),
                                64 - imm6, 0);
        }
        env->vfp.d[d + r] = (uint64_t)res[1] << 32 | res[0];
    }
}

/* The narrowing shifts (A 100x): VSHRN, VRSHRN, VQSHRUN, VQRSHRUN,
 * VQSHRN, VQRSHRN from elements twice as wide (imm6 counts for the
 * narrow size). */
static void neon_shift_narrow(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int imm6 = (insn >> 16) & 0x3f, d = reg_d(insn), m = reg_m(insn);
    bool u = insn & (1 << 24), round = insn & (1 << 6);
    bool sat = u || (insn & (1 << 8));
    bool src_unsigned = (insn & (1 << 8)) && u;
    bool dst_unsigned = u;
    int bits = imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8, ebytes = bits / 8;
    uint64_t res[8];

    if ((insn & (1 << 7)) || (m & 1)) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < 8 / ebytes; i++) {
        uint64_t x = get_elem(env, m, i, 2 * ebytes);
        __int128 v = shift_exact(x, -(2 * bits - imm6), 2 * bits,
                                 src_unsigned, round);

        res[i] = sat ? saturate(env, v, bits, dst_unsigned) : (uint64_t)v;
    }
    for (int i = 0; i < 8 / ebytes; i++) {
        set_elem(env, d, i, ebytes, res[i] & mask_bits(bits));
    }
}

static void neon_2reg_shift(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int a = (insn >> 8) & 0xf, imm6 = (insn >> 16) & 0x3f;
    bool u = insn & (1 << 24), l = insn & (1 << 7), q = insn & (1 << 6);
    int d = reg_d(insn), m = reg_m(insn);
    int bits = l ? 64 : imm6 >= 32 ? 32 : imm6 >= 16 ? 16 : 8;
    int ebytes = bits / 8, rshift = (l ? 64 : 2 * bits) - imm6;
    int lshift = l ? imm6 : imm6 - bits;
    uint64_t res[16];
    int count;

    if (a >= 14) {
        neon_cvt_fixed(env, insn, ra);
        return;
    }
    if (a == 8 || a == 9) {
        neon_shift_narrow(env, insn, ra);
        return;
    }
    if (a == 10) {                              /* VSHLL, VMOVL */
        if (l || q || (d & 1)) {
            neon_undef(env, ra);
        }
        for (int i = 0; i < 8 / ebytes; i++) {
            uint64_t x = get_elem(env, m, i, ebytes);

            res[i] = (u ? x : (uint64_t)sext(x, bits)) << lshift;
        }
        for (int i = 0; i < 8 / ebytes; i++) {
            set_elem(env, d, i, 2 * ebytes, res[i] & mask_bits(2 * bits));
        }
        return;
    }
    if ((q && ((d | m) & 1)) || a > 7 || (a == 4 && !u) || (a == 6 && !u)) {
        neon_undef(env, ra);
    }
    count = (q ? 16 : 8) / ebytes;
    for (int i = 0; i < count; i++) {
        uint64_t x = get_elem(env, m, i, ebytes);
        uint64_t acc = get_elem(env, d, i, ebytes);
        uint64_t mask = mask_bits(bits);

        switch (a) {
        case 0: case 1: case 2: case 3:         /* VSHR VSRA VRSHR VRSRA */
            x = shift_by(x, -rshift, bits, u, a & 2);
            res[i] = (a & 1) ? acc + x : x;
            break;
        case 4: {                               /* VSRI */
            uint64_t keep = rshift >= 64 ? mask : ~(mask >> rshift) & mask;

            res[i] = rshift >= bits ? acc
                                    : (acc & keep) | (x >> rshift);
            break;
        }
        case 5: {                               /* VSHL, VSLI */
            uint64_t shifted = lshift >= 64 ? 0 : x << lshift;

            res[i] = u ? (acc & ~(mask << lshift) & mask) | shifted
                       : shifted;
            break;
        }
        default:                                /* VQSHLU, VQSHL */
            res[i] = saturate(env, shift_exact(x, lshift, bits,
                                               a == 7 && u, false),
                              bits, u);
            break;
        }
    }
    for (int i = 0; i < count; i++) {
        set_elem(env, d, i, ebytes, res[i] & mask_bits(bits));
    }
}

/* ---- two registers, miscellaneous ---- */

/* A 10, B 01xxx and 11x00: VMOVN, VQMOVUN, VQMOVN, VSHLL by the
 * element size, VCVT between half and single precision. */
static void neon_misc_narrow_widen(CPUARMState *env, uint32_t insn,
                                   uintptr_t ra)
{
    int size = (insn >> 18) & 3, b = (insn >> 6) & 0x1f;
    int d = reg_d(insn), m = reg_m(insn), ebytes = 1 << size;
    int bits = 8 * ebytes;
    uint64_t res[8];

    if (b == 0x18 || b == 0x1c) {               /* VCVT.F16.F32, .F32.F16 */
        bool to_half = b == 0x18;
        uint32_t h[4];

        if (size != 1 || !arm_feature(env, ARM_FEATURE_VFP_FP16) ||
            ((to_half ? m : d) & 1)) {
            neon_undef(env, ra);
        }
        for (int i = 0; i < 4; i++) {
            h[i] = to_half ? neon_fp_op(env, NEON_F32_TO_F16,
                                        get_elem(env, m, i, 4), 0, 0)
                           : neon_fp_op(env, NEON_F16_TO_F32,
                                        get_elem(env, m, i, 2), 0, 0);
        }
        for (int i = 0; i < 4; i++) {
            set_elem(env, d, i, to_half ? 2 : 4, h[i]);
        }
        return;
    }
    if (size == 3 || b > 0x0c) {
        neon_undef(env, ra);
    }
    if (b == 0x0c) {                            /* VSHLL #size */
        if (d & 1) {
            neon_undef(env, ra);
        }
        for (int i = 0; i < 8 / ebytes; i++) {
            res[i] = get_elem(env, m, i, ebytes) << bits;
        }
        for (int i = 0; i < 8 / ebytes; i++) {
            set_elem(env, d, i, 2 * ebytes, res[i]);
        }
        return;
    }
    if (m & 1) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < 8 / ebytes; i++) {
        uint64_t x = get_elem(env, m, i, 2 * ebytes);

        switch (b & 3) {
        case 0:                                 /* VMOVN */
            res[i] = x;
            break;
        case 1:                                 /* VQMOVUN: signed in */
            res[i] = saturate(env, sext(x, 2 * bits), bits, true);
            break;
        case 2:                                 /* VQMOVN.S */
            res[i] = saturate(env, sext(x, 2 * bits), bits, false);
            break;
        default:                                /* VQMOVN.U */
            res[i] = saturate(env, x, bits, true);
            break;
        }
    }
    for (int i = 0; i < 8 / ebytes; i++) {
        set_elem(env, d, i, ebytes, res[i] & mask_bits(bits));
    }
}

/* A 01 and 11, B 1xxxx: the single-precision compares with zero,
 * VABS, VNEG, VRECPE, VRSQRTE and VCVT between single and integer. */
static void neon_misc_float(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    static const int8_t ops[2][8] = {
        { NEON_FCGT, NEON_FCGE, NEON_FCEQ, NEON_FCLE, NEON_FCLT, -1,
          -2 /* VABS */, -3 /* VNEG */ },
        { NEON_URECPE, NEON_URSQRTE, NEON_FRECPE, NEON_FRSQRTE,
          NEON_SITOF, NEON_UITOF, NEON_FTOSI, NEON_FTOUI },
    };
    int size = (insn >> 18) & 3, d = reg_d(insn), m = reg_m(insn);
    bool q = insn & (1 << 6);
    int op = ops[(insn >> 17) & 1][(insn >> 7) & 7], count = q ? 4 : 2;
    uint32_t res[4];

    if (op == -1 || size != 2 || (q && ((d | m) & 1))) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < count; i++) {
        uint32_t x = get_elem(env, m, i, 4);

        res[i] = op == -2 ? x & 0x7fffffff :
                 op == -3 ? x ^ 0x80000000 :
                 neon_fp_op(env, op, x, 0, 0);
    }
    for (int i = 0; i < count; i++) {
        set_elem(env, d, i, 4, res[i]);
    }
}

static void neon_2reg_misc(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int size = (insn >> 18) & 3, a = (insn >> 16) & 3;
    int op = (insn >> 7) & 0xf;                 /* B[4:1] */
    bool q = insn & (1 << 6);
    int d = reg_d(insn), m = reg_m(insn), ebytes = 1 << size;
    int bits = 8 * ebytes, regs = q ? 2 : 1, count = regs * 8 / ebytes;
    uint64_t res[32];

    if (a == 2 && op >= 4) {
        neon_misc_narrow_widen(env, insn, ra);
        return;
    }
    if ((a == 1 || a == 3) && op >= 8) {
        neon_misc_float(env, insn, ra);
        return;
    }
    if (q && ((d | m) & 1)) {
        neon_undef(env, ra);
    }
    if (a == 0 && (op & ~9) == 4) {             /* VPADDL, VPADAL */
        bool u = op & 1;

        if (size == 3) {
            neon_undef(env, ra);
        }
        for (int i = 0; i < count / 2; i++) {
            uint64_t x = get_elem(env, m, 2 * i, ebytes);
            uint64_t y = get_elem(env, m, 2 * i + 1, ebytes);

            res[i] = (u ? x : (uint64_t)sext(x, bits)) +
                     (u ? y : (uint64_t)sext(y, bits)) +
                     (op >= 12 ? get_elem(env, d, i, 2 * ebytes) : 0);
        }
        for (int i = 0; i < count / 2; i++) {
            set_elem(env, d, i, 2 * ebytes, res[i] & mask_bits(2 * bits));
        }
        return;
    }
    if (a == 2 && op <= 3) {                    /* VSWP VTRN VUZP VZIP */
        uint64_t x[16], y[16];

        if (size == 3 || (op == 0 && size) || (op >= 2 && !q && size == 2)) {
            neon_undef(env, ra);
        }
        for (int i = 0; i < count; i++) {
            x[i] = get_elem(env, d, i, ebytes);
            y[i] = get_elem(env, m, i, ebytes);
        }
        for (int i = 0; i < count; i++) {
            switch (op) {
            case 0:                             /* VSWP */
                res[i] = y[i];
                res[count + i] = x[i];
                break;
            case 1:                             /* VTRN */
                res[i] = (i & 1) ? y[i - 1] : x[i];
                res[count + i] = (i & 1) ? y[i] : x[i + 1];
                break;
            case 2: {                           /* VUZP */
                int j = 2 * (i % (count / 2)), half = i < count / 2;

                res[i] = half ? x[j] : y[j];
                res[count + i] = half ? x[j + 1] : y[j + 1];
                break;
            }
            default: {                          /* VZIP */
                int j = i / 2;

                res[i] = (i & 1) ? y[j] : x[j];
                res[count + i] = (i & 1) ? y[count / 2 + j]
                                         : x[count / 2 + j];
                break;
            }
            }
        }
        /* Vd = Vm is unpredictable: as QEMU 7.2, Vd's result wins, and
         * VTRN.32 swaps the words of each pair */
        if (op == 1 && size == 2 && d == m) {
            for (int i = 0; i < count; i++) {
                res[count + i] = res[i] = x[i ^ 1];
            }
        }
        for (int i = 0; i < count; i++) {
            set_elem(env, m, i, ebytes, res[count + i]);
        }
        for (int i = 0; i < count; i++) {
            set_elem(env, d, i, ebytes, res[i]);
        }
        return;
    }
    for (int i = 0; i < count; i++) {
        uint64_t x = get_elem(env, m, i, ebytes);
        int64_t sx = sext(x, bits);

        switch (a << 4 | op) {
        case 0x00: case 0x01: case 0x02: {      /* VREV64, 32, 16 */
            int group = (8 >> op) / ebytes;     /* elements per group */

            if (group <= 1) {
                neon_undef(env, ra);
            }
            x = get_elem(env, m, (i / group) * group + group - 1 - i % group,
                         ebytes);
            res[i] = x;
            break;
        }
        case 0x08:                              /* VCLS */
        case 0x09:                              /* VCLZ */
            if (size == 3) {
                neon_undef(env, ra);
            } else {
                uint64_t v = op == 8 ? (uint64_t)(sx < 0 ? ~sx : sx) : x;
                int c = 0;

                v &= mask_bits(bits);
                for (int k = bits - 1; k >= 0 && !(v & (1ull << k)); k--) {
                    c++;
                }
                res[i] = op == 8 ? c - 1 : c;
            }
            break;
        case 0x0a:                              /* VCNT */
            if (size) {
                neon_undef(env, ra);
            }
            res[i] = __builtin_popcountll(x);
            break;
        case 0x0b:                              /* VMVN */
            if (size) {
                neon_undef(env, ra);
            }
            res[i] = ~x;
            break;
        case 0x10: case 0x11: case 0x12:        /* VCGT VCGE VCEQ #0 */
        case 0x13: case 0x14:                   /* VCLE VCLT #0 */
            if (size == 3) {
                neon_undef(env, ra);
            }
            res[i] = (op == 0 ? sx > 0 : op == 1 ? sx >= 0 :
                      op == 2 ? sx == 0 : op == 3 ? sx <= 0 : sx < 0) ?
                     UINT64_MAX : 0;
            break;
        case 0x0e:                              /* VQABS */
        case 0x0f:                              /* VQNEG */
            if (size == 3) {
                neon_undef(env, ra);
            }
            res[i] = saturate(env, (op == 14 && sx >= 0) ? sx : -(__int128)sx,
                              bits, false);
            break;
        case 0x16:                              /* VABS */
        case 0x17:                              /* VNEG */
            if (size == 3) {
                neon_undef(env, ra);
            }
            res[i] = (op == 6 && sx >= 0) ? x : (uint64_t)-sx;
            break;
        default:                   /* AES, SHA, VRINT... (ARMv8) */
            neon_undef(env, ra);
        }
    }
    for (int i = 0; i < count; i++) {
        set_elem(env, d, i, ebytes, res[i] & mask_bits(bits));
    }
}

/* ---- three registers of different lengths, two and a scalar ---- */

/* The long multiplies from elements of bits: kind / 2 says accumulate
 * (VMLAL), subtract (VMLSL) or the product alone (VMULL); kind & 1 the
 * saturating doubling ones (VQDMLAL, VQDMLSL, VQDMULL: the doubled
 * product saturates, then the sum). */
enum { LONG_MLA, LONG_QDMLA, LONG_MLS, LONG_QDMLS, LONG_MUL, LONG_QDMUL };

static uint64_t mul_long(CPUARMState *env, int kind, __int128 x, __int128 y,
                         uint64_t acc, int bits)
{
    int wide = 2 * bits;
    __int128 p = x * y;

    if (kind & 1) {
        p = sext(saturate(env, 2 * p, wide, false), wide);
        if (kind == LONG_QDMUL) {
            return (uint64_t)p & mask_bits(wide);
        }
        return saturate(env, sext(acc, wide) + (kind == LONG_QDMLS ? -p : p),
                        wide, false);
    }
    return (kind == LONG_MLA ? acc + (uint64_t)p :
            kind == LONG_MLS ? acc - (uint64_t)p : (uint64_t)p) &
           mask_bits(wide);
}

/* VADDL, VADDW, VSUBL, VSUBW, VADDHN, VRADDHN, VABAL, VSUBHN, VRSUBHN,
 * VABDL, VMLAL, VQDMLAL, VMLSL, VQDMLSL, VMULL, VQDMULL, VMULL.P8. */
static void neon_3diff(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int a = (insn >> 8) & 0xf, size = (insn >> 20) & 3;
    bool u = insn & (1 << 24);
    int d = reg_d(insn), n = reg_n(insn), m = reg_m(insn);
    int ebytes = 1 << size, bits = 8 * ebytes, count = 8 / ebytes;
    bool wide = a == 1 || a == 3, narrow = a == 4 || a == 6;
    bool doubling = a == 9 || a == 11 || a == 13;
    uint64_t res[8];

    if (a == 15 || (narrow ? ((n | m) & 1) : (d & 1)) || (wide && (n & 1)) ||
        (doubling && (u || size == 0)) || (a == 14 && (u || size != 0))) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < count; i++) {
        uint64_t x = get_elem(env, n, i, wide || narrow ? 2 * ebytes : ebytes);
        uint64_t y = get_elem(env, m, i, narrow ? 2 * ebytes : ebytes);
        uint64_t acc = get_elem(env, d, i, 2 * ebytes);
        __int128 sx = u || wide ? (__int128)x : sext(x, bits);
        __int128 sy = u ? (__int128)y : sext(y, bits);
        __int128 diff = sx > sy ? sx - sy : sy - sx;

        switch (a) {
        case 0: case 1:                         /* VADDL, VADDW */
            res[i] = (uint64_t)(sx + sy);
            break;
        case 2: case 3:                         /* VSUBL, VSUBW */
            res[i] = (uint64_t)(sx - sy);
            break;
        case 4: case 6: {                       /* V{R}ADDHN, V{R}SUBHN */
            uint64_t v = a == 4 ? x + y : x - y;

            if (u) {
                v += 1ull << (bits - 1);
            }
            res[i] = (v >> bits) & mask_bits(bits);
            break;
        }
        case 5:                                 /* VABAL */
            res[i] = acc + (uint64_t)diff;
            break;
        case 7:                                 /* VABDL */
            res[i] = (uint64_t)diff;
            break;
        case 14:                                /* VMULL.P8 */
            res[i] = poly_mul8(x, y);
            break;
        default:                                /* the multiplies */
            res[i] = mul_long(env, a - 8, sx, sy, acc, bits);
            break;
        }
    }
    for (int i = 0; i < count; i++) {
        if (narrow) {
            set_elem(env, d, i, ebytes, res[i]);
        } else {
            set_elem(env, d, i, 2 * ebytes, res[i] & mask_bits(2 * bits));
        }
    }
}

/* The operations by a scalar: VMLA, VMLS, VMUL (integer and single),
 * VMLAL, VMLSL, VMULL, VQDMLAL, VQDMLSL, VQDMULL, VQDMULH, VQRDMULH. */
static void neon_2reg_scalar(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int a = (insn >> 8) & 0xf, size = (insn >> 20) & 3;
    bool u = insn & (1 << 24);                  /* Q for the same-size ones */
    int d = reg_d(insn), n = reg_n(insn), vm = insn & 0xf;
    int ebytes = 1 << size, bits = 8 * ebytes;
    bool is_float = a == 1 || a == 5 || a == 9;
    bool is_long = a == 2 || a == 3 || a == 6 || a == 7 || a == 10 ||
                   a == 11;
    bool doubling = a == 3 || a == 7 || a == 11;
    int count = is_long ? 8 / ebytes : (u ? 16 : 8) / ebytes;
    uint64_t res[8], y;

    if (size == 0 || a >= 14 || (is_float && size != 2) ||
        (doubling && u) || (is_long ? (d & 1) : (u && ((d | n) & 1)))) {
        neon_undef(env, ra);
    }
    /* a 16-bit scalar is Dm<2:0>[M:Vm<3>], a 32-bit one Dm[M] */
    y = size == 1 ? get_elem(env, vm & 7, ((insn >> 4) & 2) | vm >> 3, 2)
                  : get_elem(env, vm, (insn >> 5) & 1, 4);
    for (int i = 0; i < count; i++) {
        uint64_t x = get_elem(env, n, i, ebytes);
        uint64_t acc = get_elem(env, d, i, is_long ? 2 * ebytes : ebytes);

        if (is_float) {
            res[i] = neon_fp_op(env, a == 1 ? NEON_FMLA : a == 5 ? NEON_FMLS
                                                                 : NEON_FMUL,
                                x, y, acc);
        } else if (is_long) {
            bool sgn = !u;

            res[i] = mul_long(env, (a >> 2) * 2 + (a & 1),
                              sgn ? sext(x, bits) : (__int128)x,
                              sgn ? sext(y, bits) : (__int128)y, acc, bits);
        } else if (a >= 12) {                   /* VQDMULH, VQRDMULH */
            res[i] = doubling_mul_high(env, x, y, bits, a == 13);
        } else {                                /* VMLA, VMLS, VMUL */
            res[i] = (a == 0 ? acc + x * y : a == 4 ? acc - x * y : x * y) &
                     mask_bits(bits);
        }
    }
    for (int i = 0; i < count; i++) {
        set_elem(env, d, i, is_long ? 2 * ebytes : ebytes, res[i]);
    }
}

/* ---- VEXT, VTBL/VTBX, VDUP (scalar) ---- */

static void neon_ext(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    bool q = insn & (1 << 6);
    int d = reg_d(insn), n = reg_n(insn), m = reg_m(insn);
    int imm = (insn >> 8) & 0xf, bytes = q ? 16 : 8;
    uint8_t src[32], out[16];

    if ((q && ((d | n | m) & 1)) || (!q && imm > 7)) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < bytes; i++) {
        src[i] = get_elem(env, n, i, 1);
        src[bytes + i] = get_elem(env, m, i, 1);
    }
    for (int i = 0; i < bytes; i++) {
        out[i] = src[imm + i];
    }
    for (int i = 0; i < bytes; i++) {
        set_elem(env, d, i, 1, out[i]);
    }
}

static void neon_tbl(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int d = reg_d(insn), n = reg_n(insn), m = reg_m(insn);
    int len = ((insn >> 8) & 3) + 1;
    bool tbx = insn & (1 << 6);
    uint8_t out[8];

    if (n + len > 32) {
        neon_undef(env, ra);
    }
    for (int i = 0; i < 8; i++) {
        unsigned idx = get_elem(env, m, i, 1);

        out[i] = idx < 8u * len ? get_elem(env, n, idx, 1) :
                 tbx ? get_elem(env, d, i, 1) : 0;
    }
    for (int i = 0; i < 8; i++) {
        set_elem(env, d, i, 1, out[i]);
    }
}

static void neon_dup_scalar(CPUARMState *env, uint32_t insn, uintptr_t ra)
{
    int imm4 = (insn >> 16) & 0xf, d = reg_d(insn), m = reg_m(insn);
    bool q = insn & (1 << 6);
    int ebytes = (imm4 & 1) ? 1 : (imm4 & 2) ? 2 : (imm4 & 4) ? 4 : 0;
    uint64_t v;

    if (!ebytes || (q && (d & 1))) {
        neon_undef(env, ra);
    }
    v = get_elem(env, m, imm4 >> (ebytes == 1 ? 1 : ebytes == 2 ? 2 : 3),
                 ebytes);
    for (int i = 0; i < (q ? 16 : 8) / ebytes; i++) {
        set_elem(env, d, i, ebytes, v);
    }
}

void helper_neon_dp(CPUARMState *env, uint32_t insn)
{
    uintptr_t ra = GETPC();

    if (!(insn & (1 << 23))) {
        neon_3same(env, insn, ra);
    } else if (insn & (1 << 4)) {
        if (!(insn & 0x00380080)) {             /* imm6 high bits, L 0 */
            neon_1reg_imm(env, insn, ra);
        } else {
            neon_2reg_shift(env, insn, ra);
        }
    } else if ((insn & 0x00300000) != 0x00300000) {
        if (insn & (1 << 6)) {
            neon_2reg_scalar(env, insn, ra);
        } else {
            neon_3diff(env, insn, ra);
        }
    } else if (!(insn & (1 << 24))) {
        neon_ext(env, insn, ra);
    } else if (!(insn & (1 << 11))) {
        neon_2reg_misc(env, insn, ra);
    } else if ((insn & 0xc00) == 0x800) {
        neon_tbl(env, insn, ra);
    } else if ((insn & 0xf80) == 0xc00) {
        neon_dup_scalar(env, insn, ra);
    } else {
        neon_undef(env, ra);
    }
}
