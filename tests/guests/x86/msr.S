# The machine-check MSRs (MCG_CAP, MCG_STATUS, MCG_CTL and the banks'
# MCi_CTL/STATUS/ADDR/MISC), AMD's SYSCFG, interrupt-pending message
# register, HWCR, DE_CFG and first event select, the microcode revision,
# TSC_AUX and SVM's host save area address (VM_HSAVE_PA, which Linux
# clears on every CPU when it reboots) as the guest sees them: from
# the reset vector, in real mode, reads and writes them, printing
# "msr: edx eax" after each access, and " #GP" when the access faults
# (the #GP handler skips the 2-byte rdmsr/wrmsr).  Exits with 1 (status
# 3).  Debian's kernel reads all of these while it boots.
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text

    .set MCG_CAP, 0x179
    .set MCG_STATUS, 0x17a
    .set MCG_CTL, 0x17b
    .set MC0_CTL, 0x400
    .set MC0_STATUS, 0x401
    .set MC9_MISC, 0x427
    .set SYSCFG, 0xc0010010
    .set INT_PENDING_MSG, 0xc0010055
    .set UCODE_REV, 0x8b
    .set HWCR, 0xc0010015
    .set DE_CFG, 0xc0011029
    .set PERF_CTL0, 0xc0010000
    .set TSC_AUX, 0xc0000103
    .set VM_HSAVE_PA, 0xc0010117

# Reads MSR \msr and prints it.
.macro READ msr
    mov $\msr, %ecx
    call read
.endm

# Writes \hi:\lo to MSR \msr, then reads it back and prints it.
.macro WRITE msr, hi, lo
    mov $\msr, %ecx
    mov $\hi, %edx
    mov $\lo, %eax
    call write
.endm

start:
    REAL_MODE_START
    # #GP (vector 13) in the real-mode IVT
    xor %ax, %ax
    mov %ax, %es
    movw $(gp - ROMBASE), %es:(13 * 4)
    movw $0xf000, %es:(13 * 4 + 2)

    READ MCG_CAP
    READ MCG_STATUS
    READ MCG_CTL
    READ MC0_CTL
    READ MC0_STATUS
    READ MC9_MISC
    # the kernel clears the status registers and enables every bank
    WRITE MC0_STATUS, 0x12345678, 0x9abcdef0
    WRITE MC0_STATUS, 0, 0
    WRITE MCG_STATUS, 0, 5
    WRITE MCG_STATUS, 0, 0
    WRITE MC0_CTL, 0, 0
    WRITE MC0_CTL, 0, 5                  # neither all zeros nor all ones
    WRITE MC0_CTL, 0xffffffff, 0xffffffff
    WRITE MCG_CTL, 0, 0
    WRITE MCG_CTL, 0xffffffff, 0xffffffff
    READ SYSCFG
    READ INT_PENDING_MSG
    READ UCODE_REV
    READ HWCR
    READ DE_CFG
    READ PERF_CTL0
    READ TSC_AUX
    WRITE TSC_AUX, 0, 0x12345
    READ VM_HSAVE_PA
    WRITE VM_HSAVE_PA, 0x1, 0x23456000
    WRITE VM_HSAVE_PA, 0, 0
    # Faults from here (QEMU 7.2's tcg reads 0 and ignores the write).
    mov $'-', %al
    call putc
    mov $'\n', %al
    call putc
    READ MC9_MISC + 1                    # past the last bank
    WRITE MCG_CAP, 0, 0                  # read-only
    EXIT 1

# Prints "%ecx: " then performs the access that follows the call.
write:
    push %eax
    call name
    pop %eax
    wrmsr
    jmp 1f
read:
    call name
1:  rdmsr
    push %eax
    mov %edx, %ebx
    call puthex
    mov $' ', %al
    call putc
    pop %ebx
    call puthex
newline:
    mov $'\n', %al
    call putc
    ret

# Prints "%ecx: ", keeping %ecx and %edx.
name:
    push %edx
    push %ecx
    mov %ecx, %ebx
    call puthex
    mov $':', %al
    call putc
    mov $' ', %al
    call putc
    pop %ecx
    pop %edx
    ret

# #GP: prints it and returns past the 2-byte rdmsr/wrmsr to the caller's
# caller (the access printed nothing more).
gp:
    mov $'#', %al
    call putc
    mov $'G', %al
    call putc
    mov $'P', %al
    call putc
    add $6, %sp                          # ip cs flags of the fault
    jmp newline

    DEF_PUTC putc
    DEF_PUTHEX puthex, putc

    RESET_VECTOR start
