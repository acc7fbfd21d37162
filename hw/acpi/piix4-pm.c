/*
 * The PIIX4 power management function, as QEMU's "pc" machine has it at
 * 00:01.3 (see include/hw/isa/piix.h).  Facts from the Intel 82371AB
 * datasheet (290562) and the ACPI specification (4.8): PMBA at 0x40
 * (bits 15:6, bit 0 reads 1), PMIOSE at 0x80 bit 0 enables the I/O
 * space, PM1_STS/PM1_EN at +0, PM1_CNT at +4 (SCI_EN, SLP_TYP 12:10,
 * SLP_EN 13), the 24-bit PM timer at +8 counting at 3.579545 MHz.
 *
 * Around it, as QEMU's PIIX4 PM has them and its ACPI tables describe
 * them: the SCI on ISA IRQ 9 (gpio out 0), raised while an enabled
 * PM1 event (the power button, which system_powerdown presses) or GPE
 * is pending; the APM control port 0xb2 through which the OS asks for
 * ACPI mode (0xf1 sets SCI_EN, 0xf0 clears it) and its status port
 * 0xb3; and QEMU's GPE0 block at 0xafe0 (two status bytes, write 1 to
 * clear, two enable bytes), which has no event sources yet.
 *
 * emu has no SMM: like QEMU with smm=off, DEVACTB (0x58) comes up with
 * the APMC enable bit set, which SeaBIOS takes for "SMM already set up".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/acpi/pcihp.h"
#include "hw/irq.h"
#include "hw/isa/piix.h"
#include "hw/misc/isa-ports.h"
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
#define PM1_STS_RTC       0x0400
#define PM1_STS_GBL       0x0020
/* The PM1 events that raise the SCI when enabled (same bits in PM1_EN). */
#define PM1_SCI_EVENTS    (PM1_STS_TMR | PM1_STS_GBL | PM1_STS_PWRBTN | \
                           PM1_STS_RTC)
#define PM1_STS_WAK       0x8000
#define PM1_CNT_SCI_EN    0x0001
#define PM1_CNT_SLP_EN    0x2000
#define PM1_CNT_SLP_TYP(v) (((v) >> 10) & 7)
#define PM1_CNT_WRITABLE  0x1c07     /* SLP_TYP, GBL_RLS, BM_RLD, SCI_EN */

#define APM_CNT_IOPORT     0xb2
#define APM_STS_IOPORT     0xb3
#define APM_ACPI_ENABLE    0xf1
#define APM_ACPI_DISABLE   0xf0

#define GPE0_LEN           PIIX4_GPE0_LEN   /* status, then enable */

#define PM_TIMER_FREQUENCY 3579545
#define PM_TIMER_MASK      0xffffff

typedef struct PIIX4PMState {
    PCIDevice parent_obj;
    MemoryRegion io;
    bool io_mapped;
    MemoryRegion apm_io;
    MemoryRegion gpe_io;
    IRQLine *sci;
    uint16_t pm1_sts;
    uint16_t pm1_en;
    uint16_t pm1_cnt;
    uint8_t apm_sts;
    uint8_t gpe_sts[GPE0_LEN / 2];
    uint8_t gpe_en[GPE0_LEN / 2];
    AcpiPciHp *pcihp;
} PIIX4PMState;

#define PIIX4_PM(obj) INSTANCE_CAST(PIIX4PMState, (obj), TYPE_PIIX4_PM)

static uint32_t pm_timer_now(void)
{
    __int128 ticks = (__int128)clock_virtual_ns() * PM_TIMER_FREQUENCY;

    return (uint64_t)(ticks / NANOSECONDS_PER_SECOND) & PM_TIMER_MASK;
}

/* The SCI is a level: any enabled event still pending keeps it up. */
static void piix4_pm_update_sci(PIIX4PMState *s)
{
    bool level = (s->pm1_sts & s->pm1_en & PM1_SCI_EVENTS) != 0;

    for (unsigned i = 0; i < ARRAY_SIZE(s->gpe_sts); i++) {
        level |= (s->gpe_sts[i] & s->gpe_en[i]) != 0;
    }
    irq_set_level(s->sci, level);
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
        piix4_pm_update_sci(s);
        break;
    case PM1_EN:
        s->pm1_en = value;
        piix4_pm_update_sci(s);
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

/* APMC (0xb2): QEMU's ACPI enable/disable commands, named in the FADT;
 * a real PIIX4 would raise an SMI, which emu does not have.  APMS
 * (0xb3) is a scratch byte. */
static uint64_t apm_io_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;

    return addr == APM_STS_IOPORT - APM_CNT_IOPORT ? s->apm_sts : 0;
}

