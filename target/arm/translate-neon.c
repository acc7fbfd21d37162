/*
 * Advanced SIMD (NEON) in ARM state and, through the ARM encoding the
 * Thumb-2 decoder builds, in Thumb state: the data-processing space
 * (1111 001U) and the element and structure loads and stores
 * (1111 0100 xxx0), run by the helpers of neon-helper.c; the transfers
 * between core registers and scalars (VMOV 8/16-bit, VDUP) are in
 * translate-vfp.c with the VFP ones.  They need what VFP needs
 * (CPACR.cp10 and FPEXC.EN).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/translate.h"

HELPER(neon_dp, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(neon_ldst, 0, false, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);

static bool neon_enabled(DisasContext *s)
{
    return dc_feature(s, ARM_FEATURE_NEON) && s->vfp_en;
}

void disas_neon_dp(DisasContext *s, uint32_t insn)
{
    if (!neon_enabled(s)) {
        gen_undef(s);
        return;
    }
    /* the helper raises the undefined instruction for what it lacks */
    gen_call(&info_neon_dp, tcg_constant_i32(insn), NULL, NULL);
}

void disas_neon_ldst(DisasContext *s, uint32_t insn)
{
    int rn = (insn >> 16) & 0xf, rm = insn & 0xf;
    int bytes = neon_ldst_bytes(insn);
    TCGv_i32 addr, t;

    if (!neon_enabled(s) || bytes < 0 || rn == 15) {
        gen_undef(s);
        return;
    }
    addr = load_reg(s, rn);
    gen_call(&info_neon_ldst, tcg_constant_i32(insn), addr,
             tcg_constant_i32(s->mmu_idx));
    if (rm == 15) {
        tcg_temp_free_i32(addr);
        return;
    }
    /* write-back after every access: Rm 13 steps over the transfer */
    if (rm == 13) {
        tcg_gen_addi_i32(addr, addr, bytes);
    } else {
        t = load_reg(s, rm);
        tcg_gen_add_i32(addr, addr, t);
        tcg_temp_free_i32(t);
    }
    store_reg(s, rn, addr);
}
