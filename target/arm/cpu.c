/*
 * The ARM CPU type and its models (-cpu pxa255, arm926, arm1136 and the
 * ARMv7-A cortex-a15, cortex-a7, cortex-a9, cortex-a8): the
 * identification and reset values each presents, the power-on reset
 * state, the IRQ and FIQ inputs boards wire to an interrupt controller,
 * and the CPUClass and TCGCPUOps hooks the monitor, the gdb stub and tcg
 * use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <capstone/capstone.h>
#include "target/arm/internals.h"

#define F(name) (1ULL << ARM_FEATURE_##name)
#define ARMV5TE_FEATURES (F(V4T) | F(V5) | F(V5TE) | F(MMU))
#define ARMV7_FEATURES (ARMV5TE_FEATURES | F(V6) | F(V6K) | F(V7))
/* The ARMv7 cores reset with the caches, branch prediction and the
 * (reserved, should-be-one) bits as SCTLR 0x00c50078 says. */
#define ARMV7_SCTLR 0x00c50078
/*
 * VFP and Advanced SIMD identification: FPSID, MVFR0 and MVFR1 as QEMU's
 * models; MVFR1 reports NEON (load/store, integer, single precision,
 * and where the core has them the half-precision conversions and the
 * fused multiply-accumulate) as neon-helper.c implements it, which is
 * what a kernel reads for HWCAP_NEON.
 */

/* MIDR, CTR, reset SCTLR and the ID registers as QEMU's models of the
 * same CPUs (read back from QEMU 7.2 by a guest). */
