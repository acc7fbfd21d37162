/*
 * The x86 benchmark programs' firmware entry (-bios): from the reset
 * vector into flat 32-bit protected mode, a copy of the image from its
 * ROM below 4 GiB to RAM at 1 MiB (where it is linked), 2 MiB pages
 * identity-mapping the first GiB, long mode, the x87 and SSE enabled,
 * then main() on a stack below 640 KiB.  main's return exits through
 * isa-debug-exit at 0xf4 (status 3 with value 1), as the functional
 * tests' guests do.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .set IMAGE_SIZE, 0x40000        /* as firmware.ld */
    .set LINK, 0x100000
    .set ROM, 0x100000000 - IMAGE_SIZE
    .set PML4, 0x20000
    .set PDPT, 0x21000
    .set PD, 0x22000

    .section .text.start, "ax"
    .code32
copy_down:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $ROM, %esi
    mov $LINK, %edi
    mov $IMAGE_SIZE / 4, %ecx
    cld
    rep movsl
    lgdtl gdt_ptr                   /* the copy's, in RAM */
    ljmpl $0x08, $pm32

pm32:
    mov $PML4, %edi                 /* three pages of tables, cleared */
    mov $0xc00, %ecx
    xor %eax, %eax
    rep stosl
    movl $PDPT | 3, PML4
    movl $PD | 3, PDPT
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  /* present, writable, 2 MiB */
    mov %eax, PD(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b
    mov %cr4, %eax
    or $0x620, %eax                 /* PAE, OSFXSR, OSXMMEXCPT */
    mov %eax, %cr4
    mov $PML4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx           /* EFER.LME */
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    and $~0x4, %eax                 /* EM clear */
    or $0x80000022, %eax            /* PG, NE, MP */
    mov %eax, %cr0
    ljmpl $0x18, $lm64

    .code64
lm64:
    mov $0x9f000, %rsp
    fninit
    lea __bss_start(%rip), %rdi
    lea __bss_end(%rip), %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    rep stosb
    call main
    mov $1, %al
    out %al, $0xf4
2:  cli
    hlt
    jmp 2b

    .p2align 3
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff        /* 0x08: 32-bit code */
    .quad 0x00cf93000000ffff        /* 0x10: data */
    .quad 0x00af9b000000ffff        /* 0x18: 64-bit code */
gdt_ptr:
    .word 31
    .long gdt

/* The last 256 bytes of the image: CS.base is 0xffff0000 after reset, so
 * an address in the ROM is (link address - LINK + ROM) - 0xffff0000. */
    .section .note.GNU-stack, "", @progbits

    .section .reset, "ax"
    .code16
    .set SEG_OFFSET, ROM - LINK - 0xffff0000
    .globl reset
reset:
    cli
    lgdtl %cs:gdt_ptr_rom + SEG_OFFSET
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $copy_down + ROM - LINK
    .p2align 3
gdt_ptr_rom:
    .word 31
    .long gdt + ROM - LINK
    .org 0xf0
    jmp reset
    .org 0x100
