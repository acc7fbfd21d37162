# For the gdb stub's x86-64 registers (tests/functional/test_gdb_x86.py):
# from the reset vector into 64-bit long mode, then known values in the
# general registers (all 64 bits, r8-r15 too), two x87 stack entries,
# XMM0, XMM15 and MXCSR, FS and GS bases, and a loop that calls bump(),
# which adds one to the quad word at COUNTER.
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
    mov %cr4, %rax
    or $0x600, %rax                 # OSFXSR, OSXMMEXCPT: SSE on
    mov %rax, %cr4
    mov $0xc0000100, %ecx           # IA32_FS_BASE
    mov $0x1000, %eax
    xor %edx, %edx
    wrmsr
    mov $0xc0000101, %ecx           # IA32_GS_BASE
    mov $0x2000, %eax
    mov $0x1, %edx
    wrmsr
    movq $0, COUNTER
    fninit
    fld1                            # st1 = 1 after the next push
    fldpi                           # st0 = pi
    movdqu xmm0_value(%rip), %xmm0
    movdqu xmm15_value(%rip), %xmm15
    ldmxcsr mxcsr_value(%rip)
    mov $0x1111111111111111, %rax
    mov $0x2222222222222222, %rbx
    mov $0x3333333333333333, %rcx
    mov $0x4444444444444444, %rdx
    mov $0x5555555555555555, %rsi
    mov $0x6666666666666666, %rdi
    mov $0x7777777777777777, %rbp
    mov $0x88888888888888, %r8
    mov $0x9999999999999999, %r9
    mov $-10, %r10
    mov $11, %r11
    mov $12, %r12
    mov $13, %r13
    mov $14, %r14
    mov $0xf0f0f0f0f0f0f0f0, %r15
    mov $0x80000, %rsp
loop:
    call bump
    jmp loop

bump:
    incq COUNTER
    ret

xmm0_value:
    .quad 0x0123456789abcdef, 0xfedcba9876543210
xmm15_value:
    .long 0x3f800000, 0x40000000, 0x40400000, 0x40800000   # 1.0 2.0 3.0 4.0
mxcsr_value:
    .long 0x1fa0                    # masked, round to nearest, PE set

    DEF_GDT

    RESET_VECTOR start
