/*
 * The PCI core: the bus, the function's standard configuration header,
 * BARs mapped while the guest enables them, INTx (see
 * include/hw/pci/pci.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/trace.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci.h"
#include "sysemu/datadir.h"

#define PCI_STATUS_ERROR_BITS 0xf900   /* parity, aborts, SERR: write 1 */
#define PCI_32BIT_LIMIT 0x100000000ull

/* Every root bus, for info pci. */
static GSList *pci_root_buses;

PCIBus *pci_root_bus_new(DeviceState *parent, const char *bus_type,
                         const char *name, MemoryRegion *mem_space,
                         MemoryRegion *io_space)
{
    PCIBus *bus = PCI_BUS(qbus_new(bus_type, parent, name));

    bus->mem_space = mem_space;
    bus->io_space = io_space;
    pci_root_buses = g_slist_append(pci_root_buses, bus);
    return bus;
}

void pci_bus_irqs(PCIBus *bus, PCIMapIRQFunc map_irq, PCISetIRQFunc set_irq,
                  void *opaque, int nirq)
{
    bus->map_irq = map_irq;
    bus->set_irq = set_irq;
    bus->irq_opaque = opaque;
    bus->nirq = nirq;
    g_free(bus->irq_count);
    bus->irq_count = g_new0(int, nirq);
}

PCIBus *pci_get_bus(PCIDevice *dev)
{
    return PCI_BUS(DEVICE(dev)->parent_bus);
}

PCIBus *pci_find_root_bus(void)
{
    return pci_root_buses ? pci_root_buses->data : NULL;
}

/* ---- INTx ---- */

static void pci_change_irq_count(PCIDevice *dev, int pin, int change)
{
    PCIBus *bus = pci_get_bus(dev);
    int pirq;

    if (!bus->set_irq) {
        return;
    }
    pirq = bus->map_irq(dev, pin);
    g_assert(pirq >= 0 && pirq < bus->nirq);
    bus->irq_count[pirq] += change;
    bus->set_irq(bus->irq_opaque, pirq, bus->irq_count[pirq] != 0);
}

static bool pci_intx_disabled(PCIDevice *dev)
{
    return pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
}

