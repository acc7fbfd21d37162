/*
 * The ARMv6/ARMv7 integer instructions with random operands, compared
 * with qemu-system-arm (test_arm.py): for each encoding class (the ARM
 * media, multiply, saturating, bit-field and MOVW/MOVT spaces, the
 * Thumb-2 32-bit data-processing spaces, 16-bit Thumb and IT blocks),
 * rounds of one to three random words of the class, their registers
 * kept to r0-r12 (so nothing branches or touches SP and LR) and their
 * unpredictable combinations left out (RdHi = RdLo, bit fields past bit
 * 31, REV's two Rm fields differing), ARM words conditional one time in
 * four; then rounds mixing words of every class, where a word's flags
 * meet the next one's.  Each round runs from random r0-r12 and random
 * NZCVQ and GE flags, and prints its words, a hash of r0-r12, the flags
 * after it and the undefined instructions taken so far: the output must
 * be QEMU's line for line.
 * The random words come from the seed given as the last word of the
 * semihosting command line (hex), a fixed one without it; the first
 * line names it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <stdint.h>
#include "guest.h"
#include "print.h"
#include "guest-random.h"

#define DEFAULT_SEED 0x6d2b79f5
#define ROUNDS 48
#define MIXED_ROUNDS 256
#define APSR_FLAGS 0xf80f0000u   /* NZCVQ and GE[3:0] */

extern uint32_t vector_table[8];
extern volatile uint32_t fault_info[8];
/* counts the undefined instruction, returns past it (v7-random-run.S) */
void undef_skip_any_handler(void);
/* r0-r12 and the APSR from state[0..13], a call to entry, back again
 * (v7-random-run.S) */
void run_state(uint32_t *state, const void *entry);

typedef enum { ARM, T16, T32 } Isa;

typedef struct Class {
    const char *name;
    Isa isa;
    uint32_t base, random;       /* fixed bits, bits drawn at random */
    uint8_t reg_nibbles;         /* bit n: nibble n is a register */
    uint32_t (*fixup)(uint32_t insn);
    bool in_it;                  /* may be in an IT block's rounds */
} Class;

/* A nibble's register, if 13-15, replaced by one of r0-r12. */
static uint32_t low_reg(uint32_t insn, int nibble)
{
    uint32_t r = (insn >> (4 * nibble)) & 15;

    if (r >= 13) {
        insn = (insn & ~(15u << (4 * nibble))) | (rnd() % 13) << (4 * nibble);
    }
    return insn;
}

static uint32_t nibble(uint32_t insn, int n)
{
    return (insn >> (4 * n)) & 15;
}

static uint32_t set_nibble(uint32_t insn, int n, uint32_t v)
{
    return (insn & ~(15u << (4 * n))) | v << (4 * n);
}

/* Two registers that must differ (RdHi, RdLo): the second moved. */
static uint32_t distinct(uint32_t insn, int a, int b)
{
    if (nibble(insn, a) == nibble(insn, b)) {
        insn = set_nibble(insn, b, (nibble(insn, a) + 1) % 13);
    }
    return insn;
}

/* ARM data processing: register shifts keep bit 7 clear (else it is the
 * multiply and extra load/store space), TST/TEQ/CMP/CMN have S set
 * (else MRS/MSR space); Rm and Rs low registers. */
static uint32_t fix_arm_dp(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 15;

    if (!(insn & (1u << 25))) {
        if (insn & 0x10) {
            insn = low_reg(insn & ~0x80u, 2);
        }
        insn = low_reg(insn, 0);
    }
    if (op >= 8 && op <= 11) {
        insn |= 1u << 20;
    }
    return insn;
}

/* MUL, MLA, UMAAL, MLS, the long multiplies: RdHi != RdLo; UMAAL and
 * MLS have no S form; MUL's Ra is 0. */
