/*
 * Random words: pages of pseudo-random ARM words run in user mode with
 * random registers, the MMU letting them touch only their own page.
 * Undefined instructions and SWIs are skipped, aborted loads and
 * stores too; the emulator must neither crash nor hang.  Words that
 * would write the PC (branches, loads or data processing into r15,
 * writeback to r15 as a base, BX/BLX) are replaced, so every run reaches the page's last word, an
 * SVC back to the harness; so are semihosting SVCs and the XScale
 * coprocessors 0 and 1, which QEMU 7.2 cannot translate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "print.h"

#define ROUNDS 32
#define WORDS 1024
#define END_SWI (0xef000000u | 0xfedcba)
#define RANDOM_VA 0x00100000u   /* the user page: in the second MB */

extern volatile uint32_t fault_info[8];
void mmu_on(uint32_t *ttb, uint32_t dacr);
void mmu_off(void);
void tlb_flush_all(void);
void sync_code(void);
void dabt_skip_handler(void);
void undef_skip_handler(void);
void random_swi_handler(void);
void random_pabt_handler(void);
void run_user(uint32_t entry, const uint32_t *regs);

static uint32_t l1[4096] __attribute__((aligned(16384)));
static uint32_t l2[256] __attribute__((aligned(1024)));
static uint32_t l2_user[256] __attribute__((aligned(1024)));
static volatile uint32_t page[WORDS] __attribute__((aligned(4096)));

const char test_name[] = "random";
static uint32_t seed = 0x12345678;

static uint32_t next_random(void)
{
    /* xorshift32 */
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static int writes_pc(uint32_t w)
{
    uint32_t cond = w >> 28;
    uint32_t op = (w >> 25) & 7;

    if (op == 5) {                              /* B, BL, BLX imm */
        return 1;
    }
    if (cond == 0xf) {                          /* v5 unconditional space */
        return 1;
    }
    if ((w & 0x0ffffff0u) == 0x012fff10u ||     /* BX */
        (w & 0x0ffffff0u) == 0x012fff30u) {     /* BLX register */
        return 1;
    }
    if (op == 4 && (w & (1u << 20)) && (w & (1u << 15))) {
        return 1;                               /* LDM with the PC */
    }
    if (((w >> 12) & 0xf) == 0xf && op < 4) {
        return 1;                               /* Rd = PC */
    }
    if (((w >> 16) & 0xf) == 0xf && op < 5) {
        return 1;                               /* Rn = PC: writeback */
    }
    return 0;
}

static int avoided(uint32_t w)
{
    uint32_t op = (w >> 25) & 7;

    if ((w & 0x0f000000u) == 0x0f000000u &&
        ((w & 0xffffff) == 0x123456 || (w & 0xffffff) == 0xfedcba)) {
        return 1;                               /* semihosting, the end */
    }
    if ((op == 6 || op == 7) && (w & 0x0f000000u) != 0x0f000000u &&
        ((w >> 8) & 0xf) < 2) {
        return 1;                               /* cp0/cp1: MIA, iwMMXt */
    }
    if ((w & 0x0ff000f0u) == 0x01200070u) {     /* BKPT */
        return 1;
    }
    return writes_pc(w);
}

static void build_tables(void)
{
    /* the first MB: kernel-only small pages (AP 01); the rest of RAM:
     * kernel-only sections, but for RANDOM_VA's MB, whose first page
     * is page[] for the user (AP 11) and the rest unmapped */
    l1[0] = (uint32_t)l2 | 0x11;
    for (uint32_t i = 0; i < 256; i++) {
        l2[i] = i << 12 | 0x552;
    }
    for (uint32_t mb = 1; mb < 64; mb++) {
        l1[mb] = mb << 20 | 1u << 10 | 0x12;
    }
    l2_user[0] = (uint32_t)page | 0xff2;
    l1[RANDOM_VA >> 20] = (uint32_t)l2_user | 0x11;
}

int main(void)
{
    static uint32_t regs[13];
    uint32_t undefs = 0, aborts = 0, swis = 0;

    vector_table[1] = (uint32_t)undef_skip_handler;
    vector_table[2] = (uint32_t)random_swi_handler;
    vector_table[3] = (uint32_t)random_pabt_handler;
    vector_table[4] = (uint32_t)dabt_skip_handler;
    build_tables();
    mmu_on(l1, 0x1);

    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < WORDS - 1; i++) {
            uint32_t w;

            do {
                w = next_random();
            } while (avoided(w));
            page[i] = w;
        }
        page[WORDS - 1] = END_SWI;
        for (int r = 0; r < 13; r++) {
            /* half of them near the page, so some accesses succeed */
            regs[r] = r & 1 ? next_random()
                            : RANDOM_VA + (next_random() & 0xffc);
        }
        sync_code();
        fault_info[3] = fault_info[5] = fault_info[6] = fault_info[7] = 0;
        run_user(RANDOM_VA, regs);
        undefs += fault_info[6];
        aborts += fault_info[3] + fault_info[5];
        swis += fault_info[7];
    }
    mmu_off();
    tprintf("random: %d rounds of %d words\n", ROUNDS, WORDS);
    tprintf("counts: undefined %u, aborts %u, swi %u\n",
            (unsigned)undefs, (unsigned)aborts, (unsigned)swis);
    return 0;
}