void pci_set_irq(PCIDevice *dev, int level)
{
    int pin = dev->config[PCI_INTERRUPT_PIN] - 1;
    bool was;

    if (pin < 0 || pin >= PCI_NUM_PINS) {
        return;
    }
    was = dev->irq_state & (1u << pin);
    if (was == !!level) {
        return;
    }
    dev->irq_state ^= 1u << pin;
    /* The status bit shows the pin even when INTx is disabled. */
    if (level) {
        dev->config[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
    } else {
        dev->config[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
    }
    if (!pci_intx_disabled(dev)) {
        pci_change_irq_count(dev, pin, level ? 1 : -1);
    }
}

/* The command register's INTx disable bit changed: withdraw or reassert
 * what the pins drive. */
static void pci_update_intx(PCIDevice *dev, bool was_disabled)
{
    bool disabled = pci_intx_disabled(dev);

    if (disabled == was_disabled) {
        return;
    }
    for (int pin = 0; pin < PCI_NUM_PINS; pin++) {
        if (dev->irq_state & (1u << pin)) {
            pci_change_irq_count(dev, pin, disabled ? -1 : 1);
        }
    }
}

/* ---- MSI ---- */

void pci_send_msi(PCIDevice *dev, uint64_t addr, uint32_t data)
{
    if (!(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return;
    }
    address_space_st(&address_space_memory, addr, 4, data);
}

/* ---- BARs ---- */

/* The configuration register of region n (a BAR or the ROM BAR). */
static unsigned pci_bar_reg(int n)
{
    return n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + n * 4;
}

void pci_register_bar(PCIDevice *dev, int n, uint8_t type, MemoryRegion *mr)
{
    PCIIORegion *r = &dev->io_regions[n];
    uint64_t size = memory_region_size(mr);
    unsigned reg = pci_bar_reg(n);
    uint64_t wmask;

    g_assert(n >= 0 && n < PCI_NUM_REGIONS && size && !(size & (size - 1)));
    r->addr = PCI_BAR_UNMAPPED;
    r->size = size;
    r->type = type;
    r->memory = mr;
    wmask = ~(size - 1);
    if (n == PCI_ROM_SLOT) {
        wmask = (wmask & ~0x7ffull) | PCI_ROM_ADDRESS_ENABLE;
    } else if (type & PCI_BASE_ADDRESS_SPACE_IO) {
        wmask &= ~3ull;
    } else {
        wmask &= ~15ull;
    }
    pci_set_long(dev->config + reg, type);
    pci_set_long(dev->wmask + reg, wmask);
    if (type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        g_assert(n + 1 < PCI_NUM_BARS);
        pci_set_long(dev->config + reg + 4, 0);
        pci_set_long(dev->wmask + reg + 4, wmask >> 32);
    }
}

uint64_t pci_bar_size(uint64_t bytes)
{
    return bytes <= 1 ? 1 : 1ull << g_bit_storage(bytes - 1);
}

/* ---- the expansion ROM ---- */

/*
 * One ROM image serves several device IDs (iPXE's efi-virtio.rom says
 * 1af4:1041; the transitional virtio-net is 1af4:1000), but firmware runs
 * a ROM only when the IDs in its PCI data structure are the function's:
 * the first image gets the function's device ID, as QEMU patches it,
 * with the byte at offset 6 (iPXE's checksum fix-up) keeping the image's
 * sum.  A ROM of another vendor, or not a ROM, is left alone.
 */
static void pci_patch_rom_ids(PCIDevice *dev, uint8_t *rom, size_t len)
{
    uint16_t device_id = pci_get_word(dev->config + PCI_DEVICE_ID);
    uint16_t pcir, rom_device_id;

    if (len < 0x1c || pci_get_word(rom) != 0xaa55) {
        return;
    }
    pcir = pci_get_word(rom + 0x18);
    if ((size_t)pcir + 8 >= len || memcmp(rom + pcir, "PCIR", 4) ||
        pci_get_word(rom + pcir + 4) !=
        pci_get_word(dev->config + PCI_VENDOR_ID)) {
        return;
    }
    rom_device_id = pci_get_word(rom + pcir + 6);
    if (rom_device_id != device_id) {
        rom[6] += (uint8_t)rom_device_id + (uint8_t)(rom_device_id >> 8) -
                  (uint8_t)device_id - (uint8_t)(device_id >> 8);
        pci_set_word(rom + pcir + 6, device_id);
    }
}

bool pci_add_option_rom(PCIDevice *dev, const char *romfile,
                        const char *name, Error **errp)
{
    g_autofree char *searched = NULL;
    g_autofree char *data = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *path;
    gsize len;

    if (!romfile || !*romfile) {
        return true;
    }
    path = datadir_find_default_firmware(romfile, &searched);
    if (!path) {
        error_setg(errp, "failed to find romfile \"%s\" (looked in %s)",
                   romfile, searched);
        return false;
    }
    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        error_setg(errp, "failed to load romfile \"%s\": %s", romfile,
                   gerr->message);
        return false;
    }
    if (!len || len > 16 * 1024 * 1024) {
        error_setg(errp, "romfile \"%s\" is %s", romfile,
                   len ? "larger than 16 MiB" : "empty");
        return false;
    }
    if (!memory_region_init_rom(&dev->rom, OBJECT(dev), name,
                                MAX(2048, pci_bar_size(len)), errp)) {
        return false;
    }
    pci_patch_rom_ids(dev, (uint8_t *)data, len);
    memcpy(memory_region_get_ram_ptr(&dev->rom), data, len);
    dev->has_rom = true;
    pci_register_bar(dev, PCI_ROM_SLOT, 0, &dev->rom);
    return true;
}

static void pci_free_option_rom(PCIDevice *dev)
{
    if (dev->has_rom) {
        memory_region_destroy(&dev->rom);
        dev->has_rom = false;
    }
}

/* ---- capabilities ---- */

uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size)
{
    uint8_t offset = dev->cap_end;

    g_assert(size >= 2 && offset + size <= PCI_CONFIG_SPACE_SIZE);
    /* The next one starts on a DWORD, as QEMU places them. */
    dev->cap_end += DIV_ROUND_UP(size, 4) * 4;
    memset(dev->wmask + offset, 0, size);
    dev->config[offset] = cap_id;
    dev->config[offset + 1] = dev->config[PCI_CAPABILITY_LIST];
    dev->config[PCI_CAPABILITY_LIST] = offset;
    dev->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
    return offset;
}

/* Where the guest has put BAR n, or PCI_BAR_UNMAPPED when the decoding
 * is off, the BAR is unset or the range wraps (as QEMU decides). */
static uint64_t pci_bar_address(PCIDevice *dev, int n)
{
    PCIIORegion *r = &dev->io_regions[n];
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    unsigned reg = pci_bar_reg(n);
    uint64_t addr, last;

    if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(dev->config + reg) & ~(r->size - 1) & ~3ull;
        last = addr + r->size - 1;
        if (addr == 0 || last <= addr || last >= 0x10000) {
            return PCI_BAR_UNMAPPED;
        }
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;
    }
    addr = pci_get_long(dev->config + reg);
    if (n == PCI_ROM_SLOT && !(addr & PCI_ROM_ADDRESS_ENABLE)) {
        return PCI_BAR_UNMAPPED;
    }
    if (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr |= (uint64_t)pci_get_long(dev->config + reg + 4) << 32;
    }
    addr &= ~(r->size - 1) & ~15ull;
    last = addr + r->size - 1;
    if (addr == 0 || last <= addr ||
        (!(r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) && last >= PCI_32BIT_LIMIT)) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

/* Puts every BAR where its register and the command register say. */
static void pci_update_mappings(PCIDevice *dev)
{
    PCIBus *bus = pci_get_bus(dev);

    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &dev->io_regions[n];
        MemoryRegion *space;
        uint64_t addr;

        if (!r->size) {
            continue;
        }
        addr = pci_bar_address(dev, n);
        if (addr == r->addr) {
            continue;
        }
        space = r->type & PCI_BASE_ADDRESS_SPACE_IO ? bus->io_space
                                                    : bus->mem_space;
        if (r->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(space, r->memory);
        }
        r->addr = addr;
        if (addr != PCI_BAR_UNMAPPED) {
            /* Above the bus's background (e.g. the VGA window). */
            memory_region_add_subregion_overlap(space, addr, r->memory, 1);
        }
    }
}

