/*
 * The PXA255 MultiMediaCard controller (Intel PXA255 Developer's Manual,
 * chapter 15) with an empty slot.  The registers keep what the guest
 * writes; starting the clock after writing MMC_CMDAT runs the command
 * (manual 15.3.1): with no card it ends at once (END_CMD_RES) with a
 * response timeout, except for commands that expect no response.  The
 * FIFOs are empty; data and SPI transfers are logged under -d unimp.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

#define MMCI_MMIO_SIZE 0x100000

enum {
    MMC_STRPCL = 0x00,
    MMC_STAT   = 0x04,
    MMC_CLKRT  = 0x08,
    MMC_SPI    = 0x0c,
    MMC_CMDAT  = 0x10,
    MMC_RESTO  = 0x14,
    MMC_RDTO   = 0x18,
    MMC_BLKLEN = 0x1c,
    MMC_NOB    = 0x20,
    MMC_PRTBUF = 0x24,
    MMC_I_MASK = 0x28,
    MMC_I_REG  = 0x2c,
    MMC_CMD    = 0x30,
    MMC_ARGH   = 0x34,
    MMC_ARGL   = 0x38,
    MMC_RES    = 0x3c,
    MMC_RXFIFO = 0x40,
    MMC_TXFIFO = 0x44,
    MMC_NR_REGS = 0x48 / 4,
};

static const char *const mmci_reg_names[MMC_NR_REGS] = {
    "MMC_STRPCL", "MMC_STAT", "MMC_CLKRT", "MMC_SPI", "MMC_CMDAT",
    "MMC_RESTO", "MMC_RDTO", "MMC_BLKLEN", "MMC_NOB", "MMC_PRTBUF",
    "MMC_I_MASK", "MMC_I_REG", "MMC_CMD", "MMC_ARGH", "MMC_ARGL",
    "MMC_RES", "MMC_RXFIFO", "MMC_TXFIFO",
};

/* What each plain register keeps of a write (0: read-only or special). */
static const uint32_t mmci_writable[MMC_NR_REGS] = {
    [MMC_CLKRT / 4]  = 0x7,
    [MMC_SPI / 4]    = 0xf,
    [MMC_CMDAT / 4]  = 0xff,
    [MMC_RESTO / 4]  = 0x7f,
    [MMC_RDTO / 4]   = 0xffff,
    [MMC_BLKLEN / 4] = 0x3ff,
    [MMC_NOB / 4]    = 0xffff,
    [MMC_PRTBUF / 4] = 0x1,
    [MMC_I_MASK / 4] = 0x7f,
    [MMC_CMD / 4]    = 0x3f,
    [MMC_ARGH / 4]   = 0xffff,
    [MMC_ARGL / 4]   = 0xffff,
};

#define STRPCL_STOP_CLK  1
#define STRPCL_START_CLK 2

#define STAT_TIME_OUT_RESPONSE (1u << 1)
#define STAT_XMIT_FIFO_EMPTY   (1u << 6)
#define STAT_CLK_EN            (1u << 8)
#define STAT_DATA_TRAN_DONE    (1u << 11)
#define STAT_PRG_DONE          (1u << 12)
#define STAT_END_CMD_RES       (1u << 13)
/* What a new command clears: errors and the last completions. */
#define STAT_PER_COMMAND       (0x3f | STAT_DATA_TRAN_DONE | \
                                STAT_PRG_DONE | STAT_END_CMD_RES)

#define CMDAT_RESPONSE_FORMAT  0x03
#define CMDAT_DATA_EN          (1u << 2)

#define IREG_DATA_TRAN_DONE    (1u << 0)
#define IREG_PRG_DONE          (1u << 1)
#define IREG_END_CMD_RES       (1u << 2)
#define IREG_CLK_IS_OFF        (1u << 4)
#define IREG_ALL               0x7f

#define RESTO_RESET   0x40
#define RDTO_RESET    0xffff

typedef struct PXA2xxMMCIState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *irq;
    uint32_t regs[MMC_NR_REGS];
    bool cmd_pending;            /* MMC_CMDAT written since the last run */
} PXA2xxMMCIState;

#define PXA2XX_MMCI(obj) \
    INSTANCE_CAST(PXA2xxMMCIState, (obj), TYPE_PXA2XX_MMCI)

#define REG(s, r) ((s)->regs[(r) / 4])

static void mmci_update_irq(PXA2xxMMCIState *s)
{
    irq_set_level(s->irq, (REG(s, MMC_I_REG) & ~REG(s, MMC_I_MASK) &
                           IREG_ALL) != 0);
}

