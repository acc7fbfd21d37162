/*
 * Helpers generated x86 code calls for what is not worth inline IR:
 * EFLAGS as a whole, port I/O with its permission checks, CPUID from the
 * CPU model, MSRs, the TSC, control registers, division, BCD arithmetic,
 * rotates and shifts by a run-time count.
 *
 * Helpers that fault take GETPC(), so the guest state goes back to the
 * faulting instruction.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"
#include "softmmu/memory.h"
#include "target/i386/translate.h"

/* ---- EFLAGS ---- */

uint32_t helper_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2,
                               uint32_t op)
{
    return x86_cc_compute_all(op, dst, src, src2);
}

uint32_t helper_read_eflags(CPUX86State *env)
{
    return x86_cpu_get_eflags(env);
}

void helper_write_eflags(CPUX86State *env, uint32_t value, uint32_t mask)
{
    uint64_t f = x86_cpu_get_eflags(env);

    x86_cpu_set_eflags(env, (f & ~(uint64_t)mask) | (value & mask));
}

void helper_sti(CPUX86State *env)
{
    /* Interrupts stay off for one more instruction (sti; hlt). */
    if (!(env->rflags & EFLAGS_IF)) {
        env->rflags |= EFLAGS_IF;
        env->interrupt_shadow = 1;
    }
}

