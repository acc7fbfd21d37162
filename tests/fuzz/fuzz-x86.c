/*
 * Fuzz target: guest x86 code in every mode the x86 front end has, with
 * descriptor tables, a TSS and page tables set up as an OS would leave
 * them, and part of them taken from the input.  Finds crashes and hangs
 * of the translator (decoder, lazy flags, x87/SSE, string instructions),
 * of the softmmu and the page walk, and of the segment, task and
 * interrupt helpers, for any instruction stream.
 *
 * The machine: 4 MiB of RAM at 0 and nothing else (port I/O and other
 * addresses read as unassigned).  Low memory holds the real-mode IVT at
 * 0, the GDT at 0x1000, the IDT at 0x2000, the TSS at 0x3000, a stack
 * below 0x7000 and the code at 0x8000; page tables from 0x10000.  Every
 * vector's handler is in the code itself, at CODE_BASE + 16 * vector
 * (modulo the code's length), so exceptions run more fuzzed code.
 *
 * Input: a header of 4 bytes, then 48 bytes of GDT entries (selectors
 * 0x50..0x78: far jumps and segment loads meet arbitrary descriptors),
 * then (modes with paging) 16 page-table entries of 8 bytes, then the
 * code (at most 4 KiB):
 *   byte 0  bits 0-2: the mode (enum mode); bit 3: CPL 3 (not real or
 *           vm86 mode); bit 4: run free (whole blocks, chained, stopped
 *           after RUN_FREE_US of host time) instead of single-stepping;
 *           bit 5: the "max" CPU model instead of "qemu64"; bit 6: trap
 *           gates instead of interrupt gates
 *   byte 1  bits 1-3: W, U and PWT of the flat mappings' entries
 *           (always present large pages); bit 0: CR0.WP; bit 7:
 *           EFER.NXE
 *   byte 2  single-stepping: (byte 2 + 1) * 4 instructions run
 *   byte 3  RFLAGS: bit 0 DF, bit 1 AC, bits 2-3 IOPL, bit 4 TF,
 *           bit 5 CR4.OSFXSR|OSXMMEXCPT, bit 6 CR0.EM, bit 7 CR0.TS
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "accel/tcg/internal.h"
#include "target/i386/cpu.h"
#include "fuzz.h"
#include "fuzz-machine.h"

#define RAM_SIZE (4 * 1024 * 1024)
#define GDT_BASE 0x1000
#define IDT_BASE 0x2000
#define TSS_BASE 0x3000
#define STACK_TOP 0x7000
#define CODE_BASE 0x8000
#define CODE_MAX 4096
#define PML4_BASE 0x10000            /* long mode: PML4, PDPT, PD */
#define PDPT_BASE 0x11000
#define PD_BASE 0x12000
#define PD32_BASE 0x13000            /* 2-level: the page directory */
#define PAE_PDPT_BASE 0x14000        /* PAE: the four PDPTEs */
#define HEADER_BYTES 4
#define FUZZED_DESCS 6
#define FUZZED_PTES 16
#define RUN_FREE_US 2000
#define SINGLE_STEP_US 50000

enum mode {
    MODE_REAL,
    MODE_VM86,
    MODE_PROT16,                 /* 16-bit code segment, no paging */
    MODE_PROT32,                 /* flat, no paging */
    MODE_PAGED32,                /* 2-level, 4 MiB pages */
    MODE_PAE,
    MODE_LONG64,
    MODE_COMPAT,                 /* long mode, 32-bit code segment */
};

static bool is_long_mode(enum mode mode)
{
    return mode == MODE_LONG64 || mode == MODE_COMPAT;
}

enum {
    FLAG_USER = 1 << 3,
    FLAG_RUN_FREE = 1 << 4,
    FLAG_MAX_MODEL = 1 << 5,
    FLAG_TRAP_GATES = 1 << 6,
};

