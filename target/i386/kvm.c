/*
 * The x86 part of the kvm accelerator: the in-kernel interrupt
 * controllers and PIT, the CPUID a model presents (KVM_GET_SUPPORTED_CPUID
 * filtered by the model's feature words), and the register round trip
 * between CPUX86State and the vCPU (regs, sregs, FPU/XSAVE, XCRs, MSRs,
 * LAPIC, mp_state, pending events, debug registers); for the debugger,
 * int3 as the software breakpoint and DR0-DR3 for hardware breakpoints
 * and watchpoints (accel/kvm/kvm-debug.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "accel/kvm/kvm-internal.h"
#include "target/i386/cpu.h"

/* Below the 4 GiB firmware window, where QEMU puts them too: the pages
 * VMX needs to run real mode on hosts without "unrestricted guest". */
#define KVM_IDENTITY_MAP_ADDR 0xfeffc000ULL
#define KVM_TSS_ADDR          0xfeffd000UL

#define XSAVE_AREA_MIN 4096
#define XSAVE_HDR_OFFSET 512
#define XSAVE_YMMH_OFFSET 576
#define XSTATE_FP  (1ULL << 0)
#define XSTATE_SSE (1ULL << 1)
#define XSTATE_YMM (1ULL << 2)

/* What the host's KVM offers, learnt once per VM. */
static struct {
    struct kvm_cpuid2 *cpuid;    /* KVM_GET_SUPPORTED_CPUID */
    uint32_t *msrs;              /* the MSRs below that KVM saves */
    unsigned nr_msrs;
    int xsave_size;              /* 0: use KVM_GET_FPU */
    bool xsave2;
    bool xcrs, events, debugregs;
    bool irqchip;                /* PIC, IOAPIC, LAPICs and PIT in the
                                  * kernel; else emu's (kernel-irqchip=off) */
} kvm_x86;

/* The MSRs emu keeps, and where in CPUX86State. */
static const struct {
    uint32_t index;
    size_t offset;
} x86_msrs[] = {
    { 0x10, offsetof(CPUX86State, tsc) },
    { 0x174, offsetof(CPUX86State, sysenter_cs) },
    { 0x175, offsetof(CPUX86State, sysenter_esp) },
    { 0x176, offsetof(CPUX86State, sysenter_eip) },
    { 0x277, offsetof(CPUX86State, pat) },
    { 0xc0000081, offsetof(CPUX86State, star) },
    { 0xc0000082, offsetof(CPUX86State, lstar) },
    { 0xc0000083, offsetof(CPUX86State, cstar) },
    { 0xc0000084, offsetof(CPUX86State, fmask) },
    { 0xc0000102, offsetof(CPUX86State, kernel_gs_base) },
};

static bool kvm_x86_need_cap(int cap, const char *name, const char *why,
                             Error **errp)
{
    if (!kvm_check_extension(cap)) {
        error_setg(errp, "kvm: the host kernel lacks %s, which emu needs "
                   "for %s", name, why);
        return false;
    }
    return true;
}

static struct kvm_cpuid2 *kvm_x86_get_supported_cpuid(Error **errp)
{
    for (int nent = 64;; nent *= 2) {
        struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                         nent * sizeof(c->entries[0]));
        int ret;

        c->nent = nent;
        ret = kvm_ioctl(KVM_GET_SUPPORTED_CPUID, c);
        if (ret == 0) {
            return c;
        }
        g_free(c);
        if (ret != -E2BIG || nent >= 4096) {
            error_setg(errp, "kvm: KVM_GET_SUPPORTED_CPUID failed: %s",
                       g_strerror(-ret));
            return NULL;
        }
    }
}

static void kvm_x86_init_msrs(void)
{
    struct kvm_msr_list probe = { .nmsrs = 0 };
    g_autofree struct kvm_msr_list *list = NULL;

    kvm_x86.msrs = g_new(uint32_t, ARRAY_SIZE(x86_msrs));
    kvm_x86.nr_msrs = 0;
    /* The first call only says how many there are. */
    kvm_ioctl(KVM_GET_MSR_INDEX_LIST, &probe);
    list = g_malloc0(sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
    list->nmsrs = probe.nmsrs;
    if (kvm_ioctl(KVM_GET_MSR_INDEX_LIST, list) < 0) {
        list->nmsrs = 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(x86_msrs); i++) {
        for (uint32_t j = 0; j < list->nmsrs; j++) {
            if (list->indices[j] == x86_msrs[i].index) {
                kvm_x86.msrs[kvm_x86.nr_msrs++] = i;
                break;
            }
        }
    }
}

/* The PIC pair, IOAPIC, local APICs and PIT in the kernel. */
static bool kvm_x86_create_irqchip(Error **errp)
{
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    int ret;

    if (!kvm_x86_need_cap(KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP",
                          "the in-kernel PIC, IOAPIC and local APICs", errp) ||
        !kvm_x86_need_cap(KVM_CAP_PIT2, "KVM_CAP_PIT2",
                          "the in-kernel PIT", errp) ||
        !kvm_x86_need_cap(KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE",
                          "starting application processors", errp) ||
        !kvm_x86_need_cap(KVM_CAP_SIGNAL_MSI, "KVM_CAP_SIGNAL_MSI",
                          "PCI devices' MSI-X interrupts", errp)) {
        return false;
    }
    ret = kvm_vm_ioctl(KVM_CREATE_IRQCHIP, NULL);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_CREATE_IRQCHIP failed: %s",
                   g_strerror(-ret));
        return false;
    }
    ret = kvm_vm_ioctl(KVM_CREATE_PIT2, &pit);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_CREATE_PIT2 failed: %s", g_strerror(-ret));
        return false;
    }
    return true;
}

