# -smp 2: the bootstrap processor enters flat 32-bit mode, copies the AP
# trampoline from the ROM to 0x8000 (a start-up IPI can only point below
# 1 MiB), wakes the other processors with INIT-SIPI-SIPI through its local
# APIC and waits for them.  Every processor prints "apic id N" (N from
# CPUID leaf 1, EBX[31:24]) holding a spinlock around the UART; the BSP
# then prints "2 cpus up" and exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set TRAMPOLINE, 0x8000     # SIPI vector 0x08
    .set LOCK, 0x7000           # RAM: UART spinlock (byte)
    .set UP, 0x7004             # RAM: processors that have printed
    .set AP_STACK, 0x7a00
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    movb $0, LOCK
    movl $1, UP
    mov $ap_start, %esi
    mov $TRAMPOLINE, %edi
    mov $(ap_end - ap_start), %ecx
    rep movsb

    movl $0x1ff, LAPIC + 0xf0           # SVR: software enable
    movl $0x000c4500, LAPIC + 0x300     # INIT to all but self
    call icr_wait
    movl $(0x000c4600 | (TRAMPOLINE >> 12)), LAPIC + 0x300  # SIPI
    call icr_wait
    movl $(0x000c4600 | (TRAMPOLINE >> 12)), LAPIC + 0x300
    call icr_wait

1:  mov $1, %al
    xchg %al, LOCK
    test %al, %al
    jnz 1b
    mov $apic_id, %esi
    call puts
    mov $1, %eax
    cpuid
    shr $24, %ebx
    call puthex2
    mov $'\n', %al
    call putc
    movb $0, LOCK

    # Wait for the AP, with a bound so that a lost AP ends the run (tcg
    # on a busy host may take a while to schedule the AP's thread).
    mov $1000000000, %ecx
2:  cmpl $2, UP
    je 3f
    dec %ecx
    jnz 2b
    mov $lost, %esi
    call puts
    EXIT 0x7f
3:  mov $1, %al
    xchg %al, LOCK
    test %al, %al
    jnz 3b
    mov $all_up, %esi
    call puts
    EXIT 1

# Waits until the local APIC has sent the IPI (delivery status clear).
icr_wait:
    testl $0x1000, LAPIC + 0x300
    jnz icr_wait
    ret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex2, putc, 2
    DEF_GDT
apic_id:
    .asciz "apic id "
lost:
    .asciz "the AP did not come up\n"
all_up:
    .asciz "2 cpus up\n"

# The AP trampoline: runs at 0x0800:0000 in real mode, so it refers to
# its own code and data by offset from ap_start.
    .code16
ap_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    xor %ax, %ax
    mov %ax, %es
    mov %ax, %ss
    mov $AP_STACK, %sp
1:  mov $1, %al
    xchg %al, %es:LOCK
    test %al, %al
    jnz 1b
    mov $(ap_apic_id - ap_start), %si
    call ap_puts
    mov $1, %eax
    cpuid
    shr $24, %ebx
    call ap_puthex2
    mov $'\n', %al
    call ap_putc
    lock incl %es:UP
    movb $0, %es:LOCK
2:  hlt
    jmp 2b

    DEF_PUTC ap_putc
    DEF_PUTS ap_puts, ap_putc
    DEF_PUTHEX ap_puthex2, ap_putc, 2
ap_apic_id:
    .asciz "apic id "
ap_end:

    RESET_VECTOR start
