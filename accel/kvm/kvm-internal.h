/*
 * Shared between the arch-neutral kvm accelerator (accel/kvm/) and the
 * architecture part of a target (target/<arch>/kvm.c): the VM and vCPU
 * descriptors, and the small interface through which kvm-all.c and
 * kvm-cpus.c reach what only the architecture knows (interrupt
 * controllers, register layout, CPUID).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ACCEL_KVM_INTERNAL_H
#define ACCEL_KVM_INTERNAL_H

#include "util/osdep.h"
#include <pthread.h>
#include <linux/kvm.h>
#include "hw/core/cpu.h"

/* How the register copy in the target's CPU state relates to the vCPU. */
typedef enum KVMSync {
    KVM_SYNC_STALE,   /* the vCPU ran since: fetch before reading */
    KVM_SYNC_CLEAN,   /* both agree */
    KVM_SYNC_DIRTY,   /* written by emu (reset, debugger): push before run */
} KVMSync;

typedef struct KVMWork KVMWork;

/* The longest trap instruction an architecture patches in for a
 * software breakpoint. */
#define KVM_SW_BREAKPOINT_MAX 4
/* Debug registers of any architecture emu runs under kvm (x86: 4). */
#define KVM_HW_POINTS_MAX 4

/* A hardware breakpoint or watchpoint in a vCPU's debug registers. */
typedef struct KVMHWPoint {
    BreakpointType type;         /* BP_HARDWARE or a BP_WATCH_* */
    uint64_t addr;
    uint64_t len;
} KVMHWPoint;

/* What a KVM_EXIT_DEBUG was (KVMArchOps.decode_debug_exit). */
typedef enum KVMDebugExit {
    KVM_DEBUG_EXIT_SW_TRAP,      /* a trap instruction: emu's if it wrote
                                  * one there, else the guest's */
    KVM_DEBUG_EXIT_STOP,         /* a step or hardware point: a stop */
    KVM_DEBUG_EXIT_GUEST,        /* the guest's own debug exception */
} KVMDebugExit;

/* Per-vCPU state, hung on CPUState.accel. */
typedef struct KVMVCPU {
    CPUState *cpu;
    int fd;
    struct kvm_run *run;
    size_t run_size;
    pthread_t tid;
    bool tid_valid;              /* the thread has recorded tid */
    bool in_run;                 /* between leaving the lock and KVM_RUN's
                                  * return: its fd is busy */
    KVMSync sync;
    GSList *work;                /* KVMWork *, for the vCPU thread */
    GCond work_cond;             /* a work item is done */
    /* The debugger's stops (kvm-debug.c) */
    GArray *sw_breakpoints;      /* uint64_t addresses set on this vCPU */
    KVMHWPoint hw_points[KVM_HW_POINTS_MAX];
    unsigned n_hw_points;
    bool single_step;
    bool debug_dirty;            /* changed: KVM_SET_GUEST_DEBUG due */
} KVMVCPU;

/*
 * What the architecture provides.  All run with the big lock held; the
 * register functions on the vCPU's own thread or while it is parked.
 */
