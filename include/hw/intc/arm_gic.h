/*
 * The ARM Generic Interrupt Controller, architecture version 2 (GICv2,
 * as the Cortex-A15 MPCore has it), without the Security Extensions and
 * without the virtualization interface: the distributor and the CPU
 * interface QEMU's virt board maps at 0x08000000 and 0x08010000.
 *
 * Inputs (qdev gpio in): the SPIs first (num-irq - 32 of them, interrupt
 * ID 32 + n), then for each CPU c its 32 private lines (ID n, at
 * num-irq - 32 + c * 32 + n: the PPIs, 16-31, are what devices such as
 * the generic timer drive; 0-15 are SGIs, raised only by GICD_SGIR).
 * Outputs (sysbus irqs / gpio out): the IRQ line of each CPU, then the
 * FIQ line of each CPU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INTC_ARM_GIC_H
#define HW_INTC_ARM_GIC_H

#define TYPE_ARM_GIC "arm_gic"

#define GIC_NR_SGIS 16
#define GIC_INTERNAL 32          /* SGIs and PPIs: banked per CPU */
#define GIC_MAX_IRQ 1020
#define GIC_MAX_CPUS 8
#define GIC_DIST_SIZE 0x1000
#define GIC_CPU_SIZE 0x2000      /* GICC_DIR is at 0x1000 */

/* The GPIO input of private interrupt ID irq (16-31) of cpu. */
static inline int arm_gic_ppi_index(unsigned num_irq, int cpu, int irq)
{
    return num_irq - GIC_INTERNAL + cpu * GIC_INTERNAL + irq;
}

#endif
