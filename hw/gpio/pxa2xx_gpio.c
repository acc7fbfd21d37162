/*
 * The PXA255 general-purpose I/O unit (PXA255 developer's manual, "GPIO
 * Controller"): 85 lines in banks of 32 with pin levels GPLR, directions
 * GPDR, output set/clear GPSR/GPCR, rising/falling edge detect enables
 * GRER/GFER, edge status GEDR (write 1 to clear) and the alternate
 * function selectors GAFR (stored: pin multiplexing is the board's
 * business, emu's devices are wired directly).
 *
 * A pin's level is its output latch when it is an output and the level
 * the board drives on gpio-in N when it is an input; any change of a
 * pin level (input edge, GPSR/GPCR on an output, a direction change) is
 * checked against GRER/GFER.  Interrupts: GPIO0 and GPIO1 for their own
 * edges, GPIO_X for edges on lines 2 and up.
 *
 * Pins: gpio-in N = input level of line N; gpio-out 0..2 = the GPIO0,
 * GPIO1 and GPIO_X interrupts; gpio-out 3 + N = level of line N while it
 * is an output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa.h"

#define PXA2XX_GPIO_MMIO_SIZE 0x1000
#define PXA2XX_GPIO_BANKS 3
#define PXA2XX_GPIO_MAX_LINES (PXA2XX_GPIO_BANKS * 32)

/* Banks of registers, one word per bank (three words per group). */
enum {
    GPLR = 0x00,
    GPDR = 0x0c,
    GPSR = 0x18,
    GPCR = 0x24,
    GRER = 0x30,
    GFER = 0x3c,
    GEDR = 0x48,
    GAFR = 0x54,                 /* GAFR0_L, GAFR0_U, ... GAFR2_U */
    GPIO_REGS_END = 0x6c,
};

typedef struct PXA2xxGPIOState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    uint32_t lines;
    IRQLine *irq[3];             /* GPIO0, GPIO1, GPIO_X */
    IRQLine *pin_out[PXA2XX_GPIO_MAX_LINES];
    uint32_t mask[PXA2XX_GPIO_BANKS];    /* lines that exist */
    uint32_t input[PXA2XX_GPIO_BANKS];   /* levels driven by the board */
    uint32_t latch[PXA2XX_GPIO_BANKS];   /* output latches */
    uint32_t pins[PXA2XX_GPIO_BANKS];    /* GPLR as last computed */
    uint32_t gpdr[PXA2XX_GPIO_BANKS];
    uint32_t grer[PXA2XX_GPIO_BANKS];
    uint32_t gfer[PXA2XX_GPIO_BANKS];
    uint32_t gedr[PXA2XX_GPIO_BANKS];
    uint32_t gafr[PXA2XX_GPIO_BANKS * 2];
} PXA2xxGPIOState;

#define PXA2XX_GPIO(obj) \
    INSTANCE_CAST(PXA2xxGPIOState, (obj), TYPE_PXA2XX_GPIO)

static void pxa2xx_gpio_update_irqs(PXA2xxGPIOState *s)
{
    irq_set_level(s->irq[0], s->gedr[0] & 1);
    irq_set_level(s->irq[1], (s->gedr[0] >> 1) & 1);
    irq_set_level(s->irq[2],
                  ((s->gedr[0] & ~3u) | s->gedr[1] | s->gedr[2]) != 0);
}

/* Recomputes bank b's pin levels; edges become GEDR bits and output
 * pins that moved drive their gpio-out. */
static void pxa2xx_gpio_update_bank(PXA2xxGPIOState *s, int b)
{
    uint32_t pins = ((s->latch[b] & s->gpdr[b]) |
                     (s->input[b] & ~s->gpdr[b])) & s->mask[b];
    uint32_t changed = pins ^ s->pins[b];
    uint32_t outs = changed & s->gpdr[b];

    s->pins[b] = pins;
    s->gedr[b] |= (changed & pins & s->grer[b]) |
                  (changed & ~pins & s->gfer[b]);
    while (outs) {
        int bit = __builtin_ctz(outs);

        irq_set_level(s->pin_out[b * 32 + bit], (pins >> bit) & 1);
        outs &= outs - 1;
    }
    pxa2xx_gpio_update_irqs(s);
}

static void pxa2xx_gpio_set_input(void *opaque, int line, int level)
{
    PXA2xxGPIOState *s = PXA2XX_GPIO(opaque);
    int b = line / 32;

    if (level) {
        s->input[b] |= 1u << (line % 32);
    } else {
        s->input[b] &= ~(1u << (line % 32));
    }
    pxa2xx_gpio_update_bank(s, b);
}

static uint64_t pxa2xx_gpio_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxGPIOState *s = PXA2XX_GPIO(opaque);
    int b = (addr % 0xc) / 4;

    if (addr >= GPIO_REGS_END) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-gpio: read of unknown "
                     "register 0x%" PRIx64 "\n", addr);
        return 0;
    }
    switch (addr - addr % 0xc) {
    case GPLR:
        return s->pins[b];
    case GPDR:
        return s->gpdr[b];
    case GPSR:
    case GPCR:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-gpio: read of write-only "
                     "register 0x%" PRIx64 " (GPSR/GPCR)\n", addr);
        return 0;
    case GRER:
        return s->grer[b];
    case GFER:
        return s->gfer[b];
    case GEDR:
        return s->gedr[b];
    default:
        return s->gafr[(addr - GAFR) / 4];
    }
}

