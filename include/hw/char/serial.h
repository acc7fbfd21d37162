/*
 * The 16550A UART.  One core (SerialState) holds the registers and the
 * receive FIFO; thin devices put it on a bus:
 *   "isa-serial"  8 I/O ports in the PC's port space (COM1 0x3f8 IRQ 4,
 *                 COM2 0x2f8 IRQ 3), interrupt on gpio out pin 0;
 *   "serial-mm"   a sysbus device with registers 1 << regshift bytes
 *                 apart (SoC UARTs such as the PXA255's use 4), interrupt
 *                 on sysbus irq 0.
 * Output is written to the chardev at once, so the transmitter is always
 * empty again right after a write; input fills the FIFO as fast as the
 * guest drains it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "hw/qdev.h"
#include "chardev/char.h"

#define TYPE_ISA_SERIAL "isa-serial"
#define TYPE_SERIAL_MM "serial-mm"

#define SERIAL_FIFO_SIZE 16

typedef struct SerialState {
    DeviceState *owner;          /* for log messages */
    CharBackend chr;
    IRQLine *irq;
    int irq_level;               /* what irq was last set to */

    uint16_t divider;            /* divisor latch (DLL, DLM) */
    uint8_t ier;
    uint8_t iir;                 /* as the guest reads it */
    uint8_t fcr;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;
    uint8_t msr;
    uint8_t scr;
    uint8_t rbr;                 /* the last byte handed to the guest */
    bool thr_ipending;           /* THR emptied and IIR not read since */

    uint8_t rx_fifo[SERIAL_FIFO_SIZE];
    unsigned rx_head;
    unsigned rx_count;
} SerialState;

/*
 * For models that embed the core: attach to a chardev (chr may be NULL:
 * output is dropped, no input), reset, register access by register
 * number 0..7, detach.
 */
bool serial_core_init(SerialState *s, DeviceState *owner, Chardev *chr,
                      Error **errp);
void serial_core_deinit(SerialState *s);
void serial_core_reset(SerialState *s);
uint8_t serial_core_read(SerialState *s, unsigned reg);
void serial_core_write(SerialState *s, unsigned reg, uint8_t value);

/*
 * The core's chardev handlers, for models that put their own in front
 * of them after serial_core_init (the PXA UARTs hold input while the
 * unit is disabled).
 */
int serial_core_can_receive(SerialState *s);
void serial_core_receive(SerialState *s, const uint8_t *buf, int len);
void serial_core_event(SerialState *s, ChrEvent event);

/*
 * The chardev a device's "chardev" property names: *chr = NULL when id
 * is NULL or empty; an error naming the device type when there is no
 * such chardev.
 */
bool serial_find_chardev(DeviceState *dev, const char *id, Chardev **chr,
                         Error **errp);

#endif