static bool kvm_x86_init_vm(bool irqchip, Error **errp)
{
    uint64_t identity_map = KVM_IDENTITY_MAP_ADDR;
    int ret;

    if (!kvm_x86_need_cap(KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID",
                          "CPUID models", errp)) {
        return false;
    }
    if (kvm_check_extension(KVM_CAP_SET_IDENTITY_MAP_ADDR)) {
        ret = kvm_vm_ioctl(KVM_SET_IDENTITY_MAP_ADDR, &identity_map);
        if (ret < 0) {
            error_setg(errp, "kvm: KVM_SET_IDENTITY_MAP_ADDR failed: %s",
                       g_strerror(-ret));
            return false;
        }
    }
    if (kvm_check_extension(KVM_CAP_SET_TSS_ADDR)) {
        ret = kvm_vm_ioctl(KVM_SET_TSS_ADDR, (void *)KVM_TSS_ADDR);
        if (ret < 0) {
            error_setg(errp, "kvm: KVM_SET_TSS_ADDR failed: %s",
                       g_strerror(-ret));
            return false;
        }
    }
    kvm_x86.irqchip = irqchip;
    if (irqchip && !kvm_x86_create_irqchip(errp)) {
        return false;
    }
    g_free(kvm_x86.cpuid);
    kvm_x86.cpuid = kvm_x86_get_supported_cpuid(errp);
    if (!kvm_x86.cpuid) {
        return false;
    }
    kvm_x86_init_msrs();
    kvm_x86.xsave2 = kvm_check_extension(KVM_CAP_XSAVE2) > XSAVE_AREA_MIN;
    kvm_x86.xsave_size = !kvm_check_extension(KVM_CAP_XSAVE) ? 0 :
                         kvm_x86.xsave2 ? kvm_check_extension(KVM_CAP_XSAVE2)
                                        : XSAVE_AREA_MIN;
    kvm_x86.xcrs = kvm_check_extension(KVM_CAP_XCRS);
    kvm_x86.events = kvm_check_extension(KVM_CAP_VCPU_EVENTS);
    kvm_x86.debugregs = kvm_check_extension(KVM_CAP_DEBUGREGS);
    return true;
}

static bool kvm_x86_has_irqchip(void)
{
    return kvm_x86.irqchip;
}

#define KVM_PIC_PINS     16      /* the 8259 pair's inputs */
#define KVM_IOAPIC_PINS  24

static void add_irqchip_route(struct kvm_irq_routing *r, unsigned gsi,
                              unsigned chip, unsigned pin)
{
    struct kvm_irq_routing_entry *e = &r->entries[r->nr++];

    e->gsi = gsi;
    e->type = KVM_IRQ_ROUTING_IRQCHIP;
    e->u.irqchip.irqchip = chip;
    e->u.irqchip.pin = pin;
}

static bool kvm_x86_route_irq0_to_pin2(Error **errp)
{
    g_autofree struct kvm_irq_routing *r =
        g_malloc0(sizeof(*r) + (KVM_PIC_PINS + KVM_IOAPIC_PINS) *
                  sizeof(r->entries[0]));
    int ret;

    if (!kvm_check_extension(KVM_CAP_IRQ_ROUTING)) {
        error_setg(errp, "kvm: the PC's IRQ 0 on IOAPIC pin 2 needs "
                   "KVM_CAP_IRQ_ROUTING, which this kernel lacks");
        return false;
    }
    for (unsigned gsi = 0; gsi < KVM_PIC_PINS; gsi++) {
        add_irqchip_route(r, gsi, gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
                                          : KVM_IRQCHIP_PIC_SLAVE, gsi % 8);
    }
    /* Pin 2 takes GSI 0; GSI 2 (the 8259 cascade) reaches no pin. */
    for (unsigned gsi = 0; gsi < KVM_IOAPIC_PINS; gsi++) {
        if (gsi != 2) {
            add_irqchip_route(r, gsi, KVM_IRQCHIP_IOAPIC, gsi ? gsi : 2);
        }
    }
    ret = kvm_vm_ioctl(KVM_SET_GSI_ROUTING, r);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_SET_GSI_ROUTING failed: %s",
                   g_strerror(-ret));
        return false;
    }
    return true;
}

/* ---- CPUID ---- */

static const struct kvm_cpuid_entry2 *cpuid_find(const struct kvm_cpuid2 *c,
                                                 uint32_t leaf,
                                                 uint32_t subleaf)
{
    for (uint32_t i = 0; i < c->nent; i++) {
        const struct kvm_cpuid_entry2 *e = &c->entries[i];

        if (e->function == leaf &&
            (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
             e->index == subleaf)) {
            return e;
        }
    }
    return NULL;
}

static uint32_t *cpuid_reg(struct kvm_cpuid_entry2 *e, int reg)
{
    switch (reg) {
    case R_EAX:
        return &e->eax;
    case R_EBX:
        return &e->ebx;
    case R_ECX:
        return &e->ecx;
    default:
        return &e->edx;
    }
}

static uint32_t supported_bits(FeatureWord w)
{
    const FeatureWordInfo *fw = &feature_word_info[w];
    const struct kvm_cpuid_entry2 *e = cpuid_find(kvm_x86.cpuid, fw->leaf,
                                                  fw->subleaf);
    uint32_t bits;

    if (!e) {
        return 0;
    }
    bits = *cpuid_reg((struct kvm_cpuid_entry2 *)e, fw->reg);
    switch (w) {
    case FEAT_1_ECX:
        /* A flag for software, whatever the hardware says. */
        bits |= CPUID_1_ECX_HYPERVISOR;
        /* emu's own local APIC has no x2APIC mode (as QEMU's). */
        if (!kvm_x86.irqchip) {
            bits &= ~CPUID_1_ECX_X2APIC;
        }
        break;
    case FEAT_8000_0001_EDX:
        /* Intel hosts do not repeat the aliases; AMD models want them. */
        bits |= supported_bits(FEAT_1_EDX) & CPUID_EXT2_AMD_ALIASES;
        break;
    default:
        break;
    }
    return bits;
}