void helper_hlt(CPUX86State *env, uint32_t unused)
{
    CPUState *cs = env_cpu(env);

    env->interrupt_shadow = 0;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

/* monitor and mwait, where CPUID.01H:ECX.MONITOR says the CPU has
 * them: CPL 0, no extensions (ECX 0: CPUID has no leaf 5 to offer
 * them). */
static void check_monitor(CPUX86State *env, uintptr_t ra)
{
    if (!(env_archcpu(env)->features[FEAT_1_ECX] & CPUID_1_ECX_MONITOR) ||
        x86_cpl(env) != 0) {
        x86_raise_exception(env, EXCP06_ILLOP, ra);
    }
    if ((uint32_t)env->regs[R_ECX] != 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
}

/* The monitored range is not watched (see helper_mwait); the address
 * is checked as a read would check it. */
void helper_monitor(CPUX86State *env, uint64_t addr)
{
    uintptr_t ra = GETPC();

    check_monitor(env, ra);
    cpu_ldub_mmuidx_ra(env_cpu(env), addr,
                       x86_cpl(env) == 3 ? X86_MMU_IDX_USER
                                         : X86_MMU_IDX_KERNEL, ra);
}

/* mwait waits as hlt does, for an interrupt, on a machine of one CPU;
 * with several, another may write the monitored line, which is not
 * watched, so mwait returns at once (a wake-up the architecture
 * allows), as QEMU's does. */
void helper_mwait(CPUX86State *env, uint32_t next_eip_addend)
{
    check_monitor(env, GETPC());
    env->rip += next_eip_addend;
    if (cpus->len == 1) {
        helper_hlt(env, 0);
    }
}

/* ---- port I/O ---- */

bool x86_io_allowed(CPUX86State *env, uint32_t port, int size)
{
    int iopl = (env->rflags & EFLAGS_IOPL) >> EFLAGS_IOPL_SHIFT;
    uint32_t type = (env->tr.flags >> DESC_TYPE_SHIFT) & 15, base, bits;
    CPUState *cs = env_cpu(env);

    if (!(env->cr[0] & CR0_PE_MASK) ||
        (!(env->rflags & EFLAGS_VM) && x86_cpl(env) <= iopl)) {
        return true;
    }
    /* The I/O permission bitmap of a 32-bit TSS: every bit clear. */
    if (!(env->tr.flags & DESC_P_MASK) || (type != 9 && type != 11) ||
        env->tr.limit < 0x67) {
        return false;
    }
    base = cpu_lduw_mmuidx_ra(cs, env->tr.base + 0x66, X86_MMU_IDX_KERNEL,
                              0);
    if (base + (port >> 3) + 1 > env->tr.limit) {
        return false;
    }
    bits = cpu_lduw_mmuidx_ra(cs, env->tr.base + base + (port >> 3),
                              X86_MMU_IDX_KERNEL, 0);
    return ((bits >> (port & 7)) & ((1u << size) - 1)) == 0;
}

void helper_check_io(CPUX86State *env, uint32_t port, uint32_t size)
{
    if (!x86_io_allowed(env, port, size)) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
}

uint32_t helper_in(CPUX86State *env, uint32_t port, uint32_t size)
{
    CPUState *cs = env_cpu(env);
    bool taken = bql_lock_if_needed();
    uint32_t v;

    tcg_icount_io_begin(cs, GETPC());
    v = ioport_read(port, size);
    tcg_icount_io_end(cs);
    bql_unlock_if(taken);
    return v;
}

void helper_out(CPUX86State *env, uint32_t port, uint32_t value,
                uint32_t size)
{
    CPUState *cs = env_cpu(env);
    bool taken = bql_lock_if_needed();

    tcg_icount_io_begin(cs, GETPC());
    address_space_st(&address_space_io, port, size, value);
    tcg_icount_io_end(cs);
    bql_unlock_if(taken);
}

/* ---- CPUID ---- */

/* The model whose CPUID a tcg CPU presents: "max" under tcg is qemu64
 * (x86_cpu_tcg_features). */
static const X86CPUModel *x86_cpu_presented_model(CPUX86State *env)
{
    const X86CPUModel *m = X86_CPU_GET_CLASS(env_archcpu(env))->model;

    return m->host_passthrough ? x86_cpu_model_find("qemu64") : m;
}

/*
 * QEMU's caches (its legacy_l1d/l1i/l2/l3 cache descriptions) as leaf 4
 * describes them to Intel models: type and level, ways, partitions and
 * line size, sets, flags.  Which APIC IDs share each and the cores of
 * the package are added per -smp.
 */
static const uint32_t cpuid4_caches[4][4] = {
    { 0x121, 0x01c0003f, 0x0000003f, 0x00000001 },    /* L1 data, 32 KiB */
    { 0x122, 0x01c0003f, 0x0000003f, 0x00000001 },    /* L1 code, 32 KiB */
    { 0x143, 0x03c0003f, 0x00000fff, 0x00000001 },    /* L2, 4 MiB */
    { 0x163, 0x03c0003f, 0x00003fff, 0x00000006 },    /* L3, 16 MiB */
};

/* Leaf 0xb (extended topology), subleaf level: SMT, then core. */
static void cpuid_topology(X86CPU *cpu, uint32_t level, uint32_t r[4])
{
    unsigned core_shift = x86_apicid_bits(cpu->cpuid_threads);
    unsigned package_shift = core_shift + x86_apicid_bits(cpu->cpuid_cores);

    r[2] = level & 0xff;
    r[3] = cpu->env.apic_id;
    if (level == 0) {
        r[0] = core_shift;
        r[1] = cpu->cpuid_threads;
        r[2] |= 1 << 8;
    } else if (level == 1) {
        r[0] = package_shift;
        r[1] = cpu->cpuid_cores * cpu->cpuid_threads;
        r[2] |= 2 << 8;
    }
}

/* Intel's "out of range" answer is the highest basic leaf; zeroes are
 * what QEMU's TCG CPUs give for leaves they do not describe.  The cache
 * and TLB leaves are QEMU's numbers (2 and 4 for Intel models only, as
 * QEMU 7.2 gives them), the topology is -smp's, with QEMU's APIC IDs. */
void helper_cpuid(CPUX86State *env)
{
    const X86CPUModel *m = x86_cpu_presented_model(env);
    X86CPU *cpu = env_archcpu(env);
    const uint32_t *features = cpu->features;
    uint32_t leaf = env->regs[R_EAX], subleaf = env->regs[R_ECX];
    uint32_t r[4] = { 0 };   /* a b c d */
    unsigned logical = cpu->cpuid_cores * cpu->cpuid_threads;
    unsigned package_shift = x86_apicid_bits(cpu->cpuid_threads) +
                             x86_apicid_bits(cpu->cpuid_cores);
    bool amd = x86_cpu_is_amd(env);

    /* A leaf past the highest, basic or extended, reads as the highest
     * basic leaf (Intel's answer, which QEMU gives every model) */
    if (leaf & 0x80000000 ? leaf > m->xlevel : leaf > m->level) {
        leaf = m->level;
    }
    switch (leaf) {
    case 0:
    case 0x80000000:
        r[0] = leaf ? m->xlevel : m->level;
        memcpy(&r[1], m->vendor, 4);
        memcpy(&r[3], m->vendor + 4, 4);
        memcpy(&r[2], m->vendor + 8, 4);
        break;
    case 1:
        r[0] = env->cpuid_version;
        /* APIC ID, CLFLUSH line size 64; one logical processor per
         * package leaves the count (23:16) 0, as QEMU does */
        r[1] = (env->apic_id << 24) | (8 << 8);
        r[2] = features[FEAT_1_ECX];
        if (env->cr[4] & CR4_OSXSAVE_MASK) {
            r[2] |= CPUID_1_ECX_OSXSAVE;
        }
        r[3] = features[FEAT_1_EDX];
        if (logical > 1) {
            r[1] |= logical << 16;
            r[3] |= CPUID_1_EDX_HTT;
        }
        break;
    case 2:
        /* one round of descriptors: 64-byte prefetch (0x4d is the L3),
         * L1 data 0x2c, L1 code 0x30, L2 0x7d */
        if (!amd) {
            r[0] = 1;
            r[2] = 0x4d;
            r[3] = 0x002c307d;
        }
        break;
    case 4:
        if (!amd && subleaf < ARRAY_SIZE(cpuid4_caches)) {
            /* sharing: L1 per thread, L2 per core, L3 per package */
            unsigned shared[] = { 1, 1, cpu->cpuid_threads,
                                  1u << package_shift };

            memcpy(r, cpuid4_caches[subleaf], sizeof(r));
            r[0] |= ((cpu->cpuid_cores - 1) << 26) |
                    ((shared[subleaf] - 1) << 14);
        }
        break;
    case 5:
        /* MONITOR/MWAIT: line sizes 0 (unknown), MWAIT's extensions
         * enumerated, interrupts as break events, as QEMU's */
        r[2] = 3;
        break;
    case 7:
        /* structured extended features, subleaf 0 (the only one) */
        if ((uint32_t)env->regs[R_ECX] == 0) {
            r[1] = features[FEAT_7_0_EBX];
            r[2] = features[FEAT_7_0_ECX];
            r[3] = features[FEAT_7_0_EDX];
        }
        break;
    case 0xd:
        /* XSAVE: x87 and SSE in the standard format; XSAVEOPT */
        if (!(features[FEAT_1_ECX] & CPUID_1_ECX_XSAVE)) {
            break;
        }
        if ((uint32_t)env->regs[R_ECX] == 0) {
            r[0] = X86_XSTATE_SUPPORTED;
            r[1] = r[2] = X86_XSAVE_AREA_SIZE;
        } else if ((uint32_t)env->regs[R_ECX] == 1) {
            /* xsaveopt as the model says; the size of the components
             * XCR0 enables, compacted (x87 and SSE: the legacy area) */
            r[0] = features[FEAT_D_1_EAX];
            r[1] = X86_XSAVE_AREA_SIZE;
        }
        break;
    case 0x80000001:
        r[0] = env->cpuid_version;
        r[2] = features[FEAT_8000_0001_ECX];
        r[3] = features[FEAT_8000_0001_EDX];
        if (amd) {
            r[3] |= features[FEAT_1_EDX] & CPUID_EXT2_AMD_ALIASES;
            if (logical > 1) {
                r[2] |= CPUID_EXT3_CMP_LEGACY;
            }
        }
        break;
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
        char brand[48] = "";

        strncpy(brand, m->model_id, sizeof(brand) - 1);
        memcpy(r, brand + (leaf - 0x80000002) * 16, 16);
        break;
    }
    case 0xb:
        cpuid_topology(cpu, subleaf, r);
        break;
    case 0x80000005:
        /* L1 TLBs (2M/4M, then 4K pages), 64 KiB L1 data and code */
        r[0] = r[1] = 0x01ff01ff;
        r[2] = r[3] = 0x40020140;
        break;
    case 0x80000006:
        /* L2 TLBs, a 512 KiB L2, a 16 MiB L3 */
        r[1] = 0x42004200;
        r[2] = 0x02008140;
        r[3] = 0x00808140;
        break;
    case 0x80000008:
        /* 40 physical, 48 linear address bits; without long mode, as
         * QEMU: 36 physical bits with PSE-36, 32 without */
        if (features[FEAT_8000_0001_EDX] & CPUID_EXT2_LM) {
            r[0] = 0x3028;
        } else {
            r[0] = features[FEAT_1_EDX] & CPUID_1_EDX_PSE36 ? 36 : 32;
        }
        if (logical > 1) {
            r[2] = (package_shift << 12) | (logical - 1);
        }
        break;
    default:
        break;
    }
    env->regs[R_EAX] = r[0];
    env->regs[R_EBX] = r[1];
    env->regs[R_ECX] = r[2];
    env->regs[R_EDX] = r[3];
}

/* ---- MSRs and the TSC ---- */

enum {
    MSR_IA32_TSC = 0x10,
    MSR_IA32_APICBASE = 0x1b,
    MSR_IA32_UCODE_REV = 0x8b,
    MSR_MTRRCAP = 0xfe,
    MSR_MTRR_PHYSBASE0 = 0x200,
    MSR_MTRR_FIX64K_00000 = 0x250,
    MSR_MTRR_FIX16K_80000 = 0x258,
    MSR_MTRR_FIX16K_A0000 = 0x259,
    MSR_MTRR_FIX4K_C0000 = 0x268,
    MSR_MTRR_FIX4K_F8000 = 0x26f,
    MSR_IA32_SYSENTER_CS = 0x174,
    MSR_MCG_CAP = 0x179,
    MSR_MCG_STATUS = 0x17a,
    MSR_MCG_CTL = 0x17b,
    MSR_MC0_CTL = 0x400,
    MSR_IA32_SYSENTER_ESP = 0x175,
    MSR_IA32_SYSENTER_EIP = 0x176,
    MSR_IA32_MISC_ENABLE = 0x1a0,
    MSR_IA32_TSC_DEADLINE = 0x6e0,
    MSR_PAT = 0x277,
    MSR_MTRR_DEF_TYPE = 0x2ff,
    MSR_EFER = 0xc0000080,
    MSR_K7_EVNTSEL0 = 0xc0010000,
    MSR_AMD64_SYSCFG = 0xc0010010,
    MSR_K7_HWCR = 0xc0010015,
    MSR_AMD64_DE_CFG = 0xc0011029,
    MSR_K8_INT_PENDING_MSG = 0xc0010055,
    MSR_STAR = 0xc0000081,
    MSR_LSTAR = 0xc0000082,
    MSR_CSTAR = 0xc0000083,
    MSR_FMASK = 0xc0000084,
    MSR_FS_BASE = 0xc0000100,
    MSR_GS_BASE = 0xc0000101,
    MSR_KERNEL_GS_BASE = 0xc0000102,
    MSR_TSC_AUX = 0xc0000103,
    MSR_VM_HSAVE_PA = 0xc0010117,
};

/* MTRRcap as QEMU's CPUs report it: 8 variable ranges, the fixed
 * ranges, write-combining. */
#define MTRRCAP_VALUE (8 | (1 << 8) | (1 << 10))

/* MCG_CAP as QEMU's CPUs report it where CPUID announces MCE and MCA
 * (family 6 and later): MCG_CTL present, software error recovery,
 * X86_MCE_BANKS banks. */
#define MCG_CTL_P (1 << 8)
#define MCG_SER_P (1 << 24)

static uint64_t x86_mcg_cap(CPUX86State *env)
{
    uint32_t mca = (1u << 7) | (1u << 14);      /* CPUID.01H:EDX mce, mca */
    unsigned family = (env->cpuid_version >> 8) & 0xf;

    if ((env_archcpu(env)->features[FEAT_1_EDX] & mca) != mca ||
        family < 6) {
        return 0;
    }
    return MCG_CTL_P | MCG_SER_P | X86_MCE_BANKS;
}

/* The machine-check MSR that MSR is (MCG_STATUS, MCG_CTL, a bank
 * register), or NULL: no such MSR on this CPU (MCG_CAP is computed). */
static uint64_t *mce_msr(CPUX86State *env, uint32_t msr)
{
    uint64_t cap = x86_mcg_cap(env);

    if (msr == MSR_MCG_STATUS && cap) {
        return &env->mcg_status;
    } else if (msr == MSR_MCG_CTL && (cap & MCG_CTL_P)) {
        return &env->mcg_ctl;
    } else if (msr >= MSR_MC0_CTL && msr < MSR_MC0_CTL + 4 * (cap & 0xff)) {
        return &env->mce_banks[msr - MSR_MC0_CTL];
    }
    return NULL;
}

bool x86_cpu_is_amd(CPUX86State *env)
{
    return !strcmp(x86_cpu_presented_model(env)->vendor, "AuthenticAMD");
}

/* The microcode revision QEMU's CPU models report (its ucode-rev
 * property's default), which the kernel prints and compares with its
 * tables of broken microcode. */
static uint64_t x86_ucode_rev(CPUX86State *env)
{
    return x86_cpu_is_amd(env) ? 0x01000065 : 0x100000000ull;
}

/*
 * AMD MSRs that a kernel reads on an AMD family 0xf CPU and that QEMU's
 * AMD models read as 0: SYSCFG (no DRAM bits in the fixed MTRRs, no
 * TOM2), the interrupt-pending message register (C1E never active),
 * HWCR and DE_CFG (no feature switched on or off), performance event
 * select 0 (no counter running: CPUID announces no performance
 * counters).  Writes are dropped, as QEMU drops them.
 */
static bool amd_msr_reads_zero(CPUX86State *env, uint32_t msr)
{
    switch (msr) {
    case MSR_AMD64_SYSCFG:
    case MSR_K8_INT_PENDING_MSG:
    case MSR_K7_HWCR:
    case MSR_AMD64_DE_CFG:
    case MSR_K7_EVNTSEL0:
        return x86_cpu_is_amd(env);
    default:
        return false;
    }
}

/* In long mode these MSRs hold linear addresses, which must be
 * canonical (#GP on wrmsr otherwise). */
static bool msr_holds_address(uint32_t msr)
{
    switch (msr) {
    case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP:
    case MSR_LSTAR:
    case MSR_CSTAR:
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_KERNEL_GS_BASE:
        return true;
    default:
        return false;
    }
}

/* The TSC counts nanoseconds of the virtual clock (a 1 GHz TSC), so it
 * stops with the machine. */
static uint64_t x86_tsc(CPUX86State *env)
{
    return clock_virtual_ns() + env->tsc_offset;
}

/* The field an MSR lives in, for those that are plain storage. */
static uint64_t *msr_field(CPUX86State *env, uint32_t msr)
{
    switch (msr) {
    case MSR_IA32_SYSENTER_CS:
        return &env->sysenter_cs;
    case MSR_IA32_SYSENTER_ESP:
        return &env->sysenter_esp;
    case MSR_IA32_SYSENTER_EIP:
        return &env->sysenter_eip;
    case MSR_IA32_MISC_ENABLE:
        return &env->misc_enable;
    case MSR_PAT:
        return &env->pat;
    case MSR_MTRR_DEF_TYPE:
        return &env->mtrr_deftype;
    case MSR_STAR:
        return &env->star;
    case MSR_LSTAR:
        return &env->lstar;
    case MSR_CSTAR:
        return &env->cstar;
    case MSR_FMASK:
        return &env->fmask;
    case MSR_FS_BASE:
        return &env->segs[R_FS].base;
    case MSR_GS_BASE:
        return &env->segs[R_GS].base;
    case MSR_KERNEL_GS_BASE:
        return &env->kernel_gs_base;
    case MSR_TSC_AUX:
        return &env->tsc_aux;
    case MSR_VM_HSAVE_PA:
        return &env->vm_hsave;
    case MSR_IA32_APICBASE:
        return &env->apic_base;
    case MSR_MTRR_PHYSBASE0 ... MSR_MTRR_PHYSBASE0 + 15:
        return &env->mtrr_var[msr - MSR_MTRR_PHYSBASE0];
    case MSR_MTRR_FIX64K_00000:
        return &env->mtrr_fixed[0];
    case MSR_MTRR_FIX16K_80000:
    case MSR_MTRR_FIX16K_A0000:
        return &env->mtrr_fixed[1 + msr - MSR_MTRR_FIX16K_80000];
    case MSR_MTRR_FIX4K_C0000 ... MSR_MTRR_FIX4K_F8000:
        return &env->mtrr_fixed[3 + msr - MSR_MTRR_FIX4K_C0000];
    default:
        return NULL;
    }
}

/* IA32_TSC_DEADLINE belongs to the local APIC (user space: tcg). */
static bool has_tsc_deadline(CPUX86State *env)
{
    X86CPU *cpu = env_archcpu(env);

    return cpu->irq_ops && cpu->irq_ops->get_tsc_deadline;
}

/* The APIC is a device: it runs under the lock. */
static uint64_t tsc_deadline_access(CPUX86State *env, bool write,
                                    uint64_t value)
{
    X86CPU *cpu = env_archcpu(env);
    bool taken = bql_lock_if_needed();

    if (write) {
        cpu->irq_ops->set_tsc_deadline(cpu->irq_opaque, value);
    } else {
        value = cpu->irq_ops->get_tsc_deadline(cpu->irq_opaque);
    }
    bql_unlock_if(taken);
    return value;
}

void helper_rdmsr(CPUX86State *env)
{
    uint32_t msr = env->regs[R_ECX];
    uint64_t *field = msr_field(env, msr), v;

    if (field) {
        v = *field;
    } else if ((field = mce_msr(env, msr))) {
        v = *field;
    } else if (msr == MSR_MCG_CAP && x86_mcg_cap(env)) {
        v = x86_mcg_cap(env);
    } else if (amd_msr_reads_zero(env, msr)) {
        v = 0;
    } else if (msr == MSR_IA32_UCODE_REV) {
        v = x86_ucode_rev(env);
    } else if (msr == MSR_IA32_TSC) {
        v = x86_tsc(env);
    } else if (msr == MSR_EFER) {
        v = env->efer;
    } else if (msr == MSR_IA32_TSC_DEADLINE && has_tsc_deadline(env)) {
        v = tsc_deadline_access(env, false, 0);
    } else if (msr == MSR_MTRRCAP) {
        v = MTRRCAP_VALUE;
    } else {
        emu_log_mask(LOG_UNIMP, "x86 tcg: rdmsr 0x%x: #GP\n", msr);
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = v >> 32;
}

void helper_wrmsr(CPUX86State *env)
{
    uint32_t msr = env->regs[R_ECX];
    uint64_t v = (uint32_t)env->regs[R_EAX] |
                 ((uint64_t)env->regs[R_EDX] << 32);
    uint64_t *field = msr_field(env, msr);

    if (msr_holds_address(msr) && !x86_is_canonical(v)) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    if (msr == MSR_EFER) {
        uint64_t writable = EFER_SCE | EFER_LME | EFER_NXE;

        if (v & ~(writable | EFER_LMA)) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
        }
        if ((v ^ env->efer) & EFER_NXE) {
            tlb_flush(env_cpu(env));
        }
        env->efer = (env->efer & EFER_LMA) | (v & writable);
    } else if (msr == MSR_IA32_TSC) {
        env->tsc_offset = v - clock_virtual_ns();
    } else if (msr == MSR_IA32_TSC_DEADLINE && has_tsc_deadline(env)) {
        tsc_deadline_access(env, true, v);
    } else if (field) {
        *field = v;
    } else if (amd_msr_reads_zero(env, msr) || msr == MSR_IA32_UCODE_REV) {
        /* dropped (a write of 0 to the microcode revision asks the CPU
         * to load it into the MSR: it is always there) */
    } else if ((field = mce_msr(env, msr))) {
        /* As QEMU: the enable registers (MCG_CTL, MCi_CTL) take all
         * zeros or all ones and ignore other values; the others take
         * any value (the kernel clears them). */
        bool is_ctl = msr == MSR_MCG_CTL ||
                      (msr != MSR_MCG_STATUS && (msr - MSR_MC0_CTL) % 4 == 0);

        if (!is_ctl || v == 0 || v == ~(uint64_t)0) {
            *field = v;
        }
    } else {
        emu_log_mask(LOG_UNIMP, "x86 tcg: wrmsr 0x%x = 0x%" PRIx64 ": #GP\n",
                     msr, v);
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
}

/* CR4.TSD keeps the TSC to CPL 0. */
static void check_tsd(CPUX86State *env, uintptr_t ra)
{
    if ((env->cr[4] & CR4_TSD_MASK) && x86_cpl(env) != 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
    }
}

/* EDX:EAX = the TSC, for the instruction at ra (-icount counts the
 * block's instructions up to it). */
static void read_tsc_into_edx_eax(CPUX86State *env, uintptr_t ra)
{
    uint64_t v;

    tcg_icount_io_begin(env_cpu(env), ra);
    v = x86_tsc(env);
    tcg_icount_io_end(env_cpu(env));

    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = v >> 32;
}

void helper_rdtsc(CPUX86State *env)
{
    uintptr_t ra = GETPC();

    check_tsd(env, ra);
    read_tsc_into_edx_eax(env, ra);
}

/* rdtscp: the TSC and IA32_TSC_AUX (the kernel's CPU number), where
 * CPUID.80000001H:EDX.RDTSCP says the CPU has it. */
void helper_rdtscp(CPUX86State *env)
{
    uintptr_t ra = GETPC();

    if (!(env_archcpu(env)->features[FEAT_8000_0001_EDX] &
          CPUID_EXT2_RDTSCP)) {
        x86_raise_exception(env, EXCP06_ILLOP, ra);
    }
    check_tsd(env, ra);
    read_tsc_into_edx_eax(env, ra);
    env->regs[R_ECX] = (uint32_t)env->tsc_aux;
}

/* rdfsbase (op 0), rdgsbase (1), wrfsbase (2), wrgsbase (3) with value:
 * #UD without CR4.FSGSBASE, #GP for a non-canonical base; returns the
 * base. */
uint64_t helper_fsgsbase(CPUX86State *env, uint32_t op, uint64_t value)
{
    SegmentCache *seg = &env->segs[(op & 1) ? R_GS : R_FS];

    if (!(env->cr[4] & CR4_FSGSBASE_MASK)) {
        x86_raise_exception(env, EXCP06_ILLOP, GETPC());
    }
    if (op >= 2) {
        if (!x86_is_canonical(value)) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
        }
        seg->base = value;
    }
    return seg->base;
}

/* ---- CR8: the task priority ---- */

/* CR8 is TPR[7:4] of the local APIC; without one (kvm keeps its own),
 * the value is kept in env->cr8. */
static bool has_tpr(CPUX86State *env)
{
    X86CPU *cpu = env_archcpu(env);

    return cpu->irq_ops && cpu->irq_ops->get_tpr;
}

uint64_t helper_read_cr8(CPUX86State *env)
{
    X86CPU *cpu = env_archcpu(env);
    uint64_t v;
    bool taken;

    if (!has_tpr(env)) {
        return env->cr8;
    }
    taken = bql_lock_if_needed();
    v = cpu->irq_ops->get_tpr(cpu->irq_opaque) >> 4;
    bql_unlock_if(taken);
    return v;
}

void helper_write_cr8(CPUX86State *env, uint64_t value)
{
    X86CPU *cpu = env_archcpu(env);
    bool taken;

    if (value & ~0xfull) {
        x86_raise_exception_err(env, EXCP0D_GPF, 0, GETPC());
    }
    if (!has_tpr(env)) {
        env->cr8 = value;
        return;
    }
    taken = bql_lock_if_needed();
    cpu->irq_ops->set_tpr(cpu->irq_opaque, value << 4);
    bql_unlock_if(taken);
}

/* ---- control registers ---- */

/* Whether cr0 and cr4 (with EFER) give PAE paging: not long mode, whose
 * walk starts at the PML4. */
static bool pae_paging(CPUX86State *env, uint64_t cr0, uint64_t cr4)
{
    return (cr0 & CR0_PG_MASK) && (cr4 & CR4_PAE_MASK) &&
           !(env->efer & EFER_LME);
}

void helper_write_cr(CPUX86State *env, uint32_t reg, uint64_t value)
{
    uintptr_t ra = GETPC();
    CPUState *cs = env_cpu(env);
    uint64_t old = env->cr[reg];

    switch (reg) {
    case 0:
        if ((value & CR0_PG_MASK) && !(value & CR0_PE_MASK)) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
        if (pae_paging(env, value, env->cr[4]) &&
            ((old ^ value) & (CR0_PG_MASK | CR0_CD_MASK | CR0_NW_MASK)) &&
            !x86_pae_pdptes_valid(env, env->cr[3])) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
        if ((value & CR0_PG_MASK) && !(old & CR0_PG_MASK) &&
            (env->efer & EFER_LME)) {
            if (!(env->cr[4] & CR4_PAE_MASK)) {
                x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
            }
            env->efer |= EFER_LMA;
        }
        if (!(value & CR0_PG_MASK)) {
            env->efer &= ~(uint64_t)EFER_LMA;
        }
        env->cr[0] = value | (1u << 4);      /* ET is always set */
        if ((old ^ value) & (CR0_PG_MASK | CR0_PE_MASK | CR0_WP_MASK)) {
            tlb_flush(cs);
        }
        break;
    case 2:
        env->cr[2] = value;
        break;
    case 3:
        if (pae_paging(env, env->cr[0], env->cr[4]) &&
            !x86_pae_pdptes_valid(env, value)) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
        env->cr[3] = value;
        /* global pages stay mapped (the kernel's, with CR4.PGE): Linux
         * switches CR3 for every text patch */
        tlb_flush_nonglobal(cs);
        break;
    case 4:
        if (((value & CR4_OSXSAVE_MASK) &&
             !(env_archcpu(env)->features[FEAT_1_ECX] &
               CPUID_1_ECX_XSAVE)) ||
            ((value & CR4_FSGSBASE_MASK) &&
             !(env_archcpu(env)->features[FEAT_7_0_EBX] &
               CPUID_7_0_EBX_FSGSBASE))) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
        if (pae_paging(env, env->cr[0], value) &&
            ((old ^ value) & (CR4_PAE_MASK | CR4_PGE_MASK | CR4_PSE_MASK)) &&
            !x86_pae_pdptes_valid(env, env->cr[3])) {
            x86_raise_exception_err(env, EXCP0D_GPF, 0, ra);
        }
        env->cr[4] = value;
        if ((old ^ value) & (CR4_PGE_MASK | CR4_PAE_MASK | CR4_PSE_MASK)) {
            tlb_flush(cs);
        }
        break;
    }
}

void helper_invlpg(CPUX86State *env, uint64_t addr)
{
    tlb_flush_page(env_cpu(env), addr);
}

/* ---- division ---- */

void helper_divb(CPUX86State *env, uint32_t divisor)
{
    uint32_t num = env->regs[R_EAX] & 0xffff, den = divisor & 0xff, q;

    if (den == 0 || (q = num / den) > 0xff) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) |
                       ((num % den) << 8) | q;
}

