/*
 * QEMU's "virt" board for 32-bit ARM ("-M virt"): no real hardware, a
 * platform for firmware and distribution kernels that find their devices
 * in the device tree the board hands them.  Memory map, interrupt
 * numbers, devices and the device tree as QEMU 7.2 has them, so U-Boot's
 * qemu_arm and Linux's armmp kernels run unchanged; docs/boards/virt.md
 * lists what QEMU has and emu does not yet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <libfdt.h>
#include "chardev/char.h"
#include "hw/arm/virt.h"
#include "hw/block/flash.h"
#include "hw/char/pl011.h"
#include "hw/core/cpu.h"
#include "hw/gpio/gpio-key.h"
#include "hw/gpio/pl061.h"
#include "hw/intc/arm_gic.h"
#include "hw/intc/arm_gicv2m.h"
#include "hw/loader.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci-host/gpex.h"
#include "hw/rtc/pl031.h"
#include "hw/smbios/smbios.h"
#include "hw/sysbus.h"
#include "block/block-backend.h"
#include "hw/virtio/virtio-mmio.h"
#include "net/net.h"
#include "sysemu/blockdev.h"
#include "sysemu/process.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "target/arm/cpu.h"

const VirtMemMapEntry virt_memmap[VIRT_NR_REGIONS] = {
    [VIRT_FLASH] = { 0x00000000, 2 * VIRT_FLASH_BANK_SIZE },
    [VIRT_GIC_DIST] = { 0x08000000, 0x00010000 },
    [VIRT_GIC_CPU] = { 0x08010000, 0x00010000 },
    [VIRT_GIC_V2M] = { 0x08020000, 0x00001000 },
    [VIRT_UART] = { 0x09000000, 0x00001000 },
    [VIRT_RTC] = { 0x09010000, 0x00001000 },
    [VIRT_FW_CFG] = { 0x09020000, FW_CFG_MEM_SIZE },
    [VIRT_GPIO] = { 0x09030000, 0x00001000 },
    [VIRT_MMIO] = { 0x0a000000, 0x00000200 },   /* each of 32 */
    [VIRT_PCIE_MMIO] = { 0x10000000, 0x2eff0000 },
    [VIRT_PCIE_PIO] = { 0x3eff0000, 0x00010000 },
    [VIRT_PCIE_ECAM] = { 0x3f000000, 0x01000000 },  /* 16 buses */
    [VIRT_MEM] = { 0x40000000, 255ULL * 1024 * 1024 * 1024 },
    /*
     * QEMU lays these out from the end of RAM's 255 GiB (256 GiB), each
     * aligned to its size, after a 64 MiB GICv3 redistributor region
     * that a GICv2 board leaves empty; all of them fit in the 40-bit
     * physical addresses of the Cortex-A15 and A7 (LPAE).
     */
    [VIRT_HIGH_PCIE_ECAM] = { 0x4010000000ULL, GPEX_ECAM_SIZE },
    [VIRT_HIGH_PCIE_MMIO] = { 0x8000000000ULL, 0x8000000000ULL },
};

#define VIRT_4GIB ((uint64_t)1 << 32)

/* The flash banks, as QEMU: Intel-style CFI, 256 KiB sectors, 32 bits
 * wide, each two x16 parts side by side. */
#define VIRT_FLASH_SECTOR (256 * 1024)
#define VIRT_FLASH_MANUFACTURER 0x89
#define VIRT_FLASH_DEVICE 0x18

/* The CPUs QEMU's virt accepts on a 32-bit host target. */
static const char *const virt_valid_cpus[] = {
    "cortex-a7" ARM_CPU_TYPE_SUFFIX,
    "cortex-a15" ARM_CPU_TYPE_SUFFIX,
};

static bool virt_check_cpu(MachineState *ms, Error **errp)
{
    for (size_t i = 0; i < G_N_ELEMENTS(virt_valid_cpus); i++) {
        if (!strcmp(ms->cpu_type, virt_valid_cpus[i])) {
            return true;
        }
    }
    error_setg(errp, "mach-virt: CPU type %s not supported", ms->cpu_type);
    return false;
}

