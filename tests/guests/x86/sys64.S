# The system side of long mode on tcg, one line per check: from the
# reset vector into 64-bit code (ENTER_LONG_MODE), then
#  - non-canonical addresses: a load (#GP), a push and an rbp-based
#    operand (stack references: #SS), a jump (#GP at the fetch), a
#    canonical but unmapped one (#PF), wrmsr of a non-canonical FS base,
#    a mov to DR7 with a bit of its upper half set (#GP);
#  - CR8 and the local APIC's TPR, each seen through the other;
#  - rdtscp with TSC_AUX, the FS/GS base instructions with CR4.FSGSBASE
#    (both #UD unless CPUID has them: -cpu qemu64,+rdtscp,+fsgsbase);
#  - far jumps, calls and returns with 64-bit operands (REX.W, m16:64
#    through memory, to an offset above 4 GiB), a 32-bit far call into
#    compatibility mode and its 32-bit lret, a far jump through a
#    64-bit call gate;
#  - at CPL 3 (iretq): a far call through a 64-bit call gate to CPL 0
#    (RSP0 from the TSS, SS:RSP CS:RIP in 8-byte slots) and lretq back;
#    sysenter and sysexitq (an Intel model such as kvm64; AMD's have no
#    sysenter in long mode: #UD).
# Faults go through IST1 to a handler that prints the vector and error
# code and resumes at RECOVER with the stack pointer of SAVED_RSP.  Exits
# with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set STACK, 0x90000             # kernel stack (CPL 0)
    .set RSP0_TOP, 0x80000          # TSS RSP0: the call gate from CPL 3
    .set IST1_TOP, 0x70000          # TSS IST1: every fault
    .set USER_STACK, 0x60000
    .set TSS, 0x5000
    .set RECOVER, 0x5800            # where the fault handler resumes
    .set SAVED_RSP, 0x5808          # ... with this stack pointer
    .set PD_HIGH, 0x13000           # maps 3-4 GiB (the local APIC)
    .set GDT_RAM, 0x6000            # the GDT, copied to RAM for the gates
    .set GDT_PTR, 0x5f00
    .set NONCANONICAL, 0x0000800000000000
    .set HIGH_HALF, 0xffff800000000000  # canonical, not mapped
    .set MSR_FS_BASE, 0xc0000100
    .set MSR_TSC_AUX, 0xc0000103
    .set MSR_SYSENTER_CS, 0x174
    .set MSR_SYSENTER_ESP, 0x175
    .set MSR_SYSENTER_EIP, 0x176
    .set ABOVE_4G, 0x100000000      # PDPT entry 4 aliases the first GiB

# Prints the string \text.
.macro SAY text
    lea 9f(%rip), %rsi
    call puts64
    jmp 8f
9:  .asciz "\text"
8:
.endm

# A fault resumes at \label with the current stack pointer.
.macro ON_FAULT label
    lea \label(%rip), %rax
    mov %rax, RECOVER
    mov %rsp, SAVED_RSP
.endm

# Prints " " and the low \digits nibbles of \reg, then a newline.
.macro SHOW reg, digits
    mov \reg, %rbx
    mov $' ', %al
    call putc64
    mov $\digits, %ecx
    call puthex64
    mov $'\n', %al
    call putc64
.endm

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $STACK, %esp
    ENTER_LONG_MODE lm64

    .code64
