/*
 * The x86-64 registers as gdb sees them: one org.gnu.gdb.i386.core
 * feature in the layout and numbering of QEMU 7.2's i386-64bit.xml, so
 * that gdb shows the same values against either stub.
 *
 *    0-15  rax rbx rcx rdx rsi rdi rbp rsp r8-r15 (gdb's order, not the
 *          encoding's)          16 rip         17 eflags
 *   18-23  cs ss ds es fs gs (selectors)
 *   24-26  fs_base gs_base k_gs_base
 *   27-32  cr0 cr2 cr3 cr4 cr8 efer
 *   33-40  st0-st7 (80-bit, ST(i) stack order as FXSAVE holds them)
 *   41-48  fctrl fstat ftag fiseg fioff foseg fooff fop
 *   49-64  xmm0-xmm15           65 mxcsr
 *
 * Outside 64-bit code the general registers and rip read as their low
 * 32 bits and r8-r15 as zero, as QEMU's stub reads them.  Selectors,
 * control registers and EFER take a write only of the value they hold
 * (a 'G' packet that gives them back): loading a selector means a
 * descriptor fetch and a control register a mode change, neither of
 * which a debugger should do behind the guest's back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "gdbstub/registers.h"
#include "target/i386/cpu.h"
#include "target/i386/gdbstub.h"

enum {
    X86_GDB_RIP = 16,
    X86_GDB_EFLAGS = 17,
    X86_GDB_SEG = 18,            /* cs ss ds es fs gs */
    X86_GDB_FS_BASE = 24,
    X86_GDB_GS_BASE = 25,
    X86_GDB_K_GS_BASE = 26,
    X86_GDB_CR0 = 27,            /* cr0 cr2 cr3 cr4 cr8 efer */
    X86_GDB_EFER = 32,
    X86_GDB_ST0 = 33,
    X86_GDB_FCTRL = 41,          /* fctrl fstat ftag fiseg fioff foseg
                                  * fooff fop */
    X86_GDB_XMM0 = 49,
    X86_GDB_MXCSR = 65,
};

/* gdb's register order for 0-15 as indexes of CPUX86State.regs. */
static const uint8_t x86_gdb_gpr[16] = {
    R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};

/* gdb's segment order as indexes of CPUX86State.segs. */
static const uint8_t x86_gdb_seg[6] = { R_CS, R_SS, R_DS, R_ES, R_FS, R_GS };

/* The bit names gdb prints for eflags, the control registers, EFER and
 * MXCSR, and the views of an XMM register (p $xmm0.v4_int32). */
