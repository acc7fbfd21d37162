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
/* Computes a pending C and V into CF and VF (cv_op ARM_CV_EAGER). */
void arm_cv_materialize(CPUARMState *env);

/* C (0 or 1) and V (bit 31) as CF and VF would hold them, from the
 * pending operation when there is one (cpu.h, ARM_CV_*). */
static inline void arm_cv_values(const CPUARMState *env, uint32_t *c,
                                 uint32_t *v)
{
    uint32_t a = env->cv_a, b = env->cv_b, res;

    switch (env->cv_op) {
    case ARM_CV_ADD:
        res = a + b;
        *c = res < a;
        *v = (res ^ a) & ~(a ^ b);
        break;
    case ARM_CV_SUB:
        res = a - b;
        *c = a >= b;
        *v = (res ^ a) & (a ^ b);
        break;
    default:
        *c = env->CF;
        *v = env->VF;
        break;
    }
}
/* One of the seven modes of ARMv5-ARMv7 without the Security
 * Extensions' monitor. */
bool arm_mode_valid(int mode);
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

/* The 64-bit transfers (MCRR/MRRC) of cp15 on ARMv7 (cp15-v7.c): the
 * counters, timer compare values and TTBRs; false when there is none. */
bool arm_cp_access64(CPUARMState *env, int cp, int opc1, int crm,
                     bool write, uint64_t *value);
/* The generic timer's counter frequency (CNTFRQ at reset). */
uint32_t arm_gt_default_freq(void);
/* Drives timer t's output from CTL and CVAL, and arms its host timer for
 * the moment the counter reaches CVAL (cp15-v7.c). */
void arm_gt_update(ARMCPU *cpu, int t);
/* The ARMv7 cp15 (cp15-v7.c): false for registers that do not exist or
 * that the current mode may not access that way. */
bool arm_cp15_v7_access(CPUARMState *env, int opc1, int crn, int crm,
                        int opc2, bool write, uint32_t *value);

/*
 * Halting coprocessor writes: cp15 c7,c0,4 (wait for interrupt, ARM926
 * and ARM1136) and the XScale cp14 PWRMODE idle mode (value 1) return
 * normally after cpu_interrupt(cpu, CPU_INTERRUPT_HALT): the CPU halts at
 * the next interrupt check, so the translator ends the block after an
 * MCR (as it must anyway: SCTLR, DACR and CPAR writes change how the
 * following code runs) and the CPU resumes after the MCR on wake-up.
 */

/* Raises exception excp from a helper (ra = GETPC()) or, with ra 0, from
 * a place where the PC is already right.
 *
 * Where regs[15] must point when an exception is raised (do_interrupt
 * computes LR from it as the ARM ARM says):
 *   EXCP_UDEF, EXCP_PREFETCH_ABORT, EXCP_DATA_ABORT, EXCP_BKPT: the
 *     instruction that caused it;
 *   EXCP_SWI: the instruction after the SVC;
 *   EXCP_SEMIHOST: the SVC/BKPT itself (do_interrupt runs the call and
 *     steps over it: +4 in ARM state, +2 in Thumb state);
 *   EXCP_IRQ, EXCP_FIQ: the next instruction to execute. */
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
    /* XScale: CPAR bit 0 set, so MIA/MAR/MRA (cp0) are allowed; a CPAR
     * write (mcr p15, 0, rX, c15, c1, 0) must end the block. */
    ARM_TBFLAG_XSCALE_CP0 = 1 << 3,
    /* VFP: CPACR.cp10 lets the current mode at it (VMRS/VMSR of FPEXC
     * and the ID registers), and FPEXC.EN too (everything else); FPSCR
     * Len/Stride non-zero (short vectors: data processing undefined).
     * CPACR, FPEXC and FPSCR writes end the block. */
    ARM_TBFLAG_VFP_ACCESS = 1 << 4,
    ARM_TBFLAG_VFP_EN = 1 << 5,
    ARM_TBFLAG_VFP_VEC = 1 << 6,
    /* SCTLR.A: misaligned data accesses take the alignment fault. */
    ARM_TBFLAG_ALIGN = 1 << 7,
    /* (bits 15:8: the ITSTATE, ARM_TBFLAG_CONDEXEC_SHIFT) */
    /* A debug breakpoint is armed: each instruction checks them first
     * (debug.c).  Debug register writes end the block. */
    ARM_TBFLAG_BREAKPOINTS = 1 << 16,
};
/* The MMU index of a block's fetches and accesses. */
static inline int arm_tb_mmu_idx(uint32_t tb_flags)
{
    return (tb_flags & ARM_TBFLAG_PRIV) ? ARM_MMU_IDX_PRIV : ARM_MMU_IDX_USER;
}
/* The ITSTATE a Thumb block starts with, in TB flags bits 15:8. */
#define ARM_TBFLAG_CONDEXEC_SHIFT 8

