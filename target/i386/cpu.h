/*
 * The x86-64 CPU: architectural state, models, and what boards and the
 * accelerators need from it.  The state is the accelerator-neutral copy:
 * kvm copies it from and to the kernel lazily (see AccelOps
 * synchronize_state / synchronize_post_write).
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
#define DESC_S_MASK     (1u << 12)
#define DESC_DPL_SHIFT  13
#define DESC_P_MASK     (1u << 15)
#define DESC_AVL_MASK   (1u << 20)
#define DESC_L_MASK     (1u << 21)   /* 64-bit code segment */
#define DESC_B_MASK     (1u << 22)   /* 32-bit default size */
#define DESC_G_MASK     (1u << 23)

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
    uint64_t dr[8];
    /* FPU/SSE, enough for "info registers" and a round trip */
    uint16_t fpuc, fpus, fptag;
    uint64_t fpregs[8][2];       /* 80-bit values in 16-byte slots */
    uint32_t mxcsr;
    uint64_t xmm[16][2];
    /* MSRs the guest and the boot code use */
    uint64_t star, lstar, cstar, fmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t tsc;
    uint64_t pat;
    /* Event state kept across a register round trip */
    bool halted;
    uint32_t apic_id;
} CPUX86State;

typedef struct X86CPU {
    CPUState parent_obj;
    CPUX86State env;
    /* Set by the accelerator: the state in env is older than the vCPU's
     * and must be fetched before use (synchronize_state). */
    bool state_stale;
} X86CPU;

/* A model: a name for -cpu and the CPUID feature words it asks for. */
typedef struct X86CPUModel {
    const char *name;
    const char *desc;
} X86CPUModel;

#define X86_CPU(obj) INSTANCE_CAST(X86CPU, (obj), TYPE_X86_CPU)

/* Architectural reset: real mode at F000:FFF0, as after power-on. */
void x86_cpu_reset_state(X86CPU *cpu);

#endif
