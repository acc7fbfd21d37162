/*
 * Shared by the files of target/arm: the CPU model side (cpu.c,
 * helper.c) and the translator side (translate.c, op_helper.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_ARM_INTERNALS_H
#define TARGET_ARM_INTERNALS_H

#include "cpu.h"

/* The whole CPSR, flags and T included. */
uint32_t cpsr_read(CPUARMState *env);
/* Writes the bits of mask, switching register banks on a mode change;
 * invalid modes are logged and ignored. */
void cpsr_write(CPUARMState *env, uint32_t val, uint32_t mask);
/* 0 usr/sys, 1 svc, 2 abt, 3 und, 4 irq, 5 fiq. */
int arm_bank_number(int mode);
static inline int arm_current_mode(const CPUARMState *env)
{
    return env->uncached_cpsr & CPSR_M;
}
/* The MMU index of the current mode. */
static inline int arm_mmu_idx(const CPUARMState *env)
{
    return arm_current_mode(env) == ARM_CPU_MODE_USR ? ARM_MMU_IDX_USER
                                                     : ARM_MMU_IDX_PRIV;
}

/*
 * Coprocessor registers for MRC/MCR (cp14, cp15; anything else and
 * unknown registers raise an undefined instruction: *ok = false).
 */
uint32_t arm_cp_read(CPUARMState *env, int cp, int opc1, int crn, int crm,
                     int opc2, bool *ok);
void arm_cp_write(CPUARMState *env, int cp, int opc1, int crn, int crm,
                  int opc2, uint32_t value, bool *ok);

/* Raises exception excp from a helper (ra = GETPC()) or, with ra 0, from
 * a place where the PC is already right. */
void arm_raise_exception(CPUARMState *env, int excp, uintptr_t ra)
    EMU_NORETURN;

/* The translator's half of tcg_ops (translate.c). */
void arm_translate_init(void);
void arm_translate_code(CPUState *cpu, TranslationBlock *tb, int max_insns);
void arm_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb,
                              const uint64_t *data);
/* TB flags the translation depends on (helper.c). */
enum {
    ARM_TBFLAG_THUMB = 1 << 0,
    ARM_TBFLAG_PRIV = 1 << 1,    /* not user mode */
    ARM_TBFLAG_SEMIHOST = 1 << 2,
};

/* ARM semihosting (arm-semi.c): runs the call in r0/r1, result in r0. */
void arm_do_semihosting(CPUARMState *env);

#endif
