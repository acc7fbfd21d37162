/*
 * The PXA255 LCD controller (Intel PXA255 Developer's Manual, chapter
 * 7) as a register file: the registers keep what the guest writes and
 * read back, the status register shows an idle controller, and turning
 * the controller off completes at once ("disable done").  There is no
 * display output yet: the frame descriptors are not fetched, so the
 * DMA-loaded registers (FSADRx, FIDRx, LDCMDx) stay as they are and
 * enabling the controller is logged under -d unimp.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

#define LCD_MMIO_SIZE 0x100000

enum {
    LCCR0  = 0x000,
    LCCR1  = 0x004,
    LCCR2  = 0x008,
    LCCR3  = 0x00c,
    FBR0   = 0x020,
    FBR1   = 0x024,
    LCSR   = 0x038,
    LIIDR  = 0x03c,
    TRGBR  = 0x040,
    TCR    = 0x044,
    FDADR0 = 0x200,
    FSADR0 = 0x204,
    FIDR0  = 0x208,
    LDCMD0 = 0x20c,
    FDADR1 = 0x210,
    FSADR1 = 0x214,
    FIDR1  = 0x218,
    LDCMD1 = 0x21c,
};

#define LCCR0_ENB   (1u << 0)
#define LCCR0_LDM   (1u << 3)    /* disable done mask */
#define LCCR0_SFM   (1u << 4)    /* start of frame mask */
#define LCCR0_IUM   (1u << 5)    /* input FIFO underrun mask */
#define LCCR0_EFM   (1u << 6)    /* end of frame mask */
#define LCCR0_DIS   (1u << 10)   /* disable at the end of the frame */
#define LCCR0_QDM   (1u << 11)   /* quick disable mask */
#define LCCR0_BM    (1u << 20)   /* branch mask */
#define LCCR0_OUM   (1u << 21)   /* output FIFO underrun mask */

#define LCSR_LDD    (1u << 0)    /* LCD disable done */
#define LCSR_SOF    (1u << 1)
#define LCSR_BER    (1u << 2)    /* bus error: not maskable */
#define LCSR_IUL    (1u << 4)
#define LCSR_IUU    (1u << 5)
#define LCSR_OU     (1u << 6)
#define LCSR_QD     (1u << 7)
#define LCSR_EOF    (1u << 8)
#define LCSR_BS     (1u << 9)
#define LCSR_W1C    0x7ff

#define FBR_BRA     (1u << 0)    /* branch after the current frame */

#define TRGBR_RESET 0x00aa5500
#define TCR_RESET   0x0000754f

typedef struct PXA2xxLCDState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *irq;
    uint32_t lccr[4];
    uint32_t fbr[2];
    uint32_t lcsr;
    uint32_t liidr;
    uint32_t trgbr;
    uint32_t tcr;
    uint32_t fdadr[2];
    uint32_t fsadr[2];
    uint32_t fidr[2];
    uint32_t ldcmd[2];
} PXA2xxLCDState;

#define PXA2XX_LCD(obj) INSTANCE_CAST(PXA2xxLCDState, (obj), TYPE_PXA2XX_LCD)

/* Each status bit with the LCCR0 bit that masks it. */
static const struct {
    uint32_t status;
    uint32_t mask;
} lcd_irq_sources[] = {
    { LCSR_LDD, LCCR0_LDM },
    { LCSR_SOF, LCCR0_SFM },
    { LCSR_IUL | LCSR_IUU, LCCR0_IUM },
    { LCSR_OU, LCCR0_OUM },
    { LCSR_QD, LCCR0_QDM },
    { LCSR_EOF, LCCR0_EFM },
    { LCSR_BS, LCCR0_BM },
};

static void lcd_update_irq(PXA2xxLCDState *s)
{
    bool level = s->lcsr & LCSR_BER;

    for (size_t i = 0; i < ARRAY_SIZE(lcd_irq_sources); i++) {
        if ((s->lcsr & lcd_irq_sources[i].status) &&
            !(s->lccr[0] & lcd_irq_sources[i].mask)) {
            level = true;
        }
    }
    irq_set_level(s->irq, level);
}

static void lcd_write_lccr0(PXA2xxLCDState *s, uint32_t value)
{
    bool was_on = s->lccr[0] & LCCR0_ENB;

    if (was_on && ((value & LCCR0_DIS) || !(value & LCCR0_ENB))) {
        /* Regular (DIS) or quick (ENB cleared) disable: no frame is in
         * flight, so it is done at once. */
        value &= ~(LCCR0_ENB | LCCR0_DIS);
        s->lcsr |= LCSR_LDD;
    }
    if ((value & LCCR0_ENB) && !was_on) {
        emu_log_mask(LOG_UNIMP, "pxa2xx-lcd: LCCR0.ENB: controller enabled "
                     "(frame descriptor at FDADR0 0x%08x); display output "
                     "comes later, nothing is shown\n", s->fdadr[0]);
    }
    s->lccr[0] = value;
}