/* VFP (vfp-helper.c): the FPSCR and FPEXC as VMRS reads them and as a
 * VMSR writes them (only the implemented bits stick; the TB flags are
 * recomputed). */
uint32_t vfp_get_fpscr(CPUARMState *env);
void vfp_set_fpscr(CPUARMState *env, uint32_t val);
void vfp_set_fpexc(CPUARMState *env, uint32_t val);
/* The ARM_TBFLAG_VFP_* bits for env's mode, CPACR, FPEXC and FPSCR. */
uint32_t vfp_hflags(CPUARMState *env);

/* The v7.1 debug architecture (debug.c).  DBGDSCR.MOE values: */
enum {
    ARM_MOE_BREAKPOINT = 0x1,
    ARM_MOE_BKPT = 0x3,
    ARM_MOE_SYNC_WATCHPOINT = 0xa,
};
/* cp14 opc1 0 debug registers; false for one that is not there (or not
 * at this privilege): the caller's undefined instruction. */
bool arm_debug_cp14_access(CPUARMState *env, int crn, int crm, int opc2,
                           bool write, uint32_t *value);
/* At CPU reset: OS lock set, no breakpoint or watchpoint. */
void arm_debug_reset(CPUARMState *env);
/* Whether blocks must check breakpoints (ARM_TBFLAG_BREAKPOINTS). */
bool arm_debug_breakpoints_armed(CPUARMState *env);
/* tcg's watchpoints of the guest made equal to DBGWVR/DBGWCR. */
void arm_debug_update_watchpoints(CPUARMState *env);
/* BKPT is being taken: DBGDSCR.MOE says so. */
void arm_debug_note_bkpt(CPUARMState *env);
/* TCGCPUOps.watchpoint_fault: the data abort of a watchpoint hit. */
void arm_cpu_watchpoint_fault(CPUState *cs, unsigned hits, uint64_t addr,
                              MMUAccessType access, uintptr_t ra);

/* ARM semihosting (arm-semi.c): runs the call in r0/r1, result in r0. */
void arm_do_semihosting(CPUARMState *env);

/* ---- the CPU model side (cpu.c, helper.c, cpu-dump.c, monitor.c) ---- */

/* Fault status codes (DFSR/IFSR bits 3:0; the domain goes in 7:4). */
enum {
    ARM_FSR_ALIGN = 0x1,
    ARM_FSR_EXT_ABORT = 0x8,     /* external abort on non-linefetch */
    ARM_FSR_EXT_L1 = 0xc,        /* external abort on the table walk */
    ARM_FSR_EXT_L2 = 0xe,
    ARM_FSR_TRANS_SECTION = 0x5,
    ARM_FSR_TRANS_PAGE = 0x7,
    ARM_FSR_DOMAIN_SECTION = 0x9,
    ARM_FSR_DOMAIN_PAGE = 0xb,
    ARM_FSR_PERM_SECTION = 0xd,
    ARM_FSR_PERM_PAGE = 0xf,
    ARM_FSR_DEBUG = 0x2,         /* BKPT on ARMv6 (IFSR) */
    ARM_FSR_WNR = 1 << 11,       /* ARMv6 DFSR: the access was a write */
    ARM_FSR_LPAE = 1 << 9,       /* the long-descriptor format's codes */
};

/* Long-descriptor fault status (DFSR/IFSR[5:0] with ARM_FSR_LPAE); the
 * walk's faults add their level (1-3). */
enum {
    ARM_LFSR_TRANS = 0x04,
    ARM_LFSR_ACCESS = 0x08,
    ARM_LFSR_PERM = 0x0c,
    ARM_LFSR_EXT = 0x10,         /* synchronous external abort */
    ARM_LFSR_EXT_WALK = 0x14,
    ARM_LFSR_ALIGN = 0x21,
    ARM_LFSR_DEBUG = 0x22,
};
#define TTBCR_EAE (1u << 31)

