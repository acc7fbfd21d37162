# The PC's HPET at 0xfed00000 (-M pc, firmware: -bios hpet.bin): its
# capabilities, the main counter (stopped, written, running at 100 MHz
# against the PIT's channel 2, stopped again), timer 0 periodic through
# IOAPIC pin 2 (the route QEMU's timers offer), then in legacy
# replacement mode timer 1 one-shot and level-triggered on IRQ 8 (pin
# 8), a 32-bit one-shot across the wrap of the counter's low half, the
# PIT's IRQ 0 cut off, timer 0 on IRQ 0 (pin 2) and timer 1 on IRQ 8.
# Lines starting "hw:" are where emu follows the specification rather
# than QEMU (QEMU takes a comparator more than 2^31 ticks ahead for one
# in the past and fires at once; it stores a route the timer does not
# offer).
# Exits with 0 (status 1).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set COUNTS, 0x2000         # interrupts per vector 0x40-0x4f
    .set LAST_STATUS, 0x2040    # the status register the handler cleared
    .set IOAPIC, 0xfec00000
    .set EOI, LAPIC + 0xb0
    .set HPET, 0xfed00000
    .set CAP, HPET + 0x000
    .set CFG, HPET + 0x010
    .set STATUS, HPET + 0x020
    .set COUNTER, HPET + 0x0f0
    .set T0_CFG, HPET + 0x100
    .set T0_CMP, HPET + 0x108
    .set T1_CFG, HPET + 0x120
    .set T1_CMP, HPET + 0x128
    .set T2_CFG, HPET + 0x140
    .set TN_LEVEL, 0x02
    .set TN_INT, 0x04
    .set TN_PERIODIC, 0x08
    .set TN_SETVAL, 0x40
    .set TN_32BIT, 0x100
    .set TN_ROUTE2, 2 << 9
    .set MS, 100000             # counter ticks in a millisecond

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    INSTALL_VECTOR_STUBS 0x40, 16
    lidt idt_ptr
    xor %eax, %eax
    mov $COUNTS, %edi
    mov $17, %ecx
    rep stosl
    IOAPIC_ONLY
    mov $2, %ecx                # pins 2 and 8: edge, vectors 0x42, 0x48
    mov $0x42, %eax
    call set_pin
    mov $8, %ecx
    mov $0x48, %eax
    call set_pin

    # Capabilities: ID and period, then each timer's.
    mov $s_cap, %esi
    call puts
    mov CAP, %ebx
    call puthex8_digits
    call space
    mov CAP + 4, %ebx
    call puthex8
    mov $s_t0cfg, %esi
    mov $T0_CFG, %edi
    call print_pair
    mov $s_t2cfg, %esi
    mov $T2_CFG, %edi
    call print_pair

    # The main counter: stopped at 0, written, running, stopped.
    mov $s_stopped, %esi
    call puts
    mov COUNTER, %ebx
    call puthex8
    movl $0x12345678, COUNTER
    movl $1, COUNTER + 4
    mov $s_written, %esi
    call puts
    mov COUNTER + 4, %ebx
    call puthex8_digits
    call space
    mov COUNTER, %ebx
    call puthex8
    movl $0, COUNTER
    movl $0, COUNTER + 4
    movl $1, CFG                # ENABLE_CNF
    call rate_check
    jc 1f
    mov $s_rate, %esi
    call puts
1:  movl $0, CFG
    mov COUNTER, %eax
    mov COUNTER, %ebx
    cmp %eax, %ebx
    jne 2f
    mov $s_halted, %esi
    call puts

    # Timer 0 periodic, 1 ms, edge, to pin 2.
2:  movl $1, CFG
    mov COUNTER, %eax
    add $MS, %eax
    movl $(TN_PERIODIC | TN_SETVAL | TN_32BIT | TN_ROUTE2 | TN_INT), T0_CFG
    mov %eax, T0_CMP
    movl $MS, T0_CMP            # the period
    sti
