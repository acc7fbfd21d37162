/*
 * Interrupts taken in the middle of loops of chained blocks (issue 15):
 * the OS timer fires every 4000 OSCR counts (about 1 ms) while the
 * loops of chain-loop.S run, in ARM and in Thumb code, first with the
 * MMU off and then with it on (a flat section map).  An interrupt must
 * return to the instruction it interrupted: a loop reports a step that
 * ran twice or not at all.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "connex.h"
#include "../print.h"

#define PERIOD 4000
#define TICKS_PER_RUN 200

unsigned chain_loop_arm(volatile unsigned *ticks, unsigned until,
                        unsigned counts[3]);
unsigned chain_loop_thumb(volatile unsigned *ticks, unsigned until,
                          unsigned counts[3]);

static volatile unsigned ticks;
/* The first-level table: 4096 section entries, 16 KiB aligned. */
static uint32_t l1_table[4096] __attribute__((aligned(16384)));

/* The match is set from OSCR, and again while OSCR has already passed
 * it: on a loaded host the emulator may stall between the read and the
 * write, and a missed match would come back only when OSCR wraps. */
static void arm_timer(void)
{
    uint32_t next;

    do {
        next = REG32(OSCR) + PERIOD;
        REG32(OSMR(0)) = next;
    } while ((int32_t)(next - REG32(OSCR)) <= 0);
}

static void timer_irq(void)
{
    ticks++;
    REG32(OSSR) = 1;
    arm_timer();
}

/* Every 1 MiB section mapped flat, read/write, uncached, domain 0;
 * domain 0 is a client, so the permissions are checked. */
static void mmu_on(void)
{
    for (uint32_t i = 0; i < 4096; i++) {
        l1_table[i] = (i << 20) | (3u << 10) | (1u << 4) | 2u;
    }
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0\n"    /* TTBR */
                     "mcr p15, 0, %1, c3, c0, 0\n"    /* DACR */
                     "mcr p15, 0, %2, c8, c7, 0\n"    /* TLB flush */
                     "mrc p15, 0, r0, c1, c0, 0\n"
                     "orr r0, r0, #1\n"               /* SCTLR.M */
                     "mcr p15, 0, r0, c1, c0, 0\n"
                     "nop\n"
                     "nop\n"
                     : : "r"(l1_table), "r"(1u), "r"(0u) : "r0", "memory");
}

static unsigned run(const char *name, const char *mmu,
                    unsigned (*loop)(volatile unsigned *, unsigned,
                                     unsigned[3]))
{
    unsigned counts[3];
    unsigned step, start = ticks;

    step = loop(&ticks, start + TICKS_PER_RUN, counts);
    if (step) {
        tprintf("%s, MMU %s: step %u out of step after %u interrupts: "
                "counters %u %u %u\n", name, mmu, step, ticks - start,
                counts[0], counts[1], counts[2]);
        return 1;
    }
    /* The loop ends only once it has seen TICKS_PER_RUN interrupts. */
    tprintf("%s, MMU %s: %u interrupts, no step skipped or repeated\n",
            name, mmu, TICKS_PER_RUN);
    return 0;
}

int main(void)
{
    unsigned failures = 0;

    uart_init();
    REG32(OIER) = 0;
    REG32(OSSR) = 0xf;
    REG32(ICLR) &= ~(1u << IRQ_OST0);
    REG32(ICMR) |= 1u << IRQ_OST0;
    irq_hook = timer_irq;
    arm_timer();
    REG32(OIER) = 1;
    enable_irqs();

    failures += run("ARM", "off", chain_loop_arm);
    failures += run("Thumb", "off", chain_loop_thumb);
    mmu_on();
    failures += run("ARM", "on", chain_loop_arm);
    failures += run("Thumb", "on", chain_loop_thumb);
    REG32(OIER) = 0;
    return failures;
}
