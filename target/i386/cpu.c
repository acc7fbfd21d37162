/*
 * The x86-64 CPU type and its models (-cpu qemu64, kvm64, max, host):
 * the CPUID each presents, the power-on reset state, and the CPUClass
 * hooks the monitor and the gdb stub use (program counter, page-table
 * walk for "x", Capstone mode for "x /i").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <capstone/capstone.h>
#include "softmmu/memory.h"
#include "sysemu/accel.h"
#include "sysemu/kvm.h"
#include "target/i386/cpu.h"
#include "target/i386/helper.h"
#include "target/i386/gdbstub.h"

#define BIT(n) (1u << (n))

/* CPUID.01H:EDX bits of the Pentium Pro, the base of the qemu64 family. */
#define PPRO_FEATURES (BIT(0) /* fpu */ | BIT(2) /* de */ | BIT(3) /* pse */ \
    | BIT(4) /* tsc */ | BIT(5) /* msr */ | BIT(6) /* pae */            \
    | BIT(7) /* mce */ | BIT(8) /* cx8 */ | BIT(9) /* apic */           \
    | BIT(11) /* sep */ | BIT(13) /* pge */ | BIT(15) /* cmov */        \
    | BIT(16) /* pat */ | BIT(23) /* mmx */ | BIT(24) /* fxsr */        \
    | BIT(25) /* sse */ | BIT(26) /* sse2 */)
#define QEMU64_1_EDX (PPRO_FEATURES | BIT(12) /* mtrr */ | BIT(14) /* mca */ \
    | BIT(17) /* pse36 */ | BIT(19) /* clflush */)
/* sse3 cx16 x2apic hypervisor (x2apic QEMU adds under kvm only) */
#define QEMU64_1_ECX (BIT(0) | BIT(13) | BIT(21) | BIT(31))
#define QEMU64_EXT_EDX (BIT(11) /* syscall */ | BIT(20) /* nx */ \
    | BIT(29) /* lm */)

