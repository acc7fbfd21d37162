/*
 * One PXA255 PCMCIA/CompactFlash socket (Intel PXA255 Developer's
 * Manual, memory controller chapter: card space) with no card inserted.
 * A socket is 256 MiB of the static memory map, laid out as QEMU lays
 * it out: I/O space at 0, attribute memory at 0x08000000 and common
 * memory at 0x0c000000, 64 MiB each.  With no card the bus floats:
 * reads return all ones, writes go nowhere, and every access is logged
 * under -d unimp so that firmware probing for a card is seen.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

#define PCMCIA_SOCKET_SIZE  0x10000000
#define PCMCIA_SPACE_SIZE   0x04000000

enum {
    PCMCIA_IO,
    PCMCIA_ATTRIBUTE,
    PCMCIA_COMMON,
    PCMCIA_NR_SPACES,
};

static const struct {
    const char *name;
    hwaddr offset;
} pcmcia_spaces[PCMCIA_NR_SPACES] = {
    [PCMCIA_IO]        = { "pxa2xx-pcmcia-io", 0x00000000 },
    [PCMCIA_ATTRIBUTE] = { "pxa2xx-pcmcia-attribute", 0x08000000 },
    [PCMCIA_COMMON]    = { "pxa2xx-pcmcia-common", 0x0c000000 },
};

typedef struct PXA2xxPCMCIAState {
    SysBusDevice parent_obj;
    MemoryRegion container;
    MemoryRegion space[PCMCIA_NR_SPACES];
} PXA2xxPCMCIAState;

#define PXA2XX_PCMCIA(obj) \
    INSTANCE_CAST(PXA2xxPCMCIAState, (obj), TYPE_PXA2XX_PCMCIA)

/* The logging comes from the regions' log_unimp flag. */
static uint64_t pcmcia_empty_read(void *opaque, hwaddr addr, unsigned size)
{
    return UINT64_MAX >> (64 - 8 * size);
}

static void pcmcia_empty_write(void *opaque, hwaddr addr, uint64_t value,
                               unsigned size)
{
}

static const MemoryRegionOps pcmcia_empty_ops = {
    .read = pcmcia_empty_read,
    .write = pcmcia_empty_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool pcmcia_realize(DeviceState *dev, Error **errp)
{
    PXA2xxPCMCIAState *s = PXA2XX_PCMCIA(dev);

    memory_region_init(&s->container, OBJECT(dev), "pxa2xx-pcmcia",
                       PCMCIA_SOCKET_SIZE);
    for (int i = 0; i < PCMCIA_NR_SPACES; i++) {
        memory_region_init_io(&s->space[i], OBJECT(dev), &pcmcia_empty_ops,
                              s, pcmcia_spaces[i].name, PCMCIA_SPACE_SIZE);
        s->space[i].log_unimp = true;
        memory_region_add_subregion(&s->container, pcmcia_spaces[i].offset,
                                    &s->space[i]);
    }
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->container);
    return true;
}

static void pcmcia_unrealize(DeviceState *dev)
{
    PXA2xxPCMCIAState *s = PXA2XX_PCMCIA(dev);

    /* The container lets go of the spaces first. */
    memory_region_destroy(&s->container);
    for (int i = 0; i < PCMCIA_NR_SPACES; i++) {
        memory_region_destroy(&s->space[i]);
    }
}

static void pcmcia_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void pcmcia_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PXA255 PCMCIA/CF socket (empty)";
    dc->realize = pcmcia_realize;
    dc->unrealize = pcmcia_unrealize;
}

static const TypeInfo pcmcia_types[] = {
    {
        .name = TYPE_PXA2XX_PCMCIA,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxPCMCIAState),
        .instance_finalize = pcmcia_finalize,
        .class_init = pcmcia_class_init,
    },
};

DEFINE_TYPES(pcmcia_types)
