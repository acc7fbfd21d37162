/*
 * The Intel MultiProcessor Specification 1.4 table: how a kernel without
 * ACPI finds the application processors, the IOAPIC and the ISA
 * interrupt routing of a PC.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_MPTABLE_H
#define HW_I386_MPTABLE_H

#include "util/osdep.h"

/*
 * The table ends at 640 KiB: the floating pointer structure in its last
 * 16 bytes (inside the last KiB of base memory, where Linux and other
 * kernels scan for "_MP_"), the configuration table just below it.
 */
#define MPTABLE_END 0xa0000

/* APIC IDs are 8 bits, 0xff is the broadcast, and the IOAPIC takes the
 * ID after the last CPU's: the highest APIC ID a CPU can have is 253. */
#define MPTABLE_MAX_CPUS 254

/* Where the table for nr_cpus starts: 1 KiB aligned, at most 0x9fc00.
 * [mptable_start(n), MPTABLE_END) is what the e820 map reserves. */
uint32_t mptable_start(unsigned nr_cpus);

/*
 * Fills buf (MPTABLE_END - mptable_start(nr_cpus) bytes) with the table
 * as it sits at mptable_start(nr_cpus): CPUs with APIC IDs apic_ids[0..
 * nr_cpus) in ascending order (the BSP the first), one ISA bus, the
 * IOAPIC (the ID after the last CPU's) at
 * X86_IOAPIC_ADDR with ISA IRQ n on its input n (kvm's default routing
 * of GSI n), ExtINT on LINT0 and NMI on LINT1 of every local APIC.
 */
void mptable_build(uint8_t *buf, const uint8_t *apic_ids, unsigned nr_cpus);

#endif
