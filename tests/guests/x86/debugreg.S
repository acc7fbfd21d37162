# The debug registers beyond instruction and data breakpoints (sys32.S
# has those), from flat 32-bit protected mode: DR6 and DR7 after reset
# and after writes of their reserved bits, I/O breakpoints (DR7 R/W 10
# with CR4.DE: #DB as a trap after in, out, ins, outs that touch a port
# in DRn's range, DR6.Bn; each iteration of a rep outs), R/W 10 without
# CR4.DE, general detect (DR7.GD: #DB before a mov to or from a debug
# register, DR6.BD, GD clear in the handler) and DR4/DR5 (#UD with
# CR4.DE, else DR6/DR7).  Each probe prints how many #DB it took, where
# the last returned to (bytes after the probe's first instruction) and
# DR6 as the handler read it.  Lines starting "hw:" are where QEMU 7.2
# differs from the SDM (docs/x86-tcg.md).  Ends with "done" and exit 1.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set DB_COUNT, 0x2000
    .set DB_EIP, 0x2004         # where the last #DB returns to
    .set DB_DR6, 0x2008         # DR6 and DR7 in the last #DB handler
    .set DB_DR7, 0x200c
    .set RESUME, 0x2010         # where a #UD or #GP handler goes on
    .set BUF, 0x2100
    .set CR4_DE, 1 << 3
    .set DR7_GD, 1 << 13
    # DR0: I/O port 0x80, 1 byte; DR1: ports 0x84-0x87 (LEN 11)
    .set DR7_IO, 0x1 | 0x4 | (2 << 16) | (2 << 20) | (3 << 22)

# Runs the instructions from the label on with DB_COUNT 0, then prints
# name, the #DB count and, if any, where the last one returned to and
# its DR6.
.macro PROBE name, insns:vararg
    movl $0, DB_COUNT
    mov $start\@, %ebp
    jmp start\@
name\@:
    .asciz "\name"
start\@:
    \insns
    mov $name\@, %esi
    call report
.endm

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    INSTALL_VECTOR_STUBS 0, 32
    lidt idt_ptr

    # ---- DR6 and DR7: reset values and fixed bits ----
    mov %dr6, %ebx
    PRINT_HEX "dr6 after reset ", 8
    mov %dr7, %ebx
    PRINT_HEX "dr7 after reset ", 8
    xor %eax, %eax
    mov %eax, %dr6
    mov %dr6, %ebx
    PRINT_HEX "dr6 after writing 0 ", 8
    mov $0xffffffff, %eax
    mov %eax, %dr6
    mov %dr6, %ebx
    PRINT_HEX "hw: dr6 after writing ffffffff ", 8
    mov $0xdc00, %eax               # the reserved bits of DR7 but GD
    mov %eax, %dr7
    mov %dr7, %ebx
    PRINT_HEX "hw: dr7 after writing 0000dc00 ", 8
    mov $0xffff0ff0, %eax
    mov %eax, %dr6

    # ---- I/O breakpoints with CR4.DE ----
    mov %cr4, %eax
    or $CR4_DE, %eax
    mov %eax, %cr4
    mov $0x80, %eax
    mov %eax, %dr0
    mov $0x84, %eax
    mov %eax, %dr1
    mov $DR7_IO, %eax
    mov %eax, %dr7
    mov %dr7, %ebx
    PRINT_HEX "dr7 with two i/o breakpoints ", 8
    xor %eax, %eax
    PROBE "outb 0x80", out %al, $0x80
    PROBE "inb 0x80", in $0x80, %al
    PROBE "outw 0x7f", out %ax, $0x7f
    PROBE "outb 0x81", out %al, $0x81
    PROBE "outl 0x7c", out %eax, $0x7c
    mov $0x87, %dx
    PROBE "outb dx 0x87", out %al, %dx
    mov $0x88, %dx
    PROBE "inl dx 0x88", in %dx, %eax
    mov $0x80, %dx
    mov $BUF, %edi
    PROBE "insb 0x80", insb
    mov $0x86, %dx
    mov $BUF, %esi
    PROBE "outsw 0x86", outsw
    # each element is an access: a trap after each, back to the rep
    # until the count is done (QEMU traps once, past the rep)
    mov $0x80, %dx
    mov $BUF, %esi
    mov $3, %ecx
    PROBE "hw: rep outsb, 3 elements", rep outsb
    mov %ecx, %ebx
    PRINT_HEX "hw: ecx after it ", 1
    # R/W 10 without CR4.DE is undefined: emu breaks on nothing (QEMU
    # breaks as with it)
    mov %cr4, %eax
    and $~CR4_DE, %eax
    mov %eax, %cr4
    xor %eax, %eax
    PROBE "hw: outb 0x80 without cr4.de", out %al, $0x80

    # ---- general detect ----
    xor %eax, %eax
    mov %eax, %dr7
    mov $DR7_GD, %eax
    mov %eax, %dr7
    PROBE "hw: mov from dr0 with gd", mov %dr0, %eax
    mov DB_DR7, %ebx
    PRINT_HEX "hw: dr7 in the handler ", 8
    mov $DR7_GD, %eax
    mov %eax, %dr7
    mov $0x400, %eax
    PROBE "hw: mov to dr7 with gd", mov %eax, %dr7

    # ---- DR4 and DR5 ----
    mov $0x1, %eax                  # L0, an instruction breakpoint at 0
    mov %eax, %dr7
    mov %dr5, %ebx
    PRINT_HEX "dr5 without cr4.de: dr7 ", 8
    xor %eax, %eax
    mov %eax, %dr7
    mov %cr4, %eax
    or $CR4_DE, %eax
    mov %eax, %cr4
    mov $s_dr4, %esi
    call puts
    movl $1f, RESUME
    mov %dr4, %eax
    mov $s_no_ud, %esi
    call puts
