# -icount as the guest sees it: from the reset vector, in real mode,
# reads the TSC (under -icount, the virtual clock in ns: instructions
# << shift) around straight-line code, a loop and port I/O, and prints
# each reading and the difference ("name: start end delta"), then exits
# with 1 (status 3).  The differences are the instructions executed
# between the reads, shifted, when a read sees the clock at its own
# instruction (as QEMU's does), not at the end of its block.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    REAL_MODE_START

    # Two reads in one block: a mov and 100 nops between them.
    mov $(name_nops - ROMBASE), %si
    rdtsc
    mov %eax, %edi
    .rept 100
    nop
    .endr
    rdtsc
    call report

    # A loop of 1000 rounds of two instructions.
    mov $(name_loop - ROMBASE), %si
    mov $1000, %ecx
    rdtsc
    mov %eax, %edi
1:  dec %ecx
    jnz 1b
    rdtsc
    call report

    # Port writes (to the POST port) between the reads, in one block.
    mov $(name_pio - ROMBASE), %si
    rdtsc
    mov %eax, %edi
    .rept 10
    out %al, $0x80
    .endr
    rdtsc
    call report

    EXIT 1

# Prints "NAME: start end delta" for the reads %edi and %eax, NAME at %si.
report:
    push %eax
    call puts
    mov %edi, %ebx
    call puthex
    mov $' ', %al
    call putc
    mov %sp, %bx
    mov %ss:(%bx), %ebx
    call puthex
    mov $' ', %al
    call putc
    pop %ebx
    sub %edi, %ebx
    call puthex_line
    ret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex, putc
    DEF_PUTHEX_LINE puthex_line, putc, 8

name_nops: .asciz "nops: "
name_loop: .asciz "loop: "
name_pio:  .asciz "pio: "

    RESET_VECTOR start
