/*
 * The debugger's stops under kvm (AccelOps.insert_breakpoint and
 * friends), through KVM_SET_GUEST_DEBUG.
 *
 * - Software breakpoints are the architecture's trap instruction (x86:
 *   int3) written over the guest's code; with KVM_GUESTDBG_USE_SW_BP the
 *   trap leaves KVM_RUN instead of reaching the guest.  The gdb stub
 *   sets a breakpoint on every vCPU, but memory is one: the first
 *   insertion patches it, the last removal puts the original bytes
 *   back.  A trap at an address emu did not patch is the guest's own
 *   and is handed back to it.
 * - Hardware breakpoints and watchpoints go into the vCPU's debug
 *   registers (KVM_GUESTDBG_USE_HW_BP), as many as the architecture has
 *   and of the kinds and sizes it can watch; the rest is refused.
 * - Single-step is KVM_GUESTDBG_SINGLESTEP, with interrupts held off
 *   where the host can (KVM_GUESTDBG_BLOCKIRQ), as QEMU does.
 *
 * What changes is recorded with the machine stopped and handed to the
 * kernel by the vCPU thread before its next KVM_RUN (the vCPU's fd is
 * its own).  The architecture (KVMArchOps) knows the trap instruction,
 * the debug registers and what a KVM_EXIT_DEBUG means.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/accel.h"
#include "sysemu/runstate.h"
#include "accel/kvm/kvm-internal.h"

/* A trap instruction in guest memory, shared by the vCPUs that set it. */
typedef struct KVMSwBreakpoint {
    uint64_t addr;
    uint8_t saved[KVM_SW_BREAKPOINT_MAX];
    unsigned users;
} KVMSwBreakpoint;

static GArray *sw_breakpoints;   /* KVMSwBreakpoint */

static KVMSwBreakpoint *find_sw_breakpoint(uint64_t addr)
{
    for (guint i = 0; sw_breakpoints && i < sw_breakpoints->len; i++) {
        KVMSwBreakpoint *bp = &g_array_index(sw_breakpoints,
                                             KVMSwBreakpoint, i);

        if (bp->addr == addr) {
            return bp;
        }
    }
    return NULL;
}

bool kvm_guest_debug_supported(void)
{
    return kvm_arch_ops && kvm_arch_ops->sw_breakpoint_len &&
           kvm_check_extension(KVM_CAP_SET_GUEST_DEBUG) > 0;
}

static void mark_dirty(CPUState *cpu)
{
    KVMVCPU *v = cpu->accel;

    v->debug_dirty = true;
}

static bool insert_sw_breakpoint(CPUState *cpu, uint64_t addr, Error **errp)
{
    const KVMArchOps *arch = kvm_arch_ops;
    KVMVCPU *v = cpu->accel;
    KVMSwBreakpoint *bp = find_sw_breakpoint(addr);
    KVMSwBreakpoint fresh = { .addr = addr, .users = 1 };

    if (bp) {
        bp->users++;
    } else {
        if (!cpu_memory_rw_debug(cpu, addr, fresh.saved,
                                 arch->sw_breakpoint_len, false) ||
            !cpu_memory_rw_debug(cpu, addr,
                                 (uint8_t *)arch->sw_breakpoint_insn,
                                 arch->sw_breakpoint_len, true)) {
            error_setg(errp, "cannot write a breakpoint at 0x%" PRIx64,
                       addr);
            return false;
        }
        if (!sw_breakpoints) {
            sw_breakpoints = g_array_new(FALSE, FALSE,
                                         sizeof(KVMSwBreakpoint));
        }
        g_array_append_val(sw_breakpoints, fresh);
    }
    g_array_append_val(v->sw_breakpoints, addr);
    mark_dirty(cpu);
    return true;
}

static bool remove_sw_breakpoint(CPUState *cpu, uint64_t addr)
{
    KVMVCPU *v = cpu->accel;
    KVMSwBreakpoint *bp = find_sw_breakpoint(addr);
    guint i;

    for (i = 0; i < v->sw_breakpoints->len; i++) {
        if (g_array_index(v->sw_breakpoints, uint64_t, i) == addr) {
            break;
        }
    }
    if (!bp || i == v->sw_breakpoints->len) {
        return false;
    }
    g_array_remove_index_fast(v->sw_breakpoints, i);
    if (--bp->users == 0) {
        /* The guest's bytes back, unless its page has gone away (the
         * guest unmapped it: nothing runs from there any more). */
        cpu_memory_rw_debug(cpu, addr, bp->saved,
                            kvm_arch_ops->sw_breakpoint_len, true);
        g_array_remove_index_fast(sw_breakpoints,
                                  bp - &g_array_index(sw_breakpoints,
                                                      KVMSwBreakpoint, 0));
    }
    mark_dirty(cpu);
    return true;
}

