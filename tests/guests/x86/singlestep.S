# Single-step and the other debug traps in 32-bit protected mode, as the
# SDM describes them; each line lists the #DB traps taken, as " oo:dddd"
# (the EIP pushed, as an offset from the first instruction of the check,
# and DR6 & 0xf00f, cleared after each trap):
#  - EFLAGS.TF set by popf: no trap after that popf, then one after each
#    instruction (DR6.BS), pushf pushes TF, and the popf that clears TF
#    still traps after itself;
#  - mov ss and pop ss with TF: no trap after them; the instruction
#    after them (in their shadow) traps once for both;
#  - int1 (icebp, F1): #DB as a trap, after it, DR6 untouched (QEMU 7.2
#    raises #UD);
#  - a far jump to a TSS whose T bit is set: #DB in the new task before
#    its first instruction, DR6.BT (QEMU 7.2 ignores the bit).
# Exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set STACK, 0x90000
    .set STACK_B, 0x80000           # task B's
    .set IDT, 0x1000
    .set GDT_RAM, 0x2000            # ltr and the task switch write it
    .set TSS_A, 0x3000              # the task that runs first
    .set TSS_B, 0x3100
    .set LOG, 0x5000                # traps taken
    .set RECOVER, 0x5004
    .set SAVED_ESP, 0x5008
    .set LOG_ENTRIES, 0x5010        # EIP, DR6 of each

# Prints the string \text.
.macro SAY text
    mov $9f, %esi
    call puts
    jmp 8f
9:  .asciz "\text"
8:
.endm

# A fault other than #DB resumes at \label with the current stack.
.macro ON_FAULT label
    movl $\label, RECOVER
    mov %esp, SAVED_ESP
.endm

# Prints \text, then the traps logged since log_reset (EIPs as offsets
# from \base).
.macro SHOW_TRAPS text, base
    SAY "\text"
    mov $\base, %edi
    call print_log
.endm

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS STACK
    # every exception to fault_stubs, 32-bit interrupt gates
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $4, %eax
    add $fault_stubs, %eax
    mov %ax, IDT(,%ecx,8)
    movw $0x08, IDT + 2(,%ecx,8)
    movw $0x8e00, IDT + 4(,%ecx,8)
    shr $16, %eax
    mov %ax, IDT + 6(,%ecx,8)
    inc %ecx
    cmp $32, %ecx
    jne 1b
    lidt idt_ptr
    # the GDT in RAM with TSS A (0x20) and TSS B (0x28)
    mov $gdt, %esi
    mov $GDT_RAM, %edi
    mov $(gdt_end - gdt) / 4, %ecx
    rep movsl
    mov $tss_descriptors, %esi
    mov $4, %ecx
    rep movsl
    lgdt gdt_ram_ptr

    # ---- the trap flag through popf and pushf ----
    call log_reset
    pushf
    orl $0x100, (%esp)
    popf
tf:
    nop
    pushf
    pop %ebx
    push %ebx
    andl $~0x100, (%esp)
    popf
    nop
    push %ebx
    SHOW_TRAPS "popf sets TF, nop pushf pop push and popf clears it:", tf
    SAY "TF in the image pushf pushed: "
    pop %ebx
    shr $8, %ebx
    and $1, %ebx
    mov $1, %cl
    call puthex_n
    mov $'\n', %al
    call putc

    # ---- mov ss and pop ss hold the trap off ----
    call log_reset
    mov %ss, %eax
    pushf
    orl $0x100, (%esp)
    popf
movss:
    mov %eax, %ss
    nop
    push %ss
    pop %ss
    nop
    pushf
    andl $~0x100, (%esp)
    popf
    SHOW_TRAPS "mov ss nop push ss pop ss nop, then TF cleared:", movss

    # ---- int1 ----
    call log_reset
    ON_FAULT 1f
int1:
    .byte 0xf1
