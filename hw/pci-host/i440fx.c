/*
 * The i440FX host bridge and PMC (see include/hw/pci-host/i440fx.h).
 * Register facts from the Intel 82441FX datasheet (290549): PAM0-PAM6 at
 * 0x59-0x5f, two 4-bit fields each (bit 0 read enable, bit 1 write
 * enable), SMRAM at 0x72.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/boards.h"
#include "hw/sysbus.h"
#include "hw/pci-host/i440fx.h"

#define CONFIG_ADDRESS_ENABLE 0x80000000u

#define I440FX_PAM       0x59
#define I440FX_PAM_SIZE  7
#define I440FX_SMRAM     0x72
#define I440FX_SMRAM_DEFAULT 0x02   /* C_BASE_SEG: the A segment */
#define PAM_REGIONS      13

/* PAM attribute values of a segment. */
enum { PAM_PCI = 0, PAM_READ_ONLY = 1, PAM_WRITE_ONLY = 2, PAM_RAM = 3 };

typedef struct PAMRegion {
    /* One alias per attribute value, only the current one enabled. */
    MemoryRegion alias[4];
    unsigned mode;
} PAMRegion;

typedef struct I440FXState {
    PCIDevice parent_obj;
    MemoryRegion *system_memory;
    MemoryRegion *ram;
    MemoryRegion *pci_mem;
    PAMRegion pam[PAM_REGIONS];
    MemoryRegion a_segment;
} I440FXState;

typedef struct I440FXHost {
    SysBusDevice parent_obj;
    MemoryRegion conf_addr;
    MemoryRegion conf_data;
    uint32_t config_reg;
    PCIBus *bus;
} I440FXHost;

#define I440FX(obj) INSTANCE_CAST(I440FXState, (obj), TYPE_I440FX_PCI_DEVICE)
#define I440FX_HOST(obj) \
    INSTANCE_CAST(I440FXHost, (obj), TYPE_I440FX_PCI_HOST)

/* ---- PAM: the 0xc0000-0xfffff shadow ---- */

/* Segment n: 0 is the 64 KiB F segment (PAM0 bits 7:4), then 16 KiB
 * pieces from 0xc0000 (PAM1 bits 3:0, PAM1 bits 7:4, PAM2...). */
static void pam_segment(int n, hwaddr *start, uint64_t *size,
                        unsigned *reg, unsigned *shift)
{
    if (n == 0) {
        *start = 0xf0000;
        *size = 0x10000;
        *reg = I440FX_PAM;
        *shift = 4;
    } else {
        *start = 0xc0000 + (n - 1) * 0x4000;
        *size = 0x4000;
        *reg = I440FX_PAM + 1 + (n - 1) / 2;
        *shift = (n - 1) % 2 ? 4 : 0;
    }
}

static void pam_init(I440FXState *d, int n)
{
    static const char *const names[4] = {
        [PAM_PCI] = "pam-pci", [PAM_READ_ONLY] = "pam-rom",
        [PAM_WRITE_ONLY] = "pam-ram", [PAM_RAM] = "pam-ram",
    };
    PAMRegion *pam = &d->pam[n];
    unsigned reg, shift;
    uint64_t size;
    hwaddr start;

    pam_segment(n, &start, &size, &reg, &shift);
    memory_region_init_alias(&pam->alias[PAM_PCI], OBJECT(d),
                             names[PAM_PCI], d->pci_mem, start, size);
    for (unsigned mode = PAM_READ_ONLY; mode <= PAM_RAM; mode++) {
        memory_region_init_alias(&pam->alias[mode], OBJECT(d), names[mode],
                                 d->ram, start, size);
    }
    /* Write-only: reads should go to PCI and writes to RAM, which one
     * alias cannot do; like QEMU, emu maps the RAM for both. */
    memory_region_set_readonly(&pam->alias[PAM_READ_ONLY], true);
    for (unsigned mode = PAM_PCI; mode <= PAM_RAM; mode++) {
        memory_region_set_enabled(&pam->alias[mode], mode == PAM_PCI);
        memory_region_add_subregion_overlap(d->system_memory, start,
                                            &pam->alias[mode], 1);
    }
    pam->mode = PAM_PCI;
}

static void i440fx_update_pam(I440FXState *d)
{
    memory_region_transaction_begin();
    for (int n = 0; n < PAM_REGIONS; n++) {
        PAMRegion *pam = &d->pam[n];
        unsigned reg, shift, mode;
        uint64_t size;
        hwaddr start;

        pam_segment(n, &start, &size, &reg, &shift);
        mode = (d->parent_obj.config[reg] >> shift) & 3;
        if (mode != pam->mode) {
            memory_region_set_enabled(&pam->alias[pam->mode], false);
            memory_region_set_enabled(&pam->alias[mode], true);
            pam->mode = mode;
        }
    }
    memory_region_transaction_commit();
}

