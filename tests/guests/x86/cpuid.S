# CPUID as the guest sees it: from the reset vector, in real mode, prints
# leaves 0, 1 and 0x80000000/1 (eax ebx ecx edx, ebx of leaf 1 without
# the APIC ID) and exits with 1 (status 3): -cpu models and feature flags
# are compared with QEMU's.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    REAL_MODE_START

    xor %eax, %eax
    call leaf
    mov $1, %eax
    call leaf
    mov $0x80000000, %eax
    call leaf
    mov $0x80000001, %eax
    call leaf
    EXIT 1

# Prints "leaf: eax ebx ecx edx" for leaf %eax.
leaf:
    mov %eax, %ebx
    push %eax
    call puthex
    mov $':', %al
    call putc
    pop %eax
    cpuid
    # the APIC ID (ebx[31:24] of leaf 1) is the vCPU's, not the model's
    push %edx
    push %ecx
    push %ebx
    push %eax
    mov $4, %si
1:  mov $' ', %al
    call putc
    pop %ebx
    call puthex
    dec %si
    jnz 1b
    mov $'\n', %al
    call putc
    ret

    DEF_PUTC putc
    DEF_PUTHEX puthex, putc

    RESET_VECTOR start