const FeatureWordInfo feature_word_info[FEATURE_WORDS] = {
    [FEAT_1_EDX] = {
        .leaf = 1, .reg = R_EDX,
        .names = {
            "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
            "cx8", "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov",
            "pat", "pse36", "pn", "clflush", NULL, "ds", "acpi", "mmx",
            "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
        },
    },
    [FEAT_1_ECX] = {
        .leaf = 1, .reg = R_ECX,
        .names = {
            "pni", "pclmulqdq", "dtes64", "monitor", "ds-cpl", "vmx",
            "smx", "est", "tm2", "ssse3", "cid", NULL, "fma", "cx16",
            "xtpr", "pdcm", NULL, "pcid", "dca", "sse4.1", "sse4.2",
            "x2apic", "movbe", "popcnt", "tsc-deadline", "aes", "xsave",
            NULL, "avx", "f16c", "rdrand", "hypervisor",
        },
    },
    [FEAT_7_0_EBX] = {
        .leaf = 7, .subleaf = 0, .reg = R_EBX,
        .names = {
            "fsgsbase", "tsc-adjust", "sgx", "bmi1", "hle", "avx2", NULL,
            "smep", "bmi2", "erms", "invpcid", "rtm", NULL, NULL, "mpx",
            NULL, "avx512f", "avx512dq", "rdseed", "adx", "smap",
            "avx512ifma", "pcommit", "clflushopt", "clwb", "intel-pt",
            "avx512pf", "avx512er", "avx512cd", "sha-ni", "avx512bw",
            "avx512vl",
        },
    },
    [FEAT_8000_0001_EDX] = {
        .leaf = 0x80000001, .reg = R_EDX,
        .names = {
            [11] = "syscall", [20] = "nx", [22] = "mmxext",
            [25] = "fxsr-opt", [26] = "pdpe1gb", [27] = "rdtscp",
            [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
        },
    },
    [FEAT_8000_0001_ECX] = {
        .leaf = 0x80000001, .reg = R_ECX,
        .names = {
            "lahf-lm", "cmp-legacy", "svm", "extapic", "cr8legacy", "abm",
            "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
            "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
            "nodeid-msr", NULL, "tbm", "topoext", "perfctr-core",
            "perfctr-nb",
        },
    },
    [FEAT_D_1_EAX] = {
        .leaf = 0xd, .subleaf = 1, .reg = R_EAX,
        .names = { "xsaveopt", "xsavec", "xgetbv1", "xsaves", "xfd" },
    },
};

/* syscall nx lm, and rdtscp */
#define LM_EXT_EDX QEMU64_EXT_EDX
#define RDTSCP_EXT_EDX (QEMU64_EXT_EDX | BIT(27))

/*
 * QEMU 7.2's models, each as QEMU's pc machine presents it on tcg: the
 * unversioned name is its -v1 (Haswell-noTSX its -v2); the hypervisor
 * bit (leaf 1 ECX bit 31) as QEMU adds it.  AMD models get the aliases
 * of leaf 1 EDX in 0x80000001 EDX from helper_cpuid.
 */
static const X86CPUModel x86_cpu_models[] = {
    {
        .name = "qemu64", .version = "qemu64-v1",
        .level = 0xd, .xlevel = 0x8000000a,
        .vendor = "AuthenticAMD", .family = 15, .model = 107, .stepping = 1,
        .model_id = "QEMU Virtual CPU version 2.5+",
        .kvm_only_1_ecx = BIT(21),                    /* x2apic */
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            [FEAT_1_ECX] = QEMU64_1_ECX,
            [FEAT_8000_0001_EDX] = QEMU64_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0) | BIT(2),   /* lahf-lm svm */
        },
    },
    {
        .name = "kvm64", .version = "kvm64-v1",
        .level = 0xd, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 15, .model = 6, .stepping = 1,
        .model_id = "Common KVM processor",
        .kvm_only_1_ecx = BIT(21),                    /* x2apic */
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            [FEAT_1_ECX] = QEMU64_1_ECX,
            [FEAT_8000_0001_EDX] = QEMU64_EXT_EDX,
        },
    },
    {
        .name = "Conroe", .version = "Conroe-v1",
        .level = 0xa, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 15, .stepping = 3,
        .model_id = "Intel Celeron_4x0 (Conroe/Merom Class Core 2)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            [FEAT_1_ECX] = 0x80000201,       /* pni ssse3 hypervisor */
            [FEAT_8000_0001_EDX] = LM_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0),   /* lahf-lm */
        },
    },
    {
        .name = "Penryn", .version = "Penryn-v1",
        .level = 0xa, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 23, .stepping = 3,
        .model_id = "Intel Core 2 Duo P9xxx (Penryn Class Core 2)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* pni ssse3 cx16 sse4.1 hypervisor */
            [FEAT_1_ECX] = 0x80082201,
            [FEAT_8000_0001_EDX] = LM_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0),
        },
    },
    {
        .name = "Nehalem", .version = "Nehalem-v1",
        .level = 0xb, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 26, .stepping = 3,
        .model_id = "Intel Core i7 9xx (Nehalem Class Core i7)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* pni ssse3 cx16 sse4.1 sse4.2 popcnt hypervisor */
            [FEAT_1_ECX] = 0x80982201,
            [FEAT_8000_0001_EDX] = LM_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0),
        },
    },
    {
        .name = "Westmere", .version = "Westmere-v1",
        .level = 0xb, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 44, .stepping = 1,
        .model_id = "Westmere E56xx/L56xx/X56xx (Nehalem-C)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* Nehalem's, pclmulqdq aes */
            [FEAT_1_ECX] = 0x82982203,
            [FEAT_8000_0001_EDX] = LM_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0),
        },
    },
    {
        .name = "SandyBridge", .version = "SandyBridge-v1",
        .level = 0xd, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 42, .stepping = 1,
        .model_id = "Intel Xeon E312xx (Sandy Bridge)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* Westmere's, x2apic tsc-deadline xsave avx */
            [FEAT_1_ECX] = 0x97b82203,
            [FEAT_D_1_EAX] = BIT(0),                   /* xsaveopt */
            [FEAT_8000_0001_EDX] = RDTSCP_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0),
        },
    },
    {
        .name = "IvyBridge", .version = "IvyBridge-v1",
        .level = 0xd, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 58, .stepping = 9,
        .model_id = "Intel Xeon E3-12xx v2 (Ivy Bridge)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* SandyBridge's, f16c rdrand */
            [FEAT_1_ECX] = 0xf7b82203,
            [FEAT_7_0_EBX] = 0x00000281,     /* fsgsbase smep erms */
            [FEAT_D_1_EAX] = BIT(0),                   /* xsaveopt */
            [FEAT_8000_0001_EDX] = RDTSCP_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0),
        },
    },
    {
        .name = "Haswell-v2", .alias = "Haswell-noTSX",
        .level = 0xd, .xlevel = 0x80000008,
        .vendor = "GenuineIntel", .family = 6, .model = 60, .stepping = 1,
        .model_id = "Intel Core Processor (Haswell, no TSX)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* IvyBridge's, fma pcid movbe */
            [FEAT_1_ECX] = 0xf7fa3203,
            /* fsgsbase bmi1 avx2 smep bmi2 erms invpcid */
            [FEAT_7_0_EBX] = 0x000007a9,
            [FEAT_D_1_EAX] = BIT(0),                   /* xsaveopt */
            [FEAT_8000_0001_EDX] = RDTSCP_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0) | BIT(5),   /* lahf-lm abm */
        },
    },
    {
        .name = "Opteron_G1", .version = "Opteron_G1-v1",
        .level = 5, .xlevel = 0x80000008,
        .vendor = "AuthenticAMD", .family = 15, .model = 6, .stepping = 1,
        .model_id = "AMD Opteron 240 (Gen 1 Class Opteron)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            [FEAT_1_ECX] = 0x80000001,       /* pni hypervisor */
            [FEAT_8000_0001_EDX] = LM_EXT_EDX,
        },
    },
    {
        .name = "Opteron_G2", .version = "Opteron_G2-v1",
        .level = 5, .xlevel = 0x8000000a,
        .vendor = "AuthenticAMD", .family = 15, .model = 6, .stepping = 1,
        .model_id = "AMD Opteron 22xx (Gen 2 Class Opteron)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            [FEAT_1_ECX] = 0x80002001,       /* pni cx16 hypervisor */
            [FEAT_8000_0001_EDX] = LM_EXT_EDX,
            [FEAT_8000_0001_ECX] = BIT(0) | BIT(2),   /* lahf-lm svm */
        },
    },
    {
        .name = "Opteron_G3", .version = "Opteron_G3-v1",
        .level = 5, .xlevel = 0x8000000a,
        .vendor = "AuthenticAMD", .family = 16, .model = 2, .stepping = 3,
        .model_id = "AMD Opteron 23xx (Gen 3 Class Opteron)",
        .features = {
            [FEAT_1_EDX] = QEMU64_1_EDX,
            /* pni monitor cx16 popcnt hypervisor */
            [FEAT_1_ECX] = 0x80802009,
            [FEAT_8000_0001_EDX] = RDTSCP_EXT_EDX,
            /* lahf-lm svm abm sse4a misalignsse */
            [FEAT_8000_0001_ECX] = 0x000000e5,
        },
    },
    {
        .name = "host",
        .desc = "processor with all supported host features ",
        .host_passthrough = true,
    },
    {
        .name = "max",
        .desc = "Enables all features supported by the accelerator in the "
                "current host",
        .host_passthrough = true,
    },
};

