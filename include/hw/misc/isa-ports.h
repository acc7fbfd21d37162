/*
 * Port I/O for the ISA-style devices of the PC (UARTs, i8042, CMOS RTC,
 * isa-debug-exit): a device places its registers in the system I/O
 * address space itself.  It sits on the PC's ISA bus (isa.0, the
 * PIIX3's) for info qtree; microvm has none and its ISA devices sit on
 * no bus.  This checks what a user can get wrong with -device (no port
 * space on this target, a range past 0xffff, ports already taken)
 * before mapping.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_ISA_PORTS_H
#define HW_MISC_ISA_PORTS_H

#include "hw/qdev.h"
#include "softmmu/memory.h"

/* The ISA bus type: ISA devices' DeviceClass optional_bus_type. */
#define TYPE_ISA_BUS "ISA"

/* Maps mr (an io region owned by dev) at port base of the system I/O
 * space; errors name the device type and the ports. */
bool isa_ports_map(DeviceState *dev, MemoryRegion *mr, uint32_t base,
                   Error **errp);
/* Removes a region mapped by isa_ports_map (unrealize). */
void isa_ports_unmap(MemoryRegion *mr);

#endif
