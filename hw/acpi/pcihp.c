/*
 * ACPI PCI hotplug of bus 0, as QEMU 7.2's PIIX4 PM does it (see
 * include/hw/acpi/pcihp.h).  The registers, 32 bits each:
 *   0x00 PCIU  slots with a new device (reading clears them)
 *   0x04 PCID  slots whose device the host asks back (device_del)
 *   0x08 B0EJ  write a slot's bit: the guest lets go, the device goes
 *   0x0c       slots that can take part (read only)
 *   0x10 BNUM  the bus the others mean (bus 0, the only one here)
 *   0x14 PIDX  write a slot's bit, read its device's acpi-index (emu's
 *              devices have none: 0)
 * The DSDT's \_GPE._E01 reads PCIU and PCID and notifies the slots'
 * devices (1: check, 3: eject request); their _EJ0 writes B0EJ.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/acpi/pcihp.h"
#include "hw/misc/isa-ports.h"

#define PCIHP_UP     0x00
#define PCIHP_DOWN   0x04
#define PCIHP_EJECT  0x08
#define PCIHP_RMV    0x0c
#define PCIHP_SEL    0x10
#define PCIHP_AIDX   0x14

#define PCI_SLOTS    32
/* ACPI 6.4, 5.6.6: device check and eject request. */
#define NOTIFY_DEVICE_CHECK  1
#define NOTIFY_EJECT_REQUEST 3
/* PCI Firmware Specification 3.1, 4.6: the _DSM of PCI devices. */
#define PCI_DSM_UUID "E5C937D0-3553-4D7A-9117-EA4D19C3434D"

struct AcpiPciHp {
    PCIBus *bus;
    MemoryRegion io;
    HotplugHandler handler;
    void (*send_event)(void *opaque);
    void *opaque;
    uint32_t up;
    uint32_t down;
    uint32_t select;
};

static bool slot_hotpluggable(AcpiPciHp *s, unsigned slot)
{
    for (unsigned fn = 0; fn < 8; fn++) {
        PCIDevice *dev = s->bus->devices[PCI_DEVFN(slot, fn)];

        if (dev && !qdev_class_hotpluggable(DEVICE_GET_CLASS(dev))) {
            return false;
        }
    }
    return true;
}

/* The guest let go of the slots' devices (the lowest slot set, as
 * QEMU takes it): they go, and the monitors hear of it. */
static void pcihp_eject(AcpiPciHp *s, uint32_t slots)
{
    unsigned slot;

    if (!slots) {
        return;
    }
    slot = __builtin_ctz(slots);
    s->up &= ~(1u << slot);
    s->down &= ~(1u << slot);
    for (unsigned fn = 0; fn < 8; fn++) {
        PCIDevice *dev = s->bus->devices[PCI_DEVFN(slot, fn)];

        if (dev && qdev_class_hotpluggable(DEVICE_GET_CLASS(dev))) {
            qdev_unplug_complete(DEVICE(dev));
        }
    }
}

static uint64_t pcihp_read(void *opaque, hwaddr addr, unsigned size)
{
    AcpiPciHp *s = opaque;
    uint32_t val = 0;

    if (s->select != 0) {
        return 0;           /* no such bus */
    }
    switch (addr) {
    case PCIHP_UP:
        val = s->up;
        s->up = 0;
        break;
    case PCIHP_DOWN:
        val = s->down;
        break;
    case PCIHP_RMV:
        for (unsigned slot = 0; slot < PCI_SLOTS; slot++) {
            val |= slot_hotpluggable(s, slot) ? 1u << slot : 0;
        }
        break;
    case PCIHP_SEL:
        val = s->select;
        break;
    default:                /* B0EJ; PIDX: no acpi-index */
        break;
    }
    return val;
}

