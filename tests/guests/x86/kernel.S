# A boot-protocol test kernel: a bzImage (setup header version 2.15,
# 64-bit, relocatable) whose 64-bit entry checks what the loader handed
# over in boot_params (%rsi) and reports over COM1:
#   "startup_64 at 0x<load address>"
#   one "e820 ..." line per entry, then "e820 usable 0x<bytes>" and a
#   verdict (sorted, non-overlapping, non-empty; kernel and initrd in
#   usable RAM)
#   "cmdline \"<command line>\""
#   "initrd size 0x<size> sum 0x<sum of its bytes>" and a verdict
# then exits through isa-debug-exit: 1 (status 3) if every check passed,
# 0x7f (status 255) otherwise.
#
# Loaders that start kernels in real mode (QEMU's microvm firmware does)
# enter the setup code at 0x200, which collects the e820 map with int
# 0x15 and enters 32-bit mode; the 32-bit entry builds page tables and
# goes on to the 64-bit entry, as Linux does.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .text
    .set SETUP_SECTS, 2
    .set KERNEL, (SETUP_SECTS + 1) * 512    # file offset of startup_32
    .set KERNEL_SIZE, 0x1000                # padded, file bytes from there
    .set INIT_SIZE, 0x20000                 # memory needed from the load address
    .set STACK_TOP, 0xf000                  # offsets from the load address
    .set PAGE_TABLES, 0x10000
    .set ZERO_PAGE, 0x7000                  # the real-mode path's boot_params

    # boot_params offsets
    .set BP_EXT_RAMDISK_IMAGE, 0x0c0
    .set BP_EXT_RAMDISK_SIZE, 0x0c4
    .set BP_EXT_CMD_LINE_PTR, 0x0c8
    .set BP_SCRATCH, 0x1e4
    .set BP_E820_ENTRIES, 0x1e8
    .set BP_HDR, 0x1f1
    .set BP_HDR_END, 0x270
    .set BP_BOOT_FLAG, 0x1fe
    .set BP_HEADER, 0x202
    .set BP_CODE32_START, 0x214
    .set BP_RAMDISK_IMAGE, 0x218
    .set BP_RAMDISK_SIZE, 0x21c
    .set BP_CMD_LINE_PTR, 0x228
    .set BP_E820_TABLE, 0x2d0

# ---- the boot sector and the setup header -------------------------------
    .code16
    .org BP_HDR
setup_sects:    .byte SETUP_SECTS
root_flags:     .word 0
syssize:        .long KERNEL_SIZE / 16
ram_size:       .word 0
vid_mode:       .word 0xffff
root_dev:       .word 0
boot_flag:      .word 0xaa55
    .org 0x200
    .byte 0xeb, setup16 - header            # jmp short: the header follows
header:         .ascii "HdrS"
version:        .word 0x020f
realmode_swtch: .long 0
start_sys_seg:  .word 0
kernel_version: .word kernel_version_str - 0x200
type_of_loader: .byte 0
loadflags:      .byte 0x01                  # LOADED_HIGH
setup_move_size: .word 0x8000
code32_start:   .long 0x100000
ramdisk_image:  .long 0
ramdisk_size:   .long 0
bootsect_kludge: .long 0
heap_end_ptr:   .word 0
ext_loader_ver: .byte 0
ext_loader_type: .byte 0
cmd_line_ptr:   .long 0
initrd_addr_max: .long 0x7fffffff
kernel_alignment: .long 0x200000
relocatable_kernel: .byte 1
min_alignment:  .byte 21
xloadflags:     .word 0x0003                # KERNEL_64, CAN_BE_LOADED_ABOVE_4G
cmdline_size:   .long 2047
hardware_subarch: .long 0
hardware_subarch_data: .quad 0
payload_offset: .long 0
payload_length: .long 0
setup_data:     .quad 0
pref_address:   .quad 0x1000000
init_size:      .long INIT_SIZE
handover_offset: .long 0
kernel_info_offset: .long 0

# ---- real-mode entry: CS = DS + 0x20, DS = ES = SS = the setup segment --
setup16:
    cli
    cld
    # A zeroed boot_params at ZERO_PAGE holding a copy of the header.
    mov $(ZERO_PAGE >> 4), %ax
    mov %ax, %es
    xor %di, %di
    xor %ax, %ax
    mov $2048, %cx
    rep stosw
    mov $BP_HDR, %si
    mov %si, %di
    mov $(BP_HDR_END - BP_HDR), %cx
    rep movsb

    # The firmware's memory map, int 0x15 function 0xe820.
    # Only %ebx is relied on across the call: ES:DI is reloaded.
    xor %ebx, %ebx
    mov $BP_E820_TABLE, %di
1:  push %di
    mov $(ZERO_PAGE >> 4), %ax
    mov %ax, %es
    mov $0xe820, %eax
    mov $20, %ecx
    mov $0x534d4150, %edx                   # "SMAP"
    int $0x15
    pop %di
    mov $(ZERO_PAGE >> 4), %cx
    mov %cx, %es
    jc 2f
    cmp $0x534d4150, %eax
    jne 2f
    add $20, %di
    incb %es:BP_E820_ENTRIES
    test %ebx, %ebx
    jz 2f
    cmpb $128, %es:BP_E820_ENTRIES
    jb 1b
