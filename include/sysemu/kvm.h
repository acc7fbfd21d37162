/*
 * What boards may ask of the kvm accelerator.  Every function has a stub
 * in builds or runs without kvm, so callers need no #ifdef.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_KVM_H
#define SYSEMU_KVM_H

#include "util/osdep.h"
#include "hw/irq.h"

/* Whether the machine runs on kvm. */
bool kvm_enabled(void);
/* Whether this emu could run its guests on kvm (compiled in, guest
 * architecture of the host's): QMP's query-kvm "present". */
bool kvm_present(void);

/*
 * An input of the in-kernel interrupt controller (x86: the PIC and the
 * IOAPIC, which kvm creates with the VM): raising it injects GSI gsi.
 * NULL without kvm.
 */
IRQLine *kvm_irqchip_gsi(int gsi);

/*
 * x86: the in-kernel routing of a PC whose ACPI MADT overrides ISA IRQ 0
 * to GSI 2 (as QEMU's pc does): GSI 0, which the in-kernel PIT raises,
 * goes to the 8259's IRQ 0 and IOAPIC pin 2, every other GSI to the
 * 8259 input and IOAPIC pin of its number.  kvm's default sends GSI 0 to
 * pin 0, where the guest does not look.  False (errp set) when kvm
 * refuses; true without kvm.
 */
bool kvm_irqchip_route_irq0_to_pin2(Error **errp);

/*
 * A message-signalled interrupt (a device's write of data at addr, in
 * the architecture's MSI window) delivered by the in-kernel interrupt
 * controller (KVM_SIGNAL_MSI).  False, having reported why, when kvm
 * does not take it; false without an in-kernel irqchip.
 */
bool kvm_irqchip_send_msi(uint64_t addr, uint32_t data);

#endif