/* ---- configuration space ---- */

static bool ranges_overlap(uint32_t a, int alen, uint32_t b, int blen)
{
    return a < b + blen && b < a + alen;
}

uint32_t pci_default_config_read(PCIDevice *dev, uint32_t addr, int len)
{
    uint32_t val = 0;

    for (int i = len - 1; i >= 0; i--) {
        val = (val << 8) | dev->config[addr + i];
    }
    return val;
}

void pci_default_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len)
{
    bool was_disabled = pci_intx_disabled(dev);

    for (int i = 0; i < len; i++, val >>= 8) {
        uint8_t w = dev->wmask[addr + i];
        uint8_t c = dev->w1cmask[addr + i];
        uint8_t *p = &dev->config[addr + i];

        *p = (*p & ~w) | (val & w);
        *p &= ~(val & c);
    }
    if (ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, PCI_NUM_BARS * 4) ||
        ranges_overlap(addr, len, PCI_ROM_ADDRESS, 4) ||
        ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_mappings(dev);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_intx(dev, was_disabled);
    }
    msix_write_config(dev, addr, len);
}

static PCIDevice *pci_host_find(PCIBus *bus, uint32_t addr)
{
    /* Only the root bus, number 0, exists: no PCI-PCI bridges yet. */
    if ((addr >> 16) & 0xff) {
        return NULL;
    }
    return bus->devices[(addr >> 8) & 0xff];
}

uint32_t pci_host_config_read(PCIBus *bus, uint32_t addr, int len)
{
    PCIDevice *dev = pci_host_find(bus, addr);
    uint32_t reg = addr & 0xff;
    uint32_t val;

    if (!dev) {
        return len == 4 ? 0xffffffffu : (1u << (len * 8)) - 1;
    }
    val = PCI_DEVICE_GET_CLASS(dev)->config_read(dev, reg, len);
    trace_pci_cfg_read(object_get_typename(OBJECT(dev)), 0,
                       PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn), reg, val);
    return val;
}

