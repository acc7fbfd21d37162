/*
 * The 32-bit Thumb-2 instructions (ARMv7): one table of encoding
 * classes (mask, value, handler), walked in order.  Where an instruction
 * exists in ARM state with the same meaning (multiplies, media,
 * saturation, bit fields, MOVW/MOVT, LDM/STM, SRS/RFE, MSR/MRS, CPS,
 * barriers, hints, coprocessor transfers) the handler builds its ARM
 * encoding and hands it to the ARM decoder, so both instruction sets
 * share one decoder and one generator per operation; what is Thumb's
 * own (the modified immediates, ORN, the load/store addressing modes,
 * TBB/TBH, the branch encodings, ADDW/SUBW/ADR, SUBS PC, LR) is
 * generated here through the shared generators of translate.c.
 *
 * insn holds the first halfword in bits 31:16 and the second in 15:0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "translate.h"

#define HW1_RN(insn) (((insn) >> 16) & 0xf)
#define HW2_RT(insn) (((insn) >> 12) & 0xf)
#define HW2_RD(insn) (((insn) >> 8) & 0xf)
#define HW2_RM(insn) ((insn) & 0xf)
#define ARM_AL 0xe0000000u

/* r15 as the base of a literal access: the instruction + 4, aligned. */
static TCGv_i32 literal_base(DisasContext *s)
{
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_movi_i32(t, (s->pc + 4) & ~3u);
    return t;
}

/* The ARM encoding arm, or undefined when 0 (no such instruction). */
static void gen_arm_or_undef(DisasContext *s, uint32_t arm)
{
    if (arm) {
        disas_arm_insn(s, arm);
    } else {
        gen_undef(s);
    }
}

/* ---- load/store multiple, SRS, RFE ---- */

static void t2_ldm_stm(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 23) & 3;          /* 01 IA, 10 DB; 00/11 SRS/RFE */
    bool w = insn & (1 << 21);
    bool load = insn & (1 << 20);
    int rn = HW1_RN(insn);
    uint32_t list = insn & 0xffff;
    /* P and U of the ARM encodings: DB is P=1 U=0, IA P=0 U=1 */
    uint32_t pu = (op == 0 || op == 2) ? 1u << 24 : 1u << 23;

    if (op == 0 || op == 3) {
        if (load) {                     /* RFE{DB,IA} Rn{!} */
            disas_arm_insn(s, 0xf8100a00 | pu | w << 21 | rn << 16);
        } else {                        /* SRS{DB,IA} SP{!}, #mode */
            disas_arm_insn(s, 0xf84d0500 | pu | w << 21 | (insn & 0x1f));
        }
        return;
    }
    /* SP never in the list, PC not stored, not both PC and LR loaded,
     * no write-back of a base in the list */
    if ((list & (1 << 13)) || (!load && (list & (1 << 15))) ||
        (load && (list & 0xc000) == 0xc000) || (w && (list & (1 << rn)))) {
        gen_undef(s);
        return;
    }
    disas_arm_insn(s, ARM_AL | 0x08000000 | pu | w << 21 | load << 20 |
                   rn << 16 | list);
}

/* ---- load/store dual and exclusive, table branch ---- */

static void t2_table_branch(DisasContext *s, uint32_t insn)
{
    bool half = insn & (1 << 4);
    TCGv_i32 addr = load_reg(s, HW1_RN(insn));
    TCGv_i32 off = load_reg(s, HW2_RM(insn));
    TCGv_i32 t = tcg_temp_new_i32();

    if (half) {
        tcg_gen_shli_i32(off, off, 1);
    }
    tcg_gen_add_i32(addr, addr, off);
    gen_ld(s, t, addr, half ? MO_UW : MO_UB);
    tcg_gen_shli_i32(t, t, 1);
    tcg_gen_addi_i32(t, t, s->pc + 4);
    tcg_temp_free_i32(addr);
    tcg_temp_free_i32(off);
    store_reg(s, 15, t);
}

