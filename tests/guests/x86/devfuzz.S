# Hostile guest: a seeded stream of random port I/O, PCI configuration
# and MMIO accesses aimed at the PC's devices (IDE, VGA, PIT, RTC, 8259,
# i8042, DMA, fw_cfg, ACPI, the PCI devices' BARs, IOAPIC, local APIC,
# HPET), as a buggy or malicious kernel would make.  Whatever it does,
# emu must neither crash nor hang (tests/functional/test_pc_devfuzz.py).
#
# The seed and the number of accesses are at SEED_AT and COUNT_AT in the
# image, for the test to patch.  Prints "devfuzz seed S" at the start, a
# line every 4096 accesses, "devfuzz done" and exits with 0 (status 1)
# at the end.  It leaves out what would end or reset the machine (ports
# 0x64, 0x92, 0xcf9, isa-debug-exit, ACPI PM), its own console (COM1),
# the PAM registers that map its code, and points the BARs it writes
# into the PCI hole (memory) or 0xc000-0xc3ff (I/O), so it keeps
# running, and keeps the interrupt controllers' delivery modes "fixed"
# and the virtio functions' MSI-X off (a random message in their
# vector tables could be an INIT or an NMI); everything else is random.  It uses no memory but its stack
# below 0x90000, so device DMA into RAM elsewhere does not stop it.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .set SEED_AT, 0xffe0
    .set COUNT_AT, 0xffe4
    .code16
    .text
start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS 0x90000
    mov $banner, %esi
    call puts
    mov ROMBASE + SEED_AT, %ebx
    mov %ebx, %edi                  # the generator's state
    call puthex
    call newline
    mov ROMBASE + COUNT_AT, %ebp    # accesses left

next:
    test $0xfff, %ebp
    jnz 1f
    mov $progress, %esi
    call puts
    mov %ebp, %ebx
    call puthex
    call newline
1:  test %ebp, %ebp
    jz done
    dec %ebp
    call rand
    mov %eax, %ebx                  # kind, size, target
    call rand
    mov %eax, %ecx                  # offset bits
    call rand
    mov %eax, %esi                  # the value written
    mov %bl, %al
    and $7, %al
    cmp $3, %al
    jb port_write
    cmp $5, %al
    jb port_read
    je pci_write
    cmp $6, %al
    je mmio_write
    jmp mmio_read

done:
    mov $finished, %esi
    call puts
    EXIT 0

# xorshift32: the next state in edi and eax.
rand:
    mov %edi, %eax
    shl $13, %eax
    xor %eax, %edi
    mov %edi, %eax
    shr $17, %eax
    xor %eax, %edi
    mov %edi, %eax
    shl $5, %eax
    xor %eax, %edi
    mov %edi, %eax
    ret

# The port in dx: one of a device's ports (bits 16-20 of ebx pick it),
# or any port when bits 21-22 are both set.  Jumps to next when the
# ports [dx, dx+3] meet an excluded range.
pick_port:
    mov %ebx, %eax
    shr $16, %eax
    mov %al, %dl
    and $0x60, %dl
    cmp $0x60, %dl
    je 1f
    and $0x1f, %eax
    movzwl ports(,%eax,4), %edx
    and ports + 2(,%eax,4), %cx
    add %cx, %dx
    jmp 2f
1:  movzwl %cx, %edx
2:  xor %eax, %eax
3:  cmpw $0xffff, excluded(,%eax,4)
    je 4f
    lea 3(%edx), %ecx
    cmp excluded(,%eax,4), %cx
    jb 5f
    cmp excluded + 2(,%eax,4), %dx
    ja 5f
    add $4, %esp                    # excluded: drop the access
    jmp next
5:  inc %eax
    jmp 3b
4:  ret

# Access size from bits 8-9 of ebx: byte (0, 3), word (1), dword (2).
port_write:
    call pick_port
    mov %esi, %eax
    test $0x100, %bx
    jnz 1f
    test $0x200, %bx
    jnz 2f
    out %al, %dx
    jmp next
1:  test $0x200, %bx
    jnz 3f
    out %ax, %dx
    jmp next
2:  out %eax, %dx
    jmp next
3:  out %al, %dx
    jmp next

port_read:
    call pick_port
    test $0x100, %bx
    jnz 1f
    test $0x200, %bx
    jnz 2f
    in %dx, %al
    jmp next
1:  in %dx, %ax
    jmp next
2:  in %dx, %eax
    jmp next

