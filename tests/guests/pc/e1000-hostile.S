/*
 * A boot disk for the e1000 test: after SeaBIOS placed the PCI BARs, it
 * finds the 82540EM (8086:100e), drives it through its I/O BAR
 * (IOADDR/IODATA, so real mode reaches every register) and hands it
 * malformed rings and descriptors, checking after each that the device
 * went on as the model says (TDH, RDH); then, with sane rings, it sends
 * an ARP request for the gateway and checks slirp's reply in the
 * receive ring.  Messages go to the debug console (port 0xe9); the end
 * is isa-debug-exit (port 0xf4): 0 when all went well.
 *
 * The boot sector loads the rest (sectors 1-5) with INT 13h.
 *
 * Built with the host's binutils:
 *   as --32 -o e1000-hostile.o e1000-hostile.S
 *   ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o e1000-hostile.bin \
 *      e1000-hostile.o
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .code16
    .text
    .globl _start

    .equ DEBUGCON, 0xe9
    .equ EXIT_PORT, 0xf4
    .equ TX_RING, 0x1000            /* 8 descriptors */
    .equ RX_RING, 0x1100            /* 8 descriptors */
    .equ ARP_FRAME, 0x1200
    .equ RX_BUFFERS, 0x2000         /* 8 x 2 KiB */

    /* Registers (8254x manual, chapter 13). */
    .equ CTRL, 0x0000
    .equ ICR, 0x00c0
    .equ RCTL, 0x0100
    .equ TCTL, 0x0400
    .equ RDBAL, 0x2800
    .equ RDBAH, 0x2804
    .equ RDLEN, 0x2808
    .equ RDH, 0x2810
    .equ RDT, 0x2818
    .equ TDBAL, 0x3800
    .equ TDBAH, 0x3804
    .equ TDLEN, 0x3808
    .equ TDH, 0x3810
    .equ TDT, 0x3818
    .equ CTRL_RST, 0x04000000
    .equ RCTL_EN_BAM, 0x00008002
    .equ TCTL_EN, 0x00000002
    .equ ICR_RXT0, 0x00000080
    /* Descriptor command bits in the second quadword's low word. */
    .equ CMD_EOP, 0x01000000
    .equ CMD_IFCS, 0x02000000
    .equ CMD_IC, 0x04000000
    .equ CMD_TSE, 0x04000000
    .equ CMD_RS, 0x08000000
    .equ CMD_DEXT, 0x20000000
    .equ DTYP_D, 0x00100000
    .equ POPTS_TXSM, 0x00000200

/* reg = value */
.macro WR reg, value
    mov $\reg, %ebx
    mov $\value, %eax
    call e1000_write
.endm

/* Fails with message unless reg reads value. */
.macro EXPECT reg, value, message
    mov $\reg, %ebx
    call e1000_read
    cmp $\value, %eax
    mov $\message, %si
    jne fail
.endm

/* Transmit descriptor n: buffer address (64 bits), low word, high word. */
.macro TXD n, addr_lo, addr_hi, lower, upper
    movl $\addr_lo, TX_RING + 16 * \n
    movl $\addr_hi, TX_RING + 16 * \n + 4
    movl $\lower, TX_RING + 16 * \n + 8
    movl $\upper, TX_RING + 16 * \n + 12
.endm

_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7000, %sp
    mov $dap, %si                   /* DL: the boot drive */
    mov $0x42, %ah
    int $0x13
    jc 1f
    jmp main
1:  mov $disk_failed, %si
    jmp fail

/* The disk address packet: sectors 1-5 to 0000:7e00. */
    .balign 4
dap:
    .byte 16, 0
    .word 5
    .word 0x7e00, 0
    .long 1, 0
disk_failed: .asciz "could not read the rest of the disk\r\n"

    .org 510
    .byte 0x55, 0xaa

/* ---- sector 1 on ---- */

