/*
 * "info registers" for x86-64, in the text QEMU 7.2 prints (with FPU and
 * SSE registers), so habits and scripts carry over: 64-bit names and
 * widths when CS is a 64-bit segment, 32-bit ones otherwise, segment
 * descriptions once protected mode is on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/cpu.h"

/* What the registers say about the mode, as the dump needs it. */
typedef struct X86Mode {
    bool pe;                     /* protected mode */
    bool lma;                    /* long mode active */
    bool cs64;                   /* ... and a 64-bit code segment */
} X86Mode;

static const char *const sys_seg_names[2][16] = {
    {   /* legacy modes */
        "Reserved", "TSS16-avl", "LDT", "TSS16-busy",
        "CallGate16", "TaskGate", "IntGate16", "TrapGate16",
        "Reserved", "TSS32-avl", "Reserved", "TSS32-busy",
        "CallGate32", "Reserved", "IntGate32", "TrapGate32",
    },
    {   /* long mode */
        "<hiword>", "Reserved", "LDT", "Reserved",
        "Reserved", "Reserved", "Reserved", "Reserved",
        "Reserved", "TSS64-avl", "Reserved", "TSS64-busy",
        "CallGate64", "Reserved", "IntGate64", "TrapGate64",
    },
};

static void dump_seg(GString *out, const X86Mode *m, const char *name,
                     const SegmentCache *sc)
{
    uint32_t flags = sc->flags;

    if (m->cs64) {
        g_string_append_printf(out, "%-3s=%04x %016" PRIx64 " %08x %08x",
                               name, sc->selector, sc->base, sc->limit,
                               flags & 0x00ffff00);
    } else {
        g_string_append_printf(out, "%-3s=%04x %08x %08x %08x", name,
                               sc->selector, (uint32_t)sc->base, sc->limit,
                               flags & 0x00ffff00);
    }
    if (m->pe && (flags & DESC_P_MASK)) {
        g_string_append_printf(out, " DPL=%u ",
                               (flags & DESC_DPL_MASK) >> DESC_DPL_SHIFT);
        if (!(flags & DESC_S_MASK)) {
            g_string_append(out, sys_seg_names[m->lma][(flags &
                            DESC_TYPE_MASK) >> DESC_TYPE_SHIFT]);
        } else if (flags & DESC_CS_MASK) {
            g_string_append_printf(out, "%s [%c%c%c]",
                                   (flags & DESC_L_MASK) ? "CS64" :
                                   (flags & DESC_B_MASK) ? "CS32" : "CS16",
                                   (flags & DESC_C_MASK) ? 'C' : '-',
                                   (flags & DESC_R_MASK) ? 'R' : '-',
                                   (flags & DESC_A_MASK) ? 'A' : '-');
        } else {
            g_string_append_printf(out, "%s [%c%c%c]",
                                   ((flags & DESC_B_MASK) || m->lma) ?
                                   "DS  " : "DS16",
                                   (flags & DESC_E_MASK) ? 'E' : '-',
                                   (flags & DESC_W_MASK) ? 'W' : '-',
                                   (flags & DESC_A_MASK) ? 'A' : '-');
        }
    }
    g_string_append_c(out, '\n');
}

static void dump_gprs(GString *out, const CPUX86State *env, bool wide)
{
    static const char *const names64[16] = {
        "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
        "R8 ", "R9 ", "R10", "R11", "R12", "R13", "R14", "R15",
    };
    static const char *const names32[8] = {
        "EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP",
    };
    /* Printing order: A B C D SI DI BP SP, then R8..R15. */
    static const int order[16] = {
        R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
        R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    };
    int n = wide ? 16 : 8;

    for (int i = 0; i < n; i++) {
        if (wide) {
            g_string_append_printf(out, "%s=%016" PRIx64, names64[i],
                                   env->regs[order[i]]);
        } else {
            g_string_append_printf(out, "%s=%08x", names32[i],
                                   (uint32_t)env->regs[order[i]]);
        }
        g_string_append_c(out, (i & 3) == 3 ? '\n' : ' ');
    }
}

