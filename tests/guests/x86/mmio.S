# Unassigned MMIO: in flat 32-bit mode, writes a dword and a byte where
# nothing is mapped (0xd0000000), reads the dword back, prints what the
# read returned and carries on to exit with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set HOLE, 0xd0000000
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    .globl write32, write8, read32, after_read  # the test finds the pcs by name
write32:
    movl $0x12345678, HOLE
write8:
    movb $0xab, HOLE + 0x10
read32:
    mov HOLE, %ebx
after_read:
    mov $read, %esi
    call puts
    call puthex
    mov $carry_on, %esi
    call puts
    EXIT 1

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex, putc
    DEF_GDT
read:
    .asciz "read 0x"
carry_on:
    .asciz " from unassigned memory\nguest continues\n"

    RESET_VECTOR start
