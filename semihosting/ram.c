/*
 * The guest memory layout semihosting reports through SYS_HEAPINFO: a
 * board says where its RAM is and loaders say where they put images,
 * so targets need not look at the machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "semihosting/semihost.h"

static uint64_t ram_base, ram_size;
static uint64_t image_end;       /* highest end of a loaded image, or 0 */

void semihosting_set_ram(uint64_t base, uint64_t size)
{
    ram_base = base;
    ram_size = size;
}

void semihosting_note_image(uint64_t addr, uint64_t size)
{
    image_end = MAX(image_end, addr + size);
}

void semihosting_get_heapinfo(uint64_t info[4])
{
    uint64_t top = ram_base + ram_size;
    uint64_t heap = ram_base + ram_size / 2;

    /* QEMU starts the heap right after the program when it was loaded
     * into this RAM. */
    if (image_end > ram_base && image_end < top) {
        heap = image_end;
    }
    info[0] = heap;
    info[1] = top;
    info[2] = top;
    info[3] = heap;
}