void pci_host_config_write(PCIBus *bus, uint32_t addr, uint32_t val,
                           int len)
{
    PCIDevice *dev = pci_host_find(bus, addr);

    if (dev) {
        trace_pci_cfg_write(object_get_typename(OBJECT(dev)), 0,
                            PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn),
                            addr & 0xff, val);
        PCI_DEVICE_GET_CLASS(dev)->config_write(dev, addr & 0xff, val, len);
    }
}

/* ---- device life cycle ---- */

/* "SLOT" or "SLOT.FN", hex, as QEMU's addr property takes it. */
static bool pci_parse_devfn(const char *text, int *devfn)
{
    unsigned long slot, fn = 0;
    char *end;

    slot = strtoul(text, &end, 16);
    if (end == text || slot > 0x1f) {
        return false;
    }
    if (*end == '.') {
        const char *f = end + 1;

        fn = strtoul(f, &end, 16);
        if (end == f || fn > 7) {
            return false;
        }
    }
    if (*end) {
        return false;
    }
    *devfn = PCI_DEVFN(slot, fn);
    return true;
}

/*
 * A slot holds functions other than 0 only when function 0 says it is a
 * multi-function device (the header type bit, multifunction=on), which
 * is all a guest checks.  Functions above 0 need not set the bit
 * themselves (the PIIX3's IDE function does not).  QEMU's words.
 */
static bool pci_slot_takes_function(PCIDevice *dev, PCIBus *bus,
                                    Error **errp)
{
    int slot = PCI_SLOT(dev->devfn);

    if (PCI_FUNC(dev->devfn)) {
        PCIDevice *f0 = bus->devices[PCI_DEVFN(slot, 0)];

        if (f0 && !f0->multifunction) {
            error_setg(errp, "PCI: single function device can't be "
                       "populated in function %x.%x", slot,
                       PCI_FUNC(dev->devfn));
            return false;
        }
        return true;
    }
    if (dev->multifunction) {
        return true;
    }
    for (int func = 1; func < 8; func++) {
        if (bus->devices[PCI_DEVFN(slot, func)]) {
            error_setg(errp, "PCI: %x.0 indicates single function, but %x.%x "
                       "is already populated.", slot, slot, func);
            return false;
        }
    }
    return true;
}

static bool pci_assign_devfn(PCIDevice *dev, PCIBus *bus, Error **errp)
{
    const char *type = object_get_typename(OBJECT(dev));

    if (dev->addr && !pci_parse_devfn(dev->addr, &dev->devfn)) {
        error_setg(errp, "Property '%s.addr' doesn't take value '%s'", type,
                   dev->addr);
        return false;
    }
    if (dev->devfn < 0) {
        for (int devfn = 0; devfn < 256; devfn += 8) {
            if (!bus->devices[devfn]) {
                dev->devfn = devfn;
                break;
            }
        }
        if (dev->devfn < 0) {
            error_setg(errp, "PCI: no slot/function available for %s, all "
                       "in use or reserved", type);
            return false;
        }
    } else if (bus->devices[dev->devfn]) {
        DeviceState *other = DEVICE(bus->devices[dev->devfn]);

        error_setg(errp, "PCI: slot %d function %d not available for %s, in "
                   "use by %s,id=%s", PCI_SLOT(dev->devfn),
                   PCI_FUNC(dev->devfn), type,
                   object_get_typename(OBJECT(other)),
                   other->id ? other->id : "(null)");
        return false;
    }
    if (!pci_slot_takes_function(dev, bus, errp)) {
        return false;
    }
    /* What info qtree shows, as QEMU prints the property. */
    g_free(dev->addr);
    dev->addr = g_strdup_printf("%02x.%x", PCI_SLOT(dev->devfn),
                                PCI_FUNC(dev->devfn));
    return true;
}

