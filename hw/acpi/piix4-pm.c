/*
 * The PIIX4 power management function, as QEMU's "pc" machine has it at
 * 00:01.3 (see include/hw/isa/piix.h).  Facts from the Intel 82371AB
 * datasheet (290562) and the ACPI specification (4.8): PMBA at 0x40
 * (bits 15:6, bit 0 reads 1), PMIOSE at 0x80 bit 0 enables the I/O
 * space, PM1_STS/PM1_EN at +0, PM1_CNT at +4 (SCI_EN, SLP_TYP 12:10,
 * SLP_EN 13), the 24-bit PM timer at +8 counting at 3.579545 MHz.
 *
 * emu has no SMM: like QEMU with smm=off, DEVACTB (0x58) comes up with
 * the APMC enable bit set, which SeaBIOS takes for "SMM already set up".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/isa/piix.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"

#define PIIX4_PMBA        0x40
#define PIIX4_PMBA_MASK   0xffc0
#define PIIX4_DEVACTB     0x58
#define PIIX4_DEVACTB_APMC_EN 0x02   /* in byte 0x5b */
#define PIIX4_PMREGMISC   0x80
#define PMIOSE            0x01
#define PIIX4_PM_IO_SIZE  64

#define PM1_STS           0x00
#define PM1_EN            0x02
#define PM1_CNT           0x04
#define PM_TMR            0x08
#define PM1_STS_TMR       0x0001
#define PM1_STS_PWRBTN    0x0100
#define PM1_STS_WAK       0x8000
#define PM1_CNT_SCI_EN    0x0001
#define PM1_CNT_SLP_EN    0x2000
#define PM1_CNT_SLP_TYP(v) (((v) >> 10) & 7)
#define PM1_CNT_WRITABLE  0x1c07     /* SLP_TYP, GBL_RLS, BM_RLD, SCI_EN */

#define PM_TIMER_FREQUENCY 3579545
#define PM_TIMER_MASK      0xffffff

typedef struct PIIX4PMState {
    PCIDevice parent_obj;
    MemoryRegion io;
    bool io_mapped;
    uint16_t pm1_sts;
    uint16_t pm1_en;
    uint16_t pm1_cnt;
} PIIX4PMState;

#define PIIX4_PM(obj) INSTANCE_CAST(PIIX4PMState, (obj), TYPE_PIIX4_PM)

static uint32_t pm_timer_now(void)
{
    __int128 ticks = (__int128)clock_virtual_ns() * PM_TIMER_FREQUENCY;

    return (uint64_t)(ticks / NANOSECONDS_PER_SECOND) & PM_TIMER_MASK;
}

static void pm1_cnt_write(PIIX4PMState *s, uint16_t value)
{
    s->pm1_cnt = (s->pm1_cnt & ~PM1_CNT_WRITABLE) | (value & PM1_CNT_WRITABLE);
    if (!(value & PM1_CNT_SLP_EN)) {
        return;
    }
    /* QEMU's DSDT gives S5 the type 0: soft-off ends the machine. */
    if (PM1_CNT_SLP_TYP(value) == 0) {
        system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    } else {
        emu_log_mask(LOG_UNIMP, "PIIX4_PM: sleep type %u is not supported\n",
                     PM1_CNT_SLP_TYP(value));
    }
}

static uint64_t pm_io_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;

    switch (addr) {
    case PM1_STS:
        return s->pm1_sts;
    case PM1_EN:
        return s->pm1_en;
    case PM1_CNT:
        return s->pm1_cnt;
    case PM_TMR:
        return pm_timer_now();
    default:
        emu_log_mask(LOG_UNIMP, "PIIX4_PM: read of register 0x%02" PRIx64
                     " is not implemented\n", (uint64_t)addr);
        return 0;
    }
}