/* The model's features with the -cpu flags, those the host can give,
 * with one warning per miss. */
static uint32_t filtered_features(const X86CPU *cpu, FeatureWord w)
{
    const X86CPUModel *model = X86_CPU_GET_CLASS(cpu)->model;
    /* The x2APIC a model has under kvm only needs kvm's APIC (QEMU turns
     * it off by default without one). */
    uint32_t model_bits = model->features[w] &
        ~(w == FEAT_1_ECX && !kvm_x86.irqchip ? model->kvm_only_1_ecx : 0);
    uint32_t want = x86_cpu_apply_options(cpu, w, model_bits);
    uint32_t have = supported_bits(w);

    if (w == FEAT_8000_0001_EDX && !strcmp(model->vendor, "AuthenticAMD")) {
        want |= x86_cpu_apply_options(cpu, FEAT_1_EDX,
                                      model->features[FEAT_1_EDX]) &
                CPUID_EXT2_AMD_ALIASES;
    }
    x86_cpu_feature_warning("host", w, want & ~have);
    return want & have;
}

static struct kvm_cpuid_entry2 *cpuid_add(GArray *entries, uint32_t leaf,
                                          uint32_t subleaf, uint32_t flags)
{
    struct kvm_cpuid_entry2 e = {
        .function = leaf, .index = subleaf, .flags = flags,
    };

    g_array_append_val(entries, e);
    return &g_array_index(entries, struct kvm_cpuid_entry2,
                          entries->len - 1);
}

static void cpuid_set_vendor(struct kvm_cpuid_entry2 *e, const char *vendor)
{
    memcpy(&e->ebx, vendor, 4);
    memcpy(&e->edx, vendor + 4, 4);
    memcpy(&e->ecx, vendor + 8, 4);
}

/* Copies the host's entries for leaf, all subleaves. */
static void cpuid_copy_leaf(GArray *entries, uint32_t leaf)
{
    for (uint32_t i = 0; i < kvm_x86.cpuid->nent; i++) {
        if (kvm_x86.cpuid->entries[i].function == leaf) {
            g_array_append_val(entries, kvm_x86.cpuid->entries[i]);
        }
    }
}

