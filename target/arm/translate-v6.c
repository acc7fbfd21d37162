/*
 * The ARMv6 and ARMv7 additions to ARM state: the media space (parallel
 * add/subtract, packing, extension, saturation, byte and bit reversal,
 * the dual and most-significant-word multiplies, USAD8, the divides and
 * the bit-field instructions), the exclusives with the local monitor,
 * UMAAL and MLS, MOVW/MOVT, the hints (WFI, WFE, SEV, YIELD), barriers,
 * CPS, SRS and RFE.
 *
 * Which core has what: ARMv6 (ARM1136 as well) the media space, LDREX
 * and STREX, SRS/RFE/CPS; ARMv6K the byte, halfword and doubleword
 * exclusives, CLREX and the hints; ARMv7 (v6T2) MOVW/MOVT, MLS, the
 * bit-field instructions, RBIT, barriers and PLI; SDIV/UDIV only where
 * the core has them (ARM_FEATURE_ARM_DIV).  Encodings whose should-be
 * fields are wrong are undefined, as in QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "translate.h"

HELPER(parallel, TCG_CALL_NO_RWG, true, 4, ARG_ENV, ARG_I32, ARG_I32,
       ARG_I32);
HELPER(sel, TCG_CALL_NO_RWG, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(usad8, TCG_CALL_NO_RWG, true, 3, ARG_ENV, ARG_I32, ARG_I32);
/* The saturations set Q, a global. */
HELPER(ssat, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(usat, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(ssat16, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(usat16, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(add_setq, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(rbit, TCG_CALL_NO_RWG, true, 2, ARG_ENV, ARG_I32);
HELPER(sdiv, TCG_CALL_NO_RWG, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(udiv, TCG_CALL_NO_RWG, true, 3, ARG_ENV, ARG_I32, ARG_I32);
/* The exclusive stores may fault. */
HELPER(strex, 0, true, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);
HELPER(strexd, 0, true, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);
HELPER(get_r13_banked, TCG_CALL_NO_WRITE_GLOBALS, true, 2, ARG_ENV,
       ARG_I32);
HELPER(set_r13_banked, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(rfe, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(wfi, 0, false, 1, ARG_ENV);

static bool has_v6k(DisasContext *s)
{
    return dc_feature(s, ARM_FEATURE_V6K);
}

static bool has_v7(DisasContext *s)
{
    return dc_feature(s, ARM_FEATURE_V7);
}

/* ---- the media space ---- */

static void gen_parallel(DisasContext *s, int rd, int rn, int rm,
                         uint32_t code)
{
    TCGv_i32 a = load_reg(s, rn);
    TCGv_i32 b = load_reg(s, rm);

    store_reg(s, rd, gen_call(&info_parallel, a, b,
                              tcg_constant_i32(code)));
    tcg_temp_free_i32(a);
    tcg_temp_free_i32(b);
}

/* SXTB, SXTH, UXTB, UXTH (bytes 1 or 2) and their accumulating forms
 * (rn != 15), on rm rotated right by rot bytes. */
static void gen_extend(DisasContext *s, int rd, int rn, int rm, int rot,
                       int bytes, bool is_signed)
{
    TCGv_i32 t = load_reg(s, rm);

    tcg_gen_rotri_i32(t, t, rot * 8);
    if (bytes == 1) {
        (is_signed ? tcg_gen_ext8s_i32 : tcg_gen_ext8u_i32)(t, t);
    } else {
        (is_signed ? tcg_gen_ext16s_i32 : tcg_gen_ext16u_i32)(t, t);
    }
    if (rn != 15) {
        TCGv_i32 a = load_reg(s, rn);

        tcg_gen_add_i32(t, t, a);
        tcg_temp_free_i32(a);
    }
    store_reg(s, rd, t);
}

/* SXTB16, UXTB16 (and the accumulating forms): bytes 0 and 2 of the
 * rotated rm, extended to halfwords, added halfword by halfword. */
static void gen_extend16(DisasContext *s, int rd, int rn, int rm, int rot,
                         bool is_signed)
{
    TCGv_i32 t = load_reg(s, rm);
    TCGv_i32 lo = tcg_temp_new_i32();
    TCGv_i32 hi = tcg_temp_new_i32();

    tcg_gen_rotri_i32(t, t, rot * 8);
    if (is_signed) {
        tcg_gen_ext8s_i32(lo, t);
        tcg_gen_shri_i32(hi, t, 16);
        tcg_gen_ext8s_i32(hi, hi);
    } else {
        tcg_gen_andi_i32(lo, t, 0xff);
        tcg_gen_shri_i32(hi, t, 16);
        tcg_gen_andi_i32(hi, hi, 0xff);
    }
    if (rn != 15) {
        TCGv_i32 a = load_reg(s, rn);
        TCGv_i32 ah = tcg_temp_new_i32();

        tcg_gen_shri_i32(ah, a, 16);
        tcg_gen_add_i32(lo, lo, a);
        tcg_gen_add_i32(hi, hi, ah);
        tcg_temp_free_i32(a);
        tcg_temp_free_i32(ah);
    }
    tcg_gen_andi_i32(lo, lo, 0xffff);
    tcg_gen_shli_i32(hi, hi, 16);
    tcg_gen_or_i32(t, lo, hi);
    tcg_temp_free_i32(lo);
    tcg_temp_free_i32(hi);
    store_reg(s, rd, t);
}

/* PKHBT (rm LSL imm into the top half) and PKHTB (rm ASR imm, 0 meaning
 * 32, into the bottom half). */
static void gen_pkh(DisasContext *s, int rd, int rn, int rm, int imm,
                    bool tb)
{
    TCGv_i32 a = load_reg(s, rn);
    TCGv_i32 b = load_reg(s, rm);

    if (tb) {
        tcg_gen_sari_i32(b, b, imm ? imm : 31);
        tcg_gen_andi_i32(b, b, 0xffff);
        tcg_gen_andi_i32(a, a, 0xffff0000u);
    } else {
        tcg_gen_shli_i32(b, b, imm);
        tcg_gen_andi_i32(b, b, 0xffff0000u);
        tcg_gen_andi_i32(a, a, 0xffff);
    }
    tcg_gen_or_i32(a, a, b);
    tcg_temp_free_i32(b);
    store_reg(s, rd, a);
}

/* SSAT/USAT of rn shifted (LSL, or ASR with 0 meaning 32) to bits. */
static void gen_sat(DisasContext *s, int rd, int rn, bool asr, int imm,
                    int bits, bool is_unsigned)
{
    TCGv_i32 t = load_reg(s, rn);

    if (asr) {
        tcg_gen_sari_i32(t, t, imm ? imm : 31);
    } else {
        tcg_gen_shli_i32(t, t, imm);
    }
    store_reg(s, rd, gen_call(is_unsigned ? &info_usat : &info_ssat, t,
                              tcg_constant_i32(bits), NULL));
    tcg_temp_free_i32(t);
}

static void gen_sat16(DisasContext *s, int rd, int rn, int bits,
                      bool is_unsigned)
{
    TCGv_i32 t = load_reg(s, rn);

    store_reg(s, rd, gen_call(is_unsigned ? &info_usat16 : &info_ssat16, t,
                              tcg_constant_i32(bits), NULL));
    tcg_temp_free_i32(t);
}

/* REV (0), REV16 (1), RBIT (2), REVSH (3). */
static void gen_reverse(DisasContext *s, int rd, int rm, int op)
{
    TCGv_i32 t = load_reg(s, rm);
    TCGv_i32 u;

    switch (op) {
    case 0:
        tcg_gen_bswap32_i32(t, t);
        break;
    case 1:
        u = tcg_temp_new_i32();
        tcg_gen_shri_i32(u, t, 8);
        tcg_gen_andi_i32(u, u, 0x00ff00ff);
        tcg_gen_shli_i32(t, t, 8);
        tcg_gen_andi_i32(t, t, 0xff00ff00u);
        tcg_gen_or_i32(t, t, u);
        tcg_temp_free_i32(u);
        break;
    case 2:
        u = gen_call(&info_rbit, t, NULL, NULL);
        tcg_temp_free_i32(t);
        t = u;
        break;
    default:
        tcg_gen_bswap16_i32(t, t);
        tcg_gen_ext16s_i32(t, t);
        break;
    }
    store_reg(s, rd, t);
}

/* The two 16x16 products of SMUAD/SMLAD/SMUSD/SMLSD/SMLALD/SMLSLD: lo =
 * a.lo * b.lo and hi = a.hi * b.hi, b's halves swapped first with m. */
static void gen_dual_products(DisasContext *s, int rn, int rm, bool m,
                              TCGv_i32 lo, TCGv_i32 hi)
{
    TCGv_i32 a = load_reg(s, rn);
    TCGv_i32 b = load_reg(s, rm);
    TCGv_i32 t = tcg_temp_new_i32();

    if (m) {
        tcg_gen_rotri_i32(b, b, 16);
    }
    tcg_gen_ext16s_i32(lo, a);
    tcg_gen_ext16s_i32(t, b);
    tcg_gen_mul_i32(lo, lo, t);
    tcg_gen_sari_i32(hi, a, 16);
    tcg_gen_sari_i32(t, b, 16);
    tcg_gen_mul_i32(hi, hi, t);
    tcg_temp_free_i32(t);
    tcg_temp_free_i32(a);
    tcg_temp_free_i32(b);
}

/* SMUAD, SMLAD, SMUSD, SMLSD (ra 15: no accumulate); the sums set Q on
 * overflow. */
static void gen_smlad(DisasContext *s, int rd, int rn, int rm, int ra,
                      bool m, bool sub)
{
    TCGv_i32 lo = tcg_temp_new_i32();
    TCGv_i32 hi = tcg_temp_new_i32();
    TCGv_i32 r;

    gen_dual_products(s, rn, rm, m, lo, hi);
    if (sub) {
        /* cannot overflow: both products lie in [-2^30, 2^30] */
        tcg_gen_sub_i32(lo, lo, hi);
        r = lo;
        lo = NULL;
    } else {
        r = gen_call(&info_add_setq, lo, hi, NULL);
    }
    if (ra != 15) {
        TCGv_i32 acc = load_reg(s, ra);
        TCGv_i32 sum = gen_call(&info_add_setq, r, acc, NULL);

        tcg_temp_free_i32(acc);
        tcg_temp_free_i32(r);
        r = sum;
    }
    if (lo) {
        tcg_temp_free_i32(lo);
    }
    tcg_temp_free_i32(hi);
    store_reg(s, rd, r);
}

/* SMLALD, SMLSLD: the 64-bit sum or difference added to RdHi:RdLo. */
static void gen_smlald(DisasContext *s, int rdlo, int rdhi, int rn, int rm,
                       bool m, bool sub)
{
    TCGv_i32 lo = tcg_temp_new_i32();
    TCGv_i32 hi = tcg_temp_new_i32();
    TCGv_i64 p = tcg_temp_new_i64();
    TCGv_i64 q = tcg_temp_new_i64();

    gen_dual_products(s, rn, rm, m, lo, hi);
    tcg_gen_ext_i32_i64(p, lo);
    tcg_gen_ext_i32_i64(q, hi);
    if (sub) {
        tcg_gen_sub_i64(p, p, q);
    } else {
        tcg_gen_add_i64(p, p, q);
    }
    tcg_gen_concat_i32_i64(q, cpu_R[rdlo], cpu_R[rdhi]);
    tcg_gen_add_i64(p, p, q);
    tcg_gen_extrl_i64_i32(lo, p);
    tcg_gen_extrh_i64_i32(hi, p);
    tcg_temp_free_i64(p);
    tcg_temp_free_i64(q);
    store_reg(s, rdlo, lo);
    store_reg(s, rdhi, hi);
}

/* SMMUL, SMMLA, SMMLS (ra 15: no accumulate): the top word of
 * (ra << 32) +/- rn * rm, rounded when round is set. */
static void gen_smmla(DisasContext *s, int rd, int rn, int rm, int ra,
                      bool sub, bool round)
{
    TCGv_i32 a = load_reg(s, rn);
    TCGv_i32 b = load_reg(s, rm);
    TCGv_i64 p = tcg_temp_new_i64();
    TCGv_i64 q = tcg_temp_new_i64();

    tcg_gen_ext_i32_i64(p, a);
    tcg_gen_ext_i32_i64(q, b);
    tcg_gen_mul_i64(p, p, q);
    if (ra != 15) {
        TCGv_i32 zero = tcg_constant_i32(0);

        tcg_gen_concat_i32_i64(q, zero, cpu_R[ra]);
        if (sub) {
            tcg_gen_sub_i64(p, q, p);
        } else {
            tcg_gen_add_i64(p, p, q);
        }
    }
    if (round) {
        tcg_gen_movi_i64(q, 0x80000000u);
        tcg_gen_add_i64(p, p, q);
    }
    tcg_gen_extrh_i64_i32(a, p);
    tcg_temp_free_i64(p);
    tcg_temp_free_i64(q);
    tcg_temp_free_i32(b);
    store_reg(s, rd, a);
}

static void gen_binary_helper(DisasContext *s, const TCGHelperInfo *info,
                              int rd, int rn, int rm, int ra)
{
    TCGv_i32 a = load_reg(s, rn);
    TCGv_i32 b = load_reg(s, rm);
    TCGv_i32 r = gen_call(info, a, b, NULL);

    if (ra != 15) {
        TCGv_i32 acc = load_reg(s, ra);

        tcg_gen_add_i32(r, r, acc);
        tcg_temp_free_i32(acc);
    }
    tcg_temp_free_i32(a);
    tcg_temp_free_i32(b);
    store_reg(s, rd, r);
}

/* UBFX, SBFX: width bits of rn from lsb, zero- or sign-extended. */
static void gen_bfx(DisasContext *s, int rd, int rn, int lsb, int width,
                    bool is_signed)
{
    TCGv_i32 t = load_reg(s, rn);

    tcg_gen_shli_i32(t, t, 32 - lsb - width);
    if (is_signed) {
        tcg_gen_sari_i32(t, t, 32 - width);
    } else {
        tcg_gen_shri_i32(t, t, 32 - width);
    }
    store_reg(s, rd, t);
}

/* BFI (rn != 15) and BFC: bits lsb..msb of rd from the bottom of rn, or
 * cleared. */
static void gen_bfi(DisasContext *s, int rd, int rn, int lsb, int msb)
{
    uint32_t mask = (UINT32_MAX >> (31 - msb)) & (UINT32_MAX << lsb);
    TCGv_i32 d = load_reg(s, rd);

    tcg_gen_andi_i32(d, d, ~mask);
    if (rn != 15) {
        TCGv_i32 t = load_reg(s, rn);

        tcg_gen_shli_i32(t, t, lsb);
        tcg_gen_andi_i32(t, t, mask);
        tcg_gen_or_i32(d, d, t);
        tcg_temp_free_i32(t);
    }
    store_reg(s, rd, d);
}

/* op1 = 01xxx: packing, extension, saturation, reversal. */
static bool disas_arm_pack(DisasContext *s, uint32_t insn, int op1, int op2)
{
    int rd = (insn >> 12) & 0xf;
    int rn = (insn >> 16) & 0xf;
    int rm = insn & 0xf;
    int rot = (insn >> 10) & 3;
    bool sbo_rev = (insn & 0x000f0f00) == 0x000f0f00;

    if ((op1 & 0x1a) == 0x0a && !(op2 & 1)) {   /* SSAT, USAT */
        int sat = (insn >> 16) & 0x1f;
        bool u = op1 & 4;

        gen_sat(s, rd, rm, insn & (1 << 6), (insn >> 7) & 0x1f,
                u ? sat : sat + 1, u);
        return true;
    }
    if (op2 == 3) {                              /* the extensions */
        if (insn & 0x300) {
            return false;
        }
        switch (op1) {
        case 0x08:
        case 0x0c:
            gen_extend16(s, rd, rn, rm, rot, op1 == 0x08);
            return true;
        case 0x0a:
        case 0x0b:
        case 0x0e:
        case 0x0f:
            gen_extend(s, rd, rn, rm, rot, (op1 & 1) ? 2 : 1, !(op1 & 4));
            return true;
        default:
            return false;
        }
    }
    switch (op1) {
    case 0x08:
        if (!(op2 & 1)) {
            gen_pkh(s, rd, rn, rm, (insn >> 7) & 0x1f, op2 & 2);
            return true;
        }
        if (op2 == 5 && (insn & 0xf00) == 0xf00) {
            TCGv_i32 a = load_reg(s, rn);
            TCGv_i32 b = load_reg(s, rm);

            store_reg(s, rd, gen_call(&info_sel, a, b, NULL));
            tcg_temp_free_i32(a);
            tcg_temp_free_i32(b);
            return true;
        }
        return false;
    case 0x0a:
    case 0x0e:
        if (op2 == 1 && (insn & 0xf00) == 0xf00) {   /* SSAT16, USAT16 */
            int sat = (insn >> 16) & 0xf;

            gen_sat16(s, rd, rm, op1 == 0x0e ? sat : sat + 1, op1 == 0x0e);
            return true;
        }
        return false;
    case 0x0b:
        if (sbo_rev && (op2 == 1 || op2 == 5)) {     /* REV, REV16 */
            gen_reverse(s, rd, rm, op2 == 1 ? 0 : 1);
            return true;
        }
        return false;
    case 0x0f:
        if (sbo_rev && op2 == 1 && has_v7(s)) {      /* RBIT */
            gen_reverse(s, rd, rm, 2);
            return true;
        }
        if (sbo_rev && op2 == 5) {                   /* REVSH */
            gen_reverse(s, rd, rm, 3);
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* op1 = 10xxx: the signed multiplies and the divides. */
static bool disas_arm_smul(DisasContext *s, uint32_t insn, int op1, int op2)
{
    int rd = (insn >> 16) & 0xf;
    int ra = (insn >> 12) & 0xf;
    int rm = (insn >> 8) & 0xf;
    int rn = insn & 0xf;
    bool m = op2 & 1;

    switch (op1) {
    case 0x10:                   /* SMLAD SMUAD SMLSD SMUSD */
        if (op2 >= 4) {
            return false;
        }
        gen_smlad(s, rd, rn, rm, ra, m, op2 & 2);
        return true;
    case 0x11:                   /* SDIV */
    case 0x13:                   /* UDIV */
        if (op2 != 0 || ra != 15 || !dc_feature(s, ARM_FEATURE_ARM_DIV)) {
            return false;
        }
        gen_binary_helper(s, op1 == 0x11 ? &info_sdiv : &info_udiv, rd, rn,
                          rm, 15);
        return true;
    case 0x14:                   /* SMLALD SMLSLD */
        if (op2 >= 4) {
            return false;
        }
        gen_smlald(s, ra, rd, rn, rm, m, op2 & 2);
        return true;
    case 0x15:                   /* SMMLA SMMUL SMMLS */
        if (op2 <= 1) {
            gen_smmla(s, rd, rn, rm, ra, false, m);
            return true;
        }
        if (op2 >= 6 && ra != 15) {
            gen_smmla(s, rd, rn, rm, ra, true, m);
            return true;
        }
        return false;
    default:
        return false;
    }
}

void disas_arm_media(DisasContext *s, uint32_t insn)
{
    int op1 = (insn >> 20) & 0x1f;
    int op2 = (insn >> 5) & 7;
    int rd = (insn >> 12) & 0xf;
    int rn = (insn >> 16) & 0xf;
    int rm = insn & 0xf;
    int lsb = (insn >> 7) & 0x1f;
    int hi5 = (insn >> 16) & 0x1f;
    bool ok = false;

    if (!dc_feature(s, ARM_FEATURE_V6)) {
        gen_undef(s);
        return;
    }
    switch (op1 >> 3) {
    case 0:                      /* parallel add and subtract */
        if ((op1 & 3) && op2 != 5 && op2 != 6 && (insn & 0xf00) == 0xf00) {
            gen_parallel(s, rd, rn, rm, ((op1 & 4) ? PAR_UNSIGNED : 0) |
                         (op1 & 3) << 3 | op2);
            ok = true;
        }
        break;
    case 1:
        ok = disas_arm_pack(s, insn, op1, op2);
        break;
    case 2:
        ok = disas_arm_smul(s, insn, op1, op2);
        break;
    default:
        if (op1 == 0x18 && op2 == 0) {           /* USAD8, USADA8 */
            gen_binary_helper(s, &info_usad8, (insn >> 16) & 0xf,
                              insn & 0xf, (insn >> 8) & 0xf,
                              (insn >> 12) & 0xf);
            ok = true;
        } else if (!has_v7(s)) {
            break;
        } else if ((op1 & 0x1e) == 0x1a && (op2 & 3) == 2 &&
                   lsb + hi5 <= 31) {            /* SBFX */
            gen_bfx(s, rd, rm, lsb, hi5 + 1, true);
            ok = true;
        } else if ((op1 & 0x1e) == 0x1e && (op2 & 3) == 2 &&
                   lsb + hi5 <= 31) {            /* UBFX */
            gen_bfx(s, rd, rm, lsb, hi5 + 1, false);
            ok = true;
        } else if ((op1 & 0x1e) == 0x1c && (op2 & 3) == 0 && hi5 >= lsb) {
            gen_bfi(s, rd, rm, lsb, hi5);        /* BFI, BFC (rm 15) */
            ok = true;
        }
        break;
    }
    if (!ok) {
        gen_undef(s);
    }
}

/* ---- exclusives ---- */

static void gen_mark_exclusive(TCGv_i32 addr, TCGv_i64 val)
{
    tcg_gen_st_i32(addr, tcg_env(), offsetof(CPUARMState, exclusive_addr));
    tcg_gen_st_i64(val, tcg_env(), offsetof(CPUARMState, exclusive_val));
}

void gen_exclusive(DisasContext *s, int size, int rd, int rt, int rt2,
                   TCGv_i32 addr)
{
    TCGv_i32 lo, hi;
    TCGv_i64 v;

    if (rd < 0) {
        v = tcg_temp_new_i64();
        tcg_gen_qemu_ld_i64(v, addr, s->mmu_idx,
                            (size == 8 ? MO_UQ : size == 4 ? MO_UL :
                             size == 2 ? MO_UW : MO_UB) | MO_ALIGN);
        gen_mark_exclusive(addr, v);
        lo = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(lo, v);
        if (size == 8) {
            hi = tcg_temp_new_i32();
            tcg_gen_extrh_i64_i32(hi, v);
            store_reg(s, rt2, hi);
        }
        tcg_temp_free_i64(v);
        tcg_temp_free_i32(addr);
        store_reg(s, rt, lo);
        return;
    }
    lo = load_reg(s, rt);
    if (size == 8) {
        hi = load_reg(s, rt2);
        store_reg(s, rd, gen_call(&info_strexd, addr, lo, hi));
        tcg_temp_free_i32(hi);
    } else {
        store_reg(s, rd, gen_call(&info_strex, addr, lo,
                                  tcg_constant_i32(size)));
    }
    tcg_temp_free_i32(lo);
    tcg_temp_free_i32(addr);
}

void disas_arm_exclusive(DisasContext *s, uint32_t insn)
{
    /* bits 22:21: word, doubleword, byte, halfword */
    static const int sizes[4] = { 4, 8, 1, 2 };
    int op = (insn >> 21) & 3;
    int size = sizes[op];
    bool load = insn & (1 << 20);
    int rn = (insn >> 16) & 0xf;
    int rd = (insn >> 12) & 0xf;
    int rt = load ? rd : (int)(insn & 0xf);

    if ((op != 0 && !has_v6k(s)) || (insn & 0xf00) != 0xf00 ||
        (load && (insn & 0xf) != 0xf) || rn == 15 || rt == 15 ||
        (size == 8 && ((rt & 1) || rt == 14)) ||
        (!load && (rd == 15 || rd == rn || rd == rt ||
                   (size == 8 && rd == rt + 1)))) {
        gen_undef(s);
        return;
    }
    gen_exclusive(s, size, load ? -1 : rd, rt, rt + 1, load_reg(s, rn));
}

/* ---- UMAAL, MLS ---- */

bool disas_arm_mul_v6(DisasContext *s, uint32_t insn)
{
    int rd = (insn >> 16) & 0xf;        /* RdHi for UMAAL */
    int ra = (insn >> 12) & 0xf;        /* RdLo for UMAAL */
    TCGv_i32 a, b;

    if ((insn & 0x0ff000f0) == 0x00400090 &&
        dc_feature(s, ARM_FEATURE_V6)) {     /* UMAAL */
        TCGv_i64 p = tcg_temp_new_i64();
        TCGv_i64 q = tcg_temp_new_i64();

        a = load_reg(s, insn & 0xf);
        b = load_reg(s, (insn >> 8) & 0xf);
        tcg_gen_extu_i32_i64(p, a);
        tcg_gen_extu_i32_i64(q, b);
        tcg_gen_mul_i64(p, p, q);
        tcg_gen_extu_i32_i64(q, cpu_R[ra]);
        tcg_gen_add_i64(p, p, q);
        tcg_gen_extu_i32_i64(q, cpu_R[rd]);
        tcg_gen_add_i64(p, p, q);
        tcg_gen_extrl_i64_i32(a, p);
        tcg_gen_extrh_i64_i32(b, p);
        tcg_temp_free_i64(p);
        tcg_temp_free_i64(q);
        store_reg(s, ra, a);
        store_reg(s, rd, b);
        return true;
    }
    if ((insn & 0x0ff000f0) == 0x00600090 && has_v7(s)) {     /* MLS */
        a = load_reg(s, insn & 0xf);
        b = load_reg(s, (insn >> 8) & 0xf);
        tcg_gen_mul_i32(a, a, b);
        tcg_gen_sub_i32(b, cpu_R[ra], a);
        tcg_temp_free_i32(a);
        store_reg(s, rd, b);
        return true;
    }
    return false;
}

/* ---- MOVW, MOVT, hints ---- */

void gen_hint(DisasContext *s, int op)
{
    switch (op) {
    case 3:                      /* WFI: halt until an interrupt */
        tcg_gen_movi_i32(cpu_R[15], s->pc_next);
        gen_call(&info_wfi, NULL, NULL, NULL);
        s->is_jmp = DISAS_EXIT;
        break;
    case 1:                      /* YIELD */
    case 2:                      /* WFE: an event may be pending already,
                                  * so waiting for none is allowed */
        s->is_jmp = DISAS_UPDATE;
        break;
    default:                     /* NOP, SEV, DBG and the reserved */
        break;
    }
}

bool disas_arm_movw_hint(DisasContext *s, uint32_t insn)
{
    int rd = (insn >> 12) & 0xf;
    uint32_t imm16 = ((insn >> 4) & 0xf000) | (insn & 0xfff);
    TCGv_i32 t;

    switch (insn & 0x0ff00000) {
    case 0x03000000:             /* MOVW */
        if (!has_v7(s)) {
            return false;
        }
        t = tcg_temp_new_i32();
        tcg_gen_movi_i32(t, imm16);
        store_reg(s, rd, t);
        return true;
    case 0x03400000:             /* MOVT */
        if (!has_v7(s)) {
            return false;
        }
        t = load_reg(s, rd);
        tcg_gen_andi_i32(t, t, 0xffff);
        tcg_gen_ori_i32(t, t, imm16 << 16);
        store_reg(s, rd, t);
        return true;
    case 0x03200000:             /* MSR with no fields: the hints */
        if ((insn & 0x000f0000) || !has_v6k(s) ||
            (insn & 0xff00) != 0xf000) {
            return false;
        }
        gen_hint(s, insn & 0xff);
        return true;
    default:
        return false;
    }
}

/* ---- the unconditional space ---- */

static void gen_cps(DisasContext *s, uint32_t insn)
{
    int imod = (insn >> 18) & 3;
    uint32_t mask = 0, val = 0;

    if (!s->priv) {              /* a NOP in user mode */
        return;
    }
    if (imod & 2) {
        mask = insn & (CPSR_A | CPSR_I | CPSR_F);
        val = (imod & 1) ? mask : 0;
    }
    if (insn & (1 << 17)) {
        mask |= CPSR_M;
        val |= insn & CPSR_M;
    }
    if (mask) {
        TCGv_i32 t = tcg_temp_new_i32();

        tcg_gen_movi_i32(t, val);
        gen_set_cpsr(s, t, mask);
    }
}

/* The first word's offset from the base for the four LDM/STM-style
 * addressing modes of SRS and RFE (two words), and the writeback. */
static int32_t two_word_start(uint32_t insn)
{
    bool pre = insn & (1 << 24);
    bool up = insn & (1 << 23);

    return up ? (pre ? 4 : 0) : (pre ? -8 : -4);
}

/* SRS: LR and SPSR of the current mode onto the stack of mode. */
static void gen_srs(DisasContext *s, uint32_t insn)
{
    TCGv_i32 mode = tcg_constant_i32(insn & 0x1f);
    TCGv_i32 sp = gen_call(&info_get_r13_banked, mode, NULL, NULL);
    TCGv_i32 addr = tcg_temp_new_i32();
    TCGv_i32 t;

    tcg_gen_addi_i32(addr, sp, two_word_start(insn));
    t = load_reg(s, 14);
    gen_st(s, t, addr, MO_UL);
    tcg_temp_free_i32(t);
    tcg_gen_addi_i32(addr, addr, 4);
    t = gen_spsr_read();
    gen_st(s, t, addr, MO_UL);
    tcg_temp_free_i32(t);
    tcg_temp_free_i32(addr);
    if (insn & (1 << 21)) {
        tcg_gen_addi_i32(sp, sp, (insn & (1 << 23)) ? 8 : -8);
        gen_call(&info_set_r13_banked, mode, sp, NULL);
    }
    tcg_temp_free_i32(sp);
}

/* RFE: PC and CPSR from two words at Rn. */
static void gen_rfe(DisasContext *s, uint32_t insn)
{
    int rn = (insn >> 16) & 0xf;
    TCGv_i32 addr = load_reg(s, rn);
    TCGv_i32 pc = tcg_temp_new_i32();
    TCGv_i32 psr = tcg_temp_new_i32();

    tcg_gen_addi_i32(addr, addr, two_word_start(insn));
    gen_ld(s, pc, addr, MO_UL);
    tcg_gen_addi_i32(addr, addr, 4);
    gen_ld(s, psr, addr, MO_UL);
    tcg_temp_free_i32(addr);
    if (insn & (1 << 21)) {
        tcg_gen_addi_i32(cpu_R[rn], cpu_R[rn],
                         (insn & (1 << 23)) ? 8 : -8);
    }
    gen_call(&info_rfe, pc, psr, NULL);
    tcg_temp_free_i32(pc);
    tcg_temp_free_i32(psr);
    s->is_jmp = DISAS_EXIT;
}

bool disas_arm_uncond_v6(DisasContext *s, uint32_t insn)
{
    if (!dc_feature(s, ARM_FEATURE_V6)) {
        return false;
    }
    if ((insn & 0xfff1fe20) == 0xf1000000) {
        gen_cps(s, insn);
        s->is_jmp = DISAS_UPDATE;
        return true;
    }
    if ((insn & 0xfffffdff) == 0xf1010000) {        /* SETEND */
        if (insn & (1 << 9)) {
            emu_log_mask(LOG_UNIMP, "arm: SETEND BE (big-endian data) is "
                         "not implemented: undefined instruction\n");
            gen_undef(s);
        }
        return true;
    }
    if (insn == 0xf57ff01f && has_v6k(s)) {         /* CLREX */
        tcg_gen_st_i32(tcg_constant_i32(UINT32_MAX), tcg_env(),
                       offsetof(CPUARMState, exclusive_addr));
        return true;
    }
    if ((insn & 0xffffffe0) == 0xf57ff040 && has_v7(s)) {
        /* DSB (0x4x), DMB (0x5x): generated code keeps program order on
         * its vCPU, and the exclusives are sequentially consistent on
         * the host */
        return true;
    }
    if ((insn & 0xfffffff0) == 0xf57ff060 && has_v7(s)) {
        /* ISB: what follows sees the context changes, as a new block */
        s->is_jmp = DISAS_UPDATE;
        return true;
    }
    if ((insn & 0xfd70f000) == 0xf450f000 && has_v7(s)) {  /* PLI */
        return true;
    }
    if ((insn & 0xfd70f000) == 0xf510f000 &&
        dc_feature(s, ARM_FEATURE_V7MP)) {                 /* PLDW */
        return true;
    }
    if ((insn & 0xfe5fffe0) == 0xf84d0500) {
        if (!s->priv || !arm_mode_valid(insn & 0x1f) ||
            (insn & 0x1f) == ARM_CPU_MODE_USR) {
            gen_undef(s);
        } else {
            gen_srs(s, insn);
        }
        return true;
    }
    if ((insn & 0xfe50ffff) == 0xf8100a00) {
        if (!s->priv || ((insn >> 16) & 0xf) == 15) {
            gen_undef(s);
        } else {
            gen_rfe(s, insn);
        }
        return true;
    }
    return false;
}
