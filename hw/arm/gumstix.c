/*
 * The Gumstix Connex board ("-M connex"): a PXA255 with 64 MiB of SDRAM,
 * 16 MiB of Intel StrataFlash at 0 (the boot flash, from -pflash) and an
 * SMC91C111 Ethernet controller on the static memory bus, its interrupt
 * on GPIO 36.  Addresses, region names and wiring as QEMU 7.2 has them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/arm/pxa.h"
#include "hw/block/flash.h"
#include "sysemu/blockdev.h"

#define CONNEX_FLASH_BASE 0x00000000
#define CONNEX_FLASH_SECTOR (128 * 1024)
#define CONNEX_FLASH_BLOCKS 128           /* 16 MiB */
#define CONNEX_SMC91C111_BASE 0x04000300
#define CONNEX_SMC91C111_GPIO 36
#define CONNEX_SDRAM_SIZE (64 * 1024 * 1024)

/* The part: Intel 28F128J3, 16-bit bus. */
#define CONNEX_FLASH_MANUFACTURER 0x0089
#define CONNEX_FLASH_DEVICE 0x0018

static bool connex_create_flash(DriveInfo *drive, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_PFLASH_CFI01);
    Object *obj = OBJECT(dev);

    if (!object_property_set_uint(obj, "num-blocks", CONNEX_FLASH_BLOCKS,
                                  errp) ||
        !object_property_set_uint(obj, "sector-length", CONNEX_FLASH_SECTOR,
                                  errp) ||
        !object_property_set_uint(obj, "width", 2, errp) ||
        !object_property_set_uint(obj, "id0", CONNEX_FLASH_MANUFACTURER,
                                  errp) ||
        !object_property_set_uint(obj, "id1", CONNEX_FLASH_DEVICE, errp) ||
        !object_property_set_str(obj, "name", "connext.rom", errp)) {
        object_unref(obj);
        return false;
    }
    pflash_cfi01_set_drive(dev, drive);
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, CONNEX_FLASH_BASE);
    return true;
}

static bool connex_init(MachineState *ms, Error **errp)
{
    DriveInfo *drive = drive_get(IF_PFLASH, 0);
    PXA2xxState *soc;
    DeviceState *smc;

    /* The PXA255 boots from address 0: without the flash there is
     * nothing to run. */
    if (!drive) {
        error_setg(errp, "connex needs a flash image: -pflash FILE (16 MiB; "
                   "create one with: truncate -s 16M flash.bin)");
        return false;
    }
    drive_mark_used(drive);

    soc = pxa255_init(ms, errp);
    if (!soc || !connex_create_flash(drive, errp)) {
        return false;
    }

    smc = qdev_new("smc91c111");
    if (!qdev_realize_and_unref(smc, sysbus_get_default(), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(smc), 0, CONNEX_SMC91C111_BASE);
    sysbus_connect_irq(SYS_BUS_DEVICE(smc), 0,
                       qdev_get_gpio_in(soc->gpio, CONNEX_SMC91C111_GPIO));
    return true;
}

static void connex_class_init(ObjectClass *klass)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->desc = "Gumstix Connex (PXA255)";
    mc->init = connex_init;
    mc->default_ram_size = CONNEX_SDRAM_SIZE;
    mc->default_ram_id = "pxa255.sdram";
    mc->max_cpus = 1;
    mc->default_cpu_model = "pxa255";
    mc->ignore_memory_transaction_failures = true;
}

static const TypeInfo gumstix_types[] = {
    {
        .name = "connex" TYPE_MACHINE_SUFFIX,
        .parent = TYPE_MACHINE,
        .class_init = connex_class_init,
    },
};

DEFINE_TYPES(gumstix_types)
