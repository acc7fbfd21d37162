/*
 * The virtio-pci transport (include/hw/virtio/virtio-pci.h): the legacy
 * I/O registers, the modern capabilities and their memory BAR, INTx and
 * MSI-X.
 *
 * The device carried does not know which interface drives it until the
 * driver touches one: an access through BAR0 makes it legacy (no
 * VERSION_1, 4 KiB-aligned rings from a page frame number), one through
 * BAR4 (or the configuration access capability) modern.  Linux and
 * SeaBIOS use the modern interface when they find it and the legacy one
 * when disable-modern=on hides it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/pci/msix.h"
#include "hw/virtio/virtio-pci.h"

/* Legacy registers in BAR0 (virtio 1.1, 4.1.4.8); the device
 * configuration follows at 0x14, or at 0x18 after the two MSI-X vector
 * registers while the driver has MSI-X enabled. */
#define VIRTIO_PCI_HOST_FEATURES 0x00
#define VIRTIO_PCI_GUEST_FEATURES 0x04
#define VIRTIO_PCI_QUEUE_PFN 0x08
#define VIRTIO_PCI_QUEUE_NUM 0x0c
#define VIRTIO_PCI_QUEUE_SEL 0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY 0x10
#define VIRTIO_PCI_STATUS 0x12
#define VIRTIO_PCI_ISR 0x13
#define VIRTIO_PCI_CONFIG 0x14
#define VIRTIO_MSI_CONFIG_VECTOR 0x14
#define VIRTIO_MSI_QUEUE_VECTOR 0x16
#define VIRTIO_PCI_CONFIG_MSIX 0x18
#define VIRTIO_PCI_QUEUE_ADDR_SHIFT 12
#define VIRTIO_PCI_VRING_ALIGN 4096

/* The common configuration structure (4.1.4.3). */
#define COMMON_DFSELECT 0x00
#define COMMON_DF 0x04
#define COMMON_GFSELECT 0x08
#define COMMON_GF 0x0c
#define COMMON_MSIX 0x10
#define COMMON_NUMQ 0x12
#define COMMON_STATUS 0x14
#define COMMON_CFGGENERATION 0x15
#define COMMON_Q_SELECT 0x16
#define COMMON_Q_SIZE 0x18
#define COMMON_Q_MSIX 0x1a
#define COMMON_Q_ENABLE 0x1c
#define COMMON_Q_NOFF 0x1e
#define COMMON_Q_DESCLO 0x20
#define COMMON_Q_DESCHI 0x24
#define COMMON_Q_AVAILLO 0x28
#define COMMON_Q_AVAILHI 0x2c
#define COMMON_Q_USEDLO 0x30
#define COMMON_Q_USEDHI 0x34
/* No MSI-X vector (what msix_config and queue_msix_vector read). */
#define VIRTIO_NO_VECTOR 0xffff

/* The vendor capabilities (4.1.4): cfg_type, and their layout. */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5
#define CAP_LEN 2
#define CAP_CFG_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CAP_SIZE 16
#define NOTIFY_CAP_MULTIPLIER 16
#define NOTIFY_CAP_SIZE 20
#define CFG_CAP_DATA 16
#define CFG_CAP_SIZE 20

/* BAR4 as QEMU lays it out (page-per-vq=off). */
#define MODERN_BAR 4
#define MODERN_REGION_SIZE 0x1000
#define MODERN_COMMON 0x0000
#define MODERN_ISR 0x1000
#define MODERN_DEVICE 0x2000
#define MODERN_NOTIFY 0x3000
#define MODERN_BAR_SIZE 0x4000
#define NOTIFY_MULTIPLIER 4      /* queue n is notified at 4 * n */
#define LEGACY_BAR 0
#define MSIX_BAR 1
/* The "vectors" property's "as the device needs" (QEMU's
 * DEV_NVECTORS_UNSPECIFIED). */
#define VECTORS_UNSPECIFIED UINT32_MAX

