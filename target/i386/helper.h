/*
 * What target/i386 shares between the translator, the helpers that
 * generated code calls and the tcg CPU hooks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_HELPER_H
#define TARGET_I386_HELPER_H

#include "target/i386/cpu.h"

/* Exception vectors. */
enum {
    EXCP00_DIVZ = 0,
    EXCP01_DB = 1,
    EXCP02_NMI = 2,
    EXCP03_INT3 = 3,
    EXCP04_INTO = 4,
    EXCP05_BOUND = 5,
    EXCP06_ILLOP = 6,
    EXCP07_PREX = 7,
    EXCP08_DBLE = 8,
    EXCP0A_TSS = 10,
    EXCP0B_NOSEG = 11,
    EXCP0C_STACK = 12,
    EXCP0D_GPF = 13,
    EXCP0E_PAGE = 14,
    EXCP10_COPR = 16,
    EXCP11_ALGN = 17,
    EXCP12_MCHK = 18,
    EXCP13_XM = 19,
};

/*
 * Translation-block flags (TranslationBlock.flags): the state the
 * translator turns into code, recomputed from the registers by
 * x86_cpu_get_tb_cpu_state, so nothing else needs to keep them.
 */
#define HF_CPL_MASK      (3u << 0)
#define HF_CS32          (1u << 2)   /* CS.D: 32-bit operands/addresses */
#define HF_SS32          (1u << 3)   /* SS.B: 32-bit stack pointer */
#define HF_PE            (1u << 4)   /* protected mode */
#define HF_VM86          (1u << 5)
#define HF_ADDSEG        (1u << 6)   /* DS, ES or SS has a non-zero base */
#define HF_LMA           (1u << 7)
#define HF_CS64          (1u << 8)
#define HF_INHIBIT_IRQ   (1u << 9)   /* after sti / mov ss: one insn */
#define HF_IOPL_SHIFT    10
#define HF_IOPL_MASK     (3u << HF_IOPL_SHIFT)
#define HF_TF            (1u << 12)  /* EFLAGS.TF: #DB after each insn */
#define HF_DR_EXEC       (1u << 13)  /* DR7 enables an insn breakpoint */
#define HF_DR_IO         (1u << 14)  /* ... an I/O breakpoint (CR4.DE) */

/* MMU indexes.  Stack references in 64-bit mode (push, pop, operands
 * based on rsp or rbp, the frames of interrupts and far transfers) use
 * the STACK ones: the same mappings, but a non-canonical address is
 * #SS there and #GP elsewhere. */
enum {
    X86_MMU_IDX_KERNEL = 0,      /* CPL 0-2 */
    X86_MMU_IDX_USER = 1,        /* CPL 3 */
    X86_MMU_IDX_STACK = 2,       /* added to one of the two above */
};

/* A linear address of long mode: bits 63:47 all equal (48-bit linear
 * addresses, as CPUID 0x80000008 says). */
static inline bool x86_is_canonical(uint64_t addr)
{
    return (uint64_t)(((int64_t)addr >> 47) + 1) <= 1;
}

/* The MMU index of a block's fetches and accesses: its CPL's. */
static inline int x86_tb_mmu_idx(uint32_t tb_flags)
{
    return (tb_flags & HF_CPL_MASK) == 3 ? X86_MMU_IDX_USER
                                         : X86_MMU_IDX_KERNEL;
}

static inline int x86_cpl(const CPUX86State *env)
{
    return (env->segs[R_CS].flags & DESC_DPL_MASK) >> DESC_DPL_SHIFT;
}

/* ---- the tcg hooks (tcg-cpu.c, excp_helper.c) ---- */

void x86_translate_init(void);
void x86_translate_code(CPUState *cs, TranslationBlock *tb, int max_insns);
void x86_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb,
                              const uint64_t *data);
void x86_cpu_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base,
                              uint32_t *flags);
