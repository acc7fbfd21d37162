# Reads the CMOS clock (seconds, minutes, hours, day, month, year) the way
# firmware does: waits for the update-in-progress flag to clear, reads
# until two passes agree, converts from BCD and 12-hour format as status
# register B says, and prints "rtc 20YY-MM-DD HH:MM:SS (bcd|binary,
# 24h|12h)".  Exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set FIRST, 0x600           # RAM: the two passes, six bytes each
    .set SECOND, 0x610
start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    xor %ax, %ax
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp

    mov $FIRST, %di
    call read_clock
1:  mov $SECOND, %di
    call read_clock
    mov $FIRST, %si
    mov $SECOND, %di
    mov $6, %cx
    push %ds
    push %es
    pop %ds
    repe cmpsb
    pop %ds
    je 2f
    # They differ: a second ticked between the passes; read again.
    mov $SECOND, %si
    mov $FIRST, %di
    mov $6, %cx
    push %ds
    push %es
    pop %ds
    rep movsb
    pop %ds
    jmp 1b

2:  mov $0x0b, %al
    call cmos_read
    mov %al, %bh                # status register B
    test $0x04, %bh
    jnz 4f
    # BCD: every field, the hour without its PM bit.
    mov $FIRST, %si
    mov $6, %cx
3:  mov %es:(%si), %al
    mov %al, %dl
    and $0x80, %dl
    and $0x7f, %al
    call bcd_to_bin
    or %dl, %al
    mov %al, %es:(%si)
    inc %si
    loop 3b
4:  test $0x02, %bh
    jnz 5f
    # 12-hour: 12 AM is 0, 12 PM stays 12, PM adds 12 otherwise.
    mov %es:FIRST + 2, %al
    mov %al, %dl
    and $0x7f, %al
    cmp $12, %al
    jne 6f
    xor %al, %al
6:  test $0x80, %dl
    jz 7f
    add $12, %al
7:  mov %al, %es:FIRST + 2
5:  push %bx
    mov $(prefix - ROMBASE), %si
    call puts
    mov %es:FIRST + 5, %al      # year
    call put2
    mov $'-', %al
    call putc
    mov %es:FIRST + 4, %al      # month
    call put2
    mov $'-', %al
    call putc
    mov %es:FIRST + 3, %al      # day
    call put2
    mov $' ', %al
    call putc
    mov %es:FIRST + 2, %al      # hours
    call put2
    mov $':', %al
    call putc
    mov %es:FIRST + 1, %al      # minutes
    call put2
    mov $':', %al
    call putc
    mov %es:FIRST, %al          # seconds
    call put2
    pop %bx
    mov $(bcd - ROMBASE), %si
    test $0x04, %bh
    jz 8f
    mov $(binary - ROMBASE), %si
8:  call puts
    mov $(h24 - ROMBASE), %si
    test $0x02, %bh
    jnz 9f
    mov $(h12 - ROMBASE), %si
9:  call puts
    EXIT 1

# One pass over the six clock registers into ES:DI, started when no
# update is in progress.
read_clock:
1:  mov $0x0a, %al
    call cmos_read
    test $0x80, %al
    jnz 1b
    mov $(clock_regs - ROMBASE), %si
    mov $6, %cx
2:  lodsb
    call cmos_read
    stosb
    loop 2b
    ret

# %al: register index -> %al: its value.
cmos_read:
    out %al, $CMOS_INDEX
    in $CMOS_DATA, %al
    ret

# %al: two BCD digits -> %al: binary.  Clobbers %ah, %bl.
bcd_to_bin:
    mov %al, %bl
    and $0x0f, %bl
    shr $4, %al
    mov $10, %ah
    mul %ah
    add %bl, %al
    ret

# Prints %al (0-99) as two decimal digits.  Clobbers %ax, %bx, %dx.
put2:
    xor %ah, %ah
    mov $10, %bl
    div %bl
    mov %ah, %bl
    add $'0', %al
    call putc
    mov %bl, %al
    add $'0', %al
    call putc
    ret

    DEF_PUTC putc
    DEF_PUTS puts, putc

clock_regs:
    .byte 0x00, 0x02, 0x04, 0x07, 0x08, 0x09
prefix:
    .asciz "rtc 20"
bcd:
    .asciz " (bcd, "
binary:
    .asciz " (binary, "
h24:
    .asciz "24h)\n"
h12:
    .asciz "12h)\n"

    RESET_VECTOR start
