/*
 * kvm vCPU threads: one host thread per vCPU loops on KVM_RUN and
 * dispatches each exit (port I/O, MMIO, halt, shutdown, errors) in one
 * switch, handing I/O to the memory API with the big lock held.
 *
 * Kicks: a vCPU leaves KVM_RUN when emu sets kvm_run->immediate_exit
 * (covers the window before it enters) and sends SIG_IPI to its thread
 * (interrupts a running KVM_RUN with EINTR).
 *
 * Register state is synchronised lazily: it is fetched only when
 * somebody asks (the monitor, a debugger, an error report) and pushed
 * only when emu wrote it (reset).  vCPU ioctls block while KVM_RUN runs
 * on the same vCPU, so other threads hand such work to the vCPU thread
 * (kvm_run_on_vcpu) unless it is parked outside KVM_RUN.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "sysemu/accel.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "softmmu/memory.h"
#include "accel/kvm/kvm-internal.h"

#define SIG_IPI SIGUSR1

struct KVMWork {
    void (*fn)(CPUState *cpu, KVMVCPU *v);
    bool done;
};

static void kvm_ipi_handler(int sig)
{
    /* Nothing to do: the signal's only job is to end KVM_RUN with EINTR. */
}

void kvm_init_kick_signal(void)
{
    struct sigaction sa = { .sa_handler = kvm_ipi_handler };

    sigemptyset(&sa.sa_mask);
    /* Restart host syscalls of device code; KVM_RUN returns EINTR anyway. */
    sa.sa_flags = SA_RESTART;
    sigaction(SIG_IPI, &sa, NULL);
}

void kvm_kick_vcpu(CPUState *cpu)
{
    KVMVCPU *v = cpu->accel;

    if (!v) {
        return;
    }
    __atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    if (v->tid_valid && v->in_run && !pthread_equal(v->tid, pthread_self())) {
        pthread_kill(v->tid, SIG_IPI);
    }
}

/*
 * Runs fn with the vCPU's fd free: at once when called on the vCPU's own
 * thread or while the vCPU is parked outside KVM_RUN (the lock we hold
 * keeps it there), otherwise on the vCPU thread after a kick.
 */
static void kvm_run_on_vcpu(CPUState *cpu,
                            void (*fn)(CPUState *cpu, KVMVCPU *v))
{
    KVMVCPU *v = cpu->accel;
    KVMWork work = { .fn = fn };

    if (current_cpu == cpu || !v->in_run) {
        fn(cpu, v);
        return;
    }
    v->work = g_slist_append(v->work, &work);
    kvm_kick_vcpu(cpu);
    while (!work.done) {
        bql_cond_wait(&v->work_cond);
    }
}

static void kvm_process_work(CPUState *cpu, KVMVCPU *v)
{
    if (!v->work) {
        return;
    }
    while (v->work) {
        KVMWork *work = v->work->data;

        v->work = g_slist_delete_link(v->work, v->work);
        work->fn(cpu, v);
        work->done = true;
    }
    g_cond_broadcast(&v->work_cond);
}

static void kvm_do_get_registers(CPUState *cpu, KVMVCPU *v)
{
    if (v->sync == KVM_SYNC_STALE &&
        kvm_arch_ops->get_registers(cpu, v) == 0) {
        v->sync = KVM_SYNC_CLEAN;
    }
}

void kvm_cpu_synchronize_state(CPUState *cpu)
{
    KVMVCPU *v = cpu->accel;

    /* Before its vCPU exists, the CPU state is all there is. */
    if (v && v->sync == KVM_SYNC_STALE) {
        kvm_run_on_vcpu(cpu, kvm_do_get_registers);
    }
}

void kvm_cpu_synchronize_post_write(CPUState *cpu)
{
    KVMVCPU *v = cpu->accel;

    if (!v) {
        return;
    }
    v->sync = KVM_SYNC_DIRTY;
    if (v->in_run) {
        /* A running vCPU picks the new state up on its next entry. */
        kvm_kick_vcpu(cpu);
    } else if (kvm_arch_ops->put_registers(cpu, v) == 0) {
        /*
         * A parked vCPU gets it now: after a reset the other vCPUs may
         * run before this thread does, and an INIT or SIPI they send
         * must not be overwritten by a late push of the reset state.
         */
        v->sync = KVM_SYNC_STALE;
    }
}

/* The reset state, in the kernel before any vCPU runs (see above). */
static bool kvm_push_initial_state(CPUState *cpu, KVMVCPU *v, Error **errp)
{
    int ret = kvm_arch_ops->put_registers(cpu, v);

    if (ret < 0) {
        error_setg(errp, "kvm: cannot set the registers of vCPU %d: %s",
                   cpu->cpu_index, g_strerror(-ret));
        return false;
    }
    v->sync = KVM_SYNC_STALE;
    return true;
}

