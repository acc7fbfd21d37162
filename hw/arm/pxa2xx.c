/*
 * The PXA255 system on chip: the XScale core, SDRAM and internal SRAM,
 * and the on-chip peripherals at the addresses of the PXA255 memory map
 * (region names and sizes as QEMU 7.2's connex shows them), each wired
 * to the interrupt controller.  Boards call pxa255_init and add what is
 * on the board (flash, ethernet, GPIO wiring).
 *
 * Every on-chip device sits on the system bus (reset by system_reset,
 * listed by info qtree).  In the object tree those QEMU's connex also
 * has are at QEMU's /machine/unattached/device[N], the others under
 * /machine/soc/NAME (pxa255_new_own).
 * The SoC's address windows not covered by a device model are
 * unimplemented-device regions, so firmware probing them is logged
 * under -d unimp instead of silently reading zero.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/arm/pxa.h"
#include "hw/arm/pxa-devices.h"
#include "hw/misc/unimp.h"
#include "sysemu/sysemu.h"
#include "target/arm/cpu.h"

#define PXA255_DEFAULT_CPU "pxa255" ARM_CPU_TYPE_SUFFIX

/* The UARTs, in -serial order (QEMU 7.2 uses the same order). */
static const struct {
    const char *name;
    hwaddr base;
    int irq;
} pxa255_uarts[] = {
    { "ffuart", 0x40100000, PXA2XX_PIC_FFUART },
    { "btuart", 0x40200000, PXA2XX_PIC_BTUART },
    { "stuart", 0x40700000, PXA2XX_PIC_STUART },
    { "hwuart", 0x41600000, PXA2XX_PIC_HWUART },
};

/* The other peripherals: one MMIO region and one interrupt (irq < 0:
 * none). */
static const struct {
    const char *name;
    const char *type;
    hwaddr base;
    int irq;
} pxa255_peripherals[] = {
    { "lcd", TYPE_PXA2XX_LCD, 0x44000000, PXA2XX_PIC_LCD },
    { "mmci", TYPE_PXA2XX_MMCI, 0x41100000, PXA2XX_PIC_MMC },
    { "ssp", TYPE_PXA2XX_SSP, 0x41000000, PXA2XX_PIC_SSP },
    { "nssp", TYPE_PXA2XX_SSP, 0x41400000, PXA2XX_PIC_NSSP },
    { "i2s", TYPE_PXA2XX_I2S, 0x40400000, PXA2XX_PIC_I2S },
    /* card detect and ready come through GPIOs, wired by the board */
    { "pcmcia0", TYPE_PXA2XX_PCMCIA, 0x20000000, -1 },
    { "pcmcia1", TYPE_PXA2XX_PCMCIA, 0x30000000, -1 },
};

/* The two I2C units: windows placed as QEMU places them, registers at
 * offset + 0x80 within (IBMR 0x40301680, PIBMR 0x40f00180). */
static const struct {
    const char *name;
    hwaddr base;
    uint32_t size;
    uint32_t offset;
    int irq;
} pxa255_i2cs[] = {
    { "i2c", PXA2XX_I2C_BASE, 0x10000, 0x1600, PXA2XX_PIC_I2C },
    { "pwri2c", PXA2XX_PWRI2C_BASE, PXA2XX_PWRI2C_SIZE, PXA2XX_PWRI2C_OFFSET,
      PXA2XX_PIC_PWRI2C },
};

/* The SoC's address windows: whatever no device answers is logged. */
static const struct {
    const char *name;
    hwaddr base;
    uint64_t size;
} pxa255_unimp_windows[] = {
    { "pxa255.pcmcia0", 0x20000000, 0x10000000 },
    { "pxa255.pcmcia1", 0x30000000, 0x10000000 },
    { "pxa255.peripherals", 0x40000000, 0x04000000 },
    { "pxa255.lcd", 0x44000000, 0x04000000 },
    { "pxa255.memctl", 0x48000000, 0x04000000 },
};

/*
 * A new device of the SoC.  QEMU's connex has the same devices where
 * QEMU models them: they go to /machine/unattached/device[N] when
 * realized, so they must be created in QEMU's order.  Units QEMU keeps
 * as bare memory regions (clock and power manager, memory controller,
 * LCD, I2S) and the unimplemented-device windows are emu's own: they
 * are filed as /machine/soc/NAME and leave QEMU's numbering alone.
 */
static Object *pxa255_soc_container(MachineState *ms)
{
    return container_get(OBJECT(ms), "soc");
}