static VirtIODevice *proxy_vdev(VirtIOPCIProxy *proxy, bool legacy)
{
    if (proxy->vdev) {
        proxy->vdev->legacy = legacy;
    }
    return proxy->vdev;
}

static VirtQueue *selected_queue(VirtIOPCIProxy *proxy)
{
    VirtQueue *vq = &proxy->vdev->vq[proxy->queue_sel];

    return vq->num_max ? vq : NULL;
}

/* INTx follows the ISR (a used buffer or a configuration change)
 * unless the driver enabled MSI-X. */
static void virtio_pci_update_irq(VirtIOPCIProxy *proxy)
{
    PCIDevice *dev = PCI_DEVICE(proxy);

    pci_set_irq(dev, !msix_enabled(dev) && proxy->vdev && proxy->vdev->isr);
}

static void virtio_pci_notify(void *opaque, VirtQueue *vq)
{
    VirtIOPCIProxy *proxy = opaque;
    PCIDevice *dev = PCI_DEVICE(proxy);
    uint16_t vector;

    if (!msix_enabled(dev)) {
        virtio_pci_update_irq(proxy);
        return;
    }
    vector = vq ? proxy->queue_vector[vq - proxy->vdev->vq]
                : proxy->config_vector;
    if (vector != VIRTIO_NO_VECTOR) {
        msix_notify(dev, vector);
    }
}

/* A vector the driver chose for the configuration or a queue: one the
 * function does not have reads back as NO_VECTOR, which is how the
 * driver learns of its mistake (virtio 1.1, 4.1.5.1.2). */
static uint16_t virtio_pci_checked_vector(VirtIOPCIProxy *proxy,
                                          uint16_t vector)
{
    return msix_vector_exists(PCI_DEVICE(proxy), vector) ? vector
                                                         : VIRTIO_NO_VECTOR;
}

/* Reading the ISR acknowledges it (4.1.4.5). */
static uint8_t virtio_pci_read_isr(VirtIOPCIProxy *proxy)
{
    uint8_t isr = proxy->vdev->isr;

    proxy->vdev->isr = 0;
    virtio_pci_update_irq(proxy);
    return isr;
}

static void virtio_pci_reset_transport(VirtIOPCIProxy *proxy)
{
    proxy->dfselect = proxy->gfselect = 0;
    proxy->guest_features[0] = proxy->guest_features[1] = 0;
    proxy->queue_sel = 0;
    proxy->config_vector = VIRTIO_NO_VECTOR;
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        proxy->queue_vector[i] = VIRTIO_NO_VECTOR;
    }
}

/* A status write; 0 resets the device and the transport's state. */
static void virtio_pci_set_status(VirtIOPCIProxy *proxy, uint8_t status)
{
    virtio_set_status(proxy->vdev, status);
    if (status == 0) {
        virtio_pci_reset_transport(proxy);
        virtio_pci_update_irq(proxy);
    }
}

/* ---- the legacy interface: BAR0 ---- */

/* Where the device configuration starts in BAR0: after the vector
 * registers while MSI-X is on (virtio 1.1, 4.1.4.8). */
static unsigned legacy_config_offset(VirtIOPCIProxy *proxy)
{
    return msix_enabled(PCI_DEVICE(proxy)) ? VIRTIO_PCI_CONFIG_MSIX
                                           : VIRTIO_PCI_CONFIG;
}

