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
#define EFLAGS_IF       (1u << 9)
#define EFLAGS_VM       (1u << 17)

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

typedef struct CPUX86State {
    uint64_t regs[16];
    uint64_t rip;
    uint64_t rflags;
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
    /* x87, SSE, AVX */
    uint16_t fpuc, fpus;
    uint8_t fptag;               /* abridged: bit i set = ST(i) in use */
    uint16_t fpop;
    uint64_t fpip, fpdp;
    uint64_t fpregs[8][2];       /* [0] mantissa, [1] sign and exponent */
    uint32_t mxcsr;
    uint64_t xmm[16][2];         /* [0] low, [1] high quadword */
    uint64_t ymmh[16][2];        /* upper halves of the YMM registers */
    uint64_t xcr0;
    /* MSRs the guest and the boot code use */
    uint64_t star, lstar, cstar, fmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t tsc;
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
} CPUX86State;

typedef struct X86CPU {
    CPUState parent_obj;
    CPUX86State env;
} X86CPU;

/* The CPUID feature words a model asks for. */
typedef enum FeatureWord {
    FEAT_1_EDX,                  /* CPUID.01H:EDX */
    FEAT_1_ECX,                  /* CPUID.01H:ECX */
    FEAT_7_0_EBX,                /* CPUID.(EAX=07H,ECX=0):EBX */
    FEAT_7_0_ECX,
    FEAT_7_0_EDX,
    FEAT_8000_0001_EDX,
    FEAT_8000_0001_ECX,
    FEATURE_WORDS,
} FeatureWord;

typedef struct FeatureWordInfo {
    uint32_t leaf, subleaf;
    int reg;                     /* R_EAX.. R_EDX */
    const char *names[32];       /* QEMU's feature names; NULL: unnamed */
} FeatureWordInfo;

extern const FeatureWordInfo feature_word_info[FEATURE_WORDS];

/* A model: a name for -cpu and the CPUID it presents. */
typedef struct X86CPUModel {
    const char *name;
    const char *desc;
    bool host_passthrough;       /* everything the accelerator supports */
    uint32_t level, xlevel;      /* highest basic and extended leaf */
    const char *vendor;          /* 12 characters */
    unsigned family, model, stepping;
    const char *model_id;        /* the brand string */
    uint32_t features[FEATURE_WORDS];
} X86CPUModel;

typedef struct X86CPUClass {
    CPUClass parent_class;
    const X86CPUModel *model;
} X86CPUClass;

#define X86_CPU(obj) INSTANCE_CAST(X86CPU, (obj), TYPE_X86_CPU)
#define X86_CPU_GET_CLASS(obj) \
    CLASS_CAST(X86CPUClass, OBJECT(obj)->klass, TYPE_X86_CPU)

/* Architectural reset: real mode at F000:FFF0, as after power-on; the
 * BSP (cpu_index 0) runnable, the others waiting for INIT/SIPI. */
void x86_cpu_reset_state(X86CPU *cpu);

/* The "info registers" text of a CPU whose state is up to date. */
void x86_cpu_dump_state(CPUState *cpu, GString *out);

/* CPUID.01H:EAX for family, model and stepping. */
uint32_t x86_cpu_signature(unsigned family, unsigned model,
                           unsigned stepping);

/* "$rax" and friends in monitor expressions (target/i386/monitor.c). */
bool x86_cpu_monitor_get_register(CPUState *cs, const char *name,
                                  uint64_t *value);

#endif
