/*
 * Device and bus base types: realize, reset, pins, info qtree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "hw/qdev.h"
#include "hw/boards.h"
#include "hw/sysbus.h"

DeviceState *qdev_new(const char *typename)
{
    DeviceState *dev = DEVICE(object_new(typename));

    qdev_apply_globals(dev);
    return dev;
}

static void bus_add_child(BusState *bus, DeviceState *dev)
{
    object_ref(OBJECT(dev));
    dev->parent_bus = bus;
    bus->children = g_slist_append(bus->children, dev);
}

static void bus_remove_child(BusState *bus, DeviceState *dev)
{
    bus->children = g_slist_remove(bus->children, dev);
    dev->parent_bus = NULL;
    object_unref(OBJECT(dev));
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    bool unattached = false;

    g_assert(!dev->realized);
    if (dc->bus_type && (!bus || !object_dynamic_cast(OBJECT(bus),
                                                      dc->bus_type))) {
        error_setg(errp, "device '%s' must be plugged into a '%s' bus",
                   object_get_typename(OBJECT(dev)), dc->bus_type);
        return false;
    }
    /* As QEMU: numbered before realize, so a device that creates others
     * while realizing comes first, and a failed one uses up its number. */
    if (!OBJECT(dev)->parent && current_machine) {
        machine_add_unattached(OBJECT(dev));
        unattached = true;
    }
    if (bus) {
        bus_add_child(bus, dev);
    }
    if (dc->realize && !dc->realize(dev, errp)) {
        if (bus) {
            bus_remove_child(bus, dev);
        }
        if (unattached) {
            object_unparent(OBJECT(dev));
        }
        return false;
    }
    dev->realized = true;
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    bool ok = qdev_realize(dev, bus, errp);

    object_unref(OBJECT(dev));
    return ok;
}

void qdev_set_parent_bus(DeviceState *dev, BusState *bus)
{
    g_assert(dev->realized && !dev->parent_bus);
    bus_add_child(bus, dev);
}

void qdev_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dev->realized) {
        return;
    }
    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    if (dev->parent_bus) {
        bus_remove_child(dev->parent_bus, dev);
    }
}

bool qdev_class_hotpluggable(DeviceClass *dc)
{
    return dc->user_creatable && !dc->cold_plug_only;
}

static DeviceDeletedHook deleted_hook;

void qdev_set_deleted_hook(DeviceDeletedHook hook)
{
    deleted_hook = hook;
}

typedef struct DeletedDevice {
    char *id;
    char *path;
} DeletedDevice;

/* dev and the devices on its buses, those below first: the order of
 * QEMU's events (a child bus goes before its parent device does). */
static void collect_deleted(DeviceState *dev, GArray *out)
{
    DeletedDevice d;

    for (GSList *b = dev->child_buses; b; b = b->next) {
        for (GSList *l = BUS(b->data)->children; l; l = l->next) {
            collect_deleted(l->data, out);
        }
    }
    d.id = g_strdup(dev->id);
    d.path = object_get_canonical_path(OBJECT(dev));
    g_array_append_val(out, d);
}

void qdev_unplug_complete(DeviceState *dev)
{
    GArray *deleted = g_array_new(false, false, sizeof(DeletedDevice));

    collect_deleted(dev, deleted);
    qdev_unrealize(dev);
    object_unparent(OBJECT(dev));
    for (guint i = 0; i < deleted->len; i++) {
        DeletedDevice *d = &g_array_index(deleted, DeletedDevice, i);

        if (deleted_hook) {
            deleted_hook(d->id, d->path);
        }
        g_free(d->id);
        g_free(d->path);
    }
    g_array_free(deleted, true);
}

void device_reset(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->reset) {
        dc->reset(dev);
    }
    for (GSList *l = dev->child_buses; l; l = l->next) {
        bus_reset(l->data);
    }
}

void bus_reset(BusState *bus)
{
    for (GSList *l = bus->children; l; l = l->next) {
        device_reset(l->data);
    }
}

BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name)
{
    BusState *bus = BUS(object_new(typename));

    bus->name = g_strdup(name);
    bus->parent = parent;
    if (parent) {
        parent->child_buses = g_slist_append(parent->child_buses, bus);
    }
    return bus;
}