static uint64_t virtio_pci_legacy_read(void *opaque, hwaddr addr,
                                       unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy, true);
    unsigned config = legacy_config_offset(proxy);
    VirtQueue *vq;

    if (addr >= config) {
        return virtio_config_read(vdev, addr - config, size);
    }
    vq = selected_queue(proxy);
    switch (addr) {
    case VIRTIO_PCI_HOST_FEATURES:
        return (uint32_t)virtio_get_host_features(vdev);
    case VIRTIO_PCI_GUEST_FEATURES:
        return (uint32_t)vdev->guest_features;
    case VIRTIO_PCI_QUEUE_PFN:
        return vq ? vq->desc >> VIRTIO_PCI_QUEUE_ADDR_SHIFT : 0;
    case VIRTIO_PCI_QUEUE_NUM:
        return vq ? vq->num : 0;
    case VIRTIO_PCI_QUEUE_SEL:
        return proxy->queue_sel;
    case VIRTIO_PCI_STATUS:
        return vdev->status;
    case VIRTIO_PCI_ISR:
        return virtio_pci_read_isr(proxy);
    case VIRTIO_MSI_CONFIG_VECTOR:
        return proxy->config_vector;
    case VIRTIO_MSI_QUEUE_VECTOR:
        return proxy->queue_vector[proxy->queue_sel];
    }
    emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: legacy read of %u bytes at "
                 "0x%x, inside a register\n", size, (unsigned)addr);
    return 0;
}

static void virtio_pci_legacy_write(void *opaque, hwaddr addr,
                                    uint64_t value, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy, true);
    unsigned config = legacy_config_offset(proxy);
    VirtQueue *vq;

    if (addr >= config) {
        virtio_config_write(vdev, addr - config, size, value);
        return;
    }
    switch (addr) {
    case VIRTIO_PCI_GUEST_FEATURES:
        virtio_set_guest_features(vdev, (uint32_t)value);
        return;
    case VIRTIO_PCI_QUEUE_PFN:
        vq = selected_queue(proxy);
        if (!value) {
            /* A zero page frame number resets the device (0.9.5, and
             * what Linux's legacy driver does on removal). */
            virtio_pci_set_status(proxy, 0);
        } else if (vq) {
            virtio_queue_set_legacy_layout(
                vq, (hwaddr)(uint32_t)value << VIRTIO_PCI_QUEUE_ADDR_SHIFT,
                VIRTIO_PCI_VRING_ALIGN);
        }
        return;
    case VIRTIO_PCI_QUEUE_SEL:
        if (value < VIRTIO_QUEUE_MAX) {
            proxy->queue_sel = value;
        }
        return;
    case VIRTIO_PCI_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, value);
        return;
    case VIRTIO_PCI_STATUS:
        virtio_pci_set_status(proxy, value);
        return;
    case VIRTIO_MSI_CONFIG_VECTOR:
        proxy->config_vector = virtio_pci_checked_vector(proxy, value);
        return;
    case VIRTIO_MSI_QUEUE_VECTOR:
        proxy->queue_vector[proxy->queue_sel] =
            virtio_pci_checked_vector(proxy, value);
        return;
    }
    emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: legacy write of %u bytes at "
                 "0x%x, a read-only or no register\n", size, (unsigned)addr);
}

static const MemoryRegionOps virtio_pci_legacy_ops = {
    .read = virtio_pci_legacy_read,
    .write = virtio_pci_legacy_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- the modern interface: BAR4 ---- */

static uint64_t virtio_pci_common_read(void *opaque, hwaddr addr,
                                       unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy, false);
    VirtQueue *vq = selected_queue(proxy);
    unsigned num_queues = 0;

    switch (addr) {
    case COMMON_DFSELECT:
        return proxy->dfselect;
    case COMMON_DF:
        return proxy->dfselect > 1 ? 0 :
               virtio_get_host_features(vdev) >> (32 * proxy->dfselect);
    case COMMON_GFSELECT:
        return proxy->gfselect;
    case COMMON_GF:
        return proxy->gfselect > 1 ? 0 :
               proxy->guest_features[proxy->gfselect];
    case COMMON_MSIX:
        return proxy->config_vector;
    case COMMON_Q_MSIX:
        return proxy->queue_vector[proxy->queue_sel];
    case COMMON_NUMQ:
        for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
            if (vdev->vq[i].num_max) {
                num_queues = i + 1;
            }
        }
        return num_queues;
    case COMMON_STATUS:
        return vdev->status;
    case COMMON_CFGGENERATION:
        return (uint8_t)vdev->config_generation;
    case COMMON_Q_SELECT:
        return proxy->queue_sel;
    case COMMON_Q_SIZE:
        return vq ? vq->num : 0;
    case COMMON_Q_ENABLE:
        return vq && vq->ready;
    case COMMON_Q_NOFF:
        return proxy->queue_sel;     /* notified at NOTIFY_MULTIPLIER * n */
    case COMMON_Q_DESCLO:
    case COMMON_Q_DESCHI:
        return vq ? vq->desc >> (addr & 4 ? 32 : 0) : 0;
    case COMMON_Q_AVAILLO:
    case COMMON_Q_AVAILHI:
        return vq ? vq->avail >> (addr & 4 ? 32 : 0) : 0;
    case COMMON_Q_USEDLO:
    case COMMON_Q_USEDHI:
        return vq ? vq->used >> (addr & 4 ? 32 : 0) : 0;
    }
    emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: common configuration read "
                 "at 0x%x\n", (unsigned)addr);
    return 0;
}

