# Prints, then halts with interrupts disabled for good: the emulator must
# sit idle (no busy loop) until it is told to quit.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    REAL_MODE_START
    mov $(msg - ROMBASE), %si
    call puts
1:  hlt
    jmp 1b

    DEF_PUTC putc
    DEF_PUTS puts, putc
msg:
    .asciz "halting with interrupts disabled\n"

    RESET_VECTOR start
