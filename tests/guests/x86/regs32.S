# A known 32-bit protected-mode state for comparing "info registers" with
# QEMU: flat segments from the GDT, a loaded IDT and TR, every general
# register a pattern, and flags left by an addition (lazily computed on
# tcg), SSE on with XMM0 = 1/3 from a division whose precision flag
# MXCSR shows (tcg keeps MXCSR's flags in the host's until the vCPU
# stops), then "ready" and hlt with interrupts off.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    mov $ready, %esi
    call puts
    lidt idt_ptr
    mov $0x20, %ax
    ltr %ax
    mov %cr0, %eax
    and $~4, %eax                   # EM clear
    or $2, %eax                     # MP
    mov %eax, %cr0
    mov %cr4, %eax
    or $0x600, %eax                 # OSFXSR, OSXMMEXCPT
    mov %eax, %cr4
    mov $1, %eax
    cvtsi2sd %eax, %xmm0
    mov $3, %eax
    cvtsi2sd %eax, %xmm1
    divsd %xmm1, %xmm0              # inexact: MXCSR.PE
    addsd %xmm0, %xmm1
    mov $0x11111111, %ebx
    mov $0x22222222, %ecx
    mov $0x33333333, %edx
    mov $0x44444444, %esi
    mov $0x55555555, %edi
    mov $0x66666666, %ebp
    mov $0x80000001, %eax
    add $0x7fffffff, %eax           # 0: CF, ZF, PF, AF
    std
1:  hlt
    jmp 1b

    DEF_PUTC putc
    DEF_PUTS puts, putc

idt_ptr:
    .word 0x7ff
    .long 0x3000
    .balign 8
gdt:
    .quad 0
    # accessed already: QEMU does not set the bit on far jumps
    .quad 0x00cf9b000000ffff
    .quad 0x00cf93000000ffff
    .quad 0x00af9b000000ffff
    .quad 0x0000890020000067        # a 32-bit TSS at 0x2000
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt
ready:
    .asciz "ready\n"

    RESET_VECTOR start