/* /machine/virt.flashN, as QEMU files the banks. */
static DeviceState *virt_create_flash_bank(MachineState *ms, int unit,
                                           Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_PFLASH_CFI01);
    Object *obj = OBJECT(dev);
    DriveInfo *drive = drive_get(IF_PFLASH, unit);
    g_autofree char *name = g_strdup_printf("virt.flash%d", unit);

    if (!object_property_set_uint(obj, "num-blocks",
                                  VIRT_FLASH_BANK_SIZE / VIRT_FLASH_SECTOR,
                                  errp) ||
        !object_property_set_uint(obj, "sector-length", VIRT_FLASH_SECTOR,
                                  errp) ||
        !object_property_set_uint(obj, "width", 4, errp) ||
        !object_property_set_uint(obj, "device-width", 2, errp) ||
        !object_property_set_uint(obj, "id0", VIRT_FLASH_MANUFACTURER,
                                  errp) ||
        !object_property_set_uint(obj, "id1", VIRT_FLASH_DEVICE, errp) ||
        !object_property_set_str(obj, "name", name, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_add_child(OBJECT(ms), name, obj, &error_fatal);
    if (drive) {
        drive_mark_used(drive);
        pflash_cfi01_set_drive(dev, drive);
    }
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return NULL;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0,
                    virt_memmap[VIRT_FLASH].base +
                    unit * VIRT_FLASH_BANK_SIZE);
    return dev;
}

/* -bios: the firmware image at the start of the first flash bank's
 * storage (the memory map is still being built: no bus write yet). */
static bool virt_load_firmware(MachineState *ms, DeviceState *flash0,
                               Error **errp)
{
    MemoryRegion *mr = SYS_BUS_DEVICE(flash0)->mmio[0].memory;
    g_autofree uint8_t *image = NULL;
    size_t size;

    if (drive_get(IF_PFLASH, 0)) {
        error_setg(errp, "The contents of the first flash device may be "
                   "specified with -bios or with -drive if=pflash... but "
                   "you cannot use both options at once");
        return false;
    }
    if (!load_file("firmware", ms->firmware, &image, &size, errp)) {
        return false;
    }
    if (size > VIRT_FLASH_BANK_SIZE) {
        error_setg(errp, "Could not load ROM image '%s': it has %zu bytes, "
                   "the flash bank %d", ms->firmware, size,
                   VIRT_FLASH_BANK_SIZE);
        return false;
    }
    memcpy(memory_region_get_ram_ptr(mr), image, size);
    rom_list_add_in_region(memory_region_name(mr), ms->firmware, size);
    return true;
}

/* The GIC input of PPI ppi (GIC ID - 16) of cpu. */
static IRQLine *virt_gic_ppi(DeviceState *gic, int cpu, int ppi)
{
    return qdev_get_gpio_in(gic, arm_gic_ppi_index(VIRT_NUM_IRQS +
                                                   GIC_INTERNAL, cpu,
                                                   16 + ppi));
}

static DeviceState *virt_create_gic(MachineState *ms, Error **errp)
{
    DeviceState *gic = qdev_new(TYPE_ARM_GIC);
    SysBusDevice *sbd = SYS_BUS_DEVICE(gic);

    if (!object_property_set_uint(OBJECT(gic), "num-cpu", ms->smp_cpus,
                                  errp) ||
        !object_property_set_uint(OBJECT(gic), "num-irq",
                                  VIRT_NUM_IRQS + GIC_INTERNAL, errp) ||
        !qdev_realize_and_unref(gic, sysbus_get_default(), errp)) {
        return NULL;
    }
    sysbus_mmio_map(sbd, 0, virt_memmap[VIRT_GIC_DIST].base);
    sysbus_mmio_map(sbd, 1, virt_memmap[VIRT_GIC_CPU].base);
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        DeviceState *cpu = DEVICE(g_ptr_array_index(cpus, i));

        sysbus_connect_irq(sbd, i, qdev_get_gpio_in(cpu, ARM_CPU_IRQ));
        sysbus_connect_irq(sbd, i + ms->smp_cpus,
                           qdev_get_gpio_in(cpu, ARM_CPU_FIQ));
        /* The CPU has no Security Extensions: its physical timer is the
         * non-secure one. */
        qdev_connect_gpio_out(cpu, ARM_GT_PHYS, virt_gic_ppi(gic, i,
                                                   VIRT_TIMER_NS_EL1_PPI));
        qdev_connect_gpio_out(cpu, ARM_GT_VIRT, virt_gic_ppi(gic, i,
                                                   VIRT_TIMER_VIRT_PPI));
    }
    return gic;
}