static void pcihp_write(void *opaque, hwaddr addr, uint64_t value,
                        unsigned size)
{
    AcpiPciHp *s = opaque;

    switch (addr) {
    case PCIHP_EJECT:
        if (s->select == 0) {
            pcihp_eject(s, value);
        }
        break;
    case PCIHP_SEL:
        s->select = value;
        break;
    default:
        break;
    }
}

static const MemoryRegionOps pcihp_ops = {
    .read = pcihp_read,
    .write = pcihp_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static bool pcihp_plug(void *opaque, DeviceState *dev, Error **errp)
{
    AcpiPciHp *s = opaque;

    s->up |= 1u << PCI_SLOT(PCI_DEVICE(dev)->devfn);
    s->send_event(s->opaque);
    return true;
}

/* Asked again, the guest hears of it again (QEMU 7.2 lets device_del
 * be repeated, for a guest that missed the first while it booted). */
static bool pcihp_unplug_request(void *opaque, DeviceState *dev,
                                 Error **errp)
{
    AcpiPciHp *s = opaque;

    s->down |= 1u << PCI_SLOT(PCI_DEVICE(dev)->devfn);
    s->send_event(s->opaque);
    return true;
}

AcpiPciHp *acpi_pcihp_new(DeviceState *owner, PCIBus *bus,
                          void (*send_event)(void *opaque), void *opaque,
                          Error **errp)
{
    AcpiPciHp *s = g_new0(AcpiPciHp, 1);

    s->bus = bus;
    s->send_event = send_event;
    s->opaque = opaque;
    s->handler = (HotplugHandler) {
        .plug = pcihp_plug,
        .unplug_request = pcihp_unplug_request,
        .opaque = s,
    };
    memory_region_init_io(&s->io, OBJECT(owner), &pcihp_ops, s,
                          "acpi-pci-hotplug", ACPI_PCIHP_IO_LEN);
    if (!isa_ports_map(owner, &s->io, ACPI_PCIHP_IO_BASE, errp)) {
        memory_region_destroy(&s->io);
        g_free(s);
        return NULL;
    }
    BUS(bus)->hotplug_handler = &s->handler;
    return s;
}

void acpi_pcihp_free(AcpiPciHp *s)
{
    if (BUS(s->bus)->hotplug_handler == &s->handler) {
        BUS(s->bus)->hotplug_handler = NULL;
    }
    isa_ports_unmap(&s->io);
    memory_region_destroy(&s->io);
    g_free(s);
}

void acpi_pcihp_reset(AcpiPciHp *s)
{
    while (s->down) {
        pcihp_eject(s, s->down);
    }
    s->up = 0;
    s->select = 0;
}

/* ---- AML ---- */

static Aml *dword_field(const char *region, const char *const *names,
                        unsigned count)
{
    Aml *field = aml_field(region, AML_DWORD_ACC, AML_WRITE_AS_ZEROS);

    for (unsigned i = 0; i < count; i++) {
        aml_append(field, aml_named_field(names[i], 32));
    }
    return field;
}

/* PDSM (uuid, revision, function, args, {bsel, slot}): function 0 says
 * whether function 7 (the acpi-index as the device's label) is there. */
static Aml *build_pdsm(void)
{
    static const uint8_t none[1];
    Aml *method = aml_method("PDSM", 5, true);
    Aml *ifctx, *inner, *pkg;

#define PDSM_BNUM aml_derefof(aml_index(aml_arg(4), aml_int(0)))
#define PDSM_SUN  aml_derefof(aml_index(aml_arg(4), aml_int(1)))
    ifctx = aml_if(aml_equal(aml_arg(2), aml_int(0)));
    aml_append(ifctx, aml_store(aml_buffer(none, sizeof(none)),
                                aml_local(0)));
    aml_append(ifctx, aml_store(aml_int(0), aml_local(1)));
    inner = aml_if(aml_lnot(aml_equal(aml_arg(0), aml_touuid(PCI_DSM_UUID))));
    aml_append(inner, aml_return(aml_local(0)));
    aml_append(ifctx, inner);
    inner = aml_if(aml_lless(aml_arg(1), aml_int(2)));
    aml_append(inner, aml_return(aml_local(0)));
    aml_append(ifctx, inner);
    aml_append(ifctx, aml_store(aml_call("AIDX", 2, PDSM_BNUM, PDSM_SUN),
                                aml_local(2)));
    inner = aml_if(aml_lnot(aml_or(aml_equal(aml_local(2), aml_int(0)),
                                   aml_equal(aml_local(2),
                                             aml_int(0xffffffff)), NULL)));
    aml_append(inner, aml_or(aml_local(1), aml_int(1), aml_local(1)));
    aml_append(inner, aml_or(aml_local(1),
                             aml_shiftleft(aml_int(1), aml_int(7)),
                             aml_local(1)));
    aml_append(ifctx, inner);
    aml_append(ifctx, aml_store(aml_local(1),
                                aml_index(aml_local(0), aml_int(0))));
    aml_append(ifctx, aml_return(aml_local(0)));
    aml_append(method, ifctx);

    ifctx = aml_if(aml_equal(aml_arg(2), aml_int(7)));
    aml_append(ifctx, aml_store(aml_call("AIDX", 2, PDSM_BNUM, PDSM_SUN),
                                aml_local(2)));
    pkg = aml_package_of(2);
    aml_append(ifctx, aml_store(pkg, aml_local(0)));
    inner = aml_if(aml_lnot(aml_lor(aml_equal(aml_local(2), aml_int(0)),
                                    aml_equal(aml_local(2),
                                              aml_int(0xffffffff)))));
    aml_append(inner, aml_store(aml_local(2),
                                aml_index(aml_local(0), aml_int(0))));
    aml_append(inner, aml_store(aml_string(""),
                                aml_index(aml_local(0), aml_int(1))));
    aml_append(ifctx, inner);
    aml_append(ifctx, aml_return(aml_local(0)));
    aml_append(method, ifctx);
#undef PDSM_BNUM
#undef PDSM_SUN
    return method;
}

void acpi_pcihp_build_methods(Aml *pci0)
{
    static const char *const status[] = { "PCIU", "PCID" };
    static const char *const eject[] = { "B0EJ" };
    static const char *const select[] = { "BNUM", "PIDX" };
    Aml *method;

    aml_append(pci0, aml_operation_region("PCST", AML_SYSTEM_IO,
                                          ACPI_PCIHP_IO_BASE + PCIHP_UP, 8));
    aml_append(pci0, dword_field("PCST", status, 2));
    aml_append(pci0, aml_operation_region("SEJ", AML_SYSTEM_IO,
                                          ACPI_PCIHP_IO_BASE + PCIHP_EJECT,
                                          4));
    aml_append(pci0, dword_field("SEJ", eject, 1));
    aml_append(pci0, aml_operation_region("BNMR", AML_SYSTEM_IO,
                                          ACPI_PCIHP_IO_BASE + PCIHP_SEL, 8));
    aml_append(pci0, dword_field("BNMR", select, 2));
    aml_append(pci0, aml_mutex("BLCK", 0));

    /* PCEJ (bus, slot): eject. */
    method = aml_method("PCEJ", 2, false);
    aml_append(method, aml_acquire(aml_name("BLCK"), 0xffff));
    aml_append(method, aml_store(aml_arg(0), aml_name("BNUM")));
    aml_append(method, aml_store(aml_shiftleft(aml_int(1), aml_arg(1)),
                                 aml_name("B0EJ")));
    aml_append(method, aml_release(aml_name("BLCK")));
    aml_append(method, aml_return(aml_int(0)));
    aml_append(pci0, method);

    /* AIDX (bus, slot): the device's acpi-index. */
    method = aml_method("AIDX", 2, false);
    aml_append(method, aml_acquire(aml_name("BLCK"), 0xffff));
    aml_append(method, aml_store(aml_arg(0), aml_name("BNUM")));
    aml_append(method, aml_store(aml_shiftleft(aml_int(1), aml_arg(1)),
                                 aml_name("PIDX")));
    aml_append(method, aml_store(aml_name("PIDX"), aml_local(0)));
    aml_append(method, aml_release(aml_name("BLCK")));
    aml_append(method, aml_return(aml_local(0)));
    aml_append(pci0, method);

    aml_append(pci0, build_pdsm());
    aml_append(pci0, aml_name_decl("BSEL", aml_int(0)));
}

Aml *acpi_pcihp_slot_device(unsigned slot, bool hotpluggable)
{
    g_autofree char *name = g_strdup_printf("S%.02X", PCI_DEVFN(slot, 0));
    Aml *dev = aml_device(name);
    Aml *method, *pkg;

    aml_append(dev, aml_name_decl("_ADR", aml_int(slot << 16)));
    /* Not _SUN for every slot: Linux would number its slots by it. */
    aml_append(dev, aml_name_decl("ASUN", aml_int(slot)));
    method = aml_method("_DSM", 4, true);
    pkg = aml_package_of(2);
    aml_append(pkg, aml_name("BSEL"));
    aml_append(pkg, aml_name("ASUN"));
    aml_append(method, aml_store(pkg, aml_local(0)));
    aml_append(method, aml_return(aml_call("PDSM", 5, aml_arg(0), aml_arg(1),
                                           aml_arg(2), aml_arg(3),
                                           aml_local(0))));
    aml_append(dev, method);
    if (hotpluggable) {
        aml_append(dev, aml_name_decl("_SUN", aml_int(slot)));
        method = aml_method("_EJ0", 1, false);
        aml_append(method, aml_call("PCEJ", 2, aml_name("BSEL"),
                                    aml_name("_SUN")));
        aml_append(dev, method);
    }
    return dev;
}

void acpi_pcihp_build_notify(Aml *pci0, uint32_t hotpluggable_slots)
{
    Aml *method = aml_method("DVNT", 2, false);

    for (unsigned slot = 0; slot < PCI_SLOTS; slot++) {
        g_autofree char *name = NULL;
        Aml *ifctx;

        if (!(hotpluggable_slots & (1u << slot))) {
            continue;
        }
        name = g_strdup_printf("S%.02X", PCI_DEVFN(slot, 0));
        ifctx = aml_if(aml_and(aml_arg(0), aml_int(1u << slot)));
        aml_append(ifctx, aml_notify(aml_name(name), aml_arg(1)));
        aml_append(method, ifctx);
    }
    aml_append(pci0, method);

    method = aml_method("PCNT", 0, false);
    aml_append(method, aml_store(aml_int(0), aml_name("BNUM")));
    aml_append(method, aml_call("DVNT", 2, aml_name("PCIU"),
                                aml_int(NOTIFY_DEVICE_CHECK)));
    aml_append(method, aml_call("DVNT", 2, aml_name("PCID"),
                                aml_int(NOTIFY_EJECT_REQUEST)));
    aml_append(pci0, method);
}

Aml *acpi_pcihp_resources(void)
{
    Aml *dev = aml_device("PHPR");
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_string("PNP0A06")));
    aml_append(dev, aml_name_decl("_UID", aml_string("PCI Hotplug "
                                                     "resources")));
    aml_append(dev, aml_name_decl("_STA", aml_int(0xb)));
    aml_append(crs, aml_io(ACPI_PCIHP_IO_BASE, ACPI_PCIHP_IO_BASE, 1,
                           ACPI_PCIHP_IO_LEN));
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

Aml *acpi_pcihp_gpe_method(void)
{
    Aml *method = aml_method("_E01", 0, false);

    aml_append(method, aml_acquire(aml_name("\\_SB.PCI0.BLCK"), 0xffff));
    aml_append(method, aml_call("\\_SB.PCI0.PCNT", 0));
    aml_append(method, aml_release(aml_name("\\_SB.PCI0.BLCK")));
    return method;
}
