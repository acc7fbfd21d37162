# Self-modifying code that writes into the instructions right after the
# store, in the same translation block: the CPU runs what the store wrote
# (stores are visible to the instructions that follow them, SDM 11.6).
# Each routine is copied from ROM to RAM and called twice with different
# values, so a stale translation of the first call would show too.
#  - real mode (CS 0x0700): the vector of the "int" after the store
#    ("movb %al, %cs:1f+1; 1: int $0", as iPXE reissues an interrupt in
#    real mode), the immediate of the "mov" after the store, and
#    "rep stosb" writing nops over the "inc"s after it;
#  - 32-bit protected mode: the immediate after a "mov" store, after a
#    "push" (the stack pointer moves once), after an "xchg" with memory
#    (a locked access), and an opcode rewritten by "rep movsb".
# Prints one line per call; exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set RM_SEG, 0x0700             # real-mode routine at 0x7000
    .set PM_RAM, 0x8000             # protected-mode routine
    .set RESULTS, 0x9000            # its results, 4 words
    .set NEW_CODE, 0x9100           # the bytes "rep movsb" copies
    .set STACK, 0x90000

start:
    REAL_MODE_START
    # IVT: vectors 0x00, 0x40 and 0x41 say which one ran in %bp.
    xor %ax, %ax
    mov %ax, %es
    movw $(vec00 - ROMBASE), %es:0x00
    movw $0xf000, %es:0x02
    movw $(vec40 - ROMBASE), %es:0x100
    movw $0xf000, %es:0x102
    movw $(vec41 - ROMBASE), %es:0x104
    movw $0xf000, %es:0x106
    # the routine to RM_SEG:0
    mov $(rm_code - ROMBASE), %si
    mov $(RM_SEG << 4), %di
    mov $(rm_code_end - rm_code), %cx
    rep movsb

    mov $0x40, %al
    mov $0x1234, %cx
    call rm_case
    mov $0x41, %al
    mov $0x5678, %cx
    call rm_case
    ENTER_PM32 pm32

# Calls the routine with vector %al and immediate %cx, prints its results.
rm_case:
    xor %bp, %bp
    xor %dx, %dx
    lcall $RM_SEG, $0
    push %dx
    push %bx
    mov $(rm_int - ROMBASE), %si
    call puts16
    movzwl %bp, %ebx
    call puthex2
    mov $(rm_imm - ROMBASE), %si
    call puts16
    pop %bx
    call puthex4
    mov $(rm_incs - ROMBASE), %si
    call puts16
    pop %bx
    call puthex2
    mov $'\n', %al
    call putc16
    ret

vec00:
    mov $0x00, %bp
    iret
vec40:
    mov $0x40, %bp
    iret
vec41:
    mov $0x41, %bp
    iret

# Runs at RM_SEG:0; offsets are from rm_code.
rm_code:
    movb %al, %cs:(1f + 1 - rm_code)
1:  int $0x00
    movw %cx, %cs:(2f + 1 - rm_code)
2:  mov $0, %bx
    push %es
    push %cs
    pop %es
    mov $(3f - rm_code), %di
    mov $4, %cx
    mov $0x90, %al
    rep stosb
    pop %es
3:  .rept 8
    inc %dx
    .endr
    lret
rm_code_end:

    DEF_PUTC putc16
    DEF_PUTS puts16, putc16
    DEF_PUTHEX puthex2, putc16, 2
    DEF_PUTHEX puthex4, putc16, 4

rm_int:
    .asciz "real mode: int "
rm_imm:
    .asciz " imm "
rm_incs:
    .asciz " incs "

    .code32
pm32:
    FLAT_SEGMENTS STACK
    mov $pm_code, %esi
    mov $PM_RAM, %edi
    mov $(pm_code_end - pm_code), %ecx
    rep movsb
    mov $0x11111111, %ecx
    call pm_case
    mov $0x22222222, %ecx
    call pm_case
    EXIT 1

# Calls the routine with value %ecx, prints the four results.
pm_case:
    movb $0xbd, NEW_CODE            # mov $imm32, %ebp
    lea 3(%ecx), %eax
    mov %eax, NEW_CODE + 1
    call PM_RAM
    mov $pm_line, %esi
    call puts32
    xor %edi, %edi
1:  mov $' ', %al
    call putc32
    mov RESULTS(,%edi,4), %ebx
    call puthex8
    inc %edi
    cmp $4, %edi
    jne 1b
    mov $'\n', %al
    call putc32
    ret

# Runs at PM_RAM; addresses in it are PM_RAM + (label - pm_code).
pm_code:
    mov %ecx, PM_RAM + (1f - pm_code) + 1
1:  mov $0, %eax
    mov %eax, RESULTS
    # push: 4 bytes below the stack pointer, the immediate of 2f
    mov %esp, %ebp
    mov $PM_RAM + (2f - pm_code) + 5, %esp
    lea 1(%ecx), %eax
    push %eax
2:  mov $0, %ebx
    mov %ebp, %esp
    mov %ebx, RESULTS + 4
    # xchg with memory is a locked read-modify-write
    lea 2(%ecx), %edx
    xchg %edx, PM_RAM + (3f - pm_code) + 1
3:  mov $0, %edx
    mov %edx, RESULTS + 8
    # rep movsb: "mov $imm32, %ebp" over "mov $0, %eax"
    push %ecx
    mov $NEW_CODE, %esi
    mov $PM_RAM + (4f - pm_code), %edi
    mov $5, %ecx
    xor %ebp, %ebp
    rep movsb
    pop %ecx
4:  mov $0, %eax
    mov %ebp, RESULTS + 12
    ret
pm_code_end:

    DEF_PUTC putc32
    DEF_PUTS puts32, putc32
    DEF_PUTHEX puthex8, putc32, 8

pm_line:
    .asciz "protected mode:"

    DEF_GDT
    RESET_VECTOR start
