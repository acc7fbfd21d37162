/*
 * The connex guests' console: FFUART, 115200 8N1, polled; tprintf()
 * from ../print.c writes through print_write().  Also the reports of
 * exceptions that start.S does not expect.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "connex.h"
#include "../print.h"

void uart_init(void)
{
    /* Divisor 8: 14.7456 MHz / (16 * 8) = 115200 baud. */
    REG32(UART_LCR) = UART_LCR_DLAB | UART_LCR_8N1;
    REG32(UART_THR) = 8;
    REG32(UART_IER) = 0;
    REG32(UART_LCR) = UART_LCR_8N1;
    REG32(UART_FCR) = 0x07;             /* FIFOs on and emptied */
    REG32(UART_IER) = UART_IER_UUE;     /* no interrupts, unit on */
}

static void uart_putc(char c)
{
    while (!(REG32(UART_LSR) & UART_LSR_TDRQ)) {
        continue;
    }
    REG32(UART_THR) = (uint8_t)c;
}

void print_write(const char *buf, unsigned len)
{
    while (len--) {
        char c = *buf++;

        if (c == '\n') {
            uart_putc('\r');
        }
        uart_putc(c);
    }
    /* Everything is on the wire before the guest goes on (or exits). */
    while (!(REG32(UART_LSR) & UART_LSR_TEMT)) {
        continue;
    }
}

void report_unexpected(uint32_t vector, uint32_t lr);
void report_unexpected(uint32_t vector, uint32_t lr)
{
    uart_init();
    tprintf("unexpected exception %u, lr 0x%08x\n", (unsigned)vector,
            (unsigned)lr);
}

void unexpected_irq_hook(void);
void unexpected_irq_hook(void)
{
    tprintf("unexpected IRQ, ICIP 0x%08x\n", (unsigned)REG32(ICIP));
    exit(1);
}