/* Leaf 0xB: each vCPU is a package of one core of one thread. */
static void cpuid_add_topology(GArray *entries, uint32_t apic_id)
{
    struct kvm_cpuid_entry2 *e;

    e = cpuid_add(entries, 0xb, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
    e->ebx = 1;
    e->ecx = (1 << 8) | 0;           /* SMT level */
    e->edx = apic_id;
    e = cpuid_add(entries, 0xb, 1, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
    e->ebx = 1;
    e->ecx = (2 << 8) | 1;           /* core level */
    e->edx = apic_id;
    e = cpuid_add(entries, 0xb, 2, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
    e->ecx = 2;                      /* no more levels */
    e->edx = apic_id;
}

static void cpuid_build_named(GArray *entries, const X86CPUModel *model,
                              CPUX86State *env)
{
    const struct kvm_cpuid_entry2 *host0 = cpuid_find(kvm_x86.cpuid, 0, 0);
    const struct kvm_cpuid_entry2 *hostx = cpuid_find(kvm_x86.cpuid,
                                                      0x80000000, 0);
    uint32_t level = MIN(model->level, host0 ? host0->eax : 1);
    uint32_t xlevel = MIN(model->xlevel, hostx ? hostx->eax : 0x80000000);
    struct kvm_cpuid_entry2 *e;

    e = cpuid_add(entries, 0, 0, 0);
    e->eax = level;
    cpuid_set_vendor(e, model->vendor);
    e = cpuid_add(entries, 1, 0, 0);
    e->eax = env->cpuid_version;
    e->ebx = (env->apic_id << 24) | (8 << 8);   /* as helper_cpuid */
    e->ecx = filtered_features(env_archcpu(env), FEAT_1_ECX);
    e->edx = filtered_features(env_archcpu(env), FEAT_1_EDX);
    for (uint32_t leaf = 2; leaf <= level; leaf++) {
        switch (leaf) {
        case 7:
            /* No structured extended features in these models. */
            cpuid_add(entries, 7, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
            break;
        case 0xa:                    /* no PMU */
        case 0xd:                    /* no XSAVE */
            break;
        case 0xb:
            cpuid_add_topology(entries, env->apic_id);
            break;
        default:
            cpuid_copy_leaf(entries, leaf);
            break;
        }
    }
    e = cpuid_add(entries, 0x80000000, 0, 0);
    e->eax = xlevel;
    cpuid_set_vendor(e, model->vendor);
    e = cpuid_add(entries, 0x80000001, 0, 0);
    e->eax = env->cpuid_version;
    e->ecx = filtered_features(env_archcpu(env), FEAT_8000_0001_ECX);
    e->edx = filtered_features(env_archcpu(env), FEAT_8000_0001_EDX);
    for (uint32_t i = 0; i < 3; i++) {
        char brand[48] = "";

        strncpy(brand, model->model_id, sizeof(brand) - 1);
        e = cpuid_add(entries, 0x80000002 + i, 0, 0);
        memcpy(&e->eax, brand + i * 16, 16);
    }
    for (uint32_t leaf = 0x80000005; leaf <= xlevel; leaf++) {
        if (leaf != 0x8000000a) {    /* no SVM */
            cpuid_copy_leaf(entries, leaf);
        }
    }
}

static void cpuid_build_passthrough(GArray *entries, CPUX86State *env)
{
    for (uint32_t i = 0; i < kvm_x86.cpuid->nent; i++) {
        struct kvm_cpuid_entry2 e = kvm_x86.cpuid->entries[i];

        switch (e.function) {
        case 1:
            env->cpuid_version = e.eax;
            e.ebx = (env->apic_id << 24) | (1 << 16) | (e.ebx & 0xff00);
            e.ecx |= CPUID_1_ECX_HYPERVISOR;
            e.edx &= ~CPUID_1_EDX_HTT;
            break;
        case 4:
            /* One core, one thread per cache: our topology. */
            e.eax &= 0x3fff;
            break;
        case 0xb:
        case 0x1f:
            if (e.index == 0 && e.function == 0xb) {
                cpuid_add_topology(entries, env->apic_id);
            }
            continue;
        default:
            break;
        }
        g_array_append_val(entries, e);
    }
}

static bool kvm_x86_set_cpuid(CPUState *cs, KVMVCPU *v, Error **errp)
{
    X86CPU *cpu = X86_CPU(cs);
    const X86CPUModel *model = X86_CPU_GET_CLASS(cpu)->model;
    g_autoptr(GArray) entries = g_array_new(FALSE, TRUE,
                                            sizeof(struct kvm_cpuid_entry2));
    g_autofree struct kvm_cpuid2 *c = NULL;
    int ret;

    /* PV leaves (kvmclock and friends), as QEMU offers them by default. */
    for (uint32_t leaf = 0x40000000; leaf <= 0x400000ff; leaf++) {
        cpuid_copy_leaf(entries, leaf);
    }
    if (model->host_passthrough) {
        cpuid_build_passthrough(entries, &cpu->env);
    } else {
        cpuid_build_named(entries, model, &cpu->env);
    }
    c = g_malloc0(sizeof(*c) + entries->len * sizeof(c->entries[0]));
    c->nent = entries->len;
    memcpy(c->entries, entries->data, entries->len * sizeof(c->entries[0]));
    ret = kvm_vcpu_ioctl(v, KVM_SET_CPUID2, c);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_SET_CPUID2 failed for CPU %d: %s",
                   cs->cpu_index, g_strerror(-ret));
        return false;
    }
    return true;
}

static bool kvm_x86_init_vcpu(CPUState *cs, KVMVCPU *v, Error **errp)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    if (!kvm_x86_set_cpuid(cs, v, errp)) {
        return false;
    }
    /*
     * Passthrough models learnt their signature just now, after the
     * first reset; a vCPU still at the reset vector gets it in EDX.
     */
    if (env->rip == 0xfff0 && env->segs[R_CS].selector == 0xf000) {
        env->regs[R_EDX] = env->cpuid_version;
    }
    return true;
}

/* ---- registers ---- */

/* The register numbers of struct kvm_regs, in its field order. */
static const int kvm_regs_order[16] = {
    R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_ESP, R_EBP,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};

static void get_seg(SegmentCache *sc, const struct kvm_segment *ks)
{
    sc->selector = ks->selector;
    sc->base = ks->base;
    sc->limit = ks->limit;
    sc->flags = ks->unusable ? 0 :
        (ks->type << DESC_TYPE_SHIFT) | (ks->present ? DESC_P_MASK : 0) |
        (ks->dpl << DESC_DPL_SHIFT) | (ks->db ? DESC_B_MASK : 0) |
        (ks->s ? DESC_S_MASK : 0) | (ks->l ? DESC_L_MASK : 0) |
        (ks->g ? DESC_G_MASK : 0) | (ks->avl ? DESC_AVL_MASK : 0);
}

static void put_seg(struct kvm_segment *ks, const SegmentCache *sc)
{
    uint32_t flags = sc->flags;

    *ks = (struct kvm_segment) {
        .base = sc->base,
        .limit = sc->limit,
        .selector = sc->selector,
        .type = (flags & DESC_TYPE_MASK) >> DESC_TYPE_SHIFT,
        .present = !!(flags & DESC_P_MASK),
        .dpl = (flags & DESC_DPL_MASK) >> DESC_DPL_SHIFT,
        .db = !!(flags & DESC_B_MASK),
        .s = !!(flags & DESC_S_MASK),
        .l = !!(flags & DESC_L_MASK),
        .g = !!(flags & DESC_G_MASK),
        .avl = !!(flags & DESC_AVL_MASK),
        .unusable = !(flags & DESC_P_MASK),
    };
}

static int get_fpu(KVMVCPU *v, CPUX86State *env)
{
    if (kvm_x86.xsave_size) {
        g_autofree uint8_t *area = g_malloc0(kvm_x86.xsave_size);
        uint64_t bv;
        int ret = kvm_vcpu_ioctl(v, kvm_x86.xsave2 ? KVM_GET_XSAVE2
                                                   : KVM_GET_XSAVE, area);

        if (ret < 0) {
            return ret;
        }
        x86_fxrstor_image(env, area);
        memcpy(&bv, area + XSAVE_HDR_OFFSET, 8);
        if (bv & XSTATE_YMM) {
            memcpy(env->ymmh, area + XSAVE_YMMH_OFFSET, sizeof(env->ymmh));
        } else {
            memset(env->ymmh, 0, sizeof(env->ymmh));
        }
    } else {
        struct kvm_fpu fpu;
        int ret = kvm_vcpu_ioctl(v, KVM_GET_FPU, &fpu);

        if (ret < 0) {
            return ret;
        }
        X86FXState *fx = &env->fx;

        fx->fcw = fpu.fcw;
        fx->fsw = fpu.fsw;
        fx->ftw = fpu.ftwx;
        fx->fop = fpu.last_opcode;
        fx->fip = fpu.last_ip;
        fx->fdp = fpu.last_dp;
        fx->mxcsr = fpu.mxcsr;
        for (int i = 0; i < 8; i++) {    /* fpr[i] is ST(i), as st[i] */
            fx->st[i][1] = 0;
            memcpy(&fx->st[i][0], fpu.fpr[i], 8);
            memcpy(&fx->st[i][1], fpu.fpr[i] + 8, 2);
        }
        memcpy(fx->xmm, fpu.xmm, sizeof(fx->xmm));
    }
    return 0;
}

/*
 * Rebuilt from CPUX86State: x87, SSE and AVX; later components (AVX-512,
 * PKRU...) go to their initial state, which is what a reset wants.
 */
static int put_fpu(KVMVCPU *v, const CPUX86State *env)
{
    if (kvm_x86.xsave_size) {
        g_autofree uint8_t *area = g_malloc0(kvm_x86.xsave_size);
        uint64_t bv = XSTATE_FP | XSTATE_SSE;

        x86_fxsave_image(env, area);
        if (env->xcr0 & XSTATE_YMM) {
            bv |= XSTATE_YMM;
            memcpy(area + XSAVE_YMMH_OFFSET, env->ymmh, sizeof(env->ymmh));
        }
        memcpy(area + XSAVE_HDR_OFFSET, &bv, 8);
        return kvm_vcpu_ioctl(v, KVM_SET_XSAVE, area);
    } else {
        const X86FXState *fx = &env->fx;
        struct kvm_fpu fpu = {
            .fcw = fx->fcw, .fsw = fx->fsw, .ftwx = fx->ftw,
            .last_opcode = fx->fop, .last_ip = fx->fip,
            .last_dp = fx->fdp, .mxcsr = fx->mxcsr,
        };

        for (int i = 0; i < 8; i++) {    /* fpr[i] is ST(i), as st[i] */
            memcpy(fpu.fpr[i], &fx->st[i][0], 8);
            memcpy(fpu.fpr[i] + 8, &fx->st[i][1], 2);
        }
        memcpy(fpu.xmm, fx->xmm, sizeof(fx->xmm));
        return kvm_vcpu_ioctl(v, KVM_SET_FPU, &fpu);
    }
}

static struct kvm_msrs *msrs_new(void)
{
    struct kvm_msrs *m = g_malloc0(sizeof(*m) + kvm_x86.nr_msrs *
                                   sizeof(struct kvm_msr_entry));

    m->nmsrs = kvm_x86.nr_msrs;
    for (unsigned i = 0; i < kvm_x86.nr_msrs; i++) {
        m->entries[i].index = x86_msrs[kvm_x86.msrs[i]].index;
    }
    return m;
}

static uint64_t *msr_field(CPUX86State *env, unsigned i)
{
    return (uint64_t *)((char *)env + x86_msrs[kvm_x86.msrs[i]].offset);
}

static int get_msrs(KVMVCPU *v, CPUX86State *env)
{
    g_autofree struct kvm_msrs *m = msrs_new();
    int ret = kvm_vcpu_ioctl(v, KVM_GET_MSRS, m);

    if (ret < 0) {
        return ret;
    }
    /* The count read: those after a failing one keep their old value. */
    for (int i = 0; i < ret; i++) {
        *msr_field(env, i) = m->entries[i].data;
    }
    return 0;
}

static int put_msrs(KVMVCPU *v, CPUX86State *env)
{
    g_autofree struct kvm_msrs *m = msrs_new();
    int ret;

    for (unsigned i = 0; i < kvm_x86.nr_msrs; i++) {
        m->entries[i].data = *msr_field(env, i);
    }
    ret = kvm_vcpu_ioctl(v, KVM_SET_MSRS, m);
    if (ret >= 0 && (unsigned)ret < kvm_x86.nr_msrs) {
        error_report("kvm: the host refused MSR 0x%x = 0x%" PRIx64,
                     m->entries[ret].index, (uint64_t)m->entries[ret].data);
        return -EINVAL;
    }
    return ret < 0 ? ret : 0;
}

static int get_events(KVMVCPU *v, CPUX86State *env)
{
    struct kvm_vcpu_events ev;
    int ret = kvm_vcpu_ioctl(v, KVM_GET_VCPU_EVENTS, &ev);

    if (ret < 0) {
        return ret;
    }
    env->exception_injected = ev.exception.injected;
    env->exception_nr = ev.exception.nr;
    env->has_error_code = ev.exception.has_error_code;
    env->error_code = ev.exception.error_code;
    env->interrupt_injected = ev.interrupt.injected;
    env->interrupt_nr = ev.interrupt.nr;
    env->interrupt_soft = ev.interrupt.soft;
    env->interrupt_shadow = ev.interrupt.shadow;
    env->nmi_injected = ev.nmi.injected;
    env->nmi_pending = ev.nmi.pending;
    env->nmi_masked = ev.nmi.masked;
    env->sipi_vector = ev.sipi_vector;
    env->smm = (ev.flags & KVM_VCPUEVENT_VALID_SMM) && ev.smi.smm;
    return 0;
}

static int put_events(KVMVCPU *v, const CPUX86State *env)
{
    struct kvm_vcpu_events ev = {
        .exception = {
            .injected = env->exception_injected,
            .nr = env->exception_nr,
            .has_error_code = env->has_error_code,
            .error_code = env->error_code,
        },
        .interrupt = {
            .injected = env->interrupt_injected,
            .nr = env->interrupt_nr,
            .soft = env->interrupt_soft,
            .shadow = env->interrupt_shadow,
        },
        .nmi = {
            .injected = env->nmi_injected,
            .pending = env->nmi_pending,
            .masked = env->nmi_masked,
        },
        .sipi_vector = env->sipi_vector,
        .flags = KVM_VCPUEVENT_VALID_NMI_PENDING |
                 KVM_VCPUEVENT_VALID_SIPI_VECTOR | KVM_VCPUEVENT_VALID_SHADOW,
    };

    return kvm_vcpu_ioctl(v, KVM_SET_VCPU_EVENTS, &ev);
}

/* Runs one step of a sync, naming it when it fails. */
#define SYNC_STEP(call, what) do {                                       \
        int ret_ = (call);                                               \
        if (ret_ < 0) {                                                  \
            error_report("kvm: %s failed for CPU %d: %s", what,          \
                         cs->cpu_index, g_strerror(-ret_));              \
            return ret_;                                                 \
        }                                                                \
    } while (0)