void helper_idivb(CPUX86State *env, uint32_t divisor)
{
    int32_t num = (int16_t)env->regs[R_EAX], den = (int8_t)divisor;
    int32_t q = den ? num / den : 0;

    if (den == 0 || q != (int8_t)q) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) |
                       (((num % den) & 0xff) << 8) | (q & 0xff);
}

static void set_reg16(CPUX86State *env, int reg, uint32_t v)
{
    env->regs[reg] = (env->regs[reg] & ~0xffffull) | (v & 0xffff);
}

void helper_divw(CPUX86State *env, uint32_t divisor)
{
    uint32_t num = (env->regs[R_EAX] & 0xffff) |
                   ((env->regs[R_EDX] & 0xffff) << 16);
    uint32_t den = divisor & 0xffff, q;

    if (den == 0 || (q = num / den) > 0xffff) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    set_reg16(env, R_EAX, q);
    set_reg16(env, R_EDX, num % den);
}

void helper_idivw(CPUX86State *env, uint32_t divisor)
{
    int32_t num = (int32_t)((env->regs[R_EAX] & 0xffff) |
                            ((env->regs[R_EDX] & 0xffff) << 16));
    int32_t den = (int16_t)divisor;
    int32_t q = den && !(num == INT32_MIN && den == -1) ? num / den : 0;

    if (den == 0 || (num == INT32_MIN && den == -1) || q != (int16_t)q) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    set_reg16(env, R_EAX, q);
    set_reg16(env, R_EDX, num % den);
}

