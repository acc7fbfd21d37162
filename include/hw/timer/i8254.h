/*
 * The 8254 programmable interval timer of the PC ("isa-pit") at ports
 * 0x40-0x43, with the system control port B at 0x61 that gates channel 2
 * and reads its output (the speaker's timer).  Channel 0's output is
 * gpio out 0 (IRQ 0).  It counts at 1.193182 MHz on the virtual clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "hw/qdev.h"

#define TYPE_I8254 "isa-pit"
#define PIT_FREQ 1193182

/* The guest acknowledged IRQ 0 (its EOI): the next held tick goes out. */
void i8254_irq_acked(DeviceState *pit);
/* The interrupt controller dropped IRQ 0's request: no acknowledgement
 * will come, the held ticks are forgotten (kvm's PIT does the same). */
void i8254_irq_forgotten(DeviceState *pit);

#endif
