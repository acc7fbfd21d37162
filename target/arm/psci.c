/*
 * PSCI, the Power State Coordination Interface, as the firmware QEMU's
 * boards pretend to have: a guest kernel starts and stops cores, powers
 * the machine off and resets it with HVC or SMC (the conduit the board
 * chose and wrote in the device tree's /psci node).  The calls are
 * answered here, in emu, as QEMU answers them: PSCI 1.1 with the 0.2
 * function numbers (and QEMU's own 0.1 numbers), 32-bit calling
 * convention (function in r0, arguments in r1-r3, result in r0).
 *
 * The cores are the CPUs' "powered_off" state: an off core is halted and
 * has no work whatever its interrupt lines say, so its vCPU thread
 * sleeps until CPU_ON wakes it at the entry point the caller gave.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "target/arm/cpu.h"
#include "target/arm/internals.h"

/* Function IDs (Arm DEN 0022): the SMC32 ones.  The SMC64 forms (bit
 * 30 set) are not for an AArch32 caller. */
#define PSCI_FN_VERSION 0x84000000u
#define PSCI_FN_CPU_SUSPEND 0x84000001u
#define PSCI_FN_CPU_OFF 0x84000002u
#define PSCI_FN_CPU_ON 0x84000003u
#define PSCI_FN_AFFINITY_INFO 0x84000004u
#define PSCI_FN_MIGRATE 0x84000005u
#define PSCI_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_FN_SYSTEM_OFF 0x84000008u
#define PSCI_FN_SYSTEM_RESET 0x84000009u
#define PSCI_FN_FEATURES 0x8400000au
/* PSCI 0.1 has no fixed numbers: these are QEMU's, which its device
 * tree names when the CPU reports 0.1 (old kernels may still use them). */
#define PSCI_0_1_FN_CPU_SUSPEND 0x95c1ba5eu
#define PSCI_0_1_FN_CPU_OFF 0x95c1ba5fu
#define PSCI_0_1_FN_CPU_ON 0x95c1ba60u
#define PSCI_0_1_FN_MIGRATE 0x95c1ba61u

#define PSCI_VERSION_1_1 0x00010001u

/* Results. */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMS (-2)
#define PSCI_ALREADY_ON (-4)
/* MIGRATE_INFO_TYPE: no Trusted OS, nothing to migrate. */
#define PSCI_TOS_MIGRATION_NOT_REQUIRED 2
/* AFFINITY_INFO's answers. */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1

/* MPIDR's affinity fields (Aff2.Aff1.Aff0), how PSCI names a core. */
#define MPIDR_AFFINITY_MASK 0x00ffffffu

bool arm_is_psci_call(ARMCPU *cpu, int excp)
{
    return (excp == EXCP_HVC && cpu->psci_conduit == ARM_PSCI_CONDUIT_HVC) ||
           (excp == EXCP_SMC && cpu->psci_conduit == ARM_PSCI_CONDUIT_SMC);
}

static ARMCPU *arm_cpu_by_mpidr(uint32_t mpidr)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        ARMCPU *cpu = ARM_CPU(g_ptr_array_index(cpus, i));

        if ((cpu->env.cp15.mpidr & MPIDR_AFFINITY_MASK) ==
            (mpidr & MPIDR_AFFINITY_MASK) &&
            !(mpidr & ~(MPIDR_AFFINITY_MASK | 0xc0000000u))) {
            return cpu;
        }
    }
    return NULL;
}

/* Stops the calling core until CPU_ON: the vCPU loop sees EXCP_HLT. */
static void psci_power_off_self(ARMCPU *cpu)
{
    CPUState *cs = CPU(cpu);

    cpu->powered_off = true;
    cs->halted = true;
    cs->exception_index = EXCP_HLT;
}

/*
 * CPU_ON: the target starts as from a reset (MMU off, SVC mode), at
 * entry (bit 0: Thumb) with context_id in r0.  Its vCPU thread is
 * parked on its halt condition or about to be (it takes the lock before
 * it looks at powered_off again), so its state is ours to write.
 */