static void t2_exclusive(DisasContext *s, uint32_t insn)
{
    bool u = insn & (1 << 23);
    bool load = insn & (1 << 20);
    int rn = HW1_RN(insn), rt = HW2_RT(insn), rt2 = HW2_RD(insn);
    int op3 = (insn >> 4) & 0xf;
    int size, rd = -1;
    TCGv_i32 addr;

    if (!u) {                           /* LDREX/STREX Rt, [Rn, #imm8*4] */
        size = 4;
        if (!load) {
            rd = rt2;
        } else if (rt2 != 15) {
            gen_undef(s);
            return;
        }
    } else {
        if (load && (op3 == 0 || op3 == 1)) {
            t2_table_branch(s, insn);
            return;
        }
        size = op3 == 4 ? 1 : op3 == 5 ? 2 : op3 == 7 ? 8 : 0;
        if (size == 0 || (size != 8 && rt2 != 15)) {
            gen_undef(s);
            return;
        }
        if (!load) {
            rd = HW2_RM(insn);
        }
    }
    if (rn == 15 || rt == 15 || (size == 8 && rt2 == 15) ||
        (rd >= 0 && (rd == 15 || rd == rn || rd == rt ||
                     (size == 8 && rd == rt2)))) {
        gen_undef(s);
        return;
    }
    addr = load_reg(s, rn);
    if (!u) {
        tcg_gen_addi_i32(addr, addr, (insn & 0xff) * 4);
    }
    gen_exclusive(s, size, rd, rt, rt2, addr);
}

/* LDRD/STRD Rt, Rt2, [Rn, #+/-imm8*4]{!} and [Rn], #+/-imm8*4 */
static void t2_ldrd_strd(DisasContext *s, uint32_t insn)
{
    bool pre = insn & (1 << 24);
    bool up = insn & (1 << 23);
    bool wback = insn & (1 << 21);
    bool load = insn & (1 << 20);
    int rn = HW1_RN(insn), rt = HW2_RT(insn), rt2 = HW2_RD(insn);
    int32_t off = (insn & 0xff) * 4 * (up ? 1 : -1);
    TCGv_i32 addr, a2, v1 = NULL, v2 = NULL, t;

    if ((rn == 15 && (wback || !load)) || rt == 15 || rt2 == 15 ||
        (wback && (rn == rt || rn == rt2)) || (load && rt == rt2)) {
        gen_undef(s);
        return;
    }
    addr = rn == 15 ? literal_base(s) : load_reg(s, rn);
    if (pre) {
        tcg_gen_addi_i32(addr, addr, off);
    }
    a2 = tcg_temp_new_i32();
    tcg_gen_addi_i32(a2, addr, 4);
    if (load) {
        v1 = tcg_temp_new_i32();
        v2 = tcg_temp_new_i32();
        gen_ld(s, v1, addr, MO_UL);
        gen_ld(s, v2, a2, MO_UL);
    } else {
        t = load_reg(s, rt);
        gen_st(s, t, addr, MO_UL);
        tcg_temp_free_i32(t);
        t = load_reg(s, rt2);
        gen_st(s, t, a2, MO_UL);
        tcg_temp_free_i32(t);
    }
    tcg_temp_free_i32(a2);
    if (wback) {
        if (!pre) {
            tcg_gen_addi_i32(addr, addr, off);
        }
        store_reg(s, rn, addr);
    } else {
        tcg_temp_free_i32(addr);
    }
    if (load) {
        store_reg(s, rt, v1);
        store_reg(s, rt2, v2);
    }
}

static void t2_dual_excl(DisasContext *s, uint32_t insn)
{
    if (!(insn & (1 << 24)) && !(insn & (1 << 21))) {
        t2_exclusive(s, insn);
    } else {
        t2_ldrd_strd(s, insn);
    }
}

/* ---- data processing ---- */

/*
 * The Thumb operation op (bits 24:21) on Rn and op2 to Rd, as ARM's
 * (AND BIC ORR ORN EOR - PKH - ADD - ADC SBC - SUB RSB), with the
 * compares for Rd 15 with S and MOV/MVN for Rn 15.  op2 has been
 * through the shifter (with C when a logical op sets flags).
 */