bool kvm_insert_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len, Error **errp)
{
    KVMVCPU *v = cpu->accel;

    if (type == BP_SOFTWARE) {
        return insert_sw_breakpoint(cpu, addr, errp);
    }
    if (v->n_hw_points == kvm_arch_ops->max_hw_points) {
        error_setg(errp, "all %u debug registers are in use",
                   kvm_arch_ops->max_hw_points);
        return false;
    }
    if (!kvm_arch_ops->check_hw_point(type, addr, len, errp)) {
        return false;
    }
    v->hw_points[v->n_hw_points++] = (KVMHWPoint){ type, addr, len };
    mark_dirty(cpu);
    return true;
}

bool kvm_remove_breakpoint(CPUState *cpu, BreakpointType type,
                           uint64_t addr, uint64_t len)
{
    KVMVCPU *v = cpu->accel;

    if (type == BP_SOFTWARE) {
        return remove_sw_breakpoint(cpu, addr);
    }
    for (unsigned i = 0; i < v->n_hw_points; i++) {
        KVMHWPoint *p = &v->hw_points[i];

        if (p->type == type && p->addr == addr &&
            (type == BP_HARDWARE || p->len == len)) {
            memmove(p, p + 1, (v->n_hw_points - i - 1) * sizeof(*p));
            v->n_hw_points--;
            mark_dirty(cpu);
            return true;
        }
    }
    return false;
}

void kvm_remove_all_breakpoints(CPUState *cpu)
{
    KVMVCPU *v = cpu->accel;

    while (v->sw_breakpoints->len) {
        remove_sw_breakpoint(cpu, g_array_index(v->sw_breakpoints,
                                                uint64_t, 0));
    }
    v->n_hw_points = 0;
    mark_dirty(cpu);
}

void kvm_set_single_step(CPUState *cpu, bool enable)
{
    KVMVCPU *v = cpu->accel;

    if (v->single_step != enable) {
        v->single_step = enable;
        mark_dirty(cpu);
    }
}

/* On the vCPU thread before KVM_RUN: the stops as they are now, and an
 * exception that goes back to the guest (inject: the architecture's
 * KVM_GUESTDBG_INJECT_* flag, 0 for none). */
int kvm_update_guest_debug(CPUState *cpu, KVMVCPU *v, uint32_t inject)
{
    struct kvm_guest_debug dbg = { 0 };
    int ret;

    if (v->single_step) {
        dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
                       kvm_arch_ops->step_flags();
    }
    if (v->sw_breakpoints->len) {
        dbg.control |= KVM_GUESTDBG_ENABLE | kvm_arch_ops->sw_breakpoint_flag;
    }
    if (v->n_hw_points) {
        dbg.control |= KVM_GUESTDBG_ENABLE;
        kvm_arch_ops->set_hw_points(&dbg, v->hw_points, v->n_hw_points);
    }
    if (inject) {
        dbg.control |= KVM_GUESTDBG_ENABLE | inject;
    }
    ret = kvm_vcpu_ioctl(v, KVM_SET_GUEST_DEBUG, &dbg);
    if (ret < 0) {
        error_report("kvm: KVM_SET_GUEST_DEBUG failed on CPU %d: %s",
                     cpu->cpu_index, g_strerror(-ret));
        return ret;
    }
    v->debug_dirty = false;
    return 0;
}

/* A KVM_EXIT_DEBUG: a stop for the debugger (machine stopped with
 * RUN_STATE_DEBUG), or the guest's own trap, handed back to it. */
void kvm_handle_debug_exit(CPUState *cpu, KVMVCPU *v)
{
    CPUDebugStop stop = { .reason = CPU_DEBUG_NONE };
    uint64_t trap_pc = 0;
    uint32_t inject = 0;

    switch (kvm_arch_ops->decode_debug_exit(v, &stop, &trap_pc, &inject)) {
    case KVM_DEBUG_EXIT_SW_TRAP:
        if (find_sw_breakpoint(trap_pc)) {
            stop.reason = CPU_DEBUG_BREAKPOINT;
            break;
        }
        /* not a trap instruction emu wrote: the guest's own */
        /* fall through */
    case KVM_DEBUG_EXIT_GUEST:
        if (kvm_update_guest_debug(cpu, v, inject) < 0) {
            vm_stop_request(RUN_STATE_INTERNAL_ERROR);
        }
        return;
    case KVM_DEBUG_EXIT_STOP:
        break;
    }
    cpu->debug_stop = stop;
    vm_stop_request(RUN_STATE_DEBUG);
}

void kvm_debug_vcpu_init(KVMVCPU *v)
{
    v->sw_breakpoints = g_array_new(FALSE, FALSE, sizeof(uint64_t));
}
