/*
 * The kvm accelerator: the VM file descriptor and guest memory slots.
 *
 * Guest RAM is handed to KVM as memory slots that follow the flat view of
 * the system address space through a listener: RAM as read-write slots,
 * ROM as read-only slots (guest writes exit as MMIO and are dropped by
 * the dispatcher), ROM devices as slots while in ROMD mode and as MMIO
 * otherwise.  The vCPU threads live in kvm-cpus.c; what only the guest
 * architecture knows (interrupt controllers, registers, CPUID) sits
 * behind KVMArchOps (kvm-internal.h), registered by the target.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>
#include "sysemu/accel.h"
#include "sysemu/kvm.h"
#include "sysemu/target.h"
#include "accel/kvm/kvm-internal.h"

#define KVM_DEVICE "/dev/kvm"

typedef struct KVMSlot {
    bool used;
    hwaddr start;
    uint64_t size;
    void *host;
    bool readonly;
} KVMSlot;

typedef struct KVMState {
    AccelState parent_obj;
    int fd;
    int vm_fd;
    KVMSlot *slots;
    int nr_slots;
    bool readonly_mem;
    MemoryListener listener;
    GHashTable *gsi_lines;       /* gsi -> KVMIRQLine */
    int kernel_irqchip;          /* KVMKernelIRQChip, kernel-irqchip= */
} KVMState;

/* -accel kvm,kernel-irqchip= (-machine kernel-irqchip= in QEMU's
 * spelling): which interrupt controllers the kernel keeps. */
typedef enum KVMKernelIRQChip {
    KVM_KERNEL_IRQCHIP_ON,       /* all of them (and the PIT) */
    KVM_KERNEL_IRQCHIP_OFF,      /* none: emu's devices, as on tcg */
    KVM_KERNEL_IRQCHIP_SPLIT,    /* the local APICs only: not yet */
} KVMKernelIRQChip;

static const char *const kernel_irqchip_names[] = { "on", "off", "split",
                                                     NULL };

/* An input of the in-kernel interrupt controller. */
typedef struct KVMIRQLine {
    IRQLine *line;
    int level;
} KVMIRQLine;

const KVMArchOps *kvm_arch_ops;

/* The VM, once init_machine has created it. */
static KVMState *kvm_state;

#define KVM_STATE(obj) INSTANCE_CAST(KVMState, (obj), "kvm" TYPE_ACCEL_SUFFIX)

