/*
 * The interrupt controllers and PIT of an x86 board, on the accelerator's
 * terms: kvm brings them with the VM (inputs through kvm_irqchip_gsi);
 * elsewhere (tcg) they are devices that this creates: the 8259 pair,
 * a local APIC per CPU, the IOAPIC, the 8254 PIT with port 0x61, and
 * their wiring: the 8259's INT on every LINT0, GSI n on ISA IRQ n (below
 * 16) and IOAPIC pin n (GSI 0 on pin 2 where the board's tables say
 * so).
 *
 * Devices connect their interrupt outputs to gsi[n] in either case:
 * GSI 0-15 are the ISA IRQs (the PIT on 0, as MP table and kvm have it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_X86_IRQCHIP_H
#define HW_I386_X86_IRQCHIP_H

#include "hw/qdev.h"
#include "hw/intc/irq-ack.h"
#include "softmmu/memory.h"

#define X86_GSI_COUNT 24
#define X86_ISA_IRQS  16
/* The timers that may drive IRQ 0: the PIT, an HPET's timer 0. */
#define X86_IRQ0_TIMERS 2

typedef struct X86IRQChip {
    IRQLine *gsi[X86_GSI_COUNT];
    /* The devices, when emu created them (NULL with kvm's): */
    DeviceState *pic;            /* the master 8259 */
    DeviceState *ioapic;
    DeviceState *pit;
    IRQLine *isa_irqs[X86_ISA_IRQS];     /* the 8259 pair's inputs */
    IRQLine *gsi_lines[X86_GSI_COUNT];   /* owned: the fan-out of gsi[] */
    IRQLine *pic_int;                    /* owned: INT to every LINT0 */
    bool irq0_on_pin2;                   /* the PIT on IOAPIC pin 2 */
    IRQAckListener pic_ack, ioapic_ack;  /* IRQ 0's interrupt taken... */
    IRQAckListener pit_ack;
    const IRQAckListener *irq0_timers[X86_IRQ0_TIMERS];  /* ...told them */
    MemoryRegion kvm_msi_window;         /* with kvm's: MSIs to kvm */
} X86IRQChip;

typedef struct MachineState MachineState;

/* The -smp vCPUs, /machine/unattached/device[N] as QEMU numbers them
 * (its kvmvapic after the first). */
bool x86_create_cpus(MachineState *ms, Error **errp);

/*
 * After the CPUs exist: the GSIs, which devices may be wired to from
 * then on.  irq0_on_pin2: the board's MADT overrides ISA IRQ 0 to GSI 2.
 *
 * Then the board creates the controllers where QEMU's board creates
 * them, so that each gets QEMU's QOM path: the 8259 pair (with a local
 * APIC per CPU, /machine/unattached/device[N]/lapic), the IOAPIC as
 * child "ioapic" of parent, the PIT.  With kvm's controllers these
 * only leave unused the numbers QEMU gives its kvm-i8259 and kvm-pit.
 */
bool x86_irqchip_init(X86IRQChip *chip, bool irq0_on_pin2, Error **errp);
bool x86_irqchip_create_pic(X86IRQChip *chip, Error **errp);
bool x86_irqchip_create_ioapic(X86IRQChip *chip, Object *parent,
                               Error **errp);
bool x86_irqchip_create_pit(X86IRQChip *chip, Error **errp);

/*
 * A timer on IRQ 0 that holds the ticks the guest has not taken yet
 * (include/hw/intc/irq-ack.h; the PIT is one already): it hears, with
 * n 0, when the guest acknowledges IRQ 0 at the 8259 or its IOAPIC pin
 * and when the controller dropped the request.  Nothing with kvm's
 * controllers (its PIT holds its own ticks).
 */
void x86_irqchip_add_irq0_timer(X86IRQChip *chip, const IRQAckListener *l);

#endif