/* Low or high half of a 64-bit queue address. */
static void set_half(hwaddr *addr, bool high, uint32_t value)
{
    *addr = high ? (*addr & 0xffffffffULL) | (uint64_t)value << 32
                 : (*addr & ~0xffffffffULL) | value;
}

static void virtio_pci_common_write_queue(VirtIOPCIProxy *proxy,
                                          VirtQueue *vq, hwaddr addr,
                                          uint32_t value)
{
    if (vq->ready && addr != COMMON_Q_MSIX) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: queue %u changed while "
                     "enabled: ignored\n", proxy->queue_sel);
        return;
    }
    switch (addr) {
    case COMMON_Q_SIZE:
        virtio_queue_set_num(vq, value);
        return;
    case COMMON_Q_MSIX:
        proxy->queue_vector[proxy->queue_sel] =
            virtio_pci_checked_vector(proxy, value);
        return;
    case COMMON_Q_ENABLE:
        if (value != 1) {
            emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: queue_enable "
                         "written %u (only 1 is allowed)\n", value);
            return;
        }
        vq->ready = true;
        return;
    case COMMON_Q_DESCLO:
    case COMMON_Q_DESCHI:
        set_half(&vq->desc, addr & 4, value);
        return;
    case COMMON_Q_AVAILLO:
    case COMMON_Q_AVAILHI:
        set_half(&vq->avail, addr & 4, value);
        return;
    case COMMON_Q_USEDLO:
    case COMMON_Q_USEDHI:
        set_half(&vq->used, addr & 4, value);
        return;
    }
    emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: common configuration write "
                 "at 0x%x\n", (unsigned)addr);
}

static void virtio_pci_common_write(void *opaque, hwaddr addr,
                                    uint64_t value, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy, false);
    VirtQueue *vq;

    switch (addr) {
    case COMMON_DFSELECT:
        proxy->dfselect = value;
        return;
    case COMMON_GFSELECT:
        proxy->gfselect = value;
        return;
    case COMMON_GF:
        if (proxy->gfselect <= 1) {
            proxy->guest_features[proxy->gfselect] = value;
            virtio_set_guest_features(
                vdev, proxy->guest_features[0] |
                      (uint64_t)proxy->guest_features[1] << 32);
        }
        return;
    case COMMON_MSIX:
        proxy->config_vector = virtio_pci_checked_vector(proxy, value);
        return;
    case COMMON_STATUS:
        virtio_pci_set_status(proxy, value);
        return;
    case COMMON_Q_SELECT:
        if (value < VIRTIO_QUEUE_MAX) {
            proxy->queue_sel = value;
        }
        return;
    }
    vq = selected_queue(proxy);
    if (!vq) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: write at 0x%x for queue "
                     "%u, which the device does not have\n", (unsigned)addr,
                     proxy->queue_sel);
        return;
    }
    virtio_pci_common_write_queue(proxy, vq, addr, value);
}

static uint64_t virtio_pci_isr_read(void *opaque, hwaddr addr,
                                    unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;

    proxy_vdev(proxy, false);
    return addr ? 0 : virtio_pci_read_isr(proxy);
}

