/*
 * A device from key=value options, for -device (at start) and for the
 * monitors' device_add (on a running machine): QEMU 7.2's checks, in its
 * order and words (softmmu/qdev-monitor.c there).
 *
 * A bus takes devices at run time where a hotplug handler serves it
 * (the PCI bus of -M pc: the PIIX4's ACPI PCI hotplug); the others, and
 * devices the handler does not allow, are refused in QEMU's words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "hw/boards.h"
#include "hw/pci/pci.h"
#include "hw/qdev.h"
#include "hw/sysbus.h"
#include "sysemu/qdev-monitor.h"

static bool is_help(const char *text)
{
    return !strcmp(text, "help") || !strcmp(text, "?");
}

bool qdev_device_help(KeyValList *kv, GString *out)
{
    const char *driver = keyval_has(kv, "driver") ?
        keyval_take(kv, "driver") : NULL;
    ObjectClass *klass;
    gsize len;

    if (driver && is_help(driver)) {
        qdev_print_device_types(out);
        return true;
    }
    if (!driver || (!keyval_has(kv, "help") && !keyval_has(kv, "?"))) {
        return false;
    }
    klass = object_class_by_name(driver);
    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE) ||
        object_class_is_abstract(klass)) {
        return false;
    }
    g_string_append_printf(out, "%s options:\n", driver);
    len = out->len;
    object_class_print_properties(klass, out);
    if (out->len == len) {
        g_string_append(out, "  (none)\n");
    }
    return true;
}

static DeviceClass *device_class_find(const char *driver, bool hotplug,
                                      Error **errp)
{
    ObjectClass *klass;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    klass = object_class_by_name(driver);
    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE) ||
        object_class_is_abstract(klass)) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (hotplug && !qdev_class_hotpluggable(DEVICE_CLASS(klass))) {
        error_setg(errp, "Parameter 'driver' expects a pluggable device "
                   "type");
        return NULL;
    }
    if (!DEVICE_CLASS(klass)->user_creatable) {
        error_setg(errp, "'%s' is part of a board and cannot be added with "
                   "-device", driver);
        return NULL;
    }
    return DEVICE_CLASS(klass);
}

/* The bus= named, or the first bus of the type the device plugs into
 * (for a device that may go without one, the machine's if it has one:
 * ISA devices on the PC's isa.0, on none on microvm). */
static bool device_bus_find(DeviceClass *dc, const char *driver,
                            const char *bus_name, BusState **bus,
                            Error **errp)
{
    const char *type = dc->bus_type ? dc->bus_type : dc->optional_bus_type;

    *bus = NULL;
    if (!type && !bus_name) {
        return true;
    }
    if (bus_name) {
        *bus = qbus_find(bus_name);
        if (!*bus) {
            error_setg(errp, "Bus '%s' not found", bus_name);
            return false;
        }
        if (!type || !object_dynamic_cast(OBJECT(*bus), type)) {
            error_setg(errp, "Device '%s' can't go on %s bus", driver,
                       object_get_typename(OBJECT(*bus)));
            return false;
        }
    } else if (!strcmp(type, TYPE_SYSTEM_BUS)) {
        *bus = sysbus_get_default();
    } else {
        *bus = qbus_find_by_type(type);
        if (!*bus && dc->bus_type) {
            error_setg(errp, "No '%s' bus found for device '%s'",
                       dc->bus_type, driver);
            return false;
        }
    }
    return true;
}

/*
 * Whether a device (driver) may go on (or leave) bus while the machine
 * runs.  A device on no bus (an ISA device on microvm, which has no ISA
 * bus) cannot, in QEMU's words for such a device.
 */
static bool device_check_hotplug(const char *driver, BusState *bus,
                                 Error **errp)
{
    if (!bus) {
        error_setg(errp, "Device '%s' does not support hotplugging", driver);
        return false;
    }
    if (!bus->hotplug_handler) {
        error_setg(errp, "Bus '%s' does not support hotplugging", bus->name);
        return false;
    }
    return true;
}

/* A device realized on the running machine: reset, then announced to
 * the guest (QEMU's order). */
static bool device_hotplug(DeviceState *dev, Error **errp)
{
    const HotplugHandler *handler = dev->parent_bus->hotplug_handler;

    device_reset(dev);
    return handler->plug(handler->opaque, dev, errp);
}

DeviceState *qdev_device_add(KeyValList *kv, bool hotplug, Error **errp)
{
    const char *driver = keyval_take(kv, "driver");
    const char *id = keyval_take(kv, "id");
    const char *bus_name = keyval_take(kv, "bus");
    g_autofree char *child_name = NULL;
    const KeyValPair *pair;
    DeviceClass *dc = device_class_find(driver, hotplug, errp);
    DeviceState *dev;
    BusState *bus;
    Object *parent;

    if (!dc) {
        return NULL;
    }
    driver = object_class_get_name(OBJECT_CLASS(dc));
    if (id && !id_wellformed(id)) {
        error_setg(errp, "invalid id '%s': use letters, digits, '-', '.' "
                   "and '_', starting with a letter", id);
        return NULL;
    }
    if (!device_bus_find(dc, driver, bus_name, &bus, errp) ||
        (hotplug && !device_check_hotplug(driver, bus, errp))) {
        return NULL;
    }
    dev = qdev_new(driver);
    if (id) {
        parent = container_get(OBJECT(current_machine), "peripheral");
        child_name = g_strdup(id);
        dev->id = g_strdup(id);
    } else {
        static unsigned anon_count;

        parent = container_get(OBJECT(current_machine), "peripheral-anon");
        child_name = g_strdup_printf("device[%u]", anon_count++);
    }
    while ((pair = keyval_first_unused(kv))) {
        if (!object_property_parse(OBJECT(dev), pair->key, pair->value,
                                   errp)) {
            object_unref(OBJECT(dev));
            return NULL;
        }
        keyval_take(kv, pair->key);
    }
    if (!object_add_child(parent, child_name, OBJECT(dev), NULL)) {
        error_setg(errp, "duplicate id '%s': another device already has it",
                   id);
        object_unref(OBJECT(dev));
        return NULL;
    }
    if (!qdev_realize_and_unref(dev, bus, errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    if (hotplug && !device_hotplug(dev, errp)) {
        qdev_unrealize(dev);
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return dev;
}

DeviceState *qdev_find_device(const char *id, Error **errp)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    Object *obj = object_resolve_path(id[0] == '/' ? id : path);

    if (!obj || !object_dynamic_cast(obj, TYPE_DEVICE)) {
        error_setg(errp, "Device '%s' not found", id);
        return NULL;
    }
    return DEVICE(obj);
}

bool qdev_unplug(DeviceState *dev, Error **errp)
{
    const char *driver = object_get_typename(OBJECT(dev));
    const HotplugHandler *handler;

    if (!device_check_hotplug(driver, dev->parent_bus, errp)) {
        return false;
    }
    if (!qdev_class_hotpluggable(DEVICE_GET_CLASS(dev))) {
        error_setg(errp, "Device '%s' does not support hotplugging", driver);
        return false;
    }
    handler = dev->parent_bus->hotplug_handler;
    return handler->unplug_request(handler->opaque, dev, errp);
}
