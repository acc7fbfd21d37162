/*
 * Devices from key=value options: -device at start, device_add and
 * device_del in the monitors (softmmu/qdev-monitor.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_QDEV_MONITOR_H
#define SYSEMU_QDEV_MONITOR_H

#include "hw/qdev.h"
#include "util/keyval.h"

/*
 * "help" as the driver (the device types) or DRIVER,help (its
 * properties): the listing into out and true; false when kv asks for
 * no help.  kv has "driver" as its implied key.
 */
bool qdev_device_help(KeyValList *kv, GString *out);

/*
 * Creates, plugs and realizes the device kv describes (driver, id, bus
 * and properties), as /machine/peripheral/ID or under peripheral-anon.
 * hotplug: the machine is running (device_add), where QEMU refuses
 * buses that cannot take a device then.  NULL with QEMU's error.
 */
DeviceState *qdev_device_add(KeyValList *kv, bool hotplug, Error **errp);

/* The device device_del names: an id, or a QOM path; NULL with QEMU's
 * "Device 'ID' not found". */
DeviceState *qdev_find_device(const char *id, Error **errp);

/* device_del: asks the guest to give dev back (it goes when the guest
 * has let go of it: qdev_unplug_complete); false with QEMU's refusal
 * where its bus or its type cannot take part. */
bool qdev_unplug(DeviceState *dev, Error **errp);

#endif
