/*
 * The 16-bit Thumb decoder of the ARM front end: each instruction to IR
 * through the generators of translate.c.  ARMv5T: the BL/BLX pair is
 * translated as one instruction when both halves lie in the same page;
 * otherwise each half runs on its own, through LR, as the architecture
 * defines.  ARMv6/v7 add CBZ/CBNZ, the extends, REV*, CPS, IT and the
 * hints; inside an IT block the 16-bit data-processing instructions
 * other than the compares leave the flags alone (on ARMv7 the 32-bit
 * forms, translate-thumb2.c, take the BL/BLX pair).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "translate.h"

/* 16-bit data processing sets the flags outside IT blocks only. */
static bool thumb_sets_flags(const DisasContext *s)
{
    return s->condexec == 0;
}

static TCGv_i32 new_const(uint32_t v)
{
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_movi_i32(t, v);
    return t;
}

/* LSL/LSR/ASR Rd, Rm, #imm and ADD/SUB Rd, Rn, Rm/#imm3 */
static void disas_thumb_shift_addsub(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 11) & 3;
    int rd = insn & 7;
    TCGv_i32 a = load_reg(s, (insn >> 3) & 7);
    TCGv_i32 b;
    bool cc = thumb_sets_flags(s);

    if (op != 3) {
        gen_shift_imm(s, a, op, (insn >> 6) & 0x1f, cc);
        if (cc) {
            gen_logic_CC(s, a);
        }
        store_reg(s, rd, a);
        return;
    }
    if (insn & (1 << 10)) {
        b = new_const((insn >> 6) & 7);
    } else {
        b = load_reg(s, (insn >> 6) & 7);
    }
    gen_dp(s, (insn & (1 << 9)) ? 0x2 : 0x4, cc, a, b, rd);
}

/* MOV/CMP/ADD/SUB Rd, #imm8 */
static void disas_thumb_imm8(DisasContext *s, uint32_t insn)
{
    /* MOV, CMP, ADD, SUB as ARM numbers them */
    static const int arm_op[4] = { 0xd, 0xa, 0x4, 0x2 };
    int op = (insn >> 11) & 3;
    int rd = (insn >> 8) & 7;
    TCGv_i32 imm = new_const(insn & 0xff);
    TCGv_i32 a = op == 0 ? NULL : load_reg(s, rd);

    gen_dp(s, arm_op[op], op == 1 || thumb_sets_flags(s), a, imm, rd);
}

/* The register-register data-processing format. */
static void disas_thumb_alu(DisasContext *s, uint32_t insn)
{
    /* the ARM operation of each (-1: shifts, NEG, MUL, done here) */
    static const int arm_op[16] = {
        0x0, 0x1, -1, -1, -1, 0x5, 0x6, -1,
        0x8, -1, 0xa, 0xb, 0xc, -1, 0xe, 0xf,
    };
    static const int shift_of[16] = {
        [0x2] = SHIFT_LSL, [0x3] = SHIFT_LSR, [0x4] = SHIFT_ASR,
        [0x7] = SHIFT_ROR,
    };
    int op = (insn >> 6) & 0xf;
    int rd = insn & 7;
    bool cc = (op >= 0x8 && op <= 0xb && op != 0x9) || thumb_sets_flags(s);
    TCGv_i32 a = load_reg(s, rd);
    TCGv_i32 b = load_reg(s, (insn >> 3) & 7);

    switch (op) {
    case 0x2: case 0x3: case 0x4: case 0x7:   /* LSL LSR ASR ROR */
        gen_shift_reg(s, a, shift_of[op], b, cc);
        if (cc) {
            gen_logic_CC(s, a);
        }
        store_reg(s, rd, a);
        break;
    case 0x9:                           /* NEG: RSB Rd, Rm, #0 */
        tcg_temp_free_i32(a);
        gen_dp(s, 0x3, cc, b, new_const(0), rd);
        break;
    case 0xd:                           /* MUL: C and V are kept */
        tcg_gen_mul_i32(a, a, b);
        tcg_temp_free_i32(b);
        if (cc) {
            gen_logic_CC(s, a);
        }
        store_reg(s, rd, a);
        break;
    case 0xf:                           /* MVN */
        tcg_temp_free_i32(a);
        gen_dp(s, 0xf, cc, NULL, b, rd);
        break;
    default:
        gen_dp(s, arm_op[op], cc, a, b, rd);
        break;
    }
}

