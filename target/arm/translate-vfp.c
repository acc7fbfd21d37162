/*
 * The VFPv3/VFPv4 instructions (coprocessors 10 and 11) of the ARMv7
 * cores, in ARM state and, through the ARM encoding the Thumb-2 decoder
 * hands over, in Thumb state: loads and stores (VLDR, VSTR, VLDM, VSTM,
 * VPUSH, VPOP) and the register transfers are generated inline on
 * env->vfp; data processing is decoded here and run by helper_vfp_dp
 * (vfp-helper.c), which owns the FPSCR's modes and flags.
 *
 * Whether the instructions exist at all is decided at translation time
 * from the TB flags: CPACR.cp10 for the current mode, then FPEXC.EN for
 * everything but VMRS/VMSR of the system registers; otherwise they are
 * undefined, as the architecture says, for the kernel's lazy VFP
 * context switching to catch.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/translate.h"

HELPER(vfp_dp, TCG_CALL_NO_RWG, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(vfp_write_sysreg, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);

/* Where single register n lives (the host is little-endian: S2k is the
 * low word of Dk). */
static intptr_t s_offset(int n)
{
    return offsetof(CPUARMState, vfp.d[n >> 1]) + 4 * (n & 1);
}

static intptr_t d_offset(int n)
{
    return offsetof(CPUARMState, vfp.d[n]);
}

/* Register numbers: Sx is Vx:bit, Dx is bit:Vx. */
static int vfp_reg(bool dp, uint32_t insn, int vshift, int bit)
{
    int v = (insn >> vshift) & 0xf, b = (insn >> bit) & 1;

    return dp ? b << 4 | v : v << 1 | b;
}

/* ---- VMRS, VMSR ---- */

static void disas_vmrs_vmsr(DisasContext *s, uint32_t insn)
{
    int reg = (insn >> 16) & 0xf, rt = (insn >> 12) & 0xf;
    bool read = insn & (1 << 20);
    TCGv_i32 t;

    switch (reg) {
    case VFP_REG_FPSCR:
        if (!s->vfp_en) {
            gen_undef(s);
            return;
        }
        break;
    case VFP_REG_FPSID:
    case VFP_REG_MVFR0:
    case VFP_REG_MVFR1:
    case VFP_REG_FPEXC:
        /* PL1 only, but with FPEXC.EN clear too (to set it) */
        if (!s->vfp_access || !s->priv) {
            gen_undef(s);
            return;
        }
        break;
    default:                     /* FPINST, FPINST2: not on these cores */
        gen_undef(s);
        return;
    }
    if (rt == 15 && !(read && reg == VFP_REG_FPSCR)) {
        gen_undef(s);
        return;
    }
    if (!read) {
        t = load_reg(s, rt);
        gen_call(&info_vfp_write_sysreg, tcg_constant_i32(reg), t, NULL);
        tcg_temp_free_i32(t);
        /* the mode, FZ... or the enable changed what follows */
        s->is_jmp = DISAS_UPDATE;
        return;
    }
    t = tcg_temp_new_i32();
    switch (reg) {
    case VFP_REG_FPSCR:
        tcg_gen_ld_i32(t, tcg_env(), offsetof(CPUARMState, vfp.fpscr));
        if (rt == 15) {              /* VMRS APSR_nzcv, FPSCR */
            gen_set_nzcv(s, t);
            tcg_temp_free_i32(t);
            return;
        }
        break;
    case VFP_REG_FPEXC:
        tcg_gen_ld_i32(t, tcg_env(), offsetof(CPUARMState, vfp.fpexc));
        break;
    default:
        tcg_gen_ld_i32(t, tcg_env(),
                       reg == VFP_REG_FPSID ? offsetof(CPUARMState, vfp.fpsid) :
                       reg == VFP_REG_MVFR0 ? offsetof(CPUARMState, vfp.mvfr0) :
                       offsetof(CPUARMState, vfp.mvfr1));
        break;
    }
    store_reg(s, rt, t);
}

/* ---- register transfers ---- */

static void disas_neon_transfer(DisasContext *s, uint32_t insn);

/* VMOV between a core register and a single register or a 32-bit
 * scalar (the 8- and 16-bit scalars and VDUP are Advanced SIMD). */