/* The fixed GDT */
enum {
    SEL_CODE32 = 0x08, SEL_DATA = 0x10, SEL_CODE64 = 0x18,
    SEL_UCODE32 = 0x20, SEL_UDATA = 0x28, SEL_UCODE64 = 0x30,
    SEL_CODE16 = 0x38, SEL_TSS = 0x40,   /* 16 bytes in long mode */
    SEL_FUZZED = 0x50,
};

#define CODE_FLAGS (DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK | \
                    DESC_A_MASK)
#define DATA_FLAGS (DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK)
#define DPL3 (3u << DESC_DPL_SHIFT)
#define TSS_TYPE_AVAILABLE 9             /* 32- or 64-bit, not busy */
#define TSS_TYPE_BUSY 11
#define GATE_INTERRUPT 14
#define GATE_TRAP 15

static CPUState *qemu64, *max;
static MemoryRegion *ram;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ram = fuzz_machine_init(RAM_SIZE);
    qemu64 = fuzz_cpu_new("qemu64");
    max = fuzz_cpu_new("max");
    return 0;
}

/* A segment: its GDT entry and the cache a load of it would fill.
 * flags are the cache's, which hold the descriptor's high-dword bits. */
static SegmentCache segment(uint32_t selector, uint32_t base, uint32_t limit,
                            uint32_t flags)
{
    uint32_t raw_limit = flags & DESC_G_MASK ? limit >> 12 : limit;
    hwaddr entry = GDT_BASE + (selector & ~7u);

    fuzz_store(entry, 4, (base & 0xffff) << 16 | (raw_limit & 0xffff));
    fuzz_store(entry + 4, 4, (base & 0xff000000) | (raw_limit & 0xf0000) |
                             flags | ((base >> 16) & 0xff));
    return (SegmentCache){ .selector = selector, .base = base,
                           .limit = limit, .flags = flags };
}

static void setup_tss(CPUX86State *env, bool long_mode)
{
    /* ESP0/RSP0 and (32-bit) SS0: the stack of exceptions from CPL 3.
     * The I/O bitmap offset points past the limit: no port for CPL 3
     * unless IOPL allows it. */
    fuzz_store(TSS_BASE + 4, 4, STACK_TOP);
    if (long_mode) {
        fuzz_store(TSS_BASE + 0x24, 4, STACK_TOP - 0x800);   /* IST1 */
    } else {
        fuzz_store(TSS_BASE + 8, 4, SEL_DATA);
    }
    fuzz_store(TSS_BASE + 0x66, 2, 0x68);
    /* In long mode the descriptor's second half (base 63:32) stays
     * zero, as RAM is. */
    env->tr = segment(SEL_TSS, TSS_BASE, 0x67,
                      DESC_P_MASK | TSS_TYPE_BUSY << DESC_TYPE_SHIFT);
}

/* Gates for every vector, to CODE_BASE + 16 * vector within the code,
 * reachable by int n from CPL 3; vectors 2 and 8 take IST1 in long
 * mode, to cover it.  (The upper half of a long-mode gate stays zero,
 * as RAM is.) */
static void setup_idt(CPUX86State *env, enum mode mode, size_t code_len,
                      bool trap_gates)
{
    bool long_mode = is_long_mode(mode);
    unsigned gate_size = long_mode ? 16 : 8;
    uint32_t selector = long_mode ? SEL_CODE64 : SEL_CODE32;
    unsigned type = trap_gates ? GATE_TRAP : GATE_INTERRUPT;

    for (unsigned v = 0; v < 256; v++) {
        uint32_t target = CODE_BASE + (16 * v) % code_len;
        hwaddr gate = IDT_BASE + v * gate_size;
        unsigned ist = long_mode && (v == 2 || v == 8);

        if (mode == MODE_REAL) {
            fuzz_store(v * 4, 4, target & 0xffff);      /* segment 0 */
            continue;
        }
        fuzz_store(gate, 4, selector << 16 | (target & 0xffff));
        fuzz_store(gate + 4, 4, (target & 0xffff0000) | DESC_P_MASK | DPL3 |
                                type << DESC_TYPE_SHIFT | ist);
    }
    if (mode == MODE_REAL) {
        env->idt = (SegmentCache){ .base = 0, .limit = 0x3ff };
    } else {
        env->idt = (SegmentCache){ .base = IDT_BASE,
                                   .limit = 256 * gate_size - 1 };
    }
}

