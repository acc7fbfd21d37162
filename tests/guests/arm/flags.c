/*
 * The flags test: every flag setter whose C and V the translator leaves
 * pending (ADDS, SUBS, RSBS, CMP, CMN), read back every way the flags
 * are read: MRS in the same and the next block, an exception's SPSR
 * (SVC, and a data abort in the middle of a block), each condition in
 * the same and the next block, after an instruction that rewrites N
 * and Z or C alone, ADC, SBCS, RRX, a conditional CMN and MSR (flags-asm.S).
 * Each line is a hash of what one reader saw over corner and
 * pseudo-random operands; the host build computes the same lines from
 * the architecture's definition of the flags, and the test compares
 * the two outputs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "print.h"

typedef uint32_t reader(uint32_t a, uint32_t b, uint32_t r2, uint32_t r3);

enum { ADDS, SUBS, RSBS, CMP, CMN, NB_OPS };
static const char *const op_names[NB_OPS] = {
    "adds", "subs", "rsbs", "cmp", "cmn",
};

enum {
    MRS, MRS_NEXT, SWI, DABT, COND, COND_NEXT, BRANCH, MOVS, CARRY,
    CARRY_NEXT, TST, SHREG, ADC, ADC_NEXT, SBCS, RRX, JOIN, MSR, NB_READERS
};
static const char *const reader_names[NB_READERS] = {
    "mrs", "mrs_next", "swi", "dabt", "cond", "cond_next", "branch",
    "movs", "carry", "carry_next", "tst", "shreg", "adc", "adc_next",
    "sbcs", "rrx", "join", "msr",
};

/* Where the data abort readers load from: nothing is mapped there. */
#define UNMAPPED 0x10000000u

#ifdef __arm__

const char test_name[] = "flags";
extern uint32_t vector_table[8];
void flags_swi_handler(void);
void flags_dabt_handler(void);

#define READERS(op)                                                     \
    reader flags_##op##_mrs, flags_##op##_mrs_next, flags_##op##_swi,   \
        flags_##op##_dabt, flags_##op##_cond, flags_##op##_cond_next,   \
        flags_##op##_branch, flags_##op##_movs, flags_##op##_carry,     \
        flags_##op##_carry_next, flags_##op##_tst, flags_##op##_shreg,  \
        flags_##op##_adc, flags_##op##_adc_next, flags_##op##_sbcs,     \
        flags_##op##_rrx, flags_##op##_join, flags_##op##_msr;
READERS(adds)
READERS(subs)
READERS(rsbs)
READERS(cmp)
READERS(cmn)

#define READER_TABLE(op) {                                              \
    flags_##op##_mrs, flags_##op##_mrs_next, flags_##op##_swi,          \
    flags_##op##_dabt, flags_##op##_cond, flags_##op##_cond_next,       \
    flags_##op##_branch, flags_##op##_movs, flags_##op##_carry,         \
    flags_##op##_carry_next, flags_##op##_tst, flags_##op##_shreg,      \
    flags_##op##_adc, flags_##op##_adc_next, flags_##op##_sbcs,         \
    flags_##op##_rrx, flags_##op##_join, flags_##op##_msr }

static reader *const readers[NB_OPS][NB_READERS] = {
    READER_TABLE(adds), READER_TABLE(subs), READER_TABLE(rsbs),
    READER_TABLE(cmp), READER_TABLE(cmn),
};

static uint32_t run_reader(int op, int r, uint32_t a, uint32_t b,
                           uint32_t r2, uint32_t r3)
{
    uint32_t v = readers[op][r](a, b, r2, r3);

    /* the PSR readers: NZCV only */
    return r <= DABT || r == MRS_NEXT ? v >> 28 : v;
}

static void setup(void)
{
    vector_table[2] = (uint32_t)flags_swi_handler;
    vector_table[4] = (uint32_t)flags_dabt_handler;
}

#else

/* The architecture's flags, NZCV in bits 3:0. */
enum { V = 1, C = 2, Z = 4, N = 8 };

static uint32_t nz(uint32_t res)
{
    return (res >> 31 ? N : 0) | (res == 0 ? Z : 0);
}

static uint32_t add_flags(uint32_t a, uint32_t b, uint32_t cin)
{
    uint64_t wide = (uint64_t)a + b + cin;
    uint32_t res = (uint32_t)wide;

    return nz(res) | (wide >> 32 ? C : 0) |
           (((res ^ a) & ~(a ^ b)) >> 31 ? V : 0);
}

