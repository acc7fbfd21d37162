/*
 * Port I/O for the ISA-style devices of the PC (UARTs, i8042, CMOS RTC,
 * isa-debug-exit): there is no ISA bus object, a device simply places
 * its registers in the system I/O address space.  This checks what a
 * user can get wrong with -device (no port space on this target, a
 * range past 0xffff, ports already taken) before mapping.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_ISA_PORTS_H
#define HW_MISC_ISA_PORTS_H

#include "hw/qdev.h"
#include "softmmu/memory.h"

/* Maps mr (an io region owned by dev) at port base of the system I/O
 * space; errors name the device type and the ports. */
bool isa_ports_map(DeviceState *dev, MemoryRegion *mr, uint32_t base,
                   Error **errp);
/* Removes a region mapped by isa_ports_map (unrealize). */
void isa_ports_unmap(MemoryRegion *mr);

#endif
