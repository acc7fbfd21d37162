# The system side of 32-bit protected mode on tcg, one line per check:
#  - a far call through a 32-bit call gate at the same level, and lret;
#  - lar, lsl, verr, verw on data, code, system and null selectors; arpl;
#    bound in and out of its bounds (#BR);
#  - the trap flag: #DB after each instruction from the one after popf
#    set it, with DR6.BS; an instruction breakpoint (DR0, DR7) with
#    DR6.B0, RF letting the instruction run after the handler; data
#    breakpoints (DR1-3: writes, reads and writes; 4, 2 and 8 bytes)
#    trapping after the access;
#  - task switches: a far jump to a TSS and back (busy bits), a far call
#    through a task gate (the back link, NT) and iret back, int through
#    a task gate in the IDT, CR0.TS after them;
#  - maskmovq and maskmovdqu, bytes stored where the mask says;
#  - monitor and mwait (#UD unless CPUID has them: -cpu qemu64,+monitor;
#    mwait then waits for the local APIC's timer interrupt);
#  - at CPL 3 (iret): a far call through a DPL 3 call gate to CPL 0
#    with two parameters (the stack of the TSS's SS0:ESP0, the caller's
#    SS:ESP, the parameters copied, CS:EIP), lret 8 back to CPL 3; a far
#    jump through a call gate to an inner level (#GP); verr of a DPL 0
#    segment.
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
    .set TSS_B, 0x5100              # task B (far jumps and calls)
    .set TSS_C, 0x5200              # task C (int 0x40)
    .set STACK_B, 0x50000
    .set STACK_C, 0x48000
    .set DB_COUNT, 0x5810           # single-step traps taken
    .set DB_EIPS, 0x5820            # ... at these EIPs
    .set TIMER_FIRED, 0x5814
    .set MASKMOV_BUF, 0x5900
    .set WATCH, 0x5a00              # data breakpoints' variables

# Prints " " and the low \digits nibbles of \reg (not ebx), then a newline.
.macro SHOW reg, digits
    mov \reg, %ebx
    mov $' ', %al
    call putc
    mov $\digits, %cl
    call puthex_n
    mov $'\n', %al
    call putc
.endm

# Prints " zf N" with ZF as it is, then a newline.
.macro SHOW_ZF
    setz %bl
    movzbl %bl, %ebx
    SAY " zf"
    SHOW %ebx, 1
.endm

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
    mov $debug, %eax
    mov $IDT_BASE + 8, %edi
    mov $0x8e00, %edx
    call write_gate
    lidt idt_ptr

    movl $KSTACK0, TSS + 4
    movl $0x10, TSS + 8
    mov $0x28, %ax
    ltr %ax

    # ---- lar, lsl, verr, verw, arpl, bound ----
    SAY "lar 10:"
    mov $0x10, %ecx
    xor %eax, %eax
    lar %ecx, %eax
    pushf
    SHOW %eax, 8
    popf
    SHOW_ZF
    SAY "lsl 10:"
    mov $0x10, %ecx
    lsl %ecx, %eax
    pushf
    SHOW %eax, 8
    popf
    SHOW_ZF
    SAY "lsl 28 (tss):"
    mov $0x28, %ecx
    lsl %ecx, %eax
    pushf
    SHOW %eax, 8
    popf
    SHOW_ZF
    SAY "lar 30 (call gate):"
    mov $0x30, %ecx
    lar %ecx, %eax
    pushf
    SHOW %eax, 8
    popf
    SHOW_ZF
    SAY "lsl 30 (call gate):"
    mov $0x12345678, %eax
    mov $0x30, %ecx
    lsl %ecx, %eax
    pushf
    SHOW %eax, 8
    popf
    SHOW_ZF
    SAY "lar 0:"
    xor %ecx, %ecx
    lar %ecx, %eax
    SHOW_ZF
    SAY "lar beyond the gdt:"
    mov $0x1f8, %ecx
    lar %ecx, %eax
    SHOW_ZF
    SAY "lar 1b, 16-bit:"
    mov $0x1b, %ecx
    mov $-1, %eax
    lar %cx, %ax
    pushf
    SHOW %eax, 8
    popf
    SHOW_ZF
    SAY "verr 08:"
    mov $0x08, %ax
    verr %ax
    SHOW_ZF
    SAY "verw 08:"
    verw %ax
    SHOW_ZF
    SAY "verw 10:"
    mov $0x10, %ax
    verw %ax
    SHOW_ZF
    SAY "arpl 10, 13:"
    mov $0x10, %ax
    mov $0x13, %dx
    arpl %dx, %ax
    pushf
    SHOW %eax, 4
    popf
    SHOW_ZF
    SAY "arpl again:"
    arpl %dx, %ax
    SHOW_ZF
    SAY "bound 15 in 10..20:"
    ON_FAULT 1f
    mov $15, %eax
    bound %eax, bounds
    SAY " ok\n"