static uint32_t fix_arm_mul(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 7;

    if (op == 2 || op == 3) {
        insn &= ~(1u << 20);
    }
    if (op == 0) {
        insn = set_nibble(insn, 3, 0);
    }
    return op >= 4 || op == 2 ? distinct(insn, 4, 3) : insn;
}

/* SMLA<x><y>, SMLAW/SMULW, SMLAL<x><y>, SMUL<x><y> */
static uint32_t fix_arm_halfmul(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 3;

    if (op == 2) {
        return distinct(insn, 4, 3);
    }
    if (op == 3 || (op == 1 && (insn & 0x20))) {  /* SMUL, SMULW: Ra 0 */
        insn = set_nibble(insn, 3, 0);
    }
    return insn;
}

static uint32_t fix_rdhi_rdlo(uint32_t insn)
{
    return distinct(insn, 4, 3);
}

/* SMUAD/SMUSD are SMLAD/SMLSD with Ra 15 */
static uint32_t fix_ra15(uint32_t insn)
{
    return (rnd() & 3) ? insn : set_nibble(insn, 3, 15);
}

/* SMMUL is SMMLA with Ra 15 (SMMLS has no such form: unpredictable) */
static uint32_t fix_smmla(uint32_t insn)
{
    return (insn & 0xc0) ? insn : fix_ra15(insn);
}

/* SBFX/UBFX: lsb + width within the word */
static uint32_t fix_arm_bfx(uint32_t insn)
{
    uint32_t lsb = (insn >> 7) & 31, widthm1 = (insn >> 16) & 31;

    if (lsb + widthm1 > 31) {
        insn = (insn & ~(31u << 16)) | (31 - lsb) << 16;
    }
    return insn;
}

/* BFI (BFC with Rn 15, one time in four): msb >= lsb */
static uint32_t fix_arm_bfi(uint32_t insn)
{
    uint32_t lsb = (insn >> 7) & 31, msb = (insn >> 16) & 31;

    if (msb < lsb) {
        insn = (insn & ~(31u << 16) & ~(31u << 7)) | lsb << 16 | msb << 7;
    }
    return (rnd() & 3) ? insn : set_nibble(insn, 0, 15);
}

/* Thumb-2 data processing: TST/TEQ/CMN/CMP (Rd 15, S) and MOV/MVN
 * (Rn 15) one time in four each; no modified immediate of the 0x00XY00XY
 * forms with XY 0 (unpredictable). */
static uint32_t fix_t32_dp(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 15, r = rnd();

    if ((insn >> 27) == 0x1e && !(insn & 0x04004000) && (insn & 0x3000) &&
        !(insn & 0xff)) {
        insn |= 1 + r % 255;
    }

    if ((r & 3) == 0 && (op == 0 || op == 4 || op == 8 || op == 13)) {
        insn = set_nibble(insn, 2, 15) | 1u << 20;
    }
    if ((r & 12) == 0 && (op == 2 || op == 3)) {
        insn = set_nibble(insn, 4, 15);
    }
    return insn;
}

/* Thumb-2 plain binary immediates: ADDW, MOVW, SUBW, MOVT, SSAT(16),
 * SBFX, BFI/BFC, USAT(16), UBFX. */
static uint32_t fix_t32_plain(uint32_t insn)
{
    uint32_t op = (insn >> 20) & 31;
    uint32_t lsb = ((insn >> 12) & 7) << 2 | ((insn >> 6) & 3);

    if (op != 4 && op != 12) {                   /* Rn, not imm4 */
        insn = low_reg(insn, 4);
    }
    if (op >= 16) {
        insn &= ~(1u << 26 | 1u << 5);           /* no i, bit 5 (0) */
    }
    if ((op & 0x17) == 0x12 && lsb == 0) {       /* SSAT16, USAT16 */
        insn &= ~(3u << 4);                      /* bits 5:4 (0) */
    }
    if (op == 20 || op == 28) {                  /* SBFX, UBFX */
        if (lsb + (insn & 31) > 31) {
            insn = (insn & ~31u) | (31 - lsb);
        }
    } else if (op == 22) {                       /* BFI, BFC */
        if ((insn & 31) < lsb) {
            insn = (insn & ~31u) | lsb;
        }
        if (!(rnd() & 3)) {
            insn = set_nibble(insn, 4, 15);
        }
    }
    return insn;
}