const X86CPUModel *x86_cpu_model_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(x86_cpu_models); i++) {
        const X86CPUModel *m = &x86_cpu_models[i];

        if (!strcmp(m->name, name) ||
            (m->version && !strcmp(m->version, name)) ||
            (m->alias && !strcmp(m->alias, name))) {
            return m;
        }
    }
    return NULL;
}

static gint x86_cpu_list_compare(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void x86_cpu_list(GString *out)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) flags = g_ptr_array_new();
    unsigned width = 0;

    /* QEMU's "x86 NAME  DESCRIPTION", sorted, the passthrough models
     * last (their order in the table) */
    for (size_t i = 0; i < ARRAY_SIZE(x86_cpu_models); i++) {
        const X86CPUModel *m = &x86_cpu_models[i];

        if (m->host_passthrough) {
            continue;
        }
        if (m->version) {
            g_ptr_array_add(lines, g_strdup_printf(
                "x86 %-20s  (alias configured by machine type)", m->name));
        }
        if (m->alias) {
            g_ptr_array_add(lines, g_strdup_printf(
                "x86 %-20s  (alias of %s)", m->alias, m->name));
        }
        g_ptr_array_add(lines, g_strdup_printf(
            "x86 %-20s  %s", m->version ? m->version : m->name,
            m->model_id));
    }
    g_ptr_array_sort(lines, x86_cpu_list_compare);
    g_string_append(out, "Available CPUs:\n");
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(out, "%s\n", (char *)lines->pdata[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(x86_cpu_models); i++) {
        const X86CPUModel *m = &x86_cpu_models[i];

        if (m->host_passthrough) {
            g_string_append_printf(out, "x86 %-20s  %s\n", m->name,
                                   m->desc);
        }
    }
    /* then every flag name, sorted, in lines of at most 75 columns */
    for (int w = 0; w < FEATURE_WORDS; w++) {
        for (int b = 0; b < 32; b++) {
            if (feature_word_info[w].names[b]) {
                g_ptr_array_add(flags, (gpointer)feature_word_info[w].names[b]);
            }
        }
    }
    g_ptr_array_sort(flags, x86_cpu_list_compare);
    g_string_append(out, "\nRecognized CPUID flags:\n");
    for (guint i = 0; i < flags->len; i++) {
        const char *name = flags->pdata[i];

        if (width && width + 1 + strlen(name) > 75) {
            g_string_append_c(out, '\n');
            width = 0;
        }
        g_string_append(out, width ? " " : "  ");
        g_string_append(out, name);
        width += (width ? 1 : 2) + strlen(name);
    }
    g_string_append_c(out, '\n');
}