/* A device at region's base with its interrupt on SPI irq. */
static DeviceState *virt_create_simple(DeviceState *gic, const char *type,
                                       hwaddr base, int irq, Error **errp)
{
    DeviceState *dev = qdev_new(type);

    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return NULL;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(gic, irq));
    return dev;
}

static bool virt_create_uart(DeviceState *gic, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_PL011);
    Chardev *chr = serial_hd(0);

    if ((chr && !object_property_set_str(OBJECT(dev), "chardev",
                                         chardev_label(chr), errp)) ||
        !qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, virt_memmap[VIRT_UART].base);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0,
                       qdev_get_gpio_in(gic, VIRT_UART_IRQ));
    return true;
}

/* system_powerdown presses the power key, as QEMU's virt does. */
static void virt_powerdown(void *opaque)
{
    VirtMachineState *vms = opaque;

    irq_raise(qdev_get_gpio_in(vms->power_key, 0));
}

/*
 * The PL061 and the power key on its line 3 that the device tree's
 * gpio-keys node describes (KEY_POWER).  As on QEMU the lines that
 * nothing drives read 0: pulled down, not up as the PL061's default.
 */
static bool virt_create_gpio(VirtMachineState *vms, DeviceState *gic,
                             Error **errp)
{
    DeviceState *pl061 = qdev_new(TYPE_PL061);

    if (!object_property_set_uint(OBJECT(pl061), "pullups", 0, errp) ||
        !object_property_set_uint(OBJECT(pl061), "pulldowns", 0xff,
                                  errp) ||
        !qdev_realize_and_unref(pl061, sysbus_get_default(), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(pl061), 0, virt_memmap[VIRT_GPIO].base);
    sysbus_connect_irq(SYS_BUS_DEVICE(pl061), 0,
                       qdev_get_gpio_in(gic, VIRT_GPIO_IRQ));
    vms->power_key = qdev_new(TYPE_GPIO_KEY);
    if (!qdev_realize_and_unref(vms->power_key, sysbus_get_default(),
                                errp)) {
        return false;
    }
    sysbus_connect_irq(SYS_BUS_DEVICE(vms->power_key), 0,
                       qdev_get_gpio_in(pl061, VIRT_GPIO_POWER_KEY_LINE));
    system_powerdown_set_handler(virt_powerdown, vms);
    return true;
}

static bool virt_create_virtio_mmio(DeviceState *gic, Error **errp)
{
    /* Lowest first, as QEMU: device[9] and virtio-mmio-bus.0 are at the
     * base, and -device takes the newest free bus first (qbus_walk), the
     * highest. */
    for (int i = 0; i < VIRT_NUM_MMIO; i++) {
        hwaddr base = virt_memmap[VIRT_MMIO].base +
                      i * virt_memmap[VIRT_MMIO].size;

        if (!virt_create_simple(gic, TYPE_VIRTIO_MMIO, base,
                                VIRT_MMIO_IRQ + i, errp)) {
            return false;
        }
    }
    return true;
}

/*
 * The GICv2m frame: MSIs of PCI functions become edges on SPIs 48-111
 * (QEMU's virt has it whenever its GIC is a GICv2).
 */
static bool virt_create_v2m(DeviceState *gic, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_ARM_GICV2M);

    if (!object_property_set_uint(OBJECT(dev), "base-spi", VIRT_GIC_V2M_IRQ,
                                  errp) ||
        !object_property_set_uint(OBJECT(dev), "num-spi",
                                  VIRT_GIC_V2M_NUM_SPIS, errp) ||
        !qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, virt_memmap[VIRT_GIC_V2M].base);
    for (int i = 0; i < VIRT_GIC_V2M_NUM_SPIS; i++) {
        qdev_connect_gpio_out(dev, i,
                              qdev_get_gpio_in(gic, VIRT_GIC_V2M_IRQ + i));
    }
    return true;
}