static void pxa2xx_gpio_write(void *opaque, hwaddr addr, uint64_t value,
                              unsigned size)
{
    PXA2xxGPIOState *s = PXA2XX_GPIO(opaque);
    int b = (addr % 0xc) / 4;

    if (addr >= GPIO_REGS_END) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-gpio: write of 0x%" PRIx64
                     " to unknown register 0x%" PRIx64 "\n", value, addr);
        return;
    }
    value &= s->mask[b];
    switch (addr - addr % 0xc) {
    case GPLR:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-gpio: write to read-only "
                     "GPLR%d\n", b);
        return;
    case GPDR:
        s->gpdr[b] = value;
        break;
    case GPSR:
        s->latch[b] |= value;
        break;
    case GPCR:
        s->latch[b] &= ~value;
        break;
    case GRER:
        s->grer[b] = value;
        return;
    case GFER:
        s->gfer[b] = value;
        return;
    case GEDR:
        s->gedr[b] &= ~value;
        pxa2xx_gpio_update_irqs(s);
        return;
    default:
        s->gafr[(addr - GAFR) / 4] = value;
        return;
    }
    pxa2xx_gpio_update_bank(s, b);
}

static const MemoryRegionOps pxa2xx_gpio_ops = {
    .read = pxa2xx_gpio_read,
    .write = pxa2xx_gpio_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* Every line becomes an input; the board's input levels stay as they
 * are, and the reset itself is not an edge. */
static void pxa2xx_gpio_reset(DeviceState *dev)
{
    PXA2xxGPIOState *s = PXA2XX_GPIO(dev);

    for (int b = 0; b < PXA2XX_GPIO_BANKS; b++) {
        s->latch[b] = 0;
        s->gpdr[b] = 0;
        s->grer[b] = 0;
        s->gfer[b] = 0;
        s->gedr[b] = 0;
        s->pins[b] = s->input[b] & s->mask[b];
    }
    memset(s->gafr, 0, sizeof(s->gafr));
    pxa2xx_gpio_update_irqs(s);
}

static bool pxa2xx_gpio_realize(DeviceState *dev, Error **errp)
{
    PXA2xxGPIOState *s = PXA2XX_GPIO(dev);

    if (s->lines == 0 || s->lines > PXA2XX_GPIO_MAX_LINES) {
        error_setg(errp, "pxa2xx-gpio: lines=%u is out of range (1 to %d; "
                   "the PXA255 has %d)", s->lines, PXA2XX_GPIO_MAX_LINES,
                   PXA255_GPIO_LINES);
        return false;
    }
    for (uint32_t b = 0; b < PXA2XX_GPIO_BANKS; b++) {
        uint32_t n = s->lines > b * 32 ? MIN(s->lines - b * 32, 32u) : 0;

        s->mask[b] = n == 32 ? UINT32_MAX : (1u << n) - 1;
    }
    qdev_init_gpio_in(dev, pxa2xx_gpio_set_input, s->lines);
    qdev_init_gpio_out(dev, s->pin_out, s->lines);
    memory_region_init_io(&s->iomem, OBJECT(dev), &pxa2xx_gpio_ops, s,
                          "pxa2xx-gpio", PXA2XX_GPIO_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->iomem);
    return true;
}

static void pxa2xx_gpio_instance_init(Object *obj)
{
    PXA2xxGPIOState *s = PXA2XX_GPIO(obj);

    /* The interrupts come first: gpio-out 0..2 whatever "lines" is. */
    qdev_init_gpio_out(DEVICE(obj), s->irq, ARRAY_SIZE(s->irq));
}

static void pxa2xx_gpio_finalize(Object *obj)
{
    if (DEVICE(obj)->realized) {
        memory_region_destroy(&PXA2XX_GPIO(obj)->iomem);
    }
}

static const Property pxa2xx_gpio_properties[] = {
    DEFINE_PROP_UINT("lines", PXA2xxGPIOState, lines, PXA255_GPIO_LINES,
                     "number of GPIO lines"),
};

static void pxa2xx_gpio_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA2xx GPIO controller";
    dc->realize = pxa2xx_gpio_realize;
    dc->reset = pxa2xx_gpio_reset;
    class_add_properties(klass, pxa2xx_gpio_properties,
                         ARRAY_SIZE(pxa2xx_gpio_properties));
}

static const TypeInfo pxa2xx_gpio_types[] = {
    {
        .name = TYPE_PXA2XX_GPIO,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxGPIOState),
        .instance_init = pxa2xx_gpio_instance_init,
        .instance_finalize = pxa2xx_gpio_finalize,
        .class_init = pxa2xx_gpio_class_init,
    },
};

DEFINE_TYPES(pxa2xx_gpio_types)