# A write to the configuration space of bus 0, device 0-7, any function
# (bits 8-13 of ecx), with the PAM and the PM base left alone, and BARs
# written whole, into the PCI hole or 0xc000-0xc3ff.
pci_write:
    mov %ecx, %eax
    and $0x3f00, %eax               # device 0-7 (bits 13-11), function
    mov %ecx, %edx
    and $0xfc, %edx                 # the dword's offset
    or %edx, %eax
    or $0x80000000, %eax
    cmp $0x80000058, %eax           # i440FX PAM0-6 (0x59-0x5f)
    je next
    cmp $0x8000005c, %eax
    je next
    cmp $0x80000b40, %eax           # PIIX4 PM: PM base
    je next
    cmp $0x80000b80, %eax           # PIIX4 PM: PMREGMISC (enable)
    je next
    cmp $0x98, %dl                  # virtio's MSI-X capability (enable)
    je next
    cmp $0x10, %dl
    jb 2f
    cmp $0x24, %dl
    jbe 1f
    cmp $0x30, %dl                  # expansion ROM BAR
    jne 2f
1:  test $1, %esi                   # I/O BAR (or ROM enable)
    jz 3f
    and $0x3f1, %esi
    or $0xc000, %esi
    jmp 5f
3:  and $0x00fff000, %esi
    or $0xfe000000, %esi
5:  mov $0xcf8, %dx
    out %eax, %dx
    jmp 4f
2:  mov $0xcf8, %dx
    out %eax, %dx
    mov %ecx, %edx
    and $3, %edx
    add $0xcfc, %dx
    mov %esi, %eax
    test $0x100, %bx
    jnz 1f
    test $0x200, %bx
    jnz 4f
    out %al, %dx
    jmp next
1:  out %ax, %dx
    jmp next
4:  mov $0xcfc, %dx
    mov %esi, %eax
    out %eax, %dx
    jmp next

# The address in edx: within one of the MMIO windows (bits 10-12 of ebx
# pick it), at any alignment.
pick_mmio:
    mov %ebx, %eax
    shr $10, %eax
    and $7, %eax
    mov mmio(,%eax,8), %edx
    and mmio + 4(,%eax,8), %ecx
    add %ecx, %edx
    ret

# Writes to the IOAPIC, the local APIC and the rest of its 1 MiB window
# (where a write is an MSI) keep delivery mode "fixed": an INIT, NMI or
# SMI sent to itself would take the CPU out of this loop, as on
# hardware.
mmio_write:
    call pick_mmio
    mov %esi, %eax
    cmp $0xfec00000, %edx
    jb 3f
    cmp $0xfeefffff, %edx
    ja 3f
    and $~0x700, %eax
3:    test $0x100, %bx
    jnz 1f
    test $0x200, %bx
    jnz 2f
    mov %al, (%edx)
    jmp next
1:  mov %ax, (%edx)
    jmp next
2:  mov %eax, (%edx)
    jmp next

mmio_read:
    call pick_mmio
    test $0x100, %bx
    jnz 1f
    test $0x200, %bx
    jnz 2f
    mov (%edx), %al
    jmp next
1:  mov (%edx), %ax
    jmp next
2:  mov (%edx), %eax
    jmp next

newline:
    mov $'\n', %al
    jmp putc

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex, putc

# Device ports: base, mask of the offset added to it.
    .balign 4
ports:
    .word 0x1f0, 7, 0x3f6, 1, 0x170, 7, 0x376, 1       # IDE
    .word 0x3c0, 0x1f, 0x3b0, 0xf, 0x1ce, 3, 0x40, 3   # VGA, VBE, PIT
    .word 0x60, 7, 0x70, 1, 0x20, 1, 0xa0, 1           # i8042, RTC, 8259s
    .word 0x4d0, 1, 0x00, 0x1f, 0x80, 0xf, 0xc0, 0x1f  # ELCR, DMA, pages
    .word 0x510, 0xf, 0xc000, 0x3ff, 0x2f8, 7, 0xafe0, 0x1f  # fw_cfg, BARs
    .word 0xae00, 0x1f, 0xcd8, 7, 0x378, 7, 0x3f0, 7   # hotplug, parallel
    .word 0x61, 0, 0xb2, 1, 0x402, 0, 0x700, 0x3f      # SMBus
    .word 0x1f0, 0x1ff, 0xc000, 0xfff, 0x3c0, 0x3f, 0x0, 0x3ff
# Port ranges left alone, first and last, ending with 0xffff.
excluded:
    .word 0x64, 0x64, 0x92, 0x92, 0xcf8, 0xcff, 0xf4, 0xf7
    .word 0x3f8, 0x3ff, 0x600, 0x63f, 0xffff, 0xffff
# MMIO windows: base, mask of the offset.
    .balign 8
mmio:
    .long 0x000a0000, 0x1ffff, 0xfe000000, 0xffffff     # VGA, BARs
    .long 0xfec00000, 0xff, 0xfee00000, 0xfff           # IOAPIC, LAPIC
    .long 0xfed00000, 0x3ff, 0xfd000000, 0xffffff       # HPET, VGA LFB
    .long 0xfe000000, 0x1ffffff, 0x00100000, 0xffffff   # more BARs, RAM

banner:
    .asciz "devfuzz seed "
progress:
    .asciz "left "
finished:
    .asciz "devfuzz done\n"

    DEF_GDT

    .org SEED_AT
    .long 1
    .org COUNT_AT
    .long 0x10000
    RESET_VECTOR start