static const char x86_gdb_types[] =
    "    <flags id=\"x64_eflags\" size=\"4\">\n"
    "      <field name=\"\" start=\"22\" end=\"31\"/>\n"
    "      <field name=\"ID\" start=\"21\" end=\"21\"/>\n"
    "      <field name=\"VIP\" start=\"20\" end=\"20\"/>\n"
    "      <field name=\"VIF\" start=\"19\" end=\"19\"/>\n"
    "      <field name=\"AC\" start=\"18\" end=\"18\"/>\n"
    "      <field name=\"VM\" start=\"17\" end=\"17\"/>\n"
    "      <field name=\"RF\" start=\"16\" end=\"16\"/>\n"
    "      <field name=\"\" start=\"15\" end=\"15\"/>\n"
    "      <field name=\"NT\" start=\"14\" end=\"14\"/>\n"
    "      <field name=\"IOPL\" start=\"12\" end=\"13\"/>\n"
    "      <field name=\"OF\" start=\"11\" end=\"11\"/>\n"
    "      <field name=\"DF\" start=\"10\" end=\"10\"/>\n"
    "      <field name=\"IF\" start=\"9\" end=\"9\"/>\n"
    "      <field name=\"TF\" start=\"8\" end=\"8\"/>\n"
    "      <field name=\"SF\" start=\"7\" end=\"7\"/>\n"
    "      <field name=\"ZF\" start=\"6\" end=\"6\"/>\n"
    "      <field name=\"\" start=\"5\" end=\"5\"/>\n"
    "      <field name=\"AF\" start=\"4\" end=\"4\"/>\n"
    "      <field name=\"\" start=\"3\" end=\"3\"/>\n"
    "      <field name=\"PF\" start=\"2\" end=\"2\"/>\n"
    "      <field name=\"\" start=\"1\" end=\"1\"/>\n"
    "      <field name=\"CF\" start=\"0\" end=\"0\"/>\n"
    "    </flags>\n"
    "    <flags id=\"x64_cr0\" size=\"8\">\n"
    "      <field name=\"PG\" start=\"31\" end=\"31\"/>\n"
    "      <field name=\"CD\" start=\"30\" end=\"30\"/>\n"
    "      <field name=\"NW\" start=\"29\" end=\"29\"/>\n"
    "      <field name=\"AM\" start=\"18\" end=\"18\"/>\n"
    "      <field name=\"WP\" start=\"16\" end=\"16\"/>\n"
    "      <field name=\"NE\" start=\"5\" end=\"5\"/>\n"
    "      <field name=\"ET\" start=\"4\" end=\"4\"/>\n"
    "      <field name=\"TS\" start=\"3\" end=\"3\"/>\n"
    "      <field name=\"EM\" start=\"2\" end=\"2\"/>\n"
    "      <field name=\"MP\" start=\"1\" end=\"1\"/>\n"
    "      <field name=\"PE\" start=\"0\" end=\"0\"/>\n"
    "    </flags>\n"
    "    <flags id=\"x64_cr3\" size=\"8\">\n"
    "      <field name=\"PDBR\" start=\"12\" end=\"63\"/>\n"
    "      <field name=\"PCID\" start=\"0\" end=\"11\"/>\n"
    "    </flags>\n"
    "    <flags id=\"x64_cr4\" size=\"8\">\n"
    "      <field name=\"PKE\" start=\"22\" end=\"22\"/>\n"
    "      <field name=\"SMAP\" start=\"21\" end=\"21\"/>\n"
    "      <field name=\"SMEP\" start=\"20\" end=\"20\"/>\n"
    "      <field name=\"OSXSAVE\" start=\"18\" end=\"18\"/>\n"
    "      <field name=\"PCIDE\" start=\"17\" end=\"17\"/>\n"
    "      <field name=\"FSGSBASE\" start=\"16\" end=\"16\"/>\n"
    "      <field name=\"SMXE\" start=\"14\" end=\"14\"/>\n"
    "      <field name=\"VMXE\" start=\"13\" end=\"13\"/>\n"
    "      <field name=\"LA57\" start=\"12\" end=\"12\"/>\n"
    "      <field name=\"UMIP\" start=\"11\" end=\"11\"/>\n"
    "      <field name=\"OSXMMEXCPT\" start=\"10\" end=\"10\"/>\n"
    "      <field name=\"OSFXSR\" start=\"9\" end=\"9\"/>\n"
    "      <field name=\"PCE\" start=\"8\" end=\"8\"/>\n"
    "      <field name=\"PGE\" start=\"7\" end=\"7\"/>\n"
    "      <field name=\"MCE\" start=\"6\" end=\"6\"/>\n"
    "      <field name=\"PAE\" start=\"5\" end=\"5\"/>\n"
    "      <field name=\"PSE\" start=\"4\" end=\"4\"/>\n"
    "      <field name=\"DE\" start=\"3\" end=\"3\"/>\n"
    "      <field name=\"TSD\" start=\"2\" end=\"2\"/>\n"
    "      <field name=\"PVI\" start=\"1\" end=\"1\"/>\n"
    "      <field name=\"VME\" start=\"0\" end=\"0\"/>\n"
    "    </flags>\n"
    "    <flags id=\"x64_efer\" size=\"8\">\n"
    "      <field name=\"TCE\" start=\"15\" end=\"15\"/>\n"
    "      <field name=\"FFXSR\" start=\"14\" end=\"14\"/>\n"
    "      <field name=\"LMSLE\" start=\"13\" end=\"13\"/>\n"
    "      <field name=\"SVME\" start=\"12\" end=\"12\"/>\n"
    "      <field name=\"NXE\" start=\"11\" end=\"11\"/>\n"
    "      <field name=\"LMA\" start=\"10\" end=\"10\"/>\n"
    "      <field name=\"LME\" start=\"8\" end=\"8\"/>\n"
    "      <field name=\"SCE\" start=\"0\" end=\"0\"/>\n"
    "    </flags>\n"
    "    <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "    <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "    <vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
    "    <vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
    "    <vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
    "    <vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
    "    <union id=\"vec128\">\n"
    "      <field name=\"v4_float\" type=\"v4f\"/>\n"
    "      <field name=\"v2_double\" type=\"v2d\"/>\n"
    "      <field name=\"v16_int8\" type=\"v16i8\"/>\n"
    "      <field name=\"v8_int16\" type=\"v8i16\"/>\n"
    "      <field name=\"v4_int32\" type=\"v4i32\"/>\n"
    "      <field name=\"v2_int64\" type=\"v2i64\"/>\n"
    "      <field name=\"uint128\" type=\"uint128\"/>\n"
    "    </union>\n"
    "    <flags id=\"x64_mxcsr\" size=\"4\">\n"
    "      <field name=\"IE\" start=\"0\" end=\"0\"/>\n"
    "      <field name=\"DE\" start=\"1\" end=\"1\"/>\n"
    "      <field name=\"ZE\" start=\"2\" end=\"2\"/>\n"
    "      <field name=\"OE\" start=\"3\" end=\"3\"/>\n"
    "      <field name=\"UE\" start=\"4\" end=\"4\"/>\n"
    "      <field name=\"PE\" start=\"5\" end=\"5\"/>\n"
    "      <field name=\"DAZ\" start=\"6\" end=\"6\"/>\n"
    "      <field name=\"IM\" start=\"7\" end=\"7\"/>\n"
    "      <field name=\"DM\" start=\"8\" end=\"8\"/>\n"
    "      <field name=\"ZM\" start=\"9\" end=\"9\"/>\n"
    "      <field name=\"OM\" start=\"10\" end=\"10\"/>\n"
    "      <field name=\"UM\" start=\"11\" end=\"11\"/>\n"
    "      <field name=\"PM\" start=\"12\" end=\"12\"/>\n"
    "      <field name=\"FZ\" start=\"15\" end=\"15\"/>\n"
    "    </flags>\n";

