/*
 * The front end's IR generation API: what target/<arch>/translate.c
 * calls to emit TCGOps for one guest instruction after another.
 *
 *   TCGv_i32 t = tcg_temp_new_i32();
 *   tcg_gen_add_i32(t, cpu_R[1], cpu_R[0]);
 *   tcg_gen_qemu_st_i32(t, addr, mmu_idx, MO_UL);
 *
 * Constants are temps too (tcg_constant_i32), never freed.  Globals are
 * created once at start-up with tcg_global_mem_new_i32 (env offset and a
 * name), and live across blocks.  Temps live within one block; freeing
 * them lets the context reuse them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCG_TCG_OP_H
#define TCG_TCG_OP_H

#include "tcg/tcg.h"

/* ---- temps ---- */

/* A guest-state global: a field at offset in the CPU's env. */
TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name);
TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name);
TCGv_i32 tcg_temp_new_i32(void);
TCGv_i64 tcg_temp_new_i64(void);
void tcg_temp_free_i32(TCGv_i32 t);
void tcg_temp_free_i64(TCGv_i64 t);
TCGv_i32 tcg_constant_i32(uint32_t value);
TCGv_i64 tcg_constant_i64(uint64_t value);
/* The env pointer, for helper calls and env loads/stores. */
TCGv_ptr tcg_env(void);

/* ---- block structure ---- */

/* First thing in every block: leave at once if the vCPU is asked to
 * (interrupt, monitor, breakpoint), checking CPUState.exit_request. */
void tcg_gen_tb_start(const TranslationBlock *tb);
/* Last thing: the exit path that tcg_gen_tb_start jumps to. */
void tcg_gen_tb_end(const TranslationBlock *tb);

/* ---- labels and control ---- */

TCGLabel *gen_new_label(void);
void gen_set_label(TCGLabel *l);
void tcg_gen_br(TCGLabel *l);
void tcg_gen_brcond_i32(TCGCond cond, TCGv_i32 a, TCGv_i32 b, TCGLabel *l);
void tcg_gen_brcondi_i32(TCGCond cond, TCGv_i32 a, uint32_t b, TCGLabel *l);
void tcg_gen_brcond_i64(TCGCond cond, TCGv_i64 a, TCGv_i64 b, TCGLabel *l);

/* Marks the start of a guest instruction: pc and one word of target
 * data (e.g. condexec bits); they are what restore_state_to_opc gets. */
void tcg_gen_insn_start(uint64_t pc, uint64_t data);

/* Leaves the block: to the next block through jump slot n (chained
 * once known) ... */
void tcg_gen_goto_tb(unsigned n);
/* ... returning tb and n so the loop can chain the slot (tb NULL: no
 * chaining, e.g. after an interrupt-enabling instruction). */
void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned n);
/* Looks up the block for the current guest pc and jumps to it, or
 * returns to the loop (indirect branches and returns). */
void tcg_gen_lookup_and_goto_ptr(void);
/* The same with the target's own lookup helper (env -> host code),
 * which reads its state directly and calls tcg_lookup_tb_ptr. */
void tcg_gen_lookup_and_goto_ptr_via(const TCGHelperInfo *lookup);

/* Calls a helper; args are TCGTemp * of the types the info gives. */
void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp **args);

/* ---- 32-bit ---- */

/* t's value is no longer needed: nothing stores or keeps what was last
 * written to it (a global keeps its older value in env). */