1:
    SAY "bound 25 in 10..20:"
    ON_FAULT 1f
    mov $25, %eax
    bound %eax, bounds
    SAY " ok\n"
1:
    SAY "bound -1 in 10..20 (16-bit):"
    ON_FAULT 1f
    mov $-1, %ax
    bound %ax, bounds16
    SAY " ok\n"
1:

    # ---- the trap flag ----
    SAY "single-step:"
    movl $0, DB_COUNT
    pushf
    orl $0x100, (%esp)
    popf
step1:
    nop
step2:
    mov $1, %eax
step3:
    add %eax, %eax
step4:
    mov DB_COUNT, %eax
    SHOW %eax, 1
    SAY "trap eips:"
    mov DB_EIPS, %eax
    sub $step1, %eax
    SHOW %eax, 2
    SAY "          "
    mov DB_EIPS + 4, %eax
    sub $step1, %eax
    SHOW %eax, 2
    SAY "          "
    mov DB_EIPS + 8, %eax
    sub $step1, %eax
    SHOW %eax, 2
    SAY "dr6:"
    mov %dr6, %eax
    SHOW %eax, 8

    # ---- an instruction breakpoint (DR0, DR7.L0) ----
    SAY "breakpoint:"
    movl $0, DB_COUNT
    mov $0xffff0ff0, %eax
    mov %eax, %dr6
    mov $bp_target, %eax
    mov %eax, %dr0
    mov $1, %eax
    mov %eax, %dr7
    nop
bp_target:
    nop
    xor %eax, %eax
    mov %eax, %dr7
    mov DB_COUNT, %eax
    SHOW %eax, 1
    SAY "at bp_target +"
    mov DB_EIPS, %eax
    sub $bp_target, %eax
    SHOW %eax, 2
    SAY "dr6:"
    mov %dr6, %eax
    SHOW %eax, 8

    # ---- data breakpoints: DR1 writes of 4 bytes at WATCH, DR2 reads
    # and writes of 2 bytes at WATCH + 8, DR3 writes of 8 bytes at
    # WATCH + 16 (#DB traps after the access, DR6.Bn) ----
    SAY "data breakpoints:"
    movl $0, DB_COUNT
    mov $0xffff0ff0, %eax
    mov %eax, %dr6
    movl $0, WATCH
    mov $WATCH, %eax
    mov %eax, %dr1
    mov $WATCH + 8, %eax
    mov %eax, %dr2
    mov $WATCH + 16, %eax
    mov %eax, %dr3
    xor %ecx, %ecx
    # L1 L2 L3; R/W1 01 LEN1 11; R/W2 11 LEN2 01; R/W3 01 LEN3 10
    mov $(0x54 | (0xd << 20) | (0x7 << 24) | (0x9 << 28)), %eax
    mov %eax, %dr7
    inc %ecx                        # in the block of the access: once
    add %ecx, WATCH                 # DR1
dw1:
    inc %ecx
    mov WATCH, %eax                 # a read: DR1 does not break
    mov WATCH + 6, %eax             # DR2: its bytes are 8 and 9
dw2:
    movb $1, WATCH + 10             # beyond DR2
    movb $1, WATCH + 23             # DR3: the last of its 8 bytes
dw3:
    mov %ecx, WATCH + 32
    mov %dr6, %eax
    mov %eax, WATCH + 36
    # DR0: writes of 4 bytes at WATCH + 48, hit by the third iteration
    # of a rep stosl: the trap comes after it, at the rep (ECX 5 left)
    mov $WATCH + 48, %eax
    mov %eax, %dr0
    mov $(0x1 | (0xd << 16)), %eax
    mov %eax, %dr7
    mov $WATCH + 40, %edi
    mov $8, %ecx
    mov $0x77777777, %eax