static uint32_t *lcd_reg(PXA2xxLCDState *s, hwaddr addr)
{
    switch (addr) {
    case LCCR0:
    case LCCR1:
    case LCCR2:
    case LCCR3:
        return &s->lccr[addr / 4];
    case FBR0:
    case FBR1:
        return &s->fbr[(addr - FBR0) / 4];
    case LCSR:
        return &s->lcsr;
    case LIIDR:
        return &s->liidr;
    case TRGBR:
        return &s->trgbr;
    case TCR:
        return &s->tcr;
    case FDADR0:
    case FDADR1:
        return &s->fdadr[(addr - FDADR0) / 16];
    case FSADR0:
    case FSADR1:
        return &s->fsadr[(addr - FSADR0) / 16];
    case FIDR0:
    case FIDR1:
        return &s->fidr[(addr - FIDR0) / 16];
    case LDCMD0:
    case LDCMD1:
        return &s->ldcmd[(addr - LDCMD0) / 16];
    }
    return NULL;
}

static uint64_t lcd_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxLCDState *s = opaque;
    uint32_t *reg = lcd_reg(s, addr);

    if (!reg) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-lcd: read of offset 0x%"
                     PRIx64 ", which has no register\n", addr);
        return 0;
    }
    return *reg;
}

static void lcd_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    PXA2xxLCDState *s = opaque;
    uint32_t *reg = lcd_reg(s, addr);

    switch (addr) {
    case LCCR0:
        lcd_write_lccr0(s, value);
        break;
    case LCSR:
        s->lcsr &= ~(value & LCSR_W1C);
        break;
    case FBR0:
    case FBR1:
        *reg = value;
        if (value & FBR_BRA) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-lcd: FBR%u 0x%08" PRIx64 ": "
                         "descriptor branches are not implemented\n",
                         (unsigned)(addr - FBR0) / 4, value);
        }
        break;
    case LIIDR:
    case FSADR0:
    case FSADR1:
    case FIDR0:
    case FIDR1:
    case LDCMD0:
    case LDCMD1:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-lcd: write 0x%08" PRIx64
                     " to read-only offset 0x%03" PRIx64 " (loaded from "
                     "the frame descriptors)\n", value, addr);
        break;
    default:
        if (!reg) {
            emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-lcd: write 0x%08" PRIx64
                         " to offset 0x%" PRIx64 ", which has no "
                         "register\n", value, addr);
            return;
        }
        *reg = value;
        break;
    }
    lcd_update_irq(s);
}

static const MemoryRegionOps lcd_ops = {
    .read = lcd_read,
    .write = lcd_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void lcd_reset(DeviceState *dev)
{
    PXA2xxLCDState *s = PXA2XX_LCD(dev);

    memset(s->lccr, 0, sizeof(s->lccr));
    memset(s->fbr, 0, sizeof(s->fbr));
    s->lcsr = 0;
    s->liidr = 0;
    s->trgbr = TRGBR_RESET;
    s->tcr = TCR_RESET;
    memset(s->fdadr, 0, sizeof(s->fdadr));
    memset(s->fsadr, 0, sizeof(s->fsadr));
    memset(s->fidr, 0, sizeof(s->fidr));
    memset(s->ldcmd, 0, sizeof(s->ldcmd));
    irq_set_level(s->irq, 0);
}

static void lcd_init(Object *obj)
{
    PXA2xxLCDState *s = PXA2XX_LCD(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool lcd_realize(DeviceState *dev, Error **errp)
{
    PXA2xxLCDState *s = PXA2XX_LCD(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &lcd_ops, s,
                          "pxa2xx-lcd-controller", LCD_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    lcd_reset(dev);
    return true;
}

static void lcd_unrealize(DeviceState *dev)
{
    memory_region_destroy(&PXA2XX_LCD(dev)->mmio);
}

static void lcd_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void lcd_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 LCD controller (registers only)";
    dc->realize = lcd_realize;
    dc->unrealize = lcd_unrealize;
    dc->reset = lcd_reset;
    dc->category = DEVICE_CATEGORY_DISPLAY;
}

static const TypeInfo lcd_types[] = {
    {
        .name = TYPE_PXA2XX_LCD,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxLCDState),
        .instance_init = lcd_init,
        .instance_finalize = lcd_finalize,
        .class_init = lcd_class_init,
    },
};

DEFINE_TYPES(lcd_types)