static DeviceState *pxa255_new_own(MachineState *ms, const char *name,
                                   const char *type)
{
    DeviceState *dev = qdev_new(type);

    /* Names come from the code below, which has no duplicates. */
    object_add_child(pxa255_soc_container(ms), name, OBJECT(dev),
                     &error_fatal);
    return dev;
}

/* Realizes dev on the system bus and maps its first region at base. */
static bool pxa255_realize(DeviceState *dev, hwaddr base, Error **errp)
{
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    return true;
}

/* Output pin n of dev to interrupt source irq of the controller. */
static void pxa255_connect(DeviceState *dev, int n, PXA2xxState *s, int irq)
{
    qdev_connect_gpio_out(dev, n, qdev_get_gpio_in(s->pic, irq));
}

/* A peripheral of pxa255_peripherals[] (by name) where QEMU has it. */
static bool pxa255_create_peripheral(MachineState *ms, PXA2xxState *s,
                                     const char *name, bool own,
                                     Error **errp)
{
    for (size_t i = 0; i < ARRAY_SIZE(pxa255_peripherals); i++) {
        DeviceState *dev;

        if (strcmp(pxa255_peripherals[i].name, name)) {
            continue;
        }
        dev = own ? pxa255_new_own(ms, name, pxa255_peripherals[i].type)
                  : qdev_new(pxa255_peripherals[i].type);
        if (!pxa255_realize(dev, pxa255_peripherals[i].base, errp)) {
            return false;
        }
        if (pxa255_peripherals[i].irq >= 0) {
            pxa255_connect(dev, 0, s, pxa255_peripherals[i].irq);
        }
        return true;
    }
    g_assert_not_reached();
}

/* The interrupt controller, DMA, timers and GPIO: device[1] to [4]. */
static bool pxa255_create_core_devices(PXA2xxState *s, Error **errp)
{
    s->pic = qdev_new(TYPE_PXA2XX_PIC);
    if (!pxa255_realize(s->pic, 0x40d00000, errp)) {
        return false;
    }
    qdev_connect_gpio_out(s->pic, PXA2XX_PIC_OUT_IRQ,
                          qdev_get_gpio_in(DEVICE(s->cpu), ARM_CPU_IRQ));
    qdev_connect_gpio_out(s->pic, PXA2XX_PIC_OUT_FIQ,
                          qdev_get_gpio_in(DEVICE(s->cpu), ARM_CPU_FIQ));

    s->dma = qdev_new(TYPE_PXA2XX_DMA);
    if (!pxa255_realize(s->dma, 0x40000000, errp)) {
        return false;
    }
    pxa255_connect(s->dma, 0, s, PXA2XX_PIC_DMA);

    s->ost = qdev_new(TYPE_PXA25X_TIMER);
    if (!pxa255_realize(s->ost, 0x40a00000, errp)) {
        return false;
    }
    for (int n = 0; n < 4; n++) {
        pxa255_connect(s->ost, n, s, PXA2XX_PIC_OST0 + n);
    }

    s->gpio = qdev_new(TYPE_PXA2XX_GPIO);
    if (!object_property_set_uint(OBJECT(s->gpio), "lines", PXA255_GPIO_LINES,
                                  errp) ||
        !pxa255_realize(s->gpio, 0x40e00000, errp)) {
        return false;
    }
    pxa255_connect(s->gpio, PXA2XX_GPIO_OUT_GPIO0, s, PXA2XX_PIC_GPIO0);
    pxa255_connect(s->gpio, PXA2XX_GPIO_OUT_GPIO1, s, PXA2XX_PIC_GPIO1);
    pxa255_connect(s->gpio, PXA2XX_GPIO_OUT_GPIO_X, s, PXA2XX_PIC_GPIO_X);
    return true;
}

