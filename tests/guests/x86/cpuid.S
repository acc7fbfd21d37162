# CPUID as the guest sees it: from the reset vector, in real mode, prints
# each leaf and subleaf of the table below ("leaf.subleaf: eax ebx ecx
# edx") and exits with 1 (status 3): -cpu models, feature flags and -smp
# topologies are compared with QEMU's.  It runs on the boot CPU, whose
# APIC ID is 0 in every topology.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
start:
    REAL_MODE_START

    mov $(queries - ROMBASE), %bp
1:  mov %cs:(%bp), %eax
    mov %cs:4(%bp), %ecx
    call leaf
    add $8, %bp
    cmp $(queries_end - ROMBASE), %bp
    jne 1b
    EXIT 1

# Prints "leaf.subleaf: eax ebx ecx edx" for leaf %eax, subleaf %ecx.
leaf:
    push %ecx
    push %eax
    mov %eax, %ebx
    call puthex
    mov $'.', %al
    call putc
    mov %sp, %bx
    mov %ss:4(%bx), %ebx
    call puthex
    mov $':', %al
    call putc
    pop %eax
    pop %ecx
    cpuid
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

# Basic leaves: the vendor, features, cache descriptors (2), cache
# parameters (4), structured features (7), topology (0xb), XSAVE (0xd);
# then the extended ones: features, the brand string, L1 and L2 caches
# and TLBs (0x80000005/6), address sizes and core count.
    .p2align 2
queries:
    .long 0, 0
    .long 1, 0
    .long 2, 0
    .long 4, 0
    .long 4, 1
    .long 4, 2
    .long 4, 3
    .long 4, 4
    .long 7, 0
    .long 0xb, 0
    .long 0xb, 1
    .long 0xb, 2
    .long 0xd, 0
    .long 0xd, 1
    .long 0x80000000, 0
    .long 0x80000001, 0
    .long 0x80000002, 0
    .long 0x80000003, 0
    .long 0x80000004, 0
    .long 0x80000005, 0
    .long 0x80000006, 0
    .long 0x80000008, 0
queries_end:

    RESET_VECTOR start
