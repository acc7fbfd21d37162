/*
 * Reads and writes on the system address space for device unit tests,
 * each asserting that the bus accepted the access.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_BUS_ACCESS_H
#define TESTS_UNIT_BUS_ACCESS_H

#include "util/osdep.h"
#include "softmmu/memory.h"

static inline uint64_t ld(hwaddr addr, unsigned size)
{
    uint64_t value;

    g_assert_cmpint(address_space_ld(&address_space_memory, addr, size,
                                     &value), ==, MEMTX_OK);
    return value;
}

static inline void st(hwaddr addr, unsigned size, uint64_t value)
{
    g_assert_cmpint(address_space_st(&address_space_memory, addr, size,
                                     value), ==, MEMTX_OK);
}

/* A 32-bit register. */
static inline uint32_t rd(hwaddr addr)
{
    return ld(addr, 4);
}

static inline void wr(hwaddr addr, uint32_t value)
{
    st(addr, 4, value);
}

#endif
