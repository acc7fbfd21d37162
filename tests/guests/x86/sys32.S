# The system side of 32-bit protected mode on tcg, one line per check:
#  - a far call through a 32-bit call gate at the same level, and lret;
#  - at CPL 3 (iret): a far call through a DPL 3 call gate to CPL 0
#    with two parameters (the stack of the TSS's SS0:ESP0, the caller's
#    SS:ESP, the parameters copied, CS:EIP), lret 8 back to CPL 3; a far
#    jump through a call gate to an inner level (#GP).
# Faults print their vector and error code and resume at RECOVER with
# the stack pointer of SAVED_ESP.  Exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set STACK, 0x90000             # CPL 0
    .set KSTACK0, 0x80000           # the TSS's ESP0
    .set USER_STACK, 0x60000
    .set TSS, 0x5000
    .set RECOVER, 0x5800
    .set SAVED_ESP, 0x5804
    .set GDT_RAM, 0x6000
    .set GDT_PTR, 0x5f00

# Prints the string \text.
.macro SAY text
    mov $9f, %esi
    call puts
    jmp 8f
9:  .asciz "\text"
8:
.endm

# A fault resumes at \label with the current stack pointer.
.macro ON_FAULT label
    movl $\label, RECOVER
    mov %esp, SAVED_ESP
.endm

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS STACK
    SAY "32-bit protected mode\n"
    mov $gdt, %esi
    mov $GDT_RAM, %edi
    mov $(gdt_end - gdt), %ecx
    rep movsb
    movw $(gdt_end - gdt - 1), GDT_PTR
    movl $GDT_RAM, GDT_PTR + 2
    lgdt GDT_PTR
    # call gates: 0x30 DPL 0 no parameters, 0x38 DPL 3 two parameters,
    # 0x40 DPL 3 to the same target (for a far jump)
    mov $GDT_RAM + 0x30, %edi
    mov $same_level, %eax
    mov $0x8c00, %edx
    call write_gate
    mov $GDT_RAM + 0x38, %edi
    mov $inner_level, %eax
    mov $0xec02, %edx
    call write_gate
    mov $GDT_RAM + 0x40, %edi
    mov $inner_level, %eax
    mov $0xec00, %edx
    call write_gate

    # every exception to fault_stubs, 32-bit interrupt gates
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $4, %eax
    add $fault_stubs, %eax
    lea IDT_BASE(,%ecx,8), %edi
    mov $0x8e00, %edx
    call write_gate
    inc %ecx
    cmp $32, %ecx
    jne 1b
    lidt idt_ptr

    movl $KSTACK0, TSS + 4
    movl $0x10, TSS + 8
    mov $0x28, %ax
    ltr %ax

    SAY "lcall through a call gate:"
    mov %esp, %ebp
    lcall $0x30, $0
    cmp %esp, %ebp
    jne fail
    SAY " lret back\n"

    # To CPL 3 with IOPL 3: SS ESP EFLAGS CS EIP.
    pushl $0x23
    pushl $USER_STACK
    pushl $0x3002
    pushl $0x1b
    pushl $user
    iret

user:
    SAY "cpl 3; lcall through a gate with 2 parameters:"
    mov %esp, %ebp
    pushl $0x11111111
    pushl $0x22222222
    lcall $0x3b, $0
    cmp %esp, %ebp
    jne fail
    mov %cs, %ax
    cmp $0x1b, %ax
    jne fail
    SAY " lret 8 to cpl 3\n"
    SAY "ljmp through a gate to cpl 0:"
    ON_FAULT 1f
    ljmp $0x43, $0
    SAY " no fault\n"
1:
    SAY "done\n"
    EXIT 1

same_level:
    cmpl $0x08, 4(%esp)
    jne fail
    SAY " called"
    lret

inner_level:
    # the stack of the TSS: EIP CS, the parameters, ESP SS of CPL 3
    mov %ss, %ax
    cmp $0x10, %ax
    jne fail
    cmp $KSTACK0 - 6 * 4, %esp
    jne fail
    cmpl $0x1b, 4(%esp)
    jne fail
    cmpl $0x22222222, 8(%esp)
    jne fail
    cmpl $0x11111111, 12(%esp)
    jne fail
    lea -8(%ebp), %eax
    cmp 16(%esp), %eax
    jne fail
    cmpl $0x23, 20(%esp)
    jne fail
    SAY " cpl 0, parameters copied;"
    lret $8

fail:
    SAY "check failed\n"
    EXIT 0x7f

# Faults: 16-byte stubs push the vector (and a 0 where the CPU pushes no
# error code); the handler prints " #vv eeee" and resumes at RECOVER.
    .balign 16
fault_stubs:
    .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .balign 16
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17)
    push $\vec
    .else
    push $0
    push $\vec
    .endif
    jmp fault
    .endr
fault:
    SAY " #"
    mov (%esp), %ebx
    mov $2, %cl
    call puthex_n
    mov $' ', %al
    call putc
    mov 4(%esp), %ebx
    mov $4, %cl
    call puthex_n
    mov $'\n', %al
    call putc
    add $8, %esp
    mov RECOVER, %eax
    mov %eax, (%esp)
    # back to CPL 3: its ESP is in the frame; else ESP itself
    testl $3, 4(%esp)
    jz 2f
    mov SAVED_ESP, %eax
    mov %eax, 12(%esp)
    iret
2:  mov SAVED_ESP, %eax
    sub $12, %eax                   # EIP CS EFLAGS at the saved ESP
    mov (%esp), %ecx
    mov %ecx, (%eax)
    mov 4(%esp), %ecx
    mov %ecx, 4(%eax)
    mov 8(%esp), %ecx
    mov %ecx, 8(%eax)
    mov %eax, %esp
    iret

# write_gate: the gate at %edi -> 0x08:%eax, %dx its type, DPL and
# parameter count word.
write_gate:
    mov %ax, (%edi)
    movw $0x08, 2(%edi)
    mov %dx, 4(%edi)
    shr $16, %eax
    mov %ax, 6(%edi)
    ret

# puthex_n: prints the low %cl nibbles of %ebx.
puthex_n:
    push %ecx
    mov $8, %ch
    sub %cl, %ch
    shl $2, %ch
    mov %ch, %cl
    shl %cl, %ebx
    pop %ecx
1:  rol $4, %ebx
    mov %bl, %al
    and $0xf, %al
    add $'0', %al
    cmp $'9', %al
    jbe 2f
    add $('a' - '0' - 10), %al
2:  push %ecx
    call putc
    pop %ecx
    dec %cl
    jnz 1b
    ret

    DEF_PUTC putc
    DEF_PUTS puts, putc

idt_ptr:
    .word 32 * 8 - 1
    .long IDT_BASE

# 0x08 code, 0x10 data, 0x18 user code, 0x20 user data, 0x28 the TSS,
# 0x30-0x40 call gates (written in RAM).
    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00cffa000000ffff
    .quad 0x00cff2000000ffff
    .word 0x67, TSS & 0xffff
    .byte (TSS >> 16) & 0xff, 0x89, 0, TSS >> 24
    .quad 0, 0, 0
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    RESET_VECTOR start