#define GPR(name, n, type) { name, n, 64, type, "general" }
#define ST(n) { "st" #n, X86_GDB_ST0 + n, 80, "i387_ext", "float" }
#define XMM(n) { "xmm" #n, X86_GDB_XMM0 + n, 128, "vec128", "vector" }

static const GDBRegister x86_gdb_regs[] = {
    GPR("rax", 0, "int64"), GPR("rbx", 1, "int64"),
    GPR("rcx", 2, "int64"), GPR("rdx", 3, "int64"),
    GPR("rsi", 4, "int64"), GPR("rdi", 5, "int64"),
    GPR("rbp", 6, "data_ptr"), GPR("rsp", 7, "data_ptr"),
    GPR("r8", 8, "int64"), GPR("r9", 9, "int64"),
    GPR("r10", 10, "int64"), GPR("r11", 11, "int64"),
    GPR("r12", 12, "int64"), GPR("r13", 13, "int64"),
    GPR("r14", 14, "int64"), GPR("r15", 15, "int64"),
    GPR("rip", X86_GDB_RIP, "code_ptr"),
    { "eflags", X86_GDB_EFLAGS, 32, "x64_eflags", "general" },
    { "cs", 18, 32, "int32", "general" }, { "ss", 19, 32, "int32", "general" },
    { "ds", 20, 32, "int32", "general" }, { "es", 21, 32, "int32", "general" },
    { "fs", 22, 32, "int32", "general" }, { "gs", 23, 32, "int32", "general" },
    GPR("fs_base", X86_GDB_FS_BASE, "int64"),
    GPR("gs_base", X86_GDB_GS_BASE, "int64"),
    GPR("k_gs_base", X86_GDB_K_GS_BASE, "int64"),
    { "cr0", 27, 64, "x64_cr0", "system" },
    { "cr2", 28, 64, "int64", "system" },
    { "cr3", 29, 64, "x64_cr3", "system" },
    { "cr4", 30, 64, "x64_cr4", "system" },
    { "cr8", 31, 64, "int64", "system" },
    { "efer", X86_GDB_EFER, 64, "x64_efer", "system" },
    ST(0), ST(1), ST(2), ST(3), ST(4), ST(5), ST(6), ST(7),
    { "fctrl", 41, 32, "int", "float" }, { "fstat", 42, 32, "int", "float" },
    { "ftag", 43, 32, "int", "float" }, { "fiseg", 44, 32, "int", "float" },
    { "fioff", 45, 32, "int", "float" }, { "foseg", 46, 32, "int", "float" },
    { "fooff", 47, 32, "int", "float" }, { "fop", 48, 32, "int", "float" },
    XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
    XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
    { "mxcsr", X86_GDB_MXCSR, 32, "x64_mxcsr", "vector" },
};