lm64:
    SAY "64-bit long mode\n"
    # The GDT in RAM, with its two call gates.
    lea gdt(%rip), %rsi
    mov $GDT_RAM, %edi
    mov $(gdt_end - gdt), %ecx
    rep movsb
    movw $(gdt_end - gdt - 1), GDT_PTR
    movq $GDT_RAM, GDT_PTR + 2
    lgdt GDT_PTR
    lea gate_call_target(%rip), %rax
    mov $GDT_RAM + 0x58, %edi
    mov $0xec00, %edx               # 64-bit call gate, DPL 3
    call write_gate
    lea gate_jmp_target(%rip), %rax
    mov $GDT_RAM + 0x68, %edi
    mov $0x8c00, %edx               # DPL 0
    call write_gate
    movq $RSP0_TOP, TSS + 4
    movq $IST1_TOP, TSS + 0x24
    mov $0x48, %ax
    ltr %ax
    lea fault_ud(%rip), %rax
    mov $6, %edi
    call set_gate
    lea fault_ss(%rip), %rax
    mov $12, %edi
    call set_gate
    lea fault_gp(%rip), %rax
    mov $13, %edi
    call set_gate
    lea fault_pf(%rip), %rax
    mov $14, %edi
    call set_gate
    lidt idt_ptr(%rip)

    # User pages for the first GiB, its alias at 4 GiB, and 3-4 GiB
    # (the local APIC) uncached.
    orl $4, PML4
    movl $(PD | 7), PDPT + 0
    movl $(PD | 7), PDPT + 8
    movl $(PD_HIGH | 3), PDPT + 24
    movl $(PD | 7), PDPT + 32
    xor %ecx, %ecx
