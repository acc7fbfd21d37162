/*
 * Advanced SIMD instructions with random fields: for each encoding class
 * emu implements, words built from a template with random registers,
 * sizes, Q, shift amounts, immediates (undefined combinations included),
 * each run on random register contents (a quarter of the words corner
 * cases: NaNs, infinities, denormals, saturation bounds) with the
 * FPSCR's modes at random and r0 pointing into a random buffer; a line
 * per class hashes D0-D31, r0, r1, the buffer, the FPSCR (QC and the
 * cumulative exception flags) and the undefined instructions and data
 * aborts taken.  The output is
 * compared with what qemu-system-arm prints for the same program.
 * Every word that ran without an exception runs again as its Thumb-2
 * encoding from the same state, which must give the same state.
 * The random words come from the seed given as the last word of the
 * semihosting command line (hex; "-semihosting-config
 * enable=on,arg=neon-random,arg=1234abcd"), a fixed one without it; the
 * first line names it, so that a run that differs can be replayed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <stdint.h>
#include "guest.h"
#include "print.h"
#include "guest-random.h"

#define ROUNDS 64

extern uint32_t vector_table[8];
extern volatile uint32_t fault_info[8];
void undef_skip_handler(void);
void dabt_skip_handler(void);

typedef struct Template {
    const char *name;
    uint32_t base, random;       /* fixed bits, bits drawn at random */
} Template;

/* the random fields of the data-processing classes */
#define REGS3 0x004ff0af         /* D Vn Vd N Q M Vm */
#define REGS2 0x0040f02f         /* D Vd M Vm (Q set apart) */
#define Q (1u << 6)
#define SIZE (3u << 20)
#define U (1u << 24)

