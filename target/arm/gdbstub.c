/*
 * The ARM registers as gdb sees them: the org.gnu.gdb.arm.core feature
 * (r0-r12, sp, lr, pc, and cpsr as register 25, after the numbers old
 * gdbs gave the FPA registers), little-endian 32-bit values.  None of
 * the models has VFP; a model that gets it adds an
 * org.gnu.gdb.arm.vfp feature to arm_gdb_features.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "gdbstub/registers.h"
#include "target/arm/internals.h"

#define ARM_GDB_CPSR 25

static const GDBRegister arm_core_regs[] = {
    { "r0", 0, 32 }, { "r1", 1, 32 }, { "r2", 2, 32 }, { "r3", 3, 32 },
    { "r4", 4, 32 }, { "r5", 5, 32 }, { "r6", 6, 32 }, { "r7", 7, 32 },
    { "r8", 8, 32 }, { "r9", 9, 32 }, { "r10", 10, 32 },
    { "r11", 11, 32 }, { "r12", 12, 32 },
    { "sp", 13, 32, "data_ptr" }, { "lr", 14, 32 },
    { "pc", 15, 32, "code_ptr" },
    { "cpsr", ARM_GDB_CPSR, 32 },
};

static const GDBFeature arm_core_feature = {
    .name = "org.gnu.gdb.arm.core",
    .regs = arm_core_regs,
    .nregs = ARRAY_SIZE(arm_core_regs),
};

static const GDBFeature *const arm_features[] = {
    &arm_core_feature,
    NULL,
};

const GDBFeature *const *arm_gdb_features(CPUState *cs)
{
    return arm_features;
}

int arm_gdb_read_register(CPUState *cs, GByteArray *buf, int regnum)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint8_t bytes[4];
    uint32_t value;

    if (regnum >= 0 && regnum < 16) {
        value = env->regs[regnum];
    } else if (regnum == ARM_GDB_CPSR) {
        value = cpsr_read(env);
    } else {
        return 0;
    }
    stn_le_p(bytes, 4, value);
    g_byte_array_append(buf, bytes, 4);
    return 4;
}

bool arm_gdb_write_register(CPUState *cs, const uint8_t *buf, int regnum)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint32_t value = ldn_le_p(buf, 4);

    if (regnum >= 0 && regnum < 15) {
        env->regs[regnum] = value;
    } else if (regnum == 15) {
        /* gdb writes the address of the instruction in the current
         * state: the Thumb bit stays as the CPSR says. */
        env->regs[15] = value & (env->thumb ? ~1u : ~3u);
    } else if (regnum == ARM_GDB_CPSR) {
        cpsr_write(env, value, 0xffffffff);
        arm_rebuild_hflags(env);
    } else {
        return false;
    }
    return true;
}