static uint32_t op_flags(int op, uint32_t a, uint32_t b)
{
    switch (op) {
    case ADDS:
    case CMN:
        return add_flags(a, b, 0);
    case RSBS:
        return add_flags(b, ~a, 1);
    default:
        return add_flags(a, ~b, 1);
    }
}

static int cond_holds(uint32_t f, int cc)
{
    int n = !!(f & N), z = !!(f & Z), c = !!(f & C), v = !!(f & V);

    switch (cc >> 1) {
    case 0: return z ^ (cc & 1);
    case 1: return c ^ (cc & 1);
    case 2: return n ^ (cc & 1);
    case 3: return v ^ (cc & 1);
    case 4: return (c && !z) ^ (cc & 1);
    case 5: return (n == v) ^ (cc & 1);
    default: return (!z && n == v) ^ (cc & 1);
    }
}

static uint32_t condmask(uint32_t f)
{
    uint32_t mask = 0;

    for (int cc = 0; cc < 14; cc++) {
        mask |= (uint32_t)cond_holds(f, cc) << cc;
    }
    return mask;
}

/* N and Z of res, C and V of f */
static uint32_t with_nz(uint32_t f, uint32_t res)
{
    return nz(res) | (f & (C | V));
}

static uint32_t run_reader(int op, int r, uint32_t a, uint32_t b,
                           uint32_t r2, uint32_t r3)
{
    uint32_t f = op_flags(op, a, b), amt = r3 & 0xff, res, c;

    switch (r) {
    case COND:
    case COND_NEXT:
        return condmask(f);
    case BRANCH:
        return cond_holds(f, 8);
    case MOVS:
        return condmask(with_nz(f, r2));
    case CARRY:
    case CARRY_NEXT:
        return condmask((with_nz(f, r2 << 1) & ~C) | (r2 >> 31 ? C : 0));
    case TST:
        return condmask(with_nz(f, r2 & 0x80000000u) | C);
    case SHREG:
        res = amt == 0 ? r2 : amt < 32 ? r2 << amt : 0;
        c = amt == 0 ? !!(f & C) : amt < 32 ? (r2 >> (32 - amt)) & 1
            : amt == 32 ? r2 & 1 : 0;
        return condmask((with_nz(f, res) & ~C) | (c ? C : 0));
    case ADC:
    case ADC_NEXT:
        return r2 + r3 + !!(f & C);
    case SBCS:
        return condmask(add_flags(r2, ~r3, !!(f & C)));
    case RRX:
        return (r2 >> 1) | (f & C ? 0x80000000u : 0);
    case JOIN:
        return condmask(f & Z ? f : add_flags(r2, r3, 0));
    case MSR:
        return condmask(r2 >> 28);
    default:                    /* the PSR readers */
        return f;
    }
}

static void setup(void)
{
}

#endif

static const uint32_t corners[] = {
    0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001,
    0xfffffffe, 0xffffffff, 0x12345678,
};
#define NB_CORNERS (sizeof(corners) / sizeof(corners[0]))
#define NB_RANDOM 64

static uint32_t seed = 0x2545f491;

static uint32_t next_random(void)
{
    /* xorshift32 */
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

int main(void)
{
    uint32_t as[NB_CORNERS * NB_CORNERS + NB_RANDOM];
    uint32_t bs[NB_CORNERS * NB_CORNERS + NB_RANDOM];
    unsigned n = 0;

    setup();
    for (unsigned i = 0; i < NB_CORNERS; i++) {
        for (unsigned j = 0; j < NB_CORNERS; j++, n++) {
            as[n] = corners[i];
            bs[n] = corners[j];
        }
    }
    for (unsigned i = 0; i < NB_RANDOM; i++, n++) {
        as[n] = next_random();
        bs[n] = i & 1 ? next_random() : as[n] ^ (1u << (i & 31));
    }

    tprintf("flags: %u operand pairs\n", n);
    for (int op = 0; op < NB_OPS; op++) {
        for (int r = 0; r < NB_READERS; r++) {
            uint32_t hash = 2166136261u;

            for (unsigned k = 0; k < n; k++) {
                /* further operands: a value with every flag pattern
                 * in its top bits, a shift amount 0..39 (r3) or the
                 * unmapped address the abort readers load from */
                uint32_t r2 = as[k] ^ (bs[k] << 7) ^ (k * 0x9e3779b9u);
                uint32_t r3 = r == DABT ? UNMAPPED : k % 40;

                hash = (hash ^ run_reader(op, r, as[k], bs[k], r2, r3)) *
                       16777619u;
            }
            tprintf("%s %s %08x\n", op_names[op], reader_names[r],
                    (unsigned)hash);
        }
    }
    print_flush();
    return 0;
}