static void disas_vfp_transfer(DisasContext *s, uint32_t insn)
{
    int rt = (insn >> 12) & 0xf;
    bool to_core = insn & (1 << 20);
    intptr_t off;
    TCGv_i32 t;

    if (!(insn & (1 << 8))) {                   /* cp10 */
        if ((insn & 0x00e0006f) == 0x00e00000) {
            disas_vmrs_vmsr(s, insn);
            return;
        }
        if ((insn & 0x00e0006f) != 0) {
            gen_undef(s);
            return;
        }
        off = s_offset(vfp_reg(false, insn, 16, 7));
    } else if ((insn & 0x00c0006f) != 0) {
        disas_neon_transfer(s, insn);
        return;
    } else {                                    /* cp11: Dn[x], 32-bit */
        off = d_offset(vfp_reg(true, insn, 16, 7)) +
              4 * ((insn >> 21) & 1);
    }
    if (!s->vfp_en || rt == 15) {
        gen_undef(s);
        return;
    }
    if (to_core) {
        t = tcg_temp_new_i32();
        tcg_gen_ld_i32(t, tcg_env(), off);
        store_reg(s, rt, t);
    } else {
        t = load_reg(s, rt);
        tcg_gen_st_i32(t, tcg_env(), off);
        tcg_temp_free_i32(t);
    }
}

/* The Advanced SIMD transfers: VMOV between a core register and an 8-
 * or 16-bit scalar, VDUP from a core register. */
static void disas_neon_transfer(DisasContext *s, uint32_t insn)
{
    int rt = (insn >> 12) & 0xf, reg = vfp_reg(true, insn, 16, 7);
    int opc1 = (insn >> 21) & 3, opc2 = (insn >> 5) & 3;
    bool to_core = insn & (1 << 20), u = insn & (1 << 23);
    int size, index;
    TCGv_i32 t;

    if (!dc_feature(s, ARM_FEATURE_NEON) || !s->vfp_en || rt == 15 ||
        (insn & 0xf)) {
        gen_undef(s);
        return;
    }
    if (u && !to_core) {                        /* VDUP: B:E the size */
        int be = ((insn >> 21) & 2) | ((insn >> 5) & 1);
        bool q = insn & (1 << 21);

        if (be == 3 || (q && (reg & 1)) || (insn & (1 << 6))) {
            gen_undef(s);
            return;
        }
        size = be == 0 ? 4 : be == 1 ? 2 : 1;
        t = load_reg(s, rt);
        for (int i = 0; i < (q ? 16 : 8); i += size) {
            intptr_t off = d_offset(reg) + i;

            if (size == 4) {
                tcg_gen_st_i32(t, tcg_env(), off);
            } else if (size == 2) {
                tcg_gen_st16_i32(t, tcg_env(), off);
            } else {
                tcg_gen_st8_i32(t, tcg_env(), off);
            }
        }
        tcg_temp_free_i32(t);
        return;
    }
    if (opc1 & 2) {                             /* 8-bit */
        size = 1;
        index = (opc1 & 1) << 2 | opc2;
    } else if (opc2 & 1) {                      /* 16-bit */
        size = 2;
        index = (opc1 & 1) << 1 | opc2 >> 1;
    } else {                                    /* opc2 10: undefined */
        gen_undef(s);
        return;
    }
    if (to_core) {
        t = tcg_temp_new_i32();
        if (size == 1) {
            tcg_gen_ld8u_i32(t, tcg_env(), d_offset(reg) + index);
            if (!u) {
                tcg_gen_ext8s_i32(t, t);
            }
        } else {
            tcg_gen_ld16u_i32(t, tcg_env(), d_offset(reg) + 2 * index);
            if (!u) {
                tcg_gen_ext16s_i32(t, t);
            }
        }
        store_reg(s, rt, t);
    } else {
        t = load_reg(s, rt);
        if (size == 1) {
            tcg_gen_st8_i32(t, tcg_env(), d_offset(reg) + index);
        } else {
            tcg_gen_st16_i32(t, tcg_env(), d_offset(reg) + 2 * index);
        }
        tcg_temp_free_i32(t);
    }
}

/* VMOV between two core registers and two single registers or one
 * double register. */
static void disas_vfp_transfer64(DisasContext *s, uint32_t insn)
{
    int rt = (insn >> 12) & 0xf, rt2 = (insn >> 16) & 0xf;
    bool dp = insn & (1 << 8), to_core = insn & (1 << 20);
    int m = vfp_reg(dp, insn, 0, 5);
    intptr_t lo, hi;
    TCGv_i32 t;

    if ((insn & 0xd0) != 0x10 || rt == 15 || rt2 == 15 ||
        (to_core && rt == rt2) || (!dp && m == 31) || !s->vfp_en) {
        gen_undef(s);
        return;
    }
    lo = dp ? d_offset(m) : s_offset(m);
    hi = dp ? lo + 4 : s_offset(m + 1);
    if (to_core) {
        t = tcg_temp_new_i32();
        tcg_gen_ld_i32(t, tcg_env(), lo);
        store_reg(s, rt, t);
        t = tcg_temp_new_i32();
        tcg_gen_ld_i32(t, tcg_env(), hi);
        store_reg(s, rt2, t);
    } else {
        t = load_reg(s, rt);
        tcg_gen_st_i32(t, tcg_env(), lo);
        tcg_temp_free_i32(t);
        t = load_reg(s, rt2);
        tcg_gen_st_i32(t, tcg_env(), hi);
        tcg_temp_free_i32(t);
    }
}

