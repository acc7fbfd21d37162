/*
 * The virtio-pci transport (virtio 1.1, 4.1), as QEMU 7.2 builds its
 * transitional devices: a PCI function (vendor 0x1af4) that carries one
 * virtio device inside, on a "virtio-bus" of its own.  A driver finds
 * both interfaces and uses either:
 *
 *   BAR0   the legacy I/O registers (virtio 0.9.5: a queue is a page
 *          frame number), then the device configuration;
 *   BAR4   64-bit prefetchable memory, 16 KiB: common configuration at
 *          0x0000, ISR at 0x1000, device configuration at 0x2000,
 *          notifications at 0x3000 (4 bytes a queue), found through the
 *          vendor capabilities of the configuration space;
 *
 *   BAR1   MSI-X: the vector table at 0, the pending bits at 0x800
 *          (hw/pci/msix.c), "vectors" of them (0: none, INTx only);
 *
 * and INTx (pin A), which the device uses until the driver enables
 * MSI-X; then the driver's choice of vector for configuration changes
 * and for each queue (VIRTIO_NO_VECTOR: none) is what the device sends.
 * virtio-net-pci takes an option ROM (BAR6) with romfile=, as QEMU's.
 * "disable-legacy=on" leaves BAR0 out (the device ID becomes 0x1040 +
 * the virtio ID, revision 1), "disable-modern=on" the capabilities and
 * BAR4.
 *
 * A PCI face of a virtio device (hw/virtio/virtio-pci-devices.c) is a
 * subclass naming the virtio device type it carries; properties it
 * shares with that device (netdev, drive...) are handed on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_PCI "virtio-pci"
/* The bus inside the function, for info qtree's "type". */
#define TYPE_VIRTIO_PCI_BUS "virtio-pci-bus"

#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
/* Transitional device IDs: 0x1000 + the legacy device number. */
#define PCI_DEVICE_ID_VIRTIO_NET     0x1000
#define PCI_DEVICE_ID_VIRTIO_BLOCK   0x1001
#define PCI_DEVICE_ID_VIRTIO_CONSOLE 0x1003
#define PCI_DEVICE_ID_VIRTIO_RNG     0x1005

#define VIRTIO_PCI_MODERN_REGIONS 4

typedef struct VirtIOPCIProxy {
    PCIDevice parent_obj;
    VirtioBusState *bus;
    VirtIODevice *vdev;          /* the device carried, once realized */
    MemoryRegion legacy_io;      /* BAR0 */
    MemoryRegion modern_bar;     /* BAR4: the regions below */
    /* common configuration, ISR, device configuration, notifications */
    MemoryRegion modern_regions[VIRTIO_PCI_MODERN_REGIONS];
    uint8_t cfg_cap;             /* offset of the PCI configuration
                                  * access capability, 0: none */
    /* The MSI-X vectors the driver chose, VIRTIO_NO_VECTOR: none. */
    uint16_t config_vector;
    uint16_t queue_vector[VIRTIO_QUEUE_MAX];
    /* Properties. */
    bool disable_legacy;
    bool disable_modern;
    uint32_t vectors;            /* MSI-X vectors, 0: INTx only */
    char *romfile;               /* a subclass's "romfile", else NULL */
    /* The driver's selectors and what it wrote of its features. */
    uint32_t dfselect, gfselect;
    uint32_t guest_features[2];
    uint16_t queue_sel;
} VirtIOPCIProxy;

typedef struct VirtIOPCIClass {
    PCIDeviceClass parent_class;
    const char *vdev_type;       /* "virtio-net-device"... */
    /* MSI-X vectors without a "vectors" property: QEMU 7.2's number
     * for one queue (pair) and a single vCPU. */
    uint32_t default_vectors;
} VirtIOPCIClass;

#define VIRTIO_PCI(obj) INSTANCE_CAST(VirtIOPCIProxy, (obj), TYPE_VIRTIO_PCI)
#define VIRTIO_PCI_CLASS(klass) \
    CLASS_CAST(VirtIOPCIClass, (klass), TYPE_VIRTIO_PCI)
#define VIRTIO_PCI_GET_CLASS(obj) \
    CLASS_CAST(VirtIOPCIClass, OBJECT(obj)->klass, TYPE_VIRTIO_PCI)

#endif