static void virtio_pci_isr_write(void *opaque, hwaddr addr, uint64_t value,
                                 unsigned size)
{
    emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: write to the ISR: ignored\n");
}

static uint64_t virtio_pci_device_read(void *opaque, hwaddr addr,
                                       unsigned size)
{
    return virtio_config_read(proxy_vdev(opaque, false), addr, size);
}

static void virtio_pci_device_write(void *opaque, hwaddr addr,
                                    uint64_t value, unsigned size)
{
    virtio_config_write(proxy_vdev(opaque, false), addr, size, value);
}

static uint64_t virtio_pci_notify_read(void *opaque, hwaddr addr,
                                       unsigned size)
{
    return 0;
}

static void virtio_pci_notify_write(void *opaque, hwaddr addr,
                                    uint64_t value, unsigned size)
{
    virtio_queue_notify(proxy_vdev(opaque, false), addr / NOTIFY_MULTIPLIER);
}

static const MemoryRegionOps virtio_pci_common_ops = {
    .read = virtio_pci_common_read,
    .write = virtio_pci_common_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_isr_ops = {
    .read = virtio_pci_isr_read,
    .write = virtio_pci_isr_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_device_ops = {
    .read = virtio_pci_device_read,
    .write = virtio_pci_device_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps virtio_pci_notify_ops = {
    .read = virtio_pci_notify_read,
    .write = virtio_pci_notify_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* BAR4's regions, MODERN_REGION_SIZE bytes each in this order. */
static const struct {
    const MemoryRegionOps *ops;
    const char *name;
} modern_regions[VIRTIO_PCI_MODERN_REGIONS] = {
    [MODERN_COMMON / MODERN_REGION_SIZE] = { &virtio_pci_common_ops,
                                             "virtio-pci-common" },
    [MODERN_ISR / MODERN_REGION_SIZE] = { &virtio_pci_isr_ops,
                                          "virtio-pci-isr" },
    [MODERN_DEVICE / MODERN_REGION_SIZE] = { &virtio_pci_device_ops,
                                             "virtio-pci-device" },
    [MODERN_NOTIFY / MODERN_REGION_SIZE] = { &virtio_pci_notify_ops,
                                             "virtio-pci-notify" },
};

/* The region of BAR4 at offset, through the same handlers as a memory
 * access: what the configuration access capability reaches. */
static const MemoryRegionOps *modern_ops_at(hwaddr offset)
{
    return modern_regions[offset / MODERN_REGION_SIZE].ops;
}

/* ---- capabilities ---- */

static uint8_t virtio_pci_add_cap(PCIDevice *dev, uint8_t cfg_type,
                                  uint8_t size, uint32_t offset,
                                  uint32_t length)
{
    uint8_t cap = pci_add_capability(dev, PCI_CAP_ID_VNDR, size);

    dev->config[cap + CAP_LEN] = size;
    dev->config[cap + CAP_CFG_TYPE] = cfg_type;
    dev->config[cap + CAP_BAR] = MODERN_BAR;
    pci_set_long(dev->config + cap + CAP_OFFSET, offset);
    pci_set_long(dev->config + cap + CAP_LENGTH, length);
    return cap;
}

/* The capabilities in QEMU's order and places (0x40 on). */
static void virtio_pci_add_caps(VirtIOPCIProxy *proxy)
{
    PCIDevice *dev = PCI_DEVICE(proxy);
    uint8_t notify, cfg;

    virtio_pci_add_cap(dev, VIRTIO_PCI_CAP_COMMON_CFG, CAP_SIZE,
                       MODERN_COMMON, MODERN_REGION_SIZE);
    virtio_pci_add_cap(dev, VIRTIO_PCI_CAP_ISR_CFG, CAP_SIZE, MODERN_ISR,
                       MODERN_REGION_SIZE);
    virtio_pci_add_cap(dev, VIRTIO_PCI_CAP_DEVICE_CFG, CAP_SIZE,
                       MODERN_DEVICE, MODERN_REGION_SIZE);
    notify = virtio_pci_add_cap(dev, VIRTIO_PCI_CAP_NOTIFY_CFG,
                                NOTIFY_CAP_SIZE, MODERN_NOTIFY,
                                MODERN_REGION_SIZE);
    pci_set_long(dev->config + notify + NOTIFY_CAP_MULTIPLIER,
                 NOTIFY_MULTIPLIER);
    /* The window onto BAR4 through configuration cycles: the driver
     * writes bar, offset and length, then reads or writes the data. */
    cfg = virtio_pci_add_cap(dev, VIRTIO_PCI_CAP_PCI_CFG, CFG_CAP_SIZE, 0,
                             0);
    dev->config[cfg + CAP_BAR] = 0;
    dev->wmask[cfg + CAP_BAR] = 0xff;
    pci_set_long(dev->wmask + cfg + CAP_OFFSET, 0xffffffff);
    pci_set_long(dev->wmask + cfg + CAP_LENGTH, 0xffffffff);
    pci_set_long(dev->wmask + cfg + CFG_CAP_DATA, 0xffffffff);
    proxy->cfg_cap = cfg;
}

/* Where a configuration access capability access goes: false when the
 * driver's bar, offset and length do not name a register of BAR4. */
static bool cfg_cap_target(VirtIOPCIProxy *proxy, hwaddr *offset,
                           unsigned *len)
{
    const uint8_t *c = PCI_DEVICE(proxy)->config + proxy->cfg_cap;

    *offset = pci_get_long(c + CAP_OFFSET);
    *len = pci_get_long(c + CAP_LENGTH);
    if (c[CAP_BAR] != MODERN_BAR || (*len != 1 && *len != 2 && *len != 4) ||
        *offset % *len || *offset + *len > MODERN_BAR_SIZE) {
        emu_log_mask(LOG_GUEST_ERROR, "virtio-pci: configuration access of "
                     "BAR %u, offset 0x%" PRIx64 ", %u bytes: ignored\n",
                     c[CAP_BAR], (uint64_t)*offset, *len);
        return false;
    }
    return true;
}

static bool touches_cfg_data(VirtIOPCIProxy *proxy, uint32_t addr, int len)
{
    unsigned data = proxy->cfg_cap + CFG_CAP_DATA;

    return proxy->cfg_cap && addr < data + 4 && data < addr + len;
}

static uint32_t virtio_pci_config_read(PCIDevice *dev, uint32_t addr,
                                       int len)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(dev);
    hwaddr offset;
    unsigned size;

    if (touches_cfg_data(proxy, addr, len) && proxy->vdev &&
        cfg_cap_target(proxy, &offset, &size)) {
        uint64_t value = modern_ops_at(offset)->read(
            proxy, offset % MODERN_REGION_SIZE, size);

        pci_set_long(dev->config + proxy->cfg_cap + CFG_CAP_DATA, value);
    }
    return pci_default_config_read(dev, addr, len);
}

static void virtio_pci_config_write(PCIDevice *dev, uint32_t addr,
                                    uint32_t val, int len)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(dev);
    hwaddr offset;
    unsigned size;

    pci_default_config_write(dev, addr, val, len);
    if (touches_cfg_data(proxy, addr, len) && proxy->vdev &&
        cfg_cap_target(proxy, &offset, &size)) {
        uint32_t value = pci_get_long(dev->config + proxy->cfg_cap +
                                      CFG_CAP_DATA);

        modern_ops_at(offset)->write(proxy, offset % MODERN_REGION_SIZE,
                                     size == 4 ? value
                                               : value & ((1u << (8 * size))
                                                          - 1), size);
    }
}

/* ---- the function ---- */

/* The proxy's own copies of the device's string properties (netdev,
 * drive...) go to the device it carries. */
static bool virtio_pci_hand_on_properties(VirtIOPCIProxy *proxy,
                                          DeviceState *vdev, Error **errp)
{
    g_autoptr(GPtrArray) props =
        object_class_get_properties(OBJECT(vdev)->klass);

    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);
        g_autofree char *value = NULL;

        if (prop->kind != PROP_KIND_STRING ||
            !object_class_find_property(OBJECT(proxy)->klass, prop->name)) {
            continue;
        }
        value = object_property_get_str(OBJECT(proxy), prop->name, NULL);
        if (value && !object_property_set_str(OBJECT(vdev), prop->name,
                                              value, errp)) {
            return false;
        }
    }
    return true;
}

