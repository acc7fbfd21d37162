/*
 * QEMU's "virt" board for 32-bit ARM (hw/arm/virt.c): its memory map and
 * interrupt numbers, shared by the board and its device tree builder.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include "hw/arm/boot.h"
#include "hw/boards.h"
#include "hw/qdev.h"

#define TYPE_VIRT_MACHINE "virt-7.2" TYPE_MACHINE_SUFFIX

enum {
    VIRT_FLASH,
    VIRT_GIC_DIST,
    VIRT_GIC_CPU,
    VIRT_GIC_V2M,
    VIRT_UART,
    VIRT_RTC,
    VIRT_FW_CFG,
    VIRT_GPIO,
    VIRT_MMIO,
    VIRT_PCIE_MMIO,
    VIRT_PCIE_PIO,
    VIRT_PCIE_ECAM,
    VIRT_MEM,
    /* Above 4 GiB, with highmem=on (QEMU's extended memory map). */
    VIRT_HIGH_PCIE_ECAM,
    VIRT_HIGH_PCIE_MMIO,
    VIRT_NR_REGIONS,
};

typedef struct VirtMemMapEntry {
    hwaddr base;
    hwaddr size;
} VirtMemMapEntry;

extern const VirtMemMapEntry virt_memmap[VIRT_NR_REGIONS];

/* SPIs (the device tree's numbering: GIC interrupt ID - 32). */
#define VIRT_UART_IRQ 1
#define VIRT_RTC_IRQ 2
#define VIRT_GPIO_IRQ 7
#define VIRT_PCIE_IRQ 3          /* INTA-INTD of slot 0: SPIs 3-6 */
#define VIRT_MMIO_IRQ 16
#define VIRT_NUM_MMIO 32
#define VIRT_GIC_V2M_IRQ 48       /* the MSI frame's SPIs: 48-111 */
#define VIRT_GIC_V2M_NUM_SPIS 64

/* The PL061 line of the power key (gpio-keys' KEY_POWER). */
#define VIRT_GPIO_POWER_KEY_LINE 3

/* The generic timer's PPIs (GIC interrupt ID - 16). */
#define VIRT_TIMER_NS_EL2_PPI 10
#define VIRT_TIMER_VIRT_PPI 11
#define VIRT_TIMER_S_EL1_PPI 13
#define VIRT_TIMER_NS_EL1_PPI 14

#define VIRT_GICV2_MAX_CPUS 8     /* the CPU interfaces a GICv2 has */
#define VIRT_NUM_IRQS 256        /* SPIs; the GIC has 32 more IDs below */
#define VIRT_FLASH_BANK_SIZE (64 * 1024 * 1024)
#define VIRT_FDT_MAX_SIZE (1024 * 1024)

typedef struct VirtMachineState {
    MachineState parent_obj;
    char *dumpdtb;               /* -M virt,dumpdtb=FILE */
    char *gic_version;           /* -M virt,gic-version=: 2 and max only */
    bool secure;                 /* -M virt,secure=: off only */
    bool virtualization;         /* -M virt,virtualization=: off only */
    bool highmem;                /* -M virt,highmem=on|off */
    /* Where the PCIe host's ECAM and 64-bit window are: above 4 GiB
     * (highmem), unless firmware that cannot reach there runs. */
    bool highmem_ecam;
    bool highmem_mmio;
    /* The PCIe host's windows in the system map (QEMU's aliases). */
    MemoryRegion pcie_ecam;
    MemoryRegion pcie_mmio;
    MemoryRegion pcie_mmio_high;
    void *fdt;                   /* VIRT_FDT_MAX_SIZE bytes */
    bool direct_kernel;          /* -kernel without firmware: boot holds
                                  * its layout */
    FWCfgState *fw_cfg;
    DeviceState *power_key;      /* gpio-key: pressed by system_powerdown */
    ARMLinuxBoot boot;
} VirtMachineState;

#define VIRT_MACHINE(obj) \
    INSTANCE_CAST(VirtMachineState, (obj), TYPE_VIRT_MACHINE)

/* The device tree QEMU 7.2 gives the same machine (virt-fdt.c). */
bool virt_fdt_create(VirtMachineState *vms, Error **errp);
/* The user's tree (-dtb) gets emu's /psci node in place of its own. */
bool virt_fdt_replace_psci(void *fdt, Error **errp);

#endif
