/*
 * An El Torito no-emulation boot image for the PC's CD-ROM test:
 * SeaBIOS reads it from the ATAPI drive (READ(10) of 2048-byte sectors)
 * to 0x7c00 and jumps to it with the drive in %dl.  It says so on COM1
 * and ends emu through isa-debug-exit (port 0xf4) with 0.
 *
 * Built with the host's binutils:
 *   as --32 -o cd-boot.o cd-boot.S
 *   ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o cd-boot.bin cd-boot.o
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .code16
    .text
    .globl _start

_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov $message, %si
    mov $0x3f8, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  xor %al, %al
    out %al, $0xf4
3:  hlt
    jmp 3b

message: .asciz "emu: booted from the CD-ROM\r\n"

    .org 2048