/* Device ID, subsystem and revision as QEMU's virtio_pci_device_plugged
 * sets them. */
static void virtio_pci_set_ids(VirtIOPCIProxy *proxy)
{
    PCIDevice *dev = PCI_DEVICE(proxy);
    uint16_t virtio_id = VIRTIO_DEVICE_GET_CLASS(proxy->vdev)->device_id;

    if (proxy->disable_legacy) {
        pci_set_word(dev->config + PCI_DEVICE_ID, 0x1040 + virtio_id);
        dev->config[PCI_REVISION_ID] = 1;
    } else {
        pci_set_word(dev->config + PCI_SUBSYSTEM_ID, virtio_id);
    }
}

/* BAR0 (sized for the vector registers when there is MSI-X) and BAR4
 * with its capabilities. */
static void virtio_pci_map_bars(VirtIOPCIProxy *proxy)
{
    PCIDevice *dev = PCI_DEVICE(proxy);
    Object *owner = OBJECT(proxy);

    if (!proxy->disable_modern) {
        memory_region_init(&proxy->modern_bar, owner, "virtio-pci",
                           MODERN_BAR_SIZE);
        for (int i = 0; i < VIRTIO_PCI_MODERN_REGIONS; i++) {
            MemoryRegion *mr = &proxy->modern_regions[i];

            memory_region_init_io(mr, owner, modern_regions[i].ops, proxy,
                                  modern_regions[i].name,
                                  MODERN_REGION_SIZE);
            memory_region_add_subregion(&proxy->modern_bar,
                                        i * MODERN_REGION_SIZE, mr);
        }
        virtio_pci_add_caps(proxy);
        pci_register_bar(dev, MODERN_BAR, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                         PCI_BASE_ADDRESS_MEM_PREFETCH, &proxy->modern_bar);
    }
    if (!proxy->disable_legacy) {
        size_t config_size =
            VIRTIO_DEVICE_GET_CLASS(proxy->vdev)->config_size;

        memory_region_init_io(&proxy->legacy_io, owner,
                              &virtio_pci_legacy_ops, proxy, "virtio-pci",
                              pci_bar_size((proxy->vectors
                                            ? VIRTIO_PCI_CONFIG_MSIX
                                            : VIRTIO_PCI_CONFIG) +
                                           config_size));
        pci_register_bar(dev, LEGACY_BAR, PCI_BASE_ADDRESS_SPACE_IO,
                         &proxy->legacy_io);
    }
}