/*
 * The PCIe host as QEMU places it: ECAM (high or low, see
 * virt_decide_highmem), the 32-bit MMIO window at 0x10000000 mapping
 * PCI addresses 1:1, the 64 KiB PIO window, the 512 GiB 64-bit window
 * with highmem, INTx on SPIs 3-6; then the NICs of -nic and -net nic
 * on its bus, as QEMU makes them here.
 */
static bool virt_create_pcie(VirtMachineState *vms, DeviceState *gic,
                             Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_GPEX_HOST);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    Object *owner = OBJECT(dev);
    const VirtMemMapEntry *ecam =
        &virt_memmap[vms->highmem_ecam ? VIRT_HIGH_PCIE_ECAM
                                       : VIRT_PCIE_ECAM];
    const VirtMemMapEntry *mmio = &virt_memmap[VIRT_PCIE_MMIO];
    const VirtMemMapEntry *high = &virt_memmap[VIRT_HIGH_PCIE_MMIO];
    MemoryRegion *sysmem = get_system_memory();

    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return false;
    }
    /* QEMU's aliases, so info mtree shows the same regions. */
    memory_region_init_alias(&vms->pcie_ecam, owner, "pcie-ecam",
                             sbd->mmio[0].memory, 0, ecam->size);
    memory_region_add_subregion(sysmem, ecam->base, &vms->pcie_ecam);
    memory_region_init_alias(&vms->pcie_mmio, owner, "pcie-mmio",
                             sbd->mmio[1].memory, mmio->base, mmio->size);
    memory_region_add_subregion(sysmem, mmio->base, &vms->pcie_mmio);
    if (vms->highmem_mmio) {
        memory_region_init_alias(&vms->pcie_mmio_high, owner,
                                 "pcie-mmio-high", sbd->mmio[1].memory,
                                 high->base, high->size);
        memory_region_add_subregion(sysmem, high->base,
                                    &vms->pcie_mmio_high);
    }
    sysbus_mmio_map(sbd, 2, virt_memmap[VIRT_PCIE_PIO].base);
    for (int i = 0; i < GPEX_NUM_IRQS; i++) {
        sysbus_connect_irq(sbd, i, qdev_get_gpio_in(gic, VIRT_PCIE_IRQ + i));
    }
    return net_create_nics_on_bus(TYPE_PCI_BUS, "virtio-net-pci", errp);
}

static bool virt_dump_dtb(VirtMachineState *vms, Error **errp)
{
    GError *gerr = NULL;

    if (!g_file_set_contents(vms->dumpdtb, vms->fdt,
                             fdt_totalsize(vms->fdt), &gerr)) {
        error_setg(errp, "Failed to dump dtb to '%s': %s", vms->dumpdtb,
                   gerr->message);
        g_error_free(gerr);
        return false;
    }
    info_report("dtb dumped to %s. Exiting.", vms->dumpdtb);
    exit(0);
}

/* QEMU's machine type that emu's virt is: SMBIOS names it. */
#define VIRT_QEMU_MACHINE "virt-7.2"

/* Firmware runs: -bios, or a first flash drive that holds it. */
static bool virt_has_firmware(MachineState *ms)
{
    return ms->firmware || drive_get(IF_PFLASH, 0);
}

/*
 * The SMBIOS tables QEMU's virt hands EDK2, which installs them with its
 * own BIOS information (type 0): SMBIOS 3.0, the RAM in one DIMM per
 * 16 GiB, and (as QEMU 7.2's virt) no mapped-address range (type 19).
 * ARM CPUs have no CPUID: type 4's processor ID is zero.
 */