void helper_divl(CPUX86State *env, uint32_t divisor)
{
    uint64_t num = (uint32_t)env->regs[R_EAX] |
                   ((uint64_t)(uint32_t)env->regs[R_EDX] << 32), q;

    if (divisor == 0 || (q = num / divisor) > UINT32_MAX) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)q;
    env->regs[R_EDX] = (uint32_t)(num % divisor);
}

void helper_idivl(CPUX86State *env, uint32_t divisor)
{
    int64_t num = (int64_t)((uint32_t)env->regs[R_EAX] |
                            ((uint64_t)(uint32_t)env->regs[R_EDX] << 32));
    int64_t den = (int32_t)divisor;
    int64_t q = den && !(num == INT64_MIN && den == -1) ? num / den : 0;

    if (den == 0 || (num == INT64_MIN && den == -1) || q != (int32_t)q) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)q;
    env->regs[R_EDX] = (uint32_t)(num % den);
}

/* RDX:RAX by a 64-bit divisor; #DE when the quotient does not fit. */
void helper_divq(CPUX86State *env, uint64_t divisor)
{
    unsigned __int128 num = (unsigned __int128)env->regs[R_EDX] << 64 |
                            env->regs[R_EAX], q;

    /* Most dividends fit in RAX (xor edx, edx; div): one 64-bit host
     * division, where the 128-bit one is a libgcc call ten times as
     * long. */
    if (env->regs[R_EDX] == 0 && divisor) {
        uint64_t n = env->regs[R_EAX];

        env->regs[R_EAX] = n / divisor;
        env->regs[R_EDX] = n % divisor;
        return;
    }
    if (divisor == 0 || (q = num / divisor) > UINT64_MAX) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint64_t)q;
    env->regs[R_EDX] = (uint64_t)(num % divisor);
}

