# The 8259 pair and the 8254 PIT, from flat 32-bit protected mode: counts
# timer interrupts taken in hlt, masks and unmasks, checks the EOI order
# of two requests, level- and edge-triggered inputs (the UART's THR-empty
# interrupt on IRQ 4), poll mode, automatic EOI, PIT channel 2 through
# port 0x61, the read-back command and BCD counting.  Every line it prints
# is a result; lines starting "hw:" are where QEMU 7.2 differs from the
# datasheet (docs/x86-tcg.md).  It ends with a known controller state for
# "info pic", prints "done" and halts with interrupts off.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set COUNTS, 0x2000         # 16 dwords: interrupts taken per IRQ
    .set ORDER, 0x2100          # the vectors, in the order taken
    .set ORDER_N, 0x20f8
    .set EOI_MODE, 0x20fc       # 1: the handler sends a non-specific EOI
    .set LEVEL_LIMIT, 0x20f4    # IRQ 4: disable the UART's interrupt here
    .set COM1_IER, COM1 + 1

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    # Vectors 0x20-0x2f: the 16-byte stubs below, interrupt gates.
    INSTALL_VECTOR_STUBS 0x20, 16
    lidt idt_ptr
    xor %eax, %eax
    mov $COUNTS, %edi
    mov $(0x200 / 4), %ecx
    rep stosl

    LAPIC_VIRTUAL_WIRE
    PIC_REMAP_IRQ0_ONLY
    PIT_1KHZ

    # Ten timer interrupts, each waited for in hlt.
    movl $1, EOI_MODE
1:  sti
    hlt
    cli
    cmpl $10, COUNTS
    jb 1b
    mov $s_ticks, %esi
    call puts

    # Masked, IRQ 0 stays requested in IRR and is not taken; unmasked,
    # it is taken at once.
    mov $0xff, %al
    out %al, $0x21
    mov COUNTS, %ebp
    call wait_irr0
    sti
    call delay
    cli
    cmp COUNTS, %ebp
    jne fail
    mov $s_masked, %esi
    call puts
    mov $0xfe, %al
    out %al, $0x21
    sti
    nop
    cli
    inc %ebp
    cmp COUNTS, %ebp
    jne fail
    mov $s_unmasked, %esi
    call puts

    # EOI order: IRQ 0 and IRQ 4 requested together; 0 is taken first
    # and, in service, holds 4 back until its specific EOI.
    movl $0, EOI_MODE
    movl $0, ORDER_N
    mov $0xee, %al              # IRQ 0 and 4
    out %al, $0x21
    call wait_irr0
    mov $COM1_IER, %dx
    mov $0x02, %al              # THR empty: IRQ 4 rises
    out %al, %dx
    sti
    call delay
    cli
    mov $0x0b, %al              # OCW3: read ISR
    out %al, $0x20
    in $0x20, %al
    movzbl %al, %ebx
    mov $s_isr, %esi
    call puts
    call puthex2
    mov $0xef, %al              # IRQ 0 masked: no new tick gets in
    out %al, $0x21
    mov $0x60, %al              # specific EOI, IRQ 0
    out %al, $0x20
    sti
    call delay
    cli
    in $0x20, %al
    movzbl %al, %ebx
    mov $s_isr, %esi
    call puts
    call puthex2
    mov $s_order, %esi
    call puts
    movzbl ORDER, %ebx
    call puthex2_digits
    mov $' ', %al
    call putc
    movzbl ORDER + 1, %ebx
    call puthex2
    mov $COM1_IER, %dx
    xor %al, %al
    out %al, %dx
    mov $0x20, %al              # non-specific EOI: IRQ 4
    out %al, $0x20
    mov $0x0a, %al              # OCW3: read IRR again
    out %al, $0x20

    # Level-triggered IRQ 4 (ELCR): taken again after every EOI while
    # the UART holds it; the handler lowers it on the fifth.  Edge
    # triggered, the same held line interrupts once.
    movl $1, EOI_MODE
    movl $5, LEVEL_LIMIT
    movl $0, COUNTS + 16
    mov $0x10, %al
    mov $0x4d0, %dx
    out %al, %dx
    mov $COM1_IER, %dx
    mov $0x02, %al
    out %al, %dx
    sti
    call delay
    cli
    mov COUNTS + 16, %ebx
    mov $s_level, %esi
    call puts
    call puthex2
    movl $0, LEVEL_LIMIT
    movl $0, COUNTS + 16
    xor %al, %al
    mov $0x4d0, %dx
    out %al, %dx
    mov $COM1_IER, %dx
    mov $0x02, %al
    out %al, %dx
    sti
    call delay
    cli
    mov COUNTS + 16, %ebx
    mov $s_edge, %esi
    call puts
    call puthex2
    mov $COM1_IER, %dx
    xor %al, %al
    out %al, %dx

    # Poll mode: the read is the acknowledge.
    mov $COM1_IER, %dx
    mov $0x02, %al
    out %al, %dx
    mov $0x0c, %al
    out %al, $0x20
    in $0x20, %al
    movzbl %al, %ebx
    mov $s_poll, %esi
    call puts
    call puthex2
    mov $0x0b, %al
    out %al, $0x20
    in $0x20, %al
    movzbl %al, %ebx
    mov $s_isr, %esi
    call puts
    call puthex2
    mov $0x20, %al
    out %al, $0x20
    mov $COM1_IER, %dx
    xor %al, %al
    out %al, %dx

    # Automatic EOI (ICW4 bit 1): ticks without any EOI.
    movl $0, EOI_MODE
    mov $0x11, %al
    out %al, $0x20
    mov $0x20, %al
    out %al, $0x21
    mov $0x04, %al
    out %al, $0x21
    mov $0x03, %al
    out %al, $0x21
    mov $0xfe, %al
    out %al, $0x21
    movl $0, COUNTS
