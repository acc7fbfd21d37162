/*
 * The I/O APIC of the x86 boards on tcg ("ioapic"), a system bus device
 * whose registers (sysbus region 0) the board maps at 0xfec00000.  gpio
 * in 0-23 are its pins; it sends their vectors to the local APICs over
 * the APIC bus (include/hw/intc/apic.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include "hw/qdev.h"
#include "hw/intc/irq-ack.h"

#define TYPE_IOAPIC "ioapic"
#define IOAPIC_PINS 24

/* Tells listener of the EOIs (of edge-triggered pins too, which the
 * hardware does not see: kvm's IOAPIC does the same for the PIT's pin)
 * and the unmaskings of its pins; NULL: nobody. */
void ioapic_set_ack_listener(DeviceState *ioapic,
                             const IRQAckListener *listener);

#endif
