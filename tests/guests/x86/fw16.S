# 16-bit firmware: from the reset vector, programs COM1 (divisor latch,
# line control, scratch register), prints through it while polling the
# line status register, and exits through isa-debug-exit with 0x2a
# (status 85).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    REAL_MODE_START

    # 115200 8N1: DLAB on, divisor 1, DLAB off with 8 data bits.
    mov $(COM1 + 3), %dx
    mov $0x80, %al
    out %al, %dx
    mov $COM1, %dx
    mov $1, %al
    out %al, %dx
    mov $(COM1 + 1), %dx
    xor %al, %al
    out %al, %dx
    mov $(COM1 + 3), %dx
    mov $0x03, %al
    out %al, %dx
    # Port 0x80 is the POST code port: writes are ignored.
    mov $0x55, %al
    out %al, $0x80

    mov $(hello - ROMBASE), %si
    call puts

    # The scratch register keeps what was written.
    mov $(COM1 + 7), %dx
    mov $0xa5, %al
    out %al, %dx
    in %dx, %al
    movzbl %al, %ebx
    mov $(scratch - ROMBASE), %si
    call puts
    call puthex2
    mov $(line_control - ROMBASE), %si
    call puts
    mov $(COM1 + 3), %dx
    in %dx, %al
    movzbl %al, %ebx
    call puthex2
    mov $'\n', %al
    call putc
    EXIT 0x2a

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex2, putc, 2

hello:
    .asciz "emu x86 real-mode firmware\n"
scratch:
    .asciz "scratch "
line_control:
    .asciz " lcr "

    RESET_VECTOR start