1:  sti
    hlt
    cli
    cmpl $3, COUNTS
    jb 1b
    mov $0x0b, %al
    out %al, $0x20
    in $0x20, %al
    movzbl %al, %ebx
    mov $s_aeoi, %esi
    call puts
    call puthex2

    # Channel 2, mode 0, gated through port 0x61: OUT low while it
    # counts, high at terminal count; then the read-back status.
    mov $0x01, %al              # gate on, speaker off
    out %al, $0x61
    mov $0xb0, %al              # channel 2, lsb then msb, mode 0
    out %al, $0x43
    mov $(5966 & 0xff), %al     # 5 ms
    out %al, $0x42
    mov $(5966 >> 8), %al
    out %al, $0x42
    in $0x61, %al
    and $0x20, %al
    movzbl %al, %ebx
    mov $s_out2, %esi
    call puts
    call puthex2
1:  in $0x61, %al
    test $0x20, %al
    jz 1b
    and $0x23, %al
    movzbl %al, %ebx
    mov $s_port61, %esi
    call puts
    call puthex2
    mov $0xe8, %al              # read-back: status of channel 2
    out %al, $0x43
    in $0x42, %al
    movzbl %al, %ebx
    mov $s_status, %esi
    call puts
    call puthex2

    # BCD, gate low: mode 0 does not count (QEMU's does).
    xor %al, %al
    out %al, $0x61
    mov $0xb1, %al              # channel 2, lsb/msb, mode 0, BCD
    out %al, $0x43
    mov $0x99, %al
    out %al, $0x42
    out %al, $0x42
    call delay
    mov $0x80, %al              # latch channel 2
    out %al, $0x43
    in $0x42, %al
    mov %al, %bl
    in $0x42, %al
    mov %al, %bh
    movzwl %bx, %ebx
    mov $s_bcd, %esi
    call puts
    call puthex4

    # The state "info pic" is compared at: the timer stopped, both
    # controllers programmed again (special fully nested master), IMRs,
    # ELCRs, a rotated priority and OCW3 reading ISR.
    mov $0x30, %al              # channel 0: mode 0, no count
    out %al, $0x43
    # QEMU's PIT takes the new mode at its next transition (within the
    # 1 ms period): let 10 ms pass, on channel 1, before the ICW1s
    # clear IRR.
    mov $0x70, %al              # channel 1, lsb/msb, mode 0
    out %al, $0x43
    mov $(11932 & 0xff), %al
    out %al, $0x41
    mov $(11932 >> 8), %al
    out %al, $0x41