static const ARMCPUModel arm_cpu_models[] = {
    {
        .name = "arm926",
        .features = ARMV5TE_FEATURES,
        .midr = 0x41069265,
        .ctr = 0x1dd20d2,
        .sctlr = 0x00090078,
    },
    {
        .name = "arm1136",
        .features = ARMV5TE_FEATURES | F(V6),
        .midr = 0x4117b363,          /* r1p3 */
        .ctr = 0x1dd20d2,
        .sctlr = 0x00050078,
        .aux_ctrl = 7,
        .id_regs = {
            /* PFR0, PFR1, DFR0, AFR0, MMFR0-3 */
            { 0x111, 0x1, 0x2, 0x3, 0x01130003, 0x10030302, 0x01222110, 0 },
            /* ISAR0-5 */
            { 0x00140011, 0x12002111, 0x11231111, 0x01102131, 0x141, 0 },
        },
    },
    {
        .name = "pxa255",            /* XScale core of the PXA255 */
        .features = ARMV5TE_FEATURES | F(XSCALE),
        .midr = 0x69052d00,
        .ctr = 0xd172172,
        .sctlr = 0x00000078,
    },
    {
        .name = "cortex-a15",        /* r2p0 */
        .features = ARMV7_FEATURES | F(ARM_DIV) | F(V7MP) | F(LPAE) |
                    F(GENERIC_TIMER) |
                    F(VFP3) | F(VFP_FP16) | F(VFP4) | F(NEON),
        .midr = 0x414fc0f0,
        .ctr = 0x8444c004,
        .sctlr = ARMV7_SCTLR,
        .id_regs = {
            { 0x00001131, 0x00011011, 0x02010555, 0, 0x10201105,
              0x20000000, 0x01240000, 0x02102211 },
            { 0x02101110, 0x13112111, 0x21232041, 0x11112131, 0x10011142,
              0 },
        },
        .clidr = 0x0a200023,
        .ccsidr = { 0x701fe00a, 0x201fe00a, 0x711fe07a },
        .mp = true,
        .fpsid = 0x410430f0,
        .mvfr0 = 0x10110222,
        .mvfr1 = 0x11111111,
        /* v7.1 debug: 6 breakpoints (2 context-aware), 4 watchpoints */
        .dbgdidr = 0x3515f021,
    },
    {
        .name = "cortex-a7",         /* r0p5 */
        .features = ARMV7_FEATURES | F(ARM_DIV) | F(V7MP) | F(LPAE) |
                    F(GENERIC_TIMER) |
                    F(VFP3) | F(VFP_FP16) | F(VFP4) | F(NEON),
        .midr = 0x410fc075,
        .ctr = 0x84448003,
        .sctlr = ARMV7_SCTLR,
        .id_regs = {
            { 0x00001131, 0x00011011, 0x02010555, 0, 0x10101105,
              0x40000000, 0x01240000, 0x02102211 },
            { 0x02101110, 0x13112111, 0x21232041, 0x11112131, 0x10011142,
              0 },
        },
        .clidr = 0x0a200023,
        .ccsidr = { 0x701fe00a, 0x201fe00a, 0x711fe07a },
        .mp = true,
        .fpsid = 0x41023075,
        .mvfr0 = 0x10110222,
        .mvfr1 = 0x11111111,
        .dbgdidr = 0x3515f005,
    },
    {
        .name = "cortex-a9",         /* r0p0 */
        .features = ARMV7_FEATURES | F(V7MP) |
                    F(VFP3) | F(VFP_FP16) | F(NEON),
        .midr = 0x410fc090,
        .ctr = 0x80038003,
        .sctlr = ARMV7_SCTLR,
        .id_regs = {
            { 0x00001031, 0x00000011, 0, 0, 0x00100103, 0x20000000,
              0x01230000, 0x00002111 },
            { 0x00101111, 0x13112111, 0x21232041, 0x11112131, 0x00111142,
              0 },
        },
        .clidr = 0x09000003,
        .ccsidr = { 0xe00fe019, 0x200fe019 },
        .mp = true,
        .fpsid = 0x41033090,
        .mvfr0 = 0x11110222,
        .mvfr1 = 0x01111111,
    },
    {
        .name = "cortex-a8",         /* r0p0 */
        .features = ARMV7_FEATURES |
                    F(VFP3) | F(NEON),
        .midr = 0x410fc080,
        .ctr = 0x82048004,
        .sctlr = ARMV7_SCTLR,
        .aux_ctrl = 2,
        .id_regs = {
            { 0x00001031, 0x00000011, 0x00000400, 0, 0x31100003,
              0x20000000, 0x01202000, 0x00000011 },
            { 0x00101111, 0x12112111, 0x21232031, 0x11112131, 0x00111142,
              0 },
        },
        .clidr = 0x0a000003,
        .ccsidr = { 0xe007e01a, 0x2007e01a, 0xf0000000 },
        .fpsid = 0x410330c0,
        .mvfr0 = 0x11110222,
        .mvfr1 = 0x00011111,
    },
};

/*
 * Power-on reset: SVC mode with IRQ, FIQ and imprecise aborts masked, ARM
 * state, every register and bank zero, at the reset vector.  Z reads set
 * because the flags are kept as QEMU keeps them (ZF == 0 means Z), so
 * "info registers" shows PSR=400001d3 as QEMU does.  The IRQ and FIQ
 * input levels are wires, not CPU state: they survive the reset.
 */