static void kvm_dump_registers(CPUState *cpu, KVMVCPU *v)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);
    g_autoptr(GString) out = g_string_new(NULL);

    kvm_do_get_registers(cpu, v);
    if (cc->dump_state) {
        cc->dump_state(cpu, out, 0);
    }
    fputs(out->str, stderr);
}

static const char *kvm_suberror_name(uint32_t suberror)
{
    switch (suberror) {
    case KVM_INTERNAL_ERROR_EMULATION:
        return "emulation failure";
    case KVM_INTERNAL_ERROR_SIMUL_EX:
        return "simultaneous exceptions";
    case KVM_INTERNAL_ERROR_DELIVERY_EV:
        return "exception while delivering an event";
    case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
        return "unexpected exit reason";
    default:
        return "unknown";
    }
}

/* Port I/O, one access per element of a string instruction. */
static void kvm_handle_io(struct kvm_run *run)
{
    uint8_t *data = (uint8_t *)run + run->io.data_offset;

    for (uint32_t i = 0; i < run->io.count; i++, data += run->io.size) {
        if (run->io.direction == KVM_EXIT_IO_OUT) {
            address_space_st(&address_space_io, run->io.port, run->io.size,
                             ldn_le_p(data, run->io.size));
        } else {
            stn_le_p(data, run->io.size,
                     ioport_read(run->io.port, run->io.size));
        }
    }
}

static void kvm_handle_mmio(struct kvm_run *run)
{
    hwaddr addr = run->mmio.phys_addr;
    unsigned len = run->mmio.len;
    uint64_t value = 0;

    if (len == 1 || len == 2 || len == 4 || len == 8) {
        if (run->mmio.is_write) {
            address_space_st(&address_space_memory, addr, len,
                             ldn_le_p(run->mmio.data, len));
        } else {
            address_space_ld(&address_space_memory, addr, len, &value);
            stn_le_p(run->mmio.data, len, value);
        }
    } else if (run->mmio.is_write) {
        address_space_write(&address_space_memory, addr, run->mmio.data, len);
    } else {
        address_space_read(&address_space_memory, addr, run->mmio.data, len);
    }
}

/* Handles one exit of KVM_RUN; called with the lock held. */
static void kvm_handle_exit(CPUState *cpu, KVMVCPU *v)
{
    struct kvm_run *run = v->run;

    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        kvm_handle_io(run);
        break;
    case KVM_EXIT_MMIO:
        kvm_handle_mmio(run);
        break;
    case KVM_EXIT_HLT:
        /* Only without an in-kernel irqchip: sleep until an interrupt
         * (KVMArchOps.vcpu_runnable). */
        cpu->halted = true;
        break;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        /* The guest can take the interrupt pre_run held back. */
        break;
    case KVM_EXIT_SHUTDOWN:
        /* A triple fault: the vCPU cannot go on until the reset. */
        cpu->stop = true;
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    case KVM_EXIT_SYSTEM_EVENT:
        switch (run->system_event.type) {
        case KVM_SYSTEM_EVENT_SHUTDOWN:
            cpu->stop = true;
            system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
            break;
        case KVM_SYSTEM_EVENT_RESET:
            cpu->stop = true;
            system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
            break;
        case KVM_SYSTEM_EVENT_CRASH:
            error_report("kvm: the guest reported a crash on CPU %d",
                         cpu->cpu_index);
            kvm_dump_registers(cpu, v);
            vm_stop_request(RUN_STATE_INTERNAL_ERROR);
            break;
        default:
            error_report("kvm: unhandled system event %u on CPU %d",
                         run->system_event.type, cpu->cpu_index);
            vm_stop_request(RUN_STATE_INTERNAL_ERROR);
            break;
        }
        break;
    case KVM_EXIT_DEBUG:
        kvm_handle_debug_exit(cpu, v);
        break;
    case KVM_EXIT_INTERNAL_ERROR:
        fprintf(stderr, "KVM internal error. Suberror: %u (%s)\n",
                run->internal.suberror,
                kvm_suberror_name(run->internal.suberror));
        for (uint32_t i = 0; i < run->internal.ndata &&
                             i < ARRAY_SIZE(run->internal.data); i++) {
            fprintf(stderr, "extra data[%u]: 0x%016" PRIx64 "\n", i,
                    (uint64_t)run->internal.data[i]);
        }
        kvm_dump_registers(cpu, v);
        vm_stop_request(RUN_STATE_INTERNAL_ERROR);
        break;
    case KVM_EXIT_FAIL_ENTRY:
        fprintf(stderr, "KVM: entry failed, hardware error 0x%" PRIx64 "\n",
                (uint64_t)run->fail_entry.hardware_entry_failure_reason);
        kvm_dump_registers(cpu, v);
        vm_stop_request(RUN_STATE_INTERNAL_ERROR);
        break;
    case KVM_EXIT_INTR:
        break;
    default:
        error_report("kvm: unhandled exit reason %u on CPU %d",
                     run->exit_reason, cpu->cpu_index);
        kvm_dump_registers(cpu, v);
        vm_stop_request(RUN_STATE_INTERNAL_ERROR);
        break;
    }
}

