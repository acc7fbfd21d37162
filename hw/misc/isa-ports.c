/*
 * Placing PC devices in the system I/O address space, with the checks
 * a -device user needs (see include/hw/misc/isa-ports.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/misc/isa-ports.h"

#define ISA_PORT_SPACE_SIZE 0x10000

bool isa_ports_map(DeviceState *dev, MemoryRegion *mr, uint32_t base,
                   Error **errp)
{
    const char *type = object_get_typename(OBJECT(dev));
    uint64_t size = memory_region_size(mr);
    FlatView *view;
    bool busy = false;

    if (!memory_system_has_io()) {
        error_setg(errp, "device '%s' needs I/O ports, and this target has "
                   "none", type);
        return false;
    }
    if (base >= ISA_PORT_SPACE_SIZE || size > ISA_PORT_SPACE_SIZE - base) {
        error_setg(errp, "device '%s': I/O ports 0x%" PRIx32 "-0x%" PRIx64
                   " are outside the port space (0x0-0xffff)", type, base,
                   base + size - 1);
        return false;
    }
    view = address_space_get_flatview(&address_space_io);
    for (uint64_t port = base; port < base + size && !busy; port++) {
        const FlatRange *fr = flatview_lookup(view, port);

        /* Free ports show the root region itself; background windows
         * (negative priority, an unimplemented-device) may be covered. */
        if (fr && fr->mr != get_system_io() && fr->mr->priority >= 0) {
            error_setg(errp, "device '%s': I/O port 0x%" PRIx64 " is already "
                       "used by '%s'", type, port,
                       memory_region_name(fr->mr));
            busy = true;
        }
    }
    flatview_unref(view);
    /* The flat view lags while the board or -device builds the machine
     * in one memory transaction: regions placed since are checked too. */
    for (guint i = 0; !busy && get_system_io()->subregions &&
                     i < get_system_io()->subregions->len; i++) {
        MemoryRegion *other = g_ptr_array_index(get_system_io()->subregions,
                                                i);
        uint64_t end = other->addr + memory_region_size(other);

        if (other->enabled && other->priority >= 0 && other->addr <
            base + size && base < end) {
            error_setg(errp, "device '%s': I/O port 0x%" PRIx64 " is already "
                       "used by '%s'", type, MAX((uint64_t)base, other->addr),
                       memory_region_name(other));
            busy = true;
        }
    }
    if (busy) {
        return false;
    }
    memory_region_add_subregion(get_system_io(), base, mr);
    return true;
}

void isa_ports_unmap(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
}