1:  orl $4, PD(,%rcx,8)
    mov %ecx, %eax
    shl $21, %eax
    add $0xc0000000, %eax
    or $0x93, %eax                  # present, writable, PCD, 2 MiB
    mov %eax, PD_HIGH(,%rcx,8)
    movl $0, PD_HIGH + 4(,%rcx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b
    mov %cr3, %rax
    mov %rax, %cr3

    # ---- non-canonical addresses ----
    SAY "non-canonical load:"
    ON_FAULT 1f
    movabs $NONCANONICAL, %rax
    mov (%rax), %rbx
    SAY " no fault\n"
1:
    SAY "non-canonical push:"
    ON_FAULT 1f
    movabs $NONCANONICAL + 8, %rsp
    push %rax
    mov SAVED_RSP, %rsp
    SAY " no fault\n"
1:
    SAY "non-canonical rbp operand:"
    ON_FAULT 1f
    movabs $-NONCANONICAL - 0x10000, %rbp
    mov 8(%rbp), %rax
    SAY " no fault\n"
1:
    SAY "non-canonical rsi operand:"
    ON_FAULT 1f
    movabs $-NONCANONICAL - 0x10000, %rsi
    mov 8(%rsi), %rax
    SAY " no fault\n"
1:
    SAY "non-canonical jump:"
    ON_FAULT 1f
    movabs $NONCANONICAL + 0x1000, %rax
    jmp *%rax
1:
    SAY "unmapped high half:"
    ON_FAULT 1f
    movabs $HIGH_HALF, %rax
    mov (%rax), %rbx
    SAY " no fault\n"
1:
    SAY "wrmsr non-canonical FS base:"
    ON_FAULT 1f
    mov $MSR_FS_BASE, %ecx
    mov $0x8000, %edx
    xor %eax, %eax
    wrmsr
    SAY " ok\n"
1:
    SAY "mov to dr7 with bit 32 set:"
    ON_FAULT 1f
    mov $0x100000400, %rax
    mov %rax, %dr7
    SAY " ok\n"
1:

    # ---- CR8 and the TPR ----
    mov $LAPIC, %r15d
    SAY "cr8 = 5, tpr"
    mov $5, %eax
    mov %rax, %cr8
    mov 0x80(%r15), %eax
    SHOW %rax, 2
    SAY "tpr = 0x30, cr8"
    movl $0x30, 0x80(%r15)
    mov %cr8, %rax
    SHOW %rax, 2
    SAY "cr8 = 0x10:"
    ON_FAULT 1f
    mov $0x10, %eax
    mov %rax, %cr8
    SAY " ok, tpr"
    mov 0x80(%r15), %eax
    SHOW %rax, 2
1:
    xor %eax, %eax
    mov %rax, %cr8

    # ---- rdtscp and the FS/GS base instructions ----
    mov $MSR_TSC_AUX, %ecx
    xor %edx, %edx
    mov $0x12345, %eax
    wrmsr
    SAY "rdtscp:"
    ON_FAULT 1f
    xor %ecx, %ecx
    rdtscp
    SHOW %rcx, 8
1:
    SAY "rdfsbase without CR4.FSGSBASE:"
    ON_FAULT 1f
    rdfsbase %rax
    SAY " ok\n"
1:
    SAY "CR4.FSGSBASE:"
    ON_FAULT 1f
    mov %cr4, %rax
    or $0x10000, %eax
    mov %rax, %cr4
    SAY " set\n"
    SAY "wrfsbase, rdfsbase"
    movabs $0x123456789abc, %rax
    wrfsbase %rax
    rdfsbase %rbx
    SHOW %rbx, 12
    SAY "FS_BASE MSR"
    mov $MSR_FS_BASE, %ecx
    rdmsr
    shl $32, %rdx
    or %rdx, %rax
    SHOW %rax, 12
    SAY "rdfsbase 32-bit"
    mov $-1, %rbx
    rdfsbase %ebx
    SHOW %rbx, 16
    SAY "wrgsbase non-canonical:"
    ON_FAULT 1f
    movabs $NONCANONICAL, %rax
    wrgsbase %rax
    SAY " ok\n"
1:

    # ---- far transfers with 64-bit operands ----
    SAY "rex.w ljmp m16:64 to"
    rex.W ljmp *far_high(%rip)
far_high_target:
    lea 0(%rip), %rax
    shr $32, %rax
    SHOW %rax, 8
    lea 1f(%rip), %rax
    mov $0xffffffff, %ecx
    and %rcx, %rax                  # back below 4 GiB
    jmp *%rax
1:
    SAY "rex.w lcall m16:64:"
    mov %rsp, %rbp
    rex.W lcall *far_call64(%rip)
    cmp %rsp, %rbp
    jne fail
    SAY " lretq back\n"

    SAY "lcall m16:32 to compatibility mode:"
    lcall *far_compat(%rip)
    cmp %rsp, %rbp
    jne fail
    SAY " lret back\n"

    SAY "ljmp through a 64-bit call gate:"
    ljmp *gate_jmp(%rip)
gate_jmp_back:

    # ---- CPL 3 ----
    mov $MSR_SYSENTER_CS, %ecx
    xor %edx, %edx
    mov $0x18, %eax
    wrmsr
    mov $MSR_SYSENTER_ESP, %ecx
    mov $STACK, %eax
    wrmsr
    mov $MSR_SYSENTER_EIP, %ecx
    lea sysenter_entry(%rip), %rax
    wrmsr
    pushq $0x33
    pushq $USER_STACK
    pushq $0x3002                   # IOPL 3: the user prints
    pushq $0x3b
    lea user(%rip), %rax
    push %rax
    iretq

user:
    SAY "cpl 3; lcall through a call gate:"
    mov %rsp, %rbp
    lcall *gate_call(%rip)
    cmp %rsp, %rbp
    jne fail
    mov %cs, %ax
    cmp $0x3b, %ax
    jne fail
    SAY " lretq to cpl 3\n"
    SAY "sysenter:"
    ON_FAULT after_sysexit
    sysenter
    jmp fail
user_after_sysexit:
    mov %cs, %ax
    cmp $0x3b, %ax
    jne fail
    mov %ss, %ax
    cmp $0x43, %ax
    jne fail
    SAY " sysexitq to cpl 3\n"
after_sysexit:
    SAY "done\n"
    EXIT 1

sysenter_entry:
    mov %cs, %ax
    cmp $0x18, %ax
    jne fail
    mov %ss, %ax
    cmp $0x20, %ax
    jne fail
    cmp $STACK, %rsp
    jne fail
    SAY " cpl 0;"
    lea user_after_sysexit(%rip), %rdx
    mov $USER_STACK, %ecx
    sysexitq

far_call64_target:
    # CS and RIP in 8-byte slots
    cmpq $0x18, 8(%rsp)
    jne fail
    lea 16(%rsp), %rax
    cmp %rax, %rbp
    jne fail
    SAY " called"
    lretq

gate_jmp_target:
    mov %cs, %ax
    cmp $0x18, %ax
    jne fail
    SAY " at cpl 0\n"
    jmp gate_jmp_back

gate_call_target:
    # from CPL 3 on RSP0: RIP, CS, RSP, SS in 8-byte slots, a null SS
    cmp $RSP0_TOP - 4 * 8, %rsp
    jne fail
    cmpq $0x3b, 8(%rsp)
    jne fail
    cmp 16(%rsp), %rbp
    jne fail
    cmpq $0x33, 24(%rsp)
    jne fail
    mov %ss, %ax
    test $0xfffc, %ax
    jnz fail
    mov %cs, %ax
    cmp $0x18, %ax
    jne fail
    SAY " cpl 0, ss:rsp cs:rip pushed;"
    lretq

    .code32
compat_target:
    # 32-bit code: CS and EIP in 4-byte slots on the same stack
    cmpl $0x18, 4(%esp)
    jne fail32
    lea 8(%esp), %eax
    cmp %eax, %ebp
    jne fail32
    mov $compat_msg, %esi
    call puts32
    lret
fail32:
    EXIT 0x7f
    .code64

fail:
    SAY "check failed\n"
    EXIT 0x7f

# The faults: 16-byte frames with the vector on top of the error code.
fault_ud:
    pushq $0
    pushq $6
    jmp fault
fault_ss:
    pushq $12
    jmp fault
fault_gp:
    pushq $13
    jmp fault
fault_pf:
    pushq $14
fault:
    mov (%rsp), %rax
    lea names(%rip), %rsi
    cmp $6, %eax
    je 1f
    add $6, %rsi
    cmp $12, %eax
    je 1f
    add $6, %rsi
    cmp $13, %eax
    je 1f
    add $6, %rsi
1:  call puts64
    cmpq $6, (%rsp)
    je 2f
    mov 8(%rsp), %rbx
    mov $4, %ecx
    call puthex64
    cmpq $14, (%rsp)
    jne 2f
    SAY " cr2="
    mov %cr2, %rbx
    mov $16, %ecx
    call puthex64
2:  mov $'\n', %al
    call putc64
    mov RECOVER, %rax
    mov %rax, 16(%rsp)
    mov SAVED_RSP, %rax
    mov %rax, 40(%rsp)
    add $16, %rsp
    iretq

# set_gate: IDT entry %edi -> handler %rax, an interrupt gate on IST1.
set_gate:
    shl $4, %edi
    add $IDT_BASE, %edi
    mov $0x8e01, %edx
    DEF_WRITE_GATE64 write_gate


    .code32
    DEF_PUTC putc32
    DEF_PUTS puts32, putc32
    .code64
    DEF_PUTC putc64
    DEF_PUTS puts64, putc64
    DEF_PUTHEX64 puthex64, putc64

far_high:
    .quad ABOVE_4G + far_high_target
    .word 0x18
far_call64:
    .quad far_call64_target
    .word 0x18
far_compat:
    .long compat_target
    .word 0x08
gate_jmp:
    .long 0                         # the gate's offset counts
    .word 0x68
gate_call:
    .long 0
    .word 0x5b                      # the DPL 3 gate, RPL 3
idt_ptr:
    .word 0x20 * 16 - 1
    .quad IDT_BASE

# 0x08 32-bit code, 0x10 data, 0x18 64-bit code (common.inc's), 0x20
# data (sysenter's SS); 0x28 user 32-bit code, 0x30 user data, 0x38
# user 64-bit code, 0x40 user data (sysexitq's SS); 0x48 the 64-bit
# TSS; 0x58 a DPL 3 call gate, 0x68 a DPL 0 one.
    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00cffa000000ffff
    .quad 0x00cff2000000ffff
    .quad 0x00affa000000ffff
    .quad 0x00cff2000000ffff
    .word 0x67, TSS & 0xffff
    .byte (TSS >> 16) & 0xff, 0x89, 0, TSS >> 24
    .quad 0
    .quad 0, 0                      # call gates, written in RAM
    .quad 0, 0
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

names:                              # 6 bytes each
    .ascii " #UD\0\0 #SS \0 #GP \0 #PF \0"
compat_msg:
    .asciz " in compatibility mode;"

    RESET_VECTOR start