/* ADD/CMP/MOV with high registers, BX, BLX */
static void disas_thumb_hireg(DisasContext *s, uint32_t insn)
{
    int op = (insn >> 8) & 3;
    int rd = (insn & 7) | ((insn >> 4) & 8);
    int rm = (insn >> 3) & 0xf;
    TCGv_i32 a, b;

    switch (op) {
    case 0:                             /* ADD, no flags */
        a = load_reg(s, rd);
        b = load_reg(s, rm);
        tcg_gen_add_i32(a, a, b);
        tcg_temp_free_i32(b);
        store_reg(s, rd, a);
        break;
    case 1: {                           /* CMP */
        TCGv_i32 res = tcg_temp_new_i32();

        a = load_reg(s, rd);
        b = load_reg(s, rm);
        gen_sub_CC(s, res, a, b);
        tcg_temp_free_i32(a);
        tcg_temp_free_i32(b);
        tcg_temp_free_i32(res);
        break;
    }
    case 2:                             /* MOV */
        store_reg(s, rd, load_reg(s, rm));
        break;
    default:
        if (insn & (1 << 7)) {          /* BLX Rm */
            if (!dc_feature(s, ARM_FEATURE_V5)) {
                gen_undef(s);
                return;
            }
            a = load_reg(s, rm);
            tcg_gen_movi_i32(cpu_R[14], (s->pc + 2) | 1);
            gen_bx(s, a);
        } else {                        /* BX Rm */
            gen_bx(s, load_reg(s, rm));
        }
        break;
    }
}

/* A load into a low register or a store from one. */
static void gen_thumb_ldst(DisasContext *s, bool load, int rd,
                           TCGv_i32 addr, MemOp op)
{
    TCGv_i32 t;

    if (load) {
        t = tcg_temp_new_i32();
        if (op == MO_UL) {
            gen_ld_word(s, t, addr, s->mmu_idx);
        } else {
            gen_ld(s, t, addr, op);
        }
        store_reg(s, rd, t);
    } else {
        t = load_reg(s, rd);
        gen_st(s, t, addr, op);
        tcg_temp_free_i32(t);
    }
    tcg_temp_free_i32(addr);
}

/* STR STRH STRB LDRSB LDR LDRH LDRB LDRSH Rd, [Rn, Rm] */
static void disas_thumb_ldst_reg(DisasContext *s, uint32_t insn)
{
    static const MemOp ops[8] = {
        MO_UL, MO_UW, MO_UB, MO_SB, MO_UL, MO_UW, MO_UB, MO_SW,
    };
    static const bool loads[8] = { false, false, false, true,
                                   true, true, true, true };
    int op = (insn >> 9) & 7;
    TCGv_i32 addr = load_reg(s, (insn >> 3) & 7);
    TCGv_i32 off = load_reg(s, (insn >> 6) & 7);

    tcg_gen_add_i32(addr, addr, off);
    tcg_temp_free_i32(off);
    gen_thumb_ldst(s, loads[op], insn & 7, addr, ops[op]);
}