uint32_t x86_cpu_signature(unsigned family, unsigned model,
                           unsigned stepping)
{
    uint32_t sig = stepping & 0xf;

    /* Families above 15 and models above 15 spill into extended fields. */
    sig |= (family > 0xf ? 0xf : family) << 8;
    if (family > 0xf) {
        sig |= ((family - 0xf) & 0xff) << 20;
    }
    sig |= (model & 0xf) << 4;
    sig |= ((model >> 4) & 0xf) << 16;
    return sig;
}

static void set_seg(SegmentCache *sc, uint32_t selector, uint64_t base,
                    uint32_t limit, uint32_t flags)
{
    *sc = (SegmentCache) { selector, base, limit, flags };
}

/* The local APIC after power-on (Intel SDM vol. 3, 10.4.7.1). */
static void x86_lapic_reset(CPUX86State *env, bool bsp)
{
    static const unsigned lvt_regs[] = {
        0x2f0 /* CMCI */, 0x320 /* timer */, 0x330 /* thermal */,
        0x340 /* perf */, 0x350 /* LINT0 */, 0x360 /* LINT1 */,
        0x370 /* error */,
    };
    uint8_t *regs = env->lapic;

#define LAPIC_SET(off, val) do {                \
        uint32_t v_ = GUINT32_TO_LE(val);       \
        memcpy(regs + (off), &v_, 4);           \
    } while (0)
    memset(regs, 0, X86_LAPIC_SIZE);
    LAPIC_SET(0x20, env->apic_id << 24);
    LAPIC_SET(0x30, 0x00050014);              /* version: 6 LVT entries */
    LAPIC_SET(0xe0, 0xffffffff);              /* DFR: flat model */
    LAPIC_SET(0xf0, 0xff);                    /* SVR: software disabled */
    for (size_t i = 0; i < ARRAY_SIZE(lvt_regs); i++) {
        LAPIC_SET(lvt_regs[i], 0x10000);      /* masked */
    }
    /*
     * Firmware routes the 8259's output through the BSP's LINT0 as
     * ExtINT; without it the in-kernel PIC could not interrupt a guest
     * that never touches its APIC.
     */
    if (bsp) {
        LAPIC_SET(0x350, 0x700);
    }
#undef LAPIC_SET
}