/* Thumb-2 extends: the no-add forms (Rn 15) one time in two */
static uint32_t fix_t32_extend(uint32_t insn)
{
    return (rnd() & 1) ? insn : set_nibble(insn, 4, 15);
}

/* Thumb-2 REV, REV16, RBIT, REVSH and CLZ name Rm twice */
static uint32_t fix_t32_misc(uint32_t insn)
{
    uint32_t op1 = (insn >> 20) & 3;

    return (op1 & 1) ? set_nibble(insn, 4, nibble(insn, 0)) : insn;
}

/* Thumb-2 multiplies: MUL, SMUL<x><y>, SMUAD, SMULW<y>, SMUSD, SMMUL
 * and USAD8 are MLA... with Ra 15 (MLS and SMMLS have no such form) */
static uint32_t fix_t32_mul(uint32_t insn)
{
    uint32_t op1 = (insn >> 20) & 7, op2 = (insn >> 4) & 3;

    if (op1 == 6 || (op1 == 0 && op2 == 1)) {
        return insn;
    }
    return (rnd() & 3) ? insn : set_nibble(insn, 3, 15);
}

/* Thumb-2 long multiplies: RdHi != RdLo */
static uint32_t fix_t32_long(uint32_t insn)
{
    return distinct(insn, 2, 3);
}

/* REV's space holds HLT; HLT 0x3c is QEMU's (and emu's) semihosting
 * trap, which must not run with random registers */
static uint32_t fix_t16_rev(uint32_t insn)
{
    return insn == 0xbabc ? 0xba3c : insn;
}