/* ---- loads and stores ---- */

/* One word between memory at addr and env at off; word-aligned always
 * (an alignment fault otherwise, whatever SCTLR.A says). */
static void gen_vfp_ldst_word(DisasContext *s, bool load, TCGv_i32 addr,
                              intptr_t off)
{
    TCGv_i32 t = tcg_temp_new_i32();

    if (load) {
        gen_ld(s, t, addr, MO_UL | MO_ALIGN);
        tcg_gen_st_i32(t, tcg_env(), off);
    } else {
        tcg_gen_ld_i32(t, tcg_env(), off);
        gen_st(s, t, addr, MO_UL | MO_ALIGN);
    }
    tcg_temp_free_i32(t);
}

/* VLDR, VSTR, VLDM, VSTM (VPUSH and VPOP being VSTMDB and VLDMIA on
 * sp).  A double register is two words, the low one first. */
static void disas_vfp_ldst(DisasContext *s, uint32_t insn)
{
    bool p = insn & (1 << 24), u = insn & (1 << 23), w = insn & (1 << 21);
    bool load = insn & (1 << 20), dp = insn & (1 << 8);
    int rn = (insn >> 16) & 0xf, imm8 = insn & 0xff;
    int d = vfp_reg(dp, insn, 12, 22);
    int words, count;
    TCGv_i32 addr;

    if ((p && u && w) || (!p && !u)) {
        gen_undef(s);
        return;
    }
    if (p && !w) {                              /* VLDR, VSTR */
        words = dp ? 2 : 1;
        count = 1;
    } else {
        /* FLDMX/FSTMX: an odd count of a double list moves one word
         * fewer than it steps over */
        words = imm8;
        count = dp ? imm8 / 2 : imm8;
        if (count == 0 || d + count > 32 || (dp && count > 16) ||
            (w && rn == 15)) {
            gen_undef(s);
            return;
        }
    }
    if (!s->vfp_en) {
        gen_undef(s);
        return;
    }
    addr = load_reg(s, rn);
    if (rn == 15) {
        tcg_gen_andi_i32(addr, addr, ~3u);      /* Align(PC, 4) */
    }
    if (p && !w) {
        tcg_gen_addi_i32(addr, addr, u ? imm8 * 4 : -imm8 * 4);
    } else if (p) {                             /* decrement before */
        tcg_gen_subi_i32(addr, addr, words * 4);
    }
    for (int i = 0; i < count; i++) {
        if (dp) {
            gen_vfp_ldst_word(s, load, addr, d_offset(d + i));
            tcg_gen_addi_i32(addr, addr, 4);
            gen_vfp_ldst_word(s, load, addr, d_offset(d + i) + 4);
        } else {
            gen_vfp_ldst_word(s, load, addr, s_offset(d + i));
        }
        tcg_gen_addi_i32(addr, addr, 4);
    }
    if (w) {
        /* every access done: Rn = Rn + or - the list's size */
        TCGv_i32 base = load_reg(s, rn);

        tcg_gen_addi_i32(base, base, u ? words * 4 : -words * 4);
        store_reg(s, rn, base);
    }
    tcg_temp_free_i32(addr);
}

/* ---- data processing ---- */

/* VFPExpandImm: the 8-bit immediate of VMOV as a single or double. */
static uint64_t vfp_expand_imm(bool dp, uint32_t imm8)
{
    uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1;

    if (dp) {
        return sign << 63 |
               (b6 ? 0x3fc0000000000000ull : 0x4000000000000000ull) |
               (uint64_t)(imm8 & 0x3f) << 48;
    }
    return sign << 31 | (b6 ? 0x3e000000u : 0x40000000u) |
           (imm8 & 0x3f) << 19;
}

static void gen_vfp_dp(int code, bool dp, int extra, int d, int n, int m)
{
    gen_call(&info_vfp_dp,
             tcg_constant_i32(VFP_OP(code, dp, extra)),
             tcg_constant_i32(d | n << 8 | m << 16), NULL);
}

