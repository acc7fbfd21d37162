/*
 * An El Torito no-emulation boot image that prints the ACPI tables the
 * firmware installed, for comparing the PC's tables with QEMU's: in
 * 32-bit protected mode it finds the RSDP in the BIOS area
 * (0xe0000-0xfffff, 16-byte aligned), then writes on COM1, one table
 * after the other, a line "TABLE <signature> <address>" and its bytes in
 * hex, 32 to a line: the RSDP (20 bytes, revision 0), the RSDT, each
 * table the RSDT lists, and for the FADT its FACS and DSDT; then the
 * SMBIOS entry point ("_SM_", 0xf0000-0xfffff) and its structure table
 * ("SMBS"); the MP table's floating pointer ("_MP_") and configuration
 * table ("PCMP").  Then "END" and isa-debug-exit (port 0xf4) with 0.
 *
 * Built with the host's binutils:
 *   as --32 -o acpi-dump.o acpi-dump.S
 *   ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o acpi-dump.bin acpi-dump.o
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .set COM1, 0x3f8
    .set COM1_LSR, COM1 + 5
    .set LSR_THRE, 0x20
    .set EXIT_PORT, 0xf4
    .set CODE_SEL, 0x08
    .set DATA_SEL, 0x10

    .code16
    .text
    .globl _start
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    lgdtl gdt_desc
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $CODE_SEL, $pm32

    .code32
pm32:
    mov $DATA_SEL, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %esp

    /* The RSDP: "RSD PTR " on a 16-byte boundary. */
    mov $0xe0000, %esi
find_rsdp:
    cmpl $0x20445352, (%esi)          /* "RSD " */
    jne 1f
    cmpl $0x20525450, 4(%esi)         /* "PTR " */
    je found_rsdp
1:  add $16, %esi
    cmp $0x100000, %esi
    jb find_rsdp
    mov $no_rsdp, %esi
    call puts
    jmp done

found_rsdp:
    mov $20, %ecx
    mov $rsdp_name, %edi
    call dump_named
    mov 16(%esi), %ebx                /* the RSDT */
    mov %ebx, %esi
    call dump_table
    mov 4(%ebx), %ecx                 /* its entries after the header */
    sub $36, %ecx
    shr $2, %ecx
    lea 36(%ebx), %ebp
each_table:
    test %ecx, %ecx
    jz done
    push %ecx
    mov (%ebp), %esi
    call dump_table
    cmpl $0x50434146, (%esi)          /* "FACP" */
    jne 2f
    push %esi
    mov 36(%esi), %esi                /* FIRMWARE_CTRL: the FACS */
    call dump_table
    pop %esi
    mov 40(%esi), %esi                /* DSDT */
    call dump_table
2:  pop %ecx
    add $4, %ebp
    dec %ecx
    jmp each_table

done:
    /* The SMBIOS 2.x entry point: "_SM_" on a 16-byte boundary in
     * 0xf0000-0xfffff; then the structure table it points at. */
    mov $0xf0000, %esi
find_smbios:
    cmpl $0x5f4d535f, (%esi)          /* "_SM_" */
    je found_smbios
    add $16, %esi
    cmp $0x100000, %esi
    jb find_smbios
    mov $no_smbios, %esi
    call puts
    jmp mptable
found_smbios:
    movzbl 5(%esi), %ecx              /* the entry point's length */
    mov %esi, %edi
    call dump_named
    movzwl 0x16(%esi), %ecx           /* the structure table's length */
    mov 0x18(%esi), %esi              /* and address */
    mov $smbios_name, %edi
    call dump_named

mptable:
    /* The MP table's floating pointer "_MP_" (SeaBIOS puts it in
     * 0xf0000-0xfffff), then its configuration table ("PCMP"). */
    mov $0xf0000, %esi
find_mp:
    cmpl $0x5f504d5f, (%esi)          /* "_MP_" */
    je found_mp
    add $16, %esi
    cmp $0x100000, %esi
    jb find_mp
    jmp end
found_mp:
    mov $16, %ecx
    mov %esi, %edi
    call dump_named
    mov 4(%esi), %esi
    movzwl 4(%esi), %ecx
    mov %esi, %edi
    call dump_named

end:
    mov $end_line, %esi
    call puts
    xor %al, %al
    out %al, $EXIT_PORT
3:  hlt
    jmp 3b

/* dump_table: the table at %esi, named by its signature, length at +4. */
dump_table:
    mov 4(%esi), %ecx
    mov %esi, %edi
    /* fall through */

/* dump_named: "TABLE " + 4 characters at %edi + " " + %esi in hex, then
 * %ecx bytes from %esi; keeps %esi. */
dump_named:
    push %esi
    push %ecx
    mov $table_word, %esi
    call puts
    mov $4, %edx
1:  mov (%edi), %al
    call putc
    inc %edi
    dec %edx
    jnz 1b
    mov $' ', %al
    call putc
    mov (%esp), %ecx
    mov 4(%esp), %eax
    call put_hex32
    pop %ecx
    mov (%esp), %esi
    xor %edx, %edx                    /* bytes on this line */
2:  test %ecx, %ecx
    jz 4f
    test %edx, %edx
    jnz 3f
    mov $'\n', %al
    call putc
3:  lodsb
    call put_hex8
    inc %edx
    and $31, %edx
    dec %ecx
    jmp 2b
4:  mov $'\n', %al
    call putc
    pop %esi
    ret

put_hex32:
    push %eax
    shr $24, %eax
    call put_hex8
    mov (%esp), %eax
    shr $16, %eax
    call put_hex8
    mov (%esp), %eax
    shr $8, %eax
    call put_hex8
    pop %eax
    /* fall through */
put_hex8:
    push %eax
    shr $4, %al
    call put_nibble
    pop %eax
put_nibble:
    and $0xf, %al
    add $'0', %al
    cmp $'9', %al
    jbe putc
    add $('a' - '0' - 10), %al
    /* fall through */
putc:
    push %edx
    push %eax
    mov $COM1_LSR, %dx
1:  in %dx, %al
    test $LSR_THRE, %al
    jz 1b
    pop %eax
    mov $COM1, %dx
    out %al, %dx
    pop %edx
    ret

puts:
    lodsb
    test %al, %al
    jz 1f
    call putc
    jmp puts
1:  ret

    .p2align 3
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff          /* flat 32-bit code */
    .quad 0x00cf93000000ffff          /* flat data */
gdt_desc:
    .word gdt_desc - gdt - 1
    .long gdt

rsdp_name:  .ascii "RSDP"
table_word: .asciz "TABLE "
no_rsdp:    .asciz "no RSDP\n"
smbios_name: .ascii "SMBS"
no_smbios:  .asciz "no SMBIOS\n"
end_line:   .asciz "END\n"

    .org 2048