static const Template templates[] = {
    { "vhadd", 0xf2000000, REGS3 | SIZE | U },
    { "vqadd", 0xf2000010, REGS3 | SIZE | U },
    { "vrhadd", 0xf2000100, REGS3 | SIZE | U },
    { "logic", 0xf2000110, REGS3 | SIZE | U },
    { "vhsub", 0xf2000200, REGS3 | SIZE | U },
    { "vqsub", 0xf2000210, REGS3 | SIZE | U },
    { "vcgt", 0xf2000300, REGS3 | SIZE | U },
    { "vcge", 0xf2000310, REGS3 | SIZE | U },
    { "vshl", 0xf2000400, REGS3 | SIZE | U },
    { "vrshl", 0xf2000500, REGS3 | SIZE | U },
    { "vmax", 0xf2000600, REGS3 | SIZE | U },
    { "vmin", 0xf2000610, REGS3 | SIZE | U },
    { "vabd", 0xf2000700, REGS3 | SIZE | U },
    { "vaba", 0xf2000710, REGS3 | SIZE | U },
    { "vadd-vsub", 0xf2000800, REGS3 | SIZE | U },
    { "vtst-vceq", 0xf2000810, REGS3 | SIZE | U },
    { "vmla-vmls", 0xf2000900, REGS3 | SIZE | U },
    { "vmul", 0xf2000910, REGS3 | SIZE | U },
    { "vpmax-vpmin", 0xf2000a00, REGS3 | SIZE | U | 0x10 },
    { "vpadd", 0xf2000b10, REGS3 | SIZE },
    { "vmov-imm", 0xf2800010, 0x0147ff6f },
    { "vshr", 0xf2800010, 0x017ff0ef },
    { "vsra", 0xf2800110, 0x017ff0ef },
    { "vrshr", 0xf2800210, 0x017ff0ef },
    { "vrsra", 0xf2800310, 0x017ff0ef },
    { "vsri", 0xf3800410, 0x007ff0ef },
    { "vshl-vsli", 0xf2800510, 0x017ff0ef },
    { "vshrn", 0xf2800810, 0x007ff0ef },
    { "vshll", 0xf2800a10, 0x017ff0ef },
    { "vrev", 0xf3b00000, REGS2 | Q | 0x000c0180 },
    { "vcls-vclz", 0xf3b00400, REGS2 | Q | 0x000c0080 },
    { "vcnt-vmvn", 0xf3b00500, REGS2 | Q | 0x000c0080 },
    { "cmp-zero", 0xf3b10000, REGS2 | Q | 0x000c0180 },
    { "vabs-vneg", 0xf3b10300, REGS2 | Q | 0x000c0080 },
    { "permute", 0xf3b20000, REGS2 | Q | 0x000c0180 },
    { "vmovn", 0xf3b20200, REGS2 | 0x000c0000 },
    { "vext", 0xf2b00000, REGS3 | 0x00000f00 },
    { "vtbl-vtbx", 0xf3b00800, (REGS3 & ~Q) | 0x00000340 },
    { "vdup-scalar", 0xf3b00c00, REGS2 | Q | 0x000f0000 },
    /* saturating shifts and doubling multiplies */
    { "vqshl", 0xf2000410, REGS3 | SIZE | U },
    { "vqrshl", 0xf2000510, REGS3 | SIZE | U },
    { "vqdmulh", 0xf2000b00, REGS3 | SIZE | U },
    { "vqshlu", 0xf2800610, 0x017ff0ef },
    { "vqshl-imm", 0xf2800710, 0x017ff0ef },
    { "vqshrun", 0xf3800810, 0x007ff0ef },
    { "vqshrn", 0xf2800910, 0x017ff0ef },
    { "vpaddl-vpadal", 0xf3b00200, REGS2 | Q | 0x000c0480 },
    { "vqabs-vqneg", 0xf3b00700, REGS2 | Q | 0x000c0080 },
    { "vqmovn", 0xf3b20200, REGS2 | Q | 0x000c0080 },
    { "vshll-size", 0xf3b20300, REGS2 | 0x000c0000 },
    /* three registers of different lengths, by a scalar */
    { "vaddl-vsubw", 0xf2800000, (REGS3 & ~Q) | SIZE | U | 0x300 },
    { "vaddhn-vabdl", 0xf2800400, (REGS3 & ~Q) | SIZE | U | 0x300 },
    { "vmlal-vqdmlsl", 0xf2800800, (REGS3 & ~Q) | SIZE | U | 0x300 },
    { "vmull", 0xf2800c00, (REGS3 & ~Q) | SIZE | U | 0x300 },
    { "scalar-mla", 0xf2800040, (REGS3 & ~Q) | SIZE | U | 0x700 },
    { "scalar-mul", 0xf2800840, (REGS3 & ~Q) | SIZE | U | 0x700 },
    /* single precision */
    { "vadd-vabd.f32", 0xf2000d00, REGS3 | SIZE | U },
    { "vmla-vmul.f32", 0xf2000d10, REGS3 | U | (1u << 21) },
    { "vfma.f32", 0xf2000c10, REGS3 | SIZE | U },
    { "vceq-vcgt.f32", 0xf2000e00, REGS3 | U | (1u << 21) },
    { "vacge-vacgt.f32", 0xf2000e10, REGS3 | U | (1u << 21) },
    { "vmax-vpmin.f32", 0xf2000f00, REGS3 | U | (1u << 21) },
    { "vrecps-vrsqrts", 0xf2000f10, REGS3 | U | (1u << 21) },
    { "cmp-zero.f32", 0xf3b10400, REGS2 | Q | 0x000c0380 },
    { "vrecpe-vrsqrte", 0xf3b30400, REGS2 | Q | 0x000c0180 },
    { "vcvt-int", 0xf3b30600, REGS2 | Q | 0x000c0180 },
    { "vcvt-fixed", 0xf2800e10, 0x017ff1ef },
    { "vcvt-half", 0xf3b20600, REGS2 | 0x000c0100 },
    { "vdup-core", 0xee800b10, 0x006f00a0 },
    { "vmov-to-scalar", 0xee000b10, 0x006f00e0 },
    { "vmov-from-scalar", 0xee100b10, 0x00ef00e0 },
    /* loads and stores at r0 (random alignment), write-back none, by
     * the size (Rm 13) or by r1 */
    { "vldst-multiple", 0xf4000000, 0x0020ffff },
    { "vldst-lane", 0xf4800000, 0x0020ffff },
};

#define DEFAULT_SEED 0x2545f491