static int32_t psci_cpu_on(uint32_t mpidr, uint32_t entry,
                           uint32_t context_id)
{
    ARMCPU *target = arm_cpu_by_mpidr(mpidr);
    CPUState *cs;

    if (!target) {
        return PSCI_INVALID_PARAMS;
    }
    if (!target->powered_off) {
        return PSCI_ALREADY_ON;
    }
    cs = CPU(target);
    cpu_reset(cs);
    target->powered_off = false;
    target->env.regs[0] = context_id;
    CPU_GET_CLASS(cs)->set_pc(cs, entry);
    cs->halted = false;
    cpu_kick(cs);
    return PSCI_SUCCESS;
}

static int32_t psci_affinity_info(uint32_t mpidr, uint32_t level)
{
    ARMCPU *target;

    /* Clusters and above are always on. */
    if (level != 0) {
        return PSCI_AFFINITY_ON;
    }
    target = arm_cpu_by_mpidr(mpidr);
    if (!target) {
        return PSCI_INVALID_PARAMS;
    }
    return target->powered_off ? PSCI_AFFINITY_OFF : PSCI_AFFINITY_ON;
}

static int32_t psci_features(uint32_t fn)
{
    switch (fn) {
    case PSCI_FN_VERSION:
    case PSCI_FN_CPU_SUSPEND:
    case PSCI_FN_CPU_OFF:
    case PSCI_FN_CPU_ON:
    case PSCI_FN_AFFINITY_INFO:
    case PSCI_FN_MIGRATE_INFO_TYPE:
    case PSCI_FN_SYSTEM_OFF:
    case PSCI_FN_SYSTEM_RESET:
    case PSCI_FN_FEATURES:
    case PSCI_0_1_FN_CPU_SUSPEND:
    case PSCI_0_1_FN_CPU_OFF:
    case PSCI_0_1_FN_CPU_ON:
        return PSCI_SUCCESS;
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

void arm_handle_psci_call(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;
    CPUState *cs = CPU(cpu);
    uint32_t fn = env->regs[0];
    int32_t ret;

    switch (fn) {
    case PSCI_FN_VERSION:
        ret = PSCI_VERSION_1_1;
        break;
    case PSCI_FN_MIGRATE_INFO_TYPE:
        ret = PSCI_TOS_MIGRATION_NOT_REQUIRED;
        break;
    case PSCI_FN_CPU_ON:
    case PSCI_0_1_FN_CPU_ON:
        ret = psci_cpu_on(env->regs[1], env->regs[2], env->regs[3]);
        break;
    case PSCI_FN_CPU_OFF:
    case PSCI_0_1_FN_CPU_OFF:
        /* Never returns to the caller. */
        psci_power_off_self(cpu);
        return;
    case PSCI_FN_CPU_SUSPEND:
    case PSCI_0_1_FN_CPU_SUSPEND:
        /* Only the standby state (no power down, no affinity levels
         * above the core): a WFI, resumed by any interrupt. */
        if (env->regs[1] & 0xfffe0000u) {
            ret = PSCI_INVALID_PARAMS;
            break;
        }
        env->regs[0] = PSCI_SUCCESS;
        cs->halted = true;
        cs->exception_index = EXCP_HLT;
        return;
    case PSCI_FN_AFFINITY_INFO:
        ret = psci_affinity_info(env->regs[1], env->regs[2]);
        break;
    case PSCI_FN_SYSTEM_OFF:
    case PSCI_FN_SYSTEM_RESET:
        if (fn == PSCI_FN_SYSTEM_OFF) {
            system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        } else {
            system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        }
        /* Neither returns: the core stops until the main loop has done
         * the request (a reset powers it on again). */
        psci_power_off_self(cpu);
        return;
    case PSCI_FN_FEATURES:
        ret = psci_features(env->regs[1]);
        break;
    case PSCI_FN_MIGRATE:
    case PSCI_0_1_FN_MIGRATE:
        /* No Trusted OS to move. */
    default:
        /* Also the SMC64 forms (an AArch32 caller may not use them) and
         * what PSCI does not define. */
        ret = PSCI_NOT_SUPPORTED;
        break;
    }
    env->regs[0] = ret;
}