bool x86_cpu_exec_interrupt(CPUState *cs, int interrupt_request);
void x86_cpu_do_interrupt(CPUState *cs);
bool x86_cpu_tlb_fill(CPUState *cs, uint64_t addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr);
bool x86_cpu_has_work(CPUState *cs);
/* Whether the PAE PDPTEs at cr3 may be loaded (none present with a
 * reserved bit set). */
bool x86_pae_pdptes_valid(CPUX86State *env, uint64_t cr3);
void x86_cpu_set_pin(void *opaque, int n, int level);
/* Delivers external interrupt (or NMI) vector intno between
 * instructions. */
void x86_do_hw_interrupt(CPUX86State *env, int intno);
extern const TCGCPUOps x86_tcg_ops;

/* Raises exception excp (with an error code) at the eip in env, or at
 * the instruction of host address ra when ra is not 0. */
void x86_raise_exception(CPUX86State *env, int excp, uintptr_t ra)
    EMU_NORETURN;
void x86_raise_exception_err(CPUX86State *env, int excp, uint32_t error_code,
                             uintptr_t ra) EMU_NORETURN;

/* Loads segment register seg in protected mode from the descriptor of
 * selector, with the checks the architecture makes (seg_helper.c). */
void x86_load_seg(CPUX86State *env, int seg, uint32_t selector,
                  uintptr_t ra);
/* The CPU model presented is AMD's (qemu64): its MSRs, and no
 * sysenter in long mode (misc_helper.c). */
bool x86_cpu_is_amd(CPUX86State *env);
/* Whether the I/O ports [port, port + size) are allowed at the current
 * privilege (IOPL, then the TSS bitmap). */
bool x86_io_allowed(CPUX86State *env, uint32_t port, int size);

/* ---- helpers that generated code calls (names helper_*) ---- */

void helper_raise_exception(CPUX86State *env, uint32_t excp) EMU_NORETURN;
void helper_raise_exception_err(CPUX86State *env, uint32_t excp,
                                uint32_t error_code) EMU_NORETURN;
void helper_raise_interrupt(CPUX86State *env, uint32_t intno,
                            uint32_t next_eip_addend) EMU_NORETURN;
uint32_t helper_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2,
                               uint32_t op);
uint32_t helper_read_eflags(CPUX86State *env);
void helper_write_eflags(CPUX86State *env, uint32_t value, uint32_t mask);
void helper_sti(CPUX86State *env);
void helper_hlt(CPUX86State *env, uint32_t next_eip_addend) EMU_NORETURN;
uint32_t helper_in(CPUX86State *env, uint32_t port, uint32_t size);
void helper_out(CPUX86State *env, uint32_t port, uint32_t value,
                uint32_t size);
void helper_check_io(CPUX86State *env, uint32_t port, uint32_t size);
void helper_cpuid(CPUX86State *env);
void helper_rdmsr(CPUX86State *env);
void helper_wrmsr(CPUX86State *env);
void helper_rdtsc(CPUX86State *env);
void helper_rdtscp(CPUX86State *env);
uint64_t helper_fsgsbase(CPUX86State *env, uint32_t op, uint64_t value);
uint64_t helper_read_cr8(CPUX86State *env);
void helper_write_cr8(CPUX86State *env, uint64_t value);
void helper_sysenter(CPUX86State *env);
void helper_sysexit(CPUX86State *env, uint32_t dflag);
/* lar, lsl (into register reg_ot & 15 at size reg_ot >> 4), verr,
 * verw: ZF says whether selector's segment may be seen, read, written */
void helper_check_selector(CPUX86State *env, uint32_t selector, uint32_t op,
                           uint32_t reg_ot);
enum { SEL_LAR, SEL_LSL, SEL_VERR, SEL_VERW };
void helper_monitor(CPUX86State *env, uint64_t addr);
void helper_mwait(CPUX86State *env, uint32_t next_eip_addend);
/* DRi's R/W field (00 execute, 01 write, 10 I/O, 11 read or write) if
 * DR7 enables DRi (L or G), else -1. */
static inline int x86_dr7_enabled_rw(uint64_t dr7, int i)
{
    if (!((dr7 >> (i * 2)) & 3)) {
        return -1;
    }
    return (dr7 >> (16 + i * 4)) & 3;
}
/* Whether DR7 enables an instruction breakpoint (DR0-3 with R/W 00). */
static inline bool x86_dr7_insn_breakpoint(uint64_t dr7, int i)
{
    return x86_dr7_enabled_rw(dr7, i) == 0;
}
/* Whether DRi is an enabled I/O breakpoint: R/W 10, which means one
 * only with CR4.DE (without, the SDM leaves R/W 10 undefined and emu
 * lets it break on nothing). */
static inline bool x86_dr_io_breakpoint(uint64_t dr7, uint64_t cr4, int i)
{
    return (cr4 & CR4_DE_MASK) && x86_dr7_enabled_rw(dr7, i) == 2;
}
/* The instruction breakpoints before the instruction at eip: #DB
 * (a fault) with DR6.Bn, unless EFLAGS.RF, which this clears. */
void helper_insn_breakpoints(CPUX86State *env);
/* The trap flag's #DB after an instruction (eip is the next one). */
void helper_single_step(CPUX86State *env) EMU_NORETURN;
/* mov from and to DRn (n 0-7 as the instruction names it): #UD for
 * DR4 and DR5 with CR4.DE (else they are DR6 and DR7), #DB (a fault,
 * DR6.BD) with DR7.GD, #GP(0) for a 64-bit value with reserved DR6 or
 * DR7 bits set; DR6 and DR7 keep their fixed bits. */
uint64_t helper_read_dr(CPUX86State *env, uint32_t n);
void helper_write_dr(CPUX86State *env, uint32_t n, uint64_t value);
/* The I/O breakpoints after an in, out, ins or outs (or one iteration
 * of a repeated one) of size bytes at port: #DB (a trap, at
 * resume_eip) with DR6.Bn of each that the access hit. */
void helper_io_breakpoints(CPUX86State *env, uint32_t port, uint32_t size,
                           uint64_t resume_eip);
/* tcg_ops->watchpoint_trap: #DB after an instruction whose accesses hit
 * the data breakpoints in hits (bit n: DRn). */
void x86_cpu_watchpoint_trap(CPUState *cs, unsigned hits);
void helper_write_cr(CPUX86State *env, uint32_t reg, uint64_t value);
void helper_invlpg(CPUX86State *env, uint64_t addr);
void helper_load_seg(CPUX86State *env, uint32_t seg, uint32_t selector);
void helper_lldt(CPUX86State *env, uint32_t selector);
void helper_ltr(CPUX86State *env, uint32_t selector);
void helper_ljmp_protected(CPUX86State *env, uint32_t selector,
                           uint64_t eip, uint64_t next_eip);
void helper_lcall_protected(CPUX86State *env, uint32_t selector,
                            uint64_t eip, uint32_t dflag, uint64_t next_eip);
void helper_lret_protected(CPUX86State *env, uint32_t dflag,
                           uint32_t addend);
void helper_iret_real(CPUX86State *env, uint32_t dflag);
void helper_syscall(CPUX86State *env, uint32_t next_eip_addend);
void helper_sysret(CPUX86State *env, uint32_t dflag);
void helper_iret_protected(CPUX86State *env, uint32_t dflag,
                           uint32_t next_eip);
void helper_divb(CPUX86State *env, uint32_t divisor);
void helper_idivb(CPUX86State *env, uint32_t divisor);
void helper_divw(CPUX86State *env, uint32_t divisor);
void helper_idivw(CPUX86State *env, uint32_t divisor);
void helper_divl(CPUX86State *env, uint32_t divisor);
void helper_idivl(CPUX86State *env, uint32_t divisor);
void helper_divq(CPUX86State *env, uint64_t divisor);
void helper_idivq(CPUX86State *env, uint64_t divisor);
void helper_bcd(CPUX86State *env, uint32_t op, uint32_t imm);

/* Operations of helper_bcd. */
enum { BCD_DAA, BCD_DAS, BCD_AAA, BCD_AAS, BCD_AAM, BCD_AAD };

#endif
