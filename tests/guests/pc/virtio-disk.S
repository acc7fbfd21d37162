/*
 * A boot sector for the PC's virtio-blk-pci test: SeaBIOS finds the
 * virtio disk, loads this from it to 0x7c00 through its virtio driver,
 * and serves the BIOS disk calls on it.  The boot sector says so on
 * the debug console (port 0xe9, -debugcon: SeaBIOS's serial console
 * flushes its own text lazily, in among ours), then through INT 13h
 * extended calls (the boot drive, DL):
 * prints the text the test put in sector 1, writes a sector of 0x5a to
 * sector 2 and reads it back into another buffer, compares them, and
 * ends emu through isa-debug-exit (port 0xf4): 0 when all went well.
 *
 * Built with the host's binutils:
 *   as --32 -o virtio-disk.o virtio-disk.S
 *   ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o virtio-disk.bin \
 *      virtio-disk.o
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .code16
    .text
    .globl _start

    .equ DEBUGCON, 0xe9
    .equ EXIT_PORT, 0xf4
    .equ TEXT_BUF, 0x8000
    .equ WRITE_BUF, 0x9000
    .equ READ_BUF, 0xa000

_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7000, %sp
    sti
    mov %dl, drive
    mov $booted, %si
    call puts

    /* Sector 1: a line of text ending in a NUL. */
    movw $TEXT_BUF, dap_buffer
    movw $1, dap_lba
    mov $0x42, %ah
    call disk_call
    jc fail
    mov $TEXT_BUF, %si
    call puts

    /* Sector 2: the pattern written, then read back. */
    mov $WRITE_BUF, %di
    mov $0x5a, %al
    mov $512, %cx
    rep stosb
    mov $READ_BUF, %di
    xor %al, %al
    mov $512, %cx
    rep stosb
    movw $WRITE_BUF, dap_buffer
    movw $2, dap_lba
    mov $0x4300, %ax                /* extended write, no verify */
    call disk_call
    jc fail
    movw $READ_BUF, dap_buffer
    mov $0x42, %ah
    call disk_call
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

/* INT 13h function %ah (%al: its flags) on the boot drive with the disk
 * address packet; carry set on an error. */
disk_call:
    mov $dap, %si
    mov drive, %dl
    int $0x13
    ret

puts:
1:  lodsb
    test %al, %al
    jz 2f
    out %al, $DEBUGCON
    jmp 1b
2:  ret

    .balign 4
/* The disk address packet: one sector to 0000:buffer from lba. */
dap:
    .byte 16, 0
    .word 1
dap_buffer:
    .word 0, 0
dap_lba:
    .long 0, 0
drive: .byte 0

booted: .asciz "emu: booted from the virtio disk\r\n"
passed: .asciz "INT 13h write/read of sector 2: same data\r\n"
failed: .asciz "virtio disk test failed\r\n"

    .org 510
    .byte 0x55, 0xaa
