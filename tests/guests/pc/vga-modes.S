/*
 * A boot sector that draws into three video modes of the standard VGA,
 * one after the other, for test_pc_vga.py to compare screendumps with
 * the pictures it computes: after each picture it says which on COM1
 * and waits for a key (int 16h: SeaBIOS's keyboard handler, fed by the
 * PS/2 keyboard through sendkey).
 *
 *  1. mode 13h (int 10h): 320x200, 256 colours, chain-4; DAC entry i
 *     set to (i & 63, (i >> 2) & 63, 63 - (i & 63)); pixel (x, y) =
 *     (x + 2y) & 255.
 *  2. mode 12h: 640x480, 16 colours, planar; attribute palette entries
 *     i -> i, DAC entry i = (4i, 4(15 - i), i * i & 63); byte o of plane
 *     p = (o & 255) ^ (o >> 8) ^ 0x55 * p, written plane by plane through
 *     the sequencer's map mask.
 *  3. Bochs VBE through ports 0x1ce/0x1cf: 640x480, 32 bits a pixel,
 *     written through the 64 KiB bank at 0xa0000; pixel n = n * 0x030507
 *     (blue, green, red in its low three bytes).
 *
 * Then isa-debug-exit (port 0xf4) with 0.
 *
 * Built with the host's binutils:
 *   as --32 -o vga-modes.o vga-modes.S
 *   ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o vga-modes.bin vga-modes.o
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .code16
    .text
    .globl _start

    .equ COM1, 0x3f8

_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %ss
    mov $0x7c00, %sp
    sti

    /* ---- 1: mode 13h ---- */
    mov $0x0013, %ax
    int $0x10
    mov $0x3c8, %dx
    xor %al, %al
    out %al, %dx
    inc %dx                         /* 0x3c9: red, green, blue */
    xor %cx, %cx
1:  mov %cl, %al
    and $63, %al
    out %al, %dx
    mov %cl, %al
    shr $2, %al
    and $63, %al
    out %al, %dx
    mov %cl, %al
    and $63, %al
    mov $63, %ah
    sub %al, %ah
    mov %ah, %al
    out %al, %dx
    inc %cx
    cmp $256, %cx
    jne 1b
    mov $0xa000, %ax
    mov %ax, %es
    xor %di, %di
    xor %bx, %bx                    /* y */
2:  xor %cx, %cx                    /* x */
3:  mov %cx, %ax
    add %bx, %ax
    add %bx, %ax
    stosb
    inc %cx
    cmp $320, %cx
    jne 3b
    inc %bx
    cmp $200, %bx
    jne 2b
    mov $msg_13h, %si
    call say_and_wait

    /* ---- 2: mode 12h ---- */
    mov $0x0012, %ax
    int $0x10
    mov $0x3da, %dx
    in %dx, %al                     /* attribute flip-flop to index */
    mov $0x3c0, %dx
    xor %cl, %cl
4:  mov %cl, %al                    /* palette entry i = i */
    out %al, %dx
    out %al, %dx
    inc %cl
    cmp $16, %cl
    jne 4b
    mov $0x20, %al                  /* video back on */
    out %al, %dx
    mov $0x3c8, %dx
    xor %al, %al
    out %al, %dx
    inc %dx
    xor %cl, %cl
5:  mov %cl, %al
    shl $2, %al
    out %al, %dx
    mov $15, %al
    sub %cl, %al
    shl $2, %al
    out %al, %dx
    mov %cl, %al
    mul %cl
    and $63, %al
    out %al, %dx
    inc %cl
    cmp $16, %cl
    jne 5b
    xor %bl, %bl                    /* plane */
    xor %bh, %bh                    /* 0x55 * plane */
6:  mov $0x3c4, %dx
    mov $2, %al
    out %al, %dx
    inc %dx
    mov $1, %al
    mov %bl, %cl
    shl %cl, %al
    out %al, %dx
    xor %di, %di
7:  mov %di, %ax
    xor %ah, %al
    xor %bh, %al
    stosb
    cmp $38400, %di
    jne 7b
    add $0x55, %bh
    inc %bl
    cmp $4, %bl
    jne 6b
    mov $msg_12h, %si
    call say_and_wait

    /* ---- 3: Bochs VBE, 640x480x32, banked ---- */
    mov $4, %ax                     /* ENABLE = 0 */
    xor %bx, %bx
    call dispi
    mov $1, %ax
    mov $640, %bx
    call dispi
    mov $2, %ax
    mov $480, %bx
    call dispi
    mov $3, %ax
    mov $32, %bx
    call dispi
    mov $4, %ax
    mov $1, %bx
    call dispi
    xor %ebp, %ebp                  /* pixel number n */
    xor %si, %si                    /* bank */
8:  mov $5, %ax
    mov %si, %bx
    call dispi
    xor %di, %di
9:  imul $0x030507, %ebp, %eax
    stosl
    inc %ebp
    cmp $640 * 480, %ebp
    je 10f
    test %di, %di
    jnz 9b
    inc %si
    jmp 8b
10: mov $msg_vbe, %si
    call say_and_wait
    xor %al, %al
    out %al, $0xf4
11: hlt
    jmp 11b

/* DISPI register %ax = %bx. */
dispi:
    mov $0x1ce, %dx
    out %ax, %dx
    inc %dx
    mov %bx, %ax
    out %ax, %dx
    ret

/* The string at %si on COM1, then a key from the BIOS. */
say_and_wait:
    mov $COM1, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  xor %ah, %ah
    int $0x16
    ret

msg_13h: .asciz "mode 13h\n"
msg_12h: .asciz "mode 12h\n"
msg_vbe: .asciz "vbe 640x480x32\n"

    .org 510
    .word 0xaa55
