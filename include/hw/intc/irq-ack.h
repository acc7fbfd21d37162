/*
 * Who hears that the guest acknowledged an interrupt controller's input
 * (the 8259 pair's ISA IRQs, the IOAPIC's pins): a timer that holds the
 * ticks a late host missed (hw/timer/i8254.c) sends the next one only
 * once the guest took the last, as kvm's in-kernel PIT does with its
 * ack and mask notifiers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_IRQ_ACK_H
#define HW_INTC_IRQ_ACK_H

typedef struct IRQAckListener {
    /* The guest ended the service of input n: its EOI (an 8259 in
     * automatic EOI mode: the INTA cycle). */
    void (*acked)(void *opaque, int n);
    /* Input n was unmasked, or its controller initialized: what came
     * while it was masked was dropped (the IOAPIC) or is one request
     * (the 8259), and the 8259's ICW1 clears its requests.  kvm's PIT
     * forgets the ticks it holds then; so does emu's. */
    void (*forgotten)(void *opaque, int n);
    void *opaque;
} IRQAckListener;

#endif