static int kvm_x86_get_registers(CPUState *cs, KVMVCPU *v)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_lapic_state lapic;
    struct kvm_mp_state mp;
    __u64 *r = &regs.rax;

    SYNC_STEP(kvm_vcpu_ioctl(v, KVM_GET_REGS, &regs), "KVM_GET_REGS");
    for (int i = 0; i < 16; i++) {
        env->regs[kvm_regs_order[i]] = r[i];
    }
    env->rip = regs.rip;
    x86_cpu_set_eflags(env, regs.rflags);

    SYNC_STEP(kvm_vcpu_ioctl(v, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS");
    get_seg(&env->segs[R_ES], &sregs.es);
    get_seg(&env->segs[R_CS], &sregs.cs);
    get_seg(&env->segs[R_SS], &sregs.ss);
    get_seg(&env->segs[R_DS], &sregs.ds);
    get_seg(&env->segs[R_FS], &sregs.fs);
    get_seg(&env->segs[R_GS], &sregs.gs);
    get_seg(&env->ldt, &sregs.ldt);
    get_seg(&env->tr, &sregs.tr);
    env->gdt = (SegmentCache) { .base = sregs.gdt.base,
                                .limit = sregs.gdt.limit };
    env->idt = (SegmentCache) { .base = sregs.idt.base,
                                .limit = sregs.idt.limit };
    env->cr[0] = sregs.cr0;
    env->cr[2] = sregs.cr2;
    env->cr[3] = sregs.cr3;
    env->cr[4] = sregs.cr4;
    env->cr8 = sregs.cr8;
    env->efer = sregs.efer;
    env->apic_base = sregs.apic_base;

    SYNC_STEP(get_fpu(v, env), "reading the FPU state");
    if (kvm_x86.xcrs) {
        struct kvm_xcrs xcrs;

        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_GET_XCRS, &xcrs), "KVM_GET_XCRS");
        for (uint32_t i = 0; i < xcrs.nr_xcrs; i++) {
            if (xcrs.xcrs[i].xcr == 0) {
                env->xcr0 = xcrs.xcrs[i].value;
            }
        }
    }
    SYNC_STEP(get_msrs(v, env), "KVM_GET_MSRS");
    /* Without kvm's APICs, emu's own keep these (and mp_state). */
    if (kvm_x86.irqchip) {
        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_GET_LAPIC, &lapic), "KVM_GET_LAPIC");
        memcpy(env->lapic, lapic.regs, X86_LAPIC_SIZE);
        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_GET_MP_STATE, &mp),
                  "KVM_GET_MP_STATE");
        env->mp_state = mp.mp_state;
    }
    if (kvm_x86.events) {
        SYNC_STEP(get_events(v, env), "KVM_GET_VCPU_EVENTS");
    }
    if (kvm_x86.debugregs) {
        struct kvm_debugregs dbg;

        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_GET_DEBUGREGS, &dbg),
                  "KVM_GET_DEBUGREGS");
        memcpy(env->dr, dbg.db, sizeof(dbg.db));
        env->dr[6] = dbg.dr6;
        env->dr[7] = dbg.dr7;
    }
    return 0;
}