/* The command in MMC_CMD/ARGH/ARGL goes out to an empty slot. */
static void mmci_run_command(PXA2xxMMCIState *s)
{
    uint32_t cmdat = REG(s, MMC_CMDAT);

    s->cmd_pending = false;
    REG(s, MMC_STAT) &= ~STAT_PER_COMMAND;
    REG(s, MMC_I_REG) &= ~(IREG_DATA_TRAN_DONE | IREG_PRG_DONE |
                           IREG_END_CMD_RES);
    REG(s, MMC_STAT) |= STAT_END_CMD_RES;
    REG(s, MMC_I_REG) |= IREG_END_CMD_RES;
    if (cmdat & CMDAT_RESPONSE_FORMAT) {
        REG(s, MMC_STAT) |= STAT_TIME_OUT_RESPONSE;
    }
    emu_log_mask(LOG_UNIMP, "pxa2xx-mmci: CMD%u arg 0x%04x%04x: no card "
                 "in the slot%s\n", REG(s, MMC_CMD),
                 REG(s, MMC_ARGH), REG(s, MMC_ARGL),
                 (cmdat & CMDAT_RESPONSE_FORMAT) ? ", response timeout" :
                 "");
    if (REG(s, MMC_SPI) & 1) {
        emu_log_mask(LOG_UNIMP, "pxa2xx-mmci: SPI mode is not "
                     "implemented\n");
    }
}

static void mmci_write_strpcl(PXA2xxMMCIState *s, uint32_t value)
{
    switch (value & 3) {
    case STRPCL_STOP_CLK:
        REG(s, MMC_STAT) &= ~STAT_CLK_EN;
        REG(s, MMC_I_REG) |= IREG_CLK_IS_OFF;
        break;
    case STRPCL_START_CLK:
        REG(s, MMC_STAT) |= STAT_CLK_EN;
        REG(s, MMC_I_REG) &= ~IREG_CLK_IS_OFF;
        if (s->cmd_pending) {
            mmci_run_command(s);
        }
        break;
    }
}

static uint64_t mmci_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxMMCIState *s = opaque;

    if (addr >= MMC_NR_REGS * 4 || (addr & 3)) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-mmci: read of offset 0x%"
                     PRIx64 ", which has no register\n", addr);
        return 0;
    }
    switch (addr) {
    case MMC_STRPCL:
    case MMC_TXFIFO:
        return 0;                /* write-only */
    case MMC_RES:
        return 0;                /* no response came */
    case MMC_RXFIFO:
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-mmci: read of the empty "
                     "MMC_RXFIFO\n");
        return 0;
    }
    return s->regs[addr / 4];
}

static void mmci_write(void *opaque, hwaddr addr, uint64_t value,
                       unsigned size)
{
    PXA2xxMMCIState *s = opaque;

    if (addr >= MMC_NR_REGS * 4 || (addr & 3)) {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-mmci: write 0x%" PRIx64
                     " to offset 0x%" PRIx64 ", which has no register\n",
                     value, addr);
        return;
    }
    switch (addr) {
    case MMC_STRPCL:
        mmci_write_strpcl(s, value);
        break;
    case MMC_CMDAT:
        REG(s, MMC_CMDAT) = value & mmci_writable[MMC_CMDAT / 4];
        s->cmd_pending = true;
        if (value & CMDAT_DATA_EN) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-mmci: MMC_CMDAT 0x%02x: data "
                         "transfers are not implemented\n",
                         (unsigned)value);
        }
        break;
    case MMC_TXFIFO:
        emu_log_mask(LOG_UNIMP, "pxa2xx-mmci: MMC_TXFIFO write 0x%02x "
                     "dropped: no card\n", (unsigned)(value & 0xff));
        break;
    default:
        if (!mmci_writable[addr / 4]) {
            emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-mmci: write 0x%" PRIx64
                         " to read-only %s\n", value,
                         mmci_reg_names[addr / 4]);
            return;
        }
        s->regs[addr / 4] = value & mmci_writable[addr / 4];
        break;
    }
    mmci_update_irq(s);
}

/* The FIFOs take byte accesses; the other registers are read whole. */
static const MemoryRegionOps mmci_ops = {
    .read = mmci_read,
    .write = mmci_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void mmci_reset(DeviceState *dev)
{
    PXA2xxMMCIState *s = PXA2XX_MMCI(dev);

    memset(s->regs, 0, sizeof(s->regs));
    REG(s, MMC_STAT) = STAT_XMIT_FIFO_EMPTY;
    REG(s, MMC_RESTO) = RESTO_RESET;
    REG(s, MMC_RDTO) = RDTO_RESET;
    REG(s, MMC_I_MASK) = IREG_ALL;
    REG(s, MMC_I_REG) = IREG_CLK_IS_OFF;
    s->cmd_pending = false;
    mmci_update_irq(s);
}

static void mmci_init(Object *obj)
{
    PXA2xxMMCIState *s = PXA2XX_MMCI(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static bool mmci_realize(DeviceState *dev, Error **errp)
{
    PXA2xxMMCIState *s = PXA2XX_MMCI(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &mmci_ops, s,
                          "pxa2xx-mmci", MMCI_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    mmci_reset(dev);
    return true;
}

static void mmci_unrealize(DeviceState *dev)
{
    memory_region_destroy(&PXA2XX_MMCI(dev)->mmio);
}

static void mmci_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void mmci_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 MultiMediaCard controller (empty slot)";
    dc->realize = mmci_realize;
    dc->unrealize = mmci_unrealize;
    dc->reset = mmci_reset;
    dc->category = DEVICE_CATEGORY_STORAGE;
}

static const TypeInfo mmci_types[] = {
    {
        .name = TYPE_PXA2XX_MMCI,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxMMCIState),
        .instance_init = mmci_init,
        .instance_finalize = mmci_finalize,
        .class_init = mmci_class_init,
    },
};

DEFINE_TYPES(mmci_types)
