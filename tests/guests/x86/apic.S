# The local APIC and the IOAPIC, from flat 32-bit protected mode with
# -smp 2: the APIC timer in one-shot, periodic and TSC-deadline modes
# (interrupts waited for in hlt), the UART's IRQ 4 routed through the
# IOAPIC (edge, then level-triggered with remote IRR and the EOI
# broadcast), and a fixed IPI to the AP (started with INIT-SIPI-SIPI),
# which answers with an IPI back.  Every line it prints is a result; it
# ends with a known APIC state for "info lapic" and "info pic", prints
# "done" and halts with interrupts off.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set COUNTS, 0x2000         # 32 dwords: interrupts per vector 0x40-0x5f
    .set AP_READY, 0x2100
    .set TRAMPOLINE, 0x8000     # SIPI vector 0x08
    .set IOAPIC, 0xfec00000
    .set COM1_IER, COM1 + 1
    .set EOI, LAPIC + 0xb0
    .set ICR, LAPIC + 0x300
    .set ICR2, LAPIC + 0x310
    .set LVTT, LAPIC + 0x320
    .set TIMER_INIT, LAPIC + 0x380
    .set TIMER_CURRENT, LAPIC + 0x390
    .set TIMER_DCR, LAPIC + 0x3e0

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    INSTALL_VECTOR_STUBS 0x40, 32
    lidt idt_ptr
    xor %eax, %eax
    mov $COUNTS, %edi
    mov $(0x104 / 4), %ecx
    rep stosl
    mov $0xff, %al              # the 8259s masked: the APICs only
    out %al, $0x21
    out %al, $0xa1

    movl $0x1ff, LAPIC + 0xf0   # software enable, spurious vector 0xff
    movl $0xb, TIMER_DCR        # divide by 1

    # One-shot: one interrupt, then the count stays 0.
    movl $0x40, LVTT
    movl $1000000, TIMER_INIT
1:  sti
    hlt
    cli
    cmpl $1, COUNTS
    jb 1b
    call delay
    mov TIMER_CURRENT, %ebx
    mov $s_oneshot, %esi
    call puts
    call puthex8

    # One-shots of a single tick, 1000 of them, each run out before the
    # write is done with them (when the clock moves on between the two):
    # every interrupt comes all the same (emu used to drop some, and a
    # guest waiting for one waited forever).
    mov $1000, %ebx
2:  movl $0, COUNTS
    movl $1, TIMER_INIT
1:  sti
    hlt
    cli
    cmpl $1, COUNTS
    jb 1b
    dec %ebx
    jnz 2b
    mov $s_tick, %esi
    call puts

    # Periodic: five interrupts, then masked.
    movl $0, COUNTS
    movl $0x20040, LVTT
    movl $200000, TIMER_INIT
1:  sti
    hlt
    cli
    cmpl $5, COUNTS
    jb 1b
    movl $0x30040, LVTT
    mov $s_periodic, %esi
    call puts

    # TSC deadline: one interrupt when the TSC passes the deadline
    # (QEMU 7.2's tcg never fires it: the wait is bounded).
    movl $0, COUNTS
    movl $0x40040, LVTT
    rdtsc
    add $1000000, %eax
    adc $0, %edx
    mov $0x6e0, %ecx
    wrmsr
    sti
    mov $100000000, %ecx
1:  cmpl $1, COUNTS
    je 2f
    dec %ecx
    jnz 1b
