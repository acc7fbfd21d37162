/*
 * The PCI faces of the virtio devices, as QEMU 7.2 names and numbers
 * them: each a virtio-pci function (hw/virtio/virtio-pci.c) carrying one
 * virtio device, with that device's properties on the command line
 * ("-device virtio-net-pci,netdev=n", "-device virtio-blk-pci,drive=d").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-net.h"
#include "hw/virtio/virtio-pci.h"
#include "net/net.h"

/* ---- virtio-net-pci ---- */

typedef struct VirtIONetPCI {
    VirtIOPCIProxy parent_obj;
    NICProperties nic;           /* handed on to virtio-net */
} VirtIONetPCI;

static const Property virtio_net_pci_properties[] = {
    DEFINE_NIC_PROPERTIES(VirtIONetPCI, nic),
    /* QEMU's default is iPXE's efi-virtio.rom, which SeaBIOS runs; emu
     * loads it when asked (romfile=efi-virtio.rom) and its default is
     * still none (docs/boards/pc.md). */
    DEFINE_PROP_STRING("romfile", VirtIOPCIProxy, romfile,
                       "option ROM for BAR6 (iPXE: efi-virtio.rom)"),
};

static void virtio_net_pci_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "virtio network card on PCI";
    DEVICE_CLASS(klass)->category = DEVICE_CATEGORY_NETWORK;
    VIRTIO_PCI_CLASS(klass)->vdev_type = TYPE_VIRTIO_NET;
    /* QEMU's count: receive and transmit, its control queue, and
     * configuration changes. */
    VIRTIO_PCI_CLASS(klass)->default_vectors = 4;
    pc->device_id = PCI_DEVICE_ID_VIRTIO_NET;
    pc->class_id = PCI_CLASS_NETWORK_ETHERNET;
    class_add_properties(klass, virtio_net_pci_properties,
                         ARRAY_SIZE(virtio_net_pci_properties));
}

/* ---- virtio-blk-pci ---- */

typedef struct VirtIOBlockPCI {
    VirtIOPCIProxy parent_obj;
    char *drive;
    char *serial;
} VirtIOBlockPCI;

static const Property virtio_blk_pci_properties[] = {
    DEFINE_PROP_STRING("drive", VirtIOBlockPCI, drive,
                       "Node name or ID of a block device to use as a "
                       "backend"),
    DEFINE_PROP_STRING("serial", VirtIOBlockPCI, serial,
                       "The disk's serial number (get-id)"),
};

static void virtio_blk_pci_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "virtio disk on PCI";
    DEVICE_CLASS(klass)->category = DEVICE_CATEGORY_STORAGE;
    VIRTIO_PCI_CLASS(klass)->vdev_type = TYPE_VIRTIO_BLK;
    /* Its queue and configuration changes (QEMU gives a queue, and a
     * vector, to each vCPU; emu's virtio-blk has one queue). */
    VIRTIO_PCI_CLASS(klass)->default_vectors = 2;
    pc->device_id = PCI_DEVICE_ID_VIRTIO_BLOCK;
    pc->class_id = PCI_CLASS_STORAGE_SCSI;
    class_add_properties(klass, virtio_blk_pci_properties,
                         ARRAY_SIZE(virtio_blk_pci_properties));
}

/* ---- virtio-rng-pci, virtio-serial-pci ---- */

typedef struct VirtIORNGPCI {
    VirtIOPCIProxy parent_obj;
    char *rng;
} VirtIORNGPCI;

static const Property virtio_rng_pci_properties[] = {
    DEFINE_PROP_STRING("rng", VirtIORNGPCI, rng,
                       "ID of an -object rng-random or rng-builtin"),
};

static void virtio_rng_pci_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "virtio entropy source on PCI";
    VIRTIO_PCI_CLASS(klass)->vdev_type = "virtio-rng-device";
    VIRTIO_PCI_CLASS(klass)->default_vectors = 2;
    pc->device_id = PCI_DEVICE_ID_VIRTIO_RNG;
    pc->class_id = PCI_CLASS_OTHERS;
    class_add_properties(klass, virtio_rng_pci_properties,
                         ARRAY_SIZE(virtio_rng_pci_properties));
}

static void virtio_serial_pci_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "virtio serial ports on PCI (virtconsole, "
                  "virtserialport)";
    VIRTIO_PCI_CLASS(klass)->vdev_type = "virtio-serial-device";
    VIRTIO_PCI_CLASS(klass)->default_vectors = 2;
    pc->device_id = PCI_DEVICE_ID_VIRTIO_CONSOLE;
    pc->class_id = PCI_CLASS_COMMUNICATION_OTHER;
}

static const TypeInfo virtio_pci_device_types[] = {
    {
        .name = "virtio-net-pci",
        .parent = TYPE_VIRTIO_PCI,
        .instance_size = sizeof(VirtIONetPCI),
        .class_init = virtio_net_pci_class_init,
    },
    {
        .name = "virtio-blk-pci",
        .parent = TYPE_VIRTIO_PCI,
        .instance_size = sizeof(VirtIOBlockPCI),
        .class_init = virtio_blk_pci_class_init,
    },
    {
        .name = "virtio-rng-pci",
        .parent = TYPE_VIRTIO_PCI,
        .instance_size = sizeof(VirtIORNGPCI),
        .class_init = virtio_rng_pci_class_init,
    },
    {
        .name = "virtio-serial-pci",
        .parent = TYPE_VIRTIO_PCI,
        .class_init = virtio_serial_pci_class_init,
    },
};

DEFINE_TYPES(virtio_pci_device_types)