/* PUSH {list, LR} and POP {list, PC} */
static void disas_thumb_push_pop(DisasContext *s, uint32_t insn)
{
    bool pop = insn & (1 << 11);
    unsigned list = insn & 0xff;
    bool extra = insn & (1 << 8);       /* LR for PUSH, PC for POP */
    int n = __builtin_popcount(list) + extra;
    TCGv_i32 addr = load_reg(s, 13);
    TCGv_i32 t, pc = NULL;

    if (n == 0) {
        tcg_temp_free_i32(addr);
        gen_undef(s);
        return;
    }
    if (!pop) {
        tcg_gen_subi_i32(addr, addr, 4 * n);
    }
    for (int i = 0; i < 9; i++) {
        int reg = i < 8 ? i : (pop ? 15 : 14);

        if (i < 8 ? !(list & (1 << i)) : !extra) {
            continue;
        }
        if (pop) {
            t = tcg_temp_new_i32();
            gen_ld(s, t, addr, MO_UL);
            if (reg == 15) {
                pc = t;
            } else {
                tcg_gen_mov_i32(cpu_R[reg], t);
                tcg_temp_free_i32(t);
            }
        } else {
            t = load_reg(s, reg);
            gen_st(s, t, addr, MO_UL);
            tcg_temp_free_i32(t);
        }
        tcg_gen_addi_i32(addr, addr, 4);
    }
    if (!pop) {
        tcg_gen_subi_i32(addr, addr, 4 * n);
    }
    tcg_gen_mov_i32(cpu_R[13], addr);
    tcg_temp_free_i32(addr);
    if (pc) {
        store_reg_from_load(s, 15, pc);
    }
}

/* CBZ, CBNZ Rn, label: forward only, flags untouched. */
static void disas_thumb_cbz(DisasContext *s, uint32_t insn)
{
    uint32_t dest = s->pc + 4 + ((insn >> 3) & 0x1f) * 2 +
                    ((insn & (1 << 9)) ? 64 : 0);

    s->condlabel = gen_new_label();
    tcg_gen_brcondi_i32((insn & (1 << 11)) ? TCG_COND_EQ : TCG_COND_NE,
                        cpu_R[insn & 7], 0, s->condlabel);
    gen_jmp(s, dest);
}

/* IT firstcond, mask: the next one to four instructions are conditional
 * (the loop in translate.c applies ITSTATE). */
static void disas_thumb_it(DisasContext *s, uint32_t insn)
{
    s->next_condexec = insn & 0xff;
    gen_set_condexec(s->next_condexec);
}

/* ADD/SUB SP, CBZ/CBNZ, extends, PUSH/POP, SETEND, CPS, REV*, BKPT, IT
 * and the hints. */
static void disas_thumb_misc(DisasContext *s, uint32_t insn)
{
    int rd = insn & 7, rm = (insn >> 3) & 7;
    bool v6 = dc_feature(s, ARM_FEATURE_V6);
    bool v7 = dc_feature(s, ARM_FEATURE_V7);

    if ((insn & 0x0f00) == 0x0000) {
        uint32_t imm = (insn & 0x7f) * 4;

        tcg_gen_addi_i32(cpu_R[13], cpu_R[13],
                         (insn & (1 << 7)) ? -imm : imm);
    } else if ((insn & 0x0500) == 0x0100 && v7) {
        disas_thumb_cbz(s, insn);
    } else if ((insn & 0x0f00) == 0x0200 && v6) {
        /* SXTH, SXTB, UXTH, UXTB as their ARM encodings */
        static const uint32_t arm[4] = {
            0xe6bf0070, 0xe6af0070, 0xe6ff0070, 0xe6ef0070,
        };

        disas_arm_insn(s, arm[(insn >> 6) & 3] | rd << 12 | rm);
    } else if ((insn & 0x0600) == 0x0400) {
        disas_thumb_push_pop(s, insn);
    } else if ((insn & 0x0ff7) == 0x0650 && v6) {
        disas_arm_insn(s, 0xf1010000 | (insn & 8) << 6);     /* SETEND */
    } else if ((insn & 0x0fe8) == 0x0660 && v6) {
        /* CPSIE/CPSID {a,i,f} */
        disas_arm_insn(s, 0xf1080000 | (insn & 0x10) << 14 |
                       (insn & 7) << 6);
    } else if ((insn & 0x0f00) == 0x0a00 && ((insn >> 6) & 3) != 2 && v6) {
        /* REV, REV16, REVSH */
        static const uint32_t arm[4] = {
            0xe6bf0f30, 0xe6bf0fb0, 0, 0xe6ff0fb0,
        };

        disas_arm_insn(s, arm[(insn >> 6) & 3] | rd << 12 | rm);
    } else if ((insn & 0x0f00) == 0x0e00 &&
               dc_feature(s, ARM_FEATURE_V5)) {
        gen_exception_insn(s, EXCP_BKPT);
    } else if (insn == 0xbabc && s->semihost) {
        /* HLT 0x3c, the T32 semihosting trap: undefined before ARMv8,
         * but QEMU (and the semihosting specification) take it on any
         * core */
        gen_exception_insn(s, EXCP_SEMIHOST);
    } else if ((insn & 0x0f00) == 0x0f00 && v7) {
        if (insn & 0xf) {
            disas_thumb_it(s, insn);
        } else {
            gen_hint(s, (insn >> 4) & 0xf);
        }
    } else {
        gen_undef(s);
    }
}