static void i440fx_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                                int len)
{
    pci_default_config_write(dev, addr, val, len);
    if (addr < I440FX_PAM + I440FX_PAM_SIZE && addr + len > I440FX_PAM) {
        i440fx_update_pam(I440FX(dev));
    }
    if (addr <= I440FX_SMRAM && addr + len > I440FX_SMRAM &&
        (dev->config[I440FX_SMRAM] & ~I440FX_SMRAM_DEFAULT)) {
        emu_log_mask(LOG_UNIMP, "i440FX: SMRAM 0x%02x: emu has no SMM, the "
                     "A segment stays as it is\n", dev->config[I440FX_SMRAM]);
    }
}

static bool i440fx_realize(PCIDevice *dev, Error **errp)
{
    I440FXState *d = I440FX(dev);

    for (int n = 0; n < PAM_REGIONS; n++) {
        pam_init(d, n);
    }
    /* The A segment (0xa0000-0xbffff) goes to the PCI bus, where the VGA
     * window is, as without SMRAM open; QEMU's name for it. */
    memory_region_init_alias(&d->a_segment, OBJECT(d), "smram-region",
                             d->pci_mem, 0xa0000, 0x20000);
    memory_region_add_subregion_overlap(d->system_memory, 0xa0000,
                                        &d->a_segment, 1);
    return true;
}

/* At power-on the shadow is off: 0xc0000-0xfffff reads the PCI bus. */
static void i440fx_reset(PCIDevice *dev)
{
    memset(dev->config + I440FX_PAM, 0, I440FX_PAM_SIZE);
    dev->config[I440FX_SMRAM] = I440FX_SMRAM_DEFAULT;
    i440fx_update_pam(I440FX(dev));
}

static void i440fx_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "Host bridge";
    pc->realize = i440fx_realize;
    pc->reset = i440fx_reset;
    pc->config_write = i440fx_config_write;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x1237;
    pc->revision = 0x02;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
}

/* ---- configuration mechanism #1 ---- */

static uint64_t conf_addr_read(void *opaque, hwaddr addr, unsigned size)
{
    I440FXHost *h = opaque;

    return h->config_reg >> (addr * 8);
}

/* Only a doubleword write at 0xcf8 loads the address; smaller accesses
 * belong to other devices on real chipsets and are ignored. */
static void conf_addr_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    I440FXHost *h = opaque;

    if (addr == 0 && size == 4) {
        h->config_reg = value;
    }
}

static const MemoryRegionOps conf_addr_ops = {
    .read = conf_addr_read,
    .write = conf_addr_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t conf_data_read(void *opaque, hwaddr addr, unsigned size)
{
    I440FXHost *h = opaque;

    if (!(h->config_reg & CONFIG_ADDRESS_ENABLE)) {
        return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
    }
    return pci_host_config_read(h->bus, (h->config_reg & 0x00fffffc) | addr,
                                size);
}

static void conf_data_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    I440FXHost *h = opaque;

    if (h->config_reg & CONFIG_ADDRESS_ENABLE) {
        pci_host_config_write(h->bus, (h->config_reg & 0x00fffffc) | addr,
                              value, size);
    }
}

static const MemoryRegionOps conf_data_ops = {
    .read = conf_data_read,
    .write = conf_data_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static void i440fx_host_reset(DeviceState *dev)
{
    I440FX_HOST(dev)->config_reg = 0;
}

static void i440fx_host_class_init(ObjectClass *klass)
{
    DEVICE_CLASS(klass)->reset = i440fx_host_reset;
}

static const TypeInfo i440fx_types[] = {
    {
        .name = TYPE_I440FX_PCI_HOST,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(I440FXHost),
        .class_init = i440fx_host_class_init,
    },
    {
        .name = TYPE_I440FX_PCI_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(I440FXState),
        .class_init = i440fx_class_init,
    },
};

DEFINE_TYPES(i440fx_types)

PCIBus *i440fx_init(MemoryRegion *sysmem, MemoryRegion *ram,
                    MemoryRegion *pci_mem, Error **errp)
{
    DeviceState *host = qdev_new(TYPE_I440FX_PCI_HOST);
    I440FXHost *h = I440FX_HOST(host);
    DeviceState *dev;
    I440FXState *d;

    object_add_child(OBJECT(current_machine), "i440fx", OBJECT(host),
                     &error_fatal);
    h->bus = pci_root_bus_new(host, TYPE_PCI_BUS, "pci.0", pci_mem,
                              get_system_io());
    memory_region_init_io(&h->conf_addr, OBJECT(host), &conf_addr_ops, h,
                          "pci-conf-idx", 4);
    memory_region_init_io(&h->conf_data, OBJECT(host), &conf_data_ops, h,
                          "pci-conf-data", 4);
    memory_region_add_subregion(get_system_io(), 0xcf8, &h->conf_addr);
    memory_region_add_subregion(get_system_io(), 0xcfc, &h->conf_data);
    if (!qdev_realize_and_unref(host, sysbus_get_default(), errp)) {
        return NULL;
    }

    dev = qdev_new(TYPE_I440FX_PCI_DEVICE);
    machine_add_unattached(OBJECT(dev));
    d = I440FX(dev);
    d->system_memory = sysmem;
    d->ram = ram;
    d->pci_mem = pci_mem;
    PCI_DEVICE(dev)->devfn = PCI_DEVFN(0, 0);
    if (!qdev_realize_and_unref(dev, BUS(h->bus), errp)) {
        return NULL;
    }
    return h->bus;
}