typedef struct KVMArchOps {
    /* After KVM_CREATE_VM: interrupt controllers and timers in the
     * kernel unless !irqchip (-machine kernel-irqchip=off: the board
     * then creates emu's own), real-mode helpers.  Errors name the
     * missing capability. */
    bool (*init_vm)(bool irqchip, Error **errp);
    /* Whether kvm_irqchip_gsi lines go to an in-kernel controller. */
    bool (*has_irqchip)(void);
    /*
     * With the lock held, on the vCPU thread; vcpu_runnable and post_run
     * only without an in-kernel irqchip, pre_run always (with one, only
     * its NMI applies).  vcpu_runnable: before anything else of an iteration,
     * takes INIT and start-up IPIs from emu's local APIC and says
     * whether the vCPU may enter the guest (not while halted with
     * nothing to wake it, nor while an AP waits for a start-up IPI);
     * false: the thread sleeps until the vCPU is kicked.  pre_run: just
     * before KVM_RUN, once the registers are pushed, injects an NMI and
     * an external interrupt (KVM_INTERRUPT) when the guest can take it,
     * else asks for an exit when it can (request_interrupt_window);
     * hands the TPR over as CR8.  post_run: after every KVM_RUN, takes
     * back what the controllers read of the CPU (IF, CR8, APIC base).
     */
    bool (*vcpu_runnable)(CPUState *cpu, KVMVCPU *v);
    void (*pre_run)(CPUState *cpu, KVMVCPU *v);
    void (*post_run)(CPUState *cpu, KVMVCPU *v);
    /* x86: GSI 0 to IOAPIC pin 2 (kvm_irqchip_route_irq0_to_pin2). */
    bool (*route_irq0_to_pin2)(Error **errp);
    /* After KVM_CREATE_VCPU: CPUID and whatever must precede KVM_RUN. */
    bool (*init_vcpu)(CPUState *cpu, KVMVCPU *v, Error **errp);
    /* Fetch all state into the target's CPU state, or push it; return
     * 0 or a negative errno, having reported what failed. */
    int (*get_registers)(CPUState *cpu, KVMVCPU *v);
    int (*put_registers)(CPUState *cpu, KVMVCPU *v);
    /*
     * Guest debugging (kvm-debug.c); sw_breakpoint_len 0: none.  The
     * trap instruction a software breakpoint writes and the control
     * flag that makes it leave KVM_RUN; the number of debug registers;
     * whether one can hold a point of this kind and size (errp: why
     * not); filling struct kvm_guest_debug's arch part with them;
     * control flags a single-step adds (interrupts held off).
     */
    const uint8_t *sw_breakpoint_insn;
    unsigned sw_breakpoint_len;
    uint32_t sw_breakpoint_flag;
    unsigned max_hw_points;
    bool (*check_hw_point)(BreakpointType type, uint64_t addr, uint64_t len,
                           Error **errp);
    void (*set_hw_points)(struct kvm_guest_debug *dbg,
                          const KVMHWPoint *points, unsigned n);
    uint32_t (*step_flags)(void);
    /* What the KVM_EXIT_DEBUG in v->run was: for KVM_DEBUG_EXIT_SW_TRAP the
     * trap's address (*trap_pc), for KVM_DEBUG_EXIT_STOP the stop (*stop);
     * *inject: the KVM_GUESTDBG_INJECT_* flag that hands the exception
     * back to the guest. */
    KVMDebugExit (*decode_debug_exit)(KVMVCPU *v, CPUDebugStop *stop,
                                      uint64_t *trap_pc, uint32_t *inject);
} KVMArchOps;

/* Set by the target from a constructor; NULL for targets kvm cannot run. */
extern const KVMArchOps *kvm_arch_ops;

/* ---- kvm-all.c, for the arch part and kvm-cpus.c ---- */

/* ioctl on /dev/kvm, the VM, or a vCPU; -errno on failure. */
int kvm_ioctl(unsigned long request, void *arg);
int kvm_vm_ioctl(unsigned long request, void *arg);
int kvm_vcpu_ioctl(KVMVCPU *v, unsigned long request, void *arg);
/* KVM_CHECK_EXTENSION on the VM (falling back to /dev/kvm): 0 if absent. */
int kvm_check_extension(int cap);
int kvm_vcpu_mmap_size(void);

/* ---- kvm-cpus.c, for kvm-all.c ---- */

bool kvm_create_vcpu_thread(CPUState *cpu, Error **errp);
void kvm_kick_vcpu(CPUState *cpu);
void kvm_cpu_synchronize_state(CPUState *cpu);
void kvm_cpu_synchronize_post_write(CPUState *cpu);
/* Installs the kick signal's handler (once, at machine init). */
void kvm_init_kick_signal(void);

/* ---- kvm-debug.c: the debugger's stops ---- */

/* Whether the host and the architecture give the debugger breakpoints,
 * watchpoints and single-step (KVM_CAP_SET_GUEST_DEBUG). */
bool kvm_guest_debug_supported(void);
bool kvm_insert_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len, Error **errp);
bool kvm_remove_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len);
void kvm_remove_all_breakpoints(CPUState *cpu);
void kvm_set_single_step(CPUState *cpu, bool enable);
/* For the vCPU thread: a new vCPU's lists; pushing the stops before
 * KVM_RUN (0 or -errno, reported); a KVM_EXIT_DEBUG. */
void kvm_debug_vcpu_init(KVMVCPU *v);
int kvm_update_guest_debug(CPUState *cpu, KVMVCPU *v, uint32_t inject);
void kvm_handle_debug_exit(CPUState *cpu, KVMVCPU *v);

#endif