/* What the MMU makes of a virtual address. */
typedef struct ARMMMUResult {
    hwaddr phys;                 /* of the address itself */
    uint32_t mva;                /* the address after FCSE relocation */
    /* The page's size (16 MiB to 1 KiB; 1 GiB and 2 MiB blocks with
     * LPAE).  After a translation fault or an external abort on the
     * walk: the size of the region the missing entry would map, so
     * that "info tlb" can step over it. */
    uint32_t page_size;
    /* PAGE_* allowed for the MMU index; after an access flag fault,
     * what the access would be allowed once the flag is set. */
    int prot;
    /* When the walk fails: the FSR of the translation (or external)
     * fault.  When it succeeds: the FSR an access outside prot takes
     * (domain fault if prot is 0 because of the DACR, else permission). */
    uint32_t fsr;
    /* For "info tlb": the leaf descriptor (short formats: its 32 bits)
     * and the domain it is in (-1 in the long format). */
    uint64_t desc;
    int domain;
} ARMMMUResult;

/*
 * Walks the page tables (or the flat map with the MMU off) for addr as
 * an access of mmu_idx would, without side effects.  False on a
 * translation fault or an external abort on a table read (res->fsr).
 */
bool arm_get_phys_addr(CPUARMState *env, uint32_t addr, int mmu_idx,
                       ARMMMUResult *res);

/* The VMSAv7 short-descriptor walk (mmu-v7.c), for the ARMv7 cores
 * with the MMU on; the same contract. */
bool arm_get_phys_addr_v7(CPUARMState *env, uint32_t addr, int mmu_idx,
                          ARMMMUResult *res);
/* The long-descriptor walk (mmu-lpae.c), while TTBCR.EAE is set; the
 * same contract, with long-format fault codes. */
bool arm_get_phys_addr_lpae(CPUARMState *env, uint32_t addr, int mmu_idx,
                            ARMMMUResult *res);
/* Whether DFSR/IFSR take the long format: TTBCR.EAE (MMU on or off). */
static inline bool arm_long_fsr_format(const CPUARMState *env)
{
    return env->cp15.ttbcr & TTBCR_EAE;
}
/* A long-format FSR: status ARM_LFSR_*, level for the walk's faults. */
uint32_t arm_lpae_fsr(uint32_t status, int level);
/* Reads a table entry; false on a bus error (external abort). */
bool arm_ldl_ptw(hwaddr addr, uint32_t *desc);

/* Data abort for an unaligned access when SCTLR.A is set (op_helper). */
void arm_cpu_do_unaligned_access(CPUState *cs, uint64_t addr,
                                 MMUAccessType access_type, int mmu_idx,
                                 uintptr_t ra) EMU_NORETURN;
void arm_cpu_do_transaction_failed(CPUState *cs, uint64_t addr,
                                   MMUAccessType access_type, int mmu_idx,
                                   uintptr_t ra);

/* The tcg_ops hooks of helper.c. */
void arm_cpu_do_interrupt(CPUState *cs);
bool arm_cpu_exec_interrupt(CPUState *cs, int interrupt_request);
bool arm_cpu_has_work(CPUState *cs);
/* Recomputes env->hflags; call after changing the mode, CP15 CPAR or
 * the semihosting configuration. */
void arm_rebuild_hflags(CPUARMState *env);
void arm_cpu_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base,
                              uint32_t *flags);
bool arm_cpu_tlb_fill(CPUState *cs, uint64_t addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr);
bool arm_cpu_get_phys_addr_debug(CPUState *cs, uint64_t vaddr,
                                 hwaddr *paddr);

/* PSCI firmware calls (psci.c): whether HVC or SMC exception excp is
 * one, and answering it (with the big lock held). */
bool arm_is_psci_call(ARMCPU *cpu, int excp);
void arm_handle_psci_call(ARMCPU *cpu);

/* "info registers" (cpu-dump.c) and registers by name (monitor.c). */
void arm_cpu_dump_state(CPUState *cs, GString *out, int flags);
/* The gdb stub's view (gdbstub.c). */
const GDBFeature *const *arm_gdb_features(CPUState *cs);
int arm_gdb_read_register(CPUState *cs, GByteArray *buf, int regnum);
bool arm_gdb_write_register(CPUState *cs, const uint8_t *buf, int regnum);
/* dump-guest-memory's notes (dump.c). */
int arm_cpu_elf_machine(CPUState *cs);
void arm_cpu_write_elf_notes(CPUState *cs, GByteArray *notes, int id,
                             bool late);
bool arm_cpu_monitor_get_register(CPUState *cs, const char *name,
                                  uint64_t *value);

#endif