/*
 * A copy of a bus's devices or a device's buses, the newest first: the
 * order QEMU keeps them in (it inserts at the head), which "info qtree"
 * shows and its bus search follows.  Free with g_slist_free.
 */
static GSList *newest_first(GSList *list)
{
    return g_slist_reverse(g_slist_copy(list));
}

/* The first bus at or below bus (depth first, the newest devices and
 * buses first, as QEMU's qbus_find_recursive) that match accepts. */
static BusState *qbus_walk(BusState *bus, bool (*match)(BusState *,
                                                        const char *),
                           const char *key)
{
    g_autoptr(GSList) devices = NULL;

    if (match(bus, key)) {
        return bus;
    }
    devices = newest_first(bus->children);
    for (GSList *d = devices; d; d = d->next) {
        g_autoptr(GSList) buses = newest_first(DEVICE(d->data)->child_buses);

        for (GSList *b = buses; b; b = b->next) {
            BusState *found = qbus_walk(b->data, match, key);

            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

static bool bus_has_name(BusState *bus, const char *name)
{
    return bus->name && !strcmp(bus->name, name);
}

/* Of typename, with room for one more device (BusClass max_children:
 * a virtio transport's bus takes one). */
static bool bus_has_type(BusState *bus, const char *typename)
{
    unsigned max = BUS_GET_CLASS(bus)->max_children;

    return object_dynamic_cast(OBJECT(bus), typename) != NULL &&
           (!max || g_slist_length(bus->children) < max);
}

BusState *qbus_find(const char *name)
{
    return qbus_walk(sysbus_get_default(), bus_has_name, name);
}

BusState *qbus_find_by_type(const char *typename)
{
    return qbus_walk(sysbus_get_default(), bus_has_type, typename);
}

/* ---- pins ---- */

void qdev_init_gpio_in(DeviceState *dev, IRQHandler handler, int n)
{
    for (int i = 0; i < n; i++) {
        g_ptr_array_add(dev->gpio_in,
                        irq_line_new(handler, dev, dev->gpio_in->len));
    }
}

IRQLine *qdev_get_gpio_in(DeviceState *dev, int n)
{
    g_assert(n >= 0 && (guint)n < dev->gpio_in->len);
    return g_ptr_array_index(dev->gpio_in, n);
}

void qdev_init_gpio_out(DeviceState *dev, IRQLine **pins, int n)
{
    for (int i = 0; i < n; i++) {
        g_ptr_array_add(dev->gpio_out, &pins[i]);
    }
}

void qdev_connect_gpio_out(DeviceState *dev, int n, IRQLine *line)
{
    IRQLine **pin;

    g_assert(n >= 0 && (guint)n < dev->gpio_out->len);
    pin = g_ptr_array_index(dev->gpio_out, n);
    *pin = line;
}

/* ---- info qtree ---- */

static void print_prop_value(Object *obj, const Property *prop, GString *out)
{
    g_autofree char *text = object_property_print(obj, prop->name, NULL);
    uint64_t u;

    switch (prop->kind) {
    case PROP_KIND_BOOL:
        g_string_append(out, strcmp(text, "on") ? "false" : "true");
        break;
    case PROP_KIND_UINT:
    case PROP_KIND_INT:
        u = strtoull(text, NULL, 0);
        g_string_append_printf(out, "%s (0x%" PRIx64 ")", text, u);
        break;
    case PROP_KIND_SIZE: {
        g_autofree char *human = format_size(strtoull(text, NULL, 0));

        g_string_append_printf(out, "%s (%s)", text, human);
        break;
    }
    case PROP_KIND_STRING:
    case PROP_KIND_LINK:
    case PROP_KIND_ENUM:
        g_string_append_printf(out, "\"%s\"", text);
        break;
    }
}

static void print_bus(BusState *bus, GString *out, int indent);

static void print_device(BusState *bus, DeviceState *dev, GString *out,
                         int indent)
{
    BusClass *bc = BUS_GET_CLASS(bus);
    /* QEMU's order: the type's own properties, then its parents'. */
    GPtrArray *props =
        object_class_get_properties_declared(OBJECT(dev)->klass);
    GSList *children;

    g_string_append_printf(out, "%*sdev: %s, id \"%s\"\n", indent, "",
                           object_get_typename(OBJECT(dev)),
                           dev->id ? dev->id : "");
    indent += 2;
    if (dev->gpio_in->len) {
        g_string_append_printf(out, "%*sgpio-in \"\" %u\n", indent, "",
                               dev->gpio_in->len);
    }
    if (dev->gpio_out->len) {
        g_string_append_printf(out, "%*sgpio-out \"\" %u\n", indent, "",
                               dev->gpio_out->len);
    }
    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);

        g_string_append_printf(out, "%*s%s = ", indent, "", prop->name);
        print_prop_value(OBJECT(dev), prop, out);
        g_string_append_c(out, '\n');
    }
    g_ptr_array_unref(props);
    if (bc->print_dev) {
        bc->print_dev(bus, dev, out, indent);
    }
    /* Newest first too (QEMU's piix3-ide: ide.1, then ide.0). */
    children = newest_first(dev->child_buses);
    for (GSList *l = children; l; l = l->next) {
        print_bus(l->data, out, indent);
    }
    g_slist_free(children);
}

static void print_bus(BusState *bus, GString *out, int indent)
{
    BusClass *bc = BUS_GET_CLASS(bus);
    GSList *children;

    g_string_append_printf(out, "%*sbus: %s\n", indent, "", bus->name);
    indent += 2;
    g_string_append_printf(out, "%*stype %s\n", indent, "",
                           bc->qtree_type ? bc->qtree_type
                                          : object_get_typename(OBJECT(bus)));
    children = newest_first(bus->children);
    for (GSList *l = children; l; l = l->next) {
        print_device(bus, l->data, out, indent);
    }
    g_slist_free(children);
}

void qdev_print_tree(BusState *bus, GString *out)
{
    print_bus(bus, out, 0);
}

static const char *const category_names[] = {
    [DEVICE_CATEGORY_MISC] = "Misc devices",
    [DEVICE_CATEGORY_STORAGE] = "Storage devices",
    [DEVICE_CATEGORY_NETWORK] = "Network devices",
    [DEVICE_CATEGORY_INPUT] = "Input devices",
    [DEVICE_CATEGORY_DISPLAY] = "Display devices",
    [DEVICE_CATEGORY_CPU] = "CPU devices",
};

void qdev_print_device_types(GString *out)
{
    GSList *list = object_class_get_list_sorted(TYPE_DEVICE, false);

    for (size_t cat = 0; cat < ARRAY_SIZE(category_names); cat++) {
        bool header = false;

        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = DEVICE_CLASS(l->data);

            if (!dc->user_creatable || dc->category != cat) {
                continue;
            }
            if (!header) {
                g_string_append_printf(out, "%s%s:\n", out->len ? "\n" : "",
                                       category_names[cat]);
                header = true;
            }
            g_string_append_printf(out, "name \"%s\"",
                                   object_class_get_name(l->data));
            if (dc->bus_type) {
                g_string_append_printf(out, ", bus %s", dc->bus_type);
            }
            if (OBJECT_CLASS(dc)->desc) {
                g_string_append_printf(out, ", desc \"%s\"",
                                       OBJECT_CLASS(dc)->desc);
            }
            g_string_append_c(out, '\n');
        }
    }
    g_slist_free(list);
}

/* ---- types ---- */

static void device_instance_init(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    dev->gpio_in = g_ptr_array_new_with_free_func(
        (GDestroyNotify)irq_line_free);
    dev->gpio_out = g_ptr_array_new();
}

static void device_instance_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    g_ptr_array_unref(dev->gpio_in);
    g_ptr_array_unref(dev->gpio_out);
    g_slist_free_full(dev->child_buses, (GDestroyNotify)object_unref);
    g_free(dev->id);
}

static void bus_instance_finalize(Object *obj)
{
    BusState *bus = BUS(obj);

    while (bus->children) {
        bus_remove_child(bus, bus->children->data);
    }
    g_free(bus->name);
}

static const TypeInfo qdev_types[] = {
    {
        .name = TYPE_DEVICE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(DeviceState),
        .class_size = sizeof(DeviceClass),
        .abstract = true,
        .instance_init = device_instance_init,
        .instance_finalize = device_instance_finalize,
    },
    {
        .name = TYPE_BUS,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(BusState),
        .class_size = sizeof(BusClass),
        .abstract = true,
        .instance_finalize = bus_instance_finalize,
    },
};

DEFINE_TYPES(qdev_types)