/* LDMIA/STMIA Rn!, {list} */
static void disas_thumb_ldm_stm(DisasContext *s, uint32_t insn)
{
    bool load = insn & (1 << 11);
    int rn = (insn >> 8) & 7;
    unsigned list = insn & 0xff;
    TCGv_i32 addr, t, loaded_base = NULL;

    if (list == 0) {
        gen_undef(s);
        return;
    }
    addr = load_reg(s, rn);
    for (int i = 0; i < 8; i++) {
        if (!(list & (1 << i))) {
            continue;
        }
        if (load) {
            t = tcg_temp_new_i32();
            gen_ld(s, t, addr, MO_UL);
            if (i == rn) {
                loaded_base = t;
            } else {
                tcg_gen_mov_i32(cpu_R[i], t);
                tcg_temp_free_i32(t);
            }
        } else {
            t = load_reg(s, i);
            gen_st(s, t, addr, MO_UL);
            tcg_temp_free_i32(t);
        }
        tcg_gen_addi_i32(addr, addr, 4);
    }
    /* A loaded base wins over the write-back. */
    if (loaded_base) {
        tcg_gen_mov_i32(cpu_R[rn], loaded_base);
        tcg_temp_free_i32(loaded_base);
        tcg_temp_free_i32(addr);
    } else {
        store_reg(s, rn, addr);
    }
}

/* Bcc, SWI, and the undefined condition 0xe */
static void disas_thumb_bcc_swi(DisasContext *s, uint32_t insn)
{
    int cond = (insn >> 8) & 0xf;

    if (cond == 0xe) {
        gen_undef(s);
    } else if (cond == 0xf) {
        if (s->semihost && (insn & 0xff) == 0xab) {
            gen_exception_insn(s, EXCP_SEMIHOST);
        } else {
            gen_exception_at(s, EXCP_SWI, s->pc_next);
        }
    } else {
        s->condlabel = gen_new_label();
        gen_test_cc(s, cond ^ 1, s->condlabel);
        gen_jmp(s, s->pc + 4 + ((int32_t)(insn << 24) >> 23));
    }
}

/* The first half of BL/BLX: LR = PC + (offset << 12), or the whole pair. */
static void disas_thumb_bl_prefix(DisasContext *s, uint32_t insn)
{
    uint32_t base = s->pc + 4 + ((int32_t)(insn << 21) >> 9);
    uint32_t next;

    if (((s->pc + 2) & TARGET_PAGE_MASK) == s->page_start) {
        next = translator_lduw(s->cpu, s->pc + 2, s->mmu_idx);
        if ((next & 0xf800) == 0xf800 ||
            ((next & 0xf801) == 0xe800 && dc_feature(s, ARM_FEATURE_V5))) {
            uint32_t dest = base + ((next & 0x7ff) << 1);

            s->pc_next = s->pc + 4;
            tcg_gen_movi_i32(cpu_R[14], s->pc_next | 1);
            if ((next & 0xf800) == 0xe800) {    /* BLX: to ARM state */
                tcg_gen_movi_i32(cpu_thumb, 0);
                dest &= ~3u;
            }
            gen_jmp(s, dest);
            return;
        }
    }
    tcg_gen_movi_i32(cpu_R[14], base);
}