static void pci_init_header(PCIDevice *dev, PCIDeviceClass *pc)
{
    uint8_t *c = dev->config;

    pci_set_word(c + PCI_VENDOR_ID, pc->vendor_id);
    pci_set_word(c + PCI_DEVICE_ID, pc->device_id);
    c[PCI_REVISION_ID] = pc->revision;
    c[PCI_CLASS_PROG] = pc->prog_if;
    pci_set_word(c + PCI_CLASS_DEVICE, pc->class_id);
    c[PCI_HEADER_TYPE] = dev->multifunction ? PCI_HEADER_TYPE_MULTI_FUNCTION
                                            : 0;
    pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID,
                 PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
    pci_set_word(c + PCI_SUBSYSTEM_ID, PCI_SUBDEVICE_ID_QEMU);
    c[PCI_INTERRUPT_PIN] = pc->interrupt_pin;

    pci_set_word(dev->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                 PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                 PCI_COMMAND_INTX_DISABLE);
    pci_set_word(dev->w1cmask + PCI_STATUS, PCI_STATUS_ERROR_BITS);
    dev->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    /* Device-specific registers are plain storage unless the function's
     * config_write says otherwise. */
    memset(dev->wmask + PCI_CONFIG_HEADER_SIZE, 0xff,
           PCI_CONFIG_SPACE_SIZE - PCI_CONFIG_HEADER_SIZE);
}

static bool pci_device_realize(DeviceState *qdev, Error **errp)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    PCIBus *bus = PCI_BUS(qdev->parent_bus);

    if (!pci_assign_devfn(dev, bus, errp)) {
        return false;
    }
    pci_init_header(dev, pc);
    dev->cap_end = PCI_CONFIG_HEADER_SIZE;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        dev->io_regions[n].addr = PCI_BAR_UNMAPPED;
    }
    if (pc->realize && !pc->realize(dev, errp)) {
        pci_free_option_rom(dev);
        return false;
    }
    bus->devices[dev->devfn] = dev;
    return true;
}

static void pci_device_unrealize(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    PCIBus *bus = pci_get_bus(dev);

    pci_set_irq(dev, 0);
    pci_set_word(dev->config + PCI_COMMAND, 0);
    pci_update_mappings(dev);
    bus->devices[dev->devfn] = NULL;
    if (pc->exit) {
        pc->exit(dev);
    }
    pci_free_option_rom(dev);
}

/* The header as after RST#: decoding off, BARs cleared, pins released.
 * The function's own registers are its reset's business. */
static void pci_device_reset(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);

    for (int pin = 0; pin < PCI_NUM_PINS; pin++) {
        if (dev->irq_state & (1u << pin)) {
            dev->irq_state &= ~(1u << pin);
            if (!pci_intx_disabled(dev)) {
                pci_change_irq_count(dev, pin, -1);
            }
        }
    }
    dev->config[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
    pci_set_word(dev->config + PCI_COMMAND,
                 cmd & ~pci_get_word(dev->wmask + PCI_COMMAND));
    pci_set_word(dev->config + PCI_STATUS,
                 pci_get_word(dev->config + PCI_STATUS) &
                 ~PCI_STATUS_ERROR_BITS);
    dev->config[PCI_CACHE_LINE_SIZE] = 0;
    dev->config[PCI_INTERRUPT_LINE] = 0;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &dev->io_regions[n];
        unsigned reg = pci_bar_reg(n);

        if (!r->size) {
            continue;
        }
        pci_set_long(dev->config + reg, r->type);
        if (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
            pci_set_long(dev->config + reg + 4, 0);
        }
    }
    pci_update_mappings(dev);
    msix_reset(dev);
    if (PCI_DEVICE_GET_CLASS(dev)->reset) {
        PCI_DEVICE_GET_CLASS(dev)->reset(dev);
    }
}

PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *type,
                             bool multifunction, Error **errp)
{
    DeviceState *dev = qdev_new(type);
    PCIDevice *pdev = PCI_DEVICE(dev);

    pdev->devfn = devfn;
    pdev->multifunction = multifunction;
    if (!qdev_realize_and_unref(dev, BUS(bus), errp)) {
        return NULL;
    }
    return pdev;
}

/* ---- types ---- */

static void pci_device_instance_init(Object *obj)
{
    /* No place yet: "addr", the board or the first free slot gives it. */
    PCI_DEVICE(obj)->devfn = -1;
}