static void apm_io_write(void *opaque, hwaddr addr, uint64_t value,
                         unsigned size)
{
    PIIX4PMState *s = opaque;

    if (addr == APM_STS_IOPORT - APM_CNT_IOPORT) {
        s->apm_sts = value;
    } else if (value == APM_ACPI_ENABLE) {
        s->pm1_cnt |= PM1_CNT_SCI_EN;
    } else if (value == APM_ACPI_DISABLE) {
        s->pm1_cnt &= ~PM1_CNT_SCI_EN;
    }
}

static const MemoryRegionOps apm_io_ops = {
    .read = apm_io_read,
    .write = apm_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t gpe_io_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;
    unsigned half = GPE0_LEN / 2;

    return addr < half ? s->gpe_sts[addr] : s->gpe_en[addr - half];
}

static void gpe_io_write(void *opaque, hwaddr addr, uint64_t value,
                         unsigned size)
{
    PIIX4PMState *s = opaque;
    unsigned half = GPE0_LEN / 2;

    if (addr < half) {
        s->gpe_sts[addr] &= ~value;
    } else {
        s->gpe_en[addr - half] = value;
    }
    piix4_pm_update_sci(s);
}

/* The OS reads and writes the block a byte at a time (ACPI 4.8.4.1). */
static const MemoryRegionOps gpe_io_ops = {
    .read = gpe_io_read,
    .write = gpe_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* A slot of bus 0 changed: GPE0 bit 1. */
static void piix4_pm_pcihp_event(void *opaque)
{
    PIIX4PMState *s = opaque;

    s->gpe_sts[0] |= 1u << ACPI_PCIHP_GPE_BIT;
    piix4_pm_update_sci(s);
}

/* system_powerdown: the power button's fixed event. */
static void piix4_pm_power_button(void *opaque)
{
    PIIX4PMState *s = opaque;

    s->pm1_sts |= PM1_STS_PWRBTN;
    piix4_pm_update_sci(s);
}

void piix4_pm_reset_hotplug(PCIDevice *dev)
{
    acpi_pcihp_reset(PIIX4_PM(dev)->pcihp);
}

uint16_t piix4_pm_io_base(PCIDevice *dev)
{
    return pci_get_word(dev->config + PIIX4_PMBA) & PIIX4_PMBA_MASK;
}

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
    memory_region_init_io(&s->apm_io, OBJECT(dev), &apm_io_ops, s, "apm-io",
                          2);
    memory_region_init_io(&s->gpe_io, OBJECT(dev), &gpe_io_ops, s, "acpi-gpe0",
                          GPE0_LEN);
    if (!isa_ports_map(DEVICE(dev), &s->apm_io, APM_CNT_IOPORT, errp)) {
        goto fail;
    }
    if (!isa_ports_map(DEVICE(dev), &s->gpe_io, PIIX4_GPE0_BLK, errp)) {
        isa_ports_unmap(&s->apm_io);
        goto fail;
    }
    s->pcihp = acpi_pcihp_new(DEVICE(dev), pci_get_bus(dev),
                              piix4_pm_pcihp_event, s, errp);
    if (!s->pcihp) {
        isa_ports_unmap(&s->apm_io);
        isa_ports_unmap(&s->gpe_io);
        goto fail;
    }
    system_powerdown_set_handler(piix4_pm_power_button, s);
    return true;

fail:
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->apm_io);
    memory_region_destroy(&s->gpe_io);
    return false;
}

static void piix4_pm_exit(PCIDevice *dev)
{
    PIIX4PMState *s = PIIX4_PM(dev);

    system_powerdown_set_handler(NULL, NULL);
    acpi_pcihp_free(s->pcihp);
    if (s->io_mapped) {
        memory_region_del_subregion(get_system_io(), &s->io);
    }
    isa_ports_unmap(&s->apm_io);
    isa_ports_unmap(&s->gpe_io);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->apm_io);
    memory_region_destroy(&s->gpe_io);
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
    s->apm_sts = 0;
    memset(s->gpe_sts, 0, sizeof(s->gpe_sts));
    memset(s->gpe_en, 0, sizeof(s->gpe_en));
    piix4_pm_update_io(s);
    piix4_pm_update_sci(s);
}

static void piix4_pm_instance_init(Object *obj)
{
    PIIX4PMState *s = PIIX4_PM(obj);

    qdev_init_gpio_out(DEVICE(obj), &s->sci, 1);
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
        .instance_init = piix4_pm_instance_init,
        .class_init = piix4_pm_class_init,
    },
};

DEFINE_TYPES(piix4_pm_types)
