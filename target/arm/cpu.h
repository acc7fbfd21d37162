/*
 * The ARM CPU (ARMv5TE and its XScale, ARM926 and ARM1136 models; the
 * ARMv7-A Cortex-A15, A7, A9 and A8): architectural state and what the
 * rest of target/arm shares.
 *
 * The CPSR is kept split the way the translator wants it: the flags in
 * NF/ZF/CF/VF/QF (N = NF bit 31, Z = (ZF == 0), C = CF (0 or 1),
 * V = VF bit 31, Q = QF != 0), the ARMv6 GE[3:0] in GE, the Thumb bit in
 * thumb, the rest (mode, I, F, A, E...) in uncached_cpsr.
 * cpsr_read/cpsr_write convert.
 *
 * C and V are lazy (docs/tcg.md, "Lazy C and V"): an ADDS, SUBS, CMP or
 * CMN in generated code records its operands in cv_a and cv_b and the
 * operation in cv_op instead of computing them; CF and VF hold C and V
 * only while cv_op is ARM_CV_EAGER.  Code outside the translator reads
 * the flags through cpsr_read and writes them through cpsr_write, which
 * both know this.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_ARM_CPU_H
#define TARGET_ARM_CPU_H

#include "hw/core/cpu.h"
#include "tcg/tcg-cpu.h"
#include "sysemu/timer.h"

#define TYPE_ARM_CPU "arm-cpu"
#define ARM_CPU_TYPE_SUFFIX "-arm-cpu"

/* Processor modes (CPSR[4:0]). */
enum {
    ARM_CPU_MODE_USR = 0x10,
    ARM_CPU_MODE_FIQ = 0x11,
    ARM_CPU_MODE_IRQ = 0x12,
    ARM_CPU_MODE_SVC = 0x13,
    ARM_CPU_MODE_ABT = 0x17,
    ARM_CPU_MODE_UND = 0x1b,
    ARM_CPU_MODE_SYS = 0x1f,
};

#define CPSR_M 0x1fu
#define CPSR_T (1u << 5)
#define CPSR_F (1u << 6)
#define CPSR_I (1u << 7)
#define CPSR_A (1u << 8)
#define CPSR_E (1u << 9)
#define CPSR_V (1u << 28)
#define CPSR_C (1u << 29)
#define CPSR_Q (1u << 27)
#define CPSR_GE (0xfu << 16)
#define CPSR_IT_0_1 (3u << 25)
#define CPSR_IT_2_7 (0x3fu << 10)
#define CPSR_IT (CPSR_IT_0_1 | CPSR_IT_2_7)
#define CPSR_NZCV 0xf0000000u

/* The most breakpoint and watchpoint register pairs DBGDIDR can name. */
#define ARM_MAX_BRPS 16
#define ARM_MAX_WRPS 16

/* Exceptions (cpu->exception_index). */
enum {
    EXCP_UDEF = 1,               /* undefined instruction */
    EXCP_SWI = 2,
    EXCP_PREFETCH_ABORT = 3,
    EXCP_DATA_ABORT = 4,
    EXCP_IRQ = 5,
    EXCP_FIQ = 6,
    EXCP_BKPT = 7,               /* a prefetch abort, as ARMv5 defines */
    EXCP_SEMIHOST = 8,           /* svc 0x123456 / svc 0xab with -semihosting */
    /* QEMU's numbers, which -d int shows.  PC past the instruction. */
    EXCP_HVC = 11,
    EXCP_SMC = 13,
};

/* Which call a board's PSCI firmware answers (psci.c); QEMU's values. */
enum {
    ARM_PSCI_CONDUIT_DISABLED = 0,
    ARM_PSCI_CONDUIT_SMC = 1,
    ARM_PSCI_CONDUIT_HVC = 2,
};