dw4:
    rep stosl
    xor %eax, %eax
    mov %eax, %dr7
    movl $5, WATCH + 16             # disabled
    mov DB_COUNT, %eax
    SHOW %eax, 1
    SAY "at dw1, dw2, dw3 +"
    mov DB_EIPS, %eax
    sub $dw1, %eax
    SHOW %eax, 2
    SAY "                  "
    mov DB_EIPS + 4, %eax
    sub $dw2, %eax
    SHOW %eax, 2
    SAY "                  "
    mov DB_EIPS + 8, %eax
    sub $dw3, %eax
    SHOW %eax, 2
    SAY "rep stosl at dw4 +"
    mov DB_EIPS + 12, %eax
    sub $dw4, %eax
    SHOW %eax, 2
    SAY "ecx, watched word:"
    mov WATCH + 32, %eax
    SHOW %eax, 1
    SAY "                  "
    mov WATCH, %eax
    SHOW %eax, 8
    SAY "dr6:"
    mov WATCH + 36, %eax
    SHOW %eax, 8

    # ---- maskmovq, maskmovdqu (the x87 and SSE on) ----
    mov %cr0, %eax
    and $~0xc, %eax                 # EM, TS
    or $0x2, %eax                   # MP
    mov %eax, %cr0
    mov %cr4, %eax
    or $0x600, %eax                 # OSFXSR, OSXMMEXCPT
    mov %eax, %cr4
    mov $MASKMOV_BUF, %edi
    mov $0x11111111, %eax
    mov $6, %ecx
    rep stosl
    mov $MASKMOV_BUF, %edi
    movq mm_data, %mm0
    movq mm_mask, %mm1
    maskmovq %mm1, %mm0
    add $8, %edi
    movdqu xmm_data, %xmm0
    movdqu xmm_mask, %xmm1
    maskmovdqu %xmm1, %xmm0
    emms
    SAY "maskmovq, maskmovdqu:\n"
    xor %edi, %edi
1:  mov MASKMOV_BUF(,%edi,4), %eax
    SHOW %eax, 8
    inc %edi
    cmp $6, %edi
    jne 1b

    # ---- task switches ----
    mov $TSS_B, %edi
    mov $task_b, %eax
    mov $STACK_B, %edx
    call init_tss
    mov $TSS_C, %edi
    mov $task_c, %eax
    mov $STACK_C, %edx
    call init_tss
    # the task gate for int 0x40, DPL 0
    movl $0x00580000, IDT_BASE + 0x40 * 8
    movl $0x00008500, IDT_BASE + 0x40 * 8 + 4

    SAY "ljmp to tss 48:"
    ljmp $0x48, $0
    SAY " back by ljmp; tr"
    str %eax
    SHOW %eax, 4
    SAY "tss 48 type"
    movzbl GDT_RAM + 0x48 + 5, %eax
    SHOW %eax, 2
    SAY "cr0.ts"
    mov %cr0, %eax
    shr $3, %eax
    and $1, %eax
    SHOW %eax, 1
    clts
    SAY "lcall through task gate 50:"
    lcall $0x50, $0
    SAY " back by iret; tss 48 type"
    movzbl GDT_RAM + 0x48 + 5, %eax
    SHOW %eax, 2
    SAY "nt after iret"
    pushf
    pop %eax
    shr $14, %eax
    and $1, %eax
    SHOW %eax, 1
    SAY "int 0x40 through a task gate:"
    mov $0x4444, %eax
    int $0x40
    mov %eax, %edi
    SAY " back by iret; eax"
    SHOW %edi, 4
    SAY "task c link"
    movzwl TSS_C, %eax
    SHOW %eax, 4
    SAY "ljmp to a busy tss:"
    ON_FAULT 1f
    ljmp $0x28, $0
    SAY " no fault\n"
1:
    clts

    # ---- monitor and mwait ----
    SAY "monitor:"
    ON_FAULT 1f
    mov $TIMER_FIRED, %eax
    xor %ecx, %ecx
    xor %edx, %edx
    monitor
    SAY " ok\n"
    SAY "mwait with ecx 1:"
    ON_FAULT 2f
    mov $1, %ecx
    mwait
    SAY " ok\n"
2:
    # the local APIC's timer: one-shot, vector 0x41
    mov $0x41, %edi
    mov $timer, %eax
    lea IDT_BASE(,%edi,8), %edi
    mov $0x8e00, %edx
    call write_gate
    movl $0, TIMER_FIRED
    movl $0x1ff, LAPIC + 0xf0
    movl $0x0b, LAPIC + 0x3e0
    movl $0x41, LAPIC + 0x320
    movl $100000, LAPIC + 0x380
    SAY "mwait until the timer:"
    xor %ecx, %ecx
    xor %eax, %eax
    sti
    mwait
    cli
    mov TIMER_FIRED, %eax
    SHOW %eax, 1
