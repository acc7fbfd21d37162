/*
 * Start-up code of the connex test guests, run from the flash at 0: the
 * vectors, a stack per mode in SDRAM, .data (and .ramfunc) copied from
 * the flash into SDRAM, .bss zeroed, main() in SVC mode with interrupts
 * masked, and the exit through semihosting SYS_EXIT_EXTENDED (with
 * -semihosting the emulator exits with main's status; without it the
 * svc lands on the SWI vector, which idles forever).
 *
 * IRQs go to the C function in irq_hook; data aborts are counted in
 * data_aborts and skipped, so a probe of an unmapped address reports
 * instead of dying; any other exception prints where it happened.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "../guest.h"

    .section .vectors, "ax"
    .arm
    .global _start
_start:
    .rept 8
    ldr     pc, [pc, #0x18]
    .endr
    .word   reset, unexpected_undef, idle, unexpected_pabt
    .word   data_abort, unexpected_reserved, irq_entry, unexpected_fiq

    .text
reset:
    msr     cpsr_c, #(MODE_UND | PSR_I | PSR_F)
    ldr     sp, =und_stack_top
    msr     cpsr_c, #(MODE_ABT | PSR_I | PSR_F)
    ldr     sp, =abt_stack_top
    msr     cpsr_c, #(MODE_IRQ | PSR_I | PSR_F)
    ldr     sp, =irq_stack_top
    msr     cpsr_c, #(MODE_FIQ | PSR_I | PSR_F)
    ldr     sp, =fiq_stack_top
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    ldr     sp, =svc_stack_top

    ldr     r0, =__data_load
    ldr     r1, =__data_start
    ldr     r2, =__data_end
1:  cmp     r1, r2
    ldrlo   r3, [r0], #4
    strlo   r3, [r1], #4
    blo     1b

    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    ldr     r3, =main
    blx     r3
    .global exit
exit:
    /* SYS_EXIT_EXTENDED {ADP_Stopped_ApplicationExit, status} */
    ldr     r1, =exit_block
    ldr     r2, =0x20026
    str     r2, [r1]
    str     r0, [r1, #4]
    mov     r0, #SYS_EXIT_EXTENDED
    svc     0x123456
idle:
    b       idle

    .global enable_irqs
enable_irqs:
    mrs     r0, cpsr
    bic     r0, r0, #PSR_I
    msr     cpsr_c, r0
    bx      lr

irq_entry:
    sub     lr, lr, #4
    stmfd   sp!, {r0-r3, ip, lr}
    ldr     r0, =irq_hook
    ldr     r0, [r0]
    blx     r0
    ldmfd   sp!, {r0-r3, ip, pc}^

data_abort:
    stmfd   sp!, {r0, r1}
    ldr     r0, =data_aborts
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    ldmfd   sp!, {r0, r1}
    subs    pc, lr, #4

    /* Unexpected exceptions: r0 = vector number, r1 = lr. */
    .macro unexpected name, number
unexpected_\name:
    mov     r0, #\number
    mov     r1, lr
    b       unexpected_exception
    .endm
    unexpected undef, 1
    unexpected pabt, 3
    unexpected reserved, 5
    unexpected fiq, 7
unexpected_exception:
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    ldr     sp, =svc_stack_top
    ldr     r3, =report_unexpected
    blx     r3
    mov     r0, #1
    b       exit

    .ltorg

    .data
    .global irq_hook
irq_hook:
    .word   unexpected_irq_hook

    .bss
    .global data_aborts
data_aborts:
    .space  4
exit_block:
    .space  8

    .section .noinit, "aw", %nobits
    .align 3
    .space  0x400
und_stack_top:
    .space  0x400
abt_stack_top:
    .space  0x800
irq_stack_top:
    .space  0x400
fiq_stack_top:
    .space  0x4000
svc_stack_top:
