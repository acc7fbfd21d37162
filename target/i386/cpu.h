/*
 * The x86-64 CPU: architectural state, models, and what boards and the
 * accelerators need from it.  The state is the accelerator-neutral copy
 * and the single source of truth between runs: kvm fetches it from the
 * kernel when asked (AccelOps.synchronize_state) and pushes it back when
 * emu wrote it (AccelOps.synchronize_post_write, after every reset), so
 * a board sets boot registers here from MachineClass.reset.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include "hw/core/cpu.h"
#include "tcg/tcg-cpu.h"

#define TYPE_X86_CPU "x86_64-cpu"
#define X86_CPU_TYPE_SUFFIX "-x86_64-cpu"

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI,
       R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15 };
enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS };

/* Segment attribute bits in SegmentCache.flags, laid out as in the
 * descriptor's high dword (QEMU's layout, so dumps print the same). */
#define DESC_TYPE_SHIFT 8
#define DESC_TYPE_MASK  (15u << DESC_TYPE_SHIFT)
#define DESC_A_MASK     (1u << 8)    /* accessed */
#define DESC_W_MASK     (1u << 9)    /* data: writable */
#define DESC_R_MASK     (1u << 9)    /* code: readable */
#define DESC_E_MASK     (1u << 10)   /* data: expand down */
#define DESC_C_MASK     (1u << 10)   /* code: conforming */
#define DESC_CS_MASK    (1u << 11)   /* code, not data */
#define DESC_S_MASK     (1u << 12)
#define DESC_DPL_SHIFT  13
#define DESC_DPL_MASK   (3u << DESC_DPL_SHIFT)
#define DESC_P_MASK     (1u << 15)
#define DESC_AVL_MASK   (1u << 20)
#define DESC_L_MASK     (1u << 21)   /* 64-bit code segment */
#define DESC_B_MASK     (1u << 22)   /* 32-bit default size */
#define DESC_G_MASK     (1u << 23)

#define CR0_PE_MASK     (1u << 0)
#define CR0_PG_MASK     (1u << 31)
#define CR4_PSE_MASK    (1u << 4)
#define CR4_PAE_MASK    (1u << 5)
#define CR4_LA57_MASK   (1u << 12)
#define EFER_LME        (1u << 8)
#define EFER_LMA        (1u << 10)
#define CR0_MP_MASK     (1u << 1)
#define CR0_EM_MASK     (1u << 2)
#define CR0_TS_MASK     (1u << 3)
#define CR0_WP_MASK     (1u << 16)
#define CR0_NW_MASK     (1u << 29)
#define CR0_CD_MASK     (1u << 30)
#define CR4_TSD_MASK    (1u << 2)
#define CR4_PGE_MASK    (1u << 7)
#define CR4_OSFXSR_MASK (1u << 9)
#define CR4_OSXMMEXCPT_MASK (1u << 10)
#define CR4_FSGSBASE_MASK (1u << 16)
#define CR4_OSXSAVE_MASK (1u << 18)
#define CR0_NE_MASK     (1u << 5)
#define CR4_DE_MASK     (1u << 3)    /* debug extensions */
#define DR6_BD          (1u << 13)   /* general detect */
#define DR6_BS          (1u << 14)   /* single step */
#define DR6_BT          (1u << 15)   /* task switch (the TSS's T bit) */
#define DR7_GD          (1u << 13)   /* general detect enable */
#define EFER_SCE        (1u << 0)
#define EFER_NXE        (1u << 11)

