/*
 * The PC's x87 error logic (hw/i386/pc-ferr.c): FERR# to IRQ 13, port
 * 0xf0 to IGNNE#.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_I386_PC_FERR_H
#define HW_I386_PC_FERR_H

#include "hw/irq.h"
#include "hw/qdev.h"
#include "softmmu/memory.h"

typedef struct PCFerr {
    MemoryRegion port;           /* "ioportF0", as QEMU names it */
    IRQLine *ferr;               /* the CPU's FERR# comes in here */
    IRQLine *irq13;
    IRQLine *ignne;              /* the CPU's IGNNE# */
    bool ferr_level, ignne_level;
} PCFerr;

/* Wires cpu's FERR# to irq13 and port 0xf0 (in the system I/O space,
 * owned by owner) to cpu's IGNNE#. */
void pc_ferr_init(PCFerr *f, Object *owner, DeviceState *cpu,
                  IRQLine *irq13);

#endif