2:
    # Flat protected mode; the GDT and the far pointer are patched with
    # linear addresses since the setup segment is the loader's choice.
    xor %eax, %eax
    mov %ds, %ax
    shl $4, %eax
    mov %eax, %ebx
    add $setup_gdt, %eax
    mov %eax, setup_gdt_ptr + 2
    lea setup32(%ebx), %eax
    mov %eax, setup_far
    mov code32_start, %ebp
    lgdtl setup_gdt_ptr
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl *setup_far

    .code32
setup32:
    mov $0x18, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $ZERO_PAGE, %esi
    jmp *%ebp

    .balign 8
setup_gdt:                                  # __BOOT_CS 0x10, __BOOT_DS 0x18
    .quad 0, 0
    .quad 0x00cf9a000000ffff
    .quad 0x00cf92000000ffff
setup_gdt_ptr:
    .word 4 * 8 - 1
    .long 0
setup_far:
    .long 0
    .word 0x10
kernel_version_str:
    .asciz "emu boot-protocol test kernel"

    .org KERNEL
# ---- 32-bit entry: flat segments, %esi = boot_params -------------------
startup_32:
    cli
    cld
    lea BP_SCRATCH + 4(%esi), %esp          # a one-word stack, as Linux
    call 1f
1:  pop %ebp
    sub $(1b - startup_32), %ebp            # %ebp: the load address

    # Identity-map 4 GiB with 2 MiB pages: PML4, PDPT, four PDs.
    lea PAGE_TABLES(%ebp), %edi
    mov %edi, %ebx
    xor %eax, %eax
    mov $(6 * 1024), %ecx
    rep stosl
    lea 0x1003(%ebx), %eax
    mov %eax, (%ebx)
    lea 0x2003(%ebx), %eax
    mov %eax, 0x1000(%ebx)
    lea 0x3003(%ebx), %eax
    mov %eax, 0x1008(%ebx)
    lea 0x4003(%ebx), %eax
    mov %eax, 0x1010(%ebx)
    lea 0x5003(%ebx), %eax
    mov %eax, 0x1018(%ebx)
    lea 0x2000(%ebx), %edi
    mov $0x83, %eax                         # present, writable, 2 MiB
    mov $2048, %ecx
1:  mov %eax, (%edi)
    add $0x200000, %eax
    add $8, %edi
    dec %ecx
    jnz 1b

    mov %cr4, %eax
    or $0x20, %eax                          # PAE
    mov %eax, %cr4
    mov %ebx, %cr3
    mov $0xc0000080, %ecx                   # EFER.LME
    rdmsr
    or $0x100, %eax
    wrmsr

    lea gdt64 - startup_32(%ebp), %eax
    mov %eax, gdt64_ptr + 2 - startup_32(%ebp)
    lgdt gdt64_ptr - startup_32(%ebp)
    lea startup_64 - startup_32(%ebp), %eax
    mov %eax, far64 - startup_32(%ebp)
    mov %cr0, %eax
    or $0x80000001, %eax                    # PG
    mov %eax, %cr0
    ljmp *far64 - startup_32(%ebp)

    .balign 8
gdt64:
    .quad 0, 0
    .quad 0x00af9a000000ffff                # 0x10: 64-bit code
    .quad 0x00cf92000000ffff                # 0x18: data
gdt64_ptr:
    .word 4 * 8 - 1
    .long 0
far64:
    .long 0
    .word 0x10

# ---- 64-bit entry: identity-mapped, %rsi = boot_params -----------------
    .code64
    .org KERNEL + 0x200
    .globl startup_64
startup_64:
    cli
    cld
    lea startup_32(%rip), %r13              # %r13: the load address
    lea STACK_TOP(%r13), %rsp
    mov %rsi, %r12                          # %r12: boot_params
    xor %r15d, %r15d                        # %r15: failed checks

    lea s_startup(%rip), %rsi
    call puts
    mov %r13, %rbx
    call puthex64
    call newline

    cmpl $0x53726448, BP_HEADER(%r12)       # "HdrS"
    jne bad_params
    cmpw $0xaa55, BP_BOOT_FLAG(%r12)
    jne bad_params

    # The memory map: print it, add up the usable RAM, check the order.
    movzbl BP_E820_ENTRIES(%r12), %ecx
    test %ecx, %ecx
    jz e820_bad
    cmp $128, %ecx
    ja e820_bad
    lea BP_E820_TABLE(%r12), %rdi
    xor %r14d, %r14d                        # usable bytes
    xor %r8d, %r8d                          # end of the previous entry
1:  push %rcx
    lea s_e820(%rip), %rsi
    call puts
    mov (%rdi), %rbx
    call puthex64
    lea s_size(%rip), %rsi
    call puts
    mov 8(%rdi), %rbx
    call puthex64
    lea s_type(%rip), %rsi
    call puts
    mov 16(%rdi), %ebx
    call puthex32
    call newline
    pop %rcx
    mov (%rdi), %rax
    mov 8(%rdi), %rdx
    test %rdx, %rdx
    jz e820_bad
    cmp %r8, %rax
    jb e820_bad
    lea (%rax,%rdx), %r8
    cmpl $1, 16(%rdi)
    jne 2f
    add %rdx, %r14
