/*
 * A boot sector for the PC's IDE test: SeaBIOS loads it from the first
 * IDE disk to 0x7c00.  It says so on COM1, then drives the PIIX3 IDE
 * controller itself: a sector of 0xa5 written with WRITE DMA EXT to an
 * LBA above 2^28 (so only 48-bit addressing reaches it), read back into
 * another buffer with READ DMA EXT, both through the bus-master engine
 * found at the function's BAR4, and compared.  It reports on COM1 and
 * ends emu through isa-debug-exit (port 0xf4): 0 for a match.
 *
 * Built with the host's binutils:
 *   as --32 -o ide-dma.o ide-dma.S
 *   ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o ide-dma.bin ide-dma.o
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .code16
    .text
    .globl _start

    .equ COM1, 0x3f8
    .equ EXIT_PORT, 0xf4
    .equ IDE_BASE, 0x1f0
    .equ PRD_TABLE, 0x7e00
    .equ WRITE_BUF, 0x8000
    .equ READ_BUF, 0x9000
/* 0x12345678: bits 28 and up are set. */
    .equ LBA_LOW, 0x5678
    .equ LBA_HIGH, 0x1234

_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov $0x7000, %sp
    mov $booted, %si
    call puts

    /* BAR4 of 00:01.1 and bus mastering on. */
    mov $0x80000920, %eax
    mov $0xcf8, %dx
    out %eax, %dx
    mov $0xcfc, %dx
    in %dx, %eax
    and $0xfffc, %ax
    mov %ax, %bp                    /* the bus-master registers */
    mov $0x80000904, %eax
    mov $0xcf8, %dx
    out %eax, %dx
    mov $0xcfc, %dx
    in %dx, %ax
    or $0x05, %ax                   /* I/O space, bus master */
    out %ax, %dx

    /* The pattern, and a read buffer that does not hold it. */
    mov $WRITE_BUF, %di
    mov $0xa5, %al
    mov $512, %cx
    rep stosb
    mov $READ_BUF, %di
    xor %al, %al
    mov $512, %cx
    rep stosb

    mov $WRITE_BUF, %bx
    mov $0x35, %ch                  /* WRITE DMA EXT */
    mov $0x00, %cl                  /* the engine reads memory */
    call dma_command
    jc fail
    mov $READ_BUF, %bx
    mov $0x25, %ch                  /* READ DMA EXT */
    mov $0x08, %cl                  /* the engine writes memory */
    call dma_command
    jc fail

    mov $WRITE_BUF, %si
    mov $READ_BUF, %di
    mov $512, %cx
    repe cmpsb
    jne fail
    mov $passed, %si
    call puts
    xor %al, %al
    out %al, $EXIT_PORT

fail:
    mov $failed, %si
    call puts
    mov $1, %al
    out %al, $EXIT_PORT

/* One sector at LBA_HIGH:LBA_LOW by DMA: buffer %bx, command %ch,
 * bus-master direction %cl.  Carry set on an error. */
dma_command:
    /* PRD: the buffer, 512 bytes, end of table. */
    movw %bx, PRD_TABLE
    movw $0, PRD_TABLE + 2
    movw $512, PRD_TABLE + 4
    movw $0x8000, PRD_TABLE + 6
    lea 4(%bp), %dx
    mov $PRD_TABLE, %eax
    out %eax, %dx
    lea 2(%bp), %dx
    mov $0x06, %al                  /* clear interrupt and error */
    out %al, %dx
    mov %bp, %dx
    mov %cl, %al
    out %al, %dx

    mov $IDE_BASE + 6, %dx
    mov $0x40, %al                  /* master, LBA */
    out %al, %dx
    /* The high bytes first (the "previous" register contents). */
    mov $IDE_BASE + 2, %dx
    xor %al, %al
    out %al, %dx                    /* count 15:8 */
    inc %dx
    mov $LBA_HIGH >> 8, %al
    out %al, %dx                    /* LBA 31:24 */
    inc %dx
    xor %al, %al
    out %al, %dx                    /* LBA 39:32 */
    inc %dx
    out %al, %dx                    /* LBA 47:40 */
    mov $IDE_BASE + 2, %dx
    mov $1, %al
    out %al, %dx                    /* count 7:0 */
    inc %dx
    mov $LBA_LOW & 0xff, %al
    out %al, %dx                    /* LBA 7:0 */
    inc %dx
    mov $LBA_LOW >> 8, %al
    out %al, %dx                    /* LBA 15:8 */
    inc %dx
    mov $LBA_HIGH & 0xff, %al
    out %al, %dx                    /* LBA 23:16 */
    mov $IDE_BASE + 7, %dx
    mov %ch, %al
    out %al, %dx

    mov %bp, %dx
    mov %cl, %al
    or $0x01, %al                   /* start */
    out %al, %dx
    lea 2(%bp), %dx
1:  in %dx, %al
    test $0x04, %al                 /* interrupt: the command ended */
    jz 1b
    mov %al, %ah
    mov %bp, %dx
    mov %cl, %al
    out %al, %dx                    /* stop */
    test $0x02, %ah                 /* engine error */
    jnz 2f
    mov $IDE_BASE + 7, %dx
    in %dx, %al
    test $0x89, %al                 /* BSY, DRQ, ERR */
    jnz 2f
    clc
    ret
2:  stc
    ret

puts:
    mov $COM1, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  ret

booted: .asciz "emu: booted from the IDE disk\r\n"
passed: .asciz "WRITE/READ DMA EXT at LBA 0x12345678: same data\r\n"
failed: .asciz "DMA test failed\r\n"

    .org 510
    .byte 0x55, 0xaa