static void gen_t2_dp(DisasContext *s, int op, bool set_cc, int rn, int rd,
                      TCGv_i32 op2)
{
    static const int arm_op[16] = {
        0x0, 0xe, 0xc, 0xc, 0x1, -1, -1, -1,
        0x4, -1, 0x5, 0x6, -1, 0x2, 0x3, -1,
    };
    int aop = arm_op[op];
    TCGv_i32 src = NULL;

    if (op == 3) {                      /* ORN: ORR with the inverse */
        tcg_gen_not_i32(op2, op2);
    }
    if (rd == 15 && set_cc) {
        /* TST, TEQ, CMN, CMP */
        aop = op == 0 ? 0x8 : op == 4 ? 0x9 : op == 8 ? 0xb :
              op == 13 ? 0xa : -1;
    } else if (rn == 15 && (op == 2 || op == 3)) {
        aop = 0xd;                      /* MOV, MVN (op2 inverted) */
    } else if (rd == 15 || rn == 15) {
        aop = -1;
    }
    if (aop < 0) {
        tcg_temp_free_i32(op2);
        gen_undef(s);
        return;
    }
    if (aop != 0xd) {
        src = load_reg(s, rn);
    }
    gen_dp(s, aop, set_cc, src, op2, rd);
}

static bool t2_op_is_logic(int op)
{
    return op <= 4;                     /* AND BIC ORR ORN EOR */
}

static void t2_dp_shifted(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 21) & 0xf;
    bool set_cc = insn & (1 << 20);
    int imm5 = ((insn >> 10) & 0x1c) | ((insn >> 6) & 3);
    int type = (insn >> 4) & 3;
    TCGv_i32 op2;

    if (op == 6) {                      /* PKHBT, PKHTB */
        if (set_cc || (type & 1)) {
            gen_undef(s);
            return;
        }
        disas_arm_insn(s, 0xe6800010 | HW1_RN(insn) << 16 |
                       HW2_RD(insn) << 12 | imm5 << 7 | (type & 2) << 5 |
                       HW2_RM(insn));
        return;
    }
    op2 = load_reg(s, HW2_RM(insn));
    gen_shift_imm(s, op2, type, imm5, set_cc && t2_op_is_logic(op));
    gen_t2_dp(s, op, set_cc, HW1_RN(insn), HW2_RD(insn), op2);
}

/* ThumbExpandImm_C: the constant of i:imm3:imm8; *rotated when the
 * carry-out is its bit 31 (else C is unchanged). */
static bool thumb_expand_imm(uint32_t imm12, uint32_t *value, bool *rotated)
{
    uint32_t b = imm12 & 0xff;

    *rotated = false;
    switch (imm12 >> 8) {
    case 0:
        *value = b;
        return true;
    case 1:
        *value = b << 16 | b;
        return b != 0;
    case 2:
        *value = b << 24 | b << 8;
        return b != 0;
    case 3:
        *value = b * 0x01010101u;
        return b != 0;
    default: {
        uint32_t x = 0x80 | (imm12 & 0x7f);
        unsigned n = imm12 >> 7;

        *value = (x >> n) | (x << (32 - n));
        *rotated = true;
        return true;
    }
    }
}

static void t2_dp_modified_imm(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 21) & 0xf;
    bool set_cc = insn & (1 << 20);
    uint32_t imm12 = ((insn >> 15) & 0x800) | ((insn >> 4) & 0x700) |
                     (insn & 0xff);
    uint32_t value;
    bool rotated;
    TCGv_i32 op2;

    if (!thumb_expand_imm(imm12, &value, &rotated)) {
        gen_undef(s);
        return;
    }
    op2 = tcg_temp_new_i32();
    tcg_gen_movi_i32(op2, value);
    if (set_cc && rotated && t2_op_is_logic(op)) {
        gen_cv_eager(s);
        tcg_gen_movi_i32(cpu_CF, value >> 31);
    }
    gen_t2_dp(s, op, set_cc, HW1_RN(insn), HW2_RD(insn), op2);
}

