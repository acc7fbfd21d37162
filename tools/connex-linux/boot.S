@ The boot stub at the start of the connex flash image (mkflash.py puts
@ it there): the CPU starts here at reset, in SVC mode with interrupts,
@ MMU and caches off, as Linux's ARM boot protocol wants them.  The stub
@ copies what the boot table lists from the flash into SDRAM (the
@ zImage, the initramfs and the ATAG list mkflash.py built), then enters
@ the kernel with r0 = 0, r1 = the machine type, r2 = the ATAGs.
@
@ The boot table, at flash offset 0x100, is words:
@   count, then count times (from, to, bytes), then machine, atags, entry
@ with bytes a multiple of 4 (LDM fills registers in number order).
@ SPDX-License-Identifier: GPL-2.0-or-later

        .arm
        .text
        .global _start
_start:
        mov     r4, #0x100              @ the boot table
        ldr     r5, [r4], #4            @ the number of copies
next_copy:
        subs    r5, r5, #1
        bmi     enter_kernel
        ldmia   r4!, {r0, r1, r2}       @ from, to, bytes
copy_word:
        subs    r2, r2, #4
        ldrge   r3, [r0], #4
        strge   r3, [r1], #4
        bgt     copy_word
        b       next_copy
enter_kernel:
        ldmia   r4, {r1, r2, r3}        @ machine type, ATAGs, entry
        mov     r0, #0
        mov     pc, r3
