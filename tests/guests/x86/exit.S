# The smallest firmware: the reset vector writes 0 to isa-debug-exit, so
# the emulator exits with status 1.  Measures start-to-exit time.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .org 0xfff0
    .globl reset
reset:
    EXIT 0
    .org 0x10000
