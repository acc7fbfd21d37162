/*
 * The High Precision Event Timer of the PC ("hpet", IA-PC HPET
 * specification 1.0a) at 0xfed00000: a 64-bit main counter at 100 MHz
 * and "timers" comparators (3 by default, as QEMU's).
 *
 * gpio out n (0-23) is GSI n, where a timer's interrupt goes (the
 * routes the "hpet-intcap" property allows, or IRQ 0 and 8 in legacy
 * replacement mode).  gpio in 0 and 1 are the PIT's and the RTC's
 * interrupts, passed on to GSI 0 and 8 but in legacy replacement mode,
 * which takes those lines for timers 0 and 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_TIMER_HPET_H
#define HW_TIMER_HPET_H

#include "hw/qdev.h"
#include "hw/intc/irq-ack.h"

#define TYPE_HPET "hpet"
#define HPET_BASE 0xfed00000
#define HPET_LEN 0x400
#define HPET_GSI_OUTPUTS 24
#define HPET_IN_PIT 0
#define HPET_IN_RTC 1

/* The General Capabilities and ID register's low half with 3 timers
 * (QEMU's): Intel, legacy replacement capable, 64-bit counter, 3
 * timers, revision 1.  The ACPI HPET table names the block by it. */
#define HPET_ID_QEMU 0x8086a201
#define HPET_PERIOD_FS 10000000  /* 10 ns: 100 MHz */

/* What the board tells of the guest's acknowledgements of IRQ 0, so that
 * timer 0 in legacy replacement mode sends the ticks it holds
 * (x86_irqchip_add_irq0_timer). */
const IRQAckListener *hpet_irq0_ack_listener(DeviceState *hpet);

#endif
