/*
 * The accelerator seam.  An accelerator runs vCPUs: tcg translates guest
 * code, kvm hands it to the host CPU.  Each is an object ("tcg-accel",
 * "kvm-accel") whose properties are the "-accel NAME,key=value" options,
 * and whose class points at one const table of operations.
 *
 * An accelerator never knows which board it runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_ACCEL_H
#define SYSEMU_ACCEL_H

#include "qom/object.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"

#define TYPE_ACCEL "accel"
#define TYPE_ACCEL_SUFFIX "-accel"

typedef struct AccelState {
    Object parent_obj;
} AccelState;

typedef struct AccelOps {
    /* Whether it can run this emulator's guests on this host at all;
     * the error says why not (kvm for an ARM guest on an x86 host). */
    bool (*available)(Error **errp);
    /* Prepares a new machine (kvm: opens /dev/kvm, creates the VM and
     * starts listening to the memory map). */
    bool (*init_machine)(AccelState *accel, MachineState *ms, Error **errp);
    /* Creates and starts the thread that runs cpu. */
    bool (*create_vcpu_thread)(CPUState *cpu, Error **errp);
    /* Makes cpu leave guest code promptly (called with the lock held). */
    void (*kick_vcpu)(CPUState *cpu);
    /* Copies register state from the accelerator into cpu, so the
     * monitor or gdb stub can read it (may be a no-op). */
    void (*synchronize_state)(CPUState *cpu);
    /* Copies register state written by emu back (after a reset, a gdb
     * register write). */
    void (*synchronize_post_write)(CPUState *cpu);
    /*
     * The debugger's stops (gdbstub/), on one vCPU, called with the lock
     * held while the machine is stopped.  addr is a guest virtual
     * address; len is the watched size (breakpoints: the instruction's).
     * A vCPU that hits one sets cpu->debug_stop and stops the machine
     * with RUN_STATE_DEBUG.  remove returns false if there was no such
     * stop.  Single-step stops after one instruction (with interrupts
     * held off, as QEMU does); an exception it takes is part of it.
     */
    /* Whether this host gives them (kvm: KVM_CAP_SET_GUEST_DEBUG); NULL:
     * the functions below being there is enough. */
    bool (*guest_debug_supported)(void);
    bool (*insert_breakpoint)(CPUState *cpu, BreakpointType type,
                              uint64_t addr, uint64_t len, Error **errp);
    bool (*remove_breakpoint)(CPUState *cpu, BreakpointType type,
                              uint64_t addr, uint64_t len);
    /* Drops every breakpoint and watchpoint (the debugger detached). */
    void (*remove_all_breakpoints)(CPUState *cpu);
    void (*set_single_step)(CPUState *cpu, bool enable);
    /* The monitor's "singlestep on|off": translate one guest
     * instruction per block from now on (tcg's one-insn-per-tb). */
    void (*set_one_insn_per_tb)(AccelState *accel, bool enable);
    /* Whether the interrupt controllers and timers that x86 keeps in
     * the kernel (8259, 8254, local APICs, IOAPIC) come with the VM;
     * NULL: they do not, the board creates them as devices. */
    bool (*irqchip_in_kernel)(void);
} AccelOps;

typedef struct AccelClass {
    ObjectClass parent_class;
    const char *name;            /* "tcg", "kvm" */
    const AccelOps *ops;
} AccelClass;

#define ACCEL(obj) INSTANCE_CAST(AccelState, (obj), TYPE_ACCEL)
#define ACCEL_GET_CLASS(obj) \
    CLASS_CAST(AccelClass, OBJECT(obj)->klass, TYPE_ACCEL)
#define ACCEL_CLASS(klass) CLASS_CAST(AccelClass, (klass), TYPE_ACCEL)

AccelClass *accel_find(const char *name);
/* "Accelerators supported in emu binary:" and one name per line. */
void accel_print_list(GString *out);

/* The accelerator in use, set once the machine is created. */
extern AccelState *current_accel;
const AccelOps *accel_ops(void);
const char *accel_name(void);
/* What a board asks before creating its interrupt controllers (see
 * AccelOps.irqchip_in_kernel). */
bool accel_irqchip_in_kernel(void);

#endif
