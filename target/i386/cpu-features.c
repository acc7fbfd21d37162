/*
 * CPUID feature flags on the command line: -cpu MODEL,+x,-y,z=on,w=off
 * as QEMU reads them, and the features a vCPU presents once the model,
 * the flags and the accelerator have had their say.
 *
 * QEMU's order: the name=on|off settings first (the last one for a name
 * wins), then every +name, then every -name, so "-x" beats "+x".  Names
 * are QEMU's (feature_word_info), with '_' accepted for '-' and '.'
 * ("lahf_lm", "sse4_2"); mixing "+x" or "-x" with a later "x=on|off"
 * gives QEMU's warnings about ambiguous model strings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <cpuid.h>
#include "util/cutils.h"
#include "target/i386/cpu.h"

#define BIT(n) (1u << (n))

/*
 * What QEMU 7.2's tcg offers in each word (the rest it drops with a
 * warning when the model or a flag asks for it).
 */
static const uint32_t qemu_tcg_supported[FEATURE_WORDS] = {
    /* fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36
     * clflush acpi mmx fxsr sse sse2 ss */
    [FEAT_1_EDX] = 0x0fcbfbfd,
    /* pni pclmulqdq monitor ssse3 fma cx16 sse4.1 sse4.2 movbe popcnt aes
     * xsave avx f16c rdrand hypervisor */
    [FEAT_1_ECX] = 0xf6d8320b,
    /* fsgsbase bmi1 avx2 smep bmi2 erms mpx adx smap pcommit clflushopt
     * clwb */
    [FEAT_7_0_EBX] = 0x01d843a9,
    /* syscall nx mmxext pdpe1gb rdtscp lm 3dnowext 3dnow */
    [FEAT_8000_0001_EDX] = 0xec500800,
    /* lahf-lm svm cr8legacy abm sse4a */
    [FEAT_8000_0001_ECX] = 0x00000075,
    /* xsaveopt xgetbv1 */
    [FEAT_D_1_EAX] = 0x00000005,
};

/*
 * Of those, what emu's translator does not run yet: dropped with the
 * same warning, so a guest never sees a feature whose instructions would
 * raise #UD.  (svm stays: qemu64 presents it, and its MSRs are there;
 * docs/x86-tcg.md.)
 */
static const uint32_t translator_lacks[FEATURE_WORDS] = {
    /* pclmulqdq fma movbe aes avx f16c rdrand */
    [FEAT_1_ECX] = BIT(1) | BIT(12) | BIT(22) | BIT(25) | BIT(28) |
                   BIT(29) | BIT(30),
    /* 3dnowext 3dnow */
    [FEAT_8000_0001_EDX] = BIT(30) | BIT(31),
    /* all but fsgsbase and erms (a hint: rep movsb is fast) */
    [FEAT_7_0_EBX] = 0x01d843a9 & ~(BIT(0) | BIT(9)),
    /* cr8legacy abm sse4a */
    [FEAT_8000_0001_ECX] = BIT(4) | BIT(5) | BIT(6),
    /* xgetbv1 */
    [FEAT_D_1_EAX] = BIT(2),
};

static const char *const reg_names[] = { "EAX", "ECX", "EDX", "EBX" };

/* QEMU accepts '_' for '-', and "sse4_2" or "sse4-2" for "sse4.2". */
static char *feature_canonical(const char *name)
{
    return g_strdelimit(g_strdup(name), "_.", '-');
}

/* The word and bit QEMU calls name; false when no feature has it. */
static bool feature_find(const char *name, FeatureWord *word, int *bit)
{
    g_autofree char *canonical = feature_canonical(name);

    for (int w = 0; w < FEATURE_WORDS; w++) {
        for (int b = 0; b < 32; b++) {
            const char *known = feature_word_info[w].names[b];
            g_autofree char *known_canonical =
                known ? feature_canonical(known) : NULL;

            if (known && !strcmp(known_canonical, canonical)) {
                *word = w;
                *bit = b;
                return true;
            }
        }
    }
    return false;
}

