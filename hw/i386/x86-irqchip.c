/*
 * The x86 boards' interrupt controllers and PIT: kvm's in-kernel ones or
 * emu's devices (see include/hw/i386/x86-irqchip.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "hw/i386/x86-boot.h"
#include "hw/i386/x86-irqchip.h"
#include "hw/intc/apic.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/sysbus.h"
#include "hw/timer/i8254.h"
#include "sysemu/accel.h"
#include "sysemu/kvm.h"
#include "target/i386/cpu.h"

/* The 8259's INT goes to every local APIC's LINT0 (virtual wire), as
 * the MP table says (ExtINT to all). */
static void pic_int_to_lint0(void *opaque, int n, int level)
{
    for (guint i = 0; i < cpus->len; i++) {
        irq_set_level(apic_lint0(i), level);
    }
}

/* The IOAPIC pin of the PIT's GSI 0. */
static int pit_ioapic_pin(X86IRQChip *chip)
{
    return chip->irq0_on_pin2 ? 2 : 0;
}

/* A GSI reaches the 8259 pair (ISA IRQs) and the IOAPIC pin of the
 * same number, as kvm's default routing and the MP table have it; on
 * a board whose ACPI MADT overrides ISA IRQ 0 to GSI 2 (the PC, as
 * real chipsets with an HPET wire the PIT), IRQ 0 reaches pin 2
 * instead, where the guest looks for its timer. */
static void gsi_set_level(void *opaque, int n, int level)
{
    X86IRQChip *chip = opaque;
    int pin = n == 0 ? pit_ioapic_pin(chip) : n;

    if (n < X86_ISA_IRQS) {
        irq_set_level(chip->isa_irqs[n], level);
    }
    if (chip->ioapic) {
        irq_set_level(qdev_get_gpio_in(chip->ioapic, pin), level);
    }
}

/* The timers on IRQ 0 hold the ticks the guest has not taken yet
 * (hw/timer/i8254.c, hw/timer/hpet.c): they hear when the guest
 * acknowledges IRQ 0 at the 8259 or its IOAPIC pin, or when the
 * controller dropped the request. */
static void irq0_timers_acked(X86IRQChip *chip, bool acked)
{
    for (int i = 0; i < X86_IRQ0_TIMERS && chip->irq0_timers[i]; i++) {
        const IRQAckListener *l = chip->irq0_timers[i];

        (acked ? l->acked : l->forgotten)(l->opaque, 0);
    }
}

static void pic_acked(void *opaque, int irq)
{
    if (irq == 0) {
        irq0_timers_acked(opaque, true);
    }
}

static void pic_forgotten(void *opaque, int irq)
{
    if (irq == 0) {
        irq0_timers_acked(opaque, false);
    }
}

static void ioapic_acked(void *opaque, int pin)
{
    if (pin == pit_ioapic_pin(opaque)) {
        irq0_timers_acked(opaque, true);
    }
}

static void ioapic_forgotten(void *opaque, int pin)
{
    if (pin == pit_ioapic_pin(opaque)) {
        irq0_timers_acked(opaque, false);
    }
}

static void pit_acked(void *opaque, int n)
{
    i8254_irq_acked(opaque);
}

static void pit_forgotten(void *opaque, int n)
{
    i8254_irq_forgotten(opaque);
}

void x86_irqchip_add_irq0_timer(X86IRQChip *chip, const IRQAckListener *l)
{
    if (!chip->pic) {
        return;
    }
    for (int i = 0; i < X86_IRQ0_TIMERS; i++) {
        if (!chip->irq0_timers[i]) {
            chip->irq0_timers[i] = l;
            return;
        }
    }
    g_assert_not_reached();
}

/*
 * QEMU 7.2 creates the kvmvapic (its TPR patching for Windows guests,
 * which emu does not do) while the first CPU's APIC realizes: it is
 * /machine/unattached/device[1] on both accelerators, the number emu
 * leaves unused so that what follows keeps QEMU's path.
 */
bool x86_create_cpus(MachineState *ms, Error **errp)
{
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        if (!cpu_create(ms->cpu_type, errp)) {
            return false;
        }
        if (i == 0) {
            machine_skip_unattached(1);
        }
    }
    return true;
}