static void virt_create_smbios(MachineState *ms, FWCfgState *fw_cfg)
{
    SMBiosConfig cfg = {
        .manufacturer = "QEMU",
        .product = "QEMU Virtual Machine",
        .version = VIRT_QEMU_MACHINE,
        .sockets = ms->smp_sockets,
        .cores = ms->smp_cores,
        .threads = ms->smp_threads,
        .ram_size = ms->ram_size,
        .smbios3 = true,
    };
    GByteArray *tables, *anchor;

    vm_uuid_bytes(cfg.uuid);
    smbios_build(&cfg, &tables, &anchor);
    fw_cfg_add_file(fw_cfg, "etc/smbios/smbios-tables", tables->data,
                    tables->len);
    fw_cfg_add_file(fw_cfg, "etc/smbios/smbios-anchor", anchor->data,
                    anchor->len);
    g_byte_array_free(tables, TRUE);
    g_byte_array_free(anchor, TRUE);
}

/*
 * fw_cfg, MMIO with DMA, where QEMU's board has it: U-Boot's qfw
 * commands, EDK2 and Linux's qemu_fw_cfg driver find it in the device
 * tree.  What QEMU's virt puts there for firmware on a 32-bit CPU: the
 * number of CPUs, the boot options, SMBIOS, and "bootorder" and
 * "bios-geometry", empty (no device here takes bootindex=).  QEMU's ACPI
 * tables are left out: neither 32-bit EDK2 (AAVMF32) nor 32-bit Linux
 * reads ACPI (docs/boards/virt.md).
 */
static bool virt_create_fw_cfg(VirtMachineState *vms, Error **errp)
{
    MachineState *ms = MACHINE(vms);

    vms->fw_cfg = fw_cfg_init_mem_dma(virt_memmap[VIRT_FW_CFG].base,
                                      &address_space_memory, errp);
    if (!vms->fw_cfg ||
        !fw_cfg_add_machine_options(vms->fw_cfg, ms, errp)) {
        return false;
    }
    fw_cfg_add_i16(vms->fw_cfg, FW_CFG_NB_CPUS, ms->smp_cpus);
    fw_cfg_add_file(vms->fw_cfg, "bootorder", NULL, 0);
    fw_cfg_add_file(vms->fw_cfg, "bios-geometry", NULL, 0);
    virt_create_smbios(ms, vms->fw_cfg);
    return true;
}

/*
 * The options QEMU's virt takes that choose hardware emu's virt does not
 * have (GICv3, TrustZone, EL2) are refused, naming what there is; the
 * values that describe emu's board are accepted, as scripts pass them.
 */
static bool virt_check_options(VirtMachineState *vms, Error **errp)
{
    const char *gic = vms->gic_version;

    if (gic && strcmp(gic, "2") && strcmp(gic, "max")) {
        if (!strcmp(gic, "host")) {
            error_setg(errp, "gic-version=host requires KVM");
        } else if (!strcmp(gic, "3") || !strcmp(gic, "4")) {
            error_setg(errp, "gic-version=%s: emu's virt has a GICv2 only; "
                       "use gic-version=2 or max", gic);
        } else {
            error_setg(errp, "Invalid gic-version value");
            error_append_hint(errp, "Valid values are 3, 2, host, max.\n");
        }
        return false;
    }
    if (vms->secure) {
        error_setg(errp, "secure=on: emu's virt boots in Non-secure state "
                   "only (no TrustZone); use secure=off");
        return false;
    }
    if (vms->virtualization) {
        error_setg(errp, "virtualization=on: emu does not emulate the ARM "
                   "Virtualization Extensions (EL2); use virtualization=off");
        return false;
    }
    return true;
}

/*
 * What goes above 4 GiB, as QEMU 7.2 decides for a 32-bit CPU: with
 * highmem=off nothing (RAM must end below 4 GiB, for kernels without
 * LPAE); with highmem=on the 64-bit PCI window, and the ECAM too unless
 * firmware runs (-bios or a first flash drive), which on a 32-bit CPU
 * would not reach it.
 */