#undef GPR
#undef ST
#undef XMM

static const GDBFeature x86_gdb_core_feature = {
    .name = "org.gnu.gdb.i386.core",
    .types = x86_gdb_types,
    .regs = x86_gdb_regs,
    .nregs = ARRAY_SIZE(x86_gdb_regs),
};

static const GDBFeature *const x86_gdb_feature_list[] = {
    &x86_gdb_core_feature,
    NULL,
};

const GDBFeature *const *x86_gdb_features(CPUState *cs)
{
    return x86_gdb_feature_list;
}

static uint64_t x86_gdb_control(const CPUX86State *env, int regnum)
{
    switch (regnum) {
    case X86_GDB_CR0:
        return env->cr[0];
    case X86_GDB_CR0 + 1:
        return env->cr[2];
    case X86_GDB_CR0 + 2:
        return env->cr[3];
    case X86_GDB_CR0 + 3:
        return env->cr[4];
    case X86_GDB_CR0 + 4:
        return env->cr8;
    default:
        return env->efer;
    }
}

static uint64_t x86_gdb_x87_control(const CPUX86State *env, int regnum)
{
    switch (regnum - X86_GDB_FCTRL) {
    case 0:
        return env->fx.fcw;
    case 1:
        return env->fx.fsw;
    case 2:
        return x86_fpu_tag_word(&env->fx);
    case 4:
        return (uint32_t)env->fx.fip;
    case 6:
        return (uint32_t)env->fx.fdp;
    case 7:
        return env->fx.fop;
    default:
        /* fiseg, foseg: FCS and FDS are not kept (FXSAVE64 has none) */
        return 0;
    }
}

int x86_gdb_read_register(CPUState *cs, GByteArray *buf, int regnum)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    bool code64 = x86_code64(env);

    if (regnum >= 0 && regnum < X86_GDB_RIP) {
        uint64_t value = env->regs[x86_gdb_gpr[regnum]];

        if (!code64) {
            value = regnum < 8 ? (uint32_t)value : 0;
        }
        return gdb_append_reg_le(buf, value, 8);
    }
    if (regnum == X86_GDB_RIP) {
        return gdb_append_reg_le(buf, code64 ? env->rip : (uint32_t)env->rip, 8);
    }
    if (regnum == X86_GDB_EFLAGS) {
        return gdb_append_reg_le(buf, x86_cpu_get_eflags(env), 4);
    }
    if (regnum >= X86_GDB_SEG && regnum < X86_GDB_FS_BASE) {
        return gdb_append_reg_le(buf,
                         env->segs[x86_gdb_seg[regnum - X86_GDB_SEG]].selector,
                         4);
    }
    switch (regnum) {
    case X86_GDB_FS_BASE:
        return gdb_append_reg_le(buf, env->segs[R_FS].base, 8);
    case X86_GDB_GS_BASE:
        return gdb_append_reg_le(buf, env->segs[R_GS].base, 8);
    case X86_GDB_K_GS_BASE:
        return gdb_append_reg_le(buf, env->kernel_gs_base, 8);
    }
    if (regnum >= X86_GDB_CR0 && regnum <= X86_GDB_EFER) {
        return gdb_append_reg_le(buf, x86_gdb_control(env, regnum), 8);
    }
    if (regnum >= X86_GDB_ST0 && regnum < X86_GDB_FCTRL) {
        const uint64_t *r = env->fx.st[regnum - X86_GDB_ST0];

        gdb_append_reg_le(buf, r[0], 8);
        return 8 + gdb_append_reg_le(buf, r[1], 2);
    }
    if (regnum >= X86_GDB_FCTRL && regnum < X86_GDB_XMM0) {
        return gdb_append_reg_le(buf, x86_gdb_x87_control(env, regnum), 4);
    }
    if (regnum >= X86_GDB_XMM0 && regnum < X86_GDB_MXCSR) {
        const uint64_t *x = env->fx.xmm[regnum - X86_GDB_XMM0];

        gdb_append_reg_le(buf, x[0], 8);
        return 8 + gdb_append_reg_le(buf, x[1], 8);
    }
    if (regnum == X86_GDB_MXCSR) {
        return gdb_append_reg_le(buf, env->fx.mxcsr, 4);
    }
    return 0;
}