static const Property pci_device_properties[] = {
    DEFINE_PROP_STRING("addr", PCIDevice, addr,
                       "slot and function on the bus, SLOT[.FN] in hex"),
    DEFINE_PROP_BOOL("multifunction", PCIDevice, multifunction, false,
                     "on/off"),
};

static void pci_device_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    dc->bus_type = TYPE_PCI_BUS;
    dc->realize = pci_device_realize;
    dc->unrealize = pci_device_unrealize;
    dc->reset = pci_device_reset;
    pc->config_read = pci_default_config_read;
    pc->config_write = pci_default_config_write;
    class_add_properties(klass, pci_device_properties,
                         ARRAY_SIZE(pci_device_properties));
}

/* info qtree: QEMU's pcibus_dev_print lines. */
static void pci_bus_print_dev(BusState *bus, DeviceState *qdev, GString *out,
                              int indent);

static void pci_bus_class_init(ObjectClass *klass)
{
    BusClass *bc = BUS_CLASS(klass);

    bc->qtree_type = "PCI";
    bc->print_dev = pci_bus_print_dev;
}

static void pcie_bus_class_init(ObjectClass *klass)
{
    BUS_CLASS(klass)->qtree_type = "PCIE";
}

static void pci_bus_finalize(Object *obj)
{
    PCIBus *bus = PCI_BUS(obj);

    pci_root_buses = g_slist_remove(pci_root_buses, bus);
    g_free(bus->irq_count);
}

static const TypeInfo pci_types[] = {
    {
        .name = TYPE_PCI_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(PCIBus),
        .instance_finalize = pci_bus_finalize,
        .class_init = pci_bus_class_init,
    },
    {
        .name = TYPE_PCIE_BUS,
        .parent = TYPE_PCI_BUS,
        .instance_size = sizeof(PCIBus),
        .class_init = pcie_bus_class_init,
    },
    {
        .name = TYPE_PCI_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .instance_init = pci_device_instance_init,
        .class_size = sizeof(PCIDeviceClass),
        .abstract = true,
        .class_init = pci_device_class_init,
    },
};

DEFINE_TYPES(pci_types)

/* ---- what the monitor shows ---- */

