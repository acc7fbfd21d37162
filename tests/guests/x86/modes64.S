# Long mode on tcg, without interrupt controllers: from the reset vector
# through 32-bit protected mode into 64-bit code (ENTER_LONG_MODE), then
#  - a write to a page that is not present: #PF through a 64-bit IDT gate
#    on its IST stack, with CR2 and the error code printed;
#  - a far jump to a 32-bit code segment (compatibility mode) and back;
#  - iretq to 64-bit user code (CPL 3, IOPL 3 so it can print), syscall
#    to LSTAR and sysretq back, a user read of a supervisor page (#PF
#    with the user bit in the error code, on the IST stack again), and
#    int 0x80 through a DPL 3 gate, on RSP0 from the 64-bit TSS;
# then exits with 1 (status 3).  Every step prints a line; a failed
# check prints what failed and exits with 0x7f.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set STACK, 0x90000             # kernel stack (CPL 0)
    .set RSP0_TOP, 0x80000          # TSS RSP0: int 0x80 from CPL 3
    .set IST1_TOP, 0x70000          # TSS IST1: #PF
    .set USER_STACK, 0x60000
    .set TSS, 0x5000
    .set RECOVER, 0x5800            # where the #PF handler resumes
    .set FAULTS, 0x5808             # how many #PF were taken
    .set UNMAPPED, 0x8000000000     # PML4 entry 1: not present
    .set SUPERVISOR, 0x40000000     # the 1 GiB alias: PDPT entry 1 has no U
    .set STAR_VALUE, (0x28 << 48) | (0x18 << 32)
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
    mov $hello32, %esi
    call puts32
    ENTER_LONG_MODE lm64

    .code64
lm64:
    lea hello64(%rip), %rsi
    call puts64

    # The TSS: RSP0 and IST1; its descriptor (0x40) is in the GDT.
    movq $RSP0_TOP, TSS + 4
    movq $IST1_TOP, TSS + 0x24
    mov $0x40, %ax
    ltr %ax

    # IDT: #PF (IST1), int 0x80 (DPL 3); everything else is absent.
    lea page_fault(%rip), %rax
    mov $14, %edi
    mov $0x8e01, %edx               # interrupt gate, DPL 0, IST 1
    call set_gate
    lea int80(%rip), %rax
    mov $0x80, %edi
    mov $0xee00, %edx               # interrupt gate, DPL 3
    call set_gate
    lidt idt_ptr(%rip)

    # A write to a page that is not present: P=0, W=1, U=0.
    lea 1f(%rip), %rax
    mov %rax, RECOVER
    movabs $UNMAPPED, %rdi
    movq $1, (%rdi)
    jmp fail
1:  cmpq $1, FAULTS
    jne fail

    # Compatibility mode: a 32-bit code segment while LMA stays on.
    ljmpl *to_compat(%rip)
    .code32
compat:
    mov $0xc0000080, %ecx
    rdmsr
    test $0x400, %eax               # LMA
    jz fail32
    mov $compat_msg, %esi
    call puts32
    ljmp $0x18, $back64
fail32:
    mov $failed, %esi
    call puts32
    EXIT 0x7f
    .code64
back64:
    # User-accessible tables for the first GiB only (the alias at 1 GiB
    # stays supervisor).
    orl $4, PML4
    orl $4, PDPT
    xor %ecx, %ecx
2:  orl $4, PD(,%rcx,8)
    inc %ecx
    cmp $512, %ecx
    jne 2b
    mov %cr3, %rax
    mov %rax, %cr3

    # syscall/sysret: EFER.SCE, STAR, LSTAR, FMASK (IF and DF).
    mov $0xc0000080, %ecx
    rdmsr
    or $1, %eax
    wrmsr
    mov $0xc0000081, %ecx
    movabs $STAR_VALUE, %rax
    mov %rax, %rdx
    shr $32, %rdx
    wrmsr
    mov $0xc0000082, %ecx
    lea syscall_entry(%rip), %rax
    xor %edx, %edx
    wrmsr
    mov $0xc0000084, %ecx
    mov $0x600, %eax
    wrmsr

    # To CPL 3: SS, RSP, RFLAGS (IOPL 3), CS, RIP.
    pushq $0x33
    pushq $USER_STACK
    pushq $0x3002
    pushq $0x3b
    lea user(%rip), %rax
    push %rax
    iretq

