/*
 * The local APIC of a tcg CPU ("apic", one per CPU) and the APIC bus
 * that joins them with the IOAPIC.  The register page answers at the
 * APIC base of whichever CPU accesses it (xAPIC MMIO; x2APIC is not
 * modelled).  gpio in 0 is LINT0 (the 8259's INT in virtual-wire mode),
 * gpio in 1 is LINT1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_APIC_H
#define HW_INTC_APIC_H

#include "hw/qdev.h"

#define TYPE_APIC "apic"

/* Delivery modes (ICR, LVT entries, IOAPIC redirection entries). */
enum {
    APIC_DM_FIXED = 0,
    APIC_DM_LOWEST = 1,
    APIC_DM_SMI = 2,
    APIC_DM_NMI = 4,
    APIC_DM_INIT = 5,
    APIC_DM_SIPI = 6,
    APIC_DM_EXTINT = 7,
};

/*
 * Creates the local APIC of every CPU (after the CPUs), maps the
 * register page and makes each APIC its CPU's interrupt controller.  pic
 * is the master 8259 that ExtINT acknowledges go to (may be NULL).
 */
bool apic_init_all(DeviceState *pic, Error **errp);
/* LINT0 of each APIC, in CPU order. */
IRQLine *apic_lint0(unsigned cpu_index);

/*
 * A message on the APIC bus (from the IOAPIC): delivers vector in mode
 * to the APICs that dest/logical select; level marks a level-triggered
 * fixed interrupt, whose EOI is broadcast back to the IOAPIC.
 */
void apic_bus_deliver(uint8_t dest, bool logical, int mode, uint8_t vector,
                      bool level);
/*
 * A message-signalled interrupt (Intel SDM vol. 3, 10.11): a write of
 * data at addr in the 0xfee00000 window.  The address names the
 * destination (bits 19:12, logical when bit 2 is set), the data the
 * vector (7:0), delivery mode (10:8) and trigger mode (15).
 */
#define MSI_ADDR_DEST_SHIFT 12
#define MSI_ADDR_DEST_LOGICAL 0x4
#define MSI_DATA_MODE_SHIFT 8
#define MSI_DATA_TRIGGER_LEVEL 0x8000
void apic_send_msi(uint64_t addr, uint32_t data);
/* Who hears EOIs (the IOAPIC): level tells a level-triggered vector
 * (TMR), the only ones the hardware broadcasts. */
void apic_bus_set_eoi_listener(void (*eoi)(void *opaque, uint8_t vector,
                                           bool level),
                               void *opaque);

/* "info lapic" of one CPU, as QEMU prints it. */
void apic_print_state(unsigned cpu_index, GString *out);

#endif