void x86_cpu_reset_state(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    bool bsp = CPU(cpu)->cpu_index == 0;
    uint32_t apic_id = env->apic_id, version = env->cpuid_version;

    x86_mxcsr_sync(env);                      /* nothing of it survives */
    memset(env, 0, sizeof(*env));
    env->apic_id = apic_id;
    env->cpuid_version = version;

    env->regs[R_EDX] = version;
    env->rip = 0xfff0;
    env->rflags = 0x2;
    set_seg(&env->segs[R_CS], 0xf000, 0xffff0000, 0xffff,
            DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK |
            DESC_A_MASK);
    for (int i = 0; i < 6; i++) {
        if (i != R_CS) {
            set_seg(&env->segs[i], 0, 0, 0xffff, DESC_P_MASK | DESC_S_MASK |
                    DESC_W_MASK | DESC_A_MASK);
        }
    }
    set_seg(&env->ldt, 0, 0, 0xffff, DESC_P_MASK | (2 << DESC_TYPE_SHIFT));
    set_seg(&env->tr, 0, 0, 0xffff, DESC_P_MASK | (11 << DESC_TYPE_SHIFT));
    env->gdt.limit = 0xffff;
    env->idt.limit = 0xffff;
    env->cr[0] = 0x60000010;                  /* CD, NW, ET */
    env->dr[6] = 0xffff0ff0;
    env->dr[7] = 0x400;
    env->a20_mask = ~0ULL;
    env->fx.fcw = 0x37f;
    env->fx.mxcsr = 0x1f80;
    env->fx.mxcsr_mask = X86_MXCSR_MASK;
    env->xcr0 = 1;                            /* x87 only */
    env->pat = 0x0007040600070406ULL;
    env->misc_enable = 1;                     /* fast strings */
    /* Machine checks enabled in every bank, as QEMU starts them. */
    env->mcg_ctl = ~(uint64_t)0;
    for (int i = 0; i < X86_MCE_BANKS; i++) {
        env->mce_banks[i * 4] = ~(uint64_t)0;
    }
    env->excp.old_exception = -1;
    env->apic_base = APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
                     (bsp ? APIC_BASE_BSP : 0);
    env->mp_state = bsp ? X86_MP_RUNNABLE : X86_MP_UNINITIALIZED;
    x86_lapic_reset(env, bsp);
    /* FSW.ES is clear now: FERR# drops (a wire, kept outside env) */
    x86_fpu_sync_ferr(cpu);
}

static void x86_cpu_reset(CPUState *cs)
{
    x86_cpu_reset_state(X86_CPU(cs));
    cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI | CPU_INTERRUPT_INIT |
                        CPU_INTERRUPT_SIPI);
    /* With emu's local APICs an AP sleeps until its SIPI (kvm's
     * in-kernel APIC keeps it in its mp_state). */
    if (!accel_irqchip_in_kernel()) {
        cs->halted = X86_CPU(cs)->env.mp_state != X86_MP_RUNNABLE;
    }
}

bool x86_cpu_waits_for_sipi(const CPUX86State *env)
{
    return env->mp_state == X86_MP_UNINITIALIZED ||
           env->mp_state == X86_MP_INIT_RECEIVED;
}

void x86_cpu_take_init(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    uint64_t apic_base = env->apic_base;
    uint32_t sipi_vector = env->sipi_vector;

    x86_cpu_reset_state(cpu);
    env->apic_base = apic_base;
    /* A start-up IPI may already be waiting behind the INIT. */
    env->sipi_vector = sipi_vector;
    if (!(apic_base & APIC_BASE_BSP)) {
        env->mp_state = X86_MP_INIT_RECEIVED;
    }
}

bool x86_cpu_take_sipi(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    uint32_t vector = env->sipi_vector;

    if (!x86_cpu_waits_for_sipi(env)) {
        return false;
    }
    env->segs[R_CS].selector = vector << 8;
    env->segs[R_CS].base = vector << 12;
    env->rip = 0;
    env->mp_state = X86_MP_RUNNABLE;
    CPU(cpu)->halted = false;
    return true;
}