bool x86_irqchip_create_pic(X86IRQChip *chip, Error **errp)
{
    if (accel_irqchip_in_kernel()) {
        /* QEMU's kvm-i8259 pair stands for kvm's. */
        machine_skip_unattached(2);
        return true;
    }
    chip->pic = i8259_init_pair(chip->pic_int, chip->isa_irqs, errp);
    if (!chip->pic || !apic_init_all(chip->pic, errp)) {
        return false;
    }
    chip->pic_ack = (IRQAckListener) {
        .acked = pic_acked, .forgotten = pic_forgotten, .opaque = chip,
    };
    i8259_set_ack_listener(chip->pic, &chip->pic_ack);
    return true;
}

bool x86_irqchip_create_ioapic(X86IRQChip *chip, Object *parent,
                               Error **errp)
{
    DeviceState *dev;

    if (accel_irqchip_in_kernel()) {
        return true;
    }
    dev = qdev_new(TYPE_IOAPIC);
    if (!object_add_child(parent, "ioapic", OBJECT(dev), errp)) {
        object_unref(OBJECT(dev));
        return false;
    }
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        object_unparent(OBJECT(dev));
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, X86_IOAPIC_ADDR);
    chip->ioapic = dev;
    chip->ioapic_ack = (IRQAckListener) {
        .acked = ioapic_acked, .forgotten = ioapic_forgotten, .opaque = chip,
    };
    ioapic_set_ack_listener(chip->ioapic, &chip->ioapic_ack);
    return true;
}

bool x86_irqchip_create_pit(X86IRQChip *chip, Error **errp)
{
    DeviceState *dev;

    if (accel_irqchip_in_kernel()) {
        /* QEMU's kvm-pit stands for kvm's. */
        machine_skip_unattached(1);
        return true;
    }
    dev = qdev_new(TYPE_I8254);
    if (!qdev_realize_and_unref(dev, NULL, errp)) {
        object_unparent(OBJECT(dev));
        return false;
    }
    chip->pit = dev;
    qdev_connect_gpio_out(chip->pit, 0, chip->gsi[0]);
    chip->pit_ack = (IRQAckListener) {
        .acked = pit_acked, .forgotten = pit_forgotten, .opaque = chip->pit,
    };
    x86_irqchip_add_irq0_timer(chip, &chip->pit_ack);
    return true;
}

/*
 * kvm's local APICs answer the vCPUs' accesses to 0xfee00000 in the
 * kernel; what reaches emu's memory there is a device's MSI, which goes
 * to the kernel's APICs (as QEMU's kvm-apic-msi region does).
 */
static uint64_t kvm_msi_window_read(void *opaque, hwaddr addr,
                                    unsigned size)
{
    return UINT32_MAX;
}

static void kvm_msi_window_write(void *opaque, hwaddr addr, uint64_t value,
                                 unsigned size)
{
    kvm_irqchip_send_msi(X86_LAPIC_ADDR + addr, value);
}

static const MemoryRegionOps kvm_msi_window_ops = {
    .read = kvm_msi_window_read,
    .write = kvm_msi_window_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

bool x86_irqchip_init(X86IRQChip *chip, bool irq0_on_pin2, Error **errp)
{
    memset(chip, 0, sizeof(*chip));
    chip->irq0_on_pin2 = irq0_on_pin2;
    if (accel_irqchip_in_kernel()) {
        for (int n = 0; n < X86_GSI_COUNT; n++) {
            chip->gsi[n] = kvm_irqchip_gsi(n);
        }
        memory_region_init_io(&chip->kvm_msi_window, NULL,
                              &kvm_msi_window_ops, NULL, "kvm-apic-msi",
                              X86_MSI_WINDOW_SIZE);
        memory_region_add_subregion(get_system_memory(), X86_LAPIC_ADDR,
                                    &chip->kvm_msi_window);
        return !irq0_on_pin2 || kvm_irqchip_route_irq0_to_pin2(errp);
    }
    chip->pic_int = irq_line_new(pic_int_to_lint0, chip, 0);
    for (int n = 0; n < X86_GSI_COUNT; n++) {
        chip->gsi_lines[n] = irq_line_new(gsi_set_level, chip, n);
        chip->gsi[n] = chip->gsi_lines[n];
    }
    return true;
}