static void pm_io_write(void *opaque, hwaddr addr, uint64_t value,
                        unsigned size)
{
    PIIX4PMState *s = opaque;

    switch (addr) {
    case PM1_STS:
        s->pm1_sts &= ~value;    /* write 1 to clear */
        break;
    case PM1_EN:
        s->pm1_en = value;
        break;
    case PM1_CNT:
        pm1_cnt_write(s, value);
        break;
    default:
        emu_log_mask(LOG_UNIMP, "PIIX4_PM: write of 0x%" PRIx64 " to register "
                     "0x%02" PRIx64 " is not implemented\n", value,
                     (uint64_t)addr);
        break;
    }
}

/* Registers are read as a whole at their offset; the dispatcher combines
 * byte accesses into them. */
static const MemoryRegionOps pm_io_ops = {
    .read = pm_io_read,
    .write = pm_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 2, .max_access_size = 4 },
};

/* Maps the registers where PMBA says while PMIOSE is set. */
static void piix4_pm_update_io(PIIX4PMState *s)
{
    const uint8_t *c = s->parent_obj.config;
    uint16_t base = pci_get_word(c + PIIX4_PMBA) & PIIX4_PMBA_MASK;
    bool enable = (c[PIIX4_PMREGMISC] & PMIOSE) && base;

    if (s->io_mapped) {
        memory_region_del_subregion(get_system_io(), &s->io);
        s->io_mapped = false;
    }
    if (enable) {
        memory_region_add_subregion(get_system_io(), base, &s->io);
        s->io_mapped = true;
    }
}

static void piix4_pm_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                                  int len)
{
    pci_default_config_write(dev, addr, val, len);
    if ((addr < PIIX4_PMBA + 4 && addr + len > PIIX4_PMBA) ||
        (addr <= PIIX4_PMREGMISC && addr + len > PIIX4_PMREGMISC)) {
        piix4_pm_update_io(PIIX4_PM(dev));
    }
}

static bool piix4_pm_realize(PCIDevice *dev, Error **errp)
{
    PIIX4PMState *s = PIIX4_PM(dev);

    pci_set_word(dev->wmask + PIIX4_PMBA, PIIX4_PMBA_MASK);
    dev->wmask[PIIX4_PMBA + 2] = 0;
    dev->wmask[PIIX4_PMBA + 3] = 0;
    memory_region_init_io(&s->io, OBJECT(dev), &pm_io_ops, s, "piix4-pm",
                          PIIX4_PM_IO_SIZE);
    return true;
}

static void piix4_pm_exit(PCIDevice *dev)
{
    PIIX4PMState *s = PIIX4_PM(dev);

    if (s->io_mapped) {
        memory_region_del_subregion(get_system_io(), &s->io);
    }
    memory_region_destroy(&s->io);
}

static void piix4_pm_reset(PCIDevice *dev)
{
    PIIX4PMState *s = PIIX4_PM(dev);

    pci_set_long(dev->config + PIIX4_PMBA, 0x00000001);  /* I/O space */
    pci_set_long(dev->config + PIIX4_DEVACTB, 0);
    dev->config[PIIX4_DEVACTB + 3] = PIIX4_DEVACTB_APMC_EN;
    dev->config[PIIX4_PMREGMISC] = 0;
    s->pm1_sts = 0;
    s->pm1_en = 0;
    s->pm1_cnt = 0;
    piix4_pm_update_io(s);
}

static void piix4_pm_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "PM";
    pc->realize = piix4_pm_realize;
    pc->exit = piix4_pm_exit;
    pc->reset = piix4_pm_reset;
    pc->config_write = piix4_pm_config_write;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7113;
    pc->revision = 0x03;
    pc->class_id = PCI_CLASS_BRIDGE_OTHER;
    pc->interrupt_pin = 1;
}

static const TypeInfo piix4_pm_types[] = {
    {
        .name = TYPE_PIIX4_PM,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PIIX4PMState),
        .class_init = piix4_pm_class_init,
    },
};

DEFINE_TYPES(piix4_pm_types)
