/*
 * x86 registers by name for monitor expressions: "p $rax", "x /4i $pc".
 * Names as QEMU's monitor knows them: the 64-bit and 32-bit general
 * registers, rip/eip, pc (CS base + RIP: the linear address "x" wants),
 * flags, segment selectors and control registers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/cpu.h"

static const char *const reg64_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const reg32_names[8] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};
static const char *const seg_names[6] = {
    "es", "cs", "ss", "ds", "fs", "gs",
};

bool x86_cpu_monitor_get_register(CPUState *cs, const char *name,
                                  uint64_t *value)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    for (int i = 0; i < 16; i++) {
        if (!strcmp(name, reg64_names[i])) {
            *value = env->regs[i];
            return true;
        }
    }
    for (int i = 0; i < 8; i++) {
        if (!strcmp(name, reg32_names[i])) {
            *value = (uint32_t)env->regs[i];
            return true;
        }
    }
    for (int i = 0; i < 6; i++) {
        if (!strcmp(name, seg_names[i])) {
            *value = env->segs[i].selector;
            return true;
        }
    }
    if (!strcmp(name, "pc")) {
        *value = env->segs[R_CS].base + env->rip;
    } else if (!strcmp(name, "rip")) {
        *value = env->rip;
    } else if (!strcmp(name, "eip")) {
        *value = (uint32_t)env->rip;
    } else if (!strcmp(name, "rflags") || !strcmp(name, "eflags")) {
        *value = x86_cpu_get_eflags(env);
    } else if (!strcmp(name, "cr0")) {
        *value = env->cr[0];
    } else if (!strcmp(name, "cr2")) {
        *value = env->cr[2];
    } else if (!strcmp(name, "cr3")) {
        *value = env->cr[3];
    } else if (!strcmp(name, "cr4")) {
        *value = env->cr[4];
    } else if (!strcmp(name, "efer")) {
        *value = env->efer;
    } else {
        return false;
    }
    return true;
}
