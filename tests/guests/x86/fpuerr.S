# How an unmasked x87 exception reaches its handler, on -M pc: with
# CR0.NE set as #MF (vector 16) at the next waiting instruction, the
# faulting instruction's FIP, FDP and FOP in the environment fnstenv
# stores; with CR0.NE clear through FERR#, which the chipset turns into
# IRQ 13 (the slave 8259's IRQ 5) and which an OUT to port 0xf0 answers
# with IGNNE#, so that the waiting instruction goes on.  Lines starting
# "hw:" are where QEMU 7.2 differs from the SDM and the PC/AT
# (docs/x86-tcg.md); the others print the same under QEMU.  Ends with
# "done" and exit 1.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set ENV, 0x2000            # what the #MF handler's fnstenv stores
    .set RET_EIP, 0x2040        # where the last #MF or IRQ 13 returns to
    .set IRQ13_COUNT, 0x2044
    .set IRQ13_FNCLEX, 0x2048   # 1: the IRQ 13 handler clears ES itself
    .set IRQ13_FSW, 0x204c      # FSW as the IRQ 13 handler saw it
    .set ZERO, 0x2050           # 0.0f
    .set CW, 0x2054
    .set CR0_NE, 1 << 5
    .set FCW_ZE_UNMASKED, 0x037b

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    INSTALL_VECTOR_STUBS 0, 48
    lidt idt_ptr
    movl $0, ZERO
    movl $0, IRQ13_COUNT
    movl $0, IRQ13_FNCLEX
    mov %cr0, %eax
    or $CR0_NE, %eax
    mov %eax, %cr0

    # CR0.NE set: #MF at the fwait, before it runs (the handler returns
    # to it); the environment holds the fdivs that divided by zero.
    call unmasked_zero_divide
fault_fdivs:
    fdivs ZERO
fault_fwait:
    fwait
    mov RET_EIP, %eax
    cmp $fault_fwait, %eax
    jne fail
    mov $s_mf, %esi
    call puts
    movzwl ENV + 4, %ebx
    call puthex4_line
    mov $s_fip, %esi
    cmpl $fault_fdivs, ENV + 12
    je 1f
    mov $s_fip_wrong, %esi
1:  call puts
    mov $s_fdp, %esi
    cmpl $ZERO, ENV + 20
    je 1f
    mov $s_fdp_wrong, %esi
1:  call puts
    mov $s_fop, %esi
    call puts
    movzwl ENV + 18, %ebx
    call puthex3
    mov $'\n', %al
    call putc

    # CR0.NE clear: the PIC's IRQ 13 instead, through FERR#.
    LAPIC_VIRTUAL_WIRE
    PIC_REMAP_IRQ0_ONLY
    mov $0xfb, %al                  # master: the cascade only
    out %al, $0x21
    mov $0xdf, %al                  # slave: IRQ 13
    out %al, $0xa1
    mov %cr0, %eax
    and $~CR0_NE, %eax
    mov %eax, %cr0
    sti

    # The IRQ 13 handler answers with an OUT to 0xf0 and leaves ES set:
    # the fwait, frozen until then, goes on with IGNNE#.
    call unmasked_zero_divide
    fdivs ZERO
irq_fwait:
    fwait
    jmp 1f                          # (QEMU takes the interrupt at the
1:  mov IRQ13_COUNT, %ebx           # end of the block)
    call puthex1
    mov $s_irq13, %esi
    call puts
    mov IRQ13_FSW, %ebx
    call puthex4_line
    mov $s_hw_frozen, %esi
    cmpl $irq_fwait, RET_EIP
    je 1f
    mov $s_hw_not_frozen, %esi
1:  call puts
    mov $s_went_on, %esi
    call puts
    fnstsw %ax
    movzwl %ax, %ebx
    call puthex4_line

    # Masked, a zero divide sets ZE and nothing else.
    fninit
    fld1
    fdivs ZERO
    fwait
    jmp 1f
1:  mov IRQ13_COUNT, %ebx
    call puthex1
    mov $s_masked, %esi
    call puts

    # fnclex drops FERR#, and with it IGNNE#: the next error is IRQ 13
    # again, now at an x87 instruction other than fwait; this handler
    # clears ES with fnclex.  (QEMU keeps IGNNE# until fldenv, frstor or
    # fxrstor, and waits only at fwait.)
    fnclex
    movl $1, IRQ13_FNCLEX
    call unmasked_zero_divide
    fdivs ZERO
irq_fld1:
    fld1
    jmp 1f
1:  mov $s_hw_second, %esi
    call puts
    mov IRQ13_COUNT, %ebx
    call puthex1
    mov $s_hw_at, %esi
    cmpl $irq_fld1, RET_EIP
    je 1f
    mov $s_hw_elsewhere, %esi
1:  call puts

    cli
    mov $s_done, %esi
    call puts
    EXIT 0

# fninit, zero divide unmasked, 1.0 on the stack.
unmasked_zero_divide:
    fninit
    movw $FCW_ZE_UNMASKED, CW
    fldcw CW
    fld1
    ret

# The vectors: 16 (#MF) and 0x2d (IRQ 13) expected, anything else ends
# the run.
common:
    cmp $16, %eax
    je mf
    cmp $0x2d, %eax
    je irq13
    mov %eax, %ebx
    mov $s_unexpected, %esi
    call puts
    call puthex2
    jmp fail

mf:
    mov 4(%esp), %eax
    mov %eax, RET_EIP
    fnstenv ENV
    fnclex
    pop %eax
    iret

irq13:
    mov 4(%esp), %eax
    mov %eax, RET_EIP
    incl IRQ13_COUNT
    fnstsw %ax
    movzwl %ax, %eax
    mov %eax, IRQ13_FSW
    cmpl $0, IRQ13_FNCLEX
    je 1f
    fnclex
1:  out %al, $0xf0                  # IGNNE#, IRQ 13 down
    mov $0x20, %al                  # EOI, slave and master
    out %al, $0xa0
    out %al, $0x20
    pop %eax
    iret

fail:
    cli
    mov $s_fail, %esi
    call puts
    EXIT 2

puthex4_line:
    call puthex4
    mov $'\n', %al
    jmp putc

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex4, putc, 4
    DEF_PUTHEX puthex3, putc, 3
    DEF_PUTHEX puthex2, putc, 2
    DEF_PUTHEX puthex1, putc, 1
    DEF_VECTOR_STUBS 0, 48

idt_ptr:
    .word 48 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_mf:
    .asciz "ne=1: #MF at the fwait, fsw "
s_fip:
    .asciz "fip: the fdivs\n"
s_fip_wrong:
    .asciz "fip: elsewhere\n"
s_fdp:
    .asciz "fdp: its operand\n"
s_fdp_wrong:
    .asciz "fdp: elsewhere\n"
s_fop:
    .asciz "hw: fop "
s_irq13:
    .asciz " irq 13 with ne=0, fsw "
s_hw_frozen:
    .asciz "hw: irq 13 returns to the fwait\n"
s_hw_not_frozen:
    .asciz "hw: irq 13 returns after the fwait\n"
s_went_on:
    .asciz "ignne: fwait went on, fsw "
s_masked:
    .asciz " irq 13 after a masked zero divide\n"
s_hw_second:
    .asciz "hw: after fnclex, irq 13 "
s_hw_at:
    .asciz " times, returning to the fld1\n"
s_hw_elsewhere:
    .asciz " times, returning elsewhere\n"
s_unexpected:
    .asciz "unexpected vector "
s_fail:
    .asciz "\nfail\n"
s_done:
    .asciz "done\n"

    RESET_VECTOR start