1:  SHOW_TRAPS "int1:", int1

    # ---- the TSS's T bit ----
    mov $TSS_A, %edi
    mov $0x200 / 4, %ecx            # both TSSs
    xor %eax, %eax
    rep stosl
    movw $0x68, TSS_A + 0x66        # no I/O bitmap
    movw $0x68, TSS_B + 0x66
    movl $task_b, TSS_B + 0x20      # EIP
    movl $2, TSS_B + 0x24           # EFLAGS
    movl $STACK_B, TSS_B + 0x38     # ESP
    movl $0x10, TSS_B + 0x48        # ES
    movl $0x08, TSS_B + 0x4c        # CS
    movl $0x10, TSS_B + 0x50        # SS
    movl $0x10, TSS_B + 0x54        # DS
    movl $0x10, TSS_B + 0x58        # FS
    movl $0x10, TSS_B + 0x5c        # GS
    movw $1, TSS_B + 0x64           # T
    mov $0x20, %ax
    ltr %ax
    call log_reset
    ljmp $0x28, $0

task_b:
    SHOW_TRAPS "jmp to a TSS with T set:", task_b
    SAY "task register: "
    str %ebx
    mov $4, %cl
    call puthex_n
    mov $'\n', %al
    call putc
    EXIT 1

log_reset:
    movl $0, LOG
    xor %eax, %eax
    mov %eax, %dr6
    ret

# Prints " oo:dddd" for each trap logged (EIP - %edi, DR6 & 0xf00f) and a
# newline.
print_log:
    xor %ecx, %ecx
1:  cmp LOG, %ecx
    je 2f
    push %ecx
    mov $' ', %al
    call putc
    mov (%esp), %ecx
    mov LOG_ENTRIES(,%ecx,8), %ebx
    sub %edi, %ebx
    mov $2, %cl
    call puthex_n
    mov $':', %al
    call putc
    mov (%esp), %ecx
    mov LOG_ENTRIES + 4(,%ecx,8), %ebx
    and $0xf00f, %ebx
    mov $4, %cl
    call puthex_n
    pop %ecx
    inc %ecx
    jmp 1b
2:  mov $'\n', %al
    call putc
    ret

# Exceptions: 16-byte stubs push the vector (and a 0 where the CPU pushes
# no error code).  #DB logs the EIP it pushed and DR6, clears DR6 and
# returns; anything else prints " #vv" and resumes at RECOVER.
    DEF_FAULT_STUBS fault_stubs, fault
fault:
    cmpl $1, (%esp)
    jne 1f
    push %eax
    push %ebx
    mov LOG, %eax
    mov 16(%esp), %ebx
    mov %ebx, LOG_ENTRIES(,%eax,8)
    mov %dr6, %ebx
    mov %ebx, LOG_ENTRIES + 4(,%eax,8)
    incl LOG
    xor %ebx, %ebx
    mov %ebx, %dr6
    pop %ebx
    pop %eax
    add $8, %esp
    iret
1:  SAY " #"
    mov (%esp), %ebx
    mov $2, %cl
    call puthex_n
    mov $'\n', %al
    call putc
    mov SAVED_ESP, %esp
    jmp *RECOVER

    DEF_PUTHEX_N puthex_n, putc
    DEF_PUTC putc
    DEF_PUTS puts, putc

idt_ptr:
    .word 32 * 8 - 1
    .long IDT
gdt_ram_ptr:
    .word 6 * 8 - 1
    .long GDT_RAM

    DEF_GDT
    # after DEF_GDT's four descriptors in RAM: 0x20 TSS A, 0x28 TSS B
    # (32-bit, available)
tss_descriptors:
    .word 0x67, TSS_A & 0xffff
    .byte (TSS_A >> 16) & 0xff, 0x89, 0, TSS_A >> 24
    .word 0x67, TSS_B & 0xffff
    .byte (TSS_B >> 16) & 0xff, 0x89, 0, TSS_B >> 24

    RESET_VECTOR start
