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
} KVMVCPU;

/*
 * What the architecture provides.  All run with the big lock held; the
 * register functions on the vCPU's own thread or while it is parked.
 */
typedef struct KVMArchOps {
    /* After KVM_CREATE_VM: interrupt controllers, timers, real-mode
     * helpers.  Errors name the missing capability. */
    bool (*init_vm)(Error **errp);
    /* Whether kvm_irqchip_gsi lines go to an in-kernel controller. */
    bool (*has_irqchip)(void);
    /* After KVM_CREATE_VCPU: CPUID and whatever must precede KVM_RUN. */
    bool (*init_vcpu)(CPUState *cpu, KVMVCPU *v, Error **errp);
    /* Fetch all state into the target's CPU state, or push it; return
     * 0 or a negative errno, having reported what failed. */
    int (*get_registers)(CPUState *cpu, KVMVCPU *v);
    int (*put_registers)(CPUState *cpu, KVMVCPU *v);
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

#endif