static void x86_cpu_instance_init(Object *obj)
{
    X86CPU *cpu = X86_CPU(obj);

    qdev_init_gpio_in(DEVICE(obj), x86_cpu_set_pin, 3);
    qdev_init_gpio_out(DEVICE(obj), &cpu->ferr, 1);
}

static uint64_t x86_cpu_get_pc(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    return env->segs[R_CS].base + env->rip;
}

static void x86_cpu_set_pc(CPUState *cs, uint64_t pc)
{
    X86_CPU(cs)->env.rip = pc;
}

/* Page-table entry bits the walk needs. */
#define PG_PRESENT  (1ULL << 0)
#define PG_PSE      (1ULL << 7)
#define PG_ADDR     0x000ffffffffff000ULL

static bool read_pte(hwaddr addr, bool wide, uint64_t *pte)
{
    uint64_t value = 0;

    if (address_space_read(&address_space_memory, addr, &value,
                           wide ? 8 : 4) != MEMTX_OK) {
        return false;
    }
    *pte = GUINT64_FROM_LE(value);
    return (*pte & PG_PRESENT) != 0;
}

/*
 * Walks the guest's page tables as the MMU would for a linear address,
 * ignoring permissions: no paging, 32-bit (4 KiB and 4 MiB pages), PAE,
 * and 4- or 5-level long mode.
 */
static bool x86_cpu_walk_debug(CPUState *cs, uint64_t vaddr, hwaddr *paddr)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t pte;

    if (!(env->cr[0] & CR0_PG_MASK)) {
        *paddr = vaddr & 0xffffffffULL;
        return true;
    }
    if (!(env->cr[4] & CR4_PAE_MASK)) {
        uint32_t la = vaddr;

        if (!read_pte((env->cr[3] & 0xfffff000) + ((la >> 22) << 2), false,
                      &pte)) {
            return false;
        }
        pte &= 0xffffffff;
        if ((pte & PG_PSE) && (env->cr[4] & CR4_PSE_MASK)) {
            /* PSE-36: bits 13..20 of the entry are address bits 32..39. */
            *paddr = (pte & 0xffc00000) | ((pte & 0x1fe000) << 19) |
                     (la & 0x3fffff);
            return true;
        }
        if (!read_pte((pte & 0xfffff000) + (((la >> 12) & 0x3ff) << 2),
                      false, &pte)) {
            return false;
        }
        *paddr = (pte & 0xfffff000) | (la & 0xfff);
        return true;
    }

    {
        int levels, shift;
        hwaddr table;

        if (env->efer & EFER_LMA) {
            levels = (env->cr[4] & CR4_LA57_MASK) ? 5 : 4;
            shift = 12 + 9 * (levels - 1);
            /* Non-canonical addresses fault before any walk. */
            if ((int64_t)(vaddr << (64 - shift - 9)) >> (64 - shift - 9) !=
                (int64_t)vaddr) {
                return false;
            }
            table = env->cr[3] & PG_ADDR;
        } else {
            vaddr &= 0xffffffff;
            if (!read_pte((env->cr[3] & 0xffffffe0) + ((vaddr >> 30) << 3),
                          true, &pte)) {
                return false;
            }
            levels = 2;
            shift = 21;
            table = pte & PG_ADDR;
        }
        for (; levels > 0; levels--, shift -= 9) {
            if (!read_pte(table + (((vaddr >> shift) & 0x1ff) << 3), true,
                          &pte)) {
                return false;
            }
            /* 1 GiB and 2 MiB pages end the walk early. */
            if (shift > 12 && shift <= 30 && (pte & PG_PSE)) {
                uint64_t mask = (1ULL << shift) - 1;

                *paddr = (pte & PG_ADDR & ~mask) | (vaddr & mask);
                return true;
            }
            table = pte & PG_ADDR;
        }
        *paddr = table | (vaddr & 0xfff);
        return true;
    }
}

/* The walk, then the A20 gate (the tables themselves are read where
 * they are: the gate is for code that runs below 1 MiB). */
static bool x86_cpu_get_phys_addr_debug(CPUState *cs, uint64_t vaddr,
                                        hwaddr *paddr)
{
    if (!x86_cpu_walk_debug(cs, vaddr, paddr)) {
        return false;
    }
    *paddr &= X86_CPU(cs)->env.a20_mask;
    return true;
}