/* Features a model has (ARMCPU.env.features bits). */
enum {
    ARM_FEATURE_V4T,
    ARM_FEATURE_V5,              /* CLZ, BLX, LDRD... with V5TE: DSP */
    ARM_FEATURE_V5TE,            /* the E extensions: QADD, SMLA<x><y>... */
    ARM_FEATURE_V6,
    ARM_FEATURE_XSCALE,          /* MIA/MAR/MRA, CP14 clock/power, aux ctrl */
    ARM_FEATURE_MMU,
    ARM_FEATURE_V6K,             /* CLREX, LDREX{B,H,D}, YIELD/WFE/SEV */
    ARM_FEATURE_V7,              /* ARMv7-A: the VMSAv7 system, Thumb-2... */
    ARM_FEATURE_ARM_DIV,         /* SDIV/UDIV in ARM state */
    ARM_FEATURE_V7MP,            /* the multiprocessing extensions: PLDW */
    ARM_FEATURE_LPAE,            /* the long-descriptor format exists */
    ARM_FEATURE_GENERIC_TIMER,
    ARM_FEATURE_VFP3,            /* VFPv3 with 32 double registers */
    ARM_FEATURE_VFP_FP16,        /* VCVTB/VCVTT (half precision) */
    ARM_FEATURE_VFP4,            /* VFPv4: the fused multiply-adds */
    ARM_FEATURE_NEON,            /* Advanced SIMD (neon-helper.c) */
};

/* MMU indexes: which TLB an access uses. */
enum {
    ARM_MMU_IDX_USER = 0,        /* user mode, or LDRT/STRT */
    ARM_MMU_IDX_PRIV = 1,
};

/* CPUARMState.cv_op: where C and V are. */
enum {
    ARM_CV_EAGER = 0,            /* in CF and VF */
    ARM_CV_ADD = 1,              /* those of cv_a + cv_b */
    ARM_CV_SUB = 2,              /* those of cv_a - cv_b */
};

typedef struct CPUARMState {
    uint32_t regs[16];           /* r15 is the PC of the current insn */
    uint32_t NF, ZF, CF, VF, QF;
    uint32_t cv_op;              /* ARM_CV_*: what C and V are */
    uint32_t cv_a, cv_b;         /* ARM_CV_ADD, _SUB: the operands */
    uint32_t GE;                 /* CPSR[19:16], in bits 3:0 */
    /* Thumb-2 ITSTATE (CPSR[15:10] and [26:25] as IT[7:0]): the
     * condition in bits 7:4 and what is left of the block below. */
    uint32_t condexec_bits;
    uint32_t thumb;
    /* ARM_TBFLAG_* except THUMB (which generated code changes with BX):
     * the block lookup at every indirect branch reads this instead of
     * recomputing it; arm_rebuild_hflags refreshes it wherever an input
     * changes (mode, XScale CPAR, reset). */
    uint32_t hflags;
    uint32_t uncached_cpsr;      /* all but NZCVQ and T */
    uint32_t spsr;               /* of the current mode */
    /* banked registers of the modes not current: index by bank number
     * (arm_bank_number: usr/sys 0, svc 1, abt 2, und 3, irq 4, fiq 5) */
    uint32_t banked_spsr[6];
    uint32_t banked_r13[6];
    uint32_t banked_r14[6];
    uint32_t usr_regs[5];        /* r8-r12 while in FIQ mode */
    uint32_t fiq_regs[5];        /* FIQ's r8-r12 while not in FIQ mode */
    uint64_t features;           /* 1 << ARM_FEATURE_* */
    /* CP15 (system control) */
    struct {
        uint32_t midr;           /* c0, opc2 0: main ID */
        uint32_t ctr;            /* c0, opc2 1: cache type */
        uint32_t sctlr;          /* c1: control (M, A, C, W, S, R, V...) */
        uint32_t sctlr_reset;
        uint32_t cpacr;          /* c1, opc2 2 (XScale: auxiliary in 1) */
        uint32_t aux_ctrl;       /* XScale auxiliary control */
        uint64_t ttbr0;          /* c2; 64-bit with LPAE (MCRR) */
        uint32_t dacr;           /* c3 */
        uint32_t dfsr;           /* c5 data fault status */
        uint32_t ifsr;           /* c5 opc2 1 (ARMv6) */
        uint32_t far;            /* c6 data fault address */
        uint32_t fcseidr;        /* c13 */
        uint32_t contextidr;
        uint32_t cpar;           /* XScale c15: coprocessor access */
        uint32_t ifar;           /* c6 opc2 2 (ARMv6) */
        /* ARMv7 (cp15-v7.c) */
        uint64_t ttbr1;          /* c2 opc2 1 */
        uint32_t ttbcr;          /* c2 opc2 2 */
        uint32_t adfsr, aifsr;   /* c5 c1: auxiliary fault status */
        /* c7 c4: VA to PA result, 64 bits in the long format (LPAE
         * bit 11 set), else its low word */
        uint64_t par;
        uint32_t prrr, nmrr;     /* c10 c2: TEX remap; MAIR0/1 with LPAE */
        uint32_t vbar;           /* c12: vector base */
        uint32_t tpidrurw, tpidruro, tpidrprw;  /* c13 thread IDs */
        uint32_t csselr;         /* cache size selection */
        uint32_t mpidr;
        /* the generic timer (c14) */
        uint32_t cntfrq, cntkctl;
        uint32_t cntp_ctl, cntv_ctl;
        uint64_t cntp_cval, cntv_cval;
    } cp15;
    /* The high word of an MRRC, passed from the helper to the code. */
    uint32_t cp64_high;
    /* The local exclusive monitor: the address LDREX* marked (-1 when
     * open) and the value it read, which STREX* compares atomically. */
    uint32_t exclusive_addr;
    uint64_t exclusive_val;
    /* CP14 (XScale clock and power management, performance counters) */
    struct {
        uint32_t cclkcfg;
        uint32_t pwrmode;
        uint32_t teecr, teehbr;  /* ThumbEE (ARMv7 A-profile) */
        /* v7.1 debug (debug.c): DBGDSCR (MDBGen, MOE...), the OS lock,
         * and the breakpoint and watchpoint register pairs. */
        uint32_t dbgdscr;
        bool os_lock;
        uint32_t dbgbvr[ARM_MAX_BRPS], dbgbcr[ARM_MAX_BRPS];
        uint32_t dbgwvr[ARM_MAX_WRPS], dbgwcr[ARM_MAX_WRPS];
    } cp14;
    /* VFP (vfp-helper.c): D0-D31, S2n and S2n+1 being the low and high
     * halves of Dn; the FPSCR whole (cumulative flags included), the
     * FPEXC (only EN is writable). */
    struct {
        uint64_t d[32];
        uint32_t fpscr;
        uint32_t fpexc;
        uint32_t fpsid, mvfr0, mvfr1;    /* the model's, read-only */
    } vfp;
    uint64_t xscale_acc0;        /* the 40-bit DSP accumulator (MIA/MAR/MRA) */
    /* Pending interrupt lines (board IRQ/FIQ inputs). */
    bool irq_line, fiq_line;
} CPUARMState;

/* The generic timer's two timers (cp15-v7.c), also the index of their
 * interrupt outputs (qdev GPIO out) that boards wire to the GIC's PPIs. */
enum {
    ARM_GT_PHYS = 0,
    ARM_GT_VIRT = 1,
    ARM_GT_NUM = 2,
};

typedef struct ARMCPU {
    CPUState parent_obj;
    CPUTLB tlb;                  /* immediately before env: see tcg-cpu.h */
    CPUARMState env;
    /* The generic timer's outputs (level: ISTATUS and not IMASK) and the
     * host timers that move them when the counter reaches a compare
     * value; NULL on cores without the generic timer. */
    IRQLine *gt_out[ARM_GT_NUM];
    EmuTimer *gt_timer[ARM_GT_NUM];
    /* PSCI (psci.c): the board picks the conduit and which cores wait
     * powered off for CPU_ON after a reset; powered_off changes only
     * with the big lock held. */
    int psci_conduit;            /* ARM_PSCI_CONDUIT_* */
    bool start_powered_off;
    bool powered_off;
} ARMCPU;