/* MMC, the UARTs -serial gives a backend, SSP, PCMCIA, RTC and I2C. */
static bool pxa255_create_peripherals(MachineState *ms, PXA2xxState *s,
                                      Error **errp)
{
    DeviceState *dev;

    if (!pxa255_create_peripheral(ms, s, "mmci", false, errp)) {
        return false;
    }
    /* QEMU's sd-card: emu keeps the card inside pxa2xx-mmci. */
    machine_skip_unattached(1);

    for (size_t i = 0; i < ARRAY_SIZE(pxa255_uarts); i++) {
        Chardev *chr = serial_hd(i);

        /* As QEMU: a UART exists when -serial gives it a backend. */
        if (!chr) {
            continue;
        }
        dev = qdev_new(TYPE_PXA2XX_UART);
        if (!object_property_set_str(OBJECT(dev), "chardev",
                                     chardev_label(chr), errp) ||
            !pxa255_realize(dev, pxa255_uarts[i].base, errp)) {
            return false;
        }
        pxa255_connect(dev, 0, s, pxa255_uarts[i].irq);
    }

    if (!pxa255_create_peripheral(ms, s, "ssp", false, errp) ||
        !pxa255_create_peripheral(ms, s, "nssp", false, errp) ||
        !pxa255_create_peripheral(ms, s, "pcmcia0", false, errp) ||
        !pxa255_create_peripheral(ms, s, "pcmcia1", false, errp)) {
        return false;
    }

    dev = qdev_new(TYPE_PXA2XX_RTC);
    if (!pxa255_realize(dev, 0x40900000, errp)) {
        return false;
    }
    pxa255_connect(dev, 0, s, PXA2XX_PIC_RTC_HZ);
    pxa255_connect(dev, 1, s, PXA2XX_PIC_RTC_ALARM);

    for (size_t i = 0; i < ARRAY_SIZE(pxa255_i2cs); i++) {
        dev = qdev_new(TYPE_PXA2XX_I2C);
        if (!object_property_set_uint(OBJECT(dev), "size",
                                      pxa255_i2cs[i].size, errp) ||
            !object_property_set_uint(OBJECT(dev), "offset",
                                      pxa255_i2cs[i].offset, errp) ||
            !pxa255_realize(dev, pxa255_i2cs[i].base, errp)) {
            return false;
        }
        pxa255_connect(dev, 0, s, pxa255_i2cs[i].irq);
        /* QEMU's pxa2xx-i2c-slave: emu's unit answers as a slave
         * itself. */
        machine_skip_unattached(1);
    }
    return true;
}

/* The units QEMU does not model as devices, under /machine/soc. */
static bool pxa255_create_own_devices(MachineState *ms, PXA2xxState *s,
                                      Error **errp)
{
    DeviceState *clkpm = pxa255_new_own(ms, "clkpm", TYPE_PXA2XX_CLKPM);
    DeviceState *memctl;

    if (!pxa255_realize(clkpm, 0x41300000, errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(clkpm), 1, 0x40f00000);
    qdev_connect_gpio_out(s->ost, PXA2XX_OST_OUT_WATCHDOG,
                          qdev_get_gpio_in(clkpm, PXA2XX_CLKPM_IN_WATCHDOG));

    memctl = pxa255_new_own(ms, "memctl", TYPE_PXA2XX_MEMCTL);
    if (!pxa255_realize(memctl, 0x48000000, errp) ||
        !pxa255_create_peripheral(ms, s, "lcd", true, errp) ||
        !pxa255_create_peripheral(ms, s, "i2s", true, errp)) {
        return false;
    }

    for (size_t i = 0; i < ARRAY_SIZE(pxa255_unimp_windows); i++) {
        create_unimplemented_device(pxa255_soc_container(ms),
                                    pxa255_unimp_windows[i].name,
                                    pxa255_unimp_windows[i].base,
                                    pxa255_unimp_windows[i].size);
    }
    return true;
}

PXA2xxState *pxa255_init(MachineState *ms, Error **errp)
{
    PXA2xxState *s = g_new0(PXA2xxState, 1);
    CPUState *cpu;

    cpu = cpu_create(ms->cpu_type ? ms->cpu_type : PXA255_DEFAULT_CPU, errp);
    if (!cpu) {
        goto fail;
    }
    s->cpu = ARM_CPU(cpu);

    if (!ms->ram && !machine_create_ram(ms, errp)) {
        goto fail;
    }
    memory_region_add_subregion(get_system_memory(), PXA2XX_SDRAM_BASE,
                                ms->ram);
    if (!memory_region_init_ram(&s->sram, NULL, "pxa255.internal",
                                PXA255_SRAM_SIZE, errp)) {
        goto fail;
    }
    memory_region_add_subregion(get_system_memory(), PXA255_SRAM_BASE,
                                &s->sram);

    if (!pxa255_create_core_devices(s, errp) ||
        !pxa255_create_peripherals(ms, s, errp) ||
        !pxa255_create_own_devices(ms, s, errp)) {
        goto fail;
    }
    return s;

fail:
    /* What was built stays in place (regions are mapped): the board
     * stops emu on this error. */
    return NULL;
}
