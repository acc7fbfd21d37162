/*
 * Conventional PCI: a bus of up to 32 slots of 8 functions, each
 * function a device with a 256-byte configuration space (PCI Local Bus
 * Specification 3.0, chapter 6).  A host bridge owns the bus and turns
 * CPU accesses into configuration cycles (pci_host_config_read/write);
 * the core keeps the standard header: command and status, the six BARs
 * (mapped into the bus's memory or I/O space while the guest enables
 * them), the interrupt line and pin.  INTx goes through the bus's
 * map_irq (slot swizzle) to set_irq (the chipset's routing).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "hw/qdev.h"
#include "softmmu/memory.h"

#define TYPE_PCI_BUS "PCI"
/* A PCI Express root bus (gpex's "pcie.0"): a PCI bus that info qtree
 * calls "PCIE"; it takes the same functions. */
#define TYPE_PCIE_BUS "PCIE"
#define TYPE_PCI_DEVICE "pci-device"

#define PCI_DEVFN(slot, fn)   ((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)       (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)       ((devfn) & 0x07)
#define PCI_CONFIG_SPACE_SIZE 0x100
#define PCI_CONFIG_HEADER_SIZE 0x40
#define PCI_NUM_PINS 4
#define PCI_NUM_BARS 6
/* The expansion ROM BAR (offset 0x30) is region 6, after the six BARs. */
#define PCI_ROM_SLOT 6
#define PCI_NUM_REGIONS 7

/* Standard header registers (type 0). */
#define PCI_VENDOR_ID         0x00
#define PCI_DEVICE_ID         0x02
#define PCI_COMMAND           0x04
#define  PCI_COMMAND_IO        0x0001
#define  PCI_COMMAND_MEMORY    0x0002
#define  PCI_COMMAND_MASTER    0x0004
#define  PCI_COMMAND_PARITY    0x0040
#define  PCI_COMMAND_SERR      0x0100
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS            0x06
#define  PCI_STATUS_INTERRUPT  0x0008
#define  PCI_STATUS_CAP_LIST   0x0010
#define  PCI_STATUS_FAST_BACK  0x0080
#define  PCI_STATUS_DEVSEL_MEDIUM 0x0200
#define PCI_REVISION_ID       0x08
#define PCI_CLASS_PROG        0x09
#define PCI_CLASS_DEVICE      0x0a
#define PCI_CACHE_LINE_SIZE   0x0c
#define PCI_LATENCY_TIMER     0x0d
#define PCI_HEADER_TYPE       0x0e
#define  PCI_HEADER_TYPE_MULTI_FUNCTION 0x80
#define PCI_BASE_ADDRESS_0    0x10
#define  PCI_BASE_ADDRESS_SPACE_IO     0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64  0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID      0x2e
#define PCI_ROM_ADDRESS       0x30
#define  PCI_ROM_ADDRESS_ENABLE 0x01
#define PCI_CAPABILITY_LIST   0x34
#define PCI_INTERRUPT_LINE    0x3c
#define PCI_INTERRUPT_PIN     0x3d

/* Capability IDs (PCI 3.0, appendix H). */
#define PCI_CAP_ID_VNDR 0x09     /* vendor specific */
#define PCI_CAP_ID_MSIX 0x11     /* MSI-X (hw/pci/msix.c) */

/* Class codes (base class << 8 | subclass). */
#define PCI_CLASS_OTHERS        0x00ff
#define PCI_CLASS_STORAGE_SCSI  0x0100
#define PCI_CLASS_STORAGE_IDE   0x0101
#define PCI_CLASS_NETWORK_ETHERNET 0x0200
#define PCI_CLASS_DISPLAY_VGA   0x0300
#define PCI_CLASS_BRIDGE_HOST   0x0600
#define PCI_CLASS_BRIDGE_ISA    0x0601
#define PCI_CLASS_BRIDGE_OTHER  0x0680
#define PCI_CLASS_COMMUNICATION_OTHER 0x0780

#define PCI_VENDOR_ID_INTEL     0x8086
/* What QEMU puts in every function's subsystem IDs (Red Hat, QEMU). */
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU   0x1100

/* Where an unmapped BAR is, in info pci: all ones, as in QEMU. */
#define PCI_BAR_UNMAPPED UINT64_MAX

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;
typedef struct MSIX MSIX;

/* The bus's INTx wiring: map_irq gives the chipset input (PIRQ) a
 * device's pin (0 = INTA) drives; set_irq receives the wired-OR level of
 * every pin mapped to that input. */
typedef int (*PCIMapIRQFunc)(PCIDevice *dev, int pin);
typedef void (*PCISetIRQFunc)(void *opaque, int pirq, int level);

struct PCIBus {
    BusState parent_obj;
    PCIDevice *devices[256];     /* by devfn */
    MemoryRegion *mem_space;     /* where memory BARs go */
    MemoryRegion *io_space;      /* where I/O BARs go */
    PCIMapIRQFunc map_irq;
    PCISetIRQFunc set_irq;
    void *irq_opaque;
    int nirq;
    int *irq_count;              /* pins asserted, per chipset input */
};