static int kvm_x86_put_registers(CPUState *cs, KVMVCPU *v)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    struct kvm_regs regs = {
        .rip = env->rip, .rflags = x86_cpu_get_eflags(env),
    };
    struct kvm_sregs sregs = {
        .gdt = { .base = env->gdt.base, .limit = env->gdt.limit },
        .idt = { .base = env->idt.base, .limit = env->idt.limit },
        .cr0 = env->cr[0], .cr2 = env->cr[2], .cr3 = env->cr[3],
        .cr4 = env->cr[4], .cr8 = env->cr8, .efer = env->efer,
        .apic_base = env->apic_base,
    };
    struct kvm_lapic_state lapic;
    struct kvm_mp_state mp = { .mp_state = env->mp_state };
    __u64 *r = &regs.rax;

    for (int i = 0; i < 16; i++) {
        r[i] = env->regs[kvm_regs_order[i]];
    }
    SYNC_STEP(kvm_vcpu_ioctl(v, KVM_SET_REGS, &regs), "KVM_SET_REGS");
    SYNC_STEP(put_fpu(v, env), "writing the FPU state");
    if (kvm_x86.xcrs) {
        struct kvm_xcrs xcrs = {
            .nr_xcrs = 1, .xcrs[0] = { .xcr = 0, .value = env->xcr0 },
        };

        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_SET_XCRS, &xcrs), "KVM_SET_XCRS");
    }
    put_seg(&sregs.es, &env->segs[R_ES]);
    put_seg(&sregs.cs, &env->segs[R_CS]);
    put_seg(&sregs.ss, &env->segs[R_SS]);
    put_seg(&sregs.ds, &env->segs[R_DS]);
    put_seg(&sregs.fs, &env->segs[R_FS]);
    put_seg(&sregs.gs, &env->segs[R_GS]);
    put_seg(&sregs.ldt, &env->ldt);
    put_seg(&sregs.tr, &env->tr);
    SYNC_STEP(kvm_vcpu_ioctl(v, KVM_SET_SREGS, &sregs), "KVM_SET_SREGS");
    SYNC_STEP(put_msrs(v, env), "KVM_SET_MSRS");
    /* The APIC base (in sregs) first: it decides how the page is read.
     * Without kvm's APICs a vCPU is always runnable to kvm: emu keeps
     * the AP waiting for its start-up IPI out of KVM_RUN. */
    if (kvm_x86.irqchip) {
        memcpy(lapic.regs, env->lapic, X86_LAPIC_SIZE);
        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_SET_LAPIC, &lapic), "KVM_SET_LAPIC");
        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_SET_MP_STATE, &mp),
                  "KVM_SET_MP_STATE");
    }
    if (kvm_x86.events) {
        SYNC_STEP(put_events(v, env), "KVM_SET_VCPU_EVENTS");
    }
    if (kvm_x86.debugregs) {
        struct kvm_debugregs dbg = { .dr6 = env->dr[6], .dr7 = env->dr[7] };

        memcpy(dbg.db, env->dr, sizeof(dbg.db));
        SYNC_STEP(kvm_vcpu_ioctl(v, KVM_SET_DEBUGREGS, &dbg),
                  "KVM_SET_DEBUGREGS");
    }
    return 0;
}