1:
    mov $s_done, %esi
    call puts
    EXIT 0

# After a probe (start in %ebp, its name in %esi): "name: db N", and
# " at +NN dr6 XXXXXXXX" if it took a #DB.
report:
    call puts
    mov $s_db, %esi
    call puts
    mov DB_COUNT, %ebx
    call puthex1
    cmpl $0, DB_COUNT
    je 1f
    mov $s_at, %esi
    call puts
    mov DB_EIP, %ebx
    sub %ebp, %ebx
    call puthex2
    mov $s_dr6, %esi
    call puts
    mov DB_DR6, %ebx
    call puthex8
1:  mov $'\n', %al
    jmp putc

# #DB records where it returns to, DR6 and DR7, and clears DR6's B0-B3
# and BD; #UD and #GP print their vector and go on at RESUME; any other
# vector ends the run.
common:
    cmp $1, %eax
    je debug
    mov %eax, %ebx
    cmp $6, %eax
    je 1f
    cmp $13, %eax
    jne unexpected
    pop %eax                        # the error code goes
    mov %eax, (%esp)
1:  mov $s_vector, %esi
    call puts
    call puthex2
    mov $'\n', %al
    call putc
    mov RESUME, %eax
    mov %eax, 4(%esp)
    pop %eax
    iret
unexpected:
    mov %eax, %ebx
    mov $s_unexpected, %esi
    call puts
    call puthex2
    EXIT 2

debug:
    incl DB_COUNT
    mov 4(%esp), %eax
    mov %eax, DB_EIP
    mov %dr6, %eax
    mov %eax, DB_DR6
    mov %dr7, %eax
    mov %eax, DB_DR7
    mov $0xffff0ff0, %eax
    mov %eax, %dr6
    pop %eax
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex8, putc
    DEF_PUTHEX puthex2, putc, 2
    DEF_PUTHEX puthex1, putc, 1
    DEF_VECTOR_STUBS 0, 32

idt_ptr:
    .word 32 * 8 - 1
    .long IDT_BASE
    DEF_GDT
s_db:
    .asciz ": db "
s_at:
    .asciz " at +"
s_dr6:
    .asciz " dr6 "
s_vector:
    .asciz "vector "
s_dr4:
    .asciz "mov from dr4 with cr4.de: "
s_no_ud:
    .asciz "no #UD\n"
s_unexpected:
    .asciz "unexpected vector "
s_done:
    .asciz "done\n"

    RESET_VECTOR start