/* The x87 control registers gdb may write: FCW, FSW (a new TOP keeps
 * the physical registers where they are, as FLDENV does, so that st0
 * then names another of them), the tag word (only "empty or not"
 * survives in the abridged form), the instruction and operand offsets
 * and FOP. */
static bool x86_gdb_write_x87_control(CPUX86State *env, int regnum,
                                      uint32_t value)
{
    switch (regnum - X86_GDB_FCTRL) {
    case 0:
        env->fx.fcw = value;
        break;
    case 1:
        x86_fpu_set_fsw(&env->fx, value);
        break;
    case 2:
        env->fx.ftw = x86_fpu_abridged_tags(value);
        break;
    case 4:
        env->fx.fip = value;
        break;
    case 6:
        env->fx.fdp = value;
        break;
    case 7:
        env->fx.fop = value & 0x7ff;
        break;
    default:
        return value == 0;
    }
    return true;
}

bool x86_gdb_write_register(CPUState *cs, const uint8_t *buf, int regnum)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    if (regnum >= 0 && regnum < X86_GDB_RIP) {
        uint64_t value = ldn_le_p(buf, 8);
        uint64_t *reg = &env->regs[x86_gdb_gpr[regnum]];

        if (x86_code64(env)) {
            *reg = value;
        } else if (regnum < 8) {
            *reg = (uint32_t)value;
        }
        return true;
    }
    switch (regnum) {
    case X86_GDB_RIP:
        env->rip = x86_code64(env) ? ldn_le_p(buf, 8)
                                       : (uint32_t)ldn_le_p(buf, 8);
        return true;
    case X86_GDB_EFLAGS:
        x86_cpu_set_eflags(env, ldn_le_p(buf, 4));
        return true;
    case X86_GDB_FS_BASE:
        env->segs[R_FS].base = ldn_le_p(buf, 8);
        return true;
    case X86_GDB_GS_BASE:
        env->segs[R_GS].base = ldn_le_p(buf, 8);
        return true;
    case X86_GDB_K_GS_BASE:
        env->kernel_gs_base = ldn_le_p(buf, 8);
        return true;
    case X86_GDB_MXCSR:
        if (ldn_le_p(buf, 4) & ~X86_MXCSR_MASK) {
            return false;
        }
        env->fx.mxcsr = ldn_le_p(buf, 4);
        return true;
    }
    if (regnum >= X86_GDB_SEG && regnum < X86_GDB_FS_BASE) {
        return ldn_le_p(buf, 4) ==
               env->segs[x86_gdb_seg[regnum - X86_GDB_SEG]].selector;
    }
    if (regnum >= X86_GDB_CR0 && regnum <= X86_GDB_EFER) {
        return ldn_le_p(buf, 8) == x86_gdb_control(env, regnum);
    }
    if (regnum >= X86_GDB_ST0 && regnum < X86_GDB_FCTRL) {
        uint64_t *r = env->fx.st[regnum - X86_GDB_ST0];

        r[0] = ldn_le_p(buf, 8);
        r[1] = ldn_le_p(buf + 8, 2);
        return true;
    }
    if (regnum >= X86_GDB_FCTRL && regnum < X86_GDB_XMM0) {
        return x86_gdb_write_x87_control(env, regnum, ldn_le_p(buf, 4));
    }
    if (regnum >= X86_GDB_XMM0 && regnum < X86_GDB_MXCSR) {
        uint64_t *x = env->fx.xmm[regnum - X86_GDB_XMM0];

        x[0] = ldn_le_p(buf, 8);
        x[1] = ldn_le_p(buf + 8, 8);
        return true;
    }
    return false;
}
