# The x87/SSE checks a kernel relies on: CR0.TS (#NM, the lazy FPU switch),
# CR0.EM and CR0.MP, CR4.OSFXSR and CR4.OSXMMEXCPT, misaligned SSE
# operands (#GP), unmasked x87 exceptions (#MF at the next waiting
# instruction) and SSE exceptions (#XM, or #UD without OSXMMEXCPT),
# MXCSR's reserved bits, CR4.OSXSAVE and xsetbv without XSAVE in CPUID
# (qemu64), and an fxsave/fxrstor round trip.  Every probe prints its name
# and " ok" or the vector it raised (" #07"); then "done" and exit 1.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set IDT, 0x3000
    .set RESUME, 0x4000             # where a handler returns to
    .set BUF, 0x5000                # fxsave area (16-byte aligned)
    .set MEM, 0x5400
    .set CR0_MP, 1 << 1
    .set CR0_EM, 1 << 2
    .set CR0_TS, 1 << 3
    .set CR0_NE, 1 << 5
    .set CR4_OSFXSR, 1 << 9
    .set CR4_OSXMMEXCPT, 1 << 10
    .set CR4_OSXSAVE, 1 << 18

# Prints name, runs the instruction, prints " ok" (or the handler prints
# the vector and resumes after it).
.macro PROBE name, insn:vararg
    movl $resume\@, RESUME
    mov $name\@, %esi
    call puts
    \insn
    mov $ok, %esi
    call puts
    jmp resume\@
name\@:
    .asciz "\name"
resume\@:
.endm

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    # 32-bit interrupt gates for vectors 0-19 to fault_N
    xor %ecx, %ecx