typedef struct PCIIORegion {
    uint64_t addr;               /* PCI_BAR_UNMAPPED while not mapped */
    uint64_t size;               /* 0: no BAR */
    uint8_t type;                /* the BAR's low bits: I/O, 64-bit... */
    MemoryRegion *memory;
} PCIIORegion;

struct PCIDevice {
    DeviceState parent_obj;
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];     /* bits the guest writes */
    uint8_t w1cmask[PCI_CONFIG_SPACE_SIZE];   /* bits it clears with 1 */
    int devfn;
    char *addr;                  /* "addr" property: "SLOT[.FN]" */
    bool multifunction;
    PCIIORegion io_regions[PCI_NUM_REGIONS];
    unsigned irq_state;          /* asserted pins, bit n = pin n */
    unsigned cap_end;            /* the first byte no capability uses */
    MemoryRegion rom;            /* the expansion ROM, when has_rom */
    bool has_rom;
    MSIX *msix;                  /* NULL: no MSI-X (hw/pci/msix.h) */
};

typedef struct PCIDeviceClass {
    DeviceClass parent_class;
    /* The function's own set-up, after the header is filled in. */
    bool (*realize)(PCIDevice *dev, Error **errp);
    void (*exit)(PCIDevice *dev);
    /* Device-specific registers back to power-on values; the core has
     * reset the standard header. */
    void (*reset)(PCIDevice *dev);
    /* Registers beyond the standard behaviour; the defaults are
     * pci_default_config_read/write. */
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, int len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val,
                         int len);
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint8_t prog_if;
    uint16_t class_id;
    uint8_t interrupt_pin;       /* 0: none, 1 = INTA ... */
} PCIDeviceClass;

#define PCI_BUS(obj) INSTANCE_CAST(PCIBus, (obj), TYPE_PCI_BUS)
#define PCI_DEVICE(obj) INSTANCE_CAST(PCIDevice, (obj), TYPE_PCI_DEVICE)
#define PCI_DEVICE_CLASS(klass) \
    CLASS_CAST(PCIDeviceClass, (klass), TYPE_PCI_DEVICE)
#define PCI_DEVICE_GET_CLASS(obj) \
    CLASS_CAST(PCIDeviceClass, OBJECT(obj)->klass, TYPE_PCI_DEVICE)

/* A root bus of type bus_type (TYPE_PCI_BUS or TYPE_PCIE_BUS) named
 * name ("pci.0") under the host bridge parent. */
PCIBus *pci_root_bus_new(DeviceState *parent, const char *bus_type,
                         const char *name, MemoryRegion *mem_space,
                         MemoryRegion *io_space);
void pci_bus_irqs(PCIBus *bus, PCIMapIRQFunc map_irq, PCISetIRQFunc set_irq,
                  void *opaque, int nirq);

/* Creates, places at devfn (-1: first free slot) and realizes. */
PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *type,
                             bool multifunction, Error **errp);

/* Configuration cycles from the host bridge (addr: bus << 16 | devfn << 8
 * | register); a missing function reads all ones. */
uint32_t pci_host_config_read(PCIBus *bus, uint32_t addr, int len);
void pci_host_config_write(PCIBus *bus, uint32_t addr, uint32_t val,
                           int len);

uint32_t pci_default_config_read(PCIDevice *dev, uint32_t addr, int len);
void pci_default_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len);

/* BAR n of type (PCI_BASE_ADDRESS_SPACE_IO, or memory flags) for mr,
 * whose size must be a power of two.  n = PCI_ROM_SLOT (type 0) is the
 * expansion ROM, decoded while its enable bit and memory decoding are on. */
void pci_register_bar(PCIDevice *dev, int n, uint8_t type, MemoryRegion *mr);
/* The size of a BAR holding bytes: the power of two at or above it. */
uint64_t pci_bar_size(uint64_t bytes);
/*
 * The expansion ROM (BAR6) from romfile, looked for as firmware is (-L,
 * emu's data directories, Debian's SeaBIOS, QEMU and iPXE directories),
 * in a ROM region named name rounded up to a power of two.  NULL or ""
 * is no ROM, as QEMU's romfile="".  Called from a function's realize;
 * the core frees it.
 */
bool pci_add_option_rom(PCIDevice *dev, const char *romfile,
                        const char *name, Error **errp);
/*
 * A capability of size bytes (its ID and next pointer included) in the
 * device-specific part of the header, at the first free offset, put at
 * the head of the list as QEMU's pci_add_capability does; its bytes are
 * read-only to the guest unless the caller opens some (dev->wmask).
 * Returns its offset.
 */
uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size);
/* Drives the device's interrupt pin (config[PCI_INTERRUPT_PIN]). */
void pci_set_irq(PCIDevice *dev, int level);
/*
 * A message-signalled interrupt: the function writes the 32-bit data at
 * addr in memory space, as any bus master write (on the PC the
 * 0xfee00000 window of the local APICs takes it).  Dropped, as on real
 * hardware, while the driver has bus mastering off.
 */
void pci_send_msi(PCIDevice *dev, uint64_t addr, uint32_t data);

PCIBus *pci_get_bus(PCIDevice *dev);
/* The first PCI bus of the machine (NULL without one). */
PCIBus *pci_find_root_bus(void);

static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline uint32_t pci_get_long(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}

/* "info pci" text of every bus, QEMU 7.2's format. */
void pci_info_print(GString *out);

#endif
