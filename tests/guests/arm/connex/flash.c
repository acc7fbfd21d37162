/*
 * Flash programming as firmware does it: erase block 120 (0xf00000),
 * program eight words one by one, program one word twice (flash bits
 * only go from 1 to 0: the second program ANDs), a 16-word buffered
 * write, and read everything back; "flash done" when all of it is in
 * the flash.  Then the locking rules on block 122 (0xf40000): a locked
 * block refuses program and erase with the lock bit in the status,
 * unlocking lets programs in.  Every status register value is printed;
 * the test compares the lines and the bytes of the flash file.  The exit
 * status is 1 when a read-back differs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flashlib.h"
#include "../print.h"

#define BLOCK_A 0xf00000u
#define BLOCK_C 0xf40000u
#define TWICE (BLOCK_A + 0x20)
#define BUFFER (BLOCK_A + 0x100)

static const uint16_t words[8] = {
    0x0123, 0x4567, 0x89ab, 0xcdef, 0xfedc, 0xba98, 0x7654, 0x3210,
};

static unsigned errors;

static void expect_word(uint32_t addr, uint16_t want)
{
    uint16_t got = REG16(addr);

    if (got != want) {
        tprintf("readback 0x%06x: 0x%04x, expected 0x%04x\n",
                (unsigned)addr, got, want);
        errors++;
    }
}

static uint16_t buffer_word(unsigned i)
{
    return (uint16_t)(0xc0de + 0x0101 * i);
}

int main(void)
{
    uint16_t data[16];
    uint16_t id[3];
    unsigned i, status, bad = 0;

    uart_init();
    tprintf("flash: erase block 0x%06x\n", BLOCK_A);
    tprintf("erase SR 0x%02x\n", flash_erase(BLOCK_A));
    for (i = 0; i < FLASH_BLOCK_SIZE; i += 4) {
        if (REG32(BLOCK_A + i) != 0xffffffff) {
            bad++;
        }
    }
    tprintf("erased words not 0xffffffff: %u\n", bad);
    errors += bad != 0;

    status = 0;
    for (i = 0; i < 8; i++) {
        status |= flash_program(BLOCK_A + 2 * i, words[i]);
    }
    tprintf("program SR 0x%02x\n", status);
    status = flash_program(TWICE, 0xff0f);
    tprintf("program twice SR 0x%02x", status);
    tprintf(" 0x%02x\n", flash_program(TWICE, 0x0fff));
    for (i = 0; i < 16; i++) {
        data[i] = buffer_word(i);
    }
    tprintf("buffer SR 0x%02x\n", flash_write_buffer(BUFFER, data, 16));

    for (i = 0; i < 8; i++) {
        expect_word(BLOCK_A + 2 * i, words[i]);
    }
    for (i = 0; i < 16; i++) {
        expect_word(BUFFER + 2 * i, buffer_word(i));
    }
    expect_word(BUFFER + 32, 0xffff);
    tprintf("readback errors %u\n", errors);
    tprintf("program twice word 0x%04x\n", REG16(TWICE));
    tprintf("flash done\n");

    tprintf("erase SR 0x%02x\n", flash_erase(BLOCK_C));
    tprintf("lock SR 0x%02x\n", flash_lock(BLOCK_C));
    flash_identify(BLOCK_C, id);
    tprintf("lock status 0x%02x\n", id[2]);
    tprintf("locked program SR 0x%02x word 0x%04x\n",
            flash_program(BLOCK_C, 0x1234), REG16(BLOCK_C));
    tprintf("locked erase SR 0x%02x\n", flash_erase(BLOCK_C));
    tprintf("unlock SR 0x%02x\n", flash_unlock(BLOCK_C));
    flash_identify(BLOCK_C, id);
    tprintf("lock status 0x%02x\n", id[2]);
    tprintf("unlocked program SR 0x%02x word 0x%04x\n",
            flash_program(BLOCK_C + 2, 0x4321), REG16(BLOCK_C + 2));
    tprintf("all done\n");
    return errors || REG16(TWICE) != 0x0f0f ? 1 : 0;
}