void helper_idivq(CPUX86State *env, uint64_t divisor)
{
    __int128 num = (__int128)((unsigned __int128)env->regs[R_EDX] << 64 |
                              env->regs[R_EAX]);
    __int128 den = (int64_t)divisor, q;
    int64_t n = (int64_t)env->regs[R_EAX], d = (int64_t)divisor;

    /* RDX the sign extension of RAX (cqo; idiv): one 64-bit host
     * division, unless it overflows (INT64_MIN / -1 is #DE) */
    if ((int64_t)env->regs[R_EDX] == n >> 63 && d != 0 &&
        !(n == INT64_MIN && d == -1)) {
        env->regs[R_EAX] = (uint64_t)(n / d);
        env->regs[R_EDX] = (uint64_t)(n % d);
        return;
    }
    /* num / -1 overflows __int128 itself for the smallest num */
    if (den == 0 ||
        (den == -1 && num == (__int128)((unsigned __int128)1 << 127))) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int64_t)q) {
        x86_raise_exception(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint64_t)q;
    env->regs[R_EDX] = (uint64_t)(num % den);
}

/* ---- BCD ---- */

/* The flags of an 8-bit result r, with CF and AF as given, OF clear. */
static uint32_t flags_of_byte(uint32_t r, bool cf, bool af)
{
    return x86_cc_compute_all(CC_OP(CC_KIND_LOGIC, MO_8), r & 0xff, 0, 0) |
           (cf ? EFLAGS_CF : 0) | (af ? EFLAGS_AF : 0);
}