2:  cli
    mov COUNTS, %ebx
    mov $s_deadline, %esi
    call puts
    call puthex8
    mov $0x6e0, %ecx            # disarmed once it fired
    rdmsr
    mov %eax, %ebx
    or %edx, %ebx
    mov $s_deadline2, %esi
    call puts
    call puthex8
    movl $0x30040, LVTT

    # IOAPIC pin 4 (the UART), edge triggered, vector 0x44 to APIC 0.
    movl $0, COUNTS + 4 * 4
    movl $0x19, IOAPIC          # redirection entry 4, high: APIC 0
    movl $0, IOAPIC + 0x10
    movl $0x18, IOAPIC
    movl $0x44, IOAPIC + 0x10
    mov $COM1_IER, %dx
    mov $0x02, %al              # THR empty: IRQ 4 rises
    out %al, %dx
    sti
    call delay
    cli
    mov COUNTS + 4 * 4, %ebx
    mov $s_edge, %esi
    call puts
    call puthex8
    mov $COM1_IER, %dx
    xor %al, %al
    out %al, %dx

    # Level triggered: sent again after each EOI while the line is up
    # (the handler lowers it on the third), remote IRR clear at the end.
    movl $0, COUNTS + 4 * 4
    movl $0x18, IOAPIC
    movl $0x8044, IOAPIC + 0x10
    mov $COM1_IER, %dx
    mov $0x02, %al
    out %al, %dx
    sti
    call delay
    cli
    mov COUNTS + 4 * 4, %ebx
    mov $s_level, %esi
    call puts
    call puthex8
    mov IOAPIC + 0x10, %ebx
    mov $s_rte, %esi
    call puts
    call puthex8

    # Start the AP; IPI 0x50 to it, which answers with 0x51.
    WAKE_APS ap_start, ap_start_end, TRAMPOLINE
    mov $1000000000, %ecx
1:  cmpl $1, AP_READY
    je 2f
    dec %ecx
    jnz 1b
    mov $s_lost, %esi
    call puts
    EXIT 0x7f
2:  movl $0x01000000, ICR2
    movl $0x4050, ICR           # fixed, vector 0x50, to APIC 1
1:  sti
    hlt
    cli
    cmpl $1, COUNTS + 0x11 * 4
    jb 1b
    mov $s_ipi, %esi
    call puts

    # The state compared with QEMU: TPR 0x20, LINT0 ExtINT, LINT1 NMI,
    # the timer periodic and masked with no count, pin 4 masked.
    movl $0x700, LAPIC + 0x350
    movl $0x400, LAPIC + 0x360
    movl $0x30040, LVTT
    movl $0, TIMER_INIT
    movl $0x20, LAPIC + 0x80
    movl $0x18, IOAPIC
    movl $0x18044, IOAPIC + 0x10
    movl $0x03, IOAPIC          # IOREGSEL left at the version
    mov $s_done, %esi
    call puts
    cli
2:  hlt
    jmp 2b

# A few thousand instructions with whatever IF the caller left.
delay:
    mov $200000, %ecx
1:  dec %ecx
    jnz 1b
    ret

# The AP, in 32-bit mode: its APIC on, IPIs taken in hlt.
ap32:
    FLAT_SEGMENTS 0x80000
    lidt idt_ptr
    movl $0x1ff, LAPIC + 0xf0
    movl $1, AP_READY
1:  sti
    hlt
    jmp 1b

# Interrupt stubs for vectors 0x40-0x5f, 16 bytes each.
    DEF_VECTOR_STUBS 0x40, 32

common:
    push %edx
    incl COUNTS - 0x40 * 4(,%eax,4)
    cmp $0x44, %eax
    jne 1f
    cmpl $3, COUNTS + 4 * 4     # level test: lower IRQ 4 on the third
    jne 2f
    mov $COM1_IER, %dx
    xor %al, %al
    out %al, %dx
    jmp 2f
1:  cmp $0x50, %eax             # the AP answers the BSP's IPI
    jne 2f
    movl $0, ICR2
    movl $0x4051, ICR
2:  movl $0, EOI
    pop %edx
    pop %eax
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX_LINE puthex8, putc, 8

idt_ptr:
    .word 0x60 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_oneshot:  .asciz "one-shot: 1 interrupt, current count "
s_tick:     .asciz "one-shot of 1 tick: 1000 times, 1 interrupt each\n"
s_periodic: .asciz "periodic: 5 interrupts\n"
s_deadline: .asciz "hw: tsc-deadline: interrupts "
s_deadline2: .asciz "hw: tsc-deadline: deadline after it "
s_edge:     .asciz "ioapic pin 4 edge: interrupts "
s_level:    .asciz "ioapic pin 4 level: interrupts "
s_rte:      .asciz "redirection entry 4 "
s_lost:     .asciz "the AP did not come up\n"
s_ipi:      .asciz "ipi 0x50 to cpu 1, answered with 0x51\n"
s_done:     .asciz "done\n"

# The AP trampoline, copied to 0x8000: to ap32 in the ROM.
    DEF_AP_TRAMPOLINE_PM32 ap_start, ap32

    RESET_VECTOR start