/* ---- emu's interrupt controllers (kernel-irqchip=off) ---- */

/*
 * As QEMU's kvm_arch_pre_run/post_run and kvm_arch_process_async_events
 * without an in-kernel irqchip: emu's local APIC raises INIT, start-up
 * IPIs, NMI and INTR on the CPU as on tcg (x86_cpu_set_pin, apic.c),
 * and the vCPU thread hands them to kvm between two KVM_RUNs.  kvm then
 * exits to emu for hlt (KVM_EXIT_HLT), for the APIC page (MMIO) and,
 * when asked, as soon as the guest can take an interrupt
 * (KVM_EXIT_IRQ_WINDOW_OPEN).
 */
static bool kvm_x86_vcpu_runnable(CPUState *cs, KVMVCPU *v)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    uint32_t req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_SEQ_CST);

    if (req & CPU_INTERRUPT_INIT) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_INIT);
        kvm_cpu_synchronize_state(cs);
        x86_cpu_take_init(cpu);
        kvm_cpu_synchronize_post_write(cs);
    }
    if (req & CPU_INTERRUPT_SIPI) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_SIPI);
        kvm_cpu_synchronize_state(cs);
        if (x86_cpu_take_sipi(cpu)) {
            kvm_cpu_synchronize_post_write(cs);
        }
    }
    if (x86_cpu_waits_for_sipi(env)) {
        return false;
    }
    /* hlt ends with an interrupt the CPU takes, or an NMI. */
    if (cs->halted) {
        if (!((req & CPU_INTERRUPT_HARD) && (env->rflags & EFLAGS_IF)) &&
            !(req & CPU_INTERRUPT_NMI)) {
            return false;
        }
        cs->halted = false;
    }
    return true;
}

static void kvm_x86_pre_run(CPUState *cs, KVMVCPU *v)
{
    X86CPU *cpu = X86_CPU(cs);
    struct kvm_run *run = v->run;
    uint32_t req = __atomic_load_n(&cs->interrupt_request, __ATOMIC_SEQ_CST);
    int ret;

    if (req & CPU_INTERRUPT_NMI) {
        cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI);
        ret = kvm_vcpu_ioctl(v, KVM_NMI, NULL);
        if (ret < 0) {
            error_report("kvm: KVM_NMI failed for CPU %d: %s", cs->cpu_index,
                         g_strerror(-ret));
        }
    }
    /* kvm says when the guest can take one: IF set, no sti or mov ss
     * shadow, no event of its own being injected. */
    if ((req & CPU_INTERRUPT_HARD) && run->ready_for_interrupt_injection &&
        cpu->irq_ops) {
        int vector = cpu->irq_ops->intack(cpu->irq_opaque);

        if (vector >= 0) {
            struct kvm_interrupt intr = { .irq = vector };

            ret = kvm_vcpu_ioctl(v, KVM_INTERRUPT, &intr);
            if (ret < 0) {
                error_report("kvm: KVM_INTERRUPT of vector %d failed for "
                             "CPU %d: %s", vector, cs->cpu_index,
                             g_strerror(-ret));
            }
        }
    }
    /* INTR still high (another request, or the guest could not take
     * it): come back as soon as it can. */
    run->request_interrupt_window = cpu->irq_ops &&
        (__atomic_load_n(&cs->interrupt_request, __ATOMIC_SEQ_CST) &
         CPU_INTERRUPT_HARD);
    /* kvm loads CR8 from here at every entry when the APIC is emu's. */
    if (cpu->irq_ops && cpu->irq_ops->get_tpr) {
        run->cr8 = cpu->irq_ops->get_tpr(cpu->irq_opaque) >> 4;
    }
}