main:
    call find_e1000
    mov $booted, %si
    call puts

    /* A: the transmit ring at 1 TiB, outside RAM: the walk stops. */
    WR CTRL, CTRL_RST
    WR TDBAL, 0
    WR TDBAH, 0x100
    WR TDLEN, 128
    WR TDH, 0
    WR TCTL, TCTL_EN
    WR TDT, 3
    EXPECT TDH, 0, case_a

    /* B: a tail past the end of the ring: nothing is walked. */
    WR TDBAH, 0
    WR TDBAL, TX_RING
    WR TDT, 200
    EXPECT TDH, 0, case_b

    /* C: a 64 KiB buffer at 1 TiB: the packet is dropped, the
     * descriptor completes. */
    TXD 0, 0, 0x100, 0xffff|CMD_EOP|CMD_RS, 0
    WR TDT, 1
    EXPECT TDH, 1, case_c
    cmpb $1, TX_RING + 12           /* DD */
    mov $case_c, %si
    jne fail

    /* D: five 64 KiB buffers in one packet, more than the model takes. */
    TXD 1, 0x8000, 0, 0xffff, 0
    TXD 2, 0x8000, 0, 0xffff, 0
    TXD 3, 0x8000, 0, 0xffff, 0
    TXD 4, 0x8000, 0, 0xffff, 0
    TXD 5, 0x8000, 0, 0xffff|CMD_EOP|CMD_RS, 0
    WR TDT, 6
    EXPECT TDH, 6, case_d

    /* E: TCP segmentation with 200 bytes of headers, MSS 0, of a
     * 100-byte packet; the ring wraps. */
    TXD 6, 0, 0, CMD_DEXT|CMD_TSE|CMD_RS, 200<<8
    TXD 7, ARP_FRAME, 0, 100|CMD_DEXT|DTYP_D|CMD_TSE|CMD_EOP|CMD_RS, POPTS_TXSM
    WR TDT, 0
    EXPECT TDH, 0, case_e

    /* F: a legacy checksum from byte 200 stored at 250 of a 42-byte
     * frame: sent without it. */
    call build_arp_request
    TXD 0, ARP_FRAME, 0, 42|(250<<16)|CMD_EOP|CMD_IC|CMD_RS, 200<<8
    WR TDT, 1
    EXPECT TDH, 1, case_f

    /* G: the receive ring at 1 TiB: slirp's ARP reply is dropped. */
    WR RDBAL, 0
    WR RDBAH, 0x100
    WR RDLEN, 128
    WR RDH, 0
    WR RDT, 4
    WR RCTL, RCTL_EN_BAM
    TXD 1, ARP_FRAME, 0, 42|CMD_EOP|CMD_IFCS|CMD_RS, 0
    WR TDT, 2
    EXPECT TDH, 2, case_g
    EXPECT RDH, 0, case_g
    mov $survived, %si
    call puts

    /* Sane rings after a reset: the ARP request out, the reply in. */
    WR CTRL, CTRL_RST
    mov $RX_RING, %di
    mov $RX_BUFFERS, %eax
    mov $8, %cx
1:  mov %eax, (%di)
    movl $0, 4(%di)
    movl $0, 8(%di)
    movl $0, 12(%di)
    add $0x800, %eax
    add $16, %di
    loop 1b
    WR RDBAL, RX_RING
    WR RDLEN, 128
    WR RDT, 7
    WR RCTL, RCTL_EN_BAM
    WR TDBAL, TX_RING
    WR TDLEN, 128
    WR TCTL, TCTL_EN
    TXD 0, ARP_FRAME, 0, 42|CMD_EOP|CMD_IFCS|CMD_RS, 0
    WR TDT, 1
    mov $100000, %ecx
1:  testb $1, RX_RING + 12          /* DD */
    jnz 2f
    dec %ecx
    jnz 1b
    mov $no_reply, %si
    jmp fail