#define R(n) (1u << (n))               /* nibble n holds a register */
static const Class classes[] = {
    /* ARM: the classic data processing (its flags meet the others' in
     * the mixed rounds) and the v5TE/v6/v7 additions */
    { "arm-dp", ARM, 0xe0000000, 0x03ffffff, R(4) | R(3), fix_arm_dp, false },
    { "arm-mul", ARM, 0xe0000090, 0x00ffff0f, R(4) | R(3) | R(2) | R(0), fix_arm_mul, false },
    { "arm-halfmul", ARM, 0xe1000080, 0x006fff6f, R(4) | R(3) | R(2) | R(0),
      fix_arm_halfmul, false },
    { "arm-qadd", ARM, 0xe1000050, 0x006ff00f, R(4) | R(3) | R(0), 0, false },
    { "arm-clz", ARM, 0xe16f0f10, 0x0000f00f, R(3) | R(0), 0, false },
    { "arm-movw-movt", ARM, 0xe3000000, 0x004fffff, R(3), 0, false },
    { "arm-parallel", ARM, 0xe6000f10, 0x007ff0ef, R(4) | R(3) | R(0), 0, false },
    { "arm-pkh", ARM, 0xe6800010, 0x000fffcf, R(4) | R(3) | R(0), 0, false },
    { "arm-extend-add", ARM, 0xe6800070, 0x007ffc0f, R(4) | R(3) | R(0), 0, false },
    { "arm-extend", ARM, 0xe68f0070, 0x0070fc0f, R(3) | R(0), 0, false },
    { "arm-sel", ARM, 0xe6800fb0, 0x000ff00f, R(4) | R(3) | R(0), 0, false },
    { "arm-ssat-usat", ARM, 0xe6a00010, 0x005fffcf, R(3) | R(0), 0, false },
    { "arm-ssat16-usat16", ARM, 0xe6a00f30, 0x004ff00f, R(3) | R(0), 0, false },
    { "arm-rev-rbit", ARM, 0xe6bf0f30, 0x0040f08f, R(3) | R(0), 0, false },
    { "arm-smlad", ARM, 0xe7000010, 0x000fff6f, R(4) | R(3) | R(2) | R(0), fix_ra15, false },
    { "arm-sdiv-udiv", ARM, 0xe710f010, 0x002f0f0f, R(4) | R(2) | R(0), 0, false },
    { "arm-smlald", ARM, 0xe7400010, 0x000fff6f, R(4) | R(3) | R(2) | R(0),
      fix_rdhi_rdlo, false },
    { "arm-smmla", ARM, 0xe7500010, 0x000fffef, R(4) | R(3) | R(2) | R(0), fix_smmla, false },
    { "arm-usad8", ARM, 0xe780f010, 0x000f0f0f, R(4) | R(2) | R(0), 0, false },
    { "arm-usada8", ARM, 0xe7800010, 0x000fff0f, R(4) | R(3) | R(2) | R(0), 0, false },
    { "arm-sbfx-ubfx", ARM, 0xe7a00050, 0x005fff8f, R(3) | R(0), fix_arm_bfx, false },
    { "arm-bfi-bfc", ARM, 0xe7c00010, 0x001fff8f, R(3) | R(0), fix_arm_bfi, false },
    { "arm-umaal-mls", ARM, 0xe0400090, 0x002fff0f, R(4) | R(3) | R(2) | R(0),
      fix_arm_mul, false },
    /* Thumb-2 32-bit: hw1 in the top half */
    { "t32-dp-imm", T32, 0xf0000000, 0x05ff7fff, R(4) | R(2), fix_t32_dp, true },
    { "t32-dp-reg", T32, 0xea000000, 0x01ff7fff, R(4) | R(2) | R(0), fix_t32_dp, true },
    { "t32-plain-imm", T32, 0xf2000000, 0x05ef7fff, R(2), fix_t32_plain, false },
    { "t32-shift-reg", T32, 0xfa00f000, 0x007f0f0f, R(4) | R(2) | R(0), 0, false },
    { "t32-extend", T32, 0xfa00f080, 0x007f0f3f, R(4) | R(2) | R(0),
      fix_t32_extend, false },
    { "t32-parallel", T32, 0xfa80f000, 0x007f0f7f, R(4) | R(2) | R(0), 0, false },
    { "t32-misc", T32, 0xfa80f080, 0x003f0f3f, R(4) | R(2) | R(0), fix_t32_misc, false },
    { "t32-mul", T32, 0xfb000000, 0x007fff3f, R(4) | R(3) | R(2) | R(0), fix_t32_mul, false },
    { "t32-long-mul", T32, 0xfb800000, 0x007fffff, R(4) | R(3) | R(2) | R(0),
      fix_t32_long, false },
    { "t32-div", T32, 0xfb90f0f0, 0x002f0f0f, R(4) | R(2) | R(0), 0, false },
    /* 16-bit Thumb: shifts, add/sub/mov/cmp immediate, the register
     * data processing, extends, REV */
    { "t16-imm-shift", T16, 0x0000, 0x3fff, 0, 0, true },
    { "t16-dp", T16, 0x4000, 0x03ff, 0, 0, true },
    { "t16-extend", T16, 0xb200, 0x00ff, 0, 0, false },
    { "t16-rev", T16, 0xba00, 0x00ff, 0, fix_t16_rev, false },
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static uint32_t word(const Class *c)
{
    uint32_t insn = c->base | (rnd() & c->random);

    for (int n = 0; n < 8; n++) {
        if (c->reg_nibbles & (1u << n)) {
            insn = low_reg(insn, n);
        }
    }
    if (c->fixup) {
        insn = c->fixup(insn);
    }
    if (c->isa == ARM && !(rnd() & 3)) {
        insn = (insn & 0x0fffffff) | (rnd() % 15) << 28;
    }
    return insn;
}

static uint32_t code[16] __attribute__((aligned(8)));
static uint16_t *const code16 = (uint16_t *)code;
static uint32_t state[14];

static void sync_code(void)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 0\n\tisb" : : "r"(0)
                     : "memory");
}