static void virtio_pci_exit(PCIDevice *dev);

static bool virtio_pci_realize(PCIDevice *dev, Error **errp)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(dev);
    const char *type = object_get_typename(OBJECT(dev));
    g_autofree char *rom_name = NULL;
    DeviceState *vdev;

    if (proxy->disable_legacy && proxy->disable_modern) {
        error_setg(errp, "device cannot work as neither modern nor legacy "
                   "mode is enabled");
        error_append_hint(errp, "Set either disable-modern or "
                          "disable-legacy to off\n");
        return false;
    }
    if (proxy->vectors == VECTORS_UNSPECIFIED) {
        proxy->vectors = VIRTIO_PCI_GET_CLASS(dev)->default_vectors;
    }
    /* "virtio-bus" whatever the function's id, as QEMU's
     * virtio_pci_bus_new names it. */
    proxy->bus = VIRTIO_BUS(qbus_new(TYPE_VIRTIO_PCI_BUS, DEVICE(dev),
                                     "virtio-bus"));
    proxy->bus->notify = virtio_pci_notify;
    proxy->bus->opaque = proxy;
    proxy->bus->transport_is_user_device = true;
    vdev = qdev_new(VIRTIO_PCI_GET_CLASS(dev)->vdev_type);
    /* The function's child, as QEMU's virtio_instance_init_common
     * names it: not one of the machine's unattached devices. */
    object_add_child(OBJECT(dev), "virtio-backend", OBJECT(vdev),
                     &error_fatal);
    if (!virtio_pci_hand_on_properties(proxy, vdev, errp)) {
        object_unref(OBJECT(vdev));
        return false;
    }
    if (!qdev_realize_and_unref(vdev, BUS(proxy->bus), errp)) {
        return false;
    }
    proxy->vdev = VIRTIO_DEVICE(vdev);
    proxy->vdev->legacy = proxy->disable_modern;
    virtio_pci_set_ids(proxy);
    virtio_pci_reset_transport(proxy);
    virtio_pci_map_bars(proxy);
    rom_name = g_strdup_printf("%s.rom", type);
    /* MSI-X's capability after the vendor ones, as in QEMU. */
    if ((proxy->vectors &&
         !msix_init_exclusive_bar(dev, proxy->vectors, MSIX_BAR, errp)) ||
        !pci_add_option_rom(dev, proxy->romfile, rom_name, errp)) {
        virtio_pci_exit(dev);
        return false;
    }
    return true;
}