/* ADDW, SUBW, ADR, MOVW, MOVT, SSAT, USAT (and the 16-bit forms), SBFX,
 * UBFX, BFI, BFC */
static void t2_dp_plain_imm(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 20) & 0x1f;
    int rn = HW1_RN(insn), rd = HW2_RD(insn);
    uint32_t imm12 = ((insn >> 15) & 0x800) | ((insn >> 4) & 0x700) |
                     (insn & 0xff);
    int imm5 = ((insn >> 10) & 0x1c) | ((insn >> 6) & 3);
    int hi5 = insn & 0x1f;
    TCGv_i32 t;

    switch (op) {
    case 0x00:                          /* ADDW, ADR */
    case 0x0a:                          /* SUBW, ADR */
        if (rd == 15) {
            break;
        }
        t = rn == 15 ? literal_base(s) : load_reg(s, rn);
        tcg_gen_addi_i32(t, t, op ? -imm12 : imm12);
        store_reg(s, rd, t);
        return;
    case 0x04:                          /* MOVW */
    case 0x0c:                          /* MOVT */
        disas_arm_insn(s, (op == 4 ? 0xe3000000 : 0xe3400000) | rn << 16 |
                       rd << 12 | imm12);
        return;
    case 0x10:                          /* SSAT */
    case 0x12:                          /* SSAT, SSAT16 */
    case 0x18:                          /* USAT */
    case 0x1a:                          /* USAT, USAT16 */
        if ((op & 2) && imm5 == 0) {
            if (insn & 0x30) {
                break;
            }
            disas_arm_insn(s, ((op & 8) ? 0xe6e00f30 : 0xe6a00f30) |
                           (hi5 & 0xf) << 16 | rd << 12 | rn);
        } else {
            disas_arm_insn(s, ((op & 8) ? 0xe6e00010 : 0xe6a00010) |
                           hi5 << 16 | rd << 12 | imm5 << 7 |
                           (op & 2) << 5 | rn);
        }
        return;
    case 0x14:                          /* SBFX */
    case 0x1c:                          /* UBFX */
        disas_arm_insn(s, ((op & 8) ? 0xe7e00050 : 0xe7a00050) |
                       hi5 << 16 | rd << 12 | imm5 << 7 | rn);
        return;
    case 0x16:                          /* BFI, BFC */
        disas_arm_insn(s, 0xe7c00010 | hi5 << 16 | rd << 12 | imm5 << 7 |
                       rn);
        return;
    default:
        break;
    }
    gen_undef(s);
}

/* ---- branches and miscellaneous control ---- */

static void t2_misc_control(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 20) & 0x7f;
    int rn = HW1_RN(insn);
    TCGv_i32 t;

    switch (op) {
    case 0x38: case 0x39:               /* MSR (register) */
        if (insn & 0x20) {              /* the banked form */
            break;
        }
        disas_arm_insn(s, 0xe120f000 | (op & 1) << 22 |
                       ((insn >> 8) & 0xf) << 16 | rn);
        return;
    case 0x3a:                          /* hints, CPS */
        if ((insn & 0x700) == 0) {
            gen_hint(s, insn & 0xff);
        } else {
            disas_arm_insn(s, 0xf1000000 | ((insn >> 9) & 3) << 18 |
                           ((insn >> 8) & 1) << 17 |
                           ((insn >> 5) & 7) << 6 | (insn & 0x1f));
        }
        return;
    case 0x3b:                          /* CLREX, DSB, DMB, ISB */
        /* ARM numbers CLREX 1, Thumb 2; the barriers alike */
        disas_arm_insn(s, 0xf57ff000 | ((insn & 0xf0) == 0x20 ? 0x1f :
                                        insn & 0xff));
        return;
    case 0x3c:                          /* BXJ: no Jazelle, a BX */
        gen_bx(s, load_reg(s, rn));
        return;
    case 0x3d:                          /* SUBS PC, LR, #imm8 */
        if (rn != 14 || !s->priv) {
            break;
        }
        t = tcg_temp_new_i32();
        tcg_gen_movi_i32(t, insn & 0xff);
        gen_dp(s, 0x2, true, load_reg(s, 14), t, 15);
        return;
    case 0x3e: case 0x3f:               /* MRS */
        disas_arm_insn(s, 0xe10f0000 | (op & 1) << 22 | HW2_RD(insn) << 12);
        return;
    case 0x7e:                          /* HVC */
    case 0x7f:                          /* SMC */
        if (!(insn & 0x2000) && (op == 0x7e || !(insn & 0xfff))) {
            gen_hvc_smc(s, op == 0x7e ? EXCP_HVC : EXCP_SMC);
            return;
        }
        break;
    default:                            /* UDF */
        break;
    }
    gen_undef(s);
}

