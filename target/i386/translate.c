/*
 * The x86 front end of tcg: the block loop and the IR generators the
 * instruction handlers of decode.c share (instruction bytes, ModRM
 * addressing with segments, registers of every width, the stack, lazy
 * flags and conditions, jumps and exceptions).
 *
 * A block is keyed by its linear pc (CS.base + eip), CS.base and the HF_*
 * flags; eip is known while translating, so it is written to the eip
 * global only where a block ends or a helper needs it, and insn_start
 * records each instruction's linear address so that a fault restores
 * eip to the faulting instruction.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "disas/disas.h"
#include <capstone/capstone.h>
#include "target/i386/translate.h"

TCGv cpu_regs[16];
TCGv cpu_eip, cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
TCGv_i32 cpu_cc_op;
TCGv cpu_seg_base[6];

void x86_translate_init(void)
{
    static const char *const reg_names[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    static const char *const seg_names[6] = {
        "es_base", "cs_base", "ss_base", "ds_base", "fs_base", "gs_base",
    };

    for (int i = 0; i < 16; i++) {
        cpu_regs[i] = tcg_global_mem_new_i64(offsetof(CPUX86State, regs[i]),
                                             reg_names[i]);
    }
    for (int i = 0; i < 6; i++) {
        cpu_seg_base[i] = tcg_global_mem_new_i64(
            offsetof(CPUX86State, segs[i].base), seg_names[i]);
    }
    cpu_eip = tcg_global_mem_new_i64(offsetof(CPUX86State, rip), "rip");
    cpu_cc_op = tcg_global_mem_new_i32(offsetof(CPUX86State, cc_op), "cc_op");
    cpu_cc_dst = tcg_global_mem_new_i64(offsetof(CPUX86State, cc_dst),
                                        "cc_dst");
    cpu_cc_src = tcg_global_mem_new_i64(offsetof(CPUX86State, cc_src),
                                        "cc_src");
    cpu_cc_src2 = tcg_global_mem_new_i64(offsetof(CPUX86State, cc_src2),
                                         "cc_src2");
}

void x86_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb,
                              const uint64_t *data)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    env->rip = (tb->flags & HF_CS64) ? data[0] - tb->cs_base
                                     : (uint32_t)(data[0] - tb->cs_base);
}

/* ---- helper calls ---- */

/* Helpers that may raise or change the CPU state see and change the
 * globals; pure ones are marked so. */
HELPER(raise_exception, TCG_CALL_NO_RETURN, false, 2, ARG_ENV, ARG_I32);
HELPER(raise_exception_err, TCG_CALL_NO_RETURN, false, 3, ARG_ENV, ARG_I32,
       ARG_I32);
HELPER(raise_interrupt, TCG_CALL_NO_RETURN, false, 3, ARG_ENV, ARG_I32,
       ARG_I32);
HELPER(cc_compute_all, TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS, true, 4,
       ARG_I32, ARG_I32, ARG_I32, ARG_I32);
