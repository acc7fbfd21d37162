/*
 * The PXA255 LCD controller (Intel PXA255 Developer's Manual, chapter
 * 7): the registers, and a single active panel drawn into a console
 * (ui/console.h) when someone looks (the window, screendump).
 *
 * Enabling the controller fetches channel 0's frame descriptor from
 * FDADR0 (a descriptor with LDCMD.PAL loads the palette and the next
 * one is fetched); each picture drawn is one frame, after which the
 * next descriptor is fetched, as the DMA does at the end of a frame,
 * so chains and descriptors the guest rewrites are followed.  Pixels
 * are 1, 2, 4 or 8 bits through the palette or 16 bits, RGB 5:6:5,
 * widened to 8 bits a component by a shift, as QEMU does.  There is no
 * frame timing: the status register shows an idle controller, turning
 * it off completes at once ("disable done"), and the start and end of
 * frame interrupts do not come.  Dual and passive (STN) panels are
 * logged under -d unimp and drawn as a single active one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"
#include "softmmu/memory.h"
#include "ui/console.h"

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
#define LCCR0_CMS   (1u << 1)    /* monochrome (passive) */
#define LCCR0_SDS   (1u << 2)    /* dual panel */
#define LCCR0_PAS   (1u << 7)    /* active (TFT) panel */
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

#define LCCR1_PPL(v)  (((v) & 0x3ff) + 1)       /* pixels per line */
#define LCCR2_LPP(v)  (((v) & 0x3ff) + 1)       /* lines per panel */
#define LCCR3_BPP(v)  (((v) >> 24) & 7)         /* 0-4: 1-16 bpp */
#define LCCR3_BPP_16  4

#define LDCMD_LEN(v)  ((v) & 0x1fffff)          /* bytes */
#define LDCMD_PAL     (1u << 26)                /* a palette, not a frame */

#define FDADR_ALIGN   0xfu                      /* descriptors: 16 bytes */
#define PALETTE_SIZE  256

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
    uint16_t palette[PALETTE_SIZE];      /* RGB 5:6:5 */
    DisplayConsole *con;
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

/* Loads channel 0's next descriptor, and the palette when that is one
 * (then the descriptor after it: a palette comes before its frame). */
static void lcd_fetch_descriptor(PXA2xxLCDState *s)
{
    for (int i = 0; i < 2; i++) {
        uint32_t d[4];
        uint16_t pal[PALETTE_SIZE] = { 0 };
        hwaddr addr = s->fdadr[0] & ~FDADR_ALIGN;
        size_t len;

        if (address_space_read(&address_space_memory, addr, d,
                               sizeof(d)) != MEMTX_OK) {
            emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-lcd: frame descriptor "
                         "at 0x%08" HWADDR_PRIx " is not in memory\n", addr);
        }
        s->fdadr[0] = GUINT32_FROM_LE(d[0]);
        s->fsadr[0] = GUINT32_FROM_LE(d[1]);
        s->fidr[0] = GUINT32_FROM_LE(d[2]);
        s->ldcmd[0] = GUINT32_FROM_LE(d[3]);
        if (!(s->ldcmd[0] & LDCMD_PAL)) {
            return;
        }
        len = MIN(LDCMD_LEN(s->ldcmd[0]), sizeof(pal));
        address_space_read(&address_space_memory, s->fsadr[0], pal, len);
        for (size_t n = 0; n < len / 2; n++) {
            s->palette[n] = GUINT16_FROM_LE(pal[n]);
        }
    }
}

/* Draws the frame the current descriptor points to, then fetches the
 * next descriptor as the DMA does at the end of a frame. */
static void lcd_gfx_update(void *opaque)
{
    PXA2xxLCDState *s = opaque;
    int width = LCCR1_PPL(s->lccr[1]);
    int height = LCCR2_LPP(s->lccr[2]);
    unsigned bpp_code = LCCR3_BPP(s->lccr[3]);
    unsigned bpp = 1u << bpp_code;
    size_t line = ((size_t)width * bpp + 7) / 8;  /* bytes a line */
    size_t len;
    g_autofree uint8_t *frame = NULL;
    pixman_image_t *img;

    if (!(s->lccr[0] & LCCR0_ENB)) {
        return;                  /* the last picture stays */
    }
    if (bpp_code > LCCR3_BPP_16) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-lcd: LCCR3.BPP %u is "
                     "reserved, nothing drawn\n", bpp_code);
        return;
    }
    frame = g_malloc0(line * height);
    len = MIN(LDCMD_LEN(s->ldcmd[0]), line * height);
    address_space_read(&address_space_memory, s->fsadr[0], frame, len);
    img = console_resize(s->con, width, height);
    for (int y = 0; y < height; y++) {
        const uint8_t *src = frame + (size_t)y * line;
        uint32_t *dst = surface_row(img, y);

        for (int x = 0; x < width; x++) {
            if (bpp == 16) {
                dst[x] = rgb565_to_pixel(src[2 * x] | src[2 * x + 1] << 8);
            } else {
                /* Pixel 0 in the low bits of the byte. */
                unsigned bit = x * bpp;
                unsigned idx = (src[bit / 8] >> (bit % 8)) &
                               ((1u << bpp) - 1);

                dst[x] = rgb565_to_pixel(s->palette[idx]);
            }
        }
    }
    lcd_fetch_descriptor(s);
}

static const GraphicHwOps lcd_gfx_ops = {
    .gfx_update = lcd_gfx_update,
};

static void lcd_write_lccr0(PXA2xxLCDState *s, uint32_t value)
{
    bool was_on = s->lccr[0] & LCCR0_ENB;

    if (was_on && ((value & LCCR0_DIS) || !(value & LCCR0_ENB))) {
        /* Regular (DIS) or quick (ENB cleared) disable: no frame is in
         * flight, so it is done at once. */
        value &= ~(LCCR0_ENB | LCCR0_DIS);
        s->lcsr |= LCSR_LDD;
    }
    s->lccr[0] = value;
    if ((value & LCCR0_ENB) && !was_on) {
        if ((value & (LCCR0_SDS | LCCR0_CMS)) || !(value & LCCR0_PAS)) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-lcd: LCCR0 0x%08x: dual, "
                         "monochrome or passive panels are drawn as one "
                         "active colour panel\n", value);
        }
        lcd_fetch_descriptor(s);
    }
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
    memset(s->palette, 0, sizeof(s->palette));
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
    s->con = graphic_console_init(dev, &lcd_gfx_ops, s);
    lcd_reset(dev);
    return true;
}

static void lcd_unrealize(DeviceState *dev)
{
    PXA2xxLCDState *s = PXA2XX_LCD(dev);

    graphic_console_close(s->con);
    memory_region_destroy(&s->mmio);
}

static void lcd_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void lcd_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 LCD controller";
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
