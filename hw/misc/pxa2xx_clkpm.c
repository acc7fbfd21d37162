/*
 * The PXA255 clocks and power manager (PXA255 developer's manual,
 * "Clocks and Power Manager"): one unit with two register windows.
 *
 *   mmio 0, clocks manager (0x41300000): CCCR core clock configuration,
 *     CKEN clock enables, OSCC 32.768 kHz oscillator control
 *   mmio 1, power manager (0x40f00000): PMCR, PSSR (sleep status, write
 *     1 to clear), PSPR scratch, PWER/PRER/PFER wake-up enables, PEDR
 *     (edge status, write 1 to clear), PCFR, PGSR0-2 sleep pin states,
 *     RCSR reset cause (write 1 to clear), PMFW
 *
 * Registers hold what firmware writes; frequencies do not change how
 * fast emu runs, and sleep mode is not modelled (the core's CP14 side
 * logs it).  The oscillator is stable as soon as it is switched on
 * (OSCC.OON set makes OOK read 1).  RCSR tells the reset cause: hardware
 * reset after power-on or a monitor reset, watchdog reset when gpio-in 0
 * (the OS timers' watchdog pin) fired before the reset.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa.h"

#define PXA2XX_CM_MMIO_SIZE 0x1000
#define PXA2XX_PM_MMIO_SIZE 0x100

enum {
    CCCR = 0x00,
    CKEN = 0x04,
    OSCC = 0x08,
};

#define CCCR_MASK 0x000003ff         /* N, M, L */
#define CCCR_RESET 0x00000121        /* L = 27, M = 2, N = 1 */
#define CKEN_MASK 0x0001ffff
#define CKEN_RESET 0x00017def
#define OSCC_OOK (1u << 0)
#define OSCC_OON (1u << 1)

/* Power manager registers, by word index. */
enum {
    PMCR, PSSR, PSPR, PWER, PRER, PFER, PEDR, PCFR,
    PGSR0, PGSR1, PGSR2, PM_RSVD, RCSR, PMFW,
    PM_NREGS,
};

#define RCSR_HWR (1u << 0)
#define RCSR_WDR (1u << 1)

typedef struct PXA2xxClkPMState {
    SysBusDevice parent_obj;
    MemoryRegion cm_iomem;
    MemoryRegion pm_iomem;
    uint32_t cccr;
    uint32_t cken;
    uint32_t oscc;
    uint32_t pm[PM_NREGS];
    bool watchdog_fired;         /* the next reset is a watchdog reset */
} PXA2xxClkPMState;

#define PXA2XX_CLKPM(obj) \
    INSTANCE_CAST(PXA2xxClkPMState, (obj), TYPE_PXA2XX_CLKPM)

static uint64_t pxa2xx_cm_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(opaque);

    switch (addr) {
    case CCCR:
        return s->cccr;
    case CKEN:
        return s->cken;
    case OSCC:
        return s->oscc;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-clkpm: read of unknown clocks "
                     "manager register 0x%" PRIx64 "\n", addr);
        return 0;
    }
}

static void pxa2xx_cm_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(opaque);

    switch (addr) {
    case CCCR:
        s->cccr = value & CCCR_MASK;
        break;
    case CKEN:
        s->cken = value & CKEN_MASK;
        break;
    case OSCC:
        /* OON can be set, not cleared, and the oscillator is up at once. */
        if (value & OSCC_OON) {
            s->oscc |= OSCC_OON | OSCC_OOK;
        }
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-clkpm: write of 0x%" PRIx64
                     " to unknown clocks manager register 0x%" PRIx64 "\n",
                     value, addr);
        break;
    }
}

static uint64_t pxa2xx_pm_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(opaque);
    unsigned idx = addr / 4;

    if (idx >= PM_NREGS || idx == PM_RSVD) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-clkpm: read of unknown power "
                     "manager register 0x%" PRIx64 "\n", addr);
        return 0;
    }
    return s->pm[idx];
}

static void pxa2xx_pm_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(opaque);
    unsigned idx = addr / 4;

    if (idx >= PM_NREGS || idx == PM_RSVD) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-clkpm: write of 0x%" PRIx64
                     " to unknown power manager register 0x%" PRIx64 "\n",
                     value, addr);
        return;
    }
    switch (idx) {
    case PSSR:
    case PEDR:
    case RCSR:
        /* status bits: write 1 to clear */
        s->pm[idx] &= ~(uint32_t)value;
        break;
    case PMCR:
        s->pm[idx] = value & 1;          /* IDAE */
        break;
    default:
        s->pm[idx] = value;
        break;
    }
}

static const MemoryRegionOps pxa2xx_cm_ops = {
    .read = pxa2xx_cm_read,
    .write = pxa2xx_cm_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps pxa2xx_pm_ops = {
    .read = pxa2xx_pm_read,
    .write = pxa2xx_pm_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* gpio-in 0: the watchdog is about to reset the machine. */
static void pxa2xx_clkpm_watchdog(void *opaque, int n, int level)
{
    if (level) {
        PXA2XX_CLKPM(opaque)->watchdog_fired = true;
    }
}

/*
 * A hardware reset puts every register to its manual value and RCSR to
 * HWR.  A watchdog reset leaves the 32.768 kHz oscillator and the reset
 * causes already recorded, and adds WDR.
 */
static void pxa2xx_clkpm_reset(DeviceState *dev)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(dev);
    uint32_t rcsr = s->pm[RCSR];

    s->cccr = CCCR_RESET;
    s->cken = CKEN_RESET;
    memset(s->pm, 0, sizeof(s->pm));
    if (s->watchdog_fired) {
        s->pm[RCSR] = rcsr | RCSR_WDR;
    } else {
        s->oscc = 0;
        s->pm[RCSR] = RCSR_HWR;
    }
    s->watchdog_fired = false;
}

static void pxa2xx_clkpm_instance_init(Object *obj)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(obj);

    memory_region_init_io(&s->cm_iomem, obj, &pxa2xx_cm_ops, s, "pxa2xx-cm",
                          PXA2XX_CM_MMIO_SIZE);
    memory_region_init_io(&s->pm_iomem, obj, &pxa2xx_pm_ops, s, "pxa2xx-pm",
                          PXA2XX_PM_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->cm_iomem);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->pm_iomem);
    qdev_init_gpio_in(DEVICE(obj), pxa2xx_clkpm_watchdog, 1);
}

static void pxa2xx_clkpm_finalize(Object *obj)
{
    PXA2xxClkPMState *s = PXA2XX_CLKPM(obj);

    memory_region_destroy(&s->cm_iomem);
    memory_region_destroy(&s->pm_iomem);
}

static void pxa2xx_clkpm_class_init(ObjectClass *klass)
{
    klass->desc = "PXA2xx clocks and power manager";
    DEVICE_CLASS(klass)->reset = pxa2xx_clkpm_reset;
}

static const TypeInfo pxa2xx_clkpm_types[] = {
    {
        .name = TYPE_PXA2XX_CLKPM,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxClkPMState),
        .instance_init = pxa2xx_clkpm_instance_init,
        .instance_finalize = pxa2xx_clkpm_finalize,
        .class_init = pxa2xx_clkpm_class_init,
    },
};

DEFINE_TYPES(pxa2xx_clkpm_types)
