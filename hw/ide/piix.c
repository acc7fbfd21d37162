/*
 * The PIIX3 IDE function (00:01.1 on the PC): two channels in legacy
 * mode at their ISA ports (0x1f0/0x3f6 IRQ 14, 0x170/0x376 IRQ 15) and
 * the bus-master DMA registers of SFF-8038i behind BAR4: per channel a
 * command byte (start, direction), a status byte (active, error,
 * interrupt, drive DMA capable) and the physical address of a table of
 * PRDs (address, byte count with 0 meaning 64 KiB, end-of-table bit).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/ide/ide.h"
#include "hw/ide/piix.h"
#include "hw/misc/isa-ports.h"
#include "hw/pci/pci.h"

#define BM_CMD_START     0x01
#define BM_CMD_READ      0x08            /* device to memory */
#define BM_STATUS_ACTIVE 0x01
#define BM_STATUS_ERROR  0x02
#define BM_STATUS_INT    0x04
#define BM_STATUS_DMA_CAPABLE 0x60
#define PRD_EOT          0x80000000u

typedef struct BMDMAState {
    uint8_t cmd;
    uint8_t status;
    uint32_t prd_table;
    /* where the engine is in the table */
    uint32_t prd_next;           /* the next entry's address */
    uint32_t cur_addr;           /* guest memory of the current entry */
    uint32_t cur_left;           /* its bytes still to move */
    bool eot;                    /* the current entry is the last */
    IDEBus *bus;
    PCIDevice *pci;
} BMDMAState;

typedef struct PIIXIDEState {
    PCIDevice parent_obj;
    IDEBus bus[2];
    BMDMAState bmdma[2];
    MemoryRegion cmd_io[2];
    MemoryRegion ctl_io[2];
    MemoryRegion bmdma_io;
} PIIXIDEState;

#define PIIX_IDE(obj) INSTANCE_CAST(PIIXIDEState, (obj), TYPE_PIIX3_IDE)

static const struct {
    uint32_t cmd;
    uint32_t ctl;
} piix_ide_ports[2] = {
    { 0x1f0, 0x3f6 }, { 0x170, 0x376 },
};

/* ---- the bus-master engine ---- */

static uint32_t bmdma_transfer(void *opaque, uint8_t *buf, uint32_t len,
                               bool to_memory)
{
    BMDMAState *bm = opaque;
    uint32_t done = 0;

    /* Without bus mastering enabled the function cannot reach memory. */
    if (!(pci_get_word(bm->pci->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return 0;
    }
    while (done < len) {
        uint32_t n;

        if (!bm->cur_left) {
            uint8_t prd[8];
            uint32_t count;

            if (bm->eot) {
                break;
            }
            if (address_space_read(&address_space_memory, bm->prd_next, prd,
                                   sizeof(prd))) {
                break;
            }
            bm->cur_addr = prd[0] | prd[1] << 8 | prd[2] << 16 |
                           (uint32_t)prd[3] << 24;
            count = (prd[4] | prd[5] << 8) & ~1u;
            bm->cur_left = count ? count : 0x10000;
            bm->eot = prd[7] & 0x80;
            bm->prd_next += 8;
        }
        n = MIN(bm->cur_left, len - done);
        if (to_memory) {
            address_space_write(&address_space_memory, bm->cur_addr,
                                buf + done, n);
        } else {
            address_space_read(&address_space_memory, bm->cur_addr,
                               buf + done, n);
        }
        bm->cur_addr += n;
        bm->cur_left -= n;
        done += n;
    }
    return done;
}

static void bmdma_done(void *opaque, bool error)
{
    BMDMAState *bm = opaque;

    bm->status &= ~BM_STATUS_ACTIVE;
    bm->status |= BM_STATUS_INT | (error ? BM_STATUS_ERROR : 0);
}

static bool bmdma_active(void *opaque)
{
    BMDMAState *bm = opaque;

    return bm->cmd & BM_CMD_START;
}

static const IDEDMAOps piix_bmdma_ops = {
    .transfer = bmdma_transfer,
    .done = bmdma_done,
    .active = bmdma_active,
};

static void bmdma_write_cmd(BMDMAState *bm, uint8_t val)
{
    bool was = bm->cmd & BM_CMD_START;

    bm->cmd = val & (BM_CMD_START | BM_CMD_READ);
    if (!(val & BM_CMD_START)) {
        bm->status &= ~BM_STATUS_ACTIVE;
        return;
    }
    if (!was) {
        bm->status |= BM_STATUS_ACTIVE;
        bm->prd_next = bm->prd_table;
        bm->cur_left = 0;
        bm->eot = false;
        ide_dma_start(bm->bus);
    }
}

static uint64_t bmdma_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIXIDEState *d = opaque;
    BMDMAState *bm = &d->bmdma[addr >> 3];
    unsigned reg = addr & 7;

    switch (reg) {
    case 0:
        return bm->cmd;
    case 2:
        return bm->status;
    case 4 ... 7:
        return (bm->prd_table >> ((reg - 4) * 8)) & 0xff;
    default:
        return 0xff;
    }
}

static void bmdma_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
    PIIXIDEState *d = opaque;
    BMDMAState *bm = &d->bmdma[addr >> 3];
    unsigned reg = addr & 7;

    switch (reg) {
    case 0:
        bmdma_write_cmd(bm, val);
        break;
    case 2:
        /* Interrupt and error clear with 1; the capable bits are kept. */
        bm->status = (bm->status & ~(BM_STATUS_DMA_CAPABLE)) |
                     (val & BM_STATUS_DMA_CAPABLE);
        bm->status &= ~(val & (BM_STATUS_INT | BM_STATUS_ERROR));
        break;
    case 4 ... 7: {
        unsigned shift = (reg - 4) * 8;

        bm->prd_table &= ~(0xffu << shift);
        bm->prd_table |= (uint32_t)(val & 0xff) << shift;
        bm->prd_table &= ~3u;
        break;
    }
    }
}

