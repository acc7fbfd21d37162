/*
 * The PXA255 memory controller's registers (PXA255 developer's manual,
 * "Memory Controller"): SDRAM configuration and refresh (MDCNFG,
 * MDREFR, MDMRS), static memory timing (MSC0-2), synchronous static
 * memory (SXCNFG, SXMRS), the PC Card timings (MECR, MCMEM0/1, MCATT0/1,
 * MCIO0/1) and the boot configuration BOOT_DEF.
 *
 * A register file: emu's memories answer at any timing, so the values
 * firmware programs are kept and read back, and nothing else happens.
 * Reset values are those QEMU 7.2's connex reads at power-on: MDREFR
 * 0x03ca4000 (self-refresh, SDRAM clocks), MECR 1 (one PC Card socket
 * reported), MDMRS 0x00020002 (the mode register default, CAS latency 2,
 * for both partition pairs), everything else 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa.h"

#define PXA2XX_MEMCTL_MMIO_SIZE 0x1000

/* Registers by word index. */
enum {
    MDCNFG, MDREFR, MSC0, MSC1, MSC2, MECR, SXLCR, SXCNFG,
    FLYCNFG, SXMRS, MCMEM0, MCMEM1, MCATT0, MCATT1, MCIO0, MCIO1,
    MDMRS, BOOT_DEF,
    MEMCTL_NREGS,
};

static const uint32_t pxa2xx_memctl_reset_values[MEMCTL_NREGS] = {
    [MDREFR] = 0x03ca4000,
    [MECR] = 0x00000001,
    [MDMRS] = 0x00020002,
};

typedef struct PXA2xxMemCtlState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    uint32_t regs[MEMCTL_NREGS];
} PXA2xxMemCtlState;

#define PXA2XX_MEMCTL(obj) \
    INSTANCE_CAST(PXA2xxMemCtlState, (obj), TYPE_PXA2XX_MEMCTL)

static uint64_t pxa2xx_memctl_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxMemCtlState *s = PXA2XX_MEMCTL(opaque);

    if (addr / 4 >= MEMCTL_NREGS) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-memctl: read of unknown "
                     "register 0x%" PRIx64 "\n", addr);
        return 0;
    }
    return s->regs[addr / 4];
}

static void pxa2xx_memctl_write(void *opaque, hwaddr addr, uint64_t value,
                                unsigned size)
{
    PXA2xxMemCtlState *s = PXA2XX_MEMCTL(opaque);

    if (addr / 4 >= MEMCTL_NREGS) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-memctl: write of 0x%" PRIx64
                     " to unknown register 0x%" PRIx64 "\n", value, addr);
        return;
    }
    if (addr / 4 == BOOT_DEF) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-memctl: write to read-only "
                     "BOOT_DEF\n");
        return;
    }
    s->regs[addr / 4] = value;
}

static const MemoryRegionOps pxa2xx_memctl_ops = {
    .read = pxa2xx_memctl_read,
    .write = pxa2xx_memctl_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void pxa2xx_memctl_reset(DeviceState *dev)
{
    PXA2xxMemCtlState *s = PXA2XX_MEMCTL(dev);

    memcpy(s->regs, pxa2xx_memctl_reset_values, sizeof(s->regs));
}

static void pxa2xx_memctl_instance_init(Object *obj)
{
    PXA2xxMemCtlState *s = PXA2XX_MEMCTL(obj);

    memory_region_init_io(&s->iomem, obj, &pxa2xx_memctl_ops, s, "pxa2xx-mm",
                          PXA2XX_MEMCTL_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
}

static void pxa2xx_memctl_finalize(Object *obj)
{
    memory_region_destroy(&PXA2XX_MEMCTL(obj)->iomem);
}

static void pxa2xx_memctl_class_init(ObjectClass *klass)
{
    klass->desc = "PXA2xx memory controller registers";
    DEVICE_CLASS(klass)->reset = pxa2xx_memctl_reset;
}

static const TypeInfo pxa2xx_memctl_types[] = {
    {
        .name = TYPE_PXA2XX_MEMCTL,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxMemCtlState),
        .instance_init = pxa2xx_memctl_instance_init,
        .instance_finalize = pxa2xx_memctl_finalize,
        .class_init = pxa2xx_memctl_class_init,
    },
};

DEFINE_TYPES(pxa2xx_memctl_types)
