/*
 * "VGA": QEMU's standard VGA on PCI (1234:1111, the Bochs card), the
 * pc's default display.  BAR 0 is video memory (the VBE linear frame
 * buffer), BAR 2 a 4 KiB MMIO window onto the registers (0x400: the
 * VGA ports 0x3c0-0x3df, 0x500: the VBE registers, 16 bits each), and
 * the expansion ROM holds the VGA BIOS (Debian's vgabios-stdvga.bin)
 * that SeaBIOS runs at 0xc0000.  The legacy window and ports stay
 * decoded at their ISA addresses, as on every VGA.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/display/vga.h"
#include "hw/misc/isa-ports.h"
#include "hw/pci/pci.h"

#define TYPE_PCI_VGA "VGA"
#define PCI_VENDOR_ID_QEMU      0x1234
#define PCI_DEVICE_ID_QEMU_VGA  0x1111
#define VGA_MMIO_SIZE           0x1000
#define VGA_MMIO_PORTS          0x400   /* ports 0x3c0-0x3df */
#define VGA_MMIO_VBE            0x500   /* VBE register n at 0x500 + 2n */
#define VGA_DEFAULT_ROM         "vgabios-stdvga.bin"

typedef struct PCIVGAState {
    PCIDevice parent_obj;
    VGAState vga;
    MemoryRegion mmio;
    bool ports_mapped;
    bool window_mapped;
    uint64_t vgamem_mb;
    char *romfile;
} PCIVGAState;

#define PCI_VGA(obj) INSTANCE_CAST(PCIVGAState, (obj), TYPE_PCI_VGA)

static uint64_t vga_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    VGAState *s = opaque;

    if (addr >= VGA_MMIO_PORTS && addr < VGA_MMIO_PORTS + 0x20) {
        return vga_ioport_read(s, addr - VGA_MMIO_PORTS + 0x10, 1);
    }
    if (addr >= VGA_MMIO_VBE && addr < VGA_MMIO_VBE + 2 * VBE_DISPI_INDEX_NB) {
        return vbe_read_reg(s, (addr - VGA_MMIO_VBE) / 2);
    }
    return 0;
}

static void vga_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    VGAState *s = opaque;

    if (addr >= VGA_MMIO_PORTS && addr < VGA_MMIO_PORTS + 0x20) {
        vga_ioport_write(s, addr - VGA_MMIO_PORTS + 0x10, val, 1);
    } else if (addr >= VGA_MMIO_VBE &&
               addr < VGA_MMIO_VBE + 2 * VBE_DISPI_INDEX_NB) {
        vbe_write_reg(s, (addr - VGA_MMIO_VBE) / 2, val);
    }
}

/* The VGA ports as bytes; the VBE registers as 16-bit words. */
static const MemoryRegionOps vga_mmio_ops = {
    .read = vga_mmio_read,
    .write = vga_mmio_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

static void pci_vga_exit(PCIDevice *dev)
{
    PCIVGAState *d = PCI_VGA(dev);
    PCIBus *bus = pci_get_bus(dev);

    if (d->window_mapped) {
        memory_region_del_subregion(bus->mem_space, &d->vga.window);
        d->window_mapped = false;
    }
    if (d->ports_mapped) {
        isa_ports_unmap(&d->vga.ioports);
        isa_ports_unmap(&d->vga.vbe_ports);
        d->ports_mapped = false;
    }
    memory_region_destroy(&d->mmio);
    vga_common_destroy(&d->vga);
}

static bool pci_vga_realize(PCIDevice *dev, Error **errp)
{
    PCIVGAState *d = PCI_VGA(dev);
    VGAState *s = &d->vga;
    PCIBus *bus = pci_get_bus(dev);

    if (d->vgamem_mb > UINT32_MAX ||
        !vga_common_init(s, OBJECT(dev), d->vgamem_mb, errp)) {
        return false;
    }
    memory_region_init_io(&d->mmio, OBJECT(dev), &vga_mmio_ops, s,
                          "vga.mmio", VGA_MMIO_SIZE);
    /* Only one VGA answers at the legacy addresses: a second one fails
     * here with the ports taken. */
    if (!isa_ports_map(DEVICE(dev), &s->ioports, VGA_IOPORT_BASE, errp)) {
        goto fail;
    }
    if (!isa_ports_map(DEVICE(dev), &s->vbe_ports, VBE_IOPORT_BASE, errp)) {
        isa_ports_unmap(&s->ioports);
        goto fail;
    }
    d->ports_mapped = true;
    memory_region_add_subregion_overlap(bus->mem_space, VGA_WINDOW_BASE,
                                        &s->window, 1);
    d->window_mapped = true;
    if (!pci_add_option_rom(dev, d->romfile, "vga.rom", errp)) {
        goto fail;
    }
    pci_register_bar(dev, 0, PCI_BASE_ADDRESS_MEM_PREFETCH, &s->vram);
    pci_register_bar(dev, 2, 0, &d->mmio);
    vga_common_reset(s);
    vga_console_init(s, DEVICE(dev));
    return true;

fail:
    pci_vga_exit(dev);
    return false;
}

static void pci_vga_reset(PCIDevice *dev)
{
    vga_common_reset(&PCI_VGA(dev)->vga);
}

static const Property pci_vga_properties[] = {
    DEFINE_PROP_UINT("vgamem_mb", PCIVGAState, vgamem_mb, 16,
                     "video memory in MiB (a power of two, 1-256)"),
    {
        .name = "romfile", .kind = PROP_KIND_STRING,
        .offset = offsetof(PCIVGAState, romfile), .width = sizeof(char *),
        .help = "VGA BIOS for the expansion ROM (\"\": none)",
        .defval.s = VGA_DEFAULT_ROM, .has_default = true,
    },
};

static void pci_vga_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "standard VGA (Bochs VBE, QEMU's 1234:1111)";
    dc->user_creatable = true;
    dc->cold_plug_only = true;
    dc->category = DEVICE_CATEGORY_DISPLAY;
    pc->realize = pci_vga_realize;
    pc->exit = pci_vga_exit;
    pc->reset = pci_vga_reset;
    pc->vendor_id = PCI_VENDOR_ID_QEMU;
    pc->device_id = PCI_DEVICE_ID_QEMU_VGA;
    pc->revision = 2;
    pc->class_id = PCI_CLASS_DISPLAY_VGA;
    class_add_properties(klass, pci_vga_properties,
                         ARRAY_SIZE(pci_vga_properties));
}

static const TypeInfo pci_vga_types[] = {
    {
        .name = TYPE_PCI_VGA,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PCIVGAState),
        .class_init = pci_vga_class_init,
    },
};

DEFINE_TYPES(pci_vga_types)