static void t2_branch_misc(DisasContext *s, uint32_t insn)
{
    uint32_t s_bit = (insn >> 26) & 1;
    uint32_t j1 = (insn >> 13) & 1, j2 = (insn >> 11) & 1;
    int32_t off;

    switch (insn & 0x5000) {
    case 0x0000:
        if (((insn >> 23) & 7) == 7) {
            t2_misc_control(s, insn);
            return;
        }
        /* B<cond>: S:J2:J1:imm6:imm11:0, 21 bits */
        off = s_bit << 20 | j2 << 19 | j1 << 18 |
              ((insn >> 16) & 0x3f) << 12 | (insn & 0x7ff) << 1;
        off = (int32_t)((uint32_t)off << 11) >> 11;
        s->condlabel = gen_new_label();
        gen_test_cc(s, ((insn >> 22) & 0xf) ^ 1, s->condlabel);
        gen_jmp(s, s->pc + 4 + off);
        return;
    default:
        break;
    }
    /* B, BL, BLX: S:I1:I2:imm10:imm11:0 with I = NOT(J XOR S) */
    off = s_bit << 24 | (!(j1 ^ s_bit)) << 23 | (!(j2 ^ s_bit)) << 22 |
          ((insn >> 16) & 0x3ff) << 12 | (insn & 0x7ff) << 1;
    off = (int32_t)((uint32_t)off << 7) >> 7;
    if (insn & 0x4000) {                /* BL, BLX */
        tcg_gen_movi_i32(cpu_R[14], s->pc_next | 1);
    }
    if ((insn & 0x5000) == 0x4000) {    /* BLX: to ARM state */
        if (insn & 1) {
            gen_undef(s);
            return;
        }
        tcg_gen_movi_i32(cpu_thumb, 0);
        gen_jmp(s, ((s->pc + 4) & ~3u) + off);
        return;
    }
    gen_jmp(s, s->pc + 4 + off);
}

/* ---- loads and stores of one register ---- */