static void kvm_x86_post_run(CPUState *cs, KVMVCPU *v)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    struct kvm_run *run = v->run;

    /* Registers emu wrote meanwhile (a reset) win over the guest's. */
    if (v->sync == KVM_SYNC_DIRTY) {
        return;
    }
    if (run->if_flag) {
        env->rflags |= EFLAGS_IF;
    } else {
        env->rflags &= ~EFLAGS_IF;
    }
    env->apic_base = run->apic_base;
    /* A mov to CR8 is a write of the TPR's priority class. */
    if (cpu->irq_ops && cpu->irq_ops->get_tpr && cpu->irq_ops->set_tpr &&
        cpu->irq_ops->get_tpr(cpu->irq_opaque) >> 4 != run->cr8) {
        cpu->irq_ops->set_tpr(cpu->irq_opaque, run->cr8 << 4);
    }
}

/* ---- guest debugging ---- */

static const uint8_t x86_int3[] = { 0xcc };

/* DR7's R/W field for each kind of point: execute, write, read or
 * write (x86 has no read-only watchpoint). */
static int dr7_type(BreakpointType type)
{
    switch (type) {
    case BP_HARDWARE:
        return 0;
    case BP_WATCH_WRITE:
        return 1;
    case BP_WATCH_ACCESS:
        return 3;
    default:
        return -1;
    }
}

/* DR7's LEN field for a watched size: 1, 2, 8 or 4 bytes. */
static uint32_t dr7_len(uint64_t len)
{
    return len == 2 ? 1 : len == 8 ? 2 : len == 4 ? 3 : 0;
}

static bool kvm_x86_check_hw_point(BreakpointType type, uint64_t addr,
                                   uint64_t len, Error **errp)
{
    if (dr7_type(type) < 0) {
        error_setg(errp, "x86 debug registers have no read-only "
                   "watchpoints (use awatch)");
        return false;
    }
    if (type != BP_HARDWARE &&
        ((len != 1 && len != 2 && len != 4 && len != 8) ||
         (addr & (len - 1)))) {
        error_setg(errp, "an x86 watchpoint covers 1, 2, 4 or 8 bytes at "
                   "an address aligned to its size, not %" PRIu64
                   " at 0x%" PRIx64, len, addr);
        return false;
    }
    return true;
}

static void kvm_x86_set_hw_points(struct kvm_guest_debug *dbg,
                                  const KVMHWPoint *points, unsigned n)
{
    dbg->control |= KVM_GUESTDBG_USE_HW_BP;
    /* GE and LE as QEMU sets them: exact data breakpoints */
    dbg->arch.debugreg[7] = 0x600;
    for (unsigned i = 0; i < n; i++) {
        uint32_t len = points[i].type == BP_HARDWARE ? 0
                                                     : dr7_len(points[i].len);

        dbg->arch.debugreg[i] = points[i].addr;
        dbg->arch.debugreg[7] |= (2u << (i * 2)) |
                                 ((uint32_t)dr7_type(points[i].type)
                                  << (16 + i * 4)) |
                                 (len << (18 + i * 4));
    }
}

/* Interrupts held off while stepping, where the host can (Linux 5.16). */
static uint32_t kvm_x86_step_flags(void)
{
    return kvm_check_extension(KVM_CAP_SET_GUEST_DEBUG2) &
           KVM_GUESTDBG_BLOCKIRQ;
}

#define X86_DR6_BS (1u << 14)

static KVMDebugExit kvm_x86_decode_debug_exit(KVMVCPU *v, CPUDebugStop *stop,
                                              uint64_t *trap_pc,
                                              uint32_t *inject)
{
    const struct kvm_debug_exit_arch *arch = &v->run->debug.arch;

    if (arch->exception == 3) {
        *trap_pc = arch->pc;
        *inject = KVM_GUESTDBG_INJECT_BP;
        return KVM_DEBUG_EXIT_SW_TRAP;
    }
    *inject = KVM_GUESTDBG_INJECT_DB;
    if (arch->dr6 & X86_DR6_BS) {
        if (!v->single_step) {
            return KVM_DEBUG_EXIT_GUEST;      /* the guest's own TF */
        }
        stop->reason = CPU_DEBUG_STEP;
        return KVM_DEBUG_EXIT_STOP;
    }
    for (unsigned i = 0; i < v->n_hw_points; i++) {
        const KVMHWPoint *p = &v->hw_points[i];

        if (!(arch->dr6 & (1u << i))) {
            continue;
        }
        if (p->type == BP_HARDWARE) {
            stop->reason = CPU_DEBUG_BREAKPOINT;
        } else {
            *stop = (CPUDebugStop){ .reason = CPU_DEBUG_WATCHPOINT,
                                    .watch_type = p->type,
                                    .watch_addr = p->addr };
        }
        return KVM_DEBUG_EXIT_STOP;
    }
    return KVM_DEBUG_EXIT_GUEST;
}

static const KVMArchOps kvm_x86_ops = {
    .init_vm = kvm_x86_init_vm,
    .has_irqchip = kvm_x86_has_irqchip,
    .vcpu_runnable = kvm_x86_vcpu_runnable,
    .pre_run = kvm_x86_pre_run,
    .post_run = kvm_x86_post_run,
    .route_irq0_to_pin2 = kvm_x86_route_irq0_to_pin2,
    .init_vcpu = kvm_x86_init_vcpu,
    .get_registers = kvm_x86_get_registers,
    .put_registers = kvm_x86_put_registers,
    .sw_breakpoint_insn = x86_int3,
    .sw_breakpoint_len = sizeof(x86_int3),
    .sw_breakpoint_flag = KVM_GUESTDBG_USE_SW_BP,
    .max_hw_points = 4,
    .check_hw_point = kvm_x86_check_hw_point,
    .set_hw_points = kvm_x86_set_hw_points,
    .step_flags = kvm_x86_step_flags,
    .decode_debug_exit = kvm_x86_decode_debug_exit,
};

static void __attribute__((constructor)) kvm_x86_register(void)
{
    kvm_arch_ops = &kvm_x86_ops;
}
