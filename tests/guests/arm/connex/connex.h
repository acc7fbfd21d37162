/*
 * The PXA255 registers the connex test guests use (offsets and bits from
 * the Intel PXA255 Processor Developer's Manual) and the helpers shared
 * by start.S, uart.c and flash.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CONNEX_H
#define CONNEX_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))
#define REG16(addr) (*(volatile uint16_t *)(addr))

/* FFUART: a 16550 with 4-byte register stride. */
#define FFUART_BASE 0x40100000u
#define UART_THR (FFUART_BASE + 0x00)   /* DLL when LCR.DLAB */
#define UART_IER (FFUART_BASE + 0x04)   /* DLH when LCR.DLAB */
#define UART_FCR (FFUART_BASE + 0x08)
#define UART_LCR (FFUART_BASE + 0x0c)
#define UART_LSR (FFUART_BASE + 0x14)
#define UART_IER_UUE 0x40               /* unit enable (PXA addition) */
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_LSR_TDRQ 0x20
#define UART_LSR_TEMT 0x40

/* OS timers: OSCR counts at 3.6864 MHz. */
#define OST_BASE 0x40a00000u
#define OSMR(n) (OST_BASE + 4 * (n))
#define OSCR (OST_BASE + 0x10)
#define OSSR (OST_BASE + 0x14)
#define OWER (OST_BASE + 0x18)
#define OIER (OST_BASE + 0x1c)
#define OSCR_HZ 3686400u

/* Interrupt controller. */
#define IC_BASE 0x40d00000u
#define ICIP (IC_BASE + 0x00)
#define ICMR (IC_BASE + 0x04)
#define ICLR (IC_BASE + 0x08)
#define ICFP (IC_BASE + 0x0c)
#define ICPR (IC_BASE + 0x10)
#define ICCR (IC_BASE + 0x14)
#define IRQ_OST0 26

/* Code that must not run from the flash while the flash answers with
 * status or query data instead of array data: it lives in SDRAM, out of
 * reach of a BL from the flash, hence long_call. */
#define RAMFUNC __attribute__((section(".ramfunc"), long_call, noinline))

/* start.S */
void exit(int status) __attribute__((noreturn));
void enable_irqs(void);
extern void (*irq_hook)(void);
extern volatile uint32_t data_aborts;

/* uart.c */
void uart_init(void);

#endif