/* SCTLR (cp15 c1) bits target/arm acts on. */
#define SCTLR_M (1u << 0)            /* MMU on */
#define SCTLR_A (1u << 1)            /* alignment faults */
#define SCTLR_S (1u << 8)            /* system protection (AP = 00) */
#define SCTLR_R (1u << 9)            /* ROM protection (AP = 00) */
#define SCTLR_V (1u << 13)           /* high vectors at 0xffff0000 */
#define SCTLR_WXN (1u << 19)         /* LPAE: writable means XN */
#define SCTLR_UWXN (1u << 20)        /* LPAE: user-writable means PXN */
#define SCTLR_XP (1u << 23)          /* ARMv6 extended page tables */
#define SCTLR_TRE (1u << 28)         /* TEX remap */
#define SCTLR_AFE (1u << 29)         /* access flag enable */
#define SCTLR_TE (1u << 30)          /* exceptions in Thumb state */

/* FPSCR and FPEXC bits target/arm acts on. */
#define FPSCR_IOC (1u << 0)          /* cumulative: invalid operation */
#define FPSCR_DZC (1u << 1)          /* division by zero */
#define FPSCR_OFC (1u << 2)          /* overflow */
#define FPSCR_UFC (1u << 3)          /* underflow */
#define FPSCR_IXC (1u << 4)          /* inexact */
#define FPSCR_IDC (1u << 7)          /* input denormal flushed */
#define FPSCR_LEN_STRIDE 0x00370000u /* short vectors (not implemented) */
#define FPSCR_RMODE_SHIFT 22
#define FPSCR_FZ (1u << 24)          /* flush denormals to zero */
#define FPSCR_DN (1u << 25)          /* default NaN */
#define FPSCR_AHP (1u << 26)         /* alternative half precision */
#define FPEXC_EN (1u << 30)

/* What distinguishes the models (values as QEMU's for the same CPUs). */
typedef struct ARMCPUModel {
    const char *name;            /* "pxa255": the type is name-arm-cpu */
    uint64_t features;           /* 1 << ARM_FEATURE_* */
    uint32_t midr;
    uint32_t ctr;
    uint32_t sctlr;              /* at reset */
    uint32_t aux_ctrl;           /* at reset */
    /* ARMv6 feature registers: c0, crm 1 (opc2 0-7) and crm 2 (0-5) */
    uint32_t id_regs[2][8];
    /* ARMv7 cache identification: CLIDR and CCSIDR by CSSELR */
    uint32_t clidr;
    uint32_t ccsidr[4];
    bool mp;                     /* MPIDR has the multiprocessing format */
    /* VFP identification (with ARM_FEATURE_VFP3): FPSID, MVFR0, MVFR1 */
    uint32_t fpsid, mvfr0, mvfr1;
    /* DBGDIDR of the v7.1 debug architecture (debug.c); 0: none, the
     * debug registers are not there. */
    uint32_t dbgdidr;
} ARMCPUModel;

typedef struct ARMCPUClass {
    CPUClass parent_class;
    const ARMCPUModel *model;
} ARMCPUClass;

#define ARM_CPU(obj) INSTANCE_CAST(ARMCPU, (obj), TYPE_ARM_CPU)
#define ARM_CPU_GET_CLASS(obj) \
    CLASS_CAST(ARMCPUClass, OBJECT(obj)->klass, TYPE_ARM_CPU)

static inline ARMCPU *env_archcpu(CPUARMState *env)
{
    return container_of(env, ARMCPU, env);
}

static inline CPUState *env_cpu(CPUARMState *env)
{
    return &env_archcpu(env)->parent_obj;
}

static inline bool arm_feature(const CPUARMState *env, int feature)
{
    return (env->features >> feature) & 1;
}

/* GPIO inputs of the CPU device, wired by boards to an interrupt
 * controller: qdev_get_gpio_in(DEVICE(cpu), ARM_CPU_IRQ). */
enum {
    ARM_CPU_IRQ = 0,
    ARM_CPU_FIQ = 1,
};

#endif
