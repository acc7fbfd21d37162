/*
 * For the gdb stub's VFP/NEON registers (tests/functional/
 * test_gdb_vfp.py), on cortex-a15: turns VFP on (CPACR cp10/cp11,
 * FPEXC.EN), puts known values in d0, d1 (= q0), d16, d31 and the
 * FPSCR, then loops calling bump(), which adds to counter and moves
 * d2 by 1.0 each round.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
volatile unsigned counter;

void __attribute__((noinline)) bump(void)
{
    counter++;
    __asm__ volatile("vmov.f64 d3, #1.0\n\tvadd.f64 d2, d2, d3"
                     : : : "d2", "d3");
}

int main(void)
{
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb\n\t"
                     "vmsr fpexc, %1" : : "r"(0xf00000), "r"(1u << 30));
    __asm__ volatile("vmov.f64 d0, #1.5\n\t"
                     "vmov d1, %0, %1\n\t"
                     "vmov.f64 d2, #2.0\n\t"
                     "vmov d16, %2, %2\n\t"
                     "vmov d31, %1, %0\n\t"
                     "vmsr fpscr, %3"
                     : : "r"(0x89abcdef), "r"(0x01234567), "r"(0x12),
                         "r"(0x03c00000)      /* FZ, RMode = towards zero */
                     : "d0", "d1", "d2", "d16", "d31");
    for (;;) {
        bump();
    }
}