/* Byte registers; wider accesses reach the following ones. */
static const MemoryRegionOps bmdma_ops = {
    .read = bmdma_read,
    .write = bmdma_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- the legacy ports ---- */

static uint64_t ide_cmd_read(void *opaque, hwaddr addr, unsigned size)
{
    IDEBus *bus = opaque;

    return addr == 0 ? ide_data_read(bus, size) : ide_ioport_read(bus, addr);
}

static void ide_cmd_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    IDEBus *bus = opaque;

    if (addr == 0) {
        ide_data_write(bus, val, size);
    } else {
        ide_ioport_write(bus, addr, val & 0xff);
    }
}

static const MemoryRegionOps ide_cmd_ops = {
    .read = ide_cmd_read,
    .write = ide_cmd_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t ide_ctl_read(void *opaque, hwaddr addr, unsigned size)
{
    return ide_status_read(opaque);
}

static void ide_ctl_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    ide_ctrl_write(opaque, val);
}

static const MemoryRegionOps ide_ctl_ops = {
    .read = ide_ctl_read,
    .write = ide_ctl_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- the PCI function ---- */

static bool piix_ide_realize(PCIDevice *dev, Error **errp)
{
    PIIXIDEState *d = PIIX_IDE(dev);
    int mapped = 0;

    memory_region_init_io(&d->bmdma_io, OBJECT(dev), &bmdma_ops, d,
                          "piix-bmdma", 16);
    pci_register_bar(dev, 4, PCI_BASE_ADDRESS_SPACE_IO, &d->bmdma_io);
    for (int ch = 0; ch < 2; ch++) {
        IDEBus *bus = &d->bus[ch];

        bus->dma_ops = &piix_bmdma_ops;
        bus->dma_opaque = &d->bmdma[ch];
        d->bmdma[ch].bus = bus;
        d->bmdma[ch].pci = dev;
        memory_region_init_io(&d->cmd_io[ch], OBJECT(dev), &ide_cmd_ops, bus,
                              "ide", 8);
        memory_region_init_io(&d->ctl_io[ch], OBJECT(dev), &ide_ctl_ops, bus,
                              "ide", 1);
    }
    for (int ch = 0; ch < 2; ch++, mapped++) {
        if (!isa_ports_map(DEVICE(dev), &d->cmd_io[ch],
                           piix_ide_ports[ch].cmd, errp)) {
            goto fail;
        }
        if (!isa_ports_map(DEVICE(dev), &d->ctl_io[ch],
                           piix_ide_ports[ch].ctl, errp)) {
            isa_ports_unmap(&d->cmd_io[ch]);
            goto fail;
        }
    }
    /* The channels' buses, for the drives (ide-hd, ide-cd). */
    for (int ch = 0; ch < 2; ch++) {
        g_autofree char *name = g_strdup_printf("ide.%d", ch);

        ide_bus_init(&d->bus[ch]);
        ide_qbus_new(&d->bus[ch], DEVICE(dev), name);
    }
    return true;

fail:
    for (int ch = 0; ch < mapped; ch++) {
        isa_ports_unmap(&d->cmd_io[ch]);
        isa_ports_unmap(&d->ctl_io[ch]);
    }
    for (int ch = 0; ch < 2; ch++) {
        memory_region_destroy(&d->cmd_io[ch]);
        memory_region_destroy(&d->ctl_io[ch]);
    }
    return false;
}

static void piix_ide_exit(PCIDevice *dev)
{
    PIIXIDEState *d = PIIX_IDE(dev);

    for (int ch = 0; ch < 2; ch++) {
        isa_ports_unmap(&d->cmd_io[ch]);
        isa_ports_unmap(&d->ctl_io[ch]);
        memory_region_destroy(&d->cmd_io[ch]);
        memory_region_destroy(&d->ctl_io[ch]);
        ide_bus_cleanup(&d->bus[ch]);
    }
    memory_region_destroy(&d->bmdma_io);
}

static void piix_ide_reset(PCIDevice *dev)
{
    PIIXIDEState *d = PIIX_IDE(dev);

    pci_set_word(dev->config + PCI_STATUS,
                 PCI_STATUS_DEVSEL_MEDIUM | PCI_STATUS_FAST_BACK);
    for (int ch = 0; ch < 2; ch++) {
        d->bmdma[ch].cmd = 0;
        d->bmdma[ch].status = 0;
        d->bmdma[ch].prd_table = 0;
        ide_bus_reset(&d->bus[ch]);
    }
}

static void piix_ide_instance_init(Object *obj)
{
    PIIXIDEState *d = PIIX_IDE(obj);

    /* Pin 0: the primary channel's IRQ (14 on the PC), pin 1: the
     * secondary's (15). */
    qdev_init_gpio_out(DEVICE(obj), &d->bus[0].irq, 1);
    qdev_init_gpio_out(DEVICE(obj), &d->bus[1].irq, 1);
}

static void piix_ide_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "PIIX3 IDE controller (two channels, bus-master DMA)";
    pc->realize = piix_ide_realize;
    pc->exit = piix_ide_exit;
    pc->reset = piix_ide_reset;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7010;
    pc->prog_if = 0x80;                  /* legacy mode, bus master */
    pc->class_id = PCI_CLASS_STORAGE_IDE;
}

static const TypeInfo piix_ide_types[] = {
    {
        .name = TYPE_PIIX3_IDE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PIIXIDEState),
        .instance_init = piix_ide_instance_init,
        .class_init = piix_ide_class_init,
    },
};

DEFINE_TYPES(piix_ide_types)