/* RFLAGS bits. */
#define EFLAGS_CF       (1u << 0)
#define EFLAGS_FIXED    (1u << 1)    /* always reads 1 */
#define EFLAGS_PF       (1u << 2)
#define EFLAGS_AF       (1u << 4)
#define EFLAGS_ZF       (1u << 6)
#define EFLAGS_SF       (1u << 7)
#define EFLAGS_TF       (1u << 8)
#define EFLAGS_IF       (1u << 9)
#define EFLAGS_DF       (1u << 10)
#define EFLAGS_OF       (1u << 11)
#define EFLAGS_IOPL     (3u << 12)
#define EFLAGS_IOPL_SHIFT 12
#define EFLAGS_NT       (1u << 14)
#define EFLAGS_RF       (1u << 16)
#define EFLAGS_VM       (1u << 17)
#define EFLAGS_AC       (1u << 18)
#define EFLAGS_VIF      (1u << 19)
#define EFLAGS_VIP      (1u << 20)
#define EFLAGS_ID       (1u << 21)
/* The arithmetic flags, which tcg computes lazily (see cc_op). */
#define EFLAGS_CC_MASK  (EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | \
                         EFLAGS_SF | EFLAGS_OF)

/*
 * How tcg's lazy flags are held: cc_op = kind * 4 + operand size
 * (0: 8-bit, 1: 16, 2: 32, 3: 64), and the arithmetic flags are a
 * function of the kind, cc_dst (the result), cc_src (the second operand,
 * or what the kind says) and cc_src2 (the carry in of ADC/SBB).
 */
typedef enum X86CCKind {
    CC_KIND_EFLAGS,              /* the flags themselves in cc_src */
    CC_KIND_ADD,
    CC_KIND_ADC,
    CC_KIND_SUB,
    CC_KIND_SBB,
    CC_KIND_LOGIC,               /* CF = OF = AF = 0 */
    CC_KIND_INC,                 /* cc_src: CF from before */
    CC_KIND_DEC,
    CC_KIND_SHL,                 /* cc_src: operand shifted by count - 1 */
    CC_KIND_SAR,                 /* the same, right (SHR too) */
    CC_KIND_MUL,                 /* cc_src != 0: CF = OF = 1 */
    CC_KIND_NB,
} X86CCKind;

#define CC_OP(kind, size) ((kind) * 4 + (size))
#define CC_OP_EFLAGS CC_OP(CC_KIND_EFLAGS, 0)

#define APIC_DEFAULT_BASE   0xfee00000u
#define APIC_BASE_BSP       (1u << 8)
#define APIC_BASE_ENABLE    (1u << 11)
#define X86_LAPIC_SIZE      0x400    /* the register page a save holds */

/* Multiprocessor state, as KVM numbers it. */
typedef enum X86MPState {
    X86_MP_RUNNABLE = 0,
    X86_MP_UNINITIALIZED = 1,    /* an AP waiting for INIT/SIPI */
    X86_MP_INIT_RECEIVED = 2,
    X86_MP_HALTED = 3,
    X86_MP_SIPI_RECEIVED = 4,
} X86MPState;

typedef struct SegmentCache {
    uint32_t selector;
    uint64_t base;
    uint32_t limit;
    uint32_t flags;
} SegmentCache;

#define X86_FXSAVE_SIZE 512

/* Machine-check banks of a CPU with MCA, as QEMU's models have. */
#define X86_MCE_BANKS 10

/*
 * The x87/SSE state, kept in the 512-byte FXSAVE layout (the 64-bit one:
 * FIP and FDP 64 bits wide, XMM0-15), so that host execution
 * (host_exec.c) loads it into the host's FPU with one FXRSTOR and the
 * translator reaches an XMM register as two 64-bit words, and FXSAVE,
 * XSAVE and kvm's XSAVE area copy it as it is.  As in the image, the
 * x87 registers are in stack order (st[i] is ST(i), TOP being FSW bits
 * 13:11) and the abridged tag word by physical register number (bit i
 * set: physical register i, ST((i - TOP) & 7), in use).
 */
typedef struct X86FXState {
    uint16_t fcw, fsw;
    uint8_t ftw;
    uint8_t reserved1;
    uint16_t fop;
    uint64_t fip, fdp;           /* offsets (FCS and FDS are not kept) */
    uint32_t mxcsr, mxcsr_mask;
    uint64_t st[8][2];           /* [0] mantissa, [1] bits 15:0 sign and
                                  * exponent, the rest 0 */
    uint64_t xmm[16][2];         /* [0] low, [1] high quadword */
    uint8_t reserved2[96];
} __attribute__((aligned(16))) X86FXState;

_Static_assert(sizeof(X86FXState) == X86_FXSAVE_SIZE, "FXSAVE layout");

/* Where physical x87 register i of a state is: st[(i - TOP) & 7]. */
static inline unsigned x86_st_of_fpreg(const X86FXState *fx, unsigned i)
{
    return (i - ((fx->fsw >> 11) & 7)) & 7;
}

typedef struct CPUX86State {
    uint64_t regs[16];
    uint64_t rip;
    /* All of RFLAGS but the arithmetic flags, which are those of cc_op
     * and its operands: read and write RFLAGS with x86_cpu_get_eflags and
     * x86_cpu_set_eflags.  Outside tcg, cc_op stays CC_OP_EFLAGS. */
    uint64_t rflags;
    uint64_t cc_dst, cc_src, cc_src2;
    uint32_t cc_op;
    SegmentCache segs[6];
    SegmentCache ldt;
    SegmentCache tr;
    SegmentCache gdt;            /* base and limit only */
    SegmentCache idt;
    uint64_t cr[5];              /* cr0, (cr1), cr2, cr3, cr4 */
    uint64_t cr8;
    uint64_t efer;
    uint64_t apic_base;
    uint64_t dr[8];              /* dr4/dr5 unused (aliases) */
    uint64_t a20_mask;           /* ~0, or ~(1 << 20) with A20 off */
    /* x87 and SSE: the FXSAVE image itself (see X86FXState) */
    X86FXState fx;
    uint64_t ymmh[16][2];        /* upper halves of the YMM registers */
    uint64_t xcr0;
    /* MSRs the guest and the boot code use */
    uint64_t star, lstar, cstar, fmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t tsc;
    uint64_t tsc_aux;            /* IA32_TSC_AUX: what rdtscp puts in ecx */
    /* VM_HSAVE_PA, held as QEMU holds it (qemu64's CPUID says svm);
     * tcg runs no VMRUN, so nothing reads it but rdmsr */
    uint64_t vm_hsave;
    int64_t tsc_offset;          /* tcg: TSC - virtual clock ns */
    uint64_t pat;
    /* Events in flight, kept across a register round trip */
    bool exception_injected;
    uint8_t exception_nr;
    bool has_error_code;
    uint32_t error_code;
    bool interrupt_injected;
    uint8_t interrupt_nr;
    bool interrupt_soft;
    uint8_t interrupt_shadow;    /* after mov ss / sti */
    bool nmi_injected, nmi_pending, nmi_masked;
    bool smm;
    uint32_t sipi_vector;
    X86MPState mp_state;
    /* The local APIC's register page (the in-kernel APIC's state) */
    uint8_t lapic[X86_LAPIC_SIZE];
    /* Fixed at creation */
    uint32_t apic_id;
    uint32_t cpuid_version;      /* CPUID.01H:EAX, EDX after reset */
    /* tcg: the exception being raised (cpu->exception_index) */
    struct {
        uint32_t error_code;     /* pushed if the vector has one */
        bool is_int;             /* int n, int3, into: returns after it */
        uint64_t next_eip;       /* ... to this eip */
        int old_exception;       /* being delivered (-1: none): #DF */
    } excp;
    uint64_t mtrr_deftype;
    /* MTRRs: storage only, tcg has no memory types (SeaBIOS sets them) */
    uint64_t mtrr_fixed[11];     /* 64K_00000, 16K_80000/A0000, 4K_C0000.. */
    uint64_t mtrr_var[16];       /* PHYSBASE0, PHYSMASK0, ... PHYSMASK7 */
    uint64_t misc_enable;
    /* Machine-check architecture (tcg): MCG_STATUS, MCG_CTL and the
     * banks' MCi_CTL, MCi_STATUS, MCi_ADDR, MCi_MISC; nothing ever
     * logs an error into them, but the kernel reads and clears them. */
    uint64_t mcg_status, mcg_ctl;
    uint64_t mce_banks[X86_MCE_BANKS * 4];
    /* tcg: the memory operand of an x87/SSE instruction run on the host,
     * and the state it leaves until its store to guest memory is done
     * (host_exec.c) */
    uint8_t hx_mem[16];
    X86FXState hx_pending;
    /* tcg: the vCPU thread's MXCSR holds this CPU's (host_exec.c) */
    uint8_t hx_mxcsr_live;
    /* tcg: the last helper_x87_run ran its whole run of x87
     * instructions (the generated code then skips the rest of them) */
    uint8_t hx_x87_run;
} CPUX86State;

/* The CPUID feature words a model asks for. */
typedef enum FeatureWord {
    FEAT_1_EDX,                  /* CPUID.01H:EDX */
    FEAT_1_ECX,                  /* CPUID.01H:ECX */
    FEAT_7_0_EBX,                /* CPUID.(EAX=07H,ECX=0):EBX */
    FEAT_7_0_ECX,
    FEAT_7_0_EDX,
    FEAT_8000_0001_EDX,
    FEAT_8000_0001_ECX,
    FEAT_D_1_EAX,                /* CPUID.(EAX=0DH,ECX=1):EAX */
    FEATURE_WORDS,
} FeatureWord;

typedef struct FeatureWordInfo {
    uint32_t leaf, subleaf;
    int reg;                     /* R_EAX.. R_EDX */
    const char *names[32];       /* QEMU's feature names; NULL: unnamed */
} FeatureWordInfo;

extern const FeatureWordInfo feature_word_info[FEATURE_WORDS];

/*
 * What a tcg CPU asks of its interrupt controller: the local APIC, or an
 * 8259 wired to INTR without one (kvm keeps its own in the kernel).
 */
typedef struct X86InterruptOps {
    /* The interrupt acknowledge cycle: the vector of the external
     * interrupt the CPU takes, or -1. */
    int (*intack)(void *opaque);
    /* IA32_TSC_DEADLINE (MSR 0x6e0); NULL: no local APIC, #GP. */
    uint64_t (*get_tsc_deadline)(void *opaque);
    void (*set_tsc_deadline)(void *opaque, uint64_t value);
    /* The task-priority register (CR8 is its bits 7:4); NULL: none. */
    uint8_t (*get_tpr)(void *opaque);
    void (*set_tpr)(void *opaque, uint8_t tpr);
    /* An NMI from outside the CPU (the monitor's "nmi"), which the local
     * APIC takes on LINT1; NULL: straight to the CPU. */
    void (*external_nmi)(void *opaque);
} X86InterruptOps;

typedef struct X86CPU {
    CPUState parent_obj;
    CPUTLB tlb;                  /* immediately before env: see tcg-cpu.h */
    CPUX86State env;
    /* -cpu MODEL,OPTIONS (cpu-features.c): name=on and name=off, +name,
     * -name */
    uint32_t features_on[FEATURE_WORDS], features_off[FEATURE_WORDS];
    uint32_t features_plus[FEATURE_WORDS], features_minus[FEATURE_WORDS];
    /* The CPUID feature words tcg presents (kvm builds its own from the
     * host's, through x86_cpu_apply_options). */
    uint32_t features[FEATURE_WORDS];
    /* tcg: its interrupt controller (x86_cpu_set_interrupt_ops) */
    const X86InterruptOps *irq_ops;
    void *irq_opaque;
    /* The package tcg's CPUID describes: cores in it, threads per core
     * (CPUState's -smp nr_cores and nr_threads) */
    unsigned cpuid_cores, cpuid_threads;
    /* tcg: the x87's error pins for CR0.NE clear (see X86_CPU_IGNNE),
     * outside env because they are wires, not state a reset clears:
     * FERR# (gpio out 0; NULL where the board leaves it unconnected)
     * and its level, and the level of IGNNE# */
    IRQLine *ferr;
    bool ferr_level;
    bool ignne;
} X86CPU;

/* The bits an APIC ID gives to count things (QEMU's
 * apicid_bitwidth_for_count): 0 for one, 1 for two, 2 for three or four. */
static inline unsigned x86_apicid_bits(unsigned count)
{
    return count > 1 ? 32 - __builtin_clz(count - 1) : 0;
}

/*
 * The APIC ID of vCPU index for a -smp topology of cores per package and
 * threads per core, as QEMU numbers them (x86_apicid_from_cpu_idx): the
 * thread, core and package numbers in fields x86_apicid_bits wide, so a
 * count that is not a power of two leaves gaps.  Under kvm the vCPU's
 * number (its vcpu id, so the in-kernel APIC's ID), each a package.
 */
uint32_t x86_cpu_apic_id_from_index(unsigned cores, unsigned threads,
                                    unsigned index);
/* QEMU's apic_id_limit: one more than the APIC ID of vCPU max_cpus - 1;
 * what the firmware sizes its tables by (FW_CFG_MAX_CPUS). */
unsigned x86_apic_id_limit(unsigned cores, unsigned threads,
                           unsigned max_cpus);
/* The local APIC of tcg and of kvm's in-kernel irqchip holds an 8-bit
 * ID: fails with QEMU's error for a topology whose IDs go past 254. */
bool x86_check_apic_id_limit(unsigned cores, unsigned threads,
                             unsigned max_cpus, Error **errp);

static inline X86CPU *env_archcpu(CPUX86State *env)
{
    return container_of(env, X86CPU, env);
}

/* Whether the CPU runs 64-bit code (long mode, CS.L). */
static inline bool x86_code64(const CPUX86State *env)
{
    return (env->efer & EFER_LMA) && (env->segs[R_CS].flags & DESC_L_MASK);
}

static inline CPUState *env_cpu(CPUX86State *env)
{
    return &env_archcpu(env)->parent_obj;
}


/* CPUID bits target/i386 acts on. */
#define CPUID_1_EDX_PSE36 (1u << 17)
#define CPUID_1_EDX_HTT (1u << 28)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_MONITOR (1u << 3)
#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_7_0_EBX_FSGSBASE (1u << 0)
#define CPUID_EXT2_RDTSCP (1u << 27)
#define CPUID_EXT2_LM (1u << 29)
#define CPUID_EXT3_CMP_LEGACY (1u << 1)
#define CPUID_EXT3_TOPOEXT (1u << 22)
/* The CPUID.01H:EDX bits AMD repeats in CPUID.80000001H:EDX. */
#define CPUID_EXT2_AMD_ALIASES 0x0183f3ffu

/* A model: a name for -cpu and the CPUID it presents. */
typedef struct X86CPUModel {
    const char *name;
    const char *version;         /* QEMU's versioned name ("Nehalem-v1") of
                                  * what name is on QEMU's pc machine, or
                                  * NULL where name is the version */
    const char *alias;           /* another name for it, or NULL */
    const char *desc;            /* -cpu help's, for the passthrough ones */
    bool host_passthrough;       /* everything the accelerator supports */
    uint32_t kvm_only_1_ecx;     /* leaf 1 ECX bits QEMU presents under kvm
                                  * only: tcg drops them without a warning */
    uint32_t level, xlevel;      /* highest basic and extended leaf */
    const char *vendor;          /* 12 characters */
    unsigned family, model, stepping;
    const char *model_id;        /* the brand string */
    uint32_t features[FEATURE_WORDS];
} X86CPUModel;

/* The model called name (or its version or alias), or NULL. */
const X86CPUModel *x86_cpu_model_find(const char *name);
/* -cpu help: the models as QEMU lists them, then the CPUID flags. */
void x86_cpu_list(GString *out);

typedef struct X86CPUClass {
    CPUClass parent_class;
    const X86CPUModel *model;
} X86CPUClass;

#define X86_CPU(obj) INSTANCE_CAST(X86CPU, (obj), TYPE_X86_CPU)
#define X86_CPU_GET_CLASS(obj) \
    CLASS_CAST(X86CPUClass, OBJECT(obj)->klass, TYPE_X86_CPU)

/*
 * Interrupt pins of a tcg CPU (kvm has its own, in the kernel).  gpio in
 * X86_CPU_INTR is INTR, a level; when the CPU takes it (IF set, outside
 * the shadow of sti and mov ss), the INTA cycle asks irq_ops->intack
 * for the vector.  NMI, INIT and start-up IPIs come from a local APIC.
 */
#define X86_CPU_INTR 0
/* gpio in X86_CPU_A20: the A20 gate (port 0x92 bit 1, the i8042's output
 * port bit 1), a level: 0 forces address bit 20 of every physical
 * address the CPU makes to 0 (env->a20_mask), as the 8086 wrapped at
 * 1 MiB; on tcg only (kvm does not mask it). */
#define X86_CPU_A20 1
/*
 * The x87's error pins, for CR0.NE clear (MS-DOS compatibility mode, on
 * tcg only): at a waiting x87 instruction (fwait, or an x87 or MMX
 * instruction that waits) with an unmasked exception pending (FSW.ES),
 * the CPU asserts gpio out 0, FERR#, and freezes before the instruction
 * until an interrupt comes, unless gpio in X86_CPU_IGNNE, IGNNE#, is
 * high: then it ignores the error and goes on.  FERR# drops when ES is
 * cleared.  A PC's chipset turns FERR# into IRQ 13 and asserts IGNNE# at
 * a write to port 0xf0 (hw/i386/pc-ferr.c); where FERR# is not connected
 * (microvm, as QEMU's) the error is ignored.
 */
#define X86_CPU_IGNNE 2
#define X86_CPU_FERR 0
#define CPU_INTERRUPT_NMI  CPU_INTERRUPT_TGT_0
#define CPU_INTERRUPT_INIT CPU_INTERRUPT_TGT_1
#define CPU_INTERRUPT_SIPI CPU_INTERRUPT_TGT_2
void x86_cpu_set_interrupt_ops(X86CPU *cpu, const X86InterruptOps *ops,
                               void *opaque);
/* A start-up IPI with vector: a CPU waiting for one starts at
 * vector << 12 in real mode. */
void x86_cpu_sipi(X86CPU *cpu, uint8_t vector);
/*
 * What the CPU does with the INIT and start-up IPIs its local APIC
 * raised (CPU_INTERRUPT_INIT, _SIPI), whichever accelerator runs it
 * with emu's APICs: INIT puts the registers as after power-on but for
 * the APIC base, and an AP then waits for a start-up IPI (the BSP
 * restarts at the reset vector); the start-up IPI starts a waiting AP
 * at its vector (false: it was not waiting).  The caller flushes what
 * its accelerator caches of the old state.
 */
bool x86_cpu_waits_for_sipi(const CPUX86State *env);
void x86_cpu_take_init(X86CPU *cpu);
bool x86_cpu_take_sipi(X86CPU *cpu);

/* FERR# follows FSW.ES down: called wherever ES may have been cleared
 * (fnclex, fninit, fldcw, fldenv, frstor, fxrstor, xrstor, and
 * x86_cpu_reset_state for reset and INIT). */
void x86_fpu_sync_ferr(X86CPU *cpu);

/* Architectural reset: real mode at F000:FFF0, as after power-on; the
 * BSP (cpu_index 0) runnable, the others waiting for INIT/SIPI. */
void x86_cpu_reset_state(X86CPU *cpu);

/* The "info registers" text of a CPU whose state is up to date. */
void x86_cpu_dump_state(CPUState *cpu, GString *out, int flags);