/* The first 4 MiB mapped flat with the input's low entry bits (always
 * present), the next 16 pages or large pages from the input, the rest
 * not present (RAM is zero).  PAE and long mode share the page
 * directory of 2 MiB pages and differ above it. */
static void setup_paging(CPUX86State *env, enum mode mode, uint8_t bits,
                         const uint8_t *ptes)
{
    uint64_t flat = (bits & 0x0e) | 0x1 | 0x80;      /* P, PS */

    if (mode == MODE_PAGED32) {
        fuzz_store(PD32_BASE, 4, flat);
        for (int i = 0; i < FUZZED_PTES; i++) {
            fuzz_store(PD32_BASE + (i + 1) * 4, 4, ldn_le_p(ptes + i * 8, 4));
        }
        env->cr[3] = PD32_BASE;
        env->cr[4] |= CR4_PSE_MASK;
    } else {
        fuzz_store(PD_BASE, 8, flat);
        fuzz_store(PD_BASE + 8, 8, flat | 0x200000);
        for (int i = 0; i < FUZZED_PTES; i++) {
            fuzz_store(PD_BASE + (i + 2) * 8, 8, ldn_le_p(ptes + i * 8, 8));
        }
        env->cr[4] |= CR4_PAE_MASK;
        if (mode == MODE_PAE) {
            fuzz_store(PAE_PDPT_BASE, 8, PD_BASE | 1);
            env->cr[3] = PAE_PDPT_BASE;
        } else {
            fuzz_store(PML4_BASE, 8, PDPT_BASE | 0x7);
            fuzz_store(PDPT_BASE, 8, PD_BASE | 0x7);
            env->cr[3] = PML4_BASE;
            env->efer |= EFER_LME | EFER_LMA;
        }
    }
    if (bits & 0x80) {
        env->efer |= EFER_NXE;
    }
    env->cr[0] |= CR0_PG_MASK | (bits & 1 ? CR0_WP_MASK : 0);
}

static void set_data_segments(CPUX86State *env, SegmentCache data)
{
    for (int i = 0; i < 6; i++) {
        if (i != R_CS) {
            env->segs[i] = data;
        }
    }
}

