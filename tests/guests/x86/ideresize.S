# What the primary IDE master says of its size, each time a byte arrives
# on COM1 ('q' ends the run): IDENTIFY DEVICE's geometry words (1, 3, 6,
# 54-58), its LBA28 and LBA48 sector counts (60-61, 100-103), then the
# status after READ SECTORS of the last sector the disk had at the first
# look (at 2 x that count - 1, 0x50: read, 0x51: refused as past the
# end).  Between two looks the host resizes the disk (block_resize):
# the test compares the lines with QEMU's.  Polled PIO, interrupts off
# (nIEN).  Exits with 0 (status 1).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set ATA_DATA, 0x1f0
    .set ATA_COUNT, 0x1f2
    .set ATA_LBA0, 0x1f3
    .set ATA_LBA1, 0x1f4
    .set ATA_LBA2, 0x1f5
    .set ATA_DEVICE, 0x1f6
    .set ATA_STATUS, 0x1f7       # reads status, writes command
    .set ATA_CONTROL, 0x3f6
    .set ST_BSY, 0x80
    .set ST_DRQ, 0x08
    .set ST_ERR, 0x01
    .set IDENTIFY, 0x200         # RAM: the 256 words
    .set SECTOR, 0x400           # RAM: a sector read
    .set PROBE, 0x600            # RAM: the LBA probed (32 bits)
start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    xor %ax, %ax
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp
    movl $0, %es:PROBE

    mov $ATA_CONTROL, %dx
    mov $0x02, %al               # nIEN: no interrupt
    out %al, %dx

look:
    call getc
    cmp $'q', %al
    je done
    call identify
    mov $(words - ROMBASE), %si
1:  movzbw (%si), %bx            # the word's number
    cmp $0xff, %bl
    je 2f
    push %si
    push %bx
    mov $'w', %al
    call putc
    pop %bx
    push %bx
    call puthex2
    mov $'=', %al
    call putc
    pop %bx
    shl $1, %bx
    movzwl %es:IDENTIFY(%bx), %ebx
    call puthex4
    mov $' ', %al
    call putc
    pop %si
    inc %si
    jmp 1b
2:  cmpl $0, %es:PROBE
    jne 3f
    # The first look: the probe is the last sector of twice this size.
    movzwl %es:IDENTIFY + 120, %eax
    movzwl %es:IDENTIFY + 122, %ebx
    shl $16, %ebx
    or %ebx, %eax
    shl $1, %eax
    dec %eax
    mov %eax, %es:PROBE
3:  mov %es:PROBE, %eax
    call read_sector
    movzbl %al, %ebx
    PRINT_HEX "read-end=", 2
    jmp look

done:
    EXIT 0

# IDENTIFY DEVICE into IDENTIFY.
identify:
    mov $ATA_DEVICE, %dx
    mov $0xa0, %al               # master
    out %al, %dx
    mov $ATA_STATUS, %dx
    mov $0xec, %al
    out %al, %dx
    call wait_not_busy
    test $ST_DRQ, %al
    jz 2f
    mov $IDENTIFY, %di
    mov $256, %cx
    mov $ATA_DATA, %dx
1:  in %dx, %ax
    mov %ax, %es:(%di)
    add $2, %di
    loop 1b
2:  ret

# READ SECTORS (LBA28) of sector %eax; returns the final status in %al.
read_sector:
    mov %eax, %ebx
    mov $ATA_COUNT, %dx
    mov $1, %al
    out %al, %dx
    mov $ATA_LBA0, %dx
    mov %bl, %al
    out %al, %dx
    mov $ATA_LBA1, %dx
    mov %bh, %al
    out %al, %dx
    shr $16, %ebx
    mov $ATA_LBA2, %dx
    mov %bl, %al
    out %al, %dx
    mov $ATA_DEVICE, %dx
    mov %bh, %al
    and $0x0f, %al
    or $0xe0, %al                # LBA, master
    out %al, %dx
    mov $ATA_STATUS, %dx
    mov $0x20, %al
    out %al, %dx
    call wait_not_busy
    test $ST_DRQ, %al
    jz 2f
    mov $SECTOR, %di
    mov $256, %cx
    mov $ATA_DATA, %dx
1:  in %dx, %ax
    mov %ax, %es:(%di)
    add $2, %di
    loop 1b
    call wait_not_busy
2:  ret

# Status once BSY is clear, in %al.
wait_not_busy:
    mov $ATA_STATUS, %dx
1:  in %dx, %al
    test $ST_BSY, %al
    jnz 1b
    ret

# A byte from COM1 in %al (polled).
getc:
    mov $COM1_LSR, %dx
1:  in %dx, %al
    test $0x01, %al
    jz 1b
    mov $COM1, %dx
    in %dx, %al
    ret

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex2, putc, 2
    DEF_PUTHEX puthex4, putc, 4

words:
    .byte 1, 3, 6, 54, 55, 56, 57, 58, 60, 61, 100, 101, 102, 103, 0xff

    RESET_VECTOR start
