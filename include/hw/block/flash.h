/*
 * Parallel NOR flash with the Intel/Sharp CFI command set (command set
 * 0x0001), as U-Boot and Linux MTD drive it: the "cfi.pflash01" device.
 *
 * Properties: "num-blocks" and "sector-length" (uniform erase blocks),
 * "width" (bus width in bytes: 1, 2 or 4), "device-width" (each chip's
 * width when the bank is several chips side by side; 0: one chip),
 * "max-device-width" (the chips' widest mode), "id0"/"id1" (manufacturer and
 * device codes of read identifier), "name" (the memory region's name).
 * The backing file comes from a drive given before realize; without one
 * the flash is erased and forgets what is written.
 *
 * Sysbus MMIO 0 is a ROM device: reads run from memory in read-array
 * mode; every command switches it to I/O mode until read array again.
 * Every program and erase reaches the file (written and synced) before
 * the status register says ready.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_BLOCK_FLASH_H
#define HW_BLOCK_FLASH_H

#include "hw/sysbus.h"
#include "sysemu/blockdev.h"

#define TYPE_PFLASH_CFI01 "cfi.pflash01"

/* Status register bits (Intel's SR.7 ... SR.0). */
enum {
    PFLASH_SR_READY = 0x80,          /* SR7: write state machine ready */
    PFLASH_SR_ERASE_SUSPENDED = 0x40,
    PFLASH_SR_ERASE_ERROR = 0x20,    /* SR5 (with SR4: bad sequence) */
    PFLASH_SR_PROGRAM_ERROR = 0x10,  /* SR4 */
    PFLASH_SR_VPP_LOW = 0x08,
    PFLASH_SR_PROGRAM_SUSPENDED = 0x04,
    PFLASH_SR_LOCKED = 0x02,         /* SR1: the block is locked */
};

/* Identifier mode, word 2 of each block: its lock configuration. */
enum {
    PFLASH_BLOCK_LOCKED = 0x01,
    PFLASH_BLOCK_LOCKED_DOWN = 0x02,
};

/*
 * Attaches a drive (its file and readonly flag) to an unrealized flash.
 * Realize then opens the file, checks that its size is the flash's and
 * loads it.
 */
void pflash_cfi01_set_drive(DeviceState *dev, DriveInfo *drive);

#endif
