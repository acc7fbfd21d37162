/*
 * The flash command sequences of flashlib.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flashlib.h"

#define CMD_READ_ARRAY 0xff
#define CMD_READ_ID 0x90
#define CMD_QUERY 0x98
#define CMD_READ_STATUS 0x70
#define CMD_CLEAR_STATUS 0x50
#define CMD_PROGRAM 0x40
#define CMD_WRITE_BUFFER 0xe8
#define CMD_ERASE 0x20
#define CMD_CONFIRM 0xd0
#define CMD_LOCK_SETUP 0x60
#define CMD_LOCK 0x01
#define CMD_UNLOCK 0xd0

/* Bounded, so a flash that never gets ready shows up as a status
 * without SR_READY rather than a hang. */
static uint16_t RAMFUNC wait_ready(uint32_t addr)
{
    uint16_t status = 0;

    for (unsigned i = 0; i < 10000000; i++) {
        status = REG16(addr);
        if (status & SR_READY) {
            break;
        }
    }
    REG16(addr) = CMD_CLEAR_STATUS;
    REG16(addr) = CMD_READ_ARRAY;
    return status;
}

uint16_t flash_erase(uint32_t block)
{
    REG16(block) = CMD_ERASE;
    REG16(block) = CMD_CONFIRM;
    return wait_ready(block);
}

uint16_t flash_program(uint32_t addr, uint16_t value)
{
    REG16(addr) = CMD_PROGRAM;
    REG16(addr) = value;
    return wait_ready(addr);
}

uint16_t flash_write_buffer(uint32_t addr, const uint16_t *data,
                            unsigned count)
{
    unsigned i;

    for (i = 0; i < 1000; i++) {
        REG16(addr) = CMD_WRITE_BUFFER;
        if (REG16(addr) & SR_READY) {   /* XSR: a buffer is free */
            break;
        }
    }
    if (i == 1000) {
        REG16(addr) = CMD_READ_ARRAY;
        return 0xffff;
    }
    REG16(addr) = (uint16_t)(count - 1);
    for (i = 0; i < count; i++) {
        REG16(addr + 2 * i) = data[i];
    }
    REG16(addr) = CMD_CONFIRM;
    return wait_ready(addr);
}

uint16_t flash_lock(uint32_t block)
{
    REG16(block) = CMD_LOCK_SETUP;
    REG16(block) = CMD_LOCK;
    return wait_ready(block);
}

uint16_t flash_unlock(uint32_t block)
{
    REG16(block) = CMD_LOCK_SETUP;
    REG16(block) = CMD_UNLOCK;
    return wait_ready(block);
}

void flash_query(unsigned first, unsigned count, uint16_t *out)
{
    REG16(0x55 * 2) = CMD_QUERY;
    for (unsigned i = 0; i < count; i++) {
        out[i] = REG16(2 * (first + i));
    }
    REG16(0) = CMD_READ_ARRAY;
}

void flash_identify(uint32_t block, uint16_t out[3])
{
    REG16(0) = CMD_READ_ID;
    out[0] = REG16(0);
    out[1] = REG16(2);
    out[2] = REG16(block + 2 * 2);
    REG16(0) = CMD_READ_ARRAY;
}