HELPER(read_eflags, TCG_CALL_NO_WRITE_GLOBALS, true, 1, ARG_ENV);
HELPER(write_eflags, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(sti, 0, false, 1, ARG_ENV);
HELPER(hlt, TCG_CALL_NO_RETURN, false, 2, ARG_ENV, ARG_I32);
HELPER(in, 0, true, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(out, 0, false, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);
HELPER(check_io, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(cpuid, 0, false, 1, ARG_ENV);
HELPER(rdmsr, 0, false, 1, ARG_ENV);
HELPER(wrmsr, 0, false, 1, ARG_ENV);
HELPER(rdtsc, 0, false, 1, ARG_ENV);
HELPER(write_cr, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(invlpg, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(load_seg, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(lldt, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(ltr, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(ljmp_protected, 0, false, 4, ARG_ENV, ARG_I32, TCG_TYPE_I64,
       TCG_TYPE_I64);
HELPER(lcall_protected, 0, false, 5, ARG_ENV, ARG_I32, TCG_TYPE_I64, ARG_I32,
       TCG_TYPE_I64);
HELPER(lret_protected, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(iret_real, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(iret_protected, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER(divb, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(idivb, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(divw, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(idivw, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(divl, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(idivl, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(syscall, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(sysret, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(divq, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(idivq, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(bcd, 0, false, 3, ARG_ENV, ARG_I32, ARG_I32);
HELPER_RET(shift, 0, TCG_TYPE_I64, true, 5, ARG_ENV, ARG_I32, ARG_I32,
           ARG_I32, ARG_I32);
HELPER_RET(lock_rmw, 0, TCG_TYPE_I64, true, 5, ARG_ENV, TCG_TYPE_I64,
           TCG_TYPE_I64, TCG_TYPE_I64, ARG_I32);
HELPER(cmpxchg8b, 0, true, 3, ARG_ENV, TCG_TYPE_I64, ARG_I32);
HELPER(cmpxchg16b, 0, true, 3, ARG_ENV, TCG_TYPE_I64, ARG_I32);
HELPER_RET(read_cr8, 0, TCG_TYPE_I64, true, 1, ARG_ENV);
HELPER(write_cr8, 0, false, 2, ARG_ENV, TCG_TYPE_I64);
HELPER(rdtscp, 0, false, 1, ARG_ENV);
HELPER_RET(fsgsbase, 0, TCG_TYPE_I64, true, 3, ARG_ENV, ARG_I32,
           TCG_TYPE_I64);
HELPER(sysenter, 0, false, 1, ARG_ENV);
HELPER(sysexit, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(check_selector, 0, false, 4, ARG_ENV, ARG_I32, ARG_I32, ARG_I32);
HELPER(monitor, 0, false, 2, ARG_ENV, TCG_TYPE_I64);
HELPER(mwait, 0, false, 2, ARG_ENV, ARG_I32);
HELPER(single_step, TCG_CALL_NO_RETURN, false, 1, ARG_ENV);
HELPER(insn_breakpoints, 0, false, 1, ARG_ENV);
HELPER(read_dr, 0, true, 2, ARG_ENV, ARG_I32);
HELPER(write_dr, 0, false, 3, ARG_ENV, ARG_I32, TCG_TYPE_I64);
HELPER(io_breakpoints, 0, false, 4, ARG_ENV, ARG_I32, ARG_I32, TCG_TYPE_I64);

TCGv gen_helper(const TCGHelperInfo *info, int nargs, ...)
{
    TCGTemp *args[6];
    TCGv ret = NULL;
    int i = 0;
    va_list ap;

    if (info->nb_args > nargs) {
        args[i++] = tcgv_ptr_temp(tcg_env());
    }
    g_assert(i + nargs == info->nb_args);
    va_start(ap, nargs);
    for (; i < info->nb_args; i++) {
        args[i] = tcgv_i64_temp(va_arg(ap, TCGv));
    }
    va_end(ap);
    if (info->has_ret) {
        ret = tcg_temp_new_i64();
    }
    tcg_gen_callN(info, ret ? tcgv_i64_temp(ret) : NULL, args);
    return ret;
}

/* ---- instruction bytes ---- */

uint64_t x86_fetch(DisasContext *s, MemOp ot)
{
    uint64_t v;

    switch (ot) {
    case MO_8:
        v = translator_ldub(s->cpu, s->pc_next, s->mmu_idx);
        break;
    case MO_16:
        v = translator_lduw(s->cpu, s->pc_next, s->mmu_idx);
        break;
    case MO_32:
        v = translator_ldl(s->cpu, s->pc_next, s->mmu_idx);
        break;
    default:
        v = translator_ldl(s->cpu, s->pc_next, s->mmu_idx) |
            (uint64_t)translator_ldl(s->cpu, s->pc_next + 4, s->mmu_idx) << 32;
        break;
    }
    s->pc_next += 1 << ot;
    return v;
}

void gen_modrm(DisasContext *s)
{
    s->modrm = x86_fetch(s, MO_8);
    s->mod = s->modrm >> 6;
    s->reg = ((s->modrm >> 3) & 7) | s->rex_r;
    s->rm = s->modrm & 7;
    s->ea_base = s->ea_index = -1;
    s->ea_scale = 0;
    s->ea_disp = 0;
    s->ea_seg = R_DS;
    s->A0 = NULL;
    if (s->mod == 3) {
        s->rm |= s->rex_b;
        return;
    }
    if (s->aflag == MO_16) {
        /* [bx+si] [bx+di] [bp+si] [bp+di] [si] [di] [bp] [bx] */
        static const int8_t base16[8] = { R_EBX, R_EBX, R_EBP, R_EBP,
                                          R_ESI, R_EDI, R_EBP, R_EBX };
        static const int8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI,
                                           -1, -1, -1, -1 };

        if (s->mod == 0 && s->rm == 6) {
            s->ea_disp = x86_fetch(s, MO_16);
            return;
        }
        s->ea_base = base16[s->rm];
        s->ea_index = index16[s->rm];
        if (s->ea_base == R_EBP) {
            s->ea_seg = R_SS;
        }
        if (s->mod == 1) {
            s->ea_disp = (int8_t)x86_fetch(s, MO_8);
        } else if (s->mod == 2) {
            s->ea_disp = x86_fetch(s, MO_16);
        }
        return;
    }
    s->ea_base = s->rm | s->rex_b;
    if (s->rm == 4) {
        int sib = x86_fetch(s, MO_8);
        int index = ((sib >> 3) & 7) | s->rex_x;

        s->ea_scale = sib >> 6;
        s->ea_index = index == 4 ? -1 : index;
        s->ea_base = (sib & 7) | s->rex_b;
        if ((sib & 7) == 5 && s->mod == 0) {
            s->ea_base = -1;
            s->ea_disp = (int32_t)x86_fetch(s, MO_32);
        }
    } else if (s->rm == 5 && s->mod == 0) {
        /* 64-bit mode: disp32 from the end of the instruction */
        s->ea_base = s->code64 ? EA_RIP : -1;
        s->ea_disp = (int32_t)x86_fetch(s, MO_32);
    }
    if (s->ea_base == R_ESP || s->ea_base == R_EBP) {
        s->ea_seg = R_SS;
    }
    if (s->mod == 1) {
        s->ea_disp = (int8_t)x86_fetch(s, MO_8);
    } else if (s->mod == 2) {
        s->ea_disp = (int32_t)x86_fetch(s, MO_32);
    }
}

/* ---- registers and operands ---- */

void gen_ext(MemOp ot, TCGv d, TCGv v, bool sign)
{
    switch (ot) {
    case MO_8:
        (sign ? tcg_gen_ext8s_i64 : tcg_gen_ext8u_i64)(d, v);
        break;
    case MO_16:
        (sign ? tcg_gen_ext16s_i64 : tcg_gen_ext16u_i64)(d, v);
        break;
    case MO_32:
        (sign ? tcg_gen_ext32s_i64 : tcg_gen_ext32u_i64)(d, v);
        break;
    default:
        tcg_gen_mov_i64(d, v);
        break;
    }
}

/* r = r with bits [pos, pos + len) from v. */
static void gen_deposit(TCGv r, TCGv v, int pos, int len)
{
    uint64_t mask = ((1ull << len) - 1) << pos;
    TCGv t = tcg_temp_new_i64();

    tcg_gen_shli_i64(t, v, pos);
    tcg_gen_andi_i64(t, t, mask);
    tcg_gen_andi_i64(r, r, ~mask);
    tcg_gen_or_i64(r, r, t);
    tcg_temp_free_i64(t);
}

TCGv gen_reg_read(DisasContext *s, MemOp ot, int reg)
{
    TCGv t = tcg_temp_new_i64();

    if (ot == MO_8 && reg >= 4 && reg < 8 && !s->rex) {
        /* AH, CH, DH, BH */
        tcg_gen_shri_i64(t, cpu_regs[reg - 4], 8);
        tcg_gen_ext8u_i64(t, t);
    } else {
        gen_ext(ot, t, cpu_regs[reg], false);
    }
    return t;
}

void gen_reg_write(DisasContext *s, MemOp ot, int reg, TCGv v)
{
    switch (ot) {
    case MO_8:
        if (reg >= 4 && reg < 8 && !s->rex) {
            gen_deposit(cpu_regs[reg - 4], v, 8, 8);
        } else {
            gen_deposit(cpu_regs[reg], v, 0, 8);
        }
        break;
    case MO_16:
        gen_deposit(cpu_regs[reg], v, 0, 16);
        break;
    case MO_32:
        /* a 32-bit write clears the upper half, as in 64-bit mode */
        tcg_gen_ext32u_i64(cpu_regs[reg], v);
        break;
    default:
        tcg_gen_mov_i64(cpu_regs[reg], v);
        break;
    }
}

TCGv gen_ea(DisasContext *s)
{
    TCGv ea = tcg_temp_new_i64();

    if (s->ea_base == EA_RIP) {
        /* The immediate is fetched by now: pc_next is the next insn. */
        tcg_gen_movi_i64(ea, next_eip(s) + s->ea_disp);
        return ea;
    }
    tcg_gen_movi_i64(ea, s->ea_disp);
    if (s->ea_base >= 0) {
        tcg_gen_add_i64(ea, ea, cpu_regs[s->ea_base]);
    }
    if (s->ea_index >= 0) {
        TCGv t = tcg_temp_new_i64();

        tcg_gen_shli_i64(t, cpu_regs[s->ea_index], s->ea_scale);
        tcg_gen_add_i64(ea, ea, t);
        tcg_temp_free_i64(t);
    }
    gen_ext(s->aflag, ea, ea, false);
    return ea;
}

void gen_seg_addr(DisasContext *s, TCGv ea, int seg, MemOp aflag)
{
    if (s->override >= 0) {
        seg = s->override;
    }
    gen_ext(aflag, ea, ea, false);
    if (s->code64) {
        /* only FS and GS have a base in 64-bit mode */
        if (seg == R_FS || seg == R_GS) {
            tcg_gen_add_i64(ea, ea, cpu_seg_base[seg]);
        }
        return;
    }
    /* Without HF_ADDSEG the bases of DS, ES and SS are 0. */
    if (s->addseg || seg == R_CS || seg == R_FS || seg == R_GS) {
        tcg_gen_add_i64(ea, ea, cpu_seg_base[seg]);
        gen_linear_wrap(s, ea);
    }
}

void gen_linear_wrap(DisasContext *s, TCGv a)
{
    if (!s->code64) {
        tcg_gen_ext32u_i64(a, a);
    }
}

void gen_linear_addi(DisasContext *s, TCGv d, TCGv a, int64_t k)
{
    tcg_gen_addi_i64(d, a, k);
    gen_linear_wrap(s, d);
}

TCGv gen_ld_env32(intptr_t offset)
{
    TCGv_i32 t = tcg_temp_new_i32();
    TCGv v = tcg_temp_new_i64();

    tcg_gen_ld_i32(t, tcg_env(), offset);
    tcg_gen_extu_i32_i64(v, t);
    tcg_temp_free_i32(t);
    return v;
}

void gen_st_env32(TCGv v, intptr_t offset)
{
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(t, v);
    tcg_gen_st_i32(t, tcg_env(), offset);
    tcg_temp_free_i32(t);
}

/* The MMU index of stack references: in 64-bit mode a non-canonical
 * one is #SS (see X86_MMU_IDX_STACK). */
static int stack_mmu_idx(const DisasContext *s)
{
    return s->code64 ? s->mmu_idx + X86_MMU_IDX_STACK : s->mmu_idx;
}

void gen_A0(DisasContext *s)
{
    if (s->mod != 3 && !s->A0) {
        s->A0 = gen_ea(s);
        gen_seg_addr(s, s->A0, s->ea_seg, s->aflag);
        if (s->ea_seg == R_SS && s->override < 0) {
            s->mem_idx = stack_mmu_idx(s);
        }
    }
}

TCGv gen_ld(DisasContext *s, MemOp ot, TCGv addr)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_qemu_ld_a64_i64(t, addr, s->mem_idx, ot);
    return t;
}

void gen_st(DisasContext *s, MemOp ot, TCGv v, TCGv addr)
{
    tcg_gen_qemu_st_a64_i64(v, addr, s->mem_idx, ot);
}

TCGv gen_load_E(DisasContext *s, MemOp ot)
{
    if (s->mod == 3) {
        return gen_reg_read(s, ot, s->rm);
    }
    gen_A0(s);
    return gen_ld(s, ot, s->A0);
}

void gen_store_E(DisasContext *s, MemOp ot, TCGv v)
{
    if (s->mod == 3) {
        gen_reg_write(s, ot, s->rm, v);
        return;
    }
    gen_A0(s);
    gen_st(s, ot, v, s->A0);
}

void gen_addr_reg_add(DisasContext *s, MemOp aflag, int reg, TCGv v)
{
    if (aflag == MO_16) {
        TCGv t = tcg_temp_new_i64();

        tcg_gen_add_i64(t, cpu_regs[reg], v);
        gen_deposit(cpu_regs[reg], t, 0, 16);
        tcg_temp_free_i64(t);
    } else {
        tcg_gen_add_i64(cpu_regs[reg], cpu_regs[reg], v);
        if (aflag == MO_32) {
            tcg_gen_ext32u_i64(cpu_regs[reg], cpu_regs[reg]);
        }
    }
}

MemOp stack_size(const DisasContext *s)
{
    return s->code64 ? MO_64 : s->ss32 ? MO_32 : MO_16;
}

void gen_sp_add(DisasContext *s, int32_t delta)
{
    gen_addr_reg_add(s, stack_size(s), R_ESP,
                     tcg_constant_i64(delta));
}

/* The linear address of SS:(e)sp + offset. */
static TCGv gen_stack_addr(DisasContext *s, int32_t offset)
{
    TCGv a = tcg_temp_new_i64();
    int saved = s->override;

    tcg_gen_addi_i64(a, cpu_regs[R_ESP], offset);
    s->override = -1;
    gen_seg_addr(s, a, R_SS, stack_size(s));
    s->override = saved;
    return a;
}

void gen_push(DisasContext *s, MemOp ot, TCGv v)
{
    /* Store first: a fault leaves esp as it was. */
    TCGv a = gen_stack_addr(s, -(1 << ot));

    tcg_gen_qemu_st_a64_i64(v, a, stack_mmu_idx(s), ot);
    tcg_temp_free_i64(a);
    gen_sp_add(s, -(1 << ot));
}

TCGv gen_pop(DisasContext *s, MemOp ot)
{
    TCGv a = gen_stack_addr(s, 0);
    TCGv v = tcg_temp_new_i64();

    tcg_gen_qemu_ld_a64_i64(v, a, stack_mmu_idx(s), ot);

    tcg_temp_free_i64(a);
    return v;
}

void gen_pop_update(DisasContext *s, MemOp ot)
{
    gen_sp_add(s, 1 << ot);
}

/* ---- lazy flags ---- */

void gen_set_cc_op(DisasContext *s, int op)
{
    if (s->cc_op != op) {
        tcg_gen_movi_i32(cpu_cc_op, op);
        s->cc_op = op;
    }
}

void gen_cc(DisasContext *s, int kind, MemOp ot, TCGv dst, TCGv src)
{
    tcg_gen_mov_i64(cpu_cc_dst, dst);
    if (src) {
        tcg_gen_mov_i64(cpu_cc_src, src);
    }
    gen_set_cc_op(s, CC_OP(kind, ot));
}

TCGv gen_compute_eflags(DisasContext *s)
{
    TCGv t;

    if (s->cc_op == CC_OP_EFLAGS) {
        t = tcg_temp_new_i64();
        tcg_gen_mov_i64(t, cpu_cc_src);
        return t;
    }
    {
        TCGv op = tcg_temp_new_i64();

        tcg_gen_extu_i32_i64(op, cpu_cc_op);
        t = gen_helper(&info_cc_compute_all, 4, cpu_cc_dst, cpu_cc_src,
                       cpu_cc_src2, op);
        tcg_temp_free_i64(op);
        return t;
    }
}

void gen_set_eflags_cc(DisasContext *s, TCGv flags)
{
    tcg_gen_andi_i64(cpu_cc_src, flags, EFLAGS_CC_MASK);
    gen_set_cc_op(s, CC_OP_EFLAGS);
}

/* The operands of the last SUB/CMP, size-extended: a - b = cc_dst. */
static void gen_sub_operands(DisasContext *s, MemOp ot, bool sign,
                             TCGv *a, TCGv *b)
{
    *a = tcg_temp_new_i64();
    *b = tcg_temp_new_i64();
    tcg_gen_add_i64(*a, cpu_cc_dst, cpu_cc_src);
    gen_ext(ot, *a, *a, sign);
    gen_ext(ot, *b, cpu_cc_src, sign);
}

TCGv gen_compute_cf(DisasContext *s)
{
    TCGv t = tcg_temp_new_i64();
    int kind = s->cc_op / 4;
    MemOp ot = s->cc_op & 3;

    if (s->cc_op == CC_OP_DYNAMIC) {
        kind = -1;
    }
    switch (kind) {
    case CC_KIND_EFLAGS:
    case CC_KIND_INC:
    case CC_KIND_DEC:
    case CC_KIND_SAR:
        tcg_gen_andi_i64(t, cpu_cc_src, 1);
        break;
    case CC_KIND_ADD: {
        TCGv d = tcg_temp_new_i64();

        gen_ext(ot, d, cpu_cc_dst, false);
        gen_ext(ot, t, cpu_cc_src, false);
        tcg_gen_setcond_i64(TCG_COND_LTU, t, d, t);
        tcg_temp_free_i64(d);
        break;
    }
    case CC_KIND_SUB: {
        TCGv a, b;

        gen_sub_operands(s, ot, false, &a, &b);
        tcg_gen_setcond_i64(TCG_COND_LTU, t, a, b);
        tcg_temp_free_i64(a);
        tcg_temp_free_i64(b);
        break;
    }
    case CC_KIND_LOGIC:
        tcg_gen_movi_i64(t, 0);
        break;
    case CC_KIND_SHL:
        tcg_gen_shri_i64(t, cpu_cc_src, (8 << ot) - 1);
        tcg_gen_andi_i64(t, t, 1);
        break;
    case CC_KIND_MUL:
        tcg_gen_setcondi_i64(TCG_COND_NE, t, cpu_cc_src, 0);
        break;
    default: {
        TCGv f = gen_compute_eflags(s);

        tcg_gen_andi_i64(t, f, 1);
        tcg_temp_free_i64(f);
        break;
    }
    }
    return t;
}

static CCPrepare cc_test(TCGCond cond, TCGv a, TCGv b)
{
    return (CCPrepare) { cond, a, b };
}

/* A condition on the computed flags word f. */
static CCPrepare cc_from_eflags(TCGv f, int c)
{
    TCGv t = tcg_temp_new_i64();

    switch (c) {
    case 0:                      /* O */
        tcg_gen_andi_i64(t, f, EFLAGS_OF);
        break;
    case 1:                      /* B */
        tcg_gen_andi_i64(t, f, EFLAGS_CF);
        break;
    case 2:                      /* Z */
        tcg_gen_andi_i64(t, f, EFLAGS_ZF);
        break;
    case 3:                      /* BE */
        tcg_gen_andi_i64(t, f, EFLAGS_CF | EFLAGS_ZF);
        break;
    case 4:                      /* S */
        tcg_gen_andi_i64(t, f, EFLAGS_SF);
        break;
    case 5:                      /* P */
        tcg_gen_andi_i64(t, f, EFLAGS_PF);
        break;
    case 6:                      /* L: SF != OF (OF is bit 11, SF bit 7) */
    case 7: {                    /* LE: L or ZF */
        TCGv u = tcg_temp_new_i64();

        tcg_gen_shri_i64(t, f, 4);
        tcg_gen_xor_i64(t, t, f);
        tcg_gen_andi_i64(t, t, EFLAGS_SF);
        if (c == 7) {
            tcg_gen_andi_i64(u, f, EFLAGS_ZF);
            tcg_gen_or_i64(t, t, u);
        }
        tcg_temp_free_i64(u);
        break;
    }
    }
    return cc_test(TCG_COND_NE, t, tcg_constant_i64(0));
}

CCPrepare gen_prepare_cc(DisasContext *s, int jcc)
{
    int c = jcc >> 1, kind = s->cc_op / 4;
    MemOp ot = s->cc_op & 3;
    CCPrepare p;

    if (s->cc_op == CC_OP_DYNAMIC) {
        kind = -1;
    }
    if (kind > CC_KIND_EFLAGS && (c == 2 || c == 4)) {
        /* Z and S come from the result whatever set it. */
        p.a = tcg_temp_new_i64();
        gen_ext(ot, p.a, cpu_cc_dst, true);
        p.b = tcg_constant_i64(0);
        p.cond = c == 2 ? TCG_COND_EQ : TCG_COND_LT;
    } else if (kind == CC_KIND_SUB && (c == 1 || c == 3 || c == 6 ||
                                       c == 7)) {
        /* After cmp/sub: compare the operands themselves. */
        static const TCGCond conds[8] = {
            [1] = TCG_COND_LTU, [3] = TCG_COND_LEU,
            [6] = TCG_COND_LT, [7] = TCG_COND_LE,
        };
        TCGv a, b;

        gen_sub_operands(s, ot, c >= 6, &a, &b);
        p = cc_test(conds[c], a, b);
    } else if (kind == CC_KIND_LOGIC && (c == 0 || c == 1)) {
        /* CF = OF = 0: never (0 != 0) */
        p = cc_test(TCG_COND_NE, tcg_constant_i64(0), tcg_constant_i64(0));
    } else if (kind == CC_KIND_LOGIC && (c == 3 || c == 6 || c == 7)) {
        /* BE is Z, L is S, LE is S or Z when CF = OF = 0 */
        static const TCGCond conds[8] = {
            [3] = TCG_COND_EQ, [6] = TCG_COND_LT, [7] = TCG_COND_LE,
        };

        p.a = tcg_temp_new_i64();
        gen_ext(ot, p.a, cpu_cc_dst, true);
        p.b = tcg_constant_i64(0);
        p.cond = conds[c];
    } else {
        TCGv f = gen_compute_eflags(s);

        p = cc_from_eflags(f, c);
        tcg_temp_free_i64(f);
    }
    if (jcc & 1) {
        static const TCGCond inverse[] = {
            [TCG_COND_EQ] = TCG_COND_NE, [TCG_COND_NE] = TCG_COND_EQ,
            [TCG_COND_LT] = TCG_COND_GE, [TCG_COND_GE] = TCG_COND_LT,
            [TCG_COND_LE] = TCG_COND_GT, [TCG_COND_GT] = TCG_COND_LE,
            [TCG_COND_LTU] = TCG_COND_GEU, [TCG_COND_GEU] = TCG_COND_LTU,
            [TCG_COND_LEU] = TCG_COND_GTU, [TCG_COND_GTU] = TCG_COND_LEU,
        };

        p.cond = inverse[p.cond];
    }
    return p;
}

TCGv gen_setcc(DisasContext *s, int jcc)
{
    CCPrepare p = gen_prepare_cc(s, jcc);
    TCGv t = tcg_temp_new_i64();

    tcg_gen_setcond_i64(p.cond, t, p.a, p.b);
    return t;
}

/* ---- control ---- */

uint64_t cur_eip(const DisasContext *s)
{
    return s->pc - s->cs_base;
}

uint64_t next_eip(const DisasContext *s)
{
    return s->pc_next - s->cs_base;
}

/*
 * A direct jump chains to its target on any page, as on ARM: the loop
 * chains only after finding the target's page in this vCPU's TLB, and
 * every TLB flush (a CR3 write, invlpg) undoes the chains that leave
 * their page (tb_unchain_cross_page).  It keeps loops that straddle a
 * page boundary, and calls to another page, from going through
 * lookup_tb_ptr at every iteration.
 */
static bool use_goto_tb(DisasContext *s)
{
    return !(s->tb->cflags & (CF_NO_CHAIN | CF_SINGLE_STEP));
}

/* Leaves the block for the code at the eip global. */
static void gen_lookup(DisasContext *s)
{
    if (s->tb->cflags & CF_SINGLE_STEP) {
        tcg_gen_exit_tb(NULL, 0);
    } else {
        tcg_gen_lookup_and_goto_ptr();
    }
}

static void gen_goto(DisasContext *s, unsigned n, uint64_t eip)
{
    if (use_goto_tb(s)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_eip, eip);
        tcg_gen_exit_tb(s->tb, n);
    } else {
        tcg_gen_movi_i64(cpu_eip, eip);
        gen_lookup(s);
    }
}

uint64_t near_target(const DisasContext *s, uint64_t eip)
{
    return s->dflag == MO_16 ? eip & 0xffff
                             : s->code64 ? eip : (uint32_t)eip;
}

void gen_jmp_tb(DisasContext *s, uint64_t eip, unsigned n)
{
    gen_goto(s, n, eip);
    s->is_jmp = DISAS_NORETURN;
}

void gen_jmp(DisasContext *s, uint64_t eip)
{
    gen_jmp_tb(s, near_target(s, eip), 0);
}

void gen_jcc(DisasContext *s, int jcc, uint64_t eip)
{
    TCGLabel *taken = gen_new_label();
    CCPrepare p = gen_prepare_cc(s, jcc);

    eip = near_target(s, eip);
    tcg_gen_brcond_i64(p.cond, p.a, p.b, taken);
    gen_goto(s, 1, next_eip(s));
    gen_set_label(taken);
    gen_goto(s, 0, eip);
    s->is_jmp = DISAS_NORETURN;
}

void gen_exception_err(DisasContext *s, int excp, uint32_t error_code)
{
    tcg_gen_movi_i64(cpu_eip, cur_eip(s));
    gen_helper(&info_raise_exception_err, 2, tcg_constant_i64(excp),
               tcg_constant_i64(error_code));
    s->is_jmp = DISAS_NORETURN;
}

void gen_exception(DisasContext *s, int excp)
{
    tcg_gen_movi_i64(cpu_eip, cur_eip(s));
    gen_helper(&info_raise_exception, 1, tcg_constant_i64(excp));
    s->is_jmp = DISAS_NORETURN;
}

bool gen_check_cpl0(DisasContext *s)
{
    if (s->cpl != 0) {
        gen_exception_err(s, EXCP0D_GPF, 0);
        return false;
    }
    return true;
}

/* ---- the block ---- */

static void gen_block_end(DisasContext *s, bool inhibit)
{
    if (s->tf && s->is_jmp != DISAS_NORETURN) {
        /* The trap flag (as it was before the instruction): #DB after
         * it, at the next instruction. */
        if (s->is_jmp != DISAS_JUMP && s->is_jmp != DISAS_EXIT) {
            tcg_gen_movi_i64(cpu_eip, next_eip(s));
        }
        gen_helper(&info_single_step, 0);
        return;
    }
    switch (s->is_jmp) {
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        if (inhibit) {
            /* The one instruction the shadow covered: interrupts again. */
            tcg_gen_movi_i64(cpu_eip, next_eip(s));
            tcg_gen_exit_tb(NULL, 0);
        } else {
            gen_goto(s, 1, next_eip(s));
        }
        break;
    case DISAS_JUMP:
        gen_lookup(s);
        break;
    case DISAS_EOB_NEXT:
        tcg_gen_movi_i64(cpu_eip, next_eip(s));
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_EXIT:
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_NORETURN:
        break;
    }
}

static void log_in_asm(CPUState *cpu, DisasContext *s)
{
    const TranslationBlock *tb = s->tb;
    uint8_t *buf = g_malloc(tb->size);
    GString *out = g_string_new("----------------\nIN: \n");

    /* The block's bytes were fetched already: reading them again is
     * safe. */
    for (unsigned i = 0; i < tb->size; i++) {
        buf[i] = translator_ldub(cpu, tb->pc + i, s->mmu_idx);
    }
    disas_append(out, CS_ARCH_X86, s->code64 ? CS_MODE_64 :
                 s->code32 ? CS_MODE_32 : CS_MODE_16,
                 tb->pc, buf, tb->size, tb->icount);
    g_string_append_c(out, '\n');
    emu_log("%s", out->str);
    g_string_free(out, true);
    g_free(buf);
}

/* The longest x86 instruction: a block ends before an instruction that
 * might reach into the next page, so that a fault fetching it is taken
 * at its own address. */
#define X86_MAX_INSN_LENGTH 15

bool x86_block_goes_on(const DisasContext *s, int n, uint64_t pc_next)
{
    return n < s->max_insns &&
           ((pc_next + X86_MAX_INSN_LENGTH - 1) & TARGET_PAGE_MASK) ==
           s->page_start;
}

void x86_translate_code(CPUState *cpu, TranslationBlock *tb, int max_insns)
{
    uint32_t flags = tb->flags;
    DisasContext dc = {
        .tb = tb,
        .cpu = cpu,
        .cs_base = tb->cs_base,
        .pc_next = tb->pc,
        .page_start = tb->pc & TARGET_PAGE_MASK,
        .pe = flags & HF_PE,
        .vm86 = flags & HF_VM86,
        .code32 = flags & HF_CS32,
        .ss32 = flags & HF_SS32,
        .addseg = flags & HF_ADDSEG,
        .lma = flags & HF_LMA,
        .code64 = flags & HF_CS64,
        .cpl = flags & HF_CPL_MASK,
        .iopl = (flags & HF_IOPL_MASK) >> HF_IOPL_SHIFT,
        .mmu_idx = x86_tb_mmu_idx(flags),
        .tf = flags & HF_TF,
        .dr_io = flags & HF_DR_IO,
        .cc_op = CC_OP_DYNAMIC,
        .is_jmp = DISAS_NEXT,
    };
    DisasContext *s = &dc;
    bool inhibit = flags & HF_INHIBIT_IRQ;
    int n = 0;

    if (max_insns <= 0 || max_insns > TCG_MAX_INSNS) {
        max_insns = TCG_MAX_INSNS;
    }
    if (inhibit || (flags & (HF_TF | HF_DR_EXEC))) {
        max_insns = 1;
    }
    s->max_insns = max_insns;
    tcg_gen_tb_start(tb);
    do {
        s->pc = s->pc_next;
        tcg_gen_insn_start(s->pc, 0);
        s->num_insns = ++n;
        if (flags & HF_DR_EXEC) {
            /* the debug registers' instruction breakpoints, checked at
             * run time against this vCPU's DR0-3 */
            tcg_gen_movi_i64(cpu_eip, cur_eip(s));
            gen_helper(&info_insn_breakpoints, 0);
        }
        x86_disas_insn(s);
        if (s->is_jmp == DISAS_NEXT && !x86_block_goes_on(s, n, s->pc_next)) {
            s->is_jmp = DISAS_TOO_MANY;
        }
    } while (s->is_jmp == DISAS_NEXT);
    /* the instructions a run of x87 instructions counted on are all in
     * the block (translate-fpu.c) */
    g_assert(!s->x87_run_left);

    if (inhibit && s->is_jmp != DISAS_NORETURN) {
        TCGv_i32 zero = tcg_constant_i32(0);

        tcg_gen_st8_i32(zero, tcg_env(),
                        offsetof(CPUX86State, interrupt_shadow));
    }
    gen_block_end(s, inhibit);
    tcg_gen_tb_end(tb);
    tb->size = s->pc_next - tb->pc;
    tb->icount = n;

    if (emu_log_enabled(LOG_IN_ASM)) {
        log_in_asm(cpu, s);
    }
}
