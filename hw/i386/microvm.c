/*
 * The x86-64 "microvm" machine, after QEMU's: no PCI and no ACPI, just
 * RAM around the hole below 4 GiB, the legacy PC devices a kernel probes
 * (UARTs, i8042, CMOS RTC, port 0x80) and kvm's in-kernel interrupt
 * controllers and PIT.  It boots a firmware image (-bios) or a Linux
 * kernel directly (-kernel), and describes its CPUs with an MP table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "hw/qdev.h"
#include "hw/core/cpu.h"
#include "hw/char/serial.h"
#include "hw/i386/x86-boot.h"
#include "hw/i386/mptable.h"
#include "hw/i386/x86-irqchip.h"
#include "hw/loader.h"
#include "hw/misc/i8042.h"
#include "hw/misc/mc146818rtc.h"
#include "sysemu/kvm.h"
#include "sysemu/sysemu.h"
#include "target/i386/cpu.h"

#define TYPE_MICROVM_MACHINE "microvm" TYPE_MACHINE_SUFFIX

/* As QEMU 7.2's microvm: RAM past 3 GiB continues at 4 GiB. */
#define MICROVM_LOWMEM (3 * X86_GiB)

#define MICROVM_I8042_IRQ_KBD   1
#define MICROVM_I8042_IRQ_MOUSE 12
#define MICROVM_RTC_IOBASE      0x70
#define MICROVM_RTC_IRQ         8
#define MICROVM_POST_PORT       0x80

typedef struct MicrovmMachineState {
    MachineState parent_obj;
    X86RamLayout ram_layout;
    MemoryRegion ram_below_4g;
    MemoryRegion ram_above_4g;
    MemoryRegion post_port;
    X86Firmware firmware;
    bool has_firmware;
    X86LinuxBoot *linux_boot;    /* NULL without -kernel */
    X86IRQChip irqchip;
} MicrovmMachineState;

#define MICROVM_MACHINE(obj) \
    INSTANCE_CAST(MicrovmMachineState, (obj), TYPE_MICROVM_MACHINE)

/* The ISA serial ports a PC has, for serial_hd(0) and serial_hd(1). */
static const struct {
    uint32_t iobase;
    int irq;
} microvm_serials[] = {
    { 0x3f8, 4 },
    { 0x2f8, 3 },
};

static void microvm_map_ram(MicrovmMachineState *mms)
{
    MachineState *ms = &mms->parent_obj;
    X86RamLayout *layout = &mms->ram_layout;

    layout->below_4g = MIN(ms->ram_size, MICROVM_LOWMEM);
    layout->above_4g = ms->ram_size - layout->below_4g;
    memory_region_init_alias(&mms->ram_below_4g, NULL, "ram-below-4g",
                             ms->ram, 0, layout->below_4g);
    memory_region_add_subregion(get_system_memory(), 0, &mms->ram_below_4g);
    if (layout->above_4g) {
        memory_region_init_alias(&mms->ram_above_4g, NULL, "ram-above-4g",
                                 ms->ram, layout->below_4g,
                                 layout->above_4g);
        memory_region_add_subregion(get_system_memory(), X86_4GiB,
                                    &mms->ram_above_4g);
    }
}

/* Creates a board device in /machine/unattached, as QEMU files them, so
 * that info qtree shows it and system_reset resets it.  Realize with
 * microvm_realize_device. */
static DeviceState *microvm_new_device(const char *type)
{
    DeviceState *dev = qdev_new(type);

    machine_add_unattached(OBJECT(dev));
    return dev;
}

/* Realizes dev and connects its output pins, in order, to the
 * interrupt controllers' GSIs listed in irqs (-1 terminated). */
static bool microvm_realize_device(MicrovmMachineState *mms,
                                   DeviceState *dev, const int *irqs,
                                   Error **errp)
{
    if (!qdev_realize_and_unref(dev, NULL, errp)) {
        object_unparent(OBJECT(dev));
        return false;
    }
    for (int n = 0; irqs[n] >= 0; n++) {
        qdev_connect_gpio_out(dev, n, mms->irqchip.gsi[irqs[n]]);
    }
    return true;
}

static bool microvm_create_devices(MicrovmMachineState *mms, Error **errp)
{
    static const int i8042_irqs[] = {
        MICROVM_I8042_IRQ_KBD, MICROVM_I8042_IRQ_MOUSE, -1,
    };
    static const int rtc_irqs[] = { MICROVM_RTC_IRQ, -1 };
    DeviceState *dev;

    /* The IOAPIC (/machine/ioapic, numbered by nobody) after the 8259s,
     * so that "info pic" lists it last as QEMU's microvm does. */
    if (!x86_irqchip_create_pic(&mms->irqchip, errp) ||
        !x86_irqchip_create_ioapic(&mms->irqchip, OBJECT(mms), errp) ||
        !x86_irqchip_create_pit(&mms->irqchip, errp)) {
        return false;
    }
    dev = microvm_new_device(TYPE_MC146818_RTC);
    if (!object_property_set_uint(OBJECT(dev), "iobase", MICROVM_RTC_IOBASE,
                                  errp) ||
        !microvm_realize_device(mms, dev, rtc_irqs, errp)) {
        return false;
    }

    for (unsigned i = 0; i < ARRAY_SIZE(microvm_serials); i++) {
        Chardev *chr = serial_hd(i);
        const int irqs[] = { microvm_serials[i].irq, -1 };

        if (!chr) {
            continue;
        }
        dev = microvm_new_device(TYPE_ISA_SERIAL);
        if (!object_property_set_uint(OBJECT(dev), "iobase",
                                      microvm_serials[i].iobase, errp) ||
            !object_property_set_uint(OBJECT(dev), "irq",
                                      microvm_serials[i].irq, errp) ||
            !object_property_set_str(OBJECT(dev), "chardev",
                                     chardev_label(chr), errp) ||
            !microvm_realize_device(mms, dev, irqs, errp)) {
            return false;
        }
    }

    /* Not on QEMU's microvm: emu's keyboard controller, for the reset
     * through port 0x64 that kernels try. */
    dev = microvm_new_device(TYPE_I8042);
    if (!microvm_realize_device(mms, dev, i8042_irqs, errp)) {
        return false;
    }

    /* Port 0x80 (POST codes): firmware and kernels write it as an I/O
     * delay; a region without ops reads 0 and takes writes silently. */
    memory_region_init_io(&mms->post_port, OBJECT(mms), NULL, NULL,
                          "ioport80", 1);
    memory_region_add_subregion(get_system_io(), MICROVM_POST_PORT,
                                &mms->post_port);
    return true;
}

