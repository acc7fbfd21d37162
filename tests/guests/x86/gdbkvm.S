# For the gdb stub under kvm (tests/functional/test_gdb_kvm.py): from
# the reset vector into 64-bit long mode, then a loop that calls bump(),
# which adds one to the quad word at COUNTER.  No x87 or SSE, which a
# software hypervisor (kvm-pvm) may not emulate.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set COUNTER, 0x6000
    .globl start, lm64, bump, loop
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    ENTER_LONG_MODE lm64

    .code64
lm64:
    movq $0, COUNTER
    mov $0x80000, %rsp
    mov $0x1234, %rbx
loop:
    call bump
    jmp loop

bump:
    incq COUNTER
    ret

    DEF_GDT

    RESET_VECTOR start