void tcg_gen_discard_i32(TCGv_i32 t);
void tcg_gen_mov_i32(TCGv_i32 d, TCGv_i32 s);
void tcg_gen_movi_i32(TCGv_i32 d, uint32_t v);
void tcg_gen_add_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_addi_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b);
void tcg_gen_sub_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_subi_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b);
void tcg_gen_mul_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_and_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_andi_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b);
void tcg_gen_or_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_ori_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b);
void tcg_gen_xor_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_xori_i32(TCGv_i32 d, TCGv_i32 a, uint32_t b);
void tcg_gen_andc_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shl_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shli_i32(TCGv_i32 d, TCGv_i32 a, unsigned b);
void tcg_gen_shr_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shri_i32(TCGv_i32 d, TCGv_i32 a, unsigned b);
void tcg_gen_sar_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_sari_i32(TCGv_i32 d, TCGv_i32 a, unsigned b);
void tcg_gen_rotr_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rotri_i32(TCGv_i32 d, TCGv_i32 a, unsigned b);
void tcg_gen_rotl_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_neg_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_not_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_ext8s_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_ext8u_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_ext16s_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_ext16u_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_bswap16_i32(TCGv_i32 d, TCGv_i32 a);
void tcg_gen_bswap32_i32(TCGv_i32 d, TCGv_i32 a);
/* d = a ? clz(a) : b */
void tcg_gen_clz_i32(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 d, TCGv_i32 a, uint32_t b);
/* d = c(c1, c2) ? v1 : v2 */
void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 d, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2);
void tcg_gen_add2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh);
void tcg_gen_sub2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh);
void tcg_gen_mulu2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_muls2_i32(TCGv_i32 dl, TCGv_i32 dh, TCGv_i32 a, TCGv_i32 b);
/* Loads and stores of env fields (ptr is tcg_env() or a pointer temp). */
void tcg_gen_ld_i32(TCGv_i32 d, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_ld8u_i32(TCGv_i32 d, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_ld16u_i32(TCGv_i32 d, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_st_i32(TCGv_i32 v, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_st8_i32(TCGv_i32 v, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_st16_i32(TCGv_i32 v, TCGv_ptr ptr, intptr_t offset);

/* ---- 64-bit ---- */

void tcg_gen_mov_i64(TCGv_i64 d, TCGv_i64 s);
void tcg_gen_movi_i64(TCGv_i64 d, uint64_t v);
void tcg_gen_add_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_sub_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_mul_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_and_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_or_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_xor_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_shl_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_shli_i64(TCGv_i64 d, TCGv_i64 a, unsigned b);
void tcg_gen_shr_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_shri_i64(TCGv_i64 d, TCGv_i64 a, unsigned b);
void tcg_gen_sar_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_neg_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a);
void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a);
void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a);
void tcg_gen_extrh_i64_i32(TCGv_i32 d, TCGv_i64 a);
/* d = (hi << 32) | lo */
void tcg_gen_concat_i32_i64(TCGv_i64 d, TCGv_i32 lo, TCGv_i32 hi);
void tcg_gen_ld_i64(TCGv_i64 d, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_st_i64(TCGv_i64 v, TCGv_ptr ptr, intptr_t offset);
void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 d, TCGv_i64 a, uint64_t b);
void tcg_gen_brcondi_i64(TCGCond cond, TCGv_i64 a, uint64_t b, TCGLabel *l);
void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 d, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2);
void tcg_gen_addi_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b);
void tcg_gen_subi_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b);
void tcg_gen_andi_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b);
void tcg_gen_ori_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b);
void tcg_gen_xori_i64(TCGv_i64 d, TCGv_i64 a, uint64_t b);
void tcg_gen_andc_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_sari_i64(TCGv_i64 d, TCGv_i64 a, unsigned b);
void tcg_gen_rotl_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_rotr_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_rotli_i64(TCGv_i64 d, TCGv_i64 a, unsigned b);
void tcg_gen_rotri_i64(TCGv_i64 d, TCGv_i64 a, unsigned b);
void tcg_gen_not_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext8s_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext8u_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext16s_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext16u_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext32s_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext32u_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_bswap64_i64(TCGv_i64 d, TCGv_i64 a);
/* d = a ? clz(a) : b */
void tcg_gen_clz_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b);
/* (dl, dh) = a * b, the 128-bit product */
void tcg_gen_mulu2_i64(TCGv_i64 dl, TCGv_i64 dh, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_muls2_i64(TCGv_i64 dl, TCGv_i64 dh, TCGv_i64 a, TCGv_i64 b);

/* ---- guest memory (virtual addresses, through the softmmu TLB) ---- */

void tcg_gen_qemu_ld_i32(TCGv_i32 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op);
void tcg_gen_qemu_st_i32(TCGv_i32 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op);
void tcg_gen_qemu_ld_i64(TCGv_i64 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op);
void tcg_gen_qemu_st_i64(TCGv_i64 val, TCGv_i32 addr, unsigned mmu_idx,
                         MemOp op);
/* host = the host address of the size bytes at addr if one TLB entry of
 * mmu_idx maps them all as plain RAM for reading (or writing, with
 * is_store), else 0.  Nothing faults and no TLB is filled: the caller
 * branches on 0 to its own tcg_gen_qemu_* accesses. */
void tcg_gen_tlb_range_ptr(TCGv_ptr host, TCGv_i32 addr, unsigned mmu_idx,
                           bool is_store, unsigned size);
/* The same with a 64-bit guest virtual address (x86-64's long mode). */
void tcg_gen_qemu_ld_a64_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx,
                             MemOp op);
void tcg_gen_qemu_st_a64_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx,
                             MemOp op);

#endif