void x86_cpu_dump_state(CPUState *cs, GString *out, int flags)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    X86Mode m = {
        .pe = env->cr[0] & CR0_PE_MASK,
        .lma = env->efer & EFER_LMA,
    };
    uint64_t fl = x86_cpu_get_eflags(env);
    unsigned cpl = (env->segs[R_SS].flags & DESC_DPL_MASK) >> DESC_DPL_SHIFT;
    static const char *const seg_names[6] = {
        "ES", "CS", "SS", "DS", "FS", "GS",
    };

    m.cs64 = m.lma && (env->segs[R_CS].flags & DESC_L_MASK);
    dump_gprs(out, env, m.cs64);
    g_string_append_printf(out, m.cs64 ? "RIP=%016" PRIx64 " RFL=%08x"
                                       : "EIP=%08" PRIx64 " EFL=%08x",
                           m.cs64 ? env->rip : (uint32_t)env->rip,
                           (uint32_t)fl);
    g_string_append_printf(out, " [%c%c%c%c%c%c%c] CPL=%u II=%d A20=%d "
                           "SMM=%d HLT=%d\n",
                           (fl & (1 << 10)) ? 'D' : '-',
                           (fl & (1 << 11)) ? 'O' : '-',
                           (fl & (1 << 7)) ? 'S' : '-',
                           (fl & (1 << 6)) ? 'Z' : '-',
                           (fl & (1 << 4)) ? 'A' : '-',
                           (fl & (1 << 2)) ? 'P' : '-',
                           (fl & (1 << 0)) ? 'C' : '-',
                           cpl, env->interrupt_shadow ? 1 : 0,
                           (int)(env->a20_mask >> 20) & 1, env->smm,
                           env->mp_state == X86_MP_HALTED || cs->halted);
    for (int i = 0; i < 6; i++) {
        dump_seg(out, &m, seg_names[i], &env->segs[i]);
    }
    dump_seg(out, &m, "LDT", &env->ldt);
    dump_seg(out, &m, "TR", &env->tr);

    if (m.lma) {
        g_string_append_printf(out, "GDT=     %016" PRIx64 " %08x\n",
                               env->gdt.base, env->gdt.limit);
        g_string_append_printf(out, "IDT=     %016" PRIx64 " %08x\n",
                               env->idt.base, env->idt.limit);
        g_string_append_printf(out, "CR0=%08x CR2=%016" PRIx64 " CR3=%016"
                               PRIx64 " CR4=%08x\n", (uint32_t)env->cr[0],
                               env->cr[2], env->cr[3], (uint32_t)env->cr[4]);
    } else {
        g_string_append_printf(out, "GDT=     %08x %08x\n",
                               (uint32_t)env->gdt.base, env->gdt.limit);
        g_string_append_printf(out, "IDT=     %08x %08x\n",
                               (uint32_t)env->idt.base, env->idt.limit);
        g_string_append_printf(out, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n",
                               (uint32_t)env->cr[0], (uint32_t)env->cr[2],
                               (uint32_t)env->cr[3], (uint32_t)env->cr[4]);
    }
    for (int i = 0; i < 4; i++) {
        g_string_append_printf(out, "DR%d=%016" PRIx64 " ", i, env->dr[i]);
    }
    g_string_append_printf(out, "\nDR6=%016" PRIx64 " DR7=%016" PRIx64 "\n",
                           env->dr[6], env->dr[7]);
    g_string_append_printf(out, "EFER=%016" PRIx64 "\n", env->efer);

    x86_mxcsr_sync(env);      /* -d cpu logs in the vCPU's own thread */
    g_string_append_printf(out, "FCW=%04x FSW=%04x [ST=%d] FTW=%02x "
                           "MXCSR=%08x\n", env->fx.fcw, env->fx.fsw,
                           (env->fx.fsw >> 11) & 7, env->fx.ftw,
                           env->fx.mxcsr);
    /* by physical register number, as QEMU prints them */
    for (int i = 0; i < 8; i++) {
        const uint64_t *r = env->fx.st[x86_st_of_fpreg(&env->fx, i)];

        g_string_append_printf(out, "FPR%d=%016" PRIx64 " %04x%c", i,
                               r[0], (uint16_t)r[1], (i & 1) ? '\n' : ' ');
    }
    for (int i = 0; i < (m.cs64 ? 16 : 8); i++) {
        g_string_append_printf(out, "XMM%02d=%016" PRIx64 " %016" PRIx64
                               "%c", i, env->fx.xmm[i][1], env->fx.xmm[i][0],
                               (i & 1) ? '\n' : ' ');
    }
}