static bool virt_decide_highmem(VirtMachineState *vms, Error **errp)
{
    MachineState *ms = MACHINE(vms);
    uint64_t ram_end = virt_memmap[VIRT_MEM].base + ms->ram_size;
    bool firmware = virt_has_firmware(ms);

    if (!vms->highmem && ram_end > VIRT_4GIB) {
        /* QEMU's message ends with an empty line. */
        error_setg(errp, "Addressing limited to 32 bits, but memory exceeds "
                   "it by %" PRIu64 " bytes\n", ram_end - VIRT_4GIB);
        return false;
    }
    vms->highmem_ecam = vms->highmem && !firmware;
    vms->highmem_mmio = vms->highmem;
    return true;
}

static bool virt_init(MachineState *ms, Error **errp)
{
    VirtMachineState *vms = VIRT_MACHINE(ms);
    DeviceState *gic, *flash0;

    if (!virt_check_options(vms, errp) || !virt_check_cpu(ms, errp)) {
        return false;
    }
    if (ms->ram_size > virt_memmap[VIRT_MEM].size) {
        error_setg(errp, "mach-virt: cannot model more than 255GB RAM");
        return false;
    }
    if (!virt_decide_highmem(vms, errp)) {
        return false;
    }
    if (ms->smp_max_cpus > VIRT_GICV2_MAX_CPUS) {
        error_setg(errp, "Number of SMP CPUs requested (%u) exceeds max CPUs "
                   "supported by machine 'mach-virt' (%d)", ms->smp_max_cpus,
                   VIRT_GICV2_MAX_CPUS);
        return false;
    }
    if (!machine_create_ram(ms, errp) || !machine_create_cpus(ms, errp)) {
        return false;
    }
    /* The firmware QEMU's board pretends to have: PSCI through HVC
     * (the CPUs have no EL2 of their own), the secondary cores off
     * until the kernel starts them with CPU_ON. */
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        ARMCPU *cpu = ARM_CPU(g_ptr_array_index(cpus, i));

        cpu->psci_conduit = ARM_PSCI_CONDUIT_HVC;
        cpu->start_powered_off = i > 0;
    }
    memory_region_add_subregion(get_system_memory(),
                                virt_memmap[VIRT_MEM].base, ms->ram);
    flash0 = virt_create_flash_bank(ms, 0, errp);
    if (!flash0 || !virt_create_flash_bank(ms, 1, errp) ||
        (ms->firmware && !virt_load_firmware(ms, flash0, errp))) {
        return false;
    }
    gic = virt_create_gic(ms, errp);
    if (!gic || !virt_create_v2m(gic, errp) ||
        !virt_create_uart(gic, errp) ||
        !virt_create_simple(gic, TYPE_PL031, virt_memmap[VIRT_RTC].base,
                            VIRT_RTC_IRQ, errp) ||
        !virt_create_pcie(vms, gic, errp) ||
        !virt_create_gpio(vms, gic, errp) ||
        !virt_create_virtio_mmio(gic, errp) ||
        !virt_create_fw_cfg(vms, errp)) {
        return false;
    }
    /* -dtb: the user's tree instead of the board's, with emu's psci. */
    if (ms->dtb_filename) {
        vms->fdt = arm_boot_load_dtb(ms, virt_memmap[VIRT_MEM].base, errp);
        if (!vms->fdt || !virt_fdt_replace_psci(vms->fdt, errp)) {
            return false;
        }
    } else if (!virt_fdt_create(vms, errp)) {
        return false;
    }
    /* With firmware, -kernel is the firmware's to load (fw_cfg). */
    if (ms->kernel_filename && virt_has_firmware(ms) &&
        !arm_firmware_boot_kernel(ms, vms->fw_cfg, vms->fdt, errp)) {
        return false;
    }
    vms->direct_kernel = ms->kernel_filename && !virt_has_firmware(ms);
    if (vms->direct_kernel &&
        (!arm_linux_boot_load(&vms->boot, ms, virt_memmap[VIRT_MEM].base,
                              errp) ||
         !arm_linux_boot_fdt(&vms->boot, ms, vms->fdt, errp))) {
        return false;
    }
    if (!vms->direct_kernel) {
        rom_list_add_image("dtb", virt_memmap[VIRT_MEM].base,
                           fdt_totalsize(vms->fdt), ROM_VIEW_CPU);
    }
    if (vms->dumpdtb) {
        return virt_dump_dtb(vms, errp);
    }
    return true;
}