static void arm_cpu_reset(CPUState *cs)
{
    ARMCPU *cpu = ARM_CPU(cs);
    CPUARMState *env = &cpu->env;
    const ARMCPUModel *model = ARM_CPU_GET_CLASS(cs)->model;
    bool irq = env->irq_line, fiq = env->fiq_line;

    memset(env, 0, sizeof(*env));
    env->irq_line = irq;
    env->fiq_line = fiq;
    env->features = model->features;
    env->cp15.midr = model->midr;
    env->cp15.ctr = model->ctr;
    env->cp15.sctlr = env->cp15.sctlr_reset = model->sctlr;
    env->cp15.aux_ctrl = model->aux_ctrl;
    if (model->mp) {
        /* Affinity level 0 within clusters of eight, as QEMU numbers
         * the cores of a GICv2 machine. */
        env->cp15.mpidr = 0x80000000u | (cs->cpu_index % 8) |
                          (cs->cpu_index / 8) << 8;
    }
    if (model->features & (1ULL << ARM_FEATURE_GENERIC_TIMER)) {
        env->cp15.cntfrq = arm_gt_default_freq();
    }
    env->vfp.fpsid = model->fpsid;
    env->vfp.mvfr0 = model->mvfr0;
    env->vfp.mvfr1 = model->mvfr1;
    env->exclusive_addr = UINT32_MAX;
    env->uncached_cpsr = ARM_CPU_MODE_SVC | CPSR_A | CPSR_I | CPSR_F;
    env->regs[15] = (env->cp15.sctlr & SCTLR_V) ? 0xffff0000 : 0;
    arm_debug_reset(env);        /* the TB flags too */
    tlb_flush(cs);
    /* A PSCI board's secondary cores wait for CPU_ON. */
    cpu->powered_off = cpu->start_powered_off;
    cs->halted = cpu->powered_off;
    /* Both timers are off now: their outputs drop. */
    arm_gt_update(cpu, ARM_GT_PHYS);
    arm_gt_update(cpu, ARM_GT_VIRT);
}

static uint64_t arm_cpu_get_pc(CPUState *cs)
{
    return ARM_CPU(cs)->env.regs[15];
}

/* As QEMU: bit 0 of the new PC selects Thumb state (loaders, gdb). */
static void arm_cpu_set_pc(CPUState *cs, uint64_t pc)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    env->regs[15] = pc & ~1ULL;
    env->thumb = pc & 1;
}

static void arm_cpu_disas_config(CPUState *cs, int *cs_arch, int *cs_mode)
{
    *cs_arch = CS_ARCH_ARM;
    *cs_mode = ARM_CPU(cs)->env.thumb ? CS_MODE_THUMB : CS_MODE_ARM;
}

/* The IRQ and FIQ inputs: a level on the wire is a pending request. */
static void arm_cpu_set_irq(void *opaque, int line, int level)
{
    CPUState *cs = CPU(opaque);
    CPUARMState *env = &ARM_CPU(cs)->env;
    int mask = line == ARM_CPU_FIQ ? CPU_INTERRUPT_FIQ : CPU_INTERRUPT_HARD;

    if (line == ARM_CPU_FIQ) {
        env->fiq_line = level != 0;
    } else {
        env->irq_line = level != 0;
    }
    if (level) {
        cpu_interrupt(cs, mask);
    } else {
        cpu_reset_interrupt(cs, mask);
    }
}

static void arm_gt_phys_expired(void *opaque)
{
    arm_gt_update(opaque, ARM_GT_PHYS);
}

static void arm_gt_virt_expired(void *opaque)
{
    arm_gt_update(opaque, ARM_GT_VIRT);
}

static void arm_cpu_instance_init(Object *obj)
{
    ARMCPU *cpu = ARM_CPU(obj);
    const ARMCPUModel *model = ARM_CPU_GET_CLASS(obj)->model;

    qdev_init_gpio_in(DEVICE(obj), arm_cpu_set_irq, 2);
    if (model && (model->features & (1ULL << ARM_FEATURE_GENERIC_TIMER))) {
        cpu->gt_timer[ARM_GT_PHYS] = timer_new_virtual(arm_gt_phys_expired,
                                                       cpu);
        cpu->gt_timer[ARM_GT_VIRT] = timer_new_virtual(arm_gt_virt_expired,
                                                       cpu);
        qdev_init_gpio_out(DEVICE(obj), cpu->gt_out, ARM_GT_NUM);
    }
}

static void arm_cpu_instance_finalize(Object *obj)
{
    ARMCPU *cpu = ARM_CPU(obj);

    for (int t = 0; t < ARM_GT_NUM; t++) {
        if (cpu->gt_timer[t]) {
            timer_free(cpu->gt_timer[t]);
        }
    }
}

/* The Thumb state is in tb->flags, and the block that chained here set
 * env->thumb to match before jumping. */
static void arm_cpu_synchronize_from_tb(CPUState *cs,
                                        const TranslationBlock *tb)
{
    ARM_CPU(cs)->env.regs[15] = tb->pc;
}

