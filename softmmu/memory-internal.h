/*
 * What the memory API's own files (memory.c, physmem.c, memory-mtree.c)
 * share with each other and nobody else: the list of address spaces and
 * 128-bit helpers for sizes that may be 2^64.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SOFTMMU_MEMORY_INTERNAL_H
#define SOFTMMU_MEMORY_INTERNAL_H

#include "softmmu/memory.h"

/*
 * Region and range ends can be 2^64, and an alias can place its target
 * below address 0 before clipping, so arithmetic on them is done in
 * signed 128 bits where nothing overflows.
 */
__extension__ typedef __int128 Int128;

static inline Int128 memory_region_size128(const MemoryRegion *mr)
{
    return mr->size_is_2_64 ? (Int128)1 << 64 : (Int128)mr->size;
}

static inline Int128 flat_range_size128(const FlatRange *fr)
{
    return fr->size_is_2_64 ? (Int128)1 << 64 : (Int128)fr->size;
}

static inline Int128 flat_range_end128(const FlatRange *fr)
{
    return (Int128)fr->addr + flat_range_size128(fr);
}

/* Every AddressSpace, in the order they were created. */
GPtrArray *memory_address_spaces(void);

/* Index of the first range that ends after addr (view->nr if none). */
unsigned flatview_find_index(const FlatView *view, hwaddr addr);

#endif