/* The "other" group (opc1 1x11, bit 6 set): by opc2 (bits 19:16). */
static bool disas_vfp_other(DisasContext *s, uint32_t insn, bool dp)
{
    int opc2 = (insn >> 16) & 0xf;
    bool op7 = insn & (1 << 7);
    int d = vfp_reg(dp, insn, 12, 22), m = vfp_reg(dp, insn, 0, 5);
    int sd = vfp_reg(false, insn, 12, 22), sm = vfp_reg(false, insn, 0, 5);

    switch (opc2) {
    case 0x0:
        gen_vfp_dp(op7 ? VFP_ABS : VFP_MOV, dp, 0, d, 0, m);
        return true;
    case 0x1:
        gen_vfp_dp(op7 ? VFP_SQRT : VFP_NEG, dp, 0, d, 0, m);
        return true;
    case 0x2: case 0x3:                 /* VCVTB, VCVTT */
        if (dp || !dc_feature(s, ARM_FEATURE_VFP_FP16)) {
            return false;
        }
        gen_vfp_dp(opc2 == 2 ? VFP_CVT_FROM_HALF : VFP_CVT_TO_HALF, false,
                   op7, sd, 0, sm);
        return true;
    case 0x4: case 0x5:                 /* VCMP{E}, with zero */
        if (opc2 == 5 && (insn & 0x2f)) {
            return false;
        }
        gen_vfp_dp(VFP_CMP, dp, op7 | (opc2 == 5) << 1, d, 0, m);
        return true;
    case 0x7:                           /* VCVT between precisions */
        if (!op7) {
            return false;
        }
        gen_vfp_dp(VFP_CVT_PRECISION, dp, 0, vfp_reg(!dp, insn, 12, 22),
                   0, m);
        return true;
    case 0x8:                           /* VCVT from a 32-bit integer */
        gen_vfp_dp(VFP_FROM_INT, dp, op7, d, 0, sm);
        return true;
    case 0xa: case 0xb: case 0xe: case 0xf: {
        /* VCVT to and from fixed point in place: sx (bit 7) 32-bit,
         * U (bit 16) unsigned, the immediate size - fbits */
        int size = op7 ? 32 : 16;
        int imm = (insn & 0xf) << 1 | ((insn >> 5) & 1);
        int extra = (size - imm) | (op7 ? VFP_FIX_32 : 0) |
                    ((insn & (1 << 16)) ? VFP_FIX_UNSIGNED : 0);

        if (imm > size) {
            return false;
        }
        gen_vfp_dp((opc2 & 4) ? VFP_TO_FIXED : VFP_FROM_FIXED, dp, extra,
                   d, 0, 0);
        return true;
    }
    case 0xc: case 0xd:                 /* VCVT{R} to a 32-bit integer */
        gen_vfp_dp(VFP_TO_INT, dp, (opc2 & 1) | op7 << 1, sd, 0, m);
        return true;
    default:
        return false;
    }
}

static void disas_vfp_dp(DisasContext *s, uint32_t insn)
{
    bool dp = insn & (1 << 8), op6 = insn & (1 << 6);
    int opc1 = ((insn >> 21) & 4) | ((insn >> 20) & 3);
    int d = vfp_reg(dp, insn, 12, 22), n = vfp_reg(dp, insn, 16, 7);
    int m = vfp_reg(dp, insn, 0, 5);
    static const int ops[7][2] = {
        { VFP_MLA, VFP_MLS }, { VFP_NMLS, VFP_NMLA }, { VFP_MUL, VFP_NMUL },
        { VFP_ADD, VFP_SUB }, { VFP_DIV, -1 }, { VFP_FNMS, VFP_FNMA },
        { VFP_FMA, VFP_FMS },
    };

    if (!s->vfp_en || s->vfp_vec) {
        /* disabled, or FPSCR short vectors (these cores have none) */
        gen_undef(s);
        return;
    }
    if (opc1 < 7) {
        int code = ops[opc1][op6];

        if (code < 0 ||
            (opc1 >= 5 && !dc_feature(s, ARM_FEATURE_VFP4))) {
            gen_undef(s);
            return;
        }
        gen_vfp_dp(code, dp, 0, d, n, m);
    } else if (!op6) {                  /* VMOV immediate */
        uint64_t imm = vfp_expand_imm(dp, (insn >> 12 & 0xf0) |
                                          (insn & 0xf));
        if (dp) {
            tcg_gen_st_i64(tcg_constant_i64(imm), tcg_env(), d_offset(d));
        } else {
            tcg_gen_st_i32(tcg_constant_i32(imm), tcg_env(), s_offset(d));
        }
    } else if (!disas_vfp_other(s, insn, dp)) {
        gen_undef(s);
    }
}

void disas_vfp_insn(DisasContext *s, uint32_t insn)
{
    if (!dc_feature(s, ARM_FEATURE_VFP3)) {
        gen_undef(s);
    } else if ((insn & 0x0f000000) == 0x0e000000) {
        if (insn & (1 << 4)) {
            disas_vfp_transfer(s, insn);
        } else {
            disas_vfp_dp(s, insn);
        }
    } else if ((insn & 0x0fe00000) == 0x0c400000) {
        disas_vfp_transfer64(s, insn);
    } else {
        disas_vfp_ldst(s, insn);
    }
}
