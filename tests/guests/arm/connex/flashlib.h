/*
 * Intel/Sharp command-set access to the connex flash (one 16-bit part
 * at 0, 128 KiB blocks).  Each function leaves the flash in read-array
 * mode and runs from SDRAM, since the flash does not answer with array
 * data (code) while it is busy or in status, identifier or query mode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FLASHLIB_H
#define FLASHLIB_H

#include "connex.h"

#define FLASH_BLOCK_SIZE 0x20000u

/* Status register bits. */
#define SR_READY 0x80
#define SR_ERASE_ERROR 0x20
#define SR_PROGRAM_ERROR 0x10
#define SR_LOCKED 0x02

/* Each returns the status register at the end of the operation. */
uint16_t flash_erase(uint32_t block) RAMFUNC;
uint16_t flash_program(uint32_t addr, uint16_t value) RAMFUNC;
/* A buffered write of count (1..16) words from data, all inside one
 * 32-byte aligned window; 0xffff if the buffer never became free. */
uint16_t flash_write_buffer(uint32_t addr, const uint16_t *data,
                            unsigned count) RAMFUNC;
uint16_t flash_lock(uint32_t block) RAMFUNC;
uint16_t flash_unlock(uint32_t block) RAMFUNC;
/* Reads words [first, first + count) of the CFI query table. */
void flash_query(unsigned first, unsigned count, uint16_t *out) RAMFUNC;
/* Reads the identifier codes: manufacturer, device, and the block
 * lock configuration of block. */
void flash_identify(uint32_t block, uint16_t out[3]) RAMFUNC;

#endif
