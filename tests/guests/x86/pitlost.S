# The PIT's lost ticks (lost_tick_policy=delay, hw/timer/i8254.c), on
# -M pc: with the 8254 at 1 kHz the guest keeps interrupts off for
# 50 ms of TSC time (emu's TSC counts the virtual clock's nanoseconds),
# then enables them for a moment: the 50 ticks it missed must arrive one
# after the other, each after the EOI of the last, not merged into one.
# Then it waits in hlt and checks that it took every tick from the
# start: as many as the periods that have passed, give or take the
# few a late main loop has not delivered yet, and not more.  Done once
# through the 8259 (virtual wire, the 8259's EOI) and once through IOAPIC
# pin 2 (the local APIC's EOI).
# hpetlost.S assembles the same with HPET_TICK set: the tick is then the
# HPET's timer 0 in legacy replacement mode, periodic at 1 kHz in 32-bit
# mode as Linux programs it (hw/timer/hpet.c holds its ticks the same
# way).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set TICKS, 0x2000          # interrupts taken
    .set T0, 0x2008             # TSC after channel 0 started (64 bits)
    .set T0_EARLY, 0x2010       # TSC before it started
    .set IOAPIC, 0xfec00000
    .set EOI, LAPIC + 0xb0
.ifdef HPET_TICK
    .set HPET, 0xfed00000
    .set PERIOD_NS, 1000000     # 100000 ticks of 10 ns
.else
    .set PERIOD_NS, 999848      # 1193 / 1.193182 MHz, rounded up
.endif
    .set MISSED, 50             # periods with interrupts off
    .set SLACK, 3               # ticks due that a late main loop holds

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    mov $0x20, %ecx
    mov $pic_tick, %eax
    call set_gate
    mov $0x42, %ecx
    mov $ioapic_tick, %eax
    call set_gate
    lidt idt_ptr

    # Through the 8259: IRQ 0 on vector 0x20, LINT0 in ExtINT mode.
    PIC_REMAP_IRQ0_ONLY
    LAPIC_VIRTUAL_WIRE
    mov $s_pic, %esi
    call puts
    call lost_ticks

    # Through the IOAPIC: the 8259s masked, pin 2 edge, fixed, to APIC
    # 0, vector 0x42 (register 0x14, and 0x15 the destination).
    mov $0xff, %al
    out %al, $0x21
    movl $0x10000, LAPIC + 0x350     # LINT0 masked
    movl $0x15, IOAPIC
    movl $0, IOAPIC + 0x10
    movl $0x14, IOAPIC
    movl $0x42, IOAPIC + 0x10
    mov $s_ioapic, %esi
    call puts
    call lost_ticks
    mov $s_done, %esi
    call puts
    EXIT 0

# Starts the tick at 1 kHz and checks that every tick arrives, with
# interrupts off for MISSED periods first.
lost_ticks:
    movl $0, TICKS
.ifdef HPET_TICK
    movl $0, HPET + 0x10        # stopped, then the counter at 0
    movl $0, HPET + 0xf0
    movl $0, HPET + 0xf4
    # Timer 0: 32-bit, SETVAL, periodic, enabled, edge; the comparator
    # (with SETVAL: the first match) and then the period.
    movl $0x14c, HPET + 0x100
    movl $100000, HPET + 0x108
    movl $100000, HPET + 0x108
    rdtsc
    mov %eax, T0_EARLY
    mov %edx, T0_EARLY + 4
    movl $3, HPET + 0x10        # legacy replacement, counting
.else
    mov $0x34, %al              # channel 0, rate generator, LSB then MSB
    out %al, $0x43
    mov $(1193 & 0xff), %al
    out %al, $0x40
    rdtsc
    mov %eax, T0_EARLY
    mov %edx, T0_EARLY + 4
    mov $(1193 >> 8), %al       # the count is loaded: counting starts
    out %al, $0x40
.endif
    rdtsc
    mov %eax, T0
    mov %edx, T0 + 4

    # Interrupts off for MISSED periods (by T0: at least as many ticks
    # are due).
    mov $T0, %edi
1:  call periods
    cmp $MISSED, %eax
    jb 1b
    sti
    mov $10000, %ecx            # a moment: far less than a period
2:  dec %ecx
    jnz 2b
    cli
    cmpl $1, TICKS              # merged: one (the main loop may not have
    jbe 3f                      # run for all of them yet: not MISSED)
    mov $s_backlog, %esi
    call puts
    jmp 4f
3:  mov $s_merged, %esi
    call puts
    mov TICKS, %ebx
    call puthex8

    # From now on the count keeps up with the periods that pass: the
    # main loop may deliver the last few late (SLACK), a merge would
    # have lost MISSED - 1 for good.  Up to 2 s for it to show.
4:  call periods
    lea 2000(%eax), %ebx
    sti
5:  call periods
    cmp %ebx, %eax
    ja 7f
    sub $SLACK, %eax
    jb 6f
    cmp %eax, TICKS
    jae 6f
    hlt
    jmp 5b
6:  cli
    mov TICKS, %ebx
    mov $T0_EARLY, %edi
    call periods
    inc %eax                    # and none twice: not more than passed
                                # (+1: PERIOD_NS is rounded up)
    cmp %eax, %ebx
    ja 8f
    mov $s_all, %esi
    call puts
    ret
7:  cli
    mov $s_lost, %esi
    call puts
    mov TICKS, %ebx
    call puthex8
    ret
8:  mov $s_extra, %esi
    call puts
    call puthex8
    ret

# eax: whole periods since the TSC value at edi.  Clobbers edx, ecx.
periods:
    rdtsc
    sub (%edi), %eax
    sbb 4(%edi), %edx
    mov $PERIOD_NS, %ecx
    div %ecx
    ret

# IDT entry ecx: a 32-bit interrupt gate to eax.
set_gate:
    mov %ax, IDT_BASE(,%ecx,8)
    movw $0x08, IDT_BASE + 2(,%ecx,8)
    movw $0x8e00, IDT_BASE + 4(,%ecx,8)
    shr $16, %eax
    mov %ax, IDT_BASE + 6(,%ecx,8)
    ret

# Vector 0x20: the 8259's IRQ 0.
pic_tick:
    incl TICKS
    push %eax
    PIC_EOI
    pop %eax
    iret

# Vector 0x42: IOAPIC pin 2.
ioapic_tick:
    incl TICKS
    movl $0, EOI
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX_LINE puthex8, putc, 8

idt_ptr:
    .word 0x43 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_pic:      .asciz "8259:\n"
s_ioapic:   .asciz "ioapic pin 2:\n"
s_backlog:  .asciz "missed ticks taken one by one\n"
s_merged:   .asciz "missed ticks merged: taken "
s_all:      .asciz "every tick taken\n"
s_lost:     .asciz "ticks lost: taken "
s_extra:    .asciz "more ticks than periods: "
s_done:     .asciz "done\n"

    RESET_VECTOR start
