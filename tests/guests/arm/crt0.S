/*
 * Start-up code of the ARM test guests: the vectors at address 0, a
 * stack for every exception mode, zeroed .bss, main() in SVC mode, and
 * SYS_EXIT_EXTENDED with main's return value as the exit status.
 *
 * The vectors load the PC from vector_table (0x20), which a test may
 * change to install its own handlers; by default an exception that a
 * test did not expect prints where it happened and exits with 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"

    .section .vectors, "ax"
    .arm
    .global _start
_start:
    .rept 8
    ldr     pc, [pc, #0x18]
    .endr
    .global vector_table
vector_table:
    .word   reset, unexpected_undef, unexpected_swi, unexpected_pabt
    .word   unexpected_dabt, unexpected_reserved, unexpected_irq
    .word   unexpected_fiq

    .text
    .arm
reset:
    /* One stack per exception mode, interrupts masked throughout. */
    msr     cpsr_c, #(MODE_UND | PSR_I | PSR_F)
    ldr     sp, =und_stack_top
    msr     cpsr_c, #(MODE_ABT | PSR_I | PSR_F)
    ldr     sp, =abt_stack_top
    msr     cpsr_c, #(MODE_IRQ | PSR_I | PSR_F)
    ldr     sp, =irq_stack_top
    msr     cpsr_c, #(MODE_FIQ | PSR_I | PSR_F)
    ldr     sp, =fiq_stack_top
    msr     cpsr_c, #(MODE_SYS | PSR_I | PSR_F)
    ldr     sp, =usr_stack_top
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    ldr     sp, =svc_stack_top

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
    mov     r0, #0x20
    svc     0x123456
    b       .

    /* Unexpected exceptions: r0 = vector number, r1 = lr, r2 = spsr. */
    .macro unexpected name, number
unexpected_\name:
    mov     r0, #\number
    mov     r1, lr
    mrs     r2, spsr
    b       unexpected_exception
    .endm
    unexpected undef, 1
    unexpected swi, 2
    unexpected pabt, 3
    unexpected dabt, 4
    unexpected reserved, 5
    unexpected irq, 6
    unexpected fiq, 7
unexpected_exception:
    /* Back to SVC for semihosting; the mode's stack serves C. */
    msr     cpsr_c, #(MODE_SVC | PSR_I | PSR_F)
    ldr     sp, =svc_stack_top
    ldr     r3, =report_unexpected
    blx     r3
    mov     r0, #1
    b       exit

    .ltorg

    .bss
    .align 3
exit_block:
    .space  8

    .section .noinit, "aw", %nobits
    .align 3
    .space  0x400
und_stack_top:
    .space  0x400
abt_stack_top:
    .space  0x400
irq_stack_top:
    .space  0x400
fiq_stack_top:
    .space  0x2000
usr_stack_top:
    .space  0x4000
    .global svc_stack_top
svc_stack_top:
