/*
 * The interrupt controllers and PIT of an x86 board, on the accelerator's
 * terms: kvm brings them with the VM (inputs through kvm_irqchip_gsi);
 * elsewhere (tcg) they are devices that this creates: the 8259 pair,
 * the 8254 PIT with port 0x61, and their wiring to the CPUs.
 *
 * Devices connect their interrupt outputs to gsi[n] in either case:
 * GSI 0-15 are the ISA IRQs (the PIT on 0, as MP table and kvm have it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_X86_IRQCHIP_H
#define HW_I386_X86_IRQCHIP_H

#include "hw/qdev.h"

#define X86_GSI_COUNT 24
#define X86_ISA_IRQS  16

typedef struct X86IRQChip {
    IRQLine *gsi[X86_GSI_COUNT];
    /* The devices, when emu created them (NULL with kvm's): */
    DeviceState *pic;            /* the master 8259 */
    DeviceState *pit;
} X86IRQChip;

/* After the CPUs exist: creates what the accelerator does not have. */
bool x86_irqchip_init(X86IRQChip *chip, Error **errp);

#endif