/* Capabilities emu cannot work without, with the names users can search. */
static const struct {
    int cap;
    const char *name;
} kvm_required_caps[] = {
    { KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
    { KVM_CAP_DESTROY_MEMORY_REGION_WORKS,
      "KVM_CAP_DESTROY_MEMORY_REGION_WORKS" },
    { KVM_CAP_JOIN_MEMORY_REGIONS_WORKS, "KVM_CAP_JOIN_MEMORY_REGIONS_WORKS" },
    { KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
};

static bool kvm_available(Error **errp)
{
    if (!target_info.kvm_on_this_host) {
        error_setg(errp, "kvm cannot run %s guests on this host: KVM runs "
                   "guests of the host's own architecture only",
                   target_info.arch);
        error_append_hint(errp, "Use -accel tcg to emulate %s.\n",
                          target_info.arch);
        return false;
    }
    return true;
}

static int kvm_fd_ioctl(int fd, unsigned long request, void *arg)
{
    int ret;

    do {
        ret = ioctl(fd, request, arg);
    } while (ret < 0 && errno == EINTR);
    return ret < 0 ? -errno : ret;
}

int kvm_ioctl(unsigned long request, void *arg)
{
    return kvm_fd_ioctl(kvm_state->fd, request, arg);
}

int kvm_vm_ioctl(unsigned long request, void *arg)
{
    return kvm_fd_ioctl(kvm_state->vm_fd, request, arg);
}

int kvm_vcpu_ioctl(KVMVCPU *v, unsigned long request, void *arg)
{
    return kvm_fd_ioctl(v->fd, request, arg);
}

static int kvm_check_extension_on(KVMState *s, int cap)
{
    int ret = -1;

    /* The VM's answer is the precise one (KVM_CAP_CHECK_EXTENSION_VM). */
    if (s->vm_fd >= 0) {
        ret = ioctl(s->vm_fd, KVM_CHECK_EXTENSION, cap);
    }
    if (ret < 0) {
        ret = ioctl(s->fd, KVM_CHECK_EXTENSION, cap);
    }
    return ret < 0 ? 0 : ret;
}

int kvm_check_extension(int cap)
{
    /* Before the VM exists nothing is known (-gdb on a machine that
     * did not start) */
    if (!kvm_state) {
        return 0;
    }
    return kvm_check_extension_on(kvm_state, cap);
}

int kvm_vcpu_mmap_size(void)
{
    return kvm_ioctl(KVM_GET_VCPU_MMAP_SIZE, NULL);
}

bool kvm_enabled(void)
{
    return kvm_state != NULL;
}

bool kvm_present(void)
{
    return target_info.kvm_on_this_host;
}

static void kvm_irq_line_set(void *opaque, int gsi, int level)
{
    KVMIRQLine *kl = opaque;
    struct kvm_irq_level irq = { .irq = gsi, .level = level };
    int ret;

    /* Devices repeat levels; the controller only cares about changes. */
    if (level == kl->level) {
        return;
    }
    kl->level = level;
    ret = kvm_vm_ioctl(KVM_IRQ_LINE, &irq);
    if (ret < 0) {
        error_report("kvm: cannot set GSI %d to %d: %s", gsi, level,
                     g_strerror(-ret));
    }
}

static bool kvm_irqchip_in_kernel(void)
{
    return kvm_state && kvm_arch_ops && kvm_arch_ops->has_irqchip();
}

IRQLine *kvm_irqchip_gsi(int gsi)
{
    KVMIRQLine *kl;

    if (!kvm_irqchip_in_kernel()) {
        return NULL;
    }
    kl = g_hash_table_lookup(kvm_state->gsi_lines, GINT_TO_POINTER(gsi));
    if (!kl) {
        kl = g_new0(KVMIRQLine, 1);
        kl->line = irq_line_new(kvm_irq_line_set, kl, gsi);
        g_hash_table_insert(kvm_state->gsi_lines, GINT_TO_POINTER(gsi), kl);
    }
    return kl->line;
}

bool kvm_irqchip_route_irq0_to_pin2(Error **errp)
{
    if (!kvm_irqchip_in_kernel() || !kvm_arch_ops->route_irq0_to_pin2) {
        return true;
    }
    return kvm_arch_ops->route_irq0_to_pin2(errp);
}

bool kvm_irqchip_send_msi(uint64_t addr, uint32_t data)
{
    struct kvm_msi msi = {
        .address_lo = (uint32_t)addr,
        .address_hi = addr >> 32,
        .data = data,
    };
    int ret;

    if (!kvm_irqchip_in_kernel()) {
        return false;
    }
    /* 0: the destination took no interrupt (masked or absent APICs), as
     * a write nobody claims on the bus; that is the guest's business. */
    ret = kvm_vm_ioctl(KVM_SIGNAL_MSI, &msi);
    if (ret < 0) {
        error_report("kvm: cannot deliver the MSI 0x%08x at 0x%" PRIx64
                     ": %s", data, addr, g_strerror(-ret));
        return false;
    }
    return true;
}

static bool kvm_open_device(int *fd_out, Error **errp)
{
    int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
    int version;

    if (fd < 0) {
        int err = errno;

        /* QEMU's two lines, word for word (the first is its kvm_init's
         * own fprintf) */
        fprintf(stderr, "Could not access KVM kernel module: %s\n",
                g_strerror(err));
        error_setg(errp, "failed to initialize kvm: %s", g_strerror(err));
        return false;
    }
    version = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        error_setg(errp, "kvm: %s speaks API version %d, emu needs %d",
                   KVM_DEVICE, version, KVM_API_VERSION);
        close(fd);
        return false;
    }
    *fd_out = fd;
    return true;
}

static int kvm_set_slot(KVMState *s, int index, KVMSlot *slot)
{
    struct kvm_userspace_memory_region region = {
        .slot = index,
        .flags = slot->readonly ? KVM_MEM_READONLY : 0,
        .guest_phys_addr = slot->start,
        .memory_size = slot->used ? slot->size : 0,
        .userspace_addr = (uintptr_t)slot->host,
    };

    return ioctl(s->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno
                                                                     : 0;
}

/* Which flat ranges become slots: memory KVM can map directly. */
static bool kvm_section_is_memory(KVMState *s, MemoryRegionSection *section)
{
    MemoryRegion *mr = section->mr;

    switch (mr->kind) {
    case MR_RAM:
        return !section->readonly || s->readonly_mem;
    case MR_ROM:
        return s->readonly_mem;
    case MR_ROMD:
        return section->romd_mode && s->readonly_mem;
    default:
        return false;
    }
}

static void kvm_region_add(MemoryListener *l, MemoryRegionSection *section)
{
    KVMState *s = container_of(l, KVMState, listener);
    int err;

    if (!kvm_section_is_memory(s, section)) {
        return;
    }
    for (int i = 0; i < s->nr_slots; i++) {
        KVMSlot *slot = &s->slots[i];

        if (slot->used) {
            continue;
        }
        *slot = (KVMSlot) {
            .used = true,
            .start = section->offset_within_address_space,
            .size = section->size,
            .host = memory_region_get_ram_ptr(section->mr) +
                    section->offset_within_region,
            .readonly = section->readonly || section->mr->kind != MR_RAM,
        };
        err = kvm_set_slot(s, i, slot);
        if (err) {
            /* The guest would silently miss its memory: stop here. */
            error_report("kvm: cannot map '%s' at 0x%" HWADDR_PRIx
                         " (%" PRIu64 " bytes): %s", section->mr->name,
                         slot->start, slot->size, g_strerror(-err));
            exit(1);
        }
        return;
    }
    error_report("kvm: out of memory slots (%d) mapping '%s'", s->nr_slots,
                 section->mr->name);
    exit(1);
}

static void kvm_region_del(MemoryListener *l, MemoryRegionSection *section)
{
    KVMState *s = container_of(l, KVMState, listener);

    for (int i = 0; i < s->nr_slots; i++) {
        KVMSlot *slot = &s->slots[i];

        if (slot->used && slot->start == section->offset_within_address_space
            && slot->size == section->size) {
            slot->used = false;
            kvm_set_slot(s, i, slot);
            return;
        }
    }
}

static bool kvm_init_machine(AccelState *accel, MachineState *ms,
                             Error **errp)
{
    KVMState *s = KVM_STATE(accel);

    if (s->kernel_irqchip == KVM_KERNEL_IRQCHIP_SPLIT) {
        error_setg(errp, "kvm: kernel-irqchip=split is not supported by "
                   "emu yet");
        error_append_hint(errp, "Use kernel-irqchip=on (kvm's interrupt "
                          "controllers) or off (emu's).\n");
        return false;
    }
    if (!kvm_open_device(&s->fd, errp)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(kvm_required_caps); i++) {
        if (!kvm_check_extension_on(s, kvm_required_caps[i].cap)) {
            error_setg(errp, "kvm: the host kernel lacks %s, which emu needs",
                       kvm_required_caps[i].name);
            return false;
        }
    }
    s->nr_slots = kvm_check_extension_on(s, KVM_CAP_NR_MEMSLOTS);
    if (s->nr_slots <= 0) {
        s->nr_slots = 32;
    }
    s->slots = g_new0(KVMSlot, s->nr_slots);
    s->readonly_mem = kvm_check_extension_on(s, KVM_CAP_READONLY_MEM) > 0;
    do {
        s->vm_fd = ioctl(s->fd, KVM_CREATE_VM, 0);
    } while (s->vm_fd < 0 && errno == EINTR);
    if (s->vm_fd < 0) {
        error_setg_errno(errp, errno, "kvm: cannot create a VM");
        return false;
    }
    kvm_state = s;
    s->gsi_lines = g_hash_table_new(NULL, NULL);
    /* Interrupt controllers must exist before the first vCPU. */
    if (kvm_arch_ops &&
        !kvm_arch_ops->init_vm(s->kernel_irqchip == KVM_KERNEL_IRQCHIP_ON,
                               errp)) {
        kvm_state = NULL;
        return false;
    }
    kvm_init_kick_signal();
    s->listener = (MemoryListener) {
        .name = "kvm-memslots",
        .priority = 10,
        .region_add = kvm_region_add,
        .region_del = kvm_region_del,
    };
    memory_listener_register(&s->listener, &address_space_memory);
    return true;
}

static const AccelOps kvm_accel_ops = {
    .available = kvm_available,
    .irqchip_in_kernel = kvm_irqchip_in_kernel,
    .init_machine = kvm_init_machine,
    .create_vcpu_thread = kvm_create_vcpu_thread,
    .kick_vcpu = kvm_kick_vcpu,
    .synchronize_state = kvm_cpu_synchronize_state,
    .synchronize_post_write = kvm_cpu_synchronize_post_write,
    .guest_debug_supported = kvm_guest_debug_supported,
    .insert_breakpoint = kvm_insert_breakpoint,
    .remove_breakpoint = kvm_remove_breakpoint,
    .remove_all_breakpoints = kvm_remove_all_breakpoints,
    .set_single_step = kvm_set_single_step,
};

static const Property kvm_accel_props[] = {
    {
        .name = "kernel-irqchip", .kind = PROP_KIND_ENUM,
        .offset = offsetof(KVMState, kernel_irqchip), .width = sizeof(int),
        .help = "Configure KVM in-kernel irqchip",
        .enum_names = kernel_irqchip_names, .enum_type = "OnOffSplit",
        .defval.i = KVM_KERNEL_IRQCHIP_ON, .has_default = true,
    },
};

static void kvm_instance_init(Object *obj)
{
    KVMState *s = KVM_STATE(obj);

    s->fd = -1;
    s->vm_fd = -1;
}

static void kvm_accel_class_init(ObjectClass *klass)
{
    AccelClass *ac = ACCEL_CLASS(klass);

    ac->name = "kvm";
    ac->ops = &kvm_accel_ops;
    class_add_properties(klass, kvm_accel_props, ARRAY_SIZE(kvm_accel_props));
}

static const TypeInfo kvm_accel_types[] = {
    {
        .name = "kvm" TYPE_ACCEL_SUFFIX,
        .parent = TYPE_ACCEL,
        .instance_size = sizeof(KVMState),
        .instance_init = kvm_instance_init,
        .class_init = kvm_accel_class_init,
    },
};

DEFINE_TYPES(kvm_accel_types)