1:  mov handlers(,%ecx,4), %eax
    mov %ax, IDT(,%ecx,8)
    movw $0x08, IDT + 2(,%ecx,8)
    movw $0x8e00, IDT + 4(,%ecx,8)
    shr $16, %eax
    mov %ax, IDT + 6(,%ecx,8)
    inc %ecx
    cmp $20, %ecx
    jne 1b
    lidt idt_ptr
    # native x87 errors (NE), MP; SSE on
    mov %cr0, %eax
    and $~(CR0_EM | CR0_TS), %eax
    or $(CR0_MP | CR0_NE), %eax
    mov %eax, %cr0
    mov %cr4, %eax
    or $(CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    mov %eax, %cr4
    fninit

    # CR0.TS: the first x87, SSE or MMX instruction after a task switch
    call set_ts
    PROBE "fld1 with TS", fld1
    PROBE "fwait with TS and MP", fwait
    PROBE "addps with TS", addps %xmm1, %xmm0
    PROBE "paddb with TS", paddb %mm1, %mm0
    PROBE "fxsave with TS", fxsave BUF
    PROBE "fnstsw with TS", fnstsw %ax
    mov %cr0, %eax
    and $~CR0_MP, %eax
    mov %eax, %cr0
    PROBE "fwait with TS, no MP", fwait
    clts
    PROBE "fld1 after clts", fld1
    # CR0.EM: no x87 (emulate it), no SSE, no MMX
    mov %cr0, %eax
    or $(CR0_EM | CR0_MP), %eax
    mov %eax, %cr0
    PROBE "fadd with EM", fadd %st(0), %st(0)
    PROBE "addps with EM", addps %xmm1, %xmm0
    PROBE "paddb with EM", paddb %mm1, %mm0
    PROBE "fxsave with EM", fxsave BUF
    mov %cr0, %eax
    and $~CR0_EM, %eax
    mov %eax, %cr0
    # CR4.OSFXSR: SSE needs it, fxsave does not
    mov %cr4, %eax
    and $~CR4_OSFXSR, %eax
    mov %eax, %cr4
    PROBE "addps without OSFXSR", addps %xmm1, %xmm0
    PROBE "paddb without OSFXSR", paddb %mm1, %mm0
    PROBE "fxsave without OSFXSR", fxsave BUF
    mov %cr4, %eax
    or $CR4_OSFXSR, %eax
    mov %eax, %cr4
    emms
    # alignment
    PROBE "movaps misaligned", movaps MEM + 8, %xmm0
    PROBE "movups misaligned", movups MEM + 8, %xmm0
    PROBE "fxsave misaligned", fxsave BUF + 8
    PROBE "lddqu misaligned", lddqu MEM + 8, %xmm0
    # MXCSR
    movl $0x10000, MEM
    PROBE "ldmxcsr reserved bit", ldmxcsr MEM
    movl $0x1f80 & ~0x200, MEM      # zero divide unmasked
    ldmxcsr MEM
    movl $0x3f800000, MEM           # 1.0 / 0.0
    movss MEM, %xmm0
    xorps %xmm1, %xmm1
    PROBE "divps by zero, ZE unmasked", divps %xmm1, %xmm0
    stmxcsr MEM
    mov MEM, %ebx
    PRINT_HEX "mxcsr ", 4
    mov %cr4, %eax
    and $~CR4_OSXMMEXCPT, %eax
    mov %eax, %cr4
    PROBE "divps by zero without OSXMMEXCPT", divps %xmm1, %xmm0
    movl $0x1f80, MEM
    ldmxcsr MEM
    PROBE "divps by zero, masked", divps %xmm1, %xmm0
    # x87 exceptions: ES, then #MF at the next waiting instruction
    fninit
    movw $0x037b, MEM               # zero divide unmasked
    fldcw MEM
    movl $0, MEM + 4
    fld1
    PROBE "fdivs by zero, ZE unmasked", fdivs MEM + 4
    fnstsw %ax
    mov %eax, %ebx
    PRINT_HEX "fsw ", 4
    PROBE "fwait after it", fwait
    PROBE "fld1 after it", fld1
    PROBE "fnstsw after it", fnstsw %ax
    fnclex
    PROBE "fwait after fnclex", fwait
    # XSAVE: not in qemu64's CPUID
    PROBE "xgetbv without OSXSAVE", xgetbv
    mov %cr4, %eax
    or $CR4_OSXSAVE, %eax
    PROBE "OSXSAVE without XSAVE", mov %eax, %cr4
    # fxsave, fninit, fxrstor keeps pi, the control word and xmm0
    fninit
    movw $0x0b7f, MEM
    fldcw MEM
    fldpi
    movl $0x12345678, MEM
    movss MEM, %xmm0
    fxsave BUF
    fninit
    xorps %xmm0, %xmm0
    PROBE "fxrstor", fxrstor BUF
    fstpt MEM
    mov MEM, %ebx
    PRINT_HEX "pi ", 8
    fnstcw MEM
    mov MEM, %ebx
    PRINT_HEX "fcw ", 4
    movd %xmm0, %ebx
    PRINT_HEX "xmm0 ", 8
    mov $done, %esi
    call puts
    EXIT 1

set_ts:
    mov %cr0, %eax
    or $CR0_TS, %eax
    mov %eax, %cr0
    ret

# fault_N: prints " #NN" and goes on at RESUME (the vectors with an
# error code drop it first).
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
fault_\n:
    .if \n == 8 || (\n >= 10 && \n <= 14) || \n == 17
    add $4, %esp
    .endif
    mov $\n, %ebx
    jmp fault
    .endr
fault:
    mov $' ', %al
    call putc
    mov $'#', %al
    call putc
    call puthex2
    mov $'\n', %al
    call putc
    pushl RESUME
    popl (%esp)
    iret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex8, putc
    DEF_PUTHEX puthex4, putc, 4
    DEF_PUTHEX puthex2, putc, 2

handlers:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
    .long fault_\n
    .endr
idt_ptr:
    .word 20 * 8 - 1
    .long IDT
    DEF_GDT
ok:
    .asciz " ok\n"
done:
    .asciz "done\n"

    RESET_VECTOR start