static gpointer kvm_vcpu_thread_fn(gpointer opaque)
{
    CPUState *cpu = opaque;
    KVMVCPU *v = cpu->accel;

    current_cpu = cpu;
    bql_lock();
    v->tid = pthread_self();
    v->tid_valid = true;
    cpu_thread_created(cpu);
    /* vCPU threads run until emu exits. */
    for (;;) {
        bool user_irqchip = !kvm_arch_ops->has_irqchip();
        int ret;

        kvm_process_work(cpu, v);
        if (cpu->stop || cpu->stopped) {
            cpu_wait_while_stopped(cpu);
            continue;
        }
        if (user_irqchip && !kvm_arch_ops->vcpu_runnable(cpu, v)) {
            bql_cond_wait(&cpu->halt_cond);
            continue;
        }
        if (v->sync == KVM_SYNC_DIRTY &&
            kvm_arch_ops->put_registers(cpu, v) < 0) {
            vm_stop_request(RUN_STATE_INTERNAL_ERROR);
            continue;
        }
        v->sync = KVM_SYNC_STALE;
        if (v->debug_dirty && kvm_update_guest_debug(cpu, v, 0) < 0) {
            vm_stop_request(RUN_STATE_INTERNAL_ERROR);
            continue;
        }
        kvm_arch_ops->pre_run(cpu, v);
        /* Kicks from here on (they hold the lock) end the next KVM_RUN. */
        v->run->immediate_exit = 0;
        v->in_run = true;
        bql_unlock();
        ret = ioctl(v->fd, KVM_RUN, 0);
        ret = ret < 0 ? -errno : ret;
        bql_lock();
        v->in_run = false;
        /* kvm fills kvm_run's state on every return, EINTR too. */
        if (user_irqchip) {
            kvm_arch_ops->post_run(cpu, v);
        }
        if (ret == -EINTR || ret == -EAGAIN) {
            continue;
        }
        if (ret < 0) {
            error_report("kvm: KVM_RUN failed on CPU %d: %s", cpu->cpu_index,
                         g_strerror(-ret));
            kvm_dump_registers(cpu, v);
            vm_stop_request(RUN_STATE_INTERNAL_ERROR);
            continue;
        }
        kvm_handle_exit(cpu, v);
    }
    g_assert_not_reached();
}

bool kvm_create_vcpu_thread(CPUState *cpu, Error **errp)
{
    KVMVCPU *v;
    g_autofree char *name = NULL;
    int fd, size;

    if (!kvm_arch_ops) {
        error_setg(errp, "kvm cannot run a '%s': this build has no kvm "
                   "support for its architecture",
                   object_get_typename(OBJECT(cpu)));
        return false;
    }
    fd = kvm_vm_ioctl(KVM_CREATE_VCPU, GINT_TO_POINTER(cpu->cpu_index));
    if (fd < 0) {
        error_setg(errp, "kvm: cannot create vCPU %d: %s", cpu->cpu_index,
                   g_strerror(-fd));
        return false;
    }
    size = kvm_vcpu_mmap_size();
    if (size < (int)sizeof(struct kvm_run)) {
        error_setg(errp, "kvm: KVM_GET_VCPU_MMAP_SIZE failed: %s",
                   g_strerror(size < 0 ? -size : EINVAL));
        close(fd);
        return false;
    }
    v = g_new0(KVMVCPU, 1);
    v->cpu = cpu;
    v->fd = fd;
    v->run_size = size;
    v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (v->run == MAP_FAILED) {
        error_setg_errno(errp, errno, "kvm: cannot map vCPU %d's kvm_run",
                         cpu->cpu_index);
        close(fd);
        g_free(v);
        return false;
    }
    g_cond_init(&v->work_cond);
    kvm_debug_vcpu_init(v);
    cpu->accel = v;
    if (!kvm_arch_ops->init_vcpu(cpu, v, errp) ||
        !kvm_push_initial_state(cpu, v, errp)) {
        cpu->accel = NULL;
        munmap(v->run, v->run_size);
        close(fd);
        g_cond_clear(&v->work_cond);
        g_array_free(v->sw_breakpoints, TRUE);
        g_free(v);
        return false;
    }
    name = g_strdup_printf("CPU %d/KVM", cpu->cpu_index);
    cpu->thread = g_thread_new(name, kvm_vcpu_thread_fn, cpu);
    return true;
}