bool x86_cpu_parse_options(CPUState *cs, const char *options, Error **errp)
{
    X86CPU *cpu = X86_CPU(cs);
    const char *type = object_get_typename(OBJECT(cs));
    g_auto(GStrv) items = g_strsplit(options, ",", -1);
    /* the +name and -name items as written, for QEMU's warnings */
    g_autoptr(GPtrArray) signed_items = g_ptr_array_new();
    bool ambiguous = false;

    for (char **item = items; *item; item++) {
        g_autofree char *name = NULL, *shown = NULL;
        const char *value;
        FeatureWord w;
        int bit;
        bool on;

        if (!**item) {
            continue;
        }
        if (**item == '+' || **item == '-') {
            if (!feature_find(*item + 1, &w, &bit)) {
                error_setg(errp, "Property '%s.%s' not found", type,
                           *item + 1);
                return false;
            }
            g_ptr_array_add(signed_items, *item);
            if (**item == '+') {
                cpu->features_plus[w] |= BIT(bit);
            } else {
                cpu->features_minus[w] |= BIT(bit);
            }
            continue;
        }
        /* "name" alone is "name=on" */
        value = strchr(*item, '=');
        name = value ? g_strndup(*item, value - *item) : g_strdup(*item);
        value = value ? value + 1 : "on";
        if (!feature_find(name, &w, &bit)) {
            error_setg(errp, "can't apply global %s.%s=%s: Property '%s.%s' "
                       "not found", type, name, value, type, name);
            return false;
        }
        if (!parse_bool(value, &on)) {
            error_setg(errp, "can't apply global %s.%s=%s: Parameter '%s' "
                       "expects 'on' or 'off'", type, name, value, name);
            return false;
        }
        /* QEMU compares "x" as written after + or - with this name,
         * '_' read as '-' */
        shown = g_strdelimit(g_strdup(name), "_", '-');
        for (const char *sign = "+-"; *sign; sign++) {
            g_autofree char *item_signed = g_strdup_printf("%c%s", *sign,
                                                           shown);

            for (guint i = 0; i < signed_items->len; i++) {
                if (!strcmp(signed_items->pdata[i], item_signed)) {
                    warn_report("Ambiguous CPU model string. Don't mix both "
                                "\"%s\" and \"%s=%s\"", item_signed,
                                shown, value);
                    ambiguous = true;
                    break;
                }
            }
        }
        cpu->features_on[w] = on ? cpu->features_on[w] | BIT(bit)
                                 : cpu->features_on[w] & ~BIT(bit);
        cpu->features_off[w] = on ? cpu->features_off[w] & ~BIT(bit)
                                  : cpu->features_off[w] | BIT(bit);
    }
    if (ambiguous) {
        warn_report("Compatibility of ambiguous CPU model strings won't be "
                    "kept on future QEMU versions");
    }
    return true;
}

uint32_t x86_cpu_apply_options(const X86CPU *cpu, FeatureWord w,
                               uint32_t base)
{
    return ((base & ~cpu->features_off[w]) | cpu->features_on[w] |
            cpu->features_plus[w]) & ~cpu->features_minus[w];
}

void x86_cpu_feature_warning(const char *who, FeatureWord w, uint32_t bits)
{
    const FeatureWordInfo *fw = &feature_word_info[w];

    for (int bit = 0; bit < 32; bit++) {
        if (bits & BIT(bit)) {
            warn_report("%s doesn't support requested feature: "
                        "CPUID.%02XH:%s%s%s [bit %d]", who, fw->leaf,
                        reg_names[fw->reg], fw->names[bit] ? "." : "",
                        fw->names[bit] ? fw->names[bit] : "", bit);
        }
    }
}

/* The CPUID.01H:ECX bits whose instructions tcg runs on the host
 * (host_exec.c): sse3 ssse3 sse4.1 sse4.2 popcnt.  A guest gets them only
 * where the host has them. */
#define HOST_EXEC_1_ECX 0x00980201u

static uint32_t tcg_supported_word(FeatureWord w)
{
    uint32_t supported = qemu_tcg_supported[w] & ~translator_lacks[w];
    unsigned a, b, c, d;

    if (w == FEAT_1_ECX && __get_cpuid(1, &a, &b, &c, &d)) {
        return supported & (~HOST_EXEC_1_ECX | c);
    }
    return supported;
}

void x86_cpu_tcg_features(X86CPU *cpu)
{
    const X86CPUModel *model = X86_CPU_GET_CLASS(cpu)->model;
    uint32_t extra[FEATURE_WORDS] = { 0 };

    /* "max" on tcg: what the translator implements: qemu64's set, with
     * SSSE3, SSE4.1, SSE4.2, POPCNT, XSAVE and XSAVEOPT. */
    if (model->host_passthrough) {
        model = x86_cpu_model_find("qemu64");
        cpu->env.cpuid_version = x86_cpu_signature(model->family,
                                                   model->model,
                                                   model->stepping);
        extra[FEAT_1_ECX] = HOST_EXEC_1_ECX | CPUID_1_ECX_XSAVE;
        extra[FEAT_D_1_EAX] = BIT(0);
    }
    for (int w = 0; w < FEATURE_WORDS; w++) {
        uint32_t want = x86_cpu_apply_options(cpu, w, model->features[w] |
                                              extra[w]);
        /* The model's bits and the flags' that tcg lacks go with QEMU's
         * warning, but those QEMU presents under kvm only. */
        uint32_t asked = cpu->features_on[w] | cpu->features_plus[w] |
                         (model->features[w] &
                          ~(w == FEAT_1_ECX ? model->kvm_only_1_ecx : 0));
        uint32_t supported = tcg_supported_word(w);

        x86_cpu_feature_warning("TCG", w, want & asked & ~supported);
        cpu->features[w] = want & supported;
    }
}

bool x86_cpu_options_given(const X86CPU *cpu)
{
    for (int w = 0; w < FEATURE_WORDS; w++) {
        if (cpu->features_on[w] | cpu->features_off[w] |
            cpu->features_plus[w] | cpu->features_minus[w]) {
            return true;
        }
    }
    return false;
}