1:

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
    SAY "verr 10 at cpl 3:"
    mov $0x10, %ax
    verr %ax
    SHOW_ZF
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

# Task B: first reached by a far jump, it jumps back; then by a call
# through the task gate, it returns with iret (NT set, linked back).
task_b:
    SAY " in task b, tr"
    str %eax
    SHOW %eax, 4
    SAY "tss 28 type"
    movzbl GDT_RAM + 0x28 + 5, %eax
    SHOW %eax, 2
    ljmp $0x28, $0
    SAY " in task b, link"
    movzwl TSS_B, %eax
    SHOW %eax, 4
    SAY "nt"
    pushf
    pop %eax
    shr $14, %eax
    and $1, %eax
    SHOW %eax, 1
    SAY "tss 28 type"
    movzbl GDT_RAM + 0x28 + 5, %eax
    SHOW %eax, 2
    iret
    jmp fail

# Task C: int 0x40's, with the interrupted task's eax untouched
task_c:
    cmp $0x4444, %eax
    je fail
    SAY " in task c;"
    iret
    jmp fail

# init_tss: a 32-bit TSS at %edi running %eax with stack %edx, flat
# segments, interrupts off.
init_tss:
    push %edi
    push %eax
    xor %eax, %eax
    mov $26, %ecx
    rep stosl
    pop %eax
    pop %edi
    mov %eax, 0x20(%edi)
    movl $0x2, 0x24(%edi)
    mov %edx, 0x38(%edi)
    movl $0x10, 0x48(%edi)
    movl $0x08, 0x4c(%edi)
    movl $0x10, 0x50(%edi)
    movl $0x10, 0x54(%edi)
    movl $0x10, 0x58(%edi)
    movl $0x10, 0x5c(%edi)
    movw $0x68, 0x66(%edi)
    ret

timer:
    movl $1, TIMER_FIRED
    movl $0, LAPIC + 0xb0
    iret

# #DB: counts single-step traps and breakpoints and records their EIPs;
# TF off after the third; RF set so that an instruction breakpoint lets
# its instruction run.
debug:
    orl $0x10000, 8(%esp)
    push %eax
    push %ebx
    mov DB_COUNT, %eax
    mov 8(%esp), %ebx
    mov %ebx, DB_EIPS(,%eax,4)
    inc %eax
    mov %eax, DB_COUNT
    cmp $3, %eax
    jb 1f
    andl $~0x100, 16(%esp)
1:  pop %ebx
    pop %eax
    iret

# Faults: 16-byte stubs push the vector (and a 0 where the CPU pushes no
# error code); the handler prints " #vv eeee" and resumes at RECOVER.
    DEF_FAULT_STUBS fault_stubs, fault
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

    DEF_PUTHEX_N puthex_n, putc

    DEF_PUTC putc
    DEF_PUTS puts, putc

idt_ptr:
    .word 0x42 * 8 - 1
    .long IDT_BASE
bounds:
    .long 10, 20
mm_data:
    .byte 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
mm_mask:
    .byte 0x80, 0x00, 0xff, 0x7f, 0x80, 0x80, 0x00, 0x81
xmm_data:
    .byte 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28
    .byte 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30
xmm_mask:
    .byte 0x00, 0x80, 0x00, 0x80, 0xc0, 0x40, 0xff, 0x01
    .byte 0x80, 0x80, 0x80, 0x80, 0x00, 0x00, 0x00, 0x90
bounds16:
    .word 10, 20

# 0x08 code, 0x10 data, 0x18 user code, 0x20 user data, 0x28 the TSS,
# 0x30-0x40 call gates (written in RAM), 0x48 task B's TSS, 0x50 a task
# gate to it, 0x58 task C's TSS.
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
    .word 0x67, TSS_B & 0xffff
    .byte (TSS_B >> 16) & 0xff, 0x89, 0, TSS_B >> 24
    .word 0, 0x48
    .byte 0, 0x85, 0, 0
    .word 0x67, TSS_C & 0xffff
    .byte (TSS_C >> 16) & 0xff, 0x89, 0, TSS_C >> 24
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    RESET_VECTOR start