static bool microvm_init(MachineState *ms, Error **errp)
{
    MicrovmMachineState *mms = MICROVM_MACHINE(ms);

    if (!ms->firmware && !ms->kernel_filename) {
        error_setg(errp, "microvm needs -bios FILE or -kernel FILE");
        error_append_hint(errp, "QEMU's microvm falls back to its own "
                          "firmware (qboot); emu ships none.\n");
        return false;
    }
    if (!machine_create_ram(ms, errp)) {
        return false;
    }
    microvm_map_ram(mms);
    if (ms->firmware) {
        if (!x86_firmware_load(&mms->firmware, get_system_memory(), true,
                               ms->firmware, errp)) {
            return false;
        }
        rom_list_add_image(ms->firmware, X86_4GiB - mms->firmware.size,
                           mms->firmware.size, ROM_VIEW_SYSTEM);
        mms->has_firmware = true;
    }
    if (ms->kernel_filename) {
        mms->linux_boot = x86_linux_boot_prepare(
            ms->kernel_filename, ms->initrd_filename, ms->kernel_cmdline,
            &mms->ram_layout, mptable_start(ms->smp_cpus),
            mms->has_firmware ? &mms->firmware : NULL, errp);
        if (!mms->linux_boot) {
            return false;
        }
    }
    /* The MP table's IOAPIC takes the ID after the last CPU's. */
    if (x86_apic_id_limit(ms->smp_cores, ms->smp_threads,
                          ms->smp_max_cpus) > MPTABLE_MAX_CPUS) {
        error_setg(errp, "-smp: this topology's APIC IDs go past %u, "
                   "the highest microvm's MP table gives a CPU",
                   MPTABLE_MAX_CPUS - 1);
        return false;
    }
    if (!x86_create_cpus(ms, errp)) {
        return false;
    }
    /* QEMU's isabus-bridge (emu's ISA devices sit on no bus here). */
    machine_skip_unattached(1);
    if (!x86_irqchip_init(&mms->irqchip, false, errp)) {
        return false;
    }
    /* QEMU's second IOAPIC (ioapic2=auto), its 24 virtio-mmio
     * transports and its acpi-ged-x86: emu's microvm has none of them. */
    machine_skip_unattached(1 + 24 + 1);
    return microvm_create_devices(mms, errp);
}

/* Puts what the guest finds in memory at power-on back in place: the
 * firmware, the MP table, and with -kernel the kernel and its boot state. */
static void microvm_reset(MachineState *ms)
{
    MicrovmMachineState *mms = MICROVM_MACHINE(ms);

    if (mms->has_firmware) {
        x86_firmware_reset(&mms->firmware);
    }

    /* Firmware may run with less RAM than base memory; it gets no table. */
    if (mms->ram_layout.below_4g >= MPTABLE_END) {
        uint32_t start = mptable_start(ms->smp_cpus);
        g_autofree uint8_t *table = g_malloc(MPTABLE_END - start);
        g_autofree uint8_t *apic_ids = g_malloc(ms->smp_cpus);

        for (unsigned i = 0; i < ms->smp_cpus; i++) {
            apic_ids[i] = X86_CPU(g_ptr_array_index(cpus, i))->env.apic_id;
        }
        mptable_build(table, apic_ids, ms->smp_cpus);
        address_space_write(&address_space_memory, start, table,
                            MPTABLE_END - start);
    }
    if (mms->linux_boot) {
        X86CPU *bsp = X86_CPU(g_ptr_array_index(cpus, 0));

        x86_linux_boot_reset(mms->linux_boot, &address_space_memory,
                             &bsp->env);
    }
}

static void microvm_class_init(ObjectClass *klass)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->desc = "microvm (i386)";
    /* QEMU's -M help lists microvm with the versioned families, first. */
    mc->family = "microvm";
    mc->init = microvm_init;
    mc->reset = microvm_reset;
    mc->default_ram_size = 128 * X86_MiB;
    mc->default_ram_id = "microvm.ram";
    mc->ram_is_memdev = true;
    mc->max_cpus = MPTABLE_MAX_CPUS;
    mc->cpu_slot_props = CPU_SLOT_PROPS_SOCKET_CORE_THREAD;
    mc->default_cpu_model = "qemu64";
    mc->loads_firmware = true;
    mc->loads_kernel = true;
    /* -hda is none00, -cdrom none20: one unit per bus, as QEMU numbers. */
    mc->units_per_default_bus = 1;
}

static const TypeInfo microvm_types[] = {
    {
        .name = TYPE_MICROVM_MACHINE,
        .parent = TYPE_MACHINE,
        .instance_size = sizeof(MicrovmMachineState),
        .class_init = microvm_class_init,
    },
};

DEFINE_TYPES(microvm_types)