static void t2_load_store(DisasContext *s, uint32_t insn)
{
    static const MemOp sizes[3] = { MO_UB, MO_UW, MO_UL };
    bool sign = insn & (1 << 24);
    bool load = insn & (1 << 20);
    int size = (insn >> 21) & 3;
    int rn = HW1_RN(insn), rt = HW2_RT(insn);
    int mmu_idx = s->mmu_idx;
    bool pre = true, wback = false;
    int32_t off = 0;
    TCGv_i32 addr, offreg = NULL, t;
    MemOp mop;

    if (size == 3 || (sign && (size == 2 || !load))) {
        gen_undef(s);
        return;
    }
    if (rn == 15) {                     /* literal */
        if (!load) {
            gen_undef(s);
            return;
        }
        off = (insn & 0xfff) * ((insn & (1 << 23)) ? 1 : -1);
    } else if (insn & (1 << 23)) {      /* [Rn, #imm12] */
        off = insn & 0xfff;
    } else if ((insn & 0x800) == 0x800) {   /* the imm8 forms */
        int puw = (insn >> 8) & 7;

        off = (insn & 0xff) * ((puw & 2) ? 1 : -1);
        if (puw == 6) {                 /* LDRT, STRT...: as user mode */
            mmu_idx = ARM_MMU_IDX_USER;
        } else if (puw == 4) {          /* [Rn, #-imm8] */
        } else if (puw & 1) {           /* pre- or post-indexed */
            pre = puw & 4;
            wback = true;
        } else {
            gen_undef(s);
            return;
        }
    } else if ((insn & 0xfc0) == 0) {   /* [Rn, Rm, LSL #imm2] */
        offreg = load_reg(s, HW2_RM(insn));
        tcg_gen_shli_i32(offreg, offreg, (insn >> 4) & 3);
    } else {
        gen_undef(s);
        return;
    }
    if (load && rt == 15 && size != 2) {
        /* PLD, PLDW, PLI: hints; there is no cache */
        if (offreg) {
            tcg_temp_free_i32(offreg);
        }
        return;
    }
    if ((wback && rn == rt) || (!load && rt == 15)) {
        if (offreg) {
            tcg_temp_free_i32(offreg);
        }
        gen_undef(s);
        return;
    }
    addr = rn == 15 ? literal_base(s) : load_reg(s, rn);
    if (offreg) {
        tcg_gen_add_i32(addr, addr, offreg);
        tcg_temp_free_i32(offreg);
    } else if (pre) {
        tcg_gen_addi_i32(addr, addr, off);
    }
    mop = sizes[size] | (sign ? MO_SIGN : 0);
    if (load) {
        t = tcg_temp_new_i32();
        tcg_gen_qemu_ld_i32(t, addr, mmu_idx, finalize_memop(s, mop));
    } else {
        t = load_reg(s, rt);
        tcg_gen_qemu_st_i32(t, addr, mmu_idx, finalize_memop(s, mop));
        tcg_temp_free_i32(t);
        t = NULL;
    }
    if (wback) {
        if (!pre) {
            tcg_gen_addi_i32(addr, addr, off);
        }
        store_reg(s, rn, addr);
    } else {
        tcg_temp_free_i32(addr);
    }
    if (t) {
        store_reg_from_load(s, rt, t);  /* LDR PC interworks */
    }
}

/* ---- data processing (register) ---- */

static void t2_dp_register(DisasContext *s, uint32_t insn)
{
    /* the ARM op2 (bits 7:5) of the parallel operations by Thumb's
     * op1[2:0]: ADD8 ADD16 ASX - SUB8 SUB16 SAX - */
    static const int par_op[8] = { 4, 0, 1, -1, 7, 3, 2, -1 };
    int op1 = (insn >> 20) & 0xf;
    int op2 = (insn >> 4) & 0xf;
    int rn = HW1_RN(insn), rd = HW2_RD(insn), rm = HW2_RM(insn);
    TCGv_i32 t;

    if (op1 < 8 && op2 == 0) {          /* LSL LSR ASR ROR by register */
        bool set_cc = op1 & 1;

        if (rd == 15) {
            gen_undef(s);
            return;
        }
        t = load_reg(s, rn);
        gen_shift_reg(s, t, op1 >> 1, load_reg(s, rm), set_cc);
        gen_dp(s, 0xd, set_cc, NULL, t, rd);
        return;
    }
    if (op1 < 6 && (op2 & 0xc) == 0x8) {
        /* SXTAH UXTAH SXTAB16 UXTAB16 SXTAB UXTAB (Rn 15: no add) */
        static const uint32_t arm[6] = {
            0xe6b00070, 0xe6f00070, 0xe6800070, 0xe6c00070,
            0xe6a00070, 0xe6e00070,
        };

        disas_arm_insn(s, arm[op1] | rn << 16 | rd << 12 |
                       (op2 & 3) << 10 | rm);
        return;
    }
    if (op1 >= 8 && op2 < 8) {          /* parallel add and subtract */
        int kind = (op2 & 3) + 1;

        if (par_op[op1 & 7] < 0 || kind > 3) {
            gen_undef(s);
            return;
        }
        disas_arm_insn(s, 0xe6000f10 | (op2 & 4) << 20 | kind << 20 |
                       rn << 16 | rd << 12 | par_op[op1 & 7] << 5 | rm);
        return;
    }
    if ((op1 & 0xc) == 8 && (op2 & 0xc) == 8) {
        int a = op1 & 3, b = op2 & 3;

        switch (a) {
        case 0:                         /* QADD QDADD QSUB QDSUB */
            disas_arm_insn(s, 0xe1000050 | ((b & 1) << 1 | b >> 1) << 21 |
                           rn << 16 | rd << 12 | rm);
            return;
        case 1: {                       /* REV REV16 RBIT REVSH */
            static const uint32_t arm[4] = {
                0xe6bf0f30, 0xe6bf0fb0, 0xe6ff0f30, 0xe6ff0fb0,
            };

            if (rn != rm) {
                break;
            }
            disas_arm_insn(s, arm[b] | rd << 12 | rm);
            return;
        }
        case 2:                         /* SEL */
            if (b == 0) {
                disas_arm_insn(s, 0xe6800fb0 | rn << 16 | rd << 12 | rm);
                return;
            }
            break;
        default:                        /* CLZ */
            if (b == 0 && rn == rm) {
                disas_arm_insn(s, 0xe16f0f10 | rd << 12 | rm);
                return;
            }
            break;
        }
    }
    gen_undef(s);
}