static void x86_cpu_disas_config(CPUState *cs, int *cs_arch, int *cs_mode)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint32_t cs_flags = env->segs[R_CS].flags;

    *cs_arch = CS_ARCH_X86;
    if (!(env->cr[0] & CR0_PE_MASK) || (env->rflags & EFLAGS_VM)) {
        *cs_mode = CS_MODE_16;
    } else if ((env->efer & EFER_LMA) && (cs_flags & DESC_L_MASK)) {
        *cs_mode = CS_MODE_64;
    } else {
        *cs_mode = (cs_flags & DESC_B_MASK) ? CS_MODE_32 : CS_MODE_16;
    }
}

uint32_t x86_cpu_apic_id_from_index(unsigned cores, unsigned threads,
                                    unsigned index)
{
    unsigned core_shift = x86_apicid_bits(threads);
    unsigned package_shift = core_shift + x86_apicid_bits(cores);

    if (kvm_enabled()) {
        return index;
    }
    return (index / (cores * threads)) << package_shift |
           (index / threads % cores) << core_shift | index % threads;
}

unsigned x86_apic_id_limit(unsigned cores, unsigned threads,
                           unsigned max_cpus)
{
    return x86_cpu_apic_id_from_index(cores, threads, max_cpus - 1) + 1;
}

bool x86_check_apic_id_limit(unsigned cores, unsigned threads,
                             unsigned max_cpus, Error **errp)
{
    if (x86_apic_id_limit(cores, threads, max_cpus) > 255) {
        error_setg(errp, "current -smp configuration requires kernel "
                   "irqchip and X2APIC API support.");
        return false;
    }
    return true;
}

/* QEMU's warning, once: AMD's CPUID has no threads before topoext. */
static void x86_cpu_warn_amd_threads(X86CPU *cpu)
{
    static bool warned;

    if (!warned && cpu->cpuid_threads > 1 && x86_cpu_is_amd(&cpu->env) &&
        !(cpu->features[FEAT_8000_0001_ECX] & CPUID_EXT3_TOPOEXT)) {
        warn_report("This family of AMD CPU doesn't support "
                    "hyperthreading(%u)\nPlease configure -smp options "
                    "properly or try enabling topoext feature.",
                    cpu->cpuid_threads);
        warned = true;
    }
}

static bool x86_cpu_realize(DeviceState *dev, Error **errp)
{
    X86CPU *cpu = X86_CPU(dev);
    const X86CPUModel *model = X86_CPU_GET_CLASS(dev)->model;
    const CPUState *cs = CPU(dev);

    cpu->env.apic_id = x86_cpu_apic_id_from_index(cs->nr_cores,
                                                  cs->nr_threads,
                                                  cs->cpu_index);
    /* tcg's CPUID describes it; kvm's has a package per vCPU (kvm.c) */
    cpu->cpuid_cores = cs->nr_cores;
    cpu->cpuid_threads = cs->nr_threads;
    /* Passthrough models learn theirs from the accelerator. */
    cpu->env.cpuid_version = x86_cpu_signature(model->family, model->model,
                                               model->stepping);
    if (kvm_enabled() && model->host_passthrough &&
        x86_cpu_options_given(cpu)) {
        error_setg(errp, "-cpu %s: feature flags are not supported with "
                   "kvm's passthrough models yet", model->name);
        return false;
    }
    if (!kvm_enabled()) {
        x86_cpu_tcg_features(cpu);
        x86_cpu_warn_amd_threads(cpu);
    }
    return true;
}

/* The monitor's "nmi", as QEMU's x86_nmi: through the local APIC's
 * LINT1 where emu has one, else to the CPU (under kvm with its in-kernel
 * APIC: KVM_NMI before the next KVM_RUN). */
static void x86_cpu_inject_nmi(CPUState *cs)
{
    X86CPU *cpu = X86_CPU(cs);

    if (cpu->irq_ops && cpu->irq_ops->external_nmi) {
        cpu->irq_ops->external_nmi(cpu->irq_opaque);
    } else {
        cpu_interrupt(cs, CPU_INTERRUPT_NMI);
    }
}