3:  cmpl $5, COUNTS + 2 * 4
    jb 3b
    cli
    movl $0, T0_CFG
    mov $s_periodic, %esi
    call puts

    # Legacy replacement from here: timer 1 drives IRQ 8 (pin 8), and
    # the PIT (which QEMU's runs from power-on) is off pin 2.
    # Timer 1 one-shot, level, 32-bit, to pin 8 made level: one
    # interrupt whose status bit the handler clears, none after.
    movl $3, CFG                # ENABLE_CNF | LEG_RT_CNF
    mov $8, %ecx
    mov $0x8048, %eax
    call set_pin
    mov COUNTER, %eax
    add $(MS / 2), %eax
    movl $(TN_LEVEL | TN_32BIT | TN_INT), T1_CFG
    mov %eax, T1_CMP
    sti
    mov $(COUNTS + 8 * 4), %edi
    mov $1, %ecx
    call wait_count
    cli
    movl $0, T1_CFG
    mov $s_oneshot, %esi
    call puts
    mov COUNTS + 8 * 4, %ebx
    call puthex2_digits
    mov $s_status, %esi
    call puts
    mov LAST_STATUS, %ebx
    call puthex8

    # A 32-bit one-shot whose match is past the wrap of the low half:
    # an interrupt at the wrap, one at the match (QEMU's reading of the
    # specification).
    movl $0, COUNTS + 8 * 4
    mov $8, %ecx
    mov $0x48, %eax
    call set_pin
    movl $0, CFG
    movl $(0x100000000 - MS), COUNTER
    movl $0, COUNTER + 4
    movl $(TN_32BIT | TN_INT), T1_CFG
    movl $(500 * MS), T1_CMP    # far apart: a late host merges neither
    movl $3, CFG
    sti
    mov $(COUNTS + 8 * 4), %edi
    mov $2, %ecx
    call wait_count
    cli
    movl $0, T1_CFG
    mov $s_wrap, %esi
    call puts
    mov COUNTS + 8 * 4, %ebx
    call puthex2

    # Out of legacy replacement the PIT's IRQ 0 reaches pin 2 through
    # the HPET, until legacy replacement takes the line again.
    movl $1, CFG
    PIT_1KHZ
    movl $0, COUNTS + 2 * 4
    sti
    mov $(COUNTS + 2 * 4), %edi
    mov $3, %ecx
    call wait_count
    cli
    cmpl $3, COUNTS + 2 * 4
    jb 4f
    mov $s_pit, %esi
    call puts
4:  movl $3, CFG
    sti                         # what came before the switch
    nop
    cli
    movl $0, COUNTS + 2 * 4
    movl $0, COUNTS + 8 * 4
    sti
    mov $(50 * MS), %eax
    call wait_ticks
    cli
    mov $s_pit_off, %esi
    call puts
    mov COUNTS + 2 * 4, %ebx
    call puthex2

    # Timer 0 on IRQ 0 (pin 2), timer 1 on IRQ 8 (pin 8), periodic.
    mov COUNTER, %eax
    add $MS, %eax
    movl $(TN_PERIODIC | TN_SETVAL | TN_32BIT | TN_INT), T0_CFG
    mov %eax, T0_CMP
    movl $MS, T0_CMP
    movl $(TN_PERIODIC | TN_SETVAL | TN_32BIT | TN_INT), T1_CFG
    mov %eax, T1_CMP
    movl $MS, T1_CMP
    sti
5:  cmpl $3, COUNTS + 2 * 4
    jb 5b
6:  cmpl $3, COUNTS + 8 * 4
    jb 6b
    cli
    movl $0, T0_CFG
    movl $0, T1_CFG
    mov $s_legacy, %esi
    call puts

    # A route the timer does not offer (GSI 3) is not taken; QEMU
    # stores it.
    movl $(3 << 9), T2_CFG
    mov $s_route, %esi
    call puts
    mov T2_CFG, %ebx
    call puthex8
    mov $s_done, %esi
    call puts
    EXIT 0

# IOAPIC pin ecx: the low half of its entry eax, to APIC 0.
set_pin:
    lea 0x11(,%ecx,2), %edx
    mov %edx, IOAPIC
    movl $0, IOAPIC + 0x10
    dec %edx
    mov %edx, IOAPIC
    mov %eax, IOAPIC + 0x10
    ret