/* ---- multiplies and divides ---- */

static void t2_multiply(DisasContext *s, uint32_t insn)
{
    int op1 = (insn >> 20) & 7;
    int op2 = (insn >> 4) & 3;
    int rn = HW1_RN(insn), ra = HW2_RT(insn), rd = HW2_RD(insn);
    int rm = HW2_RM(insn);
    /* the register fields as the ARM multiplies place them */
    uint32_t regs = rd << 16 | ra << 12 | rm << 8 | rn;
    uint32_t arm;

    if (insn & 0xc0) {
        gen_undef(s);
        return;
    }
    switch (op1) {
    case 0:                             /* MLA, MUL, MLS */
        if (op2 == 0) {
            arm = ra == 15 ? 0xe0000090 | (regs & ~0xf000u)
                           : 0xe0200090 | regs;
        } else if (op2 == 1) {
            arm = 0xe0600090 | regs;
        } else {
            arm = 0;
        }
        break;
    case 1:                             /* SMLA<x><y>, SMUL<x><y> */
        arm = (ra == 15 ? 0xe1600080 | (regs & ~0xf000u)
                        : 0xe1000080 | regs) |
              (op2 & 1) << 6 | (op2 >> 1) << 5;
        break;
    case 3:                             /* SMLAW<y>, SMULW<y> */
        arm = op2 > 1 ? 0 :
              (ra == 15 ? 0xe12000a0 | (regs & ~0xf000u)
                        : 0xe1200080 | regs) | op2 << 6;
        break;
    case 2:                             /* SMLAD, SMUAD */
    case 4:                             /* SMLSD, SMUSD */
    case 5:                             /* SMMLA, SMMUL */
    case 6: {                           /* SMMLS */
        static const uint32_t base[7] = {
            [2] = 0xe7000010, [4] = 0xe7000050, [5] = 0xe7500010,
            [6] = 0xe75000d0,
        };

        arm = op2 > 1 ? 0 : base[op1] | regs | op2 << 5;
        break;
    }
    default:                            /* USAD8, USADA8 */
        arm = op2 ? 0 : 0xe7800010 | regs;
        break;
    }
    gen_arm_or_undef(s, arm);
}

