/*
 * The x86 registers in dump-guest-memory's ELF core, as QEMU 7.2 writes
 * them: in long mode Linux's x86-64 NT_PRSTATUS (EM_X86_64), otherwise
 * the i386 one (EM_386); then, after every vCPU's, a "QEMU" note per
 * vCPU with the full state (segments, descriptor tables, control
 * registers) that crash and QEMU's dump scripts read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/cpu.h"
#include "sysemu/dump.h"

/* Linux's x86-64 struct elf_prstatus, 336 bytes. */
typedef struct X86_64ElfPrstatus {
    uint8_t pad1[32];            /* siginfo, cursig */
    uint32_t pid;
    uint8_t pad2[76];            /* ppid ... cstime */
    struct {
        uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10;
        uint64_t r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax;
        uint64_t rip, cs, eflags, rsp, ss;
        uint64_t fs_base, gs_base, ds, es, fs, gs;
    } regs;
    uint8_t pad3[8];             /* fpvalid */
} X86_64ElfPrstatus;

/* Linux's i386 struct elf_prstatus, 144 bytes. */
typedef struct X86ElfPrstatus {
    uint8_t pad1[24];
    uint32_t pid;
    uint8_t pad2[44];
    struct {
        uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
        uint16_t ds, ds_pad, es, es_pad, fs, fs_pad, gs, gs_pad;
        uint32_t orig_eax, eip;
        uint16_t cs, cs_pad;
        uint32_t eflags, esp;
        uint16_t ss, ss_pad;
    } regs;
    uint8_t pad3[4];
} X86ElfPrstatus;

/* QEMU's own note (its dump.h QEMUCPUState, version 1). */
typedef struct QEMUCPUSegment {
    uint32_t selector, limit, flags, pad;
    uint64_t base;
} QEMUCPUSegment;

typedef struct QEMUCPUState {
    uint32_t version, size;
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    QEMUCPUSegment cs, ds, es, fs, gs, ss, ldt, tr, gdt, idt;
    uint64_t cr[5];
    uint64_t kernel_gs_base;
} QEMUCPUState;

G_STATIC_ASSERT(sizeof(X86_64ElfPrstatus) == 336);
G_STATIC_ASSERT(sizeof(X86ElfPrstatus) == 144);
G_STATIC_ASSERT(sizeof(QEMUCPUState) == 440);

static bool long_mode(CPUState *cs)
{
    return X86_CPU(cs)->env.efer & EFER_LMA;
}

/* QEMU decides by the first vCPU, for the whole core. */
static bool core_is_long_mode(void)
{
    return long_mode(g_ptr_array_index(cpus, 0));
}

int x86_cpu_elf_machine(CPUState *cs)
{
    return long_mode(cs) ? EM_X86_64 : EM_386;
}

static QEMUCPUSegment qemu_segment(const SegmentCache *seg)
{
    return (QEMUCPUSegment) { .selector = seg->selector,
                              .limit = seg->limit, .flags = seg->flags,
                              .base = seg->base };
}

static void write_qemu_note(CPUX86State *env, GByteArray *notes)
{
    const uint64_t *r = env->regs;
    QEMUCPUState s = {
        .version = 1, .size = sizeof(s),
        .rax = r[R_EAX], .rbx = r[R_EBX], .rcx = r[R_ECX], .rdx = r[R_EDX],
        .rsi = r[R_ESI], .rdi = r[R_EDI], .rsp = r[R_ESP], .rbp = r[R_EBP],
        .r8 = r[8], .r9 = r[9], .r10 = r[10], .r11 = r[11],
        .r12 = r[12], .r13 = r[13], .r14 = r[14], .r15 = r[15],
        .rip = env->rip, .rflags = x86_cpu_get_eflags(env),
        .cs = qemu_segment(&env->segs[R_CS]),
        .ds = qemu_segment(&env->segs[R_DS]),
        .es = qemu_segment(&env->segs[R_ES]),
        .fs = qemu_segment(&env->segs[R_FS]),
        .gs = qemu_segment(&env->segs[R_GS]),
        .ss = qemu_segment(&env->segs[R_SS]),
        .ldt = qemu_segment(&env->ldt), .tr = qemu_segment(&env->tr),
        .gdt = qemu_segment(&env->gdt), .idt = qemu_segment(&env->idt),
        .kernel_gs_base = env->kernel_gs_base,
    };

    memcpy(s.cr, env->cr, sizeof(s.cr));
    elf_note_append(notes, "QEMU", 0, &s, sizeof(s));
}

void x86_cpu_write_elf_notes(CPUState *cs, GByteArray *notes, int id,
                             bool late)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    const uint64_t *r = env->regs;

    if (late) {
        write_qemu_note(env, notes);
    } else if (core_is_long_mode()) {
        X86_64ElfPrstatus p = { .pid = id, .regs = {
            .r15 = r[15], .r14 = r[14], .r13 = r[13], .r12 = r[12],
            .rbp = r[R_EBP], .rbx = r[R_EBX], .r11 = r[11], .r10 = r[10],
            .r9 = r[9], .r8 = r[8], .rax = r[R_EAX], .rcx = r[R_ECX],
            .rdx = r[R_EDX], .rsi = r[R_ESI], .rdi = r[R_EDI],
            .rip = env->rip, .cs = env->segs[R_CS].selector,
            .eflags = x86_cpu_get_eflags(env), .rsp = r[R_ESP],
            .ss = env->segs[R_SS].selector,
            .fs_base = env->segs[R_FS].base, .gs_base = env->segs[R_GS].base,
            .ds = env->segs[R_DS].selector, .es = env->segs[R_ES].selector,
            .fs = env->segs[R_FS].selector, .gs = env->segs[R_GS].selector,
        } };

        elf_note_append(notes, "CORE", NT_PRSTATUS, &p, sizeof(p));
    } else {
        X86ElfPrstatus p = { .pid = id, .regs = {
            .ebx = r[R_EBX], .ecx = r[R_ECX], .edx = r[R_EDX],
            .esi = r[R_ESI], .edi = r[R_EDI], .ebp = r[R_EBP],
            .eax = r[R_EAX],
            .ds = env->segs[R_DS].selector, .es = env->segs[R_ES].selector,
            .fs = env->segs[R_FS].selector, .gs = env->segs[R_GS].selector,
            .eip = env->rip, .cs = env->segs[R_CS].selector,
            .eflags = x86_cpu_get_eflags(env), .esp = r[R_ESP],
            .ss = env->segs[R_SS].selector,
        } };

        elf_note_append(notes, "CORE", NT_PRSTATUS, &p, sizeof(p));
    }
}