2:  add $20, %rdi
    dec %ecx
    jnz 1b
    lea s_usable(%rip), %rsi
    call puts
    mov %r14, %rbx
    call puthex64
    call newline
    mov %r13, %rax                          # the kernel sits in RAM
    mov $INIT_SIZE, %rdx
    call usable
    jne e820_bad
    lea s_e820_ok(%rip), %rsi
    call puts
    jmp cmdline
e820_bad:
    lea s_e820_bad(%rip), %rsi
    call puts
    inc %r15

cmdline:
    lea s_cmdline(%rip), %rsi
    call puts
    mov BP_CMD_LINE_PTR(%r12), %esi
    mov BP_EXT_CMD_LINE_PTR(%r12), %eax
    shl $32, %rax
    or %rax, %rsi
    jz 1f
    call puts
1:  lea s_quote_nl(%rip), %rsi
    call puts

    # The initrd: its bytes added up, its place checked.
    mov BP_RAMDISK_IMAGE(%r12), %edi
    mov BP_EXT_RAMDISK_IMAGE(%r12), %eax
    shl $32, %rax
    or %rax, %rdi
    mov BP_RAMDISK_SIZE(%r12), %ecx
    mov BP_EXT_RAMDISK_SIZE(%r12), %eax
    shl $32, %rax
    or %rax, %rcx
    jz initrd_bad
    mov %rdi, %r8
    mov %rcx, %r9
    xor %ebx, %ebx
1:  movzbl (%rdi), %eax
    add %eax, %ebx
    inc %rdi
    dec %rcx
    jnz 1b
    mov %ebx, %r10d
    lea s_initrd(%rip), %rsi
    call puts
    mov %r9, %rbx
    call puthex32
    lea s_sum(%rip), %rsi
    call puts
    mov %r10d, %ebx
    call puthex32
    call newline
    test $0xfff, %r8
    jnz initrd_bad
    mov %r8, %rax
    mov %r9, %rdx
    call usable
    jne initrd_bad
    lea INIT_SIZE(%r13), %rax               # clear of the kernel
    cmp %rax, %r8
    jae 2f
    lea (%r8,%r9), %rax
    cmp %r13, %rax
    ja initrd_bad
2:  lea s_initrd_ok(%rip), %rsi
    call puts
    jmp done
initrd_bad:
    lea s_initrd_bad(%rip), %rsi
    call puts
    inc %r15
    jmp done

bad_params:
    lea s_bad_params(%rip), %rsi
    call puts
    inc %r15
done:
    test %r15, %r15
    jnz 1f
    lea s_pass(%rip), %rsi
    call puts
    EXIT 1
1:  lea s_fail(%rip), %rsi
    call puts
    EXIT 0x7f

# ZF set if [%rax, %rax + %rdx) lies inside one usable e820 entry.
# Clobbers %rcx, %rsi, %r11.
usable:
    movzbl BP_E820_ENTRIES(%r12), %ecx
    lea BP_E820_TABLE(%r12), %rsi
1:  test %ecx, %ecx
    jz 3f
    cmpl $1, 16(%rsi)
    jne 2f
    cmp (%rsi), %rax
    jb 2f
    mov (%rsi), %r11
    add 8(%rsi), %r11
    sub %rax, %r11
    jb 2f
    cmp %rdx, %r11
    jb 2f
    xor %ecx, %ecx                          # ZF
    ret
2:  add $20, %rsi
    dec %ecx
    jmp 1b
3:  inc %ecx                                # not ZF
    ret

# Prints %rbx as 16 hex digits.  Clobbers %rax, %rbx, %cl, %dx, %r11.
puthex64:
    mov %rbx, %r11
    shr $32, %rbx
    call puthex32
    mov %r11d, %ebx
    jmp puthex32

newline:
    mov $'\n', %al
    jmp putc

    DEF_PUTC putc
    DEF_PUTS puts, putc
    DEF_PUTHEX puthex32, putc

s_startup:      .asciz "startup_64 at 0x"
s_e820:         .asciz "e820 addr 0x"
s_size:         .asciz " size 0x"
s_type:         .asciz " type "
s_usable:       .asciz "e820 usable 0x"
s_e820_ok:      .asciz "e820 ok\n"
s_e820_bad:     .asciz "e820 BAD\n"
s_cmdline:      .asciz "cmdline \""
s_quote_nl:     .asciz "\"\n"
s_initrd:       .asciz "initrd size 0x"
s_sum:          .asciz " sum 0x"
s_initrd_ok:    .asciz "initrd ok\n"
s_initrd_bad:   .asciz "initrd BAD\n"
s_bad_params:   .asciz "boot_params BAD\n"
s_pass:         .asciz "boot protocol checks passed\n"
s_fail:         .asciz "boot protocol checks FAILED\n"

    .org KERNEL + KERNEL_SIZE
