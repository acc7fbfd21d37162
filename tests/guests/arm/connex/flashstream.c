/*
 * Flash programming without end, for kill -9 in the middle of it: erase
 * blocks 121 to 126 (0xf20000-0xfdffff) one after the other and program
 * every word of each with stream_word(n), n counting words from the
 * start of block 121, then start over.  After each operation whose
 * status says ready and error-free, and whose word reads back, one line
 * on the UART: "ack N" (program) or "erased B" (erase).  Whatever
 * line the host has read, that write must be in the flash file, whenever
 * emu dies.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flashlib.h"
#include "../print.h"

#define FIRST_BLOCK 121u
#define BLOCKS 6u
#define WORDS_PER_BLOCK (FLASH_BLOCK_SIZE / 2)

/* Never 0xffff (an erased word), and different for nearby n. */
static uint16_t stream_word(uint32_t n)
{
    return (uint16_t)((n * 0x9e37u + 0x1234u) % 0xffffu);
}

int main(void)
{
    uart_init();
    for (;;) {
        for (uint32_t b = 0; b < BLOCKS; b++) {
            uint32_t base = (FIRST_BLOCK + b) * FLASH_BLOCK_SIZE;
            uint16_t sr = flash_erase(base);

            if ((sr & 0xb0) != SR_READY) {
                tprintf("erase SR 0x%02x\n", sr);
                return 1;
            }
            tprintf("erased %u\n", (unsigned)(FIRST_BLOCK + b));
            for (uint32_t i = 0; i < WORDS_PER_BLOCK; i++) {
                uint32_t n = b * WORDS_PER_BLOCK + i;

                sr = flash_program(base + 2 * i, stream_word(n));
                if ((sr & 0xb0) != SR_READY ||
                    REG16(base + 2 * i) != stream_word(n)) {
                    tprintf("program SR 0x%02x at word %u\n", sr,
                            (unsigned)n);
                    return 1;
                }
                tprintf("ack %u\n", (unsigned)n);
            }
        }
    }
}