# Until the HPET's counter has gone eax ticks further (interrupts as
# the caller left them).  Clobbers eax, edx.
wait_ticks:
    add COUNTER, %eax
1:  mov COUNTER, %edx
    cmp %eax, %edx
    js 1b
    ret

# Until the count at edi reaches ecx (or two seconds have passed, for a
# busy host's late timers), then 5 ms more for any interrupt too many.
wait_count:
    mov COUNTER, %esi
1:  cmp %ecx, (%edi)
    jae 2f
    mov COUNTER, %eax
    sub %esi, %eax
    cmp $(2000 * MS), %eax
    jb 1b
2:  mov $(5 * MS), %eax
    jmp wait_ticks

# CF clear if the counter ran at 100 MHz against the PIT's channel 2
# (mode 0, 1.193182 MHz, its count latched right after each counter
# read): over 10 ms by the counter, the PIT counted
# ticks * 1193182 / 100000000 (within 1%).  Tried again if the host
# stalled the guest past the channel's 55 ms.
rate_check:
    mov $0x01, %al              # gate on, speaker off
    out %al, $0x61
    mov $0xb0, %al              # channel 2, lsb then msb, mode 0
    out %al, $0x43
    mov $0xff, %al
    out %al, $0x42
    out %al, $0x42
    mov COUNTER, %esi
    call pit2_count
    mov %eax, %edi
    mov %esi, %eax
    add $(10 * MS), %eax
    call wait_ticks
    mov COUNTER, %ecx
    call pit2_count
    sub %esi, %ecx              # counter ticks
    cmp $(50 * MS), %ecx
    ja rate_check
    sub %eax, %edi              # PIT ticks (it counts down)
    mov %ecx, %eax
    mov $1193182, %edx
    mul %edx
    mov $100000000, %ecx
    div %ecx                    # the PIT ticks expected
    mov %eax, %ecx
    shr $7, %ecx                # ~0.8%
    inc %ecx
    sub %edi, %eax
    jns 1f
    neg %eax
1:  cmp %eax, %ecx              # CF: |expected - counted| > ecx
    ret

# eax: channel 2's count, latched.
pit2_count:
    mov $0x80, %al              # counter latch, channel 2
    out %al, $0x43
    in $0x42, %al
    mov %al, %ah
    in $0x42, %al
    xchg %al, %ah
    movzwl %ax, %eax
    ret

# Prints the string at esi, then the two halves at edi (high first).
print_pair:
    call puts
    mov 4(%edi), %ebx
    call puthex8_digits
    call space
    mov (%edi), %ebx
    jmp puthex8

space:
    mov $' ', %al
    jmp putc

# Interrupt stubs for vectors 0x40-0x4f, 16 bytes each.
    DEF_VECTOR_STUBS 0x40, 16

common:
    incl COUNTS - 0x40 * 4(,%eax,4)
    mov STATUS, %eax            # a level interrupt: end it at the HPET
    test %eax, %eax
    jz 1f
    mov %eax, LAST_STATUS
    mov %eax, STATUS
1:  movl $0, EOI
    pop %eax
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX_LINE puthex8, putc, 8
    DEF_PUTHEX_LINE puthex2, putc, 2

idt_ptr:
    .word 0x50 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_cap:      .asciz "capabilities "
s_t0cfg:    .asciz "timer 0 "
s_t2cfg:    .asciz "timer 2 "
s_stopped:  .asciz "counter stopped "
s_written:  .asciz "counter written "
s_rate:     .asciz "counter runs at 100 MHz\n"
s_halted:   .asciz "counter stops\n"
s_periodic: .asciz "timer 0 periodic: 5 interrupts\n"
s_oneshot:  .asciz "hw: legacy: timer 1 one-shot level on irq 8: interrupts "
s_status:   .asciz ", status "
s_wrap:     .asciz "legacy: 32-bit one-shot across the wrap: interrupts "
s_pit:      .asciz "pit through the hpet\n"
s_pit_off:  .asciz "legacy: pit interrupts "
s_legacy:   .asciz "legacy: timer 0 on irq 0, timer 1 on irq 8\n"
s_route:    .asciz "hw: timer 2 route 3 refused: "
s_done:     .asciz "done\n"

    RESET_VECTOR start
