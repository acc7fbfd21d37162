/*
 * What the random-operand guests share (guest-random.c): a xorshift32
 * generator seeded from the semihosting command line, so that a run
 * that differs can be replayed, and an FNV-1a hash of their results.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GUEST_RANDOM_H
#define GUEST_RANDOM_H

#include <stdint.h>

/* Seeds the generator with the hex number that ends the semihosting
 * command line ("-semihosting-config enable=on,arg=NAME,arg=1234abcd"),
 * fallback without one (or for 0, a state xorshift never leaves); the
 * seed used. */
uint32_t random_seed_from_cmdline(uint32_t fallback);
uint32_t rnd(void);

#define HASH_INIT 2166136261u
/* The hash with v's four bytes added. */
uint32_t hash_mix(uint32_t hash, uint32_t v);

#endif
