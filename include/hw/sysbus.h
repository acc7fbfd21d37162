/*
 * The system bus: devices reached by memory-mapped I/O at fixed
 * addresses, with interrupt outputs wired by the board.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_SYSBUS_H
#define HW_SYSBUS_H

#include "hw/qdev.h"
#include "softmmu/memory.h"

#define TYPE_SYS_BUS_DEVICE "sys-bus-device"
#define TYPE_SYSTEM_BUS "System"       /* QEMU's name */
#define SYSBUS_MAX_MMIO 32
#define SYSBUS_MAX_IRQ 64

typedef struct SysBusDevice {
    DeviceState parent_obj;
    int num_mmio;
    struct {
        hwaddr addr;             /* (hwaddr)-1 until mapped */
        MemoryRegion *memory;
    } mmio[SYSBUS_MAX_MMIO];
    int num_irq;
    IRQLine **irqs[SYSBUS_MAX_IRQ];
} SysBusDevice;

#define SYS_BUS_DEVICE(obj) \
    INSTANCE_CAST(SysBusDevice, (obj), TYPE_SYS_BUS_DEVICE)

/* The bus every board's memory-mapped devices sit on. */
BusState *sysbus_get_default(void);
/* Registers a region the board maps later with sysbus_mmio_map. */
void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *mr);
/* Maps region n into system memory at addr. */
void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr);
void sysbus_mmio_map_overlap(SysBusDevice *dev, int n, hwaddr addr,
                             int priority);
/* Declares an interrupt output; *p is where the line gets stored. */
void sysbus_init_irq(SysBusDevice *dev, IRQLine **p);
void sysbus_connect_irq(SysBusDevice *dev, int n, IRQLine *line);
/* Creates, realizes on the system bus and maps a device in one go. */
DeviceState *sysbus_create_simple(const char *typename, hwaddr addr,
                                  IRQLine *irq);

#endif
