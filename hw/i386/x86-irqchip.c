/*
 * The x86 boards' interrupt controllers and PIT: kvm's in-kernel ones or
 * emu's devices (see include/hw/i386/x86-irqchip.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "hw/i386/x86-irqchip.h"
#include "hw/intc/i8259.h"
#include "hw/timer/i8254.h"
#include "sysemu/accel.h"
#include "sysemu/kvm.h"
#include "target/i386/cpu.h"

static int pic_intack(void *opaque)
{
    return i8259_inta(opaque);
}

static bool create_devices(X86IRQChip *chip, Error **errp)
{
    X86CPU *bsp = X86_CPU(g_ptr_array_index(cpus, 0));
    IRQLine *isa_irqs[X86_ISA_IRQS];
    DeviceState *pit;

    /* The 8259's INT drives the BSP's INTR; its INTA answers the CPU. */
    chip->pic = i8259_init_pair(qdev_get_gpio_in(DEVICE(bsp), X86_CPU_INTR),
                                isa_irqs, errp);
    if (!chip->pic) {
        return false;
    }
    x86_cpu_set_intack(bsp, pic_intack, chip->pic);
    for (int n = 0; n < X86_ISA_IRQS; n++) {
        chip->gsi[n] = isa_irqs[n];
    }

    pit = qdev_new(TYPE_I8254);
    machine_add_unattached(OBJECT(pit));
    if (!qdev_realize_and_unref(pit, NULL, errp)) {
        object_unparent(OBJECT(pit));
        return false;
    }
    qdev_connect_gpio_out(pit, 0, chip->gsi[0]);
    chip->pit = pit;
    return true;
}

bool x86_irqchip_init(X86IRQChip *chip, Error **errp)
{
    memset(chip, 0, sizeof(*chip));
    if (accel_irqchip_in_kernel()) {
        for (int n = 0; n < X86_GSI_COUNT; n++) {
            chip->gsi[n] = kvm_irqchip_gsi(n);
        }
        return true;
    }
    return create_devices(chip, errp);
}
