/*
 * Devices: objects with realize, reset and interrupt pins, sitting on a
 * bus.  A device never knows which accelerator runs it.
 *
 * Life cycle: object_new -> set properties -> qdev_realize (checks the
 * properties, may fail with a message) -> reset -> use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_QDEV_H
#define HW_QDEV_H

#include "qom/object.h"
#include "hw/irq.h"

#define TYPE_DEVICE "device"
#define TYPE_BUS "bus"

typedef struct DeviceState DeviceState;
typedef struct BusState BusState;

/* Groups for "-device help", as QEMU prints them. */
typedef enum DeviceCategory {
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_CPU,
} DeviceCategory;

typedef struct DeviceClass {
    ObjectClass parent_class;
    bool (*realize)(DeviceState *dev, Error **errp);
    void (*unrealize)(DeviceState *dev);
    void (*reset)(DeviceState *dev);
    bool user_creatable;         /* may be made with -device */
    /* Made with -device only, never added or removed while the machine
     * runs (QEMU's hotpluggable = false: VGA). */
    bool cold_plug_only;
    const char *bus_type;        /* the bus it plugs into; NULL: none */
    /* With bus_type NULL: the bus it goes on where the machine has one
     * (TYPE_ISA_BUS for ISA devices: the PC's isa.0; microvm has none). */
    const char *optional_bus_type;
    DeviceCategory category;
} DeviceClass;

struct DeviceState {
    Object parent_obj;
    char *id;                    /* -device ...,id=ID */
    bool realized;
    BusState *parent_bus;
    GPtrArray *gpio_in;          /* IRQLine *, owned */
    GPtrArray *gpio_out;         /* IRQLine **, where to store connections */
    GSList *child_buses;
};

/*
 * What lets devices come and go on a bus while the machine runs (QEMU's
 * hotplug handler): the chipset part that tells the guest about them
 * (the PIIX4's ACPI PCI hotplug, hw/acpi/pcihp.c).  A bus without one
 * takes devices at start only.
 */
typedef struct HotplugHandler {
    /* dev is realized and reset on the running machine: announce it. */
    bool (*plug)(void *opaque, DeviceState *dev, Error **errp);
    /* device_del: ask the guest to let go of dev, which it does (or
     * not) later; qdev_unplug_complete() then removes it. */
    bool (*unplug_request)(void *opaque, DeviceState *dev, Error **errp);
    void *opaque;
} HotplugHandler;

typedef struct BusState {
    Object parent_obj;
    char *name;
    DeviceState *parent;         /* NULL for the main system bus */
    GSList *children;            /* DeviceState *, in plug order */
    const HotplugHandler *hotplug_handler;   /* NULL: no hotplug */
} BusState;

typedef struct BusClass {
    ObjectClass parent_class;
    /* "System" in "info qtree"; NULL: the bus's type name, as QEMU
     * prints most buses. */
    const char *qtree_type;
    unsigned max_children;       /* devices it takes; 0: no limit */
    /* Prints bus-specific lines for a device ("mmio ...") in info qtree. */
    void (*print_dev)(BusState *bus, DeviceState *dev, GString *out,
                      int indent);
} BusClass;

#define DEVICE(obj) INSTANCE_CAST(DeviceState, (obj), TYPE_DEVICE)
#define DEVICE_GET_CLASS(obj) \
    CLASS_CAST(DeviceClass, OBJECT(obj)->klass, TYPE_DEVICE)
#define DEVICE_CLASS(klass) CLASS_CAST(DeviceClass, (klass), TYPE_DEVICE)
#define BUS(obj) INSTANCE_CAST(BusState, (obj), TYPE_BUS)
#define BUS_GET_CLASS(obj) CLASS_CAST(BusClass, OBJECT(obj)->klass, TYPE_BUS)
#define BUS_CLASS(klass) CLASS_CAST(BusClass, (klass), TYPE_BUS)

/* Creates a device of a type (not yet realized). */
DeviceState *qdev_new(const char *typename);
/* Plugs dev into bus (NULL for bus-less devices) and realizes it. */
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
/* qdev_realize, then drops the caller's reference: the tree holds it. */
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp);
void qdev_unrealize(DeviceState *dev);
/* Puts a realized device that sits on no bus on bus: a board's device
 * made before the bus it belongs on (the PC's 8259s and PIT, needed
 * before the PIIX3 that carries the ISA bus).  It is then reset with
 * the bus and shown on it by info qtree. */
void qdev_set_parent_bus(DeviceState *dev, BusState *bus);

/* Whether devices of class dc may be added and removed while the
 * machine runs, on a bus that allows it (QEMU's hotpluggable). */
bool qdev_class_hotpluggable(DeviceClass *dc);

/*
 * The end of an unplug: dev is unrealized and leaves the QOM tree, and
 * the hook set by qdev_set_deleted_hook hears of it and of each device
 * below it, the deepest first (QEMU's DEVICE_DELETED events, with the
 * id, NULL for none, and the QOM path).
 */
void qdev_unplug_complete(DeviceState *dev);
typedef void (*DeviceDeletedHook)(const char *id, const char *path);
void qdev_set_deleted_hook(DeviceDeletedHook hook);

/* Resets dev, then the devices on its child buses. */
void device_reset(DeviceState *dev);
/* Resets every device on bus and below. */
void bus_reset(BusState *bus);

BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name);
/* Under the main system bus: the bus named name ("pci.0"), or the first
 * bus of type typename with room for a device, in tree order (where
 * "-device" puts one); NULL when there is none. */
BusState *qbus_find(const char *name);
BusState *qbus_find_by_type(const char *typename);

/* Input pins: n lines calling handler(dev, pin, level). */
void qdev_init_gpio_in(DeviceState *dev, IRQHandler handler, int n);
IRQLine *qdev_get_gpio_in(DeviceState *dev, int n);
/* Output pins: the device keeps pins[n]; connecting stores into them. */
void qdev_init_gpio_out(DeviceState *dev, IRQLine **pins, int n);
void qdev_connect_gpio_out(DeviceState *dev, int n, IRQLine *line);

/* "info qtree" below the main system bus. */
void qdev_print_tree(BusState *bus, GString *out);
/* "-device help" */
void qdev_print_device_types(GString *out);

/*
 * -global (hw/core/qdev-globals.c).  qdev_add_global takes
 * "driver.prop=value" or "driver=D,property=P,value=V"; qdev_new applies
 * the matching ones (a value the property refuses ends emu, as in QEMU);
 * qdev_check_globals warns about those no device used.
 */
bool qdev_add_global(const char *spec, Error **errp);
void qdev_apply_globals(DeviceState *dev);
void qdev_check_globals(void);
void qdev_free_globals(void);

#endif
