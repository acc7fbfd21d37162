/*
 * Fuzz target: the CFI flash (cfi.pflash01) command state machine, as a
 * guest drives it with loads and stores.  A fresh flash per input (four
 * 4 KiB blocks, no backing file) at address 0.
 *
 * Input: one byte picking the bus width (1, 2 or 4 bytes), then
 * accesses of 7 bytes each: a kind byte (bit 0: store; bits 1-2: size
 * 1, 2, 4 or 8 bytes), a little-endian 16-bit offset (wrapped into
 * the flash) and a 32-bit little-endian value (stores; the value is
 * repeated for 8-byte stores).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/block/flash.h"
#include "hw/sysbus.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "fuzz.h"

#define BLOCKS 4
#define SECTOR 4096
#define ACCESS_BYTES 7

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    memory_system_init(true);
    bql_lock();
    emu_log_set_mask(0);
    return 0;
}

static DeviceState *flash_start(unsigned width)
{
    DeviceState *dev = qdev_new(TYPE_PFLASH_CFI01);
    Object *obj = OBJECT(dev);

    object_property_set_uint(obj, "num-blocks", BLOCKS, &error_fatal);
    object_property_set_uint(obj, "sector-length", SECTOR, &error_fatal);
    object_property_set_uint(obj, "width", width, &error_fatal);
    object_property_set_uint(obj, "id0", 0x89, &error_fatal);
    object_property_set_uint(obj, "id1", 0x18, &error_fatal);
    object_property_set_str(obj, "name", "fuzz.flash", &error_fatal);
    qdev_realize(dev, sysbus_get_default(), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, 0);
    device_reset(dev);
    return dev;
}

static void flash_stop(DeviceState *dev)
{
    memory_region_del_subregion(get_system_memory(),
                                SYS_BUS_DEVICE(dev)->mmio[0].memory);
    qdev_unrealize(dev);
    object_unref(OBJECT(dev));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned widths[] = { 1, 2, 4 };
    DeviceState *dev;

    if (size == 0) {
        return 0;
    }
    dev = flash_start(widths[data[0] % 3]);
    for (size_t i = 1; i + ACCESS_BYTES <= size; i += ACCESS_BYTES) {
        const uint8_t *a = data + i;
        unsigned len = 1u << ((a[0] >> 1) & 3);
        hwaddr offset = (a[1] | a[2] << 8) % (BLOCKS * SECTOR);
        uint8_t buf[8];

        /* An access that would run past the end ends there. */
        len = MIN(len, BLOCKS * SECTOR - offset);
        if (a[0] & 1) {
            memcpy(buf, a + 3, 4);
            memcpy(buf + 4, a + 3, 4);
            address_space_write(&address_space_memory, offset, buf, len);
        } else {
            address_space_read(&address_space_memory, offset, buf, len);
        }
    }
    flash_stop(dev);
    return 0;
}