static int arm_cpu_fetch_mmu_index(uint32_t tb_flags)
{
    return arm_tb_mmu_idx(tb_flags);
}

static const TCGCPUOps arm_tcg_ops = {
    .initialize = arm_translate_init,
    .get_tb_cpu_state = arm_cpu_get_tb_cpu_state,
    .translate_code = arm_translate_code,
    .synchronize_from_tb = arm_cpu_synchronize_from_tb,
    .restore_state_to_opc = arm_restore_state_to_opc,
    .cpu_exec_interrupt = arm_cpu_exec_interrupt,
    .do_interrupt = arm_cpu_do_interrupt,
    .tlb_fill = arm_cpu_tlb_fill,
    .fetch_mmu_index = arm_cpu_fetch_mmu_index,
    .has_work = arm_cpu_has_work,
    .do_unaligned_access = arm_cpu_do_unaligned_access,
    .do_transaction_failed = arm_cpu_do_transaction_failed,
    .watchpoint_fault = arm_cpu_watchpoint_fault,
    .env_offset = offsetof(ARMCPU, env),
};

static void arm_cpu_class_init(ObjectClass *klass)
{
    CPUClass *cc = CPU_CLASS(klass);

    cc->cpu_reset = arm_cpu_reset;
    cc->dump_state = arm_cpu_dump_state;
    cc->get_pc = arm_cpu_get_pc;
    cc->set_pc = arm_cpu_set_pc;
    cc->get_phys_addr_debug = arm_cpu_get_phys_addr_debug;
    cc->disas_config = arm_cpu_disas_config;
    cc->address_bytes = 4;
    cc->monitor_get_register = arm_cpu_monitor_get_register;
    cc->tcg_ops = &arm_tcg_ops;
    cc->gdb_arch = "arm";
    cc->gdb_features = arm_gdb_features;
    cc->gdb_read_register = arm_gdb_read_register;
    cc->gdb_write_register = arm_gdb_write_register;
    cc->elf_machine = arm_cpu_elf_machine;
    cc->write_elf_notes = arm_cpu_write_elf_notes;
}

/* One class_init for every model: the type name says which. */
static void arm_cpu_model_class_init(ObjectClass *klass)
{
    const char *type = object_class_get_name(klass);
    size_t len = strlen(type) - strlen(ARM_CPU_TYPE_SUFFIX);

    for (size_t i = 0; i < ARRAY_SIZE(arm_cpu_models); i++) {
        if (strlen(arm_cpu_models[i].name) == len &&
            !strncmp(type, arm_cpu_models[i].name, len)) {
            ((ARMCPUClass *)klass)->model = &arm_cpu_models[i];
        }
    }
}

#define ARM_CPU_MODEL_TYPE(model)                       \
    {                                                   \
        .name = model ARM_CPU_TYPE_SUFFIX,              \
        .parent = TYPE_ARM_CPU,                         \
        .class_init = arm_cpu_model_class_init,         \
    }

static const TypeInfo arm_cpu_types[] = {
    {
        .name = TYPE_ARM_CPU,
        .parent = TYPE_CPU,
        .instance_size = sizeof(ARMCPU),
        .class_size = sizeof(ARMCPUClass),
        .abstract = true,
        .class_init = arm_cpu_class_init,
        .instance_init = arm_cpu_instance_init,
        .instance_finalize = arm_cpu_instance_finalize,
    },
    ARM_CPU_MODEL_TYPE("arm926"),
    ARM_CPU_MODEL_TYPE("arm1136"),
    ARM_CPU_MODEL_TYPE("pxa255"),
    ARM_CPU_MODEL_TYPE("cortex-a15"),
    ARM_CPU_MODEL_TYPE("cortex-a7"),
    ARM_CPU_MODEL_TYPE("cortex-a9"),
    ARM_CPU_MODEL_TYPE("cortex-a8"),
};

DEFINE_TYPES(arm_cpu_types)