static void t2_long_multiply(DisasContext *s, uint32_t insn)
{
    int op1 = (insn >> 20) & 7;
    int op2 = (insn >> 4) & 0xf;
    int rn = HW1_RN(insn), rm = HW2_RM(insn);
    int rdlo = HW2_RT(insn), rdhi = HW2_RD(insn);
    uint32_t regs = rdhi << 16 | rdlo << 12 | rm << 8 | rn;
    uint32_t arm = 0;

    switch (op1 << 4 | op2) {
    case 0x00: arm = 0xe0c00090 | regs; break;          /* SMULL */
    case 0x20: arm = 0xe0800090 | regs; break;          /* UMULL */
    case 0x40: arm = 0xe0e00090 | regs; break;          /* SMLAL */
    case 0x60: arm = 0xe0a00090 | regs; break;          /* UMLAL */
    case 0x66: arm = 0xe0400090 | regs; break;          /* UMAAL */
    case 0x1f:                                          /* SDIV */
    case 0x3f:                                          /* UDIV */
        if (rdlo == 15) {
            arm = (op1 == 1 ? 0xe710f010 : 0xe730f010) | rdhi << 16 |
                  rm << 8 | rn;
        }
        break;
    case 0x48: case 0x49: case 0x4a: case 0x4b:         /* SMLAL<x><y> */
        arm = 0xe1400080 | regs | (op2 & 1) << 6 | ((op2 >> 1) & 1) << 5;
        break;
    case 0x4c: case 0x4d:                               /* SMLALD */
        arm = 0xe7400010 | regs | (op2 & 1) << 5;
        break;
    case 0x5c: case 0x5d:                               /* SMLSLD */
        arm = 0xe7400050 | regs | (op2 & 1) << 5;
        break;
    default:
        break;
    }
    gen_arm_or_undef(s, arm);
}

/* ---- coprocessors ---- */

static void t2_coprocessor(DisasContext *s, uint32_t insn)
{
    if ((insn & 0x0f000000) == 0x0f000000) {
        /* Advanced SIMD data processing: 111U 1111 is ARM's 1111 001U */
        disas_neon_dp(s, 0xf2000000 | (insn & 0x10000000) >> 4 |
                         (insn & 0x00ffffff));
        return;
    }
    /* The same encoding as ARM's, 0xe: AL, 0xf: the unconditional forms */
    disas_arm_insn(s, ((insn & 0x10000000) ? 0xf0000000 : ARM_AL) |
                   (insn & 0x0fffffff));
}

/* ---- the table ---- */

typedef struct Thumb2Class {
    uint32_t mask, value;
    void (*handler)(DisasContext *s, uint32_t insn);
} Thumb2Class;

/* Advanced SIMD element and structure loads and stores: 1111 1001 is
 * ARM's 1111 0100. */
static void t2_neon_ldst(DisasContext *s, uint32_t insn)
{
    disas_neon_ldst(s, 0xf4000000 | (insn & 0x00ffffff));
}

static const Thumb2Class thumb2_classes[] = {
    { 0xff100000, 0xf9000000, t2_neon_ldst },
    { 0xfe400000, 0xe8000000, t2_ldm_stm },
    { 0xfe400000, 0xe8400000, t2_dual_excl },
    { 0xfe000000, 0xea000000, t2_dp_shifted },
    { 0xfa008000, 0xf0000000, t2_dp_modified_imm },
    { 0xfa008000, 0xf2000000, t2_dp_plain_imm },
    { 0xf8008000, 0xf0008000, t2_branch_misc },
    { 0xff100000, 0xf8000000, t2_load_store },      /* stores */
    { 0xfe100000, 0xf8100000, t2_load_store },      /* loads, hints */
    { 0xff00f000, 0xfa00f000, t2_dp_register },
    { 0xff800000, 0xfb000000, t2_multiply },
    { 0xff800000, 0xfb800000, t2_long_multiply },
    { 0xec000000, 0xec000000, t2_coprocessor },
};

void disas_thumb2_insn(DisasContext *s, uint32_t insn)
{
    for (size_t i = 0; i < ARRAY_SIZE(thumb2_classes); i++) {
        if ((insn & thumb2_classes[i].mask) == thumb2_classes[i].value) {
            thumb2_classes[i].handler(s, insn);
            return;
        }
    }
    gen_undef(s);
}
