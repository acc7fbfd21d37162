/*
 * IDE drives as devices on their channel's bus (QEMU's ide-hd and
 * ide-cd on "ide.0"/"ide.1"): the board makes one for each -hda/-cdrom
 * drive, and -device ide-hd,drive=ID[,bus=ide.N,unit=U] adds one.  The
 * drive's state (task file, ATA and ATAPI commands) is the channel's
 * IDEState (hw/ide/core.c); the device names the BlockBackend and the
 * IDENTIFY strings, and takes the unit.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/ide/ide.h"
#include "hw/qdev.h"

#define TYPE_IDE_DEVICE "ide-device"
#define TYPE_IDE_HD "ide-hd"
#define TYPE_IDE_CD "ide-cd"

typedef struct IDEQBus {
    BusState parent_obj;
    IDEBus *ide;
} IDEQBus;

typedef struct IDEDevice {
    DeviceState parent_obj;
    char *drive;                 /* the BlockBackend's name */
    char *version;               /* "ver": IDENTIFY's firmware revision */
    char *serial;
    char *model;
    uint32_t unit;               /* UINT32_MAX until realize picks one */
    IDEState *state;             /* the unit it took */
} IDEDevice;

#define IDE_QBUS(obj) INSTANCE_CAST(IDEQBus, (obj), TYPE_IDE_BUS)
#define IDE_DEVICE(obj) INSTANCE_CAST(IDEDevice, (obj), TYPE_IDE_DEVICE)

BusState *ide_qbus_new(IDEBus *ide, DeviceState *parent, const char *name)
{
    BusState *bus = qbus_new(TYPE_IDE_BUS, parent, name);

    IDE_QBUS(bus)->ide = ide;
    return bus;
}

static bool ide_device_realize(DeviceState *dev, Error **errp)
{
    IDEDevice *d = IDE_DEVICE(dev);
    IDEBus *bus = IDE_QBUS(dev->parent_bus)->ide;
    bool cd = object_dynamic_cast(OBJECT(dev), TYPE_IDE_CD);
    BlockBackend *blk;
    IDEState *s;

    /* QEMU's choice and words: the master unless it is taken. */
    if (d->unit == UINT32_MAX) {
        d->unit = bus->ifs[0].kind == IDE_DRIVE_NONE ? 0 : 1;
    }
    if (d->unit >= 2) {
        error_setg(errp, "Can't create IDE unit %u, bus supports only 2 "
                   "units", d->unit);
        return false;
    }
    s = &bus->ifs[d->unit];
    if (s->kind != IDE_DRIVE_NONE) {
        error_setg(errp, "IDE unit %u is in use", d->unit);
        return false;
    }
    if (!d->drive) {
        error_setg(errp, cd ? "ide-cd needs drive= (emu has no drive-less "
                              "CD-ROM; -drive if=none,id=ID,media=cdrom "
                              "gives an empty one)"
                            : "No drive specified");
        return false;
    }
    blk = blk_by_name(d->drive);
    if (!blk) {
        error_setg(errp, "Property '%s.drive' can't find value '%s'",
                   object_get_typename(OBJECT(dev)), d->drive);
        return false;
    }
    if (!blk_attach_dev(blk, dev, errp)) {
        return false;
    }
    if (!ide_drive_attach(s, blk, cd, errp)) {
        blk_detach_dev(blk, dev);
        return false;
    }
    blk_iostatus_enable(blk);
    /* Unset strings keep QEMU's defaults and show them, as QEMU's
     * properties do (but for model, which it leaves unset). */
    if (d->serial) {
        g_strlcpy(s->serial, d->serial, sizeof(s->serial));
    } else {
        d->serial = g_strdup(s->serial);
    }
    if (d->version) {
        g_strlcpy(s->version, d->version, sizeof(s->version));
    } else {
        d->version = g_strdup(s->version);
    }
    if (d->model) {
        g_strlcpy(s->model, d->model, sizeof(s->model));
    }
    d->state = s;
    return true;
}

static void ide_device_unrealize(DeviceState *dev)
{
    IDEDevice *d = IDE_DEVICE(dev);

    blk_detach_dev(d->state->blk, dev);
    ide_drive_detach(d->state);
    d->state = NULL;
}

static void ide_device_instance_init(Object *obj)
{
    IDE_DEVICE(obj)->unit = UINT32_MAX;
}

/* In QEMU's order (info qtree). */
static const Property ide_device_properties[] = {
    DEFINE_PROP_STRING("drive", IDEDevice, drive,
                       "Node name or ID of a block device to use as a "
                       "backend"),
    DEFINE_PROP_STRING("ver", IDEDevice, version,
                       "firmware revision in IDENTIFY (default \"2.5+\")"),
    DEFINE_PROP_STRING("serial", IDEDevice, serial,
                       "serial number in IDENTIFY (default QM000NN)"),
    DEFINE_PROP_STRING("model", IDEDevice, model, "model in IDENTIFY"),
    DEFINE_PROP_UINT("unit", IDEDevice, unit, UINT32_MAX,
                     "0 (master) or 1 (slave)"),
};

static void ide_device_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->bus_type = TYPE_IDE_BUS;
    dc->realize = ide_device_realize;
    dc->unrealize = ide_device_unrealize;
    dc->user_creatable = true;
    dc->cold_plug_only = true;
    dc->category = DEVICE_CATEGORY_STORAGE;
    class_add_properties(klass, ide_device_properties,
                         ARRAY_SIZE(ide_device_properties));
}

static void ide_hd_class_init(ObjectClass *klass)
{
    klass->desc = "virtual IDE disk";
}

static void ide_cd_class_init(ObjectClass *klass)
{
    klass->desc = "virtual IDE CD-ROM";
}

static void ide_bus_class_init(ObjectClass *klass)
{
    BUS_CLASS(klass)->max_children = 2;
}

static const TypeInfo ide_dev_types[] = {
    {
        .name = TYPE_IDE_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(IDEQBus),
        .class_init = ide_bus_class_init,
    },
    {
        .name = TYPE_IDE_DEVICE,
        .parent = TYPE_DEVICE,
        .abstract = true,
        .instance_size = sizeof(IDEDevice),
        .instance_init = ide_device_instance_init,
        .class_init = ide_device_class_init,
    },
    {
        .name = TYPE_IDE_HD,
        .parent = TYPE_IDE_DEVICE,
        .class_init = ide_hd_class_init,
    },
    {
        .name = TYPE_IDE_CD,
        .parent = TYPE_IDE_DEVICE,
        .class_init = ide_cd_class_init,
    },
};

DEFINE_TYPES(ide_dev_types)