/* Appends a Thumb word (hw1 first for a 32-bit one) at code16[*at]. */
static void put_thumb(unsigned *at, Isa isa, uint32_t insn)
{
    if (isa == T32) {
        code16[(*at)++] = insn >> 16;
    }
    code16[(*at)++] = insn;
}

/* An IT block: IT with a random condition and mask, then its one to
 * four instructions. */
static unsigned it_block(unsigned *at, uint32_t *words)
{
    uint32_t firstcond = rnd() % 14, mask = rnd() & 15, n = 0;

    if (!mask) {
        mask = 8;
    }
    put_thumb(at, T16, 0xbf00 | firstcond << 4 | mask);
    words[n++] = 0xbf00 | firstcond << 4 | mask;
    for (uint32_t m = mask; m & 15; m = (m << 1) & 15) {
        const Class *c = &classes[rnd() % NCLASSES];
        uint32_t insn;

        while (!c->in_it) {
            c = &classes[rnd() % NCLASSES];
        }
        insn = word(c);

        put_thumb(at, c->isa, insn);
        words[n++] = insn;
    }
    return n;
}

/* One round: count words (-1: an IT block) of class c, or of random
 * classes when c is NULL, from random registers and flags. */
static void round_of(const char *name, const Class *c, int count)
{
    uint32_t words[8], hash = HASH_INIT;
    unsigned n = 0, at = 0;
    bool thumb = c ? c->isa != ARM : rnd() & 1;

    if (count < 0) {
        thumb = true;
        n = it_block(&at, words);
    }
    for (int i = 0; i < count; i++) {
        const Class *k = c;

        while (!k) {            /* a mixed round keeps to one state */
            k = &classes[rnd() % NCLASSES];
            if ((k->isa != ARM) != thumb) {
                k = 0;
            }
        }
        words[n] = word(k);
        if (thumb) {
            put_thumb(&at, k->isa, words[n]);
        } else {
            code[n] = words[n];
        }
        n++;
    }
    if (thumb) {
        code16[at++] = 0x4770;                   /* bx lr */
    } else {
        code[n] = 0xe12fff1e;                    /* bx lr */
    }
    sync_code();
    for (int i = 0; i < 13; i++) {
        state[i] = rnd();
    }
    state[13] = rnd() & APSR_FLAGS;
    run_state(state, (const uint8_t *)code + thumb);
    for (int i = 0; i < 13; i++) {
        hash = hash_mix(hash, state[i]);
    }
    tprintf("%s", name);
    for (unsigned i = 0; i < n; i++) {
        tprintf(" %08x", (unsigned)words[i]);
    }
    tprintf(" = %08x %08x u%u\n", (unsigned)hash,
            (unsigned)(state[13] & APSR_FLAGS), (unsigned)fault_info[6]);
}

int main(void)
{
    tprintf("v7-random: seed %08x\n",
            (unsigned)random_seed_from_cmdline(DEFAULT_SEED));
    vector_table[1] = (uint32_t)undef_skip_any_handler;
    for (unsigned k = 0; k < NCLASSES; k++) {
        for (int r = 0; r < ROUNDS; r++) {
            round_of(classes[k].name, &classes[k], 1 + rnd() % 3);
        }
    }
    for (int r = 0; r < ROUNDS; r++) {
        round_of("t16-it", 0, -1);
    }
    for (int r = 0; r < MIXED_ROUNDS; r++) {
        round_of("mixed", 0, 1 + rnd() % 6);
    }
    tprintf("v7-random: done\n");
    return 0;
}