/* On every reset: what the boot put in RAM back in place (the guest may
 * have overwritten it), as QEMU's ROM blobs are.  Firmware finds the
 * device tree at the start of RAM; -kernel has its own layout. */
static void virt_reset(MachineState *ms)
{
    VirtMachineState *vms = VIRT_MACHINE(ms);

    if (vms->direct_kernel) {
        arm_linux_boot_reset(&vms->boot, g_ptr_array_index(cpus, 0),
                             vms->fdt);
    } else {
        address_space_write_rom(&address_space_memory,
                                virt_memmap[VIRT_MEM].base, vms->fdt,
                                fdt_totalsize(vms->fdt));
    }
}

static void virt_instance_finalize(Object *obj)
{
    VirtMachineState *vms = VIRT_MACHINE(obj);

    if (vms->power_key) {
        system_powerdown_set_handler(NULL, NULL);
    }
    g_free(vms->fdt);
    g_free(vms->dumpdtb);
    g_free(vms->gic_version);
    arm_linux_boot_free(&vms->boot);
}

static const Property virt_properties[] = {
    DEFINE_PROP_STRING("dumpdtb", VirtMachineState, dumpdtb,
                       "Dump current dtb to a file and quit"),
    DEFINE_PROP_STRING("gic-version", VirtMachineState, gic_version,
                       "Set GIC version. Valid values are 2, 3, 4, host and "
                       "max (emu: 2 and max, which is 2)"),
    DEFINE_PROP_BOOL("secure", VirtMachineState, secure, false,
                     "Set on/off to enable/disable the ARM Security "
                     "Extensions (TrustZone) (emu: off only)"),
    DEFINE_PROP_BOOL("virtualization", VirtMachineState, virtualization,
                     false, "Set on/off to enable/disable emulating a guest "
                     "CPU which implements the ARM Virtualization "
                     "Extensions (emu: off only)"),
    DEFINE_PROP_BOOL("highmem", VirtMachineState, highmem, true,
                     "Set on/off to enable/disable using physical address "
                     "space above 32 bits"),
};

static void virt_class_init(ObjectClass *klass)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->desc = "QEMU 7.2 ARM Virtual Machine";
    /* QEMU 7.2's virt-7.2, which scripts name "virt". */
    mc->alias = "virt";
    mc->init = virt_init;
    mc->reset = virt_reset;
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->default_ram_id = "mach-virt.ram";
    mc->ram_is_memdev = true;
    /* As QEMU: the limit of the interrupt controller is checked in init. */
    mc->max_cpus = 512;
    mc->cpu_slot_props = CPU_SLOT_PROPS_WITH_CLUSTER;
    mc->default_cpu_model = "cortex-a15";
    mc->loads_firmware = true;
    mc->loads_kernel = true;
    mc->loads_dtb = true;
    /* QEMU's: virtio-net-pci on user networking without a network
     * option, -drive if=virtio on PCI too. */
    mc->default_nic = "virtio-net-pci";
    mc->default_nic_on_user_net = true;
    mc->virtio_drive_model = "virtio-blk-pci";
    class_add_properties(klass, virt_properties,
                         ARRAY_SIZE(virt_properties));
}

static const TypeInfo virt_types[] = {
    {
        .name = TYPE_VIRT_MACHINE,
        .parent = TYPE_MACHINE,
        .instance_size = sizeof(VirtMachineState),
        .class_init = virt_class_init,
        .instance_finalize = virt_instance_finalize,
    },
};

DEFINE_TYPES(virt_types)