/* Operands that random bits seldom give: single-precision zeros,
 * infinities, NaNs (quiet and signalling), denormals, 1.0, 2.0, the
 * largest and smallest normals, and the integer saturation bounds. */
static const uint32_t corner_words[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
    0xffc00001, 0x7f800001, 0xff9fffff, 0x00000001, 0x807fffff,
    0x00400000, 0x3f800000, 0x40000000, 0xbf800000, 0x7f7fffff,
    0x00800000, 0x80800000, 0x4f000000, 0xcf000000, 0x4f800000,
    0x7fffffff, 0x80000001, 0xffffffff, 0x7fff8000, 0x80007fff,
    0x7f807f80, 0x80808080, 0x7f7f7f7f, 0x00010001, 0x5f800000,
    0x1f800000, 0x3e800000,
};

/* A register's worth of operands: random, with a quarter of the words
 * corner cases. */
static uint64_t operand(void)
{
    uint32_t w[2];

    for (int i = 0; i < 2; i++) {
        uint32_t r = rnd();

        w[i] = (r & 3) ? rnd()
                       : corner_words[(r >> 2) % (sizeof(corner_words) /
                                                  sizeof(corner_words[0]))];
    }
    return (uint64_t)w[1] << 32 | w[0];
}

static uint64_t dregs[32], dregs_in[32], dregs_arm[32];
static uint8_t buffer[256] __attribute__((aligned(16)));
static uint8_t buffer_in[256], buffer_arm[256];
static uint32_t code[2] __attribute__((aligned(8)));
static uint32_t hash;
static unsigned thumb_runs, thumb_mismatches;
static uint32_t fpscr_in;

static void copy(void *dst, const void *src, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        ((uint8_t *)dst)[i] = ((const uint8_t *)src)[i];
    }
}

static bool same(const void *a, const void *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (((const uint8_t *)a)[i] != ((const uint8_t *)b)[i]) {
            return false;
        }
    }
    return true;
}

/* The Thumb-2 encoding of an ARM Advanced SIMD or VFP word. */
static uint32_t to_thumb(uint32_t insn)
{
    if ((insn & 0xfe000000) == 0xf2000000) {        /* data processing */
        return 0xef000000 | (insn & 0x01000000) << 4 | (insn & 0x00ffffff);
    }
    if ((insn & 0xff000000) == 0xf4000000) {        /* loads, stores */
        return 0xf9000000 | (insn & 0x00ffffff);
    }
    return insn;                                    /* 0xee...: as is */
}

static void mix(uint32_t v)
{
    hash = hash_mix(hash, v);
}

/* Runs code with D0-D31 from dregs, r0 and r1 from regs, and stores
 * them all back (not inlined: saving d8-d15 waits for VFP to be on). */
static __attribute__((noinline)) void run(uint32_t *regs, uint32_t *entry)
{
    __asm__ volatile("mov r4, %0\n\t"
                     "vldmia %1, {d0-d15}\n\t"
                     "add r2, %1, #128\n\t"
                     "vldmia r2, {d16-d31}\n\t"
                     "ldm r4, {r0, r1}\n\t"
                     "blx %2\n\t"
                     "stm r4, {r0, r1}\n\t"
                     "vstmia %1, {d0-d15}\n\t"
                     "add r2, %1, #128\n\t"
                     "vstmia r2, {d16-d31}"
                     : : "r"(regs), "r"(dregs), "r"(entry)
                     : "r0", "r1", "r2", "r3", "r4", "r12", "lr", "memory",
                       "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7",
                       "d8", "d9", "d10", "d11", "d12", "d13", "d14",
                       "d15", "d16", "d17", "d18", "d19", "d20", "d21",
                       "d22", "d23", "d24", "d25", "d26", "d27", "d28",
                       "d29", "d30", "d31");
}

static void sync_code(void)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 0\n\tisb" : : "r"(0) : "memory");
}