static void setup_mode(CPUX86State *env, enum mode mode, bool user,
                       uint8_t page_bits, const uint8_t *ptes)
{
    bool long_mode = is_long_mode(mode);
    unsigned dpl = user ? DPL3 : 0, rpl = user ? 3 : 0;
    SegmentCache code32, code64, code16, data;

    code32 = segment(user ? SEL_UCODE32 : SEL_CODE32, 0, 0xffffffff,
                     CODE_FLAGS | DESC_B_MASK | DESC_G_MASK | dpl);
    code64 = segment(user ? SEL_UCODE64 : SEL_CODE64, 0, 0xffffffff,
                     CODE_FLAGS | DESC_L_MASK | DESC_G_MASK | dpl);
    data = segment(user ? SEL_UDATA : SEL_DATA, 0, 0xffffffff,
                   DATA_FLAGS | DESC_B_MASK | DESC_G_MASK | dpl);
    code16 = segment(SEL_CODE16, 0, 0xffff, CODE_FLAGS);
    /* The kernel's segments too, for the gates and the TSS stack. */
    segment(SEL_CODE32, 0, 0xffffffff,
            CODE_FLAGS | DESC_B_MASK | DESC_G_MASK);
    segment(SEL_CODE64, 0, 0xffffffff,
            CODE_FLAGS | DESC_L_MASK | DESC_G_MASK);
    segment(SEL_DATA, 0, 0xffffffff, DATA_FLAGS | DESC_B_MASK | DESC_G_MASK);
    code32.selector |= rpl;
    code64.selector |= rpl;
    data.selector |= rpl;

    env->regs[R_ESP] = STACK_TOP;
    if (mode == MODE_REAL) {
        return;                  /* as after reset, with CS = 0 */
    }
    env->gdt = (SegmentCache){ .base = GDT_BASE, .limit = 0x7f };
    env->cr[0] |= CR0_PE_MASK;
    setup_tss(env, long_mode);
    if (mode == MODE_VM86) {
        /* As an iret to virtual-8086 mode leaves the caches: the
         * real-mode segments at DPL 3. */
        for (int i = 0; i < 6; i++) {
            env->segs[i].flags |= DPL3;
        }
        env->rflags |= EFLAGS_VM;
        return;
    }
    set_data_segments(env, data);
    env->segs[R_CS] = mode == MODE_PROT16 ? code16
                      : mode == MODE_LONG64 ? code64 : code32;
    if (mode >= MODE_PAGED32) {
        setup_paging(env, mode, page_bits, ptes);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *descs, *ptes = NULL;
    CPUState *cpu;
    CPUX86State *env;
    enum mode mode;
    uint8_t flags, page_bits, fl;
    unsigned steps;
    bool user;
    size_t code_len;

    if (size < HEADER_BYTES + FUZZED_DESCS * 8) {
        return 0;
    }
    flags = data[0];
    page_bits = data[1];
    steps = (data[2] + 1) * 4;
    fl = data[3];
    mode = flags & 7;
    user = (flags & FLAG_USER) && mode != MODE_REAL;
    descs = data + HEADER_BYTES;
    data += HEADER_BYTES + FUZZED_DESCS * 8;
    size -= HEADER_BYTES + FUZZED_DESCS * 8;
    if (mode >= MODE_PAGED32) {
        if (size < FUZZED_PTES * 8) {
            return 0;
        }
        ptes = data;
        data += FUZZED_PTES * 8;
        size -= FUZZED_PTES * 8;
    }
    code_len = MIN(size, CODE_MAX);
    if (!code_len) {
        return 0;
    }

    cpu = flags & FLAG_MAX_MODEL ? max : qemu64;
    env = &X86_CPU(cpu)->env;
    cpu_reset(cpu);
    memset(memory_region_get_ram_ptr(ram), 0, RAM_SIZE);
    tb_flush_all();
    address_space_write(&address_space_memory, GDT_BASE + SEL_FUZZED, descs,
                        FUZZED_DESCS * 8);
    address_space_write(&address_space_memory, CODE_BASE, data, code_len);

    /* Real mode: CS = 0, as the BIOS leaves a boot sector. */
    env->segs[R_CS].selector = 0;
    env->segs[R_CS].base = 0;
    env->rip = CODE_BASE;
    setup_mode(env, mode, user, page_bits, ptes);
    setup_idt(env, mode, code_len, flags & FLAG_TRAP_GATES);
    if (fl & 0x20) {
        env->cr[4] |= CR4_OSFXSR_MASK | CR4_OSXMMEXCPT_MASK;
    }
    env->cr[0] |= (fl & 0x40 ? CR0_EM_MASK : 0) | (fl & 0x80 ? CR0_TS_MASK : 0);
    x86_cpu_set_eflags(env, (env->rflags & EFLAGS_VM) | EFLAGS_FIXED |
                            (fl & 1 ? EFLAGS_DF : 0) |
                            (fl & 2 ? EFLAGS_AC : 0) |
                            (uint32_t)((fl >> 2) & 3) << EFLAGS_IOPL_SHIFT |
                            (fl & 0x10 ? EFLAGS_TF : 0));
    tlb_flush(cpu);
    cpu->halted = false;
    cpu->exception_index = -1;
    current_cpu = cpu;
    if (flags & FLAG_RUN_FREE) {
        fuzz_run_free(cpu, RUN_FREE_US);
    } else {
        fuzz_single_step(cpu, steps, SINGLE_STEP_US);
    }
    current_cpu = NULL;
    return 0;
}