user:
    mov %cs, %ax
    and $3, %eax
    cmp $3, %eax
    jne fail
    lea user_msg(%rip), %rsi
    call puts64
    syscall
after_syscall:
    mov %cs, %ax
    cmp $0x3b, %ax
    jne fail
    lea sysret_msg(%rip), %rsi
    call puts64

    # A user read of a supervisor page: P=1, W=0, U=1.
    lea 3f(%rip), %rax
    mov %rax, RECOVER
    mov SUPERVISOR, %rax
    jmp fail
3:  cmpq $2, FAULTS
    jne fail
    mov %cs, %ax
    cmp $0x3b, %ax
    jne fail

    int $0x80
    jmp fail

syscall_entry:
    # CPL 0 with RCX = the return address and R11 = the user's RFLAGS.
    mov %cs, %ax
    cmp $0x18, %ax
    jne fail
    lea after_syscall(%rip), %rax
    cmp %rax, %rcx
    jne fail
    test $0x3000, %r11              # IOPL 3 came from the user's RFLAGS
    jz fail
    lea syscall_msg(%rip), %rsi
    call puts64
    sysretq

page_fault:
    # On the IST1 stack: error code, RIP, CS, RFLAGS, RSP, SS.
    cmp $IST1_TOP - 6 * 8, %rsp
    jne fail
    pop %rbx                        # the error code
    push %rbx
    lea pf_msg(%rip), %rsi
    call puts64
    mov %cr2, %rbx
    mov $16, %ecx
    call puthex64
    lea pf_err(%rip), %rsi
    call puts64
    pop %rbx
    mov $4, %ecx
    call puthex64
    mov $'\n', %al
    call putc64
    incq FAULTS
    mov RECOVER, %rax
    mov %rax, (%rsp)                # resume there
    iretq

int80:
    # From CPL 3 through the DPL 3 gate: on RSP0, the user's CS pushed.
    cmp $RSP0_TOP - 5 * 8, %rsp
    jne fail
    cmpq $0x3b, 8(%rsp)
    jne fail
    cmpq $0x33, 32(%rsp)
    jne fail
    lea int80_msg(%rip), %rsi
    call puts64
    EXIT 1

fail:
    lea failed(%rip), %rsi
    call puts64
    EXIT 0x7f

# set_gate: IDT entry %edi -> handler %rax, selector 0x18, %dx the type,
# DPL and IST word.
set_gate:
    shl $4, %edi
    add $IDT_BASE, %edi
    DEF_WRITE_GATE64 write_gate


    .code32
    DEF_PUTC putc32
    DEF_PUTS puts32, putc32
    .code64
    DEF_PUTC putc64
    DEF_PUTS puts64, putc64
    DEF_PUTHEX64 puthex64, putc64

to_compat:
    .long compat
    .word 0x08
idt_ptr:
    .word 0x81 * 16 - 1
    .quad IDT_BASE

# 0x08 32-bit code, 0x10 data, 0x18 64-bit code (what common.inc's macros
# use); 0x20 data (syscall's SS); 0x28 user 32-bit code, 0x30 user data,
# 0x38 user 64-bit code (sysret's); 0x40 the 64-bit TSS.
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
    .word 0x67, TSS & 0xffff
    .byte (TSS >> 16) & 0xff, 0x89, 0, TSS >> 24
    .quad 0
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

hello32:
    .asciz "32-bit protected mode\n"
hello64:
    .asciz "64-bit long mode\n"
compat_msg:
    .asciz "compatibility mode\n"
user_msg:
    .asciz "user mode\n"
syscall_msg:
    .asciz "syscall to cpl 0\n"
sysret_msg:
    .asciz "sysret to cpl 3\n"
pf_msg:
    .asciz "#PF on IST1 cr2="
pf_err:
    .asciz " err="
int80_msg:
    .asciz "int 0x80 from cpl 3 on rsp0\n"
failed:
    .asciz "long mode check failed\n"

    RESET_VECTOR start
