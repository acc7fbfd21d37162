/*
 * The ARM registers as gdb sees them, numbered as QEMU 7.2 numbers them
 * so that a session against either stub shows the same values:
 *
 *   org.gnu.gdb.arm.core         r0-r12, sp, lr, pc (0-15) and cpsr as
 *                                register 25, after the numbers old gdbs
 *                                gave the FPA registers;
 *   org.gnu.gdb.arm.vfp          on VFPv3 cores (all of ours have NEON:
 *                                QEMU's arm-neon.xml) d0-d31 (26-57),
 *                                q0-q15 (58-73, the d pairs as raw
 *                                registers) and fpscr (74); gdb adds the
 *                                s0-s31 pseudo registers itself;
 *   org.qemu.gdb.arm.vfp-sysregs fpsid (75) and fpexc (76).
 *
 * Values are little-endian.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "gdbstub/registers.h"
#include "target/arm/internals.h"

#define ARM_GDB_CPSR 25
#define ARM_GDB_D0 26
#define ARM_GDB_Q0 (ARM_GDB_D0 + 32)
#define ARM_GDB_FPSCR (ARM_GDB_Q0 + 16)
#define ARM_GDB_FPSID (ARM_GDB_FPSCR + 1)
#define ARM_GDB_FPEXC (ARM_GDB_FPSCR + 2)

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

/* The views gdb offers of a D and a Q register (p $d0.f64, $q1.u32). */
static const char arm_neon_types[] =
    "    <vector id=\"neon_uint8x8\" type=\"uint8\" count=\"8\"/>\n"
    "    <vector id=\"neon_uint16x4\" type=\"uint16\" count=\"4\"/>\n"
    "    <vector id=\"neon_uint32x2\" type=\"uint32\" count=\"2\"/>\n"
    "    <vector id=\"neon_float32x2\" type=\"ieee_single\" count=\"2\"/>\n"
    "    <union id=\"neon_d\">\n"
    "      <field name=\"u8\" type=\"neon_uint8x8\"/>\n"
    "      <field name=\"u16\" type=\"neon_uint16x4\"/>\n"
    "      <field name=\"u32\" type=\"neon_uint32x2\"/>\n"
    "      <field name=\"u64\" type=\"uint64\"/>\n"
    "      <field name=\"f32\" type=\"neon_float32x2\"/>\n"
    "      <field name=\"f64\" type=\"ieee_double\"/>\n"
    "    </union>\n"
    "    <vector id=\"neon_uint8x16\" type=\"uint8\" count=\"16\"/>\n"
    "    <vector id=\"neon_uint16x8\" type=\"uint16\" count=\"8\"/>\n"
    "    <vector id=\"neon_uint32x4\" type=\"uint32\" count=\"4\"/>\n"
    "    <vector id=\"neon_uint64x2\" type=\"uint64\" count=\"2\"/>\n"
    "    <vector id=\"neon_float32x4\" type=\"ieee_single\" count=\"4\"/>\n"
    "    <vector id=\"neon_float64x2\" type=\"ieee_double\" count=\"2\"/>\n"
    "    <union id=\"neon_q\">\n"
    "      <field name=\"u8\" type=\"neon_uint8x16\"/>\n"
    "      <field name=\"u16\" type=\"neon_uint16x8\"/>\n"
    "      <field name=\"u32\" type=\"neon_uint32x4\"/>\n"
    "      <field name=\"u64\" type=\"neon_uint64x2\"/>\n"
    "      <field name=\"f32\" type=\"neon_float32x4\"/>\n"
    "      <field name=\"f64\" type=\"neon_float64x2\"/>\n"
    "    </union>\n";

#define D(n) { "d" #n, ARM_GDB_D0 + n, 64, "neon_d" }
#define Q(n) { "q" #n, ARM_GDB_Q0 + n, 128, "neon_q" }

static const GDBRegister arm_neon_regs[] = {
    D(0), D(1), D(2), D(3), D(4), D(5), D(6), D(7),
    D(8), D(9), D(10), D(11), D(12), D(13), D(14), D(15),
    D(16), D(17), D(18), D(19), D(20), D(21), D(22), D(23),
    D(24), D(25), D(26), D(27), D(28), D(29), D(30), D(31),
    Q(0), Q(1), Q(2), Q(3), Q(4), Q(5), Q(6), Q(7),
    Q(8), Q(9), Q(10), Q(11), Q(12), Q(13), Q(14), Q(15),
    { "fpscr", ARM_GDB_FPSCR, 32, "int", "float" },
};

