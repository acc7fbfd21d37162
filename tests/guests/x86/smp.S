# -smp 2: the bootstrap processor enters flat 32-bit mode, copies the AP
# trampoline from the ROM to 0x8000 (a start-up IPI can only point below
# 1 MiB), wakes the other processors with INIT-SIPI-SIPI through its local
# APIC and waits for them.  Every processor prints "apic id N" (N from
# CPUID leaf 1, EBX[31:24]) holding a spinlock around the UART.
#
# Then both processors at once (the AP in real mode, the BSP in 32-bit
# mode) update shared counters ROUNDS times each with every form of
# locked read-modify-write, and with plain increments inside spinlocks
# taken by xchg and by lock bts; the BSP waits for the AP, prints the
# counters (each 2 * ROUNDS if every update was atomic), then "2 cpus
# up", and exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set TRAMPOLINE, 0x8000     # SIPI vector 0x08
    .set LOCK, 0x7000           # RAM: UART spinlock (byte)
    .set UP, 0x7004             # RAM: processors that have printed
    .set AP_STACK, 0x7a00
    .set ROUNDS, 20000
    .set C_INC, 0x7010          # lock inc
    .set C_XADD, 0x7014         # lock xadd
    .set C_CAS, 0x7018          # lock cmpxchg loop
    .set C_XCHG, 0x701c         # plain inc under the xchg spinlock
    .set C_BTS, 0x7020          # plain inc under the lock bts spinlock
    .set C_8B, 0x7024           # lock cmpxchg8b loop (64 bits, misaligned)
    .set C_W, 0x702c            # lock add, 16 bits
    .set C_DEC, 0x7030          # lock dec (ends at -2 * ROUNDS)
    .set C_ADC, 0x7034          # lock adc 0 with CF set
    .set C_SBB, 0x7038          # lock sbb -2 with CF set
    .set L_XCHG, 0x703c
    .set L_BTS, 0x7040
    .set AP_DONE, 0x7044
    .set COUNTERS_END, 0x7048

# Both processors' share of the work: every update adds 1 (C_DEC takes
# 1), whatever the mode; ES is 0 in both.  Clobbers eax-edx, ebp.
.macro CONTEND
    mov $ROUNDS, %ebp
100:
    lock incl %es:C_INC
    mov $1, %eax
    lock xaddl %eax, %es:C_XADD
    mov %es:C_CAS, %eax
101:
    lea 1(%eax), %edx
    lock cmpxchgl %edx, %es:C_CAS
    jnz 101b
102:
    mov $1, %al
    xchg %al, %es:L_XCHG
    test %al, %al
    jz 103f
    pause
    jmp 102b
103:
    incl %es:C_XCHG
    movb $0, %es:L_XCHG
104:
    lock btsl $0, %es:L_BTS
    jnc 105f
    pause
    jmp 104b
105:
    incl %es:C_BTS
    lock btrl $0, %es:L_BTS
    mov %es:C_8B, %eax
    mov %es:C_8B + 4, %edx
106:
    mov %eax, %ebx
    mov %edx, %ecx
    add $1, %ebx
    adc $0, %ecx
    lock cmpxchg8b %es:C_8B
    jnz 106b
    lock addw $1, %es:C_W
    lock decl %es:C_DEC
    stc
    lock adcl $0, %es:C_ADC
    stc
    lock sbbl $-2, %es:C_SBB
    dec %ebp
    jnz 100b
.endm
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    movb $0, LOCK
    movl $1, UP
    mov $C_INC, %edi
    mov $((COUNTERS_END - C_INC) / 4), %ecx
    xor %eax, %eax
    rep stosl
    WAKE_APS ap_start, ap_end, TRAMPOLINE

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
3:  CONTEND
    mov $1000000000, %ecx
4:  cmpl $1, AP_DONE
    je 5f
    dec %ecx
    jnz 4b
    mov $lost, %esi
    call puts
    EXIT 0x7f
5:  mov $counters, %esi
    call puts
    mov $C_INC, %edi
6:  mov (%edi), %ebx
    call puthex8
    mov $' ', %al
    call putc
    add $4, %edi
    cmp $L_XCHG, %edi
    jne 6b
    mov $'\n', %al
    call putc
    mov $all_up, %esi
    call puts
    EXIT 1

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex2, putc, 2
    DEF_PUTHEX puthex8, putc, 8
    DEF_GDT
apic_id:
    .asciz "apic id "
lost:
    .asciz "the AP did not come up\n"
counters:
    .asciz "counters "
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
    CONTEND
    movl $1, %es:AP_DONE
2:  hlt
    jmp 2b

    DEF_PUTC ap_putc
    DEF_PUTS ap_puts, ap_putc
    DEF_PUTHEX ap_puthex2, ap_putc, 2
ap_apic_id:
    .asciz "apic id "
ap_end:

    RESET_VECTOR start