/* The second half of BL/BLX on its own: the target is LR + offset. */
static void disas_thumb_bl_suffix(DisasContext *s, uint32_t insn, bool blx)
{
    TCGv_i32 t;

    if (blx && (!dc_feature(s, ARM_FEATURE_V5) || (insn & 1))) {
        gen_undef(s);
        return;
    }
    t = tcg_temp_new_i32();
    tcg_gen_addi_i32(t, cpu_R[14], (insn & 0x7ff) << 1);
    tcg_gen_movi_i32(cpu_R[14], (s->pc + 2) | 1);
    if (blx) {
        tcg_gen_movi_i32(cpu_thumb, 0);
        tcg_gen_andi_i32(cpu_R[15], t, ~3u);
        tcg_temp_free_i32(t);
        s->is_jmp = DISAS_JUMP;
    } else {
        store_reg(s, 15, t);
    }
}

void disas_thumb_insn(DisasContext *s, uint32_t insn)
{
    TCGv_i32 addr;
    int rd;

    switch (insn >> 12) {
    case 0x0: case 0x1:
        disas_thumb_shift_addsub(s, insn);
        break;
    case 0x2: case 0x3:
        disas_thumb_imm8(s, insn);
        break;
    case 0x4:
        if (insn & (1 << 11)) {         /* LDR Rd, [PC, #imm8 * 4] */
            addr = new_const(((s->pc + 4) & ~3u) + (insn & 0xff) * 4);
            gen_thumb_ldst(s, true, (insn >> 8) & 7, addr, MO_UL);
        } else if (insn & (1 << 10)) {
            disas_thumb_hireg(s, insn);
        } else {
            disas_thumb_alu(s, insn);
        }
        break;
    case 0x5:
        disas_thumb_ldst_reg(s, insn);
        break;
    case 0x6: case 0x7: {               /* LDR/STR(B) Rd, [Rn, #imm5] */
        bool byte = insn & (1 << 12);
        uint32_t off = ((insn >> 6) & 0x1f) * (byte ? 1 : 4);

        addr = load_reg(s, (insn >> 3) & 7);
        tcg_gen_addi_i32(addr, addr, off);
        gen_thumb_ldst(s, insn & (1 << 11), insn & 7, addr,
                       byte ? MO_UB : MO_UL);
        break;
    }
    case 0x8:                           /* LDRH/STRH Rd, [Rn, #imm5 * 2] */
        addr = load_reg(s, (insn >> 3) & 7);
        tcg_gen_addi_i32(addr, addr, ((insn >> 6) & 0x1f) * 2);
        gen_thumb_ldst(s, insn & (1 << 11), insn & 7, addr, MO_UW);
        break;
    case 0x9:                           /* LDR/STR Rd, [SP, #imm8 * 4] */
        addr = load_reg(s, 13);
        tcg_gen_addi_i32(addr, addr, (insn & 0xff) * 4);
        gen_thumb_ldst(s, insn & (1 << 11), (insn >> 8) & 7, addr, MO_UL);
        break;
    case 0xa:                           /* ADD Rd, PC/SP, #imm8 * 4 */
        rd = (insn >> 8) & 7;
        if (insn & (1 << 11)) {
            addr = load_reg(s, 13);
            tcg_gen_addi_i32(addr, addr, (insn & 0xff) * 4);
        } else {
            addr = new_const(((s->pc + 4) & ~3u) + (insn & 0xff) * 4);
        }
        store_reg(s, rd, addr);
        break;
    case 0xb:
        disas_thumb_misc(s, insn);
        break;
    case 0xc:
        disas_thumb_ldm_stm(s, insn);
        break;
    case 0xd:
        disas_thumb_bcc_swi(s, insn);
        break;
    case 0xe:
        if (insn & (1 << 11)) {
            disas_thumb_bl_suffix(s, insn, true);
        } else {                        /* B */
            gen_jmp(s, s->pc + 4 + ((int32_t)(insn << 21) >> 20));
        }
        break;
    default:
        if (insn & (1 << 11)) {
            disas_thumb_bl_suffix(s, insn, false);
        } else {
            disas_thumb_bl_prefix(s, insn);
        }
        break;
    }
}