#undef D
#undef Q

static const GDBFeature arm_neon_feature = {
    .name = "org.gnu.gdb.arm.vfp",
    .types = arm_neon_types,
    .regs = arm_neon_regs,
    .nregs = ARRAY_SIZE(arm_neon_regs),
};

static const GDBRegister arm_vfp_sysregs[] = {
    { "fpsid", ARM_GDB_FPSID, 32, "int", "float" },
    { "fpexc", ARM_GDB_FPEXC, 32, "int", "float" },
};

static const GDBFeature arm_vfp_sysregs_feature = {
    .name = "org.qemu.gdb.arm.vfp-sysregs",
    .regs = arm_vfp_sysregs,
    .nregs = ARRAY_SIZE(arm_vfp_sysregs),
};

static const GDBFeature *const arm_features[] = {
    &arm_core_feature,
    NULL,
};

static const GDBFeature *const arm_neon_features[] = {
    &arm_core_feature,
    &arm_neon_feature,
    &arm_vfp_sysregs_feature,
    NULL,
};

static bool arm_gdb_has_neon(CPUState *cs)
{
    return arm_feature(&ARM_CPU(cs)->env, ARM_FEATURE_NEON);
}

const GDBFeature *const *arm_gdb_features(CPUState *cs)
{
    return arm_gdb_has_neon(cs) ? arm_neon_features : arm_features;
}

/* The VFP/NEON registers (ARM_GDB_D0 and up). */
static int arm_gdb_read_vfp(CPUARMState *env, GByteArray *buf, int regnum)
{
    if (regnum < ARM_GDB_Q0) {
        return gdb_append_reg_le(buf, env->vfp.d[regnum - ARM_GDB_D0], 8);
    }
    if (regnum < ARM_GDB_FPSCR) {
        int q = regnum - ARM_GDB_Q0;

        gdb_append_reg_le(buf, env->vfp.d[2 * q], 8);
        return 8 + gdb_append_reg_le(buf, env->vfp.d[2 * q + 1], 8);
    }
    switch (regnum) {
    case ARM_GDB_FPSCR:
        return gdb_append_reg_le(buf, vfp_get_fpscr(env), 4);
    case ARM_GDB_FPSID:
        return gdb_append_reg_le(buf, env->vfp.fpsid, 4);
    case ARM_GDB_FPEXC:
        return gdb_append_reg_le(buf, env->vfp.fpexc, 4);
    }
    return 0;
}

static bool arm_gdb_write_vfp(CPUARMState *env, const uint8_t *buf,
                              int regnum)
{
    if (regnum < ARM_GDB_Q0) {
        env->vfp.d[regnum - ARM_GDB_D0] = ldn_le_p(buf, 8);
        return true;
    }
    if (regnum < ARM_GDB_FPSCR) {
        int q = regnum - ARM_GDB_Q0;

        env->vfp.d[2 * q] = ldn_le_p(buf, 8);
        env->vfp.d[2 * q + 1] = ldn_le_p(buf + 8, 8);
        return true;
    }
    switch (regnum) {
    case ARM_GDB_FPSCR:
        vfp_set_fpscr(env, ldn_le_p(buf, 4));
        return true;
    case ARM_GDB_FPEXC:
        vfp_set_fpexc(env, ldn_le_p(buf, 4));
        return true;
    }
    /* FPSID is an identification register: read-only. */
    return false;
}

int arm_gdb_read_register(CPUState *cs, GByteArray *buf, int regnum)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    if (regnum >= 0 && regnum < 16) {
        return gdb_append_reg_le(buf, env->regs[regnum], 4);
    } else if (regnum == ARM_GDB_CPSR) {
        return gdb_append_reg_le(buf, cpsr_read(env), 4);
    } else if (regnum >= ARM_GDB_D0 && regnum <= ARM_GDB_FPEXC &&
               arm_gdb_has_neon(cs)) {
        return arm_gdb_read_vfp(env, buf, regnum);
    }
    return 0;
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
    } else if (regnum >= ARM_GDB_D0 && regnum <= ARM_GDB_FPEXC &&
               arm_gdb_has_neon(cs)) {
        return arm_gdb_write_vfp(env, buf, regnum);
    } else {
        return false;
    }
    return true;
}
