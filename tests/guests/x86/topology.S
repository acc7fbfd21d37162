# Each processor's APIC ID and CPUID topology, for -smp topologies whose
# APIC IDs leave gaps: on -M pc (CMOS 0x5f holds the count of processors
# less one, as QEMU's and SeaBIOS's PC have it) the bootstrap processor
# enters flat 32-bit mode, copies the AP trampoline to 0x8000, wakes the
# others with INIT-SIPI-SIPI and records itself.  Every processor, in
# 32-bit mode, writes a record into the slot of the ID in its local
# APIC's ID register: that register, CPUID leaf 1's EBX (initial APIC ID,
# logical count), leaf 4's EAX for subleaves 0-3 (cores and sharing),
# leaf 0xb's four registers for subleaves 0-2 (shifts, counts, x2APIC
# ID) and 0x80000008's ECX.  The BSP waits for all of them, prints the
# records by APIC ID ("id: reg ebx ..."), "N cpus up" and exits with 1
# (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set TRAMPOLINE, 0x8000     # SIPI vector 0x08
    .set UP, 0x7000             # RAM: processors that have recorded
    .set STACKS, 0x10000        # RAM: 256 bytes of stack per APIC ID
    .set RECORDS, 0x20000       # RAM: 128 bytes per APIC ID
    .set RECORD_SIZE, 128
    .set RECORD_WORDS, 19       # dwords printed: register to 0x80000008
    .set VALID, RECORD_WORDS * 4

start:
    REAL_MODE_START
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x7c00
    movl $0, UP
    mov $RECORDS, %edi
    mov $(256 * RECORD_SIZE / 4), %ecx
    xor %eax, %eax
    rep stosl
    WAKE_APS ap_start, ap_start_end, TRAMPOLINE
    call record

    mov $0x5f, %al
    out %al, $CMOS_INDEX
    in $CMOS_DATA, %al
    movzbl %al, %edi
    inc %edi                            # processors to wait for
    # A bound, so that a lost AP ends the run (tcg on a busy host may
    # take a while to schedule an AP's thread).
    mov $1000000000, %ecx
1:  cmp %edi, UP
    je 2f
    pause
    dec %ecx
    jnz 1b
    mov $lost, %esi
    call puts

2:  mov $RECORDS, %ebp
3:  cmpl $1, VALID(%ebp)
    jne 5f
    mov %ebp, %ebx
    sub $RECORDS, %ebx
    shr $7, %ebx                        # / RECORD_SIZE
    call puthex2
    mov $':', %al
    call putc
    xor %edi, %edi
4:  mov $' ', %al
    call putc
    mov (%ebp, %edi, 4), %ebx
    call puthex8
    inc %edi
    cmp $RECORD_WORDS, %edi
    jne 4b
    mov $'\n', %al
    call putc
5:  add $RECORD_SIZE, %ebp
    cmp $(RECORDS + 256 * RECORD_SIZE), %ebp
    jne 3b
    mov UP, %ebx
    call puthex2
    mov $up, %esi
    call puts
    EXIT 1

# Writes this processor's record; counts it in UP.  Clobbers eax-edx,
# esi, edi.
record:
    mov LAPIC + 0x20, %eax
    mov %eax, %edi
    shr $24, %edi
    shl $7, %edi                        # * RECORD_SIZE
    add $RECORDS, %edi
    stosl                               # the ID register
    mov $1, %eax
    cpuid
    mov %ebx, %eax
    stosl
    xor %esi, %esi
1:  mov $4, %eax
    mov %esi, %ecx
    cpuid
    stosl
    inc %esi
    cmp $4, %esi
    jne 1b
    xor %esi, %esi
2:  mov $0xb, %eax
    mov %esi, %ecx
    cpuid
    stosl
    mov %ebx, %eax
    stosl
    mov %ecx, %eax
    stosl
    mov %edx, %eax
    stosl
    inc %esi
    cmp $3, %esi
    jne 2b
    mov $0x80000008, %eax
    cpuid
    mov %ecx, %eax
    stosl
    movl $1, (%edi)                     # VALID
    lock incl UP
    ret

# An AP in 32-bit mode: a stack of its own (by APIC ID), its record,
# then halted for good.
ap_pm32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov LAPIC + 0x20, %esp
    shr $24, %esp
    inc %esp
    shl $8, %esp
    add $STACKS, %esp
    call record
1:  hlt
    jmp 1b

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex2, putc, 2
    DEF_PUTHEX puthex8, putc, 8
    DEF_GDT
lost:
    .asciz "not every processor came up\n"
up:
    .asciz " cpus up\n"

# The AP trampoline, copied to 0x8000: to ap_pm32 in the ROM.
    DEF_AP_TRAMPOLINE_PM32 ap_start, ap_pm32

    RESET_VECTOR start
