# The A20 gate on -M pc (firmware: -bios a20.bin): with A20 off, address
# bit 20 of every physical address is 0, so 0xffff:0x0610 (0x100600)
# is 0x000600, as on the 8086.  A20 is on at reset (port 0x92 reading
# 0 nevertheless, as on QEMU and the PIIX); port 0x92 bit 1 and
# the i8042's output port bit 1 (commands 0xd1, and 0xd0 to read it
# back) turn it off and on, the last write deciding; in protected mode
# 0x100600 wraps the same way.  Each line says "wraps" or "1 MiB apart"
# as a byte written at 0x600 and one at 0x100600 show.  Exits with 1
# (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set LOW, 0x600
    .set KBC_DATA, 0x60
    .set KBC_STATUS, 0x64
    .set STACK, 0x90000

# Prints \text (16-bit code, DS = CS).
.macro SAY16 text
    mov $(9f - ROMBASE), %si
    call puts16
    jmp 8f
9:  .asciz "\text"
8:
.endm

start:
    REAL_MODE_START
    mov $0xffff, %ax
    mov %ax, %es                    # %es:LOW + 0x10 is LOW + 1 MiB

    SAY16 "port 0x92 at reset reads "
    in $0x92, %al
    movzbl %al, %ebx
    call puthex2
    mov $'\n', %al
    call putc16
    SAY16 "at reset:"
    call probe16
    SAY16 "port 0x92 bit 1 clear:"
    in $0x92, %al
    and $~0x03, %al
    out %al, $0x92
    call probe16
    SAY16 "port 0x92 reads "
    in $0x92, %al
    movzbl %al, %ebx
    call puthex2
    mov $'\n', %al
    call putc16
    SAY16 "port 0x92 bit 1 set:"
    in $0x92, %al
    or $0x02, %al
    and $~0x01, %al
    out %al, $0x92
    call probe16
    SAY16 "i8042 output port bit 1 clear:"
    mov $0xd1, %al
    call kbc_command
    mov $0xdd, %al
    call kbc_data
    call probe16
    SAY16 "i8042 output port bits 1-0 read "
    mov $0xd0, %al
    call kbc_command
1:  in $KBC_STATUS, %al
    test $0x01, %al
    jz 1b
    in $KBC_DATA, %al
    and $0x03, %al
    movzbl %al, %ebx
    call puthex2
    mov $'\n', %al
    call putc16
    SAY16 "port 0x92 bit 1 set again:"
    in $0x92, %al
    or $0x02, %al
    and $~0x01, %al
    out %al, $0x92
    call probe16
    SAY16 "i8042 output port bit 1 clear again:"
    mov $0xd1, %al
    call kbc_command
    mov $0xdd, %al
    call kbc_data
    call probe16
    SAY16 "protected mode:"
    ENTER_PM32 pm32

# Writes 0x11 at LOW, then 0x22 at LOW + 1 MiB; prints what LOW holds.
probe16:
    xor %ax, %ax
    mov %ax, %fs
    movb $0x11, %fs:LOW
    movb $0x22, %es:(LOW + 0x10)
    cmpb $0x22, %fs:LOW
    je 1f
    SAY16 " 1 MiB apart\n"
    ret
1:  SAY16 " wraps\n"
    ret

# The i8042 takes a command (%al) at 0x64, a byte at 0x60, when its
# input buffer is empty.
kbc_command:
    mov %al, %ah
1:  in $KBC_STATUS, %al
    test $0x02, %al
    jnz 1b
    mov %ah, %al
    out %al, $KBC_STATUS
    ret
kbc_data:
    mov %al, %ah
1:  in $KBC_STATUS, %al
    test $0x02, %al
    jnz 1b
    mov %ah, %al
    out %al, $KBC_DATA
    ret

    DEF_PUTC putc16
    DEF_PUTS puts16, putc16
    DEF_PUTHEX puthex2, putc16, 2

    .code32
pm32:
    FLAT_SEGMENTS STACK
    movb $0x11, LOW
    movb $0x22, LOW + 0x100000
    cmpb $0x22, LOW
    je 1f
    mov $apart, %esi
    call puts32
    EXIT 1
1:  mov $wraps, %esi
    call puts32
    EXIT 1

    DEF_PUTC putc32
    DEF_PUTS puts32, putc32

apart:
    .asciz " 1 MiB apart\n"
wraps:
    .asciz " wraps\n"

    DEF_GDT
    RESET_VECTOR start