static void x86_cpu_class_init(ObjectClass *klass)
{
    CPUClass *cc = CPU_CLASS(klass);

    DEVICE_CLASS(klass)->realize = x86_cpu_realize;
    cc->list_models = x86_cpu_list;
    cc->cpu_reset = x86_cpu_reset;
    cc->parse_options = x86_cpu_parse_options;
    cc->dump_state = x86_cpu_dump_state;
    cc->get_pc = x86_cpu_get_pc;
    cc->set_pc = x86_cpu_set_pc;
    cc->get_phys_addr_debug = x86_cpu_get_phys_addr_debug;
    cc->disas_config = x86_cpu_disas_config;
    cc->address_bytes = 8;
    cc->monitor_get_register = x86_cpu_monitor_get_register;
    cc->inject_nmi = x86_cpu_inject_nmi;
    cc->tcg_ops = &x86_tcg_ops;
    cc->elf_machine = x86_cpu_elf_machine;
    cc->gdb_arch = "i386:x86-64";
    cc->gdb_features = x86_gdb_features;
    cc->gdb_read_register = x86_gdb_read_register;
    cc->gdb_write_register = x86_gdb_write_register;
    cc->write_elf_notes = x86_cpu_write_elf_notes;
}

/* One class_init for every model: the type name says which. */
static void x86_cpu_model_class_init(ObjectClass *klass)
{
    const char *type = object_class_get_name(klass);
    size_t len = strlen(type) - strlen(X86_CPU_TYPE_SUFFIX);

    g_autofree char *name = g_strndup(type, len);
    const X86CPUModel *model = x86_cpu_model_find(name);

    ((X86CPUClass *)klass)->model = model;
    klass->desc = model->desc ? model->desc : model->model_id;
}

#define X86_CPU_MODEL_TYPE(model)                       \
    {                                                   \
        .name = model X86_CPU_TYPE_SUFFIX,              \
        .parent = TYPE_X86_CPU,                         \
        .class_init = x86_cpu_model_class_init,         \
    }

static const TypeInfo x86_cpu_types[] = {
    {
        .name = TYPE_X86_CPU,
        .parent = TYPE_CPU,
        .instance_size = sizeof(X86CPU),
        .class_size = sizeof(X86CPUClass),
        .instance_init = x86_cpu_instance_init,
        .abstract = true,
        .class_init = x86_cpu_class_init,
    },
    X86_CPU_MODEL_TYPE("qemu64"), X86_CPU_MODEL_TYPE("qemu64-v1"),
    X86_CPU_MODEL_TYPE("kvm64"), X86_CPU_MODEL_TYPE("kvm64-v1"),
    X86_CPU_MODEL_TYPE("Conroe"), X86_CPU_MODEL_TYPE("Conroe-v1"),
    X86_CPU_MODEL_TYPE("Penryn"), X86_CPU_MODEL_TYPE("Penryn-v1"),
    X86_CPU_MODEL_TYPE("Nehalem"), X86_CPU_MODEL_TYPE("Nehalem-v1"),
    X86_CPU_MODEL_TYPE("Westmere"), X86_CPU_MODEL_TYPE("Westmere-v1"),
    X86_CPU_MODEL_TYPE("SandyBridge"), X86_CPU_MODEL_TYPE("SandyBridge-v1"),
    X86_CPU_MODEL_TYPE("IvyBridge"), X86_CPU_MODEL_TYPE("IvyBridge-v1"),
    X86_CPU_MODEL_TYPE("Haswell-v2"), X86_CPU_MODEL_TYPE("Haswell-noTSX"),
    X86_CPU_MODEL_TYPE("Opteron_G1"), X86_CPU_MODEL_TYPE("Opteron_G1-v1"),
    X86_CPU_MODEL_TYPE("Opteron_G2"), X86_CPU_MODEL_TYPE("Opteron_G2-v1"),
    X86_CPU_MODEL_TYPE("Opteron_G3"), X86_CPU_MODEL_TYPE("Opteron_G3-v1"),
    X86_CPU_MODEL_TYPE("max"),
    X86_CPU_MODEL_TYPE("host"),
};

DEFINE_TYPES(x86_cpu_types)
