/*
 * OS timer interrupts through the interrupt controller: match register 0
 * fires every 100 ms (368640 counts of the 3.6864 MHz OSCR), the IRQ
 * handler acknowledges it in OSSR and moves OSMR0 on, main prints a line
 * per tick over FFUART.  The test compares the counts between ticks with
 * host time, so the line for each tick carries the OSCR value the
 * handler saw.
 *
 * A loaded host can hold the vCPU thread off for longer than a period
 * while OSCR (host time) runs on; OSMR0 + PERIOD is then already behind
 * OSCR and would not match again until OSCR wraps, 19 minutes later.
 * The handler notices, counts the tick as late and aims one period
 * ahead of now instead, as a real OS does; the test then accepts any
 * lateness but still no early tick.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "connex.h"
#include "../print.h"

#define PERIOD (OSCR_HZ / 10)
#define TICKS 5

static volatile unsigned ticks;
static volatile unsigned spurious;
static volatile unsigned late;
static volatile uint32_t tick_oscr[TICKS + 1];

static void timer_irq(void)
{
    if (!(REG32(ICIP) & (1u << IRQ_OST0)) || !(REG32(OSSR) & 1)) {
        spurious++;
        REG32(OSSR) = 1;
        return;
    }
    if (ticks < TICKS) {
        tick_oscr[++ticks] = REG32(OSCR);
    }
    REG32(OSMR(0)) += PERIOD;
    if ((int32_t)(REG32(OSMR(0)) - REG32(OSCR)) <= 0) {
        late++;
        REG32(OSMR(0)) = REG32(OSCR) + PERIOD;
    }
    REG32(OSSR) = 1;                    /* write 1 to clear the match */
    if (ticks == TICKS) {
        REG32(OIER) = 0;
    }
}

int main(void)
{
    uint32_t start;
    unsigned seen = 0;

    uart_init();
    tprintf("timer: OSCR rate %u Hz, period %u counts\n", OSCR_HZ, PERIOD);

    REG32(OIER) = 0;
    REG32(OSSR) = 0xf;
    REG32(ICLR) &= ~(1u << IRQ_OST0);    /* IRQ, not FIQ */
    REG32(ICMR) |= 1u << IRQ_OST0;
    irq_hook = timer_irq;
    start = REG32(OSCR);
    tick_oscr[0] = start;
    REG32(OSMR(0)) = start + PERIOD;
    REG32(OIER) = 1;
    enable_irqs();

    while (seen < TICKS) {
        if (ticks != seen) {
            seen++;
            tprintf("tick %u oscr %u\n", seen,
                    (unsigned)(tick_oscr[seen] - start));
        }
    }
    tprintf("elapsed %u counts for %u ticks, %u spurious, %u late\n",
            (unsigned)(tick_oscr[TICKS] - start), TICKS, spurious, late);
    /* OIER is off: no match may raise the interrupt any more. */
    start = REG32(OSCR);
    while (REG32(OSCR) - start < 2 * PERIOD) {
        continue;
    }
    tprintf("after OIER=0: %u ticks, ICIP bit %u, OSSR 0x%x\n", ticks,
            (unsigned)(REG32(ICIP) >> IRQ_OST0) & 1,
            (unsigned)REG32(OSSR));
    return spurious ? 1 : 0;
}
