/*
 * What a PC/AT chipset does with the x87's error pins in MS-DOS
 * compatibility mode (CR0.NE clear; target/i386/cpu.h, X86_CPU_IGNNE):
 * FERR# going high raises IRQ 13; a write to port 0xf0 while it is high
 * (the IRQ 13 handler's "clear the coprocessor's busy latch") lowers
 * IRQ 13 and asserts IGNNE#, so that the waiting x87 instruction the CPU
 * froze at goes on; IGNNE# stays until FERR# drops (fnclex, fninit...).
 * A write while FERR# is low does nothing, as the SDM's reference
 * circuit holds the IGNNE# latch reset then (QEMU asserts IGNNE# at
 * every write and keeps it until fldenv, frstor or fxrstor).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/i386/pc-ferr.h"
#include "target/i386/cpu.h"

#define PC_FERR_PORT 0xf0

static void pc_ferr_set_ignne(PCFerr *f, bool level)
{
    if (f->ignne_level != level) {
        f->ignne_level = level;
        irq_set_level(f->ignne, level);
    }
}

/* The CPU's FERR#. */
static void pc_ferr_changed(void *opaque, int n, int level)
{
    PCFerr *f = opaque;

    f->ferr_level = level;
    irq_set_level(f->irq13, level);
    if (!level) {
        pc_ferr_set_ignne(f, false);
    }
}

/* Nothing to read: all ones, as on QEMU. */
static uint64_t pc_ferr_read(void *opaque, hwaddr addr, unsigned size)
{
    return ~0ull;
}

static void pc_ferr_write(void *opaque, hwaddr addr, uint64_t value,
                          unsigned size)
{
    PCFerr *f = opaque;

    if (f->ferr_level) {
        irq_set_level(f->irq13, 0);
        pc_ferr_set_ignne(f, true);
    }
}

static const MemoryRegionOps pc_ferr_ops = {
    .read = pc_ferr_read,
    .write = pc_ferr_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
};

void pc_ferr_init(PCFerr *f, Object *owner, DeviceState *cpu,
                  IRQLine *irq13)
{
    f->ferr = irq_line_new(pc_ferr_changed, f, 0);
    f->irq13 = irq13;
    f->ignne = qdev_get_gpio_in(cpu, X86_CPU_IGNNE);
    qdev_connect_gpio_out(cpu, X86_CPU_FERR, f->ferr);
    memory_region_init_io(&f->port, owner, &pc_ferr_ops, f, "ioportF0", 1);
    memory_region_add_subregion(get_system_io(), PC_FERR_PORT, &f->port);
}