static void set_cc_flags(CPUX86State *env, uint32_t flags)
{
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = flags;
}

void helper_bcd(CPUX86State *env, uint32_t op, uint32_t imm)
{
    uint32_t f = x86_cpu_get_eflags(env);
    uint32_t al = env->regs[R_EAX] & 0xff, ah = (env->regs[R_EAX] >> 8) & 0xff;
    bool cf = f & EFLAGS_CF, af = f & EFLAGS_AF, adjust;

    switch (op) {
    case BCD_DAA:
    case BCD_DAS: {
        uint32_t old_al = al;
        bool old_cf = cf;

        cf = false;
        adjust = (al & 0xf) > 9 || af;
        if (adjust) {
            cf = old_cf || (op == BCD_DAA ? al + 6 > 0xff : al < 6);
            al = (op == BCD_DAA ? al + 6 : al - 6) & 0xff;
        }
        af = adjust;
        if (old_al > 0x99 || old_cf) {
            al = (op == BCD_DAA ? al + 0x60 : al - 0x60) & 0xff;
            cf = true;
        }
        break;
    }
    case BCD_AAA:
    case BCD_AAS:
        adjust = (al & 0xf) > 9 || af;
        if (adjust) {
            uint32_t ax = al | (ah << 8);

            ax = op == BCD_AAA ? ax + 0x106 : ax - 6 - 0x100;
            al = ax & 0xff;
            ah = (ax >> 8) & 0xff;
        }
        al &= 0xf;
        cf = af = adjust;
        break;
    case BCD_AAM:
        ah = al / imm;
        al = al % imm;
        cf = af = false;
        break;
    default:                     /* AAD */
        al = (al + ah * imm) & 0xff;
        ah = 0;
        cf = af = false;
        break;
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | al | (ah << 8);
    set_cc_flags(env, flags_of_byte(al, cf, af));
}

/* ---- shifts and rotates ---- */

uint64_t helper_shift(CPUX86State *env, uint64_t value, uint64_t other,
                      uint32_t count, uint32_t op)
{
    typedef unsigned __int128 u128;  /* RCL/RCR, SHLD/SHRD of 64 bits */
    int kind = op & 15, bits = 8 << (op >> 4);
    uint64_t mask = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
    uint64_t sign = 1ULL << (bits - 1);
    uint64_t v = value & mask, o = other & mask, r;
    uint32_t f = x86_cpu_get_eflags(env) & EFLAGS_CC_MASK;
    bool cf, of;
    int c;

    count &= bits == 64 ? 63 : 31;
    if (count == 0) {
        return value;
    }
    switch (kind) {
    case SHIFT_ROL:
    case SHIFT_ROR:
        c = count % bits;
        r = kind == SHIFT_ROL ? ((v << c) | (v >> ((bits - c) % bits)))
                              : ((v >> c) | (v << ((bits - c) % bits)));
        r &= mask;
        if (kind == SHIFT_ROL) {
            cf = r & 1;
            of = ((r & sign) != 0) != cf;
        } else {
            cf = (r & sign) != 0;
            of = ((r ^ (r << 1)) & sign) != 0;
        }
        /* Only CF and OF change. */
        f = (f & ~(EFLAGS_CF | EFLAGS_OF)) | (cf ? EFLAGS_CF : 0) |
            (of ? EFLAGS_OF : 0);
        set_cc_flags(env, f);
        return r;
    case SHIFT_RCL:
    case SHIFT_RCR: {
        /* a rotate of bits + 1 bits: the value and CF */
        u128 wide = v | ((u128)(f & EFLAGS_CF) << bits);
        int n = bits + 1;

        c = count % n;
        if (c == 0) {
            return value;
        }
        wide = kind == SHIFT_RCL ? (wide << c) | (wide >> (n - c))
                                 : (wide >> c) | (wide << (n - c));
        r = (uint64_t)wide & mask;
        cf = (wide >> bits) & 1;
        of = kind == SHIFT_RCL ? ((r & sign) != 0) != cf
                               : ((r ^ (r << 1)) & sign) != 0;
        f = (f & ~(EFLAGS_CF | EFLAGS_OF)) | (cf ? EFLAGS_CF : 0) |
            (of ? EFLAGS_OF : 0);
        set_cc_flags(env, f);
        return r;
    }
    case SHIFT_SHL:
    case SHIFT_SAL:
        r = (v << count) & mask;
        cf = (int)count <= bits && ((v >> (bits - count)) & 1);
        of = ((r & sign) != 0) != cf;
        break;
    case SHIFT_SHR:
        r = v >> count;
        cf = (v >> (count - 1)) & 1;
        of = (v & sign) != 0;
        break;
    case SHIFT_SAR: {
        int64_t sv = (int64_t)(v << (64 - bits)) >> (64 - bits);

        r = (uint64_t)(sv >> count) & mask;
        cf = (sv >> (count - 1)) & 1;
        of = false;
        break;
    }
    case SHIFT_SHLD:
        r = (uint64_t)((((u128)v << bits) | o) << count >> bits) & mask;
        cf = ((((u128)v << bits) | o) >> (2 * bits - count)) & 1;
        of = ((r ^ v) & sign) != 0;
        break;
    default:                     /* SHRD */
        r = (uint64_t)((((u128)o << bits) | v) >> count) & mask;
        cf = (v >> (count - 1)) & 1;
        of = ((r ^ v) & sign) != 0;
        break;
    }
    set_cc_flags(env, x86_cc_compute_all(CC_OP(CC_KIND_LOGIC, op >> 4), r,
                                         0, 0) |
                      (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0));
    return r;
}
