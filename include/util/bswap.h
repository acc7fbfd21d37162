/*
 * Guest memory is little endian (both targets), so are the bytes kvm
 * and devices hand over: n-byte little-endian loads and stores of
 * unaligned buffers, whatever the host's byte order.  Big-endian ones
 * for the image formats that use that order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_BSWAP_H
#define UTIL_BSWAP_H

#include "util/osdep.h"

/* The size (1..8) bytes at p as a little-endian number. */
static inline uint64_t ldn_le_p(const void *p, unsigned size)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    for (unsigned i = size; i-- > 0;) {
        v = (v << 8) | b[i];
    }
    return v;
}

/* Stores the low size (1..8) bytes of v at p, little endian. */
static inline void stn_le_p(void *p, unsigned size, uint64_t v)
{
    uint8_t *b = p;

    for (unsigned i = 0; i < size; i++) {
        b[i] = v >> (8 * i);
    }
}

/* The same in big-endian order, as image formats (qcow2) store numbers. */
static inline uint64_t ldn_be_p(const void *p, unsigned size)
{
    const uint8_t *b = p;
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v = (v << 8) | b[i];
    }
    return v;
}

static inline void stn_be_p(void *p, unsigned size, uint64_t v)
{
    uint8_t *b = p;

    for (unsigned i = size; i-- > 0;) {
        b[i] = v;
        v >>= 8;
    }
}

#endif