2:  EXPECT ICR, ICR_RXT0 | 3, bad_icr    /* RXT0, TXQE, TXDW */
    /* slirp's reply (64 bytes) and the FCS; EOP; an ARP reply. */
    cmpw $68, RX_RING + 8
    mov $bad_reply, %si
    jne fail
    cmpb $0x07, RX_RING + 12        /* DD, EOP, IXSM */
    jne fail
    cmpw $0x0608, RX_BUFFERS + 12
    jne fail
    cmpw $0x0200, RX_BUFFERS + 20
    jne fail
    mov $RX_BUFFERS + 22, %si
    mov $gateway_mac, %di
    mov $6, %cx
    repe cmpsb
    mov $bad_reply, %si
    jne fail
    mov $replied, %si
    call puts
    xor %al, %al
    out %al, $EXIT_PORT

/* The PCI function 8086:100e on bus 0: its I/O BAR in iobase, I/O,
 * memory and bus mastering on. */
find_e1000:
    mov $0x80000000, %ebx
1:  mov %ebx, %eax
    mov $0xcf8, %dx
    out %eax, %dx
    mov $0xcfc, %dx
    in %dx, %eax
    cmp $0x100e8086, %eax
    je 2f
    add $0x800, %ebx
    cmp $0x80010000, %ebx
    jb 1b
    mov $no_e1000, %si
    jmp fail
2:  lea 0x14(%ebx), %eax            /* BAR1 */
    mov $0xcf8, %dx
    out %eax, %dx
    mov $0xcfc, %dx
    in %dx, %eax
    and $0xfffc, %ax
    mov %ax, iobase
    lea 0x04(%ebx), %eax            /* command */
    mov $0xcf8, %dx
    out %eax, %dx
    mov $0xcfc, %dx
    in %dx, %ax
    or $0x7, %ax
    out %ax, %dx
    ret

/* Register %ebx = %eax, through IOADDR and IODATA. */
e1000_write:
    push %eax
    mov iobase, %dx
    mov %ebx, %eax
    out %eax, %dx
    add $4, %dx
    pop %eax
    out %eax, %dx
    ret

/* %eax = register %ebx. */
e1000_read:
    mov iobase, %dx
    mov %ebx, %eax
    out %eax, %dx
    add $4, %dx
    in %dx, %eax
    ret

/* Who has 10.0.2.2?  Tell 10.0.2.15 (52:54:00:12:34:56). */
build_arp_request:
    mov $arp_request, %si
    mov $ARP_FRAME, %di
    mov $42, %cx
    rep movsb
    ret

puts:
1:  lodsb
    test %al, %al
    jz 2f
    out %al, $DEBUGCON
    jmp 1b
2:  ret

fail:
    call puts
    mov $1, %al
    out %al, $EXIT_PORT
    hlt

iobase: .word 0
arp_request:
    .byte 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
    .byte 0x52, 0x54, 0x00, 0x12, 0x34, 0x56
    .byte 0x08, 0x06                /* ARP */
    .byte 0x00, 0x01, 0x08, 0x00, 6, 4
    .byte 0x00, 0x01                /* request */
    .byte 0x52, 0x54, 0x00, 0x12, 0x34, 0x56
    .byte 10, 0, 2, 15
    .byte 0, 0, 0, 0, 0, 0
    .byte 10, 0, 2, 2
gateway_mac: .byte 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02

booted: .asciz "e1000 found\r\n"
survived: .asciz "malformed rings and descriptors: the device went on\r\n"
replied: .asciz "ARP reply: 10.0.2.2 is at 52:55:0a:00:02:02\r\n"
no_e1000: .asciz "no e1000 on bus 0\r\n"
case_a: .asciz "ring outside RAM: TDH moved\r\n"
case_b: .asciz "tail past the ring: TDH moved\r\n"
case_c: .asciz "buffer outside RAM: the descriptor did not complete\r\n"
case_d: .asciz "oversized packet: the descriptors did not complete\r\n"
case_e: .asciz "bad TSO context: the descriptors did not complete\r\n"
case_f: .asciz "bad checksum offsets: the descriptor did not complete\r\n"
case_g: .asciz "receive ring outside RAM: unexpected TDH or RDH\r\n"
no_reply: .asciz "no ARP reply in the receive ring\r\n"
bad_icr: .asciz "ICR is not RXT0, TXQE, TXDW\r\n"
bad_reply: .asciz "the received frame is not slirp's ARP reply\r\n"

    .org 3072
