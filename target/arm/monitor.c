/*
 * ARM registers by name for monitor expressions: "p $r0", "x /4i $pc".
 * Names as QEMU's monitor knows them for AArch32: r0-r15, sp, lr, pc,
 * cpsr (flags and Thumb bit included) and spsr of the current mode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/arm/internals.h"

bool arm_cpu_monitor_get_register(CPUState *cs, const char *name,
                                  uint64_t *value)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    char *end;
    unsigned long n;

    if (name[0] == 'r' && g_ascii_isdigit(name[1])) {
        n = strtoul(name + 1, &end, 10);
        /* "r01" is not a register name: no leading zeros */
        if (*end || n > 15 || (name[1] == '0' && name[2])) {
            return false;
        }
        *value = env->regs[n];
    } else if (!strcmp(name, "sp")) {
        *value = env->regs[13];
    } else if (!strcmp(name, "lr")) {
        *value = env->regs[14];
    } else if (!strcmp(name, "pc")) {
        *value = env->regs[15];
    } else if (!strcmp(name, "cpsr")) {
        *value = cpsr_read(env);
    } else if (!strcmp(name, "spsr")) {
        *value = env->spsr;
    } else {
        return false;
    }
    return true;
}
