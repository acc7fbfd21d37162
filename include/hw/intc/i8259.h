/*
 * The PC's pair of 8259A interrupt controllers ("isa-i8259"): the master
 * at ports 0x20-0x21 with its edge/level control register (ELCR) at
 * 0x4d0, the slave at 0xa0-0xa1 and 0x4d1, cascaded on the master's
 * IRQ 2.  gpio in 0-7 are a controller's IRQ inputs, gpio out 0 its INT
 * output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "hw/qdev.h"
#include "hw/intc/irq-ack.h"

#define TYPE_I8259 "isa-i8259"

/*
 * Creates and realizes both controllers in /machine/unattached, the
 * slave's INT on the master's IRQ 2 and the master's INT on intr.
 * isa_irqs[0..15] receive the ISA IRQ inputs (2 is the cascade, left
 * NULL).  Returns the master, or NULL with errp set.
 */
DeviceState *i8259_init_pair(IRQLine *intr, IRQLine *isa_irqs[16],
                             Error **errp);

/*
 * The interrupt acknowledge cycle the CPU runs when it takes INTR: the
 * vector of the highest-priority request of the pair (through the
 * cascade), now in service; a spurious IRQ 7 (or 15 from the slave)
 * when the request went away.
 */
int i8259_inta(DeviceState *master);

/* Puts the pair (master, then slave) on a board's ISA bus made after
 * it (qdev_set_parent_bus). */
void i8259_pair_set_bus(DeviceState *master, BusState *bus);

/* Tells listener of the pair's acknowledgements, unmaskings and
 * initializations, with n the ISA IRQ (0-15); NULL: nobody. */
void i8259_set_ack_listener(DeviceState *master,
                            const IRQAckListener *listener);

#endif
