/*
 * The gdb stub's test guest: runs forever, so that a debugger always
 * finds it running (Ctrl-C) and a breakpoint in bump() is hit on every
 * round.  counter is what the tests watch and write.  Built in Thumb for
 * -M none (RAM at 0) and in ARM for the connex flash.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
volatile unsigned counter;
volatile unsigned checksum;

unsigned __attribute__((noinline)) bump(unsigned step)
{
    counter += step;
    return counter;
}

int main(void)
{
    unsigned round = 0;

    for (;;) {
        round++;
        checksum ^= bump((round & 3) | 1);
    }
}