/* QEMU's names for class codes, used by info pci and info qtree. */
static const struct {
    uint16_t class_id;
    const char *desc;
} pci_class_names[] = {
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0102, "Floppy controller" },
    { 0x0103, "IPI controller" },
    { 0x0104, "RAID controller" },
    { 0x0106, "SATA controller" },
    { 0x0107, "SAS controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0201, "Token Ring controller" },
    { 0x0202, "FDDI controller" },
    { 0x0203, "ATM controller" },
    { 0x0280, "Network controller" },
    { 0x0300, "VGA controller" },
    { 0x0301, "XGA controller" },
    { 0x0302, "3D controller" },
    { 0x0380, "Display controller" },
    { 0x0400, "Video controller" },
    { 0x0401, "Audio controller" },
    { 0x0402, "Phone" },
    { 0x0403, "Audio controller" },
    { 0x0480, "Multimedia controller" },
    { 0x0500, "RAM controller" },
    { 0x0501, "Flash controller" },
    { 0x0580, "Memory controller" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0602, "EISA bridge" },
    { 0x0603, "MC bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0605, "PCMCIA bridge" },
    { 0x0606, "NUBUS bridge" },
    { 0x0607, "CARDBUS bridge" },
    { 0x0608, "RACEWAY bridge" },
    { 0x0680, "Bridge" },
    { 0x0700, "Serial port" },
    { 0x0701, "Parallel port" },
    { 0x0800, "Interrupt controller" },
    { 0x0801, "DMA controller" },
    { 0x0802, "Timer" },
    { 0x0803, "RTC" },
    { 0x0900, "Keyboard" },
    { 0x0901, "Pen" },
    { 0x0902, "Mouse" },
    { 0x0A00, "Dock station" },
    { 0x0B00, "i386 cpu" },
    { 0x0c00, "Fireware contorller" },
    { 0x0c01, "Access bus controller" },
    { 0x0c02, "SSA controller" },
    { 0x0c03, "USB controller" },
    { 0x0c04, "Fibre channel controller" },
    { 0x0c05, "SMBus" },
};

/* A class without a name is "Class NNNN": in hex in info qtree, in
 * decimal in info pci, as QEMU 7.2 prints them. */
static void pci_append_class(GString *out, const PCIDevice *dev,
                             bool decimal)
{
    uint16_t class_id = pci_get_word(dev->config + PCI_CLASS_DEVICE);

    for (size_t i = 0; i < ARRAY_SIZE(pci_class_names); i++) {
        if (pci_class_names[i].class_id == class_id) {
            g_string_append(out, pci_class_names[i].desc);
            return;
        }
    }
    g_string_append_printf(out, decimal ? "Class %04u" : "Class %04x",
                           class_id);
}

static void pci_info_device(GString *out, const PCIDevice *dev)
{
    const uint8_t *c = dev->config;

    g_string_append_printf(out, "  Bus %2d, device %3d, function %d:\n    ",
                           0, PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
    pci_append_class(out, dev, true);
    g_string_append_printf(out, ": PCI device %04x:%04x\n",
                           pci_get_word(c + PCI_VENDOR_ID),
                           pci_get_word(c + PCI_DEVICE_ID));
    g_string_append_printf(out, "      PCI subsystem %04x:%04x\n",
                           pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID),
                           pci_get_word(c + PCI_SUBSYSTEM_ID));
    if (c[PCI_INTERRUPT_PIN]) {
        g_string_append_printf(out, "      IRQ %d, pin %c\n",
                               c[PCI_INTERRUPT_LINE],
                               'A' + c[PCI_INTERRUPT_PIN] - 1);
    }
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        const PCIIORegion *r = &dev->io_regions[n];

        if (!r->size) {
            continue;
        }
        /* QEMU 7.2 prints an unmapped BAR as address -1, end size - 2. */
        if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
            g_string_append_printf(out, "      BAR%d: I/O at 0x%04" PRIx64
                                   " [0x%04" PRIx64 "].\n", n, r->addr,
                                   r->addr + r->size - 1);
        } else {
            g_string_append_printf(
                out, "      BAR%d: %d bit%s memory at 0x%08" PRIx64
                " [0x%08" PRIx64 "].\n", n,
                r->type & PCI_BASE_ADDRESS_MEM_TYPE_64 ? 64 : 32,
                r->type & PCI_BASE_ADDRESS_MEM_PREFETCH ? " prefetchable" : "",
                r->addr, r->addr + r->size - 1);
        }
    }
    g_string_append_printf(out, "      id \"%s\"\n",
                           DEVICE(dev)->id ? DEVICE(dev)->id : "");
}

void pci_info_print(GString *out)
{
    for (GSList *l = pci_root_buses; l; l = l->next) {
        PCIBus *bus = l->data;

        for (int devfn = 0; devfn < 256; devfn++) {
            if (bus->devices[devfn]) {
                pci_info_device(out, bus->devices[devfn]);
            }
        }
    }
}

static void pci_bus_print_dev(BusState *bus, DeviceState *qdev, GString *out,
                              int indent)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    const uint8_t *c = dev->config;

    g_string_append_printf(out, "%*sclass ", indent, "");
    pci_append_class(out, dev, false);
    g_string_append_printf(out, ", addr 00:%02x.%x, pci id %04x:%04x "
                           "(sub %04x:%04x)\n", PCI_SLOT(dev->devfn),
                           PCI_FUNC(dev->devfn),
                           pci_get_word(c + PCI_VENDOR_ID),
                           pci_get_word(c + PCI_DEVICE_ID),
                           pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID),
                           pci_get_word(c + PCI_SUBSYSTEM_ID));
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        const PCIIORegion *r = &dev->io_regions[n];

        if (r->size) {
            g_string_append_printf(out, "%*sbar %d: %s at 0x%" PRIx64
                                   " [0x%" PRIx64 "]\n", indent, "", n,
                                   r->type & PCI_BASE_ADDRESS_SPACE_IO
                                   ? "i/o" : "mem", r->addr,
                                   r->addr + r->size - 1);
        }
    }
}