static void sweep(const Template *t)
{
    hash = HASH_INIT;
    for (int round = 0; round < ROUNDS; round++) {
        uint32_t insn = t->base | (rnd() & t->random);
        uint32_t regs[2], regs_in[2], faults;

        if ((t->base & 0xff000000) == 0xf4000000) {
            /* Rn r0; Rm 15, 13 or r1 */
            static const uint32_t rm[4] = { 15, 13, 1, 15 };

            insn = (insn & ~0x000f000fu) | rm[rnd() & 3];
            /* D0-D15 first: lists running past D31 are unpredictable */
            insn &= ~(1u << 22);
        } else if ((t->base & 0xff000000) == 0xee000000) {
            insn = (insn & ~0x0000f000u) | 1u << 12;    /* Rt r1 */
        }
        for (int i = 0; i < 32; i++) {
            dregs[i] = operand();
        }
        /* FPSCR's modes (RMode, FZ, DN, AHP) at random: Advanced SIMD
         * arithmetic ignores all but AHP */
        fpscr_in = rnd() & 0x07c00000;
        for (int i = 0; i < 256; i++) {
            buffer[i] = rnd();
        }
        regs[0] = (uint32_t)buffer + 64 + (rnd() & 15);
        regs[1] = rnd() & 0x1f;
        regs_in[0] = regs[0];
        regs_in[1] = regs[1];
        copy(dregs_in, dregs, sizeof(dregs));
        copy(buffer_in, buffer, sizeof(buffer));
        faults = fault_info[6] + fault_info[3];
        code[0] = insn;
        code[1] = 0xe12fff1e;                           /* bx lr */
        sync_code();
        __asm__ volatile("vmsr fpscr, %0" : : "r"(fpscr_in));
        run(regs, code);
        if (fault_info[6] + fault_info[3] == faults) {
            uint32_t thumb = to_thumb(insn), tregs[2];

            /* the same from the same state in Thumb state: hw1, hw2,
             * bx lr */
            copy(dregs_arm, dregs, sizeof(dregs));
            copy(buffer_arm, buffer, sizeof(buffer));
            copy(dregs, dregs_in, sizeof(dregs));
            copy(buffer, buffer_in, sizeof(buffer));
            tregs[0] = regs_in[0];
            tregs[1] = regs_in[1];
            code[0] = thumb >> 16 | thumb << 16;
            code[1] = 0x4770;
            sync_code();
            __asm__ volatile("vmsr fpscr, %0" : : "r"(fpscr_in));
            run(tregs, (uint32_t *)((uint32_t)code | 1));
            thumb_runs++;
            if (!same(dregs, dregs_arm, sizeof(dregs)) ||
                !same(buffer, buffer_arm, sizeof(buffer)) ||
                tregs[0] != regs[0] || tregs[1] != regs[1]) {
                thumb_mismatches++;
                tprintf("thumb %08x differs\n", (unsigned)thumb);
            }
        }
        for (int i = 0; i < 32; i++) {
            mix(dregs[i]);
            mix(dregs[i] >> 32);
        }
        mix(regs[0] - (uint32_t)buffer);
        mix(regs[1]);
        for (int i = 0; i < 256; i += 4) {
            mix(buffer[i] | buffer[i + 1] << 8 | buffer[i + 2] << 16 |
                (uint32_t)buffer[i + 3] << 24);
        }
        {
            uint32_t fpscr;

            __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
            mix(fpscr);
        }
#ifdef NEON_RANDOM_VERBOSE
        tprintf("  %08x: %08x %u %u\n", (unsigned)insn, (unsigned)hash,
                (unsigned)fault_info[6], (unsigned)fault_info[3]);
#endif
    }
    tprintf("%s: %08x undef %u dabt %u\n", t->name, (unsigned)hash,
            (unsigned)fault_info[6], (unsigned)fault_info[3]);
}

int main(void)
{
    tprintf("neon-random: seed %08x\n",
            (unsigned)random_seed_from_cmdline(DEFAULT_SEED));
    vector_table[1] = (uint32_t)undef_skip_handler;
    vector_table[4] = (uint32_t)dabt_skip_handler;
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb\n\t"
                     "vmsr fpexc, %1" : : "r"(0xf00000), "r"(1u << 30));
    for (unsigned i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
        sweep(&templates[i]);
    }
    tprintf("thumb: %u runs, %u differ\n", thumb_runs, thumb_mismatches);
    tprintf("neon-random: done\n");
    return 0;
}
