# 200,000 port-I/O exits: writes to port 0x80 in a loop, then exits
# through isa-debug-exit with 0 (status 1).  Measures the exit round trip.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set EXITS, 200000
start:
    cli
    mov $EXITS, %ecx
1:  out %al, $0x80
    dec %ecx
    jnz 1b
    EXIT 0

    RESET_VECTOR start
