/*
 * The ARM registers in dump-guest-memory's ELF core, as Linux lays out
 * an ARM core's notes and QEMU 7.2 writes them: NT_PRSTATUS with r0-r15,
 * the CPSR and orig_r0 (0), and with VFP an NT_ARM_VFP note ("LINUX")
 * holding D0-D31 and the FPSCR.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/internals.h"
#include "sysemu/dump.h"

/* Linux's struct elf_prstatus for 32-bit ARM, 148 bytes. */
typedef struct ARMElfPrstatus {
    uint8_t pad1[24];            /* siginfo, cursig */
    uint32_t pr_pid;
    uint8_t pad2[44];            /* ppid ... cstime */
    uint32_t pr_reg[18];
    uint32_t pr_fpvalid;
} ARMElfPrstatus;

G_STATIC_ASSERT(sizeof(ARMElfPrstatus) == 148);

typedef struct __attribute__((packed)) ARMUserVFPState {
    uint64_t vregs[32];
    uint32_t fpscr;
} ARMUserVFPState;

#ifndef NT_ARM_VFP
#define NT_ARM_VFP 0x400
#endif

int arm_cpu_elf_machine(CPUState *cs)
{
    return EM_ARM;
}

void arm_cpu_write_elf_notes(CPUState *cs, GByteArray *notes, int id,
                             bool late)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    bool has_vfp = arm_feature(env, ARM_FEATURE_VFP3);
    ARMElfPrstatus prstatus = { .pr_pid = id, .pr_fpvalid = has_vfp };

    if (late) {
        return;                  /* no "QEMU" note for ARM */
    }
    memcpy(prstatus.pr_reg, env->regs, sizeof(env->regs));
    prstatus.pr_reg[16] = cpsr_read(env);
    elf_note_append(notes, "CORE", NT_PRSTATUS, &prstatus, sizeof(prstatus));
    if (has_vfp) {
        ARMUserVFPState vfp = { .fpscr = vfp_get_fpscr(env) };

        memcpy(vfp.vregs, env->vfp.d, sizeof(vfp.vregs));
        elf_note_append(notes, "LINUX", NT_ARM_VFP, &vfp, sizeof(vfp));
    }
}