static void virtio_pci_exit(PCIDevice *dev)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(dev);

    qdev_unrealize(DEVICE(proxy->vdev));
    proxy->vdev = NULL;
    if (!proxy->disable_modern) {
        for (int i = 0; i < VIRTIO_PCI_MODERN_REGIONS; i++) {
            MemoryRegion *mr = &proxy->modern_regions[i];

            memory_region_del_subregion(&proxy->modern_bar, mr);
            memory_region_destroy(mr);
        }
        memory_region_destroy(&proxy->modern_bar);
    }
    msix_uninit_exclusive_bar(dev);
    if (!proxy->disable_legacy) {
        memory_region_destroy(&proxy->legacy_io);
    }
}

/* The device carried is reset with the function (its bus is ours). */
static void virtio_pci_reset(PCIDevice *dev)
{
    virtio_pci_reset_transport(VIRTIO_PCI(dev));
}

static void virtio_pci_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property virtio_pci_properties[] = {
    DEFINE_PROP_BOOL("disable-legacy", VirtIOPCIProxy, disable_legacy,
                     false, "no legacy interface (I/O BAR0): a virtio 1.0 "
                     "only device"),
    DEFINE_PROP_BOOL("disable-modern", VirtIOPCIProxy, disable_modern,
                     false, "no modern interface (capabilities, BAR4)"),
    DEFINE_PROP_UINT("vectors", VirtIOPCIProxy, vectors,
                     VECTORS_UNSPECIFIED, "MSI-X vectors: 0 for INTx only; "
                     "by default one a queue and one for configuration "
                     "changes"),
};

static void virtio_pci_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    dc->user_creatable = true;
    pc->realize = virtio_pci_realize;
    pc->exit = virtio_pci_exit;
    pc->reset = virtio_pci_reset;
    pc->config_read = virtio_pci_config_read;
    pc->config_write = virtio_pci_config_write;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
    pc->interrupt_pin = 1;
    class_add_properties(klass, virtio_pci_properties,
                         ARRAY_SIZE(virtio_pci_properties));
}

static const TypeInfo virtio_pci_types[] = {
    {
        .name = TYPE_VIRTIO_PCI_BUS,
        .parent = TYPE_VIRTIO_BUS,
    },
    {
        .name = TYPE_VIRTIO_PCI,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(VirtIOPCIProxy),
        .class_size = sizeof(VirtIOPCIClass),
        .abstract = true,
        .class_init = virtio_pci_class_init,
        .instance_finalize = virtio_pci_finalize,
    },
};

DEFINE_TYPES(virtio_pci_types)