1:  mov $0xe4, %al              # read-back: status of channel 1
    out %al, $0x43
    in $0x41, %al
    test $0x80, %al
    jz 1b
    PIC_REMAP_IRQ0_ONLY
    mov $0x11, %al
    out %al, $0x20
    mov $0x20, %al
    out %al, $0x21
    mov $0x04, %al
    out %al, $0x21
    mov $0x11, %al              # ICW4: special fully nested
    out %al, $0x21
    mov $0xb8, %al
    out %al, $0x21
    mov $0xbf, %al
    out %al, $0xa1
    mov $0x20, %al
    mov $0x4d0, %dx
    out %al, %dx
    mov $0x0c, %al
    inc %dx
    out %al, %dx
    mov $0xc3, %al              # OCW2: IRQ 3 lowest priority
    out %al, $0x20
    mov $0x0b, %al
    out %al, $0x20
    mov $s_done, %esi
    call puts
    cli
2:  hlt
    jmp 2b

fail:
    mov $s_fail, %esi
    call puts
    EXIT 0x7f

# Waits until IRQ 0 is requested (IRR bit 0), interrupts off.
wait_irr0:
    mov $0x0a, %al
    out %al, $0x20
1:  in $0x20, %al
    test $1, %al
    jz 1b
    ret

# A few thousand instructions with whatever IF the caller left.
delay:
    mov $20000, %ecx
1:  dec %ecx
    jnz 1b
    ret

# The interrupt stubs: 16 bytes each, vector in %eax for the common part.
    DEF_VECTOR_STUBS 0x20, 16

common:
    push %ebx
    push %edx
    incl COUNTS - 0x20 * 4(,%eax,4)
    mov ORDER_N, %ebx
    mov %al, ORDER(%ebx)
    incl ORDER_N
    cmp $0x24, %eax
    jne 1f
    mov LEVEL_LIMIT, %ebx
    cmp %ebx, COUNTS + 16
    jne 1f
    mov $COM1_IER, %dx          # IRQ 4 goes low
    mov %al, %bl
    xor %al, %al
    out %al, %dx
    mov %bl, %al
1:  cmpl $0, EOI_MODE
    je 3f
    cmp $0x28, %al
    jb 2f
    mov $0x20, %al
    out %al, $0xa0
2:  mov $0x20, %al
    out %al, $0x20
3:  pop %edx
    pop %ebx
    pop %eax
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    # %ebx's low byte (word) in hex and a newline
    DEF_PUTHEX_LINE puthex2, putc, 2
    DEF_PUTHEX_LINE puthex4, putc, 4

idt_ptr:
    .word 0x30 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_ticks:    .asciz "pit: 10 ticks taken in hlt\n"
s_masked:   .asciz "masked: requested, not taken\n"
s_unmasked: .asciz "unmasked: taken at once\n"
s_isr:      .asciz "isr "
s_order:    .asciz "order "
s_level:    .asciz "level-triggered irq 4 taken "
s_edge:     .asciz "edge-triggered irq 4 taken "
s_poll:     .asciz "poll "
s_aeoi:     .asciz "auto-eoi: 3 ticks, isr "
s_out2:     .asciz "channel 2 counting, out "
s_port61:   .asciz "terminal count, port 0x61 "
s_status:   .asciz "channel 2 status "
s_bcd:      .asciz "hw: bcd count with gate low "
s_done:     .asciz "done\n"
s_fail:     .asciz "FAIL\n"

    RESET_VECTOR start