/* CPUID.01H:EAX for family, model and stepping. */
uint32_t x86_cpu_signature(unsigned family, unsigned model,
                           unsigned stepping);

/* The arithmetic flags of a lazy flags state (cc_helper.c). */
uint32_t x86_cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src,
                            uint64_t src2);
/* RFLAGS as the guest sees it, and setting it (all bits). */
uint64_t x86_cpu_get_eflags(const CPUX86State *env);
void x86_cpu_set_eflags(CPUX86State *env, uint64_t value);

/* The 512-byte FXSAVE image (64-bit layout: FIP and FDP 64 bits wide,
 * XMM0-15) of the x87/SSE state, and back (fpu_state.c): env->fx with
 * the reserved bytes cleared and the MXCSR mask tcg presents; kvm's
 * XSAVE area starts with it, and tcg's FXSAVE and XSAVE use it. */
/* XCR0's state components tcg has (x87, SSE), and the size of their
 * XSAVE area (the legacy region and the header). */
#define X86_XSTATE_X87 1u
#define X86_XSTATE_SSE 2u
#define X86_XSTATE_SUPPORTED (X86_XSTATE_X87 | X86_XSTATE_SSE)
#define X86_XSAVE_AREA_SIZE 576
#define X86_MXCSR_MASK 0xffffu   /* the MXCSR bits that may be set (DAZ) */
/* tcg: the MXCSR flags that the vCPU thread's MXCSR still holds back
 * into env->fx.mxcsr, and the host's MXCSR back (host_exec.c); nothing
 * on another thread or for another env.  Whatever reads or replaces
 * env->fx.mxcsr on a vCPU thread calls it first. */
void x86_mxcsr_sync(CPUX86State *env);
/* On a tcg vCPU thread, after x86_mxcsr_sync. */
void x86_fxsave_image(const CPUX86State *env, uint8_t *fx);
void x86_fxrstor_image(CPUX86State *env, const uint8_t *fx);
/* Only the x87 part of an image (FCW to FDP, ST0-7): MXCSR and the XMM
 * registers stay. */
void x86_fxrstor_image_x87(CPUX86State *env, const X86FXState *image);
/* Writes the x87 status word of a state; a new TOP moves the stack
 * order of st[] with it, so that the physical registers keep their
 * values (fninit, fldenv). */
void x86_fpu_set_fsw(X86FXState *fx, uint16_t fsw);
/* The full x87 tag word (two bits a physical register: valid 0, zero 1,
 * special 2, empty 3) as FSTENV stores it and gdb reads it, from the
 * abridged one FXSAVE keeps; and back, where only "empty or not"
 * survives. */
uint16_t x86_fpu_tag_word(const X86FXState *fx);
uint8_t x86_fpu_abridged_tags(uint16_t tag_word);

/* -cpu MODEL,OPTIONS: QEMU's feature flags, or QEMU's error. */
bool x86_cpu_parse_options(CPUState *cs, const char *options, Error **errp);
/* Whether any feature flag was given. */
bool x86_cpu_options_given(const X86CPU *cpu);
/* A feature word of the model (base) with the flags applied. */
uint32_t x86_cpu_apply_options(const X86CPU *cpu, FeatureWord w,
                               uint32_t base);
/* QEMU's "<who> doesn't support requested feature" for each bit. */
void x86_cpu_feature_warning(const char *who, FeatureWord w, uint32_t bits);
/* Fills cpu->features for tcg: the model, the flags, what tcg has. */
void x86_cpu_tcg_features(X86CPU *cpu);

/* "$rax" and friends in monitor expressions (target/i386/monitor.c). */
/* dump-guest-memory's notes (dump.c). */
int x86_cpu_elf_machine(CPUState *cs);
void x86_cpu_write_elf_notes(CPUState *cs, GByteArray *notes, int id,
                             bool late);
bool x86_cpu_monitor_get_register(CPUState *cs, const char *name,
                                  uint64_t *value);

#endif
